// axisim/fba.hpp — flux balance analysis of SBML models that use the fbc package.
//
//   axisim::FbaResult r = axisim::solve_fba("model.xml", {"R1", "OBJ"});
//   // r.values[0] is R1's flux at the optimum, r.values[1] the value of objective OBJ.
//
// The problem solved is the fbc one: optimise the active objective (a linear combination of
// reaction fluxes) over all flux vectors v with S v = 0 (one row per species that is not a
// boundary species) and lower <= v <= upper. Flux bounds are read from fbc Version 1
// FluxBound elements or from fbc Version 2 lowerFluxBound/upperFluxBound parameters; values
// are those at time 0 (initial assignments and assignment rules applied). See docs/fba.md.
#pragma once

#include <string>
#include <vector>

#include "axisim/error.hpp"

namespace axisim {

struct FbaOptions {
  // Run libSBML's consistency checks (fbc's included) before solving.
  bool validate = true;
  // An infeasible problem throws Error(Solver) unless this is set; then the result holds NaN
  // for every value and `feasible` is false (the SBML Test Suite's convention).
  bool infeasible_as_nan = false;
};

struct FbaResult {
  std::vector<std::string> ids;  // the requested ids, in order
  std::vector<double> values;    // a reaction's flux, or an objective's value, at the optimum
  double objective = 0;          // the active objective's optimal value
  std::string objective_id;      // the active objective
  bool maximize = true;          // its direction
  bool feasible = true;
  std::string infeasibility;     // why, when !feasible
};

// Solves the model's flux balance problem and reports `outputs`: reaction ids give fluxes,
// objective ids the value of that objective at the optimal fluxes. Empty `outputs` means every
// reaction, in document order, then the active objective.
//
// When the optimum is not unique, the fluxes are those of the optimal vertex GLPK's simplex
// method stops at; only the objective value is then determined by the model.
//
// Throws Error: Io (unreadable file), InvalidSbml, Unsupported (no fbc objective, or an fbc
// feature axisim does not handle, named), UnknownId (an output that is neither a reaction nor
// an objective), Solver (infeasible or unbounded problem, or GLPK failure, GLPK's status named).
FbaResult solve_fba(const std::string& path, const std::vector<std::string>& outputs = {},
                    const FbaOptions& options = {});
FbaResult solve_fba_string(const std::string& sbml, const std::vector<std::string>& outputs = {},
                           const FbaOptions& options = {});

}  // namespace axisim
