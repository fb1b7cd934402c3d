#!/usr/bin/env bash
# Cross-language test of the jsii packages in dist/.
#
# Installs each package the way its users do and runs the same example app with it:
#   typescript  examples/typescript with the npm tarball dist/js/*.jsii.tgz, synthesized by `cdk8s synth`
#   python      examples/python in a fresh venv, with dist/python/*.whl and requirements.txt from PyPI
#   go          examples/go, whose go.mod replaces the library module with dist/go/scalragentjob
# and fails unless the three write the same manifests. It also checks that a Python user who
# misspells a prop or passes a wrong type gets an error that names it, that from_helm_values in
# Python gives TypeScript's manifests for both chart versions, and that the quick starts (README.md
# for TypeScript, docs/languages.md for Python and Go) show the examples' code.
#
# dist/ is built with `npx projen package:all` when it is missing or older than lib/ (CI runs that
# task first). Caches: pip's, npm's and Go's default caches, and the TypeScript example's
# node_modules and a wheelhouse in ~/.cache/cdk8s-scalr-agent-job/cross-language/ (CROSS_LANGUAGE_CACHE).
# Set CROSS_LANGUAGE_KEEP=1 to keep the work directory (the venv and the three outputs).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
PYTHON="${PYTHON:-python3}"
# Outside the repository: npm pack would put anything under the project directory in the package.
CACHE="${CROSS_LANGUAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-scalr-agent-job/cross-language}"
case "$CACHE/" in
  "$ROOT"/*) echo "CROSS_LANGUAGE_CACHE must be outside the project (npm pack would pack it): $CACHE" >&2; exit 2 ;;
esac
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cross-language.XXXXXX")"
OUT="$WORK/out"
LOGS="$WORK/logs"
mkdir -p "$CACHE" "$OUT" "$LOGS"

cleanup() {
  if [ "${CROSS_LANGUAGE_KEEP:-}" = 1 ]; then echo "(kept $WORK)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
T_START="$(now)"
TIMINGS=()
STEP_NAME=""
STEP_START=""
step() {
  end_step
  STEP_NAME="$1"
  STEP_START="$(now)"
  echo "-- $1"
}
end_step() {
  if [ -n "$STEP_NAME" ]; then
    TIMINGS+=("$(printf '%-34s %6ss' "$STEP_NAME" "$(elapsed "$STEP_START")")")
  fi
  STEP_NAME=""
}

# Runs a command with its output in a log file, and shows the log when it fails.
logged() {
  local log="$LOGS/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    echo "FAILED: $*" >&2
    tail -n 60 "$log" >&2
    exit 1
  fi
}

# ---------------------------------------------------------------------------------------------
step "packages (dist/)"
artifacts_missing() {
  ! compgen -G 'dist/js/*.jsii.tgz' >/dev/null ||
    ! compgen -G 'dist/python/*.whl' >/dev/null ||
    [ ! -f dist/go/scalragentjob/go.mod ]
}
package_all() {
  echo "   $1: npx projen package:all"
  logged package npx projen package:all
}
if [ ! -f .jsii ]; then
  echo "   lib/ is not compiled: npx projen compile"
  logged compile npx projen compile
fi
if artifacts_missing; then
  package_all "dist/ is incomplete"
elif [ -n "$(find lib .jsii -newer "$(ls dist/python/*.whl | head -n 1)" -print -quit)" ]; then
  package_all "dist/ is older than lib/"
fi

# Copies dist/ to a snapshot, so that a concurrent build cannot change the packages halfway, and
# checks that the three packages carry the same npm tarball (one build, not a mix of two).
SNAP="$WORK/repo"
sha() { sha256sum | cut -c1-16; }
snapshot() {
  rm -rf "$SNAP" && mkdir -p "$SNAP/dist" "$SNAP/examples"
  cp -R dist/js dist/python dist/go "$SNAP/dist/"
  TGZ="$(ls "$SNAP"/dist/js/*.jsii.tgz)"
  WHEEL="$(ls "$SNAP"/dist/python/*.whl)"
  if [ "$(echo "$TGZ" | wc -l)" != 1 ] || [ "$(echo "$WHEEL" | wc -l)" != 1 ]; then
    echo "   dist/ holds more than one version: $TGZ $WHEEL"
    return 1
  fi
  SHA_JS="$(sha <"$TGZ")"
  SHA_PY="$(unzip -p "$WHEEL" '*/_jsii/*.jsii.tgz' | sha)"
  SHA_GO="$(cat "$SNAP"/dist/go/scalragentjob/jsii/*.tgz | sha)"
  if [ "$SHA_JS" != "$SHA_PY" ] || [ "$SHA_JS" != "$SHA_GO" ]; then
    echo "   dist/ mixes builds (npm tarball in js $SHA_JS, python $SHA_PY, go $SHA_GO)"
    return 1
  fi
}
if ! snapshot; then
  # lib/ changed while the packages were built (a compile in the same tree): build them again, once.
  package_all "rebuilding"
  snapshot || { echo "FAILED: dist/ is inconsistent; is something compiling lib/ at the same time?" >&2; exit 1; }
fi
cp -R examples/python examples/go "$SNAP/examples/"
rm -rf "$SNAP/examples/python/dist" "$SNAP/examples/python/.venv" "$SNAP/examples/go/dist"
tar -tzf "$TGZ" >"$LOGS/tarball-files.txt"
if grep -qE '^package/\.(cache|bench)/' "$LOGS/tarball-files.txt"; then
  echo "FAILED: the npm tarball contains a local cache directory (.npmignore)" >&2
  exit 1
fi
echo "   $(basename "$TGZ"), $(basename "$WHEEL"), dist/go/scalragentjob: one build ($SHA_JS)"

# ---------------------------------------------------------------------------------------------
step "typescript: npm install"
# A copy of examples/typescript whose library dependency is the tarball from dist/js, under a
# name that changes with its content so that npm reinstalls it exactly when it changed.
TS="$CACHE/typescript"
mkdir -p "$TS"
rm -f "$TS"/cdk8s-scalr-agent-job-*.tgz
TS_TGZ="cdk8s-scalr-agent-job-$SHA_JS.tgz"
cp "$TGZ" "$TS/$TS_TGZ"
cp examples/typescript/main.ts examples/typescript/tsconfig.json examples/typescript/cdk8s.yaml "$TS/"
node -e '
  const fs = require("fs");
  const [src, dest, tgz] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(src, "utf8"));
  pkg.dependencies["cdk8s-scalr-agent-job"] = `file:${tgz}`;
  fs.writeFileSync(dest, JSON.stringify(pkg, null, 2) + "\n");
' examples/typescript/package.json "$TS/package.json" "$TS_TGZ"
(cd "$TS" && logged npm-install npm install --no-package-lock --no-audit --no-fund --prefer-offline --loglevel=error)

step "typescript: cdk8s synth"
(cd "$TS" && logged ts-synth npx cdk8s synth --no-check-upgrade --output "$OUT/typescript")

# ---------------------------------------------------------------------------------------------
step "python: venv and pip install"
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 10), "the wheel needs Python 3.10 or later"'
VPY="$WORK/venv/bin/python"
REQS="$SNAP/examples/python/requirements.txt"
# The registry's answers are not cacheable, so pip's own cache stays empty: the dependencies are
# kept in a wheelhouse instead, filled from PyPI when an install from it alone fails. The venv is
# made without pip (ensurepip takes seconds) and filled by this Python's pip when it has --python.
if "$PYTHON" -m pip install --help 2>/dev/null | grep -q -- '--python <python>'; then
  logged venv "$PYTHON" -m venv --without-pip "$WORK/venv"
  PIP=("$PYTHON" -m pip --python "$VPY")
else
  logged venv "$PYTHON" -m venv "$WORK/venv"
  PIP=("$VPY" -m pip)
fi
WHEELHOUSE="$CACHE/wheelhouse"
mkdir -p "$WHEELHOUSE"
pip_install() { "${PIP[@]}" install --no-input --no-compile --no-index --find-links "$WHEELHOUSE" "$WHEEL" -r "$REQS"; }
if ! pip_install >"$LOGS/pip-install.log" 2>&1; then
  echo "   filling the wheelhouse from PyPI ($WHEELHOUSE)"
  logged pip-download "${PIP[@]}" download --no-input --dest "$WHEELHOUSE" "$WHEEL" -r "$REQS"
  rm -f "$WHEELHOUSE"/cdk8s_scalr_agent_job-*
  logged pip-install pip_install
fi

step "python: run main.py"
mkdir -p "$WORK/run-python"
(cd "$WORK/run-python" && logged py-synth env CDK8S_OUTDIR="$OUT/python" "$VPY" "$SNAP/examples/python/main.py")

step "python: errors name the prop"
# Plain `python` (not -O): the wrong-type checks are jsii's typeguard checks under __debug__.
(cd "$WORK/run-python" && "$VPY" - <<'EOF'
from cdk8s import App
from cdk8s_scalr_agent_job import AgentJobChart, AgentToken

token = AgentToken.from_secret_name("scalr-agent-token", "token")


def expect(error_type, name, **props):
    """AgentJobChart(app, "x", **props) raises error_type, with a message that names `name`."""
    try:
        AgentJobChart(App(), "x", **props)
    except Exception as e:  # noqa: BLE001
        message = str(e).splitlines()[0] if str(e) else ""
        assert isinstance(e, error_type), f"{props!r}: expected {error_type.__name__}, got {type(e).__name__}: {message}"
        assert name in message, f"{props!r}: the error does not name {name!r}: {message}"
        print(f"   ok {type(e).__name__}: {message}")
        return
    raise AssertionError(f"no error for {props!r}")


assert __debug__, "run without -O"
expect(TypeError, "'agnet'", token=token, agnet={})                                     # misspelt prop
expect(TypeError, "'replcias'", token=token, agent={"replcias": 2})                     # misspelt key of a nested dict
expect(TypeError, "'providerCache'", token=token, agent={"providerCache": {"enabled": True}})  # TypeScript spelling
expect(TypeError, "replicas", token=token, agent={"replicas": "two"})                   # wrong type, nested
expect(TypeError, "namespace", token=token, namespace=123)                              # wrong type, top level
expect(TypeError, "size_limit", token=token, agent={"provider_cache": {"size_limit": "20Gi"}})  # str for a Size
expect(TypeError, "'token'")                                                            # required prop missing
expect(RuntimeError, "agent.replicas", token=token, agent={"replicas": -1})             # the library's own check, in JS
EOF
) || { echo "FAILED: the Python error checks" >&2; exit 1; }

step "python: fromHelmValues with a dict"
# A Python team migrating from Helm passes its values as a dict: it must get the same manifests
# as fromHelmValues in TypeScript for the same values and chart version (the reference scenario
# 03-cache-pvc of each version, with its release name and namespace).
for VERSION in 0.6.5 0.5.62; do
  FIXTURES="$ROOT/test/fixtures/agent-job-$VERSION"
  node -e '
    const fs = require("fs");
    const [dir, out] = process.argv.slice(1);
    const scenario = JSON.parse(fs.readFileSync(`${dir}/scenarios.json`, "utf8")).find((s) => s.name === "03-cache-pvc");
    const values = require("yaml").parse(fs.readFileSync(`${dir}/scenarios/03-cache-pvc/values.yaml`, "utf8"));
    fs.writeFileSync(out, JSON.stringify({ release: scenario.release, namespace: scenario.namespace, values }));
  ' "$FIXTURES" "$WORK/values-$VERSION.json"
  (cd "$WORK/run-python" && "$VPY" - "$WORK/values-$VERSION.json" "$VERSION" > "$WORK/helm-python-$VERSION.yaml" <<'PYEOF'
import json
import sys

from cdk8s import App
from cdk8s_scalr_agent_job import AgentJobChart, ChartVersion

with open(sys.argv[1]) as f:
    scenario = json.load(f)
app = App()
AgentJobChart.from_helm_values(app, "pool", version=ChartVersion.of(sys.argv[2]), release_name=scenario["release"],
                               namespace=scenario["namespace"], values=scenario["values"])
print(app.synth_yaml(), end="")
PYEOF
  ) || { echo "FAILED: AgentJobChart.from_helm_values from Python (chart $VERSION)" >&2; exit 1; }
  node -e '
    const { App } = require("cdk8s");
    const { AgentJobChart, ChartVersion } = require("./lib");
    const [file, version] = process.argv.slice(1);
    const scenario = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const app = new App();
    AgentJobChart.fromHelmValues(app, "pool", {
      version: ChartVersion.of(version), releaseName: scenario.release, namespace: scenario.namespace, values: scenario.values,
    });
    process.stdout.write(app.synthYaml());
  ' "$WORK/values-$VERSION.json" "$VERSION" > "$WORK/helm-typescript-$VERSION.yaml"
  if cmp -s "$WORK/helm-python-$VERSION.yaml" "$WORK/helm-typescript-$VERSION.yaml"; then
    echo "   chart $VERSION: python from_helm_values: $(grep -c '^kind:' "$WORK/helm-python-$VERSION.yaml") objects, identical to TypeScript's (byte-for-byte)"
  else
    diff "$WORK/helm-typescript-$VERSION.yaml" "$WORK/helm-python-$VERSION.yaml" | head -20
    echo "FAILED: from_helm_values gives other manifests in Python than in TypeScript (chart $VERSION)" >&2
    exit 1
  fi
done

# ---------------------------------------------------------------------------------------------
step "go: go build"
GO_DIR="$SNAP/examples/go"
unformatted="$(cd "$GO_DIR" && gofmt -l .)"
[ -z "$unformatted" ] || { echo "FAILED: gofmt -l examples/go: $unformatted" >&2; exit 1; }
# -mod=readonly: go.mod and go.sum of the example must be complete (go mod tidy).
(cd "$GO_DIR" && logged go-build go build -mod=readonly -o "$WORK/scalr-agent-go" .)

step "go: run"
mkdir -p "$WORK/run-go"
(cd "$WORK/run-go" && logged go-synth env CDK8S_OUTDIR="$OUT/go" "$WORK/scalr-agent-go")
end_step

# ---------------------------------------------------------------------------------------------
echo
echo "== manifests"
status=0
node test/cross-language/compare-manifests.js "$OUT" typescript python go || status=$?

# The quick starts show the three examples (the README the TypeScript one, docs/languages.md the
# Python and Go ones); they must not drift from the code tested here.
shows() {
  node -e '
    const fs = require("fs");
    const [doc, ...files] = process.argv.slice(1);
    const text = fs.readFileSync(doc, "utf8");
    const stale = files.filter((f) => !text.includes(fs.readFileSync(f, "utf8").trimEnd()));
    if (stale.length) { console.log(`${doc}: DIFFERENT from ${stale.join(", ")}`); process.exit(1); }
    console.log(`${doc}: shows the tested ${files.join(", ")}`);
  ' "$@"
}
shows README.md examples/typescript/main.ts examples/typescript/tsconfig.json examples/typescript/cdk8s.yaml || status=1
shows docs/languages.md examples/python/main.py examples/python/requirements.txt examples/go/main.go || status=1

echo
echo "== versions"
echo "   node $(node --version), $("$VPY" --version), $(go env GOVERSION)"
echo "   python: $("${PIP[@]}" list --format=freeze 2>/dev/null | grep -Ei '^(cdk8s|cdk8s-plus-30|constructs|jsii)==' | tr '\n' ' ')"
echo "   go:     $(cd "$GO_DIR" && go list -m -f '{{.Path}}@{{.Version}}' github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 github.com/cdk8s-team/cdk8s-plus-go/cdk8splus30/v2 github.com/aws/constructs-go/constructs/v10 github.com/aws/jsii-runtime-go | sed -E 's|^github.com/[^/]+/||' | tr '\n' ' ')"
echo "   npm:    $(cd "$TS" && node -p '["cdk8s","cdk8s-plus-30","constructs"].map((p) => p + "@" + require(p + "/package.json").version).join(" ")')"

echo
echo "== timings"
printf '   %s\n' "${TIMINGS[@]}"
printf '   %-34s %6ss\n' "total" "$(elapsed "$T_START")"

if [ "$status" != 0 ]; then
  echo "FAILED: see above (manifests or docs differ)" >&2
  CROSS_LANGUAGE_KEEP=1
  exit "$status"
fi
echo "OK"
