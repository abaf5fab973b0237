// sobol_sequence.hpp — the Sobol low-discrepancy sequence (base 2), for `sobol` scans.
//
// Points in [0, 1)^d whose first 2^m points fill every dyadic stratum of each coordinate
// exactly once (a (t, m, d)-net): a sample of n = 2^m points covers a parameter range far more
// evenly than independent draws, which is what variance-based sensitivity estimates (Sobol
// indices) converge with. Direction numbers: Joe & Kuo 2008 (`new-joe-kuo-6.21201`, the table
// SciPy and most libraries use), dimensions 1 to 128; dimension 1 is van der Corput's.
//
// Seeded: each coordinate is XOR-ed with a random 32-bit word drawn from the seed (a random
// digital shift). The shift keeps the net property (it permutes dyadic strata) and makes
// independent replicates possible; seed 0 is not special (it gives a shift like any other).
// Points are in natural (not Gray-code) order, so any prefix of 2^m points is a net.
#pragma once

#include <cstdint>
#include <vector>

namespace axisim::batch {

class SobolSequence {
 public:
  static constexpr std::size_t kMaxDimensions = 128;

  // `dimensions` from 1 to kMaxDimensions (throws std::invalid_argument otherwise).
  SobolSequence(std::size_t dimensions, std::uint64_t seed);

  std::size_t dimensions() const { return shift_.size(); }

  // Coordinate `dimension` (0-based) of point `index` (0-based, < 2^32), in [0, 1).
  double at(std::uint32_t index, std::size_t dimension) const;

 private:
  std::vector<std::uint32_t> directions_;  // 32 direction numbers per dimension
  std::vector<std::uint32_t> shift_;       // the digital shift per dimension
};

}  // namespace axisim::batch
