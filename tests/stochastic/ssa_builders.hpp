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

// One counted species X (from x0) in a unit compartment, two parameters and two reactions.
inline std::string one_species(const std::string& id, double x0, const std::pair<std::string, double>& p1,
                               const std::pair<std::string, double>& p2, const fx::Reaction& r1, const fx::Reaction& r2) {
  return fx::ModelBuilder(id)
      .compartment("C", 1)
      .species(counted("X", x0))
      .parameter(p1.first, p1.second)
      .parameter(p2.first, p2.second)
      .reaction(r1)
      .reaction(r2)
      .str();
}

// X -> 2X at lambda X, X -> 0 at mu X (the tests' linear birth-death process).
inline std::string birth_death(double x0, double lambda, double mu) {
  using fx::apply, fx::ci;
  return one_species("birth_death", x0, {"lambda", lambda}, {"mu", mu},
                     reaction("birth", {{"X", 1}}, {{"X", 2}}, apply("times", {ci("lambda"), ci("X")})),
                     reaction("death", {{"X", 1}}, {}, apply("times", {ci("mu"), ci("X")})));
}

// 0 -> X at k, X -> 0 at mu X.
inline std::string immigration_death(double x0, double k, double mu) {
  using fx::apply, fx::ci;
  return one_species("immigration_death", x0, {"k", k}, {"mu", mu}, reaction("immigration", {}, {{"X", 1}}, ci("k")),
                     reaction("death", {{"X", 1}}, {}, apply("times", {ci("mu"), ci("X")})));
}

}  // namespace ssa_test
