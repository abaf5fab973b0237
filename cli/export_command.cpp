// axisim export: write a model back as SBML (changed only where asked) for other tools, or a run
// as a SED-ML simulation experiment (--sedml), alone or in a COMBINE/OMEX archive (--omex).
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>

#include "axisim/batch.hpp"
#include "axisim/error.hpp"
#include "axisim/export.hpp"
#include "axisim/plugin_host.hpp"
#include "axisim/scenario.hpp"
#include "axisim/sedml_export.hpp"
#include "commands.hpp"
#include "plugin_options.hpp"

namespace axisim::cli {
namespace {

struct ExportArgs {
  std::string model;
  std::string output, sedml, omex;
  unsigned level = 0, version = 0;
  std::vector<std::string> set, select;
  std::optional<double> at_time, atol, rtol, start, end;
  std::optional<int> steps;
  std::string scenario, jobs;
  std::string method = "ode";
  std::optional<std::uint64_t> replicates, seed;
  bool flatten = false;
  PluginOptions plugins;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The plugins of an exported run as the SED-ML annotation records them: a scenario's or job's
// requests, then --plugin, each with every parameter's value (its own, the request's, then
// --plugin-param). A plugin named by path keeps the path (its library goes into an archive).
std::vector<PluginRecord> plugin_records(const std::vector<PluginRequest>& requests, const PluginOptions& cli) {
  std::vector<PluginRequest> all = requests;
  for (const std::string& p : cli.plugins) all.push_back({p, {}});
  std::vector<PluginRecord> out;
  for (const PluginRequest& r : all) {
    const Plugin p = Plugin::load(r.name, cli.dirs);
    const bool by_path = r.name.find('/') != std::string::npos || ends_with(r.name, ".so");
    PluginRecord rec{p.name(), p.version(), {}, {}, by_path ? p.path() : std::string()};
    for (const Plugin::Quantity& q : p.parameters()) rec.parameters[q.name] = q.value;
    for (const auto& [name, value] : r.parameters) {
      if (!rec.parameters.count(name)) throw Error(ErrorKind::Plugin, "plugin '" + p.name() + "' has no parameter '" + name + "'");
      rec.parameters[name] = value;
    }
    out.push_back(std::move(rec));
  }
  for (const std::string& text : cli.params) {
    const auto [key, value] = parse_assignment(text, "--plugin-param");
    const auto dot = key.rfind('.');
    bool found = false;
    for (std::size_t i = 0; dot != std::string::npos && i < out.size(); ++i)
      if (out[i].name == key.substr(0, dot) || all[i].name == key.substr(0, dot)) {
        if (!out[i].parameters.count(key.substr(dot + 1)))
          throw Error(ErrorKind::Plugin, "plugin '" + out[i].name + "' has no parameter '" + key.substr(dot + 1) + "'");
        out[i].parameters[key.substr(dot + 1)] = value;
        found = true;
      }
    if (!found) throw Error(ErrorKind::Usage, "--plugin-param " + text + ": no plugin '" + key.substr(0, dot) + "' is attached");
  }
  return out;
}

// The SED-ML export: what `simulate` would run with these options (a scenario, a batch job file,
// or a model with --set/--select and the time course), or a SED-ML document / archive read and
// written again.
int run_sedml_export(const ExportArgs& a) {
  const std::string target = a.sedml.empty() ? a.omex : a.sedml;
  if (a.level || a.at_time || a.flatten)
    throw Error(ErrorKind::Usage, "--level, --version, --at-time and --flatten are options of the SBML export (-o)");
  const bool experiment = ends_with(a.model, ".sedml") || ends_with(a.model, ".omex") || ends_with(a.model, ".sedx") || ends_with(a.model, ".zip");
  if (experiment) {
    if (!a.set.empty() || !a.select.empty() || a.start || a.end || a.steps || a.atol || a.rtol || !a.scenario.empty() ||
        !a.jobs.empty() || a.method != "ode" || a.replicates || a.seed || !a.plugins.plugins.empty() || !a.plugins.params.empty())
      throw Error(ErrorKind::Usage, a.model + " is a simulation experiment: it is exported as it is (no run options)");
    sedml::reexport(a.model, target);
    spdlog::info("wrote {}", target);
    return 0;
  }
  std::vector<sedml::ExportRun> runs;
  auto apply_cli = [&](sedml::ExportRun& r) {
    if (a.start) r.options.start = *a.start;
    if (a.end) r.options.end = *a.end;
    if (a.steps) r.options.steps = *a.steps;
    if (a.atol) r.options.atol = *a.atol;
    if (a.rtol) r.options.rtol = *a.rtol;
    for (const std::string& s : a.set) r.set.push_back(parse_assignment(s, "--set"));
    r.plugin_dirs = a.plugins.dirs;
    if (!a.select.empty()) {
      r.add_plugin_outputs = false;  // --select names the columns, as for simulate
      r.outputs.clear();
      for (const std::string& id : a.select) r.outputs.push_back({id});
    }
    if (a.method == "ssa") r.stochastic = true;
    if (a.seed) r.options.seed = *a.seed;
    if (a.replicates) {
      if (!r.stochastic) throw Error(ErrorKind::Usage, "--replicates is an option of --method ssa");
      r.replicates = *a.replicates;
    }
  };
  if (!a.jobs.empty()) {
    if (!a.scenario.empty() || !a.model.empty()) throw Error(ErrorKind::Usage, "--jobs names its own models and scenarios");
    if (!a.plugins.plugins.empty() || !a.plugins.params.empty())
      throw Error(ErrorKind::Usage, "--jobs names its own plugins (a job's plugins, as batch runs them): --plugin and "
                                    "--plugin-param are not added to them");
    const batch::JobList list = batch::load_job_file(a.jobs);
    for (const batch::Job& job : list.jobs) {
      const std::string what = a.jobs + ": job '" + job.id + "'";
      if (job.kind == batch::JobKind::Sensitivities)
        throw Error(ErrorKind::Unsupported,
                    what + ": sensitivities have no SED-ML form axisim can run back: SED-ML (Level 1 Version 4) has no "
                           "simulation type that computes them, and its variable terms (KISAO:0000800-0000859) have none "
                           "for the derivative of an output by a parameter; KiSAO's 'sensitivity' (KISAO:0000650) says "
                           "neither of what by what nor scaled or not, and a Version 4 variable's symbol2 is read by "
                           "axisim run for rates of change in time only");
      if (job.ignore_fast) throw Error(ErrorKind::Unsupported, what + ": ignore_fast is not expressed in SED-ML");
      sedml::ExportRun r;
      r.id = job.id;
      r.model_path = job.model_path;
      r.set = job.set;
      r.options = job.options;
      r.plugins = plugin_records(job.plugins, PluginOptions{{}, a.plugins.dirs, {}});
      r.add_plugin_outputs = job.select_from_scenario;
      if (job.kind == batch::JobKind::Ssa) {
        r.stochastic = true;
        r.replicates = job.replicates;
      }
      if (job.kind == batch::JobKind::Steady) {
        r.steady = true;
        r.steady_options = job.steady;
      }
      if (job.output == batch::OutputMode::Final) r.reduction = sedml::ExportRun::Reduction::Final;
      if (job.output == batch::OutputMode::Summary) {
        r.reduction = sedml::ExportRun::Reduction::Summary;
        r.statistics = job.statistics;
      }
      for (const std::string& id : job.select) r.outputs.push_back({id});
      if (!job.add_select.empty()) {
        if (r.outputs.empty())
          throw Error(ErrorKind::Unsupported, what + ": add_select without select is not exported (name the columns with select)");
        for (const std::string& id : job.add_select)
          if (std::none_of(r.outputs.begin(), r.outputs.end(), [&](const OutputSpec& o) { return o.id == id; })) r.outputs.push_back({id});
      }
      apply_cli(r);
      runs.push_back(std::move(r));
    }
  } else {
    sedml::ExportRun r;
    if (!a.scenario.empty()) {
      const Scenario s = Scenario::load(a.scenario);
      if (s.ignore_fast) throw Error(ErrorKind::Unsupported, a.scenario + ": ignore_fast is not expressed in SED-ML");
      r.id = s.name;
      r.model_path = s.model_path;
      r.options = s.options;
      r.set = s.set;
      r.outputs = s.outputs();
      r.add_plugin_outputs = !r.outputs.empty();  // as simulate adds them to a scenario's select
      r.plugins = plugin_records(s.plugins, a.plugins);
    } else {
      r.plugins = plugin_records({}, a.plugins);
    }
    if (!a.model.empty()) r.model_path = a.model;
    if (r.model_path.empty()) throw Error(ErrorKind::Usage, "export needs a MODEL (or a --scenario that names one)");
    apply_cli(r);
    runs.push_back(std::move(r));
  }
  if (!a.sedml.empty()) sedml::export_sedml(runs, a.sedml);
  else sedml::export_omex(runs, a.omex);
  spdlog::info("wrote {} ({} run(s))", target, runs.size());
  return 0;
}

int run_export(const ExportArgs& a) {
  const int targets = !a.output.empty() + !a.sedml.empty() + !a.omex.empty();
  if (targets != 1) throw Error(ErrorKind::Usage, "export: give one of -o (SBML), --sedml or --omex");
  if (!a.sedml.empty() || !a.omex.empty()) return run_sedml_export(a);
  if (a.model.empty()) throw Error(ErrorKind::Usage, "export -o needs a MODEL");
  if (!a.scenario.empty() || !a.jobs.empty() || !a.select.empty() || a.start || a.end || a.steps || a.method != "ode" ||
      a.replicates || a.seed)
    throw Error(ErrorKind::Usage,
                "--scenario, --jobs, --select, --start, --end, --steps, --method, --replicates and --seed are options of "
                "--sedml/--omex");
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
      "export", "Write the model as SBML for other tools (-o): unchanged except for what the options ask, and "
                "only if libSBML finds it valid; or a run as a SED-ML experiment (--sedml), alone or in a "
                "COMBINE/OMEX archive with its models (--omex)");
  cmd->add_option("model", ex.model,
                  "SBML file (Level 1 to Level 3 Version 2); with --sedml/--omex also a SED-ML file or COMBINE "
                  "archive to write again, or none with --scenario/--jobs");
  cmd->add_option("-o,--output", ex.output, "SBML file to write (written whole or not at all)");
  cmd->add_option("--sedml", ex.sedml,
                  "Write the run as a SED-ML document (Level 1 Version 3) naming the model file by relative path");
  cmd->add_option("--omex", ex.omex, "Write the run as a COMBINE/OMEX archive: manifest, SED-ML and the model files");
  cmd->add_option("--scenario", ex.scenario, "With --sedml/--omex: export this scenario's run (as simulate --scenario)");
  cmd->add_option("--jobs", ex.jobs,
                  "With --sedml/--omex: export every time-course job of this batch job file, scans expanded, one task each");
  cmd->add_option("--start", ex.start, "With --sedml/--omex: first output time (as simulate)");
  cmd->add_option("--end", ex.end, "With --sedml/--omex: last output time (as simulate)");
  cmd->add_option("--steps", ex.steps, "With --sedml/--omex: output intervals (as simulate)");
  cmd->add_option("--method", ex.method, "With --sedml/--omex: ode (CVODE) or ssa (Gillespie's direct method), as simulate")
      ->check(CLI::IsMember({"ode", "ssa"}));
  cmd->add_option("--replicates", ex.replicates,
                  "With --method ssa: the number of runs, whose mean the SED-ML reports (as simulate's X-mean)");
  cmd->add_option("--seed", ex.seed, "With --sedml/--omex: the random seed (as simulate)");
  cmd->add_option("--select", ex.select, "With --sedml/--omex: output columns (as simulate; default all species)")
      ->delimiter(',');
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
  cmd->add_option("--atol", ex.atol, "Absolute integration tolerance for --at-time or the exported run (default 1e-12)");
  cmd->add_option("--rtol", ex.rtol, "Relative integration tolerance for --at-time or the exported run (default 1e-8)");
  cmd->add_flag("--flatten", ex.flatten, "Write a hierarchical (comp) model as one flat model");
  ex.plugins.add_to(*cmd);
  return [cmd, args] { return *cmd ? run_export(*args) : -1; };
}

}  // namespace axisim::cli
