#!/usr/bin/env bash
# axisim sensitivities run as a user would: the long CSV against the analytic sensitivities of
# exponential decay (under every --linear-solver and --jacobian), --scaled, --select of an
# assignment rule, and bad input (unknown --wrt id, a
# reaction as --wrt, a delayed event) with the documented exit codes and no output file left behind;
# an event's jump against the analytic sensitivities.
# Usage: sensitivities_cli_test.sh AXISIM
set -u
AXISIM=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect() {
  local code=$1; shift
  "$@" >"$dir/out" 2>"$dir/err"
  local got=$?
  [ "$got" -eq "$code" ] || fail "exit $got (expected $code): $* -- $(head -c 400 "$dir/err")"
}
contains() { grep -q -- "$2" "$1" || fail "$1 lacks '$2': $(head -c 400 "$1")"; }

# S' = -k S, S0 = 2, k = 0.3; D = 3 S (assignment rule).
decay() { # [event XML]
  cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"><model id="decay">
<listOfCompartments><compartment id="C" size="1" spatialDimensions="3" constant="true"/></listOfCompartments>
<listOfSpecies><species id="S" compartment="C" initialConcentration="2" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>
<listOfParameters><parameter id="k" value="0.3" constant="true"/><parameter id="D" value="0" constant="false"/></listOfParameters>
<listOfRules><assignmentRule variable="D"><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><cn>3</cn><ci>S</ci></apply></math></assignmentRule></listOfRules>
<listOfReactions><reaction id="R" reversible="false"><listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
<kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>k</ci><ci>S</ci></apply></math></kineticLaw></reaction></listOfReactions>
${1:-}
</model></sbml>
XML
}
decay >"$dir/decay.xml"

expect 0 "$AXISIM" sensitivities "$dir/decay.xml" --wrt k,S --end 10 --steps 10 --rtol 1e-10 --atol 1e-14 -o "$dir/s.csv"
[ "$(head -1 "$dir/s.csv")" = "time,output,parameter,value" ] || fail "header: $(head -1 "$dir/s.csv")"
[ "$(wc -l <"$dir/s.csv")" -eq 23 ] || fail "expected 1 + 11 x 1 x 2 lines, got $(wc -l <"$dir/s.csv")"
# dS/dk = -t S0 e^{-kt}, dS/dS0 = e^{-kt}
awk -F, 'NR > 1 { e = exp(-0.3 * $1); x = ($3 == "k") ? -$1 * 2 * e : e;
                  d = $4 - x; if (d < 0) d = -d; if (d > 1e-7) { print "row " NR ": " $0 " expected " x; bad = 1 } }
         END { exit bad }' "$dir/s.csv" || fail "sensitivities differ from the analytic ones"
# D = 3 S: dD/dk = 3 dS/dk; scaled (k/D) dD/dk = -k t.
expect 0 "$AXISIM" sensitivities "$dir/decay.xml" --wrt k --select D --end 10 --steps 10 --scaled --rtol 1e-10 --atol 1e-14 -o "$dir/d.csv"
awk -F, 'NR > 1 { x = -0.3 * $1; d = $4 - x; if (d < 0) d = -d; if ($2 != "D" || d > 1e-6) { print "row " NR ": " $0; bad = 1 } }
         END { exit bad }' "$dir/d.csv" || fail "scaled sensitivities of D differ from -k t"
# Every linear solver and Jacobian gives the same analytic sensitivities.
for choice in "dense numeric" "dense analytic" "sparse analytic" "iterative analytic" "sparse numeric"; do
  set -- $choice
  expect 0 "$AXISIM" sensitivities "$dir/decay.xml" --wrt k --select S --end 10 --steps 10 --rtol 1e-10 --atol 1e-14 \
    --linear-solver "$1" --jacobian "$2" -o "$dir/c.csv"
  awk -F, 'NR > 1 { x = -$1 * 2 * exp(-0.3 * $1); d = $4 - x; if (d < 0) d = -d; if (d > 1e-7) { print "row " NR ": " $0; bad = 1 } }
           END { exit bad || NR != 12 }' "$dir/c.csv" || fail "--linear-solver $1 --jacobian $2: sensitivities differ from -t S0 e^{-kt}"
