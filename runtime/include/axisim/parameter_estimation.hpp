// axisim/parameter_estimation.hpp — fitting a model's parameters to measurements: weighted least
// squares over time courses and steady states, minimised by a bounded Levenberg–Marquardt method
// whose Jacobian comes from forward sensitivities.
//
//   axisim::FitParameter k{"k", 1.0, 1e-3, 1e3, axisim::ParameterScale::Log10, {}};
//   axisim::FitExperiment e;
//   e.id = "decay";  e.times = {1, 2, 4};  e.outputs = {{"S"}};
//   e.observables = {{"S", {0}, {}, {7.4, 5.5, 3.0}, {}}};
//   axisim::FitResult r = axisim::fit_parameters(model, {k}, {e});
//   // r.fitted[0] is k, r.objective the weighted sum of squares there, r.curves the fit.
//
// The objective is sum over every measured point of w (y - d)^2: y the model's value of the
// observable at the point, d the measurement, w the point's weight. A time course integrates the
// model from time 0 with the experiment's conditions set (after the parameters: a condition on a
// fitted id wins, and that parameter does not move that experiment) and reads the observables at
// the measurement times; a steady state solves the model once (axisim/steady_state.hpp) and
// compares every measurement of an observable with its one value.
//
// The method works on internal coordinates u: the value p itself (Linear), ln p (Log) or
// log10 p (Log10), so that a parameter spanning decades moves by factors. Each iteration solves
// (J'J + lambda D) du = -J'r for the parameters not held at a bound (those at a bound whose
// gradient points outward), D the diagonal of J'J (Marquardt's scaling), projects u + du into
// the bounds, and keeps the step when the objective falls (lambda is then lowered by
// Nielsen's rule, else raised). J, the residuals' derivatives in u, is the chain rule over the
// outputs' forward sensitivities (time_course_sensitivities_at, CVODES; steady_state_sensitivities,
// the implicit function theorem) times dp/du. Linear algebra: Eigen.
//
// It stops when an accepted step lowers the objective by less than `tolerance` times its value,
// or moves u by less than `tolerance` (relative), when the gradient of the free parameters
// vanishes (below tolerance times the objective, scaled), when lambda has grown past 1e16 without
// a step that lowers the objective, or after max_iterations. It finds a local minimum: where the
// start lies in another valley, the fit stays there (FitResult::stop says why it stopped).
//
// FitOptions::method chooses another optimiser, from NLopt (Debian's libnlopt), run on the same
// objective in the same internal coordinates u: the derivative-free local methods Nelder–Mead and
// Praxis, the truncated Newton method (its gradient 2 J'r from the same sensitivities), and the
// global searches ISRES (an evolution strategy) and CRS2 (controlled random search with local
// mutation), which need finite bounds on every parameter and sample the whole box. A global
// search is followed by the Levenberg–Marquardt method from its best point (`polish`), as
// PEtab-style tools do: the search finds the valley, the local method its bottom.
//
// From pagmo2 (Debian's libpagmo-dev), on the same objective in u, seeded: simulated annealing
// (Corana et al.'s, geometric cooling from start_temperature by cooling_factor per step), particle
// swarm (pagmo's pso, Clerc's constriction), a simple genetic algorithm (pagmo's sga), all global
// and polished like ISRES, and compass search (Kolda, Lewis and Torczon's pattern search: each
// parameter moved by a step both ways, the step halved when no move improves; local, unpolished,
// within finite bounds). A population method starts from the initial values and random points of
// the box drawn from the seed; annealing and compass search from the initial values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/steady_state.hpp"

