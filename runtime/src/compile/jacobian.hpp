// jacobian.hpp — the analytic Jacobian of a compiled model's right-hand side.
//
// The right-hand side is computed in two stages: assigned symbols (assignment rules and
// reaction rates, in dependency order), then each state's derivative from them. The Jacobian
// follows the same stages by the chain rule, one state (column) at a time:
//
//   D[s, k] = d(value of assigned symbol s) / d y_k   for every k that s depends on,
//   J[i, k] = d(ydot_i) / d y_k                       from the D of the symbols ydot_i reads,
//
// each as a compiled expression (compile/derivative.hpp), stored in extra value slots after the
// model's symbols (the D) or into the Jacobian's values in CSC order (the J). Only pairs that
// are structurally non-zero exist, so memory and time are proportional to the non-zeros. A
// column whose derivative has no expression (a delay that reads it, factorial of a state) is
// left to difference quotients, grouped so that columns sharing no row are perturbed together;
// the pattern still covers every row such a column reaches, so those quotients land where they
// belong. Values solved for from equations have derivatives the caller supplies.
#pragma once

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "compile/program.hpp"
#include "ir/expression.hpp"
#include "solve/sparse_pattern.hpp"

namespace axisim::detail {

// What the Jacobian compiler reads from the compiled system.
struct JacobianSource {
  std::size_t num_symbols = 0;
  const std::vector<SymbolLoad>* loads = nullptr;          // per symbol: how its math value is read
  const std::vector<std::int64_t>* state_of = nullptr;     // per symbol: its state index, or kNone
  const std::vector<std::uint32_t>* assigned = nullptr;    // computed symbols, in order of computation
  const std::vector<Expr>* assigned_expr = nullptr;        // per symbol: its formula (if assigned)
  std::vector<Expr> ydot;                                  // per state: its derivative's formula
  // Symbols read, divisors included; for a delay(x, d), everything x and d read, transitively
  // (so that the pattern covers what the delayed value can depend on).
  std::function<std::vector<std::uint32_t>(const Expr&)> dependencies;
  // Symbols found by solving equations in every evaluation (algebraic rules' variables, fast
  // reactions' extents), each with the states (sorted) the equations read. Their derivatives
  // have no formula: they get D slots like assigned symbols, which the caller fills before the
  // program runs (CompiledJacobian::solved_slots), and the chain rule goes on from there.
  std::vector<std::pair<std::uint32_t, std::vector<std::uint32_t>>> solved;
};

struct CompiledJacobian {
  SparsePattern pattern;
  // Writes the D slots (values[num_symbols ...]) and then the analytic entries, out[p] for the
  // p-th entry of the pattern. Needs the assigned symbols computed at (t, y) first.
  Program program;
  std::size_t num_slots = 0;  // value slots after the symbols that the program uses
  // Per JacobianSource::solved entry: its first D slot (after the symbols), one per state of
  // its list, in order. The program reads them and never writes them.
  std::vector<std::size_t> solved_slots;
  std::vector<std::uint32_t> numeric_columns;             // by difference quotients
  std::vector<std::vector<std::uint32_t>> numeric_groups;  // those columns, grouped (no shared row)
  std::vector<std::vector<std::uint32_t>> all_groups;      // every column, grouped (a numeric Jacobian)
  double exact_lu_entries = 0.0;  // what an exact sparse LU of I - gamma J would hold (fill-in)
};

CompiledJacobian compile_jacobian(const JacobianSource& source);

// Greedy colouring: groups of `columns` no two of which have a row in common, so that one
// right-hand side per group gives all their difference quotients (Curtis, Powell and Reid).
std::vector<std::vector<std::uint32_t>> group_columns(const SparsePattern& pattern,
                                                      const std::vector<std::uint32_t>& columns);

}  // namespace axisim::detail
