#!/usr/bin/env bash
# The test command (README; .ci/run runs exactly this): set up with the test tools, build
# everything, run the whole suite on two cores with an empty HOME under an audit of what the
# tests read (scripts/ctest-confined.sh), then the hardening run (scripts/ci-hardening.sh: a
# clang ASan+UBSan build, its unit tests and a smoke run of every fuzz target). Both always run;
# the command fails when either does.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
status=0
bash scripts/ctest-confined.sh -j2 || status=1
bash scripts/ci-hardening.sh || status=1
exit "$status"
