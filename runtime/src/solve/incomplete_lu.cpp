#include "solve/incomplete_lu.hpp"

#include <klu.h>

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/SparseCore>

#include <vector>

namespace axisim::detail {
namespace {

// Entries smaller than this, relative to their row, are dropped from the factors; at most this
// many times a row's entries are kept. Chosen on the generated networks of bench/ (1,500 to
// 3,000 species): GMRES then needs 2-4 iterations per Newton step.
constexpr double kDropTolerance = 1e-5;
constexpr int kFillFactor = 10;

}  // namespace

struct IncompleteLu::Impl {
  const SparsePattern& pattern;
  std::vector<std::int64_t> diagonal;  // per entry: 1 where row == column
  Eigen::SparseMatrix<double, Eigen::ColMajor, int> matrix;
  Eigen::IncompleteLUT<double, int> ilu;

  explicit Impl(const SparsePattern& p) : pattern(p), matrix(static_cast<int>(p.n), static_cast<int>(p.n)) {
    std::vector<Eigen::Triplet<double, int>> entries;
    entries.reserve(p.nonzeros());
    for (std::size_t k = 0; k < p.n; ++k)
      for (std::int64_t q = p.column_start[k]; q < p.column_start[k + 1]; ++q) {
        entries.emplace_back(static_cast<int>(p.row[static_cast<std::size_t>(q)]), static_cast<int>(k), 1.0);
        diagonal.push_back(p.row[static_cast<std::size_t>(q)] == static_cast<std::int64_t>(k));
      }
    matrix.setFromTriplets(entries.begin(), entries.end());
    matrix.makeCompressed();  // the same entries in the same (CSC) order as the pattern
    ilu.setDroptol(kDropTolerance);
    ilu.setFillfactor(kFillFactor);
    ilu.analyzePattern(matrix);  // the ordering depends on the pattern only: once
  }
};

IncompleteLu::IncompleteLu(const SparsePattern& pattern) : impl_(std::make_unique<Impl>(pattern)) {}
IncompleteLu::~IncompleteLu() = default;

bool IncompleteLu::factor(const double* jacobian, double gamma) {
  double* m = impl_->matrix.valuePtr();
  for (std::size_t p = 0; p < impl_->pattern.nonzeros(); ++p)
    m[p] = (impl_->diagonal[p] ? 1.0 : 0.0) - gamma * jacobian[p];
  impl_->ilu.factorize(impl_->matrix);
  return impl_->ilu.info() == Eigen::Success;
}

void IncompleteLu::solve(const double* r, double* z) const {
  const auto n = static_cast<Eigen::Index>(impl_->pattern.n);
  Eigen::Map<Eigen::VectorXd>(z, n) = impl_->ilu.solve(Eigen::Map<const Eigen::VectorXd>(r, n));
}

double exact_lu_entries(const SparsePattern& p) {
  const auto n = static_cast<SuiteSparse_long>(p.n);
  std::vector<SuiteSparse_long> start(p.column_start.begin(), p.column_start.end());
  std::vector<SuiteSparse_long> row(p.row.begin(), p.row.end());
  klu_l_common common;
  klu_l_defaults(&common);
  klu_l_symbolic* symbolic = klu_l_analyze(n, start.data(), row.data(), &common);
  if (symbolic == nullptr) return static_cast<double>(p.n) * static_cast<double>(p.n);
  const double entries = symbolic->lnz + symbolic->unz;
  klu_l_free_symbolic(&symbolic, &common);
  return entries;
}

}  // namespace axisim::detail
