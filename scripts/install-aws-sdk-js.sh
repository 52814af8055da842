#!/usr/bin/env bash
# Installs the AWS SDK for JavaScript v3's Secrets Manager client into tools/aws-sdk-js for the
# tests that run keyhound's Node snippets (tests/vault/sdk_snippet_test.cpp); Debian has no
# package of it. Its own folder, so that npm's pruning never touches the SARIF validator's.
#   scripts/install-aws-sdk-js.sh           install unless already there
#   scripts/install-aws-sdk-js.sh --force   reinstall
set -euo pipefail
cd "$(dirname "$0")/.."

dir=tools/aws-sdk-js
package=$dir/node_modules/@aws-sdk/client-secrets-manager/package.json
if [[ "${1:-}" == "--force" || ! -f $package ]]; then
  command -v npm >/dev/null || { echo "setup: npm is needed for the AWS SDK for JavaScript (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$dir"
  [[ -f $dir/package.json ]] || echo '{"private": true}' >"$dir/package.json"
  log=$(mktemp)
  if ! (cd "$dir" && npm install --no-audit --no-fund --no-save @aws-sdk/client-secrets-manager@3) >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "setup: could not install @aws-sdk/client-secrets-manager from the npm registry" >&2
    exit 1
  fi
  rm -f "$log"
fi
[[ -f $package ]] || { echo "setup: $package is missing after npm install" >&2; exit 1; }
echo "setup: @aws-sdk/client-secrets-manager $(node -p "require('./$package').version") in $dir" >&2
