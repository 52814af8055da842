#!/bin/sh
# Builds hits.cpp against a keyhound build (BUILD, default build-bench) and runs it on a corpus:
# Hyperscan time, and RE2 confirm time per rule. Usage: bench/dir/hits.sh [CORPUS_DIR]
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$repo/build-bench}
corpus=${1:-$repo/bench/work/corpus}
out=${OUT:-$repo/bench/work/hits}
c++ -std=c++20 -O2 -g -DNDEBUG -pthread -I "$repo/src" -isystem /usr/include/hs -o "$out" "$repo/bench/dir/hits.cpp" \
  "$build/libkeyhound_match.a" "$build/libkeyhound_rules.a" "$build/libkeyhound_util.a" \
  -lhs -lre2 -lyaml-cpp -lfmt -lcrypto
"$out" "$corpus"
