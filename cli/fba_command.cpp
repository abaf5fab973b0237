// axisim fba: flux balance analysis of an fbc model; writes the fluxes and objective value as
// one CSV row under a header of ids (the SBML Test Suite's FluxBalanceSteadyState layout).
// --pfba reports the parsimonious fluxes in the same layout; --fva writes one row per reaction,
// "reaction,minimum,maximum"; --duals writes the reduced cost of each reaction and the shadow price
// of each species, one row each, "element,id,dual" (plain FBA's, or with --pfba pFBA's final
// program's); --dynamic runs a dynamic FBA (a description file with the medium and the uptake
// kinetics) and writes a time course, "time" first.
#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "axisim/csv.hpp"
#include "axisim/dynamic_fba.hpp"
#include "axisim/error.hpp"
#include "axisim/fba.hpp"
#include "axisim/result.hpp"
#include "axisim/suite_settings.hpp"
#include "commands.hpp"
#include "stop_signals.hpp"

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
  bool duals = false;
  bool fewest_active = false;
  bool geometric = false;
  std::string loopless;  // "" (not asked), "heuristic" or "exact"
  double fraction = 1.0;
  double pfba_factor = 0.0;
  const CLI::Option* pfba_factor_option = nullptr;
  const CLI::Option* fraction_option = nullptr;  // given on the command line when its count() > 0
  // Dynamic FBA.
  std::string dynamic;
  double start = 0.0;
  double until = 0.0;
  int points = 100;
  double step = 0.0;
  const CLI::Option* until_option = nullptr;
  const CLI::Option* start_option = nullptr;
  const CLI::Option* points_option = nullptr;
  const CLI::Option* step_option = nullptr;
};

// Dynamic FBA: the description's batch or fed-batch culture from --start to --until, one row per output time.
int run_dynamic(const FbaArgs& a, const std::vector<std::string>& outputs) {
  if (!a.until_option || a.until_option->count() == 0)
    throw Error(ErrorKind::Usage, "--dynamic needs --until (the end time)");
  if (a.infeasible_as_nan)
    throw Error(ErrorKind::Usage, "--infeasible-as-nan does not apply to --dynamic (the description's 'infeasible' "
                                  "says what an infeasible problem does)");
  DfbaDescription d = read_dfba_description(a.dynamic);
  if (a.step_option && a.step_option->count() > 0) {
    if (!(a.step > 0)) throw Error(ErrorKind::Usage, "--step must be above 0");
    d.step = a.step;
  }
  DfbaOptions options;
  options.stop = install_stop_signals();
  const Result r = dynamic_fba(a.model, d, {a.start, a.until, a.points}, outputs, options);
  if (a.output.empty() || a.output == "-") write_csv(r, std::cout);
  else write_csv_file(r, a.output);
  return 0;
}

int run_fva(const FbaArgs& a, const std::vector<std::string>& reactions, const FbaOptions& options) {
  const FvaResult fva = flux_variability(a.model, reactions, options);
  if (!fva.feasible) spdlog::warn("{}; writing NaN for every value", fva.infeasibility);
  else
    spdlog::info("objective '{}' ({}): optimum {}, held at {} for the ranges{}", fva.objective_id,
                 fva.maximize ? "maximize" : "minimize", format_number(fva.objective), format_number(fva.objective_bound),
                 options.pfba_factor != 0.0 ? ", total absolute flux at most " + format_number(fva.total_flux_bound) : "");
  std::ostringstream text;
  text << "reaction,minimum,maximum\n";
  for (std::size_t i = 0; i < fva.ids.size(); ++i)
    text << fva.ids[i] << ',' << format_number(fva.minimum[i]) << ',' << format_number(fva.maximum[i]) << '\n';
  if (a.output.empty() || a.output == "-") std::cout << text.str();
  else write_file_atomic(a.output, text.str());
  return 0;
}

