#!/usr/bin/env bash
# axisim run from the command line: reports in the BioSimulators layout, the exit code of bad
# SED-ML (4 for a missing model file, with the good report still written), reports.h5 by default
# and log.yml, COMBINE archives.
set -uo pipefail
axisim=$1 data=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$axisim" run "$data/basic.sedml" -o "$work/basic" --no-plots 2>"$work/basic.log" || fail "basic.sedml: exit $? ($(cat "$work/basic.log"))"
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

# The BioSimulators outputs beside the CSV: reports.h5 by default (where HDF5 is built in; --no-h5
# leaves it out) and log.yml, whose archive status agrees with the exit code.
"$axisim" run "$data/log_mixed.sedml" -o "$work/log" 2>"$work/log.log"
code=$?
[[ $code == 4 ]] || fail "log_mixed.sedml: exit $code, expected 4"
if grep -q "built without yaml-cpp" "$work/log.log" "$work/basic.log"; then
  echo "log.yml part skipped: this axisim was built without yaml-cpp"
else
  [[ $(head -1 "$work/basic/log.yml") == "status: SUCCEEDED" ]] || fail "basic.sedml: log.yml does not start with status: SUCCEEDED"
  [[ $(head -1 "$work/log/log.yml") == "status: FAILED" ]] || fail "log_mixed.sedml: log.yml does not start with status: FAILED"
fi
"$axisim" run "$data/basic.sedml" -o "$work/no_h5" --no-h5 2>"$work/no_h5.log" || fail "--no-h5: exit $?"
[[ ! -e $work/no_h5/reports.h5 ]] || fail "--no-h5 wrote reports.h5"
"$axisim" run "$data/basic.sedml" -o "$work/h5" --h5 2>"$work/h5.log"
code=$?
if [[ $code == 3 ]] && grep -q "without HDF5" "$work/h5.log"; then
  echo "reports.h5 part skipped: this axisim was built without HDF5"
  [[ ! -e $work/basic/reports.h5 ]] || fail "reports.h5 written by a build without HDF5"
else
  [[ $code == 0 ]] || fail "--h5: exit $code"
  [[ -f $work/basic/reports.h5 ]] || fail "basic.sedml: no reports.h5 by default"
  cmp -s "$work/basic/basic.sedml/report.csv" "$work/no_h5/basic.sedml/report.csv" || fail "--no-h5 changed the CSV"
fi

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
"$axisim" run "$work/archive.omex" -o "$work/omex" --no-plots 2>"$work/omex.log"
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
