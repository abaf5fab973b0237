#include "atomic_file.hpp"

#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace suite {

void write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  // Same directory as the target, so that the rename cannot cross file systems; the pid
  // keeps two runners writing to the same report directory from sharing a temporary.
  std::filesystem::path temporary = target;
  temporary += ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::error_code error;
  std::filesystem::rename(temporary, target, error);
  if (error) {
    const std::string reason = error.message();
    std::filesystem::remove(temporary, error);
    throw std::runtime_error("cannot rename " + temporary.string() + " to " + target.string() + ": " + reason);
  }
}

}  // namespace suite
