// handwritten_jacobian.hpp — the generated model's Jacobian, derived and written by hand.
//
// The other half of "the limit of this design": with handwritten_rhs.hpp, what a programmer
// would give CVODE for this network, a right-hand side and an analytic sparse Jacobian
// J[i][j] = d(ydot_i)/d(y_j) (y = amounts, c = y / V), in compressed sparse columns (CSC) as
// SUNDIALS' KLU solver takes it.
//
// Each kinetic type's partial derivatives, with respect to amounts (dc/dy = 1/V):
//   Inflow           V k1                     none
//   Unimolecular     V k1 c(A)                d/dA = k1
//   Bimolecular      V k1 c(A) c(B)           d/dA = k1 c(B),  d/dB = k1 c(A)
//   Reversible       V (k1 c(A) - k2 c(P))    d/dA = k1,       d/dP = -k2
//   MichaelisMenten  V k1 c(A) / (k2 + c(A))  d/dA = k1 k2 / (k2 + c(A))^2
//   Regulated        V k1 c(A) g(c(S))        d/dA = k1 g,     d/dS = k1 c(A) g'(c(S))
//     with g(x) = 1 / (1 + (x/K)^h),  g'(x) = -(h/K) (x/K)^(h-1) / (1 + (x/K)^h)^2.
// A rate's partial enters every species the reaction changes, with the stoichiometry's sign.
//
// The sparsity pattern is fixed at construction: for each reaction, every (changed species,
// species the rate depends on) pair, and the whole diagonal, even where it is zero (CVODE forms
// I - gamma J in the same matrix, and SUNDIALS' sparse matrix would have to grow otherwise).
// Evaluation writes the pattern and zeroes and accumulates the values through precomputed
// positions: O(non-zeros + reactions), no search, no allocation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "generate_model.hpp"

namespace bench {

class HandwrittenJacobian {
 public:
  explicit HandwrittenJacobian(const GeneratedModel& model);

  std::size_t num_states() const { return n_; }
  std::size_t nonzeros() const { return row_.size(); }
  // CSC: column j's entries are rows row()[column_start()[j] .. column_start()[j+1]), ascending.
  const std::vector<std::int64_t>& column_start() const { return column_start_; }
  const std::vector<std::int64_t>& row() const { return row_; }

  // values[p] = the p-th entry of the pattern at state y (amounts). Not thread-safe (scratch).
  void operator()(const double* y, double* values) const;

 private:
  std::size_t n_;
  double volume_;
  std::vector<RuleSpec> rules_;
  std::vector<ReactionSpec> reactions_;
  std::vector<std::int64_t> column_start_, row_;
  // Per reaction r, its entries' positions in the value array, slot_start_[r] ..
  // slot_start_[r+1]: for each changed species (reactants, then products), one position per
  // dependency of the rate, in the order partials() lists them.
  std::vector<std::uint32_t> slot_start_, slot_;
  mutable std::vector<double> conc_, g_, dg_;  // concentrations; per rule, g and dg/dc
};

// The hand-written Jacobian against central differences of the hand-written right-hand side,
// at one state: every entry of the n x n matrix (those outside the pattern must be zero).
struct JacobianCheck {
  double max_error = 0.0;   // largest |analytic - difference quotient| / allowed
  std::size_t compared = 0; // entries compared
  std::string failure;      // empty when every entry is within its allowance
};
class HandwrittenRhs;
// Entry (i, j) passes when |analytic - central difference| <= 1e-6 |analytic| + 1e-11 F_i / h_j:
// the truncation error of the difference quotient, relative, and its rounding error, F_i being
// row i's flux scale (HandwrittenRhs::flux_magnitude) and h_j = 1e-5 max(|y_j|, 1e-3) the step.
// A missing or wrong term shows as an error of the size of the term itself.
JacobianCheck check_jacobian(const HandwrittenJacobian& jac, const HandwrittenRhs& rhs, const std::vector<double>& y);

}  // namespace bench
