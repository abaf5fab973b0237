// conservation.hpp — conservation laws of a stoichiometry and the link matrix they give.
//
// Exact (integer_elimination.hpp) where the stoichiometry is rational; otherwise a QR
// factorisation of N^T with column pivoting (dense_algebra.hpp: row_basis), rank decided at
// kRankTolerance relative to the largest pivot, the dependent rows' link found by least squares.
#pragma once

#include <cstddef>
#include <vector>

#include "analysis/stoichiometry.hpp"
#include "run/simulation.hpp"

namespace axisim::detail {

inline constexpr double kRankTolerance = 1e-10;

struct Conservation {
  // Indices into Stoichiometry::species.
  std::vector<std::size_t> independent, dependent;
  // Per dependent species d: a coefficient per species row (law[d] != 0 on d, else only on
  // independent species), so that sum_i law_i n_i is constant.
  std::vector<std::vector<double>> laws;
  // dependent x independent, row-major: n_d = sum_q link0[d][q] n_q + (total_d / law_d[d]).
  std::vector<double> link0;
  int rank = 0;
  bool exact = true;
  double tolerance = 0.0;
};

Conservation find_conservation(const Stoichiometry& st);

// A basis of the right null space of N (N k = 0), as find_conservation finds the left one, on N
// transposed: `dependent` are the free reactions (one basis vector each, `laws[d]` non-zero on
// its own reaction and the pivot ones), `independent` the pivot reactions. Indices into
// Stoichiometry::reactions.
Conservation find_kernel(const Stoichiometry& st);

// The laws of the model's stoichiometry at its initial state (with `overrides`) as a reduction
// of a run's state (SimulationOptions::reduce_moieties): one dependent model state per law.
// Throws Error(Unsupported) naming a species in a law that is not integrated as its own amount
// (a species in a fast reaction).
StateReduction moiety_reduction(const CompiledSystem& system, const std::vector<InitialOverride>& overrides,
                                const std::vector<std::shared_ptr<const PluginBinding>>& plugins);

}  // namespace axisim::detail
