// stoichiometry.hpp — the stoichiometry matrix of the species that reactions change.
//
// Rows: species whose amount only reactions change (not constant, not boundary, not set by a
// rule, in at least one reaction); columns: every reaction. An entry is the net change of the
// species' amount per unit of the reaction's rate: signed stoichiometry times conversion factor,
// summed over the reaction's references to the species. Species whose entries can change during
// a run (a stoichiometry or conversion factor set by a rule, an event or an algebraic rule) or
// that a plugin adds a flux to are left out, with the reason: no constant row describes them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compile/compiled_system.hpp"
#include "run/plugin_coupling.hpp"

namespace axisim::detail {

struct Stoichiometry {
  std::vector<std::uint32_t> species;    // symbols, model order (rows)
  std::vector<std::uint32_t> reactions;  // reaction symbols, model order (columns)
  std::vector<double> n;                 // row-major, species x reactions
  struct Excluded {
    std::uint32_t species;
    std::string reason;
  };
  std::vector<Excluded> excluded;  // every other species, with the reason

  double at(std::size_t row, std::size_t col) const { return n[row * reactions.size() + col]; }
};

// `values`: a workspace initialised at time 0 (stoichiometries and conversion factors).
Stoichiometry build_stoichiometry(const CompiledSystem& system, const std::vector<double>& values,
                                  const std::vector<std::shared_ptr<const PluginBinding>>& plugins);

// True when something may change the symbol's value during a run: an assignment or rate rule,
// an event, or an algebraic rule that reads it (and may be what determines it).
bool varies_during_run(const CompiledSystem& system, std::uint32_t symbol);

}  // namespace axisim::detail
