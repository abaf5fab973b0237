// aggregation.hpp — Version 4 aggregation terms (KiSAO's "aggregation function", KISAO:0000824):
// a repeated task's values reduced over the dimensions a variable does not keep.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "document/math.hpp"

namespace axisim::sedml::execution {

// A Version 4 aggregation term (KiSAO's "aggregation function", KISAO:0000824): a repeated
// task's values reduced over the dimensions that are not listed as remaining. The dimensions are
// the iterations of the repeated task and of each repeated task nested in it as its one sub-task,
// outermost first, then the points of the plain task at the bottom; each is named by its task's id.
struct Aggregation {
  // Std, Sem and Var divide by n (the population's: neither SED-ML nor KiSAO says which divisor),
  // as biosimulators_utils' stdev/variance (numpy.std/var) do; Sem is that standard deviation over
  // sqrt(n) (math.hpp's population_variance; docs/sedml.md).
  enum class Op { Mean, Max, Min, Sum, Product, Median, Std, Sem, Var } op = Op::Mean;
  bool ignore_nan = false;
  std::string term, name;
  std::vector<std::string> dims;  // task ids, outermost first; the last is the plain task (points)
  std::vector<bool> keep;         // per dimension: listed as remaining
};

// The aggregation a KiSAO term names: nullopt with `why` set when it is one axisim refuses (its
// definition leaves the result open), nullopt with `why` empty when the term is no aggregation.
std::optional<Aggregation> aggregation_term(const std::string& raw, std::string& why);

// Reduces x (flat, outermost dimension first) as `a` says, with `sizes` the iteration counts of
// a.dims' repeated tasks (the plain task's points are what is left); the kept dimensions stay in
// their order. Throws std::runtime_error when the values do not split into that shape.
Series aggregate(const Series& x, const std::vector<std::size_t>& sizes, const Aggregation& a);

}  // namespace axisim::sedml::execution
