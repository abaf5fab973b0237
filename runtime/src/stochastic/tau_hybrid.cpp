// tau_hybrid.cpp — the continuous-discrete hybrid method (StochasticMethod::Hybrid; KISAO:0000575,
// "hybrid tau-leaping method", which KiSAO made for GillesPy2's TauHybridSolver).
//
// Each count is continuous or discrete, decided again at every firing and every stop by
// GillesPy2's rule: from the propensities a_j, the expected next value of count i is
// m_i = x_i + sum_j a_j nu_ij and its variance s_i = sum_j a_j nu_ij^2; its coefficient of
// variation is sqrt(s_i) / m_i (1 where m_i or s_i is not above 0), averaged over its last
// kCvHistory estimates, and the count is continuous when that average is below switch_tol
// (GillesPy2's default 0.03), or, with switch_min > 0, when m_i is above switch_min. (GillesPy2
// sums a reactant's and a product's squared stoichiometries separately; here nu is the net
// change, so a catalyst adds no variance to its own count.) A count that turns discrete is
// rounded to the nearest whole number, as GillesPy2 does.
//
// A reaction all of whose changed counts and reactants are continuous is deterministic: between
// firings its rate drives the continuous counts as an ODE, dx/dt = sum_j nu_j a_j(x), integrated
// by CVODE. The other reactions fire one by one: the next firing is where the integral of their
// total propensity (which changes as the continuous counts move) reaches an exponential draw E,
// a root of CVODE's integration as in ssa_hybrid.cpp (the integrated-hazard form of Gillespie's
// direct method for time-dependent propensities), and the reaction is j with probability
// a_j / a_0 there. GillesPy2 keeps an integrated hazard per reaction and fires every reaction
// whose hazard was reached within a tau step; here the first firing ends the segment, the
// simplest form that is exact given the continuous trajectory. Where no reaction is deterministic
// the propensities are constant between firings and the run takes exact steps (the direct
// method), with no integration.
//
// A segment also ends where a continuous count has changed by about epsilon (tau_epsilon, KiSAO
// 0000228) of itself, so that the classification follows a count that drifts towards small
// numbers (GillesPy2 classifies at each of its tau steps, which the same epsilon bounds), at
// output times and due events, and where an event's trigger switches: each trigger is a root
// function (+1 true, -1 false), located by CVODE's root-finding on the segment's solution; a
// trigger that is true for less than one of CVODE's steps can be missed there.
//
// Refused, naming the element: rate rules (their rates would read continuous counts), time-
// dependent propensities and the triggers the switch analysis cannot follow (ssa_model.cpp's
// hybrid runs): their continuous parts are not this method's.
#include <algorithm>
#include <cmath>
#include <string>

#include "axisim/error.hpp"
#include "stochastic/between_firings.hpp"
#include "stochastic/ssa_run.hpp"

namespace axisim::detail {

// y = (every count, J = the integral of the stochastic reactions' total propensity since the
// segment began); the discrete counts' derivatives are 0. Roots: J - E, and each event's
// trigger as +1 or -1.
class SsaRun::TauHybrid final : public OdeSystem {
 public:
  explicit TauHybrid(SsaRun& run)
      : r_(run),
        ns_(run.m_.species().size()),
        ne_(run.sys_.events().size()),
        y_(ns_ + 1, 0.0),
        ydot_(ns_ + 1, 0.0),
        integrator_(*this, between_firings_options()) {}

  std::size_t size() const override { return ns_ + 1; }
  std::size_t num_roots() const override { return 1 + ne_; }

  int derivatives(double t, const double* y, double* ydot) override {
    load(t, y);
    std::fill(ydot, ydot + ns_ + 1, 0.0);
    const SsaModel& m = r_.m_;
    const SsaModel::Change* const changes = m.changes().data();
    const double factor = r_.unit_ ? 1.0 : r_.scale_;
    double a0 = 0.0;
    for (std::size_t j = 0; j < r_.a_.size(); ++j) {
      const double a = r_.v_[r_.rate_slots_[j]] * factor;
      if (!(a >= 0.0 && a < kInf)) {  // told after CVODE gives up (BadPropensity)
        bad.note(j, a, t);
        return 1;
      }
      if (!r_.deterministic_[j]) {
        a0 += a;
        continue;
      }
      const SsaModel::Reaction& rx = m.reaction(j);
      for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) ydot[changes[c].count] += changes[c].delta * a;
    }
    ydot[ns_] = a0;
    return 0;
  }

  int roots(double t, const double* y, double* g) override {
    load(t, y);
    g[0] = y[ns_] - target;
    for (std::size_t e = 0; e < ne_; ++e) g[1 + e] = r_.trigger(e) ? 1.0 : -1.0;
    return 0;
  }

