#!/usr/bin/env bash
# Load: a 100,000-job scan on 2 workers, memory sampled every second (VmRSS of the process from
# /proc) with the jobs done so far. Not a ctest test (it takes minutes); the figures are in
# docs/reliability.md#load-100000-jobs. Run it under nice on a shared machine:
#   nice -n 19 bash tests/batch/load_100k.sh build/cli/axisim tests/batch/data /tmp/load [JOBS]
# Writes WORK/rss.csv (seconds,rss_kib,results) and prints peak RSS, RSS at 10/50/90 % of the
# jobs, jobs/s, and the summary's counts.
source "$(dirname "$0")/common.sh"
jobs="${4:-100000}"
export AXISIM_CACHE_DIR="$work/cache"

cat > jobs.toml <<TOML
[defaults]
model = "$data/brusselator.xml"
select = ["x", "y"]
simulation = { end = 2, steps = 4 }
output = "final"

[[scan]]
id = "load"
samples = $jobs
seed = 7
lhs = { a = { low = 0.5, high = 1.5 }, b = { low = 1, high = 4 } }
TOML

start=$(date +%s.%N)
"$axisim" batch jobs.toml -o out -j 2 --no-progress 2>log &
pid=$!
echo "seconds,rss_kib,results" > rss.csv
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
  # Results so far: the status logs' rows (cheaper than listing 100,000 files).
  done_rows=$( (cat out/status/*.csv 2>/dev/null || true) | wc -l)
  [ -n "$rss" ] && echo "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'),$rss,$done_rows" >> rss.csv
  sleep 1
done
wait "$pid" || fail "the batch failed: $(tail -5 log)"
end=$(date +%s.%N)
cat log
awk -F, -v n="$jobs" -v t0="$start" -v t1="$end" '
  NR == 1 { next }
  { rss[NR] = $2; done[NR] = $3; if ($2 > peak) { peak = $2; at = $1 } last = NR }
  END {
    for (p = 1; p <= 3; p++) { q = (p == 1 ? 0.1 : p == 2 ? 0.5 : 0.9); for (i = 2; i <= last; i++) if (done[i] >= q * n) { printf "RSS at %d%% of the jobs: %.1f MiB\n", q * 100, rss[i] / 1024; break } }
    printf "peak RSS %.1f MiB at %s s; %d samples\n", peak / 1024, at, last - 1
    printf "%d jobs in %.1f s: %.0f jobs/s\n", n, t1 - t0, n / (t1 - t0) }' rss.csv
check "all $jobs results" test "$(find out/results -name '*.csv' | wc -l)" -eq "$jobs"
check "all ok" test "$(grep -c ',ok,' out/summary.csv)" -eq "$jobs"
