#!/usr/bin/env bash
# Runs every command and code block of README.md and docs/*.md as written, in a scratch directory
# outside the repository, against the packages this repository builds (the library is not on the
# registries). Run by CI as `npx projen test:docs`; `test/docs/run.sh [DOC...]` runs some documents.
#
# The marker scheme. Each fenced block is preceded by an HTML comment that says how it is tested:
#
#   <!-- test: sh -->             run it in the document's shell session (below)
#   <!-- test: sh repo -->        run it in a fresh copy of the repository (its git files)
#   <!-- test: file PATH -->      write it to PATH, relative to the session's directory
#   <!-- test: ts preamble=ID --> a TypeScript fragment: the preamble ID, then the block (and
#                                 `app.synth()` when there is an App and no synth), run with
#                                 `npx ts-node` (type-checked) in the session's directory
#   <!-- test: ts-preamble ID --> the imports and setup that the `ts preamble=ID` fragments share
#                                 (type-checked with each of them)
#   <!-- test: skip REASON -->    not run, for the reason given (printed in the summary)
#
# `same-as=REPO/PATH` on any of them also requires the block to equal that file of the
# repository (for the examples/ apps, which test:cross-language and the unit tests run).
# A standalone `<!-- test: do COMMAND -->` runs COMMAND at that point of the session, unseen by
# readers: the setup a reader has already done (the project of the quick start) or a check of
# what the previous block wrote. A ```sh, ```bash, ```ts, ```js, ```python or ```go block without
# a marker fails the test, so that no new snippet goes untested; other blocks (yaml, json, text)
# need a marker only to be written as files.
#
# The session: the blocks of all documents run in order in one bash process (set -e, pipefail),
# as a reader types them into one terminal: a `cd`, a variable or an activated venv carries over
# to the next block of the same document. Each document starts in a directory of its own,
# "$DOCS_WORK/<doc>" (README.md first, then docs/languages.md, then the others), and the quick
# start projects stay there for the later documents to use ($DOCS_WORK/README.md/scalr-agents...).
#
# What differs from a reader's machine, and only this:
#   npm  `npm` is a wrapper that replaces the argument `cdk8s-scalr-agent-job` by the npm tarball
#        (dist/js/*.jsii.tgz); `npm install --global` installs below the scratch directory.
#   pip  PIP_FIND_LINKS holds the wheel (dist/python/*.whl), which pip takes for
#        `cdk8s-scalr-agent-job`; the other packages come from PyPI.
#   go   GOPROXY starts with a file:// proxy that serves the Go module of dist/go/scalragentjob as
#        github.com/example/cdk8s-scalr-agent-job-go/scalragentjob (a pseudo-version named after
#        its content, so that Go's module cache never holds a stale build under it).
# The packages are built with `npx projen package:all` when dist/ is missing or older than lib/.
# Needs what the README lists (Node.js 20+, Python 3.10+, Go, the registries) and git and openssl.
# Before running anything it also checks the relative links of the documents and their anchors.
# Caches: npm's, pip's and Go's own (warm after a first run). DOCS_TEST_KEEP=1 keeps the scratch
# directory; the log of every block is in it.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/docs-test.XXXXXX")"
case "$WORK/" in
  "$ROOT"/*) echo "TMPDIR must be outside the repository: $WORK" >&2; exit 2 ;;
esac
cleanup() {
  if [ "${DOCS_TEST_KEEP:-}" = 1 ]; then echo "(kept $WORK)"; else chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
T_START="$(now)"

if [ "$#" -gt 0 ]; then
  DOCS=("$@")
else
  DOCS=(README.md docs/languages.md)
  for f in docs/*.md; do [ "$f" = docs/languages.md ] || DOCS+=("$f"); done
fi

# ---------------------------------------------------------------------------------------------
echo "-- the blocks and their markers"
node test/docs/blocks.js "$ROOT" "$WORK/gen" "${DOCS[@]}"
echo "   $(wc -l <"$WORK/gen/plan.tsv") blocks and checks in ${#DOCS[@]} documents"

# ---------------------------------------------------------------------------------------------
echo "-- packages (dist/)"
T="$(now)"
logged() {
  local log="$WORK/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    echo "FAILED: $*" >&2
    tail -n 60 "$log" >&2
    exit 1
  fi
}
if [ ! -f .jsii ]; then
  echo "   lib/ is not compiled: npx projen compile"
  logged compile npx projen compile
fi
if [ ! -f lib/cli/bundle.js ] || [ lib/cli/main.js -nt lib/cli/bundle.js ]; then
  echo "   the command's bundle is missing or stale: npx projen bundle:cli"
  logged bundle npx projen bundle:cli
fi
if ! compgen -G 'dist/js/*.jsii.tgz' >/dev/null || ! compgen -G 'dist/python/*.whl' >/dev/null || [ ! -f dist/go/scalragentjob/go.mod ]; then
  echo "   dist/ is incomplete: npx projen package:all"
  logged package npx projen package:all
elif [ -n "$(find lib .jsii -newer "$(ls dist/python/*.whl | head -n 1)" -print -quit)" ]; then
  echo "   dist/ is older than lib/: npx projen package:all"
  logged package npx projen package:all
fi
PKG="$WORK/pkg"
mkdir -p "$PKG/python"
cp dist/js/*.jsii.tgz "$PKG/"
cp dist/python/*.whl "$PKG/python/"
cp -R dist/go/scalragentjob "$PKG/go"
TGZ="$(ls "$PKG"/*.jsii.tgz)"
[ "$(echo "$TGZ" | wc -l)" = 1 ] || { echo "FAILED: dist/js holds more than one tarball" >&2; exit 1; }
echo "   $(basename "$TGZ"), $(cd "$PKG/python" && ls), dist/go/scalragentjob ($(elapsed "$T")s)"

# ---------------------------------------------------------------------------------------------
echo "-- the scratch machine ($WORK)"
SHIMS="$WORK/shims"
mkdir -p "$SHIMS" "$WORK/npm-global"
REAL_NPM="$(command -v npm)"
cat >"$SHIMS/npm" <<EOF
#!/usr/bin/env bash
# npm, with the library taken from the tarball this repository built.
args=()
for a in "\$@"; do
  case "\$a" in
    cdk8s-scalr-agent-job) args+=("$TGZ") ;;
    *) args+=("\$a") ;;
  esac
done
exec "$REAL_NPM" "\${args[@]}"
EOF
chmod +x "$SHIMS/npm"

# The Go module, served by a file:// module proxy under the module path the docs use.
GO_MODULE=github.com/example/cdk8s-scalr-agent-job-go/scalragentjob
GO_VERSION=""
if command -v go >/dev/null; then
  GO_SHA="$(cd "$PKG/go" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-12)"
  GO_VERSION="v0.0.0-20000101000000-$GO_SHA"
  python3 - "$PKG/go" "$WORK/goproxy/$GO_MODULE/@v" "$GO_MODULE" "$GO_VERSION" <<'EOF'
import json, os, sys, zipfile
src, dest, module, version = sys.argv[1:]
os.makedirs(dest, exist_ok=True)
with zipfile.ZipFile(os.path.join(dest, f"{version}.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, _, files in os.walk(src):
        for f in sorted(files):
            full = os.path.join(dirpath, f)
            z.write(full, f"{module}@{version}/{os.path.relpath(full, src)}")
with open(os.path.join(src, "go.mod")) as f, open(os.path.join(dest, f"{version}.mod"), "w") as out:
    out.write(f.read())
info = json.dumps({"Version": version, "Time": "2000-01-01T00:00:00Z"})
for name in (f"{version}.info",):
    with open(os.path.join(dest, name), "w") as out:
        out.write(info)
open(os.path.join(dest, "list"), "w").close()
with open(os.path.join(os.path.dirname(dest), "@latest"), "w") as out:
    out.write(info)
EOF
  export GOPROXY="file://$WORK/goproxy,$(go env GOPROXY)"
  export GONOSUMDB="github.com/example/cdk8s-scalr-agent-job-go"
fi

export PATH="$SHIMS:$WORK/npm-global/bin:$PATH"
export NPM_CONFIG_PREFIX="$WORK/npm-global"
export NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
export PIP_FIND_LINKS="$PKG/python" PIP_DISABLE_PIP_VERSION_CHECK=1
export DOCS_WORK="$WORK/docs" BLOCKS="$WORK/gen/blocks" REPO_COPY="$WORK/repo" DOCS_ROOT="$ROOT"
mkdir -p "$DOCS_WORK"
echo "   npm: $TGZ for cdk8s-scalr-agent-job; pip: PIP_FIND_LINKS=$PKG/python; go: ${GO_VERSION:-(no go)} from $WORK/goproxy"

# ---------------------------------------------------------------------------------------------
echo "-- running the blocks (log: $WORK/blocks.log)"
RUNNER="$WORK/runner.sh"
cat >"$RUNNER" <<'EOF'
__now() { date +%s.%N; }
__begin() {
  __ID="$1"
  __T="$(__now)"
  echo "$1" >"$WORK/current"
  printf '\n==== %s %s\n' "$1" "$(grep "^$1	" "$WORK/gen/plan.tsv" | cut -f2-)"
}
__end() {
  printf '%s\t%s\n' "$1" "$(awk -v a="$__T" -v b="$(__now)" 'BEGIN { printf "%.1f", b - a }')" >>"$WORK/done.tsv"
}
# A copy of the repository as a fresh clone has it (tracked and new files, nothing ignored).
__repo_copy() {
  if [ ! -d "$REPO_COPY" ]; then
    mkdir -p "$REPO_COPY"
    (cd "$DOCS_ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$REPO_COPY")
  fi
}
EOF
cat "$WORK/gen/script.sh" >>"$RUNNER"
: >"$WORK/done.tsv"
status=0
WORK="$WORK" bash "$RUNNER" >"$WORK/blocks.log" 2>&1 </dev/null || status=$?

# ---------------------------------------------------------------------------------------------
echo
echo "== summary"
awk -F'\t' -v done_file="$WORK/done.tsv" -v failed="$( [ "$status" = 0 ] || cat "$WORK/current" 2>/dev/null)" '
  BEGIN { while ((getline line < done_file) > 0) { split(line, f, "\t"); t[f[1]] = f[2] } }
  {
    id = $1; where = $2; kind = $3; detail = $4
    if (kind == "skip") { state = "skipped: " detail; skipped++ }
    else if (kind == "preamble") { state = "preamble (run with its fragments)"; pre++ }
    else if (id in t) { state = sprintf("ok %5ss", t[id]); ok++; if (kind != "do") byKind[kind]++ }
    else if (id == failed) { state = "FAILED"; bad++ }
    else { state = "not run"; notrun++ }
    label = kind (kind == "file" || kind == "do" ? " " detail : (detail != "" ? " " detail : ""))
    if (length(label) > 58) label = substr(label, 1, 55) "..."
    printf "   %-36s %-60s %s\n", where, label, state
  }
  END {
    printf "\n   ran %d (sh %d, file %d, ts %d, do %d), skipped %d, failed %d, not run %d\n", ok, byKind["sh"], byKind["file"], byKind["ts"], ok - byKind["sh"] - byKind["file"] - byKind["ts"], skipped, bad, notrun
  }' "$WORK/gen/plan.tsv"
printf '   total %ss\n' "$(elapsed "$T_START")"

if [ "$status" != 0 ]; then
  echo
  echo "FAILED: block $(cat "$WORK/current" 2>/dev/null) ($(grep "^$(cat "$WORK/current" 2>/dev/null)	" "$WORK/gen/plan.tsv" | cut -f2)); the end of its log:" >&2
  tail -n 60 "$WORK/blocks.log" >&2
  DOCS_TEST_KEEP=1
  exit 1
fi
echo "OK"
