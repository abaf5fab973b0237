// axisim/batch.hpp — many simulations from one job file: scenarios, parameter scans, a thread
// pool, resumable outputs. The format is documented in docs/batch.md.
//
//   axisim::batch::JobList jobs = axisim::batch::load_job_file("scan.toml");
//   axisim::batch::RunOptions run;  run.outdir = "out";  run.threads = 2;
//   axisim::batch::prepare_outdir(jobs, run);        // creates folders, checks --resume
//   axisim::batch::RunCounts n = axisim::batch::run_jobs(jobs, run);
//   axisim::batch::write_summary(jobs, run.outdir);  // summary.csv (+ reduced.csv)
//
// Output layout (OUTDIR):
//   manifest.csv        every job with its model and overrides, written before any job runs
//   results/<id>.csv    one per job that succeeded; its presence means "complete"
//   status/*.csv        each worker's log: one summary row appended per job it ran
//   partial/<id>/       a stochastic job's completed work units (merged into its result)
//   summary.csv         every job: id, status, overrides, wall time, solver statistics, error
//   reduced.csv         one row per job whose output is "final" or "summary"
//
// Every file but the status logs appears under its final name whole or not at all (written to
// "<name>.tmp-<pid>" and renamed). A job is complete iff results/<id>.csv exists; a run with `resume` runs only the
// jobs that are not. Expansion of scans is deterministic (std::mt19937_64 with the scan's seed),
// so job ids and values do not depend on the thread count or on how many MPI ranks share the
// list.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/scenario.hpp"
#include "axisim/steady_state.hpp"

