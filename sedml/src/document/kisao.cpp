#include "document/kisao.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
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
      {"KISAO:0000433", {AlgorithmUse::Substitute, "CVODE-like method"}},
      {"KISAO:0000031", {AlgorithmUse::Substitute, "Euler backward method"}},
      {"KISAO:0000261", {AlgorithmUse::Substitute, "Euler method"}},
      {"KISAO:0000033", {AlgorithmUse::Substitute, "Rosenbrock method"}},
      {"KISAO:0000668", {AlgorithmUse::Substitute, "Numerical Recipes in C 'stiff' Rosenbrock method"}},
      {"KISAO:0000672", {AlgorithmUse::Substitute, "Numerical Recipes in C 'quality-controlled Runge-Kutta' method"}},
      {"KISAO:0000094", {AlgorithmUse::Substitute, "Livermore solver"}},
      {"KISAO:0000233", {AlgorithmUse::Substitute, "LSODES"}},
      {"KISAO:0000279", {AlgorithmUse::Substitute, "Adams-Bashforth method"}},
      {"KISAO:0000289", {AlgorithmUse::Substitute, "Adams method"}},
      {"KISAO:0000364", {AlgorithmUse::Substitute, "Adams predictor-corrector method"}},
      {"KISAO:0000281", {AlgorithmUse::Substitute, "multistep method"}},
      {"KISAO:0000377", {AlgorithmUse::Substitute, "one-step method"}},
      {"KISAO:0000301", {AlgorithmUse::Substitute, "Heun method"}},
      {"KISAO:0000302", {AlgorithmUse::Substitute, "embedded Runge-Kutta method"}},
      {"KISAO:0000304", {AlgorithmUse::Substitute, "Radau method"}},
      {"KISAO:0000321", {AlgorithmUse::Substitute, "Cash-Karp method"}},
      {"KISAO:0000435", {AlgorithmUse::Substitute, "embedded Runge-Kutta 5(4) method"}},
      {"KISAO:0000436", {AlgorithmUse::Substitute, "Dormand-Prince 8(5,3) method"}},
      {"KISAO:0000537", {AlgorithmUse::Substitute, "explicit Runge-Kutta method of order 3(2)"}},
      {"KISAO:0000609", {AlgorithmUse::Substitute, "embedded Runge-Kutta Prince-Dormand (8,9) method"}},
      {"KISAO:0000283", {AlgorithmUse::Substitute, "IDA"}},
      {"KISAO:0000544", {AlgorithmUse::Substitute, "IDAS"}},
      {"KISAO:0000355", {AlgorithmUse::Substitute, "DASPK"}},
      {"KISAO:0000356", {AlgorithmUse::Substitute, "DASSL"}},
      // Not algorithms but characteristics of algorithms (KiSAO's "modelling and simulation
      // algorithm characteristic" branch), written by older tellurium and SBSI exports where an
      // algorithm belongs. tellurium runs both with CVODE on a time course and with its steady-state
      // solver on a steadyState; axisim does the same, saying so. (BioSimulators' substitution
      // policy works between algorithms only and would refuse them.)
      {"KISAO:0000035", {AlgorithmUse::Substitute, "algorithm using deterministic rules: a characteristic of algorithms, not an algorithm; CVODE has it"}},
      {"KISAO:0000099", {AlgorithmUse::Substitute, "type of system behaviour: a characteristic of algorithms, not an algorithm; taken as deterministic, as tellurium does"}},
      // Exact stochastic simulation: axisim has Gillespie's direct method. The other exact
      // methods sample the same distribution of trajectories (KiSAO's substitution of one exact
      // SSA by another); approximate ones are not substituted for it, nor it for them.
      {"KISAO:0000029", {AlgorithmUse::Stochastic, "Gillespie direct method"}},
      {"KISAO:0000027", {AlgorithmUse::StochasticSubstitute, "Gibson-Bruck next reaction method"}},
      {"KISAO:0000586", {AlgorithmUse::StochasticSubstitute, "Gibson-Bruck next reaction method with indexed priority queue"}},
      {"KISAO:0000015", {AlgorithmUse::StochasticSubstitute, "Gillespie first reaction method"}},
      {"KISAO:0000038", {AlgorithmUse::StochasticSubstitute, "sorting stochastic simulation algorithm"}},
      {"KISAO:0000241", {AlgorithmUse::StochasticSubstitute, "Gillespie-like method"}},
      {"KISAO:0000610", {AlgorithmUse::StochasticSubstitute, "composite-rejection stochastic simulation algorithm"}},
      // Tau-leaping. 0000039 and 0000040: explicit Poisson tau-leaping with Cao, Gillespie and
      // Petzold's adaptive step and critical reactions (2006), exact steps where leaps would be
      // short (what GillesPy2 runs for 0000039). 0000045: implicit tau-leaping (Rathinam et al.
      // 2003) with the rounding and the partial-equilibrium step of Cao et al. 2007. 0000048,
      // "adaptive explicit-implicit tau-leaping method" in KiSAO: that 2007 method, implicit
      // where the system is stiff (COPASI's "adaptive SSA/tau-leap" also writes 0000048).
      {"KISAO:0000039", {AlgorithmUse::TauLeap, "tau-leaping method"}},
      {"KISAO:0000040", {AlgorithmUse::TauLeap, "Poisson tau-leaping method"}},
      {"KISAO:0000045", {AlgorithmUse::TauLeap, "implicit tau-leaping method"}},
      {"KISAO:0000048", {AlgorithmUse::TauLeap, "adaptive explicit-implicit tau-leaping method"}},
      // 0000575, "hybrid tau-leaping method", which KiSAO made for GillesPy2's TauHybridSolver:
      // axisim's continuous-discrete hybrid (StochasticMethod::Hybrid, stochastic/tau_hybrid.cpp),
      // species continuous or discrete by GillesPy2's coefficient-of-variation rule.
      {"KISAO:0000575", {AlgorithmUse::TauLeap, "hybrid tau-leaping method"}},
      // Flux balance: FBA and the variants axisim has; the others give other results and are
      // not substituted.
      {"KISAO:0000437", {AlgorithmUse::Fba, "flux balance analysis"}},
      {"KISAO:0000526", {AlgorithmUse::Fba, "flux variability analysis"}},
      {"KISAO:0000528", {AlgorithmUse::Fba, "parsimonious flux balance analysis"}},
      {"KISAO:0000554", {AlgorithmUse::Fba, "parsimonious flux balance analysis (minimum number of active fluxes)"}},
      // Dynamic FBA: the culture (medium, uptake kinetics, biomass) from an axisim annotation.
      {"KISAO:0000499", {AlgorithmUse::DynamicFba, "dynamic flux balance analysis"}},
      {"KISAO:0000527", {AlgorithmUse::Fba, "geometric flux balance analysis"}},
      {"KISAO:0000282", {AlgorithmUse::SteadyState, "KINSOL (steady state)"}},
      {"KISAO:0000568", {AlgorithmUse::SteadyState, "NLEQ1 (steady state)"}},
      {"KISAO:0000569", {AlgorithmUse::SteadyState, "NLEQ2 (steady state)"}},
      {"KISAO:0000407", {AlgorithmUse::SteadyState, "steady state method"}},
      {"KISAO:0000408", {AlgorithmUse::SteadyState, "Newton-type method (steady state)"}},
      {"KISAO:0000409", {AlgorithmUse::SteadyState, "ordinary Newton method (steady state)"}},
      {"KISAO:0000410", {AlgorithmUse::SteadyState, "simplified Newton method (steady state)"}},
      {"KISAO:0000411", {AlgorithmUse::SteadyState, "Newton-like method (steady state)"}},
      {"KISAO:0000412", {AlgorithmUse::SteadyState, "inexact Newton method (steady state)"}},
      {"KISAO:0000413", {AlgorithmUse::SteadyState, "exact Newton method (steady state)"}},
      {"KISAO:0000675", {AlgorithmUse::SteadyState, "Broyden method (steady state)"}},
      // Logical models (SBML qual), as BioSimulators' GINsim and BoolNet tools name the schemes.
      {"KISAO:0000449", {AlgorithmUse::Logical, "synchronous logical simulation"}},
      {"KISAO:0000450", {AlgorithmUse::Logical, "asynchronous logical simulation"}},
      {"KISAO:0000657", {AlgorithmUse::Logical, "sequential logical simulation"}},
      {"KISAO:0000573", {AlgorithmUse::Logical, "complete logical simulation"}},
      // Stable states and trap spaces of logical models, as BioSimulators' GINsim and mpbn tools
      // name them (steadyState simulations).
      {"KISAO:0000659", {AlgorithmUse::LogicalStableStates, "Naldi MDD logical model stable state search method"}},
      {"KISAO:0000660", {AlgorithmUse::LogicalStableStates, "logical model stable state search method"}},
      // Trap spaces: 0000661 is the generic method, 0000662 (Klarner's ASP over prime implicants)
      // and 0000663 (BDDs) its children. All three are exact and find the same subspaces; axisim's
      // search (LogicalModel::trap_spaces) stands for each, and says so for the two children.
      {"KISAO:0000661", {AlgorithmUse::LogicalTrapSpaces, "logical model trap space identification method"}},
      {"KISAO:0000662", {AlgorithmUse::LogicalTrapSpaces, "Klarner ASP logical model trap space identification method"}},
      {"KISAO:0000663", {AlgorithmUse::LogicalTrapSpaces, "BDD logical model trap space identification method"}},
  };
  const std::string id = normalise(kisao);
  const auto it = table.find(id);
  if (it == table.end()) return {AlgorithmUse::Unknown, ""};
  AlgorithmChoice c{it->second.first, it->second.second};
  if (id == "KISAO:0000450") c.logical = LogicalUpdate::Asynchronous;
  else if (id == "KISAO:0000657") c.logical = LogicalUpdate::Sequential;
  else if (id == "KISAO:0000526") c.fba = FbaKind::Variability;
  else if (id == "KISAO:0000528") c.fba = FbaKind::Parsimonious;
  else if (id == "KISAO:0000554") c.fba = FbaKind::FewestActive;
  else if (id == "KISAO:0000527") c.fba = FbaKind::Geometric;
  else if (id == "KISAO:0000573") c.logical = LogicalUpdate::Complete;
  else if (id == "KISAO:0000662" || id == "KISAO:0000663") c.trap_space_substitute = true;
  else if (id == "KISAO:0000045") c.leap = StochasticMethod::ImplicitTauLeap;
  else if (id == "KISAO:0000048") c.leap = StochasticMethod::AdaptiveTauLeap;
  else if (id == "KISAO:0000575") c.leap = StochasticMethod::Hybrid;
  return c;
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

