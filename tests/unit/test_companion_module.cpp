// Companion modules (runtime/src/io/companion_module.hpp): where they are looked for, the error
// when one is missing, and that the axisim executable no longer links what they hold.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "axisim/error.hpp"
#include "io/companion_module.hpp"

namespace {

struct ModuleDirEnv {
  explicit ModuleDirEnv(const std::string& dir) { setenv("AXISIM_MODULE_DIR", dir.c_str(), 1); }
  ~ModuleDirEnv() { unsetenv("AXISIM_MODULE_DIR"); }
};

std::string command_output(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, p)) out.append(buffer, n);
    pclose(p);
  }
  return out;
}

}  // namespace

TEST_CASE("companion modules: AXISIM_MODULE_DIR is searched first, a missing module names every folder searched") {
  const auto dir = std::filesystem::temp_directory_path() / "axisim-companion-test";
  std::filesystem::create_directories(dir);
  ModuleDirEnv env(dir.string());
  const auto path = axisim::detail::companion_search_path();
  REQUIRE(!path.empty());
  CHECK(path.front() == dir.lexically_normal().string());
  try {
    axisim::detail::companion_symbol("no_such_module", "f");
    FAIL("a missing module was loaded");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Unsupported);
    const std::string message = e.what();
    CHECK(message.find("libaxisim_no_such_module.so was not found") != std::string::npos);
    for (const auto& d : path) CHECK(message.find(d) != std::string::npos);
    CHECK(message.find("AXISIM_MODULE_DIR") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

// The reason the modules exist: loading HDF5 (with libcurl, GnuTLS, Kerberos, LDAP), Open MPI and
// the shared libpagmo (whose constructors build benchmark tables) cost every process more than a
// small model's whole simulation (docs/performance.md, "Start-up").
TEST_CASE("the axisim executable links neither HDF5, MPI nor the shared libpagmo") {
  const std::string libs = command_output(std::string("ldd '") + AXISIM_CLI_PATH + "' 2>&1");
  REQUIRE(libs.find("libsbml") != std::string::npos);  // ldd worked
  CHECK(libs.find("libhdf5") == std::string::npos);
  CHECK(libs.find("libmpi") == std::string::npos);
  CHECK(libs.find("libpagmo") == std::string::npos);
}
