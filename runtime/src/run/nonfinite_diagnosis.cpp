#include "run/nonfinite_diagnosis.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

#include "compile/program.hpp"

namespace axisim::detail {
namespace {

bool finite(double x) { return std::isfinite(x); }

const std::string& id_of(const CompiledSystem& sys, std::uint32_t s) { return sys.ir().symbols[s].id; }

// The symbols `e` reads, each once, in the order they first appear.
std::vector<std::uint32_t> reads_of(const Expr& e) {
  std::vector<std::uint32_t> out;
  for_each_symbol(e, [&](std::uint32_t s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  });
  return out;
}

// The math value of every symbol (a species' concentration unless hasOnlySubstanceUnits).
std::vector<double> math_values(const CompiledSystem& sys, const Workspace& ws) {
  std::vector<double> v(ws.values.begin(), ws.values.end());
  for (std::uint32_t s = 0; s < sys.ir().symbols.size(); ++s) v[s] = sys.read(ws, s, Quantity::Default);
  return v;
}

std::string reads_text(const CompiledSystem& sys, const std::vector<std::uint32_t>& reads,
                       const std::vector<double>& math) {
  if (reads.empty()) return "it reads no symbol";
  std::string out = "it reads ";
  for (std::size_t i = 0; i < reads.size(); ++i) {
    if (i > 0) out += ", ";
    out += id_of(sys, reads[i]) + " = " + number_text(math[reads[i]]);
  }
  return out;
}

bool all_finite(const std::vector<std::uint32_t>& reads, const std::vector<double>& math) {
  return std::all_of(reads.begin(), reads.end(), [&](std::uint32_t s) { return finite(math[s]); });
}

// A formula evaluated on its own, on the math values (identity loads). Formulas with rateOf or
// delay, which only the compiled system can evaluate, give nothing.
std::optional<double> evaluate_alone(const Expr& e, const std::vector<double>& math, double t) {
  if (contains_op(e, Op::RateOf) || contains_op(e, Op::Delay)) return std::nullopt;
  std::vector<SymbolLoad> loads(math.size());
  for (std::uint32_t s = 0; s < loads.size(); ++s) loads[s].slot = s;
  return evaluate(e, math.data(), loads, t);
}

// One candidate: a formula whose value is not finite.
struct Culprit {
  std::string what;  // "the rate of reaction 'R1'"
  double value;
  std::vector<std::uint32_t> reads;
};

std::string describe(const CompiledSystem& sys, const Culprit& c, double t, const std::vector<double>& math) {
  return "at t = " + number_text(t) + " " + c.what + " is " + number_text(c.value) + "; " +
         reads_text(sys, c.reads, math);
}

}  // namespace

std::string number_text(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buffer[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, x);
    if (std::strtod(buffer, nullptr) == x) break;
  }
  return buffer;
}

EventNote describe_event_assignment(const CompiledSystem& sys, std::size_t event, std::size_t assignment,
                                    double value, double t, const Workspace& ws) {
  const CompiledEvent& e = sys.events()[event];
  const std::uint32_t target = e.targets[assignment];
  std::string out = "event '" + e.id + "' assigned " + number_text(value) + " to '" + id_of(sys, target) +
                    "' at t = " + number_text(t);
  const Event& ie = sys.ir().events[event];
  if (assignment < ie.assignments.size() && ie.assignments[assignment].variable == target) {
    const std::vector<double> math = math_values(sys, ws);
    out += ", reading " + reads_text(sys, reads_of(ie.assignments[assignment].math), math).substr(9);
  }
  return {target, out};
}

