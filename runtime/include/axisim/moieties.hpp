// axisim/moieties.hpp — conserved moieties: the conservation laws of a model's stoichiometry.
//
//   axisim::Model model = axisim::Model::from_file("model.xml");
//   axisim::MoietyAnalysis m = axisim::conserved_moieties(model);
//   // m.laws[0]: e.g. 1 E + 1 ES = 5 (amounts); m.dependent[0] == "ES"
//
// A conservation law is a row vector g with g N = 0, N being the stoichiometry matrix (species
// changed by reactions × reactions, conversion factors included): sum_i g_i n_i stays at its
// initial value whatever the rates are. Laws are found exactly, by fraction-free Gaussian
// elimination in 128-bit integers (stoichiometries are first written as fractions p/q with
// q <= 10^6, or decimals of up to 12 places, matched to 1e-12 relative); when an entry is not such a fraction or a number would
// overflow, by a column-pivoted QR factorisation with a relative rank tolerance of 1e-10
// (`exact` is then false). The laws are in amounts, so they hold in compartments whose size
// changes too. See docs/analyses.md.
//
// Each law determines one species (`dependent`) from the others: with the link matrix L,
// n = L n_independent + offset, which is how the steady-state solver reduces the system.
#pragma once

#include <string>
#include <vector>

#include "axisim/matrix.hpp"
#include "axisim/model.hpp"

namespace axisim {

struct ConservationLaw {
  std::vector<std::string> species;  // the species with a non-zero coefficient
  std::vector<double> coefficients;  // integers (as doubles) when the analysis is exact
  double total = 0.0;                // sum of coefficient * amount at the model's initial state
  std::string dependent;             // the species this law determines
};

struct MoietyAnalysis {
  // Species the stoichiometry changes (the rows of N), in model order, and the reactions (columns).
  std::vector<std::string> species, reactions;
  std::vector<std::string> independent, dependent;  // a partition of `species`
  std::vector<ConservationLaw> laws;                // one per dependent species, in that order
  // Amounts: n = link * n_independent + offset. Rows: `species`; columns: `independent`.
  Matrix link;
  std::vector<double> offset;
  Matrix stoichiometry;  // N: rows `species`, columns `reactions`
  // The structural matrices (Reder 1988; libRoadRunner/libStructural name them so), rows and
  // columns in model order within each group (libRoadRunner lists the independent species first):
  //   reduced_stoichiometry  N_R: the rows of N of `independent` species (rows `independent`,
  //                          columns `reactions`), so that N = link N_R;
  //   link0                  L0: the rows of `link` of the `dependent` species (rows `dependent`,
  //                          columns `independent`): link = [I; L0] with its rows reordered;
  //   kernel                 K: a basis of the right null space of N, N K = 0 (rows `reactions`,
  //                          columns the reactions free in a steady-state flux, `free_reactions`):
  //                          each column is 1 on its own free reaction, 0 on the other free ones
  //                          (libStructural's K = [I; K0], rows reordered). Found as the conservation
  //                          laws are, on N transposed: exactly when they are, else by QR.
  Matrix reduced_stoichiometry, link0, kernel;
  std::vector<std::string> free_reactions;  // kernel's columns; reactions.size() - rank of them
  int rank = 0;          // of N; laws.size() == species.size() - rank
  bool exact = true;     // integer arithmetic; false: QR with `tolerance`
  double tolerance = 0.0;
  // Species left out of the analysis and why: boundary, constant, set by a rule, variable
  // stoichiometry or conversion factor, a plugin's flux. They are not part of any law.
  struct Excluded {
    std::string species, reason;
  };
  std::vector<Excluded> excluded;
  std::vector<std::string> notes;  // caveats, e.g. events that may break a law
};

// Fast reactions count as reactions (rapid equilibrium conserves what they conserve). Totals
// use the model's initial state with the values set on `model`. Throws Error(InvalidSbml) when
// a value the model needs is undefined.
MoietyAnalysis conserved_moieties(const Model& model);

}  // namespace axisim
