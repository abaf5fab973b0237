#include "run/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <random>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "solve/cvode_integrator.hpp"
#include "run/coupled_jacobian.hpp"
#include "run/delay_history.hpp"
#include "run/nonfinite_diagnosis.hpp"

namespace axisim::detail {
namespace {

// Event executions at one instant beyond which the model is taken to loop forever.
constexpr long kMaxEventsPerInstant = 100000;
// Discontinuities between two output times beyond which the model is taken to chatter.
constexpr long kMaxRootsPerInterval = 1000000;

// Sparse LU (KLU) pays for its bookkeeping only from this many states on, and only when the
// Jacobian is sparse enough; when its factors would hold more than kIterativeMinFill times the
// Jacobian's entries, GMRES with an incomplete LU is faster (measured: docs/performance.md,
// "Choosing the linear solver").
constexpr std::size_t kSparseMinStates = 20;
constexpr double kSparseMaxDensity = 0.3;
constexpr double kIterativeMinFill = 15.0;

using Linear = CvodeIntegrator::Options::Linear;

// How a run's Newton iterations get their Jacobian and solve with it.
struct LinearAlgebra {
  bool system_jacobian = false;  // ours (analytic, or our own difference quotients on the pattern)
  bool analytic = false;         // analytic columns (the rest by difference quotients)
  Linear linear = Linear::Dense;
};

// Small systems under Auto: dense LU on CVODE's own difference quotients, where a Jacobian
// costs a few right-hand sides and compiling the analytic one would cost more than it saves
// (a small model's Jacobian is compiled on first use: CompiledSystem::jacobian).
bool auto_difference_quotients(std::size_t states, const SimulationOptions& o) {
  return o.linear_solver == LinearSolver::Auto && o.jacobian == JacobianKind::Auto && states < kEagerJacobianStates;
}

// `pattern` is the whole system's (the model's, or the model's and its plugins'), nullptr when
// there is none (nothing to integrate, or no analytic Jacobian: see CompiledSystem::jacobian).
LinearAlgebra choose_linear_algebra(const SparsePattern* pattern, double exact_lu_entries, std::size_t states,
                                    const SimulationOptions& o) {
  LinearAlgebra la;
  const bool has_pattern = pattern != nullptr;
  const char* why_not = "the model's fast species' amounts and assignment rules read each other";
  if (o.jacobian == JacobianKind::Analytic && !has_pattern && states > 0)
    spdlog::warn("analytic Jacobian not available: {}; using difference quotients", why_not);
  la.analytic = has_pattern && o.jacobian != JacobianKind::Numeric;
  switch (o.linear_solver) {
    case LinearSolver::Dense: break;
    case LinearSolver::Sparse:
    case LinearSolver::Iterative:
      if (has_pattern) la.linear = o.linear_solver == LinearSolver::Sparse ? Linear::Sparse : Linear::Iterative;
      else if (states > 0) spdlog::warn("sparse and iterative linear solvers not available: {}; using dense", why_not);
      break;
    case LinearSolver::Auto:
      if (has_pattern && states >= kSparseMinStates && pattern->density() <= kSparseMaxDensity)
        la.linear = exact_lu_entries > kIterativeMinFill * static_cast<double>(pattern->nonzeros())
                        ? Linear::Iterative : Linear::Sparse;
      break;
  }
  la.system_jacobian = la.analytic || la.linear != Linear::Dense;  // KLU and GMRES need ours
  return la;
}

// The whole system's Jacobian when plugins are attached (their states follow the model's).
std::unique_ptr<CoupledJacobian> coupled_jacobian(const CompiledSystem& sys, Coupling& coupling) {
  if (coupling.empty() || sys.jacobian() == nullptr) return nullptr;
  return std::make_unique<CoupledJacobian>(sys, coupling);
}

class Run final : public StepObserver, public OdeSystem {
 public:
  Run(const CompiledSystem& sys, const SimulationOptions& options, const std::vector<InitialOverride>& overrides,
      const std::vector<std::shared_ptr<const PluginBinding>>& plugins, const StateReduction* reduction,
      const RunSnapshot* from)
      : sys_(sys),
        reduction_(reduction && !reduction->laws.empty() ? reduction : nullptr),
        coupling_(sys, plugins),
        coupled_(coupled_jacobian(sys, coupling_)),
        n_(sys.num_states()),
        ws_(sys.make_workspace()),
        y_(std::max<std::size_t>(1, n_ + coupling_.num_states()), 0.0),
        nonfinite_(y_.size()),
        random_(options.seed),
        algebra_(auto_difference_quotients(n_ + coupling_.num_states(), options)
                     ? LinearAlgebra{}
                     : choose_linear_algebra(pattern(), coupled_ ? coupled_->exact_lu_entries()
                                                        : sys.jacobian() ? sys.jacobian()->exact_lu_entries : 0.0,
                                             n_ + coupling_.num_states(), options)),
        max_seconds_(options.max_seconds),
        deadline_(std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                          std::chrono::duration<double>(options.max_seconds > 0 ? options.max_seconds : 0))),
        stop_(options.stop) {
    sys_.initialize(ws_, overrides);  // from a snapshot: its first run's, for delay() before time 0
    if (from) {
      // Going on from where a run ended: its values (set_value's changes included), plugin states,
      // triggers, pending executions, past and generator; only the integrator starts afresh.
      if (from->values.size() != sys_.ir().symbols.size() || from->plugin_states.size() != coupling_.num_states() ||
          from->triggers.size() != sys_.events().size() || from->history.has_value() != sys_.has_delays())
        throw Error(ErrorKind::Usage, "the run state does not belong to this model");
      std::copy(from->values.begin(), from->values.end(), ws_.values.begin());
      sys_.gather_state(ws_, y_.data());
      std::copy(from->plugin_states.begin(), from->plugin_states.end(), y_.begin() + static_cast<std::ptrdiff_t>(n_));
      previous_ = from->triggers;
      pending_ = from->pending;
      random_ = from->random;
      t_ = from->time;
    } else {
      sys_.gather_state(ws_, y_.data());
      if (!coupling_.initial_states(y_.data() + n_, ws_)) throw Error(ErrorKind::Plugin, coupling_.fault());
      for (const CompiledEvent& e : sys_.events()) previous_.push_back(e.initial_value);
    }
    if (reduction_) {
      // Integrated: every state but the laws' dependent ones; the Jacobian of that system is
      // CVODE's dense difference quotients.
      std::vector<bool> dependent(y_.size(), false);
      for (const StateReduction::Law& law : reduction_->laws) dependent[law.dependent] = true;
      for (std::size_t k = 0; k < y_.size() && n_ + coupling_.num_states() > 0; ++k)
        if (!dependent[k]) kept_.push_back(k);
      if (kept_.empty()) {
        spdlog::info("reduce_moieties: every state is a law's dependent one; integrating the whole system");
        reduction_ = nullptr;
      } else {
        if (options.linear_solver != LinearSolver::Auto && options.linear_solver != LinearSolver::Dense)
          spdlog::warn("reduce_moieties: the reduced system is solved with dense LU on difference quotients");
        algebra_ = LinearAlgebra{};
        reduced_y_.assign(kept_.size(), 0.0);
        full_y_.assign(y_.size(), 0.0);
        full_ydot_.assign(y_.size(), 0.0);
        totals_.assign(reduction_->laws.size(), 0.0);
      }
    }
    if (sys_.has_delays()) {
      if (from) history_ = from->history;
      else history_.emplace(sys_.num_states(), sys_.ir().symbols.size());
      ydot_.resize(y_.size());
    }
    if (n_ + coupling_.num_states() > 0 || !sys_.events().empty()) {
      CvodeIntegrator::Options o{options.atol, options.rtol, options.max_steps, sys_.tolerance_scale(ws_)};
      o.atol_scale.resize(y_.size(), 1.0);  // plugin states (and a dummy state) at face value
      if (reduction_) {
        std::vector<double> kept_scale;
        for (std::size_t k : kept_) kept_scale.push_back(o.atol_scale[k]);
        o.atol_scale = std::move(kept_scale);
      }
      o.linear = algebra_.linear;
      o.system_jacobian = algebra_.system_jacobian;
      // Difference-quotient increments never smaller than where the absolute tolerance takes
      // over from the relative one.
      for (std::size_t k = 0; k < y_.size() && algebra_.system_jacobian; ++k)
        increment_floor_.push_back(options.atol * o.atol_scale[k] / options.rtol);
      if (history_) {
        o.max_step = sys_.max_step_for_delays();
        o.observer = this;
      }
      cvode_.emplace(*this, o);
    }
    settle(t_);  // events that fire at time 0 (or at the start of a continued run: a change made a trigger true)
    if (cvode_) reset_integrator(t_);
    record_present();
    if (history_) ws_.delay->history = &*history_;
  }

