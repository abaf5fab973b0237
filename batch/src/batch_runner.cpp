// The runner: a pool of std::jthread workers taking jobs by an atomic index. Each worker keeps
// its own cache of compiled models and loaded plugins, copies the model for every job (cheap:
// the compiled system is shared), applies the job's overrides, simulates, and writes the job's
// status row (to its own append-only log) and its result (whole or not at all).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "axisim/batch.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/plugin_host.hpp"
#include "batch_files.hpp"
#include "batch_progress.hpp"

namespace axisim::batch {
namespace {

using namespace detail;
using Clock = std::chrono::steady_clock;

// libSBML and the plugin loader are not documented as thread-safe; loading happens once per
// model and worker, so serialising it costs nothing measurable.
std::mutex g_load_mutex;

class WorkerCache {
 public:
  WorkerCache(const std::vector<std::string>& plugin_dirs, Backend backend) : plugin_dirs_(plugin_dirs) {
    load_options_.backend = backend;
  }

  const Model& model(const std::string& path) {
    auto it = models_.find(path);
    if (it == models_.end()) {
      Entry<Model> e;
      try {
        std::lock_guard lock(g_load_mutex);
        e.value.emplace(Model::from_file(path, load_options_));
      } catch (const Error& err) {
        e.kind = err.kind();
        e.error = err.what();
      }
      it = models_.emplace(path, std::move(e)).first;
    }
    if (!it->second.value) throw Error(it->second.kind, it->second.error);
    return *it->second.value;
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
};

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
  s << csv_field(job.id) << ',' << (o.ok ? "ok" : "failed") << ',' << csv_field(format_overrides(job)) << ','
    << csv_field(std::filesystem::path(job.model_path).filename().string()) << ',' << format_number(o.wall) << ','
    << format_number(o.integration) << ',';
  if (o.has_stats)
    s << o.stats.steps << ',' << o.stats.rhs_evaluations << ',' << o.stats.jacobian_evaluations << ','
      << o.stats.newton_iterations << ',' << o.stats.error_test_failures << ',' << o.stats.convergence_failures << ',';
  else s << ",,,,,,";
  s << worker << ',' << csv_field(one_line(o.error)) << '\n';
  return s.str();
}

// Runs one job and writes its status and (if it succeeded) its result. Only failures to write
// OUTDIR escape as exceptions.
Outcome run_one(const Job& job, WorkerCache& cache, StatusLog& log, const std::string& outdir, const std::string& worker) {
  Outcome o;
  const auto t0 = Clock::now();
  std::string text;
  try {
    Model model = cache.model(job.model_path);
    // "PLUGIN.PARAM" overrides go to the plugin of that name, everything else to the model.
    std::vector<PluginRequest> plugins = job.plugins;
    std::vector<std::pair<std::string, double>> model_set;
    for (const auto& [id, value] : job.set) {
      const auto dot = id.find('.');
      auto it = dot == std::string::npos ? plugins.end()
                                         : std::find_if(plugins.begin(), plugins.end(),
                                                        [&](const PluginRequest& r) { return r.name == id.substr(0, dot); });
      if (it == plugins.end()) model_set.emplace_back(id, value);
      else {
        const std::string param = id.substr(dot + 1);
        auto p = std::find_if(it->parameters.begin(), it->parameters.end(), [&](const auto& kv) { return kv.first == param; });
        if (p == it->parameters.end()) it->parameters.emplace_back(param, value);
        else p->second = value;
      }
    }
    for (const PluginRequest& r : plugins) model.attach(cache.plugin(r.name), r.parameters);
    for (const auto& [id, value] : model_set) model.set_value(id, value);
    std::vector<OutputSpec> outputs;
    for (const std::string& id : job.select) outputs.push_back({id});

    const auto t1 = Clock::now();
    const Result result = model.simulate(job.options, outputs);
    o.integration = std::chrono::duration<double>(Clock::now() - t1).count();
    o.stats = result.stats;
    o.has_stats = true;
    if (!result.error.empty()) {
      o.error = result.error;
    } else {
      std::ostringstream csv;
      switch (job.output) {
        case OutputMode::Full: write_csv(result, csv); break;
        case OutputMode::Final: write_csv(final_row(result), csv); break;
        case OutputMode::Summary: write_csv(statistics_row(result, job.statistics), csv); break;
      }
      text = csv.str();
      o.ok = true;
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
  std::vector<std::size_t> todo;
  const std::size_t ranks = static_cast<std::size_t>(std::max(1, options.ranks));
  const std::size_t rank = static_cast<std::size_t>(std::max(0, options.rank));
  std::error_code ec;
  for (std::size_t j = 0; j < jobs.jobs.size(); ++j) {
    if (j % ranks != rank) continue;
    ++counts.assigned;
    if (options.resume && fs::exists(result_path(options.outdir, jobs.jobs[j].id), ec)) ++counts.already_complete;
    else todo.push_back(j);
  }

  const int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(std::max<std::size_t>(todo.size(), 1))));
  std::atomic<std::size_t> next{0}, done{0}, failed{0};
  std::atomic<int> finished_workers{0};
  std::mutex messages_mutex;
  std::deque<std::string> messages;
  std::exception_ptr fatal;
  std::atomic<bool> abort{false};

  Backend backend = options.backend;
  if (backend == Backend::Auto) backend = todo.size() >= kNativeMinJobs ? Backend::Native : Backend::Interpreter;
  auto stopped = [&] { return abort.load() || (options.stop && options.stop->load()); };
  auto worker = [&](int index) {
    WorkerCache cache(options.plugin_dirs, backend);
    const std::string name = "r" + std::to_string(rank) + "w" + std::to_string(index);
    try {
      StatusLog log(options.outdir, static_cast<int>(rank), index);
      while (!stopped()) {
        const std::size_t i = next.fetch_add(1);
        if (i >= todo.size()) break;
        const Job& job = jobs.jobs[todo[i]];
        const Outcome o = run_one(job, cache, log, options.outdir, name);
        if (!o.ok) {
          ++failed;
          std::lock_guard lock(messages_mutex);
          messages.push_back("job " + job.id + " failed: " + o.error);
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
    spdlog::info("batch: {} of {} jobs already complete; running the other {}", counts.already_complete, counts.assigned,
                 todo.size());
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
  counts.ok = counts.ran - counts.failed;
  counts.not_run = todo.size() - counts.ran;
  counts.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return counts;
}

}  // namespace axisim::batch
