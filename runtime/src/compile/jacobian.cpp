#include "compile/jacobian.hpp"

#include <algorithm>
#include <utility>

#include "compile/derivative.hpp"
#include "ir/model_ir.hpp"
#include "solve/incomplete_lu.hpp"

namespace axisim::detail {
namespace {

using StateSet = std::vector<std::uint32_t>;  // sorted state indices

// The states an expression depends on: the union of its symbols' sets.
StateSet depends_on(const Expr& e, const JacobianSource& src, const std::vector<StateSet>& of_symbol,
                    std::vector<std::uint32_t>& mark, std::uint32_t& stamp) {
  ++stamp;
  StateSet out;
  for (std::uint32_t s : src.dependencies(e))
    for (std::uint32_t k : of_symbol[s])
      if (mark[k] != stamp) {
        mark[k] = stamp;
        out.push_back(k);
      }
  std::sort(out.begin(), out.end());
  return out;
}

bool contains(const StateSet& set, std::uint32_t k) { return std::binary_search(set.begin(), set.end(), k); }

}  // namespace

std::vector<std::vector<std::uint32_t>> group_columns(const SparsePattern& pattern,
                                                      const std::vector<std::uint32_t>& columns) {
  std::vector<std::vector<std::uint32_t>> columns_of_row(pattern.n);
  for (std::uint32_t k : columns)
    for (std::int64_t p = pattern.column_start[k]; p < pattern.column_start[k + 1]; ++p)
      columns_of_row[static_cast<std::size_t>(pattern.row[p])].push_back(k);
  std::vector<std::int64_t> colour(pattern.n, -1);
  std::vector<std::uint32_t> forbidden;  // per colour: the last column (+1) it was forbidden for
  std::vector<std::vector<std::uint32_t>> groups;
  for (std::uint32_t k : columns) {
    for (std::int64_t p = pattern.column_start[k]; p < pattern.column_start[k + 1]; ++p)
      for (std::uint32_t j : columns_of_row[static_cast<std::size_t>(pattern.row[p])])
        if (colour[j] >= 0) forbidden[static_cast<std::size_t>(colour[j])] = k + 1;
    std::size_t c = 0;
    while (c < groups.size() && forbidden[c] == k + 1) ++c;
    if (c == groups.size()) {
      groups.emplace_back();
      forbidden.push_back(0);
    }
    colour[k] = static_cast<std::int64_t>(c);
    groups[c].push_back(k);
  }
  return groups;
}

CompiledJacobian compile_jacobian(const JacobianSource& src) {
  const std::size_t n = src.ydot.size();
  const std::size_t nsym = src.num_symbols;
  const std::vector<std::int64_t>& state_of = *src.state_of;
  CompiledJacobian out;

  // 1. Which states each symbol depends on: a state on itself, a solved symbol on what its
  //    equations read, an assigned symbol on the union of what its formula reads, everything
  //    else on nothing.
  std::vector<StateSet> of_symbol(nsym);
  for (std::uint32_t s = 0; s < nsym; ++s)
    if (state_of[s] != kNone) of_symbol[s] = {static_cast<std::uint32_t>(state_of[s])};
  for (const auto& [s, states] : src.solved) of_symbol[s] = states;
  std::vector<std::uint32_t> mark(n, 0);
  std::uint32_t stamp = 0;
  for (std::uint32_t s : *src.assigned) of_symbol[s] = depends_on((*src.assigned_expr)[s], src, of_symbol, mark, stamp);

  // 2. One value slot per (solved or assigned symbol, state it depends on).
  std::vector<std::size_t> slot_base(nsym, 0);
  for (const auto& [s, states] : src.solved) {
    slot_base[s] = out.num_slots;
    out.solved_slots.push_back(out.num_slots);
    out.num_slots += states.size();
  }
  for (std::uint32_t s : *src.assigned) {
    slot_base[s] = out.num_slots;
    out.num_slots += of_symbol[s].size();
  }
  std::vector<SymbolLoad> loads = *src.loads;
  for (std::size_t i = 0; i < out.num_slots; ++i) loads.push_back(SymbolLoad{static_cast<std::uint32_t>(nsym + i), -1});

  // 3. The pattern: row i has column k where ydot_i depends on state k; the diagonal always.
  //    A sum (a species' stoichiometric sum) is split into its terms, so that each column only
  //    differentiates the terms that depend on it.
  std::vector<std::vector<Expr>> terms(n);
  std::vector<std::vector<StateSet>> term_states(n);
  std::vector<StateSet> row_states(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Expr& f = src.ydot[i];
    if (f.op == Op::Plus) terms[i] = f.args;
    else terms[i] = {f};
    for (const Expr& t : terms[i]) term_states[i].push_back(depends_on(t, src, of_symbol, mark, stamp));
    StateSet all{static_cast<std::uint32_t>(i)};
    for (const StateSet& ts : term_states[i]) all.insert(all.end(), ts.begin(), ts.end());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    row_states[i] = std::move(all);
  }
  SparsePattern& pat = out.pattern;
  pat.n = n;
  pat.column_start.assign(n + 1, 0);
  for (const StateSet& r : row_states)
    for (std::uint32_t k : r) ++pat.column_start[k + 1];
  for (std::size_t k = 0; k < n; ++k) pat.column_start[k + 1] += pat.column_start[k];
  pat.row.assign(static_cast<std::size_t>(pat.column_start[n]), 0);
  {
    std::vector<std::int64_t> next(pat.column_start.begin(), pat.column_start.end() - 1);
    for (std::size_t i = 0; i < n; ++i)  // rows in increasing order, so each column comes out sorted
      for (std::uint32_t k : row_states[i]) pat.row[static_cast<std::size_t>(next[k]++)] = static_cast<std::int64_t>(i);
  }

  // 4. Derivatives, column by column. d(math value of j)/d y_k: 1 for the state itself, the D
  //    slot of an assigned or solved symbol, and for a species kept as an amount but read as a
  //    concentration c = n / V: (dn - c dV) / V.
  std::vector<bool> numeric(n, false);
  std::uint32_t column = 0;
  auto raw = [&](std::uint32_t s) -> std::optional<Expr> {
    if (state_of[s] != kNone) {
      if (static_cast<std::uint32_t>(state_of[s]) == column) return Expr::number(1.0);
      return std::nullopt;
    }
    const StateSet& set = of_symbol[s];
    const auto it = std::lower_bound(set.begin(), set.end(), column);
    if (it == set.end() || *it != column) return std::nullopt;
    return Expr::sym(static_cast<std::uint32_t>(nsym + slot_base[s] + static_cast<std::size_t>(it - set.begin())));
  };
  // A delay's derivative is zero for a column it cannot reach, and numeric for one it can. The
  // states each delay node reaches, computed once per node (it is asked once per column).
  std::vector<std::pair<const Expr*, StateSet>> delay_states;
  const DelayDependence delay_depends = [&](const Expr& delay) {
    auto it = std::find_if(delay_states.begin(), delay_states.end(), [&](const auto& d) { return d.first == &delay; });
    if (it == delay_states.end()) {
      delay_states.emplace_back(&delay, depends_on(delay, src, of_symbol, mark, stamp));
      it = delay_states.end() - 1;
    }
    return contains(it->second, column);
  };
  const SymbolDerivative of = [&](std::uint32_t j) -> std::optional<Expr> {
    std::optional<Expr> dn = raw(j);
    const std::int64_t divisor = (*src.loads)[j].divide_by;
    if (divisor < 0) return dn;
    const auto c = static_cast<std::uint32_t>(divisor);
    std::optional<Expr> dv = raw(c);
    if (!dv) {
      if (!dn) return std::nullopt;
      return Expr::call(Op::Divide, {std::move(*dn), Expr::sym(c)});
    }
    Expr minus_c_dv = Expr::call(Op::Negate, {Expr::call(Op::Times, {Expr::sym(j), std::move(*dv)})});
    Expr top = dn ? Expr::call(Op::Plus, {std::move(*dn), std::move(minus_c_dv)}) : std::move(minus_c_dv);
    return Expr::call(Op::Divide, {std::move(top), Expr::sym(c)});
  };

  for (std::uint32_t s : *src.assigned) {
    const StateSet& set = of_symbol[s];
    for (std::size_t idx = 0; idx < set.size(); ++idx) {
      column = set[idx];
      if (numeric[column]) continue;
      try {
        const std::optional<Expr> d = differentiate((*src.assigned_expr)[s], of, delay_depends);
        out.program.add_store(d ? *d : Expr::number(0.0), static_cast<std::uint32_t>(nsym + slot_base[s] + idx), loads);
      } catch (const NotDifferentiable&) {
        numeric[column] = true;
      }
    }
  }
  // Entries of numeric columns are filled by difference quotients; the program skips them.
  std::vector<std::pair<std::size_t, Expr>> entries;
  for (column = 0; column < n; ++column) {
    if (numeric[column]) continue;
    std::vector<std::pair<std::size_t, Expr>> in_column;
    try {
      for (std::int64_t p = pat.column_start[column]; p < pat.column_start[column + 1]; ++p) {
        const auto i = static_cast<std::size_t>(pat.row[static_cast<std::size_t>(p)]);
        std::optional<Expr> d;
        for (std::size_t t = 0; t < terms[i].size(); ++t) {
          if (!contains(term_states[i][t], column)) continue;
          std::optional<Expr> dt = differentiate(terms[i][t], of, delay_depends);
          if (!dt) continue;
          d = d ? Expr::call(Op::Plus, {std::move(*d), std::move(*dt)}) : std::move(*dt);
        }
        in_column.emplace_back(static_cast<std::size_t>(p), d ? std::move(*d) : Expr::number(0.0));
      }
    } catch (const NotDifferentiable&) {
      numeric[column] = true;
      continue;
    }
    for (auto& e : in_column) entries.push_back(std::move(e));
  }
  for (const auto& [p, e] : entries) out.program.add_store_out(e, static_cast<std::uint32_t>(p), loads);

  for (std::uint32_t k = 0; k < n; ++k)
    if (numeric[k]) out.numeric_columns.push_back(k);
  out.numeric_groups = group_columns(pat, out.numeric_columns);
  std::vector<std::uint32_t> all(n);
  for (std::uint32_t k = 0; k < n; ++k) all[k] = k;
  out.all_groups = group_columns(pat, all);
  out.exact_lu_entries = exact_lu_entries(pat);
  return out;
}

}  // namespace axisim::detail
