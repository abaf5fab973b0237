// ssa_hybrid.cpp — a hybrid run's time between reaction firings: CVODE on the continuous part.
//
// Where a rate rule's rate changes between firings (it reads time, a rate rule's variable or a
// rule of them), its variable follows an ODE there, and the propensities that read it change
// with time. The next firing is then at the τ where the integral of a0(t) from the last
// firing reaches E = -ln u, u uniform on (0, 1]: the integrated-hazard form of Gillespie's
// method for time-dependent propensities (D. F. Anderson, "A modified next reaction method for
// simulating chemical systems with time dependent propensities and delays", J. Chem. Phys. 127,
// 214107, 2007, here for the sum a0), as in the hybrid schemes of Alfonsi et al. (ESAIM Proc.
// 14, 1-13, 2005) and Salis and Kaznessis (J. Chem. Phys. 122, 054103, 2005), which integrate
// the reaction probability alongside the continuous variables and stop where it reaches the
// draw. Here the integral of the time-dependent propensities is one more state of CVODE's ODE,
// next to the rate rules' variables (the other propensities are constant between firings: their
// integral is a product), and the firing is the root of ∫ a0 - E, found by CVODE's
// root-finding; the reaction that fires is j with probability a_j(τ)/a0(τ). The process has
// independent increments, so a stop that is not a firing (an output time, a trigger's switch, a
// due event) only carries what is left of E over.
//
// The same root-finding stops at the switches of triggers the switch analysis cannot follow
// (sin(time) > 0.99, a comparison of a rate rule's variable) and of the comparisons in the
// rates, so that none is crossed unseen. CVODE finds a sign change only at the ends of its
// steps: each locator is therefore also integrated as a shadow state (its rate of change from
// its formula, ssa_model.cpp), whose error control keeps the steps short where the locator
// curves, and its rate of change is a root function too: a pulse narrower than a step, where the
// locator is negative at both ends of the step, has a maximum inside it, where its rate of change
// goes from positive to negative. CVODE stops there; the trigger has switched, and the instant it
// switched is found on the interpolant (hybrid_refine_switch). Missed is only a pulse whose
// locator has another extremum in the same step, which the shadow's error control prevents
// unless the locator wiggles by less than the tolerance. Triggers made of comparisons affine in time keep their
// computed switches (ssa_run.cpp): the integration stops there exactly.
#include <algorithm>
#include <cmath>

#include "axisim/error.hpp"
#include "stochastic/between_firings.hpp"
#include "stochastic/ssa_run.hpp"

namespace axisim::detail {

// y = (the rate rules' variables, J = the integral of the time-dependent propensities since the
// last restart, the locators' shadows); the roots are the integral of a0 over the segment minus
// E (below), the locators, and the locators' rates of change: a pulse that lies wholly inside one
// step (the locator below zero at both ends) has its top there, a root of the rate of change.
class SsaRun::Hybrid final : public OdeSystem {
 public:
  explicit Hybrid(SsaRun& run)
      : r_(run),
        nv_(run.m_.rate_rule_variables().size()),
        nl_(run.m_.num_locators()),
        y_(nv_ + 1 + nl_, 0.0),
        probe(nv_ + 1 + nl_, 0.0),
        integrator_(*this, between_firings_options()) {}

  std::size_t size() const override { return nv_ + 1 + nl_; }
  std::size_t num_roots() const override { return 1 + 2 * nl_; }

  int derivatives(double t, const double* y, double* ydot) override {
    load(t, y);
    const SsaModel& m = r_.m_;
    double* const v = r_.v_;
    m.rate_program().run(v, ydot, t, r_.stack_.data());
    double a0 = 0.0;
    for (std::uint32_t j : m.timed_reactions()) {
      double a = v[r_.rate_slots_[j]];
      if (!r_.unit_) a *= r_.scale_;
      if (!(a >= 0.0 && a < kInf)) {  // told after CVODE gives up (BadPropensity)
        bad.note(j, a, t);
        return 1;
      }
      a0 += a;
    }
    ydot[nv_] = a0;
    m.locator_slopes().run(v, ydot + nv_ + 1, t, r_.stack_.data());
    for (std::size_t i = 0; i < size(); ++i)
      if (!std::isfinite(ydot[i])) return 1;
    return 0;
  }

