// The public conserved-moiety analysis (axisim/moieties.hpp).
#include "axisim/moieties.hpp"

#include <set>

#include "analysis/conservation.hpp"
#include "analysis/stoichiometry.hpp"
#include "model_access.hpp"

namespace axisim {

MoietyAnalysis conserved_moieties(const Model& model) {
  using namespace detail;
  const CompiledSystem& sys = ModelAccess::system(model);
  const ModelIR& ir = sys.ir();
  ModelAccess::require_defined(model);
  Workspace ws = sys.make_workspace();
  sys.initialize(ws, ModelAccess::overrides(model));
  const Stoichiometry st = build_stoichiometry(sys, ws.values, ModelAccess::plugins(model));
  const Conservation c = find_conservation(st);

  MoietyAnalysis m;
  for (std::uint32_t s : st.species) m.species.push_back(ir.symbols[s].id);
  for (std::uint32_t r : st.reactions) m.reactions.push_back(ir.symbols[r].id);
  for (std::size_t i : c.independent) m.independent.push_back(m.species[i]);
  for (std::size_t d : c.dependent) m.dependent.push_back(m.species[d]);
  m.rank = c.rank;
  m.exact = c.exact;
  m.tolerance = c.tolerance;
  m.stoichiometry = Matrix(m.species, m.reactions);
  m.stoichiometry.values = st.n;

  std::vector<double> amount(st.species.size());
  for (std::size_t i = 0; i < st.species.size(); ++i) amount[i] = sys.read(ws, st.species[i], Quantity::Amount);
  m.link = Matrix(m.species, m.independent);
  m.offset.assign(m.species.size(), 0.0);
  for (std::size_t q = 0; q < c.independent.size(); ++q) m.link(c.independent[q], q) = 1.0;
  for (std::size_t d = 0; d < c.dependent.size(); ++d) {
    const std::vector<double>& g = c.laws[d];
    ConservationLaw law;
    law.dependent = m.species[c.dependent[d]];
    for (std::size_t i = 0; i < g.size(); ++i) {
      if (g[i] == 0.0) continue;
      law.species.push_back(m.species[i]);
      law.coefficients.push_back(g[i]);
      law.total += g[i] * amount[i];
    }
    for (std::size_t q = 0; q < c.independent.size(); ++q) m.link(c.dependent[d], q) = c.link0[d * c.independent.size() + q];
    m.offset[c.dependent[d]] = law.total / g[c.dependent[d]];
    m.laws.push_back(std::move(law));
  }
  m.reduced_stoichiometry = Matrix(m.independent, m.reactions);
  for (std::size_t q = 0; q < c.independent.size(); ++q)
    for (std::size_t j = 0; j < m.reactions.size(); ++j) m.reduced_stoichiometry(q, j) = st.at(c.independent[q], j);
  m.link0 = Matrix(m.dependent, m.independent);
  for (std::size_t d = 0; d < c.dependent.size(); ++d)
    for (std::size_t q = 0; q < c.independent.size(); ++q) m.link0(d, q) = c.link0[d * c.independent.size() + q];
  const Conservation k = find_kernel(st);
  for (std::size_t f : k.dependent) m.free_reactions.push_back(m.reactions[f]);
  m.kernel = Matrix(m.reactions, m.free_reactions);
  for (std::size_t f = 0; f < k.dependent.size(); ++f) {
    const std::vector<double>& g = k.laws[f];
    const double own = g[k.dependent[f]];  // non-zero: scaled to 1 on its own free reaction
    for (std::size_t j = 0; j < m.reactions.size(); ++j) m.kernel(j, f) = g[j] == 0.0 ? 0.0 : g[j] / own;
  }
  for (const Stoichiometry::Excluded& e : st.excluded) m.excluded.push_back({ir.symbols[e.species].id, e.reason});

  // Caveats: what can break a law during a run, and what the laws are about.
  std::set<std::uint32_t> in_law;
  for (std::size_t d = 0; d < c.dependent.size(); ++d)
    for (std::size_t i = 0; i < c.laws[d].size(); ++i)
      if (c.laws[d][i] != 0.0) in_law.insert(st.species[i]);
  for (const Event& e : ir.events)
    for (const EventAssignment& a : e.assignments)
      if (in_law.count(a.variable))
        m.notes.push_back("event '" + e.id + "' sets '" + ir.symbols[a.variable].id +
                          "': the law holds between events, with a new total after it fires");
  std::set<std::uint32_t> compartments;
  for (std::uint32_t s : in_law) compartments.insert(ir.symbols[s].compartment);
  for (std::uint32_t comp : compartments)
    if (varies_during_run(sys, comp))
      m.notes.push_back("compartment '" + ir.symbols[comp].id +
                        "' changes size: the laws hold for amounts, not for concentrations");
  if (!c.exact)
    m.notes.push_back("some stoichiometry is neither a fraction with a denominator up to 10^6 nor a decimal of up to "
                      "12 places (or the integers grew too large): the laws were found in floating point (QR, "
                      "relative rank tolerance 1e-10)");
  return m;
}

}  // namespace axisim
