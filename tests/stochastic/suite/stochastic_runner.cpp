// axisim_stochastic_suite_runner: runs `axisim simulate --method ssa --replicates N` on the SBML
// Test Suite's stochastic cases and judges each by the suite's statistical rule
// (stochastic_judge.hpp), writing stochastic-report.tsv and stochastic-summary.md like the
// semantic runner (tests/suite). Cases of the `distrib` package are expected to be refused
// (Debian's libSBML is built without distrib) and are counted as refused, not failed.
//
// Exit status: 0 if every case not covered by the known-failures file passes (distrib cases:
// refused for that reason); 1 otherwise; 2 if the runner could not do its job; 77 (skipped) when
// the suite folder has no stochastic cases, unless AXISIM_REQUIRE_SBML_TEST_SUITE=1.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "atomic_file.hpp"
#include "case_filter.hpp"
#include "csv_table.hpp"
#include "known_failure_review.hpp"
#include "known_failures.hpp"
#include "run_result.hpp"
#include "stochastic_judge.hpp"
#include "subprocess.hpp"
#include "suite_layout.hpp"
#include "text_util.hpp"

namespace fs = std::filesystem;
using suite::Outcome;

namespace {

constexpr int kSkip = 77;

struct Options {
  fs::path cli, suite_dir, report_dir;
  std::optional<fs::path> known_failures;
  int jobs = 1;          // cases run at once
  int threads = 2;       // threads of each axisim run (-j)
  long replicates = 10000;
  unsigned long long seed = 1;
  std::size_t max_outside = 0;
  std::string files = "highest";  // highest | others | all
  double timeout = 600;
  suite::CaseFilter cases;
  bool keep_temp = false;
  bool max_outside_given = false;
  std::string method = "ssa";  // ssa | tau-leap | implicit-tau-leap | adaptive-tau-leap | hybrid
  std::string tau_epsilon;     // with tau-leap: passed on as --tau-epsilon
};

std::string usage() {
  return "usage: axisim_stochastic_suite_runner --cli PATH --suite DIR --report-dir DIR --max-outside K\n"
         "         [--known-failures FILE] [--replicates N] [--seed S] [-j CASES] [--threads T]\n"
         "         [--files highest|others|all] [--cases 1-39] [--timeout SECONDS] [--keep-temp]\n"
         "         [--method ssa|tau-leap|implicit-tau-leap|adaptive-tau-leap|hybrid] [--tau-epsilon E]\n"
         "\n"
         "Runs 'PATH simulate FILE --settings ... --method ssa --replicates N --seed S -j T' on the\n"
         "stochastic cases in DIR (NNNNN/ folders), judges each by the suite's rule (Z in meanRange,\n"
         "Y in sdRange), a case passing with at most K points outside, and writes\n"
         "stochastic-report.tsv and stochastic-summary.md to the report directory. --files: the\n"
         "highest Level/Version file of each case (default), every other file, or all of them.\n";
}

Options parse(int argc, char** argv) {
  Options o;
  bool cli = false, dir = false, report = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    auto integer = [&](const std::string& text) {
      char* end = nullptr;
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || v < 0) throw std::invalid_argument(a + " needs a whole number, got '" + text + "'");
      return v;
    };
    if (a == "--help" || a == "-h") {
      std::cout << usage();
      std::exit(0);
    } else if (a == "--cli") {
      o.cli = fs::weakly_canonical(fs::absolute(value()));
      cli = true;
    } else if (a == "--suite") {
      o.suite_dir = fs::weakly_canonical(fs::absolute(value()));
      dir = true;
    } else if (a == "--report-dir") {
      o.report_dir = value();
      report = true;
    } else if (a == "--known-failures") {
      o.known_failures = value();
    } else if (a == "-j" || a == "--jobs") {
      o.jobs = std::max<int>(1, static_cast<int>(integer(value())));
    } else if (a == "--threads") {
      o.threads = std::max<int>(1, static_cast<int>(integer(value())));
    } else if (a == "--replicates") {
      o.replicates = static_cast<long>(integer(value()));
      if (o.replicates < 2) throw std::invalid_argument("--replicates must be at least 2");
    } else if (a == "--seed") {
      o.seed = static_cast<unsigned long long>(integer(value()));
    } else if (a == "--max-outside") {
      o.max_outside = static_cast<std::size_t>(integer(value()));
      o.max_outside_given = true;
    } else if (a == "--files") {
      o.files = value();
      if (o.files != "highest" && o.files != "others" && o.files != "all")
        throw std::invalid_argument("--files must be highest, others or all");
    } else if (a == "--cases") {
      o.cases = suite::CaseFilter::parse(value());
    } else if (a == "--timeout") {
      o.timeout = static_cast<double>(integer(value()));
    } else if (a == "--method") {
      o.method = value();
      if (o.method != "ssa" && o.method != "tau-leap" && o.method != "implicit-tau-leap" && o.method != "adaptive-tau-leap" &&
          o.method != "hybrid")
        throw std::invalid_argument("--method must be ssa, tau-leap, implicit-tau-leap, adaptive-tau-leap or hybrid");
    } else if (a == "--tau-epsilon") {
      o.tau_epsilon = value();
    } else if (a == "--keep-temp") {
      o.keep_temp = true;
    } else {
      throw std::invalid_argument("unknown argument '" + a + "'");
    }
  }
  if (!cli || !dir || !report) throw std::invalid_argument("--cli, --suite and --report-dir are required");
  if (!o.max_outside_given)
    throw std::invalid_argument("--max-outside is required: the number of points allowed outside the ranges per case");
  return o;
}

