// axisim_suite_runner: runs the axisim CLI on the SBML Test Suite's semantic cases and
// judges the results. See usage_text() in options.cpp and known_failures.hpp.
//
// Exit status: 0 if every model file not covered by the known-failures file passes,
// 1 if one does not, 2 if the runner could not do its job (bad arguments, suite not found,
// malformed known-failures file).

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli_run.hpp"
#include "known_failure_review.hpp"
#include "known_failures.hpp"
#include "options.hpp"
#include "report.hpp"
#include "run_result.hpp"
#include "suite_layout.hpp"

namespace fs = std::filesystem;
using namespace suite;

namespace {

// A fresh directory for the CLI's output files, removed on exit unless asked to keep it.
class TempDir {
public:
  explicit TempDir(bool keep) : keep_(keep) {
    std::string pattern = (fs::temp_directory_path() / "axisim-suite-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    if (!keep_) fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

private:
  fs::path path_;
  bool keep_;
};

struct Job {
  const SuiteCase* suite_case;
  const ModelFile* model;
};

// Runs the jobs on options.jobs threads; results[i] belongs to jobs[i].
std::vector<RunResult> run_all(const std::vector<Job>& jobs, const RunnerOptions& options, const fs::path& temp_dir,
                               const KnownFailures& known) {
  std::vector<RunResult> results(jobs.size());
  std::atomic<std::size_t> next{0};
  std::size_t finished = 0;
  std::mutex progress_mutex;
  const std::size_t progress_step = std::max<std::size_t>(jobs.size() / 10, 1);

  const auto worker = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      const Job& job = jobs[i];
      CliRunConfig config{options.cli, temp_dir / job.suite_case->id / job.model->path.stem(), options.timeout,
                          options.simulate_args};
      RunResult result;
      try {
        fs::create_directories(config.work_dir);
        result = run_cli_on_model(config, *job.suite_case, *job.model);
      } catch (const std::exception& e) {  // e.g. the temporary directory filled up
        result = {job.suite_case->id, job.model->name, job.model->level, Outcome::error,
                  std::string("runner: ") + e.what(), {}, {}};
      }
      if (const KnownFailureRule* rule = known.find(*job.suite_case, *job.model)) result.known_failure = rule->selector();
      results[i] = std::move(result);

      const std::lock_guard lock(progress_mutex);
      if (++finished % progress_step == 0 || finished == jobs.size())
        std::cout << "[" << finished << "/" << jobs.size() << "] model files run" << std::endl;
    }
  };

  {
    std::vector<std::jthread> threads;  // joined at the end of this block
    for (int t = 0; t < options.jobs; ++t) threads.emplace_back(worker);
  }
  return results;
}

int run(const RunnerOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (!fs::is_regular_file(options.cli) || access(options.cli.c_str(), X_OK) != 0)
    throw std::runtime_error("axisim CLI not found or not executable: " + options.cli.string());

  const std::vector<SuiteCase> all_cases = discover_cases(options.suite_dir);
  KnownFailures known;
  if (options.known_failures) {
    known = KnownFailures::read(*options.known_failures);
    for (const std::string& warning : known.stale_rule_warnings(all_cases)) std::cout << "warning: " << warning << '\n';
  }

  std::vector<SuiteCase> cases;
  for (const SuiteCase& suite_case : all_cases)
    if (options.cases.selects(suite_case.number)) cases.push_back(suite_case);
  std::vector<Job> jobs;
  for (const SuiteCase& suite_case : cases)
    for (const ModelFile& model : suite_case.models) jobs.push_back({&suite_case, &model});
  if (jobs.empty()) throw std::runtime_error("no model files to run (check --suite and --cases)");
  std::cout << "running " << jobs.size() << " model files of " << cases.size() << " cases with " << options.jobs
            << " jobs, timeout " << options.timeout.count() << " s each" << std::endl;

  std::vector<RunResult> results;
  {
    TempDir temp_dir(options.keep_temp);
    results = run_all(jobs, options, temp_dir.path(), known);
    if (options.keep_temp) std::cout << "CLI outputs kept in " << temp_dir.path().string() << '\n';
  }

  std::size_t passed = 0, unexpected = 0, known_failing = 0, covered_passing = 0;
  std::vector<const RunResult*> unexpected_results;
  for (const RunResult& result : results) {
    const bool covered = !result.known_failure.empty();
    if (result.outcome == Outcome::pass) {
      ++passed;
      if (covered) ++covered_passing;
    } else if (covered) {
      ++known_failing;
    } else {
      ++unexpected;
      unexpected_results.push_back(&result);
    }
  }

  fs::create_directories(options.report_dir);
  const fs::path report_tsv = options.report_dir / "suite-report.tsv";
  const fs::path summary_md = options.report_dir / "suite-summary.md";
  write_report_tsv(report_tsv, results);
  write_summary_md(summary_md, results, cases,
                   {options.suite_dir, options.cli, unexpected, known_failing, covered_passing,
                    std::chrono::steady_clock::now() - start});

  if (!unexpected_results.empty()) {
    // ctest truncates long output; the full list is in the report.
    constexpr std::size_t kShown = 100;
    std::cout << "unexpected non-passes (not in known failures):\n";
    for (std::size_t i = 0; i < std::min(unexpected_results.size(), kShown); ++i) {
      const RunResult& result = *unexpected_results[i];
      std::cout << "  " << result.case_id << ' ' << result.file << "  " << to_string(result.outcome) << ": "
                << result.detail << '\n';
    }
    if (unexpected_results.size() > kShown)
      std::cout << "  ... and " << unexpected_results.size() - kShown << " more\n";
  }
  const std::size_t obsolete = print_known_failure_review(std::cout, known, cases, results);
  std::cout << "report: " << fs::absolute(report_tsv).string() << "\n"
            << "summary: " << fs::absolute(summary_md).string() << "\n"
            << known_failing << " known failures\n"
            << passed << " passed, " << unexpected << " failed" << std::endl;
  if (obsolete > 0)
    std::cout << obsolete << " known-failure entries pass now: remove them from the list (it only shrinks)\n";
  return unexpected == 0 && obsolete == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<RunnerOptions> options;
  try {
    options = parse_options(argc, argv);
  } catch (const std::invalid_argument& e) {
    std::cerr << "axisim_suite_runner: " << e.what() << "\n\n" << usage_text();
    return 2;
  }
  if (!options) return EXIT_SUCCESS;  // --help
  try {
    return run(*options);
  } catch (const std::exception& e) {
    std::cerr << "axisim_suite_runner: error: " << e.what() << std::endl;
    return 2;
  }
}
