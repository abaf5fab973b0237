// math_derivative.hpp — the symbolic partial derivative of a MathML tree (math.hpp), for the
// rate of change of a value an assignment rule sets: by the chain rule, d/dt f(x, t) is the sum
// over what f reads of df/dx_i times dx_i/dt, plus df/dt (execute/rates.cpp, KISAO:0000834).
#pragma once
#include <string>

#include "document/math.hpp"

namespace axisim::sedml {

// d node / d x, as a tree on the same identifiers. Piecewise functions differentiate piece by
// piece (the conditions kept: the derivative holds between the points where a condition
// switches), floor, ceiling, comparisons and logic have derivative 0 where they have one.
// Throws std::runtime_error naming an operator it does not differentiate (factorial, rem,
// quotient, reductions over a series, ...).
MathNode derivative(const MathNode& node, const std::string& x);

// Whether `node` reads identifier `x`.
bool reads(const MathNode& node, const std::string& x);

}  // namespace axisim::sedml
