#!/usr/bin/env bash
# ignore_fast in scenario files and batch job files: the same run as `axisim simulate
# --ignore-fast` (byte for byte), whose values are the decay A = 10 exp(-k t) the model is when
# its one fast reaction is integrated as ordinary kinetics; a mistyped value names file and line.
source "$(dirname "$0")/common.sh"
model="$data/all_fast.xml"

"$axisim" simulate "$model" --ignore-fast --end 4 --steps 8 --select A,B -o cli.csv
awk -F, 'NR > 1 { a = 10 * exp(-0.5 * $1); if ($2 - a > 1e-6 * 10 || a - $2 > 1e-6 * 10 || ($3 - (10 - a)) ^ 2 > 1e-10) { print; bad = 1 } }
         END { exit bad }' cli.csv || fail "--ignore-fast: A is not 10 exp(-0.5 t)"

cat > scenario.toml <<TOML
name = "decay"
model = "$model"
ignore_fast = true
select = ["A", "B"]
[simulation]
end = 4
steps = 8
TOML
"$axisim" simulate --scenario scenario.toml -o scenario.csv
check "scenario ignore_fast = true equals --ignore-fast" cmp cli.csv scenario.csv

cat > jobs.toml <<TOML
[defaults]
model = "$model"
select = ["A", "B"]
simulation = { end = 4, steps = 8 }

[[job]]
id = "ignored"
ignore_fast = true

[[job]]
id = "from_scenario"
scenario = "scenario.toml"

[[job]]
id = "held_fast"
TOML
set +e
"$axisim" batch jobs.toml -o out --no-progress 2>log
code=$?
set -e
cat log
check "job ignore_fast = true equals --ignore-fast" cmp cli.csv out/results/ignored.csv
check "a job with the scenario's ignore_fast equals --ignore-fast" cmp cli.csv out/results/from_scenario.csv
check "the manifest records it" grep -q '^ignored,.*,ignore_fast/full,' out/manifest.csv
check "the manifest records the scenario's" grep -q '^from_scenario,.*,ignore_fast/full,' out/manifest.csv
check "held_fast is not marked" grep -q '^held_fast,.*,full,' out/manifest.csv
# Without it the fast reaction is held at equilibrium: a different run (or a failure).
if [ -f out/results/held_fast.csv ]; then
  check "held at equilibrium differs" bash -c '! cmp -s cli.csv out/results/held_fast.csv'
else
  check "held at equilibrium failed (exit 7)" test "$code" -eq 7
fi

printf 'model = "%s"\nignore_fast = "yes"\n' "$model" > bad.toml
set +e
"$axisim" simulate --scenario bad.toml 2>log_bad
code=$?
set -e
check "a non-boolean ignore_fast: exit 2, not $code" test "$code" -eq 2
check "... naming file and line" grep -q "bad.toml:2: 'ignore_fast' must be true or false" log_bad
echo "ignore_fast: scenario and job files equal --ignore-fast; A = 10 exp(-0.5 t)"
