#!/usr/bin/env bash
# Under `mpirun -np 2` the jobs are spread over two processes (job j on rank j % 2) and the
# outputs are the same as a single process's with -j 2.
source "$(dirname "$0")/common.sh"
mpirun_cmd="${MPIEXEC:-mpirun}"

cat > jobs.toml <<TOML
[defaults]
model = "$data/brusselator.xml"
select = ["x", "y"]
simulation = { end = 30, steps = 30 }

[[job]]
id = "bad"
set = { nope = 1 }

[[scan]]
id = "s"
grid = { a = [0.9, 1.1] }
lhs = { b = { low = 2, high = 4 } }
samples = 10
seed = 5

[[scan]]
id = "f"
random = { b = { low = 2, high = 4 } }
samples = 5
seed = 6
output = "summary"
TOML

set +e
"$axisim" batch jobs.toml -o threads -j 2 --no-progress 2>log_threads
rc_threads=$?
# Open MPI refuses root without these (set by ctest too); --oversubscribe for 1-CPU machines.
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
  "$mpirun_cmd" -np 2 --oversubscribe "$axisim" batch jobs.toml -o mpi --no-progress >log_mpi 2>&1
rc_mpi=$?
set -e
cat log_mpi
check "both exit 7 (one job fails): threads $rc_threads, mpi $rc_mpi" test "$rc_threads" -eq 7 -a "$rc_mpi" -eq 7
check "25 results" test "$(count_results mpi)" -eq 25
check "same results" diff -r threads/results mpi/results
check "same summary (but times and workers)" diff <(stable_summary threads) <(stable_summary mpi)
check "same reduced table" diff threads/reduced.csv mpi/reduced.csv
check "same manifest" diff threads/manifest.csv mpi/manifest.csv
check "rank 0 ran jobs" grep -q ',r0w0,' mpi/summary.csv
check "rank 1 ran jobs" grep -q ',r1w0,' mpi/summary.csv
check "job j ran on rank j % 2" test -z "$(awk -F, 'NR > 1 { r = "r" ((NR - 2) % 2) "w"; if (index($13, r) != 1) print }' mpi/summary.csv)"
echo "mpi_matches_threads: 26 jobs over 2 MPI ranks, same outputs as -j 2"
