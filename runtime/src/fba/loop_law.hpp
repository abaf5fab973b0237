// loop_law.hpp — the loop law of Schellenberger, Lewis & Palsson 2011 ("Elimination of
// thermodynamically infeasible loops in steady-state metabolic models", Biophys J 100:544) as
// mixed-integer constraints on a LinearProgram: a flux vector meets them exactly when no
// internal reaction runs against the free energy differences of some set of potentials, that
// is, when it has no thermodynamically infeasible loop.
//
// For each internal reaction i (one that touches two balanced species or more; exchanges carry
// no cycle) a binary a_i (1: forward) and its free energy difference G_i:
//   v_i - M a_i in [-M, 0]             a_i = 1: 0 <= v_i <= M;  a_i = 0: -M <= v_i <= 0
//   G_i + (K + 1) a_i in [1, K]        a_i = 1: -K <= G_i <= -1; a_i = 0: 1 <= G_i <= K
//   G in the row space of S_int        (the paper's N_int G = 0, N_int the null space of S_int)
// M is the largest flux bound of an internal reaction (finite), K = max(M, 1000), as COBRApy's
// add_loopless uses one bound for both. The last line is written with one free potential mu_k
// per balanced species, G_i = sum_k S_ki mu_k: the same set of G (the row space of a matrix is
// the orthogonal complement of its null space), but sparse and exact, with no floating-point
// null space to compute and no cut-off under which its entries are dropped.
#pragma once

#include <cstddef>
#include <vector>

#include "fba/fba_problem.hpp"

namespace axisim::detail {

struct LoopLaw {
  std::vector<std::size_t> indicator;  // the column of a_i, per internal reaction
  std::vector<std::size_t> internal;   // the flux column of each internal reaction
};

// Adds the loop law to `lp`, whose columns [0, fluxes) are the fluxes and whose rows
// [0, species_rows) are the steady state S v = 0; `internal[j]` says whether flux j is internal.
// Every internal flux must have finite bounds (the caller checks and names the reaction).
LoopLaw add_loop_law(LinearProgram& lp, std::size_t fluxes, std::size_t species_rows, const std::vector<bool>& internal);

// Solves a program with the loop law by GLPK's branch and cut, then, when it is optimal, once
// more as a linear program with every a_i fixed at its value: GLPK accepts a_i within its
// integrality tolerance (1e-5) of 0 or 1, which with M = 1000 would let a flux run 0.01 against
// its direction; with a_i fixed it cannot. Returns the polished solution (no duals: those of a
// mixed-integer program are not defined), or the branch and cut's if polishing fails.
LpSolution solve_loopless(const LinearProgram& lp, const LoopLaw& law);

}  // namespace axisim::detail
