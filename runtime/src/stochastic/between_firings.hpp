// between_firings.hpp — what the two stochastic runs that integrate between reaction firings
// share (ssa_hybrid.cpp: rate rules whose rates change; tau_hybrid.cpp: the continuous-discrete
// hybrid): CVODE's settings, and the record of a propensity that went bad inside the integration.
#pragma once

#include <cstddef>
#include <limits>

#include "solve/cvode_integrator.hpp"

namespace axisim::detail {

// Counts and integrated hazards are in molecules: relative 1e-8, absolute 1e-10.
inline CvodeIntegrator::Options between_firings_options() {
  CvodeIntegrator::Options o;
  o.rtol = 1e-8;
  o.atol = 1e-10;
  return o;
}

// CVODE calls the system from C, where no exception may pass: a propensity that is negative or
// not finite at a trial state is noted here (the earliest such trial), the system returns a
// recoverable failure, and the run reports it after CVODE gives up.
struct BadPropensity {
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::size_t reaction = kNone;
  double value = 0.0, time = 0.0;
  void note(std::size_t j, double a, double t) {
    if (reaction == kNone || t < time) {
      reaction = j;
      value = a;
      time = t;
    }
  }
  bool seen() const { return reaction != kNone; }
  void clear() { reaction = kNone; }
};

}  // namespace axisim::detail
