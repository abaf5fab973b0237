#include "fba_task.hpp"

#include <map>

#include "axisim/error.hpp"

namespace axisim::sedml {

std::string fba_method_name(FbaKind kind) {
  switch (kind) {
    case FbaKind::Parsimonious: return "parsimonious flux balance analysis";
    case FbaKind::Variability: return "flux variability analysis";
    case FbaKind::Plain: break;
  }
  return "flux balance analysis";
}

std::vector<double> run_fba_task(const std::string& sbml, FbaKind kind, const FbaOptions& options,
                                 const std::vector<FbaColumn>& columns) {
  const std::string method = fba_method_name(kind);
  for (const FbaColumn& c : columns) {
    if (c.time_or_rate) throw Error(ErrorKind::InvalidSbml, method + " has no time or rates of change to report");
    if (kind == FbaKind::Variability && c.flux_range.empty())
      throw Error(ErrorKind::Unsupported,
                  "'" + c.id + "': flux variability analysis (KISAO:0000526) gives a reaction's minFlux and maxFlux "
                  "(targets .../sbml:reaction[@id='" + c.id + "']/@minFlux and /@maxFlux), not one flux or an objective's value");
    if (kind != FbaKind::Variability && !c.flux_range.empty())
      throw Error(ErrorKind::Unsupported, "'" + c.id + "/@" + c.flux_range + "': a flux range is a result of flux "
                                          "variability analysis (KISAO:0000526), not of " + method);
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
  for (const FbaColumn& c : columns) ids.push_back(c.id);
  FbaOptions o = options;
  o.method = kind == FbaKind::Parsimonious ? FbaMethod::Parsimonious : FbaMethod::Optimum;
  return solve_fba_string(sbml, ids, o).values;
}

}  // namespace axisim::sedml