namespace axisim::batch {

// What a job writes to results/<id>.csv.
enum class OutputMode {
  Full,     // the whole time course (as `axisim simulate` writes it)
  Final,    // the last row only (time and every selected column)
  Summary,  // one row of statistics of each column: min(X), max(X), mean(X), ...
};

// What a job computes: a deterministic time course (CVODE), or an ensemble of exact stochastic
// simulations (axisim/stochastic.hpp) whose result is the mean and standard deviation of every
// output at every output time (time, X-mean, X-sd, ...); a steady state (axisim/steady_state.hpp,
// the CSV `axisim steady` writes); or the forward sensitivities of a time course to `wrt`
// (axisim/sensitivities.hpp, the CSV `axisim sensitivities` writes).
enum class JobKind { Ode, Ssa, Steady, Sensitivities };

// Statistics a "summary" output may ask for, per selected column over the output grid.
//   initial, final, min, max, mean (time average, trapezoidal), auc (trapezoidal integral),
//   tmin, tmax (the first output time at which the minimum / maximum is reached)
extern const std::vector<std::string> kStatistics;

struct Job {
  std::string id;          // unique; letters, digits, '_', '-', '.'
  std::string model_path;  // absolute
  SimulationOptions options;
  // Initial values, parameters and compartment sizes by SBML id, in the order they are applied;
  // "PLUGIN.PARAM" sets a parameter of an attached plugin, "PLUGIN.STATE" its initial state.
  std::vector<std::pair<std::string, double>> set;
  std::vector<std::string> select;  // output columns (empty: all species and plugin outputs)
  // select came from a scenario file: the attached plugins' outputs it does not list are added.
  bool select_from_scenario = false;
  std::vector<std::string> add_select;  // columns added to select (or to the default columns)
  std::vector<PluginRequest> plugins;
  OutputMode output = OutputMode::Full;
  std::vector<std::string> statistics;  // for OutputMode::Summary
  JobKind kind = JobKind::Ode;
  // Ssa: replicates 0 .. replicates - 1 of options.seed (replicate r's stream depends on the seed
  // and r alone). They are run in work units of kEnsembleUnit replicates spread over the workers
  // and MPI ranks like jobs, and merged in replicate order, so the result is bit for bit
  // `axisim simulate --method ssa --replicates N --seed S`'s, whatever -j and the number of ranks.
  std::uint64_t replicates = 1000;
  // Sensitivities: the parameters (at least one), and whether values are (p / y) dy/dp.
  std::vector<std::string> wrt;
  bool scaled = false;
  // Steady: the solver's options (a job's `steady` table: rtol, atol, max_iterations, max_time),
  // as `axisim steady --rtol/--atol/--max-iterations/--max-time` sets them; the method stays auto.
  SteadyStateOptions steady;
  // Load the model with LoadOptions::ignore_fast (fast reactions as ordinary kinetics).
  bool ignore_fast = false;
  // options.max_seconds (time courses only): a job that runs longer is stopped cooperatively
  // and recorded as timed_out; 0 takes RunOptions::max_seconds.
};
inline constexpr std::uint64_t kEnsembleUnit = 512;  // replicates per work unit (a multiple of 64)

struct JobList {
  std::string source;  // the job file
  std::vector<Job> jobs;
};

// Reads a job file and expands its scans. Throws Error(Io) if it cannot be read and
// Error(Usage) naming the file, line and key when it is not valid (unknown keys, duplicate
// job ids, an empty scan, ...). Model ids are checked when a job runs, not here.
JobList load_job_file(const std::string& path);
JobList parse_job_text(const std::string& text, const std::string& path_for_messages,
                       const std::string& base_dir);

// "k=v;k=v" with numbers in their shortest round-trip form.
std::string format_overrides(const Job& job);

struct RunOptions {
  std::string outdir;
  int threads = 1;
  bool resume = false;     // skip jobs whose result exists
  bool overwrite = false;  // allow an OUTDIR that already holds results without resume
  bool progress = true;    // progress bar on a terminal, log lines otherwise
  std::vector<std::string> plugin_dirs;
  // This process's share of the list: job j (its index in JobList::jobs) runs here iff
  // j % ranks == rank. One process: 0 and 1.
  int rank = 0, ranks = 1;
  // Set (by a signal handler, say) to stop: no more jobs are handed out, and running time courses
  // and stochastic work units stop inside their run (SimulationOptions::stop,
  // StochasticOptions::stop) and leave no status row and no result, so that --resume runs them
  // again; steady-state and sensitivity jobs finish. The value is the signal's number.
  const StopFlag* stop = nullptr;
  // How models' formulas run. Auto: native code (compiled once, cached on disk and shared by
  // the workers) when this process runs at least kNativeMinJobs jobs, where it repays its
  // compile time; the interpreter for fewer.
  Backend backend = Backend::Auto;
  // The wall-time limit of time-course jobs that give no max_seconds of their own (0: none).
  double max_seconds = 0;
  // With resume: run again the jobs whose last status is timed_out (by default they are left).
  bool retry_timed_out = false;
};
inline constexpr std::size_t kNativeMinJobs = 100;

// Creates OUTDIR, results/ and status/, writes manifest.csv, removes temporary files left by an
// interrupted run. Without resume or overwrite it refuses (Error(Usage)) an OUTDIR that already
// holds results; with resume it refuses a manifest that lists different jobs. Run it in one
// process only (MPI rank 0), before any process starts running jobs.
void prepare_outdir(const JobList& jobs, const RunOptions& options);

// Work units: one per deterministic job, one per kEnsembleUnit replicates of a stochastic job
// (the unit u of a job covers replicates [u * kEnsembleUnit, (u + 1) * kEnsembleUnit)). A
// process's share is every unit whose index in this list is its rank modulo the ranks.
struct RunCounts {
  std::size_t assigned = 0;  // work units in this process's share
  std::size_t already_complete = 0;
  std::size_t ran = 0, ok = 0, failed = 0;
  std::size_t timed_out = 0;          // of failed: stopped at their max_seconds
  std::size_t timed_out_before = 0;   // with resume: left alone, as they timed out in an earlier run
  std::size_t not_run = 0;  // stopped before they started
  double wall_seconds = 0;
};

// Runs this process's share of the jobs on `threads` workers. Each worker compiles each model
// once and copies it for every job; a job that fails (unknown id, solver failure, plugin fault,
// model that does not load) is recorded in its worker's status log and the others go on. Throws only
// for failures of OUTDIR itself (Error(Io)).
RunCounts run_jobs(const JobList& jobs, const RunOptions& options);

struct SummaryCounts {
  std::size_t ok = 0, failed = 0, timed_out = 0, not_run = 0;
};

// Stochastic jobs whose work units are all complete (OUTDIR/partial/<id>/) but that have no
// result yet (their units finished in different processes): merges them into results/<id>.csv.
// Run it in one process (MPI rank 0) after every process has run its share; run_jobs already
// merges the jobs whose last unit finished in this process.
void finish_ensembles(const JobList& jobs, const RunOptions& options);

// Rewrites OUTDIR/summary.csv from the status logs and results, covering every job in `jobs`
// (the last row of a job that ran more than once; "skipped" for a job with no complete result
// and no row), and OUTDIR/reduced.csv when any
// job has a reduced output. Both are written atomically.
SummaryCounts write_summary(const JobList& jobs, const std::string& outdir);

// CSV field quoting (RFC 4180) as used in summary.csv and manifest.csv.
std::string csv_field(const std::string& text);

// The processes that share a batch: MPI's world when axisim was built with MPI
// (AXISIM_WITH_MPI) and started by mpirun, otherwise this process alone. Construct one per
// process, on the main thread; its destructor finalises MPI, or aborts every rank when it runs
// during an exception (so that no rank waits forever for one that failed).
class Cluster {
 public:
  Cluster();
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  static bool compiled_with_mpi();
  bool mpi() const { return mpi_; }
  int rank() const { return rank_; }
  int size() const { return size_; }

  void barrier() const;
  long long sum(long long value) const;  // over every rank; collective
  long long max(long long value) const;

 private:
  bool mpi_ = false;
  int rank_ = 0, size_ = 1;
  int exceptions_at_start_ = 0;
};

}  // namespace axisim::batch
