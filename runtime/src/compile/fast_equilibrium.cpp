// fast_equilibrium.cpp — the fallback for rapid equilibria that Newton's method does not reach.
//
// Two kinds (docs/reliability.md, "Rapid equilibrium on a boundary"). Fast reactions alone: a
// rate k S1 S2 has two equilibria, S1 = 0 or S2 = 0, and a singular Jacobian between them
// (tests 01399, 01565, 01569). With algebraic rules: a fast reaction whose rate is c * B, with
// c < 0 set by an algebraic rule, is at equilibrium only when B = 0, on the boundary of the
// amounts; Newton's method on the unknowns (c, extent) starts from c = 0, where
// d(rate)/d(extent) = c is zero and its Jacobian singular, and stops.
//
// Both are solved by following the fast reactions themselves to the equilibrium the fast
// dynamics reach, which is what rapid equilibrium means: the extents move along
// d(extent)/dt = rate while the algebraic rules (if any) hold at every step (a DAE of index 1:
// the rules' rows have no time derivative), by linearly implicit Euler steps,
// (M/h - dr/dz) dz = r with M = 1 on the extents' rows and 0 on the rules'. A step that would
// make a non-negative fast species' amount negative is refused and retried shorter, so amounts
// stay in their domain (a power of a species a hair below zero is NaN). The step grows as the
// rates fall, up to what is an undamped Newton step.
#include <algorithm>
#include <cmath>

#include "compile/compiled_system.hpp"
#include "solve/dense_linear.hpp"

namespace axisim::detail {

bool CompiledSystem::relax_to_equilibrium(double t, Workspace& ws) const {
  const std::size_t n = algebraic_vars_.size();
  const std::size_t rules = ir_.algebraic_rules.size();
  double* v = ws.values.data();
  double* J = ws.newton.data();
  double* r = J + n * n;
  double* dz = r + n;
  double* trial = dz + n;
  // How far below zero the fast species' amounts are: a step may not make it worse.
  auto negativity = [&]() {
    double below = 0.0, scale = 0.0;
    for (const FastSpecies& f : fast_species_) {
      below += std::max(0.0, -v[f.species]);
      scale += std::fabs(v[f.species]);
    }
    return std::pair{below, scale};
  };
  // The extents start from the integrated free amounts; the algebraic variables from where they
  // are, unless that is not a number.
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t s = algebraic_vars_[j];
    if (j >= rules || !std::isfinite(v[s])) v[s] = 0.0;
  }
  double norm = algebraic_residual(t, ws, r);
  if (!std::isfinite(norm)) {
    for (std::size_t j = 0; j < rules; ++j) v[algebraic_vars_[j]] = 0.0;
    norm = algebraic_residual(t, ws, r);
  }
  double h = 1e-6;
  for (int iter = 0; iter < 5000 && norm > 1e-13 && h > 1e-200; ++iter) {
    algebraic_jacobian(t, ws, r, J, trial);
    for (std::size_t k = 0; k < n * n; ++k) J[k] = -J[k];
    for (std::size_t j = rules; j < n; ++j) J[j * n + j] += 1.0 / h;
    for (std::size_t i = 0; i < n; ++i) dz[i] = r[i];
    if (!solve_dense(n, J, dz)) {
      h *= 0.1;
      continue;
    }
    const auto [below, scale] = negativity();
    for (std::size_t j = 0; j < n; ++j) v[algebraic_vars_[j]] += dz[j];
    const double new_norm = algebraic_residual(t, ws, trial);
    if (!std::isfinite(new_norm) || negativity().first > below + 1e-14 * scale) {
      for (std::size_t j = 0; j < n; ++j) v[algebraic_vars_[j]] -= dz[j];
      h *= 0.1;
      algebraic_residual(t, ws, r);
      continue;
    }
    h = std::min(1e15, h * std::clamp(norm / std::max(new_norm, 1e-300), 2.0, 10.0));
    norm = algebraic_residual(t, ws, r);
  }
  return norm <= 1e-9;
}

}  // namespace axisim::detail
