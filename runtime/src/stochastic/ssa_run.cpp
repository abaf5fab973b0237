#include "stochastic/ssa_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "axisim/error.hpp"

namespace axisim::detail {
namespace {

// Event executions at one instant beyond which the model is taken to loop forever (as in
// run/simulation.cpp).
constexpr long kMaxEventsPerInstant = 100000;
constexpr std::uint32_t kNoValues = 0xffffffffu;

std::string time_text(double t) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", t);
  return buffer;
}

}  // namespace

SsaRun::SsaRun(const SsaModel& model, const std::vector<SsaOutput>& outputs)
    : m_(model), sys_(model.system()), outputs_(outputs), ws_(sys_.make_workspace()) {
  ws_.values = m_.initial_values();
  v_ = ws_.values.data();
  stack_.assign(m_.stack_size(), 0.0);
  counts_ = m_.initial_counts();
  const std::size_t nr = m_.num_reactions();
  a_.assign(nr, 0.0);
  rate_slots_ = m_.rate_slots();
  unit_ = m_.unit_scale();
  scale_ = m_.items_per_substance();
  if (m_.use_tree()) {
    leaves_ = 1;
    while (leaves_ < nr) leaves_ *= 2;
    tree_.assign(2 * leaves_, 0.0);
  }
  x0_.assign(m_.rate_rule_variables().size(), 0.0);
  rr_.assign(m_.rate_rule_variables().size(), 0.0);
  const std::size_t ne = sys_.events().size();
  previous_.assign(ne, 0);
  pending_.reserve(ne);
  tied_.reserve(ne);
  std::size_t widest = 1;
  for (const CompiledEvent& e : sys_.events()) widest = std::max(widest, e.targets.size());
  event_values_.assign(widest, 0.0);
  row_.assign(outputs_.size(), 0.0);
  const std::size_t comparisons = std::max(m_.event_comparisons().size(), m_.propensity_comparisons().size());
  cg_.assign(comparisons, 0.0);
  cm_.assign(comparisons, 0.0);
  probe_.assign(comparisons, 0.0);
  if (m_.hybrid()) hybrid_setup();
}

void SsaRun::start(std::uint64_t seed, const RunSnapshot* from) {
  if (th_) th_reset();
  rng_.reseed(seed);
  seed_ = seed;
  std::copy(m_.initial_values().begin(), m_.initial_values().end(), ws_.values.begin());
  std::copy(m_.initial_counts().begin(), m_.initial_counts().end(), counts_.begin());
  const double t0 = from ? from->time : time0_;
  t_ = t0;
  t0_ = t0;
  const auto& events = sys_.events();
  if (from) {
    // Going on from where a run ended (a stochastic or a deterministic one): its values, with
    // any change made there (RunState::set_value), as counts, and every rule and rate from them.
    std::copy(from->values.begin(), from->values.end(), ws_.values.begin());
    counts_from_amounts("the run state it continues sets");
    m_.state_program().run(v_, nullptr, t0, stack_.data());
  }
  const auto& vars = m_.rate_rule_variables();
  for (std::size_t i = 0; i < vars.size(); ++i) x0_[i] = v_[vars[i]];
  // The rules that read the time hold at the run's own start (the model's values are the
  // initial ones there).
  if (t0 != 0.0 || from) m_.timed_program().run(v_, nullptr, t0, stack_.data());
  if (!vars.empty()) m_.rate_program().run(v_, rr_.data(), t0, stack_.data());
  pending_.clear();
  pending_values_.clear();
  if (from) {
    // Each trigger as it was at the last check (a set_value since then that makes one true
    // fires it here), and the executions still waiting, in their order, with the values taken
    // when they were triggered.
    for (std::size_t i = 0; i < events.size(); ++i) previous_[i] = from->triggers[i] ? 1 : 0;
    for (const RunSnapshot::Pending& p : from->pending) {
      Pending q{static_cast<std::uint32_t>(p.event), p.time, kNoValues};
      if (events[p.event].use_values_from_trigger_time) {
        q.values = static_cast<std::uint32_t>(pending_values_.size());
        pending_values_.insert(pending_values_.end(), p.values.begin(), p.values.end());
      }
      pending_.push_back(q);
    }
  } else {
    for (std::size_t i = 0; i < events.size(); ++i)
      previous_[i] = continued_ ? (trigger(i) ? 1 : 0) : events[i].initial_value ? 1 : 0;
  }
  settle(t0);  // events that fire at the start
  refresh_all_propensities();
}

