#include "analysis/reduced_system.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "axisim/error.hpp"

namespace axisim::detail {

ReducedSystem::ReducedSystem(const CompiledSystem& system, std::vector<std::shared_ptr<const PluginBinding>> plugins,
                             double time, double atol)
    : sys_(system),
      plugins_(std::move(plugins)),
      coupling_(system, plugins_),
      time_(time),
      atol_(atol),
      ws_(system.make_workspace()),
      n_model_(system.num_states()),
      n_full_(system.num_states() + coupling_.num_states()) {
  // The analytic Jacobian knows the model's states only; plugins' states have no derivatives.
  analytic_ = sys_.jacobian() != nullptr && coupling_.empty();
  nonnegative_.assign(n_full_, false);
  for (std::size_t k = 0; k < n_model_; ++k) {
    const SymbolKind kind = sys_.ir().symbols[sys_.state_slot(k)].kind;
    nonnegative_[k] = kind == SymbolKind::Species || kind == SymbolKind::Compartment;
  }
  y0_.assign(n_full_, 0.0);
  y_.assign(n_full_, 0.0);
  f_.assign(n_full_, 0.0);
  if (analytic_) jac_values_.assign(sys_.jacobian()->pattern.nonzeros(), 0.0);
}

std::string ReducedSystem::state_name(std::size_t s) const {
  if (s < n_model_) return sys_.ir().symbols[sys_.state_slot(s)].id;
  for (std::size_t p = plugins_.size(); p-- > 0;)
    if (s - n_model_ >= coupling_.offset(p))
      return plugins_[p]->plugin.name() + "." + plugins_[p]->plugin.states()[s - n_model_ - coupling_.offset(p)].name;
  return "state " + std::to_string(s);
}

std::int64_t ReducedSystem::symbol_of(std::size_t s) const {
  return s < n_model_ ? static_cast<std::int64_t>(sys_.state_slot(s)) : -1;
}

bool ReducedSystem::set_point(const std::vector<InitialOverride>& overrides, bool keep_layout) {
  overrides_ = overrides;
  sys_.initialize(ws_, overrides_);
  sys_.gather_state(ws_, y0_.data());
  if (!coupling_.initial_states(y0_.data() + n_model_, ws_)) throw Error(ErrorKind::Plugin, coupling_.fault());
  const std::vector<double> scale = sys_.tolerance_scale(ws_);
  atol_scale_.assign(n_full_, 1.0);
  std::copy(scale.begin(), scale.end(), atol_scale_.begin());
  increment_floor_.resize(n_model_);
  // As the integrator does: increments no smaller than where its absolute tolerance takes over.
  for (std::size_t k = 0; k < n_model_; ++k) increment_floor_[k] = 1e-4 * atol_scale_[k];
  Stoichiometry st = build_stoichiometry(sys_, ws_.values, plugins_);
  const bool rebuild = !keep_layout || st.n != stoich_.n || st.species != stoich_.species;
  if (rebuild) {
    stoich_ = std::move(st);
    cons_ = find_conservation(stoich_);
    species_state_.clear();
    for (std::uint32_t s : stoich_.species) {
      const std::int64_t k = sys_.amount_state(s);
      if (k < 0)
        throw Error(ErrorKind::Unsupported, "unsupported for steady state: species '" + sys_.ir().symbols[s].id +
                                                "' is changed by reactions but is not integrated as an amount");
      species_state_.push_back(static_cast<std::size_t>(k));
    }
    held_.clear();
    build_layout();
  } else {
    for (std::size_t s : held_) held_value_[s] = y0_[s];
  }
  compute_offsets();
  return rebuild;
}

void ReducedSystem::build_layout() {
  dependent_state_.clear();
  dependent_of_.assign(n_full_, -1);
  for (std::size_t d = 0; d < cons_.dependent.size(); ++d) {
    dependent_state_.push_back(species_state_[cons_.dependent[d]]);
    dependent_of_[dependent_state_.back()] = static_cast<std::int64_t>(d);
  }
  std::vector<bool> is_held(n_full_, false);
  for (std::size_t s : held_) is_held[s] = true;
  unknowns_.clear();
  column_of_.assign(n_full_, -1);
  for (std::size_t s = 0; s < n_full_; ++s)
    if (dependent_of_[s] < 0 && !is_held[s]) {
      column_of_[s] = static_cast<std::int64_t>(unknowns_.size());
      unknowns_.push_back(s);
    }
  link_terms_.assign(cons_.dependent.size(), {});
  const std::size_t ni = cons_.independent.size();
  for (std::size_t d = 0; d < cons_.dependent.size(); ++d)
    for (std::size_t q = 0; q < ni; ++q) {
      const double c = cons_.link0[d * ni + q];
      const std::int64_t col = column_of_[species_state_[cons_.independent[q]]];
      if (c != 0.0 && col >= 0) link_terms_[d].emplace_back(static_cast<std::size_t>(col), c);
    }
  held_value_.resize(n_full_, 0.0);
  const std::size_t n = unknowns_.size();
  xp_.assign(n, 0.0);
  rp_.assign(n, 0.0);
  rm_.assign(n, 0.0);
}

// offset_d = n_d(0) - sum_q link0[d][q] n_q(0): the law's total, divided by its own coefficient.
void ReducedSystem::compute_offsets() {
  const std::size_t ni = cons_.independent.size();
  offset_.assign(cons_.dependent.size(), 0.0);
  for (std::size_t d = 0; d < cons_.dependent.size(); ++d) {
    double v = y0_[dependent_state_[d]];
    for (std::size_t q = 0; q < ni; ++q) v -= cons_.link0[d * ni + q] * y0_[species_state_[cons_.independent[q]]];
    offset_[d] = v;
  }
}

void ReducedSystem::expand(const double* x, double* y) const {
  for (std::size_t k = 0; k < unknowns_.size(); ++k) y[unknowns_[k]] = x[k];
  for (std::size_t s : held_) y[s] = held_value_[s];
  const std::size_t ni = cons_.independent.size();
  for (std::size_t d = 0; d < dependent_state_.size(); ++d) {
    double v = offset_[d];
    for (std::size_t q = 0; q < ni; ++q) {
      const double c = cons_.link0[d * ni + q];
      if (c != 0.0) v += c * y[species_state_[cons_.independent[q]]];
    }
    y[dependent_state_[d]] = v;
  }
}

void ReducedSystem::restrict_to_unknowns(const double* y, double* x) const {
  for (std::size_t k = 0; k < unknowns_.size(); ++k) x[k] = y[unknowns_[k]];
}

bool ReducedSystem::derivatives(const double* y, double* f) {
  const bool coupled = !coupling_.empty();
  if (coupled && !coupling_.drive(time_, y, ws_)) throw Error(ErrorKind::Plugin, coupling_.fault());
  if (!sys_.derivatives(time_, y, f, ws_, coupled)) return false;
  if (coupled && !coupling_.derivatives(time_, y + n_model_, f + n_model_, f, ws_))
    throw Error(ErrorKind::Plugin, coupling_.fault());
  for (std::size_t k = n_model_; k < n_full_; ++k)
    if (!std::isfinite(f[k])) return false;
  return true;
}

bool ReducedSystem::residual(const double* x, double* r) {
  expand(x, y_.data());
  if (!derivatives(y_.data(), f_.data())) return false;
  for (std::size_t k = 0; k < unknowns_.size(); ++k) r[k] = f_[unknowns_[k]];
  return true;
}

bool ReducedSystem::jacobian(const double* x, const double* r, double* J) {
  const std::size_t n = unknowns_.size();
  std::fill(J, J + n * n, 0.0);
  if (analytic_) {
    // The compiled Jacobian in the full states, folded onto the unknowns through the laws:
    // a dependent species' column contributes link0 times itself to each independent's column.
    expand(x, y_.data());
    if (!derivatives(y_.data(), f_.data())) return false;
    if (!sys_.jacobian_values(time_, y_.data(), f_.data(), jac_values_.data(), true, increment_floor_.data(), ws_))
      return false;
    const SparsePattern& pat = sys_.jacobian()->pattern;
    for (std::size_t k = 0; k < pat.n; ++k) {
      const std::int64_t col = column_of_[k], dep = dependent_of_[k];
      if (col < 0 && dep < 0) continue;  // held
      for (std::int64_t p = pat.column_start[k]; p < pat.column_start[k + 1]; ++p) {
        const std::int64_t row = column_of_[static_cast<std::size_t>(pat.row[static_cast<std::size_t>(p)])];
        if (row < 0) continue;
        const double v = jac_values_[static_cast<std::size_t>(p)];
        if (col >= 0) {
          J[static_cast<std::size_t>(row) * n + static_cast<std::size_t>(col)] += v;
        } else {
          for (const auto& [c, link] : link_terms_[static_cast<std::size_t>(dep)])
            J[static_cast<std::size_t>(row) * n + c] += v * link;
        }
      }
    }
    return true;
  }
  // Central differences on x (second-order one-sided where a state must stay non-negative).
  const double step = std::cbrt(std::numeric_limits<double>::epsilon());
  std::copy_n(x, n, xp_.data());
  for (std::size_t c = 0; c < n; ++c) {
    const std::size_t s = unknowns_[c];
    const double typical = std::max({std::fabs(x[c]), std::fabs(y0_[s]), 1e3 * atol_ * atol_scale_[s]});
    double h = step * typical;
    bool central = !(nonnegative_[s] && x[c] >= 0.0 && x[c] - h < 0.0);
    bool ok = false;
    if (central) {
      xp_[c] = x[c] + h;
      h = xp_[c] - x[c];
      ok = residual(xp_.data(), rp_.data());
      xp_[c] = x[c] - h;
      ok = ok && residual(xp_.data(), rm_.data());
      if (ok)
        for (std::size_t i = 0; i < n; ++i) J[i * n + c] = (rp_[i] - rm_[i]) / (2.0 * h);
    }
    if (!ok) {
      // f'(x) ~ (-3 f(x) + 4 f(x + h) - f(x + 2h)) / 2h
      xp_[c] = x[c] + h;
      h = xp_[c] - x[c];
      ok = residual(xp_.data(), rp_.data());
      xp_[c] = x[c] + 2.0 * h;
      ok = ok && residual(xp_.data(), rm_.data());
      if (!ok) {
        xp_[c] = x[c];
        return false;
      }
      for (std::size_t i = 0; i < n; ++i) J[i * n + c] = (-3.0 * r[i] + 4.0 * rp_[i] - rm_[i]) / (2.0 * h);
    }
    xp_[c] = x[c];
  }
  for (std::size_t i = 0; i < n * n; ++i)
    if (!std::isfinite(J[i])) return false;
  return true;
}

bool ReducedSystem::hold_free_states(std::vector<double>& x) {
  const std::size_t n = unknowns_.size();
  if (n == 0) return true;
  std::vector<double> r(n), J(n * n), J2(n * n), x2(x);
  if (!residual(x.data(), r.data()) || !jacobian(x.data(), r.data(), J.data())) return false;
  // A second point, every unknown moved by 1% (or by 1e-6 from zero), so that a column that is
  // zero only by coincidence at x (a rate proportional to a species that is zero) is not held.
  for (std::size_t c = 0; c < n; ++c) x2[c] = x[c] + 0.01 * std::max(std::fabs(x[c]), 1e-6) * (1.0 + 0.1 * double(c % 7));
  const bool second = residual(x2.data(), r.data()) && jacobian(x2.data(), r.data(), J2.data());
  std::vector<std::size_t> newly;
  for (std::size_t c = 0; c < n; ++c) {
    bool zero = true;
    for (std::size_t i = 0; i < n && zero; ++i) zero = J[i * n + c] == 0.0 && (!second || J2[i * n + c] == 0.0);
    if (zero) newly.push_back(unknowns_[c]);
  }
  if (newly.empty()) return true;
  std::vector<double> y(n_full_);
  expand(x.data(), y.data());
  for (std::size_t s : newly) {
    held_.push_back(s);
    held_value_.resize(n_full_, 0.0);
    held_value_[s] = y[s];
  }
  std::sort(held_.begin(), held_.end());
  build_layout();
  for (std::size_t s : held_) held_value_[s] = y[s];
  x.assign(unknowns_.size(), 0.0);
  restrict_to_unknowns(y.data(), x.data());
  return true;
}

std::string ReducedSystem::range_violation(const double* y) {
  if (!coupling_.has_ranges()) return {};
  if (!coupling_.drive(time_, y, ws_)) throw Error(ErrorKind::Plugin, coupling_.fault());
  if (coupling_.check_ranges(time_, y + n_model_)) return {};
  std::string why = coupling_.fault();
  coupling_.clear_fault();
  return why;
}

const Workspace& ReducedSystem::complete(const double* y) {
  if (!coupling_.empty() && !coupling_.drive(time_, y, ws_)) throw Error(ErrorKind::Plugin, coupling_.fault());
  sys_.update_all(time_, y, ws_);
  if (!coupling_.empty() && !coupling_.observe(time_, y + n_model_, ws_)) throw Error(ErrorKind::Plugin, coupling_.fault());
  return ws_;
}

double ReducedSystem::negative_tolerance(std::size_t s, const double* y) const {
  double tol = 10.0 * atol_ * atol_scale_[s];
  if (const std::int64_t d = dependent_of_[s]; d >= 0) {
    double size = std::fabs(offset_[static_cast<std::size_t>(d)]);
    const std::size_t ni = cons_.independent.size();
    for (std::size_t q = 0; q < ni; ++q)
      size += std::fabs(cons_.link0[static_cast<std::size_t>(d) * ni + q] * y[species_state_[cons_.independent[q]]]);
    tol += 1e-12 * size;
  }
  return tol;
}

}  // namespace axisim::detail
