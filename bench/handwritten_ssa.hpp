// handwritten_ssa.hpp — Gillespie's direct method for a mass-action network, written by hand.
//
// The yardstick for axisim's stochastic simulation: what a programmer writes for one network
// in plain C++ — counts in a vector, mass-action propensities computed inline, a dependency
// graph so that only the propensities a firing changes are recomputed, std::mt19937_64 with the
// standard library's exponential and uniform distributions. It uses the same selection
// structure as axisim for the same size (a linear scan below 64 reactions, a binary tree of
// partial sums from 64 on), so the ratio of firing rates measures what axisim's generality costs
// (compiled kinetic laws, events, rules, checks), not a different algorithm.
#pragma once

#include <cstdint>
#include <vector>

#include "ssa_networks.hpp"

namespace bench {

class HandwrittenSsa {
 public:
  explicit HandwrittenSsa(const SsaNetwork& network);

  // One replicate with std::mt19937_64 seeded with `seed`; out receives the counts at each of
  // network.steps + 1 output times (species-major within a time). Returns the firings.
  std::uint64_t run(std::uint64_t seed, std::vector<double>& out);

 private:
  double propensity(std::size_t j) const;
  void update(std::size_t j);

  const SsaNetwork& net_;
  std::vector<double> x_, a_, tree_;
  std::size_t leaves_ = 0;
  bool use_tree_ = false;
  std::vector<std::vector<std::pair<std::uint32_t, double>>> changes_;
  std::vector<std::vector<std::uint32_t>> depends_;
};

}  // namespace bench
