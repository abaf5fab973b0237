// math.hpp — SED-ML's MathML (data generators, computeChange, setValue, functionalRange) as a
// small tree, evaluated over vectors: a variable is the whole series of a task's output, numbers
// are scalars that broadcast, and min/max/sum/product/mean of a single argument reduce it to one
// value (SED-ML Level 1 Version 2 on), as do stdev/sdev/std and variance (divisor n, below). No libxml2 type here: document.cpp builds the tree.
#pragma once
#include <functional>
#include <string>
#include <vector>

namespace axisim::sedml {

struct MathNode {
  enum class Kind { Number, Identifier, Apply, Piecewise };
  Kind kind = Kind::Number;
  double value = 0.0;      // Number
  std::string name;        // Identifier: the id; Apply: the operator's element name
  std::vector<MathNode> args;  // Apply: operands (logbase/degree first when present, see below);
                               // Piecewise: value, condition, value, condition, ..., [otherwise]
  bool has_qualifier = false;  // Apply: args[0] is a <logbase> or <degree>
};

using Series = std::vector<double>;
// Returns the series an identifier names, or nullptr when it names nothing.
using Lookup = std::function<const Series*(const std::string&)>;

// Evaluates `node`; throws std::runtime_error naming an unknown identifier or operator, or
// operands of different lengths.
Series evaluate(const MathNode& node, const Lookup& lookup);

// The variance of x with divisor n (the population's), NaN for no values: SED-ML and KiSAO do not
// say the divisor, and biosimulators_utils' `stdev`/`variance` (numpy.std, numpy.var) divide by n.
// Two passes (the mean, then the squared deviations), so a constant series gives exactly 0.
double population_variance(const std::vector<double>& x);

// The identifiers `node` reads.
void identifiers(const MathNode& node, std::vector<std::string>& out);

}  // namespace axisim::sedml
