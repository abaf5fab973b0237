// Forward sensitivities of a time course (axisim/sensitivities.hpp): the model's states and
// their sensitivities integrated together by CVODES (solve/cvode_integrator.hpp), with the right-hand
// side of the sensitivities from the compiled Jacobian and central differences in the parameters.
#include "axisim/sensitivities.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>

#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "compile/compiled_system.hpp"
#include "model_access.hpp"
#include "solve/cvode_integrator.hpp"

namespace axisim {

double TimeCourseSensitivities::scaled(std::size_t time, std::size_t output, std::size_t parameter) const {
  const double y = value(time, output);
  if (y == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return parameter_values[parameter] / y * sensitivity(time, output, parameter);
}

std::string sensitivities_csv(const TimeCourseSensitivities& s, bool scaled) {
  std::ostringstream out;
  out << "time,output,parameter,value\n";
  for (std::size_t k = 0; k < s.times.size(); ++k)
    for (std::size_t i = 0; i < s.outputs.size(); ++i)
      for (std::size_t j = 0; j < s.parameters.size(); ++j)
        out << format_number(s.times[k]) << ',' << s.outputs[i] << ',' << s.parameters[j] << ','
            << format_number(scaled ? s.scaled(k, i, j) : s.sensitivity(k, i, j)) << '\n';
  return out.str();
}

namespace detail {
namespace {

constexpr long kMaxRootsPerInterval = 1000000;
constexpr long kMaxEventsPerInstant = 100000;
constexpr std::size_t kSparseMinStates = 20;
constexpr double kSparseMaxDensity = 0.3;

// The central-difference step for a parameter of value p.
double step_for(double p) { return p != 0.0 ? 1e-5 * std::fabs(p) : 1e-7; }

// Event delays, delay, algebraic rules, fast reactions, named.
void refuse_unsupported(const CompiledSystem& sys) {
  const ModelIR& ir = sys.ir();
  const std::string what = "time-course sensitivities unsupported: ";
  for (const Event& ev : ir.events)
    if (ev.delay)
      throw Error(ErrorKind::Unsupported,
                  what + "event '" + ev.id + "' has a delay (the jump of the sensitivities at a delayed execution is "
                                             "not implemented); events without delays are supported");
  auto describe = [&](auto&& has) -> std::string {
    for (const Reaction& rx : ir.reactions)
      if (has(rx.rate)) return "reaction '" + ir.symbols[rx.symbol].id + "'";
    for (const Rule& r : ir.assignment_rules)
      if (has(r.math)) return "the assignment rule for '" + ir.symbols[r.variable].id + "'";
    for (const Rule& r : ir.rate_rules)
      if (has(r.math)) return "the rate rule for '" + ir.symbols[r.variable].id + "'";
    for (const Rule& r : ir.initial_assignments)
      if (has(r.math)) return "the initial assignment to '" + ir.symbols[r.variable].id + "'";
    for (const Event& ev : ir.events) {
      bool uses = has(ev.trigger) || (ev.priority && has(*ev.priority));
      for (const EventAssignment& a : ev.assignments) uses = uses || has(a.math);
      if (uses) return "event '" + ev.id + "'";
    }
    return {};
  };
  if (const std::string d = describe([](const Expr& e) { return contains_op(e, Op::Delay); }); !d.empty())
    throw Error(ErrorKind::Unsupported, what + d + " uses delay (the sensitivities would depend on the past)");
  if (!ir.algebraic_rules.empty())
    throw Error(ErrorKind::Unsupported, what + "the model has " + std::to_string(ir.algebraic_rules.size()) +
                                            " algebraic rule(s)");
  for (const Reaction& rx : ir.reactions)
    if (rx.fast)
      throw Error(ErrorKind::Unsupported, what + "reaction '" + ir.symbols[rx.symbol].id +
                                              "' is fast (rapid equilibrium); run with --ignore-fast to treat fast "
                                              "reactions as ordinary kinetics");
  if (sys.num_states() == 0 && !ir.events.empty())
    throw Error(ErrorKind::Unsupported, what + "event '" + ir.events.front().id +
                                            "' in a model with nothing to integrate");
  if (sys.num_states() > 0 && sys.jacobian() == nullptr)
    throw Error(ErrorKind::Unsupported, what + "the model has no compiled Jacobian");
}

// One step of the event executions at an instant, kept so that they can be replayed from a
// perturbed state: the assignments' values computed into a buffer, or an event applied with them.
struct EventStep {
  enum class Kind { Values, Apply } kind;
  std::size_t event;
  std::size_t buffer;
};

class SensitivityRun final : public OdeSystem, public SensitivitySystem {
 public:
  SensitivityRun(const CompiledSystem& sys, const std::vector<InitialOverride>& overrides,
                 const std::vector<std::uint32_t>& parameters, const SimulationOptions& options)
      : sys_(sys), n_(sys.num_states()), np_(parameters.size()), ws_(sys.make_workspace()),
        scratch_(sys.make_workspace()) {
    stop_ = options.stop;
    const std::size_t nsym = sys.ir().symbols.size();
    std::vector<bool> is_state(nsym, false);
    for (std::size_t k = 0; k < n_; ++k) is_state[sys.state_slot(k)] = true;
    sys_.initialize(ws_, overrides);
    y0_.assign(n_, 0.0);
    sys_.gather_state(ws_, y0_.data());
    const std::vector<double> nominal(ws_.values.begin(), ws_.values.begin() + static_cast<std::ptrdiff_t>(nsym));
    const std::vector<double> tolerance_scale = sys_.tolerance_scale(ws_);
    s0_.assign(np_ * n_, 0.0);
    std::vector<std::vector<double>> derivative(np_, std::vector<double>(nsym, 0.0));
    for (std::size_t j = 0; j < np_; ++j) {
      const std::uint32_t p = parameters[j];
      const double value = sys_.read(ws_, p, Quantity::Default);
      values_.push_back(value);
      const double h = step_for(value);
      steps_.push_back(h);
      // The initialisation at p +- h: the initial state and every constant it decides.
      std::vector<double> y_plus(n_), y_minus(n_), v_plus, v_minus;
      for (int side = 0; side < 2; ++side) {
        std::vector<InitialOverride> o;
        for (const InitialOverride& x : overrides)
          if (x.symbol != p) o.push_back(x);
        o.push_back({p, side == 0 ? value + h : value - h, Quantity::Default});
        Workspace w = sys_.make_workspace();
        sys_.initialize(w, o);
        sys_.gather_state(w, side == 0 ? y_plus.data() : y_minus.data());
        (side == 0 ? v_plus : v_minus).assign(w.values.begin(), w.values.begin() + static_cast<std::ptrdiff_t>(nsym));
      }
      for (std::size_t k = 0; k < n_; ++k) s0_[j * n_ + k] = (y_plus[k] - y_minus[k]) / (2 * h);
      for (std::uint32_t s = 0; s < nsym; ++s) {
        if (is_state[s] || sys_.has_assignment_rule(s) || sys.ir().symbols[s].kind == SymbolKind::Reaction) continue;
        const double d = (v_plus[s] - v_minus[s]) / (2 * h);
        if (d != 0.0 && std::isfinite(d)) derivative[j][s] = d;
      }
    }
    // Tracked values: every non-state value a parameter moves, and every non-state value an
    // event assigns (its derivatives change at each execution).
    std::vector<bool> tracked(nsym, false);
    for (std::size_t j = 0; j < np_; ++j)
      for (std::uint32_t s = 0; s < nsym; ++s) tracked[s] = tracked[s] || derivative[j][s] != 0.0;
    for (const CompiledEvent& e : sys.events())
      for (std::uint32_t target : e.targets) tracked[target] = tracked[target] || !is_state[target];
    for (std::uint32_t s = 0; s < nsym; ++s)
      if (tracked[s]) tracked_.push_back(s);
    const std::size_t nt = tracked_.size();
    tracked_base_.resize(nt);
    tracked_derivative_.assign(np_ * nt, 0.0);
    moves_.assign(np_, false);
    for (std::size_t k = 0; k < nt; ++k) {
      tracked_base_[k] = nominal[tracked_[k]];
      for (std::size_t j = 0; j < np_; ++j) tracked_derivative_[j * nt + k] = derivative[j][tracked_[k]];
    }
    // Which tracked values some switch's locator reads (a switch at time p, say), from the
    // locators' formulas rather than their values at one state: a locator p * S - 1 does not
    // move with p where S = 0. refresh_moves() turns it into moves_locators_ per parameter.
    tracked_in_locators_.assign(nt, false);
    for (std::size_t k = 0; k < nt; ++k)
      tracked_in_locators_[k] = std::binary_search(sys.locator_reads().begin(), sys.locator_reads().end(), tracked_[k]);
    refresh_moves();
    for (const CompiledEvent& e : sys.events()) {
      previous_.push_back(e.initial_value);
      std::vector<std::size_t> slots;
      for (std::uint32_t target : e.targets)
        if (!is_state[target])
          slots.push_back(static_cast<std::size_t>(std::find(tracked_.begin(), tracked_.end(), target) - tracked_.begin()));
      assigned_tracked_.push_back(std::move(slots));
    }
    // Scratch for event instants (sized once: nothing is allocated per step).
    const std::size_t nr = sys_.num_roots();
    y_before_.assign(n_, 0.0);
    s_before_.assign(np_ * n_, 0.0);
    event_f_minus_.assign(n_, 0.0);
    event_f_plus_.assign(n_, 0.0);
    event_y_.assign(n_, 0.0);
    event_y2_.assign(n_, 0.0);
    replay_plus_.assign(n_, 0.0);
    replay_minus_.assign(n_, 0.0);
    tracked_plus_.assign(nt, 0.0);
    tracked_minus_.assign(nt, 0.0);
    locators_.assign(nr, 0.0);
    locators_plus_.assign(nr, 0.0);
    locators_minus_.assign(nr, 0.0);
    locator_rate_.assign(nr, 0.0);
    numerators_.assign(np_ * nr, 0.0);
    dtau_.assign(np_, 0.0);
    y_ = y0_;
    s_ = s0_;
    if (n_ == 0) return;
    pattern_ = &sys_.jacobian()->pattern;
    jacobian_.assign(pattern_->nonzeros(), 0.0);
    cached_y_.assign(n_, 0.0);
    f_plus_.assign(n_, 0.0);
    f_minus_.assign(n_, 0.0);
    analytic_ = options.jacobian != JacobianKind::Numeric;
    CvodeIntegrator::Options o{options.atol, options.rtol, options.max_steps, tolerance_scale};
    o.atol_scale.resize(n_, 1.0);
    o.system_jacobian = true;
    switch (options.linear_solver) {
      case LinearSolver::Dense: o.linear = CvodeIntegrator::Options::Linear::Dense; break;
      case LinearSolver::Sparse: o.linear = CvodeIntegrator::Options::Linear::Sparse; break;
      case LinearSolver::Iterative: o.linear = CvodeIntegrator::Options::Linear::Iterative; break;
      case LinearSolver::Auto:
        o.linear = n_ >= kSparseMinStates && pattern_->density() <= kSparseMaxDensity
                       ? CvodeIntegrator::Options::Linear::Sparse
                       : CvodeIntegrator::Options::Linear::Dense;
        break;
    }
    for (std::size_t k = 0; k < n_; ++k) increment_floor_.push_back(options.atol * o.atol_scale[k] / options.rtol);
    cvode_.emplace(*this, o);
    std::vector<double> scale;
    for (double v : values_) scale.push_back(v != 0.0 ? std::fabs(v) : 1.0);
    cvode_->enable_sensitivities(*this, scale);
    if (!sys_.events().empty()) at_stop(false, true);  // events that fire at time 0
    cvode_->reset(0.0, y_.data(), s_.data());
  }

  const std::vector<double>& parameter_values() const { return values_; }

  // OdeSystem
  std::size_t size() const override { return n_; }
  int derivatives(double t, const double* y, double* ydot) override {
    // A stop request (SimulationOptions::stop), read every 64 calls as simulate() reads it: an
    // unrecoverable failure ends CVODE's step, and advance_to throws Stopped.
    if (stop_ && (++calls_ & 63u) == 0)
      if (const int signal = stop_->load(std::memory_order_relaxed)) {
        stopped_ = signal;
        return -1;
      }
    return sys_.derivatives(t, y, ydot, ws_) ? 0 : 1;
  }
  std::size_t num_roots() const override { return sys_.num_roots(); }
  int roots(double t, const double* y, double* g) override {
    sys_.roots(t, y, g, ws_);
    return 0;
  }
  const SparsePattern* jacobian_pattern() const override { return pattern_; }
  int jacobian(double t, const double* y, const double* fy, double* values) override {
    return sys_.jacobian_values(t, y, fy, values, analytic_, increment_floor_.data(), ws_) ? 0 : 1;
  }

  // SensitivitySystem: J s_j (J cached per (t, y): the staggered corrector asks at one point
  // many times) plus df/dp_j by a central difference of the values p_j moves.
  std::size_t num_parameters() const override { return np_; }
  int sensitivity_derivatives(double t, const double* y, const double* fy, const double* const* s,
                              double* const* sdot) override {
    if (!cache_valid_ || t != cached_t_ || !std::equal(y, y + n_, cached_y_.begin())) {
      if (!sys_.jacobian_values(t, y, fy, jacobian_.data(), analytic_, increment_floor_.data(), ws_)) return 1;
      cached_t_ = t;
      std::copy_n(y, n_, cached_y_.begin());
      cache_valid_ = true;
    }
    const SparsePattern& p = *pattern_;
    for (std::size_t j = 0; j < np_; ++j) {
      double* out = sdot[j];
      const double* x = s[j];
      std::fill_n(out, n_, 0.0);
      for (std::size_t k = 0; k < p.n; ++k)
        for (std::int64_t q = p.column_start[k]; q < p.column_start[k + 1]; ++q) out[p.row[q]] += jacobian_[q] * x[k];
      if (!moves_[j]) continue;
      const double h = steps_[j];
      const int side = difference_side(j, t, y);
      bool ok = true;
      if (side >= 0) {
        move_constants(j, h);
        ok = sys_.derivatives(t, y, f_plus_.data(), ws_);
      }
      if (side <= 0 && ok) {
        move_constants(j, -h);
        ok = sys_.derivatives(t, y, f_minus_.data(), ws_);
      }
      move_constants(j, 0.0);
      if (!ok) return 1;
      for (std::size_t k = 0; k < n_; ++k)
        out[k] += side == 0 ? (f_plus_[k] - f_minus_[k]) / (2 * h)
                  : side > 0 ? (f_plus_[k] - fy[k]) / h
                             : (fy[k] - f_minus_[k]) / h;
    }
    return 0;
  }

  // Which sides a difference in p_j at (t, y) may take: 0 both; +1 (-1) only p_j + h (p_j - h),
  // where moving p_j the other way would take a switch across its locator's zero (a switch whose
  // time is p_j, within h of now): df/dp is then the branch's, and the jump is at_stop's.
  int difference_side(std::size_t j, double t, const double* y) {
    if (!moves_locators_[j]) return 0;
    const double h = steps_[j];
    move_constants(j, h);
    sys_.roots(t, y, locators_plus_.data(), ws_);
    move_constants(j, -h);
    sys_.roots(t, y, locators_minus_.data(), ws_);
    move_constants(j, 0.0);
    sys_.roots(t, y, locators_.data(), ws_);
    auto sign = [](double g) { return (g > 0) - (g < 0); };
    for (std::size_t i = 0; i < locators_.size(); ++i) {
      if (sign(locators_plus_[i]) == sign(locators_minus_[i])) continue;
      return sign(locators_plus_[i]) == sign(locators_[i]) ? 1 : -1;
    }
    return 0;
  }

  // Advances to tout, restarting (states and sensitivities) at every discontinuity and event,
  // with the sensitivities' jump there.
  void advance_to(double tout) {
    long roots = 0;
    while (cvode_ && t_ < tout) {
      if (stop_ && !stopped_) stopped_ = stop_->load(std::memory_order_relaxed);
      if (stopped_) throw Stopped(stopped_, "the sensitivity integration stopped on request at t = " + std::to_string(t_));
      step_past_zero_locator(tout);
      if (t_ >= tout) break;
      bool root = false;
      try {
        root = cvode_->advance(tout, false);
      } catch (const Error&) {
        if (stopped_)
          throw Stopped(stopped_, "the sensitivity integration stopped on request at t = " + std::to_string(cvode_->time()));
        throw;
      }
      take_state(root ? cvode_->time() : tout);
      const bool changed = (root || !sys_.events().empty()) && at_stop(root, false);
      if (root || changed) cvode_->reset(t_, y_.data(), s_.data());
      if (root && ++roots > kMaxRootsPerInterval)
        throw Error(ErrorKind::Solver, "solver failure at t = " + std::to_string(t_) +
                                           ": the model switches more than " + std::to_string(kMaxRootsPerInterval) +
                                           " times before t = " + std::to_string(tout));
    }
    if (!cvode_) t_ = std::max(t_, tout);
  }

  // The outputs at the present time and their total derivatives in each parameter.
  void read(const std::vector<OutputRead>& reads, std::vector<double>& values, std::vector<double>& sens) {
    sys_.update_all(t_, y_.data(), ws_);
    for (const OutputRead& r : reads) values.push_back(sys_.read(ws_, r.symbol, r.quantity));
    std::vector<double> plus(reads.size()), minus(reads.size()), y(n_);
    const std::size_t first = sens.size();
    sens.resize(first + reads.size() * np_);
    const std::size_t first_value = values.size() - reads.size();
    for (std::size_t j = 0; j < np_; ++j) {
      const double h = steps_[j];
      const int only = n_ > 0 ? difference_side(j, t_, y_.data()) : 0;
      for (int side = 0; side < 2; ++side) {
        const double dh = side == 0 ? h : -h;
        std::vector<double>& out = side == 0 ? plus : minus;
        if ((side == 0 && only < 0) || (side == 1 && only > 0)) {  // the nominal value instead
          std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(first_value), reads.size(), out.begin());
          continue;
        }
        for (std::size_t k = 0; k < n_; ++k) y[k] = y_[k] + dh * s_[j * n_ + k];
        move_constants(j, dh);
        sys_.update_all(t_, y.data(), ws_);
        for (std::size_t i = 0; i < reads.size(); ++i) out[i] = sys_.read(ws_, reads[i].symbol, reads[i].quantity);
      }
      move_constants(j, 0.0);
      const double span = only == 0 ? 2 * h : h;
      for (std::size_t i = 0; i < reads.size(); ++i) sens[first + i * np_ + j] = (plus[i] - minus[i]) / span;
    }
    sys_.update_all(t_, y_.data(), ws_);
  }

  SolverStats stats() const {
    SolverStats s = cvode_ ? cvode_->stats() : SolverStats{};
    if (s.linear_solver.empty()) s.linear_solver = "none (nothing to integrate)";
    s.jacobian = analytic_ ? "analytic" : "numeric";
    return s;
  }

 private:
  struct Pending {
    std::size_t event;
    std::int64_t buffer;  // the assignments' values from trigger time, or -1
  };

  // The tracked values at their values for p_j + dp (the state left alone).
  void move_constants(std::size_t j, double dp) {
    const double* d = tracked_derivative_.data() + j * tracked_.size();
    for (std::size_t k = 0; k < tracked_.size(); ++k) ws_.values[tracked_[k]] = tracked_base_[k] + dp * d[k];
  }
  void refresh_moves() {
    const std::size_t nt = tracked_.size();
    moves_locators_.assign(np_, false);
    for (std::size_t j = 0; j < np_; ++j) {
      const double* d = tracked_derivative_.data() + j * nt;
      moves_[j] = std::any_of(d, d + nt, [](double x) { return x != 0.0; });
      // Parameters that move a switch's locator: their differences in the right-hand side and
      // outputs must not straddle its zero (difference_side).
      for (std::size_t k = 0; k < nt && !moves_locators_[j] && n_ > 0; ++k)
        moves_locators_[j] = d[k] != 0.0 && tracked_in_locators_[k];
    }
  }

  void take_state(double t) {
    t_ = t;
    std::copy_n(cvode_->state(), n_, y_.begin());
    std::copy_n(cvode_->sensitivities(), np_ * n_, s_.begin());
  }

  // A locator exactly zero now (a trigger "time > 2" at the output time 2) is a switch CVODE
  // will not report after a restart: step just past it, as simulate() does.
  void step_past_zero_locator(double tout) {
    if (sys_.events().empty() || sys_.num_roots() == 0) return;
    sys_.roots(t_, y_.data(), locators_.data(), ws_);
    if (std::none_of(locators_.begin(), locators_.end(), [](double g) { return g == 0.0; })) return;
    const double eps = std::numeric_limits<double>::epsilon();
    const double past = std::min(tout, t_ + 1000.0 * eps * std::max(1.0, std::fabs(t_)));
    const bool root = cvode_->advance(past, true);
    take_state(root ? cvode_->time() : past);
    at_stop(root, false);
    cvode_->reset(t_, y_.data(), s_.data());
  }

  // scratch_ holds the values from before this instant's events, the tracked ones moved by dp
  // along parameter j; then (t, y) and every assigned symbol.
  void load_scratch(double t, const double* y, std::size_t j, double dp) {
    scratch_.values.assign(values_before_.begin(), values_before_.end());
    if (dp != 0.0) {
      const double* d = tracked_derivative_.data() + j * tracked_.size();
      for (std::size_t k = 0; k < tracked_.size(); ++k) scratch_.values[tracked_[k]] += dp * d[k];
    }
    sys_.update_all(t, y, scratch_);
  }

  // At a stop (t_, y_ and s_ from the integrator): runs the events due now as simulate() does,
  // and gives the sensitivities their jump where the time of this instant moves with the
  // parameters (a trigger's or a switch's locator g crossing zero at tau):
  //   dtau/dp = -(dg/dy s + dg/dp) / (dg/dy f- + dg/dt),
  //   s+ = dY+/dp - f+ dtau/dp, Y+ the state after this instant's executions, applied to
  //   y- + dp (s- + f- dtau/dp) with the values p moves and time tau + dp dtau/dp;
  // for a switch of the right-hand side alone, s+ = s- + (f- - f+) dtau/dp. Values an event
  // assigns that are not states take their derivatives from Y+ too. At `start` (time 0) the
  // instant does not move. Returns true when an event changed a value.
  bool at_stop(bool root, bool start) {
    const double t = t_;
    sys_.update_all(t, y_.data(), ws_);
    values_before_.assign(ws_.values.begin(), ws_.values.end());
    std::copy(y_.begin(), y_.end(), y_before_.begin());
    std::copy(s_.begin(), s_.end(), s_before_.begin());
    crossing_.clear();
    bool rhs_crossed = false;
    if (root) {
      const std::vector<int>& found = cvode_->roots_found();
      for (std::size_t i = 0; i < found.size(); ++i)
        if (found[i] != 0) {
          crossing_.push_back(i);
          rhs_crossed = rhs_crossed || i < sys_.num_rhs_roots();
        }
    }
    steps_taken_.clear();
    buffers_used_ = 0;
    const bool changed = run_events(t);
    if (!changed && !rhs_crossed) return false;
    std::fill(dtau_.begin(), dtau_.end(), 0.0);
    if (!start) crossing_times(t, rhs_crossed);
    const bool moves = std::any_of(dtau_.begin(), dtau_.end(), [](double d) { return d != 0.0; });
    if (!changed) {  // a switch of the right-hand side alone
      if (!moves) return false;
      if (!sys_.derivatives(t, y_.data(), event_f_plus_.data(), ws_))
        throw Error(ErrorKind::Solver, "solver failure at t = " + format_number(t) + ": the right-hand side is not finite");
      for (std::size_t j = 0; j < np_; ++j)
        for (std::size_t k = 0; k < n_; ++k) s_[j * n_ + k] = s_before_[j * n_ + k] + (event_f_minus_[k] - event_f_plus_[k]) * dtau_[j];
      return false;
    }
    if (moves && !sys_.derivatives(t, y_.data(), event_f_plus_.data(), ws_))
      throw Error(ErrorKind::Solver, "solver failure at t = " + format_number(t) + ": the right-hand side is not finite");
    const std::size_t nt = tracked_.size();
    for (std::size_t j = 0; j < np_; ++j) {
      const double h = steps_[j];
      for (int side = 0; side < 2; ++side) {
        const double dp = side == 0 ? h : -h;
        for (std::size_t k = 0; k < n_; ++k)
          event_y_[k] = y_before_[k] + dp * (s_before_[j * n_ + k] + (dtau_[j] != 0.0 ? event_f_minus_[k] * dtau_[j] : 0.0));
        replay(t + dp * dtau_[j], j, dp, side == 0 ? replay_plus_.data() : replay_minus_.data(),
               side == 0 ? tracked_plus_.data() : tracked_minus_.data());
      }
      for (std::size_t k = 0; k < n_; ++k)
        s_[j * n_ + k] = (replay_plus_[k] - replay_minus_[k]) / (2 * h) - (dtau_[j] != 0.0 ? event_f_plus_[k] * dtau_[j] : 0.0);
      for (const EventStep& step : steps_taken_)
        if (step.kind == EventStep::Kind::Apply)
          for (std::size_t k : assigned_tracked_[step.event])
            tracked_derivative_[j * nt + k] = (tracked_plus_[k] - tracked_minus_[k]) / (2 * h);
    }
    for (std::size_t k = 0; k < nt; ++k) tracked_base_[k] = ws_.values[tracked_[k]];
    refresh_moves();
    sys_.update_all(t, y_.data(), ws_);
    return true;
  }

  // f just before t, where the right-hand side switches at t: the right-hand side at t - d and
  // t - 2d (d = 1e-8 max(1, |t|)) extrapolated linearly to t, the states there from CVODE's
  // interpolant, or, where t - 2d lies before the last step CVODE took (the root was found on
  // the step after an output time that fell on it), from y(t) stepped back along f(t, y(t)).
  void left_limit(double t) {
    const double d = 1e-8 * std::max(1.0, std::fabs(t));
    load_scratch(t, y_before_.data(), 0, 0.0);
    if (!cvode_->interpolate(t - d, event_y_.data()) || !cvode_->interpolate(t - 2 * d, event_y2_.data())) {
      if (!sys_.derivatives(t, y_before_.data(), replay_minus_.data(), scratch_))
        throw Error(ErrorKind::Solver, "solver failure at t = " + format_number(t) + ": the right-hand side is not finite");
      for (std::size_t k = 0; k < n_; ++k) {
        event_y_[k] = y_before_[k] - d * replay_minus_[k];
        event_y2_[k] = y_before_[k] - 2 * d * replay_minus_[k];
      }
    }
    const bool ok = sys_.derivatives(t - d, event_y_.data(), event_f_minus_.data(), scratch_) &&
                    sys_.derivatives(t - 2 * d, event_y2_.data(), replay_minus_.data(), scratch_);
    if (!ok)
      throw Error(ErrorKind::Solver, "time-course sensitivities: at t = " + format_number(t) +
                                         " the right-hand side just before a switch is not finite");
    for (std::size_t k = 0; k < n_; ++k) event_f_minus_[k] = 2 * event_f_minus_[k] - replay_minus_[k];
  }

  // f just before this instant into event_f_minus_: where a switch of the right-hand side
  // crosses here, from the solution before it (left_limit); otherwise f at the state before the
  // events.
  void f_before(double t, bool rhs_crossed) {
    if (rhs_crossed) {
      left_limit(t);
      return;
    }
    load_scratch(t, y_before_.data(), 0, 0.0);
    if (!sys_.derivatives(t, y_before_.data(), event_f_minus_.data(), scratch_))
      throw Error(ErrorKind::Solver, "solver failure at t = " + format_number(t) + ": the right-hand side is not finite");
  }

  // Every locator's rate along the flow before this instant, dg/dy f- + dg/dt, into locator_rate_.
  void locator_rates(double t) {
    const double dt = 1e-7 * std::max(1.0, std::fabs(t));
    for (int side = 0; side < 2; ++side) {
      const double d = side == 0 ? dt : -dt;
      for (std::size_t k = 0; k < n_; ++k) event_y_[k] = y_before_[k] + d * event_f_minus_[k];
      load_scratch(t + d, event_y_.data(), 0, 0.0);
      sys_.roots(t + d, event_y_.data(), (side == 0 ? locators_plus_ : locators_minus_).data(), scratch_);
    }
    for (std::size_t i = 0; i < locator_rate_.size(); ++i)
      locator_rate_[i] = (locators_plus_[i] - locators_minus_[i]) / (2 * dt);
  }

  // dtau_/dp for this instant from the locators that cross here (found by CVODE, or, at a stop
  // CVODE did not find, those within 1e-9 max(1, |t|) of their zero along the flow); f before
  // the instant into event_f_minus_ wherever dtau/dp is not zero.
  void crossing_times(double t, bool rhs_crossed) {
    bool have_rates = false;
    if (crossing_.empty()) {  // a stop CVODE did not report as a root: no switch of the right-hand side
      f_before(t, false);
      locator_rates(t);
      have_rates = true;
      load_scratch(t, y_before_.data(), 0, 0.0);
      sys_.roots(t, y_before_.data(), locators_.data(), scratch_);
      for (std::size_t i = 0; i < locators_.size(); ++i)
        if (locator_rate_[i] != 0.0 && std::fabs(locators_[i]) <= 1e-9 * std::max(1.0, std::fabs(t)) * std::fabs(locator_rate_[i]))
          crossing_.push_back(i);
      if (crossing_.empty())
        throw Error(ErrorKind::Unsupported, "time-course sensitivities unsupported: event '" + executed_event_id() +
                                                "' fired at t = " + format_number(t) +
                                                " where none of the model's conditions crosses zero");
    }
    // dg/dy s_j + dg/dp_j of every locator, per parameter.
    const std::size_t nr = locators_.size();
    bool any = false;
    for (std::size_t j = 0; j < np_; ++j) {
      const double h = steps_[j];
      for (int side = 0; side < 2; ++side) {
        const double dp = side == 0 ? h : -h;
        for (std::size_t k = 0; k < n_; ++k) event_y_[k] = y_before_[k] + dp * s_before_[j * n_ + k];
        load_scratch(t, event_y_.data(), j, dp);
        sys_.roots(t, event_y_.data(), (side == 0 ? locators_plus_ : locators_minus_).data(), scratch_);
      }
      for (std::size_t i : crossing_) {
        numerators_[j * nr + i] = (locators_plus_[i] - locators_minus_[i]) / (2 * h);
        any = any || numerators_[j * nr + i] != 0.0;
      }
    }
    if (!any) return;  // the instant does not move (a switch at a constant time)
    if (!have_rates) {
      f_before(t, rhs_crossed);
      locator_rates(t);
    }
    for (std::size_t i : crossing_)
      if (!(std::fabs(locator_rate_[i]) > 0.0) || !std::isfinite(locator_rate_[i]))
        throw Error(ErrorKind::Unsupported, "time-course sensitivities unsupported: at t = " + format_number(t) +
                                                " a condition touches zero without crossing it (the time it switches "
                                                "at has no derivative)");
    for (std::size_t j = 0; j < np_; ++j) {
      bool first = true;
      for (std::size_t i : crossing_) {
        const double dtau = -numerators_[j * nr + i] / locator_rate_[i];
        if (first) {
          dtau_[j] = dtau;
          first = false;
        } else if (std::fabs(dtau - dtau_[j]) >
                   1e-6 * (std::fabs(dtau) + std::fabs(dtau_[j])) + 1e-12 * std::max(1.0, std::fabs(t))) {
          throw Error(ErrorKind::Unsupported,
                      "time-course sensitivities unsupported: at t = " + format_number(t) +
                          " two conditions cross zero at once and move differently with the parameters");
        }
      }
    }
  }

  std::string executed_event_id() const {
    for (const EventStep& s : steps_taken_)
      if (s.kind == EventStep::Kind::Apply) return sys_.events()[s.event].id;
    return "?";
  }

  // The events due at time t, as simulate() runs them (without delays: each executes at the
  // instant its trigger turns true; the highest priority first, triggers re-evaluated after
  // each execution), recorded in steps_taken_. Equal priorities are refused: SBML leaves their
  // order to chance.
  bool run_events(double t) {
    bool changed = false;
    for (long executed = 0;; ++executed) {
      check_triggers(t);
      if (pending_.empty()) break;
      if (executed >= kMaxEventsPerInstant)
        throw Error(ErrorKind::Solver, "at t = " + format_number(t) + " events keep firing (more than " +
                                           std::to_string(kMaxEventsPerInstant) + " at one instant)");
      std::size_t best = 0;
      double best_priority = 0.0;
      bool tie = false;
      for (std::size_t k = 0; k < pending_.size(); ++k) {
        const CompiledEvent& e = sys_.events()[pending_[k].event];
        const double priority =
            e.priority.empty() ? -std::numeric_limits<double>::infinity() : sys_.evaluate(e.priority, t, ws_);
        if (k == 0 || priority > best_priority) {
          best = k;
          best_priority = priority;
          tie = false;
        } else if (priority == best_priority) {
          tie = true;
        }
      }
      if (tie) {
        std::string ids;
        for (const Pending& p : pending_) ids += (ids.empty() ? "'" : ", '") + sys_.events()[p.event].id + "'";
        throw Error(ErrorKind::Unsupported, "time-course sensitivities unsupported: events " + ids + " fire at t = " +
                                                format_number(t) +
                                                " with equal (or no) priorities; SBML leaves their order to chance, "
                                                "and the sensitivities depend on it");
      }
      const Pending p = pending_[best];
      pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(best));
      const std::size_t buffer = p.buffer >= 0 ? static_cast<std::size_t>(p.buffer) : snapshot(p.event, t);
      sys_.apply_event(sys_.events()[p.event], buffers_[buffer].data(), ws_);
      steps_taken_.push_back({EventStep::Kind::Apply, p.event, buffer});
      changed = true;
      sys_.gather_state(ws_, y_.data());
      sys_.update_all(t, y_.data(), ws_);
    }
    return changed;
  }

  void check_triggers(double t) {
    const auto& events = sys_.events();
    for (std::size_t i = 0; i < events.size(); ++i) {
      const CompiledEvent& e = events[i];
      const bool now = sys_.evaluate(e.trigger, t, ws_) != 0.0;
      if (now && !previous_[i]) {
        pending_.push_back({i, e.use_values_from_trigger_time ? static_cast<std::int64_t>(snapshot(i, t)) : -1});
      } else if (!now && previous_[i] && !e.persistent) {
        std::erase_if(pending_, [i](const Pending& p) { return p.event == i; });
      }
      previous_[i] = now;
    }
  }

  // The assignments' values of event i now, into a buffer of this instant.
  std::size_t snapshot(std::size_t i, double t) {
    const CompiledEvent& e = sys_.events()[i];
    const std::size_t b = buffers_used_++;
    if (buffers_.size() <= b) {
      buffers_.emplace_back();
      replay_buffers_.emplace_back();
    }
    buffers_[b].resize(e.targets.size());
    replay_buffers_[b].resize(e.targets.size());
    e.assignments.run(ws_.values.data(), buffers_[b].data(), t, ws_.stack.data(), nullptr);
    steps_taken_.push_back({EventStep::Kind::Values, i, b});
    return b;
  }

  // This instant's executions replayed from event_y_ (the state before them, moved) with the
  // tracked values moved by dp along parameter j, at time t: the state after them into y_out,
  // the tracked values into tracked_out.
  void replay(double t, std::size_t j, double dp, double* y_out, double* tracked_out) {
    load_scratch(t, event_y_.data(), j, dp);
    for (const EventStep& step : steps_taken_) {
      const CompiledEvent& e = sys_.events()[step.event];
      double* buffer = replay_buffers_[step.buffer].data();
      if (step.kind == EventStep::Kind::Values) {
        e.assignments.run(scratch_.values.data(), buffer, t, scratch_.stack.data(), nullptr);
      } else {
        sys_.apply_event(e, buffer, scratch_);
        sys_.gather_state(scratch_, y_out);
        sys_.update_all(t, y_out, scratch_);
      }
    }
    sys_.gather_state(scratch_, y_out);
    for (std::size_t k = 0; k < tracked_.size(); ++k) tracked_out[k] = scratch_.values[tracked_[k]];
  }

  const CompiledSystem& sys_;
  const StopFlag* stop_ = nullptr;  // SimulationOptions::stop
  unsigned calls_ = 0;              // derivatives() calls, to read stop_ every 64th
  int stopped_ = 0;                 // the signal, once a stop was seen
  std::size_t n_, np_;
  Workspace ws_;
  Workspace scratch_;  // event instants: evaluations before the events and replays
  std::vector<double> y0_, s0_, y_, s_;
  std::vector<double> values_, steps_;
  // Non-state values that move with the parameters: slots, present values, d/dp_j (row j).
  std::vector<std::uint32_t> tracked_;
  std::vector<double> tracked_base_, tracked_derivative_;
  std::vector<bool> moves_;  // per parameter: it moves some tracked value
  std::vector<bool> moves_locators_;  // per parameter: it moves some switch's locator
  std::vector<bool> tracked_in_locators_;  // per tracked value: some locator reads it
  std::vector<std::vector<std::size_t>> assigned_tracked_;  // per event: the tracked values it assigns
  const SparsePattern* pattern_ = nullptr;
  std::vector<double> jacobian_, cached_y_, f_plus_, f_minus_, increment_floor_;
  double cached_t_ = 0.0;
  bool cache_valid_ = false;
  bool analytic_ = true;
  double t_ = 0.0;
  std::optional<CvodeIntegrator> cvode_;
  // Events.
  std::vector<bool> previous_;  // each trigger's value at the last check
  std::vector<Pending> pending_;
  std::vector<EventStep> steps_taken_;
  std::vector<std::vector<double>> buffers_, replay_buffers_;
  std::size_t buffers_used_ = 0;
  std::vector<double> values_before_, y_before_, s_before_, event_f_minus_, event_f_plus_, event_y_, event_y2_;
  std::vector<double> replay_plus_, replay_minus_, tracked_plus_, tracked_minus_;
  std::vector<double> locators_, locators_plus_, locators_minus_, locator_rate_, numerators_, dtau_;
  std::vector<std::size_t> crossing_;
};

}  // namespace
}  // namespace detail

