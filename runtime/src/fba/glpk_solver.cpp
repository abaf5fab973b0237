// glpk_solver.cpp — the only user of GLPK: solves a LinearProgram with the simplex method.
#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "fba/fba_problem.hpp"

namespace axisim::detail {
namespace {

struct ProblemDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};
using Problem = std::unique_ptr<glp_prob, ProblemDeleter>;

std::string return_code_name(int code) {
  switch (code) {
    case 0: return "0, success";
    case GLP_EBADB: return "GLP_EBADB, invalid initial basis";
    case GLP_ESING: return "GLP_ESING, singular basis matrix";
    case GLP_ECOND: return "GLP_ECOND, ill-conditioned basis matrix";
    case GLP_EBOUND: return "GLP_EBOUND, incorrect bounds";
    case GLP_EFAIL: return "GLP_EFAIL, solver failure";
    case GLP_EOBJLL: return "GLP_EOBJLL, objective lower limit reached";
    case GLP_EOBJUL: return "GLP_EOBJUL, objective upper limit reached";
    case GLP_EITLIM: return "GLP_EITLIM, iteration limit exceeded";
    case GLP_ETMLIM: return "GLP_ETMLIM, time limit exceeded";
    case GLP_ENOPFS: return "GLP_ENOPFS, no primal feasible solution";
    case GLP_ENODFS: return "GLP_ENODFS, no dual feasible solution";
    default: return std::to_string(code);
  }
}

std::string status_name(int status) {
  switch (status) {
    case GLP_UNDEF: return "GLP_UNDEF, solution undefined";
    case GLP_FEAS: return "GLP_FEAS, feasible, not proven optimal";
    case GLP_INFEAS: return "GLP_INFEAS, infeasible";
    case GLP_NOFEAS: return "GLP_NOFEAS, no feasible solution exists";
    case GLP_OPT: return "GLP_OPT, optimal";
    case GLP_UNBND: return "GLP_UNBND, unbounded";
    default: return std::to_string(status);
  }
}

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Gives row or column `index` (1-based) the bounds lo..up, -inf / +inf where open, as GLPK's
// bound type (lo <= up, checked by the callers).
void set_bounds(glp_prob* p, bool row, int index, double lo, double up) {
  const bool has_lo = std::isfinite(lo), has_up = std::isfinite(up);
  const int type = has_lo && has_up ? (lo == up ? GLP_FX : GLP_DB) : has_lo ? GLP_LO : has_up ? GLP_UP : GLP_FR;
  (row ? glp_set_row_bnds : glp_set_col_bnds)(p, index, type, has_lo ? lo : 0.0, has_up ? up : 0.0);
}

// GLPK aborts the process on malformed input, so everything it is given is checked first.
Problem build(const LinearProgram& lp) {
  Problem p(glp_create_prob());
  glp_set_obj_dir(p.get(), lp.maximize ? GLP_MAX : GLP_MIN);
  const int rows = static_cast<int>(lp.row_names.size());
  const int cols = static_cast<int>(lp.column_names.size());
  if (rows > 0) glp_add_rows(p.get(), rows);
  if (cols > 0) glp_add_cols(p.get(), cols);
  for (int i = 1; i <= rows; ++i) {
    if (lp.row_lower.empty()) {
      glp_set_row_bnds(p.get(), i, GLP_FX, 0.0, 0.0);  // steady state
      continue;
    }
    set_bounds(p.get(), true, i, lp.row_lower[i - 1], lp.row_upper[i - 1]);
  }
  for (int j = 1; j <= cols; ++j) {
    set_bounds(p.get(), false, j, lp.lower[j - 1], lp.upper[j - 1]);
    glp_set_obj_coef(p.get(), j, lp.objective[j - 1]);
  }
  // Duplicate positions are not allowed by glp_load_matrix: sum them; drop zeros.
  std::map<std::pair<std::size_t, std::size_t>, double> entries;
  for (const LinearProgram::Entry& e : lp.matrix) entries[{e.row, e.column}] += e.value;
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  for (const auto& [at, value] : entries) {
    if (value == 0.0) continue;
    ia.push_back(static_cast<int>(at.first) + 1);
    ja.push_back(static_cast<int>(at.second) + 1);
    ar.push_back(value);
  }
  glp_load_matrix(p.get(), static_cast<int>(ar.size()) - 1, ia.data(), ja.data(), ar.data());
  for (std::size_t j = 0; j < lp.binary.size(); ++j)
    if (lp.binary[j]) glp_set_col_kind(p.get(), static_cast<int>(j) + 1, GLP_BV);
  return p;
}

// A mixed-integer program: GLPK's branch and cut (its own presolver solves the LP relaxation).
LpSolution run_mip(glp_prob* p, std::size_t cols) {
  LpSolution out;
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  const int code = glp_intopt(p, &parm);
  const int status = glp_mip_status(p);
  if (code == GLP_ENOPFS || status == GLP_NOFEAS) {
    out.status = LpStatus::Infeasible;
    out.detail = "no flux distribution satisfies the constraints (glp_intopt: " + return_code_name(code) + ")";
    return out;
  }
  if (code == GLP_ENODFS) {
    out.status = LpStatus::Unbounded;
    out.detail = "the objective grows without limit (glp_intopt: " + return_code_name(code) + ")";
    return out;
  }
  if (code != 0 || status != GLP_OPT)
    throw Error(ErrorKind::Solver, "GLPK's branch and cut found no optimal solution (glp_intopt: " +
                                       return_code_name(code) + ", status: " + status_name(status) + ")");
  out.x.resize(cols);
  for (std::size_t j = 0; j < cols; ++j) out.x[j] = glp_mip_col_val(p, static_cast<int>(j) + 1) + 0.0;
  out.objective = glp_mip_obj_val(p) + 0.0;
  return out;
}

// Runs the simplex method; returns glp_simplex's code.
int run_simplex(glp_prob* p, bool presolve) {
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = presolve ? GLP_ON : GLP_OFF;
  return glp_simplex(p, &parm);
}

// Bounds that no flux can meet make the problem infeasible; GLPK would report them as an error
// (GLP_EBOUND) instead. Returns false, with `out` saying why, for such bounds; throws for a
// malformed program (GLPK aborts the process on those).
bool check(const LinearProgram& lp, LpSolution& out) {
  const std::size_t cols = lp.column_names.size();
  if (lp.lower.size() != cols || lp.upper.size() != cols || lp.objective.size() != cols ||
      (!lp.binary.empty() && lp.binary.size() != cols) ||
      (!lp.row_lower.empty() && (lp.row_lower.size() != lp.row_names.size() || lp.row_upper.size() != lp.row_names.size())))
    throw Error(ErrorKind::Solver, "internal error: linear program with inconsistent sizes");
  for (const LinearProgram::Entry& e : lp.matrix)
    if (e.row >= lp.row_names.size() || e.column >= cols || !std::isfinite(e.value))
      throw Error(ErrorKind::Solver, "internal error: linear program with a bad matrix entry");
  for (std::size_t j = 0; j < cols; ++j) {
    const double lo = lp.lower[j], up = lp.upper[j];
    if (std::isnan(lo) || std::isnan(up) || lo > up || lo == INFINITY || up == -INFINITY) {
      out.status = LpStatus::Infeasible;
      out.detail = "the bounds of '" + lp.column_names[j] + "' admit no flux (lower " + number(lo) + ", upper " +
                   number(up) + ")";
      return false;
    }
  }
  for (std::size_t i = 0; i < lp.row_lower.size(); ++i) {
    const double lo = lp.row_lower[i], up = lp.row_upper[i];
    if (std::isnan(lo) || std::isnan(up) || lo > up || lo == INFINITY || up == -INFINITY) {
      out.status = LpStatus::Infeasible;
      out.detail = "the bounds of '" + lp.row_names[i] + "' cannot be met (lower " + number(lo) + ", upper " +
                   number(up) + ")";
      return false;
    }
  }
  return true;
}

// Runs the simplex method on `p` (with the presolver, or from the current basis without it) and
// reads the result.
LpSolution run(glp_prob* p, std::size_t cols, bool presolve) {
  LpSolution out;
  int code = run_simplex(p, presolve);
  if (code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND) {
    // A basis left unusable by the solve before: start again from an advanced basis.
    spdlog::debug("GLPK: {}; starting from a new basis", return_code_name(code));
    glp_adv_basis(p, 0);
    code = run_simplex(p, false);
  }
  if (code == GLP_ENODFS) {
    // The presolver proves only that no dual feasible solution exists: the objective is
    // unbounded or the problem is also primal infeasible. Without it GLPK tells which.
    spdlog::debug("GLPK presolver: {}; solving again without it", return_code_name(code));
    code = run_simplex(p, false);
  }
  if (code == GLP_ENOPFS) {
    out.status = LpStatus::Infeasible;
    out.detail = "no flux distribution satisfies the steady state and the bounds (glp_simplex: " + return_code_name(code) + ")";
    return out;
  }
  if (code != 0)
    throw Error(ErrorKind::Solver, "GLPK's simplex method failed (glp_simplex: " + return_code_name(code) + ")");

  const int status = glp_get_status(p);
  if (status == GLP_NOFEAS || status == GLP_INFEAS) {
    out.status = LpStatus::Infeasible;
    out.detail = "no flux distribution satisfies the steady state and the bounds (GLPK status: " + status_name(status) + ")";
    return out;
  }
  if (status == GLP_UNBND) {
    out.status = LpStatus::Unbounded;
    out.detail = "the objective grows without limit (GLPK status: " + status_name(status) + ")";
    return out;
  }
  if (status != GLP_OPT)
    throw Error(ErrorKind::Solver, "GLPK found no optimal solution (status: " + status_name(status) + ")");

  out.x.resize(cols);
  for (std::size_t j = 0; j < cols; ++j) out.x[j] = glp_get_col_prim(p, static_cast<int>(j) + 1) + 0.0;
  out.objective = glp_get_obj_val(p) + 0.0;  // + 0.0 turns -0 into 0
  out.column_dual.resize(cols);
  for (std::size_t j = 0; j < cols; ++j) out.column_dual[j] = glp_get_col_dual(p, static_cast<int>(j) + 1) + 0.0;
  const int rows = glp_get_num_rows(p);
  out.row_dual.resize(static_cast<std::size_t>(rows));
  for (int i = 1; i <= rows; ++i) out.row_dual[static_cast<std::size_t>(i) - 1] = glp_get_row_dual(p, i) + 0.0;
  spdlog::trace("GLPK: {} after {} simplex iterations", status_name(status), glp_get_it_cnt(p));
  return out;
}

}  // namespace

