#!/usr/bin/env bash
# Installs what keyhound needs from Debian's packages (only what is missing) and builds it.
#   scripts/setup.sh           build dependencies, then build/keyhound only (Release)
#   scripts/setup.sh --tests   also the test suite and the tools it runs (git, botocore, awscli,
#                              pre-commit, strace, dpkg-dev, the SARIF validator, the AWS SDKs
#                              the remediation snippets run with)
# KEYHOUND_BUILD_TYPE picks another CMake build type (e.g. RelWithDebInfo for a debugger).
set -euo pipefail
cd "$(dirname "$0")/.."

tests=OFF
[[ "${1:-}" == "--tests" ]] && tests=ON

build_packages=(build-essential cmake pkg-config libhyperscan-dev libgit2-dev libre2-dev
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev libcurl4-openssl-dev
  libssl-dev zlib1g-dev libdeflate-dev libmimalloc-dev libtomlplusplus-dev file)
# (file: CPack's .deb finds the binaries to run dpkg-shlibdeps on, from build-essential's
# dpkg-dev.) strace: the test run's audit of what tests read (scripts/ctest-confined.sh);
# pre-commit: the hook test; zsh, fish: the completion tests; clang, libFuzzer and clang-format:
# the sanitizer build, fuzz targets and format check of scripts/ci-hardening.sh; neovim: the
# language server's real-editor test (tests/lsp/neovim_test.cpp); python3-boto3, golang-go,
# ruby, default-jdk-headless, jq, golang-github-aws-aws-sdk-go-v2-dev (the Go SDK, run in GOPATH
# mode from /usr/share/gocode): the remediation snippets run in their own language
# (tests/vault/snippet_test.cpp, sdk_snippet_test.cpp).
test_packages=(libgtest-dev git python3 python3-botocore python3-yaml awscli openssl strace
  pre-commit zsh fish groff-base clang libfuzzer-14-dev libclang-rt-14-dev clang-format neovim
  python3-boto3 golang-go ruby default-jdk-headless jq golang-github-aws-aws-sdk-go-v2-dev)

want=("${build_packages[@]}")
[[ $tests == ON ]] && want+=("${test_packages[@]}")

missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# The SARIF validator and the AWS SDK for JavaScript come from the npm registry; a machine may already have Node.js and npm
# from elsewhere (whose nodejs package conflicts with Debian's npm), so look for the commands.
if [[ $tests == ON ]] && ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ $tests == ON ]]; then
  scripts/install-sarif-validator.sh
  scripts/install-aws-sdk-js.sh
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# KEYHOUND_UNITY: a build from nothing compiles each folder in batches (cmake/unity.cmake).
cmake -S . -B build -DCMAKE_BUILD_TYPE="${KEYHOUND_BUILD_TYPE:-Release}" -DBUILD_TESTING=$tests \
  -DKEYHOUND_UNITY=ON "${launcher[@]}" >/dev/null
if [[ $tests == ON ]]; then
  cmake --build build -j"$(nproc)"
else
  cmake --build build -j"$(nproc)" --target keyhound
fi
