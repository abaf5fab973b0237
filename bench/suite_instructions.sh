#!/usr/bin/env bash
# bench/suite_instructions.sh — the instructions one load and one simulation of each SBML Test
# Suite case execute, today's engine against an older commit's, counted by valgrind (callgrind).
#
#   bench/suite_instructions.sh            # every 8th case (STEP=8), BASE as in suite_timing.sh
#   STEP=1 JOBS=2 bench/suite_instructions.sh
#
# Why: bench/suite_timing.sh measures time, which on a shared machine varies by more than the
# 10 % the issue allows per case (its SAME=1 control shows how often). An instruction count does
# not depend on the machine's load: it shows what the code does more or less, case by case,
# though not cache misses or allocation costs. Each case runs in its own process: one warm-up
# load through Model::from_string (libSBML's one-time set-up), then one Model::from_file and one
# Model::simulate, the only two functions counted (--toggle-collect).
# The older engine's suite_timing is built by bench/suite_timing.sh (BUILD_ONLY=1).
# Writes bench/results/suite_instructions.counts as it goes, then suite_instructions.tsv (case,
# base, new), and prints the comparison.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
base_rev="$(git -C "$root" rev-parse --short "${BASE:-ad06329}")"
suite="${SUITE:-$root/../shared/sbml-test-suite}"
step="${STEP:-8}"
jobs="${JOBS:-2}"
base_bin="$root/build-base/$base_rev/suite_timing"
new_bin="$build/bench/suite_timing"

command -v valgrind >/dev/null || { echo "suite_instructions.sh: needs valgrind" >&2; exit 2; }
[[ -d "$suite/cases" ]] || { echo "suite_instructions.sh: no SBML Test Suite at $suite (set SUITE)" >&2; exit 2; }
BUILD_ONLY=1 BUILD_DIR="$build" "$root/bench/suite_timing.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/bench/results"
counts="$root/bench/results/suite_instructions.counts"  # kept as it grows: an interrupted run keeps its cases
count() {  # engine case -> "case engine instructions" (nothing if the case does not run)
  local bin="$1" case="$2" who="$3" out="$work/$3.$2"
  valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
    --toggle-collect='axisim::Model::from_file*' --toggle-collect='axisim::Model::simulate*' \
    "$bin" --suite "$suite" --cases "$case" --samples 1 --warm 1 >"$out.tsv" 2>/dev/null || return 0
  grep -q $'\tok$' "$out.tsv" || return 0
  echo "$case $who $(awk '/^summary:/ {print $2}' "$out")"
}
export -f count
export suite work
seq 1 "$step" 1900 | while read -r c; do
  echo "$base_bin $c base"
  echo "$new_bin $c new"
done | xargs -P "$jobs" -L 1 bash -c 'count "$0" "$1" "$2"' >"$counts"

python3 - "$counts" "$root/bench/results/suite_instructions.tsv" "$base_rev" <<'EOF'
import statistics, sys
counts = {}
for line in open(sys.argv[1]):
    case, who, n = line.split()
    counts.setdefault(int(case), {})[who] = int(n)
rows = sorted((c, v["base"], v["new"]) for c, v in counts.items() if "base" in v and "new" in v)
with open(sys.argv[2], "w") as f:
    f.write("case\tbase\tnew\n")
    for c, b, n in rows:
        f.write(f"{c:05d}\t{b}\t{n}\n")
ratios = sorted(n / b for _, b, n in rows)
pick = lambda q: ratios[min(len(ratios) - 1, int(q * (len(ratios) - 1) + 0.5))]
print(f"instructions of one load + one simulation, new / {sys.argv[3]}, {len(rows)} cases:")
print(f"  min {ratios[0]:.3f}, p10 {pick(0.1):.3f}, median {pick(0.5):.3f}, p90 {pick(0.9):.3f}, max {ratios[-1]:.3f}")
print(f"  more than 10 % more: {sum(r > 1.10 for r in ratios)}; more than 5 %: {sum(r > 1.05 for r in ratios)}; fewer: {sum(r < 1 for r in ratios)}")
tb, tn = sum(b for _, b, _ in rows), sum(n for _, _, n in rows)
print(f"  all together: {tb / 1e6:.1f} M against {tn / 1e6:.1f} M ({tn / tb:.3f})")
worst = sorted(rows, key=lambda r: -r[2] / r[1])[:10]
print("  most increased: " + ", ".join(f"{c:05d} {n / b:.2f}" for c, b, n in worst))
EOF
