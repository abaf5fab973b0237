// Reading the suite's expected results and the CLI's output: a header row and data rows
// of numbers, including the special values NaN, INF and -INF.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace suite {

struct CsvTable {
  std::vector<std::string> header;           // names with surrounding spaces removed
  std::vector<std::vector<std::string>> rows;  // raw cells, trimmed

  // Index of the first column with exactly this name at or after column `from` (ids are
  // case-sensitive: case 01810 has variables INF, Inf and inf); nullopt if absent.
  std::optional<std::size_t> column(std::string_view name, std::size_t from = 0) const;
};

// Accepts CRLF line endings and skips blank lines. Throws std::runtime_error if the file
// cannot be read or has no header.
CsvTable read_csv(const std::filesystem::path& file);

// Parses one cell: a decimal number, or NaN / INF / -INF (any case; "inf"/"infinity" too).
// nullopt if the cell is not a number.
std::optional<double> parse_number(std::string_view cell);

}  // namespace suite
