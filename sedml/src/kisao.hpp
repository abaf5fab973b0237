// kisao.hpp — KiSAO algorithm ids and what axisim does with them.
#pragma once
#include <string>

#include "axisim/model.hpp"
#include "document.hpp"

namespace axisim::sedml {

enum class AlgorithmUse {
  Cvode,       // KISAO:0000019 itself
  Substitute,  // another deterministic ODE integrator: CVODE is used instead (KiSAO's substitution)
  SteadyState, // a steady-state solver: axisim's own (Newton, pseudo-transient continuation, integration)
  NotBuilt,    // a kind of algorithm axisim has or may have, not yet reachable from SED-ML
  Unknown,     // an id axisim does not know
};

struct AlgorithmChoice {
  AlgorithmUse use = AlgorithmUse::Unknown;
  std::string name;  // what the id names, where known
};

AlgorithmChoice choose_algorithm(const std::string& kisao);

// Applies the algorithm's parameters that axisim has (relative and absolute tolerance, maximum
// number of steps, seed) to `options`; returns one note per parameter it ignores. Throws
// std::runtime_error for a value that is not a number.
std::vector<std::string> apply_algorithm_parameters(const Simulation& sim, SimulationOptions& options);

}  // namespace axisim::sedml