std::vector<std::string> apply_fba_parameters(const Simulation& sim, FbaKind kind, FbaOptions& options) {
  std::vector<std::string> notes;
  for (const AlgorithmParameter& p : sim.parameters) {
    const std::string id = normalise(p.kisao);
    const std::string what = "algorithm parameter " + p.kisao;
    std::string lower = p.value;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (id == "KISAO:0000531" && kind != FbaKind::Plain) {
      char* end = nullptr;
      const double v = std::strtod(p.value.c_str(), &end);
      if (p.value.empty() || *end != '\0' || !(v >= 0.0 && v <= 1.0))
        throw Error(ErrorKind::InvalidSbml, what + " (fraction of optimum) = '" + p.value + "': not a number in [0, 1]");
      options.fraction_of_optimum = v;
    } else if (id == "KISAO:0000553") {
      if (lower != "glpk") notes.push_back(what + " (solver) = " + p.value + ": axisim solves with GLPK");
    } else if (id == "KISAO:0000529") {
      notes.push_back(what + " (processes) = " + p.value + ": axisim solves in one process");
    } else if (id == "KISAO:0000532" && kind == FbaKind::Variability) {
      // Loopless ranges. KiSAO's term is a boolean: true keeps meaning what COBRApy's
      // loopless=True computes (the heuristic, LooplessMethod::CycleFree), so documents written
      // for BioSimulators' COBRApy give the same ranges; 'exact' is axisim's value for
      // Schellenberger et al.'s mixed-integer program, which a tool reading a boolean rejects
      // rather than silently computing something else (docs/fba.md).
      if (lower == "true" || lower == "1" || lower == "heuristic") {
        options.loopless = true;
        options.loopless_method = LooplessMethod::CycleFree;
      } else if (lower == "exact") {
        options.loopless = true;
        options.loopless_method = LooplessMethod::MixedInteger;
      } else if (lower == "false" || lower == "0") {
        options.loopless = false;
      } else {
        throw Error(ErrorKind::InvalidSbml, what + " (loopless) = '" + p.value +
                                                "': not a boolean, nor 'exact' or 'heuristic' (axisim's method choices)");
      }
    } else if (id == "KISAO:0000533" && kind == FbaKind::Variability) {
      // COBRApy's pfba_factor: the total absolute flux held within this factor of its least.
      char* end = nullptr;
      const double v = std::strtod(p.value.c_str(), &end);
      if (p.value.empty() || *end != '\0' || !(v >= 1.0 && std::isfinite(v)))
        throw Error(ErrorKind::InvalidSbml, what + " (pFBA factor) = '" + p.value + "': not a number of 1 or more");
      options.pfba_factor = v;
    } else if (id == "KISAO:0000533" || id == "KISAO:0000534") {
      throw Error(ErrorKind::Unsupported, what + (id == "KISAO:0000533" ? " (pFBA factor, of flux variability analysis)"
                                                                         : " (selected reactions)") +
                                              " = " + p.value + " is not built: it would change the results");
    } else {
      notes.push_back(what + " = " + p.value + " is not one axisim's flux balance analysis uses; ignored");
    }
  }
  return notes;
}

