// axisim fba: flux balance analysis of an fbc model; writes the fluxes and objective value as
// one CSV row under a header of ids (the SBML Test Suite's FluxBalanceSteadyState layout).
#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/fba.hpp"
#include "axisim/result.hpp"
#include "axisim/suite_settings.hpp"
#include "commands.hpp"

namespace axisim::cli {
namespace {

struct FbaArgs {
  std::string model;
  std::string settings;
  std::vector<std::string> select;
  std::string output;
  bool infeasible_as_nan = false;
};

int run_fba(const FbaArgs& a) {
  std::vector<std::string> outputs;
  if (!a.settings.empty()) outputs = SuiteSettings::parse_file(a.settings).variables;
  if (!a.select.empty()) outputs = a.select;

  FbaOptions options;
  options.infeasible_as_nan = a.infeasible_as_nan;
  const FbaResult fba = solve_fba(a.model, outputs, options);
  if (!fba.feasible) spdlog::warn("{}; writing NaN for every value", fba.infeasibility);
  else
    spdlog::debug("objective '{}' ({}): {}", fba.objective_id, fba.maximize ? "maximize" : "minimize",
                  format_number(fba.objective));

  Result table(fba.ids);
  table.append_row(fba.values);
  if (a.output.empty() || a.output == "-") write_csv(table, std::cout);
  else write_csv_file(table, a.output);
  return 0;
}

}  // namespace

Runner add_fba_command(CLI::App& app) {
  auto args = std::make_shared<FbaArgs>();
  FbaArgs& fba = *args;
  CLI::App* cmd = app.add_subcommand(
      "fba", "Flux balance analysis of an fbc model: optimise its active objective, write fluxes as one CSV row");
  cmd->add_option("model", fba.model, "SBML Level 3 file using the fbc package (Version 1 or 2)")->required();
  cmd->add_option("--settings", fba.settings,
                  "SBML Test Suite settings file: its 'variables' (reaction and objective ids) are the columns");
  cmd->add_option("--select", fba.select,
                  "Output columns: reaction ids (fluxes) and objective ids (default: every reaction, then the "
                  "active objective)")
      ->delimiter(',');
  cmd->add_option("-o,--output", fba.output, "Output CSV (default: stdout); written whole or not at all");
  cmd->add_flag("--infeasible-as-nan", fba.infeasible_as_nan,
                "If no flux distribution meets the constraints, write NaN for every column and exit 0 (the "
                "SBML Test Suite's convention) instead of failing with exit code 5");
  return [cmd, args] { return *cmd ? run_fba(*args) : -1; };
}

}  // namespace axisim::cli
