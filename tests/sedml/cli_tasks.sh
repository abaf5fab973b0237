#!/usr/bin/env bash
# axisim run with other kinds of simulation than CVODE time courses: exact stochastic simulation
# (ssa.sedml) equal to `axisim simulate --method ssa` with the same seed, and flux balance
# analysis (fba.sedml) with the network's exact optimum, flux variability analysis (fva.sedml),
# parsimonious FBA (pfba.sedml) and FBA's duals (duals.sedml) with the ranges, fluxes and duals
# worked out by hand; algorithms axisim
# does not have are refused naming the KiSAO term.
set -uo pipefail
axisim=$1 data=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$axisim" run "$data/ssa.sedml" -o "$work/ssa" 2>"$work/ssa.log" || fail "ssa.sedml: exit $? ($(cat "$work/ssa.log"))"
"$axisim" simulate "$data/decay.xml" --method ssa --seed 7 --end 4 --steps 8 -o "$work/one.csv" 2>/dev/null || fail "simulate ssa"
"$axisim" simulate "$data/decay.xml" --method ssa --seed 7 --end 4 --steps 8 --replicates 200 -o "$work/mean.csv" 2>/dev/null ||
  fail "simulate ssa --replicates"
grep -q "KISAO:0000027" "$work/ssa.log" || fail "the substitution of KISAO:0000027 is not said"
python3 - "$work" <<'PY' || exit 1
import csv, math, sys
w = sys.argv[1]
def report(name):
    with open(f"{w}/ssa/ssa.sedml/{name}.csv") as f:
        return {r[0]: [float(x) for x in r[1:]] for r in csv.reader(f)}
def table(name):
    with open(f"{w}/{name}.csv") as f:
        rows = list(csv.reader(f))
    return {h: [float(r[i]) for r in rows[1:]] for i, h in enumerate(rows[0])}
one, mean, rep = report("one"), report("mean"), report("repeated")
sim_one, sim_mean = table("one"), table("mean")
# One trajectory: replicate 0 of seed 7, exactly simulate --method ssa --seed 7's.
if one["time"] != sim_one["time"] or one["S"] != sim_one["S"]:
    sys.exit(f"FAIL: ssa one: {one} is not simulate's {sim_one}")
if any(x != round(x) for x in one["S"]) or one["S"][0] != 10:
    sys.exit(f"FAIL: ssa one: S is not a count starting at 10: {one['S']}")
# 200 runs: the mean, exactly simulate --replicates 200's S-mean; and near 10 exp(-0.5 t)
# (sd of the count is sqrt(10 p (1 - p)), p = exp(-0.5 t); within 4 standard errors).
if mean["S-mean"] != sim_mean["S-mean"]:
    sys.exit(f"FAIL: ssa mean: {mean['S-mean']} is not simulate's {sim_mean['S-mean']}")
for t, m in zip(mean["time"], mean["S-mean"]):
    p = math.exp(-0.5 * t)
    se = math.sqrt(10 * p * (1 - p) / 200)
    if abs(m - 10 * p) > 4 * se + 1e-12:
        sys.exit(f"FAIL: ssa mean at t = {t}: {m}, exact {10 * p}, standard error {se}")
# Repeated 3 times: 3 x 9 values; the first run is replicate 0 (the same trajectory), the next
# ones draw their own streams (not all equal to the first).
s = rep["S"]
if len(s) != 27 or s[:9] != one["S"] or (s[9:18] == s[:9] and s[18:] == s[:9]):
    sys.exit(f"FAIL: repeated ssa: {s}")
if s[9] != 10 or s[18] != 10:
    sys.exit(f"FAIL: repeated ssa: each repeat does not start from the model's 10 molecules: {s}")
print("ssa: one trajectory and the mean of 200 equal simulate --method ssa's; repeats draw their own streams")
PY

"$axisim" run "$data/fba.sedml" -o "$work/fba" 2>"$work/fba.log" || fail "fba.sedml: exit $? ($(cat "$work/fba.log"))"
expected=$'OBJ,13\nOBJ2,14\nR1,7\nR2,3'
[[ $(cat "$work/fba/fba.sedml/fluxes.csv") == "$expected" ]] || fail "fba.sedml: $(cat "$work/fba/fba.sedml/fluxes.csv")"

