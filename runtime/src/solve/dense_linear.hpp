// dense_linear.hpp — solving a small dense linear system in place (Gaussian elimination with
// partial pivoting). Used by the Newton iteration for algebraic rules, whose systems have a
// handful of unknowns; no allocation.
#pragma once

#include <cmath>
#include <cstddef>
#include <utility>

namespace axisim::detail {

// Solves A x = b for x, overwriting b with x and A with its factors. A is n x n, row-major.
// Returns false when A is singular (to working precision).
inline bool solve_dense(std::size_t n, double* A, double* b) {
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t pivot = k;
    for (std::size_t i = k + 1; i < n; ++i)
      if (std::fabs(A[i * n + k]) > std::fabs(A[pivot * n + k])) pivot = i;
    if (!(std::fabs(A[pivot * n + k]) > 0.0)) return false;
    if (pivot != k) {
      for (std::size_t j = 0; j < n; ++j) std::swap(A[k * n + j], A[pivot * n + j]);
      std::swap(b[k], b[pivot]);
    }
    for (std::size_t i = k + 1; i < n; ++i) {
      const double f = A[i * n + k] / A[k * n + k];
      for (std::size_t j = k; j < n; ++j) A[i * n + j] -= f * A[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (std::size_t k = n; k-- > 0;) {
    double s = b[k];
    for (std::size_t j = k + 1; j < n; ++j) s -= A[k * n + j] * b[j];
    b[k] = s / A[k * n + k];
  }
  return true;
}

}  // namespace axisim::detail