void SsaRun::snapshot(RunSnapshot& out) const {
  const std::size_t n = sys_.ir().symbols.size();
  out.time = t_;
  out.values.assign(ws_.values.begin(), ws_.values.begin() + static_cast<std::ptrdiff_t>(n));
  out.plugins.clear();
  out.plugin_states.clear();
  out.plugin_state_ids.clear();
  out.triggers.assign(previous_.begin(), previous_.end());
  out.pending.clear();
  for (const Pending& p : pending_) {
    RunSnapshot::Pending q{p.event, p.time, {}};
    if (p.values != kNoValues) {
      const auto first = pending_values_.begin() + static_cast<std::ptrdiff_t>(p.values);
      q.values.assign(first, first + static_cast<std::ptrdiff_t>(sys_.events()[p.event].targets.size()));
    }
    out.pending.push_back(std::move(q));
  }
  out.history.reset();  // SSA refuses delay()
  // A deterministic run that continues this one orders its simultaneous events with this.
  out.random.seed(seed_);
}

double SsaRun::next_firing_time() {
  const double a0 = total_propensity();
  a0_ = a0;
  if (!(a0 > 0.0)) return kInf;
  return t_ + rng_.exponential() / a0;
}

std::size_t SsaRun::choose_reaction() {
  const std::size_t nr = a_.size();
  if (m_.use_tree()) {
    double target = rng_.uniform() * tree_[1];
    std::size_t node = 1;
    while (node < leaves_) {
      const double left = tree_[2 * node];
      if (target < left) {
        node = 2 * node;
      } else {
        target -= left;
        node = 2 * node + 1;
      }
    }
    std::size_t j = node - leaves_;
    // Rounding may land on a leaf past the last reaction or with propensity 0: take the nearest
    // reaction that can fire.
    if (j >= nr || a_[j] <= 0.0) {
      std::size_t best = nr;
      for (std::size_t d = 1; d < 2 * nr && best == nr; ++d) {
        if (j >= d && j - d < nr && a_[j - d] > 0.0) best = j - d;
        else if (j + d < nr && a_[j + d] > 0.0) best = j + d;
      }
      j = best;
    }
    return j;
  }
  // a0_ is the sum next_firing_time took, over the same propensities (nothing has fired since).
  const double target = rng_.uniform() * a0_;
  double sum = 0.0;
  std::size_t last = 0;
  for (std::size_t j = 0; j < nr; ++j) {
    if (a_[j] <= 0.0) continue;
    sum += a_[j];
    last = j;
    if (target < sum) return j;
  }
  return last;  // rounding: the target fell at the very end
}

void SsaRun::bad_propensity(std::size_t r, double a) const {
  throw Error(ErrorKind::Solver,
              sys_.ir().source + ": at t = " + time_text(t_) + " reaction '" + m_.reaction_id(r) + "' has propensity " +
                  time_text(a) +
                  ": stochastic simulation needs every kinetic law finite and non-negative (write a reversible "
                  "reaction as two irreversible ones)");
}

void SsaRun::set_propensity(std::size_t r) {
  double a = v_[rate_slots_[r]];
  if (!unit_) a *= scale_;
  if (!(a >= 0.0 && a < kInf)) bad_propensity(r, a);
  a_[r] = a;
  if (!tree_.empty()) {
    std::size_t node = leaves_ + r;
    tree_[node] = a;
    for (node /= 2; node >= 1; node /= 2) tree_[node] = tree_[2 * node] + tree_[2 * node + 1];
  }
}

