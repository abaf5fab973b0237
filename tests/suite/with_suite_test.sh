#!/usr/bin/env bash
# Checks with_suite.sh: it finds the suite from the environment first and from the configured
# folder second, substitutes @SUITE@, skips (77) with advice when there is no suite, and fails
# when AXISIM_REQUIRE_SBML_TEST_SUITE=1 asks for the suite.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$tmp/env-suite/cases" "$tmp/configured-suite/cases"
touch "$tmp/env-suite/tags.tsv" "$tmp/configured-suite/tags.tsv"

# No suite anywhere: skipped, saying how to point at one.
set +e
out=$(env -u AXISIM_SBML_TEST_SUITE_DIR -u AXISIM_REQUIRE_SBML_TEST_SUITE \
      bash "$here/with_suite.sh" "$tmp/missing" echo @SUITE@ 2>&1)
code=$?
set -e
[[ $code == 77 ]] || fail "a missing suite exits $code, not 77"
[[ $out == *AXISIM_SBML_TEST_SUITE_DIR=* ]] || fail "the skip message does not say how to point at a copy: $out"
[[ $out == *"$tmp/missing"* ]] || fail "the skip message does not say where it looked: $out"

# A folder without tags.tsv is not the suite.
mkdir -p "$tmp/half/cases"
set +e
env -u AXISIM_SBML_TEST_SUITE_DIR -u AXISIM_REQUIRE_SBML_TEST_SUITE bash "$here/with_suite.sh" "$tmp/half" true >/dev/null 2>&1
code=$?
set -e
[[ $code == 77 ]] || fail "a folder without tags.tsv exits $code, not 77"

# Required (CI): a missing suite fails.
set +e
AXISIM_REQUIRE_SBML_TEST_SUITE=1 env -u AXISIM_SBML_TEST_SUITE_DIR \
  bash "$here/with_suite.sh" "$tmp/missing" true >/dev/null 2>&1
code=$?
set -e
[[ $code == 1 ]] || fail "a required missing suite exits $code, not 1"

# The configured folder, then the environment's, which wins; @SUITE@ is replaced inside arguments.
out=$(env -u AXISIM_SBML_TEST_SUITE_DIR bash "$here/with_suite.sh" "$tmp/configured-suite" echo --suite=@SUITE@)
[[ $out == "--suite=$tmp/configured-suite" ]] || fail "configured folder: got '$out'"
out=$(AXISIM_SBML_TEST_SUITE_DIR="$tmp/env-suite" bash "$here/with_suite.sh" "$tmp/configured-suite" echo @SUITE@)
[[ $out == "$tmp/env-suite" ]] || fail "environment first: got '$out'"
# An environment variable naming nothing falls back to the configured folder.
out=$(AXISIM_SBML_TEST_SUITE_DIR="$tmp/missing" bash "$here/with_suite.sh" "$tmp/configured-suite" echo @SUITE@)
[[ $out == "$tmp/configured-suite" ]] || fail "fallback: got '$out'"

# The command's own exit status passes through.
set +e
env -u AXISIM_SBML_TEST_SUITE_DIR bash "$here/with_suite.sh" "$tmp/configured-suite" bash -c 'exit 3'
code=$?
set -e
[[ $code == 3 ]] || fail "the command's status 3 came back as $code"
echo "with_suite.sh: all checks passed"