LpSolution solve_lp(const LinearProgram& lp) {
  LpSolution out;
  if (!check(lp, out)) return out;
  glp_term_out(GLP_OFF);
  Problem p = build(lp);
  if (std::find(lp.binary.begin(), lp.binary.end(), true) != lp.binary.end()) return run_mip(p.get(), lp.column_names.size());
  return run(p.get(), lp.column_names.size(), true);
}

struct LpSession::Impl {
  Problem problem;
  std::size_t cols = 0;
  std::optional<LpSolution> infeasible;  // bounds no flux meets: every solve is infeasible
  bool first = true;
  std::vector<std::string> names;           // column names, for messages
  std::vector<double> lower, upper;         // the columns' bounds now (set_column_bounds)
  std::vector<double> objective;            // the program's own objective
  bool maximize = true;
  std::size_t crossed = 0;                  // columns whose lower bound is above the upper
};

LpSession::LpSession(const LinearProgram& lp) : impl_(new Impl) {
  LpSolution out;
  impl_->cols = lp.column_names.size();
  impl_->names = lp.column_names;
  impl_->lower = lp.lower;
  impl_->upper = lp.upper;
  impl_->objective = lp.objective;
  impl_->maximize = lp.maximize;
  if (!check(lp, out)) {
    impl_->infeasible = out;
    return;
  }
  glp_term_out(GLP_OFF);
  impl_->problem = build(lp);
}