  // StepObserver: every accepted step goes into the history that delay() reads.
  void on_step(double t, const double* y, const double* ydot) override {
    if (reduction_) {
      expand(y, full_y_.data());
      expand_rates(ydot, full_ydot_.data());
      y = full_y_.data();
      ydot = full_ydot_.data();
    }
    update(t, y);
    history_->record(t, y, ydot, ws_.values.data());
  }

  // OdeSystem: the model and its plugins, one state vector (model states, then plugin states;
  // one dummy state when there is nothing to integrate but events to locate); with a
  // reduction, the states kept (kept_), the dependent ones computed from the laws.
  std::size_t size() const override { return reduction_ ? kept_.size() : y_.size(); }
  int derivatives(double t, const double* y, double* ydot) override {
    if (!reduction_) return full_derivatives(t, y, ydot);
    expand(y, full_y_.data());
    const int status = full_derivatives(t, full_y_.data(), full_ydot_.data());
    for (std::size_t i = 0; i < kept_.size(); ++i) ydot[i] = full_ydot_[kept_[i]];
    return status;
  }
  const SparsePattern* jacobian_pattern() const override { return algebra_.system_jacobian ? pattern() : nullptr; }
  int jacobian(double t, const double* y, const double* fy, double* values) override {
    const int status =
        coupled_ ? coupled_->values(t, y, fy, values, algebra_.analytic, increment_floor_.data(), ws_)
                 : (sys_.jacobian_values(t, y, fy, values, algebra_.analytic, increment_floor_.data(), ws_) ? 0 : 1);
    if (status > 0) nonfinite_.record(NonFiniteTrace::Source::Jacobian, t, y);
    return status;
  }
  std::size_t num_roots() const override { return sys_.num_roots() + coupling_.num_roots(); }
  int roots(double t, const double* y, double* g) override {
    if (!reduction_) return full_roots(t, y, g);
    expand(y, full_y_.data());
    return full_roots(t, full_y_.data(), g);
  }

