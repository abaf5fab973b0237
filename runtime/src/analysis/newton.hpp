// newton.hpp — solving F_R(x) = 0 on a ReducedSystem: damped Newton, pseudo-transient continuation.
//
// Both measure convergence the same way: the Newton step d = -J_R^-1 F_R is within the
// tolerance in every unknown, |d_k| <= rtol |x_k| + atol scale_k (quadratic convergence makes
// the step an estimate of the error, and it does not depend on the time unit as |F| would).
//
// Newton: the merit function 1/2 |W F_R|^2 (W the same per-unknown weights, frozen for each
// iteration) must fall by Armijo's condition, or the step is halved, down to 1e-10; a step that
// would take a species or compartment below a tenth of its value is shortened first, so that
// iterates stay non-negative and roots with negative concentrations are not reached by
// overshooting.
//
// Pseudo-transient continuation (Kelley and Keyes 1998): implicit Euler steps
// (I/h - J_R) d = F_R from h = 0.01 / |J_R|, h then multiplied by the ratio of the last two
// residual norms (switched evolution relaxation) but at least doubled after a step that lowered
// the residual, at most by 10, and cut (down to a tenth) after one that raised it; a species a
// step would take below a tenth of its value is clipped there; a non-finite residual divides h
// by 10. Once h |J_R| exceeds 1e6 the iteration is Newton's in all but name and Newton finishes
// it (tried every 10 steps).
#pragma once

#include <string>
#include <vector>

#include "analysis/reduced_system.hpp"
#include "axisim/error.hpp"

namespace axisim::detail {

struct NewtonSettings {
  double rtol = 1e-10, atol = 1e-12;
  int max_iterations = 100;
  const StopFlag* stop = nullptr;  // SteadyStateOptions::stop: read at every iteration (throws Stopped)
};

struct SolveOutcome {
  bool converged = false;
  int iterations = 0;
  std::string failure;  // why not, when !converged
};

SolveOutcome newton(ReducedSystem& rs, std::vector<double>& x, const NewtonSettings& s);
SolveOutcome pseudo_transient(ReducedSystem& rs, std::vector<double>& x, const NewtonSettings& s);

}  // namespace axisim::detail