LpSession::~LpSession() { delete impl_; }

LpSolution LpSession::solve() { return solve(impl_->objective, impl_->maximize); }

void LpSession::set_column_bounds(std::size_t column, double lower, double upper) {
  if (column >= impl_->cols || std::isnan(lower) || std::isnan(upper))
    throw Error(ErrorKind::Solver, "internal error: bad column or NaN bound in set_column_bounds");
  // The program's own bounds admitted nothing: every solve is infeasible, whatever is changed.
  if (!impl_->problem) return;
  auto crossed = [](double lo, double up) { return lo > up || lo == INFINITY || up == -INFINITY; };
  impl_->crossed -= crossed(impl_->lower[column], impl_->upper[column]) ? 1 : 0;
  impl_->lower[column] = lower;
  impl_->upper[column] = upper;
  if (crossed(lower, upper)) {
    ++impl_->crossed;
    return;  // GLPK is not given bounds it would reject; solve() reports the program infeasible
  }
  set_bounds(impl_->problem.get(), false, static_cast<int>(column) + 1, lower, upper);
}

void LpSession::set_row_bounds(std::size_t row, double lower, double upper) {
  if (std::isnan(lower) || std::isnan(upper) || lower > upper || lower == INFINITY || upper == -INFINITY)
    throw Error(ErrorKind::Solver, "internal error: bad bounds in set_row_bounds");
  if (!impl_->problem) return;  // every solve is infeasible anyway (the program's own bounds)
  glp_prob* p = impl_->problem.get();
  if (row >= static_cast<std::size_t>(glp_get_num_rows(p)))
    throw Error(ErrorKind::Solver, "internal error: bad row in set_row_bounds");
  set_bounds(p, true, static_cast<int>(row) + 1, lower, upper);
}

