#include "plugin_options.hpp"

#include <cmath>
#include <cstdlib>
#include <set>

#include "axisim/error.hpp"
#include "axisim/plugin_host.hpp"

#include <spdlog/spdlog.h>

namespace axisim::cli {

std::pair<std::string, double> parse_assignment(const std::string& text, const char* flag) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw Error(ErrorKind::Usage, std::string(flag) + " expects NAME=VALUE, got '" + text + "'");
  const std::string value = text.substr(eq + 1);
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0')
    throw Error(ErrorKind::Usage, std::string(flag) + " " + text + ": '" + value + "' is not a number");
  // strtod reads "1e400" as infinity and "nan" as NaN: neither is a value to integrate with.
  if (!std::isfinite(v))
    throw Error(ErrorKind::Usage, std::string(flag) + " " + text + ": '" + value +
                                      "' is not a finite number (the largest is about 1.8e308)");
  return {text.substr(0, eq), v};
}

// The same PLUGIN.PARAM given twice is a mistake, not "the last one wins" (silently).
void PluginOptions::check_distinct(const std::vector<std::string>& assignments) {
  std::set<std::string> seen;
  for (const std::string& text : assignments) {
    const std::string key = text.substr(0, text.find('='));
    if (!seen.insert(key).second)
      throw Error(ErrorKind::Usage, "--plugin-param " + key + " is given more than once; give each parameter once");
  }
}

void PluginOptions::add_to(CLI::App& cmd) {
  cmd.add_option("--plugin", plugins, "Attach a tissue plugin, by name (found on the plugin path) or by path (repeatable)");
  cmd.add_option("--plugin-dir", dirs, "Also look for plugins here (repeatable; before AXISIM_PLUGIN_PATH and the install location)");
  cmd.add_option("--plugin-param", params, "Set a plugin parameter: PLUGIN.PARAM=VALUE (repeatable)");
}

std::vector<PluginRecord> PluginOptions::records() const {
  std::vector<PluginRecord> out;
  std::vector<PluginRequest> requests;
  for (const std::string& p : plugins) requests.push_back({p, {}});
  check_distinct(params);
  for (const std::string& text : params) {
    const auto [key, value] = parse_assignment(text, "--plugin-param");
    const auto dot = key.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == key.size())
      throw Error(ErrorKind::Usage, "--plugin-param expects PLUGIN.PARAM=VALUE, got '" + text + "'");
    bool found = false;
    for (PluginRequest& r : requests)
      if (Plugin::load(r.name, dirs).name() == key.substr(0, dot) || r.name == key.substr(0, dot)) {
        r.parameters.emplace_back(key.substr(dot + 1), value);
        found = true;
      }
    if (!found) throw Error(ErrorKind::Usage, "--plugin-param " + text + ": no plugin '" + key.substr(0, dot) + "' is named");
  }
  for (const PluginRequest& r : requests) {
    const Plugin p = Plugin::load(r.name, dirs);
    PluginRecord rec{p.name(), p.version(), {}, {}, p.path()};
    for (const Plugin::Quantity& q : p.parameters()) rec.parameters[q.name] = q.value;
    for (const auto& [name, value] : r.parameters) {
      if (!rec.parameters.count(name))
        throw Error(ErrorKind::Plugin, "plugin '" + p.name() + "' has no parameter '" + name + "'");
      rec.parameters[name] = value;
    }
    out.push_back(std::move(rec));
  }
  return out;
}

void PluginOptions::attach_recorded(Model& model) const {
  for (const PluginRecord& r : model.recorded_plugins()) {
    bool attached = false;
    for (const auto& a : model.plugins()) attached |= a.name == r.name;
    if (attached) continue;
    const Plugin p = Plugin::load(r.name, dirs);
    if (!r.version.empty() && p.version() != r.version)
      spdlog::warn("the model was exported with plugin '{}' {}; attaching version {}", r.name, r.version, p.version());
    spdlog::info("attaching plugin '{}', which the model records", r.name);
    model.attach(p, std::vector<std::pair<std::string, double>>(r.parameters.begin(), r.parameters.end()), r.states);
  }
}

void PluginOptions::attach(Model& model, const std::vector<PluginRequest>& requests) const {
  std::vector<PluginRequest> all = requests;
  for (const std::string& p : plugins) all.push_back({p, {}});
  // Load first: --plugin-param names a plugin by its own name, however --plugin found it.
  std::vector<Plugin> loaded;
  for (const PluginRequest& r : all) loaded.push_back(Plugin::load(r.name, dirs));
  check_distinct(params);
  for (const std::string& text : params) {
    const auto [key, value] = parse_assignment(text, "--plugin-param");
    const auto dot = key.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == key.size())
      throw Error(ErrorKind::Usage, "--plugin-param expects PLUGIN.PARAM=VALUE, got '" + text + "'");
    const std::string plugin = key.substr(0, dot);
    bool found = false;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (loaded[i].name() == plugin || all[i].name == plugin) {
        all[i].parameters.emplace_back(key.substr(dot + 1), value);
        found = true;
      }
    if (!found) throw Error(ErrorKind::Usage, "--plugin-param " + text + ": no plugin '" + plugin + "' is attached");
  }
  for (std::size_t i = 0; i < all.size(); ++i) model.attach(loaded[i], all[i].parameters);
}

}  // namespace axisim::cli
