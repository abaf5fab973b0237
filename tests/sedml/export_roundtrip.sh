#!/usr/bin/env bash
# axisim export --sedml/--omex: a run exported, the export run with `axisim run`, and its report
# compared with the direct run's CSV (simulate, batch), value by value to 1e-9 relative; and SED-ML
# documents read and written again (re-export), whose reports must equal the original's byte for
# byte. Corpus archives are re-exported when the corpus is there (skipped, saying so, otherwise).
set -uo pipefail
axisim=$1 data=$(cd "$2" && pwd) models=$(cd "$3" && pwd) work=$4 corpus=${5:-}
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# same SIMULATE_CSV REPORT_CSV [subset]: every column of the simulate CSV (header time,X,...) is a
# row of the report (label,values...) with the same values to 1e-9 relative (1e-12 absolute);
# with "subset", every row of the report is a column of the CSV (an ensemble's X-sd is not reported).
same() {
  python3 - "$@" <<'PY' || exit 1
import csv, sys
sim_path, rep_path = sys.argv[1], sys.argv[2]
subset = len(sys.argv) > 3 and sys.argv[3] == "subset"
with open(sim_path) as f:
    rows = list(csv.reader(f))
header, data = rows[0], [[float(x) for x in r] for r in rows[1:]]
with open(rep_path) as f:
    report = {r[0]: [float(x) for x in r[1:]] for r in csv.reader(f)}
if set(report) != set(header) and not (subset and set(report) <= set(header) and len(report) > 1):
    sys.exit(f"FAIL: {rep_path}: data sets {sorted(report)} are not the columns {sorted(header)} of {sim_path}")
worst = 0.0
for j, name in enumerate(header):
    if name not in report:
        continue
    col = [r[j] for r in data]
    got = report[name]
    if len(got) != len(col):
        sys.exit(f"FAIL: {rep_path}: {name} has {len(got)} values, {sim_path} {len(col)}")
    for i, (a, b) in enumerate(zip(got, col)):
        if (a != a) != (b != b) or abs(a - b) > 1e-12 + 1e-9 * abs(b):
            sys.exit(f"FAIL: {rep_path}: {name}[{i}] = {a!r}, {sim_path} has {b!r}")
print(f"{rep_path}: {len(report)} columns x {len(data)} rows equal to {sim_path}")
PY
}

# 1. A model with --set, as a SED-ML file beside it. Independent check: S(5) = 10 exp(-0.3 * 5).
"$axisim" export "$data/decay.xml" --sedml "$work/decay/decay.sedml" --set k=0.3 --end 5 --steps 10 2>"$work/e1.log" ||
  fail "export --sedml: exit $? ($(cat "$work/e1.log"))"
"$axisim" simulate "$data/decay.xml" --set k=0.3 --end 5 --steps 10 -o "$work/decay.csv" 2>/dev/null || fail "simulate decay"
"$axisim" run "$work/decay/decay.sedml" -o "$work/decay/out" --no-plots 2>"$work/r1.log" || fail "run decay.sedml: exit $? ($(cat "$work/r1.log"))"
same "$work/decay.csv" "$work/decay/out/decay.sedml/report.csv"
awk -F, '$1 == "S" { v = $NF; d = v - 2.231301601484298; if (d < 0) d = -d; found = 1; exit !(d < 1e-6) } END { exit !found }' \
  "$work/decay/out/decay.sedml/report.csv" || fail "S(5) in the exported run is not 10 exp(-1.5)"

# Bad input: an id the model lacks and a symbol set by a rule are refused, named, nothing written.
"$axisim" export "$data/decay.xml" --sedml "$work/bad.sedml" --set nope=1 2>"$work/bad.log"
code=$?
[[ $code != 0 ]] && grep -q "nope" "$work/bad.log" && [[ ! -e $work/bad.sedml ]] || fail "export --set nope=1: exit $code ($(cat "$work/bad.log"))"

