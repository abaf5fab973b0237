#include "analysis/conservation.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

#include "analysis/integer_elimination.hpp"

namespace axisim::detail {
namespace {

void fill_link(Conservation& c) {
  c.link0.assign(c.dependent.size() * c.independent.size(), 0.0);
  for (std::size_t d = 0; d < c.dependent.size(); ++d) {
    const std::vector<double>& g = c.laws[d];
    for (std::size_t q = 0; q < c.independent.size(); ++q)
      c.link0[d * c.independent.size() + q] = -g[c.independent[q]] / g[c.dependent[d]];
  }
}

// Rank-revealing fallback: N^T P = Q R; the first `rank` pivoted columns (species) are
// independent, and each dependent row of N is a least-squares combination of them.
Conservation numeric_conservation(const Stoichiometry& st) {
  const auto m = static_cast<Eigen::Index>(st.species.size());
  const auto r = static_cast<Eigen::Index>(st.reactions.size());
  Eigen::MatrixXd nt(r, m);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < r; ++j) nt(j, i) = st.at(static_cast<std::size_t>(i), static_cast<std::size_t>(j));
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(nt);
  qr.setThreshold(kRankTolerance);
  Conservation c;
  c.exact = false;
  c.tolerance = kRankTolerance;
  c.rank = static_cast<int>(qr.rank());
  const auto& perm = qr.colsPermutation().indices();
  for (Eigen::Index k = 0; k < m; ++k)
    (k < c.rank ? c.independent : c.dependent).push_back(static_cast<std::size_t>(perm(k)));
  std::sort(c.independent.begin(), c.independent.end());
  std::sort(c.dependent.begin(), c.dependent.end());
  Eigen::MatrixXd a(r, static_cast<Eigen::Index>(c.independent.size()));
  for (std::size_t q = 0; q < c.independent.size(); ++q) a.col(static_cast<Eigen::Index>(q)) = nt.col(static_cast<Eigen::Index>(c.independent[q]));
  const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> aqr(a);
  for (std::size_t d : c.dependent) {
    const Eigen::VectorXd x = aqr.solve(nt.col(static_cast<Eigen::Index>(d)));  // n_d = sum_q x_q n_q (rows of N)
    std::vector<double> law(st.species.size(), 0.0);
    law[d] = 1.0;
    for (std::size_t q = 0; q < c.independent.size(); ++q) law[c.independent[q]] = -x(static_cast<Eigen::Index>(q));
    c.laws.push_back(std::move(law));
  }
  fill_link(c);
  return c;
}

}  // namespace

Conservation find_conservation(const Stoichiometry& st) {
  if (const auto exact = integer_conservation_laws(st.n, st.species.size(), st.reactions.size())) {
    Conservation c;
    c.independent = exact->independent;
    std::sort(c.independent.begin(), c.independent.end());
    c.dependent = exact->dependent;
    c.rank = static_cast<int>(c.independent.size());
    for (const auto& law : exact->laws) c.laws.emplace_back(law.begin(), law.end());
    fill_link(c);
    return c;
  }
  return numeric_conservation(st);
}

}  // namespace axisim::detail
