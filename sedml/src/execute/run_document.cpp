// The public entry points of axisim/sedml.hpp that run documents: run_document (one SED-ML file,
// by a Runner: execute/runner.hpp), run_file (with its log.yml), and the run's exit code.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <spdlog/spdlog.h>

#include "axisim/sedml.hpp"
#include "execute/runner.hpp"

namespace fs = std::filesystem;

namespace axisim::sedml {

using execution::Runner;
using execution::is_stop;
using execution::problem_type;

int RunReport::exit_code() const {
  if (interrupted) return 128 + interrupted;
  if (problems.empty()) return 0;
  for (const Problem& p : problems)
    if (p.kind != ErrorKind::Unsupported) return exit_code_for(p.kind);
  return exit_code_for(ErrorKind::Unsupported);
}

std::map<std::string, std::string> read_model_map(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::Io, path + ": cannot read the model map");
  const fs::path dir = fs::path(path).parent_path();
  std::map<std::string, std::string> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos)
      throw Error(ErrorKind::Io, path + ":" + std::to_string(number) + ": expected SOURCE<TAB>PATH");
    const std::string source = line.substr(0, tab);
    std::string file = line.substr(tab + 1);
    if (const auto t2 = file.find('\t'); t2 != std::string::npos) file.resize(t2);
    if (file == "local_copy") continue;  // header line
    out[source] = fs::path(file).is_absolute() ? file : (dir / file).lexically_normal().string();
  }
  return out;
}


RunReport run_document(const std::string& path, const RunOptions& options, RunLog* log, std::size_t index) {
  DocumentLog* d = log ? &log->archive().documents.at(index) : nullptr;
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  if (d) {
    d->status = LogStatus::Running;
    log->write();
  }
  RunReport report;
  try {
    const Document doc = read_document(path);
    for (const Problem& p : doc.problems) {
      spdlog::error("{}: {}", p.element, p.message);
      report.problems.push_back(p);
    }
    Runner(doc, path, options, report, log, index).run();
  } catch (const Error& e) {
    if (d) {
      d->status = LogStatus::Failed;
      d->exception = LogReason{error_type(e.kind()), e.what()};
      d->duration = seconds();
      log->write();
    }
    throw;
  }
  std::size_t plots = 0;
  for (const OutputSummary& o : report.outputs)
    if (o.type != "report" && o.type != "figure" && o.points > 0 && o.file.empty()) ++plots;
  if (plots > 0 && !options.draw_plots) {
    const std::string n = std::to_string(plots) + " plot(s): data computed; not drawn (--no-plots)";
    spdlog::info("{}", n);
    report.notes.push_back(n);
  }
  if (d) {
    // The document failed exactly when it has a problem: what makes `axisim run` exit non-zero.
    d->status = report.problems.empty() ? LogStatus::Succeeded : LogStatus::Failed;
    d->duration = seconds();
    std::string text;
    for (const Problem& p : report.problems) text += "error: " + p.element + ": " + p.message + "\n";
    for (const std::string& n : report.notes) text += n + "\n";
    d->output = text;
    if (!report.problems.empty())
      d->exception = LogReason{error_type(report.problems[0].kind), report.problems[0].element + ": " + report.problems[0].message};
    for (const Problem& p : report.problems)  // a stop says so first
      if (is_stop(p)) d->exception = LogReason{problem_type(p), p.element + ": " + p.message};
    log->write();
  }
  return report;
}

std::string run_log_file(const RunOptions& options) {
  return options.write_log ? (fs::path(options.output_dir) / "log.yml").string() : std::string();
}

void finish_run_log(RunLog& log, const RunReport& report, double seconds) {
  ArchiveLog& a = log.archive();
  a.duration = seconds;
  if (!report.problems.empty()) {
    a.status = LogStatus::Failed;
    a.exception = LogReason{error_type(report.problems[0].kind), std::to_string(report.problems.size()) +
                                                                   " problem(s); the first: " + report.problems[0].element +
                                                                   ": " + report.problems[0].message};
  }
  if (report.interrupted) {
    // Stopped by a signal: say so first (the problem naming where is in the document's output).
    a.status = LogStatus::Failed;
    for (const Problem& p : report.problems)
      if (is_stop(p)) a.exception = LogReason{problem_type(p), p.element + ": " + p.message};
  }
  log.finish();
}

RunReport run_file(const std::string& path, const RunOptions& options) {
  RunLog log(run_log_file(options));
  DocumentLog d;
  d.location = options.location.empty() ? fs::path(path).filename().string() : options.location;
  log.archive().documents.push_back(std::move(d));
  log.archive().status = LogStatus::Running;
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  RunReport report;
  try {
    report = run_document(path, options, &log, 0);
  } catch (const Error& e) {
    report.problems.push_back({e.kind(), log.archive().documents[0].location, e.what()});
    finish_run_log(log, report, seconds());
    throw;
  }
  finish_run_log(log, report, seconds());
  return report;
}

}  // namespace axisim::sedml