std::vector<std::string> apply_dfba_parameters(const Simulation& sim, double& step) {
  std::vector<std::string> notes;
  for (const AlgorithmParameter& p : sim.parameters) {
    const std::string id = normalise(p.kisao);
    if (id == "KISAO:0000483") {
      char* end = nullptr;
      const double v = std::strtod(p.value.c_str(), &end);
      if (p.value.empty() || *end != '\0' || !(v > 0) || !std::isfinite(v))
        throw std::runtime_error("algorithm parameter " + p.kisao + " (step size) = '" + p.value +
                                 "': not a number above 0");
      step = v;
    } else {
      notes.push_back("algorithm parameter " + p.kisao + " = " + p.value +
                      " is not one axisim's dynamic FBA uses (step size, KISAO:0000483); ignored");
    }
  }
  return notes;
}

std::vector<std::string> apply_steady_state_parameters(const Simulation& sim, SteadyStateOptions& options) {
  std::vector<std::string> notes;
  for (const AlgorithmParameter& p : sim.parameters) {
    const std::string id = normalise(p.kisao);
    char* end = nullptr;
    const double v = std::strtod(p.value.c_str(), &end);
    const bool numeric = !p.value.empty() && *end == '\0' && std::isfinite(v);
    auto positive = [&] {
      if (!numeric || !(v > 0))
        throw std::runtime_error("algorithm parameter " + p.kisao + ": '" + p.value + "' is not a number above 0");
      return v;
    };
    auto whole = [&] {
      if (!numeric || !(v >= 1) || v != std::floor(v) || v > 1e9)
        throw std::runtime_error("algorithm parameter " + p.kisao + ": '" + p.value + "' is not a whole number >= 1");
      return static_cast<int>(v);
    };
    // Tolerances: KiSAO's generic ones (as COPASI and tellurium write them for KINSOL and NLEQ) and
    // the steady-state and root-finding ones. axisim's solver converges when the last Newton step
    // is within rtol |y| + atol (SteadyStateOptions).
    if (id == "KISAO:0000209" || id == "KISAO:0000558") options.rtol = positive();
    else if (id == "KISAO:0000211" || id == "KISAO:0000557" || id == "KISAO:0000565") options.atol = positive();
    // Newton iterations (pseudo-transient continuation takes 20 times as many steps).
    else if (id == "KISAO:0000486" || id == "KISAO:0000665" || id == "KISAO:0000415") options.max_iterations = whole();
    // How far the integration fallback may go (libRoadRunner's approximation time).
    else if (id == "KISAO:0000679") options.max_integration_time = positive();
    else notes.push_back("algorithm parameter " + p.kisao + " = " + p.value +
                         " has no counterpart in axisim's steady-state solver (tolerances, maximum iterations, "
                         "maximum integration time); ignored");
  }
  return notes;
}

