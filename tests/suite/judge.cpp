#include "judge.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include "text_util.hpp"

namespace suite {

namespace {

std::string format_double(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// How far a point is from passing: error / tolerance, so <= 1 passes. Special values that
// do not match, and unparseable or missing cells, count as infinitely bad.
double badness(double expected, std::optional<double> actual, double absolute, double relative) {
  constexpr double kMismatch = std::numeric_limits<double>::infinity();
  if (!actual) return kMismatch;
  if (std::isnan(expected)) return std::isnan(*actual) ? 0.0 : kMismatch;
  if (std::isinf(expected)) return *actual == expected ? 0.0 : kMismatch;
  if (!std::isfinite(*actual)) return kMismatch;
  const double error = std::fabs(expected - *actual);
  const double tolerance = absolute + relative * std::fabs(expected);
  if (error <= tolerance) return tolerance > 0 ? error / tolerance : 0.0;
  return tolerance > 0 ? error / tolerance : kMismatch;
}

std::size_t first_variable_column(const CsvTable& table, std::size_t variable_count) {
  return !table.header.empty() && iequals(table.header[0], "time") && table.header.size() > variable_count ? 1 : 0;
}

struct WorstPoint {
  double badness = -1;
  std::size_t row = 0;
  std::string variable, expected_cell, actual_cell;
  double error = 0, tolerance = 0;
};

std::string describe_point(const WorstPoint& worst, const CsvTable& expected, std::optional<std::size_t> time_column) {
  std::string where = worst.variable + " at ";
  if (time_column && worst.row < expected.rows.size() && *time_column < expected.rows[worst.row].size())
    where += "t=" + expected.rows[worst.row][*time_column] + " (row " + std::to_string(worst.row + 1) + ")";
  else
    where += "row " + std::to_string(worst.row + 1);
  std::string text = where + ": expected " + worst.expected_cell + ", got " + worst.actual_cell;
  if (std::isfinite(worst.badness))
    text += ", |error| " + format_double("%.3g", worst.error) + " = " + format_double("%.3g", worst.badness) +
            " x tolerance " + format_double("%.3g", worst.tolerance);
  return text;
}

}  // namespace

Verdict judge(const CaseSettings& settings, const CsvTable& expected, const CsvTable& actual) {
  std::vector<std::string> problems;

  // Column 0 is the time column ("time" or "Time") when the table has one more column than
  // there are variables; flux balance results have none. Variables are looked up after it,
  // because cases 01820/01821 have variables named time, Time and TIME.
  const std::size_t expected_first = first_variable_column(expected, settings.variables.size());
  const std::size_t actual_first = first_variable_column(actual, settings.variables.size());
  const std::optional<std::size_t> time_column =
      expected_first == 1 ? std::optional<std::size_t>(0) : std::nullopt;

  // Pair up the variable columns; the suite's own files always have them.
  struct ColumnPair {
    std::string variable;
    std::size_t expected, actual;
  };
  std::vector<ColumnPair> columns;
  std::string missing;
  for (const std::string& variable : settings.variables) {
    const auto expected_column = expected.column(variable, expected_first);
    if (!expected_column) throw std::runtime_error("expected results have no column '" + variable + "'");
    if (const auto actual_column = actual.column(variable, actual_first))
      columns.push_back({variable, *expected_column, *actual_column});
    else
      missing += (missing.empty() ? "" : ", ") + variable;
  }
  if (!missing.empty()) problems.push_back("output lacks column(s) " + missing);

  if (actual.rows.size() != expected.rows.size())
    problems.push_back("output has " + std::to_string(actual.rows.size()) + " data rows, expected " +
                       std::to_string(expected.rows.size()));

  WorstPoint worst;
  std::size_t failing_points = 0, compared_points = 0;
  const std::size_t rows = std::min(expected.rows.size(), actual.rows.size());
  for (std::size_t row = 0; row < rows; ++row) {
    for (const ColumnPair& column : columns) {
      const std::vector<std::string>& expected_row = expected.rows[row];
      const std::vector<std::string>& actual_row = actual.rows[row];
      if (column.expected >= expected_row.size())
        throw std::runtime_error("expected results row " + std::to_string(row + 1) + " is short");
      const std::string& expected_cell = expected_row[column.expected];
      const auto expected_value = parse_number(expected_cell);
      if (!expected_value)
        throw std::runtime_error("expected results cell '" + expected_cell + "' is not a number");
      const std::string actual_cell = column.actual < actual_row.size() ? actual_row[column.actual] : "(missing)";
      const auto actual_value = column.actual < actual_row.size() ? parse_number(actual_cell) : std::nullopt;

      const double bad = badness(*expected_value, actual_value, settings.absolute, settings.relative);
      ++compared_points;
      if (bad > 1.0) ++failing_points;
      if (bad > worst.badness) {
        worst = {bad, row, column.variable, expected_cell, actual_cell, 0, 0};
        if (actual_value && std::isfinite(*expected_value)) {
          worst.error = std::fabs(*expected_value - *actual_value);
          worst.tolerance = settings.absolute + settings.relative * std::fabs(*expected_value);
        }
      }
    }
  }

  if (failing_points > 0)
    problems.insert(problems.begin(), describe_point(worst, expected, time_column) + "; " +
                                          std::to_string(failing_points) + " of " + std::to_string(compared_points) +
                                          " points out of tolerance");
  if (!problems.empty()) {
    std::string detail;
    for (const std::string& problem : problems) detail += (detail.empty() ? "" : "; ") + problem;
    return {false, detail};
  }
  if (worst.badness < 0) return {true, "no data points"};
  return {true, "max error " + format_double("%.3g", worst.badness) + " x tolerance (" + worst.variable + ")"};
}

}  // namespace suite
