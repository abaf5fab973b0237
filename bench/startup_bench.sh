#!/usr/bin/env bash
# bench/startup_bench.sh — what one `axisim` process costs before and around a small model:
# CPU time (user + system) per process, the fastest of ROUNDS rounds of RUNS processes, for
#   /bin/true                       the floor: starting any process
#   axisim --help                   axisim's own start-up (dynamic loading and constructors)
#   axisim simulate <small model>   a small model loaded, simulated and written, as every SBML
#                                   Test Suite case and every `batch --isolate` job runs
# and the ratios between them, measured in the same run. Also the number of shared libraries the
# executable loads. docs/performance.md, "Start-up".
#
#   bench/startup_bench.sh                    # build/cli/axisim
#   AXISIM=/path/to/axisim RUNS=50 ROUNDS=5 bench/startup_bench.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
axisim="${AXISIM:-$root/build/cli/axisim}"
runs="${RUNS:-40}"
rounds="${ROUNDS:-3}"
model="$root/tests/batch/data/brusselator.xml"
[[ -x $axisim ]] || { echo "startup_bench: $axisim not found: build first (cmake --build build)" >&2; exit 2; }
[[ -f $model ]] || { echo "startup_bench: $model not found" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# CPU milliseconds per process of "$@", the fastest of the rounds (bash's `time`: user + system
# of the loop's subshell and its children).
per_process_ms() {
  local best="" r
  for ((r = 0; r < rounds; r++)); do
    local cpu ms
    cpu=$( { TIMEFORMAT='%U %S'; time (for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done); } 2>&1 )
    ms=$(awk -v c="$cpu" -v n="$runs" 'BEGIN{split(c, t, " "); printf "%.2f", 1000 * (t[1] + t[2]) / n}')
    if [[ -z $best ]] || awk -v a="$ms" -v b="$best" 'BEGIN{exit !(a < b)}'; then best=$ms; fi
  done
  echo "$best"
}

true_ms=$(per_process_ms /bin/true)
version_ms=$(per_process_ms "$axisim" --help)
simulate_ms=$(per_process_ms "$axisim" simulate "$model" --end 10 --steps 100 -o "$out/o.csv" --quiet)
libs=$(ldd "$axisim" | grep -c '=>' || true)
echo "startup_bench: $axisim ($libs shared libraries), $rounds rounds of $runs processes, CPU ms per process"
printf '  %-28s %8s ms\n' "/bin/true" "$true_ms" "axisim --help" "$version_ms" "axisim simulate (small)" "$simulate_ms"
awk -v t="$true_ms" -v v="$version_ms" -v s="$simulate_ms" 'BEGIN{
  printf "  start-up share of a small simulate: %.0f %%   simulate / true: %.1f   --help / true: %.1f\n", 100 * v / s, s / t, v / t }'
