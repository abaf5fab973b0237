// dense_linear.hpp — solving a small dense linear system in place (Gaussian elimination with
// partial pivoting). Used by the Newton iteration for algebraic rules, whose systems have a
// handful of unknowns, and for the unknowns' derivatives in the Jacobian; no allocation.
#pragma once

#include <cmath>
#include <cstddef>
#include <utility>

namespace axisim::detail {

// Solves A X = B for X, overwriting B (n x nrhs, row-major) with X and A with its factors. A is
// n x n, row-major. Returns false when A is singular (to working precision).
inline bool solve_dense(std::size_t n, double* A, double* B, std::size_t nrhs) {
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t pivot = k;
    for (std::size_t i = k + 1; i < n; ++i)
      if (std::fabs(A[i * n + k]) > std::fabs(A[pivot * n + k])) pivot = i;
    if (!(std::fabs(A[pivot * n + k]) > 0.0)) return false;
    if (pivot != k) {
      for (std::size_t j = 0; j < n; ++j) std::swap(A[k * n + j], A[pivot * n + j]);
      for (std::size_t c = 0; c < nrhs; ++c) std::swap(B[k * nrhs + c], B[pivot * nrhs + c]);
    }
    for (std::size_t i = k + 1; i < n; ++i) {
      const double f = A[i * n + k] / A[k * n + k];
      for (std::size_t j = k; j < n; ++j) A[i * n + j] -= f * A[k * n + j];
      for (std::size_t c = 0; c < nrhs; ++c) B[i * nrhs + c] -= f * B[k * nrhs + c];
    }
  }
  for (std::size_t k = n; k-- > 0;)
    for (std::size_t c = 0; c < nrhs; ++c) {
      double s = B[k * nrhs + c];
      for (std::size_t j = k + 1; j < n; ++j) s -= A[k * n + j] * B[j * nrhs + c];
      B[k * nrhs + c] = s / A[k * n + k];
    }
  return true;
}

// Solves A x = b for x, overwriting b with x and A with its factors.
inline bool solve_dense(std::size_t n, double* A, double* b) { return solve_dense(n, A, b, 1); }

}  // namespace axisim::detail
