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
#include <unordered_map>

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
constexpr std::size_t kSparseMinStates = 20;
constexpr double kSparseMaxDensity = 0.3;

// The central-difference step for a parameter of value p.
double step_for(double p) { return p != 0.0 ? 1e-5 * std::fabs(p) : 1e-7; }

// Which symbols' values change with the state (rather than with time and constants only).
class StateDependence {
 public:
  explicit StateDependence(const CompiledSystem& sys) : sys_(sys), memo_(sys.ir().symbols.size(), -1) {
    const ModelIR& ir = sys.ir();
    is_state_.assign(ir.symbols.size(), false);
    for (std::size_t k = 0; k < sys.num_states(); ++k) is_state_[sys.state_slot(k)] = true;
    for (const Rule& r : ir.assignment_rules) definition_[r.variable] = &r.math;
    for (const Reaction& rx : ir.reactions) definition_[rx.symbol] = &rx.rate;
  }
  bool is_state(std::uint32_t s) const { return is_state_[s]; }

  bool reads_state(const Expr& e) {
    switch (e.op) {
      case Op::RateOf: case Op::Delay: return true;
      case Op::Symbol: return symbol_reads_state(e.symbol);
      default: break;
    }
    for (const Expr& a : e.args)
      if (reads_state(a)) return true;
    return false;
  }

  // The first switch (relational operator, floor, ceiling, rem, quotient) in e that reads the state.
  bool has_state_switch(const Expr& e) {
    switch (e.op) {
      case Op::Eq: case Op::Neq: case Op::Gt: case Op::Lt: case Op::Geq: case Op::Leq:
      case Op::Floor: case Op::Ceiling: case Op::Rem: case Op::Quotient:
        if (reads_state(e)) return true;
        break;
      default: break;
    }
    for (const Expr& a : e.args)
      if (has_state_switch(a)) return true;
    return false;
  }

 private:
  bool symbol_reads_state(std::uint32_t s) {
    if (memo_[s] >= 0) return memo_[s] != 0;
    memo_[s] = 0;  // a cycle is refused by the compiler; this only stops the recursion
    const Symbol& sym = sys_.ir().symbols[s];
    bool r = is_state_[s];
    if (!r && sym.kind == SymbolKind::Species) r = symbol_reads_state(sym.compartment);  // amount / a changing size
    if (!r)
      if (auto it = definition_.find(s); it != definition_.end()) r = reads_state(*it->second);
    memo_[s] = r ? 1 : 0;
    return r;
  }

  const CompiledSystem& sys_;
  std::vector<bool> is_state_;
  std::vector<std::int8_t> memo_;
  std::unordered_map<std::uint32_t, const Expr*> definition_;
};

