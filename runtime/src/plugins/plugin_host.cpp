#include "axisim/plugin_host.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "axisim/plugin_sdk.h"
#include "plugins/plugin_library.hpp"


namespace axisim {
namespace {

constexpr const char* kPrefix = "axisim-plugin-";
constexpr const char* kSuffix = ".so";

[[noreturn]] void fail(const std::string& who, const std::string& what) {
  throw Error(ErrorKind::Plugin, "plugin '" + who + "': " + what);
}

std::string text(const char* s) { return s ? s : ""; }

std::vector<Plugin::Quantity> quantities(const axisim_plugin_quantity* q, std::uint32_t n, const std::string& who,
                                         const char* what) {
  if (n > 0 && q == nullptr) fail(who, std::string("declares ") + std::to_string(n) + " " + what + " but no table");
  std::vector<Plugin::Quantity> out;
  std::set<std::string> seen;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string name = text(q[i].name);
    if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
      fail(who, std::string(what) + " #" + std::to_string(i + 1) + " has an invalid name '" + name + "'");
    if (!seen.insert(name).second) fail(who, std::string("two ") + what + " are named '" + name + "'");
    out.push_back({name, q[i].value, text(q[i].units), text(q[i].description)});
  }
  return out;
}

struct Host {
  axisim_host host{};
  std::string name;
};

// One host per plugin name, for the process's lifetime (a few bytes each).
const axisim_host* host_for(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Host>> hosts;
  std::lock_guard lock(mutex);
  auto& h = hosts[name];
  if (!h) {
    h = std::make_unique<Host>();
    h->name = name;
    h->host.abi_version = AXISIM_PLUGIN_ABI_VERSION;
    h->host.context = h.get();
    h->host.log = [](const axisim_host* host, int level, const char* message) {
      const auto* self = static_cast<const Host*>(host->context);
      const std::string text = message ? message : "";
      switch (level) {
        case AXISIM_LOG_DEBUG: spdlog::debug("plugin '{}': {}", self->name, text); break;
        case AXISIM_LOG_INFO: spdlog::info("plugin '{}': {}", self->name, text); break;
        case AXISIM_LOG_WARN: spdlog::warn("plugin '{}': {}", self->name, text); break;
        default: spdlog::error("plugin '{}': {}", self->name, text); break;
      }
    };
  }
  return &h->host;
}

bool is_path(const std::string& s) {
  return s.find('/') != std::string::npos || (s.size() > 3 && s.compare(s.size() - 3, 3, kSuffix) == 0);
}

}  // namespace