void SsaRun::refresh_all_propensities() {
  const std::size_t nr = a_.size();
  for (std::size_t r = 0; r < nr; ++r) {
    double a = v_[rate_slots_[r]];
    if (!unit_) a *= scale_;
    if (!(a >= 0.0 && a < kInf)) bad_propensity(r, a);
    a_[r] = a;
  }
  if (!tree_.empty()) {
    std::fill(tree_.begin(), tree_.end(), 0.0);
    std::copy(a_.begin(), a_.end(), tree_.begin() + static_cast<std::ptrdiff_t>(leaves_));
    for (std::size_t node = leaves_ - 1; node >= 1; --node) tree_[node] = tree_[2 * node] + tree_[2 * node + 1];
  }
}

void SsaRun::negative_count(std::size_t j, std::uint32_t count, double n) const {
  throw Error(ErrorKind::Solver, sys_.ir().source + ": at t = " + time_text(t_) + " reaction '" + m_.reaction_id(j) +
                                     "' fired with too few molecules of '" + m_.species_id(count) +
                                     "' (it would leave " + time_text(n) +
                                     "): its kinetic law must be zero when a reactant is used up (mass action is)");
}

bool SsaRun::fire(std::size_t j) {
  const SsaModel::Reaction& rx = m_.reaction(j);
  const SsaModel::Change* const changes = m_.changes().data();
  ++counters_.firings;
  if (unit_) {
    // Amounts are counts: change them in place.
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) {
      const double n = v_[changes[c].slot] += changes[c].delta;
      if (n < 0.0) negative_count(j, changes[c].count, n);
    }
  } else {
    for (std::uint32_t c = rx.changes_begin; c < rx.changes_end; ++c) {
      const double n = counts_[changes[c].count] += changes[c].delta;
      if (n < 0.0) negative_count(j, changes[c].count, n);
      v_[changes[c].slot] = n / scale_;
    }
  }
  if (rx.rate_rules) rebase_continuous(t_);
  rx.after.run(v_, nullptr, t_, stack_.data());
  const std::uint32_t* const affected = m_.affected().data();
  if (tree_.empty()) {
    for (std::uint32_t i = rx.affected_begin; i < rx.affected_end; ++i) {
      const std::uint32_t r = affected[i];
      double a = v_[rate_slots_[r]];
      if (!unit_) a *= scale_;
      if (!(a >= 0.0 && a < kInf)) bad_propensity(r, a);
      a_[r] = a;
    }
  } else {
    for (std::uint32_t i = rx.affected_begin; i < rx.affected_end; ++i) set_propensity(affected[i]);
  }
  if (rx.rate_rules) m_.rate_program().run(v_, rr_.data(), t_, stack_.data());
  if (rx.events_begin != rx.events_end) {
    if (rx.timed_events) sync_continuous(t_);
    const auto& lists = m_.event_lists();
    for (std::uint32_t i = rx.events_begin; i < rx.events_end; ++i)
      if (trigger(lists[i]) != (previous_[lists[i]] != 0)) {
        if (settle(t_)) refresh_all_propensities();
        return true;
      }
  }
  return false;
}

bool SsaRun::trigger(std::size_t e) {
  double out = 0.0;
  sys_.events()[e].trigger.run(v_, &out, t_, ws_.stack.data());
  return out != 0.0;
}

// The rate rules' variables on their straight lines, and the rules that read them or time, at t.
// In a hybrid run the variables are where CVODE left them, at t (ssa_hybrid.cpp).
void SsaRun::sync_continuous(double t) {
  if (hybrid_) {
    m_.timed_program().run(v_, nullptr, t, stack_.data());
    return;
  }
  const auto& vars = m_.rate_rule_variables();
  for (std::size_t i = 0; i < vars.size(); ++i) v_[vars[i]] = x0_[i] + rr_[i] * (t - t0_);
  m_.timed_program().run(v_, nullptr, t, stack_.data());
}

