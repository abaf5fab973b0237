// Metabolic control analysis and steady-state sensitivities (axisim/control_analysis.hpp).
#include "axisim/control_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "analysis/dense_algebra.hpp"
#include "analysis/steady_solver.hpp"
#include "axisim/error.hpp"
#include "model_access.hpp"

namespace axisim {
namespace {

using detail::ReducedSystem;
using detail::SteadySolver;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Fourth-order difference stencils: offsets (in steps) and weights (divide by 12 h).
struct Stencil {
  double offset[4];
  double weight[4];
  double centre_weight;
};
// f'(x) ~ (f(x-2h) - 8 f(x-h) + 8 f(x+h) - f(x+2h)) / 12h
constexpr Stencil kCentral{{-2, -1, 1, 2}, {1, -8, 8, -1}, 0};
// f'(x) ~ (-25 f(x) + 48 f(x+h) - 36 f(x+2h) + 16 f(x+3h) - 3 f(x+4h)) / 12h, for x near zero
constexpr Stencil kForward{{1, 2, 3, 4}, {48, -36, 16, -3}, -25};

// h = eps^(1/5) |x|, balancing the stencils' h^4 truncation against rounding over h.
double step_for(double x, double floor) { return 7e-4 * std::max(std::fabs(x), floor); }

// The full-state response to an unknowns' perturbation dx: unknowns dx, dependent species
// through the link matrix, held states nothing.
void expand_delta(const ReducedSystem& rs, const double* dx, double* dy) {
  std::vector<double> zero(rs.size(), 0.0);
  // expand is affine: dy = expand(dx) - expand(0).
  std::vector<double> y0(rs.full_size());
  rs.expand(zero.data(), y0.data());
  rs.expand(dx, dy);
  for (std::size_t s = 0; s < rs.full_size(); ++s) dy[s] -= y0[s];
}

// The derivative by `stencil` of values(point) at steps h, each a vector of the same size.
template <class Eval>
std::vector<double> differentiate(const Stencil& stencil, double h, const std::vector<double>& centre, Eval&& eval) {
  std::vector<double> d(centre.size(), 0.0);
  for (std::size_t i = 0; i < centre.size(); ++i) d[i] = stencil.centre_weight * centre[i];
  for (int k = 0; k < 4; ++k) {
    const std::vector<double> v = eval(stencil.offset[k] * h);
    for (std::size_t i = 0; i < d.size(); ++i) d[i] += stencil.weight[k] * v[i];
  }
  for (double& x : d) x /= 12.0 * h;
  return d;
}

}  // namespace

ControlAnalysis control_analysis(const Model& model, const SteadyStateOptions& options) {
  SteadySolver solver(model, options, "control analysis");
  solver.set_point();
  const detail::Solution sol = solver.solve();
  const auto [columns, reads] = detail::ModelAccess::outputs(model, {});
  ControlAnalysis ca;
  ca.state = solver.describe(sol, columns, reads);
  ReducedSystem& rs = solver.system();
  const detail::CompiledSystem& sys = rs.system();
  const detail::ModelIR& ir = sys.ir();
  const detail::Stoichiometry& st = rs.stoichiometry();
  const std::size_t nr = st.reactions.size(), ns = st.species.size(), nf = rs.full_size(), n = rs.size();
  if (nr == 0) throw Error(ErrorKind::Unsupported, "control analysis unsupported: the model has no reactions");
  const std::vector<double>& y = sol.y;

  auto rates = [&](const std::vector<double>& at) {
    const detail::Workspace& ws = rs.complete(at.data());
    std::vector<double> v(nr);
    for (std::size_t j = 0; j < nr; ++j) v[j] = ws.values[st.reactions[j]];
    return v;
  };
  const std::vector<double> v = rates(y);

  // E (reactions x full states): dv/dy, one state at a time.
  std::vector<double> E(nr * nf, 0.0);
  for (std::size_t k = 0; k < nf; ++k) {
    const double floor = std::max(std::fabs(rs.initial_state()[k]), 1e3 * options.atol * rs.atol_scale(k));
    const double h = step_for(y[k], floor);
    const Stencil& stencil = rs.nonnegative(k) && y[k] - 2 * h < 0 ? kForward : kCentral;
    std::vector<double> yp = y;
    const std::vector<double> d = differentiate(stencil, h, v, [&](double dh) {
      yp[k] = y[k] + dh;
      return rates(yp);
    });
    for (std::size_t j = 0; j < nr; ++j) E[j * nf + k] = d[j];
  }

  // N_R: the stoichiometry on the unknowns' rows (zero for unknowns no reaction changes).
  std::vector<double> rhs(n * nr, 0.0);  // column-major: -N_R[:, j]
  for (std::size_t i = 0; i < ns; ++i) {
    const std::int64_t u = rs.unknown_of(rs.species_state(i));
    if (u < 0) continue;
    for (std::size_t j = 0; j < nr; ++j) rhs[j * n + static_cast<std::size_t>(u)] = -st.at(i, j);
  }
  // Unknowns that reactions alone do not change (rate-rule and plugin states, species a plugin
  // adds a flux to): their rows of J_R are not N_R E L. Each is a process of its own for the
  // connectivity theorems (below).
  std::vector<std::size_t> other_rows;  // indices into the unknowns
  std::vector<std::string> others;
  for (std::size_t c = 0; c < n; ++c) {
    const std::size_t u = rs.unknowns()[c];
    const std::int64_t sym = rs.symbol_of(u);
    const bool species_row =
        sym >= 0 && std::find(st.species.begin(), st.species.end(), static_cast<std::uint32_t>(sym)) != st.species.end();
    if (species_row) continue;
    other_rows.push_back(c);
    others.push_back(rs.state_name(u));
  }
  const std::size_t no = other_rows.size();
  std::vector<double> CSf(nf * nr, 0.0);  // full states x reactions: dy/dv_j (amounts)
  std::vector<double> CSo(nf * no, 0.0);  // full states x other processes: dy/dr_q
  std::vector<double> J;                  // J_R, row-major
  if (n > 0) {
    J = solver.reduced_jacobian(y);
    detail::DenseLu lu(n);
    if (!lu.factor(J.data()) || !lu.solve_many(rhs.data(), nr))
      throw Error(ErrorKind::Solver, "control analysis: the reduced Jacobian is singular at the steady state");
    std::vector<double> dy(nf);
    for (std::size_t j = 0; j < nr; ++j) {
      expand_delta(rs, rhs.data() + j * n, dy.data());
      for (std::size_t s = 0; s < nf; ++s) CSf[s * nr + j] = dy[s];
    }
    // C^S_o = -L J_R^-1 P_o: the response to a unit increase in each other process's rate.
    std::vector<double> unit(n * no, 0.0);
    for (std::size_t q = 0; q < no; ++q) unit[q * n + other_rows[q]] = -1.0;
    if (no > 0 && !lu.solve_many(unit.data(), no))
      throw Error(ErrorKind::Solver, "control analysis: the reduced Jacobian is singular at the steady state");
    for (std::size_t q = 0; q < no; ++q) {
      expand_delta(rs, unit.data() + q * n, dy.data());
      for (std::size_t s = 0; s < nf; ++s) CSo[s * no + q] = dy[s];
    }
  }
  // C^J = I + E C^S
  std::vector<double> CJ = detail::multiply(E, CSf, nr, nf, nr);
  for (std::size_t i = 0; i < nr; ++i) CJ[i * nr + i] += 1.0;

  // Species in the model's quantity: c = n / V unless hasOnlySubstanceUnits (a changing V enters dc).
  const detail::Workspace& ws = rs.complete(y.data());
  for (std::uint32_t s : st.species) ca.species.push_back(ir.symbols[s].id);
  for (std::uint32_t r : st.reactions) ca.reactions.push_back(ir.symbols[r].id);
  ca.fluxes = v;
  std::vector<double> size(ns, 1.0);
  std::vector<std::int64_t> size_state(ns, -1);
  for (std::size_t i = 0; i < ns; ++i) {
    const detail::Symbol& sym = ir.symbols[st.species[i]];
    ca.concentrations.push_back(sys.read(ws, st.species[i], Quantity::Default));
    if (sym.has_only_substance_units) continue;
    size[i] = ws.values[sym.compartment];
    for (std::size_t k = 0; k < rs.model_states(); ++k)
      if (sys.state_slot(k) == sym.compartment) size_state[i] = static_cast<std::int64_t>(k);
  }

  ca.elasticities = Matrix(ca.reactions, ca.species);
  ca.scaled_elasticities = Matrix(ca.reactions, ca.species);
  ca.flux_control = Matrix(ca.reactions, ca.reactions);
  ca.scaled_flux_control = Matrix(ca.reactions, ca.reactions);
  ca.concentration_control = Matrix(ca.species, ca.reactions);
  ca.scaled_concentration_control = Matrix(ca.species, ca.reactions);
  for (std::size_t j = 0; j < nr; ++j)
    for (std::size_t i = 0; i < ns; ++i) {
      const double e = E[j * nf + rs.species_state(i)] * size[i];  // dv/dc = V dv/dn
      ca.elasticities(j, i) = e;
      ca.scaled_elasticities(j, i) = v[j] != 0.0 ? e * ca.concentrations[i] / v[j] : kNaN;
    }
  for (std::size_t i = 0; i < nr; ++i)
    for (std::size_t j = 0; j < nr; ++j) {
      ca.flux_control(i, j) = CJ[i * nr + j];
      ca.scaled_flux_control(i, j) = v[i] != 0.0 ? CJ[i * nr + j] * v[j] / v[i] : kNaN;
    }
  for (std::size_t i = 0; i < ns; ++i)
    for (std::size_t j = 0; j < nr; ++j) {
      double dc = CSf[rs.species_state(i) * nr + j];
      if (size_state[i] >= 0) dc -= ca.concentrations[i] * CSf[static_cast<std::size_t>(size_state[i]) * nr + j];
      dc /= size[i];
      ca.concentration_control(i, j) = dc;
      ca.scaled_concentration_control(i, j) = ca.concentrations[i] != 0.0 ? dc * v[j] / ca.concentrations[i] : kNaN;
    }

  // The theorems, in scaled form (see the header). L maps the unknowns to every state.
  auto worst = [](double& slot, double value) {
    if (!std::isfinite(value)) return;
    slot = std::isnan(slot) ? std::fabs(value) : std::max(slot, std::fabs(value));
  };
  ControlAnalysis::Theorems t{kNaN, kNaN, kNaN, kNaN};
  // A flux or amount that is zero up to the steady-state solver's rounding (e.g. 1e-32 left in a
  // pool whose only input is switched off) has no meaningful scaled coefficient: dividing by it
  // turns rounding into 1e20-sized "deviations". Such rows are skipped like exact zeros: below
  // 1e-20 of the largest magnitude of their kind.
  auto scale_of = [](const std::vector<double>& x) {
    double m = 0.0;
    for (double e : x) m = std::max(m, std::fabs(e));
    return m;
  };
  const double v_scale = scale_of(v), c_scale = scale_of(ca.concentrations), y_scale = scale_of(y);
  auto zero = [](double x, double scale) { return std::fabs(x) <= 1e-20 * scale; };
  for (std::size_t i = 0; i < nr; ++i) {
    if (zero(v[i], v_scale)) continue;
    double sum = 0.0;
    for (std::size_t j = 0; j < nr; ++j) sum += ca.scaled_flux_control(i, j);
    worst(t.flux_summation, sum - 1.0);
  }
  for (std::size_t i = 0; i < ns; ++i) {
    if (zero(ca.concentrations[i], c_scale)) continue;
    double sum = 0.0;
    for (std::size_t j = 0; j < nr; ++j) sum += ca.scaled_concentration_control(i, j);
    worst(t.concentration_summation, sum);
  }
  std::vector<double> L(nf * n, 0.0), e_unit(n, 0.0), col(nf);
  for (std::size_t c = 0; c < n; ++c) {
    e_unit[c] = 1.0;
    expand_delta(rs, e_unit.data(), col.data());
    e_unit[c] = 0.0;
    for (std::size_t s = 0; s < nf; ++s) L[s * n + c] = col[s];
  }
  const std::vector<double> EL = detail::multiply(E, L, nr, nf, n);
  // The other processes' elasticities are their rows of J_R (d rate / d unknown); their flux
  // control coefficients C^J_o = E C^S_o.
  const std::vector<double> CJo = detail::multiply(E, CSo, nr, nf, no);
  for (std::size_t c = 0; c < n; ++c) {
    const double xc = y[rs.unknowns()[c]];
    if (zero(xc, y_scale)) continue;
    for (std::size_t i = 0; i < nr; ++i) {
      if (zero(v[i], v_scale)) continue;
      double s = 0.0;
      for (std::size_t j = 0; j < nr; ++j) s += CJ[i * nr + j] * EL[j * n + c];
      for (std::size_t q = 0; q < no; ++q) s += CJo[i * no + q] * J[other_rows[q] * n + c];
      worst(t.flux_connectivity, s * xc / v[i]);
    }
    for (std::size_t i = 0; i < ns; ++i) {
      const std::size_t k = rs.species_state(i);
      if (zero(y[k], y_scale)) continue;
      double s = L[k * n + c];
      for (std::size_t j = 0; j < nr; ++j) s += CSf[k * nr + j] * EL[j * n + c];
      for (std::size_t q = 0; q < no; ++q) s += CSo[k * no + q] * J[other_rows[q] * n + c];
      worst(t.concentration_connectivity, s * xc / y[k]);
    }
  }
  ca.theorems = t;
  ca.other_processes = others;

  if (!others.empty()) {
    std::string list;
    for (std::size_t i = 0; i < others.size() && i < 5; ++i) list += (i ? ", " : "") + ("'" + others[i] + "'");
    if (others.size() > 5) list += " and " + std::to_string(others.size() - 5) + " more";
    ca.notes.push_back("states that reactions alone do not change (" + list +
                       ": rate-rule variables, plugin states, species a plugin adds a flux to) are not rows of the stoichiometry matrix, and the textbook "
                       "connectivity theorems (over reactions only) do not apply to them; the connectivity "
                       "theorems are checked in their general form, with the rate of change of each such state "
                       "counted as a process of its own (its elasticities: its row of the reduced Jacobian; its "
                       "control coefficients: the response to an increase in that rate). The summation theorems "
                       "hold unchanged (those processes have zero rates at the steady state)");
  }
  for (const auto& p : rs.plugins())
    for (const auto& e : p->effects)
      if (e.flux)
        ca.notes.push_back("plugin '" + p->plugin.name() + "' adds a flux to '" + ir.symbols[e.symbol].id +
                           "', which no reaction carries: that species' rate of change is one of the processes above");
  return ca;
}

SteadyStateSensitivities steady_state_sensitivities(const Model& model, const std::vector<std::string>& wrt,
                                                    const SteadyStateOptions& options,
                                                    const std::vector<OutputSpec>& outputs) {
  std::vector<std::uint32_t> symbols;
  std::vector<double> p0;
  for (const std::string& id : wrt) {
    symbols.push_back(detail::ModelAccess::symbol(model, id));
    Model probe = model;
    probe.set_value(id, 0.0);  // throws Usage for ids whose value cannot be set
    p0.push_back(model.initial_value(id));
  }
  const auto [columns, reads] = detail::ModelAccess::outputs(model, outputs);
  SteadySolver solver(model, options, "steady-state sensitivities");
  solver.set_point();
  const detail::Solution sol = solver.solve();
  SteadyStateSensitivities out;
  out.state = solver.describe(sol, columns, reads);
  out.parameter_values = p0;
  out.unscaled = Matrix(columns, wrt);
  out.scaled = Matrix(columns, wrt);
  ReducedSystem& rs = solver.system();
  const std::size_t n = rs.size(), nf = rs.full_size();
  std::vector<double> x(n);
  rs.restrict_to_unknowns(sol.y.data(), x.data());
  detail::DenseLu lu(n);
  if (n > 0 && !lu.factor(solver.reduced_jacobian(sol.y).data()))
    throw Error(ErrorKind::Solver, "steady-state sensitivities: the reduced Jacobian is singular at the steady state");
  std::optional<SteadySolver> probe;

  for (std::size_t p = 0; p < wrt.size(); ++p) {
    const double h = p0[p] != 0.0 ? 1e-3 * std::fabs(p0[p]) : 1e-6;
    const auto override_by = [&](double dp) {
      return std::vector<detail::InitialOverride>{detail::InitialOverride{symbols[p], p0[p] + dp, Quantity::Default}};
    };
    // Which parameters change the stoichiometry is asked of a second solver, so that this one
    // keeps the layout (and held states) that x and lu belong to.
    if (!probe) {
      probe.emplace(model, options, "steady-state sensitivities");
      probe->set_point();
    }
    if (probe->set_point(override_by(h), true)) {
      // p changes the stoichiometry (a stoichiometry or conversion factor computed from it),
      // and with it the conservation laws: the derivative below, at a fixed reduced system,
      // does not apply. Differentiate the steady state itself instead, re-solved at each step
      // (Newton from this solution, with the conserved totals that the model's initial state
      // gives at that point, as a steady state computed from scratch would have).
      // At the model's own point: `solver` may still hold the previous parameter's last step.
      probe->set_point();
      const std::vector<double> g0 = probe->read_outputs(sol.y, reads);
      const auto& output_reads = reads;
      const std::vector<double> dg = differentiate(kCentral, h, g0, [&](double dp) {
        probe->set_point(override_by(dp));
        // Where conservation laws come and go with p (a stoichiometry that balances only at
        // its own value), the steady state jumps: it has no derivative there.
        if (probe->system().conservation().dependent != rs.conservation().dependent)
          throw Error(ErrorKind::Unsupported,
                      "steady-state sensitivities unsupported: '" + wrt[p] + "' changes the stoichiometry, and at " +
                          detail::short_number(p0[p] + dp) + " the model's conservation laws differ from those at its value " +
                          detail::short_number(p0[p]) + " (" + std::to_string(probe->system().conservation().dependent.size()) +
                          " against " + std::to_string(rs.conservation().dependent.size()) +
                          "): the steady state jumps there and has no derivative");
        std::vector<double> y = sol.y;
        int iterations = 0;
        if (probe->newton_from(y, iterations) != SteadySolver::Continued::Converged) y = probe->solve().y;
        return probe->read_outputs(y, output_reads);
      });
      for (std::size_t o = 0; o < columns.size(); ++o) {
        out.unscaled(o, p) = dg[o];
        out.scaled(o, p) = g0[o] != 0.0 ? dg[o] * p0[p] / g0[o] : kNaN;
      }
      out.resolved.push_back(wrt[p]);
      probe->set_point();
      continue;
    }
    auto at = [&](double dp) {
      if (solver.set_point(override_by(dp), true))
        throw Error(ErrorKind::Solver, "steady-state sensitivities: the stoichiometry changed with '" + wrt[p] +
                                           "' at one step and not at another");
    };
    // At fixed unknowns, p moves the residual (directly, and through the conservation totals
    // and held states) and the dependent and held states themselves.
    std::vector<double> r(n), centre(n + nf);
    rs.residual(x.data(), r.data());
    std::copy(r.begin(), r.end(), centre.begin());
    std::copy(sol.y.begin(), sol.y.end(), centre.begin() + static_cast<std::ptrdiff_t>(n));
    const std::vector<double> d = differentiate(kCentral, h, centre, [&](double dp) {
      at(dp);
      std::vector<double> v(n + nf);
      if (!rs.residual(x.data(), v.data()))
        throw Error(ErrorKind::Solver, "steady-state sensitivities: the right-hand side is not finite with '" + wrt[p] +
                                           "' changed by " + std::to_string(dp));
      rs.expand(x.data(), v.data() + n);
      return v;
    });
    std::vector<double> dx(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(n));
    for (double& e : dx) e = -e;
    if (n > 0) lu.solve(dx.data());
    std::vector<double> dy(nf);
    expand_delta(rs, dx.data(), dy.data());
    for (std::size_t s = 0; s < nf; ++s) dy[s] += d[n + s];
    // Each output along the steady state's path: g(y + dp dy/dp, p + dp).
    at(0.0);
    const std::vector<double> g0 = solver.read_outputs(sol.y, reads);
    // (A lambda may not capture a structured binding before clang 16.)
    const auto& output_reads = reads;
    const std::vector<double> dg = differentiate(kCentral, h, g0, [&](double dp) {
      at(dp);
      std::vector<double> yp(nf);
      for (std::size_t s = 0; s < nf; ++s) yp[s] = sol.y[s] + dp * dy[s];
      return solver.read_outputs(yp, output_reads);
    });
    for (std::size_t o = 0; o < columns.size(); ++o) {
      out.unscaled(o, p) = dg[o];
      out.scaled(o, p) = g0[o] != 0.0 ? dg[o] * p0[p] / g0[o] : kNaN;
    }
  }
  solver.set_point({}, true);
  return out;
}

}  // namespace axisim
