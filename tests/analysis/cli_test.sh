#!/usr/bin/env bash
# The analysis commands (moieties, steady, mca; simulate --reduce-moieties) run as a user would: outputs, files written
# whole, and bad input (missing file, unknown id, refused feature, bad option, no steady state)
# with the documented exit codes and no output file left behind.
# Usage: cli_test.sh AXISIM SBML_MODELS_DIR
set -u
AXISIM=$1
MODELS=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect CODE CMD...: runs CMD, stdout to $dir/out, stderr to $dir/err, checks the exit code.
expect() {
  local code=$1; shift
  "$@" >"$dir/out" 2>"$dir/err"
  local got=$?
  [ "$got" -eq "$code" ] || fail "exit $got (expected $code): $* -- $(head -c 400 "$dir/err")"
}
contains() { grep -q -- "$2" "$1" || fail "$1 lacks '$2': $(head -c 400 "$1")"; }

species() { # id concentration [boundary]
  echo "<species id=\"$1\" compartment=\"C\" initialConcentration=\"$2\" hasOnlySubstanceUnits=\"false\" boundaryCondition=\"${3:-false}\" constant=\"false\"/>"
}
param() { echo "<parameter id=\"$1\" value=\"$2\" constant=\"true\"/>"; }
# reaction id "reactant-or-empty" "product-or-empty" "ci-or-apply MathML"
reaction() {
  local r="" p=""
  [ -n "$2" ] && r="<listOfReactants><speciesReference species=\"$2\" stoichiometry=\"1\" constant=\"true\"/></listOfReactants>"
  [ -n "$3" ] && p="<listOfProducts><speciesReference species=\"$3\" stoichiometry=\"1\" constant=\"true\"/></listOfProducts>"
  echo "<reaction id=\"$1\" reversible=\"false\">$r$p<kineticLaw><math xmlns=\"http://www.w3.org/1998/Math/MathML\">$4</math></kineticLaw></reaction>"
}
model() { # id species params reactions [events]
  cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"><model id="$1">
<listOfCompartments><compartment id="C" size="1" spatialDimensions="3" constant="true"/></listOfCompartments>
<listOfSpecies>$2</listOfSpecies><listOfParameters>$3</listOfParameters><listOfReactions>$4</listOfReactions>${5:-}
</model></sbml>
XML
}
times() { echo "<apply><times/><ci>$1</ci><ci>$2</ci></apply>"; }

# A <-> B, closed: A + B = 4; A = 4 k2 / (k1 + k2) = 0.8.
model closed "$(species A 3)$(species B 1)" "$(param k1 2)$(param k2 0.5)" \
  "$(reaction f A B "$(times k1 A)")$(reaction b B A "$(times k2 B)")" >"$dir/closed.xml"
# Schlogl-like: 0 -> X at p, X -> 0 at k x, autocatalysis written as one reaction with a cubic law.
cubic="<apply><minus/><apply><plus/><ci>p</ci><apply><times/><cn>6</cn><apply><power/><ci>X</ci><cn>2</cn></apply></apply></apply><apply><power/><ci>X</ci><cn>3</cn></apply></apply>"
model schlogl "$(species X 0.1)" "$(param p 2)$(param k4 10)" \
  "$(reaction growth "" X "$cubic")$(reaction decay X "" "$(times k4 X)")" >"$dir/schlogl.xml"
event='<listOfEvents><event id="reset" useValuesFromTriggerTime="true"><trigger initialValue="false" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><gt/><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time">t</csymbol><cn>1</cn></apply></math></trigger><listOfEventAssignments><eventAssignment variable="A"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn>3</cn></math></eventAssignment></listOfEventAssignments></event></listOfEvents>'
model evented "$(species A 3)$(species B 1)" "$(param k1 2)$(param k2 0.5)" \
  "$(reaction f A B "$(times k1 A)")$(reaction b B A "$(times k2 B)")" "$event" >"$dir/evented.xml"
# 0 -> S -> P: P grows without bound.
model open "$(species S 0)$(species P 0)" "$(param k 1)" \
  "$(reaction in "" S "<cn>1</cn>")$(reaction conv S P "$(times k S)")" >"$dir/open.xml"

# --- moieties
expect 0 "$AXISIM" moieties "$dir/closed.xml"
contains "$dir/out" "A + B = 4"
contains "$dir/out" "exact"
expect 0 "$AXISIM" moieties "$dir/closed.xml" --csv -o "$dir/laws.csv"
contains "$dir/laws.csv" "law,dependent,species,coefficient,total"
contains "$dir/laws.csv" "1,B,A,1,4"
expect 4 "$AXISIM" moieties "$dir/missing.xml"
contains "$dir/err" "missing.xml"

