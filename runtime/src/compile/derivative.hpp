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
// Whether a delay(x, d) node's value can change with the variable (through x, d or what they
// read). delay reads the past, so its derivative has no formula: where it can change, the
// caller's difference quotients take over; where it cannot, its derivative is zero.
using DelayDependence = std::function<bool(const Expr& delay)>;

// Thrown for an operator whose derivative cannot be written as an expression of the present
// values (delay, which reads the past; factorial of a varying argument; a value found by solving
// equations), with respect to a variable it depends on. The caller computes that derivative by
// difference quotients instead.
struct NotDifferentiable : std::runtime_error {
  explicit NotDifferentiable(Op op);
  Op op;
};

// d e / d x, given the derivative of every symbol e reads. nullopt means "identically zero",
// which keeps the Jacobian's sparsity exact and its formulas short. Discontinuous operators
// (floor, ceiling, relational operators, quotient) have derivative zero wherever they are
// differentiable; the integrator stops at their discontinuities (root-finding), so the
// Jacobian is never asked to span one. Piecewise differentiates the branch that holds.
// Without `delay_depends`, every delay is taken to depend on the variable.
std::optional<Expr> differentiate(const Expr& e, const SymbolDerivative& of_symbol,
                                  const DelayDependence& delay_depends = {});

}  // namespace axisim::detail
