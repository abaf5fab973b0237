#include "axisim/result.hpp"

#include <algorithm>

#include "axisim/error.hpp"

namespace axisim {

std::vector<double> Result::column(std::string_view id) const {
  auto it = std::find(columns_.begin(), columns_.end(), id);
  if (it == columns_.end()) throw Error(ErrorKind::UnknownId, "no column '" + std::string(id) + "' in the result");
  const auto c = static_cast<std::size_t>(it - columns_.begin());
  std::vector<double> out(rows());
  for (std::size_t r = 0; r < rows(); ++r) out[r] = at(r, c);
  return out;
}

void Result::append_row(std::span<const double> row) {
  if (row.size() != cols()) throw Error(ErrorKind::Usage, "row width does not match the result's columns");
  values_.insert(values_.end(), row.begin(), row.end());
}

}  // namespace axisim
