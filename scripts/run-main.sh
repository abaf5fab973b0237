#!/usr/bin/env bash
# The main job: builds axisim and simulates the bundled example model, writing out/ CSVs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
./build/cli/axisim simulate sbml-models/examples/enzyme_kinetics.xml --end 50 --steps 100 -o out/enzyme_kinetics.csv
echo "wrote $(pwd)/out/enzyme_kinetics.csv"
