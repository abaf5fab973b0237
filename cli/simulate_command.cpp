// axisim simulate: integrate a model and write its time course as CSV.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>

#include "analysis_options.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/logical.hpp"
#include "axisim/model.hpp"
#include "axisim/scenario.hpp"
#include "axisim/stochastic.hpp"
#include "axisim/stochastic_method.hpp"
#include "axisim/suite_settings.hpp"
#include "commands.hpp"
#include "stop_signals.hpp"
#include "plugin_options.hpp"

namespace axisim::cli {
namespace {

struct SimulateArgs {
  std::string model;
  std::optional<double> start, end, atol, rtol;
  std::optional<int> steps;
  std::vector<std::string> select, add_select, amounts, concentrations, set;
  std::string settings;
  std::string scenario;
  std::string output;
  PluginOptions plugins;
  bool ignore_recorded_plugins = false;
  LinearSolver linear_solver = LinearSolver::Auto;
  JacobianKind jacobian = JacobianKind::Auto;
  Backend backend = Backend::Auto;
  bool stats = false;
  bool ignore_fast = false;
  bool no_checks = false;
  bool reduce_moieties = false;
  // --method ssa: exact stochastic simulation (docs/stochastic.md); synchronous, asynchronous,
  // sequential, complete: a logical (qual) model's updating (docs/logical.md). Empty: ode, or synchronous
  // for a logical model.
  std::string method;
  std::optional<std::uint64_t> replicates;
  std::optional<std::uint64_t> seed;
  int threads = 1;
  bool all = false;
  std::optional<double> tau_epsilon;  // the leaping methods' error control
  std::optional<double> tau_delta;    // implicit and adaptive leaping: partial equilibrium
  std::optional<double> switch_tol;   // the hybrid method's coefficient-of-variation threshold
  std::optional<double> switch_min;   // the hybrid method's population threshold (instead)
  bool one_level = false;             // a logical model's species move one level per update (GINsim's)
};

// The approximate stochastic methods: the three tau-leaping methods and the continuous-discrete
// hybrid (docs/stochastic.md); with ssa, the stochastic ones.
bool is_leap_method(const std::string& m) {
  return m == "tau-leap" || m == "implicit-tau-leap" || m == "adaptive-tau-leap" || m == "hybrid";
}

// --stats: what the solver did, on stderr (the results go to stdout or the output file).
void print_stats(const SolverStats& s) {
  std::cerr << "solver statistics\n"
            << "  linear solver          " << s.linear_solver << "\n"
            << "  jacobian               " << s.jacobian << "\n"
            << "  back-end               " << s.backend << "\n"
            << "  steps                  " << s.steps << "\n"
            << "  rhs evaluations        " << s.rhs_evaluations << " (" << s.jacobian_rhs_evaluations
            << " for difference quotients)\n"
            << "  jacobian evaluations   " << s.jacobian_evaluations << "\n"
            << "  linear solver setups   " << s.linear_solver_setups << "\n"
            << "  newton iterations      " << s.newton_iterations << "\n"
            << "  linear iterations      " << s.linear_iterations << "\n"
            << "  error test failures    " << s.error_test_failures << "\n"
            << "  convergence failures   " << s.convergence_failures << "\n"
            << "  root stops             " << s.root_stops << "\n"
            << "  load seconds           " << s.load_seconds << "\n"
            << "  native compile seconds " << s.native_compile_seconds << "\n"
            << "  integration seconds    " << s.integration_seconds << "\n";
}

// --method ssa: one trajectory, or with --replicates N the mean and standard deviation of every
// output at every output time (X-mean, X-sd), or with --all every trajectory.
int run_ssa(const SimulateArgs& a, const Model& model, const SimulationOptions& options,
            const std::vector<OutputSpec>& outputs) {
  if (a.all && !a.replicates) throw Error(ErrorKind::Usage, "--all needs --replicates N");
  if (a.replicates && *a.replicates == 0) throw Error(ErrorKind::Usage, "--replicates must be at least 1");
  if (a.linear_solver != LinearSolver::Auto || a.jacobian != JacobianKind::Auto || a.atol || a.rtol)
    spdlog::warn("--atol, --rtol, --linear-solver and --jacobian do not apply to --method {} ({})", a.method,
                 a.method == "hybrid" ? "its integration's tolerances are fixed: relative 1e-8, absolute 1e-10 molecules"
                                      : "it solves no ODEs");
  StochasticOptions so;
  so.method = *stochastic_method_from_name(a.method);  // --method is one of the names (IsMember)
  if (a.switch_tol) so.switch_tol = *a.switch_tol;
  if (a.switch_min) so.switch_min = *a.switch_min;
  if (a.tau_epsilon) so.tau_epsilon = *a.tau_epsilon;
  if (a.tau_delta) so.tau_delta = *a.tau_delta;
  so.start = options.start;
  so.end = options.end;
  so.steps = options.steps;
  so.seed = options.seed;
  so.threads = a.threads;
  const StochasticSimulator ssa(model, outputs, a.backend);
  StochasticStats stats;
  Result result;
  so.stop = options.stop;
  try {
    if (!a.replicates) result = ssa.trajectory(so, 0, &stats);
    else if (a.all) result = ssa.trajectories(so, 0, *a.replicates, &stats);
    else result = ssa.statistics(so, 0, *a.replicates, &stats).table();
  } catch (const Stopped& s) {
    throw Stopped(s.signal(), std::string(s.what()) + "; nothing was written");
  }
  if (a.stats)
    std::cerr << "stochastic simulation statistics\n"
              << "  method                 "
              << stochastic_method_description(so.method) << ", "
              << stats.selection << "\n"
              << "  back-end               " << stats.backend << "\n"
              << "  replicates             " << stats.replicates << "\n"
              << "  reaction firings       " << stats.firings << "\n"
              << "  event executions       " << stats.events << "\n"
              << "  leaps                  " << stats.leaps << " (" << stats.implicit_leaps << " implicit)\n"
              << "  seconds                " << stats.seconds << "\n"
              << "  firings per second     " << (stats.seconds > 0 ? static_cast<double>(stats.firings) / stats.seconds : 0.0)
              << "\n";
  if (a.output.empty() || a.output == "-") write_csv(result, std::cout);
  else write_csv_file(result, a.output);
  return 0;
}

// The output columns: `outputs` (a scenario's or settings file's list, or empty for the default)
// replaced by --select, then --add-select (and "+ID" entries of --select) appended to it. A list
// that came from a file is the file's choice, not the user's: the attached plugins' outputs it
// does not name are added, and said so (a plugin attached and silently absent from the results
// looks like a plugin that does nothing).
void select_columns(const Model& model, const std::vector<std::string>& select, const std::vector<std::string>& add_select,
                    std::vector<OutputSpec>& outputs, const char* whose) {
  std::vector<std::string> replace, add;
  for (const std::string& id : select) {
    if (!id.empty() && id[0] == '+') add.push_back(id.substr(1));
    else replace.push_back(id);
  }
  add.insert(add.end(), add_select.begin(), add_select.end());
  auto listed = [&](const std::string& id) {
    return std::any_of(outputs.begin(), outputs.end(), [&](const OutputSpec& o) { return o.id == id; });
  };
  if (!replace.empty()) {
    outputs.clear();
    for (const std::string& id : replace) outputs.push_back({id});
  } else if (!outputs.empty()) {
    std::string added;
    for (const Model::AttachedPlugin& p : model.plugins())
      for (const std::string& out : p.outputs)
        if (!listed(p.name + "." + out)) {
          outputs.push_back({p.name + "." + out});
          added += (added.empty() ? "" : ", ") + p.name + "." + out;
        }
    if (!added.empty())
      spdlog::info("{} select does not list the attached plugins' outputs {}: added (--select ID,... chooses the "
                   "columns yourself)", whose, added);
  }
  if (add.empty()) return;
  if (outputs.empty()) {  // the default columns, made explicit to add to them
    for (const std::string& id : model.ids())
      if (model.kind(id) == SymbolKind::Species) outputs.push_back({id});
    for (const Model::AttachedPlugin& p : model.plugins())
      for (const std::string& out : p.outputs) outputs.push_back({p.name + "." + out});
  }
  for (const std::string& id : add)
    if (!listed(id)) outputs.push_back({id});
}

bool is_logical_method(const std::string& m) {
  return m == "synchronous" || m == "asynchronous" || m == "sequential" || m == "complete";
}

// A logical (SBML qual) model: levels updated step by step, time counting the updates (docs/logical.md).
int run_logical(const SimulateArgs& a, const std::string& text) {
  const std::string method = a.method.empty() ? "synchronous" : a.method;
  if (!a.scenario.empty() || !a.settings.empty())
    throw Error(ErrorKind::Usage, "--scenario and --settings describe continuous runs; a logical model takes --steps, --start, --end, --set, --select and --seed");
  if (a.atol || a.rtol || a.replicates || a.all || a.threads != 1 || !a.amounts.empty() || !a.concentrations.empty() ||
      a.reduce_moieties || a.ignore_fast || !a.add_select.empty())
    throw Error(ErrorKind::Usage, "--method " + method +
                                      " runs a logical model: --atol, --rtol, --replicates, --all, -j, --amounts, --concentrations, "
                                      "--reduce-moieties, --ignore-fast and --add-select do not apply");
  LogicalModel model = LogicalModel::from_string(text, a.model, !a.no_checks);
  for (const std::string& s : a.set) {
    const auto [id, value] = parse_assignment(s, "--set");
    const double r = std::round(value);
    if (r != value) throw Error(ErrorKind::Usage, "--set " + s + ": a qualitative species' level is a whole number");
    model.set_initial_level(id, static_cast<int>(r));
  }
  LogicalOptions o;
  o.update = method == "asynchronous" ? LogicalUpdate::Asynchronous
             : method == "sequential" ? LogicalUpdate::Sequential
             : method == "complete"   ? LogicalUpdate::Complete
                                      : LogicalUpdate::Synchronous;
  if (a.seed) o.seed = *a.seed;
  o.one_level = a.one_level;
  // Time counts updates: --end defaults to --steps (one row per update) and --steps to the span.
  if (a.start) o.start = *a.start;
  o.end = a.end ? *a.end : o.start + (a.steps ? *a.steps : 100);
  o.steps = a.steps ? *a.steps : static_cast<int>(std::lround(o.end - o.start));
  std::vector<std::string> outputs;
  for (const std::string& id : a.select) outputs.push_back(!id.empty() && id[0] == '+' ? id.substr(1) : id);
  spdlog::debug("logical run of {}: {} updating, updates {} to {} in {} output intervals", a.model, to_string(o.update),
                o.start, o.end, o.steps);
  const Result result = model.simulate(o, outputs);
  if (a.stats)
    std::cerr << "logical run\n  updating " << to_string(o.update) << "\n  seconds  " << result.stats.integration_seconds << "\n";
  if (a.output.empty() || a.output == "-") write_csv(result, std::cout);
  else write_csv_file(result, a.output);
  return 0;
}

int run_simulate(const SimulateArgs& a) {
  // A logical (qual) model runs by its own updating schemes; an ODE or SSA method does not apply.
  if (!a.model.empty() && a.scenario.empty() && (a.method.empty() || is_logical_method(a.method))) {
    std::ifstream in(a.model, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    const bool logical = in && LogicalModel::is_logical(text.str());
    if (logical) return run_logical(a, text.str());
    if (is_logical_method(a.method))
      throw Error(ErrorKind::Usage, "--method " + a.method + " updates a logical (SBML qual) model; " + a.model +
                                        " is not one (use --method ode or ssa)");
  } else if (!a.model.empty() && (a.method == "ode" || a.method == "ssa" || is_leap_method(a.method))) {
    std::ifstream in(a.model, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (in && LogicalModel::is_logical(text.str()))
      throw Error(ErrorKind::Usage, "--method " + a.method + " does not apply to " + a.model +
                                        ", a logical (SBML qual) model: use --method synchronous, asynchronous or sequential "
                                        "(docs/logical.md)");
  }
  if (is_logical_method(a.method))
    throw Error(ErrorKind::Usage, "--method " + a.method + " updates a logical (SBML qual) model given as MODEL, not a scenario");
  if (a.one_level)
    throw Error(ErrorKind::Usage, "--one-level-per-update moves the species of a logical (SBML qual) model given as MODEL; " +
                                      (a.model.empty() ? std::string("there is none") : a.model + " is not one"));
  SimulationOptions options;
  std::vector<OutputSpec> outputs;
  std::optional<Scenario> scenario;
  std::string model_path = a.model;
  if (!a.scenario.empty()) {
    scenario = Scenario::load(a.scenario);
    options = scenario->options;
    outputs = scenario->outputs();
    if (model_path.empty()) model_path = scenario->model_path;
  }
  if (model_path.empty())
    throw Error(ErrorKind::Usage, "simulate needs a MODEL (or a --scenario file that names one)");
  if (!a.settings.empty()) {
    const auto settings = SuiteSettings::parse_file(a.settings);
    options = settings.simulation_options();
    outputs = settings.outputs();
  }
  if (a.start) options.start = *a.start;
  if (a.end) options.end = *a.end;
  if (a.steps) options.steps = *a.steps;
  if (a.atol) options.atol = *a.atol;
  if (a.rtol) options.rtol = *a.rtol;
  options.linear_solver = a.linear_solver;
  options.jacobian = a.jacobian;
  if (a.seed) options.seed = *a.seed;
  // SIGTERM or SIGINT stops the run (every 64 right-hand sides, every 4,096 stochastic steps):
  // no output is written, and the exit code is 128 + the signal (main.cpp).
  options.stop = install_stop_signals();
  options.reduce_moieties = options.reduce_moieties || a.reduce_moieties;

  LoadOptions load;
  load.backend = a.backend;
  load.validate = !a.no_checks;
  load.ignore_fast = a.ignore_fast || (scenario && scenario->ignore_fast);
  Model model = Model::from_file(model_path, load);
  if (scenario) scenario->apply(model);
  a.plugins.attach(model, scenario ? scenario->plugins : std::vector<PluginRequest>{});
  if (!a.ignore_recorded_plugins) a.plugins.attach_recorded(model);
  for (const std::string& s : a.set) {
    const auto [id, value] = parse_assignment(s, "--set");
    model.set_value(id, value);
  }
  select_columns(model, a.select, a.add_select, outputs, scenario ? "the scenario's" : "the settings'");
  if (outputs.empty() && (!a.amounts.empty() || !a.concentrations.empty())) {
    for (const std::string& id : model.ids())
      if (model.kind(id) == SymbolKind::Species) outputs.push_back({id});
  }
  auto mark = [&](const std::vector<std::string>& ids, Quantity q, const char* flag) {
    for (const std::string& id : ids) {
      bool found = false;
      for (auto& o : outputs)
        if (o.id == id) { o.quantity = q; found = true; }
      if (!found) throw Error(ErrorKind::Usage, std::string(flag) + " names '" + id + "', which is not an output column");
    }
  };
  mark(a.amounts, Quantity::Amount, "--amounts");
  mark(a.concentrations, Quantity::Concentration, "--concentrations");

  const bool stochastic = a.method == "ssa" || is_leap_method(a.method);
  if (stochastic && a.reduce_moieties) throw Error(ErrorKind::Usage, "--reduce-moieties is an option of --method ode");
  // Options of a stochastic method that the chosen method does not use are refused; every one of
  // them with --method ode (or none), which uses none of them, as with ssa.
  check_stochastic_option_use(stochastic ? *stochastic_method_from_name(a.method) : StochasticMethod::Exact,
                              {.tau_epsilon = a.tau_epsilon.has_value(), .tau_delta = a.tau_delta.has_value(),
                               .switch_tol = a.switch_tol.has_value(), .switch_min = a.switch_min.has_value()},
                              OptionSpelling::Cli);
  if (stochastic) return run_ssa(a, model, options, outputs);
  if (a.replicates || a.all || a.threads != 1)
    throw Error(ErrorKind::Usage, "--replicates, --all and -j are options of --method ssa");

  spdlog::debug("simulating {} from {} to {} in {} steps (atol {}, rtol {})", model_path, options.start, options.end,
                options.steps, options.atol, options.rtol);
  const Result result = model.simulate(options, outputs);
  if (result.stopped) throw Stopped(result.stopped, result.error + "; nothing was written");
  spdlog::debug("{} steps, {} right-hand side evaluations", result.stats.steps, result.stats.rhs_evaluations);
  if (a.stats) print_stats(result.stats);
  if (a.output.empty() || a.output == "-") write_csv(result, std::cout);
  else write_csv_file(result, a.output);
  if (!result.error.empty()) {
    // A plugin fault: the rows so far are written (whole), and the run reports what stopped it.
    spdlog::error("{} (results up to t = {} were written)", result.error,
                  result.rows() > 0 ? result.at(result.rows() - 1, 0) : options.start);
    return exit_code_for(ErrorKind::Plugin);
  }
  return 0;
}

}  // namespace

Runner add_simulate_command(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  SimulateArgs& sim = *args;
  CLI::App* cmd = app.add_subcommand("simulate", "Integrate an SBML model and write a CSV time course");
  cmd->add_option("model", sim.model, "SBML file (Level 1 to Level 3 Version 2); optional with a --scenario that names one");
  cmd->add_option("--scenario", sim.scenario,
                  "Scenario file (TOML): model, time span and grid, parameter and initial-value settings, outputs; "
                  "other options given here override it");
  cmd->add_option("--start", sim.start, "First output time (the model starts at time 0; default 0)");
  cmd->add_option("--end", sim.end, "Last output time (default 10)");
  cmd->add_option("--steps", sim.steps, "Number of output intervals; steps + 1 rows (default 100)");
  cmd->add_option("--atol", sim.atol, "Absolute integration tolerance (default 1e-12, or settings' absolute/100)");
  cmd->add_option("--rtol", sim.rtol, "Relative integration tolerance (default 1e-8, or settings' relative/100)");
  cmd->add_option("--select", sim.select, "Output columns: ids of species, compartments, parameters, "
                                          "species references, reactions, PLUGIN.STATE or PLUGIN.OUTPUT (default: all species and the "
                                          "attached plugins' outputs; a scenario's select plus the attached plugins' outputs); "
                                          "replaces the scenario's list")
      ->delimiter(',');
  cmd->add_option("--add-select", sim.add_select,
                  "Output columns to add to the scenario's or settings' list (or to the default columns); "
                  "--select +ID does the same")
      ->delimiter(',');
  cmd->add_option("--amounts", sim.amounts, "Species to report as amounts")->delimiter(',');
  cmd->add_option("--concentrations", sim.concentrations, "Species to report as concentrations")->delimiter(',');
  cmd->add_option("--set", sim.set, "Set an initial value: ID=VALUE, or PLUGIN.STATE=VALUE for an attached plugin's state (repeatable)");
  cmd->add_option("--settings", sim.settings,
                  "SBML Test Suite settings file: sets start, duration, steps, variables, amounts and "
                  "concentrations, and integration tolerances 1e-4 times its absolute and relative values");
  cmd->add_option("-o,--output", sim.output, "Output CSV (default: stdout); written whole or not at all");
  sim.plugins.add_to(*cmd);
  add_solver_options(*cmd, sim.linear_solver, sim.jacobian);
  cmd->add_option("--backend", sim.backend,
                  "How formulas run: interpreter, native (C compiled at load) or auto (native in the "
                  "background for large models)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, Backend>{
          {"auto", Backend::Auto}, {"interpreter", Backend::Interpreter}, {"native", Backend::Native}}));
  cmd->add_flag("--stats", sim.stats, "Print the solver's statistics and timings to stderr");
  cmd->add_flag("--no-checks", sim.no_checks,
                "Skip libSBML's consistency checks at load (axisim still refuses what it cannot resolve); they "
                "grow faster than linearly and take most of the load time of models with thousands of reactions");
  cmd->add_flag("--ignore-recorded-plugins", sim.ignore_recorded_plugins,
                "Do not attach the plugins the model file records (an axisim export annotation)");
  cmd->add_option("--method", sim.method,
                  "ode (deterministic, CVODE; the default) or ssa (exact stochastic simulation, Gillespie's direct "
                  "method; species as molecule counts; docs/stochastic.md), tau-leap (approximate stochastic "
                  "simulation, Cao-Gillespie-Petzold adaptive tau-leaping; faster where many reactions fire), "
                  "implicit-tau-leap (implicit tau-leaping, for stiff models: long leaps over fast reversible reactions, "
                  "whose fluctuations it damps), adaptive-tau-leap (explicit or implicit leaps, whichever the "
                  "stiffness calls for), hybrid (species with small relative noise continuous, the reactions among them "
                  "integrated as ODEs, the others fired one by one; GillesPy2's TauHybridSolver); for a logical (SBML "
                  "qual) model "
                  "synchronous (its default), asynchronous (one species at random per update; --seed), sequential or "
                  "complete (a random non-empty set of the species that would change, per update; --seed) (docs/logical.md)")
      ->check(CLI::IsMember({"ode", "ssa", "tau-leap", "implicit-tau-leap", "adaptive-tau-leap", "hybrid", "synchronous",
                             "asynchronous", "sequential", "complete"}));
  cmd->add_option("--tau-epsilon", sim.tau_epsilon,
                  "With --method tau-leap, implicit-tau-leap or adaptive-tau-leap: the error control epsilon (default "
                  "0.03): a leap changes no propensity by much more than epsilon times itself; with --method hybrid: "
                  "the species are classified again once a continuous one has changed by about epsilon of itself")
      ->check(CLI::Range(1e-9, 0.999999));
  cmd->add_option("--tau-delta", sim.tau_delta,
                  "With --method implicit-tau-leap or adaptive-tau-leap: a reversible pair is in partial equilibrium "
                  "(and does not bound the implicit step) when its propensities differ by at most delta times the "
                  "smaller (default 0.05)")
      ->check(CLI::Range(1e-9, 0.999999));
  cmd->add_option("--switch-tol", sim.switch_tol,
                  "With --method hybrid: a species is continuous while the coefficient of variation of its next value, "
                  "estimated from the propensities and averaged over its last 12 estimates, is below this (default 0.03)")
      ->check(CLI::Range(1e-9, 0.999999));
  cmd->add_option("--switch-min", sim.switch_min,
                  "With --method hybrid: instead of --switch-tol, a species is continuous while its expected next "
                  "value is above this many molecules (GillesPy2's switch_min)")
      ->check(CLI::Range(1e-9, 1e300));
  cmd->add_option("--replicates", sim.replicates,
                  "With --method ssa: run N replicates and write the mean and standard deviation of every output "
                  "at every output time (columns X-mean, X-sd)");
  cmd->add_option("--seed", sim.seed,
                  "Random seed (default 24301); replicate r draws from a stream derived from the seed and r alone");
  cmd->add_flag("--one-level-per-update", sim.one_level,
                "Logical model: a multi-valued species moves one level towards its target per update, as GINsim "
                "does, instead of straight to it (SBML qual's assignmentLevel, the default); Boolean models are the same");
  cmd->add_option("-j,--jobs", sim.threads, "With --method ssa: run replicates on N threads (same results for any N)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--all", sim.all,
                "With --method ssa --replicates N: write every trajectory (columns replicate, time, outputs) "
                "instead of the statistics");
  cmd->add_flag("--reduce-moieties", sim.reduce_moieties,
                "Integrate the reduced system: one species per conservation law (axisim moieties) is computed "
                "from its law instead of integrated; same results to the tolerances");
  cmd->add_flag("--ignore-fast", sim.ignore_fast,
                "Integrate reactions marked fast as ordinary kinetics instead of holding them at rapid "
                "equilibrium (for models an exporter marked all fast)");
  return [cmd, args] { return *cmd ? run_simulate(*args) : -1; };
}

}  // namespace axisim::cli
