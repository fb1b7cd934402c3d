#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from source (Go module proxy only)
# for the conformance test control plane.
#
# Idempotent: binaries are cached in
#   ${SCALR_K8S_CACHE:-$HOME/.cache/cdk8s-scalr-agent-job}/k8s-<version>/bin/
# and only missing ones are built, so a second run returns immediately.
#
# Prints the bin directory as the LAST line of stdout (everything else goes to
# stderr), so callers can do:  BIN_DIR=$(test/conformance/build-binaries.sh | tail -n1)
#
# Environment:
#   SCALR_K8S_CACHE   cache root (default: $HOME/.cache/cdk8s-scalr-agent-job)
#   FORCE_REBUILD=1   rebuild even if the binaries exist
#   GOCACHE/GOMODCACHE/GOPROXY are honoured as usual (machine defaults otherwise).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MOD_DIR="${SCRIPT_DIR}/k8s"

# Versions are read from go.mod so there is a single source of truth.
K8S_VERSION="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ {print $2; exit}' "${MOD_DIR}/go.mod")"
ETCD_VERSION="$(awk '$1 == "go.etcd.io/etcd/server/v3" && $2 ~ /^v/ {print $2; exit}' "${MOD_DIR}/go.mod")"
if [[ -z "${K8S_VERSION}" || -z "${ETCD_VERSION}" ]]; then
  echo "build-binaries: could not read versions from ${MOD_DIR}/go.mod" >&2
  exit 1
fi

CACHE_ROOT="${SCALR_K8S_CACHE:-${HOME}/.cache/cdk8s-scalr-agent-job}"
BIN_DIR="${CACHE_ROOT}/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}/bin"
mkdir -p "${BIN_DIR}"

# name => package (relative to MOD_DIR module graph)
declare -A PKGS=(
  [kube-apiserver]="k8s.io/kubernetes/cmd/kube-apiserver"
  [kubectl]="k8s.io/kubernetes/cmd/kubectl"
  [etcd]="./cmd/etcd"
)

# The binaries to build: those absent (all of them with FORCE_REBUILD=1), into the array `missing`.
find_missing() {
  missing=()
  for name in kube-apiserver kubectl etcd; do
    if [[ "${FORCE_REBUILD:-}" == "1" || ! -x "${BIN_DIR}/${name}" ]]; then
      missing+=("${name}")
    fi
  done
}

find_missing

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "build-binaries: all binaries present in ${BIN_DIR} (kubernetes ${K8S_VERSION}, etcd ${ETCD_VERSION})" >&2
  echo "${BIN_DIR}"
  exit 0
fi

# Serialise concurrent runs (e.g. parallel jest workers on a cold cache).
if command -v flock >/dev/null 2>&1; then
  exec 9>"${BIN_DIR}/.lock"
  flock 9
  find_missing
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "build-binaries: built concurrently by another process; all binaries present in ${BIN_DIR}" >&2
    echo "${BIN_DIR}"
    exit 0
  fi
fi

if ! command -v go >/dev/null 2>&1; then
  echo "build-binaries: 'go' not found in PATH; Go >= $(awk '$1=="go"{print $2; exit}' "${MOD_DIR}/go.mod") is required" >&2
  exit 1
fi

export GOFLAGS="-mod=mod ${GOFLAGS:-}"
export CGO_ENABLED="${CGO_ENABLED:-0}"

total_start=$(date +%s)
echo "build-binaries: building ${missing[*]} (kubernetes ${K8S_VERSION}, etcd ${ETCD_VERSION}) into ${BIN_DIR}" >&2
echo "build-binaries: $(go version), GOMODCACHE=$(go env GOMODCACHE), GOCACHE=$(go env GOCACHE)" >&2

cd "${MOD_DIR}"

dl_start=$(date +%s)
go mod download >&2
echo "build-binaries: go mod download took $(( $(date +%s) - dl_start ))s" >&2

# Version information that `kubectl version` / the apiserver's /version report.
# (Kubernetes normally injects this via hack/lib/version.sh.)
IFS=. read -r major minor _ <<<"${K8S_VERSION#v}"
VPKG="k8s.io/component-base/version"
LDFLAGS="-s -w \
  -X ${VPKG}.gitVersion=${K8S_VERSION} \
  -X ${VPKG}.gitMajor=${major} \
  -X ${VPKG}.gitMinor=${minor} \
  -X ${VPKG}.gitTreeState=clean \
  -X ${VPKG}.buildDate=1970-01-01T00:00:00Z \
  -X k8s.io/client-go/pkg/version.gitVersion=${K8S_VERSION} \
  -X k8s.io/client-go/pkg/version.gitMajor=${major} \
  -X k8s.io/client-go/pkg/version.gitMinor=${minor}"

for name in "${missing[@]}"; do
  start=$(date +%s)
  tmp="${BIN_DIR}/.${name}.tmp.$$"
  go build -trimpath -ldflags="${LDFLAGS}" -o "${tmp}" "${PKGS[$name]}" >&2
  mv -f "${tmp}" "${BIN_DIR}/${name}"   # atomic: a half-built binary never looks "present"
  echo "build-binaries: built ${name} in $(( $(date +%s) - start ))s" >&2
done

echo "build-binaries: total $(( $(date +%s) - total_start ))s" >&2
echo "${BIN_DIR}"