# 2. A flagship scenario as an archive, with a value set over an initial assignment (Xmic) and a
#    parameter: the archive's run equals simulate --scenario with the same --set.
scen="$models/scenarios/high_fibre.toml"
"$axisim" export --scenario "$scen" --set Xmic=2 --omex "$work/hf.omex" 2>"$work/e2.log" || fail "export --omex: exit $? ($(cat "$work/e2.log"))"
"$axisim" simulate --scenario "$scen" --set Xmic=2 -o "$work/hf.csv" 2>/dev/null || fail "simulate --scenario"
"$axisim" run "$work/hf.omex" -o "$work/hf" --no-plots 2>"$work/r2.log"
code=$?
if [[ $code == 3 ]] && grep -q "without libzip" "$work/e2.log" "$work/r2.log"; then
  echo "archive parts skipped: this axisim was built without libzip"
  exit 0
fi
[[ $code == 0 ]] || fail "run hf.omex: exit $code ($(cat "$work/r2.log"))"
same "$work/hf.csv" "$work/hf/experiment.sedml/report.csv"
unzip -l "$work/hf.omex" >"$work/hf.list" 2>&1
grep -q "gut_liver_igf1.xml" "$work/hf.list" || fail "hf.omex does not hold the model"

# 3. A batch job file (a job, a scan of two ids, and a stochastic ensemble of 64 runs): each job's
#    report equals its results CSV (the ensemble's mean: X-mean).
cat >"$work/jobs.toml" <<TOML
[defaults]
model = "$data/decay.xml"
simulation = { end = 4, steps = 8 }
[[job]]
id = "base"
[[scan]]
id = "k"
grid = { k = [0.1, 0.7], S = [3, 5] }
[[job]]
id = "noisy"
kind = "ssa"
simulation = { end = 4, steps = 8, replicates = 64, seed = 3 }
TOML
"$axisim" export --jobs "$work/jobs.toml" --omex "$work/jobs.omex" 2>"$work/e3.log" || fail "export --jobs: exit $? ($(cat "$work/e3.log"))"
"$axisim" batch "$work/jobs.toml" -o "$work/batch" 2>/dev/null || fail "batch"
"$axisim" run "$work/jobs.omex" -o "$work/jobs" --no-plots 2>"$work/r3.log" || fail "run jobs.omex: exit $? ($(cat "$work/r3.log"))"
n=0
for result in "$work"/batch/results/*.csv; do
  id=$(basename "$result" .csv)
  same "$result" "$work/jobs/experiment.sedml/${id//[-.]/_}_report.csv" subset
  n=$((n + 1))
done
[[ $n == 6 ]] || fail "batch wrote $n results, expected 6"
grep -q "S-mean" "$work/jobs/experiment.sedml/noisy_report.csv" || fail "the ensemble's report has no S-mean"
unzip -p "$work/jobs.omex" experiment.sedml >"$work/jobs.sedml"
grep -q 'kisaoID="KISAO:0000498" value="64"' "$work/jobs.sedml" || fail "the ensemble's number of runs is not exported"

# 3b. Exported analyses (docs/sedml.md, "Export"): a steady state (its report's values equal the
#     batch's CSV; independent check S1 = v0/k1 = 0.5, S2 = v0/k2), "final" and "summary"
#     reductions (equal to the batch's rows; independent check S(4) = 10 exp(-0.4 * 4) for the
#     decay model), one stochastic trajectory (the same seed gives simulate's trajectory value for
#     value); tmin and tmax as SED-ML math (equal to the batch's; independent check: the grid
#     time nearest the analytic peak of S2 = e^-0.25t - e^-0.5t, t* = 4 ln 2); the steady
#     state's solver options written as KINSOL's parameters and read back by run (no option
#     ignored); sensitivities are refused (exit 3), named.
chain=$(cd "$data/../../batch/data" && pwd)/linear_chain.xml
cat >"$work/kinds.toml" <<TOML
[defaults]
model = "$data/decay.xml"
simulation = { end = 4, steps = 8 }
[[job]]
id = "ss"
model = "$chain"
kind = "steady"
set = { k1 = 2 }
steady = { rtol = 1e-9, atol = 1e-11, max_iterations = 40, max_time = 1e6 }
[[job]]
id = "fin"
set = { k = 0.4 }
output = "final"
[[job]]
id = "summ"
set = { k = 0.4 }
output = "summary"
statistics = ["initial", "final", "min", "max", "mean", "auc"]
[[job]]
id = "peak"
model = "$chain"
set = { v0 = 0 }
simulation = { end = 8, steps = 80 }
output = "summary"
statistics = ["min", "max", "tmin", "tmax"]
TOML
"$axisim" export --jobs "$work/kinds.toml" --omex "$work/kinds.omex" 2>"$work/e3b.log" || fail "export kinds: exit $? ($(cat "$work/e3b.log"))"
"$axisim" batch "$work/kinds.toml" -o "$work/kinds-batch" 2>/dev/null || fail "batch kinds"
"$axisim" run "$work/kinds.omex" -o "$work/kinds" 2>"$work/r3b.log" || fail "run kinds.omex: exit $? ($(cat "$work/r3b.log"))"
# The steady state's CSV also has method, residual, ...: only its numeric columns named in the report.
python3 - "$work/kinds-batch/results/ss.csv" "$work/kinds/experiment.sedml/ss_report.csv" <<'PY' || exit 1
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
values = dict(zip(rows[0], rows[1]))
report = {r[0]: [float(x) for x in r[1:]] for r in csv.reader(open(sys.argv[2]))}
if sorted(report) != ["S1", "S2"]: sys.exit(f"FAIL: steady report has {sorted(report)}")
for k, v in report.items():
    if len(v) != 1 or abs(v[0] - float(values[k])) > 1e-12 + 1e-9 * abs(float(values[k])):
        sys.exit(f"FAIL: steady {k} = {v}, batch {values[k]}")
print(f"steady: {report} equal to the batch's")
PY
awk -F, '$1 == "S1" { d = $2 - 0.5; if (d < 0) d = -d; ok = d < 1e-9 } END { exit !ok }' \
  "$work/kinds/experiment.sedml/ss_report.csv" || fail "the exported steady state's S1 is not v0/k1"
same "$work/kinds-batch/results/fin.csv" "$work/kinds/experiment.sedml/fin_report.csv"
awk -F, '$1 == "S" { d = $2 - 2.0189651799465538; if (d < 0) d = -d; ok = NF == 2 && d < 1e-6 } END { exit !ok }' \
  "$work/kinds/experiment.sedml/fin_report.csv" || fail "the exported final S(4) is not 10 exp(-1.6)"
same "$work/kinds-batch/results/summ.csv" "$work/kinds/experiment.sedml/summ_report.csv"
same "$work/kinds-batch/results/peak.csv" "$work/kinds/experiment.sedml/peak_report.csv"
python3 - "$work/kinds/experiment.sedml/peak_report.csv" <<'PY' || exit 1
import csv, math, sys
report = {r[0]: [float(x) for x in r[1:]] for r in csv.reader(open(sys.argv[1]))}
# S1 = 0.5 e^-0.5t falls from t = 0; S2 = e^-0.25t - e^-0.5t (k1 = 0.5, k2 = 0.25, S1(0) = 0.5,
# S2(0) = 0) starts at 0 and peaks at t* = ln(k1/k2)/(k1 - k2) = 4 ln 2 = 2.77: on the grid of
# step 0.1 its largest value is at the grid time where the analytic curve is highest.
grid = [i * 0.1 for i in range(81)]
s2 = lambda t: math.exp(-0.25 * t) - math.exp(-0.5 * t)
peak = max(grid, key=s2)
want = {"tmin(S1)": 8.0, "tmax(S1)": 0.0, "tmin(S2)": 0.0, "tmax(S2)": peak}
for k, v in want.items():
    if k not in report or len(report[k]) != 1 or abs(report[k][0] - v) > 1e-9:
        sys.exit(f"FAIL: {k} = {report.get(k)}, expected {v}")
print(f"tmin/tmax: {want} (the analytic peak {4 * math.log(2):.4f} on the grid at {peak:.1f})")
PY
unzip -p "$work/kinds.omex" experiment.sedml >"$work/kinds.sedml"
grep -q '<steadyState' "$work/kinds.sedml" || fail "no steadyState in kinds.omex"
for p in 'KISAO:0000209" value="1e-09' 'KISAO:0000211" value="1e-11' 'KISAO:0000486" value="40' 'KISAO:0000679" value="1e+06'; do
  grep -q "kisaoID=\"$p\"" "$work/kinds.sedml" || fail "the steady state's parameter $p is not exported"
done
grep -q "no counterpart" "$work/r3b.log" && fail "run ignored a steady-state parameter: $(grep 'no counterpart' "$work/r3b.log")"
grep -q 'steady(rtol=1e-09;atol=1e-11;max_iterations=40;max_time=1e+06)' "$work/kinds-batch/manifest.csv" ||
  fail "the batch manifest does not record the steady job's solver options"

"$axisim" export "$data/decay.xml" --method ssa --seed 11 --end 4 --steps 8 --sedml "$work/ssa/ssa.sedml" 2>/dev/null ||
  fail "export --method ssa"
"$axisim" simulate "$data/decay.xml" --method ssa --seed 11 --end 4 --steps 8 -o "$work/ssa.csv" 2>/dev/null || fail "simulate ssa"
"$axisim" run "$work/ssa/ssa.sedml" -o "$work/ssa/out" 2>/dev/null || fail "run ssa.sedml"
same "$work/ssa.csv" "$work/ssa/out/ssa.sedml/report.csv"

for refused in 'kind = "sensitivities"
wrt = ["k"]'; do
  printf '[[job]]\nid = "x"\nmodel = "%s"\n%s\n' "$data/decay.xml" "$refused" >"$work/refused.toml"
  "$axisim" export --jobs "$work/refused.toml" --omex "$work/refused.omex" 2>"$work/e3c.log"
  code=$?
  [[ $code == 3 ]] && grep -q "'x'" "$work/e3c.log" && [[ ! -e $work/refused.omex ]] ||
    fail "export of '$refused': exit $code, expected a refusal naming the job ($(cat "$work/e3c.log"))"
done

# 3c. Tissue plugins (docs/sedml.md, "Tissue plugins"): a flagship scenario with bone (a parameter
#     set) and gut-barrier, and a plugin state set, exported as an archive: the annotation names
#     both, and `axisim run` gives simulate's numbers for every column, the plugins' outputs
#     included. The plugin named by path goes into the archive; a missing plugin and another
#     version are refused, naming the plugin and the model.
cat >"$work/plugins.toml" <<TOML
name = "fibre_tissue"
model = "$models/gut_liver_igf1.xml"
select = ["IGF_f", "Bu_epi", "barrier_integrity"]
[simulation]
start = 0
end = 240
steps = 24
[set]
fibre_intake = 36
[plugins]
bone = { a_IGF = 0.3 }
gut-barrier = {}
TOML
"$axisim" export --scenario "$work/plugins.toml" --set bone.BMD=-2 --omex "$work/plugins.omex" 2>"$work/e6.log" ||
  fail "export with plugins: exit $? ($(cat "$work/e6.log"))"
"$axisim" simulate --scenario "$work/plugins.toml" --set bone.BMD=-2 -o "$work/plugins.csv" 2>/dev/null || fail "simulate with plugins"
"$axisim" run "$work/plugins.omex" -o "$work/plugins" 2>"$work/r6.log" || fail "run plugins.omex: exit $? ($(cat "$work/r6.log"))"
same "$work/plugins.csv" "$work/plugins/experiment.sedml/report.csv"
grep -q "^bone.BMD_change_pct,-2," "$work/plugins/experiment.sedml/report.csv" || fail "the plugins' outputs are not reported"
grep -qi "nan" "$work/plugins/experiment.sedml/report.csv" && fail "the plugins' report holds NaN"
mkdir -p "$work/plugins-x" && (cd "$work/plugins-x" && unzip -oq ../plugins.omex) || fail "unzip plugins.omex"
grep -q '<axisim:plugin name="bone" version="[^"]*">' "$work/plugins-x/experiment.sedml" &&
  grep -q '<axisim:parameter name="a_IGF" value="0.3"/>' "$work/plugins-x/experiment.sedml" &&
  grep -q '<axisim:state name="BMD" value="-2"/>' "$work/plugins-x/experiment.sedml" &&
  grep -q 'symbol="urn:axisim:plugin:bone.BMD_change_pct"' "$work/plugins-x/experiment.sedml" || fail "the annotation is not as documented"
sed 's/name="bone" version="[^"]*"/name="no-such-plugin"/; s/bone\.BMD/no-such-plugin.BMD/g' \
  "$work/plugins-x/experiment.sedml" >"$work/plugins-x/missing.sedml"
"$axisim" run "$work/plugins-x/missing.sedml" -o "$work/plugins-x/out" 2>"$work/r6b.log" &&
  fail "a missing plugin ran"
grep -q "model 'model': the model's axisim annotation names plugin 'no-such-plugin'" "$work/r6b.log" || fail "the missing plugin is not named: $(cat "$work/r6b.log")"
sed 's/name="bone" version="[^"]*"/name="bone" version="0.0.1"/' "$work/plugins-x/experiment.sedml" >"$work/plugins-x/old.sedml"
"$axisim" run "$work/plugins-x/old.sedml" -o "$work/plugins-x/out" 2>"$work/r6c.log" && fail "another plugin version ran"
grep -q "axisim plugin 'bone': the document names version 0.0.1" "$work/r6c.log" || fail "the version is not named: $(cat "$work/r6c.log")"
# Without the annotation the plugin's symbol names nothing: refused, naming the variable.
sed '/<annotation>/,/<\/annotation>/d' "$work/plugins-x/experiment.sedml" >"$work/plugins-x/none.sedml"
"$axisim" run "$work/plugins-x/none.sedml" -o "$work/plugins-x/out" 2>"$work/r6d.log" && fail "a plugin symbol without the plugin ran"
grep -q "no plugin 'bone' is attached" "$work/r6d.log" || fail "the plugin symbol's refusal: $(cat "$work/r6d.log")"
# By path: the library goes into the archive and the run loads it from there.
lib=$(cd "$(dirname "$axisim")/../plugins" && pwd)/axisim-plugin-bone.so
[[ -f $lib ]] || fail "no $lib"
"$axisim" export "$models/gut_liver_igf1.xml" --plugin "$lib" --end 48 --steps 4 --select IGF_f,bone.BMD --omex "$work/bypath.omex" \
  2>"$work/e7.log" || fail "export --plugin PATH: $(cat "$work/e7.log")"
unzip -l "$work/bypath.omex" >"$work/bypath.list" 2>&1  # not piped into grep -q: pipefail would see unzip's SIGPIPE
grep -q "plugins/axisim-plugin-bone.so" "$work/bypath.list" || fail "the plugin library is not in the archive"
"$axisim" simulate "$models/gut_liver_igf1.xml" --plugin "$lib" --end 48 --steps 4 --select IGF_f,bone.BMD -o "$work/bypath.csv" 2>/dev/null ||
  fail "simulate --plugin PATH"
"$axisim" run "$work/bypath.omex" -o "$work/bypath" 2>"$work/r7.log" || fail "run bypath.omex: $(cat "$work/r7.log")"
same "$work/bypath.csv" "$work/bypath/experiment.sedml/report.csv"
grep -q "plugins/axisim-plugin-bone.so" "$work/r7.log" || fail "the run did not load the archive's library: $(cat "$work/r7.log")"

# 3d. A plugin's state set by a repeated task's setValue by symbol (docs/sedml.md, "Tissue
#     plugins"): bone.BMD = -2, then -1, each the initial state of a run from the model; every
#     iteration's bone.BMD equals simulate --set bone.BMD=... (and starts at the value set). An
#     output (bone.BMD_change_pct) set by symbol is refused, naming it.
mkdir -p "$work/pstate" && cp "$models/gut_liver_igf1.xml" "$work/pstate/"
pstate_doc() {  # $1: the quantity the setValue sets
  cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sedML xmlns="http://sed-ml.org/sed-ml/level1/version4" level="1" version="4">
  <listOfModels>
    <model id="model" language="urn:sedml:language:sbml" source="gut_liver_igf1.xml">
      <annotation><axisim:plugins xmlns:axisim="https://axisim.org/ns/plugins/1"><axisim:plugin name="bone"/></axisim:plugins></annotation>
    </model>
  </listOfModels>
  <listOfSimulations>
    <uniformTimeCourse id="sim" initialTime="0" outputStartTime="0" outputEndTime="48" numberOfSteps="4">
      <algorithm kisaoID="KISAO:0000019"/>
    </uniformTimeCourse>
  </listOfSimulations>
  <listOfTasks>
    <task id="t" modelReference="model" simulationReference="sim"/>
    <repeatedTask id="scan" range="r" resetModel="true">
      <listOfRanges><vectorRange id="r"><value>-2</value><value>-1</value></vectorRange></listOfRanges>
      <listOfChanges>
        <setValue modelReference="model" symbol="urn:axisim:plugin:bone.$1" range="r">
          <math xmlns="http://www.w3.org/1998/Math/MathML"><ci>r</ci></math>
        </setValue>
      </listOfChanges>
      <listOfSubTasks><subTask task="t" order="1"/></listOfSubTasks>
    </repeatedTask>
  </listOfTasks>
  <listOfDataGenerators>
    <dataGenerator id="bmd"><listOfVariables><variable id="v" symbol="urn:axisim:plugin:bone.BMD" taskReference="scan"/></listOfVariables>
      <math xmlns="http://www.w3.org/1998/Math/MathML"><ci>v</ci></math></dataGenerator>
  </listOfDataGenerators>
  <listOfOutputs>
    <report id="rep"><listOfDataSets><dataSet id="d" label="bone.BMD" dataReference="bmd"/></listOfDataSets></report>
  </listOfOutputs>
</sedML>
XML
}
pstate_doc BMD >"$work/pstate/state.sedml"
"$axisim" run "$work/pstate/state.sedml" -o "$work/pstate/out" --no-plots 2>"$work/r8.log" || fail "run state.sedml: $(cat "$work/r8.log")"
for v in -2 -1; do
  "$axisim" simulate "$models/gut_liver_igf1.xml" --plugin bone --set bone.BMD=$v --end 48 --steps 4 --select bone.BMD \
    -o "$work/pstate/sim$v.csv" 2>/dev/null || fail "simulate --set bone.BMD=$v"
done
python3 - "$work/pstate/out/state.sedml/rep.csv" "$work/pstate/sim-2.csv" "$work/pstate/sim-1.csv" <<'PY' || exit 1
import csv, sys
row = next(csv.reader(open(sys.argv[1])))
got = [float(x) for x in row[1:]]
want = []
for path in sys.argv[2:]:
    rows = list(csv.reader(open(path)))
    want += [float(r[rows[0].index("bone.BMD")]) for r in rows[1:]]
if len(got) != 10 or got[0] != -2 or got[5] != -1:
    sys.exit(f"FAIL: the repeated task's bone.BMD {got} does not start each run at the value set")
worst = max(abs(a - b) / max(1e-12, abs(b)) for a, b in zip(got, want))
if worst > 1e-9:
    sys.exit(f"FAIL: bone.BMD by setValue {got} differs from simulate --set {want} ({worst:.2e} relative)")
print(f"plugin state by setValue: {got} equal to simulate --set ({worst:.1e} relative)")
PY
pstate_doc BMD_change_pct >"$work/pstate/output.sedml"
"$axisim" run "$work/pstate/output.sedml" -o "$work/pstate/out2" --no-plots 2>"$work/r8b.log" && fail "a plugin output was set"
grep -q "'BMD_change_pct' is an output of plugin 'bone'" "$work/r8b.log" || fail "the output's refusal: $(cat "$work/r8b.log")"

# 4. Re-export: SED-ML documents of the tests read and written again, as a file and as an
#    archive; their reports equal the original's byte for byte.
for doc in basic scan carry; do
  "$axisim" run "$data/$doc.sedml" -o "$work/orig" --no-plots 2>/dev/null || fail "run $doc.sedml"
  "$axisim" export "$data/$doc.sedml" --omex "$work/re-$doc.omex" 2>"$work/e4.log" || fail "re-export $doc: $(cat "$work/e4.log")"
  "$axisim" export "$data/$doc.sedml" --sedml "$work/re/$doc.sedml" 2>"$work/e4.log" || fail "re-export $doc --sedml: $(cat "$work/e4.log")"
  "$axisim" run "$work/re-$doc.omex" -o "$work/re-omex" --no-plots 2>/dev/null || fail "run re-$doc.omex"
  "$axisim" run "$work/re/$doc.sedml" -o "$work/re-sedml" --no-plots 2>/dev/null || fail "run re/$doc.sedml"
  for f in "$work/orig/$doc.sedml"/*.csv; do
    cmp -s "$f" "$work/re-omex/$doc.sedml/$(basename "$f")" || fail "re-exported archive of $doc: $(basename "$f") differs"
    cmp -s "$f" "$work/re-sedml/$doc.sedml/$(basename "$f")" || fail "re-exported $doc.sedml: $(basename "$f") differs"
  done
done

# A document with external data (CSV): as an archive the data file goes with it, same report;
# written as a SED-ML file elsewhere it is refused (its relative data path is not rewritten).
"$axisim" run "$data/data_csv.sedml" -o "$work/orig" --no-plots 2>/dev/null || fail "run data_csv.sedml"
"$axisim" export "$data/data_csv.sedml" --omex "$work/re-data.omex" 2>"$work/e4.log" || fail "re-export data_csv: $(cat "$work/e4.log")"
"$axisim" run "$work/re-data.omex" -o "$work/re-data" --no-plots 2>/dev/null || fail "run re-data.omex"
cmp -s "$work/orig/data_csv.sedml/fit.csv" "$work/re-data/data_csv.sedml/fit.csv" || fail "re-exported data_csv: fit.csv differs"
"$axisim" export "$data/data_csv.sedml" --sedml "$work/re/data_csv.sedml" 2>"$work/e4.log" &&
  fail "data_csv.sedml written elsewhere with a relative data path"
grep -q "dataDescription 'obs'" "$work/e4.log" || fail "the refusal does not name the dataDescription: $(cat "$work/e4.log")"

# 5. Corpus archives read and written again: each report equals the original archive's.
if [[ -z $corpus || ! -f $corpus/INDEX.tsv ]]; then
  [[ ${AXISIM_REQUIRE_SEDML_CORPUS:-0} == 1 ]] && fail "no SED-ML corpus at '${corpus}' and AXISIM_REQUIRE_SEDML_CORPUS=1"
  echo "corpus part skipped: no SED-ML corpus at '${corpus}' (set AXISIM_SEDML_CORPUS_DIR)"
else
  k=0
  d=$corpus/deterministic
  for input in \
    "$d/biosimulators-test-suite__sbml-core-Elowitz-Nature-2000-Repressilator/Elowitz-Nature-2000-Repressilator.omex" \
    "$d/sedml-test-suite__spec-L1V3_oscli-nested-pulse/L1V3_oscli-nested-pulse.omex" \
    "$d/sedml-test-suite__spec-L1V3_parameter-scan-2d/L1V3_parameter-scan-2d.omex" \
    "$d/sedml-test-suite__tellurium-oscli-computeChange-sedx/oscli-computeChange.sedx" \
    "$d/sedml-test-suite__harmony2021-logxy/logxy.sedml"; do
    name=$(basename "$input")
    [[ -f $input ]] || fail "corpus file $input is missing"
    "$axisim" run "$input" -o "$work/c-orig/$name" --no-plots 2>"$work/r5.log" || fail "run $input: $(cat "$work/r5.log")"
    "$axisim" export "$input" --omex "$work/c-$name.omex" 2>"$work/e5.log" || fail "re-export $input: $(cat "$work/e5.log")"
    "$axisim" run "$work/c-$name.omex" -o "$work/c-re/$name" --no-plots 2>"$work/r5.log" || fail "run re-exported $name: $(cat "$work/r5.log")"
    [[ -n $(find "$work/c-orig/$name" -name '*.csv') ]] || fail "$name wrote no report"
    # The CSV reports byte for byte (log.yml holds durations; reports.h5 its objects' times).
    diff -r -x log.yml -x reports.h5 "$work/c-orig/$name" "$work/c-re/$name" >/dev/null || fail "re-exported $name: reports differ"
    k=$((k + 1))
  done
  echo "corpus: $k archives re-exported with the same reports"
fi
echo "axisim export --sedml/--omex: OK"
