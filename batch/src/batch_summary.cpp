// OUTDIR's files: paths, atomic writes, the manifest, preparing the folder, and the summary
// tables written at the end from the per-job status files and results.
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <spdlog/spdlog.h>

#include "axisim/batch.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/plugin_host.hpp"
#include "batch_files.hpp"

namespace axisim::batch {
namespace detail {

namespace fs = std::filesystem;

const char* const kSummaryHeader =
    "job,status,overrides,model,wall_s,integration_s,steps,rhs_evaluations,jacobian_evaluations,"
    "newton_iterations,error_test_failures,convergence_failures,worker,error";

std::string results_dir(const std::string& outdir) { return (fs::path(outdir) / "results").string(); }
std::string status_dir(const std::string& outdir) { return (fs::path(outdir) / "status").string(); }
std::string result_path(const std::string& outdir, const std::string& id) {
  return (fs::path(outdir) / "results" / (id + ".csv")).string();
}
std::string partial_dir(const std::string& outdir) { return (fs::path(outdir) / "partial").string(); }
std::string unit_path(const std::string& outdir, const std::string& id, std::uint64_t unit) {
  return (fs::path(outdir) / "partial" / id / (std::to_string(unit) + ".ens")).string();
}
std::string merge_lock_path(const std::string& outdir, const std::string& id) {
  return (fs::path(outdir) / "partial" / id / "merging").string();
}

StatusLog::StatusLog(const std::string& outdir, int rank, int worker) {
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  for (char* c = host; *c; ++c)
    if (!std::isalnum(static_cast<unsigned char>(*c)) && *c != '-') *c = '_';
  std::string name = "r";
  name += std::to_string(rank);
  name += '-';
  name += host;
  name += '-';
  name += std::to_string(::getpid());
  name += "-w";
  name += std::to_string(worker);
  name += ".csv";
  path_ = (fs::path(status_dir(outdir)) / name).string();
}

StatusLog::~StatusLog() {
  if (fd_ >= 0) ::close(fd_);
}

void StatusLog::append(const std::string& row) {
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd_ < 0) throw Error(ErrorKind::Io, path_ + ": cannot write: " + std::strerror(errno));
  }
  // One writer per log: on a short write (a full disk, a file size limit) the log is cut back to
  // its last whole row, so that the next row does not run on from a partial one.
  const off_t before = ::lseek(fd_, 0, SEEK_END);
  std::size_t done = 0;
  while (done < row.size()) {
    const ssize_t n = ::write(fd_, row.data() + done, row.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = n < 0 ? std::strerror(errno) : "nothing written";
      // If this fails too, the cut row has no newline and is dropped when the logs are read.
      if (before >= 0 && ::ftruncate(fd_, before) != 0) errno = 0;
      throw Error(ErrorKind::Io, path_ + ": cannot write: " + why);
    }
    done += static_cast<std::size_t>(n);
  }
}

void for_each_status_row(const std::string& outdir, const std::function<void(std::string&& row)>& f) {
  std::vector<std::pair<fs::file_time_type, fs::path>> logs;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(status_dir(outdir), ec))
    if (e.path().extension() == ".csv") logs.emplace_back(e.last_write_time(ec), e.path());
  std::sort(logs.begin(), logs.end());
  for (const auto& [time, path] : logs) {
    const auto text = read_file(path.string());
    if (!text) continue;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text->find('\n', start)) != std::string::npos; start = nl + 1)
      f(text->substr(start, nl - start));
  }
}


std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

const char* output_name(OutputMode m) {
  switch (m) {
    case OutputMode::Full: return "full";
    case OutputMode::Final: return "final";
    case OutputMode::Summary: return "summary";
  }
  return "?";
}

std::string join(const std::vector<std::string>& v, char sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(1, sep)) + s;
  return out;
}

// The select column: the list, then "+ID" for each added column (and "+plugin outputs" when a
// scenario's list gets the attached plugins' outputs).
std::string select_text(const Job& j) {
  std::vector<std::string> v = j.select;
  if (j.select_from_scenario && !j.plugins.empty()) v.push_back("+plugin outputs");
  for (const std::string& id : j.add_select) v.push_back("+" + id);
  return join(v, ';');
}

}  // namespace

