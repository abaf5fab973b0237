// The report files: suite-report.tsv (one row per case and model file) and
// suite-summary.md (totals and pass counts per tag, split by L3 and L2 files).
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

#include "run_result.hpp"
#include "suite_layout.hpp"

namespace suite {

struct SummaryContext {
  std::filesystem::path suite_dir;
  std::filesystem::path cli;
  std::size_t unexpected_non_passes = 0;
  std::size_t known_failures = 0;       // covered files that did not pass
  std::size_t covered_now_passing = 0;  // covered files that pass
  std::chrono::duration<double> wall_time{0};
};

// Columns: case, file, outcome, detail, known_failure (the covering known-failures selector,
// empty if the file is not covered). Written via a temporary file and a rename.
void write_report_tsv(const std::filesystem::path& file, const std::vector<RunResult>& results);

// cases: the cases that were run (their tags group the results).
void write_summary_md(const std::filesystem::path& file, const std::vector<RunResult>& results,
                      const std::vector<SuiteCase>& cases, const SummaryContext& context);

}  // namespace suite
