// The runner: a pool of std::jthread workers taking jobs by an atomic index. Each worker keeps
// its own cache of compiled models and loaded plugins, copies the model for every job (cheap:
// the compiled system is shared), applies the job's overrides, simulates, and writes the job's
// status row (to its own append-only log) and its result (whole or not at all).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "axisim/batch.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/plugin_host.hpp"
#include "axisim/sensitivities.hpp"
#include "axisim/steady_state.hpp"
#include "axisim/stochastic.hpp"
#include "batch_files.hpp"
#include "batch_progress.hpp"

namespace axisim::batch {
namespace {

using namespace detail;
using Clock = std::chrono::steady_clock;

// libSBML and the plugin loader are not documented as thread-safe; loading happens once per
// model and worker, so serialising it costs nothing measurable.
std::mutex g_load_mutex;

// A job's output columns: its select (a scenario's select with the attached plugins' outputs it
// does not list added), then add_select; with neither, empty (all species and plugin outputs).
std::vector<OutputSpec> job_outputs(const Job& job, const Model& model) {
  std::vector<OutputSpec> outputs;
  auto add = [&](const std::string& id) {
    if (std::none_of(outputs.begin(), outputs.end(), [&](const OutputSpec& o) { return o.id == id; })) outputs.push_back({id});
  };
  for (const std::string& id : job.select) add(id);
  if (job.select_from_scenario)
    for (const Model::AttachedPlugin& p : model.plugins())
      for (const std::string& out : p.outputs) add(p.name + "." + out);
  if (job.add_select.empty()) return outputs;
  if (outputs.empty()) {  // the default columns, made explicit to add to them
    for (const std::string& id : model.ids())
      if (model.kind(id) == SymbolKind::Species) add(id);
    for (const Model::AttachedPlugin& p : model.plugins())
      for (const std::string& out : p.outputs) add(p.name + "." + out);
  }
  for (const std::string& id : job.add_select) add(id);
  return outputs;
}

class WorkerCache {
 public:
  WorkerCache(const std::vector<std::string>& plugin_dirs, Backend backend) : plugin_dirs_(plugin_dirs) {
    load_options_.backend = backend;
  }

  // The model of `path`, loaded once per worker (and once more with ignore_fast, if asked).
  const Model& model(const std::string& path, bool ignore_fast) {
    const std::string key = ignore_fast ? path + '\n' + "ignore_fast" : path;
    auto it = models_.find(key);
    if (it == models_.end()) {
      Entry<Model> e;
      try {
        std::lock_guard lock(g_load_mutex);
        LoadOptions load = load_options_;
        load.ignore_fast = ignore_fast;
        e.value.emplace(Model::from_file(path, load));
      } catch (const Error& err) {
        e.kind = err.kind();
        e.error = err.what();
      }
      it = models_.emplace(key, std::move(e)).first;
    }
    if (!it->second.value) throw Error(it->second.kind, it->second.error);
    return *it->second.value;
  }

  // The stochastic simulator of job `index` (its units usually come one after another to the
  // same worker, so one is kept); a job that cannot be simulated fails at once each time.
  const StochasticSimulator& simulator(std::size_t index, const Job& job) {
    if (simulator_job_ != index) {
      simulator_.reset();
      simulator_error_.reset();
      simulator_job_ = index;
      try {
        Model model = this->model(job.model_path, job.ignore_fast);
        for (const auto& [id, value] : job.set) model.set_value(id, value);
        const std::vector<OutputSpec> outputs = job_outputs(job, model);
        simulator_.emplace(model, outputs, load_options_.backend);
      } catch (const Error& e) {
        simulator_error_.emplace(e.kind(), e.what());
      }
    }
    if (simulator_error_) throw *simulator_error_;
    return *simulator_;
  }

  const Plugin& plugin(const std::string& name) {
    auto it = plugins_.find(name);
    if (it == plugins_.end()) {
      Entry<Plugin> e;
      try {
        std::lock_guard lock(g_load_mutex);
        e.value.emplace(Plugin::load(name, plugin_dirs_));
      } catch (const Error& err) {
        e.kind = err.kind();
        e.error = err.what();
      }
      it = plugins_.emplace(name, std::move(e)).first;
    }
    if (!it->second.value) throw Error(it->second.kind, it->second.error);
    return *it->second.value;
  }