Plugin Plugin::load(const std::string& name_or_path, const std::vector<std::string>& extra_dirs) {
  std::string path = name_or_path;
  if (!is_path(name_or_path)) {
    path.clear();
    for (const std::string& dir : search_path(extra_dirs)) {
      const std::filesystem::path candidate = std::filesystem::path(dir) / (kPrefix + name_or_path + kSuffix);
      std::error_code ec;
      if (std::filesystem::is_regular_file(candidate, ec)) {
        path = candidate.string();
        break;
      }
    }
    if (path.empty()) {
      std::string dirs;
      for (const std::string& d : search_path(extra_dirs)) dirs += "\n  " + d;
      fail(name_or_path, std::string("not found: no ") + kPrefix + name_or_path + kSuffix + " in" +
                             (dirs.empty() ? std::string(" (no directories)") : dirs));
    }
  }
  std::error_code exists_ec;
  if (!std::filesystem::is_regular_file(path, exists_ec)) fail(name_or_path, "no such file: " + path);

  auto impl = std::make_shared<Impl>();
  impl->path = std::filesystem::absolute(path).string();
  boost::system::error_code ec;
  impl->library.load(boost::dll::fs::path(impl->path), boost::dll::load_mode::default_mode, ec);
  if (ec) fail(name_or_path, "cannot load " + impl->path + ": " + ec.message());
  if (!impl->library.has(AXISIM_PLUGIN_ENTRY_NAME))
    fail(name_or_path, impl->path + " is not an axisim plugin (it exports no " + AXISIM_PLUGIN_ENTRY_NAME + ")");
  const auto entry = impl->library.get<const axisim_plugin_info*()>(AXISIM_PLUGIN_ENTRY_NAME);
  const axisim_plugin_info* info = nullptr;
  const axisim_plugin_info_v2* info2 = nullptr;
  try {
    // The description's layout is the entry point's, not what abi_version says: a version 1
    // source rebuilt against this SDK claims version 2 in a version 1 description.
    if (impl->library.has(AXISIM_PLUGIN_ENTRY_V2_NAME))
      info2 = impl->library.get<const axisim_plugin_info_v2*()>(AXISIM_PLUGIN_ENTRY_V2_NAME)();
    info = info2 ? &info2->v1 : entry();
    if (info2) {
      // Fields appended to version 2 are read only as far as the library says its description
      // goes; one without axisim_plugin_info_v2_size ends at effect_ranges (plugin_sdk.h).
      std::size_t size = offsetof(axisim_plugin_info_v2, effect_ranges) + sizeof info2->effect_ranges;
      if (impl->library.has(AXISIM_PLUGIN_INFO_V2_SIZE_NAME))
        size = impl->library.get<std::uint32_t()>(AXISIM_PLUGIN_INFO_V2_SIZE_NAME)();
      std::memcpy(&impl->info2_copy, info2, std::min(size, sizeof impl->info2_copy));
      info2 = &impl->info2_copy;
      info = &info2->v1;
    }
  } catch (...) {
    fail(name_or_path, "its entry point threw an exception");
  }
  if (info == nullptr) fail(name_or_path, "its entry point returned no description");
  const bool known = info2 ? info->abi_version == 2
                           : info->abi_version >= AXISIM_PLUGIN_ABI_VERSION_OLDEST && info->abi_version <= AXISIM_PLUGIN_ABI_VERSION;
  if (!known)
    fail(name_or_path, "built for plugin ABI version " + std::to_string(info->abi_version) + (info2 ? " (in a version 2 description)" : "") +
                           ", but this axisim supports versions " + std::to_string(AXISIM_PLUGIN_ABI_VERSION_OLDEST) + " to " +
                           std::to_string(AXISIM_PLUGIN_ABI_VERSION) + ": rebuild it against this axisim's SDK");
  impl->info = info;
  impl->info2 = info2;
  impl->name = text(info->name);
  const std::string who = impl->name.empty() ? name_or_path : impl->name;
  if (impl->name.empty()) fail(who, "declares no name");
  impl->version = text(info->version);
  impl->description = text(info->description);
  if (info->num_inputs > 0 && info->inputs == nullptr) fail(who, "declares inputs but no table");
  for (std::uint32_t i = 0; i < info->num_inputs; ++i) {
    Plugin::Input in;  // member by member: units and read_by_drive are filled below, for version 2 only
    in.sbml_id = text(info->inputs[i].sbml_id);
    in.description = text(info->inputs[i].description);
    impl->inputs.push_back(std::move(in));
  }
  impl->parameters = quantities(info->parameters, info->num_parameters, who, "parameters");
  impl->states = quantities(info->states, info->num_states, who, "states");
  impl->outputs = quantities(info->outputs, info->num_outputs, who, "outputs");
  if (info->num_effects > 0 && info->effects == nullptr) fail(who, "declares effects but no table");
  bool has_flux = false, has_parameter = false;
  for (std::uint32_t i = 0; i < info->num_effects; ++i) {
    const auto& e = info->effects[i];
    if (e.kind != AXISIM_EFFECT_FLUX && e.kind != AXISIM_EFFECT_PARAMETER)
      fail(who, "effect #" + std::to_string(i + 1) + " has an unknown kind " + std::to_string(e.kind));
    has_flux |= e.kind == AXISIM_EFFECT_FLUX;
    has_parameter |= e.kind == AXISIM_EFFECT_PARAMETER;
    Plugin::Effect effect;  // member by member: units and the range are filled below, for version 2 only
    effect.sbml_id = text(e.sbml_id);
    effect.is_flux = e.kind == AXISIM_EFFECT_FLUX;
    effect.description = text(e.description);
    impl->effects.push_back(std::move(effect));
  }
  if ((info->num_states > 0 || has_flux) && info->derivatives == nullptr) fail(who, "has states or fluxes but no derivatives function");
  if (has_parameter && info->drive == nullptr && !(info2 && info2->drive_v2))
    fail(who, "drives a parameter but has no drive function");
  if (info->num_outputs > 0 && info->observe == nullptr) fail(who, "declares outputs but no observe function");
  if (info2) {
    auto range = [&](const axisim_plugin_range& r, const std::string& what, double& min, double& max) {
      if (std::isnan(r.min) || std::isnan(r.max) || r.min > r.max)
        fail(who, "declares the range of " + what + " as [" + std::to_string(r.min) + ", " + std::to_string(r.max) +
                      "], which is empty");
      min = r.min;
      max = r.max;
    };
    if (info2->state_ranges)
      for (std::size_t i = 0; i < impl->states.size(); ++i) {
        range(info2->state_ranges[i], "state '" + impl->states[i].name + "'", impl->states[i].min, impl->states[i].max);
        const Quantity& q = impl->states[i];
        if (!(q.value >= q.min && q.value <= q.max))
          fail(who, "declares state '" + q.name + "' with initial value " + std::to_string(q.value) + " outside its range");
      }
    if (info2->effect_ranges)
      for (std::size_t i = 0; i < impl->effects.size(); ++i)
        range(info2->effect_ranges[i], "effect on '" + impl->effects[i].sbml_id + "'", impl->effects[i].min, impl->effects[i].max);
    auto unit_list = [&](const char* const* units, std::size_t n, auto&& set) {
      if (units)
        for (std::size_t i = 0; i < n; ++i) set(i, text(units[i]));
    };
    unit_list(info2->input_units, impl->inputs.size(), [&](std::size_t i, std::string u) { impl->inputs[i].units = std::move(u); });
    unit_list(info2->effect_units, impl->effects.size(), [&](std::size_t i, std::string u) { impl->effects[i].units = std::move(u); });
    if (info2->drive_v2) {
      if (!has_parameter) fail(who, "has drive_v2 but drives no parameter");
      for (std::size_t i = 0; i < impl->inputs.size(); ++i) impl->inputs[i].read_by_drive = !info2->drive_inputs || info2->drive_inputs[i] != 0;
    } else if (info2->drive_inputs) {
      fail(who, "declares drive_inputs but has no drive_v2");
    }
    // Not yet acted on by this axisim: refused rather than ignored.
    if (info2->jacobian && info->num_states == 0) fail(who, "has a jacobian function but no states");
    if (info2->num_roots > 0 && info2->roots == nullptr) fail(who, "declares " + std::to_string(info2->num_roots) + " roots but no roots function");
    if (info2->num_roots == 0 && (info2->roots || info2->on_root)) fail(who, "has a roots or on_root function but declares no roots");
    if (info2->connect) {
      // The plugin's messages go to axisim's log, named. The host handed over lives as long as the
      // process: a library loaded twice keeps the last one it was given, whichever Plugin goes first.
      const axisim_host* host = host_for(impl->name);
      int status = 0;
      try {
        status = info2->connect(host);
      } catch (...) {
        status = -1;
      }
      if (status != 0) fail(who, "its connect function failed (status " + std::to_string(status) + ")");
    }
  }
  return Plugin(std::move(impl));
}