// A stochastic case: the semantic runner's SuiteCase (id, files, tags) and what the runner needs.
struct Case {
  suite::SuiteCase base;
  std::vector<std::string> packages;
  std::string test_type;
  bool uses(const std::string& package) const {
    return std::find(packages.begin(), packages.end(), package) != packages.end();
  }
};

std::vector<std::string> list_field(const std::string& value) {
  std::vector<std::string> out;
  for (const std::string& item : suite::split(value, ','))
    if (!suite::trim(item).empty()) out.emplace_back(suite::trim(item));
  return out;
}

std::vector<Case> discover(const fs::path& dir) {
  std::vector<Case> out;
  static const std::regex case_dir(R"(\d{5})");
  static const std::regex model_name(R"(\d{5}-sbml-l(\d)v(\d+)\.xml)");
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string id = entry.path().filename().string();
    if (!entry.is_directory() || !std::regex_match(id, case_dir)) continue;
    Case c;
    c.base.id = id;
    c.base.number = std::stoi(id);
    c.base.dir = entry.path();
    for (const auto& f : fs::directory_iterator(entry.path())) {
      std::smatch m;
      const std::string name = f.path().filename().string();
      if (std::regex_match(name, m, model_name) && name.rfind(id, 0) == 0)
        c.base.models.push_back({name, std::stoi(m[1]), f.path()});
    }
    std::sort(c.base.models.begin(), c.base.models.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::ifstream in(c.base.description_path());
    std::string line;
    while (std::getline(in, line)) {
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      const std::string key(suite::trim(std::string_view(line).substr(0, colon)));
      const std::string value(suite::trim(std::string_view(line).substr(colon + 1)));
      if (key == "componentTags") c.base.component_tags = list_field(value);
      else if (key == "testTags") c.base.test_tags = list_field(value);
      else if (key == "packagesPresent") c.packages = list_field(value);
      else if (key == "testType") c.test_type = value;
    }
    if (!c.base.models.empty()) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.base.id < b.base.id; });
  return out;
}

// The last non-empty line of a file: where the CLI puts its reason for refusing or failing.
std::string last_line(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line, last;
  while (std::getline(in, line))
    if (!suite::trim(line).empty()) last = std::string(suite::trim(line));
  return suite::single_line(last);
}

struct Job {
  const Case* c;
  const suite::ModelFile* model;
};

struct Row {
  suite::RunResult result;
  stochastic::Verdict verdict;
  bool expected_refusal = false;
};