 private:
  int full_derivatives(double t, const double* y, double* ydot) {
    // max_seconds: an unrecoverable failure stops CVODE; simulate() reports it as a timeout.
    // A stop request too, read with the same cadence (a relaxed load every 64 calls: no cost).
    if ((max_seconds_ > 0 || stop_) && (++calls_ & 63u) == 0 && past_deadline()) {
      stopped_at_ = t;  // the integrator's time when it passed the limit
      return -1;
    }
    if (n_ + coupling_.num_states() == 0) {
      ydot[0] = 0.0;
      return 0;
    }
    // A non-finite derivative is reported as recoverable, so that CVODE retries with a
    // smaller step before it gives up; where it happened is kept for the message if it does.
    const int status = coupling_.empty() ? (sys_.derivatives(t, y, ydot, ws_) ? 0 : 1)
                                         : coupling_.right_hand_side(t, y, ydot, ws_);
    if (status > 0) nonfinite_.record(NonFiniteTrace::Source::RightHandSide, t, y);
    return status;
  }
  int full_roots(double t, const double* y, double* g) {
    if (!coupling_.empty() && !coupling_.drive(t, y, ws_)) return -1;
    sys_.roots(t, y, g, ws_);
    // Plugins' root functions (version 2) after the model's locators.
    if (coupling_.num_roots() > 0 && !coupling_.roots(t, y, g + sys_.num_roots(), ws_)) return -1;
    return 0;
  }

