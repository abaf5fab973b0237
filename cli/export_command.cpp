// axisim export: write a model back as SBML (changed only where asked) for other tools.
#include <cstdlib>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "axisim/export.hpp"
#include "commands.hpp"
#include "plugin_options.hpp"

namespace axisim::cli {
namespace {

struct ExportArgs {
  std::string model;
  std::string output;
  unsigned level = 0, version = 0;
  std::vector<std::string> set;
  std::optional<double> at_time, atol, rtol;
  bool flatten = false;
  PluginOptions plugins;
};

int run_export(const ExportArgs& a) {
  axisim::ExportOptions options;
  options.level = a.level;
  options.version = a.version;
  for (const std::string& s : a.set) options.set.push_back(parse_assignment(s, "--set"));
  options.at_time = a.at_time;
  options.flatten = a.flatten;
  if (a.atol) options.simulation.atol = *a.atol;
  if (a.rtol) options.simulation.rtol = *a.rtol;
  // Plugins named here take part in the run to --at-time and are recorded in the model.
  for (const auto& p : a.plugins.records()) options.plugins.push_back(p);
  axisim::export_sbml(a.model, a.output, options);
  spdlog::info("wrote {}", a.output);
  return 0;
}

}  // namespace

Runner add_export_command(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  ExportArgs& ex = *args;
  CLI::App* cmd = app.add_subcommand(
      "export", "Write the model as SBML for other tools: unchanged except for what the options ask, and "
                "only if libSBML finds it valid");
  cmd->add_option("model", ex.model, "SBML file (Level 1 to Level 3 Version 2)")->required();
  cmd->add_option("-o,--output", ex.output, "SBML file to write (written whole or not at all)")->required();
  auto* level = cmd->add_option("--level", ex.level, "Convert to this SBML Level (with --version)")
                    ->check(CLI::Range(1u, 3u));
  auto* version = cmd->add_option("--version", ex.version, "Convert to this SBML Version (with --level)")
                      ->check(CLI::Range(1u, 5u));
  level->needs(version);
  version->needs(level);
  cmd->add_option("--set", ex.set, "Set an initial value: ID=VALUE (repeatable), as for simulate --set");
  cmd->add_option("--at-time", ex.at_time,
                  "Simulate to this time and write the state there as the initial state; every time in the "
                  "math is written as (time + T) so a run of the result continues the original (refused for "
                  "models that call delay)");
  cmd->add_option("--atol", ex.atol, "Absolute integration tolerance for --at-time (default 1e-12)");
  cmd->add_option("--rtol", ex.rtol, "Relative integration tolerance for --at-time (default 1e-8)");
  cmd->add_flag("--flatten", ex.flatten, "Write a hierarchical (comp) model as one flat model");
  ex.plugins.add_to(*cmd);
  return [cmd, args] { return *cmd ? run_export(*args) : -1; };
}

}  // namespace axisim::cli
