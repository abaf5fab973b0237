// axisim batch: run every job of a job file (scenarios, parameter scans) on a thread pool, and
// under `mpirun -np K` over K processes; resumable. The runner is axisim::batch (batch/).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>

#include "axisim/batch.hpp"
#include "axisim/error.hpp"
#include "commands.hpp"
#include "stop_signals.hpp"

namespace axisim::cli {
namespace {

// Exit code when the batch finished but some jobs failed or did not run (summary.csv says which).
constexpr int kSomeJobsFailed = 7;
constexpr int kInterrupted = 130;

struct BatchArgs {
  std::string jobs_file;
  std::string outdir;
  int threads = 1;
  bool resume = false, overwrite = false, no_progress = false, list = false, retry_timed_out = false;
  double max_seconds = 0;
  std::vector<std::string> plugin_dirs;
  Backend backend = Backend::Auto;
};

int run_batch(const BatchArgs& a) {
  // Every process reads and expands the job file the same way before MPI starts, so that a
  // mistake in it stops every rank with the same message and exit code.
  const auto started = std::chrono::steady_clock::now();
  const batch::JobList jobs = batch::load_job_file(a.jobs_file);
  if (a.list) {
    std::printf("%s", "job,overrides\n");
    for (const batch::Job& j : jobs.jobs)
      std::printf("%s,%s\n", batch::csv_field(j.id).c_str(), batch::csv_field(batch::format_overrides(j)).c_str());
    return 0;
  }
  if (a.outdir.empty()) throw Error(ErrorKind::Usage, "batch needs an output folder (-o OUTDIR)");
  batch::Cluster cluster;
  const bool root = cluster.rank() == 0;

  batch::RunOptions options;
  options.outdir = a.outdir;
  options.threads = a.threads;
  options.resume = a.resume;
  options.overwrite = a.overwrite;
  options.plugin_dirs = a.plugin_dirs;
  options.backend = a.backend;
  options.max_seconds = a.max_seconds;
  options.retry_timed_out = a.retry_timed_out;
  options.rank = cluster.rank();
  options.ranks = cluster.size();
  options.progress = root && !a.no_progress && spdlog::should_log(spdlog::level::info);

  int code = 0;
  if (root) {
    try {
      batch::prepare_outdir(jobs, options);
    } catch (const Error& e) {
      spdlog::error("{}", e.what());
      code = exit_code_for(e.kind());
    }
  }
  if ((code = static_cast<int>(cluster.max(code))) != 0) return code;

  // SIGINT or SIGTERM: no more jobs are handed out, running time courses and stochastic work
  // units stop inside their run and stay to run (--resume), the summary is written; exit 130.
  // A second signal ends the process at once.
  options.stop = install_stop_signals();
  // A file size limit (ulimit -f) must fail the write (EFBIG, reported with the file's name)
  // rather than kill the process.
  ::signal(SIGXFSZ, SIG_IGN);
  if (root)
    spdlog::info("batch: {} jobs from {} on {} thread{}{}", jobs.jobs.size(), a.jobs_file, a.threads,
                 a.threads == 1 ? "" : "s", cluster.mpi() ? " in each of " + std::to_string(cluster.size()) + " MPI processes" : "");
  batch::RunCounts counts;
  try {
    counts = batch::run_jobs(jobs, options);
  } catch (const Error& e) {
    // OUTDIR itself failed (a full disk, a file size limit, a lost mount): no file is left half
    // written, and every job whose result is in place is complete.
    if (e.kind() != ErrorKind::Io) throw;
    throw Error(ErrorKind::Io, std::string(e.what()) +
                                   "\nbatch stopped; when OUTDIR can be written again, run the same command with "
                                   "--resume to finish the batch");
  }
  cluster.barrier();
  const long long ran = cluster.sum(static_cast<long long>(counts.ran));
  const long long already = cluster.sum(static_cast<long long>(counts.already_complete));
  const bool interrupted = cluster.max(options.stop->load() ? 1 : 0) != 0;

  if (root) {
    // Stochastic jobs whose replicates were shared between processes: merged once all are done.
    if (!interrupted) batch::finish_ensembles(jobs, options);
    const batch::SummaryCounts s = batch::write_summary(jobs, a.outdir);
    spdlog::info("batch: {} ok, {} failed, {} timed out, {} not run, of {} jobs; ran {} now ({} were complete) in {:.2f} s; see {}/summary.csv",
                 s.ok, s.failed, s.timed_out, s.not_run, jobs.jobs.size(), ran, already,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), a.outdir);
    if (interrupted) {
      spdlog::warn("batch: interrupted; run the same command with --resume to finish it");
      code = kInterrupted;
    } else if (s.failed > 0 || s.timed_out > 0 || s.not_run > 0) code = kSomeJobsFailed;
  }
  return static_cast<int>(cluster.max(code));
}

}  // namespace

Runner add_batch_command(CLI::App& app) {
  auto args = std::make_shared<BatchArgs>();
  BatchArgs& b = *args;
  CLI::App* cmd = app.add_subcommand(
      "batch", "Run many simulations from a job file (scenarios, grid/log-grid/random/LHS scans) in parallel; "
               "resumable; under mpirun spread over MPI processes (docs/batch.md)");
  cmd->add_option("job_file", b.jobs_file, "Job file (TOML): [defaults], [[job]] and [[scan]] tables")->required();
  cmd->add_option("-o,--output", b.outdir, "Output folder: results/<job>.csv, summary.csv, reduced.csv, manifest.csv");
  cmd->add_option("-j,--jobs", b.threads, "Run this many jobs at once (per MPI process; default 1)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--resume", b.resume, "Run only the jobs without a complete result in OUTDIR (after an interrupt)");
  cmd->add_flag("--overwrite", b.overwrite, "Start again in an OUTDIR that holds an earlier batch (deletes its results)");
  cmd->add_flag("--no-progress", b.no_progress, "No progress bar or progress lines");
  cmd->add_flag("--list", b.list, "Print the expanded job list (id, overrides) as CSV and run nothing");
  cmd->add_option("--max-seconds", b.max_seconds,
                  "Stop a time-course job that runs longer than this many seconds (wall time) and record it as "
                  "timed_out; for jobs whose job file gives no max_seconds")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--retry-timed-out", b.retry_timed_out,
                "With --resume: run again the jobs that timed out (by default they are left as they are)");
  cmd->add_option("--plugin-dir", b.plugin_dirs, "Also look for plugins here (repeatable)");
  cmd->add_option("--backend", b.backend,
                  "How formulas run: interpreter, native, or auto (native when this process runs at least " +
                      std::to_string(batch::kNativeMinJobs) + " jobs)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, Backend>{
          {"auto", Backend::Auto}, {"interpreter", Backend::Interpreter}, {"native", Backend::Native}}));
  return [cmd, args] { return *cmd ? run_batch(*args) : -1; };
}

}  // namespace axisim::cli