 private:
  template <class T>
  struct Entry {
    std::optional<T> value;
    ErrorKind kind = ErrorKind::Io;
    std::string error;
  };
  std::vector<std::string> plugin_dirs_;
  LoadOptions load_options_;
  std::map<std::string, Entry<Model>> models_;
  std::map<std::string, Entry<Plugin>> plugins_;
  std::size_t simulator_job_ = static_cast<std::size_t>(-1);
  std::optional<StochasticSimulator> simulator_;
  std::optional<Error> simulator_error_;
};

// A job's work units: one for a time course, one per kEnsembleUnit replicates of an ensemble.
std::uint64_t units_of(const Job& job) {
  return job.kind == JobKind::Ssa ? (job.replicates + kEnsembleUnit - 1) / kEnsembleUnit : 1;
}

struct Unit {
  std::size_t job;
  std::uint64_t index;  // within the job
};

std::vector<Unit> all_units(const JobList& jobs) {
  std::vector<Unit> out;
  for (std::size_t j = 0; j < jobs.jobs.size(); ++j)
    for (std::uint64_t u = 0; u < units_of(jobs.jobs[j]); ++u) out.push_back({j, u});
  return out;
}

// The one-row tables of the reduced outputs.
Result final_row(const Result& r) {
  Result out(r.columns());
  if (r.rows() > 0) out.append_row(r.row(r.rows() - 1));
  return out;
}

Result statistics_row(const Result& r, const std::vector<std::string>& stats) {
  std::vector<std::string> names;
  std::vector<double> values;
  const std::size_t n = r.rows();
  for (std::size_t c = 1; c < r.cols(); ++c) {
    double mn = INFINITY, mx = -INFINITY, tmn = NAN, tmx = NAN, auc = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = r.at(i, c), t = r.at(i, 0);
      if (v < mn) { mn = v; tmn = t; }
      if (v > mx) { mx = v; tmx = t; }
      if (i > 0) auc += 0.5 * (t - r.at(i - 1, 0)) * (v + r.at(i - 1, c));
    }
    const double span = n > 1 ? r.at(n - 1, 0) - r.at(0, 0) : 0.0;
    for (const std::string& s : stats) {
      double v = NAN;
      if (n == 0) v = NAN;
      else if (s == "initial") v = r.at(0, c);
      else if (s == "final") v = r.at(n - 1, c);
      else if (s == "min") v = mn;
      else if (s == "max") v = mx;
      else if (s == "mean") v = span > 0 ? auc / span : r.at(0, c);
      else if (s == "auc") v = auc;
      else if (s == "tmin") v = tmn;
      else if (s == "tmax") v = tmx;
      names.push_back(s + "(" + r.columns()[c] + ")");
      values.push_back(v);
    }
  }
  Result out(names);
  out.append_row(values);
  return out;
}

struct Outcome {
  bool ok = false;
  bool timed_out = false;  // stopped at its max_seconds (error says when)
  bool stopped = false;    // stopped on request (RunOptions::stop): recorded nowhere, run again by --resume
  std::string error;
  double wall = 0, integration = 0;
  SolverStats stats;
  bool has_stats = false;
};

// Messages may span lines (a plugin's search path, say); the summary keeps one line per job.
std::string one_line(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto b = line.find_first_not_of(" \t"), e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos) continue;
    if (!out.empty()) out += "; ";
    out += line.substr(b, e - b + 1);
  }
  return out;
}

std::string status_row(const Job& job, const Outcome& o, const std::string& worker) {
  std::ostringstream s;
  s << csv_field(job.id) << ',' << (o.ok ? "ok" : o.timed_out ? "timed_out" : "failed") << ',' << csv_field(format_overrides(job)) << ','
    << csv_field(std::filesystem::path(job.model_path).filename().string()) << ',' << format_number(o.wall) << ','
    << format_number(o.integration) << ',';
  if (o.has_stats)
    s << o.stats.steps << ',' << o.stats.rhs_evaluations << ',' << o.stats.jacobian_evaluations << ','
      << o.stats.newton_iterations << ',' << o.stats.error_test_failures << ',' << o.stats.convergence_failures << ',';
  else s << ",,,,,,";
  s << worker << ',' << csv_field(one_line(o.error)) << '\n';
  return s.str();
}

