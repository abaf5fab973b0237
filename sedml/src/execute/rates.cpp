// KISAO:0000834, the rate of change of a value: from the reactions' rates for a species, a rate
// rule's math, or an assignment rule's derivative by the chain rule.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include <spdlog/spdlog.h>

#include "document/math_derivative.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

std::optional<Column> Runner::resolve_rate(const Task& t, const Variable& v, const std::string& element) {
  const std::string model_id = !v.model_ref.empty() ? v.model_ref : task_model_id(t, element);
  if (model_id.empty()) return std::nullopt;
  const ResolvedModel* m = model_at(model_id, element);
  if (!m) return std::nullopt;
  if (!runnable(m, model_id, element)) return std::nullopt;
  try {
    const auto nodes = m->xml->select(v.target, v.ns);
    std::string why;
    std::optional<Column> col;
    if (nodes.size() != 1 || nodes[0].is_attribute || nodes[0].id.empty() || !m->model->has_id(nodes[0].id))
      why = "the target selects no one symbol of model '" + model_id + "'";
    else
      col = rate_of_id(t, *m, model_id, nodes[0].id, v.symbol, why, 0);
    if (!col) {
      problem(ErrorKind::Unsupported, element, "rate of change (KISAO:0000834) of '" + v.target + "': " + why);
      return std::nullopt;
    }
    return col;
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, element, e.what());
  }
  return std::nullopt;
}

std::optional<Column> Runner::rate_of_id(const Task& t, const ResolvedModel& m, const std::string& model_id, const std::string& id,
                                 const std::string& symbol, std::string& why, int depth) {
  auto refuse = [&](const std::string& w) -> std::optional<Column> {
    why = w;
    return std::nullopt;
  };
  const SbmlXml& x = *m.xml;
  const Namespaces none;
  auto attrs = [&](const std::string& xpath) {
    std::vector<std::string> out;
    for (const auto& n : x.select(xpath, none)) out.push_back(n.value);
    return out;
  };
  const std::string rate_rule = "//*[local-name()='rateRule'][@variable='" + id + "']";
  if (!x.select(rate_rule, none).empty()) {
    std::optional<Column> c = rule_rate(t, m, model_id, id, symbol, rate_rule, why);
    if (!c) why = "'" + id + "', set by a rate rule: " + why;
    return c;
  }
  const std::string assignment = "//*[local-name()='assignmentRule'][@variable='" + id + "']";
  if (!x.select(assignment, none).empty()) {
    std::optional<Column> c = assigned_rate(t, m, model_id, id, symbol, assignment, why, depth);
    if (!c && why.rfind("'", 0) != 0) why = "'" + id + "', set by an assignment rule: " + why;
    return c;
  }
  const SymbolKind kind = m.model->kind(id);
  const std::string sp = "//*[local-name()='species'][@id='" + id + "']";
  const bool boundary = kind == SymbolKind::Species && attrs(sp + "/@boundaryCondition") == std::vector<std::string>{"true"};
  if (depth > 0 && (kind == SymbolKind::Parameter || kind == SymbolKind::Compartment || boundary)) {
    // Nothing but events changes it: constant between them.
    Column col;
    col.rate = true;
    col.spec.id = model_id + "\n" + id + "\nconstant";
    rates_[col.spec.id] = RateRecipe{};  // the caller reads the value itself: the run's length
    needed_[t.id].insert(col);
    return col;
  }
  if (kind != SymbolKind::Species)
    return refuse("'" + id + "' is not a species and no rule sets it (the rate of a value set by an event or nothing is "
                  "not built)");
  if (boundary) return refuse("'" + id + "' is a boundary species");
  if (!attrs(sp + "/@conversionFactor").empty() || !attrs("//*[local-name()='model']/@conversionFactor").empty())
    return refuse("conversion factors are not built here");
  if (!x.select("//*[local-name()='algebraicRule']", none).empty()) return refuse("the model has algebraic rules");
  if (!attrs("//*[local-name()='reaction'][@fast='true']/@id").empty()) return refuse("the model has fast reactions");
  RateRecipe recipe;
  for (const std::string& rid : attrs("//*[local-name()='reaction']/@id")) {
    double net = 0.0;
    bool involved = false;
    for (const auto& [list, sign] : {std::pair<const char*, double>{"listOfReactants", -1.0}, {"listOfProducts", 1.0}}) {
      const std::string refs = "//*[local-name()='reaction'][@id='" + rid + "']/*[local-name()='" + list +
                               "']/*[local-name()='speciesReference'][@species='" + id + "']";
      const auto found = x.select(refs, none);
      for (std::size_t i = 1; i <= found.size(); ++i) {
        const std::string one = "(" + refs + ")[" + std::to_string(i) + "]";
        if (!x.select(one + "/*[local-name()='stoichiometryMath']", none).empty())
          return refuse("reaction '" + rid + "' gives it a stoichiometryMath");
        const auto ref_id = attrs(one + "/@id");
        if (!ref_id.empty())
          for (const std::string& r : attrs("//*[local-name()='rateRule' or local-name()='assignmentRule' or "
                                            "local-name()='eventAssignment' or local-name()='initialAssignment']/@variable"))
            if (r == ref_id[0]) return refuse("reaction '" + rid + "' gives it a stoichiometry that changes");
        const auto st = attrs(one + "/@stoichiometry");
        net += sign * (st.empty() ? 1.0 : std::stod(st[0]));  // Level 2's default is 1
        involved = true;
      }
    }
    if (involved && net != 0.0) recipe.terms.emplace_back(rid, net);
  }
  // The amount's rate with symbol KISAO:0000836, the concentration's with 0000838, else the
  // quantity the model uses.
  if (!symbol.empty() && !is_amount(symbol) && !is_concentration(symbol)) return refuse("symbol '" + symbol + "' with it is not built");
  const bool amount = is_amount(symbol) ||
                      (!is_concentration(symbol) && attrs(sp + "/@hasOnlySubstanceUnits") == std::vector<std::string>{"true"});
  if (!amount) {
    const auto comp = attrs(sp + "/@compartment");
    if (comp.empty()) return refuse("'" + id + "' names no compartment");
    const std::string cp = "//*[local-name()='compartment'][@id='" + comp[0] + "']";
    if (attrs(cp + "/@constant") == std::vector<std::string>{"false"})
      return refuse("its compartment '" + comp[0] + "' changes in size");
    recipe.compartment = comp[0];
  }
  Column col;
  col.rate = true;
  col.spec.id = model_id + "\n" + id + (amount ? "\namount" : "\nconcentration");  // one recipe each
  for (const auto& [rid, n] : recipe.terms) needed_[t.id].insert(value_column(rid));
  if (!recipe.compartment.empty()) needed_[t.id].insert(value_column(recipe.compartment));
  rates_[col.spec.id] = std::move(recipe);
  needed_[t.id].insert(col);
  return col;
}

