#!/bin/bash
# Directory-scan benchmark: times cat (the read floor), rg -f (same patterns) and keyhound scan on
# one corpus with a warm page cache, 1 thread and all cores, then checks planted-secret recall.
# Usage: bench/dir/run.sh [CORPUS_DIR=bench/work/corpus]
# Environment: KEYHOUND (binary), RULES_DIR (rules/*.yml for rg), RUNS (3), RG_RUNS (default RUNS,
# or 1 when one rg run takes over 30 s), WORK (output folder),
# RG_VARIANTS=1 (also time rg -U with whole multi-line patterns, and rg with Unicode classes),
# SKIP_RG=1 (cat and keyhound only, e.g. to repeat them when the machine was busy).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/bench/dir"
corpus=$(cd "${1:-$repo/bench/work/corpus}" && pwd)
planted="$(dirname "$corpus")/planted.tsv"
keyhound=${KEYHOUND:-$repo/build-bench/keyhound}
rules_dir=${RULES_DIR:-$repo/rules}
runs=${RUNS:-3}
work=${WORK:-$repo/bench/work/run-$(date -u +%Y%m%dT%H%M%SZ)}
cores=$(nproc)

for tool in rg hyperfine; do
  command -v $tool >/dev/null || { echo "$0: needs $tool: apt-get install -y ripgrep hyperfine" >&2; exit 2; }
done
[ -x "$keyhound" ] || { echo "$0: no keyhound binary at $keyhound (set KEYHOUND)" >&2; exit 2; }
[ -f "$planted" ] || { echo "$0: no $planted (make it with bench/dir/make-corpus.sh)" >&2; exit 2; }
mkdir -p "$work"
: > "$work/timings.tsv"

find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}' > "$work/corpus-bytes"
echo "corpus $corpus: $(find "$corpus" -type f | wc -l) files, $(( $(cat "$work/corpus-bytes") / 1000000 )) MB"
echo "keyhound $keyhound: $("$keyhound" rules list 2>/dev/null | grep -c .) lines of 'rules list'"
/usr/bin/python3 "$here/patterns.py" "$rules_dir" "$work/patterns.txt"
echo "machine: $cores cores, $(rg --version | awk 'NR == 1'), $(hyperfine --version)"
echo "results in $work"

# time TOOL THREADS LABEL COMMAND: warm-up run, then $runs timed runs (hyperfine; exit codes
# ignored since keyhound and rg exit 1 when they find something; checked above).
time_it() {
  local tool=$1 threads=$2 label=$3 command=$4
  local name="$tool-$threads"
  local load count=$runs warmup=1
  case $tool in rg*) count=$RG_RUNS; [ "$RG_RUNS" = 1 ] && warmup=0 ;; esac
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  hyperfine --warmup "$warmup" --runs "$count" --ignore-failure --style basic \
    --export-json "$work/time-$name.json" "$command" > "$work/time-$name.log" 2>&1
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$threads" "$label" "$work/time-$name.json" "$load" >> "$work/timings.tsv"
  echo "  $label ($threads thread(s)): done, load before: $load"
}

# Both tools exit 1 when they find something; 2 (or more) is an error that would make the
# timings meaningless, so check each on a sample of the corpus (the first 200 files found) first.
find "$corpus" -type f | awk 'NR <= 200' > "$work/sample.list"  # awk reads on: no SIGPIPE
sample_mb=$(xargs -d '\n' cat < "$work/sample.list" | wc -c | awk '{printf "%.1f", $1 / 1e6}')
for tool in rg keyhound; do
  set +e
  started=$(date +%s%N)
  if [ $tool = rg ]; then
    xargs -d '\n' rg --no-ignore --hidden -j1 -f "$work/patterns.txt" < "$work/sample.list" > "$work/check.out" 2> "$work/check.err"
  else
    xargs -d '\n' "$keyhound" scan --threads 1 --format json -q -o "$work/check.json" < "$work/sample.list" > "$work/check.out" 2> "$work/check.err"
  fi
  rc=$?
  took_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  set -e
  # xargs reports 123 when a command exited 1-125: find what the tool itself said.
  if [ $rc -ne 0 ] && [ -s "$work/check.err" ]; then
    echo "$0: $tool failed on the sample:" >&2
    head -c 2000 "$work/check.err" >&2
    exit 2
  fi
  echo "check: $tool read the ${sample_mb} MB sample in ${took_ms} ms (1 thread)"
  if [ $tool = rg ]; then rg_sample_ms=$took_ms; fi
done
# rg with the whole rule set can take minutes per run: then it is timed once (no warm-up; the
# page cache is warm already) unless RG_RUNS says otherwise.
if [ -z "${RG_RUNS:-}" ]; then
  projected=$(awk -v ms="$rg_sample_ms" -v mb="$sample_mb" -v all="$(cat "$work/corpus-bytes")" \
    'BEGIN {printf "%d", ms / 1000 * all / 1e6 / (mb > 0 ? mb : 1)}')
  if [ "$projected" -gt 60 ]; then RG_RUNS=1; else RG_RUNS=$runs; fi
  echo "rg: about ${projected}s per single-thread run projected from the sample; $RG_RUNS timed run(s)"
fi

q=$(printf '%q' "$corpus")
w=$(printf '%q' "$work")
kh=$(printf '%q' "$keyhound")
# cat and keyhound first, close together in time (their ratio matters most on a busy machine);
# then rg, which takes minutes.
time_it cat 1 "cat (find | xargs cat)" "find $q -type f -print0 | xargs -0 cat > /dev/null"
time_it keyhound 1 "keyhound scan --threads 1" "$kh scan --threads 1 --format json -q -o $w/keyhound-1.json $q"
time_it cat "$cores" "cat (xargs -P$cores cat)" "find $q -type f -print0 | xargs -0 -P$cores -n 1000 cat > /dev/null"
time_it keyhound "$cores" "keyhound scan" "$kh scan --format json -q -o $w/keyhound-$cores.json $q"
if [ "${SKIP_RG:-0}" != 1 ]; then
time_it rg 1 "rg -j1 -f patterns.txt" "rg --no-ignore --hidden -j1 -f $w/patterns.txt $q > $w/rg-1.out"
time_it rg "$cores" "rg -f patterns.txt" "rg --no-ignore --hidden -f $w/patterns.txt $q > $w/rg-$cores.out"
echo "rg matching lines: $(wc -l < "$work/rg-$cores.out") (1 thread: $(wc -l < "$work/rg-1.out"))"
fi
if [ "${RG_VARIANTS:-0}" = 1 ]; then
  # Other ways to run rg, for the record: multi-line mode with the PEM patterns whole, and
  # rg's default Unicode classes (slow: its DFA gives up on non-ASCII text under Unicode \b).
  /usr/bin/python3 "$here/patterns.py" "$rules_dir" "$work/patterns-unicode.txt" --unicode > /dev/null
  time_it rg-U 1 "rg -U -j1 (whole PEM patterns)" "rg --no-ignore --hidden -U -j1 -f $w/patterns.txt.multiline $q > $w/rg-U.out"
  time_it rg-unicode 1 "rg -j1 (Unicode classes)" "rg --no-ignore --hidden -j1 -f $w/patterns-unicode.txt $q > $w/rg-unicode.out"
fi
echo
/usr/bin/python3 "$here/report.py" "$work" "$corpus" "$planted" "$work/keyhound-$cores.json" | tee "$work/report.txt"
