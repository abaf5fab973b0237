#include "axisim/csv.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>

#include "axisim/error.hpp"

namespace axisim {

std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  char buf[32];
  // Shortest representation that reads back to the same double.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

void write_csv(const Result& result, std::ostream& out) {
  const auto& cols = result.columns();
  for (std::size_t c = 0; c < cols.size(); ++c) out << (c ? "," : "") << cols[c];
  out << '\n';
  std::string line;
  for (std::size_t r = 0; r < result.rows(); ++r) {
    line.clear();
    for (std::size_t c = 0; c < cols.size(); ++c) {
      if (c) line += ',';
      line += format_number(result.at(r, c));
    }
    line += '\n';
    out << line;
  }
}

void write_file_atomic(const std::string& out_path, const std::string& text) {
  // A name no other writer uses (process, call), created exclusively; the umask applies.
  static std::atomic<unsigned long> counter{0};
  const std::string tmp = out_path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) throw Error(ErrorKind::Io, out_path + ": cannot write: " + std::strerror(errno));
  auto fail = [&](const std::string& why) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw Error(ErrorKind::Io, out_path + ": cannot write: " + why);
  };
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw Error(ErrorKind::Io, out_path + ": cannot write: " + why);
  }
  if (::rename(tmp.c_str(), out_path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    throw Error(ErrorKind::Io, out_path + ": cannot rename the finished file into place: " + why);
  }
}

void write_csv_file(const Result& result, const std::string& path) {
  std::ostringstream out;
  write_csv(result, out);
  write_file_atomic(path, out.str());
}

}  // namespace axisim