done
expect 2 "$AXISIM" sensitivities "$dir/decay.xml" --wrt k --jacobian symbolic -o "$dir/bad.csv"
[ -e "$dir/bad.csv" ] && fail "a bad --jacobian left an output file"
# --set changes the point the sensitivities are taken at.
expect 0 "$AXISIM" sensitivities "$dir/decay.xml" --wrt S --set S=5 --end 1 --steps 1 -o -
contains "$dir/out" "^1,S,S,0.74081"

# A local parameter (REACTION.ID): the same decay with k local to R.
sed 's#<parameter id="k" value="0.3" constant="true"/>##; s#</math></kineticLaw>#</math><listOfLocalParameters><localParameter id="k" value="0.3"/></listOfLocalParameters></kineticLaw>#' \
  "$dir/decay.xml" >"$dir/local.xml"
expect 0 "$AXISIM" sensitivities "$dir/local.xml" --wrt R.k --select S --end 10 --steps 10 --rtol 1e-10 --atol 1e-14 -o "$dir/l.csv"
awk -F, 'NR > 1 { x = -$1 * 2 * exp(-0.3 * $1); d = $4 - x; if (d < 0) d = -d; if ($3 != "R.k" || d > 1e-7) { print "row " NR ": " $0; bad = 1 } }
         END { exit bad || NR != 12 }' "$dir/l.csv" || fail "sensitivities to the local parameter R.k differ from -t S0 e^{-kt}"

# Bad input: exit codes, the id named, no output file.
expect 4 "$AXISIM" sensitivities "$dir/decay.xml" --wrt k,nope -o "$dir/bad.csv"
contains "$dir/err" "nope"
[ -e "$dir/bad.csv" ] && fail "bad --wrt left an output file"
expect 2 "$AXISIM" sensitivities "$dir/decay.xml" --wrt R -o "$dir/bad.csv"
contains "$dir/err" "'R' is not a parameter"
[ -e "$dir/bad.csv" ] && fail "--wrt R left an output file"
# An event at t = 1 resets S to 1: dS/dk = -2 t e^{-kt} before, -(t - 1) e^{-k(t-1)} after (the
# reset's time and value do not depend on k).
kick() { # [delay XML]
  decay "<listOfEvents><event id=\"kick\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" persistent=\"true\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><gt/><csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/time\">t</csymbol><cn>1</cn></apply></math></trigger>${1:-}<listOfEventAssignments><eventAssignment variable=\"S\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><cn>1</cn></math></eventAssignment></listOfEventAssignments></event></listOfEvents>"
}
kick >"$dir/event.xml"
expect 0 "$AXISIM" sensitivities "$dir/event.xml" --wrt k --end 4 --steps 8 --rtol 1e-10 --atol 1e-14 -o "$dir/e.csv"
awk -F, 'NR > 1 { t = $1; x = (t <= 1) ? -2 * t * exp(-0.3 * t) : -(t - 1) * exp(-0.3 * (t - 1));
                  d = $4 - x; if (d < 0) d = -d; if (d > 1e-7) { print "row " NR ": " $0 " expected " x; bad = 1 } }
         END { exit bad || NR != 10 }' "$dir/e.csv" || fail "sensitivities across the event differ from the analytic ones"
# A delayed event is refused, named.
kick '<delay><math xmlns="http://www.w3.org/1998/Math/MathML"><cn>0.5</cn></math></delay>' >"$dir/delayed.xml"
expect 3 "$AXISIM" sensitivities "$dir/delayed.xml" --wrt k -o "$dir/bad.csv"
contains "$dir/err" "event 'kick' has a delay"
[ -e "$dir/bad.csv" ] && fail "a refused model left an output file"
expect 2 "$AXISIM" sensitivities "$dir/decay.xml" -o "$dir/bad.csv"

[ "$failures" -eq 0 ] && echo "sensitivities CLI: all checks passed"
exit $(( failures > 0 ))