// What results/<id>.csv holds for a job's table (a time course, or an ensemble's statistics).
std::string result_text(const Job& job, const Result& result) {
  std::ostringstream csv;
  switch (job.output) {
    case OutputMode::Full: write_csv(result, csv); break;
    case OutputMode::Final: write_csv(final_row(result), csv); break;
    case OutputMode::Summary: write_csv(statistics_row(result, job.statistics), csv); break;
  }
  return csv.str();
}

// A steady-state job's result: the CSV `axisim steady` writes (outputs, then method, residual,
// stability, max_real_eigenvalue, determinant_sign).
std::string steady_state_text(const SteadyState& s) {
  std::ostringstream out;
  for (const std::string& id : s.ids) out << id << ',';
  out << "method,residual,stability,max_real_eigenvalue,determinant_sign\n";
  for (double v : s.values) out << format_number(v) << ',';
  out << s.method << ',' << format_number(s.residual) << ',' << stability_name(s.stability) << ','
      << (s.eigenvalues.empty() ? std::string("NaN") : format_number(s.max_real_eigenvalue)) << ','
      << s.determinant_sign << '\n';
  return out.str();
}

// ---- stochastic jobs: units of replicates, merged when all are complete ----

// A unit file: "axisim-ensemble-unit 1", its wall time and reaction firings, then each block of
// replicates' statistics (EnsembleStatistics::serialize, exact) as "block <bytes>" and the text.
std::string unit_text(const std::vector<EnsembleStatistics>& blocks, double wall, std::uint64_t firings) {
  std::ostringstream out;
  out << "axisim-ensemble-unit 1\nwall " << format_number(wall) << "\nfirings " << firings << '\n';
  for (const EnsembleStatistics& b : blocks) {
    const std::string text = b.serialize();
    out << "block " << text.size() << '\n' << text;
  }
  return out.str();
}

struct UnitContents {
  std::vector<EnsembleStatistics> blocks;
  double wall = 0;
};

UnitContents read_unit(const std::string& path) {
  const auto text = read_file(path);
  if (!text) throw Error(ErrorKind::Io, path + ": cannot read");
  auto bad = [&] { return Error(ErrorKind::Io, path + ": not a complete work unit file"); };
  UnitContents u;
  std::size_t at = 0;
  auto line = [&]() {
    const std::size_t nl = text->find('\n', at);
    if (nl == std::string::npos) throw bad();
    std::string l = text->substr(at, nl - at);
    at = nl + 1;
    return l;
  };
  if (line() != "axisim-ensemble-unit 1") throw bad();
  const std::string wall = line();
  if (wall.rfind("wall ", 0) != 0) throw bad();
  u.wall = std::strtod(wall.c_str() + 5, nullptr);
  if (line().rfind("firings ", 0) != 0) throw bad();
  while (at < text->size()) {
    const std::string header = line();
    if (header.rfind("block ", 0) != 0) throw bad();
    const std::size_t bytes = std::strtoull(header.c_str() + 6, nullptr, 10);
    if (at + bytes > text->size()) throw bad();
    u.blocks.push_back(EnsembleStatistics::parse(text->substr(at, bytes), path));
    at += bytes;
  }
  return u;
}

