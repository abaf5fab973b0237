// tau_leap.cpp — explicit Poisson tau-leaping with Cao, Gillespie and Petzold's adaptive step
// (J. Chem. Phys. 124, 044109, 2006), on the same compiled model and run state as the exact
// direct method (ssa_run.hpp).
//
// A leap of length tau fires each non-critical reaction j a Poisson(a_j tau) number of times, all
// with the propensities at the leap's start. tau is the largest step over which every reactant's
// expected change (mu_i tau) and its standard deviation (sqrt(sigma2_i tau)) stay within
// max(epsilon x_i / g_i, 1) molecules, g_i being from the highest order of the reactions that
// consume species i, so that no propensity changes by more than about epsilon times itself
// (their equation 33). A reaction is critical when it can fire fewer than n_c more times before a
// reactant runs out: critical reactions never leap; the time to the next critical firing is
// exponential with their total propensity, and when it comes first exactly one critical firing
// ends the leap. Where tau would be under 10/a0 a leap gains little over exact steps, and 100
// exact steps (the direct method) are taken instead. A leap that would still drive a count below
// zero (several non-critical reactions on one species) is discarded and tried again with half the
// step. Events whose triggers read counts are checked at the end of each leap (the firing that
// switched a trigger is somewhere inside it); time triggers, due delayed events and output times
// end a leap exactly.
#include <algorithm>
#include <cmath>
#include <string>

#include "axisim/error.hpp"
#include "stochastic/ssa_run.hpp"

namespace axisim::detail {
namespace {

constexpr int kExactSteps = 100;       // exact steps taken where a leap would be short
constexpr double kShortLeap = 10.0;    // ... short: under kShortLeap / a0

// g_i of Cao et al. (2006), eq. 27: how much a relative change of x_i can change the propensity
// of a reaction of the given order that consumes nu molecules of it. Orders above three (not
// mass action) are taken as their order.
double order_factor(double order, double nu, double x) {
  if (order <= 1.0) return 1.0;
  if (order <= 2.0) return nu >= 2.0 && x > 1.0 ? 2.0 + 1.0 / (x - 1.0) : 2.0;
  if (order <= 3.0) {
    if (nu >= 3.0 && x > 2.0) return 3.0 + 1.0 / (x - 1.0) + 2.0 / (x - 2.0);
    if (nu >= 2.0 && x > 1.0) return 1.5 * (2.0 + 1.0 / (x - 1.0));
    return 3.0;
  }
  return order;
}

}  // namespace

// A Poisson-distributed count of the given mean, from the replicate's own stream: inversion by
// sequential search below mean 10, Hörmann's transformed rejection with squeeze (PTRS, 1993)
// up to 10^12, both from raw uniforms (the standard's poisson_distribution is
// implementation-defined); above, where the counts are Avogadro-sized, the normal approximation
// (Box-Muller) rounded, whose difference from the Poisson law is of relative order 10^-6.
double SsaRun::poisson(double mean) {
  if (!(mean > 0.0)) return 0.0;
  if (mean > 1e12) {
    const double u1 = rng_.uniform_open_zero(), u2 = rng_.uniform();
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    return std::max(0.0, std::nearbyint(mean + std::sqrt(mean) * z));
  }
  if (mean < 10.0) {
    double p = std::exp(-mean), sum = p;
    const double u = rng_.uniform();
    double k = 0.0;
    while (u > sum && k < 1000.0) {
      ++k;
      p *= mean / k;
      sum += p;
    }
    return k;
  }
  const double slam = std::sqrt(mean), loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2.0);
  while (true) {
    const double u = rng_.uniform() - 0.5, v = rng_.uniform_open_zero();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    int sign = 0;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <= -mean + k * loglam - ::lgamma_r(k + 1.0, &sign))
      return k;
  }
}

