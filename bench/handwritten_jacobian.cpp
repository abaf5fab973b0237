#include "handwritten_jacobian.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "handwritten_rhs.hpp"

namespace bench {
namespace {

// The species a reaction's rate depends on, in the order rate_partials() writes the partials.
int dependencies(const ReactionSpec& r, const std::vector<RuleSpec>& rules, std::uint32_t* dep) {
  switch (r.kind) {
    case Kinetics::Inflow: return 0;
    case Kinetics::Unimolecular:
    case Kinetics::MichaelisMenten: dep[0] = r.reactants[0]; return 1;
    case Kinetics::Bimolecular: dep[0] = r.reactants[0]; dep[1] = r.reactants[1]; return 2;
    case Kinetics::Reversible: dep[0] = r.reactants[0]; dep[1] = r.products[0]; return 2;
    case Kinetics::Regulated: dep[0] = r.reactants[0]; dep[1] = rules[r.rule].species; return 2;
  }
  return 0;
}

// The species a reaction changes and the sign of the change (reactants -1, products +1).
int changed(const ReactionSpec& r, std::uint32_t* species, double* sign) {
  int k = 0;
  for (int i = 0; i < r.num_reactants; ++i) species[k] = r.reactants[i], sign[k++] = -1.0;
  for (int i = 0; i < r.num_products; ++i) species[k] = r.products[i], sign[k++] = 1.0;
  return k;
}

// The partial derivatives of one reaction's rate with respect to the amounts it depends on.
inline int rate_partials(const ReactionSpec& r, const double* c, const double* g, const double* dg, double* p) {
  switch (r.kind) {
    case Kinetics::Inflow: return 0;
    case Kinetics::Unimolecular: p[0] = r.k1; return 1;
    case Kinetics::Bimolecular: p[0] = r.k1 * c[r.reactants[1]]; p[1] = r.k1 * c[r.reactants[0]]; return 2;
    case Kinetics::Reversible: p[0] = r.k1; p[1] = -r.k2; return 2;
    case Kinetics::MichaelisMenten: {
      const double d = r.k2 + c[r.reactants[0]];
      p[0] = r.k1 * r.k2 / (d * d);
      return 1;
    }
    case Kinetics::Regulated:
      p[0] = r.k1 * g[r.rule];
      p[1] = r.k1 * c[r.reactants[0]] * dg[r.rule];
      return 2;
  }
  return 0;
}

}  // namespace

HandwrittenJacobian::HandwrittenJacobian(const GeneratedModel& model)
    : n_(model.num_species()),
      volume_(model.compartment_size),
      rules_(model.rules),
      reactions_(model.reactions),
      conc_(model.num_species()),
      g_(model.rules.size()),
      dg_(model.rules.size()) {
  // The pattern: (column, row) pairs, sorted and made unique, the diagonal included.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> entries;
  for (std::uint32_t i = 0; i < n_; ++i) entries.emplace_back(i, i);
  std::uint32_t dep[2], species[4];
  double sign[4];
  for (const ReactionSpec& r : reactions_) {
    const int nd = dependencies(r, rules_, dep), nc = changed(r, species, sign);
    for (int a = 0; a < nc; ++a)
      for (int d = 0; d < nd; ++d) entries.emplace_back(dep[d], species[a]);
  }
  std::sort(entries.begin(), entries.end());
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  column_start_.assign(n_ + 1, 0);
  row_.reserve(entries.size());
  for (const auto& [col, row] : entries) {
    ++column_start_[col + 1];
    row_.push_back(row);
  }
  for (std::size_t j = 0; j < n_; ++j) column_start_[j + 1] += column_start_[j];

  auto position = [&](std::uint32_t row, std::uint32_t col) {
    const auto first = row_.begin() + column_start_[col], last = row_.begin() + column_start_[col + 1];
    const auto it = std::lower_bound(first, last, static_cast<std::int64_t>(row));
    if (it == last || *it != row) throw std::logic_error("handwritten Jacobian: entry missing from its own pattern");
    return static_cast<std::uint32_t>(it - row_.begin());
  };
  slot_start_.push_back(0);
  for (const ReactionSpec& r : reactions_) {
    const int nd = dependencies(r, rules_, dep), nc = changed(r, species, sign);
    for (int a = 0; a < nc; ++a)
      for (int d = 0; d < nd; ++d) slot_.push_back(position(species[a], dep[d]));
    slot_start_.push_back(static_cast<std::uint32_t>(slot_.size()));
  }
}

void HandwrittenJacobian::operator()(const double* y, double* values) const {
  for (std::size_t i = 0; i < n_; ++i) conc_[i] = y[i] / volume_;
  for (std::size_t j = 0; j < rules_.size(); ++j) {
    const RuleSpec& rule = rules_[j];
    const double h = static_cast<double>(rule.hill);
    const double x = conc_[rule.species] / rule.K;
    const double xh = std::pow(x, h);
    const double denominator = 1.0 + xh;
    g_[j] = 1.0 / denominator;
    // dg/dc; the reaction's factor V and the chain rule's dc/dy = 1/V cancel.
    dg_[j] = -(h / rule.K) * std::pow(x, h - 1.0) / (denominator * denominator);
  }
  std::fill(values, values + row_.size(), 0.0);
  const std::uint32_t* slot = slot_.data();
  double p[2];
  for (const ReactionSpec& r : reactions_) {
    const int nd = rate_partials(r, conc_.data(), g_.data(), dg_.data(), p);
    if (nd == 0) continue;
    // Reactants lose what the rate gains, products gain it; slots come in that order.
    for (int a = 0; a < r.num_reactants; ++a)
      for (int d = 0; d < nd; ++d) values[*slot++] -= p[d];
    for (int a = 0; a < r.num_products; ++a)
      for (int d = 0; d < nd; ++d) values[*slot++] += p[d];
  }
}

JacobianCheck check_jacobian(const HandwrittenJacobian& jac, const HandwrittenRhs& rhs, const std::vector<double>& y0) {
  const std::size_t n = jac.num_states();
  JacobianCheck result;
  std::vector<double> values(jac.nonzeros());
  jac(y0.data(), values.data());
  // Column by column: the analytic column scattered into a dense one, against the central
  // difference of every row (rows outside the pattern must come out zero).
  std::vector<double> flux(n), f_plus(n), f_minus(n), dense_column(n, 0.0), magnitude_column(n, 0.0);
  rhs.flux_magnitude(y0.data(), flux.data());
  std::vector<double> y = y0;
  for (std::size_t j = 0; j < n; ++j) {
    const double h = 1e-5 * std::max(std::abs(y0[j]), 1e-3);
    y[j] = y0[j] + h;
    rhs(y.data(), f_plus.data());
    y[j] = y0[j] - h;
    rhs(y.data(), f_minus.data());
    y[j] = y0[j];
    const double step = (y0[j] + h) - (y0[j] - h);  // the step as represented
    for (std::int64_t p = jac.column_start()[j]; p < jac.column_start()[j + 1]; ++p) {
      dense_column[jac.row()[p]] = values[p];
      magnitude_column[jac.row()[p]] = std::abs(values[p]);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double fd = (f_plus[i] - f_minus[i]) / step;
      const double allowed = 1e-6 * magnitude_column[i] + 1e-11 * flux[i] / h + 1e-300;
      const double err = std::abs(dense_column[i] - fd) / allowed;
      if (!(err <= 1.0) && result.failure.empty()) {
        char buf[320];
        std::snprintf(buf, sizeof buf,
                      "d(ydot of S%zu)/d(S%zu): hand-written %.17g, central difference %.17g (allowed difference %.3g)", i,
                      j, dense_column[i], fd, allowed);
        result.failure = buf;
      }
      if (!std::isnan(err)) result.max_error = std::max(result.max_error, err);
      ++result.compared;
    }
    for (std::int64_t p = jac.column_start()[j]; p < jac.column_start()[j + 1]; ++p)
      dense_column[jac.row()[p]] = magnitude_column[jac.row()[p]] = 0.0;
  }
  return result;
}

}  // namespace bench