# pFBA by the fewest active fluxes (KISAO:0000554): at this optimum both R1 and R2 must carry flux
# (R2 <= 3, Rout = Rin + R2 = 13), so the result is FBA's.
sed 's/KISAO:0000437/KISAO:0000554/' "$data/fba.sedml" >"$work/fewest.sedml"
cp "$data/tiny_fbc.xml" "$work/"
"$axisim" run "$work/fewest.sedml" -o "$work/fewest" 2>"$work/fewest.log" || fail "fewest.sedml: exit $? ($(cat "$work/fewest.log"))"
[[ $(cat "$work/fewest/fewest.sedml/fluxes.csv") == "$expected" ]] || fail "fewest.sedml: $(cat "$work/fewest/fewest.sedml/fluxes.csv")"

# Flux variability analysis (KISAO:0000526) and parsimonious FBA (KISAO:0000528) at half the
# optimum (KISAO:0000531 = 0.5), against the ranges and fluxes worked out by hand in the files.
"$axisim" run "$data/fva.sedml" -o "$work/fva" 2>"$work/fva.log" || fail "fva.sedml: exit $? ($(cat "$work/fva.log"))"
"$axisim" run "$data/pfba.sedml" -o "$work/pfba" 2>"$work/pfba.log" || fail "pfba.sedml: exit $? ($(cat "$work/pfba.log"))"
# FBA's duals (KISAO:0000437, @reducedCost and @shadowPrice), worked out by hand in the file.
"$axisim" run "$data/duals.sedml" -o "$work/duals" 2>"$work/duals.log" || fail "duals.sedml: exit $? ($(cat "$work/duals.log"))"
# Loopless FVA (KISAO:0000532 = true) of a network without loops: FVA's ranges.
cp "$data/tiny_fbc.xml" "$work/"
sed 's|<algorithmParameter kisaoID="KISAO:0000553" value="GLPK"/>|<algorithmParameter kisaoID="KISAO:0000532" value="true"/>|' \
  "$data/fva.sedml" >"$work/loopless.sedml"
grep -q "KISAO:0000532" "$work/loopless.sedml" || fail "loopless.sedml not made"
"$axisim" run "$work/loopless.sedml" -o "$work/loopless" 2>"$work/loopless.log" ||
  fail "loopless.sedml: exit $? ($(cat "$work/loopless.log"))"
# The same by the mixed-integer program (KISAO:0000532 = exact, axisim's value): FVA's ranges too.
sed 's|KISAO:0000532" value="true"|KISAO:0000532" value="exact"|' "$work/loopless.sedml" >"$work/loopless_exact.sedml"
grep -q 'value="exact"' "$work/loopless_exact.sedml" || fail "loopless_exact.sedml not made"
"$axisim" run "$work/loopless_exact.sedml" -o "$work/loopless_exact" 2>"$work/loopless_exact.log" ||
  fail "loopless_exact.sedml: exit $? ($(cat "$work/loopless_exact.log"))"
# pFBA's duals (KISAO:0000528 at half the optimum, duals.sedml's targets): those of its
# least-total-flux program, by hand (tests/unit/test_fba_duals.cpp's Python twin): Rout >= 7 gives
# R2 = 3.5, Rin = 3.5, R1 = 0; a required net production of B or C costs +1 each, forcing a unit
# through R1 +1, Rin and R2 (between their bounds) 0; the objective's value at these fluxes 7.
sed 's|<algorithm kisaoID="KISAO:0000437"/>|<algorithm kisaoID="KISAO:0000528"><listOfAlgorithmParameters><algorithmParameter kisaoID="KISAO:0000531" value="0.5"/></listOfAlgorithmParameters></algorithm>|' \
  "$data/duals.sedml" >"$work/pfba_duals.sedml"
grep -q "KISAO:0000528" "$work/pfba_duals.sedml" || fail "pfba_duals.sedml not made"
"$axisim" run "$work/pfba_duals.sedml" -o "$work/pfba_duals" 2>"$work/pfba_duals.log" ||
  fail "pfba_duals.sedml: exit $? ($(cat "$work/pfba_duals.log"))"
