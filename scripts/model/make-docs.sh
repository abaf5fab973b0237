#!/usr/bin/env bash
# Keeps docs/model.md in sync with sbml-models/gut_liver_igf1.xml:
#   docs/model-diagram.svg   Graphviz diagram generated from the SBML (libSBML → dot → svg)
#   docs/plots/NAME.svg      every scenario in sbml-models/scenarios/, run with the axisim CLI, plotted with gnuplot
#   docs/model.md            parameter table and local sensitivity table, between their markers
# Needs: build/cli/axisim (cmake --build build), graphviz, gnuplot-nox, python3-sbml5 (scripts/install-deps.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
axisim="${AXISIM:-$root/build/cli/axisim}"
py=/usr/bin/python3
model="$root/sbml-models/gut_liver_igf1.xml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for tool in dot gnuplot "$axisim"; do
  command -v "$tool" >/dev/null || { echo "make-docs: $tool is missing (scripts/install-deps.sh; cmake --build build)" >&2; exit 1; }
done

"$axisim" validate "$model" >&2
"$py" "$root/scripts/model/model_docs.py" dot "$model" > "$work/model.dot"
dot -Tsvg "$work/model.dot" -o "$root/docs/model-diagram.svg"

mkdir -p "$root/docs/plots"
for scenario in "$root"/sbml-models/scenarios/*.toml; do
  name="$(basename "$scenario" .toml)"
  csv="$work/$name.csv"
  "$axisim" simulate --scenario "$scenario" --steps 96 --quiet -o "$csv" \
    --select IGF1_total,IGF1_free_pct,IGFBP3_total,Ac_pv,Pr_pv,Bu_pv,Ac_p,SCFA_colon_total,Bu_col,Xmic,S_liv
  title="$(sed -n 's/^description = "\(.*\)"/\1/p' "$scenario" | sed 's/_/\\\\_/g')"
  end="$(sed -n 's/^end = //p' "$scenario")"
  unit=h; scale=1
  if [ "${end%.*}" -gt 200 ]; then unit=days; scale=24; fi
  gnuplot <<GP
set terminal svg size 720,620 font "Helvetica,11" dynamic
set output "$root/docs/plots/$name.svg"
set datafile separator ","
set key autotitle columnhead top right font ",9"
set multiplot layout 3,1 title "$name: $title" font ",11"
set lmargin 10; set rmargin 10
set ylabel "IGF-1 (ng/mL)"; set y2label "IGFBP-3 (mg/L)"; set y2tics; set ytics nomirror; unset xlabel
plot "$work/$name.csv" using (\$1/$scale):2 with lines lw 2 lc rgb "#b2182b" title "IGF1\\_total", \
     "" using (\$1/$scale):4 axes x1y2 with lines lw 1 lc rgb "#555555" title "IGFBP3\\_total"
set ylabel "plasma SCFA (µM)"; unset y2label; unset y2tics
plot "" using (\$1/$scale):5 with lines lw 2 lc rgb "#1b7837" title "Ac\\_pv", \
     "" using (\$1/$scale):6 with lines lw 2 lc rgb "#2166ac" title "Pr\\_pv", \
     "" using (\$1/$scale):7 with lines lw 2 lc rgb "#e08214" title "Bu\\_pv", \
     "" using (\$1/$scale):8 with lines lw 1 dt 2 lc rgb "#1b7837" title "Ac\\_p (peripheral)"
set ylabel "colon SCFA (mM)"; set y2label "Xmic, S\\_liv"; set y2tics; set xlabel "time ($unit)"
plot "" using (\$1/$scale):9 with lines lw 2 lc rgb "#000000" title "SCFA\\_colon\\_total", \
     "" using (\$1/$scale):10 with lines lw 1 lc rgb "#e08214" title "Bu\\_col", \
     "" using (\$1/$scale):11 axes x1y2 with lines lw 1 dt 2 lc rgb "#762a83" title "Xmic", \
     "" using (\$1/$scale):12 axes x1y2 with lines lw 1 dt 3 lc rgb "#b2182b" title "S\\_liv"
unset multiplot
GP
  echo "make-docs: docs/plots/$name.svg" >&2
done

"$py" "$root/scripts/model/model_docs.py" tables "$model" "$axisim" "$root/docs/model.md"
echo "make-docs: docs/model.md tables, docs/model-diagram.svg updated" >&2