  // The whole state from the integrated one: each law's dependent state from its total.
  void expand(const double* reduced, double* full) const {
    for (std::size_t i = 0; i < kept_.size(); ++i) full[kept_[i]] = reduced[i];
    for (std::size_t l = 0; l < reduction_->laws.size(); ++l) {
      const StateReduction::Law& law = reduction_->laws[l];
      double rest = totals_[l];
      for (const auto& [k, g] : law.terms) rest -= g * full[k];
      full[law.dependent] = rest / law.coefficient;
    }
  }
  // The same for rates of change (no totals).
  void expand_rates(const double* reduced, double* full) const {
    for (std::size_t i = 0; i < kept_.size(); ++i) full[kept_[i]] = reduced[i];
    for (const StateReduction::Law& law : reduction_->laws) {
      double rest = 0.0;
      for (const auto& [k, g] : law.terms) rest -= g * full[k];
      full[law.dependent] = rest / law.coefficient;
    }
  }
  // (Re)starts the integrator from y_ at t: with a reduction, the laws' totals are taken from y_
  // (an event may have changed them).
  void reset_integrator(double t) {
    if (!reduction_) {
      cvode_->reset(t, y_.data());
      return;
    }
    for (std::size_t l = 0; l < reduction_->laws.size(); ++l) {
      const StateReduction::Law& law = reduction_->laws[l];
      double total = law.coefficient * y_[law.dependent];
      for (const auto& [k, g] : law.terms) total += g * y_[k];
      totals_[l] = total;
    }
    for (std::size_t i = 0; i < kept_.size(); ++i) reduced_y_[i] = y_[kept_[i]];
    cvode_->reset(t, reduced_y_.data());
  }
  // y_ from the integrator's state.
  void take_state() {
    if (reduction_) expand(cvode_->state(), y_.data());
    else std::copy_n(cvode_->state(), y_.size(), y_.begin());
  }

 public:

  // The plugins' outputs at the present time (after advance_to); false after a plugin fault.
  bool observe() { return coupling_.observe(t_, y_.data() + n_, ws_); }
  // The plugins' declared ranges at the present time; false after a value outside one.
  bool check_ranges() { return coupling_.check_ranges(t_, y_.data() + n_); }
  double plugin_state(std::size_t plugin, std::size_t index) const { return y_[n_ + coupling_.offset(plugin) + index]; }
  double plugin_output(std::size_t plugin, std::size_t index) const { return coupling_.output(plugin, index); }
  const std::string& plugin_fault() const { return coupling_.fault(); }

  // max_seconds (SimulationOptions): true once the run has passed it.
  // Also true once the stop flag (SimulationOptions::stop) is set; stopped() then holds its value.
  bool past_deadline() {
    if (stop_ && !stopped_) stopped_ = stop_->load(std::memory_order_relaxed);
    if (stopped_) return true;
    if (max_seconds_ > 0 && !timed_out_ && std::chrono::steady_clock::now() > deadline_) timed_out_ = true;
    return timed_out_;
  }
  bool timed_out() const { return timed_out_ && !stopped_; }
  int stopped() const { return stopped_; }
  double stopped_at() const { return std::max(t_, stopped_at_); }
  void check_deadline() {
    if (past_deadline()) throw Error(ErrorKind::Solver, "time limit");
  }

