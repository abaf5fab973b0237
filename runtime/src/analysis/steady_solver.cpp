#include "analysis/steady_solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/dense_algebra.hpp"
#include "analysis/integration.hpp"
#include "analysis/refusals.hpp"
#include "axisim/error.hpp"
#include "model_access.hpp"

namespace axisim::detail {
namespace {

// An eigenvalue whose real part is below this times |J_R| (infinity norm) counts as zero.
constexpr double kZeroEigenvalue = 1e-9;
// Integration: the Newton-polished point must lie this close (relative) to where the run is.
constexpr double kPolishDistance = 1e-2;
// Integration without a polish (singular Jacobian): over another horizon as long as the whole
// run so far, no state may move by more than this (relative) at its present rate.
constexpr double kSettledChange = 1e-6;

void check_options(const SteadyStateOptions& o) {
  auto bad = [](const std::string& what) { throw Error(ErrorKind::Usage, what); };
  if (!(o.rtol > 0) || !(o.atol > 0)) bad("steady-state tolerances must be positive");
  if (o.max_iterations <= 0) bad("the number of Newton iterations must be positive");
  if (!(o.max_integration_time > 0)) bad("the integration time limit must be positive");
  if (!std::isfinite(o.time)) bad("the time at which to evaluate the model must be finite");
}

// 'name' (appended, not "'" + name: GCC 12 warns falsely about that concatenation, -Wrestrict).
std::string quoted(const std::string& name) {
  std::string q;
  q.reserve(name.size() + 2);
  q += '\'';
  q += name;
  q += '\'';
  return q;
}

}  // namespace

std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

SteadySolver::SteadySolver(const Model& model, const SteadyStateOptions& options, const std::string& what)
    : options_(options),
      base_(ModelAccess::overrides(model)),
      rs_(ModelAccess::system(model), ModelAccess::plugins(model), options.time, options.atol) {
  check_options(options_);
  ModelAccess::require_defined(model);
  refuse_unsteady_features(ModelAccess::system(model), what);
  // A plugin's root functions mark jumps of its states, as events do for the model's.
  for (const auto& p : ModelAccess::plugins(model))
    if (p->plugin.num_roots() > 0)
      throw Error(ErrorKind::Unsupported, what + " unsupported: plugin '" + p->plugin.name() + "' has " +
                                              std::to_string(p->plugin.num_roots()) +
                                              " root function(s), whose on_root changes its states at discrete "
                                              "times (as events do): dy/dt = 0 is not where such a system settles");
  time_reader_ = reads_time(ModelAccess::system(model));
}

NewtonSettings SteadySolver::newton_settings() const {
  return NewtonSettings{options_.rtol, options_.atol, options_.max_iterations, options_.stop};
}

bool SteadySolver::set_point(const std::vector<InitialOverride>& extra, bool keep_layout) {
  std::vector<InitialOverride> all;
  for (const InitialOverride& o : base_)
    if (std::none_of(extra.begin(), extra.end(), [&](const InitialOverride& e) { return e.symbol == o.symbol; }))
      all.push_back(o);
  all.insert(all.end(), extra.begin(), extra.end());
  return rs_.set_point(all, keep_layout);
}

std::string SteadySolver::negative_state(const std::vector<double>& y) const {
  for (std::size_t s = 0; s < y.size(); ++s)
    if (rs_.nonnegative(s) && y[s] < -rs_.negative_tolerance(s, y.data()))
      return quoted(rs_.state_name(s)) + " = " + short_number(y[s]);
  return {};
}

std::string SteadySolver::unsettled_held(const std::vector<double>& y) {
  if (rs_.held().empty()) return {};
  const std::size_t n = rs_.size(), full = rs_.full_size();
  std::vector<double> f(full), fp(full), yp(y), x(n);
  if (!rs_.derivatives(y.data(), f.data())) return "the right-hand side is not finite at the solution";
  rs_.restrict_to_unknowns(y.data(), x.data());
  // What the unknowns' tolerance allows a held state's derivative to be: sum_k |df/dx_k| tol_k.
  std::vector<double> allowed(full, 0.0);
  const double step = std::sqrt(std::numeric_limits<double>::epsilon());
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t s = rs_.unknowns()[k];
    const double tol = options_.rtol * std::fabs(x[k]) + options_.atol * rs_.atol_scale(s);
    const double h = step * std::max(std::fabs(x[k]), 1e3 * options_.atol * rs_.atol_scale(s));
    x[k] += h;
    rs_.expand(x.data(), yp.data());
    x[k] -= h;
    if (!rs_.derivatives(yp.data(), fp.data())) continue;
    for (std::size_t s2 : rs_.held()) allowed[s2] += std::fabs((fp[s2] - f[s2]) / h) * tol;
  }
  for (std::size_t s : rs_.held())
    if (std::fabs(f[s]) > 10.0 * allowed[s] + 1e-300)
      return "a point where " + quoted(rs_.state_name(s)) + " still changes at rate " + short_number(f[s]) +
             ", and nothing in the model depends on it (it has no steady state)";
  return {};
}

