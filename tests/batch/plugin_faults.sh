#!/usr/bin/env bash
# Plugins that fail during a batch: one that throws from its derivatives (unguarded, across the C
# boundary), one that returns NaN, one that returns an error status, and one that leaves a
# derivative unwritten. Each fails its own job with a message naming the plugin; the jobs before
# and after them complete with the values of `axisim simulate`; the batch exits 7. A plugin that
# is not on the plugin path stops the batch before any job runs (exit 6), and the manifest
# records which build of each plugin ran.
# Usage: bash plugin_faults.sh AXISIM DATA WORK TEST_PLUGIN_DIR
source "$(dirname "$0")/common.sh"
plugin_dir="$4"
[ -f "$plugin_dir/axisim-plugin-fault-throw.so" ] || fail "no test plugins in $plugin_dir (build the whole project)"

cat > jobs.toml <<TOML
[defaults]
model = "$data/bu_col.xml"
simulation = { end = 6, steps = 12 }
select = ["Bu_col", "test-ok.x", "test-ok.input"]
plugins = { test-ok = {} }

[[job]]
id = "ok_first"

[[job]]
id = "throws"
plugins = { fault-throw = { t_fault = 4.5 } }

[[job]]
id = "nan"
plugins = { fault-nan = { t_fault = 4.5 } }

[[job]]
id = "status"
plugins = { fault-status = { t_fault = 4.5 } }

[[job]]
id = "unset"
plugins = { fault-unset = { t_fault = 4.5 } }

[[job]]
id = "ok_last"
set = { k = 0.2 }
TOML

for j in 1 2; do
  rm -rf out
  set +e
  "$axisim" batch jobs.toml -o out -j $j --plugin-dir "$plugin_dir" --no-progress 2>log
  code=$?
  set -e
  cat log
  check "-j $j: exit 7, not $code" test "$code" -eq 7
  check "-j $j: 2 ok" test "$(grep -c ',ok,' out/summary.csv)" -eq 2
  check "-j $j: 4 failed" test "$(grep -c ',failed,' out/summary.csv)" -eq 4
  for id in throws nan status unset; do
    check "-j $j: no result for $id" test ! -e "out/results/$id.csv"
  done
  check "-j $j: the throw names the plugin and says what" grep -q "^throws,failed,.*plugin 'fault-throw' threw an exception in derivatives at t = 4.5[0-9]*: test plugin: deliberate exception" out/summary.csv
  check "-j $j: the NaN names the plugin" grep -q "^nan,failed,.*plugin 'fault-nan' returned a non-finite derivative for 'x' at t = 4.5" out/summary.csv
  check "-j $j: the status names the plugin" grep -q "^status,failed,.*plugin 'fault-status' reported failure (status 42)" out/summary.csv
  check "-j $j: the unwritten derivative is named" grep -q "^unset,failed,.*plugin 'fault-unset' did not set the derivative for 'y' at t = 4.5" out/summary.csv
  check "-j $j: the manifest names each plugin's build" grep -q "fault-nan@0.0.1 $plugin_dir/axisim-plugin-fault-nan.so fnv1a64:[0-9a-f]\{16\}" out/manifest.csv
  # The jobs around the faults: the values of single runs, and Bu_col = exp(-k t) (to 1e-6).
  "$axisim" simulate "$data/bu_col.xml" --end 6 --steps 12 --select Bu_col,test-ok.x,test-ok.input \
    --plugin-dir "$plugin_dir" --plugin test-ok -o first.csv
  "$axisim" simulate "$data/bu_col.xml" --end 6 --steps 12 --select Bu_col,test-ok.x,test-ok.input \
    --plugin-dir "$plugin_dir" --plugin test-ok --set k=0.2 -o last.csv
  check "-j $j: ok_first equals simulate" cmp first.csv out/results/ok_first.csv
  check "-j $j: ok_last equals simulate" cmp last.csv out/results/ok_last.csv
  awk -F, 'NR > 1 { e = exp(-0.2 * $1); if ($2 - e > 1e-6 || e - $2 > 1e-6) { print "Bu_col(" $1 ") = " $2 ", not " e; bad = 1 }
                    s = sin(6.283185307179586 * $1); if ($3 - s > 1e-5 || s - $3 > 1e-5) { print "x(" $1 ") = " $3 ", not " s; bad = 1 } }
           END { exit bad }' out/results/ok_last.csv || fail "-j $j: ok_last's values"
done
grep -E '^(throws|nan|status|unset),' out/summary.csv | awk -F, '{ print $1 ": " $NF }'

# A plugin found nowhere: the batch stops before any job runs.
cat >> jobs.toml <<TOML

[[job]]
id = "missing"
plugins = { not-installed-here = {} }
TOML
rm -rf out
set +e
"$axisim" batch jobs.toml -o out -j 2 --plugin-dir "$plugin_dir" --no-progress 2>log
code=$?
set -e
cat log
check "missing plugin: exit 6, not $code" test "$code" -eq 6
check "missing plugin: named" grep -q "plugin 'not-installed-here'.*not found" log
check "missing plugin: no job ran" test -z "$(ls out/results 2>/dev/null)"
check "missing plugin: no summary" test ! -e out/summary.csv
echo "plugin_faults: 4 faulty plugins failed their jobs, named; the batch went on; a missing plugin stopped it up front"