// When every unit of the job is complete and no other process has started, merges them (every
// block, in replicate order: the same sums in the same order as `axisim simulate --method ssa`),
// writes the result and the job's status row, and removes the units. Returns true if it merged.
bool try_merge(const Job& job, StatusLog& log, const std::string& outdir, const std::string& worker) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::uint64_t n = units_of(job);
  for (std::uint64_t u = 0; u < n; ++u)
    if (!fs::exists(unit_path(outdir, job.id, u), ec)) return false;
  const int fd = ::open(merge_lock_path(outdir, job.id).c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) return false;  // another process merges (or has merged) it
  ::close(fd);
  if (fs::exists(result_path(outdir, job.id), ec)) return false;
  Outcome o;
  const auto t0 = Clock::now();
  std::string text;
  try {
    std::optional<EnsembleStatistics> total;
    for (std::uint64_t u = 0; u < n; ++u) {
      UnitContents unit = read_unit(unit_path(outdir, job.id, u));
      o.wall += unit.wall;
      for (EnsembleStatistics& b : unit.blocks) {
        if (!total) total = std::move(b);
        else total->merge(b);
      }
    }
    if (!total || total->count() != job.replicates)
      throw Error(ErrorKind::Io, "the work units of job " + job.id + " hold " +
                                     std::to_string(total ? total->count() : 0) + " replicates, not " +
                                     std::to_string(job.replicates));
    text = result_text(job, total->table());
    o.ok = true;
  } catch (const Error& e) {
    o.error = e.what();
  }
  o.wall += std::chrono::duration<double>(Clock::now() - t0).count();
  o.integration = o.wall;
  log.append(status_row(job, o, worker));
  if (!o.ok) return false;
  write_file_atomic(result_path(outdir, job.id), text);
  for (std::uint64_t u = 0; u < n; ++u) fs::remove(unit_path(outdir, job.id, u), ec);
  fs::remove(merge_lock_path(outdir, job.id), ec);
  fs::remove(fs::path(partial_dir(outdir)) / job.id, ec);
  return true;
}

// Runs one work unit of a stochastic job: its replicates' statistics, block by block, to
// partial/<id>/<unit>.ens; then merges the job if this was its last unit to complete. A failure
// is the job's status row (failed).
Outcome run_unit(const Job& job, std::size_t index, std::uint64_t unit, WorkerCache& cache, StatusLog& log,
                 const std::string& outdir, const std::string& worker, const StopFlag* stop) {
  Outcome o;
  const auto t0 = Clock::now();
  try {
    const StochasticSimulator& simulator = cache.simulator(index, job);
    StochasticOptions so;
    so.start = job.options.start;
    so.end = job.options.end;
    so.steps = job.options.steps;
    so.seed = job.options.seed;
    so.threads = 1;
    so.stop = stop;
    const std::uint64_t first = unit * kEnsembleUnit, count = std::min(kEnsembleUnit, job.replicates - first);
    StochasticStats stats;
    const std::vector<EnsembleStatistics> blocks = simulator.block_statistics(so, first, count, &stats);
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    std::filesystem::create_directories(std::filesystem::path(partial_dir(outdir)) / job.id);
    write_file_atomic(unit_path(outdir, job.id, unit), unit_text(blocks, wall, stats.firings));
    o.ok = true;
  } catch (const Error& e) {
    o.error = e.what();
  } catch (const Stopped& e) {
    o.stopped = true;  // no unit file, no status row: the unit is still to run
    o.error = e.what();
    return o;
  } catch (const std::exception& e) {
    o.error = std::string("internal error: ") + e.what();
  }
  o.wall = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!o.ok) {
    if (o.error.find(": cannot write") != std::string::npos) throw Error(ErrorKind::Io, o.error);
    log.append(status_row(job, o, worker));
    return o;
  }
  try_merge(job, log, outdir, worker);
  return o;
}

