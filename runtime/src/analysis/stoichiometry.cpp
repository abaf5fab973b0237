#include "analysis/stoichiometry.hpp"

#include <algorithm>

namespace axisim::detail {

bool varies_during_run(const CompiledSystem& system, std::uint32_t s) {
  const ModelIR& ir = system.ir();
  if (ir.symbols[s].constant) return false;
  if (system.has_assignment_rule(s)) return true;
  for (const Rule& r : ir.rate_rules)
    if (r.variable == s) return true;
  for (const Event& e : ir.events)
    for (const EventAssignment& a : e.assignments)
      if (a.variable == s) return true;
  bool in_algebraic = false;
  for (const Expr& rule : ir.algebraic_rules)
    for_each_symbol(rule, [&](std::uint32_t x) { in_algebraic = in_algebraic || x == s; });
  return in_algebraic;
}

Stoichiometry build_stoichiometry(const CompiledSystem& system, const std::vector<double>& values,
                                  const std::vector<std::shared_ptr<const PluginBinding>>& plugins) {
  const ModelIR& ir = system.ir();
  Stoichiometry st;
  for (const Reaction& rx : ir.reactions) st.reactions.push_back(rx.symbol);

  std::vector<std::string> reason(ir.symbols.size());
  std::vector<bool> in_reaction(ir.symbols.size(), false);
  for (const Reaction& rx : ir.reactions)
    for (const auto* refs : {&rx.reactants, &rx.products})
      for (const SpeciesReference& ref : *refs) {
        in_reaction[ref.species] = true;
        const Symbol& sp = ir.symbols[ref.species];
        if (ref.symbol != kNone && varies_during_run(system, static_cast<std::uint32_t>(ref.symbol)) &&
            reason[ref.species].empty())
          reason[ref.species] = "variable stoichiometry in reaction '" + ir.symbols[rx.symbol].id +
                                "' (species reference '" + ir.symbols[static_cast<std::size_t>(ref.symbol)].id + "')";
        const std::int64_t cf = sp.conversion_factor != kNone ? sp.conversion_factor : ir.conversion_factor;
        if (cf != kNone && varies_during_run(system, static_cast<std::uint32_t>(cf)) && reason[ref.species].empty())
          reason[ref.species] = "variable conversion factor '" + ir.symbols[static_cast<std::size_t>(cf)].id + "'";
      }
  for (const auto& p : plugins)
    for (const PluginBinding::Effect& e : p->effects)
      if (e.flux && reason[e.symbol].empty()) reason[e.symbol] = "plugin '" + p->plugin.name() + "' adds a flux to it";

  std::vector<bool> rate_ruled(ir.symbols.size(), false);
  for (const Rule& r : ir.rate_rules) rate_ruled[r.variable] = true;
  std::vector<std::int64_t> row_of(ir.symbols.size(), kNone);
  for (std::uint32_t s = 0; s < ir.symbols.size(); ++s) {
    const Symbol& sym = ir.symbols[s];
    if (sym.kind != SymbolKind::Species || sym.internal) continue;
    std::string why;
    if (sym.boundary_condition) why = "boundary species (reactions do not change it)";
    else if (sym.constant) why = "constant";
    else if (system.has_assignment_rule(s)) why = "set by an assignment rule";
    else if (rate_ruled[s]) why = "set by a rate rule";
    else if (!in_reaction[s]) why = "in no reaction";
    else why = reason[s];
    if (!why.empty()) {
      st.excluded.push_back({s, why});
      continue;
    }
    row_of[s] = static_cast<std::int64_t>(st.species.size());
    st.species.push_back(s);
  }

  st.n.assign(st.species.size() * st.reactions.size(), 0.0);
  for (std::size_t j = 0; j < ir.reactions.size(); ++j) {
    const Reaction& rx = ir.reactions[j];
    for (const auto* refs : {&rx.reactants, &rx.products})
      for (const SpeciesReference& ref : *refs) {
        const std::int64_t row = row_of[ref.species];
        if (row == kNone) continue;
        const Symbol& sp = ir.symbols[ref.species];
        double coefficient = ref.symbol == kNone ? ref.stoichiometry : values[static_cast<std::size_t>(ref.symbol)];
        const std::int64_t cf = sp.conversion_factor != kNone ? sp.conversion_factor : ir.conversion_factor;
        if (cf != kNone) coefficient *= values[static_cast<std::size_t>(cf)];
        st.n[static_cast<std::size_t>(row) * st.reactions.size() + j] += refs == &rx.reactants ? -coefficient : coefficient;
      }
  }
  return st;
}

}  // namespace axisim::detail
