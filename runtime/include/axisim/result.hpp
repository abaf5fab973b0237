// axisim/result.hpp — a simulation's output table and the solver's statistics.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace axisim {

struct SolverStats {
  long steps = 0;             // internal CVODE steps
  long rhs_evaluations = 0;   // right-hand side calls, Jacobian difference quotients included
  long jacobian_evaluations = 0;
  long newton_iterations = 0;
  long error_test_failures = 0;
  long convergence_failures = 0;
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

 private:
  std::vector<std::string> columns_;
  std::vector<double> values_;  // row-major
};

}  // namespace axisim