std::string SteadySolver::unacceptable(const std::vector<double>& y, std::vector<std::string>& warnings) {
  if (const std::string neg = negative_state(y); !neg.empty()) {
    if (!options_.allow_negative) return "a negative value, " + neg;
    warnings.push_back("negative value at the steady state: " + neg);
  }
  // A plugin's declared range is what its equations mean; a solution outside one is not the
  // plugin's steady state (another method may still find one inside).
  if (std::string out = rs_.range_violation(y.data()); !out.empty()) return "a point where " + out;
  return unsettled_held(y);
}

SteadySolver::Continued SteadySolver::newton_from(std::vector<double>& y, int& iterations) {
  std::vector<double> x(rs_.size());
  rs_.restrict_to_unknowns(y.data(), x.data());
  const SolveOutcome out = newton(rs_, x, newton_settings());
  iterations = out.iterations;
  if (!out.converged) return Continued::Failed;
  std::vector<double> yn(rs_.full_size());
  rs_.expand(x.data(), yn.data());
  if (!options_.allow_negative && !negative_state(yn).empty()) return Continued::Negative;
  if (!rs_.range_violation(yn.data()).empty()) return Continued::OutOfRange;
  if (!unsettled_held(yn).empty()) return Continued::Failed;
  y = std::move(yn);
  return Continued::Converged;
}

std::vector<double> SteadySolver::read_outputs(const std::vector<double>& y, const std::vector<OutputRead>& reads) {
  const Workspace& ws = rs_.complete(y.data());
  std::vector<double> values;
  for (const OutputRead& r : reads) {
    switch (r.from) {
      case OutputRead::From::Model: values.push_back(rs_.system().read(ws, r.symbol, r.quantity)); break;
      case OutputRead::From::PluginState: {
        std::size_t offset = rs_.model_states();
        for (std::size_t p = 0; p < r.plugin; ++p) offset += rs_.plugins()[p]->initial_states.size();
        values.push_back(y[offset + r.index]);
        break;
      }
      case OutputRead::From::PluginOutput: values.push_back(rs_.plugin_output(r.plugin, r.index)); break;
    }
  }
  return values;
}

std::vector<double> SteadySolver::reduced_jacobian(const std::vector<double>& y) {
  const std::size_t n = rs_.size();
  std::vector<double> x(n), r(n), J(n * n);
  rs_.restrict_to_unknowns(y.data(), x.data());
  if (!rs_.residual(x.data(), r.data()) || !rs_.jacobian(x.data(), r.data(), J.data()))
    throw Error(ErrorKind::Solver, "the Jacobian is not finite at the steady state");
  return J;
}

bool SteadySolver::integrate(Solution& out, std::string& failure) {
  if (!time_reader_.empty()) {
    failure = "not used: " + time_reader_ + " reads time, so a run does not follow the system frozen at t = " +
              short_number(options_.time);
    return false;
  }
  std::vector<double> y = rs_.initial_state();
  double total = 0.0;
  const std::size_t n = rs_.size();
  std::vector<double> x(n), xs(n), yp(rs_.full_size()), f(rs_.full_size());
  std::string rejected;  // why the last point the run settled near was not accepted
  for (double horizon = 1.0; total < options_.max_integration_time; horizon *= 10.0) {
    horizon = std::min(horizon, options_.max_integration_time - total);
    try {
      y = integrate_from(rs_, y, horizon, options_.atol, nullptr, options_.stop);
    } catch (const Error& e) {
      // A plugin's fault (a range left on the way) stops the analysis, said to be this run's.
      if (e.kind() == ErrorKind::Plugin)
        throw Error(ErrorKind::Plugin, "integrating towards the steady state (a stretch of " + short_number(horizon) +
                                           " time units after " + short_number(total) + ", its times from 0): " + e.what());
      if (e.kind() != ErrorKind::Solver) throw;
      failure = std::string("the run failed after t = ") + short_number(total) + ": " + e.what();
      return false;
    }
    total += horizon;
    rs_.take_held_values(y.data());
    rs_.restrict_to_unknowns(y.data(), x.data());
    xs = x;
    NewtonSettings ns = newton_settings();
    ns.max_iterations = std::min(ns.max_iterations, 30);
    const SolveOutcome polished = newton(rs_, xs, ns);
    if (polished.converged) {
      rs_.expand(xs.data(), yp.data());
      bool close = true;
      for (std::size_t s = 0; s < y.size() && close; ++s)
        close = std::fabs(yp[s] - y[s]) <=
                kPolishDistance * std::max(std::fabs(y[s]), std::fabs(yp[s])) + 1e3 * options_.atol * rs_.atol_scale(s);
      std::vector<std::string> warnings;
      const std::string why = close ? unacceptable(yp, warnings) : std::string();
      if (!why.empty()) rejected = why;
      if (close && why.empty()) {
        // A run does not settle on an unstable point; passing near one, it only lingers.
        bool unstable = false;
        if (n <= options_.max_eigenvalue_states) {
          const std::vector<double> J = reduced_jacobian(yp);
          const double zero = kZeroEigenvalue * inf_norm(n, J);
          for (const auto& ev : eigenvalues(n, J.data())) unstable = unstable || ev.real() > zero;
        }
        if (unstable) rejected = "an unstable steady state";
        if (!unstable) {
          out.y = yp;
          out.method = "integration";
          out.iterations = polished.iterations;
          out.time_integrated = total;
          out.warnings = warnings;
          return true;
        }
      }
    } else if (rs_.derivatives(y.data(), f.data())) {
      bool settled = true;
      for (std::size_t s = 0; s < y.size() && settled; ++s)
        settled = std::fabs(f[s]) * total <= kSettledChange * std::fabs(y[s]) + 1e3 * options_.atol * rs_.atol_scale(s);
      std::vector<std::string> warnings;
      if (settled && unacceptable(y, warnings).empty()) {
        out.y = y;
        out.method = "integration";
        out.time_integrated = total;
        out.warnings = warnings;
        out.warnings.push_back("not polished by Newton's method (" + polished.failure +
                               "); the state moves by less than 1e-6 of itself over another " + short_number(total) +
                               " time units");
        return true;
      }
    }
  }
  failure = "no steady state within t = " + short_number(total);
  if (!rejected.empty()) failure += " (near where the run settled, Newton's method found " + rejected + ")";
  return false;
}

