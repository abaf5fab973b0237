// OUTDIR/log.yml in the BioSimulators log format (run_log.hpp), written with yaml-cpp.
#include "output/run_log.hpp"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "axisim/csv.hpp"

#ifdef AXISIM_HAVE_YAML_CPP
#include <yaml-cpp/yaml.h>
#endif

namespace axisim::sedml {

const char* status_text(LogStatus s) {
  switch (s) {
    case LogStatus::Queued: return "QUEUED";
    case LogStatus::Running: return "RUNNING";
    case LogStatus::Succeeded: return "SUCCEEDED";
    case LogStatus::Skipped: return "SKIPPED";
    case LogStatus::Failed: return "FAILED";
  }
  return "FAILED";
}

const char* error_type(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return "Usage";
    case ErrorKind::Unsupported: return "Unsupported";
    case ErrorKind::Io: return "Io";
    case ErrorKind::InvalidSbml: return "InvalidInput";
    case ErrorKind::UnknownId: return "UnknownId";
    case ErrorKind::Solver: return "Solver";
    case ErrorKind::Plugin: return "Plugin";
  }
  return "Error";
}

void ElementLog::finalize() {
  if (status == LogStatus::Queued) status = LogStatus::Skipped;
  else if (status == LogStatus::Running) status = LogStatus::Failed;
}

RunLog::RunLog(std::string file) : file_(std::move(file)) {}

void RunLog::finish() {
  bool failed = archive_.status == LogStatus::Failed;
  for (DocumentLog& d : archive_.documents) {
    for (TaskLog& t : d.tasks) t.finalize();
    for (OutputLog& o : d.outputs) {
      o.finalize();
      for (auto& [id, s] : o.items)
        if (s == LogStatus::Queued) s = LogStatus::Skipped;
        else if (s == LogStatus::Running) s = LogStatus::Failed;
    }
    d.finalize();
    failed = failed || d.status == LogStatus::Failed;
  }
  archive_.status = failed ? LogStatus::Failed : LogStatus::Succeeded;
  write();
}

#ifdef AXISIM_HAVE_YAML_CPP

bool run_log_supported() { return true; }

namespace {

void reason(YAML::Emitter& y, const char* key, const std::optional<LogReason>& r) {
  y << YAML::Key << key << YAML::Value;
  if (!r) {
    y << YAML::Null;
    return;
  }
  y << YAML::BeginMap << YAML::Key << "type" << YAML::Value << r->type << YAML::Key << "message" << YAML::Value
    << r->message << YAML::EndMap;
}

// The fields every element has (BioSimulators' Log.to_json).
void common(YAML::Emitter& y, const ElementLog& e) {
  y << YAML::Key << "status" << YAML::Value << status_text(e.status);
  reason(y, "exception", e.exception);
  reason(y, "skipReason", e.skip_reason);
  y << YAML::Key << "output" << YAML::Value;
  std::string text = e.output;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.empty()) y << YAML::Null;
  else y << YAML::Literal << text;
  y << YAML::Key << "duration" << YAML::Value;
  if (e.duration) y << *e.duration;
  else y << YAML::Null;
}

}  // namespace

std::string log_yaml(const ArchiveLog& log) {
  YAML::Emitter y;
  y.SetDoublePrecision(6);  // durations: microseconds are plenty
  y << YAML::BeginMap;
  common(y, log);
  y << YAML::Key << "sedDocuments" << YAML::Value << YAML::BeginSeq;
  for (const DocumentLog& d : log.documents) {
    y << YAML::BeginMap << YAML::Key << "location" << YAML::Value << d.location;
    common(y, d);
    y << YAML::Key << "tasks" << YAML::Value << YAML::BeginSeq;
    for (const TaskLog& t : d.tasks) {
      y << YAML::BeginMap << YAML::Key << "id" << YAML::Value << t.id;
      common(y, t);
      y << YAML::Key << "algorithm" << YAML::Value;
      if (t.algorithm.empty()) y << YAML::Null;
      else y << t.algorithm;
      y << YAML::Key << "simulatorDetails" << YAML::Value;
      if (t.simulator_details.empty()) {
        y << YAML::Null;
      } else {
        y << YAML::BeginSeq;
        for (const auto& [k, v] : t.simulator_details)
          y << YAML::BeginMap << YAML::Key << "key" << YAML::Value << k << YAML::Key << "value" << YAML::Value << v
            << YAML::EndMap;
        y << YAML::EndSeq;
      }
      y << YAML::EndMap;
    }
    y << YAML::EndSeq << YAML::Key << "outputs" << YAML::Value << YAML::BeginSeq;
    for (const OutputLog& o : d.outputs) {
      y << YAML::BeginMap << YAML::Key << "id" << YAML::Value << o.id;
      common(y, o);
      const char* items = o.type == "report" ? "dataSets" : o.type == "plot2D" ? "curves" : o.type == "plot3D" ? "surfaces" : nullptr;
      if (items) {
        y << YAML::Key << items << YAML::Value << YAML::BeginSeq;
        for (const auto& [id, s] : o.items)
          y << YAML::BeginMap << YAML::Key << "id" << YAML::Value << id << YAML::Key << "status" << YAML::Value
            << status_text(s) << YAML::EndMap;
        y << YAML::EndSeq;
      }
      y << YAML::EndMap;
    }
    y << YAML::EndSeq << YAML::EndMap;
  }
  y << YAML::EndSeq << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

void RunLog::write() {
  if (file_.empty()) return;
  try {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(file_).parent_path(), ec);
    write_file_atomic(file_, log_yaml(archive_));
  } catch (const std::exception& e) {
    if (!warned_) spdlog::warn("{}: the run log cannot be written: {}", file_, e.what());
    warned_ = true;
  }
}

#else

bool run_log_supported() { return false; }

std::string log_yaml(const ArchiveLog&) { return {}; }

void RunLog::write() {
  if (file_.empty() || warned_) return;
  spdlog::info("{} not written: this axisim was built without yaml-cpp (libyaml-cpp-dev)", file_);
  warned_ = true;
}

#endif

}  // namespace axisim::sedml
