#include "kisao.hpp"

#include <cctype>
#include <cstdlib>
#include <map>
#include <stdexcept>

namespace axisim::sedml {
namespace {

std::string normalise(std::string id) {
  // KISAO:0000019, KISAO_0000019 and kisao:0000019 all name the same term.
  for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (id.size() > 6 && id[5] == '_') id[5] = ':';
  return id;
}

}  // namespace

AlgorithmChoice choose_algorithm(const std::string& kisao) {
  static const std::map<std::string, std::pair<AlgorithmUse, std::string>> table{
      {"KISAO:0000019", {AlgorithmUse::Cvode, "CVODE"}},
      // Deterministic ODE integrators: KiSAO's substitution policy lets any of them be
      // replaced by another integrator of the same problem (here CVODE, BDF with Newton).
      {"KISAO:0000496", {AlgorithmUse::Substitute, "CVODES"}},
      {"KISAO:0000088", {AlgorithmUse::Substitute, "LSODA"}},
      {"KISAO:0000089", {AlgorithmUse::Substitute, "LSODAR"}},
      {"KISAO:0000560", {AlgorithmUse::Substitute, "LSODA/LSODAR hybrid method"}},
      {"KISAO:0000071", {AlgorithmUse::Substitute, "LSODE"}},
      {"KISAO:0000086", {AlgorithmUse::Substitute, "Runge-Kutta-Fehlberg method"}},
      {"KISAO:0000087", {AlgorithmUse::Substitute, "Dormand-Prince method"}},
      {"KISAO:0000032", {AlgorithmUse::Substitute, "explicit fourth-order Runge-Kutta method"}},
      {"KISAO:0000064", {AlgorithmUse::Substitute, "Runge-Kutta based method"}},
      {"KISAO:0000030", {AlgorithmUse::Substitute, "Euler forward method"}},
      {"KISAO:0000280", {AlgorithmUse::Substitute, "Adams-Moulton method"}},
      {"KISAO:0000288", {AlgorithmUse::Substitute, "backward differentiation formula"}},
      {"KISAO:0000535", {AlgorithmUse::Substitute, "VODE"}},
      {"KISAO:0000536", {AlgorithmUse::Substitute, "ZVODE"}},
      // Stochastic simulation (axisim has Gillespie's direct method; not yet reachable from SED-ML).
      {"KISAO:0000029", {AlgorithmUse::NotBuilt, "Gillespie direct method (stochastic)"}},
      {"KISAO:0000027", {AlgorithmUse::NotBuilt, "Gibson-Bruck next reaction method (stochastic)"}},
      {"KISAO:0000241", {AlgorithmUse::NotBuilt, "Gillespie-like method (stochastic)"}},
      {"KISAO:0000039", {AlgorithmUse::NotBuilt, "tau-leaping method (stochastic)"}},
      // Flux balance and steady states.
      {"KISAO:0000437", {AlgorithmUse::NotBuilt, "flux balance analysis"}},
      {"KISAO:0000282", {AlgorithmUse::SteadyState, "KINSOL (steady state)"}},
      {"KISAO:0000568", {AlgorithmUse::SteadyState, "NLEQ1 (steady state)"}},
      {"KISAO:0000569", {AlgorithmUse::SteadyState, "NLEQ2 (steady state)"}},
      {"KISAO:0000449", {AlgorithmUse::NotBuilt, "logical model simulation"}},
  };
  const auto it = table.find(normalise(kisao));
  if (it == table.end()) return {AlgorithmUse::Unknown, ""};
  return {it->second.first, it->second.second};
}

std::vector<std::string> apply_algorithm_parameters(const Simulation& sim, SimulationOptions& options) {
  std::vector<std::string> notes;
  for (const AlgorithmParameter& p : sim.parameters) {
    const std::string id = normalise(p.kisao);
    char* end = nullptr;
    const double v = std::strtod(p.value.c_str(), &end);
    const bool numeric = !p.value.empty() && *end == '\0';
    auto need = [&] {
      if (!numeric) throw std::runtime_error("algorithm parameter " + p.kisao + ": '" + p.value + "' is not a number");
    };
    if (id == "KISAO:0000209") { need(); options.rtol = v; }
    else if (id == "KISAO:0000211") { need(); options.atol = v; }
    else if (id == "KISAO:0000415") { need(); options.max_steps = static_cast<long>(v); }
    else if (id == "KISAO:0000488") { need(); options.seed = static_cast<unsigned long long>(v); }
    else notes.push_back("algorithm parameter " + p.kisao + " = " + p.value + " is not one axisim uses; ignored");
  }
  return notes;
}

}  // namespace axisim::sedml
