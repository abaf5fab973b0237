// Version 4 aggregation terms (aggregation.hpp): which KiSAO ids are built, and the reduction.
#include "execute/aggregation.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>

namespace axisim::sedml::execution {

// The aggregation a KiSAO term names: nullopt with `why` set when it is one axisim refuses (its
// definition leaves the result open), nullopt with `why` empty when the term is no aggregation.
std::optional<Aggregation> aggregation_term(const std::string& raw, std::string& why) {
  std::string term = raw;
  for (char& c : term) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (term.size() > 6 && term[5] == '_') term[5] = ':';
  using Op = Aggregation::Op;
  static const std::map<std::string, std::tuple<Op, bool, const char*>> built{
      {"KISAO:0000825", {Op::Mean, true, "mean ignoring NaN"}},    {"KISAO:0000841", {Op::Mean, false, "mean"}},
      {"KISAO:0000828", {Op::Max, true, "maximum ignoring NaN"}},  {"KISAO:0000830", {Op::Max, false, "maximum"}},
      {"KISAO:0000829", {Op::Min, true, "minimum ignoring NaN"}},  {"KISAO:0000840", {Op::Min, false, "minimum"}},
      {"KISAO:0000844", {Op::Sum, true, "sum ignoring NaN"}},      {"KISAO:0000845", {Op::Sum, false, "sum"}},
      {"KISAO:0000846", {Op::Product, true, "product ignoring NaN"}}, {"KISAO:0000847", {Op::Product, false, "product"}},
      {"KISAO:0000856", {Op::Median, true, "median ignoring NaN"}}, {"KISAO:0000857", {Op::Median, false, "median"}},
      {"KISAO:0000826", {Op::Std, true, "standard deviation ignoring NaN"}}, {"KISAO:0000842", {Op::Std, false, "standard deviation"}},
      {"KISAO:0000827", {Op::Sem, true, "standard error ignoring NaN"}}, {"KISAO:0000843", {Op::Sem, false, "standard error"}},
      {"KISAO:0000858", {Op::Var, true, "variance ignoring NaN"}},  {"KISAO:0000859", {Op::Var, false, "variance"}},
  };
  static const std::map<std::string, const char*> refused{
      {"KISAO:0000848", "cumulative sum ignoring NaN: not a reduction (it keeps the dimension, and which one is not said)"},
      {"KISAO:0000849", "cumulative sum: not a reduction (it keeps the dimension, and which one is not said)"},
      {"KISAO:0000850", "cumulative product ignoring NaN: not a reduction (it keeps the dimension, and which one is not said)"},
      {"KISAO:0000851", "cumulative product: not a reduction (it keeps the dimension, and which one is not said)"},
      {"KISAO:0000852", "count ignoring NaN: what is counted is not defined apart from length"},
      {"KISAO:0000853", "count: what is counted is not defined apart from length"},
      {"KISAO:0000854", "length ignoring NaN: not defined apart from count"},
      {"KISAO:0000855", "length: not defined apart from count"},
      {"KISAO:0000824", "aggregation function: the parent term names no function"},
  };
  why.clear();
  if (const auto it = built.find(term); it != built.end()) {
    Aggregation a;
    std::tie(a.op, a.ignore_nan, std::ignore) = it->second;
    a.name = std::get<2>(it->second);
    a.term = raw;
    return a;
  }
  if (const auto it = refused.find(term); it != refused.end()) why = it->second;
  return std::nullopt;
}

// Reduces x (flat, outermost dimension first) as `a` says, with `sizes` the iteration counts of
// a.dims' repeated tasks (the plain task's points are what is left); the kept dimensions stay in
// their order. Throws std::runtime_error when the values do not split into that shape.
Series aggregate(const Series& x, const std::vector<std::size_t>& sizes, const Aggregation& a) {
  std::size_t outer = 1;
  for (std::size_t n : sizes) outer *= n;
  if (outer == 0 || x.size() % outer != 0 || sizes.size() + 1 != a.dims.size())
    throw std::runtime_error(std::to_string(x.size()) + " values do not split into " + std::to_string(outer) +
                             " iterations of equal length");
  std::vector<std::size_t> shape = sizes;
  shape.push_back(x.size() / outer);
  auto fold = [&](std::vector<double> v) -> double {
    const bool has_nan = std::any_of(v.begin(), v.end(), [](double y) { return std::isnan(y); });
    if (has_nan && !a.ignore_nan) return std::numeric_limits<double>::quiet_NaN();
    v.erase(std::remove_if(v.begin(), v.end(), [](double y) { return std::isnan(y); }), v.end());
    using Op = Aggregation::Op;
    if (v.empty()) return a.op == Op::Sum ? 0.0 : a.op == Op::Product ? 1.0 : std::numeric_limits<double>::quiet_NaN();
    switch (a.op) {
      case Op::Mean: { double t = 0; for (double y : v) t += y; return t / static_cast<double>(v.size()); }
      case Op::Sum: { double t = 0; for (double y : v) t += y; return t; }
      case Op::Product: { double t = 1; for (double y : v) t *= y; return t; }
      case Op::Max: return *std::max_element(v.begin(), v.end());
      case Op::Min: return *std::min_element(v.begin(), v.end());
      case Op::Median: {
        std::sort(v.begin(), v.end());
        const std::size_t n = v.size();
        return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
      }
      case Op::Std:
      case Op::Sem:
      case Op::Var: {
        const double var = population_variance(v);
        return a.op == Op::Var ? var : a.op == Op::Std ? std::sqrt(var) : std::sqrt(var / static_cast<double>(v.size()));
      }
    }
    return std::numeric_limits<double>::quiet_NaN();
  };
  // Each value goes to the bucket its kept coordinates name (row-major over the kept dimensions).
  std::size_t buckets = 1;
  for (std::size_t d = 0; d < shape.size(); ++d)
    if (a.keep[d]) buckets *= shape[d];
  std::vector<std::vector<double>> in(buckets);
  std::vector<std::size_t> index(shape.size(), 0);
  for (double y : x) {
    std::size_t b = 0;
    for (std::size_t d = 0; d < shape.size(); ++d)
      if (a.keep[d]) b = b * shape[d] + index[d];
    in[b].push_back(y);
    for (std::size_t d = shape.size(); d-- > 0;) {  // the next flat position's coordinates
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  Series out;
  for (auto& v : in) out.push_back(fold(std::move(v)));
  return out;
}

}  // namespace axisim::sedml::execution
