// implicit_leap.cpp — implicit tau-leaping (Rathinam, Petzold, Cao and Gillespie, "Stiffness in
// stochastic chemically reacting systems: the implicit tau-leaping method", J. Chem. Phys. 119,
// 12784, 2003) with the rounding and the step selection of Cao, Gillespie and Petzold ("The
// adaptive explicit-implicit tau-leaping method with automatic tau selection", J. Chem. Phys.
// 126, 224101, 2007), on the run state of the exact method and of explicit leaping (tau_leap.cpp
// chooses the step and calls implicit_leap for the leap itself).
//
// A leap of length tau from x solves
//     X = x + sum_j nu_j (P_j - a_j(x) tau) + tau sum_j nu_j a_j(X)
// for X, P_j being Poisson(a_j(x) tau): the random part is explicit, the drift implicit (the
// backward Euler method in the deterministic limit), so fast reactions that relax towards an
// equilibrium stay stable however long the leap (stiff systems: a fast reversible pair limits the
// explicit step to about the square of epsilon x over its propensity; the implicit step is limited
// only by the reactions out of partial equilibrium). X is not a whole number: the firings are
// k_j = round(P_j - a_j(x) tau + a_j(X) tau), and the new state x + sum_j nu_j k_j.
// The price: the fluctuations of the fast reactions are damped. For one reversible pair of rate
// constants summing to lambda, the stationary variance is 2 / (2 + lambda tau) of the exact one.
// And the rounding makes a reaction whose correction a_j(X) tau - a_j(x) tau stays under half a
// firing (a slow one) fire exactly its Poisson draw, explicit in effect: means are right to first
// order in tau, with backward Euler's error in the fast reactions and forward Euler's in the slow
// ones (docs/stochastic.md, measured and tested). Critical reactions do not leap: they fire
// once, drawn as in tau_leap.cpp.
//
// Newton's method solves the equation; its Jacobian, I - tau sum_j nu_j grad a_j, comes from
// finite differences of the compiled propensities (any kinetic law, not only mass action), one
// evaluation per count per iteration, and a dense LU (Eigen, analysis/dense_algebra.hpp): meant
// for models of up to a few hundred counts.
#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "stochastic/ssa_run.hpp"

namespace axisim::detail {
namespace {

constexpr int kNewtonIterations = 30;
constexpr double kNewtonTolerance = 1e-9;  // Newton's step, relative to max(1, |X_i|)
constexpr double kDifference = 1e-6;       // finite-difference step, relative to max(1, |X_i|)

}  // namespace

// Two reactions are a reversible pair when one's changes are the other's negated (A -> B and
// B -> A; 2A -> A2 and A2 -> 2A), whatever their kinetic laws.
void SsaRun::find_reverse_pairs() {
  const std::size_t nr = a_.size(), ns = m_.species().size();
  reverse_.assign(nr, kNone);
  equilibrium_.assign(nr, 0);
  mu_im_.assign(ns, 0.0);
  sigma2_im_.assign(ns, 0.0);
  im_c_.assign(ns, 0.0);
  im_x_.assign(ns, 0.0);
  im_f_.assign(ns, 0.0);
  im_j_.assign(ns * ns, 0.0);
  im_a_.assign(nr, 0.0);
  im_ah_.assign(nr, 0.0);
  im_a0_.assign(nr, 0.0);
  im_lu_ = std::make_unique<DenseLu>(std::max<std::size_t>(ns, 1));
  using Changes = std::vector<std::pair<std::uint32_t, double>>;
  std::map<Changes, std::size_t> first;
  const SsaModel::Change* const changes = m_.changes().data();
  for (std::size_t j = 0; j < nr; ++j) {
    const SsaModel::Reaction& rx = m_.reaction(j);
    std::map<std::uint32_t, double> net;
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) net[changes[c].count] += changes[c].delta;
    Changes mine, negated;
    for (const auto& [count, delta] : net)
      if (delta != 0.0) {
        mine.emplace_back(count, delta);
        negated.emplace_back(count, -delta);
      }
    if (mine.empty()) continue;
    const auto other = first.find(negated);
    if (other != first.end() && reverse_[other->second] == kNone) {
      reverse_[j] = other->second;
      reverse_[other->second] = j;
    }
    first.emplace(std::move(mine), j);
  }
}

void SsaRun::propensities_at(const double* x, double* a) {
  const auto& species = m_.species();
  for (std::size_t i = 0; i < species.size(); ++i) v_[species[i].slot] = unit_ ? x[i] : x[i] / scale_;
  m_.state_program().run(v_, nullptr, t_, stack_.data());
  const double factor = unit_ ? 1.0 : scale_;
  for (std::size_t r = 0; r < a_.size(); ++r) a[r] = v_[rate_slots_[r]] * factor;
}

