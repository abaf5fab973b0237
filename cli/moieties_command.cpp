// axisim moieties: the conservation laws of a model's stoichiometry and the link matrix.
#include <memory>
#include <sstream>

#include "analysis_options.hpp"
#include "axisim/csv.hpp"
#include "axisim/moieties.hpp"
#include "commands.hpp"

namespace axisim::cli {
namespace {

struct MoietiesArgs {
  ModelArgs model;
  bool csv = false;
  std::string output;
};

// "2 A + B - C" from coefficients and ids.
std::string combination(const std::vector<double>& coefficients, const std::vector<std::string>& ids) {
  std::string s;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const double c = coefficients[i];
    if (c == 0.0) continue;
    const double a = c < 0 ? -c : c;
    if (s.empty()) s += c < 0 ? "-" : "";
    else s += c < 0 ? " - " : " + ";
    if (a != 1.0) s += short_number(a) + " ";
    s += ids[i];
  }
  return s.empty() ? "0" : s;
}

std::string text_report(const Model& model, const MoietyAnalysis& m) {
  std::ostringstream out;
  out << "model '" << model.id() << "': " << m.species.size() << " species changed by " << m.reactions.size()
      << " reactions; stoichiometry rank " << m.rank << "; " << m.laws.size() << " conservation law"
      << (m.laws.size() == 1 ? "" : "s") << " ("
      << (m.exact ? "exact: integer arithmetic" : "floating point: QR, relative rank tolerance " + short_number(m.tolerance))
      << ")\n";
  if (!m.laws.empty()) {
    out << "\nconservation laws (amounts; totals at the initial state):\n";
    for (const ConservationLaw& law : m.laws)
      out << "  " << combination(law.coefficients, law.species) << " = " << short_number(law.total)
          << "    (determines " << law.dependent << ")\n";
    out << "\nlink matrix: each dependent species from the independent ones\n";
    for (std::size_t r = 0; r < m.species.size(); ++r) {
      bool dependent = false;
      for (const std::string& d : m.dependent) dependent = dependent || d == m.species[r];
      if (!dependent) continue;
      std::vector<double> row(m.link.values.begin() + static_cast<std::ptrdiff_t>(r * m.link.cols()),
                              m.link.values.begin() + static_cast<std::ptrdiff_t>((r + 1) * m.link.cols()));
      std::string rhs = combination(row, m.independent);
      if (m.offset[r] != 0.0)
        rhs = short_number(m.offset[r]) + (rhs == "0" ? "" : rhs[0] == '-' ? " - " + rhs.substr(1) : " + " + rhs);
      out << "  " << m.species[r] << " = " << rhs << "\n";
    }
  }
  out << "\nindependent species (" << m.independent.size() << "):";
  for (const std::string& s : m.independent) out << " " << s;
  out << "\n";
  if (!m.excluded.empty()) {
    out << "\nnot in the analysis:\n";
    for (const auto& e : m.excluded) out << "  " << e.species << ": " << e.reason << "\n";
  }
  if (!m.notes.empty()) {
    out << "\nnotes:\n";
    for (const std::string& n : m.notes) out << "  " << n << "\n";
  }
  return out.str();
}

// One row per (law, species): law number (from 1), the species it determines, a species in it,
// its coefficient, the law's total.
std::string csv_report(const MoietyAnalysis& m) {
  std::ostringstream out;
  out << "law,dependent,species,coefficient,total\n";
  for (std::size_t k = 0; k < m.laws.size(); ++k) {
    const ConservationLaw& law = m.laws[k];
    for (std::size_t i = 0; i < law.species.size(); ++i)
      out << k + 1 << ',' << law.dependent << ',' << law.species[i] << ',' << format_number(law.coefficients[i]) << ','
          << format_number(law.total) << '\n';
  }
  return out.str();
}

int run_moieties(const MoietiesArgs& a) {
  const Model model = a.model.load();
  const MoietyAnalysis m = conserved_moieties(model);
  write_output(a.output, a.csv ? csv_report(m) : text_report(model, m));
  return 0;
}

}  // namespace

Runner add_moieties_command(CLI::App& app) {
  auto args = std::make_shared<MoietiesArgs>();
  CLI::App* cmd = app.add_subcommand("moieties", "Conservation laws of the stoichiometry (conserved moieties), exactly");
  args->model.add_to(*cmd);
  cmd->add_flag("--csv", args->csv, "Write the laws as CSV: law,dependent,species,coefficient,total");
  cmd->add_option("-o,--output", args->output, "Output file (default: stdout); written whole or not at all");
  return [cmd, args] { return *cmd ? run_moieties(*args) : -1; };
}

}  // namespace axisim::cli
