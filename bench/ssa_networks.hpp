// ssa_networks.hpp — mass-action networks for the stochastic benchmark, as SBML and as a struct.
//
// Each network is written twice from one description: as SBML Level 3 Version 2 text (species
// with hasOnlySubstanceUnits, so amounts are molecule counts and kinetic laws read them directly)
// for axisim, and as a list of reactions for the hand-written Gillespie (handwritten_ssa.hpp).
// Rate constants are written with 17 significant digits, so both hold the same doubles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

// A mass-action reaction: up to two reactants and two products, stoichiometry 1 each (a
// reactant listed twice is 2A; its propensity is k * A * (A - 1) / 2).
struct SsaReaction {
  double k = 0.0;
  std::vector<std::uint32_t> reactants, products;
};

struct SsaNetwork {
  std::string name;
  std::vector<std::string> species;
  std::vector<double> initial;  // molecules
  std::vector<SsaReaction> reactions;
  double end = 1.0;  // simulated time per replicate
  int steps = 10;    // output intervals
  std::string sbml() const;
};

// Birth-death (DSMTS 00005: X -> 2X at 0.1 X, X -> 0 at 0.11 X, X(0) = 10000, 50 time units).
SsaNetwork birth_death();
// Dimerisation (DSMTS 00030's network with 1000 times as many molecules: 2P -> P2, P2 -> 2P).
SsaNetwork dimerisation();
// A random reproducible network of `reactions` reactions among `species` species: inflows,
// degradations, conversions, bindings A + B -> C and unbindings C -> A + B, with rate constants
// that keep every species near a few hundred molecules.
SsaNetwork random_network(int species, int reactions, std::uint64_t seed, double end);

}  // namespace bench
