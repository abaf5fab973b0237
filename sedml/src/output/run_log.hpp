// run_log.hpp — OUTDIR/log.yml: what ran, in the BioSimulators log format.
//
// The format is BioSimulators' (biosimulators_utils.log.data_model, "Format for logs of the
// execution of simulation experiments captured in COMBINE/OMEX archives"): the archive, each
// SED-ML document (`location`), each task and output (`id`) have a `status` (QUEUED, RUNNING,
// SUCCEEDED, SKIPPED, FAILED), an `exception` ({type, message}) or null, a `skipReason` ({type,
// message}) or null, an `output` (here: the problems and notes axisim logged for the element)
// and a `duration` in seconds; tasks also the `algorithm` (the simulation's KiSAO id) and
// `simulatorDetails` ([{key, value}]); reports list `dataSets`, 2D plots `curves` and 3D plots
// `surfaces`, each [{id, status}].
//
// The log is written at every change of status (each file atomically, axisim::write_file_atomic),
// so a run that crashes or is killed leaves a log that is true up to that point: elements not
// reached are QUEUED, the one under way RUNNING. At the end, as BioSimulators finalizes a log,
// whatever is still QUEUED becomes SKIPPED and RUNNING becomes FAILED. A document is FAILED when
// anything in it failed, and the archive when any document did: exactly when `axisim run`
// exits non-zero.
//
// Written with yaml-cpp (Debian's libyaml-cpp-dev); a build without it writes no log.yml and
// says so once (run_log_supported()).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "axisim/error.hpp"

namespace axisim::sedml {

enum class LogStatus { Queued, Running, Succeeded, Skipped, Failed };

const char* status_text(LogStatus s);

struct LogReason {
  std::string type, message;
};

// What every element of the log has.
struct ElementLog {
  LogStatus status = LogStatus::Queued;
  std::optional<LogReason> exception, skip_reason;
  std::string output;               // empty: null
  std::optional<double> duration;   // seconds
  void finalize();                  // QUEUED -> SKIPPED, RUNNING -> FAILED
};

struct TaskLog : ElementLog {
  std::string id;
  std::string algorithm;  // the KiSAO id asked for; empty: null (a repeated task)
  std::vector<std::pair<std::string, std::string>> simulator_details;
};

struct OutputLog : ElementLog {
  std::string id;
  std::string type;  // "report", "plot2D", "plot3D", or another output (no items)
  // A report's data sets, a 2D plot's curves, a 3D plot's surfaces: id and status.
  std::vector<std::pair<std::string, LogStatus>> items;
};

struct DocumentLog : ElementLog {
  std::string location;
  std::vector<TaskLog> tasks;
  std::vector<OutputLog> outputs;
};

struct ArchiveLog : ElementLog {
  std::vector<DocumentLog> documents;
};

// The exception type named in the log for an axisim error kind ("Unsupported", "Io", ...).
const char* error_type(ErrorKind kind);

// The log as YAML text (null where the format has null).
std::string log_yaml(const ArchiveLog& log);

// Whether log.yml can be written (yaml-cpp was found).
bool run_log_supported();

// The log of one `axisim run`: an archive (one document for a lone SED-ML file), written to
// `file` at every write(). An empty file name, or a build without yaml-cpp, writes nothing.
class RunLog {
 public:
  explicit RunLog(std::string file);
  ArchiveLog& archive() { return archive_; }
  // Writes the whole log, atomically. A failure to write is logged as a warning, not thrown:
  // the log must never be why a run fails.
  void write();
  // Finalizes every element (ElementLog::finalize), sets each document's and the archive's
  // status from whether anything in it failed, and writes.
  void finish();

 private:
  std::string file_;
  ArchiveLog archive_;
  bool warned_ = false;
};

}  // namespace axisim::sedml

namespace axisim::sedml {

struct RunOptions;
struct RunReport;

// Runs the SED-ML document at `path` as document `index` of `log` (may be null), keeping its
// entry up to date (execute/log_entries.cpp). run_file and run_archive build the log around it.
RunReport run_document(const std::string& path, const RunOptions& options, RunLog* log, std::size_t index);

// OUTDIR/log.yml, or empty when RunOptions::write_log is off.
std::string run_log_file(const RunOptions& options);

// Sets the archive's status (FAILED with the first problem when `report` has any), finalizes and
// writes the log.
void finish_run_log(RunLog& log, const RunReport& report, double seconds);

}  // namespace axisim::sedml
