#!/usr/bin/env bash
# bench/suite_timing.sh — every SBML Test Suite case, today's engine against an older commit's:
# load and simulation time per case, in process, and the cases that got slower.
#
#   bench/suite_timing.sh                 # against BASE (default ad06329, the engine before the
#                                         # sparse Jacobian, KLU and native code: issue #10)
#   BASE=<rev> ROUNDS=3 SAMPLES=5 bench/suite_timing.sh
#   SAME=1 bench/suite_timing.sh          # the older engine against itself: how many cases a
#                                         # "10 % slower" verdict catches by chance on this machine
#   BUILD_ONLY=1 bench/suite_timing.sh    # build both suite_timing binaries and stop
#   CHUNK=100 bench/suite_timing.sh       # turns of 100 cases instead of 10 (see chunk_size)
#
# The older commit is checked out with `git worktree` into build-base/src and only its runtime
# library is built there; bench/suite_timing.cpp (public API only) is compiled against each.
# The two run alternately in chunks of cases, ROUNDS times, so that a change in machine load
# hits both alike; a case's time is its fastest round (each round already the fastest of
# SAMPLES repetitions). Then "one more run" of the flagship's fibre scenario, the same way
# (suite_timing --scenario). Writes bench/results/suite_timing.txt and prints the comparison.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
base_rev="${BASE:-ad06329}"
rounds="${ROUNDS:-3}"
samples="${SAMPLES:-5}"
# Cases per turn: the two engines take turns every CHUNK cases. This VM's speed drifts by up to
# 1.6x over tens of seconds (other guests on the host); with turns of 100 cases (1-2 s) a fast
# spell favoured whichever engine it fell on, chunk by chunk. Turns of 10 cases keep the two
# within a fraction of a second of each other.
chunk_size="${CHUNK:-10}"
suite="${SUITE:-$root/../shared/sbml-test-suite}"
work="$root/build-base"

if [[ ! -d "$suite/cases" ]]; then
  echo "suite_timing.sh: no SBML Test Suite at $suite (set SUITE)" >&2
  exit 2
fi
cmake --build "$build" --target suite_timing >/dev/null

# The older runtime, built once per revision.
rev="$(git -C "$root" rev-parse --short "$base_rev")"
if [[ ! -f "$work/$rev/lib/libaxisim_runtime.a" ]]; then
  rm -rf "$work/src"
  git -C "$root" worktree prune
  git -C "$root" worktree add --detach "$work/src" "$rev" >/dev/null
  launcher=(); command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$work/src" -B "$work/src-build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
  cmake --build "$work/src-build" --target axisim_runtime
  mkdir -p "$work/$rev/lib"
  cp "$work/src-build/runtime/libaxisim_runtime.a" "$work/$rev/lib/"
  cp -r "$work/src/runtime/include" "$work/$rev/include"
  git -C "$root" worktree remove --force "$work/src"
  rm -rf "$work/src-build"
fi
# Today's link line for suite_timing, with the older object and library swapped in.
link="$(ninja -C "$build" -t commands bench/suite_timing | tail -1)"
c++ -O3 -DNDEBUG -std=c++20 -I"$work/$rev/include" -c "$root/bench/suite_timing.cpp" -o "$work/$rev/suite_timing.o"
link="${link#: && }"
link="${link% && :}"
link="${link//bench\/CMakeFiles\/suite_timing.dir\/suite_timing.cpp.o/$work/$rev/suite_timing.o}"
link="${link//runtime\/libaxisim_runtime.a/$work/$rev/lib/libaxisim_runtime.a}"
link="${link/-o bench\/suite_timing/-o $work/$rev/suite_timing}"
(cd "$build" && eval "$link")
[[ "${BUILD_ONLY:-0}" == 1 ]] && exit 0  # bench/suite_instructions.sh wants only the binaries

mkdir -p "$root/bench/results"
out="$root/bench/results/suite_timing"
rm -rf "$out" && mkdir -p "$out"
[[ "${SAME:-0}" == 1 ]] && echo "suite_timing.sh: SAME=1: the base engine on both sides" >&2
echo "suite_timing.sh: base $rev against $(git -C "$root" rev-parse --short HEAD) (working tree), $rounds rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((r = 1; r <= rounds; r++)); do
  for ((c = 1; c <= 1900; c += chunk_size)); do
    chunk="$c-$((c + chunk_size - 1))"
    # Alternate which goes first, round by round.
    if ((r % 2)); then order=(base new); else order=(new base); fi
    for who in "${order[@]}"; do
      if [[ $who == base || "${SAME:-0}" == 1 ]]; then bin="$work/$rev/suite_timing"; else bin="$build/bench/suite_timing"; fi
      "$bin" --suite "$suite" --cases "$chunk" --samples "$samples" >>"$out/$who.$r.tsv" 2>/dev/null
    done
  done
  echo "  round $r done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
scenario="$root/sbml-models/scenarios/fibre_intervention.toml"
for ((r = 1; r <= rounds; r++)); do
  "$work/$rev/suite_timing" --scenario "$scenario" --samples 21 >>"$out/flagship.base.tsv"
  if [[ "${SAME:-0}" == 1 ]]; then bin="$work/$rev/suite_timing"; else bin="$build/bench/suite_timing"; fi
  "$bin" --scenario "$scenario" --samples 21 >>"$out/flagship.new.tsv"
done
{
  python3 "$root/bench/suite_timing_compare.py" "$out" "$rev"
  echo "flagship fibre scenario, one more run of the loaded model (median of 21 after 1 s of runs; one line per round):"
  echo "  $rev: $(cut -f3 "$out/flagship.base.tsv" | tr '\n' ' ')ms"
  echo "  now:     $(cut -f3 "$out/flagship.new.tsv" | tr '\n' ' ')ms"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$root/bench/results/suite_timing.txt"
