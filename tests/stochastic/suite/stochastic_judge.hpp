// Judging a stochastic case of the SBML Test Suite by the suite's statistical rule.
//
// The case's settings name the variables and the ranges; its results give, at each output time,
// each variable's exact mean mu and standard deviation sigma. From n replicates the simulator
// reports the sample mean m and sample standard deviation s (columns X-mean, X-sd), and
//   Z = sqrt(n) (m - mu) / sigma               must lie in meanRange (default (-3, 3))
//   Y = sqrt(n / 2) (s^2 / sigma^2 - 1)        must lie in sdRange   (default (-5, 5))
// except where sigma = 0: there every replicate has the same value, and m must equal mu (Y is not
// computed). Every other (variable, time, statistic) is one point; a case passes when every
// exact point matches and at most `max_outside` points fall outside their range.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "csv_table.hpp"

namespace stochastic {

struct StochasticSettings {
  double start = 0, duration = 0;
  int steps = 0;
  std::vector<std::string> variables;
  std::pair<double, double> mean_range{-3, 3}, sd_range{-5, 5};
};

// Throws std::runtime_error naming the file and line for a settings file it cannot read.
StochasticSettings read_stochastic_settings(const std::filesystem::path& file);

struct Verdict {
  bool pass = false;
  std::size_t points = 0;          // statistical points judged (Z and Y)
  std::size_t mean_outside = 0, sd_outside = 0;
  std::size_t exact = 0, exact_mismatches = 0;  // points with sigma = 0
  double worst_z = 0, worst_y = 0;  // largest |Z| and |Y| seen (signed)
  std::string detail;               // the worst points, or what is missing
  std::size_t outside() const { return mean_outside + sd_outside; }
};

// `expected`: the case's results; `actual`: the simulator's statistics over `replicates` runs.
// Throws std::runtime_error when the expected table is unusable (a suite problem, not a failure).
Verdict judge(const StochasticSettings& settings, const suite::CsvTable& expected, const suite::CsvTable& actual,
              double replicates, std::size_t max_outside);

}  // namespace stochastic