  // The continuous counts at (t, y) into the model's values, and every rule and rate from them.
  void load(double t, const double* y) {
    const auto& species = r_.m_.species();
    for (std::size_t i = 0; i < ns_; ++i)
      if (r_.continuous_[i]) r_.v_[species[i].slot] = r_.unit_ ? y[i] : y[i] / r_.scale_;
    r_.t_ = t;  // triggers read the run's time
    r_.m_.state_program().run(r_.v_, nullptr, t, r_.stack_.data());
    r_.m_.timed_program().run(r_.v_, nullptr, t, r_.stack_.data());
  }

  SsaRun& r_;
  const std::size_t ns_, ne_;
  std::vector<double> y_, ydot_;
  CvodeIntegrator integrator_;
  double target = 0.0;  // E, the exponential draw of the segment
  BadPropensity bad;
};

void SsaRun::TauHybridDeleter::operator()(TauHybrid* h) const { delete h; }

void SsaRun::th_configure(const StochasticOptions& options) {
  const std::string& source = sys_.ir().source;
  const std::string why = ": the hybrid method (KISAO:0000575) integrates reactions among continuous species and ";
  if (!m_.rate_rule_variables().empty())
    throw Error(ErrorKind::Unsupported,
                source + why + "cannot also integrate the rate rule for '" +
                    sys_.ir().symbols[m_.rate_rule_variables()[0]].id +
                    "', whose rate may read them (use the exact method, --method ssa / KISAO:0000029)");
  if (!m_.timed_reactions().empty())
    throw Error(ErrorKind::Unsupported,
                source + why + "needs every propensity to change only with the species: reaction '" +
                    m_.reaction_id(m_.timed_reactions()[0]) +
                    "' reads time or a rate rule's variable (use the exact method, --method ssa / KISAO:0000029)");
  if (m_.hybrid())
    throw Error(ErrorKind::Unsupported,
                source + why + "locates only triggers made of comparisons of time it can compute or of the model's "
                               "values: an event trigger here changes with time in another way (use the exact "
                               "method, --method ssa / KISAO:0000029)");
  switch_tol_ = options.switch_tol;
  switch_min_ = options.switch_min;
  epsilon_ = options.tau_epsilon;
  const std::size_t ns = m_.species().size();
  continuous_.assign(ns, 0);
  deterministic_.assign(a_.size(), 0);
  cv_history_.assign(ns * kCvHistory, 0.0);
  th_mean_.assign(ns, 0.0);
  th_var_.assign(ns, 0.0);
  th_.reset(new TauHybrid(*this));
}

void SsaRun::th_reset() {
  std::fill(continuous_.begin(), continuous_.end(), 0);
  std::fill(deterministic_.begin(), deterministic_.end(), 0);
  cv_filled_ = cv_next_ = 0;
}

bool SsaRun::th_classify() {
  const std::size_t ns = continuous_.size(), nr = a_.size();
  const SsaModel::Change* const changes = m_.changes().data();
  for (std::size_t i = 0; i < ns; ++i) {
    th_mean_[i] = count(static_cast<std::uint32_t>(i));
    th_var_[i] = 0.0;
  }
  for (std::size_t j = 0; j < nr; ++j) {
    const SsaModel::Reaction& rx = m_.reaction(j);
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) {
      th_mean_[changes[c].count] += a_[j] * changes[c].delta;
      th_var_[changes[c].count] += a_[j] * changes[c].delta * changes[c].delta;
    }
  }
  cv_filled_ = std::min(cv_filled_ + 1, kCvHistory);
  bool rounded = false;
  const auto& species = m_.species();
  for (std::size_t i = 0; i < ns; ++i) {
    const double mean = th_mean_[i], var = th_var_[i];
    double* const history = cv_history_.data() + i * kCvHistory;
    history[cv_next_] = mean > 0.0 && var > 0.0 ? std::sqrt(var) / mean : 1.0;
    double sum = 0.0;
    for (std::size_t k = 0; k < cv_filled_; ++k) sum += history[k];
    const bool now = switch_min_ > 0.0 ? mean > switch_min_ : sum / static_cast<double>(cv_filled_) < switch_tol_;
    if (continuous_[i] && !now) {
      const double whole = std::nearbyint(count(static_cast<std::uint32_t>(i)));
      counts_[i] = whole;
      v_[species[i].slot] = unit_ ? whole : whole / scale_;
      rounded = true;
    }
    continuous_[i] = now ? 1 : 0;
  }
  cv_next_ = (cv_next_ + 1) % kCvHistory;
  if (rounded) {
    m_.state_program().run(v_, nullptr, t_, stack_.data());
    sync_continuous(t_);
    refresh_all_propensities();
  }
  bool any = false;
  const SsaModel::Reactant* const reactants = m_.reactants().data();
  for (std::size_t j = 0; j < nr; ++j) {
    const SsaModel::Reaction& rx = m_.reaction(j);
    bool det = rx.changes_begin != rx.changes_end;
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end && det; ++c) det = continuous_[changes[c].count] != 0;
    for (std::uint32_t r = rx.reactants_begin; r < rx.reactants_end && det; ++r) det = continuous_[reactants[r].count] != 0;
    deterministic_[j] = det ? 1 : 0;
    any = any || det;
  }
  return any;
}

