#!/usr/bin/env bash
# Nothing is lost, nothing runs twice: a batch of 400 jobs killed with SIGKILL at 20 random
# moments (start-up, running, writing results, writing the summary), resumed after each kill and
# once more at the end. Every result then equals an uninterrupted run's, value by value (the
# files byte for byte), and no job that had completed ran again: the results present after each
# kill keep their inode to the end, and the jobs ran (status rows) no more often than once plus
# the kills that caught them running. Seed: KILL_SEED (default: random; printed).
source "$(dirname "$0")/common.sh"
seed="${KILL_SEED:-$RANDOM}"
RANDOM=$seed
echo "kill_resume_random: seed $seed"
export AXISIM_CACHE_DIR="$work/cache"   # native code of this batch, compiled once
# Every result in OUTDIR parses whole: ROWS rows of the header's number of numbers (one awk).
all_complete() {
  local outdir="$1" rows="$2"
  [ -z "$(ls "$outdir/results")" ] && return 0
  awk -F, -v rows="$rows" '
    FNR == 1 { if (NR > 1 && n_rows != rows) { print prev ": " n_rows " rows"; bad = 1 } n = NF; n_rows = 0; prev = FILENAME; next }
    { n_rows++; if (NF != n) { print FILENAME ": row " FNR " has " NF " fields"; bad = 1 }
      for (i = 1; i <= NF; i++) if ($i !~ /^-?([0-9.]+([eE][-+]?[0-9]+)?|NaN|INF)$/) { print FILENAME ": not a number: " $i; bad = 1 } }
    END { if (n_rows != rows) { print prev ": " n_rows " rows"; bad = 1 } exit bad }' "$outdir"/results/*.csv
}

cat > jobs.toml <<TOML
[defaults]
model = "$data/brusselator.xml"
select = ["x", "y"]
simulation = { end = 60, steps = 30, rtol = 1e-10 }

[[scan]]
id = "b"
grid = { b = { from = 2.5, to = 3.5, n = 200 }, a = [1, 1.25] }
TOML
jobs=400

t0=$(date +%s%N)
"$axisim" batch jobs.toml -o ref -j 2 --no-progress 2>/dev/null || fail "the uninterrupted run failed"
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "reference: $jobs results" test "$(count_results ref)" -eq $jobs
echo "uninterrupted: $full_ms ms"

# Kill moments uniform in [0, full/5]: the 20 runs would cover the batch twice over without
# their start-up, so the late kills land near the end (the last results, the summary).
span=$(( full_ms / 5 + 1 ))
: > inodes_kept
kills_while_running=0
for k in $(seq 1 20); do
  flag=""
  [ -d out ] && flag="--resume"
  delay_ms=$(( (RANDOM * 32768 + RANDOM) % span ))
  "$axisim" batch jobs.toml -o out -j 2 $flag --no-progress 2>"log_$k" &
  pid=$!
  sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  if kill -KILL "$pid" 2>/dev/null; then kills_while_running=$((kills_while_running + 1)); fi
  wait "$pid" 2>/dev/null || true
  n=$( [ -d out/results ] && count_results out || echo 0 )
  echo "kill $k at $delay_ms ms: $n of $jobs results"
  [ -d out/results ] || continue
  all_complete out 31 || fail "kill $k: a result is incomplete"
  # Every result present now must be the same file at the end.
  ls -i out/results/ | awk '$2 ~ /\.csv$/' >> inodes_kept
done
"$axisim" batch jobs.toml -o out -j 2 --resume --no-progress 2>log_final || fail "the final resume failed: $(cat log_final)"

check "$jobs results" test "$(count_results out)" -eq $jobs
all_complete out 31 || fail "an incomplete result at the end"
check "no temporary files left" test -z "$(find out -name '*.tmp-*')"
diff -r ref/results out/results > /dev/null || fail "results differ from the uninterrupted run's: $(diff -rq ref/results out/results | head -3)"
# Value by value, as numbers too (a check of the byte comparison's premise).
paste -d, <(cat ref/results/*.csv) <(cat out/results/*.csv) |
  awk -F, '{ n = NF / 2; for (i = 1; i <= n; i++) if ($i != $(i + n)) { print "line " NR ": " $i " vs " $(i + n); exit 1 } }' ||
  fail "values differ"
sort -u inodes_kept | sort -k2 > kept
check "each result kept one inode through the kills" test "$(awk '{ print $2 }' kept | uniq -d | wc -l)" -eq 0
ls -i out/results/ | awk '$2 ~ /\.csv$/' | sort -k2 > final_inodes
rewritten=$(join -1 2 -2 2 kept final_inodes | awk '$2 != $3')
check "no complete result written again: $rewritten" test -z "$rewritten"
# Status rows: one per job, plus at most 2 (the workers) for each kill that found the batch running.
rows=$(cat out/status/*.csv | wc -l)
check "every job has an ok row" test "$(cat out/status/*.csv | awk -F, '$2 == "ok" { print $1 }' | sort -u | wc -l)" -eq $jobs
check "$rows status rows: at most $jobs + 2 x $kills_while_running" test "$rows" -le $((jobs + 2 * kills_while_running))
dups=$(cat out/status/*.csv | cut -d, -f1 | sort | uniq -d | wc -l)
check "the summary: $jobs ok" test "$(grep -c ',ok,' out/summary.csv)" -eq $jobs
check "reduced results equal: summary's stable columns" diff <(stable_summary ref | sort) <(stable_summary out | sort)
echo "kill_resume_random: 20 kills ($kills_while_running while running), $(sort -u kept | wc -l) result files checked for" \
     "rewrites, $dups jobs run twice (each caught by a kill before its result was in place), all $jobs equal to the uninterrupted run"
