#!/bin/sh
# History and pre-commit benchmarks on a generated repository (bench/git/make_repo.py).
#   bench/git/run.sh KEYHOUND_BIN [WORKDIR]
# Measures the inflate floor (every blob through `git cat-file --batch`, in pack order, one
# process per core), `keyhound scan --git` with all cores and with one thread, and
# `keyhound scan --staged` on a 10-file staged change (median of 30 runs, cache warm).
set -eu
KEYHOUND=$(realpath "$1")
WORK=${2:-/tmp/keyhound-bench-git}
HERE=$(cd "$(dirname "$0")" && pwd)
CORES=$(nproc)
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export KEYHOUND_CACHE_DIR="$WORK/cache"
REPO="$WORK/repo"

if [ ! -d "$REPO/.git" ]; then
  mkdir -p "$WORK"
  /usr/bin/python3 "$HERE/make_repo.py" "$REPO"
  # A pack as a clone would get it: deltas recomputed, default window and depth.
  git -C "$REPO" repack -q -a -d -f --window=10 --depth=50
  git -C "$REPO" prune-packed
fi
cd "$REPO"
echo "machine: $CORES cores; $(uptime)"

# Floor input: blobs in pack order (--unordered is pack order), split in one part per core.
git cat-file --batch-all-objects --unordered --batch-check='%(objectname) %(objecttype) %(objectsize)' \
  | awk '$2 == "blob" { print $1; bytes += $3 } END { printf "%d\n", bytes > "/dev/stderr" }' \
  > "$WORK/blobs" 2> "$WORK/blob-bytes"
BYTES=$(cat "$WORK/blob-bytes")
echo "repository: $(git rev-list --all | wc -l) commits, $(wc -l < "$WORK/blobs") blobs, $((BYTES / 1000000)) MB of blob content, pack $(du -sm .git/objects/pack | cut -f1) MB"
rm -f "$WORK"/part.*
split -n "l/$CORES" -d "$WORK/blobs" "$WORK/part."
cat > "$WORK/floor.sh" <<FLOOR
for part in "$WORK"/part.*; do git -C "$REPO" cat-file --batch < "\$part" > /dev/null & done; wait
FLOOR

"$KEYHOUND" scan --git -q --format json -o "$WORK/warm.json" . || true   # warms the rule cache
hyperfine -N --warmup 1 --runs 5 --export-json "$WORK/history.json" \
  -n floor "sh $WORK/floor.sh" \
  -n "keyhound --threads $CORES" "$KEYHOUND scan --git -q --threads $CORES --format json -o $WORK/out-all.json ." \
  -n "keyhound --threads 1" "$KEYHOUND scan --git -q --threads 1 --format json -o $WORK/out-one.json ." \
  -i > /dev/null
/usr/bin/python3 - "$WORK/history.json" "$BYTES" <<'PY'
import json, sys
runs = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
mb = int(sys.argv[2]) / 1e6
floor = runs["floor"]["median"]
for name, r in runs.items():
    print(f"{name:24s} median {r['median']:.3f} s  (min {r['min']:.3f})  {mb / r['median']:.0f} MB/s  {r['median'] / floor:.2f}x floor")
PY
# The same comparison interleaved (floor, keyhound, floor, ...): on a shared VM the machine's
# speed drifts within a minute, and a ratio of neighbouring runs is steadier than two medians.
for i in 1 2 3 4 5 6 7 8 9 10; do
  /usr/bin/time -f "%e" -o "$WORK/t.floor" sh "$WORK/floor.sh"
  /usr/bin/time -f "%e" -o "$WORK/t.kh" "$KEYHOUND" scan --git -q --threads "$CORES" --format json -o "$WORK/out-all.json" . || true
  echo "$(tail -1 "$WORK/t.floor") $(tail -1 "$WORK/t.kh")"
done > "$WORK/pairs"
/usr/bin/python3 - "$WORK/pairs" "$CORES" <<'PY'
import statistics, sys
pairs = [tuple(map(float, line.split())) for line in open(sys.argv[1])]
floor, ours = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
ratio = statistics.median(p[1] / p[0] for p in pairs)
print(f"interleaved, {len(pairs)} pairs: floor {floor:.3f} s, keyhound --threads {sys.argv[2]} {ours:.3f} s (medians); median ratio {ratio:.2f}x")
PY
# CPU time (user + system) of one run each: steadier than wall time on a busy machine.
for run in "floor:sh $WORK/floor.sh" "keyhound --threads $CORES:$KEYHOUND scan --git -q --threads $CORES --format json -o $WORK/out-all.json ." \
           "keyhound --threads 1:$KEYHOUND scan --git -q --threads 1 --format json -o $WORK/out-one.json ."; do
  /usr/bin/time -f "%U %S" -o "$WORK/cpu" sh -c "${run#*:}" || true
  echo "${run%%:*}: $(tail -1 "$WORK/cpu" | awk '{ printf "%.2f s CPU", $1 + $2 }')"
done
echo "findings: $(/usr/bin/python3 -c "import json,sys; s=json.load(open('$WORK/out-all.json'))['summary']; print(s['findings'], 'findings,', s['blobs_scanned'], 'blobs scanned')")"

# Pre-commit: 10 files changed and staged (one with a synthetic key made here), cache warm.
git checkout -q -B bench-staged main
for file in $(git ls-files | head -10); do printf '\n// staged change\n' >> "$file"; done
KEY="AKIA$(/usr/bin/python3 -c "import secrets; print(''.join(secrets.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567') for _ in range(16)))")"
echo "aws_access_key_id = $KEY" >> "$(git ls-files | head -1)"
git add -u
"$KEYHOUND" scan --staged -q > /dev/null || true
hyperfine -N --warmup 3 --runs 30 --export-json "$WORK/staged.json" -i "$KEYHOUND scan --staged -q" > /dev/null
/usr/bin/python3 -c "
import json; r = json.load(open('$WORK/staged.json'))['results'][0]
print(f'scan --staged (10 files): median {r[\"median\"] * 1000:.1f} ms  (min {r[\"min\"] * 1000:.1f}, max {r[\"max\"] * 1000:.1f})')"
git reset -q --hard main && git checkout -q main && git branch -q -D bench-staged
echo "done; $(uptime)"
