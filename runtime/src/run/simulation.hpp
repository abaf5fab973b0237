// simulation.hpp — one run of a compiled system: the time loop.
//
// Integrates from time 0 through the output grid, stopping at every discontinuity and at
// every event's execution time, and runs events as SBML Level 3 Version 2 specifies
// (section 4.12): triggers fire on a false-to-true transition, delays queue executions,
// non-persistent events are cancelled when their trigger turns false, simultaneous events run
// in priority order with triggers and priorities re-evaluated after each one.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "axisim/model.hpp"
#include "compile/compiled_system.hpp"
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

// A plugin fault stops the run: the result then holds the rows computed so far, and
// Result::error says what failed. Every other failure throws.
Result simulate(const CompiledSystem& system, const SimulationOptions& options,
                const std::vector<InitialOverride>& overrides,
                const std::vector<std::shared_ptr<const PluginBinding>>& plugins, std::vector<std::string> columns,
                const std::vector<OutputRead>& reads, const StateReduction* reduction = nullptr);

}  // namespace axisim::detail
