#!/usr/bin/env bash
# Steady-state and sensitivities jobs (kind = "steady", "sensitivities"): each result is byte for
# byte what `axisim steady` and `axisim sensitivities` write for the same model and settings, with
# -j 1 and -j 2 alike (a steady job's `steady` solver options as steady's --rtol, --atol,
# --max-iterations and --max-time, recorded in the manifest); the steady states of a scan are the analytic ones (S1 = v0/k1,
# S2 = v0/k2); a sensitivities job without 'wrt' is a usage error naming the job file.
source "$(dirname "$0")/common.sh"

cat > jobs.toml <<TOML
[defaults]
model = "$data/linear_chain.xml"

[[job]]
id = "ss"
kind = "steady"
set = { k1 = 2 }

[[job]]
id = "ss_opts"
kind = "steady"
set = { k1 = 2 }
steady = { rtol = 1e-6, atol = 1e-8, max_iterations = 3, max_time = 1e3 }

[[job]]
id = "sens"
kind = "sensitivities"
wrt = ["k1", "S1", "v0"]
select = ["S1", "S2", "r1"]
simulation = { end = 5, steps = 10 }

[[job]]
id = "sens_scaled"
kind = "sensitivities"
wrt = ["k2"]
scaled = true
set = { v0 = 3 }
simulation = { end = 8, steps = 4, rtol = 1e-10, atol = 1e-14 }

[[scan]]
id = "k1"
kind = "steady"
grid = { k1 = [0.5, 1, 4] }

[[job]]
id = "ode"
simulation = { end = 5, steps = 10 }
TOML

"$axisim" batch jobs.toml -o j1 -j 1 --no-progress 2>log1 || fail "batch -j 1 failed: $(cat log1)"
"$axisim" batch jobs.toml -o j2 -j 2 --no-progress 2>log2 || fail "batch -j 2 failed: $(cat log2)"
check "8 results" test "$(count_results j2)" -eq 8
check "-j 1 and -j 2 give identical results" diff -r j1/results j2/results

"$axisim" steady "$data/linear_chain.xml" --set k1=2 -o ss.csv 2>/dev/null
check "steady job = axisim steady" cmp ss.csv j2/results/ss.csv
"$axisim" steady "$data/linear_chain.xml" --set k1=2 --rtol 1e-6 --atol 1e-8 --max-iterations 3 --max-time 1e3 -o ss_opts.csv 2>/dev/null
check "steady job with solver options = axisim steady with the same options" cmp ss_opts.csv j2/results/ss_opts.csv
check "the manifest records the solver options" grep -q '^ss_opts,.*,steady(rtol=1e-06;atol=1e-08;max_iterations=3;max_time=1000),' j2/manifest.csv
"$axisim" sensitivities "$data/linear_chain.xml" --wrt k1,S1,v0 --select S1,S2,r1 --end 5 --steps 10 -o sens.csv 2>/dev/null
check "sensitivities job = axisim sensitivities" cmp sens.csv j2/results/sens.csv
"$axisim" sensitivities "$data/linear_chain.xml" --wrt k2 --scaled --set v0=3 --end 8 --steps 4 --rtol 1e-10 --atol 1e-14 \
  -o scaled.csv 2>/dev/null
check "scaled sensitivities job = axisim sensitivities --scaled" cmp scaled.csv j2/results/sens_scaled.csv
check "the manifest records the kinds" grep -q '^sens,.*sensitivities(wrt=k1;S1;v0)' j2/manifest.csv
check "steady in the manifest" grep -q '^ss,.*,steady,' j2/manifest.csv

# The scan's steady states: S1 = v0/k1 = 2, 1, 0.25 and S2 = v0/k2 = 4.
for pair in "0:2" "1:1" "2:0.25"; do
  i=${pair%%:*}; s1=${pair##*:}
  check "k1_$i steady state" awk -F, -v s1="$s1" 'NR == 1 { if ($1 != "S1" || $2 != "S2") exit 1 }
    NR == 2 { d1 = $1 - s1; d2 = $2 - 4; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2; exit !(d1 < 1e-9 && d2 < 1e-9 && $3 == "newton") }' \
    "j2/results/k1_$i.csv"
done
# d S1 / d v0 at t = 5 from S1(t) = v0/k1 + (S1(0) - v0/k1) e^{-k1 t}: (1 - e^{-k1 t}) / k1.
check "sensitivities job: dS1/dv0 analytic" awk -F, 'BEGIN { x = (1 - exp(-2.5)) / 0.5 }
  $1 == 5 && $2 == "S1" && $3 == "v0" { d = $4 - x; if (d < 0) d = -d; found = 1; if (d > 1e-6) exit 1 } END { exit !found }' \
  j2/results/sens.csv

cat > bad.toml <<TOML
[[job]]
id = "nowrt"
model = "$data/linear_chain.xml"
kind = "sensitivities"
TOML
set +e
"$axisim" batch bad.toml -o bad --no-progress 2>log_bad
code=$?
set -e
check "a sensitivities job without wrt is a usage error" test "$code" -eq 2
check "the error names the file and 'wrt'" grep -q "bad.toml:.*wrt" log_bad

echo "steady and sensitivities jobs: all checks passed"
