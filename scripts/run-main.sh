#!/usr/bin/env bash
# The main job: builds axisim and simulates the flagship gut-liver-IGF-1 model under the baseline
# diet and the fibre intervention, with all four tissue plugins attached; writes the CSVs and a
# plot of IGF-1, SCFAs and the tissue outputs over time into out/. The plot also shows the
# intervention's prediction band: a seeded virtual population (1024 parameter sets drawn by
# `axisim batch` from a Sobol sequence over every assumption's range, kept when they meet the brief's
# baseline targets V1-V16, steady and dynamic, about 2% of them; scripts/model/gsa.py vpop, about
# 45 s on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >/dev/null
mkdir -p out

columns="IGF1_total,IGF1_free_pct,IGF_f,Ac_p,Pr_p,Bu_p,Bu_col,Bu_epi,barrier_integrity"
columns+=",bone.BMD_change_pct,bone.P1NP_change_pct,muscle.mass_change_pct,metabolic.HOMA_IR,gut-barrier.TEER_pct"
for scenario in baseline fibre_intervention; do
  ./build/cli/axisim simulate --scenario "sbml-models/scenarios/${scenario}.toml" \
    --plugin bone --plugin muscle --plugin metabolic --plugin gut-barrier \
    --select "$columns" -o "out/${scenario}.csv" --quiet
done

python3 scripts/model/gsa.py vpop build/cli/axisim --samples 1024 --seed 16 --work out/gsa-main \
  --nominal out/baseline.csv --band out/vpop_band.csv > out/vpop.log 2>&1 || { cat out/vpop.log >&2; exit 1; }

gnuplot <<'GNUPLOT'
set terminal svg size 1200,900 dynamic font "sans,11"
set output "out/flagship.svg"
set datafile separator ","
set key autotitle columnhead top right box opaque font ",9"
set multiplot layout 3,2 title "Gut-liver-IGF-1 axis: baseline (dashed) and 20 g/day inulin, days 14-56 (solid); shaded: the intervention's effect, 5-95% of a virtual population, around the model's course"
set xlabel "time (days)"
set grid
set ylabel "serum IGF-1 (ng/mL)"
plot "out/vpop_band.csv" using ($1/24):"IGF1_total:band_lo":"IGF1_total:band_hi" with filledcurves fs transparent solid 0.25 lc rgb "#2166ac" title "intervention, 5-95% (virtual population)", \
     "out/fibre_intervention.csv" using ($1/24):"IGF1_total" with lines lw 2 lc rgb "#2166ac" title "intervention", \
     "out/baseline.csv" using ($1/24):"IGF1_total" with lines dt 2 lw 2 title "baseline"
set ylabel "plasma SCFA (uM)"
plot "out/fibre_intervention.csv" using ($1/24):"Ac_p" with lines lw 2 title "acetate", \
     "" using ($1/24):"Pr_p" with lines lw 2 title "propionate", \
     "" using ($1/24):"Bu_p" with lines lw 2 title "butyrate"
set ylabel "colonic butyrate (mM)"
plot "out/vpop_band.csv" using ($1/24):"Bu_col:band_lo":"Bu_col:band_hi" with filledcurves fs transparent solid 0.25 lc rgb "#2166ac" title "intervention, 5-95% (virtual population)", \
     "out/fibre_intervention.csv" using ($1/24):"Bu_col" with lines lw 2 lc rgb "#2166ac" title "intervention", \
     "out/baseline.csv" using ($1/24):"Bu_col" with lines dt 2 lw 2 title "baseline"
set ylabel "% change from baseline"
plot "out/vpop_band.csv" using ($1/24):"bone.BMD_change_pct:band_lo":"bone.BMD_change_pct:band_hi" with filledcurves fs transparent solid 0.25 lc rgb "#2166ac" title "BMD, 5-95% (virtual population)", \
     "out/fibre_intervention.csv" using ($1/24):"bone.BMD_change_pct" with lines lw 2 lc rgb "#2166ac" title "BMD", \
     "" using ($1/24):"bone.P1NP_change_pct" with lines lw 2 title "P1NP (formation)", \
     "" using ($1/24):"muscle.mass_change_pct" with lines lw 2 title "muscle mass"
set ylabel "HOMA-IR"
plot "out/vpop_band.csv" using ($1/24):"metabolic.HOMA_IR:band_lo":"metabolic.HOMA_IR:band_hi" with filledcurves fs transparent solid 0.25 lc rgb "#2166ac" title "intervention, 5-95% (virtual population)", \
     "out/fibre_intervention.csv" using ($1/24):"metabolic.HOMA_IR" with lines lw 2 lc rgb "#2166ac" title "intervention", \
     "out/baseline.csv" using ($1/24):"metabolic.HOMA_IR" with lines dt 2 lw 2 title "baseline"
set ylabel "TEER (% of baseline)"
plot "out/vpop_band.csv" using ($1/24):"gut-barrier.TEER_pct:band_lo":"gut-barrier.TEER_pct:band_hi" with filledcurves fs transparent solid 0.25 lc rgb "#2166ac" title "intervention, 5-95% (virtual population)", \
     "out/fibre_intervention.csv" using ($1/24):"gut-barrier.TEER_pct" with lines lw 2 lc rgb "#2166ac" title "intervention", \
     "out/baseline.csv" using ($1/24):"gut-barrier.TEER_pct" with lines dt 2 lw 2 title "baseline"
unset multiplot
GNUPLOT

echo "results:"
echo "  $(pwd)/out/baseline.csv"
echo "  $(pwd)/out/fibre_intervention.csv"
echo "  $(pwd)/out/vpop_band.csv (virtual population: $(grep -o '[0-9]* also the dynamic ones' out/vpop.log | grep -o '^[0-9]*') of 1024 meet V1-V16)"
echo "  $(pwd)/out/flagship.svg"
