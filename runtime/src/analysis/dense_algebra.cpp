#include "analysis/dense_algebra.hpp"

#include <cmath>

#include <Eigen/Dense>

namespace axisim::detail {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct DenseLu::Impl {
  explicit Impl(std::size_t n) : a(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n)), lu(static_cast<Eigen::Index>(n)) {}
  Eigen::MatrixXd a;
  Eigen::PartialPivLU<Eigen::MatrixXd> lu;
  std::size_t n() const { return static_cast<std::size_t>(a.rows()); }
};

DenseLu::DenseLu(std::size_t n) : impl_(std::make_unique<Impl>(n)) {}
DenseLu::~DenseLu() = default;

bool DenseLu::factor(const double* a) {
  const auto n = static_cast<Eigen::Index>(impl_->n());
  impl_->a = Eigen::Map<const RowMatrix>(a, n, n);
  if (!impl_->a.allFinite()) return false;
  impl_->lu.compute(impl_->a);
  const auto& m = impl_->lu.matrixLU();
  for (Eigen::Index i = 0; i < n; ++i)
    if (!(std::fabs(m(i, i)) > 0.0) || !std::isfinite(m(i, i))) return false;
  return true;
}

bool DenseLu::solve(double* b) const {
  const auto n = static_cast<Eigen::Index>(impl_->n());
  Eigen::Map<Eigen::VectorXd> v(b, n);
  v = impl_->lu.solve(v);
  return v.allFinite();
}

bool DenseLu::solve_many(double* b, std::size_t columns) const {
  const auto n = static_cast<Eigen::Index>(impl_->n());
  Eigen::Map<Eigen::MatrixXd> m(b, n, static_cast<Eigen::Index>(columns));
  m = impl_->lu.solve(m);
  return m.allFinite();
}

int DenseLu::determinant_sign() const {
  if (impl_->n() == 0) return 1;
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

double DenseLu::rcond() const { return impl_->n() == 0 ? 1.0 : impl_->lu.rcond(); }

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

}  // namespace axisim::detail
