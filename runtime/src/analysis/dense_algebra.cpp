#include "analysis/dense_algebra.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>
#include <Eigen/SparseLU>

namespace axisim::detail {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct DenseLu::Impl {
  explicit Impl(std::size_t n) : n(n) {}
  std::size_t n;
  bool sparse = false;
  Eigen::MatrixXd a;
  Eigen::PartialPivLU<Eigen::MatrixXd> lu;
  std::vector<Eigen::Triplet<double>> triplets;
  Eigen::SparseMatrix<double> s;
  Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> slu;
  bool pattern_analysed = false;
};

DenseLu::DenseLu(std::size_t n) : impl_(std::make_unique<Impl>(n)) {}
DenseLu::~DenseLu() = default;

bool DenseLu::factor(const double* a) {
  Impl& m = *impl_;
  const auto n = static_cast<Eigen::Index>(m.n);
  std::size_t nonzeros = 0;
  for (std::size_t i = 0; i < m.n * m.n; ++i) {
    if (!std::isfinite(a[i])) return false;
    if (a[i] != 0.0) ++nonzeros;
  }
  m.sparse = m.n >= kSparseLuMinSize && static_cast<double>(nonzeros) <= kSparseLuMaxDensity * double(m.n) * double(m.n);
  if (m.sparse) {
    m.triplets.clear();
    for (std::size_t i = 0; i < m.n; ++i)
      for (std::size_t j = 0; j < m.n; ++j)
        if (a[i * m.n + j] != 0.0) m.triplets.emplace_back(static_cast<int>(i), static_cast<int>(j), a[i * m.n + j]);
    m.s.resize(n, n);
    m.s.setFromTriplets(m.triplets.begin(), m.triplets.end());
    m.s.makeCompressed();
    // The pattern changes when an entry happens to be zero, so analyse every time: the ordering
    // is cheap next to the factorisation.
    m.slu.analyzePattern(m.s);
    m.slu.factorize(m.s);
    return m.slu.info() == Eigen::Success;
  }
  m.a = Eigen::Map<const RowMatrix>(a, n, n);
  m.lu.compute(m.a);
  const auto& f = m.lu.matrixLU();
  for (Eigen::Index i = 0; i < n; ++i)
    if (!(std::fabs(f(i, i)) > 0.0) || !std::isfinite(f(i, i))) return false;
  return true;
}

bool DenseLu::solve(double* b) const {
  const auto n = static_cast<Eigen::Index>(impl_->n);
  Eigen::Map<Eigen::VectorXd> v(b, n);
  if (impl_->sparse) {
    const Eigen::VectorXd x = impl_->slu.solve(v);
    v = x;
  } else {
    v = impl_->lu.solve(v);
  }
  return v.allFinite();
}

bool DenseLu::solve_many(double* b, std::size_t columns) const {
  const auto n = static_cast<Eigen::Index>(impl_->n);
  Eigen::Map<Eigen::MatrixXd> m(b, n, static_cast<Eigen::Index>(columns));
  if (impl_->sparse) {
    const Eigen::MatrixXd x = impl_->slu.solve(m);
    m = x;
  } else {
    m = impl_->lu.solve(m);
  }
  return m.allFinite();
}

int DenseLu::determinant_sign() const {
  if (impl_->n == 0) return 1;
  if (impl_->sparse) return static_cast<int>(impl_->slu.signDeterminant());
  // sign(det) = sign of the permutation times the signs of U's diagonal; det() itself would
  // under- or overflow for large systems.
  const auto& m = impl_->lu.matrixLU();
  int sign = impl_->lu.permutationP().determinant();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    if (m(i, i) == 0.0) return 0;
    if (m(i, i) < 0.0) sign = -sign;
  }
  return sign;
}

double DenseLu::rcond() const { return impl_->n == 0 || impl_->sparse ? 1.0 : impl_->lu.rcond(); }

std::vector<std::complex<double>> eigenvalues(std::size_t n, const double* a) {
  std::vector<std::complex<double>> out;
  if (n == 0) return out;
  const RowMatrix m = Eigen::Map<const RowMatrix>(a, static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  Eigen::EigenSolver<Eigen::MatrixXd> es(m, false);
  if (es.info() != Eigen::Success) return out;
  const auto& ev = es.eigenvalues();
  for (Eigen::Index i = 0; i < ev.size(); ++i) out.push_back(ev(i));
  return out;
}

RowBasis row_basis(const std::vector<double>& a, std::size_t rows, std::size_t cols, double tolerance) {
  const auto m = static_cast<Eigen::Index>(rows), r = static_cast<Eigen::Index>(cols);
  const Eigen::MatrixXd at = Eigen::Map<const RowMatrix>(a.data(), m, r).transpose();
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(at);
  qr.setThreshold(tolerance);
  RowBasis b;
  const auto rank = qr.rank();
  const auto& perm = qr.colsPermutation().indices();
  for (Eigen::Index k = 0; k < m; ++k) (k < rank ? b.independent : b.dependent).push_back(static_cast<std::size_t>(perm(k)));
  std::sort(b.independent.begin(), b.independent.end());
  std::sort(b.dependent.begin(), b.dependent.end());
  Eigen::MatrixXd basis(r, static_cast<Eigen::Index>(b.independent.size()));
  for (std::size_t q = 0; q < b.independent.size(); ++q)
    basis.col(static_cast<Eigen::Index>(q)) = at.col(static_cast<Eigen::Index>(b.independent[q]));
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> bqr(basis);
  for (std::size_t d : b.dependent) {
    const Eigen::VectorXd x = bqr.solve(at.col(static_cast<Eigen::Index>(d)));
    b.combination.insert(b.combination.end(), x.data(), x.data() + x.size());
  }
  return b;
}

std::vector<double> multiply(const std::vector<double>& a, const std::vector<double>& b, std::size_t rows,
                             std::size_t inner, std::size_t cols) {
  std::vector<double> c(rows * cols, 0.0);
  if (rows == 0 || inner == 0 || cols == 0) return c;
  Eigen::Map<RowMatrix>(c.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols)).noalias() =
      Eigen::Map<const RowMatrix>(a.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(inner)) *
      Eigen::Map<const RowMatrix>(b.data(), static_cast<Eigen::Index>(inner), static_cast<Eigen::Index>(cols));
  return c;
}

double inf_norm(std::size_t n, const std::vector<double>& a) {
  double m = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double row = 0.0;
    for (std::size_t j = 0; j < n; ++j) row += std::fabs(a[i * n + j]);
    m = std::max(m, row);
  }
  return m;
}

}  // namespace axisim::detail
