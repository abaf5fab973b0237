#!/usr/bin/env bash
# Failures stay local: a job with an unknown id, one whose solver gives up and one whose model
# file is missing are recorded as failed with their reason; the others complete; the batch exits 7
# at the end. (A plugin that cannot be found stops the batch before any job: plugin_faults.sh.)
source "$(dirname "$0")/common.sh"

cat > jobs.toml <<TOML
[defaults]
model = "$data/brusselator.xml"
simulation = { end = 10, steps = 10 }

[[job]]
id = "plain"

[[job]]
id = "unknown_id"
set = { not_in_the_model = 1 }

[[job]]
id = "solver_gives_up"
simulation = { end = 10000, max_steps = 5 }

[[job]]
id = "no_model"
model = "$data/missing.xml"

[[scan]]
id = "good"
grid = { b = [2, 3, 4] }
TOML

set +e
"$axisim" batch jobs.toml -o out -j 2 --no-progress 2>log
rc=$?
set -e
cat log
check "exit code 7 when a job failed (got $rc)" test "$rc" -eq 7
check "4 complete results" test "$(count_results out)" -eq 4
check_results_complete out 11 || fail "incomplete results"
status_of() { awk -F, -v id="$1" '$1 == id { print $2 }' out/summary.csv; }
for id in plain good_0 good_1 good_2; do check "$id ok" test "$(status_of $id)" = ok; done
for id in unknown_id solver_gives_up no_model; do
  check "$id failed" test "$(status_of $id)" = failed
  check "$id has no result" test ! -e "out/results/$id.csv"
done
check "reason: unknown id" grep -q '^unknown_id,failed,.*not_in_the_model' out/summary.csv
check "reason: solver" grep -q '^solver_gives_up,failed,.*solver failure at t = .*CV_TOO_MUCH_WORK' out/summary.csv
check "reason: model file" grep -q '^no_model,failed,.*missing.xml' out/summary.csv
check "the log names the failures" grep -q 'job unknown_id failed' log
check "7 jobs in the summary, one line each" test "$(wc -l < out/summary.csv)" -eq 8
echo "failing_job: 3 failures recorded with their reasons, 4 results complete, exit 7"
