// simulation.hpp — one run of a compiled system: the time loop.
//
// Integrates from time 0 (or from where an earlier run ended: RunSnapshot) through the output
// grid, stopping at every discontinuity and at every event's execution time, and runs events as SBML Level 3 Version 2 specifies
// (section 4.12): triggers fire on a false-to-true transition, delays queue executions,
// non-persistent events are cancelled when their trigger turns false, simultaneous events run
// in priority order with triggers and priorities re-evaluated after each one.
#pragma once

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "axisim/model.hpp"
#include "compile/compiled_system.hpp"
#include "run/delay_history.hpp"
#include "run/plugin_coupling.hpp"

namespace axisim::detail {

// One output column: a model symbol, or a plugin's state or output.
struct OutputRead {
  enum class From { Model, PluginState, PluginOutput } from = From::Model;
  std::uint32_t symbol = 0;  // Model
  Quantity quantity = Quantity::Default;
  std::size_t plugin = 0, index = 0;  // PluginState, PluginOutput
};

// Conserved moieties taken out of the integrated state (SimulationOptions::reduce_moieties;
// built by analysis/conservation.hpp's moiety_reduction): each law's dependent model state is
// computed from the others, sum_k coefficient_k y_k = total, the total taken from the whole
// state at the start and at every restart (an event may change it).
struct StateReduction {
  struct Law {
    std::size_t dependent = 0;                          // model state index
    double coefficient = 1.0;                           // the dependent's own
    std::vector<std::pair<std::size_t, double>> terms;  // the other states in the law
  };
  std::vector<Law> laws;
};

// Where a run ended (axisim::RunState's content, run_state.hpp): everything but the integrator's
// own state, so that a run started from it goes on as the one that made it would have.
struct RunSnapshot {
  std::shared_ptr<const Model::Impl> model;  // the compiled model it belongs to (set by model.cpp)
  // The first run's initial values: delay() before time 0 reads the initial state they made.
  std::vector<InitialOverride> initial;
  double time = 0.0;
  std::vector<double> values;         // every symbol's value (Workspace::values' symbols)
  std::vector<std::string> plugins;   // the attached plugins' names, in order
  std::vector<double> plugin_states;  // their states, in the run's order
  std::vector<std::string> plugin_state_ids;  // "<plugin>.<state>" of each, to read and set by name
  std::vector<bool> triggers;         // each event's trigger at the last check
  struct Pending {
    std::size_t event = 0;
    double time = 0.0;
    std::vector<double> values;  // computed at trigger time when the event uses those values
  };
  std::vector<Pending> pending;           // executions waiting for their delay
  std::optional<DelayHistory> history;    // models with delay() only
  std::mt19937_64 random;                 // orders simultaneous events of equal priority
};

// A plugin fault stops the run: the result then holds the rows computed so far, and
// Result::error says what failed. Every other failure throws.
Result simulate(const CompiledSystem& system, const SimulationOptions& options,
                const std::vector<InitialOverride>& overrides,
                const std::vector<std::shared_ptr<const PluginBinding>>& plugins, std::vector<std::string> columns,
                const std::vector<OutputRead>& reads, const StateReduction* reduction = nullptr,
                const RunSnapshot* from = nullptr, RunSnapshot* end = nullptr);

}  // namespace axisim::detail
