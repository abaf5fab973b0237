// integration.hpp — following the model in time towards its steady state, with the simulation
// machinery (run/simulation.hpp: CVODE, the model's linear solver and Jacobian choices, plugins).
#pragma once

#include <vector>

#include "analysis/reduced_system.hpp"
#include "axisim/error.hpp"

namespace axisim::detail {

// The full state (model then plugin states) after integrating for `horizon` time units from
// full state `y` at the parameter point of `rs` (time restarts at 0: the caller integrates
// autonomous systems only). Throws Error(Solver) or Error(Plugin) as a simulation does.
// A stop request (`stop` set) throws Stopped, before the run or from inside it.
std::vector<double> integrate_from(const ReducedSystem& rs, const std::vector<double>& y, double horizon, double atol,
                                   long* rhs_evaluations = nullptr, const StopFlag* stop = nullptr);

}  // namespace axisim::detail
