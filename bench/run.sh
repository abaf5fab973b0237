#!/usr/bin/env bash
# bench/run.sh — the benchmarks in one command: configure the build if needed, build them, run
# axisim_bench, coupling_bench and scale_bench, and keep their JSON reports in bench/results/.
#
#   bench/run.sh                      # the full run; the figures in docs/performance.md
#   bench/run.sh --quick              # a smoke test: one or a few repetitions, not worth quoting
#   bench/run.sh --suite DIR          # the SBML Test Suite somewhere else (default: ../shared/sbml-test-suite)
#   bench/run.sh --json FILE          # axisim_bench's JSON report elsewhere
#   bench/run.sh --help               # every option of axisim_bench
#
# Options go to axisim_bench, except --quick, which all three get. scale_bench's own options
# (build/bench/scale_bench --help) go in SCALE_BENCH_ARGS, e.g.
#   SCALE_BENCH_ARGS="--max-reactions 2000" bench/run.sh
# and SCALE_BENCH=0 skips it. The full scale benchmark takes 10 to 30 minutes on a 2-CPU machine
# (axisim "before" and the hand-written dense run at 5,000 reactions take minutes each).
#
# BUILD_DIR chooses the build folder (default: build, the project's usual one). Timings are only
# meaningful from a Release build on an otherwise idle machine; the reports print the load average.
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
cmake --build "$build" --target axisim_bench coupling_bench scale_bench

quick=()
for arg in "$@"; do
  [[ "$arg" == "--quick" ]] && quick=(--quick)
done

mkdir -p "$root/bench/results"
"$build/bench/axisim_bench" --json "$root/bench/results/latest.json" "$@"
echo
"$build/bench/coupling_bench" ${quick[@]+"${quick[@]}"}
if [[ "${SCALE_BENCH:-1}" != "0" ]]; then
  echo
  # shellcheck disable=SC2086  # SCALE_BENCH_ARGS is split into options on purpose
  "$build/bench/scale_bench" --json "$root/bench/results/scale.json" ${quick[@]+"${quick[@]}"} ${SCALE_BENCH_ARGS:-}
fi