Row run_one(const Options& o, const Job& job, const fs::path& work) {
  Row row;
  suite::RunResult& r = row.result;
  r.case_id = job.c->base.id;
  r.file = job.model->name;
  r.level = job.model->level;
  fs::create_directories(work);
  const fs::path out = work / "output.csv", so = work / "stdout.txt", se = work / "stderr.txt";
  std::vector<std::string> argv{o.cli.string(),
                                      "simulate",
                                      job.model->path.string(),
                                      "--settings",
                                      job.c->base.settings_path().string(),
                                      "--method",
                                      o.method,
                                      "--replicates",
                                      std::to_string(o.replicates),
                                      "--seed",
                                      std::to_string(o.seed),
                                      "-j",
                                      std::to_string(o.threads),
                                      "-o",
                                      out.string(),
                                      "--quiet"};
  if (!o.tau_epsilon.empty()) argv.insert(argv.end(), {"--tau-epsilon", o.tau_epsilon});
  const suite::ProcessResult p = suite::run_process(argv, so, se, std::chrono::duration<double>(o.timeout));
  r.elapsed = p.elapsed;
  std::string message = last_line(se);
  const std::string path = job.model->path.string();
  for (auto at = message.find(path); at != std::string::npos; at = message.find(path, at))
    message.replace(at, path.size(), job.model->name);
  switch (p.status) {
    case suite::ProcessResult::Status::spawn_failed:
      r.outcome = Outcome::error;
      r.detail = p.spawn_error;
      return row;
    case suite::ProcessResult::Status::timed_out:
      r.outcome = Outcome::timeout;
      r.detail = "killed after " + std::to_string(static_cast<long>(o.timeout)) + " s";
      return row;
    case suite::ProcessResult::Status::signaled:
      r.outcome = Outcome::error;
      r.detail = "crashed with signal " + std::to_string(p.code) + ": " + message;
      return row;
    case suite::ProcessResult::Status::exited: break;
  }
  if (p.code == 3) {
    r.outcome = Outcome::refused;
    r.detail = message;
    // The distrib cases: refused, for that reason, and nothing else.
    row.expected_refusal = job.c->uses("distrib") && message.find("'distrib'") != std::string::npos &&
                           message.find("built without distrib") != std::string::npos;
    return row;
  }
  if (p.code != 0) {
    r.outcome = Outcome::error;
    r.detail = "exit " + std::to_string(p.code) + ": " + message;
    return row;
  }
  stochastic::StochasticSettings settings;
  suite::CsvTable expected, actual;
  try {
    settings = stochastic::read_stochastic_settings(job.c->base.settings_path());
    expected = suite::read_csv(job.c->base.results_path());
  } catch (const std::exception& e) {
    r.outcome = Outcome::error;
    r.detail = std::string("suite files unusable: ") + e.what();
    return row;
  }
  try {
    actual = suite::read_csv(out);
  } catch (const std::exception& e) {
    r.outcome = Outcome::fail;
    r.detail = std::string("unreadable output: ") + e.what();
    return row;
  }
  try {
    row.verdict = stochastic::judge(settings, expected, actual, static_cast<double>(o.replicates), o.max_outside);
    r.outcome = row.verdict.pass ? Outcome::pass : Outcome::fail;
    r.detail = row.verdict.detail;
  } catch (const std::exception& e) {
    r.outcome = Outcome::error;
    r.detail = std::string("suite files unusable: ") + e.what();
  }
  return row;
}

std::string seconds(double s) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", s);
  return buffer;
}

