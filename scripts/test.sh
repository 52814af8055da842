#!/usr/bin/env bash
# The test command (README; .ci/run runs exactly this): set up with the test tools, build
# everything, run the whole suite on two cores with an empty HOME under an audit of what the
# tests read (scripts/ctest-confined.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
bash scripts/ctest-confined.sh -j2
