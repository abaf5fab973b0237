// jacobian_check.hpp — the analytic Jacobian against central difference quotients.
//
// An independent expectation for compile/jacobian.cpp (and run/coupled_jacobian.cpp): every
// entry of df/dy, inside the sparsity pattern or not, is compared with
// (f(y + h e_k) - f(y - h e_k)) / 2h computed from the right-hand side alone. An entry outside
// the pattern counts as zero, so a pattern missing a non-zero fails. Columns where f is not
// smooth at y (a piecewise switch or a floor right at the point: forward and backward quotients
// disagree) are not judged and are counted.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "compile/compiled_system.hpp"

namespace jacobian_check {

struct Comparison {
  bool available = false;        // the model has an analytic Jacobian and a finite f at y
  std::size_t states = 0;
  std::size_t nonzeros = 0;
  std::size_t numeric_columns = 0;
  std::size_t non_smooth_columns = 0;
  double worst = 0.0;            // largest |analytic - central| / tolerance; <= 1 passes
  std::string worst_entry;
  std::string non_smooth;        // the non-smooth columns' indices
};

// Compares J (values in `pat`'s order, at y) with central differences of rhs(y, f) (false when
// f is not defined there), column by column; the counts other than `worst` are the caller's.
template <class Rhs>
Comparison compare_values(const axisim::detail::SparsePattern& pat, const std::vector<double>& values,
                          const std::vector<double>& y, const std::vector<double>& fy, Rhs&& rhs) {
  Comparison c;
  const std::size_t n = y.size();
  c.available = true;
  c.states = n;
  c.nonzeros = pat.nonzeros();
  std::vector<double> fp(n), fm(n), yp(n);
  std::vector<double> analytic(n * n, 0.0);  // column-major
  for (std::size_t k = 0; k < n; ++k)
    for (std::int64_t p = pat.column_start[k]; p < pat.column_start[k + 1]; ++p)
      analytic[k * n + static_cast<std::size_t>(pat.row[p])] = values[static_cast<std::size_t>(p)];

  for (std::size_t k = 0; k < n; ++k) {
    const double h = std::cbrt(2.2e-16) * std::max(std::fabs(y[k]), 1e-3);
    yp = y;
    yp[k] = y[k] + h;
    const bool ok_p = rhs(yp, fp);
    yp[k] = y[k] - h;
    const bool ok_m = rhs(yp, fm);
    bool smooth = ok_p && ok_m;
    std::vector<double> central(n);
    double column_scale = 0.0;
    for (std::size_t i = 0; i < n && smooth; ++i) {
      const double fwd = (fp[i] - fy[i]) / h, bwd = (fy[i] - fm[i]) / h;
      central[i] = (fp[i] - fm[i]) / (2 * h);
      if (!std::isfinite(central[i]) || std::fabs(fwd - bwd) > 1e-2 * (std::fabs(fwd) + std::fabs(bwd)) + 1e-8)
        smooth = false;
      column_scale = std::max(column_scale, std::fabs(central[i]));
    }
    if (!smooth) {
      ++c.non_smooth_columns;
      c.non_smooth += (c.non_smooth.empty() ? "" : " ") + std::to_string(k);
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double a = analytic[k * n + i], d = central[i];
      // Relative agreement, plus the rounding noise of the quotient itself (f's rounding / h).
      const double noise = 1e3 * 2.2e-16 * (std::fabs(fp[i]) + std::fabs(fm[i]) + std::fabs(fy[i])) / h;
      const double tol = 1e-5 * std::max(std::fabs(a), std::fabs(d)) + 1e-7 * column_scale + noise + 1e-12;
      const double score = std::fabs(a - d) / tol;
      if (score > c.worst) {
        c.worst = score;
        char buf[160];
        std::snprintf(buf, sizeof buf, "d f[%zu] / d y[%zu]: analytic %.10g, central differences %.10g", i, k, a, d);
        c.worst_entry = buf;
      }
    }
  }
  return c;
}

// Compares at the model's initial state, each state k scaled by (1 + perturb * ((k % 3) - 1)).
inline Comparison compare(const axisim::detail::CompiledSystem& sys, double t = 0.0, double perturb = 0.0) {
  using axisim::detail::Workspace;
  Comparison c;
  const axisim::detail::CompiledJacobian* jac = sys.jacobian();
  const std::size_t n = sys.num_states();
  c.states = n;
  if (jac == nullptr || n == 0) return c;
  Workspace ws = sys.make_workspace();
  sys.initialize(ws, {});
  std::vector<double> y(n), fy(n);
  sys.gather_state(ws, y.data());
  for (std::size_t k = 0; k < n; ++k) y[k] *= 1.0 + perturb * (static_cast<double>(k % 3) - 1.0);
  if (!sys.derivatives(t, y.data(), fy.data(), ws)) return c;
  std::vector<double> values(jac->pattern.nonzeros()), floor(n, 1e-6);
  if (!sys.jacobian_values(t, y.data(), fy.data(), values.data(), true, floor.data(), ws)) return c;
  c = compare_values(jac->pattern, values, y, fy, [&](const std::vector<double>& at, std::vector<double>& f) {
    return sys.derivatives(t, at.data(), f.data(), ws);
  });
  c.numeric_columns = jac->numeric_columns.size();
  return c;
}

}  // namespace jacobian_check
