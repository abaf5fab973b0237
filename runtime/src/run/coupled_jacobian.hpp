// coupled_jacobian.hpp — the Jacobian of a model and its plugins, as one system.
//
// The state vector is the model's states followed by the plugins' (run/plugin_coupling.hpp).
// Plugins are black boxes: ABI version 1 gives no derivatives. So every entry a plugin takes
// part in comes from forward differences of the whole right-hand side (Coupling::
// right_hand_side), and every other entry is the model's own analytic one:
//
//   - a plugin's state columns are numeric: they move its own states' derivatives and the
//     species it adds fluxes to, and through the parameters it drives, every derivative and
//     every plugin input those parameters reach;
//   - a model state's column keeps its analytic entries, except in the rows a plugin writes
//     (its states and the species it adds fluxes to) when one of the plugin's inputs depends on
//     that state: those entries are numeric (a flux row's entry is the model's part plus the
//     plugin's, so the quotient takes the whole);
//   - the model's own numeric columns (delay, algebraic rules, fast reactions) stay numeric;
//   - a version 2 plugin with a jacobian callback gives its own block (its states' derivatives in
//     its states) analytically, unless a parameter it drives reaches one of its inputs (then the
//     block has a part through the model, and stays numeric); its columns' other rows (fluxes,
//     what the parameters it drives reach) stay numeric, so a plugin without effects has no
//     numeric column at all.
//
// The pattern is fixed when the run starts, from the model's pattern and what each plugin
// declares it reads and writes. Columns sharing no row are perturbed together.
#pragma once

#include <cstdint>
#include <vector>

#include "compile/compiled_system.hpp"
#include "run/plugin_coupling.hpp"
#include "solve/sparse_pattern.hpp"

namespace axisim::detail {

class CoupledJacobian {
 public:
  // `system` must have a Jacobian (CompiledSystem::jacobian()).
  CoupledJacobian(const CompiledSystem& system, Coupling& coupling);

  const SparsePattern& pattern() const { return pattern_; }
  // What an exact sparse LU of I - gamma J would hold (for the choice of linear solver).
  double exact_lu_entries() const { return exact_lu_entries_; }
  // Columns computed by difference quotients when the Jacobian is analytic.
  std::size_t numeric_columns() const { return numeric_columns_; }

  // J at (t, y) in the pattern's order, fy being the whole right-hand side there: analytic
  // entries from the model's Jacobian (none, with `analytic` false), the rest from forward
  // differences with increments sqrt(eps) * max(|y_k|, increment_floor[k]). Returns what
  // Coupling::right_hand_side returns (> 0 also for a value that is not finite).
  int values(double t, const double* y, const double* fy, double* J, bool analytic, const double* increment_floor,
             Workspace& ws);

 private:
  const CompiledSystem& system_;
  Coupling& coupling_;
  SparsePattern pattern_;
  std::vector<std::int64_t> model_entry_;  // per entry: the model Jacobian's entry it copies, or -1 (numeric)
  // or -2: a plugin's own block, from its jacobian callback (version 2), plugin_entry_ saying where
  std::vector<std::int64_t> plugin_entry_;  // per entry: index into plugin_values_, or -1
  struct PluginBlock {
    std::size_t plugin, offset;  // plugin index, start in plugin_values_
  };
  std::vector<PluginBlock> plugin_blocks_;
  std::vector<double> plugin_values_;
  std::vector<std::vector<std::uint32_t>> numeric_groups_;  // columns with a numeric entry, grouped
  std::vector<std::vector<std::uint32_t>> all_groups_;      // every column, grouped (a numeric Jacobian)
  std::size_t numeric_columns_ = 0;
  double exact_lu_entries_ = 0.0;
  std::vector<double> model_values_, perturbed_y_, perturbed_ydot_;  // scratch, sized once
};

}  // namespace axisim::detail
