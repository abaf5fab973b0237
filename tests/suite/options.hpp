// Command-line options of axisim_suite_runner.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "case_filter.hpp"

namespace suite {

struct RunnerOptions {
  std::filesystem::path cli;                            // the axisim executable
  std::filesystem::path suite_dir;                      // holds cases/ and tags.tsv
  std::optional<std::filesystem::path> known_failures;  // none: every non-pass is unexpected
  std::filesystem::path report_dir;
  int jobs = 2;
  std::chrono::duration<double> timeout{60.0};  // per CLI run
  CaseFilter cases;
  bool keep_temp = false;  // keep the CLI outputs for debugging
  std::vector<std::string> simulate_args;  // --simulate-arg: e.g. a linear solver or Jacobian choice
};

std::string usage_text();

// Throws std::invalid_argument with a user-facing message on bad usage.
// Returns nullopt when --help was given (usage already printed).
std::optional<RunnerOptions> parse_options(int argc, char** argv);

}  // namespace suite
