#include "tasks/fba_task.hpp"

#include <map>

#include "axisim/error.hpp"

namespace axisim::sedml {

std::string fba_method_name(FbaKind kind) {
  switch (kind) {
    case FbaKind::Parsimonious: return "parsimonious flux balance analysis";
    case FbaKind::Variability: return "flux variability analysis";
    case FbaKind::FewestActive: return "parsimonious flux balance analysis (minimum number of active fluxes)";
    case FbaKind::Geometric: return "geometric flux balance analysis";
    case FbaKind::Plain: break;
  }
  return "flux balance analysis";
}

std::vector<double> run_fba_task(const std::string& sbml, FbaKind kind, const FbaOptions& options,
                                 const std::vector<FbaColumn>& columns) {
  const std::string method = fba_method_name(kind);
  for (const FbaColumn& c : columns) {
    if (c.time_or_rate) throw Error(ErrorKind::InvalidSbml, method + " has no time or rates of change to report");
    const bool range = c.flux_range == "minFlux" || c.flux_range == "maxFlux";
    const bool dual = c.flux_range == "reducedCost" || c.flux_range == "shadowPrice";
    if (kind == FbaKind::Variability && !range)
      throw Error(ErrorKind::Unsupported,
                  "'" + c.id + "': flux variability analysis (KISAO:0000526) gives a reaction's minFlux and maxFlux "
                  "(targets .../sbml:reaction[@id='" + c.id + "']/@minFlux and /@maxFlux), not one flux, an objective's "
                  "value or a dual");
    if (kind != FbaKind::Variability && range)
      throw Error(ErrorKind::Unsupported, "'" + c.id + "/@" + c.flux_range + "': a flux range is a result of flux "
                                          "variability analysis (KISAO:0000526), not of " + method);
    // FBA's and pFBA's duals are reported (pFBA's as rates of change of its least total flux,
    // axisim/fba.hpp). A mixed-integer program has no duals, and geometric FBA's fluxes are the
    // middles of ranges, no program's optimum.
    if (kind == FbaKind::FewestActive && dual)
      throw Error(ErrorKind::Unsupported, "'" + c.id + "/@" + c.flux_range + "': " + method +
                                          " (KISAO:0000554) solves a mixed-integer program, which has no duals (reduced "
                                          "costs and shadow prices are reported for KISAO:0000437 and KISAO:0000528)");
    if (kind == FbaKind::Geometric && dual)
      throw Error(ErrorKind::Unsupported, "'" + c.id + "/@" + c.flux_range + "': " + method +
                                          " (KISAO:0000527) reports the middles of flux ranges, no program's optimum, so "
                                          "it has no duals (reduced costs and shadow prices are reported for KISAO:0000437 "
                                          "and KISAO:0000528)");
  }
  std::vector<double> values;
  if (kind == FbaKind::Variability) {
    if (columns.empty()) return values;  // no reaction asked for (empty means all to flux_variability)
    std::vector<std::string> reactions;
    std::map<std::string, std::size_t> index;
    for (const FbaColumn& c : columns)
      if (index.emplace(c.id, reactions.size()).second) reactions.push_back(c.id);
    const FvaResult r = flux_variability_string(sbml, reactions, options);
    for (const FbaColumn& c : columns) {
      const std::size_t i = index.at(c.id);
      values.push_back(c.flux_range == "minFlux" ? r.minimum[i] : r.maximum[i]);
    }
    return values;
  }
  std::vector<std::string> ids;
  for (const FbaColumn& c : columns)
    if (c.flux_range.empty()) ids.push_back(c.id);
  FbaOptions o = options;
  o.method = kind == FbaKind::Parsimonious   ? FbaMethod::Parsimonious
             : kind == FbaKind::FewestActive ? FbaMethod::FewestActive
             : kind == FbaKind::Geometric    ? FbaMethod::Geometric
                                             : FbaMethod::Optimum;
  // With only duals asked for, `ids` is empty and solve_fba reports every flux, unused here.
  const FbaResult r = solve_fba_string(sbml, ids, o);
  std::map<std::string, double> reduced_cost, shadow_price;
  for (std::size_t i = 0; i < r.reaction_ids.size(); ++i) reduced_cost[r.reaction_ids[i]] = r.reduced_costs[i];
  for (std::size_t i = 0; i < r.species_ids.size(); ++i) shadow_price[r.species_ids[i]] = r.shadow_prices[i];
  std::size_t k = 0;
  for (const FbaColumn& c : columns) {
    if (c.flux_range.empty()) {
      values.push_back(r.values[k++]);
      continue;
    }
    const auto& table = c.flux_range == "reducedCost" ? reduced_cost : shadow_price;
    const auto it = table.find(c.id);
    if (it == table.end())
      throw Error(ErrorKind::UnknownId, "'" + c.id + "/@" + c.flux_range + "': the model has no " +
                                            (c.flux_range == "reducedCost" ? "reaction" : "species") + " '" + c.id + "'");
    values.push_back(it->second);
  }
  return values;
}

}  // namespace axisim::sedml