  // Advances to `tout` (never backwards) and leaves ws_.values complete at tout.
  void advance_to(double tout) {
    long roots = 0;
    while (cvode_ && t_ < tout) {
      check_deadline();
      step_past_zero_locator(tout);
      const std::optional<double> due = next_due();
      const bool event_first = due && *due <= tout;
      const double target = event_first ? *due : tout;
      const bool root = advance(target, event_first);
      t_ = root ? cvode_->time() : target;
      take_state();
      // A plugin's root (version 2): its on_root may change its states (a jump).
      if (root && coupling_.num_roots() > 0 &&
          !coupling_.on_root(t_, cvode_->roots_found().data() + sys_.num_roots(), y_.data(), ws_))
        throw Error(ErrorKind::Plugin, coupling_.fault());
      const bool changed = settle(t_);
      if (root) spdlog::trace("root at t = {} (events ran: {})", t_, changed);
      if (root || changed) reset_integrator(t_);
      if (changed) record_present();
      if (root && ++roots > kMaxRootsPerInterval)
        throw Error(ErrorKind::Solver, "solver failure at t = " + std::to_string(t_) +
                                           ": the model switches discontinuously more than " +
                                           std::to_string(kMaxRootsPerInterval) + " times before t = " +
                                           std::to_string(tout));
    }
    if (!cvode_) t_ = tout;
    update(t_, y_.data());
  }

  const Workspace& workspace() const { return ws_; }

  // A locator exactly zero now (a trigger "time > 1.5" at t = 1.5, reached as an output time or
  // a restart) is a switch CVODE will not report: after a restart it ignores locators that
  // start at zero. Stepping just past it lets the trigger see its new value.
  void step_past_zero_locator(double tout) {
    if (sys_.events().empty() || sys_.num_roots() == 0) return;
    if (full_roots(t_, y_.data(), locators_.data()) < 0) throw Error(ErrorKind::Plugin, coupling_.fault());
    if (std::none_of(locators_.begin(), locators_.end(), [](double g) { return g == 0.0; })) return;
    const double eps = std::numeric_limits<double>::epsilon();
    const double past = std::min(tout, t_ + 1000.0 * eps * std::max(1.0, std::fabs(t_)));
    const bool root = advance(past, true);
    t_ = root ? cvode_->time() : past;
    take_state();
    if (settle(t_)) record_present();
    reset_integrator(t_);
  }
  // Where the run stands now (after advance_to), for a later run to continue from.
  void snapshot(RunSnapshot& out) const {
    out.time = t_;
    out.values.assign(ws_.values.begin(), ws_.values.begin() + static_cast<std::ptrdiff_t>(sys_.ir().symbols.size()));
    out.plugin_states.assign(y_.begin() + static_cast<std::ptrdiff_t>(n_),
                             y_.begin() + static_cast<std::ptrdiff_t>(n_ + coupling_.num_states()));
    out.plugins.clear();
    out.plugin_state_ids.clear();
    for (const auto& p : coupling_.plugins()) {
      out.plugins.push_back(p->plugin.name());
      for (const Plugin::Quantity& q : p->plugin.states()) out.plugin_state_ids.push_back(p->plugin.name() + "." + q.name);
    }
    out.triggers = previous_;
    out.pending = pending_;
    out.history = history_;
    out.random = random_;
  }

  SolverStats stats() const {
    SolverStats s = cvode_ ? cvode_->stats() : SolverStats{};
    if (s.linear_solver.empty()) s.linear_solver = "none (nothing to integrate)";
    if (reduction_) {
      const std::size_t laws = reduction_->laws.size();
      s.linear_solver += " (reduced by " + std::to_string(laws) + (laws == 1 ? " conservation law)" : " conservation laws)");
    }
    s.rhs_evaluations += ws_.difference_quotient_evaluations;
    s.jacobian_rhs_evaluations += ws_.difference_quotient_evaluations;
    const std::size_t numeric = !algebra_.analytic ? 0
                                : coupled_         ? coupled_->numeric_columns()
                                : sys_.jacobian()  ? sys_.jacobian()->numeric_columns.size()
                                                   : 0;
    if (!algebra_.analytic) s.jacobian = "numeric";
    else if (numeric == 0) s.jacobian = "analytic";
    else s.jacobian = "analytic + " + std::to_string(numeric) + " numeric columns";
    return s;
  }

