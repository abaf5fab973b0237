// CSV and TSV files as two-dimensional data tables (rows, then columns).
#include "data/data_table.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>

#include "axisim/error.hpp"

namespace axisim::sedml {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The fields of one line: split at `sep` outside double quotes ("" inside quotes is one quote),
// unquoted fields trimmed of blanks.
std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && trim(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (c == sep) {
      out.push_back(was_quoted ? field : trim(field));
      field.clear();
      was_quoted = false;
    } else {
      field += c;
    }
  }
  out.push_back(was_quoted ? field : trim(field));
  return out;
}

bool is_missing(const std::string& s) { return s.empty() || s == "nan" || s == "NaN" || s == "NA" || s == "NAN"; }

}  // namespace

std::vector<std::size_t> find_index(const std::vector<std::string>& index, const std::string& value) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < index.size(); ++i)
    if (index[i] == value) out.push_back(i);
  if (!out.empty()) return out;
  char* end = nullptr;
  const double x = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0') return out;
  for (std::size_t i = 0; i < index.size(); ++i) {
    const double y = std::strtod(index[i].c_str(), &end);
    if (!index[i].empty() && *end == '\0' && y == x) out.push_back(i);
  }
  return out;
}

DataTable read_delimited_table(const std::string& path, char separator, const DimensionDescription& described) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::Io, path + ": cannot read the file");
  if (described.composites.size() > 2)
    throw Error(ErrorKind::InvalidSbml, path + ": a table has two dimensions (rows, columns), but the dimensionDescription describes " +
                                            std::to_string(described.composites.size()));
  DataTable t;
  t.dimensions.resize(2);
  if (described.composites.size() == 2) {
    for (int d = 0; d < 2; ++d) {
      const auto& c = described.composites[static_cast<std::size_t>(d)];
      t.dimensions[static_cast<std::size_t>(d)] = {c.id, c.name, c.index_type, {}};
    }
  } else {
    t.dimensions[0] = {"rows", "rows", "integer", {}};
    t.dimensions[1] = {"columns", "columns", "string", {}};
  }

  std::string line;
  long number = 0;
  auto next_line = [&] {
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto b = line.find_first_not_of(" \t");
      if (b != std::string::npos && line[b] != '#') return true;
    }
    return false;
  };
  if (!next_line()) throw Error(ErrorKind::InvalidSbml, path + ": no header line (the file is empty or all comments)");
  std::vector<std::string> header = split(line, separator);
  {
    std::set<std::string> names;
    for (const std::string& h : header)
      if (!names.insert(h).second)
        throw Error(ErrorKind::InvalidSbml, path + ":" + std::to_string(number) + ": the header names column '" + h + "' twice");
  }
  t.dimensions[1].index = header;
  const std::size_t columns = header.size();

  // The rows are indexed by the first column when it is named after their dimension.
  const auto& rows = t.dimensions[0];
  const std::string first = lower(header[0]);
  const bool first_indexes = (!rows.id.empty() && lower(rows.id) == first) || (!rows.name.empty() && lower(rows.name) == first);

  std::vector<std::string> row_index;
  while (next_line()) {
    const auto f = split(line, separator);
    const std::size_t row = row_index.size();
    row_index.push_back(first_indexes ? (f.empty() ? std::string() : f[0]) : std::to_string(row));
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string text = c < f.size() ? f[c] : std::string();
      double x = std::numeric_limits<double>::quiet_NaN();
      if (!is_missing(text)) {
        char* end = nullptr;
        x = std::strtod(text.c_str(), &end);
        if (*end != '\0') {
          t.bad.emplace(row * columns + c, path + ":" + std::to_string(number) + ": '" + text + "' (column '" + header[c] +
                                               "') is not a number");
          x = std::numeric_limits<double>::quiet_NaN();
        }
      }
      t.values.push_back(x);
    }
    if (f.size() > columns)
      throw Error(ErrorKind::InvalidSbml, path + ":" + std::to_string(number) + ": " + std::to_string(f.size()) +
                                              " fields where the header has " + std::to_string(columns));
  }
  t.dimensions[0].index = std::move(row_index);
  return t;
}

}  // namespace axisim::sedml
