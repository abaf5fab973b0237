// derivative.hpp — symbolic differentiation of expression trees.
//
// The analytic Jacobian (compile/jacobian.hpp) differentiates each formula with respect to one
// state at a time. What a symbol's derivative is depends on the caller (a state, a symbol
// computed from states by a rule, a species read as a concentration), so the caller supplies
// it; this file knows only the calculus of SBML's operators.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>

#include "ir/expression.hpp"

namespace axisim::detail {

// The derivative of symbol s's math value, or nullopt when it does not depend on the variable.
using SymbolDerivative = std::function<std::optional<Expr>(std::uint32_t symbol)>;

// Thrown for an operator whose derivative cannot be written as an expression of the present
// values (delay, which reads the past; factorial of a varying argument). The caller computes
// that derivative by difference quotients instead.
struct NotDifferentiable : std::runtime_error {
  explicit NotDifferentiable(Op op);
  Op op;
};

// d e / d x, given the derivative of every symbol e reads. nullopt means "identically zero",
// which keeps the Jacobian's sparsity exact and its formulas short. Discontinuous operators
// (floor, ceiling, relational operators, quotient) have derivative zero wherever they are
// differentiable; the integrator stops at their discontinuities (root-finding), so the
// Jacobian is never asked to span one. Piecewise differentiates the branch that holds.
std::optional<Expr> differentiate(const Expr& e, const SymbolDerivative& of_symbol);

}  // namespace axisim::detail
