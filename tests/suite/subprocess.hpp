// Running one child process without a shell, with its output in files and a time limit.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace suite {

struct ProcessResult {
  enum class Status { exited, signaled, timed_out, spawn_failed };
  Status status = Status::spawn_failed;
  int code = 0;              // exit code (exited) or signal number (signaled)
  std::string spawn_error;   // spawn_failed only
  std::chrono::duration<double> elapsed{0};
};

// Runs argv[0] (a path; PATH is not searched) with argv, stdin from /dev/null and
// stdout/stderr written to the given files. Kills the child with SIGKILL once the timeout
// passes. Safe to call from several threads at once.
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& stdout_file,
                          const std::filesystem::path& stderr_file, std::chrono::duration<double> timeout);

}  // namespace suite
