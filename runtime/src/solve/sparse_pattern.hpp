// sparse_pattern.hpp — the structure of a sparse Jacobian, as the solvers receive it.
//
// Compressed sparse columns (CSC): the entries of column k are rows row[column_start[k]] ..
// row[column_start[k + 1] - 1], in increasing order, and a Jacobian's values come in the same
// order. The diagonal is always present (the Newton matrix I - gamma J needs it). The pattern
// is fixed when the model is compiled; only the values change during a run. This is axisim's
// own type: solver modules translate it into their library's (SUNDIALS' SUNMatrix) privately.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace axisim::detail {

struct SparsePattern {
  std::size_t n = 0;                       // rows = columns = states
  std::vector<std::int64_t> column_start;  // n + 1 offsets into row
  std::vector<std::int64_t> row;           // row index of each entry

  std::size_t nonzeros() const { return row.size(); }
  double density() const { return n == 0 ? 0.0 : static_cast<double>(row.size()) / (double(n) * double(n)); }
};

}  // namespace axisim::detail
