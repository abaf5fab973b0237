// logical_run.hpp — one run of a logical model: targets from the compiled conditions, the
// updating schemes, output rows at whole update steps.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "axisim/logical.hpp"
#include "ir/logical_ir.hpp"

namespace axisim::detail {

// Evaluates transitions on a state; holds the scratch the evaluation needs (no allocation per
// step once built).
class LogicalStepper {
 public:
  // one_level: a species moves one level towards its target per update (GINsim's, bioLQM's
  // multi-valued semantics) instead of straight to it (SBML qual's assignmentLevel).
  explicit LogicalStepper(const LogicalIR& ir, bool one_level = false);

  // The level transition t gives its outputs in `levels`.
  int target(std::size_t transition, const std::vector<int>& levels);
  // The level species i would take next (its own level when no transition writes it).
  int species_target(std::size_t species, const std::vector<int>& levels) {
    const long t = ir_.transition_of[species];
    return t < 0 ? levels[species] : target(static_cast<std::size_t>(t), levels);
  }
  // The level a species at `level` takes when its target is `to`: `to`, or one level towards it.
  int move(int level, int to) const {
    if (!one_level_ || to == level) return to;
    return to > level ? level + 1 : level - 1;
  }
  int species_next(std::size_t species, const std::vector<int>& levels) {
    return move(levels[species], species_target(species, levels));
  }

  // One update of `levels` by the scheme; returns whether any level changed.
  bool synchronous(std::vector<int>& levels);
  bool sequential(std::vector<int>& levels);
  bool asynchronous(std::vector<int>& levels, std::mt19937_64& random);
  // Complete updating: a non-empty subset of the species that would change, drawn uniformly
  // (each in with probability 1/2, an empty draw drawn again), takes its targets, all computed
  // from the same state.
  bool complete(std::vector<int>& levels, std::mt19937_64& random);

  // Every state one update of `levels` under `update` can give, in `out` (cleared first; none for
  // a stable state). The complete scheme gives one per non-empty subset of the species that would
  // change: throws Error(Unsupported) past 20 such species (a million successors per state).
  void successors(LogicalUpdate update, const std::vector<int>& levels, std::vector<std::vector<int>>& out);

 private:
  double evaluate(const std::vector<LogicalOp>& program, const std::vector<int>& levels);
  const LogicalIR& ir_;
  bool one_level_ = false;
  std::vector<double> stack_;
  std::vector<int> next_;                 // synchronous: the targets of one step
  std::vector<std::size_t> candidates_;   // asynchronous: species whose target differs
};

// The highest level each species can take: its maxLevel, or where the document gives none the
// highest of its initial level and the levels its transition gives.
std::vector<int> level_bounds(const LogicalIR& ir, const std::vector<int>& initial);

// A uniform draw from 0..n-1 from the generator's raw output (rejection, so unbiased and the same
// on every standard library).
std::size_t uniform_index(std::mt19937_64& random, std::size_t n);

}  // namespace axisim::detail