// Starts the rate rules' straight lines again at t (before their rates change).
void SsaRun::rebase_continuous(double t) {
  if (hybrid_) return;
  const auto& vars = m_.rate_rule_variables();
  for (std::size_t i = 0; i < vars.size(); ++i) x0_[i] += rr_[i] * (t - t0_);
  t0_ = t;
}

bool SsaRun::trigger_changed_at(double t, const std::vector<std::uint32_t>& events) {
  const double saved = t_;
  t_ = t;
  sync_continuous(t);
  bool changed = false;
  for (std::uint32_t e : events)
    if (trigger(e) != (previous_[e] != 0)) {
      changed = true;
      break;
    }
  t_ = saved;
  return changed;
}

// The first instant in (t0, t1] at which a time-dependent trigger differs from its value at
// t0; infinity when none does. Every such trigger is made of comparisons affine in time between
// switches: a model with any other is a hybrid run (ssa_hybrid.cpp), whose integration finds
// their switches by root-finding.
double SsaRun::find_switch(double t0, double t1) {
  if (m_.exact_events().empty()) return kInf;
  return find_exact_switch(t0, t1);
}

// For triggers made of comparisons affine in time between switches: every instant in (t0, t1]
// at which one of their comparisons changes, in order, until a trigger changes there. Exact:
// between two such instants no trigger can change, pulses included.
double SsaRun::find_exact_switch(double t0, double t1) {
  constexpr long kMaxSwitches = 1000000;
  double s = t0;
  for (long i = 0; i < kMaxSwitches; ++i) {
    const double x = next_breakpoint(m_.event_comparisons(), s, t1);
    if (!(x <= t1)) return kInf;
    if (trigger_changed_at(x, m_.exact_events())) return x;
    s = x;
  }
  throw Error(ErrorKind::Solver, sys_.ir().source + ": between t = " + time_text(t0) + " and t = " + time_text(t1) +
                                     " the comparisons in time-dependent event triggers switch more than " +
                                     std::to_string(kMaxSwitches) + " times");
}

void SsaRun::evaluate(const SsaModel::Comparisons& c, double t, double* g, double* slope) {
  sync_continuous(t);
  c.values.run(v_, g, t, stack_.data());
  if (slope) c.slopes.run(v_, slope, t, stack_.data());
}

namespace {

bool holds(Op op, double g) {
  switch (op) {
    case Op::Gt: return g > 0.0;
    case Op::Geq: return g >= 0.0;
    case Op::Lt: return g < 0.0;
    case Op::Leq: return g <= 0.0;
    case Op::Eq: return g == 0.0;
    default: return g != 0.0;  // Neq, and a number read as a truth value
  }
}

}  // namespace