std::string manifest_text(const JobList& jobs, const std::map<std::string, std::string>& plugin_files) {
  std::string out = "job,model,start,end,steps,atol,rtol,max_steps,output,select,plugins,overrides,plugin_files\n";
  for (const Job& j : jobs.jobs) {
    std::string plugins, files;
    for (const PluginRequest& p : j.plugins) {
      if (!plugins.empty()) plugins += ' ';
      if (const auto f = plugin_files.find(p.name); f != plugin_files.end())
        files += (files.empty() ? "" : ";") + f->second;
      plugins += p.name + "(";
      for (std::size_t i = 0; i < p.parameters.size(); ++i)
        plugins += (i ? ";" : "") + p.parameters[i].first + "=" + format_number(p.parameters[i].second);
      plugins += ")";
    }
    std::string output = output_name(j.output);
    if (j.output == OutputMode::Summary) {
      output += '(';
      output += join(j.statistics, ';');
      output += ')';
    }
    // A stochastic job: its kind, replicates and seed, in the same column (ODE rows unchanged).
    if (j.kind == JobKind::Ssa)
      output = "ssa(replicates=" + std::to_string(j.replicates) + ";seed=" + std::to_string(j.options.seed) + ")/" + output;
    if (j.kind == JobKind::Steady) {
      // The solver's options where they are not the defaults (they change the result).
      const SteadyStateOptions d;
      std::string opts;
      auto add = [&](const std::string& s) { opts += (opts.empty() ? "" : ";") + s; };
      if (j.steady.rtol != d.rtol) add("rtol=" + format_number(j.steady.rtol));
      if (j.steady.atol != d.atol) add("atol=" + format_number(j.steady.atol));
      if (j.steady.max_iterations != d.max_iterations) add("max_iterations=" + std::to_string(j.steady.max_iterations));
      if (j.steady.max_integration_time != d.max_integration_time) add("max_time=" + format_number(j.steady.max_integration_time));
      output = opts.empty() ? "steady" : "steady(" + opts + ")";
    }
    if (j.kind == JobKind::Sensitivities)
      output = "sensitivities(wrt=" + join(j.wrt, ';') + (j.scaled ? ";scaled" : "") + ")";
    // Fast reactions integrated as ordinary kinetics change the results: recorded in the same way.
    if (j.ignore_fast) output = "ignore_fast/" + output;
    out += csv_field(j.id) + "," + csv_field(j.model_path) + "," + format_number(j.options.start) + "," +
           format_number(j.options.end) + "," + std::to_string(j.options.steps) + "," + format_number(j.options.atol) +
           "," + format_number(j.options.rtol) + "," + std::to_string(j.options.max_steps) + "," + output + "," +
           csv_field(select_text(j)) + "," + csv_field(plugins) + "," + csv_field(format_overrides(j)) + "," +
           csv_field(files) + "\n";
  }
  return out;
}

std::map<std::string, std::string> identify_plugins(const JobList& jobs, const std::vector<std::string>& dirs) {
  std::map<std::string, std::string> out;
  for (const Job& j : jobs.jobs)
    for (const PluginRequest& r : j.plugins) {
      if (out.count(r.name)) continue;
      const Plugin p = Plugin::load(r.name, dirs);  // throws Error(Plugin): found nowhere, or not a plugin
      // FNV-1a of the library's bytes: a rebuild that kept the version still reads as another plugin.
      std::uint64_t h = 0xcbf29ce484222325ULL;
      if (const auto bytes = read_file(p.path()))
        for (const char c : *bytes) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
      out[r.name] = p.name() + "@" + p.version() + " " + p.path() + " fnv1a64:" + hex;
    }
  return out;
}

}  // namespace detail

using namespace detail;

void prepare_outdir(const JobList& jobs, const RunOptions& options) {
  namespace fs = std::filesystem;
  const std::string& out = options.outdir;
  if (out.empty()) throw Error(ErrorKind::Usage, "batch needs an output folder (-o OUTDIR)");
  std::error_code ec;
  fs::create_directories(results_dir(out), ec);
  if (!ec) fs::create_directories(status_dir(out), ec);
  if (ec) throw Error(ErrorKind::Io, out + ": cannot create the output folder: " + ec.message());

  // Every plugin the jobs name is loaded now: one that cannot be found or loaded stops the batch
  // before any job runs, rather than failing every job that names it.
  const std::string manifest_path = (fs::path(out) / "manifest.csv").string();
  const std::string manifest = manifest_text(jobs, identify_plugins(jobs, options.plugin_dirs));
  const auto old_manifest = read_file(manifest_path);
  bool has_results = false;
  for (const auto& e : fs::directory_iterator(results_dir(out)))
    if (e.path().extension() == ".csv") {
      has_results = true;
      break;
    }

  if (options.resume) {
    if (old_manifest && *old_manifest != manifest)
      throw Error(ErrorKind::Usage, out + " holds a batch of other jobs (its manifest.csv differs from this job file); "
                                          "resume with the job file that made it, or use another OUTDIR");
  } else if (has_results || old_manifest) {
    if (!options.overwrite)
      throw Error(ErrorKind::Usage, out + " already holds a batch; use --resume to finish it or --overwrite to start again");
    for (const std::string& dir : {results_dir(out), status_dir(out)})
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".csv") fs::remove(e.path(), ec);
    fs::remove_all(partial_dir(out), ec);
    for (const char* name : {"summary.csv", "reduced.csv"}) fs::remove(fs::path(out) / name, ec);
  }
  // Temporary files of an interrupted run (no process of this batch is running yet).
  for (const std::string& dir : {out, results_dir(out), status_dir(out)})
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().find(".tmp-") != std::string::npos) fs::remove(e.path(), ec);
  // Stochastic jobs' units: temporary files, and the merge lock of a merge that was interrupted.
  fs::create_directories(partial_dir(out), ec);
  for (const auto& job_dir : fs::directory_iterator(partial_dir(out), ec))
    for (const auto& e : fs::directory_iterator(job_dir.path(), ec))
      if (e.path().filename().string().find(".tmp-") != std::string::npos || e.path().filename() == "merging")
        fs::remove(e.path(), ec);
  if (!old_manifest || *old_manifest != manifest) write_file_atomic(manifest_path, manifest);
}