 private:
  using Pending = RunSnapshot::Pending;

  // Integrates; a plugin's fault, which CVODE only sees as a failed right-hand side, is
  // reported as what it is. A failure after a non-finite value in this stretch names the
  // formula that made it (run/nonfinite_diagnosis.hpp).
  bool advance(double tout, bool stop_exactly) {
    nonfinite_.clear();
    try {
      const bool root = cvode_->advance(tout, stop_exactly);
      // CVODE can return a state that is NaN although it started finite (a Newton iteration on
      // a Jacobian with infinite entries): that is a failure, not a result to write.
      const double* y = cvode_->state();
      for (std::size_t i = 0; i < size(); ++i) {
        const std::size_t k = reduction_ ? kept_[i] : i;
        if (std::isfinite(y_[k]) && !std::isfinite(y[i]))
          throw Error(ErrorKind::Solver, "solver failure at t = " + number_text(cvode_->time()) + ": the integrator returned " +
                                             number_text(y[i]) + " for " +
                                             (k < n_ ? "'" + sys_.ir().symbols[sys_.state_slot(k)].id + "'" : "a plugin's state") +
                                             ", which was finite at t = " + number_text(t_));
      }
      return root;
    } catch (const Error& e) {
      if (!coupling_.fault().empty()) throw Error(ErrorKind::Plugin, coupling_.fault());
      // A plugin that left its declared range is the likelier cause than the model (a driven
      // value the last drive computed, or the last state at which CVODE stopped).
      if (coupling_.has_ranges() && !coupling_.check_ranges(cvode_->time(), reduction_ ? nullptr : cvode_->state() + n_))
        throw Error(ErrorKind::Plugin, coupling_.fault() + " (then: " + e.what() + ")");
      if (nonfinite_.source() == NonFiniteTrace::Source::None) throw;
      std::string cause;
      try {
        const double t = nonfinite_.time();
        const double* y = nonfinite_.state();
        if (!coupling_.empty() && !coupling_.drive(t, y, ws_)) throw Error(ErrorKind::Plugin, coupling_.fault());
        cause = diagnose_nonfinite(sys_, nonfinite_.source(), t, y, ws_, event_note_);
      } catch (const Error& inner) {
        if (inner.kind() == ErrorKind::Plugin) throw;
        cause = std::string("the diagnosis failed: ") + inner.what();
      } catch (const std::exception& inner) {
        cause = std::string("the diagnosis failed: ") + inner.what();
      }
      std::string reason = e.what();
      if (!reason.empty() && reason.back() == '.') reason.pop_back();
      throw Error(ErrorKind::Solver, reason + "; the last non-finite value: " + cause);
    }
  }

  // ws_.values complete at time t for state y: plugin-driven parameters, then the model.
  void update(double t, const double* y) {
    if (!coupling_.empty() && !coupling_.drive(t, y, ws_)) throw Error(ErrorKind::Plugin, coupling_.fault());
    sys_.update_all(t, y, ws_);
  }

  // Adds the present (after events) to the history, so that the past has the jump.
  void record_present() {
    if (!history_) return;
    if (full_derivatives(t_, y_.data(), ydot_.data()) < 0) throw Error(ErrorKind::Plugin, coupling_.fault());
    update(t_, y_.data());
    history_->record(t_, y_.data(), ydot_.data(), ws_.values.data());
  }

  // The whole system's Jacobian pattern, or nullptr (nothing to integrate, or none available).
  const SparsePattern* pattern() const {
    if (n_ + coupling_.num_states() == 0) return nullptr;
    if (coupled_) return &coupled_->pattern();
    return coupling_.empty() && sys_.jacobian() ? &sys_.jacobian()->pattern : nullptr;
  }