// Events, delay, algebraic rules, fast reactions and state-dependent switches, named.
void refuse_unsupported(const CompiledSystem& sys) {
  const ModelIR& ir = sys.ir();
  const std::string what = "time-course sensitivities unsupported: ";
  if (!ir.events.empty())
    throw Error(ErrorKind::Unsupported,
                what + "event '" + ir.events.front().id + "'" +
                    (ir.events.size() > 1 ? " (and " + std::to_string(ir.events.size() - 1) + " more)" : "") +
                    " changes the state at discrete times, where the sensitivities jump (not implemented); remove "
                    "the events or use finite differences of simulate");
  auto describe = [&](auto&& has) -> std::string {
    for (const Reaction& rx : ir.reactions)
      if (has(rx.rate)) return "reaction '" + ir.symbols[rx.symbol].id + "'";
    for (const Rule& r : ir.assignment_rules)
      if (has(r.math)) return "the assignment rule for '" + ir.symbols[r.variable].id + "'";
    for (const Rule& r : ir.rate_rules)
      if (has(r.math)) return "the rate rule for '" + ir.symbols[r.variable].id + "'";
    for (const Rule& r : ir.initial_assignments)
      if (has(r.math)) return "the initial assignment to '" + ir.symbols[r.variable].id + "'";
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
  StateDependence dep(sys);
  std::string sw;
  for (const Reaction& rx : ir.reactions)
    if (sw.empty() && dep.has_state_switch(rx.rate)) sw = "reaction '" + ir.symbols[rx.symbol].id + "'";
  for (const Rule& r : ir.assignment_rules)
    if (sw.empty() && dep.has_state_switch(r.math)) sw = "the assignment rule for '" + ir.symbols[r.variable].id + "'";
  for (const Rule& r : ir.rate_rules)
    if (sw.empty() && dep.has_state_switch(r.math)) sw = "the rate rule for '" + ir.symbols[r.variable].id + "'";
  if (!sw.empty())
    throw Error(ErrorKind::Unsupported,
                what + sw + " switches (a relational operator, piecewise condition, floor, ceiling, rem or "
                            "quotient) on a value that depends on the state; the sensitivities jump where it "
                            "switches (not implemented). Switches on time alone are supported");
  if (sys.num_states() > 0 && sys.jacobian() == nullptr)
    throw Error(ErrorKind::Unsupported, what + "the model has no compiled Jacobian");
}

// A constant value slot that moves with a parameter: its nominal value and d(value)/dp.
struct ConstantSlot {
  std::uint32_t slot;
  double base, derivative;
};

class SensitivityRun final : public OdeSystem, public SensitivitySystem {
 public:
  SensitivityRun(const CompiledSystem& sys, const std::vector<InitialOverride>& overrides,
                 const std::vector<std::uint32_t>& parameters, const SimulationOptions& options)
      : sys_(sys), n_(sys.num_states()), np_(parameters.size()), ws_(sys.make_workspace()) {
    const std::size_t nsym = sys.ir().symbols.size();
    StateDependence dep(sys);
    sys_.initialize(ws_, overrides);
    y0_.assign(n_, 0.0);
    sys_.gather_state(ws_, y0_.data());
    const std::vector<double> nominal(ws_.values.begin(), ws_.values.begin() + static_cast<std::ptrdiff_t>(nsym));
    const std::vector<double> tolerance_scale = sys_.tolerance_scale(ws_);
    s0_.assign(np_ * n_, 0.0);
    constants_.resize(np_);
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
        if (dep.is_state(s) || sys_.has_assignment_rule(s) || sys.ir().symbols[s].kind == SymbolKind::Reaction) continue;
        const double d = (v_plus[s] - v_minus[s]) / (2 * h);
        if (d != 0.0 && std::isfinite(d)) constants_[j].push_back({s, nominal[s], d});
      }
    }
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
    cvode_->reset(0.0, y0_.data(), s0_.data());
    y_ = y0_;
    s_ = s0_;
  }

  const std::vector<double>& parameter_values() const { return values_; }

  // OdeSystem
  std::size_t size() const override { return n_; }
  int derivatives(double t, const double* y, double* ydot) override {
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
  // many times) plus df/dp_j by a central difference of the constants p_j moves.
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
      if (constants_[j].empty()) continue;
      const double h = steps_[j];
      move_constants(j, h);
      const bool ok_plus = sys_.derivatives(t, y, f_plus_.data(), ws_);
      move_constants(j, -h);
      const bool ok_minus = sys_.derivatives(t, y, f_minus_.data(), ws_);
      move_constants(j, 0.0);
      if (!ok_plus || !ok_minus) return 1;
      for (std::size_t k = 0; k < n_; ++k) out[k] += (f_plus_[k] - f_minus_[k]) / (2 * h);
    }
    return 0;
  }

  // Advances to tout, restarting (states and sensitivities) at every discontinuity of time.
  void advance_to(double tout) {
    long roots = 0;
    while (cvode_ && t_ < tout) {
      const bool root = cvode_->advance(tout, false);
      t_ = root ? cvode_->time() : tout;
      std::copy_n(cvode_->state(), n_, y_.begin());
      const double* s = cvode_->sensitivities();
      std::copy_n(s, np_ * n_, s_.begin());
      if (root) {
        cvode_->reset(t_, y_.data(), s_.data());
        if (++roots > kMaxRootsPerInterval)
          throw Error(ErrorKind::Solver, "solver failure at t = " + std::to_string(t_) +
                                             ": the model switches more than " + std::to_string(kMaxRootsPerInterval) +
                                             " times before t = " + std::to_string(tout));
      }
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
    for (std::size_t j = 0; j < np_; ++j) {
      const double h = steps_[j];
      for (int side = 0; side < 2; ++side) {
        const double dh = side == 0 ? h : -h;
        for (std::size_t k = 0; k < n_; ++k) y[k] = y_[k] + dh * s_[j * n_ + k];
        move_constants(j, dh);
        sys_.update_all(t_, y.data(), ws_);
        for (std::size_t i = 0; i < reads.size(); ++i)
          (side == 0 ? plus : minus)[i] = sys_.read(ws_, reads[i].symbol, reads[i].quantity);
      }
      move_constants(j, 0.0);
      for (std::size_t i = 0; i < reads.size(); ++i) sens[first + i * np_ + j] = (plus[i] - minus[i]) / (2 * h);
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
  // The constants parameter j decides, at their values for p_j + dp.
  void move_constants(std::size_t j, double dp) {
    for (const ConstantSlot& c : constants_[j]) ws_.values[c.slot] = c.base + dp * c.derivative;
  }

  const CompiledSystem& sys_;
  std::size_t n_, np_;
  Workspace ws_;
  std::vector<double> y0_, s0_, y_, s_;
  std::vector<double> values_, steps_;
  std::vector<std::vector<ConstantSlot>> constants_;
  const SparsePattern* pattern_ = nullptr;
  std::vector<double> jacobian_, cached_y_, f_plus_, f_minus_, increment_floor_;
  double cached_t_ = 0.0;
  bool cache_valid_ = false;
  bool analytic_ = true;
  double t_ = 0.0;
  std::optional<CvodeIntegrator> cvode_;
};

}  // namespace
}  // namespace detail

TimeCourseSensitivities time_course_sensitivities(const Model& model, const std::vector<std::string>& wrt,
                                                  const SimulationOptions& options,
                                                  const std::vector<OutputSpec>& outputs) {
  using namespace detail;
  const auto started = std::chrono::steady_clock::now();
  if (wrt.empty()) throw Error(ErrorKind::Usage, "sensitivities: no parameter given (--wrt)");
  if (options.steps < 1) throw Error(ErrorKind::Usage, "the number of steps must be at least 1");
  if (!(options.end > options.start)) throw Error(ErrorKind::Usage, "the end time must be after the start time");
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
  for (int k = 0; k <= options.steps; ++k) {
    const double t =
        k == options.steps ? options.end : options.start + (options.end - options.start) * k / options.steps;
    run.advance_to(t);
    result.times.push_back(t);
    run.read(reads, result.values, result.sensitivities);
  }
  result.stats = run.stats();
  result.stats.integration_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace axisim
