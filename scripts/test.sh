#!/usr/bin/env bash
# Builds axisim and runs every test (unit tests and the SBML Test Suite) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
