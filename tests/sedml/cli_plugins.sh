#!/usr/bin/env bash
# Tissue plugins in SED-ML experiments (docs/sedml.md, "Tissue plugins"): a plugin's parameter set
# by a repeated task's setValue, equal to `axisim simulate --plugin-param` (bone-linear, and bone,
# whose equations are not linear); a plugin's state, output and parameter read by setValue
# variables and its state and parameter changed in runs that continue one another
# (resetModel="false"), against the values worked out by hand; a computeChange reading a plugin's
# parameter and state, equal to `simulate --set` and to the hand-solved run; a plugin's state
# carried from a steady state (muscle's M, solved by hand); refusals naming the plugin and the value.
#
# The model (tests/plugins/data/tissue_inputs.xml) holds free IGF-1 constant at IGF_f = 0.15, so
# bone-linear's dBMD/dt = k (IGF_f / IGF_ref - 1) is a constant rate: BMD(t) = BMD(0) + k c t,
# c = 0.15 / IGF_ref - 1 (IGF_ref = 0.1176655 by default).
set -uo pipefail
axisim=$1 model=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
cp "$model" "$work/tissue_inputs.xml"

# doc PLUGIN CHANGES RESET END STEPS ANNOTATION-BODY: a repeated task over r = 0, 1 (two
# iterations; three with RESET=false) of the task `t` on the model, with CHANGES as its
# listOfChanges, reporting the plugin's BMD.
doc() {
  local plugin=$1 changes=$2 reset=$3 end=$4 steps=$5 body=${6:-}
  local values="<value>0</value><value>1</value>"
  [[ $reset == false ]] && values="$values<value>2</value>"
  cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sedML xmlns="http://sed-ml.org/sed-ml/level1/version4" level="1" version="4">
  <listOfModels>
    <model id="model" language="urn:sedml:language:sbml" source="tissue_inputs.xml">
      <annotation><axisim:plugins xmlns:axisim="https://axisim.org/ns/plugins/1"><axisim:plugin name="$plugin">$body</axisim:plugin></axisim:plugins></annotation>
    </model>
  </listOfModels>
  <listOfSimulations>
    <uniformTimeCourse id="sim" initialTime="0" outputStartTime="0" outputEndTime="$end" numberOfSteps="$steps">
      <algorithm kisaoID="KISAO:0000019"/>
    </uniformTimeCourse>
  </listOfSimulations>
  <listOfTasks>
    <task id="t" modelReference="model" simulationReference="sim"/>
    <repeatedTask id="scan" range="r" resetModel="$reset">
      <listOfRanges><vectorRange id="r">$values</vectorRange></listOfRanges>
      <listOfChanges>$changes</listOfChanges>
      <listOfSubTasks><subTask task="t" order="1"/></listOfSubTasks>
    </repeatedTask>
  </listOfTasks>
  <listOfDataGenerators>
    <dataGenerator id="bmd"><listOfVariables><variable id="v" symbol="urn:axisim:plugin:$plugin.BMD" taskReference="scan"/></listOfVariables>
      <math xmlns="http://www.w3.org/1998/Math/MathML"><ci>v</ci></math></dataGenerator>
  </listOfDataGenerators>
  <listOfOutputs>
    <report id="rep"><listOfDataSets><dataSet id="d" label="BMD" dataReference="bmd"/></listOfDataSets></report>
  </listOfOutputs>
</sedML>
XML
}
math() { echo "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">$1</math>"; }

# 1. A parameter by setValue (resetModel="true"): k = 1e-3 (1 + r), each iteration a run from the
#    model with that k, equal to simulate --plugin-param bone-linear.k=... and to k c t.
doc bone-linear "<setValue modelReference=\"model\" symbol=\"urn:axisim:plugin:bone-linear.k\" range=\"r\">
  $(math "<apply><times/><cn>1e-3</cn><apply><plus/><cn>1</cn><ci>r</ci></apply></apply>")</setValue>" true 10 2 >"$work/param.sedml"
"$axisim" run "$work/param.sedml" -o "$work/out" --no-plots 2>"$work/param.log" || fail "param.sedml: $(cat "$work/param.log")"
for k in 1e-3 2e-3; do
  "$axisim" simulate "$work/tissue_inputs.xml" --plugin bone-linear --plugin-param bone-linear.k=$k --end 10 --steps 2 \
    --select bone-linear.BMD -o "$work/param$k.csv" 2>/dev/null || fail "simulate --plugin-param bone-linear.k=$k"
done
# The same with bone (a Hill drive through the remodelling cycle): a_IGF = 0.2 (1 + r) over 10 days.
doc bone "<setValue modelReference=\"model\" symbol=\"urn:axisim:plugin:bone.a_IGF\" range=\"r\">
  $(math "<apply><times/><cn>0.2</cn><apply><plus/><cn>1</cn><ci>r</ci></apply></apply>")</setValue>" true 240 4 >"$work/bone.sedml"
"$axisim" run "$work/bone.sedml" -o "$work/out" --no-plots 2>"$work/bone.log" || fail "bone.sedml: $(cat "$work/bone.log")"
for a in 0.2 0.4; do
  "$axisim" simulate "$work/tissue_inputs.xml" --plugin bone --plugin-param bone.a_IGF=$a --end 240 --steps 4 \
    --select bone.BMD -o "$work/bone$a.csv" 2>/dev/null || fail "simulate --plugin-param bone.a_IGF=$a"
done

# 2. Runs that continue one another (resetModel="false", three iterations), each iteration
#    setting BMD := (s + o) / 2 + 1 from the state s and the output o (= BMD) as the run before
#    ended (the model's initial 0 at first), then k := 2 kk from the parameter kk: k = 2e-4,
#    4e-4, 8e-4 and BMD = 1 + 2e-4 c t, 2 + 2e-3 c + 4e-4 c t, 3 + 6e-3 c + 8e-4 c t.
doc bone-linear "<setValue modelReference=\"model\" symbol=\"urn:axisim:plugin:bone-linear.BMD\" range=\"r\">
  <listOfVariables><variable id=\"s\" symbol=\"urn:axisim:plugin:bone-linear.BMD\" modelReference=\"model\"/>
    <variable id=\"o\" symbol=\"urn:axisim:plugin:bone-linear.BMD_change_pct\" modelReference=\"model\"/></listOfVariables>
  $(math "<apply><plus/><apply><divide/><apply><plus/><ci>s</ci><ci>o</ci></apply><cn>2</cn></apply><cn>1</cn></apply>")</setValue>
<setValue modelReference=\"model\" symbol=\"urn:axisim:plugin:bone-linear.k\" range=\"r\">
  <listOfVariables><variable id=\"kk\" symbol=\"urn:axisim:plugin:bone-linear.k\" modelReference=\"model\"/></listOfVariables>
  $(math "<apply><times/><cn>2</cn><ci>kk</ci></apply>")</setValue>" false 10 2 >"$work/continue.sedml"
"$axisim" run "$work/continue.sedml" -o "$work/out" --no-plots 2>"$work/continue.log" || fail "continue.sedml: $(cat "$work/continue.log")"

# 3. A computeChange reading the plugin's parameter IGF_ref and its state BMD (1 by the
#    annotation): IGF_f := IGF_ref (2 + BMD) = 3 IGF_ref, so dBMD/dt = 2 k and BMD(t) = 1 + 2e-4 t;
#    equal to simulate --set bone-linear.BMD=1 --set IGF_f=0.3529965.
doc bone-linear "" true 10 2 '<axisim:state name="BMD" value="1"/>' |
  sed 's|source="tissue_inputs.xml">|source="tissue_inputs.xml"><listOfChanges><computeChange target="/sbml:sbml/sbml:model/sbml:listOfParameters/sbml:parameter[@id='"'IGF_f'"']/@value" xmlns:sbml="http://www.sbml.org/sbml/level3/version2/core"><listOfVariables><variable id="ref" symbol="urn:axisim:plugin:bone-linear.IGF_ref" modelReference="model"/><variable id="s" symbol="urn:axisim:plugin:bone-linear.BMD" modelReference="model"/></listOfVariables><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>ref</ci><apply><plus/><cn>2</cn><ci>s</ci></apply></apply></math></computeChange></listOfChanges>|; s|<listOfChanges></listOfChanges>||' \
  >"$work/compute.sedml"
"$axisim" run "$work/compute.sedml" -o "$work/out" --no-plots 2>"$work/compute.log" || fail "compute.sedml: $(cat "$work/compute.log")"
"$axisim" simulate "$work/tissue_inputs.xml" --plugin bone-linear --set bone-linear.BMD=1 --set IGF_f=0.3529965 --end 10 --steps 2 \
  --select bone-linear.BMD -o "$work/compute.csv" 2>/dev/null || fail "simulate --set IGF_f=0.3529965"

# 4. A steady state carries the plugins' states to the run after it (sub-tasks on one model): muscle's
#    M at the steady state, M* = M_ref (1 + a_M (h(F) - h(1))) with h(f) = f / (f + K_M), F = 0.15 /
#    IGF_ref, is where the time course after it starts and stays (not M_ref = 28 again).
cat >"$work/steady.sedml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sedML xmlns="http://sed-ml.org/sed-ml/level1/version4" level="1" version="4">
  <listOfModels>
    <model id="model" language="urn:sedml:language:sbml" source="tissue_inputs.xml">
      <annotation><axisim:plugins xmlns:axisim="https://axisim.org/ns/plugins/1"><axisim:plugin name="muscle"/></axisim:plugins></annotation>
    </model>
  </listOfModels>
  <listOfSimulations>
    <steadyState id="ss"><algorithm kisaoID="KISAO:0000282"/></steadyState>
    <uniformTimeCourse id="tc" initialTime="0" outputStartTime="0" outputEndTime="100" numberOfSteps="2">
      <algorithm kisaoID="KISAO:0000019"/>
    </uniformTimeCourse>
  </listOfSimulations>
  <listOfTasks>
    <task id="t_ss" modelReference="model" simulationReference="ss"/>
    <task id="t_tc" modelReference="model" simulationReference="tc"/>
    <repeatedTask id="both" range="r" resetModel="false">
      <listOfRanges><vectorRange id="r"><value>0</value></vectorRange></listOfRanges>
      <listOfSubTasks><subTask task="t_ss" order="1"/><subTask task="t_tc" order="2"/></listOfSubTasks>
    </repeatedTask>
  </listOfTasks>
  <listOfDataGenerators>
    <dataGenerator id="m"><listOfVariables><variable id="v" symbol="urn:axisim:plugin:muscle.M" taskReference="both"/></listOfVariables>
      <math xmlns="http://www.w3.org/1998/Math/MathML"><ci>v</ci></math></dataGenerator>
  </listOfDataGenerators>
  <listOfOutputs>
    <report id="rep"><listOfDataSets><dataSet id="d" label="M" dataReference="m"/></listOfDataSets></report>
  </listOfOutputs>
</sedML>
XML
"$axisim" run "$work/steady.sedml" -o "$work/out" --no-plots 2>"$work/steady.log" || fail "steady.sedml: $(cat "$work/steady.log")"

python3 - "$work" <<'PY' || exit 1
import csv, sys
w = sys.argv[1]
def report(name):
    return [float(x) for x in next(csv.reader(open(f"{w}/out/{name}.sedml/rep.csv")))[1:]]
def column(path, name):
    rows = list(csv.reader(open(path)))
    return [float(r[rows[0].index(name)]) for r in rows[1:]]
def close(got, want, what, rel=1e-9):
    if len(got) != len(want) or any(abs(a - b) > 1e-12 + rel * abs(b) for a, b in zip(got, want)):
        sys.exit(f"FAIL: {what}: {got}, expected {want}")
    print(f"{what}: {got}")
c = 0.15 / 0.1176655 - 1
t = [0, 5, 10]
got = report("param")
close(got, column(f"{w}/param1e-3.csv", "bone-linear.BMD") + column(f"{w}/param2e-3.csv", "bone-linear.BMD"),
      "bone-linear.k by setValue against simulate --plugin-param")
close(got, [k * c * x for k in (1e-3, 2e-3) for x in t], "bone-linear.k by setValue against k c t", 1e-8)
got = report("bone")
close(got, column(f"{w}/bone0.2.csv", "bone.BMD") + column(f"{w}/bone0.4.csv", "bone.BMD"),
      "bone.a_IGF by setValue against simulate --plugin-param")
if not got[4] < got[9]:
    sys.exit(f"FAIL: a larger a_IGF does not raise BMD more at IGF_f above its reference: {got}")
want = [1 + 2e-4 * c * x for x in t] + [2 + 2e-3 * c + 4e-4 * c * x for x in t] + [3 + 6e-3 * c + 8e-4 * c * x for x in t]
close(report("continue"), want, "plugin state, output and parameter read and set in continued runs", 1e-8)
got = report("compute")
close(got, column(f"{w}/compute.csv", "bone-linear.BMD") * 2, "computeChange reading plugin values against simulate --set")
close(got, [1 + 2e-4 * x for x in t] * 2, "computeChange reading plugin values against 1 + 2 k t", 1e-8)
h = lambda f: f / (f + 1.5)
m = 28 * (1 + 0.25 * (h(0.15 / 0.1176655) - h(1)))
close(report("steady"), [m] * 4, "muscle.M at a steady state and in the time course after it", 1e-6)
PY

# 5. Refusals, naming the plugin and the value; the run exits non-zero.
refused() {  # NAME SED_SCRIPT EXPECTED_MESSAGE: continue.sedml changed by SED_SCRIPT
  sed "$2" "$work/continue.sedml" >"$work/$1.sedml"
  "$axisim" run "$work/$1.sedml" -o "$work/bad" --no-plots 2>"$work/$1.log" && fail "$1.sedml ran"
  grep -qF "$3" "$work/$1.log" || fail "$1.sedml: the refusal does not say \"$3\": $(cat "$work/$1.log")"
  echo "$1: refused ($3)"
}
refused unknown 's|symbol="urn:axisim:plugin:bone-linear.k" range|symbol="urn:axisim:plugin:bone-linear.nope" range|' \
  "plugin 'bone-linear' has no state, output or parameter 'nope'"
refused unknown_read 's|variable id="kk" symbol="urn:axisim:plugin:bone-linear.k"|variable id="kk" symbol="urn:axisim:plugin:bone-linear.kay"|' \
  "variable 'kk': symbol 'urn:axisim:plugin:bone-linear.kay': plugin 'bone-linear' has no state, output or parameter 'kay'"
refused not_attached 's|variable id="kk" symbol="urn:axisim:plugin:bone-linear.k"|variable id="kk" symbol="urn:axisim:plugin:bone.k_B"|' \
  "no plugin 'bone' is attached to the model"
refused output 's|symbol="urn:axisim:plugin:bone-linear.k" range|symbol="urn:axisim:plugin:bone-linear.BMD_change_pct" range|' \
  "'BMD_change_pct' is an output of plugin 'bone-linear', which the plugin computes"
refused infinite 's|<apply><times/><cn>2</cn><ci>kk</ci></apply>|<apply><divide/><ci>kk</ci><cn>0</cn></apply>|' \
  "the value inf for plugin parameter 'bone-linear.k' is not a finite number"
