#!/usr/bin/env bash
# Checks that the lines of C++ a branch changed follow .clang-format (git clang-format looks at
# changed lines only: untouched code is left as it is, so a reformat never hides a change).
#   scripts/check-format.sh [BASE]        BASE: what to compare with (default: main, else HEAD~1)
#   scripts/check-format.sh --fix [BASE]  formats those lines in the work tree
set -euo pipefail
cd "$(dirname "$0")/.."
fix=0
[[ "${1:-}" == "--fix" ]] && { fix=1; shift; }
base="${1:-main}"
git rev-parse -q --verify "$base^{commit}" >/dev/null || base="HEAD~1"
git rev-parse -q --verify "$base^{commit}" >/dev/null || { echo "check-format: nothing to compare with"; exit 0; }
since=$(git merge-base "$base" HEAD)
if ((fix)); then
  git clang-format --force --extensions cpp,hpp "$since" -- src tests
  exit 0
fi
diff=$(git clang-format --diff --extensions cpp,hpp "$since" -- src tests || true)
if [[ -n "$diff" && "$diff" != *"no modified files to format"* && "$diff" != *"clang-format did not modify any files"* ]]; then
  echo "$diff"
  echo "check-format: the lines above do not follow .clang-format (scripts/check-format.sh --fix)" >&2
  exit 1
fi
echo "check-format: changed lines follow .clang-format"
