#!/usr/bin/env bash
# Nothing is lost: a batch of 200 jobs killed (SIGKILL) part-way, then --resume. Every result is
# complete (parsed, 51 rows), none ran twice (the results complete before the kill keep their
# inode, each of those jobs has one status row in the workers' logs, and the resumed run ran
# exactly the others), and no temporary file is left.
source "$(dirname "$0")/common.sh"

cat > jobs.toml <<TOML
[defaults]
model = "$data/brusselator.xml"
select = ["x", "y"]
simulation = { end = 150, steps = 50, rtol = 1e-10 }

[[scan]]
id = "b"
grid = { b = { from = 2.5, to = 3.5, n = 200 } }
TOML

"$axisim" batch jobs.toml -o out -j 2 --no-progress 2>log1 &
pid=$!
for _ in $(seq 1 3000); do
  [ -d out/results ] && [ "$(count_results out)" -ge 15 ] && break
  sleep 0.01
done
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
before=$(count_results out)
echo "killed after $before of 200 results"
check "killed part-way (got $before results)" test "$before" -gt 0 -a "$before" -lt 200
check_results_complete out 51 || fail "a result written before the kill is incomplete"
ls -i out/results/*.csv | sort -k2 > inodes_before

"$axisim" batch jobs.toml -o out -j 2 --resume --no-progress 2>log2 || fail "resume failed: $(cat log2)"
cat log2
check "200 results after resume" test "$(count_results out)" -eq 200
check_results_complete out 51 || fail "incomplete results after resume"
check "no temporary files left" test -z "$(find out -name '*.tmp-*')"
check "results complete before the kill were not written again" \
  diff inodes_before <(for f in $(awk '{print $2}' inodes_before); do ls -i "$f"; done | sort -k2)
# Status rows per job over every worker's log, both runs: one for each job complete before the
# kill (a job killed between its status row and its result's rename may have two).
cat out/status/*.csv | cut -d, -f1 | sort | uniq -c | awk '{ print $2, $1 }' > runs_per_job
check "every job has a status row" test "$(wc -l < runs_per_job)" -eq 200
for f in $(awk '{print $2}' inodes_before); do
  id=$(basename "$f" .csv)
  check "$id, complete before the kill, ran once" grep -qx "$id 1" runs_per_job
done
check "status logs of both runs" test "$(ls out/status | wc -l)" -ge 2
check "the resumed run ran exactly the $((200 - before)) others" grep -q "ran $((200 - before)) now ($before were complete)" log2
check "the summary covers all 200 jobs, all ok" test "$(grep -c ',ok,' out/summary.csv)" -eq 200
echo "kill_resume: killed with $before of 200 complete; resume ran $((200 - before)); all 200 complete, none twice"
