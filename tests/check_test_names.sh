#!/usr/bin/env bash
# tests/check_test_names.sh — fails if a Catch2 TEST_CASE name holds a semicolon.
# catch_discover_tests passes the names through a CMake list, which splits on ';': such a test
# becomes two ctest names that match nothing, and never runs (two did, until 2026-11-30).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if hits="$(grep -rn --include='*.cpp' 'TEST_CASE("[^"]*;' "$root/tests")"; then
  echo "TEST_CASE names with a semicolon (ctest would never run them; use a comma):" >&2
  echo "$hits" >&2
  exit 1
fi
echo "no TEST_CASE name holds a semicolon"
