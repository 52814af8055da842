#!/bin/sh
# Issue 15 point 2: one 1 GiB text file. Peak RSS and wall time of `keyhound scan` (this build,
# streamed) against BASE (a binary that reads it whole, e.g. 43ba80a's), and the target's
# yardstick: `cat FILE > /dev/null` plus the matcher's CPU (Hyperscan alone on the same bytes,
# bench/ceiling/ceiling.cpp; the file holds no secrets, so RE2 has nothing to confirm).
#   bench/stream/run.sh [BASE_BIN=/work/wt-base/build/keyhound] [FILE=/tmp/keyhound-bench-stream/big.txt]
# The file is made when missing: /usr/include's headers, concatenated until 1 GiB. RUNS (3)
# interleaved rounds, warm page cache; medians. BUILD (default build) holds the new binary.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$repo/build}
base=${1:-/work/wt-base/build/keyhound}
file=${2:-/tmp/keyhound-bench-stream/big.txt}
runs=${RUNS:-3}
work=$(mktemp -d /tmp/keyhound-stream.XXXXXX)
if [ ! -f "$file" ]; then
  mkdir -p "$(dirname "$file")"
  find /usr/include -name '*.h' -type f -size -1024k | sort | head -4000 | xargs cat > "$work/round"
  [ -s "$work/round" ] || { echo "$0: no headers in /usr/include to make the file from" >&2; exit 2; }
  : > "$file"
  while [ "$(stat -c %s "$file")" -lt 1073741824 ]; do cat "$work/round" >> "$file"; done
  truncate -s 1073741824 "$file"
fi
c++ -std=c++20 -O2 -DNDEBUG -pthread -I "$repo/src" -I "$repo/bench" -isystem /usr/include/hs -o "$work/ceiling" "$repo/bench/ceiling/ceiling.cpp" \
  "$build/libkeyhound_match.a" "$build/libkeyhound_rules.a" "$build/libkeyhound_util.a" \
  -lhs -lre2 -lyaml-cpp -lfmt -lcrypto
scan() {  # NAME BIN: wall, CPU and peak RSS of one scan
  KEYHOUND_CACHE_DIR="$work/cache-$1" /usr/bin/time -f "$1 %e %U %S %M" -a -o "$work/times" "$2" scan --threads 1 \
    --max-file-size 2G -q --format json -o "$work/out-$1.json" "$file" || true
}
cat "$file" > /dev/null
"$work/ceiling" "$work/cache" "$file" > /dev/null
KEYHOUND_CACHE_DIR="$work/cache-new" "$build/keyhound" scan -q "$repo/bench/README.md" || true
KEYHOUND_CACHE_DIR="$work/cache-base" "$base" scan -q "$repo/bench/README.md" || true
for i in $(seq "$runs"); do
  /usr/bin/time -f "cat %e %U %S %M" -a -o "$work/times" sh -c 'cat "$1" > /dev/null' sh "$file"
  "$work/ceiling" "$work/cache" "$file" | awk '{ print "matcher", $8, $10 }' >> "$work/times"
  scan new "$build/keyhound"
  scan base "$base"
done
/usr/bin/python3 - "$work/times" "$file" <<'PY'
import os, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    rows.setdefault(f[0], []).append([float(x) for x in f[1:]])
m = lambda name, i: statistics.median(r[i] for r in rows[name])
size = os.path.getsize(sys.argv[2])
cat_wall, cat_cpu = m("cat", 0), m("cat", 1) + m("cat", 2)
matcher_cpu, matcher_wall = m("matcher", 0), m("matcher", 1)
print(f"file: {size / 2**30:.2f} GiB; cat: wall {cat_wall:.2f} s, CPU {cat_cpu:.2f} s; matcher (Hyperscan alone): "
      f"CPU {matcher_cpu:.2f} s, wall {matcher_wall:.2f} s")
print("yardstick: cat + matcher, by wall (both measured in the same rounds, so a loaded machine slows them "
      "alike) and by CPU")
print("| binary | wall (s) | CPU user+sys (s) | peak RSS (MB) | wall / (cat + matcher) | CPU / (cat + matcher) |")
print("|---|---|---|---|---|---|")
for name in ("base", "new"):
    cpu = m(name, 1) + m(name, 2)
    print(f"| {name} | {m(name, 0):.2f} | {cpu:.2f} | {m(name, 3) / 1024:.0f} | {m(name, 0) / (cat_wall + matcher_wall):.2f} "
          f"| {cpu / (cat_cpu + matcher_cpu):.2f} |")
PY
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"
