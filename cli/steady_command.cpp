// axisim steady: a steady state (or a continuation scan of them, or their sensitivities) as CSV.
#include <cmath>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "analysis_options.hpp"
#include "axisim/control_analysis.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/steady_state.hpp"
#include "commands.hpp"

namespace axisim::cli {
namespace {

struct SteadyCommandArgs {
  ModelArgs model;
  SteadyArgs steady;
  std::vector<std::string> select, wrt;
  std::string scan, output, eigenvalues;
};

// The columns after the outputs' values, in every steady-state CSV row.
constexpr const char* kStatusColumns = "method,residual,stability,max_real_eigenvalue,determinant_sign";

std::string status_fields(const SteadyState& s) {
  return s.method + "," + format_number(s.residual) + "," + stability_name(s.stability) + "," +
         (s.eigenvalues.empty() ? std::string("NaN") : format_number(s.max_real_eigenvalue)) + "," +
         std::to_string(s.determinant_sign);
}

void log_state(const SteadyState& s) {
  std::string how = s.method;
  if (s.method == "integration") how += " to t = " + short_number(s.time_integrated) + ", then Newton";
  spdlog::info("steady state by {} ({} iterations); residual max |dy/dt| = {}; {} ({} reduced states, {} "
               "conservation law{})",
               how, s.iterations, short_number(s.residual), stability_name(s.stability), s.reduced_states,
               s.conservation_laws, s.conservation_laws == 1 ? "" : "s");
  if (!s.eigenvalues.empty()) {
    std::string ev;
    for (std::size_t i = 0; i < s.eigenvalues.size() && i < 8; ++i)
      ev += (i ? ", " : "") + short_number(s.eigenvalues[i].real()) +
            (s.eigenvalues[i].imag() != 0.0 ? (s.eigenvalues[i].imag() > 0 ? "+" : "") + short_number(s.eigenvalues[i].imag()) + "i" : "");
    if (s.eigenvalues.size() > 8) ev += ", ... (" + std::to_string(s.eigenvalues.size()) + " in all)";
    spdlog::info("eigenvalues of the reduced Jacobian: {}", ev);
  }
  for (const std::string& w : s.warnings) spdlog::warn("{}", w);
}

std::string eigenvalue_csv(const SteadyState& s) {
  std::ostringstream out;
  out << "real,imag\n";
  for (const auto& e : s.eigenvalues) out << format_number(e.real()) << ',' << format_number(e.imag()) << '\n';
  return out.str();
}

int run_steady(const SteadyCommandArgs& a) {
  if (!a.scan.empty() && !a.wrt.empty()) throw Error(ErrorKind::Usage, "--scan and --wrt cannot be combined");
  if (!a.scan.empty() && !a.eigenvalues.empty())
    throw Error(ErrorKind::Usage, "--eigenvalues writes one steady state's eigenvalues; it cannot be combined with --scan");
  const Model model = a.model.load();
  std::vector<OutputSpec> outputs;
  for (const std::string& id : a.select) outputs.push_back({id});
  const SteadyStateOptions& o = a.steady.options;
  std::ostringstream out;

  if (!a.wrt.empty()) {
    std::vector<std::string> wrt = a.wrt;
    if (wrt == std::vector<std::string>{"all"} && !model.has_id("all")) {
      // Every parameter whose value can be set (not one an assignment rule computes).
      wrt.clear();
      for (const std::string& id : model.ids()) {
        if (model.kind(id) != SymbolKind::Parameter) continue;
        try {
          Model probe = model;
          probe.set_value(id, model.initial_value(id));
          wrt.push_back(id);
        } catch (const Error&) {
        }
      }
    }
    const SteadyStateSensitivities s = steady_state_sensitivities(model, wrt, o, outputs);
    log_state(s.state);
    if (!s.resolved.empty()) {
      std::string list;
      for (const std::string& id : s.resolved) list += (list.empty() ? "'" : ", '") + id + "'";
      spdlog::info("{} change{} the stoichiometry: {} column{} re-solved steady states at each step (difference "
                   "quotients, accurate to about the solver's tolerance over a step of 1e-3 of the value)",
                   list, s.resolved.size() == 1 ? "s" : "", s.resolved.size() == 1 ? "its" : "their",
                   s.resolved.size() == 1 ? " comes from" : "s come from");
    }
    out << "output,parameter,steady_value,parameter_value,sensitivity,scaled_sensitivity\n";
    for (std::size_t i = 0; i < s.unscaled.rows(); ++i)
      for (std::size_t j = 0; j < s.unscaled.cols(); ++j)
        out << s.unscaled.row_ids[i] << ',' << s.unscaled.column_ids[j] << ',' << format_number(s.state.values[i]) << ','
            << format_number(s.parameter_values[j]) << ',' << format_number(s.unscaled(i, j)) << ','
            << format_number(s.scaled(i, j)) << '\n';
    if (!a.eigenvalues.empty()) write_output(a.eigenvalues, eigenvalue_csv(s.state));
    write_output(a.output, out.str());
    return 0;
  }

  if (!a.scan.empty()) {
    const ScanSpec spec = parse_scan(a.scan);
    const SteadyStateScan scan = scan_steady_state(model, spec.parameter, spec.lo, spec.hi, spec.points, o, outputs);
    const std::vector<std::string>& ids = scan.states.front().ids;
    out << spec.parameter;
    for (const std::string& id : ids) out << ',' << id;
    out << ',' << kStatusColumns << ",note\n";
    // Folds go in as rows of their own, at their estimated parameter value, between the grid
    // rows that bracket them (values NaN: the branch ends there).
    std::size_t next_fold = 0;
    auto fold_row = [&](const Fold& f) {
      out << format_number(f.parameter);
      for (std::size_t i = 0; i < ids.size(); ++i) out << ",NaN";
      out << ",,,,,,fold: " << f.kind << " between " << format_number(f.lower) << " and " << format_number(f.upper)
          << '\n';
      spdlog::info("fold ({}) at {} = {} (between {} and {})", f.kind, spec.parameter, short_number(f.parameter),
                   short_number(f.lower), short_number(f.upper));
    };
    const bool up = spec.hi > spec.lo;
    for (std::size_t k = 0; k < scan.states.size(); ++k) {
      const double p = scan.parameter_values[k];
      while (next_fold < scan.folds.size() && (up ? scan.folds[next_fold].parameter < p : scan.folds[next_fold].parameter > p))
        fold_row(scan.folds[next_fold++]);
      const SteadyState& s = scan.states[k];
      out << format_number(p);
      for (double v : s.values) out << ',' << format_number(v);
      out << ',' << status_fields(s) << ',' << scan.notes[k] << '\n';
      for (const std::string& w : s.warnings) spdlog::debug("{} = {}: {}", spec.parameter, short_number(p), w);
    }
    while (next_fold < scan.folds.size()) fold_row(scan.folds[next_fold++]);
    spdlog::info("{} steady states of {} from {} to {}; {} fold{}", scan.states.size(), spec.parameter,
                 short_number(spec.lo), short_number(spec.hi), scan.folds.size(), scan.folds.size() == 1 ? "" : "s");
    write_output(a.output, out.str());
    return 0;
  }

  const SteadyState s = steady_state(model, o, outputs);
  log_state(s);
  for (std::size_t i = 0; i < s.ids.size(); ++i) out << s.ids[i] << ',';
  out << kStatusColumns << '\n';
  for (double v : s.values) out << format_number(v) << ',';
  out << status_fields(s) << '\n';
  if (!a.eigenvalues.empty()) write_output(a.eigenvalues, eigenvalue_csv(s));
  write_output(a.output, out.str());
  return 0;
}

}  // namespace

Runner add_steady_command(CLI::App& app) {
  auto args = std::make_shared<SteadyCommandArgs>();
  CLI::App* cmd = app.add_subcommand(
      "steady", "Steady state (Newton on the system reduced by its conservation laws, with fallbacks), a "
                "continuation scan of steady states, or their sensitivities, as CSV");
  args->model.add_to(*cmd);
  args->steady.add_to(*cmd);
  cmd->add_option("--select", args->select, "Output columns (default: every species, then plugin outputs)")
      ->delimiter(',');
  cmd->add_option("--scan", args->scan,
                  "Continuation: ID=LO:HI:N, N values of ID from LO to HI, each started from the previous "
                  "steady state; folds are reported as rows of their own");
  cmd->add_option("--wrt", args->wrt,
                  "Steady-state sensitivities to these ids (implicit function theorem; 'all': every parameter "
                  "that can be set), as long CSV: output,parameter,steady_value,parameter_value,sensitivity,"
                  "scaled_sensitivity")
      ->delimiter(',');
  cmd->add_option("--eigenvalues", args->eigenvalues, "Also write the reduced Jacobian's eigenvalues (real,imag) here");
  cmd->add_option("-o,--output", args->output, "Output CSV (default: stdout); written whole or not at all");
  return [cmd, args] { return *cmd ? run_steady(*args) : -1; };
}

}  // namespace axisim::cli