std::vector<std::string> apply_stochastic_parameters(const Simulation& sim, StochasticParameters& out) {
  std::vector<std::string> notes;
  for (const AlgorithmParameter& p : sim.parameters) {
    const std::string id = normalise(p.kisao);
    char* end = nullptr;
    const double v = std::strtod(p.value.c_str(), &end);
    const bool whole = !p.value.empty() && *end == '\0' && v >= 0 && v == static_cast<double>(static_cast<std::uint64_t>(v));
    const bool implicit = out.method == StochasticMethod::ImplicitTauLeap || out.method == StochasticMethod::AdaptiveTauLeap;
    // The hybrid method fires its stochastic reactions one by one (no critical reactions); its
    // epsilon bounds how far a continuous species moves between classifications.
    const bool hybrid = out.method == StochasticMethod::Hybrid;
    if (out.tau_leap && (id == "KISAO:0000228" || (!hybrid && id == "KISAO:0000249") || (implicit && id == "KISAO:0000248"))) {
      if (p.value.empty() || *end != '\0' || !std::isfinite(v))
        throw std::runtime_error("algorithm parameter " + p.kisao + ": '" + p.value + "' is not a number");
      if (id == "KISAO:0000228") {
        if (!(v > 0 && v < 1)) throw std::runtime_error("algorithm parameter " + p.kisao + " (tau-leaping epsilon) must be between 0 and 1");
        out.epsilon = v;
      } else if (id == "KISAO:0000248") {
        if (!(v > 0 && v < 1)) throw std::runtime_error("algorithm parameter " + p.kisao + " (tau-leaping delta) must be between 0 and 1");
        out.delta = v;
      } else {
        if (!whole || v < 1 || v > 1e9)
          throw std::runtime_error("algorithm parameter " + p.kisao + " (critical firing threshold) must be a whole number >= 1");
        out.critical = static_cast<int>(v);
      }
    } else if (id == "KISAO:0000488" || id == "KISAO:0000498") {
      if (!whole) throw std::runtime_error("algorithm parameter " + p.kisao + ": '" + p.value + "' is not a whole number >= 0");
      if (id == "KISAO:0000488") out.seed = static_cast<std::uint64_t>(v);
      else if (v < 1) throw std::runtime_error("algorithm parameter " + p.kisao + " (number of runs) must be at least 1");
      else out.runs = static_cast<std::uint64_t>(v);
    } else {
      notes.push_back("algorithm parameter " + p.kisao + " = " + p.value +
                      " does not apply to axisim's " +
                      (hybrid ? "hybrid method" : out.tau_leap ? "tau-leaping" : "exact stochastic simulation") + "; ignored");
    }
  }
  return notes;
}

