// The parameter estimation's pagmo2 stage (Debian's libpagmo-dev): simulated annealing (Corana et
// al.), particle swarm, a simple genetic algorithm and compass search, run on an objective in the
// fit's internal coordinates. Kept apart from parameter_estimation.cpp so that pagmo's headers
// (Boost.Serialization) are compiled once, here.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "axisim/parameter_estimation.hpp"

namespace axisim::detail {

struct PagmoSettings {
  FitMethod method = FitMethod::SimulatedAnnealing;
  std::vector<double> lower, upper, start;  // finite bounds and the start, in internal coordinates
  unsigned population = 1;                  // individuals (1 for annealing and compass search)
  unsigned generations = 1;                 // generations; annealing: temperature steps
  unsigned max_evaluations = 1;             // compass search's budget
  double start_temperature = 1.0, cooling_factor = 0.85;  // annealing
  double stop_range = 1e-8;                 // compass search: smallest step, a fraction of the box
  std::uint64_t seed = 1;
};

// Runs the method from a population holding `start` (and, for the population methods, random
// points of the box after it). `objective` counts and records every evaluation itself; returns
// why the method stopped.
std::string pagmo_search(const PagmoSettings& settings, const std::function<double(const std::vector<double>&)>& objective);

}  // namespace axisim::detail
