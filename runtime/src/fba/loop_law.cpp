// loop_law.cpp — Schellenberger et al.'s loop law as mixed-integer constraints (loop_law.hpp).
#include "fba/loop_law.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <spdlog/spdlog.h>

namespace axisim::detail {

LoopLaw add_loop_law(LinearProgram& lp, std::size_t fluxes, std::size_t species_rows, const std::vector<bool>& internal) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  LoopLaw law;
  double m = 0.0;
  for (std::size_t j = 0; j < fluxes; ++j)
    if (internal[j]) {
      law.internal.push_back(j);
      m = std::max({m, std::fabs(lp.lower[j]), std::fabs(lp.upper[j])});
    }
  const double k = std::max(m, 1000.0);
  if (lp.row_lower.empty()) {
    lp.row_lower.assign(lp.row_names.size(), 0.0);
    lp.row_upper.assign(lp.row_names.size(), 0.0);
  }
  if (lp.binary.empty()) lp.binary.assign(lp.column_names.size(), false);
  auto add_column = [&](const std::string& name, double lower, double upper, bool binary) {
    lp.column_names.push_back(name);
    lp.lower.push_back(lower);
    lp.upper.push_back(upper);
    lp.objective.push_back(0.0);
    lp.binary.push_back(binary);
    return lp.column_names.size() - 1;
  };
  auto add_row = [&](const std::string& name, double lower, double upper) {
    lp.row_names.push_back(name);
    lp.row_lower.push_back(lower);
    lp.row_upper.push_back(upper);
    return lp.row_names.size() - 1;
  };
  // One free potential per balanced species.
  const std::size_t first_mu = lp.column_names.size();
  for (std::size_t r = 0; r < species_rows; ++r) add_column("potential of " + lp.row_names[r], -kInf, kInf, false);
  // The internal reactions' columns of S, read once from the sparse matrix.
  std::vector<std::vector<std::pair<std::size_t, double>>> column_of(fluxes);
  for (const LinearProgram::Entry& e : lp.matrix)
    if (e.row < species_rows && e.column < fluxes && internal[e.column]) column_of[e.column].emplace_back(e.row, e.value);
  for (const std::size_t j : law.internal) {
    const std::string id = lp.column_names[j];  // a copy: add_column below may reallocate column_names
    const std::size_t a = add_column(id + " (forward)", 0.0, 1.0, true);
    law.indicator.push_back(a);
    const std::size_t on_off = add_row(id + " direction", -m, 0.0);  // v_j - M a_j in [-M, 0]
    lp.matrix.push_back({on_off, j, 1.0});
    lp.matrix.push_back({on_off, a, -m});
    // G_j = sum_k S_kj mu_k, so G_j + (K + 1) a_j in [1, K] is one row.
    const std::size_t energy = add_row(id + " free energy difference", 1.0, k);
    for (const auto& [row, value] : column_of[j]) lp.matrix.push_back({energy, first_mu + row, value});
    lp.matrix.push_back({energy, a, k + 1.0});
  }
  return law;
}

LpSolution solve_loopless(const LinearProgram& lp, const LoopLaw& law) {
  LpSolution mip = solve_lp(lp);
  if (mip.status != LpStatus::Optimal) return mip;
  LinearProgram fixed = lp;
  fixed.binary.clear();
  for (const std::size_t a : law.indicator) fixed.lower[a] = fixed.upper[a] = std::round(mip.x[a]);
  LpSolution polished = solve_lp(fixed);
  if (polished.status != LpStatus::Optimal) {
    spdlog::debug("loopless: the program with the directions fixed is not optimal ({}); keeping branch and cut's values",
                  polished.detail);
    return mip;
  }
  polished.row_dual.clear();
  polished.column_dual.clear();
  return polished;
}

}  // namespace axisim::detail