// Marks the critical reactions and returns tau' (eq. 33) for the others: infinity if none. With
// implicit or adaptive leaping, tau_implicit gets the same bound without the reactions in
// partial equilibrium (Cao, Gillespie and Petzold 2007): the implicit formula
// damps their fast fluctuations, so only the others limit its step.
double SsaRun::leap_candidate(double& tau_implicit) {
  const std::size_t nr = a_.size();
  const bool implicit = leap_kind_ != Leap::Explicit;
  std::fill(mu_.begin(), mu_.end(), 0.0);
  std::fill(sigma2_.begin(), sigma2_.end(), 0.0);
  std::fill(hor_.begin(), hor_.end(), 0.0);
  if (implicit) {
    std::fill(mu_im_.begin(), mu_im_.end(), 0.0);
    std::fill(sigma2_im_.begin(), sigma2_im_.end(), 0.0);
  }
  const SsaModel::Change* const changes = m_.changes().data();
  const SsaModel::Reactant* const reactants = m_.reactants().data();
  for (std::size_t j = 0; j < nr; ++j) {
    const SsaModel::Reaction& rx = m_.reaction(j);
    for (std::uint32_t r = rx.reactants_begin; r < rx.reactants_end; ++r) {
      const std::uint32_t c = reactants[r].count;
      hor_[c] = std::max(hor_[c], order_factor(rx.order, reactants[r].stoichiometry, count(c)));
    }
    critical_now_[j] = 0;
    if (!(a_[j] > 0.0)) continue;
    double firings_left = kInf;
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c)
      if (changes[c].delta < 0.0)
        firings_left = std::min(firings_left, std::floor(count(changes[c].count) / -changes[c].delta));
    if (firings_left < critical_) {
      critical_now_[j] = 1;
      continue;
    }
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) {
      mu_[changes[c].count] += changes[c].delta * a_[j];
      sigma2_[changes[c].count] += changes[c].delta * changes[c].delta * a_[j];
    }
    if (!implicit) continue;
    // Partial equilibrium: |a_j - a_reverse| <= delta min(a_j, a_reverse).
    const std::size_t k = reverse_[j];
    equilibrium_[j] = k != kNone && std::fabs(a_[j] - a_[k]) <= delta_ * std::min(a_[j], a_[k]);
    if (equilibrium_[j]) continue;
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) {
      mu_im_[changes[c].count] += changes[c].delta * a_[j];
      sigma2_im_[changes[c].count] += changes[c].delta * changes[c].delta * a_[j];
    }
  }
  double tau = kInf;
  tau_implicit = kInf;
  for (std::size_t i = 0; i < hor_.size(); ++i) {
    if (hor_[i] <= 0.0) continue;  // a reactant of no reaction
    const double bound = std::max(epsilon_ * count(static_cast<std::uint32_t>(i)) / hor_[i], 1.0);
    if (mu_[i] != 0.0) tau = std::min(tau, bound / std::fabs(mu_[i]));
    if (sigma2_[i] > 0.0) tau = std::min(tau, bound * bound / sigma2_[i]);
    if (!implicit) continue;
    if (mu_im_[i] != 0.0) tau_implicit = std::min(tau_implicit, bound / std::fabs(mu_im_[i]));
    if (sigma2_im_[i] > 0.0) tau_implicit = std::min(tau_implicit, bound * bound / sigma2_im_[i]);
  }
  return tau;
}

double SsaRun::critical_propensity() const {
  double a0c = 0.0;
  for (std::size_t j = 0; j < a_.size(); ++j)
    if (critical_now_[j]) a0c += a_[j];
  return a0c;
}

std::size_t SsaRun::pick_critical() {
  const std::size_t nr = a_.size();
  const double target = rng_.uniform() * critical_propensity();
  double sum = 0.0;
  std::size_t pick = nr;
  for (std::size_t j = 0; j < nr; ++j) {
    if (!critical_now_[j] || !(a_[j] > 0.0)) continue;
    sum += a_[j];
    pick = j;
    if (target < sum) break;
  }
  return pick;
}

// One leap from t_ to t_end: Poisson firings of the non-critical reactions and, with
// fire_critical, one firing of a critical reaction drawn by its propensity. False, with nothing
// changed, when a count would go negative.
bool SsaRun::leap(double t_end, bool fire_critical) {
  const double tau = t_end - t_;
  const std::size_t nr = a_.size();
  const std::size_t ns = saved_counts_.size();
  for (std::size_t i = 0; i < ns; ++i) saved_counts_[i] = count(static_cast<std::uint32_t>(i));
  double total = 0.0;
  for (std::size_t j = 0; j < nr; ++j) {
    fired_[j] = critical_now_[j] || !(a_[j] > 0.0) ? 0 : poisson(a_[j] * tau);
    total += fired_[j];
  }
  if (fire_critical) {
    const std::size_t pick = pick_critical();
    if (pick < nr) {
      fired_[pick] += 1.0;
      total += 1.0;
    }
  }
  const SsaModel::Change* const changes = m_.changes().data();
  for (std::size_t j = 0; j < nr; ++j) {
    if (fired_[j] == 0.0) continue;
    const SsaModel::Reaction& rx = m_.reaction(j);
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c)
      saved_counts_[changes[c].count] += changes[c].delta * fired_[j];
  }
  for (std::size_t i = 0; i < ns; ++i)
    if (saved_counts_[i] < 0.0) return false;
  // Commit: the counts, then time, the rate rules' lines, every rule and rate, the events.
  const auto& species = m_.species();
  for (std::size_t i = 0; i < ns; ++i) {
    counts_[i] = saved_counts_[i];
    v_[species[i].slot] = unit_ ? saved_counts_[i] : saved_counts_[i] / scale_;
  }
  counters_.firings += static_cast<std::uint64_t>(total);
  ++counters_.leaps;
  t_ = t_end;
  sync_continuous(t_);
  after_event();
  settle(t_);
  refresh_all_propensities();
  return true;
}

