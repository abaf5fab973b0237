// logical_task.hpp — one SED-ML run of a logical (SBML qual) model (axisim/logical.hpp): a time
// course (uniformTimeCourse, oneStep) or a steadyState (the attractors an updating scheme reaches,
// or every stable state), from levels a repeated task may have changed or carried, and the state
// it leaves for the next run.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "axisim/logical.hpp"

namespace axisim::sedml {

struct LogicalRun {
  enum class Kind {
    TimeCourse,    // update steps from `start` to `end` in `steps` output intervals
    Attractors,    // steadyState under `update`: the attractors reached from the levels given
    StableStates,  // steadyState by stable state search (KISAO:0000659/0000660): every stable state
    TrapSpaces,    // steadyState by trap space identification (KISAO:0000661/0000662/0000663): every
                   // trap space of `trap_kind`, one value each (NaN where the species is not fixed)
                   // or, with trap_bounds, two (its lowest and highest level)
  };
  Kind kind = Kind::TimeCourse;
  LogicalUpdate update = LogicalUpdate::Synchronous;
  double start = 0.0, end = 0.0;
  int steps = 0;
  std::uint64_t seed = 0x5eed;
  bool one_level = false;  // a species moves one level towards its target per update (GINsim's)
  TrapSpaceKind trap_kind = TrapSpaceKind::Minimal;
  bool trap_bounds = false;
};

struct LogicalRunResult {
  std::vector<double> time;                 // a time course's rows, in updates from its start; empty for a steady state
  std::vector<std::vector<double>> values;  // per id asked: a time course's rows, every state of every attractor, or
                                            // every trap space (LogicalRun::Kind::TrapSpaces)
  // The state the run leaves: a time course's last; a steady state's when it is one stable state
  // (several attractors, or a cycle, leave none: the model stays where it was).
  std::optional<std::vector<int>> end_levels;
  std::string summary;  // a steady state's: how many attractors, of how many states
};

// Runs `model` from `levels` (every species, the model's order). Throws Error as the model's
// simulate / attractors / stable_states do.
LogicalRunResult run_logical(const LogicalModel& model, const std::vector<int>& levels, const LogicalRun& run,
                             const std::vector<std::string>& ids);

}  // namespace axisim::sedml
