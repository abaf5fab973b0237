// refusals.hpp — what a steady state cannot be computed for, and what it must warn about.
#pragma once

#include <string>

#include "compile/compiled_system.hpp"

namespace axisim::detail {

// Throws Error(Unsupported) naming the first event, the first formula of the dynamics that uses
// delay, or the first fast reaction: `what` ("steady state", "control analysis", ...) starts
// the message. Events jump the state at discrete times and delay makes the right-hand side a
// function of the past, so dy/dt = 0 does not describe where such a model settles; rapid
// equilibrium integrates free amounts that need not settle at all (--ignore-fast makes fast
// reactions ordinary kinetics).
void refuse_unsteady_features(const CompiledSystem& system, const std::string& what);

// A description of the first formula of the dynamics that reads time ("reaction 'R1'",
// "the rule for 'k'"), or empty when none does (the system is autonomous).
std::string reads_time(const CompiledSystem& system);

}  // namespace axisim::detail
