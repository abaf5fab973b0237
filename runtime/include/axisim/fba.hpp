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
//
// Variants look past the one optimal vertex plain FBA reports:
//   - parsimonious FBA (FbaMethod::Parsimonious, KISAO:0000528): of the flux vectors that keep
//     the objective at its optimum (or at a fraction of it), the one of least total absolute flux;
//   - pFBA by the fewest active fluxes (FbaMethod::FewestActive, KISAO:0000554);
//   - geometric FBA (FbaMethod::Geometric, KISAO:0000527): the unique optimal flux vector at the
//     centre of the optimal space;
//   - flux variability analysis (flux_variability, KISAO:0000526): the least and the greatest
//     flux of each reaction over those same flux vectors.
#pragma once

#include <string>
#include <vector>

#include "axisim/error.hpp"

namespace axisim {

// Which optimal flux vector solve_fba reports.
enum class FbaMethod {
  Optimum,       // the optimal vertex GLPK's simplex method stops at (plain FBA)
  Parsimonious,  // pFBA: least sum of |flux| among vectors whose objective is held (fraction_of_optimum)
  // pFBA by the fewest active (non-zero) fluxes among vectors whose objective is held (KISAO:0000554):
  // a mixed-integer program (GLPK's branch and cut); needs finite flux bounds. Which fluxes carry
  // the flux is often not unique: those of the solution GLPK finds are reported.
  FewestActive,
  // Geometric FBA (KISAO:0000527; Smallbone & Simeonidis 2009): the one optimal flux vector at the
  // centre of the optimal space, reached by alternately taking every flux's range over the space
  // kept so far and keeping the vectors nearest (least sum |v - centre|) the ranges' centre; the
  // first round's centre is 0, so what it keeps is pFBA's set. Unique, unlike the others.
  Geometric,
};

// How FVA's loopless ranges (FbaOptions::loopless) are found.
enum class LooplessMethod {
  // COBRApy's flux_variability_analysis(loopless=True): each end of each range is moved off
  // thermodynamically infeasible cycles (Desouki et al. 2015's CycleFreeFlux; docs/fba.md). A
  // heuristic of a few LPs per range end: exact on the networks tested, not in general.
  CycleFree,
  // Schellenberger, Lewis & Palsson 2011's ll-FVA: every range end the optimum of a
  // mixed-integer program (GLPK's branch and cut) whose flux vectors obey the loop law, with the
  // objective held at a fraction of its loopless optimum (ll-FBA; FvaResult::objective). Exact,
  // and slower: one mixed-integer program for each range end no loopless vector found so far
  // already reaches (docs/fba.md).
  MixedInteger,
};

struct FbaOptions {
  // Run libSBML's consistency checks (fbc's included) before solving.
  bool validate = true;
  // An infeasible problem throws Error(Solver) unless this is set; then the result holds NaN
  // for every value and `feasible` is false (the SBML Test Suite's convention).
  bool infeasible_as_nan = false;
  FbaMethod method = FbaMethod::Optimum;
  // pFBA and FVA: the flux vectors considered are those whose active objective is at least this
  // fraction of its optimum (at most, for a minimised objective); 1 = the optimum itself, as
  // COBRApy's default. More exactly: within (1 - fraction) * |optimum| of the optimum, so that a
  // negative optimum is relaxed in the right direction too. In [0, 1]; anything else throws
  // Error(InvalidSbml).
  double fraction_of_optimum = 1.0;
  // FVA only (flux_variability; COBRApy's pfba_factor, KISAO:0000533): with a value of 1 or more,
  // the flux vectors considered also have a total absolute flux sum |v_j| of at most this factor
  // times its least value with the objective held (pFBA's total); 0, the default, adds no such
  // limit. Anything else (below 1, not finite) throws Error(InvalidSbml).
  double pfba_factor = 0.0;
  // FVA only: loopless ranges (KISAO:0000532), by the method loopless_method names. Not with
  // pfba_factor (Error(Unsupported)); both methods need finite bounds (Error(Unsupported)
  // naming the reaction).
  bool loopless = false;
  LooplessMethod loopless_method = LooplessMethod::CycleFree;
  // Geometric FBA only: a flux is settled once its range is narrower than this (the authors' and
  // COBRApy's epsilon, 1e-6), and reported as the range's middle (0 when within it of 0); the
  // rounds stop when every flux is settled. More than geometric_max_rounds rounds (COBRApy's
  // max_tries, 200) throw Error(Solver) naming the fluxes still unsettled. epsilon > 0 and
  // max_rounds >= 1, else Error(InvalidSbml).
  double geometric_epsilon = 1e-6;
  int geometric_max_rounds = 200;
};

struct FbaResult {
  std::vector<std::string> ids;  // the requested ids, in order
  std::vector<double> values;    // a reaction's flux, or an objective's value, at the optimum
  double objective = 0;          // the active objective's optimal value
  std::string objective_id;      // the active objective
  bool maximize = true;          // its direction
  bool feasible = true;
  std::string infeasibility;     // why, when !feasible
  // Sum of |flux| over every reaction at the reported fluxes: what pFBA minimises.
  double total_flux = 0;
  // Plain FBA and pFBA (empty for FewestActive, a mixed-integer program, and Geometric, whose
  // fluxes are no program's optimum). Plain FBA: the linear program's duals at the
  // optimal basis GLPK's simplex method ends in, as COBRApy reports them (Solution.reduced_costs,
  // the duals of the flux variables, and Solution.shadow_prices, the duals of the species'
  // steady-state constraints) with GLPK. Both are rates of change of the optimal objective value:
  //   reduced cost of reaction j: per unit of the bound its flux sits at (0 when the flux is
  //     strictly between its bounds); c_j - sum_i S_ij * shadow price of i;
  //   shadow price of species i: per unit of a required net production of i (its steady-state
  //     row S_i v = 0 becomes S_i v = b_i; d objective / d b_i). A boundary species is not
  //     balanced (no constraint), so its shadow price is 0.
  // Signs follow the objective: for a maximised one a positive value means the objective gains.
  // Where the optimum is degenerate (common in genome-scale models) the duals are not unique:
  // those of GLPK's final basis are reported. NaN when infeasible (infeasible_as_nan).
  // pFBA (FbaMethod::Parsimonious): the duals of its final program, least sum |v_j| with the
  // objective held, as rates of change of that least total (which is minimised: a positive value
  // means the total grows), the held objective bound kept: a species' shadow price per unit of its
  // required net production; a reaction's reduced cost per unit of the bound its flux sits at, 0
  // strictly between them (at a bound of 0, one-sided: see docs/fba.md).
  std::vector<std::string> reaction_ids;  // every reaction, in document order
  std::vector<double> reduced_costs;      // per reaction_ids
  std::vector<std::string> species_ids;   // every species, in document order
  std::vector<double> shadow_prices;      // per species_ids
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

// Flux variability analysis: for each reaction, the least and the greatest flux over every flux
// vector that meets the constraints and holds the active objective at fraction_of_optimum of its
// optimum (FbaOptions; `method` is not used). Each bound is an LP solved by GLPK's simplex method,
// so, unlike FBA's fluxes, the ranges do not depend on which optimal vertex the solver finds. A
// range with no finite end (a flux unbounded even with the objective held) is -inf or +inf.
struct FvaResult {
  std::vector<std::string> ids;   // the reactions, in order
  std::vector<double> minimum;    // per reaction
  std::vector<double> maximum;    // per reaction
  double objective = 0;           // the active objective's optimum (plain FBA; loopless FBA's with
                                  // LooplessMethod::MixedInteger)
  double objective_bound = 0;     // the value it was held at (the optimum times the fraction)
  double total_flux_bound = 0;    // with FbaOptions::pfba_factor: the total absolute flux held at most this
  std::string objective_id;
  bool maximize = true;
  bool feasible = true;
  std::string infeasibility;
};

// `reactions` empty means every reaction, in document order. Throws as solve_fba does; an id that
// is not a reaction (an objective included) is Error(UnknownId). An infeasible problem gives NaN
// ranges with `infeasible_as_nan`, else Error(Solver); an unbounded objective is always an error.
FvaResult flux_variability(const std::string& path, const std::vector<std::string>& reactions = {},
                           const FbaOptions& options = {});
FvaResult flux_variability_string(const std::string& sbml, const std::vector<std::string>& reactions = {},
                                  const FbaOptions& options = {});

}  // namespace axisim