std::string diagnose_nonfinite(const CompiledSystem& sys, NonFiniteTrace::Source source, double t, const double* y,
                               Workspace& ws, const EventNote& event) {
  const ModelIR& ir = sys.ir();
  const std::size_t n = sys.num_states();
  std::vector<std::int64_t> state_of(ir.symbols.size(), kNone);
  for (std::size_t k = 0; k < n; ++k) state_of[sys.state_slot(k)] = static_cast<std::int64_t>(k);

  // 1. A state that is already not finite: the formula that made it is in the past (an event's
  //    assignment, or a step CVODE accepted).
  for (std::size_t k = 0; k < n; ++k) {
    if (finite(y[k])) continue;
    std::string out = "at t = " + number_text(t) + " '" + id_of(sys, sys.state_slot(k)) + "' is " +
                      number_text(y[k]);
    if (!event.text.empty() && event.target == sys.state_slot(k)) out += " (" + event.text + ")";
    return out;
  }

  // 2. Everything recomputed at (t, y) with the compiled programs (the numbers the run saw, on
  //    either back-end): the derivatives, every assigned symbol, the algebraic unknowns.
  std::vector<double> ydot(std::max<std::size_t>(n, 1), 0.0);
  const bool derivatives_finite = sys.derivatives(t, y, ydot.data(), ws, true);
  const std::vector<double> math = math_values(sys, ws);

  std::vector<Culprit> culprits;  // formulas not finite although everything they read is
  auto consider = [&](std::string what, double value, const Expr& e) {
    if (finite(value)) return;
    std::vector<std::uint32_t> reads = reads_of(e);
    if (all_finite(reads, math)) culprits.push_back({std::move(what), value, std::move(reads)});
  };

  // Algebraic rules first: when their solve fails, what it computes after them is stale.
  for (std::size_t i = 0; i < ir.algebraic_rules.size(); ++i) {
    const std::optional<double> r = evaluate_alone(ir.algebraic_rules[i], math, t);
    if (r) consider("algebraic rule " + std::to_string(i + 1) + " of the model (0 = its math)", *r, ir.algebraic_rules[i]);
  }
  for (const Rule& rule : ir.assignment_rules)
    consider("the assignment rule for '" + id_of(sys, rule.variable) + "'", math[rule.variable], rule.math);
  for (const Reaction& r : ir.reactions)
    consider("the rate of reaction '" + id_of(sys, r.symbol) + "'", math[r.symbol], r.rate);
  for (const Rule& rule : ir.rate_rules) {
    const std::int64_t k = state_of[rule.variable];
    std::optional<double> value = evaluate_alone(rule.math, math, t);
    if (!value && k != kNone) value = ydot[static_cast<std::size_t>(k)];
    if (value) consider("the rate rule for '" + id_of(sys, rule.variable) + "'", *value, rule.math);
  }
  if (!culprits.empty()) {
    std::string out = describe(sys, culprits.front(), t, math);
    if (culprits.size() > 1) out += " (and " + std::to_string(culprits.size() - 1) + " more formulas are not finite)";
    return out;
  }

  // 3. Every formula is finite, but a species' derivative (the sum of its reactions' rates times
  //    stoichiometries and conversion factors) is not.
  if (!derivatives_finite) {
    for (std::size_t k = 0; k < n; ++k) {
      if (finite(ydot[k])) continue;
      const std::uint32_t s = sys.state_slot(k);
      std::vector<std::uint32_t> reads;
      for (const Reaction& r : ir.reactions) {
        bool involved = false;
        for (const auto* refs : {&r.reactants, &r.products})
          for (const SpeciesReference& ref : *refs) {
            if (ref.species != s) continue;
            involved = true;
            if (ref.symbol != kNone) reads.push_back(static_cast<std::uint32_t>(ref.symbol));
          }
        if (involved) reads.push_back(r.symbol);
      }
      if (ir.symbols[s].conversion_factor != kNone) reads.push_back(static_cast<std::uint32_t>(ir.symbols[s].conversion_factor));
      return describe(sys, {"the derivative of '" + id_of(sys, s) + "'", ydot[k], reads}, t, math);
    }
    if (!ir.algebraic_rules.empty() || std::any_of(ir.reactions.begin(), ir.reactions.end(), [](const Reaction& r) { return r.fast; }))
      return "at t = " + number_text(t) +
             " the algebraic rules or fast reactions have no finite solution near the current values";
  }

  // 4. The right-hand side is finite there: the Jacobian is not (a derivative such as that of
  //    sqrt(S) at S = 0).
  if (source == NonFiniteTrace::Source::Jacobian && sys.jacobian() != nullptr) {
    const SparsePattern& pat = sys.jacobian()->pattern;
    std::vector<double> J(pat.nonzeros(), 0.0), floor(n, 1e-6);
    sys.jacobian_values(t, y, ydot.data(), J.data(), true, floor.data(), ws);
    for (std::size_t col = 0; col < n; ++col)
      for (std::int64_t p = pat.column_start[col]; p < pat.column_start[col + 1]; ++p) {
        const double v = J[static_cast<std::size_t>(p)];
        if (finite(v)) continue;
        const std::uint32_t row = static_cast<std::uint32_t>(pat.row[static_cast<std::size_t>(p)]);
        const std::uint32_t rs = sys.state_slot(row), cs = sys.state_slot(col);
        std::vector<std::uint32_t> reads;
        for (std::size_t k = 0; k < n; ++k) reads.push_back(sys.state_slot(k));
        return describe(sys, {"the Jacobian entry d(d" + id_of(sys, rs) + "/dt)/d" + id_of(sys, cs), v, reads}, t,
                        math);
      }
  }

  // 5. Nothing reproduces it on its own: give the state.
  std::vector<std::uint32_t> reads;
  for (std::size_t k = 0; k < n; ++k) reads.push_back(sys.state_slot(k));
  std::string what = source == NonFiniteTrace::Source::Jacobian ? "the Jacobian" : "the right-hand side";
  return "at t = " + number_text(t) + " " + what + " was not finite, and no single formula is when re-evaluated; " +
         reads_text(sys, reads, math).replace(0, 8, "the state is");
}

}  // namespace axisim::detail
