// axisim/steady_state.hpp — steady states of a model, and how they move with a parameter.
//
//   axisim::Model model = axisim::Model::from_file("model.xml");
//   axisim::SteadyState s = axisim::steady_state(model);
//   // s.values[i] is s.ids[i] at the steady state; s.method says which method got there,
//   // s.stability and s.eigenvalues what a small perturbation does.
//
//   axisim::SteadyStateScan scan = axisim::scan_steady_state(model, "k1", 0.1, 10, 50);
//   // one steady state per value of k1, each started from the previous one; scan.folds lists
//   // where a branch ends (a saddle-node) or a real eigenvalue crosses zero.
//
// The system solved is dy/dt = 0 for every state (species changed by reactions, variables of
// rate rules, plugin states), with assignment and algebraic rules holding, reduced by the
// conservation laws (axisim/moieties.hpp) so that the Jacobian is not singular by construction.
// Time-dependent formulas are frozen at SteadyStateOptions::time. Methods, tolerances and what
// is refused are described in docs/analyses.md.
#pragma once

#include <complex>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "axisim/model.hpp"

namespace axisim {

enum class SteadyStateMethod {
  Auto,             // Newton, then pseudo-transient continuation, then integration (the first that converges)
  Newton,           // damped Newton with a line search, from the initial state
  PseudoTransient,  // implicit Euler steps growing into Newton steps (switched evolution relaxation)
  Integration,      // CVODE towards the steady state, Newton-polished once the state settles
};

// "auto", "newton", "pseudo-transient", "integration"; nullopt for any other name.
std::optional<SteadyStateMethod> steady_state_method_from_name(std::string_view name);
const char* steady_state_method_name(SteadyStateMethod method);

struct SteadyStateOptions {
  SteadyStateMethod method = SteadyStateMethod::Auto;
  // Converged when the last Newton step is within rtol * |y_i| + atol * scale_i for every state
  // (scale_i: the compartment size, at most 1, for species kept as amounts; 1 otherwise).
  double rtol = 1e-10;
  double atol = 1e-12;
  int max_iterations = 100;   // Newton iterations (pseudo-transient: 20 times as many steps)
  // Integration: horizons 1, 10, 100, ... model time units, up to this (each from the last).
  double max_integration_time = 1e10;
  double time = 0.0;          // the time at which formulas that read time are evaluated
  // A species or compartment below -(10 atol + 1e-12 |its conservation law's size|) makes a
  // method's result unacceptable (the next method is tried; Error(Solver) if none is left);
  // with this set it is returned, with a warning.
  bool allow_negative = false;
  // Eigenvalues are computed (dense, O(n^3)) for reduced systems of at most this many states.
  std::size_t max_eigenvalue_states = 1000;
  // A stop request (axisim/error.hpp): read at every Newton iteration and pseudo-transient step,
  // before each stretch of integration and, inside one, as a simulation reads it; when set, the
  // call throws Stopped saying where (a scan stops at the point it was solving).
  const StopFlag* stop = nullptr;
};

enum class Stability { Stable, Unstable, Marginal, Unknown };
const char* stability_name(Stability s);  // "stable", "unstable", "marginal", "unknown"

struct SteadyState {
  std::vector<std::string> ids;  // the outputs asked for (all species, then plugin outputs, by default)
  std::vector<double> values;
  std::string method;            // "newton", "pseudo-transient" or "integration"
  int iterations = 0;            // Newton or pseudo-transient iterations of the method that converged
  double residual = 0.0;         // max |dy/dt| over all states (each in its own units per time unit)
  double time_integrated = 0.0;  // model time integrated (integration only)
  // Of the reduced Jacobian (independent states; states nothing depends on are left out):
  // eigenvalues (empty above max_eigenvalue_states), the stability they mean (an eigenvalue with
  // |Re| below 1e-9 times the Jacobian's norm is taken as zero: Marginal), the sign of the
  // determinant, and the largest real part.
  std::vector<std::complex<double>> eigenvalues;
  Stability stability = Stability::Unknown;
  int determinant_sign = 0;
  double max_real_eigenvalue = 0.0;
  std::size_t reduced_states = 0;     // unknowns of the Newton system
  std::size_t conservation_laws = 0;  // used to reduce it
  std::vector<std::string> warnings;  // held states, negative values allowed, frozen time, ...
};

// Throws Error: Unsupported (events, delay, fast reactions — each named), Solver (no method
// converged, or only to negative concentrations; the message says what each method did),
// UnknownId (an output), InvalidSbml (undefined values), Plugin (a plugin fault).
SteadyState steady_state(const Model& model, const SteadyStateOptions& options = {},
                         const std::vector<OutputSpec>& outputs = {});

struct Fold {
  // Where: the parameter value estimated from the smallest real eigenvalue's approach to zero,
  // and the bracket it was found in (the last point on the branch and the first beyond it).
  double parameter = 0.0, lower = 0.0, upper = 0.0;
  // "turning point" (the branch ends: continuation cannot go on; the scan jumped to another
  // branch), "zero eigenvalue" (a real eigenvalue changed sign between two points on a branch)
  // or "boundary" (the branch goes on only through negative concentrations).
  std::string kind;
};

struct SteadyStateScan {
  std::string parameter;
  std::vector<double> parameter_values;  // the grid, LO to HI (either order)
  std::vector<SteadyState> states;       // one per grid value
  // Per grid value: "" on the branch followed so far, "jump" when continuation failed past a
  // fold and the point was solved afresh (it lies on another branch).
  std::vector<std::string> notes;
  std::vector<Fold> folds;
};

// Natural-parameter continuation: `points` values from lo to hi (lo > hi scans downwards), each
// solved by Newton from the previous solution (secant-predicted); a failed step is halved, down
// to 1e-6 of the grid spacing, before a fold is reported and the point is solved afresh (Auto).
// The first point is solved as steady_state() would. The parameter is any id set_value accepts.
SteadyStateScan scan_steady_state(const Model& model, std::string_view parameter, double lo, double hi, int points,
                                  const SteadyStateOptions& options = {}, const std::vector<OutputSpec>& outputs = {});

}  // namespace axisim