double SsaRun::comparison_switch(const SsaModel::Comparisons& c, std::size_t i, double s, double g, double m,
                                 double limit) {
  const Op op = c.ops[i];
  const bool now = holds(op, g);
  if (m == 0.0 || !std::isfinite(m) || !std::isfinite(g)) return kInf;
  // g(t) = g + m (t - s) until the next switch of any comparison: zero at r, of m's sign after.
  const double r = s - g / m;
  bool changes = true;  // Eq and Neq change where g reaches zero, and as it leaves zero
  if (op == Op::Gt || op == Op::Geq) changes = (m > 0.0) != now;
  else if (op == Op::Lt || op == Op::Leq) changes = (m < 0.0) != now;
  if (!changes || !(r >= s)) return kInf;
  // r is rounded: the exact first double at which the comparison differs, by walking out from r
  // and bisecting.
  auto differs = [&](double t) {
    evaluate(c, t, probe_.data(), nullptr);
    return holds(op, probe_[i]) != now;
  };
  double x = std::max(r, std::nextafter(s, kInf));
  if (x > limit) {
    if (x - limit > 1e-7 * std::max(1.0, std::fabs(x))) return kInf;
    x = limit;
  }
  double lo, hi;
  if (differs(x)) {
    hi = x;
    double w = std::nextafter(x, kInf) - x;
    lo = x - w;
    while (lo > s && differs(lo)) {
      hi = lo;
      w *= 2;
      lo = x - w;
    }
    if (!(lo > s)) lo = s;
  } else {
    lo = x;
    double w = std::nextafter(x, kInf) - x;
    hi = x + w;
    while (hi < limit && !differs(hi)) {
      lo = hi;
      w *= 2;
      hi = x + w;
    }
    if (!(hi < limit)) {
      hi = limit;
      if (!(hi > lo) || !differs(hi)) return kInf;
    }
  }
  // The comparison is as at s at lo (or lo is s), and differs at hi.
  while (true) {
    const double mid = lo + 0.5 * (hi - lo);
    if (!(mid > lo && mid < hi)) break;
    if (differs(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

double SsaRun::next_breakpoint(const SsaModel::Comparisons& c, double s, double limit) {
  if (c.empty() || !(limit > s)) return kInf;
  evaluate(c, s, cg_.data(), cm_.data());
  double first = kInf;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double x = comparison_switch(c, i, s, cg_[i], cm_[i], std::min(limit, first));
    if (x < first) first = x;
  }
  return first;
}

// ---- time-dependent propensities ----

void SsaRun::put_propensity(std::size_t r, double a) {
  a_[r] = a;
  if (!tree_.empty()) {
    std::size_t node = leaves_ + r;
    tree_[node] = a;
    for (node /= 2; node >= 1; node /= 2) tree_[node] = tree_[2 * node] + tree_[2 * node + 1];
  }
}

// a0 at t: the constant part and every time-dependent propensity at t.
double SsaRun::propensity_sum(double t) {
  sync_continuous(t);
  double a0 = a0_rest_;
  for (std::uint32_t r : m_.timed_reactions()) {
    double a = v_[rate_slots_[r]];
    if (!unit_) a *= scale_;
    if (!(a >= 0.0 && a < kInf)) {
      t_ = t;
      bad_propensity(r, a);
    }
    a0 += a;
  }
  return a0;
}

// The 15-point Gauss-Kronrod rule on [a, b] and its difference from the embedded 7-point
// Gauss rule (QUADPACK's nodes and weights).
void SsaRun::gauss_kronrod(double a, double b, double& integral, double& error) {
  static constexpr double xgk[8] = {0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
                                    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
                                    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
                                    0.207784955007898467600689403773245, 0.0};
  static constexpr double wgk[8] = {0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
                                    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
                                    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
                                    0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
  static constexpr double wg[4] = {0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
                                   0.381830050505118944950369775488975, 0.417959183673469387755102040816327};
  const double centre = 0.5 * (a + b), half = 0.5 * (b - a);
  const double fc = propensity_sum(centre);
  double kronrod = fc * wgk[7], gauss = fc * wg[3];
  for (int j = 0; j < 7; ++j) {
    const double dx = half * xgk[j];
    const double pair = propensity_sum(centre - dx) + propensity_sum(centre + dx);
    kronrod += wgk[j] * pair;
    if (j % 2 == 1) gauss += wg[j / 2] * pair;
  }
  integral = kronrod * half;
  error = std::fabs(kronrod - gauss) * half;
}

// The x in (s, b] at which the integral of a0 from s reaches target, that over [s, b] being
// whole >= target: Newton's method (the derivative is a0), kept inside a shrinking bracket.
double SsaRun::solve_integral(double s, double b, double target, double whole) {
  double lo = s, hi = b;
  double x = s + (b - s) * (target / whole);
  for (int it = 0; it < 200; ++it) {
    if (!(x > lo && x < hi)) x = lo + 0.5 * (hi - lo);
    if (!(x > lo && x < hi)) break;  // adjacent doubles
    double f, error;
    gauss_kronrod(s, x, f, error);
    if (std::fabs(f - target) <= 1e-13 * target) return x;
    if (f < target) lo = x;
    else hi = x;
    const double a = propensity_sum(x);
    x = a > 0.0 ? x - (f - target) / a : lo + 0.5 * (hi - lo);
  }
  return hi;
}

// The time-dependent propensities at t, for choosing the reaction that fires there.
void SsaRun::set_varying_propensities(double t) {
  sync_continuous(t);
  for (std::uint32_t r : m_.timed_reactions()) {
    double a = v_[rate_slots_[r]];
    if (!unit_) a *= scale_;
    if (!(a >= 0.0 && a < kInf)) bad_propensity(r, a);
    put_propensity(r, a);
  }
  a0_ = total_propensity();
}

// The next firing time up to limit: where the integral of a0 from t_ reaches e_left_. The
// integral is taken panel by panel with the 15-point Gauss-Kronrod rule, each panel's error
// estimate within 1e-10 of its integral (a panel narrower than 1e-13 of the time, which only a
// jump of a propensity forces, is taken as it is), and panels end where a comparison inside a
// propensity switches, so that the rule never spans a jump it can see. Infinity, and e_left_
// reduced by the integral, when it does not reach e_left_ before limit.
double SsaRun::next_varying_firing(double limit) {
  hybrid_rest();
  double s = t_;
  if (!(limit > s)) return kInf;
  const SsaModel::Comparisons& breaks = m_.propensity_comparisons();
  double segment_end = std::min(limit, next_breakpoint(breaks, s, limit));
  double target = e_left_;
  const double a_start = propensity_sum(s);
  double h = a_start > 0.0 ? 2.0 * target / a_start : limit - s;
  while (s < limit) {
    if (!(s < segment_end)) segment_end = std::min(limit, next_breakpoint(breaks, s, limit));
    double b = std::min(segment_end, s + h);
    if (!(b > s)) b = std::min(segment_end, std::nextafter(s, kInf));
    double part, error;
    gauss_kronrod(s, b, part, error);
    const double tolerance = 1e-10 * std::max(part, 1e-3);
    const bool narrow = b - s <= 1e-13 * std::max(1.0, std::fabs(s));
    if (!(error <= tolerance) && !narrow) {
      h = 0.5 * (b - s);
      continue;
    }
    if (part >= target) return solve_integral(s, b, target, part);
    target -= part;
    h = error <= 1e-3 * tolerance ? 2.0 * (b - s) : (b - s);
    s = b;
  }
  e_left_ = target;
  return kInf;
}

double SsaRun::next_due() const {
  double due = kInf;
  for (const Pending& p : pending_) due = std::min(due, p.time);
  return due;
}

// Brings every value to time t and runs every event due at t, cascades included, as
// run/simulation.cpp does. Returns true when an event changed any value.
bool SsaRun::settle(double t) {
  t_ = t;
  rebase_continuous(t);
  sync_continuous(t);
  bool changed = false;
  for (long executed = 0;; ++executed) {
    check_triggers();
    std::size_t next = 0;
    if (!choose_due(next)) break;
    if (executed >= kMaxEventsPerInstant)
      throw Error(ErrorKind::Solver, sys_.ir().source + ": at t = " + time_text(t) + " events keep firing (more than " +
                                         std::to_string(kMaxEventsPerInstant) + " at one instant)");
    execute(next);
    ++counters_.events;
    changed = true;
    after_event();
  }
  return changed;
}

void SsaRun::check_triggers() {
  const auto& events = sys_.events();
  for (std::size_t i = 0; i < events.size(); ++i) {
    const CompiledEvent& e = events[i];
    const bool now = trigger(i);
    if (now && !previous_[i]) {
      double delay = 0.0;
      if (!e.delay.empty()) e.delay.run(v_, &delay, t_, ws_.stack.data());
      if (!(delay >= 0.0))
        throw Error(ErrorKind::Solver, sys_.ir().source + ": event '" + e.id + "' at t = " + time_text(t_) +
                                           " has a negative or undefined delay (" + time_text(delay) + ")");
      Pending p{static_cast<std::uint32_t>(i), t_ + delay, kNoValues};
      if (e.use_values_from_trigger_time) {
        p.values = static_cast<std::uint32_t>(pending_values_.size());
        pending_values_.resize(pending_values_.size() + e.targets.size());
        e.assignments.run(v_, pending_values_.data() + p.values, t_, ws_.stack.data());
      }
      pending_.push_back(p);
    } else if (!now && previous_[i] && !e.persistent) {
      std::erase_if(pending_, [i](const Pending& p) { return p.event == i; });
    }
    previous_[i] = now ? 1 : 0;
  }
  if (pending_.empty()) pending_values_.clear();
}

// The due event to execute next: the highest priority; among equals, one drawn at random.
bool SsaRun::choose_due(std::size_t& which) {
  tied_.clear();
  double best = 0.0;
  for (std::size_t k = 0; k < pending_.size(); ++k) {
    if (pending_[k].time > t_) continue;
    const CompiledEvent& e = sys_.events()[pending_[k].event];
    double priority = -kInf;
    if (!e.priority.empty()) e.priority.run(v_, &priority, t_, ws_.stack.data());
    if (tied_.empty() || priority > best) {
      tied_.assign(1, k);
      best = priority;
    } else if (priority == best) {
      tied_.push_back(k);
    }
  }
  if (tied_.empty()) return false;
  which = tied_.size() == 1 ? tied_[0] : tied_[rng_.below(tied_.size())];
  return true;
}

void SsaRun::execute(std::size_t k) {
  const Pending p = pending_[k];
  pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(k));
  const CompiledEvent& e = sys_.events()[p.event];
  const double* values;
  if (p.values != kNoValues) {
    std::copy_n(pending_values_.begin() + p.values, e.targets.size(), event_values_.begin());
  } else {
    e.assignments.run(v_, event_values_.data(), t_, ws_.stack.data());
  }
  values = event_values_.data();
  sys_.apply_event(e, values, ws_);
}

void SsaRun::counts_from_amounts(const char* what) {
  const auto& species = m_.species();
  for (std::size_t i = 0; i < species.size(); ++i) {
    const double molecules = v_[species[i].slot] * m_.items_per_substance();
    // A continuous species of the hybrid method is a real number of molecules (tau_hybrid.cpp).
    double whole = !continuous_.empty() && continuous_[i] ? molecules : std::nearbyint(molecules);
    if (!(whole >= 0.0) || !std::isfinite(whole))
      throw Error(ErrorKind::Solver, sys_.ir().source + ": at t = " + time_text(t_) + " " + what + " '" +
                                         m_.species_id(i) + "' to " + time_text(molecules) +
                                         " molecules, which is not a count");
    if (whole != molecules && std::fabs(whole - molecules) > 1e-9 * std::max(1.0, std::fabs(molecules)))
      m_.warn_not_whole(static_cast<std::uint32_t>(i), molecules, t_, what);
    counts_[i] = whole;
    v_[species[i].slot] = unit_ ? whole : whole / scale_;
  }
}

// After an event: counts from the amounts it set (whole numbers), the rate rules' lines from
// their variables, every rule and rate again.
void SsaRun::after_event() {
  counts_from_amounts("an event set");
  const auto& vars = m_.rate_rule_variables();
  for (std::size_t i = 0; i < vars.size(); ++i) x0_[i] = v_[vars[i]];
  t0_ = t_;
  m_.state_program().run(v_, nullptr, t_, stack_.data());
  m_.timed_program().run(v_, nullptr, t_, stack_.data());
  if (!vars.empty()) m_.rate_program().run(v_, rr_.data(), t_, stack_.data());
}

void SsaRun::record(std::size_t, double t) {
  sync_continuous(t);
  for (std::size_t c = 0; c < outputs_.size(); ++c) row_[c] = sys_.read(ws_, outputs_[c].symbol, outputs_[c].quantity);
}

}  // namespace axisim::detail
