// axisim/result.hpp — a simulation's output table and the solver's statistics.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace axisim {

// What the solver did in one run, summed over the restarts at events and discontinuities.
struct SolverStats {
  long steps = 0;             // internal CVODE steps
  long rhs_evaluations = 0;   // right-hand side calls, Jacobian difference quotients included
  long jacobian_rhs_evaluations = 0;  // of those, for difference-quotient Jacobian columns
  long jacobian_evaluations = 0;
  long linear_solver_setups = 0;      // factorisations of the Newton iteration matrix
  long newton_iterations = 0;
  long error_test_failures = 0;
  long convergence_failures = 0;
  long linear_iterations = 0;  // Krylov iterations (iterative linear solver only)
  long root_stops = 0;        // discontinuities and event triggers located by root-finding
  // What ran: "dense" or "sparse (KLU)"; "analytic", "analytic + N numeric columns" or
  // "numeric"; "interpreter" or "native" (the back-end at the end of the run).
  std::string linear_solver, jacobian, backend;
  double integration_seconds = 0.0;  // wall time inside Model::simulate
  double load_seconds = 0.0;         // reading, checking and compiling the model (Model's load)
  double native_compile_seconds = 0.0;  // building its native code (0 when none was built)
};

class Result {
 public:
  Result() = default;
  explicit Result(std::vector<std::string> columns) : columns_(std::move(columns)) {}

  const std::vector<std::string>& columns() const { return columns_; }  // "time" first
  std::size_t cols() const { return columns_.size(); }
  std::size_t rows() const { return columns_.empty() ? 0 : values_.size() / columns_.size(); }
  double at(std::size_t row, std::size_t col) const { return values_[row * cols() + col]; }
  std::span<const double> row(std::size_t r) const { return {values_.data() + r * cols(), cols()}; }
  // The column of `id` (throws Error(UnknownId) if it is not in the table).
  std::vector<double> column(std::string_view id) const;

  void append_row(std::span<const double> row);  // row.size() must equal cols()

  SolverStats stats;
  // Empty when the run reached the end. A plugin fault stops a run early: the rows so far are
  // kept and this says which plugin failed, how and when.
  std::string error;
  // The run passed SimulationOptions::max_seconds and was stopped (error says when).
  bool timed_out = false;
  // The run stopped on request (SimulationOptions::stop): the flag's value (a signal's number),
  // error says where; 0 when it did not.
  int stopped = 0;

 private:
  std::vector<std::string> columns_;
  std::vector<double> values_;  // row-major
};

}  // namespace axisim
