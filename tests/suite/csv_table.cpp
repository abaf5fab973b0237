#include "csv_table.hpp"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <stdexcept>

#include "text_util.hpp"

namespace suite {

std::optional<std::size_t> CsvTable::column(std::string_view name, std::size_t from) const {
  for (std::size_t i = from; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

namespace {

std::vector<std::string> split_trimmed(std::string_view line) {
  std::vector<std::string> cells = split(line, ',');
  for (std::string& cell : cells) cell = std::string(trim(cell));
  return cells;
}

}  // namespace

CsvTable read_csv(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  CsvTable table;
  bool have_header = false;
  std::string line;
  while (std::getline(in, line)) {
    const std::string_view content = trim(line);  // also drops the CR of CRLF files
    if (content.empty()) continue;
    if (!have_header) {
      table.header = split_trimmed(content);
      have_header = true;
    } else {
      table.rows.push_back(split_trimmed(content));
    }
  }
  if (!have_header) throw std::runtime_error(file.string() + " is empty");
  return table;
}

std::optional<double> parse_number(std::string_view cell) {
  cell = trim(cell);
  bool negative = false;
  std::string_view magnitude = cell;
  if (!magnitude.empty() && (magnitude.front() == '-' || magnitude.front() == '+')) {
    negative = magnitude.front() == '-';
    magnitude.remove_prefix(1);
  }
  if (iequals(magnitude, "nan")) return std::numeric_limits<double>::quiet_NaN();
  if (iequals(magnitude, "inf") || iequals(magnitude, "infinity"))
    return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();

  // from_chars rejects a leading '+', hence parsing the magnitude and applying the sign.
  double value = 0;
  const auto [end, error] = std::from_chars(magnitude.data(), magnitude.data() + magnitude.size(), value);
  if (magnitude.empty() || magnitude.front() == '-' || magnitude.front() == '+' ||
      end != magnitude.data() + magnitude.size())
    return std::nullopt;
  if (error == std::errc::result_out_of_range) {
    // from_chars leaves value unset when out of range; strtod gives the usual HUGE_VAL or
    // (sub)normal result.
    value = std::strtod(std::string(magnitude).c_str(), nullptr);
  } else if (error != std::errc{}) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

}  // namespace suite
