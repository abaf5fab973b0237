#!/usr/bin/env bash
# Stochastic jobs (kind = "ssa"): an ensemble's replicates are spread over workers (and MPI ranks)
# in work units and merged in replicate order, so its result is byte for byte what
# `axisim simulate --method ssa --replicates N --seed S` writes, whatever -j or the number of
# processes; completed units survive an interruption.
source "$(dirname "$0")/common.sh"

cat > jobs.toml <<TOML
[defaults]
model = "$data/birth_death.xml"
kind = "ssa"
simulation = { end = 20, steps = 10, replicates = 1300, seed = 7 }

[[job]]
id = "bd"

[[scan]]
id = "mu"
grid = { mu = [0.05, 0.2] }
simulation = { end = 20, steps = 10, replicates = 600, seed = 3 }
output = "final"

[[job]]
id = "ode"
kind = "ode"
simulation = { end = 20, steps = 10 }
TOML

"$axisim" batch jobs.toml -o j1 -j 1 --no-progress 2>log1 || fail "batch -j 1 failed: $(cat log1)"
"$axisim" batch jobs.toml -o j2 -j 2 --no-progress 2>log2 || fail "batch -j 2 failed: $(cat log2)"
check "4 results" test "$(count_results j2)" -eq 4
check "-j 1 and -j 2 give identical results" diff -r j1/results j2/results
check "no work units left once merged" test -z "$(find j2/partial -type f)"
check "the manifest records kind, replicates and seed" grep -q '^bd,.*,ssa(replicates=1300;seed=7)/full,' j2/manifest.csv

"$axisim" simulate "$data/birth_death.xml" --method ssa --replicates 1300 --seed 7 --end 20 --steps 10 -o single.csv
check "ensemble job = simulate --method ssa" cmp single.csv j2/results/bd.csv
check "X-mean and X-sd columns" test "$(head -1 single.csv)" = "time,X-mean,X-sd"
"$axisim" simulate "$data/birth_death.xml" --method ssa --replicates 600 --seed 3 --end 20 --steps 10 --set mu=0.2 -o mu1.csv
check "scan job = simulate --method ssa --set (last row)" test "$(tail -1 mu1.csv)" = "$(tail -1 j2/results/mu_1.csv)"

# An interrupted ensemble: Ctrl-C once some work units are done; --resume runs only the others,
# and the result is the uninterrupted one's.
cat > big.toml <<TOML
[[job]]
id = "big"
model = "$data/birth_death.xml"
kind = "ssa"
simulation = { end = 20, steps = 10, replicates = 50000, seed = 5 }
TOML
"$axisim" batch big.toml -o big -j 1 --no-progress 2>log_big &
pid=$!
for _ in $(seq 1 600); do
  [ "$(find big/partial -name '*.ens' 2>/dev/null | wc -l)" -ge 3 ] && break
  sleep 0.05
done
kill -INT "$pid" 2>/dev/null || true
wait "$pid" || true
units=$(find big/partial -name '*.ens' | wc -l)
"$axisim" batch big.toml -o big --resume --no-progress 2>log_resume || fail "resume failed: $(cat log_resume)"
if [ "$units" -gt 0 ]; then
  check "resume skipped the $units finished units" grep -q "$units of 98 work units" log_resume
fi
"$axisim" simulate "$data/birth_death.xml" --method ssa --replicates 50000 --seed 5 --end 20 --steps 10 -j 2 -o big_single.csv
check "resumed ensemble = simulate --method ssa" cmp big_single.csv big/results/big.csv

# 'replicates' without kind = "ssa" is an error naming the line.
printf '[[job]]\nid = "x"\nmodel = "%s"\nsimulation = { replicates = 5 }\n' "$data/birth_death.xml" > bad.toml
set +e
"$axisim" batch bad.toml -o bad 2>log_bad
rc=$?
set -e
check "replicates without kind: exit 2 (got $rc)" test "$rc" -eq 2
check "the message names the file and line" grep -q 'bad.toml:4: .replicates. is for stochastic jobs' log_bad

if [ -n "${MPIEXEC:-}" ]; then
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    "$MPIEXEC" -np 2 --oversubscribe "$axisim" batch jobs.toml -o mpi --no-progress >log_mpi 2>&1 || fail "mpirun failed: $(cat log_mpi)"
  check "2 MPI ranks give the results of -j 2" diff -r j1/results mpi/results
  check "both ranks ran work units" grep -q ',r1w0,' mpi/summary.csv
  echo "ssa_matches_simulate: ensembles identical under -j 1, -j 2, 2 MPI ranks, resume, and simulate --method ssa"
else
  echo "ssa_matches_simulate: ensembles identical under -j 1, -j 2, resume, and simulate --method ssa (no MPI here)"
fi
