#!/usr/bin/env bash
# bench/batch_bench.sh — throughput of `axisim batch`: a 1,000-job Latin hypercube scan of the
# flagship model (sbml-models/gut_liver_igf1.xml; enzyme_kinetics.xml if it is absent), run
# with -j 1 and -j 2. Reports jobs per second, the -j 2 / -j 1 ratio, and the per-job overhead
# beyond the integration itself (from summary.csv's wall_s and integration_s), and for scale
# the cost of one `axisim simulate` process per job.
#
#   bench/batch_bench.sh                 # 1,000 jobs, full time courses
#   bench/batch_bench.sh --jobs 200      # fewer jobs (a smoke test)
#   bench/batch_bench.sh --output final  # reduced output (the last row of each job only)
#
# BUILD_DIR chooses the build folder (default: build). Writes bench/results/batch.json.
# Timings need a Release build on an otherwise idle machine; the load average is printed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
n=1000
output=full
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) n="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "batch_bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

[ -f "$build/CMakeCache.txt" ] || cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target axisim >/dev/null
axisim="$build/cli/axisim"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

flagship="$root/sbml-models/gut_liver_igf1.xml"
if [ -f "$flagship" ]; then
  model_name=gut_liver_igf1
  cat > "$work/jobs.toml" <<TOML
[defaults]
model = "$flagship"
simulation = { start = 0, end = 2160, steps = 360 }
select = ["IGF1_total", "IGF1_free_pct", "IGFBP3_total", "IGF_f", "IGF_isf", "GH", "S_liv", "Xmic", "SCFA_colon_total", "Bu_pv"]
output = "$output"

[[scan]]
id = "lhs"
samples = $n
seed = 1
[scan.lhs]
fibre_intake = { low = 5, high = 50 }
k_ferm = { low = 0.05, high = 0.25, log = true }
k_abs = { low = 0.1, high = 0.4 }
Vmax_Bu_ox = { low = 1500, high = 6000, log = true }
TOML
  single_args=(--end 2160 --steps 360 --select IGF1_total,IGF1_free_pct,IGFBP3_total,IGF_f,IGF_isf,GH,S_liv,Xmic,SCFA_colon_total,Bu_pv)
else
  model_name=enzyme_kinetics
  flagship="$root/sbml-models/examples/enzyme_kinetics.xml"
  echo "batch_bench.sh: the flagship model is not there; using enzyme_kinetics.xml" >&2
  cat > "$work/jobs.toml" <<TOML
[defaults]
model = "$flagship"
simulation = { end = 100, steps = 100 }
output = "$output"

[[scan]]
id = "lhs"
samples = $n
seed = 1
lhs = { kcat = { low = 0.1, high = 1 }, kon = { low = 1, high = 100, log = true } }
TOML
  single_args=(--end 100 --steps 100)
fi

now() { date +%s.%N; }
run() {  # run THREADS -> sets wall and cpu (user + system seconds of the batch process)
  local TIMEFORMAT='%R %U %S' real user sys
  { time "$axisim" batch "$work/jobs.toml" -o "$work/out$1" -j "$1" --no-progress --quiet; } 2> "$work/time$1"
  read -r real user sys < "$work/time$1"
  wall=$real
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
}
# Σ wall_s and Σ integration_s over the jobs of summary.csv.
sums() { awk -F, 'NR > 1 { w += $5; i += $6 } END { printf "%.6f %.6f\n", w, i }' "$1/summary.csv"; }

echo "batch bench: $n jobs of $model_name, output $output; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run 1; wall1=$wall; cpu1=$cpu; read -r jw1 int1 < <(sums "$work/out1")
run 2; wall2=$wall; cpu2=$cpu; read -r jw2 int2 < <(sums "$work/out2")
cmp -s <(cd "$work/out1/results" && cat *.csv | md5sum) <(cd "$work/out2/results" && cat *.csv | md5sum) ||
  { echo "batch_bench.sh: -j 1 and -j 2 results differ" >&2; exit 1; }

# One process per job, for scale (50 runs of the first job's settings).
sets=$(awk -F, 'NR == 2 { print $3 }' "$work/out1/summary.csv" | tr ';' ' ')
set_args=()
for s in $sets; do set_args+=(--set "$s"); done
t0=$(now)
for _ in $(seq 1 50); do "$axisim" simulate "$flagship" "${single_args[@]}" "${set_args[@]}" -o "$work/single.csv" --quiet; done
t1=$(now)
single=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 50 }')

report() {
  awk -v n="$n" -v w1="$wall1" -v w2="$wall2" -v i1="$int1" -v i2="$int2" -v jw1="$jw1" -v jw2="$jw2" -v single="$single" \
      -v c1="$cpu1" -v c2="$cpu2" -v model="$model_name" -v output="$output" -v json="$1" 'BEGIN {
    r1 = n / w1; r2 = n / w2
    integ = i1 / n * 1e3                  # ms of integration per job (-j 1)
    over1 = (w1 - i1) / n * 1e3           # everything else, per job, -j 1
    over2 = (2 * w2 - i2) / n * 1e3       # worker time not integrating, per job, -j 2
    injob = (jw1 - i1) / n * 1e3          # inside a job: copy, overrides, CSV formatting
    if (json) {
      printf "{\n  \"model\": \"%s\", \"jobs\": %d, \"output\": \"%s\",\n", model, n, output
      printf "  \"j1\": {\"wall_s\": %.3f, \"jobs_per_s\": %.1f, \"integration_s\": %.3f, \"cpu_s\": %.3f},\n", w1, r1, i1, c1
      printf "  \"j2\": {\"wall_s\": %.3f, \"jobs_per_s\": %.1f, \"integration_s\": %.3f, \"cpu_s\": %.3f},\n", w2, r2, i2, c2
      printf "  \"speedup_j2\": %.3f,\n  \"integration_ms_per_job\": %.3f,\n", r2 / r1, integ
      printf "  \"overhead_ms_per_job_j1\": %.3f, \"overhead_ms_per_job_j2\": %.3f, \"in_job_overhead_ms\": %.3f,\n", over1, over2, injob
      printf "  \"simulate_process_ms\": %.3f\n}\n", single * 1e3
    } else {
      printf "  -j 1: %7.2f s  %7.1f jobs/s   (integration %.2f s; CPU %.2f s = %.0f%% of a core)\n", w1, r1, i1, c1, 100 * c1 / w1
      printf "  -j 2: %7.2f s  %7.1f jobs/s   (integration %.2f s; CPU %.2f s = %.0f%% of a core)\n", w2, r2, i2, c2, 100 * c2 / w2
      printf "  speed-up -j 2 / -j 1: %.2f (CPU per job: %.2f ms at -j 1, %.2f ms at -j 2)\n", r2 / r1, c1 / n * 1e3, c2 / n * 1e3
      if (c2 / w2 < 1.8) printf "  note: -j 2 got %.2f cores, not 2: the machine is busy, so the speed-up is not the batch runner'"'"'s\n", c2 / w2
      printf "  integration per job: %.2f ms\n", integ
      printf "  overhead per job beyond integration: %.2f ms (-j 1), %.2f ms of worker time (-j 2); of it inside the job before its files are written (model copy, overrides, CSV formatting): %.2f ms\n", over1, over2, injob
      printf "  one axisim simulate process per job instead: %.1f ms per job\n", single * 1e3
    }
  }'
}
report ""
mkdir -p "$root/bench/results"
report 1 > "$root/bench/results/batch.json"
echo "wrote bench/results/batch.json"
