#include "batch_progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include <spdlog/spdlog.h>

namespace axisim::batch::detail {

std::string format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long t = std::lround(s);
  char buf[32];
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else std::snprintf(buf, sizeof buf, "%ld:%02ld", t / 60, t % 60);
  return buf;
}

Progress::Progress(std::size_t total, bool enabled, std::string label)
    : total_(total), enabled_(enabled && total > 0), tty_(::isatty(2) == 1), label_(std::move(label)) {
  start_ = last_ = std::chrono::steady_clock::now();
}

std::string Progress::line(std::size_t done, std::size_t failed) const {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : NAN;
  char buf[256];
  std::string out = label_.empty() ? "" : label_ + " ";
  if (tty_) {
    constexpr int width = 28;
    const int filled = total_ ? static_cast<int>(width * done / total_) : width;
    out += '[';
    out.append(static_cast<std::size_t>(filled), '#');
    out.append(static_cast<std::size_t>(width - filled), '.');
    out += "] ";
    std::snprintf(buf, sizeof buf, "%zu/%zu %.1f jobs/s ETA %s", done, total_, rate, done ? format_duration(eta).c_str() : "?");
  } else {
    std::snprintf(buf, sizeof buf, "%zu/%zu jobs done, %.1f jobs/s, about %s left", done, total_, rate,
                  done ? format_duration(eta).c_str() : "?");
  }
  out += buf;
  if (failed) out += " (" + std::to_string(failed) + " failed)";
  return out;
}

void Progress::clear() {
  if (drawn_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
}

void Progress::update(std::size_t done, std::size_t failed, bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const auto interval = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
  if (!force && now - last_ < interval) return;
  last_ = now;
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s", line(done, failed).c_str());
    std::fflush(stderr);
    drawn_ = true;
  } else {
    spdlog::info("batch: {}", line(done, failed));
  }
}

void Progress::log_warning(const std::string& text) {
  clear();
  spdlog::warn("{}", text);
}

void Progress::finish(std::size_t done, std::size_t failed) {
  if (!enabled_) return;
  if (tty_) {
    update(done, failed, true);
    std::fputs("\n", stderr);
    drawn_ = false;
  }
}

}  // namespace axisim::batch::detail
