// axisim/matrix.hpp — a small dense matrix of doubles, as the analyses return them.
//
// Row-major, with its row and column labels (species, reaction or parameter ids), so that a
// result can be printed or looked up by id without knowing how the analysis ordered it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "axisim/error.hpp"

namespace axisim {

struct Matrix {
  std::vector<std::string> row_ids, column_ids;
  std::vector<double> values;  // row-major: values[r * cols() + c]

  Matrix() = default;
  Matrix(std::vector<std::string> rows, std::vector<std::string> columns, double fill = 0.0)
      : row_ids(std::move(rows)), column_ids(std::move(columns)), values(row_ids.size() * column_ids.size(), fill) {}

  std::size_t rows() const { return row_ids.size(); }
  std::size_t cols() const { return column_ids.size(); }
  double& operator()(std::size_t r, std::size_t c) { return values[r * cols() + c]; }
  double operator()(std::size_t r, std::size_t c) const { return values[r * cols() + c]; }

  // The entry for (row id, column id); throws Error(UnknownId) naming an id that is not a label.
  double at(std::string_view row, std::string_view column) const {
    return (*this)(index(row_ids, row, "row"), index(column_ids, column, "column"));
  }

 private:
  static std::size_t index(const std::vector<std::string>& ids, std::string_view id, const char* what) {
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (ids[i] == id) return i;
    throw Error(ErrorKind::UnknownId, std::string("no ") + what + " '" + std::string(id) + "' in this matrix");
  }
};

}  // namespace axisim
