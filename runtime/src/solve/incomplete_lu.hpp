// incomplete_lu.hpp — an incomplete LU factorisation of the Newton matrix I - gamma J, used as
// the preconditioner of the iterative linear solver.
//
// Large reaction networks whose graph is well connected (random or hub-rich networks) fill
// in badly under an exact sparse LU: KLU's factors of such a 1,500-species network are
// nearly dense. An incomplete LU with threshold dropping (Saad's ILUT, Eigen's IncompleteLUT)
// keeps the factors sparse, and GMRES makes up for what was dropped in a few iterations.
// Eigen's types stay inside this module.
#pragma once

#include <memory>

#include "solve/sparse_pattern.hpp"

namespace axisim::detail {

class IncompleteLu {
 public:
  explicit IncompleteLu(const SparsePattern& pattern);
  ~IncompleteLu();
  IncompleteLu(const IncompleteLu&) = delete;
  IncompleteLu& operator=(const IncompleteLu&) = delete;

  // Factorises I - gamma J, J given as values in the pattern's order. False if it fails
  // (a zero pivot), which the integrator treats as recoverable.
  bool factor(const double* jacobian, double gamma);
  // z = M^-1 r with the last factorisation.
  void solve(const double* r, double* z) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The number of entries an exact LU of a matrix with this pattern would have (AMD ordering,
// symbolic analysis only): how badly a direct sparse solver would fill in.
double exact_lu_entries(const SparsePattern& pattern);

}  // namespace axisim::detail
