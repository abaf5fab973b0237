// plugin_options.hpp — the plugin flags shared by the commands that run models:
// --plugin NAME|PATH, --plugin-dir DIR, --plugin-param PLUGIN.PARAM=VALUE.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "axisim/model.hpp"
#include "axisim/scenario.hpp"

namespace axisim::cli {

struct PluginOptions {
  std::vector<std::string> plugins;
  std::vector<std::string> dirs;
  std::vector<std::string> params;

  void add_to(CLI::App& cmd);
  // Loads every plugin named here and in `requests` (a scenario's), sets the parameters and
  // attaches them to `model`, in that order. Throws Error(Plugin) or Error(Usage).
  void attach(Model& model, const std::vector<PluginRequest>& requests = {}) const;
  // The plugins named here as records (name, version, every parameter's value, path), for
  // `axisim export` to take into the run and write into the model.
  std::vector<PluginRecord> records() const;
  // Attaches the plugins the model file records (written by `axisim export`), except those
  // attached already: how a coupled run is reproduced from an exported file.
  void attach_recorded(Model& model) const;

 private:
  static void check_distinct(const std::vector<std::string>& assignments);
};

// "NAME=VALUE" split, with VALUE a number; `flag` names the option in errors.
std::pair<std::string, double> parse_assignment(const std::string& text, const char* flag);

}  // namespace axisim::cli