// Plain FBA's or pFBA's duals: every reaction's reduced cost, then every species' shadow price,
// or those of the ids selected (each a reaction or a species).
int run_duals(const FbaArgs& a, const std::vector<std::string>& ids, const FbaOptions& options) {
  const FbaResult fba = solve_fba(a.model, {}, options);
  if (!fba.feasible) spdlog::warn("{}; writing NaN for every value", fba.infeasibility);
  else if (options.method == FbaMethod::Parsimonious)
    spdlog::info("objective '{}' ({}): {}; the duals are those of the least total absolute flux, {}", fba.objective_id,
                 fba.maximize ? "maximize" : "minimize", format_number(fba.objective), format_number(fba.total_flux));
  else
    spdlog::info("objective '{}' ({}): {}", fba.objective_id, fba.maximize ? "maximize" : "minimize",
                 format_number(fba.objective));
  std::ostringstream text;
  text << "element,id,dual\n";
  auto row = [&](const char* element, const std::string& id, double v) {
    text << element << ',' << id << ',' << format_number(v) << '\n';
  };
  if (ids.empty()) {
    for (std::size_t i = 0; i < fba.reaction_ids.size(); ++i) row("reaction", fba.reaction_ids[i], fba.reduced_costs[i]);
    for (std::size_t i = 0; i < fba.species_ids.size(); ++i) row("species", fba.species_ids[i], fba.shadow_prices[i]);
  }
  for (const std::string& id : ids) {
    const auto r = std::find(fba.reaction_ids.begin(), fba.reaction_ids.end(), id);
    const auto s = std::find(fba.species_ids.begin(), fba.species_ids.end(), id);
    if (r != fba.reaction_ids.end()) row("reaction", id, fba.reduced_costs[r - fba.reaction_ids.begin()]);
    else if (s != fba.species_ids.end()) row("species", id, fba.shadow_prices[s - fba.species_ids.begin()]);
    else throw Error(ErrorKind::UnknownId, a.model + ": --duals: '" + id + "' is neither a reaction nor a species");
  }
  if (a.output.empty() || a.output == "-") std::cout << text.str();
  else write_file_atomic(a.output, text.str());
  return 0;
}

