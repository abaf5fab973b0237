// test_runner.cpp — the runner in-process: reduced outputs, failures kept local, the summary,
// refusing to mix batches in one OUTDIR, and stopping.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "axisim/batch.hpp"
#include "axisim/error.hpp"

using namespace axisim::batch;
namespace fs = std::filesystem;

namespace {

const std::string kData = AXISIM_BATCH_TEST_DATA;

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("axisim-batch-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

JobList parse(const std::string& text) { return parse_job_text(text, "jobs.toml", kData); }

const char* kJobs = R"(
[defaults]
model = "brusselator.xml"
simulation = { end = 10, steps = 20 }
select = ["x", "a"]

[[job]]
id = "full"

[[job]]
id = "final"
output = "final"

[[job]]
id = "stats"
output = "summary"
statistics = ["min", "max", "mean", "auc", "final"]
set = { a = 2 }

[[job]]
id = "unknown_id"
set = { no_such_parameter = 1 }

[[job]]
id = "too_few_steps"
simulation = { max_steps = 3, end = 1000 }

[[job]]
id = "missing_model"
model = "no_such_model.xml"
)";

}  // namespace

TEST_CASE("the runner writes full and reduced results, keeps failures local, and summarises") {
  TempDir dir;
  const JobList jobs = parse(kJobs);
  RunOptions opt;
  opt.outdir = dir.path.string();
  opt.threads = 2;
  opt.progress = false;
  prepare_outdir(jobs, opt);
  const RunCounts n = run_jobs(jobs, opt);
  CHECK(n.assigned == 6);
  CHECK(n.ran == 6);
  CHECK(n.ok == 3);
  CHECK(n.failed == 3);
  const SummaryCounts s = write_summary(jobs, opt.outdir);
  CHECK(s.ok == 3);
  CHECK(s.failed == 3);
  CHECK(s.not_run == 0);

  CHECK(lines(slurp(dir.path / "results" / "full.csv")).size() == 22);  // header + 21 rows
  const auto final_lines = lines(slurp(dir.path / "results" / "final.csv"));
  REQUIRE(final_lines.size() == 2);
  CHECK(final_lines[0] == "time,x,a");
  CHECK(final_lines[1].rfind("10,", 0) == 0);
  const auto stats = lines(slurp(dir.path / "results" / "stats.csv"));
  REQUIRE(stats.size() == 2);
  CHECK(stats[0] == "min(x),max(x),mean(x),auc(x),final(x),min(a),max(a),mean(a),auc(a),final(a)");
  CHECK(stats[1].substr(stats[1].find(",2,2,2,20,2")) == ",2,2,2,20,2");  // a is constant: its mean is 2, its area 2 * 10
  for (const char* failed : {"unknown_id", "too_few_steps", "missing_model"}) CHECK_FALSE(fs::exists(dir.path / "results" / (std::string(failed) + ".csv")));

  const auto summary = lines(slurp(dir.path / "summary.csv"));
  REQUIRE(summary.size() == 7);
  CHECK(summary[0].rfind("job,status,overrides,model,wall_s,integration_s,steps,rhs_evaluations", 0) == 0);
  CHECK(summary[1].rfind("full,ok,,brusselator.xml,", 0) == 0);
  CHECK(summary[4].rfind("unknown_id,failed,no_such_parameter=1,", 0) == 0);
  CHECK_THAT(summary[4], Catch::Contains("no_such_parameter"));
  CHECK_THAT(summary[5], Catch::Contains("too_few_steps,failed"));
  CHECK_THAT(summary[6], Catch::Contains("missing_model,failed") && Catch::Contains("no_such_model.xml"));

  const auto reduced = lines(slurp(dir.path / "reduced.csv"));
  REQUIRE(reduced.size() == 3);
  CHECK(reduced[0].rfind("job,time,x,a,min(x)", 0) == 0);
  CHECK(reduced[1].rfind("final,10,", 0) == 0);
  CHECK(reduced[2].rfind("stats,,,,", 0) == 0);
}

TEST_CASE("an OUTDIR holds one batch: no silent mixing, and resume needs the same jobs") {
  TempDir dir;
  const JobList jobs = parse(kJobs);
  RunOptions opt;
  opt.outdir = dir.path.string();
  opt.progress = false;
  prepare_outdir(jobs, opt);
  run_jobs(jobs, opt);
  CHECK_THROWS_WITH(prepare_outdir(jobs, opt), Catch::Contains("--resume"));
  opt.resume = true;
  CHECK_NOTHROW(prepare_outdir(jobs, opt));
  const RunCounts again = run_jobs(jobs, opt);
  CHECK(again.already_complete == 3);
  CHECK(again.ran == 3);  // the failed ones are tried again
  const SummaryCounts s = write_summary(jobs, opt.outdir);
  CHECK(s.ok == 3);
  CHECK(s.failed == 3);
  CHECK(lines(slurp(dir.path / "summary.csv")).size() == 7);  // each job once, its last row
  std::string changed = kJobs;
  changed.replace(changed.find("end = 10"), 8, "end = 11");
  CHECK_THROWS_WITH(prepare_outdir(parse(changed), opt), Catch::Contains("other jobs"));
  opt.resume = false;
  opt.overwrite = true;
  CHECK_NOTHROW(prepare_outdir(parse(changed), opt));
  CHECK_FALSE(fs::exists(dir.path / "results" / "full.csv"));
}

