#!/usr/bin/env bash
# A job that runs too long: `max_seconds` (job file) and `--max-seconds` (CLI) stop it
# cooperatively (the integrator checks the clock), it is recorded as timed_out with the time it
# reached, the other jobs complete with the values of an unlimited run, and the batch exits 7.
# --resume leaves the timed-out job alone; --resume --retry-timed-out runs it again.
source "$(dirname "$0")/common.sh"

# "endless": the Brusselator to t = 10^9 at tight tolerances, about 10^8 CVODE steps (minutes).
cat > jobs.toml <<TOML
[defaults]
model = "$data/brusselator.xml"
select = ["x", "y"]
simulation = { end = 10, steps = 10 }

[[job]]
id = "quick_a"

[[job]]
id = "endless"
simulation = { end = 1e9, steps = 1, rtol = 1e-12, atol = 1e-14, max_steps = 1000000000 }
max_seconds = 0.5

[[job]]
id = "quick_b"
set = { b = 2.5 }
TOML

# Floating-point tests without bc: holds "0.7 >= 0.5 && 0.7 < 3".
holds() { awk "BEGIN { exit !($1) }"; }
start=$(date +%s.%N)
set +e
"$axisim" batch jobs.toml -o out -j 2 --no-progress 2>log1
code=$?
set -e
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
cat log1
check "exit 7 (a job timed out), not $code" test "$code" -eq 7
check "the batch took under 10 s, not $elapsed" holds "$elapsed < 10"
check "quick jobs complete" test -f out/results/quick_a.csv -a -f out/results/quick_b.csv
check "no result for the timed-out job" test ! -e out/results/endless.csv
row=$(grep '^endless,' out/summary.csv)
echo "$row"
check "endless is timed_out in the summary" grep -q '^endless,timed_out,' out/summary.csv
check "the error says when it stopped" grep -q '^endless,.*timed out: stopped at t = .* (max_seconds = 0.5' out/summary.csv
wall=$(echo "$row" | cut -d, -f5)
check "stopped near 0.5 s (wall_s $wall)" holds "$wall >= 0.5 && $wall < 3"
check "the log names it" grep -q 'job endless timed out: stopped at t = ' log1
check "the log counts it" grep -q '2 ok, 0 failed, 1 timed out, 0 not run, of 3 jobs' log1
# The quick jobs' values equal single runs of axisim simulate.
"$axisim" simulate "$data/brusselator.xml" --end 10 --steps 10 --select x,y -o a.csv
"$axisim" simulate "$data/brusselator.xml" --end 10 --steps 10 --select x,y --set b=2.5 -o b.csv
check "quick_a equals simulate" cmp a.csv out/results/quick_a.csv
check "quick_b equals simulate" cmp b.csv out/results/quick_b.csv

# --resume does not run the timed-out job again (nothing to run: exit 7 for the timed-out job).
set +e
"$axisim" batch jobs.toml -o out -j 2 --resume --no-progress 2>log2
code=$?
set -e
cat log2
check "resume exits 7, not $code" test "$code" -eq 7
check "resume ran nothing" grep -q 'ran 0 now (2 were complete)' log2
check "resume says why" grep -q '1 jobs timed out in an earlier run and are not run again' log2
check "one status row for endless" test "$(cat out/status/*.csv | grep -c '^endless,')" -eq 1

# --retry-timed-out runs it again, here with the CLI's limit (the job file's 0.5 s wins).
set +e
"$axisim" batch jobs.toml -o out -j 2 --resume --retry-timed-out --no-progress 2>log3
code=$?
set -e
check "retry exits 7, not $code" test "$code" -eq 7
check "retry ran the one job" grep -q 'ran 1 now (2 were complete)' log3
check "two status rows for endless" test "$(cat out/status/*.csv | grep -c '^endless,timed_out,')" -eq 2

# --max-seconds on the command line: the limit of jobs whose file gives none.
sed -i '/^max_seconds/d' jobs.toml
set +e
"$axisim" batch jobs.toml -o out2 -j 1 --max-seconds 0.3 --no-progress 2>log4
code=$?
set -e
check "CLI limit: exit 7, not $code" test "$code" -eq 7
check "CLI limit: endless timed out" grep -q '^endless,timed_out,.*(max_seconds = 0.3' out2/summary.csv
check "CLI limit: quick jobs ok" test "$(grep -c ',ok,' out2/summary.csv)" -eq 2

# max_seconds belongs to time courses.
cat > bad.toml <<TOML
[[job]]
id = "s"
model = "$data/brusselator.xml"
kind = "steady"
max_seconds = 1
TOML
set +e
"$axisim" batch bad.toml -o out3 2>log5
code=$?
set -e
check "max_seconds on a steady job: exit 2, not $code" test "$code" -eq 2
check "the message names the file and line" grep -q "bad.toml:5: 'max_seconds' is for time courses" log5
echo "timeout: endless stopped at $wall s of 0.5; resume left it; retry ran it; CLI limit works"