std::vector<std::string> Plugin::search_path(const std::vector<std::string>& extra_dirs) {
  std::vector<std::string> dirs = extra_dirs;
  if (const char* env = std::getenv("AXISIM_PLUGIN_PATH")) {
    std::stringstream ss(env);
    std::string dir;
    while (std::getline(ss, dir, ':'))
      if (!dir.empty()) dirs.push_back(dir);
  }
  // Relative to the running program, so that an installation works wherever it was installed:
  // <prefix>/bin/axisim looks in <prefix>/lib/axisim/plugins, and build/cli/axisim (or any
  // program one folder below the build root) in build/plugins.
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path up = exe.parent_path().parent_path();
    for (const std::filesystem::path& d : {up / "lib" / "axisim" / "plugins", up / "plugins"})
      if (std::filesystem::is_directory(d, ec)) dirs.push_back(d.string());
  }
  return dirs;
}

std::vector<std::string> Plugin::discover(const std::vector<std::string>& extra_dirs) {
  std::vector<std::string> found;
  std::set<std::string> names;
  for (const std::string& dir : search_path(extra_dirs)) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      const std::string file = entry.path().filename().string();
      if (file.rfind(kPrefix, 0) != 0 || file.size() <= std::string(kPrefix).size() + 3 ||
          file.compare(file.size() - 3, 3, kSuffix) != 0)
        continue;
      const std::string name = file.substr(std::string(kPrefix).size(), file.size() - std::string(kPrefix).size() - 3);
      if (names.insert(name).second) found.push_back(entry.path().string());
    }
  }
  return found;
}

const std::string& Plugin::name() const { return impl_->name; }
const std::string& Plugin::version() const { return impl_->version; }
const std::string& Plugin::description() const { return impl_->description; }
const std::string& Plugin::path() const { return impl_->path; }
unsigned Plugin::abi_version() const { return impl_->info2 ? 2u : 1u; }
bool Plugin::has_init() const { return impl_->info2 && impl_->info2->init; }
bool Plugin::has_jacobian() const { return impl_->info2 && impl_->info2->jacobian; }
std::size_t Plugin::num_roots() const { return impl_->info2 ? impl_->info2->num_roots : 0; }
const std::vector<Plugin::Input>& Plugin::inputs() const { return impl_->inputs; }
const std::vector<Plugin::Quantity>& Plugin::parameters() const { return impl_->parameters; }
const std::vector<Plugin::Quantity>& Plugin::states() const { return impl_->states; }
const std::vector<Plugin::Quantity>& Plugin::outputs() const { return impl_->outputs; }
const std::vector<Plugin::Effect>& Plugin::effects() const { return impl_->effects; }
const axisim_plugin_info& Plugin::info() const { return *impl_->info; }
const axisim_plugin_info_v2* Plugin::info_v2() const { return impl_->info2; }

}  // namespace axisim
