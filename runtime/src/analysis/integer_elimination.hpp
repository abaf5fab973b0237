// integer_elimination.hpp — the left null space of a stoichiometry matrix, exactly.
//
// Stoichiometries are read as fractions p/q (q <= kMaxDenominator, or a power of ten up to
// 10^kMaxDecimals, matched to 1e-12 relative);
// each column is multiplied by the least common multiple of its denominators, which leaves the
// left null space unchanged, and the integer matrix [N | I] is reduced by fraction-free Gaussian
// elimination on rows, in 128-bit integers with every product and difference checked for
// overflow and each row divided by its greatest common divisor. Rows chosen as pivots are the
// independent species; every other row ends with a zero N part, and its I part is a
// conservation law in integers, non-zero only on its own species and on independent species.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace axisim::detail {

inline constexpr long long kMaxDenominator = 1000000;
inline constexpr int kMaxDecimals = 12;

// p/q with |x - p/q| <= 1e-12 |x| and either 0 < q <= kMaxDenominator (continued fractions) or
// q a power of ten up to 10^kMaxDecimals (a decimal, reduced); nullopt when there is none (or
// |x| > 1e15).
std::optional<std::pair<long long, long long>> as_fraction(double x);

struct IntegerLaws {
  std::vector<std::size_t> independent;  // pivot rows, in the order found
  std::vector<std::size_t> dependent;    // every other row, increasing
  // Per dependent row: one integer coefficient per row of N (gcd 1, the dependent's positive).
  std::vector<std::vector<long long>> laws;
};

// nullopt when an entry is not a fraction as above or a number would overflow: the caller then
// falls back to floating point. `n` is row-major, rows x cols.
std::optional<IntegerLaws> integer_conservation_laws(const std::vector<double>& n, std::size_t rows, std::size_t cols);

}  // namespace axisim::detail
