#!/bin/sh
# Generates the directory-scan benchmark corpus: OUT_DIR/ (text copied from this machine, mutated
# copies until SIZE_MB is reached) and OUT_DIR/../planted.tsv (the synthetic secrets planted in it).
# Usage: bench/dir/make-corpus.sh OUT_DIR [SIZE_MB=512] [PLANTED_GROUPS=400]
set -eu
if [ $# -lt 1 ]; then
  echo "usage: $0 OUT_DIR [SIZE_MB=512] [PLANTED_GROUPS=400]" >&2
  exit 2
fi
out=$1
size=${2:-512}
planted=${3:-400}
here=$(cd "$(dirname "$0")" && pwd)
command -v openssl >/dev/null || { echo "$0: needs openssl (apt-get install -y openssl)" >&2; exit 2; }
if [ -e "$out" ]; then
  echo "$0: $out exists; remove it first (rm -rf $out)" >&2
  exit 2
fi
mkdir -p "$out"
# Debian's python3 (the first one on PATH may be another install); only the standard library is used.
/usr/bin/python3 "$here/corpus.py" "$out" "$size" --planted "$planted"
du -sh --apparent-size "$out"
