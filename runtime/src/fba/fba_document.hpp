// fba_document.hpp — the flux balance problem of an fbc document, as fba.cpp reads it: the
// LinearProgram with the names and structure the analyses built on it need (objectives, which
// species a reaction touches). dynamic_fba.cpp shares it with fba.cpp; neither header names
// libSBML's or GLPK's types.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "axisim/fba.hpp"
#include "fba/fba_problem.hpp"
#include "sbml/sbml_document.hpp"

namespace axisim::detail {

struct FbaObjective {
  std::string id;
  bool maximize = true;
  std::vector<std::pair<std::size_t, double>> coefficients;  // reaction index, coefficient
};

struct FbaProblem {
  LinearProgram lp;
  std::map<std::string, std::size_t> reaction_index;
  std::vector<FbaObjective> objectives;
  std::size_t active = 0;
  std::string model_id;
  // Every species in document order, and its steady-state row (none for a boundary species).
  std::vector<std::string> species_ids;
  std::vector<std::optional<std::size_t>> species_row;
  // Per reaction (LP column), every species it changes, boundary species included: species
  // index (into species_ids) and net stoichiometry at time 0 (products +, reactants -).
  std::vector<std::vector<std::pair<std::size_t, double>>> reaction_species;
};

// Reads `source` (under libSBML's lock, released before returning) and checks `options`' numbers.
// Throws as solve_fba does.
FbaProblem load_fba_problem(const SbmlSource& source, const FbaOptions& options, const std::string& label);

}  // namespace axisim::detail