int run_fba(const FbaArgs& a) {
  std::vector<std::string> outputs;
  if (!a.settings.empty()) outputs = SuiteSettings::parse_file(a.settings).variables;
  if (!a.select.empty()) outputs = a.select;
  if (!a.dynamic.empty()) return run_dynamic(a, outputs);
  for (const CLI::Option* o : {a.until_option, a.start_option, a.points_option, a.step_option})
    if (o && o->count() > 0) throw Error(ErrorKind::Usage, o->get_name() + " applies to --dynamic only");

  FbaOptions options;
  options.infeasible_as_nan = a.infeasible_as_nan;
  if (a.fraction_option && a.fraction_option->count() > 0) {
    if (!a.fva && !a.pfba && !a.fewest_active && !a.geometric)
      throw Error(ErrorKind::InvalidSbml,
                  "--fraction-of-optimum applies to --fva, --pfba, --fewest-active and --geometric only");
    options.fraction_of_optimum = a.fraction;
  }
  if (a.pfba_factor_option && a.pfba_factor_option->count() > 0) {
    if (!a.fva) throw Error(ErrorKind::InvalidSbml, "--pfba-factor applies to --fva only");
    if (!(a.pfba_factor >= 1.0)) throw Error(ErrorKind::InvalidSbml, "--pfba-factor must be 1 or more");
    options.pfba_factor = a.pfba_factor;
  }
  if (!a.loopless.empty()) {
    if (!a.fva) throw Error(ErrorKind::InvalidSbml, "--loopless applies to --fva only");
    if (a.loopless != "heuristic" && a.loopless != "exact")
      throw Error(ErrorKind::InvalidSbml, "--loopless=" + a.loopless + ": the method is 'heuristic' (the default, "
                                          "COBRApy's) or 'exact' (Schellenberger et al.'s mixed-integer program)");
    options.loopless = true;
    options.loopless_method = a.loopless == "exact" ? LooplessMethod::MixedInteger : LooplessMethod::CycleFree;
  }
  if (a.fva) return run_fva(a, outputs, options);
  if (a.pfba) options.method = FbaMethod::Parsimonious;
  if (a.fewest_active) options.method = FbaMethod::FewestActive;
  if (a.geometric) options.method = FbaMethod::Geometric;
  if (a.duals && (a.fewest_active || a.geometric))
    throw Error(ErrorKind::Unsupported,
                std::string("--duals with ") + (a.fewest_active ? "--fewest-active: its last program is a mixed-integer "
                                                                  "program, which has no duals"
                                                                : "--geometric: its fluxes are the middles of ranges, "
                                                                  "no program's optimum, so they have no duals") +
                    " (plain FBA's and --pfba's are reported)");
  if (a.duals) return run_duals(a, outputs, options);
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
  auto* duals = cmd->add_flag("--duals", fba.duals,
                              "Plain FBA's duals at the optimum: each reaction's reduced cost and each species' "
                              "shadow price (d objective / d required net production; 0 for a boundary species), "
                              "one row each, 'element,id,dual' (--select: reactions and species); with --pfba those "
                              "of pFBA's least-total-flux program (d total / d ...)");
  auto* fewest = cmd->add_flag("--fewest-active", fba.fewest_active,
                               "pFBA by the fewest active fluxes (KISAO:0000554): of the flux vectors with the "
                               "objective held, one with the fewest non-zero fluxes (a mixed-integer program; finite "
                               "bounds needed); same columns as plain FBA");
  auto* geometric = cmd->add_flag("--geometric", fba.geometric,
                                  "Geometric FBA (KISAO:0000527): the one optimal flux vector at the centre of the "
                                  "optimal space (Smallbone and Simeonidis 2009: ranges and least L1 distance to their "
                                  "centre, in rounds, until every range is below 1e-6); same columns as plain FBA");
  for (auto* other : {fva, pfba, fewest}) geometric->excludes(other);
  fva->excludes(pfba);
  fewest->excludes(fva);
  fewest->excludes(pfba);
  duals->excludes(fva);
  fba.fraction_option = cmd->add_option("--fraction-of-optimum", fba.fraction,
                  "With --fva or --pfba: hold the objective within this fraction of its optimum instead (0 to 1, "
                  "default 1; e.g. 0.9 keeps a maximised objective at 90% of its optimum or more)");
  fba.pfba_factor_option = cmd->add_option("--pfba-factor", fba.pfba_factor,
                  "With --fva: also hold the total absolute flux at most this factor (1 or more) times its least "
                  "value with the objective held (COBRApy's pfba_factor; 1: only pFBA-optimal flux vectors)");
  auto* dynamic = cmd->add_option("--dynamic", fba.dynamic,
                                  "Dynamic FBA (KISAO:0000499) of a batch or fed-batch culture described in this TOML "
                                  "file (biomass reaction, initial biomass, medium metabolites with uptake kinetics, "
                                  "optionally a feed and lexicographic objectives; docs/fba.md): one row per output "
                                  "time, 'time' first");
  for (auto* other : {fva, pfba, duals, fewest, geometric}) dynamic->excludes(other);
  fba.until_option = cmd->add_option("--until", fba.until, "With --dynamic: the end time");
  fba.start_option = cmd->add_option("--start", fba.start, "With --dynamic: the start time (default 0)");
  fba.points_option = cmd->add_option("--points", fba.points, "With --dynamic: output intervals (default 100)")
                          ->check(CLI::PositiveNumber);
  fba.step_option = cmd->add_option("--step", fba.step,
                                    "With --dynamic: the longest step over which fluxes are held (overrides the "
                                    "description's 'step', default 0.01)");
  cmd->add_flag("--loopless{heuristic}", fba.loopless,
                "With --fva: loopless ranges. --loopless or --loopless=heuristic: each end moved off "
                "thermodynamically infeasible cycles as COBRApy's loopless=True does (CycleFreeFlux, a few LPs per "
                "end; exact on the networks tested, not in general). --loopless=exact: Schellenberger et al. 2011's "
                "mixed-integer program (ll-FVA; GLPK's branch and cut; slower). Both need finite flux bounds");
  return [cmd, args] { return *cmd ? run_fba(*args) : -1; };
}

}  // namespace axisim::cli
