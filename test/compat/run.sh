#!/usr/bin/env bash
# Runs the unit and reference tests against the newest cdk8s 2.x and cdk8s-plus-30 2.x the npm
# registry serves (the peer ranges' upper end), in a copy of the project under .cache/compat, so
# that the project's own node_modules stay at the pinned versions.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$ROOT/.cache/compat"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20

rm -rf "$DIR"
mkdir -p "$DIR"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$DIR")
cd "$DIR"
npm ci --no-audit --no-fund --loglevel=error
npm install --no-save --no-audit --no-fund --loglevel=error 'cdk8s@^2' 'cdk8s-plus-30@^2'
versions="$(node -p "['cdk8s', 'cdk8s-plus-30'].map((p) => p + '@' + require(p + '/package.json').version).join(', ')")"
echo "compat: testing against $versions"
npx tsc -p tsconfig.json
npx jest --coverage=false --testPathIgnorePatterns /node_modules/ /test/conformance/ /examples/ /test/cli
echo "compat: the unit and reference tests pass with $versions"
