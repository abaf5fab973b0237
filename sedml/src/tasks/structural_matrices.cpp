// The reduced Jacobian and eigenvalue matrices of SED-ML Version 4 (structural_matrices.hpp).
#include "tasks/structural_matrices.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <string>

namespace axisim::sedml {

Matrix reduced_jacobian(const Matrix& jacobian, const MoietyAnalysis& m, const std::vector<double>& sizes) {
  const std::size_t n = m.species.size(), r = m.independent.size();
  // The row of each independent species in m.species (link's identity rows say which).
  std::vector<std::size_t> row(r, 0);
  for (std::size_t q = 0; q < r; ++q)
    for (std::size_t i = 0; i < n; ++i)
      if (m.species[i] == m.independent[q]) row[q] = i;
  Matrix out(m.independent, m.independent);
  for (std::size_t a = 0; a < r; ++a)
    for (std::size_t b = 0; b < r; ++b) {
      double sum = 0.0;
      for (std::size_t k = 0; k < n; ++k) sum += jacobian(row[a], k) * m.link(k, b) / sizes[k];
      out(a, b) = sum * sizes[row[b]];
    }
  return out;
}

Matrix eigenvalue_matrix(const Matrix& a) {
  const Eigen::Index n = static_cast<Eigen::Index>(a.rows());
  Eigen::MatrixXd dense(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index k = 0; k < n; ++k) dense(i, k) = a(static_cast<std::size_t>(i), static_cast<std::size_t>(k));
  std::vector<std::pair<double, double>> values;
  if (n > 0) {
    const Eigen::EigenSolver<Eigen::MatrixXd> solver(dense, false);
    if (solver.info() != Eigen::Success) throw Error(ErrorKind::Solver, "the eigenvalue iteration did not converge");
    for (Eigen::Index i = 0; i < n; ++i) values.emplace_back(solver.eigenvalues()(i).real(), solver.eigenvalues()(i).imag());
  }
  std::sort(values.begin(), values.end(), [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second > y.second; });
  std::vector<std::string> rows;
  for (Eigen::Index i = 1; i <= n; ++i) rows.push_back(std::to_string(i));
  Matrix out(rows, {"real", "imaginary"});
  for (std::size_t i = 0; i < values.size(); ++i) {
    out(i, 0) = values[i].first;
    out(i, 1) = values[i].second;
  }
  return out;
}

}  // namespace axisim::sedml