# FVA with a pFBA factor of 1 (KISAO:0000533): only pFBA's flux vector (pfba.sedml's by hand), so
# each range is that one point.
cp "$data/tiny_fbc.xml" "$work/"
sed 's|<algorithmParameter kisaoID="KISAO:0000553" value="GLPK"/>|<algorithmParameter kisaoID="KISAO:0000533" value="1"/>|' \
  "$data/fva.sedml" >"$work/fva_factor.sedml"
grep -q "KISAO:0000533" "$work/fva_factor.sedml" || fail "fva_factor.sedml not made"
"$axisim" run "$work/fva_factor.sedml" -o "$work/fva_factor" 2>"$work/fva_factor.log" ||
  fail "fva_factor.sedml: exit $? ($(cat "$work/fva_factor.log"))"
# Geometric FBA (KISAO:0000527) with pfba.sedml's settings: its first round keeps pFBA's set, here
# one vector (worked out by hand in pfba.sedml), so it is that vector.
cp "$data/tiny_fbc.xml" "$work/"
sed 's|KISAO:0000528|KISAO:0000527|' "$data/pfba.sedml" >"$work/geometric.sedml"
grep -q "KISAO:0000527" "$work/geometric.sedml" || fail "geometric.sedml not made"
"$axisim" run "$work/geometric.sedml" -o "$work/geometric" 2>"$work/geometric.log" ||
  fail "geometric.sedml: exit $? ($(cat "$work/geometric.log"))"
python3 - "$work" <<'PY' || exit 1
import csv, sys
w = sys.argv[1]
def report(name):
    with open(f"{w}/{name}/{name}.sedml/fluxes.csv") as f:
        return {r[0]: float(r[1]) for r in csv.reader(f)}
expected = {
    "loopless": {"Rin_min": 3.5, "Rin_max": 10, "R1_min": 0.5, "R1_max": 10, "R2_min": 0, "R2_max": 3,
                 "Rout_min": 6.5, "Rout_max": 13},
    "loopless_exact": {"Rin_min": 3.5, "Rin_max": 10, "R1_min": 0.5, "R1_max": 10, "R2_min": 0, "R2_max": 3,
                       "Rout_min": 6.5, "Rout_max": 13},
    "pfba_duals": {"OBJ": 7, "Rin_rc": 0, "R1_rc": 1, "R2_rc": 0, "B_sp": 1, "C_sp": 1, "X_sp": 0},
    "fva_factor": {"Rin_min": 3.5, "Rin_max": 3.5, "R1_min": 0.5, "R1_max": 0.5, "R2_min": 3, "R2_max": 3,
                   "Rout_min": 6.5, "Rout_max": 6.5},
    "duals": {"OBJ": 14, "Rin_rc": 1, "R1_rc": 0, "R2_rc": 1, "B_sp": -1, "C_sp": -1, "X_sp": 0},
    "fva": {"Rin_min": 3.5, "Rin_max": 10, "R1_min": 0.5, "R1_max": 10, "R2_min": 0, "R2_max": 3,
            "Rout_min": 6.5, "Rout_max": 13},
    "pfba": {"Rin": 3.5, "R1": 0.5, "R2": 3, "Rout": 6.5, "OBJ": 6.5, "OBJ2": 1},
    "geometric": {"Rin": 3.5, "R1": 0.5, "R2": 3, "Rout": 6.5, "OBJ": 6.5, "OBJ2": 1},
}
for name, want in expected.items():
    got = report(name)
    if set(got) != set(want) or any(abs(got[k] - v) > 1e-6 * max(1, abs(v)) for k, v in want.items()):
        sys.exit(f"FAIL: {name}.sedml: {got}, expected {want}")
