#!/usr/bin/env bash
# A disk that fills while results are written, simulated without root by a file size limit
# (ulimit -f: a write past it fails with EFBIG, SIGXFSZ being ignored). The batch stops with an
# error naming the file, exit 4; no file in OUTDIR is partial (every result parses whole, no
# temporary file stays); --resume without the limit finishes the batch, and every result equals
# an uninterrupted run's, byte for byte.
source "$(dirname "$0")/common.sh"

# 40 small jobs (final rows, ~60 bytes) around one big one (a full time course, ~150 KB).
cat > jobs.toml <<TOML
[defaults]
model = "$data/brusselator.xml"
select = ["x", "y"]
simulation = { end = 20, steps = 20 }
output = "final"

[[scan]]
id = "a"
grid = { b = { from = 2.5, to = 3.5, n = 20 } }

[[job]]
id = "big"
output = "full"
simulation = { end = 20, steps = 4000 }

[[scan]]
id = "z"
grid = { b = { from = 1.5, to = 2.4, n = 20 } }
TOML

"$axisim" batch jobs.toml -o ref -j 2 --no-progress 2>/dev/null || fail "the reference run failed"
size=$(stat -c %s ref/results/big.csv)
echo "big.csv: $size bytes"
check "big.csv exceeds the 64 KiB limit" test "$size" -gt 65536

set +e
( ulimit -f 64; exec "$axisim" batch jobs.toml -o out -j 1 --no-progress ) 2>log1
code=$?
set -e
cat log1
check "exit 4 (I/O), not $code" test "$code" -eq 4
check "the error names the file" grep -q "out/results/big.csv: cannot write: File too large" log1
check "the error says how to go on" grep -q "batch stopped; when OUTDIR can be written again, run the same command with --resume" log1
check "no result for big" test ! -e out/results/big.csv
check "no temporary file left" test -z "$(find out -name '*.tmp-*')"
check "the first scan complete" test "$(find out/results -name 'a_*.csv' | wc -l)" -eq 20
check_results_complete out 1 || fail "a partial result after the failure"
check "status rows whole" awk -F, 'NF < 14 { exit 1 }' out/status/*.csv

# The status log itself filling up: the manifest in place (--resume does not rewrite it), a
# limit of 1 KiB that a worker's log passes after a few rows.
mkdir out_log
cp out/manifest.csv out_log/
set +e
( ulimit -f 1; exec "$axisim" batch jobs.toml -o out_log -j 1 --resume --no-progress ) 2>log2
code=$?
set -e
cat log2
check "log limit: exit 4, not $code" test "$code" -eq 4
check "log limit: the error names the log" grep -Eq "out_log/status/r0-.*-w0\.csv: cannot write: File too large" log2
check "log limit: no temporary file left" test -z "$(find out_log -name '*.tmp-*')"
check "log limit: some jobs complete" test "$(count_results out_log)" -gt 0
check_results_complete out_log 1 || fail "log limit: a partial result"
for f in out_log/status/*.csv; do
  check "log limit: $f ends with a whole row" test "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n'
  check "log limit: $f holds whole rows" awk -F, 'NF != 14 { exit 1 }' "$f"
done

"$axisim" batch jobs.toml -o out -j 2 --resume --no-progress 2>log3 || fail "resume failed: $(cat log3)"
cat log3
check "resume ran the 21 missing jobs" grep -q 'ran 21 now (20 were complete)' log3
for f in ref/results/*.csv; do
  check "$(basename "$f") equals the uninterrupted run's" cmp "$f" "out/results/$(basename "$f")"
done
check "as many results as the reference" test "$(count_results out)" -eq "$(count_results ref)"
check "the summary: 41 ok" test "$(grep -c ',ok,' out/summary.csv)" -eq 41
check "reduced.csv equals the reference's" cmp ref/reduced.csv out/reduced.csv
"$axisim" batch jobs.toml -o out_log -j 2 --resume --no-progress 2>/dev/null || fail "resume of out_log failed"
for f in ref/results/*.csv; do
  check "out_log: $(basename "$f") equals the uninterrupted run's" cmp "$f" "out_log/results/$(basename "$f")"
done
# axisim simulate -o meets the same limit: exit 4, the file named, nothing written.
set +e
( ulimit -f 64; exec "$axisim" simulate "$data/brusselator.xml" --end 20 --steps 4000 --select x,y -o single.csv ) 2>log4
code=$?
set -e
check "simulate under the limit: exit 4, not $code" test "$code" -eq 4
check "simulate names the file" grep -q "single.csv: cannot write: File too large" log4
check "simulate leaves no file" test -z "$(ls single.csv* 2>/dev/null)"
echo "disk_full: stopped at big.csv with EFBIG, nothing partial; resume completed all 41 jobs as the reference"
