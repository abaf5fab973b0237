// dependencies.cpp — what the compiled model's values depend on, for Jacobian patterns.
//
// A sparsity pattern must cover every entry that can be non-zero, or the solver gets a wrong
// Jacobian without knowing it. Most values are formulas of the symbols they name, but two kinds
// read more than their formula shows: delay(x, d) evaluates x (with the assigned symbols x
// needs) at another time, reading the current state when that time falls inside the step being
// taken; and the unknowns of algebraic rules and fast reactions are whatever makes the
// equations hold, so they depend on everything the equations read. These functions follow both,
// at load or when a run with plugins starts; nothing here runs per evaluation.
#include <algorithm>

#include "compile/compiled_system.hpp"

namespace axisim::detail {

const Expr& CompiledSystem::definition(std::uint32_t s) const {
  return fast_of_[s] != kNone ? fast_amounts_[static_cast<std::size_t>(fast_of_[s])] : assigned_expr_[s];
}

std::vector<std::uint32_t> CompiledSystem::reads_transitively(const std::vector<const Expr*>& roots) const {
  std::vector<bool> seen(ir_.symbols.size(), false), seen_delay(delayed_exprs_.size(), false);
  bool residuals_seen = false;
  std::vector<const Expr*> pending_exprs(roots.begin(), roots.end());
  std::vector<std::uint32_t> pending_symbols, out;
  // Symbols in e, and the delayed expressions of its delay nodes (x is not among e's arguments).
  auto visit = [&](const Expr& e, auto& self) -> void {
    if (e.op == Op::Symbol) pending_symbols.push_back(e.symbol);
    if (e.op == Op::Delay && !seen_delay[e.symbol]) {
      seen_delay[e.symbol] = true;
      pending_exprs.push_back(&delayed_exprs_[e.symbol]);
    }
    for (const Expr& a : e.args) self(a, self);
  };
  while (!pending_exprs.empty() || !pending_symbols.empty()) {
    if (!pending_exprs.empty()) {
      const Expr* e = pending_exprs.back();
      pending_exprs.pop_back();
      visit(*e, visit);
      continue;
    }
    const std::uint32_t s = pending_symbols.back();
    pending_symbols.pop_back();
    if (seen[s]) continue;
    seen[s] = true;
    out.push_back(s);
    // A species kept as an amount reads its compartment's size when read as a concentration.
    if (loads_[s].divide_by != kNone) pending_symbols.push_back(static_cast<std::uint32_t>(loads_[s].divide_by));
    if (assigned_by_rule_[s] || ir_.symbols[s].kind == SymbolKind::Reaction || fast_of_[s] != kNone) {
      pending_exprs.push_back(&definition(s));
    } else if (is_unknown_[s] && !residuals_seen) {
      residuals_seen = true;  // the unknowns are solved together: each may depend on every equation
      for (const Expr& r : residuals_) pending_exprs.push_back(&r);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::uint32_t> CompiledSystem::jacobian_dependencies(const Expr& e) const {
  std::vector<std::uint32_t> out = dependencies(e);
  if (delayed_exprs_.empty()) return out;
  const std::size_t direct = out.size();
  auto visit = [&](const Expr& x, auto& self) -> void {
    if (x.op == Op::Delay) {
      const std::vector<std::uint32_t>& reads = delay_reads_[x.symbol];
      out.insert(out.end(), reads.begin(), reads.end());
    }
    for (const Expr& a : x.args) self(a, self);
  };
  visit(e, visit);
  if (out.size() == direct) return out;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::uint32_t> CompiledSystem::states_read(std::uint32_t symbol) const {
  const Expr e = Expr::sym(symbol);
  std::vector<std::uint32_t> out;
  for (std::uint32_t s : reads_transitively({&e}))
    if (state_of_[s] != kNone) out.push_back(static_cast<std::uint32_t>(state_of_[s]));
  std::sort(out.begin(), out.end());
  return out;
}

CompiledSystem::Reach CompiledSystem::reached_from(const std::vector<std::uint32_t>& symbols) const {
  Reach r;
  r.symbols.assign(ir_.symbols.size(), false);
  r.rows.assign(state_slots_.size(), false);
  for (std::uint32_t s : symbols) r.symbols[s] = true;
  auto reads_reached = [&](const Expr& e) {
    for (std::uint32_t d : jacobian_dependencies(e))
      if (r.symbols[d]) return true;
    return false;
  };
  // The unknowns first: solve_reads_ already holds everything the equations read, transitively.
  if (std::any_of(solve_reads_.begin(), solve_reads_.end(), [&](std::uint32_t s) { return r.symbols[s]; }))
    for (std::uint32_t z : algebraic_vars_) r.symbols[z] = true;
  // Then in the order of computation, so that whatever a definition reads is settled; a delay's
  // reads include the symbols at the bottom of every chain, which are.
  for (std::uint32_t s : definition_order_)
    if (!r.symbols[s] && reads_reached(definition(s))) r.symbols[s] = true;
  for (std::size_t i = 0; i < ir_.rate_rules.size(); ++i)
    if (reads_reached(rate_exprs_[i])) r.rows[static_cast<std::size_t>(state_of_[ir_.rate_rules[i].variable])] = true;
  for (const StoichEntry& e : stoich_) {
    bool reached = r.symbols[e.rate_slot];
    if (e.stoichiometry_slot != kNone) reached = reached || r.symbols[static_cast<std::size_t>(e.stoichiometry_slot)];
    if (e.conversion_factor_slot != kNone)
      reached = reached || r.symbols[static_cast<std::size_t>(e.conversion_factor_slot)];
    if (reached) r.rows[e.state] = true;
  }
  // Math values: a species read as a concentration also changes with its compartment's size.
  for (std::uint32_t s = 0; s < ir_.symbols.size(); ++s)
    if (loads_[s].divide_by != kNone && r.symbols[static_cast<std::size_t>(loads_[s].divide_by)]) r.symbols[s] = true;
  return r;
}

}  // namespace axisim::detail
