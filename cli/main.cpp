// axisim — command-line front end. Every command is a thin layer over the runtime's API.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/suite_settings.hpp"
#include "axisim/validation.hpp"

namespace {

struct SimulateArgs {
  std::string model;
  std::optional<double> start, end, atol, rtol;
  std::optional<int> steps;
  std::vector<std::string> select, amounts, concentrations, set;
  std::string settings;
  std::string output;
};

// "--set k1=0.5": an initial value override.
std::pair<std::string, double> parse_assignment(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw axisim::Error(axisim::ErrorKind::Usage, "--set expects ID=VALUE, got '" + text + "'");
  const std::string value = text.substr(eq + 1);
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0')
    throw axisim::Error(axisim::ErrorKind::Usage, "--set " + text + ": '" + value + "' is not a number");
  return {text.substr(0, eq), v};
}

int run_simulate(const SimulateArgs& a) {
  axisim::SimulationOptions options;
  std::vector<axisim::OutputSpec> outputs;
  if (!a.settings.empty()) {
    const auto settings = axisim::SuiteSettings::parse_file(a.settings);
    options = settings.simulation_options();
    outputs = settings.outputs();
  }
  if (a.start) options.start = *a.start;
  if (a.end) options.end = *a.end;
  if (a.steps) options.steps = *a.steps;
  if (a.atol) options.atol = *a.atol;
  if (a.rtol) options.rtol = *a.rtol;

  axisim::Model model = axisim::Model::from_file(a.model);
  for (const std::string& s : a.set) {
    const auto [id, value] = parse_assignment(s);
    model.set_value(id, value);
  }
  if (!a.select.empty()) {
    outputs.clear();
    for (const std::string& id : a.select) outputs.push_back({id});
  }
  if (outputs.empty() && (!a.amounts.empty() || !a.concentrations.empty())) {
    for (const std::string& id : model.ids())
      if (model.kind(id) == axisim::SymbolKind::Species) outputs.push_back({id});
  }
  auto mark = [&](const std::vector<std::string>& ids, axisim::Quantity q, const char* flag) {
    for (const std::string& id : ids) {
      bool found = false;
      for (auto& o : outputs)
        if (o.id == id) { o.quantity = q; found = true; }
      if (!found) throw axisim::Error(axisim::ErrorKind::Usage, std::string(flag) + " names '" + id + "', which is not an output column");
    }
  };
  mark(a.amounts, axisim::Quantity::Amount, "--amounts");
  mark(a.concentrations, axisim::Quantity::Concentration, "--concentrations");

  spdlog::debug("simulating {} from {} to {} in {} steps (atol {}, rtol {})", a.model, options.start, options.end,
                options.steps, options.atol, options.rtol);
  const axisim::Result result = model.simulate(options, outputs);
  spdlog::debug("{} steps, {} right-hand side evaluations", result.stats.steps, result.stats.rhs_evaluations);
  if (a.output.empty() || a.output == "-") axisim::write_csv(result, std::cout);
  else axisim::write_csv_file(result, a.output);
  return 0;
}

const char* severity_name(axisim::Diagnostic::Severity s) {
  switch (s) {
    case axisim::Diagnostic::Severity::Info: return "info";
    case axisim::Diagnostic::Severity::Warning: return "warning";
    case axisim::Diagnostic::Severity::Error: return "error";
    case axisim::Diagnostic::Severity::Fatal: return "fatal";
  }
  return "?";
}

int run_validate(const std::string& path) {
  const auto diagnostics = axisim::validate_file(path);
  int errors = 0, warnings = 0;
  for (const auto& d : diagnostics) {
    if (d.severity >= axisim::Diagnostic::Severity::Error) ++errors;
    if (d.severity == axisim::Diagnostic::Severity::Warning) ++warnings;
    std::cout << path << ":" << d.line << ":" << d.column << ": " << severity_name(d.severity) << ": [" << d.category
              << " " << d.code << "] " << d.message << "\n";
  }
  std::cout << path << ": " << errors << " error(s), " << warnings << " warning(s)\n";
  return errors > 0 ? axisim::exit_code_for(axisim::ErrorKind::InvalidSbml) : 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("axisim");
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);

  CLI::App app{"axisim: simulate SBML models of the gut-liver-IGF-1 axis and beyond"};
  app.require_subcommand(1);
  app.fallthrough();  // --verbose and --quiet may follow the subcommand
  bool verbose = false, quiet = false;
  app.add_flag("-v,--verbose", verbose, "Log debug detail to stderr");
  app.add_flag("-q,--quiet", quiet, "Log only errors");

  SimulateArgs sim;
  CLI::App* simulate = app.add_subcommand("simulate", "Integrate an SBML model and write a CSV time course");
  simulate->add_option("model", sim.model, "SBML file (Level 1 to Level 3 Version 2)")->required();
  simulate->add_option("--start", sim.start, "First output time (the model starts at time 0; default 0)");
  simulate->add_option("--end", sim.end, "Last output time (default 10)");
  simulate->add_option("--steps", sim.steps, "Number of output intervals; steps + 1 rows (default 100)");
  simulate->add_option("--atol", sim.atol, "Absolute integration tolerance (default 1e-12, or settings' absolute/100)");
  simulate->add_option("--rtol", sim.rtol, "Relative integration tolerance (default 1e-8, or settings' relative/100)");
  simulate->add_option("--select", sim.select, "Output columns: ids of species, compartments, parameters, "
                                               "species references or reactions (default: all species)")
      ->delimiter(',');
  simulate->add_option("--amounts", sim.amounts, "Species to report as amounts")->delimiter(',');
  simulate->add_option("--concentrations", sim.concentrations, "Species to report as concentrations")->delimiter(',');
  simulate->add_option("--set", sim.set, "Set an initial value: ID=VALUE (repeatable)");
  simulate->add_option("--settings", sim.settings,
                       "SBML Test Suite settings file: sets start, duration, steps, variables, amounts and "
                       "concentrations, and tolerances a hundredth of its absolute and relative values");
  simulate->add_option("-o,--output", sim.output, "Output CSV (default: stdout); written whole or not at all");

  std::string validate_path;
  CLI::App* validate = app.add_subcommand("validate", "Run libSBML's consistency checks, units included");
  validate->add_option("model", validate_path, "SBML file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : axisim::exit_code_for(axisim::ErrorKind::Usage);
  }
  spdlog::set_level(quiet ? spdlog::level::err : verbose ? spdlog::level::debug : spdlog::level::info);
  if (const char* trace = std::getenv("AXISIM_TRACE"); trace && *trace) spdlog::set_level(spdlog::level::trace);

  try {
    if (*simulate) return run_simulate(sim);
    if (*validate) return run_validate(validate_path);
  } catch (const axisim::Error& e) {
    spdlog::error("{}", e.what());
    return axisim::exit_code_for(e.kind());
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
    return 1;
  }
  return 0;
}