print("fva, pfba, geometric, duals, pfba duals: the ranges, fluxes and duals worked out by hand")
PY
# A target the variant does not give (a plain flux under FVA, a range under pFBA, duals under pFBA
# by the fewest active fluxes) is refused (exit 3), naming what is wrong.
cp "$data/tiny_fbc.xml" "$work/"
refuse() {  # refuse NAME FILE WORD: exit 3 with WORD in the log
  "$axisim" run "$2" -o "$work/$1" 2>"$work/$1.log"
  local code=$?
  [[ $code == 3 ]] && grep -q -- "$3" "$work/$1.log" || fail "$1: exit $code ($(cat "$work/$1.log"))"
}
sed "s|/@minFlux|/@flux|" "$data/fva.sedml" >"$work/fva_flux.sedml"
refuse fva_flux "$work/fva_flux.sedml" "minFlux and maxFlux"
sed 's|KISAO:0000528|KISAO:0000437|; s|/@flux"|/@maxFlux"|g' "$data/pfba.sedml" >"$work/fba_range.sedml"
refuse fba_range "$work/fba_range.sedml" "flux variability analysis (KISAO:0000526), not of flux balance analysis"
sed 's|KISAO:0000437|KISAO:0000554|' "$data/duals.sedml" >"$work/fewest_duals.sedml"
refuse fewest_duals "$work/fewest_duals.sedml" "mixed-integer program, which has no duals"
# A shadow price of a reaction (a reduced cost is the reaction's dual) is refused.
sed "s|sbml:listOfSpecies/sbml:species\[@id='X'\]/@shadowPrice|sbml:listOfReactions/sbml:reaction[@id='R1']/@shadowPrice|" \
  "$data/duals.sedml" >"$work/reaction_price.sedml"
grep -q "reaction\[@id='R1'\]/@shadowPrice" "$work/reaction_price.sedml" || fail "reaction_price.sedml not made"
refuse reaction_price "$work/reaction_price.sedml" "a species' shadowPrice"

# Dynamic FBA (KISAO:0000499) of tiny_fbc.xml as a batch culture (data/dfba.sedml): the description
# inline in the algorithm's annotation, then from a file beside the document; against the closed form
# worked out in the file (P = 0.1 e^(2t), X = 1 - (P - 0.1) / 2 until X is spent at ln(21) / 2).
"$axisim" run "$data/dfba.sedml" -o "$work/dfba" 2>"$work/dfba.log" || fail "dfba.sedml: exit $? ($(cat "$work/dfba.log"))"
cp "$data/tiny_fbc.xml" "$work/"
printf 'biomass_reaction = "Rout"\nbiomass_id = "P"\ninitial_biomass = 0.1\n[[exchange]]\nreaction = "Rin"\ninitial = 1\nvmax = 1\n' \
  >"$work/culture.toml"
python3 - "$data/dfba.sedml" "$work/dfba_file.sedml" <<'PY' || fail "dfba_file.sedml not made"
import re, sys
text = open(sys.argv[1]).read()
text, n = re.subn(r'<axisim:dfba xmlns:axisim="([^"]*)">.*?</axisim:dfba>',
                  r'<axisim:dfba xmlns:axisim="\1" source="culture.toml"/>', text, flags=re.S)
assert n == 1
open(sys.argv[2], "w").write(text)
PY
"$axisim" run "$work/dfba_file.sedml" -o "$work/dfba_file" 2>"$work/dfba_file.log" ||
  fail "dfba_file.sedml: exit $? ($(cat "$work/dfba_file.log"))"
python3 - "$work" <<'PY' || exit 1
import csv, math, sys
w = sys.argv[1]
for name in ("dfba", "dfba_file"):
    with open(f"{w}/{name}/{name}.sedml/culture_report.csv") as f:
        got = {r[0]: [float(x) for x in r[1:]] for r in csv.reader(f)}
    t = [0, 0.5, 1, 1.5, 2]
    p = [0.1 * math.exp(2 * x) if x < math.log(21) / 2 else 2.1 for x in t]
    want = {"time": t, "biomass": p, "medium": [max(0.0, 1 - (v - 0.1) / 2) for v in p],
            "growth": [2, 2, 2, 2, 0], "uptake": [1, 1, 1, 1, 0]}
    if set(got) != set(want) or any(len(got[k]) != 5 or any(abs(a - b) > 1e-9 * max(1, abs(b)) for a, b in zip(got[k], v))
                                    for k, v in want.items()):
        sys.exit(f"FAIL: {name}.sedml: {got}, expected {want}")
