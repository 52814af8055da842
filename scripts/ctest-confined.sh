#!/usr/bin/env bash
# Runs the whole ctest suite (arguments go to ctest, e.g. -j2) with an empty HOME, under strace,
# and fails when a test opened a file outside the repository, the temp dirs and the system's
# directories, or wrote keyhound's cache into HOME (it belongs in build/test-cache:
# KEYHOUND_CACHE_DIR, set by tests/CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$(pwd -P)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/home"
log=$scratch/opened.log

# --seccomp-bpf stops only at the traced calls, so tracing costs little.
status=0
env -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u KEYHOUND_CACHE_DIR -u AWS_PROFILE -u AWS_CONFIG_FILE \
  -u AWS_SHARED_CREDENTIALS_FILE HOME="$scratch/home" \
  strace -f --seccomp-bpf -qq -y -e trace=openat,open,execve -e signal=none -o "$log" \
  ctest --test-dir build --output-on-failure "$@" || status=$?

temp_dirs=(/tmp /var/tmp /dev/shm)
# The repository's own git directory (outside the tree in a `git worktree` checkout).
for dir in "$(git rev-parse --git-dir 2>/dev/null)" "$(git rev-parse --git-common-dir 2>/dev/null)"; do
  [[ -n "$dir" ]] && temp_dirs+=("$(cd "$dir" && pwd -P)")
done
[[ -n "${TMPDIR:-}" ]] && temp_dirs+=("$TMPDIR")
/usr/bin/python3 scripts/audit-test-reads.py "$log" "$repository" "${temp_dirs[@]}" || status=1
if [[ -e "$scratch/home/.cache/keyhound" ]]; then
  echo "test-audit: a test wrote keyhound's cache into HOME (~/.cache/keyhound)" >&2
  status=1
fi
exit "$status"