std::optional<Column> Runner::rule_rate(const Task& t, const ResolvedModel& m, const std::string& model_id, const std::string& id,
                                const std::string& symbol, const std::string& rule_xpath, std::string& why) {
  auto refuse = [&](const std::string& w) -> std::optional<Column> {
    why = w;
    return std::nullopt;
  };
  if (!symbol.empty()) return refuse("symbol '" + symbol + "' with it is not built (the rule gives the rate of the quantity the model uses)");
  RateRecipe recipe;
  try {
    const std::string xml = m.xml->element_xml(rule_xpath + "/*[local-name()='math']", Namespaces{});
    if (xml.empty()) return refuse("the rule has no math");
    recipe.rule = parse_math_xml(xml);
  } catch (const std::exception& e) {
    return refuse(std::string("its math: ") + e.what());
  }
  std::vector<std::string> reads;
  identifiers(*recipe.rule, reads);
  std::set<Column> columns;
  for (const std::string& r : reads) {
    if (r == kTime) columns.insert(time_column());
    else if (m.model->has_id(r)) columns.insert(value_column(r));
    else return refuse("its math reads '" + r + "', which is no value of model '" + model_id + "' (a function definition, a csymbol, ...)");
  }
  Column col;
  col.rate = true;
  col.spec.id = model_id + "\n" + id + "\nrule";
  for (const Column& c : columns) needed_[t.id].insert(c);
  rates_[col.spec.id] = std::move(recipe);
  needed_[t.id].insert(col);
  return col;
}

