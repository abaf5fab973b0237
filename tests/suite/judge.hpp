// The SBML Test Suite's judging rule, applied to one CLI output.
//
// A data point passes iff |C - U| <= Ta + Tr * |C| (C expected, U simulated). An expected
// NaN needs a NaN; an expected INF/-INF needs an infinity of the same sign; a finite
// expected value is never matched by NaN or an infinity. Columns are matched by variable id,
// rows by position; a missing column or row fails. The time column is not compared.
#pragma once

#include <string>

#include "case_settings.hpp"
#include "csv_table.hpp"

namespace suite {

struct Verdict {
  bool pass = false;
  // For a failure: what is wrong, starting with the worst data point. For a pass: the
  // largest error relative to the tolerance, to show how close the case came to failing.
  std::string detail;
};

// Throws std::runtime_error if the expected results themselves are unusable (a variable
// column is missing or a cell is not a number): that is a suite problem, not a failure.
Verdict judge(const CaseSettings& settings, const CsvTable& expected, const CsvTable& actual);

}  // namespace suite
