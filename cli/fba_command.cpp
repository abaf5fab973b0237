// axisim fba: flux balance analysis of an fbc model; writes the fluxes and objective value as
// one CSV row under a header of ids (the SBML Test Suite's FluxBalanceSteadyState layout).
// --pfba reports the parsimonious fluxes in the same layout; --fva writes one row per reaction,
// "reaction,minimum,maximum".
#include <iostream>
#include <memory>
#include <sstream>

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
  bool fva = false;
  bool pfba = false;
  double fraction = 1.0;
  const CLI::Option* fraction_option = nullptr;  // given on the command line when its count() > 0
};

int run_fva(const FbaArgs& a, const std::vector<std::string>& reactions, const FbaOptions& options) {
  const FvaResult fva = flux_variability(a.model, reactions, options);
  if (!fva.feasible) spdlog::warn("{}; writing NaN for every value", fva.infeasibility);
  else
    spdlog::info("objective '{}' ({}): optimum {}, held at {} for the ranges", fva.objective_id,
                 fva.maximize ? "maximize" : "minimize", format_number(fva.objective), format_number(fva.objective_bound));
  std::ostringstream text;
  text << "reaction,minimum,maximum\n";
  for (std::size_t i = 0; i < fva.ids.size(); ++i)
    text << fva.ids[i] << ',' << format_number(fva.minimum[i]) << ',' << format_number(fva.maximum[i]) << '\n';
  if (a.output.empty() || a.output == "-") std::cout << text.str();
  else write_file_atomic(a.output, text.str());
  return 0;
}

int run_fba(const FbaArgs& a) {
  std::vector<std::string> outputs;
  if (!a.settings.empty()) outputs = SuiteSettings::parse_file(a.settings).variables;
  if (!a.select.empty()) outputs = a.select;

  FbaOptions options;
  options.infeasible_as_nan = a.infeasible_as_nan;
  if (a.fraction_option && a.fraction_option->count() > 0) {
    if (!a.fva && !a.pfba)
      throw Error(ErrorKind::InvalidSbml, "--fraction-of-optimum applies to --fva and --pfba only");
    options.fraction_of_optimum = a.fraction;
  }
  if (a.fva) return run_fva(a, outputs, options);
  if (a.pfba) options.method = FbaMethod::Parsimonious;
  const FbaResult fba = solve_fba(a.model, outputs, options);
  if (!fba.feasible) spdlog::warn("{}; writing NaN for every value", fba.infeasibility);
  else if (a.pfba)
    spdlog::info("objective '{}' ({}): {}; least total absolute flux {}", fba.objective_id,
                 fba.maximize ? "maximize" : "minimize", format_number(fba.objective), format_number(fba.total_flux));
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
  auto* fva = cmd->add_flag("--fva", fba.fva,
                            "Flux variability analysis: the least and greatest flux of each reaction (--select: "
                            "reactions only) with the objective held at its optimum; one row per reaction, "
                            "'reaction,minimum,maximum'");
  auto* pfba = cmd->add_flag("--pfba", fba.pfba,
                             "Parsimonious FBA: of the flux vectors with the objective held at its optimum, the one "
                             "of least total absolute flux; same columns as plain FBA");
  fva->excludes(pfba);
  fba.fraction_option = cmd->add_option("--fraction-of-optimum", fba.fraction,
                  "With --fva or --pfba: hold the objective within this fraction of its optimum instead (0 to 1, "
                  "default 1; e.g. 0.9 keeps a maximised objective at 90% of its optimum or more)");
  return [cmd, args] { return *cmd ? run_fba(*args) : -1; };
}

}  // namespace axisim::cli
