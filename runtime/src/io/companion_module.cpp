// Loading axisim's companion modules (companion_module.hpp) with Boost.DLL.
#include "companion_module.hpp"

#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "axisim/error.hpp"

namespace axisim::detail {

namespace fs = std::filesystem;

std::vector<std::string> companion_search_path() {
  std::vector<fs::path> candidates;
  if (const char* env = std::getenv("AXISIM_MODULE_DIR"); env && *env) candidates.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path up = exe.parent_path().parent_path();
    candidates.push_back(up / "lib" / "axisim" / "modules");
    candidates.push_back(up / "modules");
  }
#ifdef AXISIM_BUILD_MODULE_DIR
  candidates.emplace_back(AXISIM_BUILD_MODULE_DIR);
#endif
#ifdef AXISIM_INSTALL_MODULE_DIR
  candidates.emplace_back(AXISIM_INSTALL_MODULE_DIR);
#endif
  std::vector<std::string> dirs;
  for (const fs::path& d : candidates) {
    const std::string s = d.lexically_normal().string();
    bool seen = false;
    for (const auto& x : dirs) seen = seen || x == s;
    if (!seen && fs::is_directory(d, ec)) dirs.push_back(s);
  }
  return dirs;
}

void* companion_symbol(const std::string& name, const char* symbol, bool global) {
  static std::mutex mutex;
  // Never destroyed: a module's libraries may run exit handlers after static destructors
  // (HDF5's H5close), so they must not be unloaded first. Reachable, so not a leak.
  static auto* loaded = new std::map<std::string, boost::dll::shared_library>();
  std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded->find(name);
  if (it == loaded->end()) {
    const std::string file = "libaxisim_" + name + ".so";
    const std::vector<std::string> dirs = companion_search_path();
    std::string searched;
    for (const std::string& dir : dirs) {
      const fs::path path = fs::path(dir) / file;
      std::error_code ec;
      if (!fs::exists(path, ec)) {
        searched += (searched.empty() ? "" : ", ") + dir;
        continue;
      }
      boost::dll::load_mode::type mode = boost::dll::load_mode::default_mode;
      if (global) mode = mode | boost::dll::load_mode::rtld_global;
      boost::system::error_code load_error;
      boost::dll::shared_library library(path.string(), mode, load_error);
      if (load_error)
        throw Error(ErrorKind::Unsupported, "axisim's module " + path.string() + " cannot be loaded: " + load_error.message());
      it = loaded->emplace(name, std::move(library)).first;
      break;
    }
    if (it == loaded->end())
      throw Error(ErrorKind::Unsupported,
                  "axisim's module " + file + " was not found (searched: " + (searched.empty() ? "no folder exists" : searched) +
                      "); it is built and installed with axisim: set AXISIM_MODULE_DIR to the folder that holds it");
  }
  if (!it->second.has(symbol))
    throw Error(ErrorKind::Unsupported, "axisim's module " + it->second.location().string() + " lacks '" + symbol +
                                            "': it belongs to another axisim build; rebuild or reinstall axisim");
  return static_cast<void*>(&it->second.get<char>(symbol));
}

}  // namespace axisim::detail
