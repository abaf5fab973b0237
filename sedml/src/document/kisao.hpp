// kisao.hpp — KiSAO algorithm ids and what axisim does with them.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "axisim/fba.hpp"
#include "axisim/logical.hpp"
#include "axisim/model.hpp"
#include "axisim/steady_state.hpp"
#include "axisim/stochastic.hpp"
#include "axisim/parameter_estimation.hpp"
#include "document/document.hpp"

namespace axisim::sedml {

enum class AlgorithmUse {
  Cvode,       // KISAO:0000019 itself
  Substitute,  // another deterministic ODE integrator: CVODE is used instead (KiSAO's substitution)
  SteadyState, // a steady-state solver: axisim's own (Newton, pseudo-transient continuation, integration)
  Stochastic,  // KISAO:0000029, Gillespie's direct method: axisim's SSA (axisim/stochastic.hpp)
  StochasticSubstitute,  // another exact stochastic simulation algorithm: the direct method instead
  TauLeap,     // tau-leaping (KISAO:0000039 and its kin): axisim's explicit, implicit or adaptive leaping (`leap`)
  Fba,         // flux balance analysis or a variant axisim has (axisim/fba.hpp): `fba` says which
  DynamicFba,  // KISAO:0000499, dynamic FBA of a culture described in an axisim annotation (uniformTimeCourse only)
  Logical,     // a logical model's updating scheme (axisim/logical.hpp): `logical` says which
  LogicalStableStates,  // a logical model's stable state search (steadyState only)
  LogicalTrapSpaces,    // a logical model's minimal trap spaces (steadyState only)
  NotBuilt,    // a kind of algorithm axisim has or may have, not yet reachable from SED-ML
  Unknown,     // an id axisim does not know
};

// Which flux balance analysis an AlgorithmUse::Fba runs.
enum class FbaKind {
  Plain,          // KISAO:0000437: the optimal fluxes (the vertex GLPK stops at)
  Parsimonious,   // KISAO:0000528: pFBA, the optimal fluxes of least total absolute flux
  Variability,    // KISAO:0000526: FVA, each reaction's least and greatest flux (minFlux, maxFlux)
  FewestActive,   // KISAO:0000554: pFBA by the fewest active fluxes (a mixed-integer program)
  Geometric,      // KISAO:0000527: geometric FBA, the optimal fluxes at the centre of the optimal space
};

struct AlgorithmChoice {
  AlgorithmUse use = AlgorithmUse::Unknown;
  std::string name;  // what the id names, where known
  LogicalUpdate logical = LogicalUpdate::Synchronous;  // with AlgorithmUse::Logical
  FbaKind fba = FbaKind::Plain;                        // with AlgorithmUse::Fba
  bool trap_space_substitute = false;  // KISAO:0000662/0000663: axisim's KISAO:0000661 search stands for it
  StochasticMethod leap = StochasticMethod::TauLeap;   // with AlgorithmUse::TauLeap
};

AlgorithmChoice choose_algorithm(const std::string& kisao);

// Applies the algorithm's parameters that axisim has (relative and absolute tolerance, maximum
// number of steps, seed) to `options`; returns one note per parameter it ignores. Throws
// std::runtime_error for a value that is not a number.
std::vector<std::string> apply_algorithm_parameters(const Simulation& sim, SimulationOptions& options);

// Dynamic FBA's parameters (axisim/dynamic_fba.hpp): step size (KISAO:0000483) sets `step`, the
// longest step over which the fluxes are held; returns one note per parameter it ignores. Throws
// std::runtime_error for a step that is not a number above 0.
std::vector<std::string> apply_dfba_parameters(const Simulation& sim, double& step);

// A steadyState simulation's parameters for axisim's solver (axisim/steady_state.hpp): relative
// tolerance (KISAO:0000209, relative steady-state tolerance 0000558), absolute tolerance (0000211,
// absolute steady-state tolerance 0000557, absolute tolerance for root finding 0000565), Newton
// iterations (maximum iterations 0000486, maximum iterations for root finding 0000665, maximum
// number of steps 0000415) and the integration fallback's horizon (maximum time for approximation
// 0000679). One note per parameter ignored, naming it. Throws std::runtime_error for a value out
// of range (tolerances and times above 0, iterations a whole number >= 1).
std::vector<std::string> apply_steady_state_parameters(const Simulation& sim, SteadyStateOptions& options);

// A stochastic simulation's parameters: seed (KISAO:0000488) and number of runs (KISAO:0000498,
// at least 1); with tau_leap set (before the call) also tau-leaping's epsilon (KISAO:0000228,
// between 0 and 1) and critical-reaction threshold (KISAO:0000249, a whole number >= 1), and with
// an implicit or adaptive `method` the partial-equilibrium delta (KISAO:0000248, between 0 and 1). One note
// per parameter ignored (tolerances and the like do not apply). Throws std::runtime_error for a
// value that is not a number or out of range.
struct StochasticParameters {
  std::uint64_t seed = 0x5eed;
  std::uint64_t runs = 1;
  bool tau_leap = false;
  StochasticMethod method = StochasticMethod::Exact;  // with tau_leap: which leaping
  double epsilon = 0.03;
  int critical = 10;
  double delta = 0.05;
};
std::vector<std::string> apply_stochastic_parameters(const Simulation& sim, StochasticParameters& out);

// A logical simulation's parameters: the seed (KISAO:0000488) of asynchronous updating; one note
// per parameter ignored. Throws std::runtime_error for a seed that is not a whole number >= 0.
std::vector<std::string> apply_logical_parameters(const Simulation& sim, std::uint64_t& seed);

// A flux balance simulation's parameters, as BioSimulators' COBRApy names them: the fraction of
// the optimum (KISAO:0000531, in [0, 1]; pFBA and FVA) sets options.fraction_of_optimum; the
// solver (KISAO:0000553) and the number of processes (KISAO:0000529) do not change the result
// and are noted (axisim solves with GLPK, in one process); FVA's pFBA factor (KISAO:0000533, 1 or
// more) sets options.pfba_factor and its loopless flag (KISAO:0000532) options.loopless; a pFBA
// factor outside FVA and selected reactions (KISAO:0000534) would give other results and throw
// Error(Unsupported).
// A value that is not a number, a fraction outside [0, 1] or a factor below 1 throws
// Error(InvalidSbml). Others are noted as ignored.
std::vector<std::string> apply_fba_parameters(const Simulation& sim, FbaKind kind, FbaOptions& options);

// The optimisation algorithm of a parameterEstimationTask, mapped to axisim's Levenberg–Marquardt
// method or one of NLopt's or pagmo2's (axisim/parameter_estimation.hpp, FitMethod). KiSAO's
// substitution policy (libkisao's get_substitutable_algorithms) covers simulation methods only: it
// has no level at which one optimisation method stands in for another short of ANY, so every
// substitution here is axisim's choice and is said in the log:
//   Levenberg–Marquardt 0000515, Nelder–Mead 0000514, Praxis 0000512, truncated Newton 0000510:
//     run as such (the last three by NLopt); simulated annealing 0000503, particle swarm 0000505,
//     genetic algorithm 0000506: run as such by pagmo2;
//   evolutionary strategy 0000509: NLopt's ISRES, an evolution strategy; evolutionary algorithm
//     0000520: ISRES, one of its kind; random search 0000504: NLopt's CRS2-LM, a controlled random
//     search (a random search kept to the best points found);
//   genetic algorithm SR 0000507: pagmo's genetic algorithm (stochastic ranking weighs constraint
//     violations; a fit has only bounds); evolutionary programming 0000508: ISRES, another
//     evolutionary algorithm (their sibling under 0000520), said so;
//   Hooke & Jeeves 0000516: pagmo's compass search, its exploratory moves without the pattern move;
//   NL2SOL 0000513, steepest descent 0000511, an unspecified method 0000552: neither library has
//     the first two: Levenberg–Marquardt, a local method (NL2SOL's own family, adaptive
//     Gauss–Newton for least squares), said so.
// A global method's result is polished by Levenberg–Marquardt (said in the log).
enum class OptimizerUse { AsSuch, Substitute, Unknown };
struct OptimizerChoice {
  OptimizerUse use = OptimizerUse::Unknown;
  std::string name;      // the KiSAO term's name
  FitMethod method = FitMethod::LevenbergMarquardt;
  std::string why;       // for a substitution: why this method
};
OptimizerChoice choose_optimizer(const std::string& kisao);

// The optimisation algorithm's parameters, for `options.method`: maximum iterations
// (KISAO:0000486: Levenberg–Marquardt's iterations; a global search's generations, annealing's
// temperature steps; a local NLopt or pagmo method's evaluations), number of generations
// (0000517) and population size (0000519) for a population method, start temperature (0000522)
// and cooling factor (0000523) for simulated annealing, seed (0000488, the methods that draw
// random numbers), tolerance (0000597; relative tolerance 0000209 as the same). One note per
// parameter ignored (a temperature for another method, a seed, population or generations for a
// method that has none). Throws std::runtime_error for a value that is not a number, not a whole
// number >= 1 (>= 0 for the seed), a temperature not above 0 or a cooling factor outside (0, 1).
std::vector<std::string> apply_optimizer_parameters(const std::vector<AlgorithmParameter>& parameters, FitOptions& options);

}  // namespace axisim::sedml
