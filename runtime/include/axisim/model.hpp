// axisim/model.hpp — load an SBML model, set values by id, simulate it to a grid.
//
//   axisim::Model model = axisim::Model::from_file("model.xml");
//   model.set_value("k1", 0.5);
//   axisim::SimulationOptions opt;  opt.end = 100;  opt.steps = 100;
//   axisim::Result r = model.simulate(opt, {{"S1"}, {"S2", axisim::Quantity::Amount}});
//
// A Model owns an immutable compiled system (shared between copies) and a small table of
// user-set initial values. Copying a Model is cheap; simulate() is const and keeps all its
// working memory local, so several threads may simulate the same Model, or copies of it, at once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/plugin_record.hpp"
#include "axisim/result.hpp"

namespace axisim {

class Plugin;
class RunState;  // axisim/run_state.hpp
namespace detail {
struct PluginBinding;
struct ModelAccess;  // the runtime's analyses (runtime/src/model_access.hpp) read the compiled system
}

// How the compiled model's formulas (right-hand side, Jacobian, rules, event roots) run.
//   Auto:        the bytecode interpreter at once; native code is compiled in the background
//                (C generated from the bytecode, built with the system's C compiler, cached by
//                a hash of the code) and takes over when it is ready, even in the middle of a
//                run: at load for large models, and for medium ones once this Model has spent
//                50 ms simulating (repeated runs). Both compute the same numbers.
//   Interpreter: never compile to native code.
//   Native:      compile to native code during the load and wait for it; falls back to the
//                interpreter, with a warning, when no C compiler is available.
enum class Backend { Auto, Interpreter, Native };

struct LoadOptions {
  // Run libSBML's consistency checks (general, identifier, MathML, SBO, overdetermined; units
  // only as warnings). Errors stop the load with ErrorKind::InvalidSbml.
  bool validate = true;
  Backend backend = Backend::Auto;
  // Integrate reactions marked fast (Level 2, Level 3 Version 1) as ordinary kinetics instead of
  // holding them at rapid equilibrium, as most simulators do. Some exporters mark every
  // reaction fast; solving all of them for equilibrium then fails ("Newton's method did not
  // converge"). A warning at load names models where most reactions are fast.
  bool ignore_fast = false;
};

// How a species is reported or set: as the model's math sees it (concentration unless the
// species has hasOnlySubstanceUnits), or explicitly as an amount or a concentration.
enum class Quantity { Default, Amount, Concentration };

// A time course's output column. "time" (in a model with no element of that id) is accepted and
// skipped: every time course has the time as its first column.
struct OutputSpec {
  std::string id;  // species, compartment, parameter, species reference or reaction (its rate)
  Quantity quantity = Quantity::Default;
};

enum class SymbolKind { Compartment, Species, Parameter, SpeciesReference, Reaction, LocalParameter };

// The Newton iteration's linear solver: Dense (dense LU, best for small models), Sparse
// (SUNDIALS' KLU on the Jacobian's sparsity pattern, known at load) or Iterative (GMRES
// preconditioned by an incomplete LU, for large networks whose exact LU would fill in). Auto
// picks dense for small models, sparse for large sparse ones, and iterative where KLU's
// symbolic analysis predicts heavy fill (thresholds in docs/performance.md).
enum class LinearSolver { Auto, Dense, Sparse, Iterative };
// The Jacobian: Analytic (symbolic derivatives of the compiled model, the unknowns of algebraic
// rules and fast reactions differentiated implicitly; what the derivatives cannot express, such
// as the columns of the states a delay reads and of tissue plugins' states and the rows plugins
// write, computed by difference quotients) or Numeric (difference quotients only). Auto is
// Analytic, with or without plugins: every model has one, except where a fast species' amount
// and an assignment rule read each other (then CVODE's dense difference quotients, as Numeric).
enum class JacobianKind { Auto, Analytic, Numeric };

// The names scenario files, batch job files and the CLI use for these choices ("auto", "dense",
// "sparse", "iterative"; "auto", "analytic", "numeric"); nullopt for any other name.
std::optional<LinearSolver> linear_solver_from_name(std::string_view name);
std::optional<JacobianKind> jacobian_from_name(std::string_view name);

// The model's initial state holds at time 0, as in SBML; `start` is the first reported time
// (the run integrates silently from 0 to start when start > 0).
struct SimulationOptions {
  double start = 0.0;
  double end = 10.0;
  int steps = 100;         // equal output intervals; the result has steps + 1 rows
  double atol = 1e-12;     // absolute tolerance on every state (amounts, sizes, values)
  double rtol = 1e-8;
  long max_steps = 500000; // CVODE internal steps allowed between two output times
  // SBML leaves the order of simultaneous events of equal priority to chance; they are drawn
  // from a generator seeded with this, so that a run can be repeated exactly.
  unsigned long long seed = 0x5eed;
  LinearSolver linear_solver = LinearSolver::Auto;
  JacobianKind jacobian = JacobianKind::Auto;
  // Wall-time limit of one simulate() call in seconds (0: none). Checked cooperatively, every
  // 64 right-hand side evaluations and at every restart and output time; when it passes, the run
  // stops cleanly like a plugin fault: the rows so far, Result::timed_out set, Result::error says
  // when.
  double max_seconds = 0.0;
  // A stop request (axisim/error.hpp), checked where max_seconds is (every 64 right-hand side
  // evaluations, every restart and output time): when it is set the run stops like a timeout, with
  // the rows so far, Result::stopped holding the flag's value and Result::error saying where.
  const StopFlag* stop = nullptr;
  // Integrate the reduced system: every conservation law of the stoichiometry (as `axisim
  // moieties` finds them) takes one species out of the integrated state, computed from the law
  // and its total instead (the total taken again after every event). The same results as the
  // whole system to the tolerances; the Jacobian of the reduced system is CVODE's dense
  // difference quotients. Refused (Unsupported) where a species in a law is moved by a fast
  // reaction. See docs/analyses.md.
  bool reduce_moieties = false;
};

class Model {
 public:
  static Model from_file(const std::string& path, const LoadOptions& options = {});
  static Model from_string(const std::string& sbml, const LoadOptions& options = {});