LpSolution LpSession::solve(const std::vector<double>& objective, bool maximize) {
  if (impl_->infeasible) return *impl_->infeasible;
  if (impl_->crossed > 0) {
    LpSolution out;
    out.status = LpStatus::Infeasible;
    for (std::size_t j = 0; j < impl_->cols; ++j)
      if (impl_->lower[j] > impl_->upper[j] || impl_->lower[j] == INFINITY || impl_->upper[j] == -INFINITY) {
        out.detail = "the bounds of '" + impl_->names[j] + "' admit no flux (lower " + number(impl_->lower[j]) +
                     ", upper " + number(impl_->upper[j]) + ")";
        break;
      }
    return out;
  }
  if (objective.size() != impl_->cols) throw Error(ErrorKind::Solver, "internal error: objective of the wrong size");
  glp_prob* p = impl_->problem.get();
  glp_set_obj_dir(p, maximize ? GLP_MAX : GLP_MIN);
  for (std::size_t j = 0; j < impl_->cols; ++j) glp_set_obj_coef(p, static_cast<int>(j) + 1, objective[j]);
  // The first solve uses the presolver (as solve_lp does); the others start from its basis.
  const bool presolve = impl_->first;
  impl_->first = false;
  LpSolution s = run(p, impl_->cols, presolve);
  // After a presolved solve GLPK keeps an optimal basis only when it found an optimum.
  if (presolve && s.status != LpStatus::Optimal) impl_->first = true;
  return s;
}

}  // namespace axisim::detail