print("dfba: the culture's closed form, inline and from a file")
PY
# The same culture fed (volume 1, feed rate 0.5 of X at 2) with a lexicographic objective after the
# model's (R1 maximised, growth held within 25 %): the description is read as `axisim fba --dynamic`
# reads it. By hand: Rin = 1, Rout >= 1.5 with R1 + R2 = 1 gives R1 = 0.5 and growth mu = 1.5;
# V = 1 + 0.5 t, P V = 0.1 e^(1.5 t), X V = 1 + t - 0.1 (e^(1.5 t) - 1) / 1.5 (above 0 to t = 2).
python3 - "$data/dfba.sedml" "$work/dfba_fed.sedml" <<'PY' || fail "dfba_fed.sedml not made"
import re, sys
text = open(sys.argv[1]).read()
toml = ('biomass_reaction = "Rout"\nbiomass_id = "P"\ninitial_biomass = 0.1\nvolume = 1\nfeed_rate = 0.5\n'
        'objective_tolerance = 0.25\n[[exchange]]\nreaction = "Rin"\ninitial = 1\nvmax = 1\nfeed = 2\n'
        '[[objective]]\nreaction = "R1"\nsense = "max"\n')
text, n = re.subn(r'(<axisim:dfba xmlns:axisim="[^"]*">).*?(</axisim:dfba>)', lambda m: m.group(1) + toml + m.group(2),
                  text, flags=re.S)
assert n == 1
open(sys.argv[2], "w").write(text)
PY
"$axisim" run "$work/dfba_fed.sedml" -o "$work/dfba_fed" 2>"$work/dfba_fed.log" ||
  fail "dfba_fed.sedml: exit $? ($(cat "$work/dfba_fed.log"))"
python3 - "$work" <<'PY' || exit 1
import csv, math, sys
with open(f"{sys.argv[1]}/dfba_fed/dfba_fed.sedml/culture_report.csv") as f:
    got = {r[0]: [float(x) for x in r[1:]] for r in csv.reader(f)}
t = [0, 0.5, 1, 1.5, 2]
v = [1 + 0.5 * x for x in t]
want = {"time": t, "biomass": [0.1 * math.exp(1.5 * x) / w for x, w in zip(t, v)],
        "medium": [(1 + x - 0.1 * math.expm1(1.5 * x) / 1.5) / w for x, w in zip(t, v)],
        "growth": [1.5] * 5, "uptake": [1] * 5}
if set(got) != set(want) or any(len(got[k]) != 5 or any(abs(a - b) > 1e-9 * max(1, abs(b)) for a, b in zip(got[k], w))
                                for k, w in want.items()):
    sys.exit(f"FAIL: dfba_fed.sedml: {got}, expected {want}")
print("dfba_fed: the fed culture's closed form, with a lexicographic objective")
PY
# Without the description, or on a steadyState, dynamic FBA is refused (exit 3) naming the term.
python3 - "$data/dfba.sedml" "$work/dfba_bare.sedml" <<'PY' || fail "dfba_bare.sedml not made"
import re, sys
text = open(sys.argv[1]).read()
text, n = re.subn(r'<annotation>.*?</annotation>', '', text, flags=re.S)
assert n == 1
open(sys.argv[2], "w").write(text)
PY
refuse dfba_bare "$work/dfba_bare.sedml" "KISAO:0000499"
grep -q "axisim:dfba" "$work/dfba_bare.log" || fail "dfba_bare: the annotation is not named ($(cat "$work/dfba_bare.log"))"

# The hybrid method (KISAO:0000575) and dynamic FBA on a steadyState: refused (exit 3) naming the term.
for term in KISAO:0000575 KISAO:0000499; do
  sed "s/KISAO:0000437/$term/" "$data/fba.sedml" >"$work/refused.sedml"
  cp "$data/tiny_fbc.xml" "$work/"
  "$axisim" run "$work/refused.sedml" -o "$work/refused" 2>"$work/refused.log"
  code=$?
  [[ $code == 3 ]] && grep -q "$term" "$work/refused.log" || fail "$term: exit $code ($(cat "$work/refused.log"))"
done
echo "axisim run (ssa, fba, fva, pfba): OK"
