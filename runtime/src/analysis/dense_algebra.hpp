// dense_algebra.hpp — the linear algebra the analyses need, without naming Eigen.
//
// Matrices are row-major std::vector<double> (the reduced Jacobian is assembled dense: the
// conservation laws' link matrix can fill a sparse Jacobian's columns in anyway). Eigen (LU with
// partial pivoting, sparse LU with a COLAMD ordering, the real Schur-based eigensolver) stays
// inside dense_algebra.cpp.
#pragma once

#include <complex>
#include <cstddef>
#include <memory>
#include <vector>

namespace axisim::detail {

// An LU factorisation kept between solves (its memory is reused by each factor()): dense with
// partial pivoting, or, from kSparseLuMinSize unknowns when at most kSparseLuMaxDensity of the
// matrix is non-zero, Eigen's SparseLU on its non-zeros (dense LU costs n^3/3 flops, 70 ms at
// 600 unknowns; the reaction networks' reduced Jacobians have a few non-zeros per column).
inline constexpr std::size_t kSparseLuMinSize = 100;
inline constexpr double kSparseLuMaxDensity = 0.1;

class DenseLu {
 public:
  explicit DenseLu(std::size_t n);
  ~DenseLu();
  DenseLu(const DenseLu&) = delete;
  DenseLu& operator=(const DenseLu&) = delete;

  // False when a pivot is exactly zero or not finite (singular to working precision).
  bool factor(const double* a);
  // b := A^-1 b; false when the result is not finite.
  bool solve(double* b) const;
  // B := A^-1 B for `columns` right-hand sides stored column by column (each of length n).
  bool solve_many(double* b, std::size_t columns) const;
  int determinant_sign() const;
  // Reciprocal condition number estimate (1-norm).
  double rcond() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::vector<std::complex<double>> eigenvalues(std::size_t n, const double* a);

// a (rows x inner) times b (inner x cols), all row-major: rows x cols.
std::vector<double> multiply(const std::vector<double>& a, const std::vector<double>& b, std::size_t rows,
                             std::size_t inner, std::size_t cols);

// The infinity norm (largest absolute row sum) of the n x n row-major matrix `a`.
double inf_norm(std::size_t n, const std::vector<double>& a);

// The rows of `a` (rows x cols, row-major) split into a maximal independent set and the rest,
// by a QR factorisation of a^T with column pivoting (rank at `tolerance` relative to the largest
// pivot), each dependent row written as a least-squares combination of the independent ones.
struct RowBasis {
  std::vector<std::size_t> independent, dependent;  // increasing
  std::vector<double> combination;  // dependent x independent: row_d = sum_q c[d][q] row_q
};
RowBasis row_basis(const std::vector<double>& a, std::size_t rows, std::size_t cols, double tolerance);

}  // namespace axisim::detail