  std::optional<double> next_due() const {
    std::optional<double> due;
    for (const Pending& p : pending_)
      if (!due || p.time < *due) due = p.time;
    return due;
  }

  std::vector<double> assignment_values(const CompiledEvent& e) {
    std::vector<double> v(e.targets.size());
    e.assignments.run(ws_.values.data(), v.data(), t_, ws_.stack.data(), ws_.delays());
    for (std::size_t i = 0; i < v.size(); ++i)  // kept in case a failure meets it later
      if (!std::isfinite(v[i]))
        event_note_ = describe_event_assignment(sys_, static_cast<std::size_t>(&e - sys_.events().data()), i, v[i], t_, ws_);
    return v;
  }

  // Brings ws_.values up to date at time t (y_ holds the state) and runs every event due at t,
  // cascades included. Returns true when an event changed any value.
  bool settle(double t) {
    t_ = t;
    update(t, y_.data());
    bool changed = false;
    for (long executed = 0;; ++executed) {
      check_triggers();
      const std::optional<std::size_t> next = choose_due();
      if (!next) break;
      if (executed >= kMaxEventsPerInstant)
        throw Error(ErrorKind::Solver, "at t = " + std::to_string(t) + " events keep firing (more than " +
                                           std::to_string(kMaxEventsPerInstant) + " at one instant)");
      execute(*next);
      changed = true;
      sys_.gather_state(ws_, y_.data());
      update(t, y_.data());
    }
    return changed;
  }

  void check_triggers() {
    const auto& events = sys_.events();
    for (std::size_t i = 0; i < events.size(); ++i) {
      const CompiledEvent& e = events[i];
      const bool now = sys_.evaluate(e.trigger, t_, ws_) != 0.0;
      if (now && !previous_[i]) {
        double delay = e.delay.empty() ? 0.0 : sys_.evaluate(e.delay, t_, ws_);
        if (!(delay >= 0.0))
          throw Error(ErrorKind::Solver, "event '" + e.id + "' at t = " + std::to_string(t_) +
                                             " has a negative or undefined delay (" + std::to_string(delay) + ")");
        Pending p{i, t_ + delay, {}};
        if (e.use_values_from_trigger_time) p.values = assignment_values(e);
        pending_.push_back(std::move(p));
      } else if (!now && previous_[i] && !e.persistent) {
        std::erase_if(pending_, [i](const Pending& p) { return p.event == i; });
      }
      previous_[i] = now;
    }
  }

  // The due event to execute next: the highest priority (evaluated now); among equals, one
  // drawn at random, as SBML specifies.
  std::optional<std::size_t> choose_due() {
    tied_.clear();
    double best_priority = 0.0;
    for (std::size_t k = 0; k < pending_.size(); ++k) {
      if (pending_[k].time > t_) continue;
      const CompiledEvent& e = sys_.events()[pending_[k].event];
      const double priority =
          e.priority.empty() ? -std::numeric_limits<double>::infinity() : sys_.evaluate(e.priority, t_, ws_);
      if (tied_.empty() || priority > best_priority) {
        tied_.assign(1, k);
        best_priority = priority;
      } else if (priority == best_priority) {
        tied_.push_back(k);
      }
    }
    if (tied_.empty()) return std::nullopt;
    if (tied_.size() == 1) return tied_[0];
    return tied_[std::uniform_int_distribution<std::size_t>(0, tied_.size() - 1)(random_)];
  }

  void execute(std::size_t k) {
    Pending p = std::move(pending_[k]);
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(k));
    const CompiledEvent& e = sys_.events()[p.event];
    const std::vector<double> values = e.use_values_from_trigger_time ? std::move(p.values) : assignment_values(e);
    sys_.apply_event(e, values.data(), ws_);
  }