namespace axisim {

enum class ParameterScale { Linear, Log, Log10 };

struct FitParameter {
  std::string id;  // what Model::set_value sets: a parameter, a compartment's size, a species' initial value, "R.k"
  double initial = 0.0;
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  ParameterScale scale = ParameterScale::Linear;  // Log and Log10 need lower > 0
  std::vector<std::size_t> experiments;  // the experiments (indices) it applies to; empty: every one
  // The model (index into fit_parameters' models) whose value it sets: it applies only to the
  // experiments that run that model. Two models' values of one id are two parameters.
  std::size_t model = 0;
};

struct FitObservable {
  std::string name;
  // The model values it reads: indices into FitExperiment::outputs, or kTimeInput for the time.
  std::vector<std::size_t> inputs;
  // Its value from the inputs' values; empty: the one input itself. Its derivatives are central
  // differences of this function (step 1e-6 |x|, 1e-8 at 0), chained with the inputs' sensitivities.
  std::function<double(const std::vector<double>&)> formula;
  // One measurement per time of FitExperiment::times (a time course) or a list of measurements of
  // the one steady value (a steady state); NaN: not measured.
  std::vector<double> data;
  std::vector<double> weights;  // per measurement (empty: 1); a NaN weight leaves the point out
  static constexpr std::size_t kTimeInput = static_cast<std::size_t>(-1);
};

struct FitExperiment {
  std::string id;
  bool steady_state = false;
  std::vector<double> times;  // a time course's measurement times (>= 0, any order, repeats allowed)
  std::vector<std::pair<std::string, double>> conditions;  // Model::set_value before the run
  std::vector<OutputSpec> outputs;  // the model values the observables read
  std::vector<FitObservable> observables;
  SimulationOptions simulation;  // tolerances and steps of the integrator (start, end, steps unused)
  SteadyStateOptions steady;
  std::size_t model = 0;  // the model (index into fit_parameters' models) it runs
};

enum class FitMethod {
  LevenbergMarquardt,
  NelderMead,             // NLopt LN_NELDERMEAD
  Praxis,                 // NLopt LN_PRAXIS (Brent's principal axis method)
  TruncatedNewton,        // NLopt LD_TNEWTON_PRECOND_RESTART
  EvolutionStrategy,      // NLopt GN_ISRES (global)
  ControlledRandomSearch, // NLopt GN_CRS2_LM (global)
  SimulatedAnnealing,     // pagmo simulated_annealing (Corana et al. 1987; global)
  ParticleSwarm,          // pagmo pso (global)
  GeneticAlgorithm,       // pagmo sga (global)
  CompassSearch           // pagmo compass_search (a local pattern search within finite bounds)
};
// A global method searches the bounds' box (every bound finite) and is polished by
// Levenberg–Marquardt; compass search also needs finite bounds (its steps are fractions of the box).
bool is_global(FitMethod m);
bool needs_bounds(FitMethod m);
bool is_pagmo(FitMethod m);
std::string to_string(FitMethod m);  // "Levenberg-Marquardt", "NLopt ISRES (evolution strategy)", ...

struct FitOptions {
  FitMethod method = FitMethod::LevenbergMarquardt;
  int max_iterations = 100;  // Levenberg–Marquardt's iterations (also when it polishes)
  // Also NLopt's relative tolerances on the objective and u (local methods), and compass search's
  // smallest step (a fraction of the box, at most 0.05).
  double tolerance = 1e-8;
  // An NLopt or pagmo method's budget: objective evaluations (0: population x generations for an
  // NLopt global search, 200 (n + 1) for a local one; pagmo's global methods run their
  // generations), its population (0: ISRES's 20 (n + 1), CRS2's, particle swarm's and the genetic
  // algorithm's 10 (n + 1)), generations of a global search (annealing: its temperature steps),
  // the seed of its random numbers (the same seed gives the same search), and whether
  // Levenberg–Marquardt follows a global search.
  int max_evaluations = 0;
  int population = 0;
  int generations = 100;
  std::uint64_t seed = 1;
  bool polish = true;
  // Simulated annealing: the first temperature (an increase of the objective by T is accepted with
  // probability 1/e) and the factor T shrinks by at each of its `generations` steps (COPASI's
  // defaults, 1 and 0.85). Each step tries 20 moves per parameter.
  double start_temperature = 1.0;
  double cooling_factor = 0.85;
  // A stop request (axisim/error.hpp), read at every Levenberg–Marquardt iteration and every NLopt
  // evaluation (nlopt_force_stop; pagmo's searches are not stopped inside): when set, fit_parameters throws Stopped.
  const StopFlag* stop = nullptr;
};

// One observable of one experiment at the fitted parameters, at its measured points.
struct FitCurve {
  std::string experiment, observable;
  std::vector<double> times;  // a steady state's points have NaN times
  std::vector<double> data, fitted, weights;
};

struct FitResult {
  std::vector<std::string> ids;  // FitParameter::id, in order
  std::vector<double> initial, fitted;
  std::vector<bool> at_bound;  // the fitted value lies on a bound
  double initial_objective = 0.0, objective = 0.0;
  std::size_t points = 0;  // measured points in the objective
  int iterations = 0;      // Levenberg–Marquardt iterations (accepted and rejected steps)
  int evaluations = 0;     // objective (and Jacobian) evaluations, each one run per experiment
  std::string stop;        // why the method stopped
  // An NLopt method's part (FitOptions::method other than Levenberg–Marquardt): its best
  // objective and evaluations, why it stopped, its best values; the rest above is after the polish.
  std::string method;      // to_string(FitOptions::method)
  double search_objective = std::numeric_limits<double>::quiet_NaN();
  int search_evaluations = 0;
  std::string search_stop;
  std::vector<double> search_fitted;
  bool polished = false;   // Levenberg–Marquardt ran after the search
  std::vector<FitCurve> curves;
  // Per experiment, its outputs at the fitted parameters: a time course at its distinct
  // measurement times, ascending; a steady state one row (time NaN). values: rows x outputs.
  struct Values {
    std::vector<double> times, values;
  };
  std::vector<Values> outputs;
};

// Throws Error(Usage) for a problem that is not well posed (bounds with lower > upper, an
// initial value outside them, Log/Log10 with lower <= 0, an experiment index out of range, an
// observable's data of the wrong length, no measured point, a global method with a parameter
// whose bounds are not finite, an NLopt budget below 1), Error(UnknownId) for an id the
// model lacks, and what the sensitivities and the steady-state solver throw at the initial
// values (Unsupported, Solver). A failure at a trial point later is a rejected step.
FitResult fit_parameters(const Model& model, const std::vector<FitParameter>& parameters,
                         const std::vector<FitExperiment>& experiments, const FitOptions& options = {});

// Several models under one parameter vector: each experiment runs models[FitExperiment::model]
// with the parameters of that model (FitParameter::model) set, and one objective sums over all
// experiments. Besides the errors above: Error(Usage) for a model index out of range, a null
// model, or an experiment whose model no parameter sets. The one-model forms are this with {&model}.
FitResult fit_parameters(const std::vector<const Model*>& models, const std::vector<FitParameter>& parameters,
                         const std::vector<FitExperiment>& experiments, const FitOptions& options = {});

// The objective at the given parameter values (one per FitParameter), without fitting.
double fit_objective(const Model& model, const std::vector<FitParameter>& parameters,
                     const std::vector<FitExperiment>& experiments, const std::vector<double>& values);
double fit_objective(const std::vector<const Model*>& models, const std::vector<FitParameter>& parameters,
                     const std::vector<FitExperiment>& experiments, const std::vector<double>& values);

}  // namespace axisim
