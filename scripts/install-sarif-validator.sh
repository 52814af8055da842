#!/usr/bin/env bash
# Installs Microsoft's SARIF Multitool (the official SARIF validator) into tools/ for the tests,
# and writes tools/sarif-multitool, the command the tests run.
#   scripts/install-sarif-validator.sh           install unless already there
#   scripts/install-sarif-validator.sh --force   reinstall
set -euo pipefail
cd "$(dirname "$0")/.."

package_dir=tools/node_modules/@microsoft/sarif-multitool-linux
binary=$package_dir/Sarif.Multitool
if [[ "${1:-}" == "--force" || ! -f $binary ]]; then
  command -v npm >/dev/null || { echo "setup: npm is needed for the SARIF validator (apt-get install npm)" >&2; exit 1; }
  mkdir -p tools
  [[ -f tools/package.json ]] || echo '{"private": true}' >tools/package.json
  log=$(mktemp)
  if ! (cd tools && npm install --no-audit --no-fund --no-save @microsoft/sarif-multitool@5) >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "setup: could not install @microsoft/sarif-multitool from the npm registry" >&2
    exit 1
  fi
  rm -f "$log"
fi
[[ -f $binary ]] || { echo "setup: $binary is missing after npm install (not linux-x64?)" >&2; exit 1; }

# npm skips the package's install script with --ignore-scripts (or as root in some
# configurations); that script only marks the bundled executable, so do it here.
chmod +x "$binary"

# The executable is a self-contained .NET program. Without invariant globalization it needs
# ICU (libicu) at run time; the validator does not need culture data, so the wrapper turns it
# off and the tests run on machines without libicu.
cat >tools/sarif-multitool <<'EOF'
#!/bin/sh
# Written by scripts/install-sarif-validator.sh: Microsoft's SARIF Multitool, without ICU.
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 exec "$(dirname "$0")/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" "$@"
EOF
chmod +x tools/sarif-multitool

if ! version=$(tools/sarif-multitool --version 2>&1); then
  echo "$version" >&2
  echo "setup: tools/sarif-multitool does not run (missing shared library? see above)" >&2
  exit 1
fi
echo "setup: $(echo "$version" | head -n 1) in tools/sarif-multitool" >&2
