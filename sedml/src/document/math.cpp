#include "document/math.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace axisim::sedml {
namespace {

double factorial(double x) { return std::tgamma(x + 1.0); }

// Applies a scalar function elementwise over operands that are scalars or series of one length.
Series broadcast(const std::vector<Series>& ops, const std::function<double(const std::vector<double>&)>& f,
                 const std::string& op) {
  std::size_t n = 1;
  for (const Series& s : ops) {
    if (s.size() == 1) continue;
    if (n != 1 && s.size() != n)
      throw std::runtime_error("operands of <" + op + "> have different lengths (" + std::to_string(n) + " and " +
                               std::to_string(s.size()) + ")");
    n = s.size();
  }
  for (const Series& s : ops)
    if (s.empty()) throw std::runtime_error("an operand of <" + op + "> has no values");
  Series out(n);
  std::vector<double> x(ops.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < ops.size(); ++k) x[k] = ops[k].size() == 1 ? ops[k][0] : ops[k][i];
    out[i] = f(x);
  }
  return out;
}

double unary(const std::string& op, double a) {
  if (op == "abs") return std::fabs(a);
  if (op == "exp") return std::exp(a);
  if (op == "ln") return std::log(a);
  if (op == "floor") return std::floor(a);
  if (op == "ceiling") return std::ceil(a);
  if (op == "factorial") return factorial(a);
  if (op == "sin") return std::sin(a);
  if (op == "cos") return std::cos(a);
  if (op == "tan") return std::tan(a);
  if (op == "sec") return 1.0 / std::cos(a);
  if (op == "csc") return 1.0 / std::sin(a);
  if (op == "cot") return 1.0 / std::tan(a);
  if (op == "arcsin") return std::asin(a);
  if (op == "arccos") return std::acos(a);
  if (op == "arctan") return std::atan(a);
  if (op == "sinh") return std::sinh(a);
  if (op == "cosh") return std::cosh(a);
  if (op == "tanh") return std::tanh(a);
  if (op == "arcsinh") return std::asinh(a);
  if (op == "arccosh") return std::acosh(a);
  if (op == "arctanh") return std::atanh(a);
  if (op == "not") return a == 0.0 ? 1.0 : 0.0;
  throw std::runtime_error("MathML operator <" + op + "> is not supported with one operand");
}

}  // namespace

