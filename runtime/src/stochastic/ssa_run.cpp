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
}

void SsaRun::start(std::uint64_t seed) {
  rng_.reseed(seed);
  std::copy(m_.initial_values().begin(), m_.initial_values().end(), ws_.values.begin());
  std::copy(m_.initial_counts().begin(), m_.initial_counts().end(), counts_.begin());
  t_ = 0.0;
  t0_ = 0.0;
  const auto& vars = m_.rate_rule_variables();
  for (std::size_t i = 0; i < vars.size(); ++i) x0_[i] = v_[vars[i]];
  if (!vars.empty()) m_.rate_program().run(v_, rr_.data(), 0.0, stack_.data());
  const auto& events = sys_.events();
  for (std::size_t i = 0; i < events.size(); ++i) previous_[i] = events[i].initial_value ? 1 : 0;
  pending_.clear();
  pending_values_.clear();
  settle(0.0);  // events that fire at time 0
  refresh_all_propensities();
}

double SsaRun::next_firing_time() {
  double a0;
  if (m_.use_tree()) {
    a0 = tree_[1];
  } else {
    a0 = 0.0;
    for (double a : a_) a0 += a;
  }
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
void SsaRun::sync_continuous(double t) {
  const auto& vars = m_.rate_rule_variables();
  for (std::size_t i = 0; i < vars.size(); ++i) v_[vars[i]] = x0_[i] + rr_[i] * (t - t0_);
  m_.timed_program().run(v_, nullptr, t, stack_.data());
}

// Starts the rate rules' straight lines again at t (before their rates change).
void SsaRun::rebase_continuous(double t) {
  const auto& vars = m_.rate_rule_variables();
  for (std::size_t i = 0; i < vars.size(); ++i) x0_[i] += rr_[i] * (t - t0_);
  t0_ = t;
}

bool SsaRun::timed_trigger_changed_at(double t) {
  const double saved = t_;
  t_ = t;
  sync_continuous(t);
  bool changed = false;
  for (std::uint32_t e : m_.timed_events())
    if (trigger(e) != (previous_[e] != 0)) {
      changed = true;
      break;
    }
  t_ = saved;
  return changed;
}

// The first instant in (t0, t1] at which a time-dependent trigger differs from its value at
// t0, found by bisection down to adjacent doubles; infinity when none differs at t1.
double SsaRun::find_switch(double t0, double t1) {
  if (!timed_trigger_changed_at(t1)) return kInf;
  double lo = t0, hi = t1;
  while (true) {
    const double mid = lo + 0.5 * (hi - lo);
    if (!(mid > lo && mid < hi)) break;
    if (timed_trigger_changed_at(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
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

// After an event: counts from the amounts it set (whole numbers), the rate rules' lines from
// their variables, every rule and rate again.
void SsaRun::after_event() {
  const auto& species = m_.species();
  for (std::size_t i = 0; i < species.size(); ++i) {
    const double molecules = v_[species[i].slot] * m_.items_per_substance();
    double whole = std::nearbyint(molecules);
    if (!(whole >= 0.0) || !std::isfinite(whole))
      throw Error(ErrorKind::Solver, sys_.ir().source + ": at t = " + time_text(t_) + " an event set '" +
                                         m_.species_id(i) + "' to " + time_text(molecules) +
                                         " molecules, which is not a count");
    if (whole != molecules && std::fabs(whole - molecules) > 1e-9 * std::max(1.0, std::fabs(molecules)))
      m_.warn_not_whole(static_cast<std::uint32_t>(i), molecules, t_);
    counts_[i] = whole;
    v_[species[i].slot] = unit_ ? whole : whole / scale_;
  }
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