std::vector<std::string> apply_logical_parameters(const Simulation& sim, std::uint64_t& seed) {
  std::vector<std::string> notes;
  for (const AlgorithmParameter& p : sim.parameters) {
    if (normalise(p.kisao) == "KISAO:0000488") {
      char* end = nullptr;
      const double v = std::strtod(p.value.c_str(), &end);
      if (p.value.empty() || *end != '\0' || v < 0 || v != static_cast<double>(static_cast<std::uint64_t>(v)))
        throw std::runtime_error("algorithm parameter " + p.kisao + ": '" + p.value + "' is not a whole number >= 0");
      seed = static_cast<std::uint64_t>(v);
    } else {
      notes.push_back("algorithm parameter " + p.kisao + " = " + p.value + " does not apply to axisim's logical simulation; ignored");
    }
  }
  return notes;
}

OptimizerChoice choose_optimizer(const std::string& kisao) {
  using M = FitMethod;
  using U = OptimizerUse;
  const std::string evolutionary = "NLopt's ISRES, an evolution strategy: another evolutionary algorithm (KISAO:0000520)";
  const std::string least_squares = "neither NLopt nor pagmo has such a method: Levenberg-Marquardt (KISAO:0000515), a "
                                    "local method of the same least-squares problem";
  static const std::map<std::string, OptimizerChoice> table{
      {"KISAO:0000515", {U::AsSuch, "Levenberg-Marquardt", M::LevenbergMarquardt, ""}},
      {"KISAO:0000514", {U::AsSuch, "Nelder-Mead", M::NelderMead, ""}},
      {"KISAO:0000512", {U::AsSuch, "Praxis", M::Praxis, ""}},
      {"KISAO:0000510", {U::AsSuch, "truncated Newton", M::TruncatedNewton, ""}},
      {"KISAO:0000509", {U::AsSuch, "evolutionary strategy", M::EvolutionStrategy, ""}},
      // pagmo2 (Debian's libpagmo-dev): Corana et al.'s simulated annealing, particle swarm and a
      // genetic algorithm, as such.
      {"KISAO:0000503", {U::AsSuch, "simulated annealing", M::SimulatedAnnealing, ""}},
      {"KISAO:0000505", {U::AsSuch, "particle swarm", M::ParticleSwarm, ""}},
      {"KISAO:0000506", {U::AsSuch, "genetic algorithm", M::GeneticAlgorithm, ""}},
      {"KISAO:0000520", {U::Substitute, "evolutionary algorithm", M::EvolutionStrategy,
                         "NLopt's ISRES, an evolution strategy, one of its kind"}},
      {"KISAO:0000504", {U::Substitute, "random search", M::ControlledRandomSearch,
                         "NLopt's CRS2-LM, a controlled random search (random points kept to the best found)"}},
      // GA SR ranks individuals by stochastic ranking (Runarsson and Yao) of the objective and the
      // constraints' violation; a fit has no constraint but its bounds, which the genetic algorithm
      // keeps, so the ranking is by the objective alone: what pagmo's genetic algorithm does.
      {"KISAO:0000507", {U::Substitute, "genetic algorithm SR", M::GeneticAlgorithm,
                         "pagmo's genetic algorithm: stochastic ranking weighs constraint violations, and a fit has "
                         "only its bounds, which the genetic algorithm keeps; it ranks by the objective"}},
      {"KISAO:0000508", {U::Substitute, "evolutionary programming", M::EvolutionStrategy, evolutionary}},
      // Hooke and Jeeves's method alternates exploratory moves (each parameter a step both ways, the
      // step shrunk when none improves) with pattern moves along the last improvement; compass
      // search is the first part alone.
      {"KISAO:0000516", {U::Substitute, "Hooke & Jeeves", M::CompassSearch,
                         "pagmo's compass search, a pattern search of its family: Hooke & Jeeves's exploratory moves "
                         "without its pattern move (neither NLopt nor pagmo has Hooke & Jeeves)"}},
      {"KISAO:0000513", {U::Substitute, "NL2SOL", M::LevenbergMarquardt, least_squares}},
      {"KISAO:0000511", {U::Substitute, "steepest descent", M::LevenbergMarquardt, least_squares}},
      {"KISAO:0000552", {U::Substitute, "optimization method (unspecified)", M::LevenbergMarquardt,
                         "Levenberg-Marquardt (KISAO:0000515), axisim's method for least squares"}},
  };
  const auto it = table.find(normalise(kisao));
  if (it == table.end()) return {U::Unknown, "", M::LevenbergMarquardt, ""};
  return it->second;
}