Series evaluate(const MathNode& node, const Lookup& lookup) {
  switch (node.kind) {
    case MathNode::Kind::Number:
      return {node.value};
    case MathNode::Kind::Identifier: {
      const Series* s = lookup(node.name);
      if (!s) throw std::runtime_error("'" + node.name + "' is neither a variable nor a parameter");
      return *s;
    }
    case MathNode::Kind::Piecewise: {
      std::vector<Series> ops;
      for (const MathNode& a : node.args) ops.push_back(evaluate(a, lookup));
      const bool otherwise = ops.size() % 2 == 1;
      return broadcast(ops, [&](const std::vector<double>& x) {
        for (std::size_t k = 0; k + 1 < x.size(); k += 2)
          if (x[k + 1] != 0.0) return x[k];
        return otherwise ? x.back() : std::numeric_limits<double>::quiet_NaN();
      }, "piecewise");
    }
    case MathNode::Kind::Apply:
      break;
  }
  const std::string& op = node.name;
  std::vector<Series> ops;
  for (const MathNode& a : node.args) ops.push_back(evaluate(a, lookup));
  double qualifier = 0.0;
  bool has_q = node.has_qualifier;
  if (has_q) {
    if (ops.empty() || ops[0].size() != 1) throw std::runtime_error("<logbase>/<degree> must be a single value");
    qualifier = ops[0][0];
    ops.erase(ops.begin());
  }
  // Aggregates over one series (SED-ML): min, max, sum, product, mean; the standard deviation
  // (SED-ML's csymbol #stdev as biosimulators_utils names it, #std, MathML's <sdev/>) and the
  // variance (#variance, MathML's <variance/>), both with divisor n.
  const bool spread = op == "stdev" || op == "std" || op == "sdev" || op == "variance";
  if (ops.size() == 1 && spread) {
    const Series& s = ops[0];
    if (s.empty()) throw std::runtime_error("<" + op + "> of an empty series");
    const double var = population_variance(s);
    return {op == "variance" ? var : std::sqrt(var)};
  }
  if (spread) throw std::runtime_error("<" + op + "> takes one series, not " + std::to_string(ops.size()) + " operands");
  if (ops.size() == 1 && (op == "min" || op == "max" || op == "sum" || op == "product" || op == "mean")) {
    const Series& s = ops[0];
    if (s.empty()) throw std::runtime_error("<" + op + "> of an empty series");
    if (op == "min") return {*std::min_element(s.begin(), s.end())};
    if (op == "max") return {*std::max_element(s.begin(), s.end())};
    if (op == "sum") return {std::accumulate(s.begin(), s.end(), 0.0)};
    if (op == "mean") return {std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(s.size())};
    return {std::accumulate(s.begin(), s.end(), 1.0, std::multiplies<>())};
  }
  if (ops.empty()) throw std::runtime_error("<" + op + "> has no operands");
  if (op == "plus") return broadcast(ops, [](const auto& x) { return std::accumulate(x.begin(), x.end(), 0.0); }, op);
  if (op == "times")
    return broadcast(ops, [](const auto& x) { return std::accumulate(x.begin(), x.end(), 1.0, std::multiplies<>()); }, op);
  if (op == "minus") {
    if (ops.size() == 1) return broadcast(ops, [](const auto& x) { return -x[0]; }, op);
    if (ops.size() == 2) return broadcast(ops, [](const auto& x) { return x[0] - x[1]; }, op);
  }
  if (op == "divide" && ops.size() == 2) return broadcast(ops, [](const auto& x) { return x[0] / x[1]; }, op);
  if (op == "power" && ops.size() == 2) return broadcast(ops, [](const auto& x) { return std::pow(x[0], x[1]); }, op);
  if (op == "root" && ops.size() == 1) {
    const double degree = has_q ? qualifier : 2.0;
    return broadcast(ops, [degree](const auto& x) { return degree == 2.0 ? std::sqrt(x[0]) : std::pow(x[0], 1.0 / degree); }, op);
  }
  if (op == "log" && ops.size() == 1) {
    const double base = has_q ? qualifier : 10.0;
    return broadcast(ops, [base](const auto& x) { return base == 10.0 ? std::log10(x[0]) : std::log(x[0]) / std::log(base); }, op);
  }
  if (op == "min") return broadcast(ops, [](const auto& x) { return *std::min_element(x.begin(), x.end()); }, op);
  if (op == "max") return broadcast(ops, [](const auto& x) { return *std::max_element(x.begin(), x.end()); }, op);
  if (op == "and") return broadcast(ops, [](const auto& x) { return std::all_of(x.begin(), x.end(), [](double v) { return v != 0.0; }) ? 1.0 : 0.0; }, op);
  if (op == "or") return broadcast(ops, [](const auto& x) { return std::any_of(x.begin(), x.end(), [](double v) { return v != 0.0; }) ? 1.0 : 0.0; }, op);
  if (op == "xor")
    return broadcast(ops, [](const auto& x) { return std::count_if(x.begin(), x.end(), [](double v) { return v != 0.0; }) % 2 == 1 ? 1.0 : 0.0; }, op);
  if (ops.size() == 2 && (op == "eq" || op == "neq" || op == "gt" || op == "lt" || op == "geq" || op == "leq")) {
    return broadcast(ops, [op](const auto& x) {
      const double a = x[0], b = x[1];
      const bool r = op == "eq" ? a == b : op == "neq" ? a != b : op == "gt" ? a > b : op == "lt" ? a < b : op == "geq" ? a >= b : a <= b;
      return r ? 1.0 : 0.0;
    }, op);
  }
  if (op == "rem" && ops.size() == 2) return broadcast(ops, [](const auto& x) { return std::fmod(x[0], x[1]); }, op);
  if (op == "quotient" && ops.size() == 2) return broadcast(ops, [](const auto& x) { return std::trunc(x[0] / x[1]); }, op);
  if (ops.size() == 1) return broadcast(ops, [op](const auto& x) { return unary(op, x[0]); }, op);
  throw std::runtime_error("MathML operator <" + op + "> with " + std::to_string(ops.size()) + " operands is not supported");
}

double population_variance(const std::vector<double>& x) {
  if (x.empty()) return std::numeric_limits<double>::quiet_NaN();
  double mean = 0.0;
  for (double v : x) mean += v;
  mean /= static_cast<double>(x.size());
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return ss / static_cast<double>(x.size());
}

void identifiers(const MathNode& node, std::vector<std::string>& out) {
  if (node.kind == MathNode::Kind::Identifier) out.push_back(node.name);
  for (const MathNode& a : node.args) identifiers(a, out);
}

}  // namespace axisim::sedml