Solution SteadySolver::solve() {
  using M = SteadyStateMethod;
  std::vector<M> methods;
  if (options_.method == M::Auto) methods = {M::Newton, M::PseudoTransient, M::Integration};
  else methods = {options_.method};
  std::vector<double> x0(rs_.size());
  rs_.restrict_to_unknowns(rs_.initial_state().data(), x0.data());
  rs_.hold_free_states(x0);
  std::string attempts;
  for (M m : methods) {
    Solution s;
    std::string failure;
    if (m == M::Integration) {
      if (integrate(s, failure)) return s;
    } else {
      std::vector<double> x = x0;
      const SolveOutcome out = m == M::Newton ? newton(rs_, x, newton_settings()) : pseudo_transient(rs_, x, newton_settings());
      if (out.converged) {
        s.y.resize(rs_.full_size());
        rs_.expand(x.data(), s.y.data());
        const std::string why = unacceptable(s.y, s.warnings);
        if (!why.empty()) failure = "converged to " + why;
        if (why.empty()) {
          s.method = steady_state_method_name(m);
          s.iterations = out.iterations;
          return s;
        }
      } else {
        failure = out.failure;
      }
    }
    attempts += std::string(attempts.empty() ? "" : "; ") + steady_state_method_name(m) + ": " + failure;
  }
  throw Error(ErrorKind::Solver, "no steady state found (" + attempts + ")");
}

SteadyState SteadySolver::describe(const Solution& sol, const std::vector<std::string>& columns,
                                   const std::vector<OutputRead>& reads) {
  SteadyState st;
  st.method = sol.method;
  st.iterations = sol.iterations;
  st.time_integrated = sol.time_integrated;
  st.warnings = sol.warnings;
  std::vector<double> f(rs_.full_size());
  if (!rs_.derivatives(sol.y.data(), f.data())) throw Error(ErrorKind::Solver, "the right-hand side is not finite at the steady state");
  for (double v : f) st.residual = std::max(st.residual, std::fabs(v));

  const std::size_t n = rs_.size();
  st.reduced_states = n;
  st.conservation_laws = rs_.conservation().dependent.size();
  if (n == 0) {
    st.stability = Stability::Stable;
    st.determinant_sign = 1;
  } else {
    const std::vector<double> J = reduced_jacobian(sol.y);
    DenseLu lu(n);
    st.determinant_sign = lu.factor(J.data()) ? lu.determinant_sign() : 0;
    if (n <= options_.max_eigenvalue_states) {
      st.eigenvalues = eigenvalues(n, J.data());
      const double zero = kZeroEigenvalue * inf_norm(n, J);
      st.max_real_eigenvalue = -std::numeric_limits<double>::infinity();
      bool any_zero = false, any_positive = false;
      for (const auto& ev : st.eigenvalues) {
        st.max_real_eigenvalue = std::max(st.max_real_eigenvalue, ev.real());
        if (ev.real() > zero) any_positive = true;
        else if (ev.real() >= -zero) any_zero = true;
      }
      st.stability = any_positive ? Stability::Unstable : any_zero ? Stability::Marginal : Stability::Stable;
      if (st.eigenvalues.empty()) st.stability = Stability::Unknown;
    } else {
      st.max_real_eigenvalue = std::numeric_limits<double>::quiet_NaN();
      st.warnings.push_back("eigenvalues not computed: " + std::to_string(n) + " reduced states (more than " +
                            std::to_string(options_.max_eigenvalue_states) + ")");
    }
  }
  for (std::size_t s : rs_.held())
    st.warnings.push_back(quoted(rs_.state_name(s)) + " is held at " + short_number(sol.y[s]) +
                          ": nothing depends on it, so any value of it is steady");
  if (!time_reader_.empty())
    st.warnings.push_back(time_reader_ + " reads time: it is evaluated at t = " + short_number(options_.time));

  st.ids = columns;
  st.values = read_outputs(sol.y, reads);
  return st;
}

}  // namespace axisim::detail
