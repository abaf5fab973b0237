// Natural-parameter continuation of steady states (scan_steady_state, axisim/steady_state.hpp).
#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/dense_algebra.hpp"
#include "analysis/steady_solver.hpp"
#include "axisim/error.hpp"
#include "axisim/steady_state.hpp"
#include "model_access.hpp"

namespace axisim {
namespace {

using detail::Solution;
using detail::SteadySolver;

// Steps are halved down to this fraction of the grid spacing before a fold is declared.
constexpr double kMinStepFraction = 1e-6;

// The real eigenvalue nearest zero (the one a fold or a branch point sends through zero), NaN
// when there is none or the system is too large for eigenvalues.
double critical_eigenvalue(SteadySolver& solver, const std::vector<double>& y) {
  const std::size_t n = solver.system().size();
  if (n == 0 || n > solver.options().max_eigenvalue_states) return std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> J = solver.reduced_jacobian(y);
  double best = std::numeric_limits<double>::quiet_NaN();
  for (const auto& ev : detail::eigenvalues(n, J.data()))
    if (std::fabs(ev.imag()) <= 1e-12 * std::abs(ev) && (std::isnan(best) || std::fabs(ev.real()) < std::fabs(best)))
      best = ev.real();
  return best;
}

}  // namespace

SteadyStateScan scan_steady_state(const Model& model, std::string_view parameter, double lo, double hi, int points,
                                  const SteadyStateOptions& options, const std::vector<OutputSpec>& outputs) {
  if (points < 2) throw Error(ErrorKind::Usage, "a scan needs at least 2 points");
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo == hi)
    throw Error(ErrorKind::Usage, "a scan needs two different finite bounds");
  const std::uint32_t symbol = detail::ModelAccess::symbol(model, parameter);
  {
    // The same checks as Model::set_value: a copy takes the value or says why not.
    Model probe = model;
    probe.set_value(parameter, lo);
  }
  const auto [columns, reads] = detail::ModelAccess::outputs(model, outputs);
  SteadySolver solver(model, options, "steady-state scan");
  auto at = [&](double p, bool keep_layout) {
    solver.set_point({detail::InitialOverride{symbol, p, Quantity::Default}}, keep_layout);
  };

  SteadyStateScan scan;
  scan.parameter = std::string(parameter);
  for (int i = 0; i < points; ++i) scan.parameter_values.push_back(lo + (hi - lo) * i / (points - 1));

  // The branch followed: the last solution and the one before it (for the secant predictor).
  double p_c = scan.parameter_values[0], p_prev = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> y_c, y_prev;
  at(p_c, false);
  Solution first;
  try {
    first = solver.solve();
  } catch (const Error& e) {
    throw Error(e.kind(), std::string(parameter) + " = " + std::to_string(p_c) + ": " + e.what());
  }
  y_c = first.y;
  scan.states.push_back(solver.describe(first, columns, reads));
  scan.notes.emplace_back();
  double mu_before = critical_eigenvalue(solver, y_c);

  for (int i = 1; i < points; ++i) {
    const double target = scan.parameter_values[static_cast<std::size_t>(i)];
    const double spacing = target - p_c;
    double step = spacing;
    int iterations_total = 0;
    std::string note;
    while (p_c != target) {
      const double p_t = std::fabs(step) >= std::fabs(target - p_c) ? target : p_c + step;
      at(p_t, true);
      std::vector<double> y = y_c;
      int iterations = 0;
      if (!y_prev.empty() && p_c != p_prev)
        for (std::size_t k = 0; k < y.size(); ++k) y[k] = y_c[k] + (y_c[k] - y_prev[k]) * (p_t - p_c) / (p_c - p_prev);
      auto outcome = solver.newton_from(y, iterations);
      iterations_total += iterations;
      if (outcome != SteadySolver::Continued::Converged && !y_prev.empty()) {
        y = y_c;  // the predictor overshot: start from the last solution itself
        outcome = solver.newton_from(y, iterations);
        iterations_total += iterations;
      }
      if (outcome == SteadySolver::Continued::Converged) {
        p_prev = p_c;
        y_prev = std::move(y_c);
        p_c = p_t;
        y_c = std::move(y);
        step *= 2.0;  // grow back after halvings
        if (std::fabs(step) > std::fabs(spacing)) step = spacing;
        continue;
      }
      step *= 0.5;
      if (std::fabs(step) >= kMinStepFraction * std::fabs(spacing)) continue;

      // The branch ends between p_c and p_t. At a saddle-node the critical eigenvalue goes as
      // sqrt(p_fold - p): extrapolate its square linearly from the last two points on the branch.
      Fold fold;
      fold.lower = p_c;
      fold.upper = p_t;
      fold.parameter = p_c;
      fold.kind = outcome == SteadySolver::Continued::Negative || outcome == SteadySolver::Continued::OutOfRange
                      ? "boundary"
                      : "turning point";
      if (!y_prev.empty() && fold.kind == "turning point") {
        at(p_c, true);
        const double mu_c = critical_eigenvalue(solver, y_c);
        at(p_prev, true);
        const double mu_p = critical_eigenvalue(solver, y_prev);
        if (std::isfinite(mu_c) && std::isfinite(mu_p) && mu_p * mu_p > mu_c * mu_c) {
          const double est = p_c + (p_c - p_prev) * mu_c * mu_c / (mu_p * mu_p - mu_c * mu_c);
          fold.parameter = std::clamp(est, std::min(p_c, p_t), std::max(p_c, p_t));
        }
      }
      scan.folds.push_back(fold);
      // Another branch, if any: solved afresh at the grid value.
      at(target, false);
      Solution fresh;
      try {
        fresh = solver.solve();
      } catch (const Error& e) {
        throw Error(e.kind(), std::string(parameter) + " = " + std::to_string(target) + " (after the branch ended near " +
                                  std::to_string(fold.parameter) + "): " + e.what());
      }
      p_c = target;
      y_c = fresh.y;
      y_prev.clear();
      p_prev = std::numeric_limits<double>::quiet_NaN();
      note = "jump";
    }
    at(target, true);
    Solution here{y_c, note.empty() ? "continuation" : "jump", iterations_total, 0.0, {}};
    SteadyState st = solver.describe(here, columns, reads);
    // A real eigenvalue through zero between two points of the same branch: located by linear
    // interpolation of the real eigenvalue nearest zero on either side.
    const double mu = critical_eigenvalue(solver, y_c);
    const SteadyState& before = scan.states.back();
    if (note.empty() && before.determinant_sign * st.determinant_sign < 0) {
      Fold fold;
      fold.kind = "zero eigenvalue";
      fold.lower = scan.parameter_values[static_cast<std::size_t>(i - 1)];
      fold.upper = target;
      fold.parameter = 0.5 * (fold.lower + fold.upper);
      if (std::isfinite(mu) && std::isfinite(mu_before) && mu * mu_before < 0)
        fold.parameter = fold.lower + (fold.upper - fold.lower) * mu_before / (mu_before - mu);
      scan.folds.push_back(fold);
    }
    mu_before = mu;
    scan.states.push_back(std::move(st));
    scan.notes.push_back(note);
  }
  return scan;
}

}  // namespace axisim
