// axisim mca: metabolic control analysis at the steady state (elasticities, control
// coefficients, the summation and connectivity theorems checked).
#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "analysis_options.hpp"
#include "axisim/control_analysis.hpp"
#include "axisim/csv.hpp"
#include "commands.hpp"

namespace axisim::cli {
namespace {

struct McaArgs {
  ModelArgs model;
  SteadyArgs steady;
  bool csv = false, unscaled = false;
  std::string output;
};

void table(std::ostringstream& out, const std::string& title, const Matrix& m) {
  out << "\n" << title << "\n";
  std::size_t w = 8;
  for (const std::string& r : m.row_ids) w = std::max(w, r.size() + 2);
  std::size_t cw = 12;
  for (const std::string& c : m.column_ids) cw = std::max(cw, c.size() + 2);
  out << std::string(w, ' ');
  for (const std::string& c : m.column_ids) out << std::string(cw - c.size(), ' ') << c;
  out << "\n";
  for (std::size_t r = 0; r < m.rows(); ++r) {
    out << m.row_ids[r] << std::string(w - m.row_ids[r].size(), ' ');
    for (std::size_t c = 0; c < m.cols(); ++c) {
      const std::string v = short_number(m(r, c));
      out << std::string(cw > v.size() ? cw - v.size() : 1, ' ') << v;
    }
    out << "\n";
  }
}

// A theorem's formula in a column of its own.
std::string padded(std::string formula) {
  formula.resize(std::max<std::size_t>(formula.size() + 1, 25), ' ');
  return formula;
}

std::string text_report(const ControlAnalysis& ca, bool unscaled) {
  std::ostringstream out;
  const SteadyState& s = ca.state;
  out << "steady state by " << s.method << " (residual " << short_number(s.residual) << ", " << stability_name(s.stability)
      << "); " << ca.species.size() << " species, " << ca.reactions.size() << " reactions\n";
  out << "\nfluxes\n";
  for (std::size_t j = 0; j < ca.reactions.size(); ++j) out << "  " << ca.reactions[j] << "  " << short_number(ca.fluxes[j]) << "\n";
  out << "\nconcentrations\n";
  for (std::size_t i = 0; i < ca.species.size(); ++i)
    out << "  " << ca.species[i] << "  " << short_number(ca.concentrations[i]) << "\n";
  table(out, "scaled elasticities (rows: reactions; columns: species): d ln v / d ln x", ca.scaled_elasticities);
  table(out, "scaled flux control coefficients (rows: fluxes; columns: reactions): d ln J / d ln v", ca.scaled_flux_control);
  table(out, "scaled concentration control coefficients (rows: species; columns: reactions): d ln x / d ln v",
        ca.scaled_concentration_control);
  if (unscaled) {
    table(out, "elasticities: dv / dx", ca.elasticities);
    table(out, "flux control coefficients: dJ / dv", ca.flux_control);
    table(out, "concentration control coefficients: dx / dv", ca.concentration_control);
  }
  const auto& t = ca.theorems;
  const bool general = !ca.other_processes.empty();
  out << "\ntheorems (largest deviation, scaled)\n"
      << "  flux summation              sum_j C^J_ij = 1        " << short_number(t.flux_summation) << "\n"
      << "  concentration summation     sum_j C^S_ij = 0        " << short_number(t.concentration_summation) << "\n"
      << "  flux connectivity           " << padded(general ? "C^J E L + C^J_o D_o = 0" : "C^J E L = 0")
      << short_number(t.flux_connectivity) << "\n"
      << "  concentration connectivity  " << padded(general ? "C^S E L + C^S_o D_o = -L" : "C^S E L = -L")
      << short_number(t.concentration_connectivity) << "\n";
  if (general) {
    std::string list;
    for (const std::string& o : ca.other_processes) list += (list.empty() ? "" : ", ") + o;
    out << "  (general form: the rates of change of " << list
        << " counted as processes besides the reactions, D_o their rows of the reduced Jacobian; see notes)\n";
  }
  if (!ca.notes.empty()) {
    out << "\nnotes\n";
    for (const std::string& n : ca.notes) out << "  " << n << "\n";
  }
  return out.str();
}

// Long format: quantity,row,column,value. Quantities: flux, concentration (column empty),
// elasticity, scaled_elasticity, flux_control, scaled_flux_control, concentration_control,
// scaled_concentration_control, theorem (row: its name).
std::string csv_report(const ControlAnalysis& ca) {
  std::ostringstream out;
  out << "quantity,row,column,value\n";
  for (std::size_t j = 0; j < ca.reactions.size(); ++j) out << "flux," << ca.reactions[j] << ",," << format_number(ca.fluxes[j]) << '\n';
  for (std::size_t i = 0; i < ca.species.size(); ++i)
    out << "concentration," << ca.species[i] << ",," << format_number(ca.concentrations[i]) << '\n';
  auto matrix = [&](const char* name, const Matrix& m) {
    for (std::size_t r = 0; r < m.rows(); ++r)
      for (std::size_t c = 0; c < m.cols(); ++c)
        out << name << ',' << m.row_ids[r] << ',' << m.column_ids[c] << ',' << format_number(m(r, c)) << '\n';
  };
  matrix("elasticity", ca.elasticities);
  matrix("scaled_elasticity", ca.scaled_elasticities);
  matrix("flux_control", ca.flux_control);
  matrix("scaled_flux_control", ca.scaled_flux_control);
  matrix("concentration_control", ca.concentration_control);
  matrix("scaled_concentration_control", ca.scaled_concentration_control);
  out << "theorem,flux_summation,," << format_number(ca.theorems.flux_summation) << '\n'
      << "theorem,concentration_summation,," << format_number(ca.theorems.concentration_summation) << '\n'
      << "theorem,flux_connectivity,," << format_number(ca.theorems.flux_connectivity) << '\n'
      << "theorem,concentration_connectivity,," << format_number(ca.theorems.concentration_connectivity) << '\n';
  return out.str();
}

int run_mca(const McaArgs& a) {
  const Model model = a.model.load();
  const ControlAnalysis ca = control_analysis(model, a.steady.options);
  for (const std::string& w : ca.state.warnings) spdlog::warn("{}", w);
  const bool csv = a.csv || (a.output.size() > 4 && a.output.substr(a.output.size() - 4) == ".csv");
  write_output(a.output, csv ? csv_report(ca) : text_report(ca, a.unscaled));
  return 0;
}

}  // namespace

Runner add_mca_command(CLI::App& app) {
  auto args = std::make_shared<McaArgs>();
  CLI::App* cmd = app.add_subcommand(
      "mca", "Metabolic control analysis at the steady state: elasticities, flux and concentration control "
             "coefficients, summation and connectivity theorems");
  args->model.add_to(*cmd);
  args->steady.add_to(*cmd);
  cmd->add_flag("--csv", args->csv, "Write long CSV (quantity,row,column,value); the default for an -o file ending .csv");
  cmd->add_flag("--unscaled", args->unscaled, "Also print the unscaled matrices (always in the CSV)");
  cmd->add_option("-o,--output", args->output, "Output file (default: stdout); written whole or not at all");
  return [cmd, args] { return *cmd ? run_mca(*args) : -1; };
}

}  // namespace axisim::cli
