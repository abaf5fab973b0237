#!/usr/bin/env bash
# axisim run from the command line: reports in the BioSimulators layout, the exit code of bad
# SED-ML (4 for a missing model file, with the good report still written), COMBINE archives.
set -uo pipefail
axisim=$1 data=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$axisim" run "$data/basic.sedml" -o "$work/basic" 2>"$work/basic.log" || fail "basic.sedml: exit $? ($(cat "$work/basic.log"))"
[[ -f $work/basic/basic.sedml/report.csv ]] || fail "no basic.sedml/report.csv"
# Row 2 is S with k = 0.2: at t = 10 it is 10 exp(-2) = 1.353352832366127.
awk -F, 'NR == 2 { v = $NF; d = v - 1.353352832366127; if (d < 0) d = -d; exit !(d < 1e-5) }' \
  "$work/basic/basic.sedml/report.csv" || fail "S(10) in report.csv is not 10 exp(-2)"

"$axisim" run -i "$data/bad.sedml" -o "$work/bad" 2>"$work/bad.log"
code=$?
[[ $code == 4 ]] || fail "bad.sedml: exit $code, expected 4"
grep -q "model 'missing'" "$work/bad.log" || fail "bad.sedml: the missing model is not named"
grep -q "KISAO:9999999" "$work/bad.log" || fail "bad.sedml: the unknown KiSAO id is not named"
[[ -f $work/bad/bad.sedml/good.csv ]] || fail "bad.sedml: the good report was not written"

# A COMBINE archive: the SED-ML in a sub-folder, its model beside it, a manifest.
python3 - "$data" "$work/archive.omex" <<'PY'
import sys, zipfile
data, target = sys.argv[1], sys.argv[2]
manifest = """<?xml version="1.0" encoding="UTF-8"?>
<omexManifest xmlns="http://identifiers.org/combine.specifications/omex-manifest">
  <content location="." format="http://identifiers.org/combine.specifications/omex"/>
  <content location="./exp/basic.sedml" format="http://identifiers.org/combine.specifications/sed-ml" master="true"/>
  <content location="./exp/decay.xml" format="http://identifiers.org/combine.specifications/sbml"/>
</omexManifest>
"""
with zipfile.ZipFile(target, "w") as z:
    z.writestr("manifest.xml", manifest)
    z.write(data + "/basic.sedml", "exp/basic.sedml")
    z.write(data + "/decay.xml", "exp/decay.xml")
PY
"$axisim" run "$work/archive.omex" -o "$work/omex" 2>"$work/omex.log"
code=$?
if [[ $code == 3 ]] && grep -q "without libzip" "$work/omex.log"; then
  echo "archive part skipped: this axisim was built without libzip"
else
  [[ $code == 0 ]] || fail "archive.omex: exit $code ($(cat "$work/omex.log"))"
  cmp -s "$work/omex/exp/basic.sedml/report.csv" "$work/basic/basic.sedml/report.csv" ||
    fail "archive.omex: exp/basic.sedml/report.csv differs from the unpacked run's"
fi
printf 'not a zip' >"$work/broken.omex"
"$axisim" run "$work/broken.omex" -o "$work/broken" 2>"$work/broken.log"
code=$?
[[ $code == 4 || $code == 3 ]] || fail "broken.omex: exit $code, expected 4 (or 3 without libzip)"
echo "axisim run: OK"
