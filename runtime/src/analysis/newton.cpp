#include "analysis/newton.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "analysis/dense_algebra.hpp"

namespace axisim::detail {
namespace {

constexpr double kArmijo = 1e-4;
constexpr double kMinLambda = 1e-10;
// Shortened steps leave at least this fraction of a non-negative state's value.
constexpr double kKeepFraction = 0.1;

struct Work {
  explicit Work(std::size_t n) : r(n), d(n), w(n), xt(n), rt(n), J(n * n), lu(n) {}
  std::vector<double> r, d, w, xt, rt, J;
  DenseLu lu;
};

void weights(const ReducedSystem& rs, const std::vector<double>& x, const NewtonSettings& s, std::vector<double>& w) {
  for (std::size_t k = 0; k < x.size(); ++k)
    w[k] = 1.0 / (s.rtol * std::fabs(x[k]) + s.atol * rs.atol_scale(rs.unknowns()[k]));
}

double weighted_max(const std::vector<double>& v, const std::vector<double>& w) {
  double m = 0.0;
  for (std::size_t k = 0; k < v.size(); ++k) m = std::max(m, std::fabs(v[k]) * w[k]);
  return m;
}

double merit(const std::vector<double>& r, const std::vector<double>& w) {
  double m = 0.0;
  for (std::size_t k = 0; k < r.size(); ++k) m += (r[k] * w[k]) * (r[k] * w[k]);
  return 0.5 * m;
}

// NewtonSettings::stop: throws Stopped, naming the method and the iteration, when it is set.
void check_stop(const NewtonSettings& s, const char* what, int iteration) {
  if (s.stop)
    if (const int signal = s.stop->load(std::memory_order_relaxed))
      throw Stopped(signal, std::string("steady state stopped on request at ") + what + " " + std::to_string(iteration));
}

}  // namespace

SolveOutcome newton(ReducedSystem& rs, std::vector<double>& x, const NewtonSettings& s) {
  const std::size_t n = rs.size();
  Work w(n);
  SolveOutcome out;
  if (!rs.residual(x.data(), w.r.data())) {
    out.failure = "the right-hand side is not finite at the starting point";
    return out;
  }
  for (int it = 1; it <= s.max_iterations; ++it) {
    check_stop(s, "Newton iteration", it);
    out.iterations = it;
    if (!rs.jacobian(x.data(), w.r.data(), w.J.data())) {
      out.failure = "the Jacobian is not finite at iteration " + std::to_string(it);
      return out;
    }
    if (!w.lu.factor(w.J.data())) {
      out.failure = "the Jacobian is singular at iteration " + std::to_string(it);
      return out;
    }
    for (std::size_t k = 0; k < n; ++k) w.d[k] = -w.r[k];
    if (!w.lu.solve(w.d.data())) {
      out.failure = "the Newton step is not finite at iteration " + std::to_string(it);
      return out;
    }
    weights(rs, x, s, w.w);
    if (weighted_max(w.d, w.w) <= 1.0) {
      // Within tolerance: the last step only improves the solution (quadratic convergence).
      for (std::size_t k = 0; k < n; ++k) w.xt[k] = x[k] + w.d[k];
      if (rs.residual(w.xt.data(), w.rt.data())) x = w.xt;
      out.converged = true;
      return out;
    }
    double lambda = 1.0;
    for (std::size_t k = 0; k < n; ++k)
      if (rs.nonnegative(rs.unknowns()[k]) && x[k] > 0.0 && x[k] + w.d[k] < kKeepFraction * x[k])
        lambda = std::min(lambda, (1.0 - kKeepFraction) * x[k] / -w.d[k]);
    const double phi = merit(w.r, w.w);
    bool accepted = false;
    while (lambda >= kMinLambda) {
      for (std::size_t k = 0; k < n; ++k) w.xt[k] = x[k] + lambda * w.d[k];
      if (rs.residual(w.xt.data(), w.rt.data())) {
        const double phi_t = merit(w.rt, w.w);
        if (phi_t <= (1.0 - 2.0 * kArmijo * lambda) * phi) {
          accepted = true;
          break;
        }
        // The minimum of the quadratic through phi(0), phi'(0) = -2 phi and phi(lambda), kept
        // between a tenth and a half of lambda.
        const double q = phi * lambda * lambda / (phi_t - phi + 2.0 * phi * lambda);
        lambda = std::clamp(q, 0.1 * lambda, 0.5 * lambda);
      } else {
        lambda *= 0.1;
      }
    }
    if (!accepted) {
      out.failure = "the line search found no decrease at iteration " + std::to_string(it) +
                    " (a local minimum of the residual that is not a root, or a singular point)";
      return out;
    }
    x = w.xt;
    w.r = w.rt;
  }
  out.failure = "no convergence in " + std::to_string(s.max_iterations) + " iterations";
  return out;
}

SolveOutcome pseudo_transient(ReducedSystem& rs, std::vector<double>& x, const NewtonSettings& s) {
  const std::size_t n = rs.size();
  Work w(n);
  SolveOutcome out;
  if (!rs.residual(x.data(), w.r.data())) {
    out.failure = "the right-hand side is not finite at the starting point";
    return out;
  }
  if (!rs.jacobian(x.data(), w.r.data(), w.J.data())) {
    out.failure = "the Jacobian is not finite at the starting point";
    return out;
  }
  const double norm_j0 = inf_norm(n, w.J);
  double h = norm_j0 > 0.0 ? 0.01 / norm_j0 : 1.0;
  int last_newton = -1000;
  const int max_steps = 20 * s.max_iterations;
  std::vector<double> A(n * n), xn;
  for (int it = 1; it <= max_steps; ++it) {
    check_stop(s, "pseudo-transient step", it);
    out.iterations = it;
    if (it > 1 && !rs.jacobian(x.data(), w.r.data(), w.J.data())) {
      out.failure = "the Jacobian is not finite at step " + std::to_string(it);
      return out;
    }
    const double norm_j = inf_norm(n, w.J);
    if (h * norm_j > 1e6 && it - last_newton >= 10) {
      last_newton = it;
      xn = x;
      NewtonSettings ns = s;
      ns.max_iterations = std::min(s.max_iterations, 30);
      const SolveOutcome polished = newton(rs, xn, ns);
      if (polished.converged) {
        x = xn;
        out.converged = true;
        out.iterations = it + polished.iterations;
        return out;
      }
    }
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) A[i * n + j] = (i == j ? 1.0 / h : 0.0) - w.J[i * n + j];
    w.d = w.r;
    if (!w.lu.factor(A.data()) || !w.lu.solve(w.d.data())) {
      h *= 0.1;
      if (h < 1e-300) break;
      continue;
    }
    // A species the step would take below a tenth of its value stops there (clipped one by
    // one: shortening the whole step instead lets one species that overshoots stall all the
    // others, and rejecting the step and shrinking h stalls the iteration as a whole).
    for (std::size_t k = 0; k < n; ++k) {
      w.xt[k] = x[k] + w.d[k];
      if (rs.nonnegative(rs.unknowns()[k]) && x[k] >= 0.0 && w.xt[k] < kKeepFraction * x[k]) w.xt[k] = kKeepFraction * x[k];
    }
    if (!rs.residual(w.xt.data(), w.rt.data())) {
      h *= 0.1;
      if (h < 1e-300) break;
      continue;
    }
    weights(rs, x, s, w.w);
    const double before = std::sqrt(merit(w.r, w.w)), after = std::sqrt(merit(w.rt, w.w));
    // Switched evolution relaxation, h times the residual's fall, grows h too slowly where slow
    // modes keep the residual up while fast ones have long settled (a factor 1.01 a step on
    // the generated networks); at least doubling h after every step that lowered the residual
    // reaches Newton's regime in a few dozen steps instead of thousands.
    const double ratio = after > 0.0 ? before / after : 10.0;
    h *= ratio >= 1.0 ? std::clamp(ratio, 2.0, 10.0) : std::max(ratio, 0.1);
    h = std::min(h, 1e300);
    x = w.xt;
    w.r = w.rt;
    if (after == 0.0) {
      out.converged = true;
      return out;
    }
  }
  out.failure = "no convergence in " + std::to_string(max_steps) + " pseudo-time steps";
  return out;
}

}  // namespace axisim::detail