# --- steady
expect 0 "$AXISIM" steady "$dir/closed.xml" -o "$dir/ss.csv"
contains "$dir/ss.csv" "^A,B,method,residual,stability,max_real_eigenvalue,determinant_sign$"
contains "$dir/ss.csv" "^0.8,3.2,newton,"
contains "$dir/err" "1 conservation law"
expect 0 "$AXISIM" steady "$dir/closed.xml" --select B --method pseudo-transient
contains "$dir/out" "^3.2,pseudo-transient,"
expect 4 "$AXISIM" steady "$dir/closed.xml" --select nope -o "$dir/never.csv"
contains "$dir/err" "'nope'"
[ -e "$dir/never.csv" ] && fail "a failed steady left $dir/never.csv"
expect 3 "$AXISIM" steady "$dir/evented.xml" -o "$dir/never.csv"
contains "$dir/err" "event 'reset'"
[ -e "$dir/never.csv" ] && fail "a refused steady left $dir/never.csv"
expect 5 "$AXISIM" steady "$dir/open.xml" --max-time 100
contains "$dir/err" "'P' still changes"
expect 2 "$AXISIM" steady "$dir/closed.xml" --method sideways
expect 2 "$AXISIM" steady "$dir/schlogl.xml" --scan p=2:6
expect 2 "$AXISIM" steady "$dir/schlogl.xml" --scan p=2:6:10 --wrt k4

# --- steady --scan: the lower branch ends near p = 5.0887 (fold row), then the upper branch
expect 0 "$AXISIM" steady "$dir/schlogl.xml" --scan p=2:6:41 -o "$dir/scan.csv"
contains "$dir/scan.csv" "^p,X,method,residual,stability,max_real_eigenvalue,determinant_sign,note$"
contains "$dir/scan.csv" "^5.088[0-9]*,NaN,,,,,,fold: turning point between"
contains "$dir/scan.csv" ",jump$"
[ "$(grep -c . "$dir/scan.csv")" -eq 43 ] || fail "scan.csv should have a header, 41 points and 1 fold"

# --- steady --wrt: d A / d k1 = -4 k2 / (k1 + k2)^2 = -0.32
expect 0 "$AXISIM" steady "$dir/closed.xml" --wrt k1,k2 --select A
contains "$dir/out" "^output,parameter,steady_value,parameter_value,sensitivity,scaled_sensitivity$"
contains "$dir/out" "^A,k1,0.8,2,-0.3[12]"

# --- mca
expect 0 "$AXISIM" mca "$dir/closed.xml"
contains "$dir/out" "scaled flux control coefficients"
contains "$dir/out" "flux summation"
expect 0 "$AXISIM" mca "$dir/closed.xml" -o "$dir/mca.csv"
contains "$dir/mca.csv" "^quantity,row,column,value$"
contains "$dir/mca.csv" "^theorem,flux_summation,,"
expect 5 "$AXISIM" mca "$dir/open.xml" --max-time 100 -o "$dir/never.csv"
[ -e "$dir/never.csv" ] && fail "a failed mca left $dir/never.csv"

# --- simulate --reduce-moieties: the reduced system (B from A + B = 4, reset by the event)
# gives the whole system's numbers to the tolerances.
expect 0 "$AXISIM" simulate "$dir/evented.xml" --end 3 --steps 12 --rtol 1e-10 --atol 1e-14 -o "$dir/whole.csv"
expect 0 "$AXISIM" simulate "$dir/evented.xml" --end 3 --steps 12 --rtol 1e-10 --atol 1e-14 --reduce-moieties --stats \
  -o "$dir/reduced.csv"
contains "$dir/err" "reduced by 1 conservation law"
paste -d, "$dir/whole.csv" "$dir/reduced.csv" | awk -F, 'NR > 1 { for (i = 1; i <= 3; ++i) { d = $i - $(i + 3); if (d < 0) d = -d;
  if (d > 1e-8 * (1 + ($i < 0 ? -$i : $i))) { print "row " NR ": " $0; bad = 1 } } } END { exit bad || NR != 14 }' ||
  fail "simulate --reduce-moieties differs from the whole system"
expect 2 "$AXISIM" simulate "$dir/evented.xml" --reduce-moieties --method ssa --replicates 2

# --- the flagship
expect 0 "$AXISIM" steady "$MODELS/gut_liver_igf1.xml" --select IGF1_total,IGF1_free_pct
contains "$dir/out" "^IGF1_total,IGF1_free_pct,method"
contains "$dir/out" ",newton,"
expect 0 "$AXISIM" mca "$MODELS/gut_liver_igf1.xml"
contains "$dir/out" "general form"
grep -q "connectivity.*C^J E L + C^J_o D_o = 0 *[0-9.e-]*$" "$dir/out" || fail "mca of the flagship: no general flux connectivity line"
awk '/^  (flux|concentration) connectivity/ { n++; v = $NF + 0; if (!(v < 1e-6)) bad = 1 } END { exit bad || n != 2 }' "$dir/out" ||
  fail "mca of the flagship: a connectivity theorem deviates: $(grep connectivity "$dir/out")"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "analysis CLI: all checks passed"
