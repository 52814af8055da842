#!/bin/sh
# Decoding cost on long base64 runs (issue 11: a 16 MB base64 file scans at >= 1/3 of plain-text
# speed). Makes three files of about 16 MB under WORKDIR and times one-thread scans of each:
#   plain.txt       text from /usr/include (the baseline speed)
#   text.b64        base64 of that text, wrapped at 76 (decoded and scanned, two layers)
#   random.b64      base64 of random bytes, wrapped at 76 (its first kilobyte is not text: skipped)
# and the same with --no-decode.
#   bench/decode/run.sh KEYHOUND_BIN [WORKDIR]
set -eu
KEYHOUND=$(realpath "$1")
WORK=${2:-/tmp/keyhound-bench-decode}
mkdir -p "$WORK"
export KEYHOUND_CACHE_DIR="$WORK/cache"
if [ ! -f "$WORK/plain.txt" ]; then
  find /usr/include -type f -name '*.h' -print0 | sort -z | xargs -0 cat | head -c 16000000 > "$WORK/plain.txt"
  head -c 12000000 "$WORK/plain.txt" | base64 -w 76 > "$WORK/text.b64"
  head -c 12000000 /dev/urandom | base64 -w 76 > "$WORK/random.b64"
fi
ls -l "$WORK/plain.txt" "$WORK/text.b64" "$WORK/random.b64"
"$KEYHOUND" scan -q --format json -o "$WORK/warm.json" "$WORK/plain.txt" || true  # warms the rule cache
hyperfine -N --warmup 1 --runs "${RUNS:-10}" -i --export-json "$WORK/decode.json" \
  -n plain "$KEYHOUND scan -q --threads 1 --format json -o $WORK/out.json $WORK/plain.txt" \
  -n text.b64 "$KEYHOUND scan -q --threads 1 --format json -o $WORK/out.json $WORK/text.b64" \
  -n random.b64 "$KEYHOUND scan -q --threads 1 --format json -o $WORK/out.json $WORK/random.b64" \
  -n "plain --no-decode" "$KEYHOUND scan -q --no-decode --threads 1 --format json -o $WORK/out.json $WORK/plain.txt" \
  -n "text.b64 --no-decode" "$KEYHOUND scan -q --no-decode --threads 1 --format json -o $WORK/out.json $WORK/text.b64" \
  > /dev/null
/usr/bin/python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
runs = {r["command"]: r for r in json.load(open(os.path.join(work, "decode.json")))["results"]}
sizes = {"plain": "plain.txt", "text.b64": "text.b64", "random.b64": "random.b64"}
plain_speed = os.path.getsize(os.path.join(work, "plain.txt")) / runs["plain"]["median"]
for name, r in runs.items():
    size = os.path.getsize(os.path.join(work, sizes[name.split()[0]]))
    speed = size / r["median"]
    print(f"{name:22s} median {r['median']*1000:7.1f} ms (min {r['min']*1000:7.1f})  {speed/1e6:6.1f} MB/s  {speed/plain_speed:.2f} of plain")
PY
