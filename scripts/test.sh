#!/usr/bin/env bash
# Builds axisim and runs every test (unit tests and the SBML Test Suite) with ctest, then the
# sanitizer and fuzzing slice (scripts/sanitize-test.sh: a clang build with ASan + UBSan, the unit
# tests and every 20th suite case under it, a bounded run of each fuzz target), which is skipped,
# saying why, on a machine without clang-14 (and fails then when CI is set).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
# ctest lists skipped tests without their output; say why the suite's tests were skipped.
if grep -q "SKIPPED: the SBML Test Suite was not found" build/Testing/Temporary/LastTest.log 2>/dev/null; then
  echo "note: the SBML Test Suite tests were skipped: no copy of the suite was found. Point at one with" \
       "AXISIM_SBML_TEST_SUITE_DIR=/path/to/sbml-test-suite (the folder holding cases/ and tags.tsv)." >&2
fi
if grep -q "SKIPPED: the SED-ML corpus was not found" build/Testing/Temporary/LastTest.log 2>/dev/null; then
  echo "note: the SED-ML corpus test (sedml_corpus) was skipped: no copy of the corpus was found. Point at" \
       "one with AXISIM_SEDML_CORPUS_DIR=/path/to/sedml-corpus (the folder holding INDEX.tsv)." >&2
fi
if grep -q "SKIPPED: the Python module was not built\|SKIPPED: .* cannot import" build/Testing/Temporary/LastTest.log 2>/dev/null; then
  echo "note: the Python module's tests (python_module, python_notebook) were skipped: see their SKIPPED line in" \
       "build/Testing/Temporary/LastTest.log (scripts/install-deps.sh installs what they need; docs/python.md)." >&2
fi
if [[ ${AXISIM_SKIP_SANITIZE:-0} == 1 && -z ${CI:-} ]]; then
  echo "note: the sanitizer and fuzzing slice was skipped (AXISIM_SKIP_SANITIZE=1)." >&2
else
  bash scripts/sanitize-test.sh
fi
