// ssa_builders.hpp — what the stochastic tests build their models and runs from: an output grid,
// species counted as molecules, reactions by stoichiometry and rate law (over sbml_fixtures.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "axisim/stochastic.hpp"
#include "sbml_fixtures.hpp"

namespace ssa_test {

// Outputs at `steps` + 1 equal intervals of [0, end]; an ensemble's results do not depend on
// `threads` (replicate r's stream derives from the seed and r alone).
inline axisim::StochasticOptions grid(double end, int steps, std::uint64_t seed, int threads = 2) {
  axisim::StochasticOptions o;
  o.end = end;
  o.steps = steps;
  o.seed = seed;
  o.threads = threads;
  return o;
}

// A species whose value is its molecule count.
inline fx::Species counted(const std::string& id, double amount) {
  fx::Species s;
  s.id = id;
  s.initial = amount;
  s.has_only_substance_units = true;
  return s;
}

inline fx::Reaction reaction(const std::string& id, std::vector<std::pair<std::string, double>> reactants,
                             std::vector<std::pair<std::string, double>> products, const std::string& law) {
  fx::Reaction r;
  r.id = id;
  r.reactants = std::move(reactants);
  r.products = std::move(products);
  r.kinetic_math = law;
  return r;
}

}  // namespace ssa_test
