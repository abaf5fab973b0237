// fba_problem.hpp — a flux balance problem as a plain linear program, and its solver.
//
// fba.cpp builds the LinearProgram from an SBML document; glpk_solver.cpp, the only file that
// sees GLPK, solves it. Neither type names libSBML or GLPK.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace axisim::detail {

// maximize or minimize  c·x  subject to  row_lower <= A x <= row_upper  and  lower <= x <= upper.
// Rows are equalities A x = 0 (the steady state) unless row_lower/row_upper say otherwise; the
// variants of FBA add a row holding the objective near its optimum.
struct LinearProgram {
  std::vector<std::string> column_names;  // one per variable (reaction ids), for messages
  std::vector<std::string> row_names;     // one per row (species ids)
  std::vector<double> row_lower, row_upper;  // per row, -inf / +inf where open; empty: every row = 0
  std::vector<double> lower, upper;       // per column; -inf / +inf where unbounded
  struct Entry {
    std::size_t row, column;
    double value;
  };
  std::vector<Entry> matrix;      // sparse A; entries at the same position are summed
  std::vector<double> objective;  // c, per column
  bool maximize = true;
  // Per column, whether it is a binary (0 or 1) variable; empty: none is. With any, solve_lp
  // solves a mixed-integer program (GLPK's branch and cut) and reports no duals.
  std::vector<bool> binary;

  // Appends the row  lower <= sum coefficient * x[column] <= upper  (giving every row explicit
  // bounds first if they were implicit); returns its index.
  std::size_t add_row(const std::string& name, const std::vector<std::pair<std::size_t, double>>& coefficients,
                      double lower, double upper) {
    if (row_lower.empty()) {
      row_lower.assign(row_names.size(), 0.0);
      row_upper.assign(row_names.size(), 0.0);
    }
    const std::size_t row = row_names.size();
    row_names.push_back(name);
    row_lower.push_back(lower);
    row_upper.push_back(upper);
    for (const auto& [column, value] : coefficients) matrix.push_back({row, column, value});
    return row;
  }
};

enum class LpStatus { Optimal, Infeasible, Unbounded };

struct LpSolution {
  LpStatus status = LpStatus::Optimal;
  std::vector<double> x;  // per column; empty unless Optimal
  double objective = 0;   // c·x at the optimum
  // The duals at the optimal basis, empty unless Optimal, in GLPK's convention for either
  // direction: row_dual[i] = d(c·x*)/d(bound of row i) (glp_get_row_dual), column_dual[j] =
  // c_j - sum_i A_ij row_dual[i], the rate at which c·x* changes with the bound column j sits at
  // (glp_get_col_dual; 0 for a basic column). Unique only where the optimum is not degenerate.
  std::vector<double> row_dual;
  std::vector<double> column_dual;
  std::string detail;     // for Infeasible / Unbounded: why, with the solver's status named
};

// Solves the program with GLPK's simplex method (presolver on, terminal output off).
// Infeasible and unbounded problems are results, not errors; any other solver failure throws
// Error(Solver) naming GLPK's return code.
LpSolution solve_lp(const LinearProgram& lp);

// One program solved again and again with other objectives (flux variability analysis: the
// minimum and the maximum of every flux over the same feasible set). Each solve starts from the
// basis the one before ended in, so the simplex method has little left to do.
class LpSession {
 public:
  explicit LpSession(const LinearProgram& lp);  // throws as solve_lp does for a malformed program
  ~LpSession();
  LpSession(const LpSession&) = delete;
  LpSession& operator=(const LpSession&) = delete;
  // Optimises `objective` (one coefficient per column) in the given direction.
  LpSolution solve(const std::vector<double>& objective, bool maximize);
  // The program's own objective and direction (as constructed), from the basis the last solve
  // ended in.
  LpSolution solve();
  // New bounds for `column` (-inf / +inf where open) for the solves that follow (dynamic FBA's
  // uptake bounds). Bounds no flux meets (lower above upper) make those solves infeasible.
  void set_column_bounds(std::size_t column, double lower, double upper);
  // New bounds for `row` (-inf / +inf where open; lower <= upper) for the solves that follow
  // (dynamic FBA's lexicographic objectives, each held at its optimum while the next is solved).
  void set_row_bounds(std::size_t row, double lower, double upper);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace axisim::detail
