#!/usr/bin/env bash
# Hardening CI: a clang build with AddressSanitizer + UndefinedBehaviorSanitizer (no mimalloc,
# -Werror), its unit tests, and a smoke run of every libFuzzer target on its seed corpus for a
# fixed number of inputs. Run from anywhere; builds in build-sanitize/.
#   scripts/ci-hardening.sh            unit tests + fuzz smoke (what CI runs)
#   scripts/ci-hardening.sh --all      the whole ctest suite under the sanitizers (slower)
# FUZZ_RUNS (default 2000) sets the inputs per target. Longer runs: docs/ARCHITECTURE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${FUZZ_RUNS:-2000}"
start=$(date +%s)

scripts/check-format.sh
cmake --preset sanitize -DKEYHOUND_UNITY=ON -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)" >/dev/null
cmake --build --preset sanitize

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizer/lsan.supp:print_suppressions=0"
if [[ "${1:-}" == "--all" ]]; then
  ctest --test-dir build-sanitize --output-on-failure -j2
else
  # Unit tests: everything but the suites that run the binary end to end or drive other
  # programs (the release suite in .ci/run runs those; under the sanitizers they cost minutes
  # of CI and test little in-process code); a new end-to-end suite belongs in this list.
  e2e='AllowComments|BaselineCli|BaselineNoSecret|GitDeltaScan|GitHistory|GitHook|GitHookPath|PreCommitFramework'
  e2e+='|GitStaged|NeverFalseClean|NoSecretLeak|RulesCli|SarifValidator|ScanFiles|Testdata|VaultEndToEnd'
  e2e+='|ConfigCli|ConfigGit|Install|Package|integrations|ShardMerge|VerifyEndToEnd|AlertsEndToEnd|VaultFlow'
  e2e+='|SdkSnippet|Neovim|PreCommitFromDebian|DictionaryAttack|ConfidenceCli|DecodeScan|MemoryLimit'
  # MemoryLimit reads the process's peak RSS, which ASan's quarantine and shadow memory inflate.
  ctest --test-dir build-sanitize --output-on-failure -j2 -E "(^|/)(${e2e})\\.|^rules_check$"  # (^|/): parameterised suites are Prefix/Suite.Test
fi

# Fuzz smoke: each target on a copy of its corpus (new inputs stay out of the tree).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in build-sanitize/tests/fuzz/fuzz_*; do
  [[ -x "$target" ]] || continue
  name=$(basename "$target")
  corpus="tests/fuzz/corpus/${name#fuzz_}"
  mkdir -p "$work/$name"
  [[ -d "$corpus" ]] && cp -r "$corpus/." "$work/$name/"
  echo "fuzz: $name ($runs runs)"
  # -artifact_prefix: a crash input lands in the work dir and is printed, not left in the tree.
  "$target" -runs="$runs" -artifact_prefix="$work/$name-" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    "$work/$name" 2>"$work/$name.log" || {
    tail -50 "$work/$name.log"
    for artifact in "$work/$name"-*; do [[ -f "$artifact" ]] && echo "input: $(base64 -w0 "$artifact")"; done
    exit 1
  }
  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec' "$work/$name.log" | tr '\n' ' '
  echo
done
echo "ci-hardening: done in $(( $(date +%s) - start )) s"
