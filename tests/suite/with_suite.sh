#!/usr/bin/env bash
# with_suite.sh CONFIGURED_DIR COMMAND [ARG...]
#
# Runs COMMAND with "@SUITE@" in its arguments replaced by the SBML Test Suite's folder of
# semantic cases (the one holding cases/NNNNN/ and tags.tsv), for the ctest tests that need the suite
# (tests/suite, tests/interchange). The folder is the first of these that holds cases/:
#   1. $AXISIM_SBML_TEST_SUITE_DIR, as set when the tests run;
#   2. CONFIGURED_DIR: CMake's AXISIM_SBML_TEST_SUITE_DIR, by default ../shared/sbml-test-suite
#      beside the repository (where CI has its copy).
# Without one the test is skipped, not failed: exit 77, the tests' SKIP_RETURN_CODE, with a
# message saying how to point at a copy. With AXISIM_REQUIRE_SBML_TEST_SUITE=1 (CI sets it) a
# missing suite fails the test instead, so that a moved copy cannot turn CI green silently.
set -euo pipefail

configured=${1:?usage: with_suite.sh CONFIGURED_DIR COMMAND [ARG...]}
shift

suite=""
looked=()
for candidate in "${AXISIM_SBML_TEST_SUITE_DIR:-}" "$configured"; do
  [[ -n $candidate ]] || continue
  looked+=("$candidate")
  if [[ -d $candidate/cases && -f $candidate/tags.tsv ]]; then
    suite=$candidate
    break
  fi
done

if [[ -z $suite ]]; then
  {
    echo "The SBML Test Suite is not here: no cases/ and tags.tsv in ${looked[*]:-(nothing given)}."
    echo "To run this test, point at a copy of the suite's semantic cases laid out as CI's copy in"
    echo "../shared/sbml-test-suite (cases/NNNNN/ folders and tags.tsv; its README.md names the upstream"
    echo "commit of github.com/sbmlteam/sbml-test-suite it was taken from):"
    echo "  AXISIM_SBML_TEST_SUITE_DIR=/path/to/semantic ctest --test-dir build"
    echo "or configure with cmake -DAXISIM_SBML_TEST_SUITE_DIR=/path/to/semantic."
  } >&2
  if [[ ${AXISIM_REQUIRE_SBML_TEST_SUITE:-0} == 1 ]]; then
    echo "FAILED: AXISIM_REQUIRE_SBML_TEST_SUITE=1 and the suite is missing." >&2
    exit 1
  fi
  echo "SKIPPED: the SBML Test Suite was not found." >&2
  exit 77
fi

args=()
for a in "$@"; do args+=("${a//@SUITE@/$suite}"); done
exec "${args[@]}"
