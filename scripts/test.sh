#!/usr/bin/env bash
# Builds axisim and runs every test (unit tests and the SBML Test Suite) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
# ctest lists skipped tests without their output; say why the suite's tests were skipped.
if grep -q "SKIPPED: the SBML Test Suite was not found" build/Testing/Temporary/LastTest.log 2>/dev/null; then
  echo "note: the SBML Test Suite tests were skipped: no copy of the suite was found. Point at one with" \
       "AXISIM_SBML_TEST_SUITE_DIR=/path/to/sbml-test-suite (the folder holding cases/ and tags.tsv)." >&2
fi
