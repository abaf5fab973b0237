// fba_task.hpp — a SED-ML steadyState task on a flux balance (fbc) model: which results each
// kind of flux balance analysis gives (KiSAO's terms, with the targets BioSimulators' COBRApy
// simulator reads) and the values of a task's variables.
//
//   KISAO:0000437 FBA    a reaction's flux (the element or @flux), an objective's value (@value),
//                        a reaction's @reducedCost and a species' @shadowPrice (the LP's duals,
//                        FbaResult::reduced_costs and shadow_prices)
//   KISAO:0000528 pFBA   the same, at the parsimonious fluxes; an objective's value is that
//                        objective at those fluxes (BioSimulators' COBRApy reports the minimised
//                        total flux under the active objective instead; CBMPy, like axisim, the
//                        objective); no duals (those of pFBA's own program are refused)
//   KISAO:0000554        pFBA by the fewest active fluxes: as pFBA (no duals)
//   KISAO:0000526 FVA    a reaction's @minFlux and @maxFlux; nothing else
#pragma once

#include <string>
#include <vector>

#include "axisim/fba.hpp"
#include "document/kisao.hpp"

namespace axisim::sedml {

// One variable of the task: a reaction, objective or species id, and "minFlux" / "maxFlux" for a
// range, "reducedCost" (reaction) / "shadowPrice" (species) for a dual; empty for a flux or value.
struct FbaColumn {
  std::string id;
  std::string flux_range;
  bool time_or_rate = false;  // time or a rate of change: not a result of flux balance analysis
};

// The value of each column, in order. Throws Error: Unsupported for a column the kind does not
// give (named, with the kind and what it gives), and whatever solve_fba / flux_variability throw.
std::vector<double> run_fba_task(const std::string& sbml, FbaKind kind, const FbaOptions& options,
                                 const std::vector<FbaColumn>& columns);

// "flux balance analysis", "parsimonious flux balance analysis", "flux variability analysis".
std::string fba_method_name(FbaKind kind);

}  // namespace axisim::sedml
