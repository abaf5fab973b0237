// batch_files.hpp — where a batch's files live in OUTDIR, and writing them whole or not at all.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "axisim/batch.hpp"
#include "axisim/csv.hpp"

namespace axisim::batch::detail {

std::string results_dir(const std::string& outdir);
std::string status_dir(const std::string& outdir);
std::string result_path(const std::string& outdir, const std::string& id);
// A stochastic job's completed work units: partial/<id>/<unit>.ens (EnsembleStatistics blocks),
// and partial/<id>/merging, made by the one process that merges them into the result.
std::string partial_dir(const std::string& outdir);
std::string unit_path(const std::string& outdir, const std::string& id, std::uint64_t unit);
std::string merge_lock_path(const std::string& outdir, const std::string& id);

// A worker's status log: status/<rank>-<host>-<pid>-w<worker>.csv, one summary row appended per
// job it runs (a row is one write(2) to a file opened with O_APPEND, written before the job's
// result is renamed into place).
class StatusLog {
 public:
  StatusLog(const std::string& outdir, int rank, int worker);
  ~StatusLog();
  StatusLog(const StatusLog&) = delete;
  StatusLog& operator=(const StatusLog&) = delete;
  void append(const std::string& row);  // throws Error(Io)

 private:
  std::string path_;
  int fd_ = -1;
};

// Every row of every status log, oldest log first (by modification time), so that a later row
// of a job (a retry) comes after an earlier one. Rows cut short by a kill are dropped.
// (One at a time, without holding them all: a large batch has one per job.)
void for_each_status_row(const std::string& outdir, const std::function<void(std::string&& row)>& f);

using axisim::write_file_atomic;  // the runtime's (axisim/csv.hpp): temporary name, then rename

std::optional<std::string> read_file(const std::string& path);

// The header of summary.csv; a status file holds one such row.
extern const char* const kSummaryHeader;

// Each plugin the jobs name, loaded from `dirs`, as "NAME@VERSION PATH fnv1a64:HASH" (HASH of the
// library file). Throws Error(Plugin) for one that cannot be loaded.
std::map<std::string, std::string> identify_plugins(const JobList& jobs, const std::vector<std::string>& dirs);
std::string manifest_text(const JobList& jobs, const std::map<std::string, std::string>& plugin_files);

}  // namespace axisim::batch::detail
