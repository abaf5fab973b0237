#include "cli_run.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "case_settings.hpp"
#include "csv_table.hpp"
#include "judge.hpp"
#include "subprocess.hpp"
#include "text_util.hpp"

namespace suite {

namespace fs = std::filesystem;

namespace {

// The CLI puts its reason for refusing or failing on the last non-empty stderr line.
std::string last_nonempty_line(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line, last;
  while (std::getline(in, line))
    if (!trim(line).empty()) last = std::string(trim(line));
  return last;
}

// The message, with the model's full path shortened to its file name: the report row already
// names the case, and paths would make equal messages of different cases look different.
std::string cli_message(const fs::path& stderr_file, const fs::path& stdout_file, const ModelFile& model) {
  std::string message = last_nonempty_line(stderr_file);
  if (message.empty()) message = last_nonempty_line(stdout_file);
  if (message.empty()) return "(no message)";
  const std::string path = model.path.string();
  for (std::size_t at = message.find(path); at != std::string::npos; at = message.find(path, at))
    message.replace(at, path.size(), model.name);
  return single_line(message);
}

std::string exit_code_meaning(int code) {
  switch (code) {
    case 2: return "usage error";
    case 4: return "invalid input";
    case 5: return "solver failure";
    default: return "unexpected exit code";
  }
}

Outcome judge_output(const SuiteCase& suite_case, const fs::path& output, std::string& detail) {
  // Problems with the suite's own files are errors; problems with the output are failures.
  CaseSettings settings;
  CsvTable expected;
  try {
    settings = read_case_settings(suite_case.settings_path());
    expected = read_csv(suite_case.results_path());
  } catch (const std::exception& e) {
    detail = std::string("suite files unusable: ") + e.what();
    return Outcome::error;
  }
  if (!fs::exists(output)) {
    detail = "exit 0 but no output file was written";
    return Outcome::fail;
  }
  CsvTable actual;
  try {
    actual = read_csv(output);
  } catch (const std::exception& e) {
    detail = std::string("unreadable output: ") + e.what();
    return Outcome::fail;
  }
  try {
    const Verdict verdict = judge(settings, expected, actual);
    detail = verdict.detail;
    return verdict.pass ? Outcome::pass : Outcome::fail;
  } catch (const std::exception& e) {
    detail = std::string("suite files unusable: ") + e.what();
    return Outcome::error;
  }
}

}  // namespace

RunResult run_cli_on_model(const CliRunConfig& config, const SuiteCase& suite_case, const ModelFile& model) {
  RunResult result;
  result.case_id = suite_case.id;
  result.file = model.name;
  result.level = model.level;

  const fs::path output = config.work_dir / "output.csv";
  const fs::path stdout_file = config.work_dir / "stdout.txt";
  const fs::path stderr_file = config.work_dir / "stderr.txt";
  // Flux balance cases are solved by "axisim fba"; the suite expects NaN from an infeasible one.
  const bool flux_balance = suite_case.test_type == TestType::flux_balance;
  std::vector<std::string> argv = {config.cli.string(),
                                   flux_balance ? "fba" : "simulate",
                                   model.path.string(),
                                   "--settings",
                                   suite_case.settings_path().string(),
                                   "-o",
                                   output.string(),
                                   "--quiet"};
  if (flux_balance) argv.push_back("--infeasible-as-nan");
  else argv.insert(argv.end(), config.simulate_args.begin(), config.simulate_args.end());
  const ProcessResult process = run_process(argv, stdout_file, stderr_file, config.timeout);
  result.elapsed = process.elapsed;

  switch (process.status) {
    case ProcessResult::Status::spawn_failed:
      result.outcome = Outcome::error;
      result.detail = single_line(process.spawn_error);
      break;
    case ProcessResult::Status::timed_out:
      result.outcome = Outcome::timeout;
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", config.timeout.count());
      result.detail = std::string("killed after ") + seconds + " s";
      break;
    case ProcessResult::Status::signaled:
      result.outcome = Outcome::error;
      result.detail = "crashed with signal " + std::to_string(process.code) + " (" + strsignal(process.code) +
                      "): " + cli_message(stderr_file, stdout_file, model);
      break;
    case ProcessResult::Status::exited:
      if (process.code == 0) {
        result.outcome = judge_output(suite_case, output, result.detail);
      } else if (process.code == 3) {
        result.outcome = Outcome::refused;
        result.detail = cli_message(stderr_file, stdout_file, model);
      } else {
        result.outcome = Outcome::error;
        result.detail = "exit " + std::to_string(process.code) + " (" + exit_code_meaning(process.code) +
                        "): " + cli_message(stderr_file, stdout_file, model);
      }
      break;
  }
  return result;
}

}  // namespace suite
