#!/usr/bin/env bash
# Checks that every C++ file in the repository follows .clang-format (clang-format 14, Debian's).
# The whole tree was formatted once, so any difference is new and the check covers every file,
# on main as on a branch.
#   scripts/check-format.sh          lists the files that differ and fails
#   scripts/check-format.sh --fix    formats them in place
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find src tests bench -type f \( -name '*.cpp' -o -name '*.hpp' \) | sort)
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
# One clang-format run for all files: each difference is a "file:line:col: error:" line.
mapfile -t bad < <(clang-format --dry-run --Werror "${files[@]}" 2>&1 | grep -oE '^[^:]+:[0-9]+:[0-9]+: error' |
  cut -d: -f1 | sort -u || true)
if ((${#bad[@]})); then
  printf '  %s\n' "${bad[@]}"
  echo "check-format: ${#bad[@]} file(s) above do not follow .clang-format (scripts/check-format.sh --fix)" >&2
  exit 1
fi
echo "check-format: all ${#files[@]} C++ files follow .clang-format"