namespace {

// The run behind both entry points: `times` ascending, from 0 on.
TimeCourseSensitivities run_sensitivities(const Model& model, const std::vector<std::string>& wrt,
                                          const std::vector<double>& times, const SimulationOptions& options,
                                          const std::vector<OutputSpec>& outputs) {
  using namespace detail;
  const auto started = std::chrono::steady_clock::now();
  if (wrt.empty()) throw Error(ErrorKind::Usage, "sensitivities: no parameter given (--wrt)");
  const CompiledSystem& sys = ModelAccess::system(model);
  ModelAccess::require_defined(model);
  if (!ModelAccess::plugins(model).empty())
    throw Error(ErrorKind::Unsupported, "time-course sensitivities unsupported with plugins attached");
  std::vector<std::uint32_t> parameters;
  for (const std::string& id : wrt) {
    const std::uint32_t s = ModelAccess::symbol(model, id);
    const SymbolKind kind = sys.ir().symbols[s].kind;
    if (kind == SymbolKind::Reaction || kind == SymbolKind::SpeciesReference || sys.has_assignment_rule(s))
      throw Error(ErrorKind::Usage,
                  "sensitivities: '" + id + "' is not a parameter (" +
                      (sys.has_assignment_rule(s) ? std::string("an assignment rule sets it")
                                                  : kind == SymbolKind::Reaction ? "a reaction" : "a species reference") +
                      "); --wrt takes parameters, compartments, species (their initial values) and local parameters");
    if (std::find(parameters.begin(), parameters.end(), s) != parameters.end())
      throw Error(ErrorKind::Usage, "sensitivities: '" + id + "' is given twice");
    parameters.push_back(s);
  }
  refuse_unsupported(sys);
  auto [columns, reads] = ModelAccess::outputs(model, outputs);
  for (const OutputRead& r : reads)
    if (r.from != OutputRead::From::Model)
      throw Error(ErrorKind::Unsupported, "time-course sensitivities unsupported for plugin outputs");

  TimeCourseSensitivities result;
  result.outputs = columns;
  result.parameters = wrt;
  SensitivityRun run(sys, ModelAccess::overrides(model), parameters, options);
  result.parameter_values = run.parameter_values();
  for (const double t : times) {
    run.advance_to(t);
    result.times.push_back(t);
    run.read(reads, result.values, result.sensitivities);
  }
  result.stats = run.stats();
  result.stats.integration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace

TimeCourseSensitivities time_course_sensitivities(const Model& model, const std::vector<std::string>& wrt,
                                                  const SimulationOptions& options,
                                                  const std::vector<OutputSpec>& outputs) {
  if (wrt.empty()) throw Error(ErrorKind::Usage, "sensitivities: no parameter given (--wrt)");
  if (options.steps < 1) throw Error(ErrorKind::Usage, "the number of steps must be at least 1");
  if (!(options.end > options.start)) throw Error(ErrorKind::Usage, "the end time must be after the start time");
  std::vector<double> times;
  for (int k = 0; k <= options.steps; ++k)
    times.push_back(k == options.steps ? options.end
                                       : options.start + (options.end - options.start) * k / options.steps);
  return run_sensitivities(model, wrt, times, options, outputs);
}

TimeCourseSensitivities time_course_sensitivities_at(const Model& model, const std::vector<std::string>& wrt,
                                                     const std::vector<double>& times, const SimulationOptions& options,
                                                     const std::vector<OutputSpec>& outputs) {
  if (times.empty()) throw Error(ErrorKind::Usage, "sensitivities: no output time given");
  for (std::size_t k = 0; k < times.size(); ++k)
    if (!std::isfinite(times[k]) || times[k] < 0.0 || (k > 0 && !(times[k] > times[k - 1])))
      throw Error(ErrorKind::Usage, "sensitivities: output times must be finite, ascending and at least 0 (time " +
                                        std::to_string(times[k]) + ")");
  return run_sensitivities(model, wrt, times, options, outputs);
}

}  // namespace axisim