void SsaRun::leap_until(double t_next) {
  const bool timed = m_.any_timed_events();
  while (t_ < t_next) {
    poll_stop();
    // A time trigger that switches before t_next ends the leap there.
    double t_switch = kInf;
    if (timed) t_switch = find_switch(t_, t_next);
    const double t_stop = std::min(t_switch, t_next);
    auto at_stop = [&] {
      t_ = t_stop;
      if (t_switch <= t_next && settle(t_)) refresh_all_propensities();
    };
    const double a0 = total_propensity();
    if (!(a0 > 0.0)) {
      at_stop();
      continue;
    }
    double tau_im = kInf;
    const double tau_ex = leap_candidate(tau_im);
    // Explicit, implicit, or (adaptive) implicit where the system is stiff: where the implicit
    // step is more than stiff_ times the explicit one (Cao, Gillespie and Petzold 2007).
    const bool use_implicit =
        leap_kind_ == Leap::Implicit || (leap_kind_ == Leap::Adaptive && tau_im > stiff_ * tau_ex);
    double tau1 = use_implicit ? tau_im : tau_ex;
    while (true) {
      if (tau1 < kShortLeap / a0) {
        // Exact steps (the direct method) up to the stop.
        for (int i = 0; i < kExactSteps; ++i) {
          const double t_fire = next_firing_time();
          if (!(t_fire < t_stop)) {
            at_stop();
            break;
          }
          t_ = t_fire;
          // Events ran, or a count that a time trigger reads may have moved its switch: look at
          // the stops again.
          if (fire(choose_reaction()) || timed) break;
        }
        break;
      }
      const double a0c = critical_propensity();
      const double tau2 = a0c > 0.0 ? rng_.exponential() / a0c : kInf;
      const double tau = std::min(tau1, tau2);
      bool fire_critical = tau2 <= tau1;
      double t_end = t_ + tau;
      if (!(t_end < t_stop)) {
        // The stop comes first: no critical firing before it (the exponential has no memory).
        t_end = t_stop;
        fire_critical = false;
      }
      const double start = t_;
      if (use_implicit ? implicit_leap(t_end, fire_critical) : leap(t_end, fire_critical)) {
        if (t_end == t_stop && t_switch <= t_next && settle(t_)) refresh_all_propensities();
        break;
      }
      tau1 = 0.5 * std::min(tau1, t_end - start);
    }
  }
}

void SsaRun::configure(const StochasticOptions& options) {
  time0_ = options.time0;
  stop_ = options.stop;
  continued_ = options.continued;
  leaping_ = options.method != StochasticMethod::Exact && options.method != StochasticMethod::Hybrid;
  if (options.method == StochasticMethod::Hybrid) th_configure(options);
  else th_.reset();
  leap_kind_ = options.method == StochasticMethod::ImplicitTauLeap   ? Leap::Implicit
               : options.method == StochasticMethod::AdaptiveTauLeap ? Leap::Adaptive
                                                                      : Leap::Explicit;
  epsilon_ = options.tau_epsilon;
  critical_ = options.tau_critical;
  delta_ = options.tau_delta;
  stiff_ = options.tau_stiff;
  const std::string& source = sys_.ir().source;
  // Continued from values alone, executions waiting for a delay when the run before ended would
  // be lost: that needs the run's end state (options.from), which carries them.
  if (continued_ && !options.from)
    for (const CompiledEvent& e : sys_.events())
      if (!e.delay.empty())
        throw Error(ErrorKind::Unsupported,
                    source + ": continuing a stochastic run from values alone: event '" + e.id +
                        "' has a delay, and executions waiting for it when the run before ended would be lost "
                        "(continue from the run's end state, StochasticOptions::from)");
  if (!leaping_) return;
  if (m_.hybrid())
    throw Error(ErrorKind::Unsupported, source + ": tau-leaping: a rate rule's rate or an event trigger changes with "
                                                 "time between firings in a way a leap cannot hold constant (use the "
                                                 "exact method, --method ssa / KISAO:0000029)");
  if (!m_.timed_reactions().empty())
    throw Error(ErrorKind::Unsupported,
                source + ": tau-leaping: the propensity of reaction '" + m_.reaction_id(m_.timed_reactions()[0]) +
                    "' changes with time between firings, and a leap holds propensities constant (use the exact "
                    "method, --method ssa / KISAO:0000029)");
  const std::size_t nr = a_.size(), ns = m_.species().size();
  critical_now_.assign(nr, 0);
  fired_.assign(nr, 0);
  mu_.assign(ns, 0.0);
  sigma2_.assign(ns, 0.0);
  hor_.assign(ns, 0.0);
  saved_counts_.assign(ns, 0.0);
  if (leap_kind_ != Leap::Explicit) find_reverse_pairs();
}

}  // namespace axisim::detail
