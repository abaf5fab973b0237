#include "analysis/conservation.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/dense_algebra.hpp"
#include "analysis/integer_elimination.hpp"
#include "axisim/error.hpp"

namespace axisim::detail {
namespace {

void fill_link(Conservation& c) {
  c.link0.assign(c.dependent.size() * c.independent.size(), 0.0);
  for (std::size_t d = 0; d < c.dependent.size(); ++d) {
    const std::vector<double>& g = c.laws[d];
    for (std::size_t q = 0; q < c.independent.size(); ++q) {
      const double v = -g[c.independent[q]] / g[c.dependent[d]];
      c.link0[d * c.independent.size() + q] = v == 0.0 ? 0.0 : v;  // not -0, which reports would print as such
    }
  }
}

// Rank-revealing fallback (dense_algebra.hpp): each dependent row of N is a least-squares
// combination of the independent ones, n_d = sum_q x_q n_q, so the law is e_d - sum_q x_q e_q.
Conservation numeric_conservation(const Stoichiometry& st) {
  const RowBasis b = row_basis(st.n, st.species.size(), st.reactions.size(), kRankTolerance);
  Conservation c;
  c.exact = false;
  c.tolerance = kRankTolerance;
  c.independent = b.independent;
  c.dependent = b.dependent;
  c.rank = static_cast<int>(b.independent.size());
  for (std::size_t d = 0; d < c.dependent.size(); ++d) {
    std::vector<double> law(st.species.size(), 0.0);
    law[c.dependent[d]] = 1.0;
    for (std::size_t q = 0; q < c.independent.size(); ++q)
      law[c.independent[q]] = -b.combination[d * c.independent.size() + q];
    c.laws.push_back(std::move(law));
  }
  fill_link(c);
  return c;
}

}  // namespace

Conservation find_conservation(const Stoichiometry& st) {
  if (const auto exact = integer_conservation_laws(st.n, st.species.size(), st.reactions.size())) {
    Conservation c;
    c.independent = exact->independent;
    std::sort(c.independent.begin(), c.independent.end());
    c.dependent = exact->dependent;
    c.rank = static_cast<int>(c.independent.size());
    for (const auto& law : exact->laws) c.laws.emplace_back(law.begin(), law.end());
    fill_link(c);
    return c;
  }
  return numeric_conservation(st);
}

Conservation find_kernel(const Stoichiometry& st) {
  // find_conservation reads only n and the two sizes: N transposed is reactions x species.
  Stoichiometry t;
  t.species = st.reactions;
  t.reactions = st.species;
  t.n.assign(st.n.size(), 0.0);
  const std::size_t rows = st.species.size(), cols = st.reactions.size();
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) t.n[j * rows + i] = st.n[i * cols + j];
  return find_conservation(t);
}

StateReduction moiety_reduction(const CompiledSystem& system, const std::vector<InitialOverride>& overrides,
                                const std::vector<std::shared_ptr<const PluginBinding>>& plugins) {
  const ModelIR& ir = system.ir();
  Workspace ws = system.make_workspace();
  system.initialize(ws, overrides);
  const Stoichiometry st = build_stoichiometry(system, ws.values, plugins);
  const Conservation c = find_conservation(st);
  std::vector<std::int64_t> state_of(ir.symbols.size(), -1);
  for (std::size_t k = 0; k < system.num_states(); ++k) state_of[system.state_slot(k)] = static_cast<std::int64_t>(k);
  auto state = [&](std::size_t row) {
    const std::uint32_t s = st.species[row];
    if (state_of[s] < 0)
      throw Error(ErrorKind::Unsupported, "reduce moieties unsupported: species '" + ir.symbols[s].id +
                                              "' is in a conservation law but not integrated as its own amount (a fast "
                                              "reaction moves it; --ignore-fast treats fast reactions as ordinary "
                                              "kinetics)");
    return static_cast<std::size_t>(state_of[s]);
  };
  StateReduction r;
  for (std::size_t d = 0; d < c.dependent.size(); ++d) {
    const std::vector<double>& g = c.laws[d];
    StateReduction::Law law;
    law.dependent = state(c.dependent[d]);
    law.coefficient = g[c.dependent[d]];
    for (std::size_t i = 0; i < g.size(); ++i)
      if (i != c.dependent[d] && g[i] != 0.0) law.terms.emplace_back(state(i), g[i]);
    r.laws.push_back(std::move(law));
  }
  return r;
}

}  // namespace axisim::detail