void write_reports(const Options& o, const std::vector<Case>& cases, const std::vector<Row>& rows,
                   std::size_t unexpected, double wall) {
  std::ostringstream tsv;
  tsv << "case\tfile\toutcome\tpoints\toutside\tworst_z\tworst_y\tseconds\tdetail\tknown_failure\n";
  for (const Row& row : rows) {
    const auto& r = row.result;
    tsv << r.case_id << '\t' << r.file << '\t' << suite::to_string(r.outcome) << '\t' << row.verdict.points << '\t'
        << row.verdict.outside() << '\t' << row.verdict.worst_z << '\t' << row.verdict.worst_y << '\t'
        << seconds(r.elapsed.count()) << '\t' << suite::single_line(r.detail) << '\t' << r.known_failure << '\n';
  }
  fs::create_directories(o.report_dir);
  suite::write_file_atomically(o.report_dir / "stochastic-report.tsv", tsv.str());

  std::map<Outcome, std::size_t> totals;
  std::size_t distrib_refused = 0, points = 0, outside = 0, mean_outside = 0, sd_outside = 0;
  std::map<std::size_t, std::size_t> outside_histogram;  // outside points -> judged files
  for (const Row& row : rows) {
    ++totals[row.result.outcome];
    if (row.expected_refusal) ++distrib_refused;
    if (row.verdict.points > 0) {
      points += row.verdict.points;
      outside += row.verdict.outside();
      mean_outside += row.verdict.mean_outside;
      sd_outside += row.verdict.sd_outside;
      ++outside_histogram[row.verdict.outside()];
    }
  }
  std::ostringstream md;
  md << "# SBML Test Suite: stochastic cases\n\n"
     << "- Suite: `" << o.suite_dir.string() << "`\n"
     << "- CLI: `" << o.cli.string() << "`, `simulate --method " << o.method << (o.tau_epsilon.empty() ? "" : " --tau-epsilon " + o.tau_epsilon)
     << " --replicates " << o.replicates << " --seed " << o.seed
     << " -j " << o.threads << "`\n"
     << "- " << cases.size() << " cases, " << rows.size() << " model files (" << o.files << "), " << seconds(wall)
     << " s\n"
     << "- Rule: Z = sqrt(n) (m - mu) / sigma in meanRange and Y = sqrt(n/2) (s^2/sigma^2 - 1) in sdRange at every "
        "output time, n = "
     << o.replicates << "; where sigma = 0, m must equal mu. A file passes when every such exact point is equal and at most "
     << o.max_outside << " of its Z and Y points are outside their ranges (the same number for every case)\n"
     << "- Unexpected non-passes: " << unexpected << "; refused as expected (distrib): " << distrib_refused << "\n\n"
     << "## Totals\n\n| Outcome | Files |\n|---|---:|\n";
  for (Outcome outcome : suite::kAllOutcomes)
    md << "| " << suite::to_string(outcome) << " | " << totals[outcome] << " |\n";
  md << "| **total** | " << rows.size() << " |\n\n"
     << "## Points outside the ranges\n\n"
     << points << " points judged, " << outside << " outside (" << mean_outside << " means, " << sd_outside
     << " standard deviations).\n\n| Points outside | Files |\n|---:|---:|\n";
  for (const auto& [k, n] : outside_histogram) md << "| " << k << " | " << n << " |\n";
  md << "\n## Files\n\n| Case | File | Outcome | Points | Outside | Worst Z | Worst Y | Seconds |\n"
     << "|---|---|---|---:|---:|---:|---:|---:|\n";
  for (const Row& row : rows) {
    if (row.verdict.points == 0 && row.result.outcome != Outcome::fail && row.result.outcome != Outcome::error)
      continue;
    char z[32], y[32];
    std::snprintf(z, sizeof z, "%.2f", row.verdict.worst_z);
    std::snprintf(y, sizeof y, "%.2f", row.verdict.worst_y);
    md << "| " << row.result.case_id << " | " << row.result.file << " | " << suite::to_string(row.result.outcome) << " | "
       << row.verdict.points << " | " << row.verdict.outside() << " | " << z << " | " << y << " | "
       << seconds(row.result.elapsed.count()) << " |\n";
  }
  std::map<std::string, std::size_t> reasons;
  static const std::regex file_name(R"(\d{5}-sbml-l\dv\d\.xml)");
  for (const Row& row : rows)
    if (row.result.outcome == Outcome::refused) ++reasons[std::regex_replace(row.result.detail, file_name, "MODEL.xml")];
  if (!reasons.empty()) {
    md << "\n## Refusal reasons\n\n| Files | Message |\n|---:|---|\n";
    for (const auto& [message, n] : reasons) md << "| " << n << " | " << message << " |\n";
  }
  suite::write_file_atomically(o.report_dir / "stochastic-summary.md", md.str());
}

