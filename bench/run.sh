#!/usr/bin/env bash
# bench/run.sh — the benchmark in one command: configure the build if needed, build
# axisim_bench, run it, and keep its JSON report in bench/results/latest.json.
#
#   bench/run.sh                      # the full run (about 30 s); the figures in docs/performance.md
#   bench/run.sh --quick              # a smoke test: one or a few repetitions, not worth quoting
#   bench/run.sh --suite DIR          # the SBML Test Suite somewhere else (default: ../shared/sbml-test-suite)
#   bench/run.sh --json FILE          # the JSON report elsewhere
#   bench/run.sh --help               # every option of axisim_bench
#
# BUILD_DIR chooses the build folder (default: build, the project's usual one). Timings are only
# meaningful from a Release build on an otherwise idle machine; the report prints the load average.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"

cache="$build/CMakeCache.txt"
if [[ ! -f "$cache" ]] || grep -q '^AXISIM_BUILD_BENCH:BOOL=OFF' "$cache"; then
  cmake -S "$root" -B "$build" -G Ninja -DAXISIM_BUILD_BENCH=ON >/dev/null
fi
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")"
if [[ "$build_type" != "Release" ]]; then
  echo "run.sh: warning: $build is a '${build_type:-no type}' build; timings need Release" >&2
fi
cmake --build "$build" --target axisim_bench coupling_bench

mkdir -p "$root/bench/results"
"$build/bench/axisim_bench" --json "$root/bench/results/latest.json" "$@"
echo
"$build/bench/coupling_bench"
