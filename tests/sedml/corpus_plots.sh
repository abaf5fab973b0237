#!/usr/bin/env bash
# corpus_plots.sh AXISIM CORPUS WORK — the HARMONY 2021 plotting cases of the SED-ML corpus draw
# what they ask for (docs/sedml.md, "Plots"). Five of them fail before plotting on a corpus defect
# (corpus_expectations.tsv): hill.xml gives S2, S3, S4 no initial value, and linetype / markertype
# put numbers in <ci>. Fixed copies are made here, in WORK, at run time (never in the repository):
# hill.xml's three species get initialConcentration="0" (what tellurium takes), <ci> N </ci>
# becomes <cn> N </cn>. Each SVG is then read for what its plot asks:
#   heat_map_ls          a pm3d map: at least 25 x 30 filled cells (26 scans of 31 points)
#   surface_contour_ls   contour lines seen from above: several levels, each in a colour of its own
#   surface_fill_ls      a surface with contours below it (its colour and the levels' colours)
#   surface_bar          impulses: one vertical line per point (26 x 31)
#   linetype             six curves, five of them dashed (dash, dot, dashDot, dashDotDot ...)
#   markertype           curves with markers of different point types
#   curve_types_errors   five plots and the figure of 3 x 2 cells, error bars in each plot
# Run through with_corpus.sh (skipped without the corpus) and only where gnuplot is installed.
set -uo pipefail
axisim=$1 corpus=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! command -v gnuplot >/dev/null; then
  echo "skipped: gnuplot is not on PATH (install gnuplot-nox)"
  exit 0
fi
dir=$corpus/deterministic
run_case() {  # run_case NAME FILE: copy, fix, run; the SVGs in $work/out/NAME/FILE/
  local name=$1 file=$2
  cp -r "$dir/sedml-test-suite__harmony2021-$name" "$work/$name" || fail "$name: not in the corpus"
  if [[ -f $work/$name/hill.xml ]]; then
    sed -i -E 's/(<species id="S[234]" )/\1initialConcentration="0" /' "$work/$name/hill.xml"
  fi
  sed -i -E 's#<ci> *([0-9.]+) *</ci>#<cn> \1 </cn>#g' "$work/$name/$file"
  "$axisim" run "$work/$name/$file" -o "$work/out/$name" 2>"$work/$name.log" ||
    fail "$name: exit $? ($(tail -5 "$work/$name.log"))"
}
count() { grep -o -- "$1" "$2" | wc -l; }
colours() { awk '/id="gnuplot_plot_1"/,0' "$1" | grep -o "<path stroke='rgb([^)]*)'" | sort -u | wc -l; }  # in the plot

run_case heat_map_ls heat_map_ls.sedml
svg=$work/out/heat_map_ls/heat_map_ls.sedml/plot_0.svg
[[ -f $svg ]] || fail "heat_map_ls: no $svg"
n=$(count "<polygon fill *= *'rgb(" "$svg"); (( n >= 750 )) || fail "heat_map_ls: $n filled cells, not at least 750"

run_case surface_contour_ls surface_contour_ls.sedml
svg=$work/out/surface_contour_ls/surface_contour_ls.sedml/plot_0.svg
[[ -f $svg ]] || fail "surface_contour_ls: no $svg"
n=$(colours "$svg"); (( n >= 4 )) || fail "surface_contour_ls: lines in $n colours, not the contour levels"

run_case surface_fill_ls surface_fill_ls.sedml
svg=$work/out/surface_fill_ls/surface_fill_ls.sedml/plot_0.svg
[[ -f $svg ]] || fail "surface_fill_ls: no $svg"
n=$(colours "$svg"); (( n >= 4 )) || fail "surface_fill_ls: lines in $n colours, not a surface and its contour levels"

run_case surface_bar surface_bar.sedml
svg=$work/out/surface_bar/surface_bar.sedml/plot_0.svg
[[ -f $svg ]] || fail "surface_bar: no $svg"
n=$(count "M[-0-9.]*,[-0-9.]* L[-0-9.]*,[-0-9.]*" "$svg"); (( n >= 26 * 31 )) || fail "surface_bar: $n line segments, not one per point (806)"

run_case linetype linetype.sedml
for svg in "$work"/out/linetype/linetype.sedml/*.svg; do :; done
svg=$(ls "$work"/out/linetype/linetype.sedml/*.svg | head -1)
[[ -f $svg ]] || fail "linetype: no SVG"
n=$(count "stroke-dasharray" "$svg"); (( n >= 4 )) || fail "linetype: $n dashed paths, not the document's dash types"

run_case markertype markertype.sedml
svg=$(ls "$work"/out/markertype/markertype.sedml/*.svg | head -1)
[[ -f $svg ]] || fail "markertype: no SVG"
n=$(grep -o "xlink:href='#gpPt[0-9]*'" "$svg" | sort -u | wc -l); (( n >= 4 )) || fail "markertype: $n point types, not the document's markers"

run_case curve_types_errors curve_types_errors.sedml
out=$work/out/curve_types_errors/curve_types_errors.sedml
for p in plot_points plot_bar plot_barStacked plot_horizontalBar plot_horizontalBarStacked figure0; do
  [[ -f $out/$p.svg && -f $out/$p.pdf ]] || fail "curve_types_errors: $p not drawn"
done
# Each curve drawn with its error bars (a gnuplot plot of their own): points 2 x (line, filled
# markers, the markers' black edges, error bars), each bar plot 2 x (bars, error bars); the figure
# holds the five plots, gnuplot's panels a to e, with those 8 + 4 x 4 plots.
groups() { grep -o "id=\"gnuplot_plot_[0-9]*$2\"" "$1" | wc -l; }
n=$(groups "$out/plot_points.svg" ""); (( n == 8 )) || fail "curve_types_errors: plot_points has $n plots, not 8 (2 curves with markers, their edges and error bars)"
for p in plot_bar plot_barStacked plot_horizontalBar plot_horizontalBarStacked; do
  n=$(groups "$out/$p.svg" ""); (( n == 4 )) || fail "curve_types_errors: $p has $n plots, not 4 (2 bar curves with error bars)"
done
n=0; for panel in a b c d e; do n=$((n + $(groups "$out/figure0.svg" $panel))); done
(( n == 24 )) || fail "curve_types_errors: figure0 holds $n plots in panels a-e, not 24"
echo "corpus HARMONY 2021 plots: OK"