  const CompiledSystem& sys_;
  const StateReduction* reduction_;  // nullptr: the whole state is integrated
  std::vector<std::size_t> kept_;    // with a reduction: the states integrated
  std::vector<double> reduced_y_, full_y_, full_ydot_, totals_;
  Coupling coupling_;
  std::unique_ptr<CoupledJacobian> coupled_;  // with plugins
  std::size_t n_;  // model states; plugin states follow them in y_
  Workspace ws_;
  std::vector<double> y_;
  NonFiniteTrace nonfinite_;  // where the last non-finite right-hand side or Jacobian happened
  EventNote event_note_;      // the last event that assigned a non-finite value
  std::optional<DelayHistory> history_;  // models with delays only
  std::vector<double> ydot_;
  std::optional<CvodeIntegrator> cvode_;
  double t_ = 0.0;
  std::vector<bool> previous_;  // each trigger's value at the last check
  std::vector<Pending> pending_;
  std::vector<std::size_t> tied_;  // scratch for choose_due
  std::vector<double> locators_ = std::vector<double>(sys_.num_roots() + coupling_.num_roots());
  std::mt19937_64 random_;
  LinearAlgebra algebra_;
  std::vector<double> increment_floor_;  // per model state, for difference quotients
  double max_seconds_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  unsigned calls_ = 0;
  bool timed_out_ = false;
  const StopFlag* stop_ = nullptr;
  int stopped_ = 0;
  double stopped_at_ = 0;
};

}  // namespace

Result simulate(const CompiledSystem& sys, const SimulationOptions& options,
                const std::vector<InitialOverride>& overrides,
                const std::vector<std::shared_ptr<const PluginBinding>>& plugins, std::vector<std::string> columns,
                const std::vector<OutputRead>& reads, const StateReduction* reduction, const RunSnapshot* from,
                RunSnapshot* end) {
  const auto started = std::chrono::steady_clock::now();
  Result result(std::move(columns));
  const bool observe = std::any_of(reads.begin(), reads.end(), [](const OutputRead& r) {
    return r.from == OutputRead::From::PluginOutput;
  });
  std::optional<Run> run;
  std::vector<double> row(result.cols());
  try {
    run.emplace(sys, options, overrides, plugins, reduction, from);
    for (int k = 0; k <= options.steps; ++k) {
      const double t = k == options.steps ? options.end
                                          : options.start + (options.end - options.start) * k / options.steps;
      run->check_deadline();
      run->advance_to(t);
      if (observe && !run->observe()) throw Error(ErrorKind::Plugin, run->plugin_fault());
      if (!run->check_ranges()) throw Error(ErrorKind::Plugin, run->plugin_fault());
      row[0] = t;
      for (std::size_t c = 0; c < reads.size(); ++c) {
        const OutputRead& r = reads[c];
        switch (r.from) {
          case OutputRead::From::Model: row[c + 1] = sys.read(run->workspace(), r.symbol, r.quantity); break;
          case OutputRead::From::PluginState: row[c + 1] = run->plugin_state(r.plugin, r.index); break;
          case OutputRead::From::PluginOutput: row[c + 1] = run->plugin_output(r.plugin, r.index); break;
        }
      }
      result.append_row(row);
    }
    if (end) run->snapshot(*end);
  } catch (const Error& e) {
    if (run && run->stopped()) {
      result.stopped = run->stopped();
      char text[160];
      std::snprintf(text, sizeof text, "the integration stopped on request at t = %.6g after %.3f s",
                    run->stopped_at(), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      result.error = text;
    } else if (run && run->timed_out()) {
      result.timed_out = true;
      char text[160];
      std::snprintf(text, sizeof text, "timed out: stopped at t = %.6g after %.3f s (max_seconds = %g)", run->stopped_at(),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), options.max_seconds);
      result.error = text;
    } else {
      if (e.kind() != ErrorKind::Plugin) throw;
      result.error = e.what();  // the run stops cleanly, with the rows so far
    }
  }
  if (run) result.stats = run->stats();
  result.stats.integration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace axisim::detail