TEST_CASE("a stopped batch runs nothing more, and its summary marks the rest skipped") {
  TempDir dir;
  const JobList jobs = parse(kJobs);
  axisim::StopFlag stop{15};
  RunOptions opt;
  opt.outdir = dir.path.string();
  opt.progress = false;
  opt.stop = &stop;
  prepare_outdir(jobs, opt);
  const RunCounts n = run_jobs(jobs, opt);
  CHECK(n.ran == 0);
  CHECK(n.not_run == 6);
  const SummaryCounts s = write_summary(jobs, opt.outdir);
  CHECK(s.not_run == 6);
  CHECK_THAT(slurp(dir.path / "summary.csv"), Catch::Contains("full,skipped,"));
}

TEST_CASE("a batch stopped while a long job runs stops the job inside its run and leaves it to --resume") {
  // Job `quick` (0.1 s of integration at most) and job `long` (oscillator.xml to t = 1e5: hours);
  // one worker runs them in order, and the stop comes 0.5 s in.
  TempDir dir;
  const JobList jobs = parse(R"(
[[job]]
id = "quick"
model = "brusselator.xml"
simulation = { end = 10, steps = 20 }

[[job]]
id = "long"
model = "oscillator.xml"
simulation = { end = 100000, steps = 10000 }
)");
  axisim::StopFlag stop{0};
  RunOptions opt;
  opt.outdir = dir.path.string();
  opt.progress = false;
  opt.stop = &stop;
  prepare_outdir(jobs, opt);
  std::chrono::steady_clock::time_point requested;
  std::thread signal([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    requested = std::chrono::steady_clock::now();
    stop.store(15);
  });
  const RunCounts n = run_jobs(jobs, opt);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - requested).count();
  signal.join();
  CHECK(took < 5.0);  // stopped inside the integration, not at its end
  CHECK(n.ran == 1);
  CHECK(n.ok == 1);
  CHECK(n.failed == 0);
  CHECK(n.not_run == 1);
  CHECK(fs::exists(dir.path / "results" / "quick.csv"));
  CHECK_FALSE(fs::exists(dir.path / "results" / "long.csv"));
  const SummaryCounts s = write_summary(jobs, opt.outdir);
  CHECK(s.ok == 1);
  CHECK(s.not_run == 1);
  CHECK_THAT(slurp(dir.path / "summary.csv"), Catch::Contains("long,skipped,"));
  // --resume would run `long` again, and only it (stopped again at once here).
  opt.resume = true;
  prepare_outdir(jobs, opt);
  const RunCounts again = run_jobs(jobs, opt);
  CHECK(again.already_complete == 1);
  CHECK(again.ran == 0);
  CHECK(again.not_run == 1);
}

TEST_CASE("ranks share the list by index: job j runs on rank j % ranks") {
  TempDir dir;
  const JobList jobs = parse(kJobs);
  RunOptions opt;
  opt.outdir = dir.path.string();
  opt.progress = false;
  opt.ranks = 4;
  opt.rank = 1;
  prepare_outdir(jobs, opt);
  const RunCounts n = run_jobs(jobs, opt);
  CHECK(n.assigned == 2);  // jobs 1 and 5
  CHECK(n.ran == 2);
  CHECK(fs::exists(dir.path / "results" / "final.csv"));
  CHECK_FALSE(fs::exists(dir.path / "results" / "full.csv"));
  std::string rows;
  for (const auto& e : fs::directory_iterator(dir.path / "status")) {
    CHECK(e.path().filename().string().rfind("r1-", 0) == 0);
    rows += slurp(e.path());
  }
  const auto ran = lines(rows);
  REQUIRE(ran.size() == 2);
  CHECK(ran[0].rfind("final,ok,", 0) == 0);
  CHECK(ran[1].rfind("missing_model,failed,", 0) == 0);
}

TEST_CASE("max_seconds stops a run cooperatively, keeps the rows so far and says when", "[timeout]") {
  // The Brusselator to t = 10^9 at tight tolerances: about 10^8 CVODE steps, minutes of work.
  axisim::Model model = axisim::Model::from_file(kData + "/brusselator.xml");
  axisim::SimulationOptions o;
  o.end = 1e9;
  o.steps = 1000;
  o.rtol = 1e-12;
  o.atol = 1e-14;
  o.max_steps = 1000000000;
  o.max_seconds = 0.3;
  const auto t0 = std::chrono::steady_clock::now();
  const axisim::Result r = model.simulate(o, {{"x"}});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(r.timed_out);
  CHECK(wall >= 0.3);
  CHECK(wall < 2.0);
  CHECK_THAT(r.error, Catch::StartsWith("timed out: stopped at t = ") && Catch::Contains("(max_seconds = 0.3"));
  CHECK(r.rows() < 1001);
  // Without a limit, and with one that is not reached, nothing changes.
  axisim::SimulationOptions quick;
  quick.end = 10;
  quick.steps = 10;
  const axisim::Result a = model.simulate(quick, {{"x"}});
  quick.max_seconds = 60;
  const axisim::Result b = model.simulate(quick, {{"x"}});
  CHECK_FALSE(b.timed_out);
  CHECK(b.error.empty());
  REQUIRE(a.rows() == b.rows());
  for (std::size_t i = 0; i < a.rows(); ++i) CHECK(a.at(i, 1) == b.at(i, 1));
}
