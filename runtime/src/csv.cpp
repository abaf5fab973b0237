#include "axisim/csv.hpp"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

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

void write_csv_file(const Result& result, const std::string& path) {
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::Io, path + ": cannot write (cannot create " + tmp + ")");
    write_csv(result, out);
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      throw Error(ErrorKind::Io, path + ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw Error(ErrorKind::Io, path + ": cannot rename the finished file into place: " + ec.message());
  }
}

}  // namespace axisim