namespace {

// Splits one line of our own CSV (fields quoted only when they hold , " or newlines).
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') quoted = true;
    else if (c == ',') {
      out.push_back(field);
      field.clear();
    } else field += c;
  }
  out.push_back(field);
  return out;
}

}  // namespace

SummaryCounts write_summary(const JobList& jobs, const std::string& outdir) {
  namespace fs = std::filesystem;
  SummaryCounts counts;
  std::string summary = std::string(kSummaryHeader) + "\n";
  // reduced.csv: the union of the reduced jobs' columns, in the order first seen.
  std::vector<std::string> columns;
  std::map<std::string, std::size_t> column_index;
  std::vector<std::pair<std::string, std::vector<std::string>>> reduced_rows;

  // The last row of each job wins: a job appears twice only when it was run again by --resume.
  std::map<std::string, std::string> last_row;
  for_each_status_row(outdir, [&](std::string&& row) {
    const auto fields = split_csv_line(row);
    if (fields.size() != 14) return;  // not a status row
    last_row[fields[0]] = std::move(row);
  });
  std::error_code ec;
  for (const Job& job : jobs.jobs) {
    const bool complete = fs::exists(result_path(outdir, job.id), ec);
    std::optional<std::string> status;
    if (auto it = last_row.find(job.id); it != last_row.end()) status = it->second;
    if (status) {
      const auto fields = split_csv_line(*status);
      const bool ok = fields[1] == "ok";
      if (ok && !complete) status.reset();  // stopped between its status and its result
      else if (ok) ++counts.ok;
      else if (fields[1] == "timed_out") ++counts.timed_out;
      else ++counts.failed;
    }
    if (status) summary += *status + "\n";
    else {
      const char* why = complete ? "" : "not run (interrupted, or this process's share was not reached)";
      summary += csv_field(job.id) + "," + (complete ? "ok" : "skipped") + "," + csv_field(format_overrides(job)) + "," +
                 csv_field(fs::path(job.model_path).filename().string()) + ",,,,,,,,,," + csv_field(why) + "\n";
      complete ? ++counts.ok : ++counts.not_run;
    }

    if (job.output != OutputMode::Full && complete) {
      const auto text = read_file(result_path(outdir, job.id));
      if (!text) continue;
      std::istringstream in(*text);
      std::string header, row;
      std::getline(in, header);
      std::getline(in, row);
      const auto names = split_csv_line(header);
      const auto values = split_csv_line(row);
      std::vector<std::string> cells;
      for (std::size_t c = 0; c < names.size() && c < values.size(); ++c) {
        auto [it, added] = column_index.emplace(names[c], columns.size());
        if (added) columns.push_back(names[c]);
        if (cells.size() <= it->second) cells.resize(it->second + 1);
        cells[it->second] = values[c];
      }
      reduced_rows.emplace_back(job.id, std::move(cells));
    }
  }
  write_file_atomic((fs::path(outdir) / "summary.csv").string(), summary);
  if (!reduced_rows.empty()) {
    std::string text = "job";
    for (const std::string& c : columns) {
      text += ',';
      text += csv_field(c);
    }
    text += "\n";
    for (auto& [id, cells] : reduced_rows) {
      cells.resize(columns.size());
      text += csv_field(id);
      for (const std::string& c : cells) text += "," + c;
      text += "\n";
    }
    write_file_atomic((fs::path(outdir) / "reduced.csv").string(), text);
  }
  return counts;
}

}  // namespace axisim::batch