void SsaRun::th_until(double t_next) {
  const bool timed = m_.any_timed_events();
  while (t_ < t_next) {
    poll_stop();
    if (th_classify()) {
      th_segment(t_next);
      continue;
    }
    // Nothing is integrated: the propensities are constant until the next firing, an exact step.
    const double t_switch = timed ? find_switch(t_, t_next) : kInf;
    const double t_stop = std::min(t_switch, t_next);
    const double t_fire = next_firing_time();
    if (t_fire < t_stop) {
      t_ = t_fire;
      fire(choose_reaction());
      continue;
    }
    t_ = t_stop;
    if (t_switch <= t_next && settle(t_)) refresh_all_propensities();
  }
}

void SsaRun::th_segment(double t_next) {
  TauHybrid& h = *th_;
  const std::size_t ns = continuous_.size();
  for (std::size_t i = 0; i < ns; ++i) h.y_[i] = count(static_cast<std::uint32_t>(i));
  h.y_[ns] = 0.0;
  // Where a continuous count would change by epsilon of itself at its present rate, the
  // classification is made again (a bad propensity here is reported by the integration).
  double t_end = t_next;
  if (h.derivatives(t_, h.y_.data(), h.ydot_.data()) == 0)
    for (std::size_t i = 0; i < ns; ++i)
      if (continuous_[i] && h.ydot_[i] != 0.0)
        t_end = std::min(t_end, t_ + epsilon_ * std::max(1.0, h.y_[i]) / std::fabs(h.ydot_[i]));
  // (Not so short that CVODE could not start: a billionth of the clock at least.)
  t_end = std::min(t_next, std::max(t_end, t_ + 1e-9 * std::max(1.0, std::fabs(t_))));
  // A root found a rounding error short of the stop (CVODE cannot start there): the stop is the
  // segment's end; the continuous species and the hazard move by nothing CVODE's tolerance sees.
  if (!(t_end - t_ > 1e-12 * std::max(1.0, std::fabs(t_)))) {
    t_ = t_end;
    return;
  }
  h.target = rng_.exponential();
  h.bad.clear();
  h.integrator_.reset(t_, h.y_.data());
  bool root = false;
  try {
    root = h.integrator_.advance(t_end, true);
  } catch (const Error&) {
    if (h.bad.seen()) {
      t_ = h.bad.time;
      bad_propensity(h.bad.reaction, h.bad.value);
    }
    throw;
  }
  t_ = root ? h.integrator_.time() : t_end;
  const double* y = h.integrator_.state();
  const auto& species = m_.species();
  for (std::size_t i = 0; i < ns; ++i) {
    if (!continuous_[i]) continue;
    double x = y[i];
    // The ODE keeps mass-action counts non-negative; what the integration's error leaves below
    // zero is rounding, up to a millionth of where the count started.
    if (x < 0.0) {
      if (!(x >= -1e-6 * std::max(1.0, h.y_[i])))
        throw Error(ErrorKind::Solver, sys_.ir().source + ": at t = " + std::to_string(t_) + " the continuous species '" +
                                           m_.species_id(i) + "' went below zero (" + std::to_string(x) +
                                           " molecules) in the hybrid method's integration: its kinetic laws must be "
                                           "zero when a reactant is used up (mass action is)");
      x = 0.0;
    }
    counts_[i] = x;
    v_[species[i].slot] = unit_ ? x : x / scale_;
  }
  m_.state_program().run(v_, nullptr, t_, stack_.data());
  sync_continuous(t_);
  refresh_all_propensities();
  if (!root) return;
  if (h.integrator_.roots_found()[0] != 0) {
    // The stochastic reactions' integrated hazard reached E: one of them fires, chosen by its
    // propensity now.
    for (std::size_t j = 0; j < a_.size(); ++j)
      if (deterministic_[j]) put_propensity(j, 0.0);
    a0_ = total_propensity();
    if (a0_ > 0.0) fire(choose_reaction());
    refresh_all_propensities();
  }
  // A trigger that switched (or one the firing switched) is seen by the events here.
  if (settle(t_)) refresh_all_propensities();
}

}  // namespace axisim::detail
