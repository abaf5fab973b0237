// axisim plugins list | info NAME | drivable MODEL: what plugins there are, what each one does, and
// what a model lets a plugin drive.
#include <cmath>
#include <iostream>
#include <memory>

#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/plugin_host.hpp"
#include "commands.hpp"

namespace axisim::cli {
namespace {

struct PluginsArgs {
  std::vector<std::string> dirs;
  std::string name;
  std::string model;
  std::vector<std::string> plugins;
};

void print_quantities(const char* title, const std::vector<Plugin::Quantity>& qs, bool with_value) {
  std::cout << title << (qs.empty() ? ": none\n" : ":\n");
  for (const Plugin::Quantity& q : qs) {
    std::cout << "  " << q.name;
    if (with_value) std::cout << " = " << format_number(q.value);  // every digit, as --plugin-param takes it
    if (!q.units.empty()) std::cout << " [" << q.units << "]";
    if (q.min > -HUGE_VAL || q.max < HUGE_VAL)
      std::cout << " in [" << format_number(q.min) << ", " << format_number(q.max) << "]";
    if (!q.description.empty()) std::cout << "  " << q.description;
    std::cout << "\n";
  }
}

int run_list(const PluginsArgs& a) {
  std::cout << "plugin path:\n";
  for (const std::string& d : Plugin::search_path(a.dirs)) std::cout << "  " << d << "\n";
  const auto found = Plugin::discover(a.dirs);
  std::cout << (found.empty() ? "no plugins found\n" : "plugins:\n");
  int failures = 0;
  for (const std::string& path : found) {
    try {
      const Plugin p = Plugin::load(path);
      std::cout << "  " << p.name() << " " << p.version() << "  " << p.description() << "\n    " << p.path() << "\n";
    } catch (const Error& e) {
      std::cout << "  (unusable) " << path << ": " << e.what() << "\n";
      ++failures;
    }
  }
  return failures == 0 ? 0 : exit_code_for(ErrorKind::Plugin);
}

int run_info(const PluginsArgs& a) {
  const Plugin p = Plugin::load(a.name, a.dirs);
  std::cout << p.name() << " " << p.version() << " (plugin ABI " << p.abi_version() << ")\n"
            << p.description() << "\n" << p.path() << "\n";
  std::cout << (p.inputs().empty() ? "reads: nothing from the model\n" : "reads from the model:\n");
  for (const auto& in : p.inputs())
    std::cout << "  " << in.sbml_id << (in.units.empty() ? "" : " [" + in.units + "]") << (in.read_by_drive ? " (read by drive)" : "")
              << (in.description.empty() ? "" : "  " + in.description) << "\n";
  print_quantities(("parameters (set with --plugin-param " + p.name() + ".NAME=VALUE)").c_str(), p.parameters(), true);
  print_quantities("states (initial values)", p.states(), true);
  print_quantities(("outputs (columns " + p.name() + ".NAME)").c_str(), p.outputs(), false);
  std::cout << (p.effects().empty() ? "effects on the model: none\n" : "effects on the model:\n");
  for (const auto& e : p.effects())
    std::cout << "  " << (e.is_flux ? "adds a flux to species " : "drives parameter ") << e.sbml_id
              << (e.min > -HUGE_VAL || e.max < HUGE_VAL ? " in [" + format_number(e.min) + ", " + format_number(e.max) + "]" : "")
              << (e.units.empty() ? "" : " [" + e.units + "]")
              << (e.description.empty() ? "" : "  " + e.description) << "\n";
  if (p.has_init()) std::cout << "initial states: computed by the plugin's init at the start of each run\n";
  if (p.has_jacobian()) std::cout << "Jacobian: the plugin gives d(dstates)/d(states)\n";
  if (p.num_roots() > 0) std::cout << "root functions: " << p.num_roots() << " (the integrator stops at their zeros)\n";
  return 0;
}

// The parameters of MODEL a plugin may drive, and which plugin (of those attached with
// --plugin) drives each.
int run_drivable(const PluginsArgs& a) {
  Model model = Model::from_file(a.model);
  for (const std::string& name : a.plugins) model.attach(Plugin::load(name, a.dirs));
  const auto drivable = model.drivable_parameters();
  if (drivable.empty()) {
    std::cout << "model '" << model.id() << "' has no parameter a plugin may drive (a plugin drives a "
              << "non-constant parameter that no rule, reaction or event sets)\n";
    return 0;
  }
  std::cout << "parameters of model '" << model.id() << "' a plugin may drive (AXISIM_EFFECT_PARAMETER):\n";
  for (const auto& [id, owner] : drivable)
    std::cout << "  " << id << " = " << format_number(model.initial_value(id))
              << (owner.empty() ? "" : "  (driven by plugin '" + owner + "')") << "\n";
  return 0;
}

}  // namespace

Runner add_plugins_command(CLI::App& app) {
  auto args = std::make_shared<PluginsArgs>();
  CLI::App* cmd = app.add_subcommand("plugins", "List the tissue plugins found, or describe one");
  cmd->require_subcommand(1);
  cmd->add_option("--plugin-dir", args->dirs, "Also look for plugins here (repeatable)");
  CLI::App* list = cmd->add_subcommand("list", "Every plugin on the plugin path");
  CLI::App* info = cmd->add_subcommand("info", "What a plugin reads, its parameters, states, outputs and effects");
  info->add_option("name", args->name, "Plugin name or path")->required();
  CLI::App* drivable = cmd->add_subcommand(
      "drivable", "The parameters of a model a plugin may drive: non-constant, set by no rule, reaction or event");
  drivable->add_option("model", args->model, "SBML file")->required();
  drivable->add_option("--plugin", args->plugins, "Attach this plugin too, to see what it drives (repeatable)");
  return [cmd, list, info, drivable, args]() -> int {
    if (!*cmd) return -1;
    if (*list) return run_list(*args);
    if (*info) return run_info(*args);
    if (*drivable) return run_drivable(*args);
    return -1;
  };
}

}  // namespace axisim::cli
