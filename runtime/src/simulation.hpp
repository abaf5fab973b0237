// simulation.hpp — one run of a compiled system: the time loop.
//
// Integrates from time 0 through the output grid, stopping at every discontinuity and at
// every event's execution time, and runs events as SBML Level 3 Version 2 specifies
// (section 4.12): triggers fire on a false-to-true transition, delays queue executions,
// non-persistent events are cancelled when their trigger turns false, simultaneous events run
// in priority order with triggers and priorities re-evaluated after each one.
#pragma once

#include <utility>
#include <vector>

#include "axisim/model.hpp"
#include "compiled_system.hpp"

namespace axisim::detail {

struct OutputRead {
  std::uint32_t symbol;
  Quantity quantity;
};

Result simulate(const CompiledSystem& system, const SimulationOptions& options,
                const std::vector<InitialOverride>& overrides, std::vector<std::string> columns,
                const std::vector<OutputRead>& reads);

}  // namespace axisim::detail
