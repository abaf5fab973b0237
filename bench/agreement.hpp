// agreement.hpp — does axisim compute the same function as the hand-written model?
//
// A ratio between the times of two different functions would mean nothing, so the benchmarks
// check before they time anything, and exit with code 3 and a message if the check fails.
#pragma once

#include <cstdint>
#include <vector>

#include "compile/compiled_system.hpp"
#include "handwritten_rhs.hpp"

namespace bench {

// Derivatives must agree to this, relative to the sum of the magnitudes of the fluxes they add.
constexpr double kAgreementTolerance = 1e-12;

// perm[k] = the hand-written index of axisim's state k. axisim orders its states by first
// appearance in the reactions; the hand-written code uses species index order (the generator
// numbers species so that the two orders are the same). Exits with code 3 if the states differ.
std::vector<std::size_t> state_permutation(const axisim::detail::CompiledSystem& sys, const HandwrittenRhs& hw);

// The initial amounts with each scaled by a factor in [0.5, 1.5) from a fixed, seed-dependent
// sequence: a second state to compare at, away from the initial one.
std::vector<double> perturbed_state(const HandwrittenRhs& hw, std::uint64_t seed);

struct Agreement {
  double max_relative_difference = 0.0;  // over both test states
  std::size_t identical = 0;              // derivatives equal to the last bit
  std::size_t compared = 0;
};

// Compares axisim's derivatives with the hand-written ones at the initial state and at
// perturbed_state(), and the initial states themselves. Exits with code 3 and a message on a
// disagreement.
Agreement check_agreement(const axisim::detail::CompiledSystem& sys, const HandwrittenRhs& hw, std::uint64_t seed);

}  // namespace bench