// Runs one job and writes its status and (if it succeeded) its result. Only failures to write
// OUTDIR escape as exceptions.
Outcome run_one(const Job& job, WorkerCache& cache, StatusLog& log, const std::string& outdir, const std::string& worker,
                double default_max_seconds, const StopFlag* stop) {
  Outcome o;
  const auto t0 = Clock::now();
  std::string text;
  try {
    Model model = cache.model(job.model_path, job.ignore_fast);
    // "PLUGIN.PARAM" overrides go to the plugin of that name, everything else to the model.
    std::vector<PluginRequest> plugins = job.plugins;
    std::vector<std::pair<std::string, double>> model_set;
    for (const auto& [id, value] : job.set) {
      const auto dot = id.find('.');
      auto it = dot == std::string::npos ? plugins.end()
                                         : std::find_if(plugins.begin(), plugins.end(),
                                                        [&, &id = id](const PluginRequest& r) { return r.name == id.substr(0, dot); });
      const std::string param = dot == std::string::npos ? std::string() : id.substr(dot + 1);
      if (it == plugins.end()) model_set.emplace_back(id, value);
      else if (const Plugin& pl = cache.plugin(it->name);
               std::any_of(pl.states().begin(), pl.states().end(), [&](const Plugin::Quantity& q) { return q.name == param; }))
        model_set.emplace_back(pl.name() + "." + param, value);  // an initial state: set on the model once attached
      else {
        auto p = std::find_if(it->parameters.begin(), it->parameters.end(), [&](const auto& kv) { return kv.first == param; });
        if (p == it->parameters.end()) it->parameters.emplace_back(param, value);
        else p->second = value;
      }
    }
    for (const PluginRequest& r : plugins) model.attach(cache.plugin(r.name), r.parameters);
    for (const auto& [id, value] : model_set) model.set_value(id, value);
    const std::vector<OutputSpec> outputs = job_outputs(job, model);

    const auto t1 = Clock::now();
    if (job.kind == JobKind::Steady || job.kind == JobKind::Sensitivities) {
      if (job.kind == JobKind::Steady) {
        text = steady_state_text(steady_state(model, job.steady, outputs));
      } else {
        const TimeCourseSensitivities s = time_course_sensitivities(model, job.wrt, job.options, outputs);
        o.stats = s.stats;
        o.has_stats = true;
        text = sensitivities_csv(s, job.scaled);
      }
      o.integration = std::chrono::duration<double>(Clock::now() - t1).count();
      o.ok = true;
    } else {
      SimulationOptions so = job.options;
      if (so.max_seconds <= 0) so.max_seconds = default_max_seconds;
      so.stop = stop;
      const Result result = model.simulate(so, outputs);
      if (result.stopped) {
        o.stopped = true;  // no status row, no result: the job is still to run (--resume)
        o.error = result.error;
        return o;
      }
      o.integration = std::chrono::duration<double>(Clock::now() - t1).count();
      o.stats = result.stats;
      o.has_stats = true;
      if (!result.error.empty()) {
        o.error = result.error;
        o.timed_out = result.timed_out;
      } else {
        text = result_text(job, result);
        o.ok = true;
      }
    }
  } catch (const Error& e) {
    o.error = e.what();
  } catch (const std::exception& e) {
    o.error = std::string("internal error: ") + e.what();
  }
  o.wall = std::chrono::duration<double>(Clock::now() - t0).count();
  // The status first, then the result: the result's rename is what makes the job complete.
  log.append(status_row(job, o, worker));
  if (o.ok) write_file_atomic(result_path(outdir, job.id), text);
  return o;
}

}  // namespace

