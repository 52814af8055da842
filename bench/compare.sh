#!/bin/sh
# Issue 11's speed points, two keyhound binaries side by side in one run (same machine state):
# directory scan (1 thread and all cores), history scan (bench/git), `scan --staged` warm, and
# the CPU of a first run with an empty rule cache (--no-cache).
#   bench/compare.sh BASE_BIN NEW_BIN [CORPUS_DIR] [GIT_WORKDIR]
# CORPUS_DIR defaults to /tmp/bench/corpus (bench/dir/make-corpus.sh makes it), GIT_WORKDIR to
# /tmp/keyhound-bench-git (bench/git/run.sh's; the repository is made there when missing).
# RUNS (5): hyperfine runs per command. Each binary keeps its own rule cache (warmed first).
set -eu
BASE=$(realpath "$1")
NEW=$(realpath "$2")
CORPUS=$(realpath "${3:-/tmp/bench/corpus}")
GITWORK=${4:-/tmp/keyhound-bench-git}
RUNS=${RUNS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mktemp -d /tmp/keyhound-compare.XXXXXX)
CORES=$(nproc)
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

for tool in hyperfine git; do
  command -v $tool > /dev/null || { echo "$0: needs $tool" >&2; exit 2; }
done
[ -d "$CORPUS" ] || { echo "$0: no corpus at $CORPUS (bench/dir/make-corpus.sh $CORPUS)" >&2; exit 2; }
REPO="$GITWORK/repo"
if [ ! -d "$REPO/.git" ]; then
  mkdir -p "$GITWORK"
  /usr/bin/python3 "$HERE/git/make_repo.py" "$REPO"
  git -C "$REPO" repack -q -a -d -f --window=10 --depth=50
  git -C "$REPO" prune-packed
fi

echo "base: $BASE"
echo "new:  $NEW"
echo "corpus: $CORPUS ($(du -sm "$CORPUS" | cut -f1) MB); results in $OUT"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Warm each binary's rule cache and the page cache.
for which in base new; do
  bin=$BASE; [ $which = new ] && bin=$NEW
  KEYHOUND_CACHE_DIR="$OUT/cache-$which" "$bin" scan -q --format jsonl -o "$OUT/dir-$which.jsonl" "$CORPUS" || true
done

# pair NAME ARGS...: hyperfine on both binaries, each with its own cache; NEW_EXTRA (options
# only the new binary takes) goes after the subcommand of the new one.
pair() {
  name=$1
  command=$2
  shift 2
  hyperfine -N --warmup 1 --runs "$RUNS" -i --export-json "$OUT/$name.json" \
    -n base "env KEYHOUND_CACHE_DIR=$OUT/cache-base $BASE $command $*" \
    -n new "env KEYHOUND_CACHE_DIR=$OUT/cache-new $NEW $command ${NEW_EXTRA:-} $*" > "$OUT/$name.log" 2>&1
  echo "  $name: done, load $(cut -d' ' -f1-3 /proc/loadavg)"
}
pair dir-1 scan --threads 1 -q --format json -o "$OUT/out.json" "$CORPUS"
pair dir-$CORES scan -q --format json -o "$OUT/out.json" "$CORPUS"
NEW_EXTRA=--no-decode
pair dir-1-no-decode scan --threads 1 -q --format json -o "$OUT/out.json" "$CORPUS"
NEW_EXTRA=
cd "$REPO"
pair git-$CORES scan --git -q --threads "$CORES" --format json -o "$OUT/out.json" .
pair git-1 scan --git -q --threads 1 --format json -o "$OUT/out.json" .

# Pre-commit: 10 files changed and staged (one with a synthetic key made here), as bench/git/run.sh.
git checkout -q -B bench-staged main
for file in $(git ls-files | head -10); do printf '\n// staged change\n' >> "$file"; done
KEY="AKIA$(/usr/bin/python3 -c "import secrets; print(''.join(secrets.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') for _ in range(16)))")"
echo "aws_access_key_id = $KEY" >> "$(git ls-files | head -1)"
git add -u
for which in base new; do
  bin=$BASE; [ $which = new ] && bin=$NEW
  KEYHOUND_CACHE_DIR="$OUT/cache-$which" "$bin" scan --staged -q > /dev/null || true
done
RUNS=30
pair staged scan --staged -q
git reset -q --hard main && git checkout -q main && git branch -q -D bench-staged

# First run with an empty cache: CPU (user + system) of a scan of one small file, 3 runs each.
for which in base new; do
  bin=$BASE; [ $which = new ] && bin=$NEW
  for i in 1 2 3; do
    /usr/bin/time -f "%U %S" -o "$OUT/t" "$bin" scan --no-cache -q "$HERE/README.md" > /dev/null 2>&1 || true
    tail -1 "$OUT/t" | awk -v w=$which '{ printf "%s %.2f\n", w, $1 + $2 }'
  done
done > "$OUT/no-cache.txt"

/usr/bin/python3 - "$OUT" "$CORPUS" "$CORES" <<'PY'
import json, os, statistics, sys
out, corpus, cores = sys.argv[1], sys.argv[2], sys.argv[3]
mb = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(corpus) for f in fs) / 1e6
print(f"\n| measure | base | new | new/base |\n|---|---|---|---|")
def row(label, name, unit="s", scale=1.0, per_mb=False):
    runs = {r["command"]: r for r in json.load(open(f"{out}/{name}.json"))["results"]}
    b, n = runs["base"], runs["new"]
    fmt = lambda r: f"{r['median'] * scale:.{1 if unit == 'ms' else 3}f} {unit} (CPU {(r['user'] + r['system']) * scale:.{1 if unit == 'ms' else 2}f})"
    extra = f", {mb / b['median']:.0f} vs {mb / n['median']:.0f} MB/s" if per_mb else ""
    print(f"| {label} | {fmt(b)} | {fmt(n)} | {n['median'] / b['median']:.2f}{extra} |")
row("dir scan, 1 thread", "dir-1", per_mb=True)
row(f"dir scan, {cores} threads", f"dir-{cores}", per_mb=True)
row("dir scan, 1 thread, new with --no-decode", "dir-1-no-decode", per_mb=True)
row(f"history scan, {cores} threads", f"git-{cores}")
row("history scan, 1 thread", "git-1")
row("scan --staged (median of 30)", "staged", unit="ms", scale=1000)
cpu = {}
for line in open(f"{out}/no-cache.txt"):
    which, seconds = line.split()
    cpu.setdefault(which, []).append(float(seconds))
b, n = statistics.median(cpu["base"]), statistics.median(cpu["new"])
print(f"| --no-cache first run, CPU (median of 3) | {b:.2f} s | {n:.2f} s | {n / b:.2f} |")
print("\nMedians of wall time; CPU is user + system (mean). The --no-decode row runs base as it is (it has no decoder).")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
