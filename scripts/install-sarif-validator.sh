#!/usr/bin/env bash
# Installs Microsoft's SARIF Multitool (the official validator) into tools/ for the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -x tools/node_modules/.bin/sarif ]]; then
  mkdir -p tools
  (cd tools && npm install --no-audit --no-fund --silent @microsoft/sarif-multitool >/dev/null 2>&1) || {
    echo "setup: could not install @microsoft/sarif-multitool from the npm registry" >&2; exit 1; }
fi
# npm may skip the package's install script, which only marks the bundled executable.
find tools/node_modules/@microsoft -name 'Sarif.Multitool' -type f -exec chmod +x {} + 2>/dev/null || true
