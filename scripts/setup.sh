#!/usr/bin/env bash
# Installs what keyhound needs from Debian's packages (only what is missing) and builds it.
#   scripts/setup.sh           build dependencies, then build/keyhound
#   scripts/setup.sh --tests   also the tools the test suite runs (git, botocore, awscli, SARIF validator)
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(build-essential cmake pkg-config git libhyperscan-dev libgit2-dev libre2-dev
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev libgtest-dev libcurl4-openssl-dev
  libssl-dev zlib1g-dev libdeflate-dev libmimalloc-dev)
# clang, libFuzzer and clang-format: the sanitizer build, fuzz targets and format check of
# scripts/ci-hardening.sh.
test_packages=(git python3 python3-botocore awscli openssl clang libfuzzer-14-dev libclang-rt-14-dev clang-format)

want=("${build_packages[@]}")
[[ "${1:-}" == "--tests" ]] && want+=("${test_packages[@]}")

missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# The SARIF validator comes from the npm registry; a machine may already have Node.js and npm
# from elsewhere (whose nodejs package conflicts with Debian's npm), so look for the commands.
if [[ "${1:-}" == "--tests" ]] && ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ "${1:-}" == "--tests" ]]; then
  scripts/install-sarif-validator.sh
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
