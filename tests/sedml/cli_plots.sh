#!/usr/bin/env bash
# axisim run's plots through the CLI (tests/sedml/data/plots.sedml): --no-plots draws nothing; a
# PATH without gnuplot refuses each plot, naming it and "install gnuplot-nox", with exit 3 while
# the report is still written; an archive's PDFs are bundled into OUTDIR/plots.zip as
# BioSimulators bundles them. The drawing itself is checked by test_plots.cpp.
set -uo pipefail
axisim=$1 data=$2 work=$3
rm -rf "$work" && mkdir -p "$work/empty-path"
fail() { echo "FAIL: $*" >&2; exit 1; }

# --no-plots: the report, no plot files, exit 0.
"$axisim" run "$data/plots.sedml" -o "$work/none" --no-plots 2>"$work/none.log" || fail "--no-plots: exit $? ($(cat "$work/none.log"))"
[[ -f $work/none/plots.sedml/report.csv ]] || fail "--no-plots: no report"
[[ -z $(find "$work/none" -name '*.svg' -o -name '*.pdf') ]] || fail "--no-plots drew plots"

# No gnuplot on PATH: each of the four plots refused by name, exit 3, the report written.
env PATH="$work/empty-path" "$axisim" run "$data/plots.sedml" -o "$work/nognuplot" 2>"$work/nognuplot.log"
rc=$?
[[ $rc == 3 ]] || fail "without gnuplot: exit $rc, not 3 ($(cat "$work/nognuplot.log"))"
[[ -f $work/nognuplot/plots.sedml/report.csv ]] || fail "without gnuplot: the report was not written"
for plot in decay decay_log scan band; do
  grep "plot2D '$plot'" "$work/nognuplot.log" | grep -q "install gnuplot-nox" ||
    fail "without gnuplot: plot2D '$plot' not refused naming gnuplot-nox: $(cat "$work/nognuplot.log")"
done
[[ -z $(find "$work/nognuplot" -name '*.svg' -o -name '*.pdf' -o -name '*.tmp*') ]] || fail "without gnuplot: plot files left"

if ! command -v gnuplot >/dev/null; then
  echo "drawing part skipped: gnuplot is not on PATH (install gnuplot-nox)"
  echo "axisim run plots (CLI): OK"
  exit 0
fi
# An archive: its PDFs also in OUTDIR/plots.zip, named by their path below OUTDIR.
python3 - "$data" "$work/plots.omex" <<'PY' || fail "cannot write the test archive"
import sys, zipfile
data, omex = sys.argv[1], sys.argv[2]
manifest = """<?xml version="1.0" encoding="UTF-8"?>
<omexManifest xmlns="http://identifiers.org/combine.specifications/omex-manifest">
  <content location="." format="http://identifiers.org/combine.specifications/omex"/>
  <content location="./plots.sedml" format="http://identifiers.org/combine.specifications/sed-ml" master="true"/>
  <content location="./decay.xml" format="http://identifiers.org/combine.specifications/sbml"/>
</omexManifest>
"""
with zipfile.ZipFile(omex, "w") as z:
    z.writestr("manifest.xml", manifest)
    z.write(f"{data}/plots.sedml", "plots.sedml")
    z.write(f"{data}/decay.xml", "decay.xml")
PY
"$axisim" run "$work/plots.omex" -o "$work/omex" 2>"$work/omex.log" || fail "archive: exit $? ($(cat "$work/omex.log"))"
python3 - "$work/omex" <<'PY' || exit 1
import os, sys, zipfile
out = sys.argv[1]
with zipfile.ZipFile(os.path.join(out, "plots.zip")) as z:
    names = sorted(z.namelist())
    want = sorted(f"plots.sedml/{p}.pdf" for p in ("decay", "decay_log", "scan", "band"))
    if names != want:
        sys.exit(f"FAIL: plots.zip holds {names}, not {want}")
    for n in names:
        data = z.read(n)
        if not data.startswith(b"%PDF") or data != open(os.path.join(out, n), "rb").read():
            sys.exit(f"FAIL: plots.zip's {n} is not the PDF drawn beside it")
PY
[[ -f $work/omex/plots.sedml/decay.svg ]] || fail "archive: no SVG beside the PDF"
echo "axisim run plots (CLI): OK"