bool SsaRun::implicit_leap(double t_end, bool fire_critical) {
  const double tau = t_end - t_;
  const std::size_t nr = a_.size();
  const std::size_t ns = saved_counts_.size();
  const SsaModel::Change* const changes = m_.changes().data();
  for (std::size_t i = 0; i < ns; ++i) im_c_[i] = saved_counts_[i] = count(static_cast<std::uint32_t>(i));
  // The explicit part: x + sum_j nu_j (P_j - a_j(x) tau), and the critical firing.
  for (std::size_t j = 0; j < nr; ++j) {
    fired_[j] = 0.0;
    if (critical_now_[j]) continue;
    const double p = a_[j] > 0.0 ? poisson(a_[j] * tau) : 0.0;
    im_a0_[j] = p - a_[j] * tau;
    const SsaModel::Reaction& rx = m_.reaction(j);
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) im_c_[changes[c].count] += changes[c].delta * im_a0_[j];
  }
  std::size_t pick = nr;
  if (fire_critical) {
    pick = pick_critical();
    if (pick < nr) {
      const SsaModel::Reaction& rx = m_.reaction(pick);
      for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) im_c_[changes[c].count] += changes[c].delta;
    }
  }
  // The implicit part: Newton's method on F(X) = X - c - tau sum_j nu_j a_j(X), from c.
  auto restore = [&] {
    propensities_at(saved_counts_.data(), im_a_.data());
    sync_continuous(t_);
    return false;
  };
  for (std::size_t i = 0; i < ns; ++i) im_x_[i] = std::max(0.0, im_c_[i]);
  bool converged = false;
  for (int it = 0; it < kNewtonIterations && !converged; ++it) {
    propensities_at(im_x_.data(), im_a_.data());
    for (std::size_t i = 0; i < ns; ++i) im_f_[i] = im_x_[i] - im_c_[i];
    for (std::size_t j = 0; j < nr; ++j) {
      if (critical_now_[j]) continue;
      const SsaModel::Reaction& rx = m_.reaction(j);
      for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) im_f_[changes[c].count] -= tau * changes[c].delta * im_a_[j];
    }
    // The Jacobian, column by column (row-major storage).
    std::fill(im_j_.begin(), im_j_.end(), 0.0);
    for (std::size_t i = 0; i < ns; ++i) {
      im_j_[i * ns + i] = 1.0;
      const double saved = im_x_[i];
      const double h = kDifference * std::max(1.0, std::fabs(saved));
      im_x_[i] = saved + h;
      propensities_at(im_x_.data(), im_ah_.data());
      im_x_[i] = saved;
      for (std::size_t j = 0; j < nr; ++j) {
        if (critical_now_[j]) continue;
        const double slope = (im_ah_[j] - im_a_[j]) / h;
        if (slope == 0.0) continue;
        const SsaModel::Reaction& rx = m_.reaction(j);
        for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c)
          im_j_[changes[c].count * ns + i] -= tau * changes[c].delta * slope;
      }
    }
    if (!im_lu_->factor(im_j_.data()) || !im_lu_->solve(im_f_.data())) return restore();
    converged = true;
    for (std::size_t i = 0; i < ns; ++i) {
      im_x_[i] -= im_f_[i];
      if (!std::isfinite(im_x_[i])) return restore();
      if (std::fabs(im_f_[i]) > kNewtonTolerance * std::max(1.0, std::fabs(im_x_[i]))) converged = false;
    }
  }
  if (!converged) return restore();
  // Rounded firings k_j = round(P_j - a_j(x) tau + a_j(X) tau), and the state they give.
  propensities_at(im_x_.data(), im_a_.data());
  double total = 0.0;
  for (std::size_t j = 0; j < nr; ++j) {
    if (critical_now_[j]) continue;
    const double k = std::nearbyint(im_a0_[j] + im_a_[j] * tau);
    if (!std::isfinite(k)) return restore();
    fired_[j] = k;
    total += std::fabs(k);
  }
  if (pick < nr) {
    fired_[pick] += 1.0;
    total += 1.0;
  }
  // The new state, into im_f_ (saved_counts_ keeps x for a retry).
  std::copy(saved_counts_.begin(), saved_counts_.end(), im_f_.begin());
  for (std::size_t j = 0; j < nr; ++j) {
    if (fired_[j] == 0.0) continue;
    const SsaModel::Reaction& rx = m_.reaction(j);
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) im_f_[changes[c].count] += changes[c].delta * fired_[j];
  }
  for (std::size_t i = 0; i < ns; ++i)
    if (im_f_[i] < 0.0) return restore();
  const auto& species = m_.species();
  for (std::size_t i = 0; i < ns; ++i) {
    counts_[i] = im_f_[i];
    v_[species[i].slot] = unit_ ? im_f_[i] : im_f_[i] / scale_;
  }
  counters_.firings += static_cast<std::uint64_t>(total);
  ++counters_.leaps;
  ++counters_.implicit_leaps;
  t_ = t_end;
  sync_continuous(t_);
  after_event();
  settle(t_);
  refresh_all_propensities();
  return true;
}

}  // namespace axisim::detail
