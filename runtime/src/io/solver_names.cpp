// The names of the linear solver and Jacobian choices in scenario and batch job files.
#include "axisim/model.hpp"

namespace axisim {

std::optional<LinearSolver> linear_solver_from_name(std::string_view name) {
  if (name == "auto") return LinearSolver::Auto;
  if (name == "dense") return LinearSolver::Dense;
  if (name == "sparse") return LinearSolver::Sparse;
  if (name == "iterative") return LinearSolver::Iterative;
  return std::nullopt;
}

std::optional<JacobianKind> jacobian_from_name(std::string_view name) {
  if (name == "auto") return JacobianKind::Auto;
  if (name == "analytic") return JacobianKind::Analytic;
  if (name == "numeric") return JacobianKind::Numeric;
  return std::nullopt;
}

}  // namespace axisim