RunCounts run_jobs(const JobList& jobs, const RunOptions& options) {
  namespace fs = std::filesystem;
  const auto start = Clock::now();
  RunCounts counts;
  std::vector<Unit> todo;
  const std::size_t ranks = static_cast<std::size_t>(std::max(1, options.ranks));
  const std::size_t rank = static_cast<std::size_t>(std::max(0, options.rank));
  std::error_code ec;
  const std::vector<Unit> units = all_units(jobs);
  // Jobs whose last status row says timed_out are not run again by --resume unless asked.
  std::set<std::string> timed_out_before;
  if (options.resume && !options.retry_timed_out) {
    std::map<std::string, bool> last;
    for_each_status_row(options.outdir, [&](std::string&& row) {
      const auto comma = row.find(',');  // ids need no quoting (letters, digits, _ - .)
      if (comma != std::string::npos) last[row.substr(0, comma)] = row.compare(comma + 1, 10, "timed_out,") == 0;
    });
    for (const auto& [id, timed_out] : last)
      if (timed_out) timed_out_before.insert(id);
  }
  for (std::size_t g = 0; g < units.size(); ++g) {
    if (g % ranks != rank) continue;
    ++counts.assigned;
    const Job& job = jobs.jobs[units[g].job];
    const bool complete = options.resume && (fs::exists(result_path(options.outdir, job.id), ec) ||
                                             (job.kind == JobKind::Ssa &&
                                              fs::exists(unit_path(options.outdir, job.id, units[g].index), ec)));
    if (complete) ++counts.already_complete;
    else if (timed_out_before.count(job.id)) ++counts.timed_out_before;
    else todo.push_back(units[g]);
  }

  const int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(std::max<std::size_t>(todo.size(), 1))));
  std::atomic<std::size_t> next{0}, done{0}, failed{0}, timed_out{0};
  std::atomic<int> finished_workers{0};
  std::mutex messages_mutex;
  std::deque<std::string> messages;
  std::exception_ptr fatal;
  std::atomic<bool> abort{false};

  Backend backend = options.backend;
  // Auto: native code for the models of a large batch; stochastic jobs' own programs decide for
  // themselves (StochasticSimulator's Auto: native once a simulation has run a while).
  const bool any_ssa = std::any_of(todo.begin(), todo.end(), [&](const Unit& u) { return jobs.jobs[u.job].kind == JobKind::Ssa; });
  if (backend == Backend::Auto && !any_ssa) backend = todo.size() >= kNativeMinJobs ? Backend::Native : Backend::Interpreter;
  auto stopped = [&] { return abort.load() || (options.stop && options.stop->load()); };
  auto worker = [&](int index) {
    WorkerCache cache(options.plugin_dirs, backend);
    const std::string name = "r" + std::to_string(rank) + "w" + std::to_string(index);
    try {
      StatusLog log(options.outdir, static_cast<int>(rank), index);
      while (!stopped()) {
        const std::size_t i = next.fetch_add(1);
        if (i >= todo.size()) break;
        const Job& job = jobs.jobs[todo[i].job];
        const Outcome o = job.kind == JobKind::Ssa
                              ? run_unit(job, todo[i].job, todo[i].index, cache, log, options.outdir, name, options.stop)
                              : run_one(job, cache, log, options.outdir, name, options.max_seconds, options.stop);
        if (o.stopped) break;  // neither done nor failed: not run
        if (!o.ok) {
          ++failed;
          if (o.timed_out) ++timed_out;
          std::lock_guard lock(messages_mutex);
          messages.push_back("job " + job.id + (o.timed_out ? " " : " failed: ") + o.error);
        }
        ++done;
      }
    } catch (...) {
      std::lock_guard lock(messages_mutex);
      if (!fatal) fatal = std::current_exception();
      abort = true;
    }
    ++finished_workers;
  };

  Progress progress(todo.size(), options.progress,
                    options.ranks > 1 ? "rank " + std::to_string(rank) + "/" + std::to_string(ranks) : "");
  if (counts.already_complete > 0)
    spdlog::info("batch: {} of {} work units (jobs, or blocks of a stochastic job's replicates) already complete; running the other {}", counts.already_complete, counts.assigned,
                 todo.size());
  if (counts.timed_out_before > 0)
    spdlog::info("batch: {} jobs timed out in an earlier run and are not run again (--retry-timed-out runs them)",
                 counts.timed_out_before);
  std::size_t warned = 0;
  auto drain = [&] {
    std::lock_guard lock(messages_mutex);
    while (!messages.empty()) {
      if (warned < 20) progress.log_warning(messages.front());
      else if (warned == 20) progress.log_warning("further failures are not logged here; summary.csv lists them");
      ++warned;
      messages.pop_front();
    }
  };
  {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
    while (finished_workers.load() < threads) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      drain();
      progress.update(done.load(), failed.load());
    }
  }
  drain();
  progress.finish(done.load(), failed.load());
  if (fatal) std::rethrow_exception(fatal);

  counts.ran = done.load();
  counts.failed = failed.load();
  counts.timed_out = timed_out.load();
  counts.ok = counts.ran - counts.failed;
  counts.not_run = todo.size() - counts.ran;
  counts.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return counts;
}

void finish_ensembles(const JobList& jobs, const RunOptions& options) {
  std::unique_ptr<StatusLog> log;
  for (const Job& job : jobs.jobs) {
    if (job.kind != JobKind::Ssa) continue;
    if (!log) log = std::make_unique<StatusLog>(options.outdir, std::max(0, options.rank), -1);
    try_merge(job, *log, options.outdir, "r" + std::to_string(std::max(0, options.rank)) + "-merge");
  }
}

}  // namespace axisim::batch