  Model(const Model&);
  Model& operator=(const Model&);
  Model(Model&&) noexcept;
  Model& operator=(Model&&) noexcept;
  ~Model();

  const std::string& id() const;
  // Every id that set_value, initial_value and OutputSpec accept. Local parameters appear as
  // "reactionId.parameterId".
  std::vector<std::string> ids() const;
  bool has_id(std::string_view id) const;
  SymbolKind kind(std::string_view id) const;  // throws UnknownId

  // Sets the initial value of a symbol. It replaces the model's value and any initial
  // assignment to that symbol; initial assignments and rules that depend on it are recomputed
  // at the start of each simulation. Symbols set by an assignment rule, and parameters an
  // attached plugin drives, cannot be set (Usage). "<plugin>.<state>" sets the initial value of
  // an attached plugin's state (it then keeps that value whatever the plugin's init computes).
  void set_value(std::string_view id, double value, Quantity quantity = Quantity::Default);

  // The value of a symbol at time 0, after initial assignments and rules.
  double initial_value(std::string_view id, Quantity quantity = Quantity::Default) const;

  // Attaches a tissue plugin (axisim/plugin_host.hpp): binds its inputs and effects to this
  // model's ids and sets its parameters (name = value; the rest keep their defaults). Its states
  // are integrated with the model's; its states and outputs are reported as "<plugin>.<name>".
  // Throws Error(Plugin) naming the plugin and the id or parameter that does not fit, or a
  // parameter it would drive whose value set_value set.
  void attach(const Plugin& plugin, const std::vector<std::pair<std::string, double>>& parameters = {},
              const std::map<std::string, double>& initial_states = {});
  struct AttachedPlugin {
    std::string name, version, path;
    std::vector<std::pair<std::string, double>> parameters;  // every parameter, with its value
    std::vector<std::string> states;                         // the names of its states
    std::vector<std::string> outputs;                        // the names of its outputs
  };
  std::vector<AttachedPlugin> plugins() const;
  // Sets an attached plugin's parameter (as attach's `parameters` do): every callback of the
  // plugin gets the value in its parameter array from the next run on, a run continued with
  // simulate_from included (from the time its state holds). Throws UnknownId naming the plugin
  // or the parameter it lacks.
  void set_plugin_parameter(std::string_view plugin, std::string_view parameter, double value);
  // The parameters a plugin may drive (an AXISIM_EFFECT_PARAMETER): non-constant parameters that
  // no rule, reaction or event sets, in the model's order, with the attached plugin driving each
  // one ("" if none).
  std::vector<std::pair<std::string, std::string>> drivable_parameters() const;
  // Plugins the SBML file itself records (an axisim annotation written by `axisim export`):
  // attach them to reproduce the coupled run the file was exported from.
  const std::vector<PluginRecord>& recorded_plugins() const;

  // Integrates from options.start to options.end and reports `outputs` (all species in their
  // default quantity, then every plugin output, when empty) at every output time. Throws
  // Error(Solver) if CVODE fails. A plugin fault stops the run cleanly: the result holds the
  // rows so far and Result::error names the plugin.
  // With `end_state`, the state the run ended in (at options.end) goes there, to continue from
  // (simulate_from); it is left as it was when the run stops early (a plugin fault, a timeout).
  Result simulate(const SimulationOptions& options, const std::vector<OutputSpec>& outputs = {},
                  RunState* end_state = nullptr) const;
  // Continues a run from `from` (axisim/run_state.hpp), which a run of this model or a copy of it
  // ended in, with the same plugins attached (Usage otherwise). options.start and options.end are
  // times on the run's own clock: from.time() <= options.start (the run integrates silently from
  // from.time() to options.start). This Model's set values are not used: `from` holds every value.
  Result simulate_from(const RunState& from, const SimulationOptions& options,
                       const std::vector<OutputSpec>& outputs = {}, RunState* end_state = nullptr) const;

  struct Impl;  // compiled system; defined in runtime/src

 private:
  friend struct detail::ModelAccess;
  explicit Model(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
  struct Override {
    std::size_t symbol;
    double value;
    Quantity quantity;
  };
  std::vector<Override> overrides_;  // user-set initial values, applied at the start of a run
  std::vector<std::shared_ptr<const detail::PluginBinding>> plugins_;
};

}  // namespace axisim
