// batch_progress.hpp — how far a batch is: a one-line bar with rate and ETA on a terminal
// (stderr a TTY), a plain log line every few seconds otherwise. Called from one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace axisim::batch::detail {

class Progress {
 public:
  // `total`: jobs this process runs now; `label` prefixes the line (e.g. "rank 0/2").
  Progress(std::size_t total, bool enabled, std::string label);
  // Redraws (at most ~10 times a second on a terminal, every 5 s otherwise).
  void update(std::size_t done, std::size_t failed, bool force = false);
  // Logs a line (a failure, say) without tearing the bar.
  void log_warning(const std::string& text);
  void finish(std::size_t done, std::size_t failed);

 private:
  std::string line(std::size_t done, std::size_t failed) const;
  void clear();

  std::size_t total_;
  bool enabled_;
  bool tty_;
  std::string label_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

std::string format_duration(double seconds);

}  // namespace axisim::batch::detail