std::vector<std::string> apply_optimizer_parameters(const std::vector<AlgorithmParameter>& parameters, FitOptions& options) {
  std::vector<std::string> notes;
  const bool global = is_global(options.method);
  const bool nlopt = options.method != FitMethod::LevenbergMarquardt;
  // Praxis draws random directions; compass search draws none.
  const bool random = global || options.method == FitMethod::Praxis;
  const bool annealing = options.method == FitMethod::SimulatedAnnealing;
  const bool population_method = global && !annealing;
  int iterations = 0;
  for (const AlgorithmParameter& p : parameters) {
    const std::string id = normalise(p.kisao);
    char* end = nullptr;
    const double v = std::strtod(p.value.c_str(), &end);
    const bool numeric = !p.value.empty() && *end == '\0';
    auto whole = [&](const char* what, double least) {
      if (!numeric || v < least || v != std::floor(v))
        throw std::runtime_error("algorithm parameter " + p.kisao + " (" + what + "): '" + p.value +
                                 "' is not a whole number >= " + std::to_string(static_cast<int>(least)));
      return std::min(v, 1e9);
    };
    const auto ignored = [&](const std::string& why) {
      notes.push_back("algorithm parameter " + p.kisao + " = " + p.value + " " + why + "; ignored");
    };
    if (id == "KISAO:0000486") {
      iterations = static_cast<int>(whole("maximum iterations", 1));
    } else if (id == "KISAO:0000517") {
      const int g = static_cast<int>(whole("number of generations", 1));
      if (population_method) options.generations = g;
      else ignored("(number of generations) is for a population method");
    } else if (id == "KISAO:0000519") {
      const int n = static_cast<int>(whole("population size", 1));
      if (population_method) options.population = n;
      else ignored("(population size) is for a population method");
    } else if (id == "KISAO:0000522" || id == "KISAO:0000523") {
      const bool start = id == "KISAO:0000522";
      if (!annealing) {
        ignored(start ? "(start temperature) is for simulated annealing" : "(cooling factor) is for simulated annealing");
        continue;
      }
      if (!numeric || !std::isfinite(v) || !(v > 0) || (!start && !(v < 1)))
        throw std::runtime_error("algorithm parameter " + p.kisao + (start ? " (start temperature): '" : " (cooling factor): '") +
                                 p.value + (start ? "' is not a number > 0" : "' is not a number between 0 and 1"));
      (start ? options.start_temperature : options.cooling_factor) = v;
    } else if (id == "KISAO:0000488") {
      const double s = whole("seed", 0);
      if (random) options.seed = static_cast<std::uint64_t>(s);
      else ignored("(seed): " + to_string(options.method) + " draws no random numbers");
    } else if (id == "KISAO:0000597" || id == "KISAO:0000209") {
      if (!numeric || !(v > 0)) throw std::runtime_error("algorithm parameter " + p.kisao + " (tolerance): '" + p.value + "' is not a number > 0");
      options.tolerance = v;
    } else {
      ignored("does not apply to " + to_string(options.method));
    }
  }
  if (iterations > 0) {
    if (global) {
      options.generations = iterations;
      notes.push_back("maximum iterations " + std::to_string(iterations) +
                      (annealing ? ": the annealing's temperature steps" : ": the search's generations"));
    } else if (nlopt) {
      options.max_evaluations = iterations;
      notes.push_back("maximum iterations " + std::to_string(iterations) + ": " + to_string(options.method) +
                      "'s objective evaluations");
    } else {
      options.max_iterations = iterations;
    }
  }
  return notes;
}

}  // namespace axisim::sedml
