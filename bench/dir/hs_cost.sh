#!/bin/sh
# Builds hs_cost.cpp against a keyhound build (BUILD, default build) and runs it: Hyperscan's
# CPU over a corpus for the built-in rules or parts of them (see hs_cost.cpp).
#   bench/dir/hs_cost.sh CORPUS [all] [one:RULE_ID] [drop:RULE_ID] [expr:REGEX] [each]
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$repo/build}
out=${OUT:-$repo/bench/work/hs_cost}
mkdir -p "$(dirname "$out")"
c++ -std=c++20 -O2 -DNDEBUG -pthread -I "$repo/src" -I "$repo/bench" -isystem /usr/include/hs -o "$out" "$repo/bench/dir/hs_cost.cpp" \
  "$build/libkeyhound_match.a" "$build/libkeyhound_rules.a" "$build/libkeyhound_util.a" \
  -lhs -lre2 -lyaml-cpp -lfmt -lcrypto
exec "$out" "$@"