std::optional<Column> Runner::assigned_rate(const Task& t, const ResolvedModel& m, const std::string& model_id, const std::string& id,
                                    const std::string& symbol, const std::string& rule_xpath, std::string& why, int depth) {
  auto refuse = [&](const std::string& w) -> std::optional<Column> {
    why = w;
    return std::nullopt;
  };
  if (!symbol.empty()) return refuse("symbol '" + symbol + "' with it is not built (the rule gives the quantity the model uses)");
  if (depth > 50) return refuse("assignment rules read each other in a cycle");
  const std::string key = model_id + "\n" + id + "\nassigned";
  MathNode f;
  try {
    const std::string xml = m.xml->element_xml(rule_xpath + "/*[local-name()='math']", Namespaces{});
    if (xml.empty()) return refuse("the rule has no math");
    f = parse_math_xml(xml);
  } catch (const std::exception& e) {
    return refuse(std::string("its math: ") + e.what());
  }
  std::vector<std::string> reads;
  identifiers(f, reads);
  std::sort(reads.begin(), reads.end());
  reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
  RateRecipe recipe;
  MathNode sum;
  sum.kind = MathNode::Kind::Apply;
  sum.name = "plus";
  sum.args.push_back(MathNode{});  // 0: a rule of constants
  try {
    for (const std::string& r : reads) {
      MathNode partial = derivative(f, r);
      if (partial.kind == MathNode::Kind::Number && partial.value == 0.0) continue;
      if (r == kTime) {
        needed_[t.id].insert(time_column());
        sum.args.push_back(std::move(partial));
        continue;
      }
      if (!m.model->has_id(r))
        return refuse("its math reads '" + r + "', which is no value of model '" + model_id + "' (a function definition, a csymbol, ...)");
      std::string inner;
      const std::optional<Column> rate = rate_of_id(t, m, model_id, r, "", inner, depth + 1);
      if (!rate) return refuse(inner.rfind("'", 0) == 0 ? inner : "'" + r + "', which it reads: " + inner);
      const std::string name = std::string("\x01rate ") + r;  // no SBML id has this form
      recipe.chain_rates.emplace_back(name, *rate);
      needed_[t.id].insert(value_column(r));
      MathNode rate_of_r;
      rate_of_r.kind = MathNode::Kind::Identifier;
      rate_of_r.name = name;
      MathNode term;
      term.kind = MathNode::Kind::Apply;
      term.name = "times";
      term.args = {std::move(partial), std::move(rate_of_r)};
      sum.args.push_back(std::move(term));
    }
  } catch (const std::exception& e) {
    return refuse(std::string("its math: ") + e.what());
  }
  recipe.chain = std::move(sum);
  Column col;
  col.rate = true;
  col.spec.id = key;
  rates_[key] = std::move(recipe);
  needed_[t.id].insert(col);
  return col;
}

Series Runner::rate_series(const TaskRun& run, const Column& col) const {
  const RateRecipe& r = rates_.at(col.spec.id);
  Series out;
  std::size_t n = 0;
  for (const auto& [c, s] : run.columns)
    if (!c.rate && (c.matrix.empty() || !c.spec.id.empty())) n = std::max(n, s.size());
  Series time;
  for (const auto& [c, s] : run.columns)
    if (c.time) time = s;
  if (r.rule || r.chain) {
    // The rule's math (or its derivative) on the columns it reads, and the rates of what an
    // assignment rule reads; a constant is the same at every point.
    std::map<std::string, Series> rates;
    for (const auto& [name, c] : r.chain_rates) rates[name] = rate_series(run, c);
    out = evaluate(r.rule ? *r.rule : *r.chain, [&](const std::string& name) -> const Series* {
      if (name == kTime) return &time;
      if (const auto it = rates.find(name); it != rates.end()) return &it->second;
      const auto it = run.columns.find(value_column(name));
      return it == run.columns.end() ? nullptr : &it->second;
    });
    if (out.size() == 1 && n > 1) out.assign(n, out[0]);
    return out;
  }
  out.assign(n, 0.0);
  for (const auto& [rid, nu] : r.terms) {
    const Series& v = run.columns.at(value_column(rid));
    for (std::size_t i = 0; i < n; ++i) out[i] += nu * (i < v.size() ? v[i] : std::numeric_limits<double>::quiet_NaN());
  }
  if (!r.compartment.empty()) {
    const Series& size = run.columns.at(value_column(r.compartment));
    for (std::size_t i = 0; i < n; ++i) out[i] /= i < size.size() ? size[i] : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

}  // namespace axisim::sedml::execution