int run(const Options& o) {
  const auto started = std::chrono::steady_clock::now();
  if (!fs::is_regular_file(o.cli) || access(o.cli.c_str(), X_OK) != 0)
    throw std::runtime_error("axisim CLI not found or not executable: " + o.cli.string());
  std::vector<Case> all;
  if (fs::is_directory(o.suite_dir)) all = discover(o.suite_dir);
  if (all.empty()) {
    std::cerr << "No stochastic cases (NNNNN/ folders with NNNNN-sbml-*.xml) in " << o.suite_dir.string()
              << ": the SBML Test Suite copy has no stochastic/ folder. Point AXISIM_SBML_TEST_SUITE_DIR at a copy "
                 "laid out as ../shared/sbml-test-suite (with stochastic/NNNNN/).\n";
    if (const char* req = std::getenv("AXISIM_REQUIRE_SBML_TEST_SUITE"); req && std::string(req) == "1") {
      std::cerr << "FAILED: AXISIM_REQUIRE_SBML_TEST_SUITE=1 and the stochastic cases are missing.\n";
      return 1;
    }
    std::cerr << "SKIPPED: no stochastic cases.\n";
    return kSkip;
  }
  suite::KnownFailures known;
  std::vector<suite::SuiteCase> bases;
  for (const Case& c : all) bases.push_back(c.base);
  if (o.known_failures) {
    known = suite::KnownFailures::read(*o.known_failures);
    for (const std::string& w : known.stale_rule_warnings(bases)) std::cout << "warning: " << w << '\n';
  }
  std::vector<const Case*> cases;
  for (const Case& c : all)
    if (o.cases.selects(c.base.number)) cases.push_back(&c);
  std::vector<Job> jobs;
  for (const Case* c : cases) {
    // The highest Level and Version (file names sort so: l2v1 < ... < l3v2).
    const suite::ModelFile* highest = &c->base.models.back();
    for (const suite::ModelFile& m : c->base.models) {
      const bool is_highest = &m == highest;
      if (o.files == "all" || (o.files == "highest") == is_highest) jobs.push_back({c, &m});
    }
  }
  if (jobs.empty()) throw std::runtime_error("no model files to run (check --suite, --cases and --files)");
  std::cout << "running " << jobs.size() << " model files of " << cases.size() << " stochastic cases, " << o.replicates
            << " replicates each (seed " << o.seed << "), " << o.jobs << " at a time with " << o.threads
            << " threads each; at most " << o.max_outside << " points outside the ranges per file" << std::endl;

  std::string pattern = (fs::temp_directory_path() / "axisim-stochastic-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
  const fs::path temp = pattern;
  std::vector<Row> rows(jobs.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::size_t finished = 0;
  auto worker = [&] {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      Row row;
      try {
        row = run_one(o, jobs[i], temp / jobs[i].c->base.id / jobs[i].model->path.stem());
      } catch (const std::exception& e) {
        row.result = {jobs[i].c->base.id, jobs[i].model->name, jobs[i].model->level, Outcome::error,
                      std::string("runner: ") + e.what(), {}, {}};
      }
      if (const suite::KnownFailureRule* rule = known.find(jobs[i].c->base, *jobs[i].model))
        row.result.known_failure = rule->selector();
      const std::lock_guard lock(mutex);
      rows[i] = std::move(row);
      ++finished;
      const auto& r = rows[i].result;
      if (r.outcome != Outcome::refused)
        std::cout << "[" << finished << "/" << jobs.size() << "] " << r.case_id << " " << r.file << " "
                  << suite::to_string(r.outcome) << " (" << seconds(r.elapsed.count()) << " s): " << r.detail
                  << std::endl;
    }
  };
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < o.jobs; ++t) pool.emplace_back(worker);
  }
  if (!o.keep_temp) {
    std::error_code ignored;
    fs::remove_all(temp, ignored);
  } else {
    std::cout << "CLI outputs kept in " << temp.string() << '\n';
  }

  std::size_t passed = 0, unexpected = 0, known_failing = 0, refused = 0;
  std::vector<const Row*> bad;
  for (const Row& row : rows) {
    const auto& r = row.result;
    if (r.outcome == Outcome::pass) ++passed;
    else if (row.expected_refusal) ++refused;
    else if (!r.known_failure.empty()) ++known_failing;
    else {
      ++unexpected;
      bad.push_back(&row);
    }
  }
  std::vector<suite::RunResult> results;
  for (const Row& row : rows) results.push_back(row.result);
  std::vector<suite::SuiteCase> selected;
  for (const Case* c : cases) selected.push_back(c->base);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  write_reports(o, all, rows, unexpected, wall);
  if (!bad.empty()) {
    std::cout << "unexpected non-passes (not in known failures):\n";
    for (const Row* row : bad)
      std::cout << "  " << row->result.case_id << ' ' << row->result.file << "  " << suite::to_string(row->result.outcome)
                << ": " << row->result.detail << '\n';
  }
  const std::size_t obsolete = suite::print_known_failure_review(std::cout, known, selected, results);
  std::cout << "report: " << fs::absolute(o.report_dir / "stochastic-report.tsv").string() << "\n"
            << "summary: " << fs::absolute(o.report_dir / "stochastic-summary.md").string() << "\n"
            << passed << " passed, " << refused << " refused (distrib), " << known_failing << " known failures, "
            << unexpected << " failed, in " << seconds(wall) << " s" << std::endl;
  return unexpected == 0 && obsolete == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "axisim_stochastic_suite_runner: " << e.what() << "\n\n" << usage();
    return 2;
  }
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << "axisim_stochastic_suite_runner: error: " << e.what() << std::endl;
    return 2;
  }
}
