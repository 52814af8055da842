#!/bin/sh
# Issue 15 point 3: keyhound against the engine's ceiling on the same bytes, both on 1 thread.
#   bench/ceiling/run.sh [TREE=/usr/include] [BIG_FILE=/tmp/keyhound-bench-stream/big.txt]
# BUILD (default build) holds the keyhound binary and the stage libraries the ceiling links.
# Builds ceiling.cpp, then, interleaved RUNS (3) times: the ceiling (Hyperscan alone, only
# hs_scan timed) and `keyhound scan --threads 1` (walk, read, Hyperscan, RE2, report). The
# ratio is ceiling seconds / keyhound seconds (1.0 = keyhound as fast as Hyperscan alone), by
# CPU (user + system) and by wall; medians. The big file is made by bench/stream/run.sh.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$repo/build}
tree=${1:-/usr/include}
big=${2:-/tmp/keyhound-bench-stream/big.txt}
runs=${RUNS:-3}
work=$(mktemp -d /tmp/keyhound-ceiling.XXXXXX)
c++ -std=c++20 -O2 -DNDEBUG -pthread -I "$repo/src" -I "$repo/bench" -isystem /usr/include/hs -o "$work/ceiling" "$repo/bench/ceiling/ceiling.cpp" \
  "$build/libkeyhound_match.a" "$build/libkeyhound_rules.a" "$build/libkeyhound_util.a" \
  -lhs -lre2 -lyaml-cpp -lfmt -lcrypto
export KEYHOUND_CACHE_DIR="$work/cache"
[ -f "$big" ] || { echo "$0: no $big (bench/stream/run.sh makes it)" >&2; exit 2; }
for target in "$tree" "$big"; do
  size=$(du -sbL "$target" | cut -f1)
  "$work/ceiling" "$work/cache" "$target" > /dev/null  # warm: page cache, rule cache
  "$build/keyhound" scan --threads 1 --max-file-size 2G -q --format json -o "$work/out.json" "$target" || true
  for i in $(seq "$runs"); do
    "$work/ceiling" "$work/cache" "$target" | awk '{ print "ceiling", $8, $10 }' >> "$work/times"
    /usr/bin/time -f "keyhound %U %S %e" -a -o "$work/times" "$build/keyhound" scan --threads 1 --max-file-size 2G -q \
      --format json -o "$work/out.json" "$target" || true
  done
  /usr/bin/python3 - "$work/times" "$target" "$size" <<'PY'
import statistics, sys
path, target, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
ceiling_cpu, ceiling_wall, cpu, wall = [], [], [], []
for line in open(path):
    f = line.split()
    if f[0] == "ceiling": ceiling_cpu.append(float(f[1])); ceiling_wall.append(float(f[2]))
    elif f[0] == "keyhound": cpu.append(float(f[1]) + float(f[2])); wall.append(float(f[3]))
m = statistics.median
print(f"{target}: {size / 1e6:.0f} MB; ceiling (hs_scan only) CPU {m(ceiling_cpu):.2f} s wall {m(ceiling_wall):.2f} s "
      f"({size / 1e6 / m(ceiling_cpu):.0f} MB/s); keyhound --threads 1 CPU {m(cpu):.2f} s wall {m(wall):.2f} s "
      f"({size / 1e6 / m(wall):.0f} MB/s); ratio by CPU {m(ceiling_cpu) / m(cpu):.2f}, by wall {m(ceiling_wall) / m(wall):.2f}")
PY
  rm -f "$work/times"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work"