  int roots(double t, const double* y, double* g) override {
    load(t, y);
    g[0] = r_.a0_rest_ * (t - t_segment) + (y[nv_] - j_segment) - target;
    r_.m_.locators().run(r_.v_, g + 1, t, r_.stack_.data());
    r_.m_.locator_slopes().run(r_.v_, g + 1 + nl_, t, r_.stack_.data());
    return 0;
  }

  // The values at (t, y): the variables, and the rules that read them or time.
  void load(double t, const double* y) {
    const auto& vars = r_.m_.rate_rule_variables();
    for (std::size_t i = 0; i < nv_; ++i) r_.v_[vars[i]] = y[i];
    r_.m_.timed_program().run(r_.v_, nullptr, t, r_.stack_.data());
  }

  SsaRun& r_;
  const std::size_t nv_, nl_;
  std::vector<double> y_, probe;
  CvodeIntegrator integrator_;
  // Since the last firing (or restart) at t_segment, the integral of a0 is
  // a0_rest (t - t_segment) + J(t) - j_segment, J the state: the integral of the time-dependent
  // propensities since the last restart. A firing that changes nothing the integration reads
  // starts a new segment without restarting CVODE.
  double target = 0.0;  // E at the start of the segment
  double t_segment = 0.0, j_segment = 0.0;
  double j_now = 0.0;  // J where the run stands
  double integral(double t) const { return r_.a0_rest_ * (t - t_segment) + (j_now - j_segment); }
  BadPropensity bad;
};

// CVODE places a root within a tolerance of the crossing (and then just past it,
// cvode_integrator.cpp). Where a trigger has switched there, the instant it switches is found
// again on CVODE's interpolant, down to adjacent doubles: the first double at which it differs,
// as for computed switches.
void SsaRun::hybrid_refine_switch() {
  Hybrid& h = *hybrid_;
  std::vector<double>& y = h.probe;
  const double found = t_;
  auto changed_at = [&](double t) {
    if (!h.integrator_.interpolate(t, y.data())) return false;
    t_ = t;
    h.load(t, y.data());
    bool changed = false;
    for (std::uint32_t e : m_.timed_events())
      if (trigger(e) != (previous_[e] != 0)) changed = true;
    return changed;
  };
  double hi = found;
  double lo = found;
  bool bracket = false;
  if (changed_at(hi)) {
    // Switched: walk back to where it had not.
    double w = std::nextafter(hi, kInf) - hi;
    lo = hi - w;
    while (changed_at(lo)) {
      hi = lo;
      w *= 2;
      lo = hi - w;
    }
    bracket = true;
  } else {
    // A locator's root where nothing has switched yet: CVODE's root lies within its tolerance
    // in time, which for a locator as flat as sin(t) - (1 - 1e-9) near its top can end short of
    // the switch. Look a little further, within the step and a relative 1e-9 of the time.
    const std::vector<int>& roots = h.integrator_.roots_found();
    const bool locator = std::any_of(roots.begin() + 1, roots.begin() + 1 + static_cast<std::ptrdiff_t>(m_.num_locators()),
                                     [](int f) { return f != 0; });
    const double reach = found + 1e-9 * std::max(1.0, std::fabs(found));
    double w = std::nextafter(found, kInf) - found;
    for (double x = found + w; locator && x <= reach; w *= 2, x = found + w) {
      if (changed_at(x)) {
        hi = x;
        bracket = true;
        break;
      }
      lo = x;
    }
  }
  while (bracket) {
    const double mid = lo + 0.5 * (hi - lo);
    if (!(mid > lo && mid < hi)) break;
    if (changed_at(mid)) hi = mid;
    else lo = mid;
  }
  // The values at hi (or where CVODE stopped, when no trigger had switched there).
  t_ = hi;
  if (hi != found && h.integrator_.interpolate(hi, y.data())) {
    h.load(hi, y.data());
    h.j_now = y[h.nv_];
  } else {
    t_ = found;
    h.load(found, h.integrator_.state());
  }
}

void SsaRun::HybridDeleter::operator()(Hybrid* h) const { delete h; }

void SsaRun::hybrid_setup() { hybrid_.reset(new Hybrid(*this)); }

// a0_rest_: the sum of the propensities that do not change with time (the others set to 0).
void SsaRun::hybrid_rest() {
  for (std::uint32_t r : m_.timed_reactions()) put_propensity(r, 0.0);
  a0_rest_ = total_propensity();
}

// Starts CVODE at t_ from the present values. Without a fresh draw, e_left_ becomes what is left
// of the draw the integration was started with.
void SsaRun::hybrid_restart(bool fresh_draw) {
  Hybrid& h = *hybrid_;
  if (!fresh_draw) e_left_ = h.target - h.integral(t_);
  sync_continuous(t_);
  hybrid_rest();
  const auto& vars = m_.rate_rule_variables();
  for (std::size_t i = 0; i < h.nv_; ++i) h.y_[i] = v_[vars[i]];
  h.y_[h.nv_] = 0.0;
  m_.locators().run(v_, h.y_.data() + h.nv_ + 1, t_, stack_.data());
  h.target = e_left_;
  h.t_segment = t_;
  h.j_segment = h.j_now = 0.0;
  h.bad.clear();
  h.integrator_.reset(t_, h.y_.data());
}

bool SsaRun::hybrid_step(double t_next) {
  if (!(t_next > t_)) return false;
  Hybrid& h = *hybrid_;
  // Triggers affine in time between switches: their next switch is computed, a stop of its own.
  double t_stop = t_next;
  bool exact = false;
  if (!m_.exact_events().empty()) {
    const double x = find_exact_switch(t_, t_next);
    sync_continuous(t_);  // the search moved the rules that read time
    if (x <= t_next) {
      t_stop = x;
      exact = true;
    }
  }
  bool root = false;
  h.bad.clear();
  try {
    root = h.integrator_.advance(t_stop, true);
  } catch (const Error&) {
    if (h.bad.seen()) {
      t_ = h.bad.time;
      bad_propensity(h.bad.reaction, h.bad.value);
    }
    throw;
  }
  t_ = h.integrator_.time();
  const double* y = h.integrator_.state();
  h.load(t_, y);
  h.j_now = y[h.nv_];
  const std::vector<int>& found = h.integrator_.roots_found();
  if (root && found[0] != 0) {
    // The integral of a0 reached E: a firing, the reaction drawn with the propensities at t_.
    set_varying_propensities(t_);
    const std::size_t j = choose_reaction();
    e_left_ = rng_.exponential();
    // A locator's root at the same instant: what switched there is seen after the firing.
    const bool also_switch = std::any_of(found.begin() + 1, found.end(), [](int f) { return f != 0; });
    const bool settled = fire(j);
    if (settled || also_switch || m_.reaction(j).continuous) {
      if (also_switch && settle(t_)) refresh_all_propensities();
      hybrid_restart(true);
    } else {
      // Nothing the integration reads has changed: a new segment, CVODE goes on.
      sync_continuous(t_);
      hybrid_rest();
      h.target = e_left_;
      h.t_segment = t_;
      h.j_segment = h.j_now;
    }
    return true;
  }
  if (root && !m_.timed_events().empty()) hybrid_refine_switch();
  if (root || exact) {
    // A locator's root or a computed switch: whatever switched is seen by the events there;
    // CVODE starts again, so that no step spans the switch.
    if (settle(t_)) refresh_all_propensities();
    hybrid_restart();
    return true;
  }
  return false;
}

}  // namespace axisim::detail
