// runner.hpp — the executor of one SED-ML document (run_document in run_document.cpp): a Runner
// resolves models and variables, runs tasks, evaluates data generators and writes outputs. Its
// member functions are defined by stage in this folder (models.cpp, variables.cpp, tasks.cpp, ...
// outputs.cpp; docs/architecture.md lists them); nothing outside sedml/src/execute sees this header.
#pragma once

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "axisim/control_analysis.hpp"
#include "axisim/dynamic_fba.hpp"
#include "axisim/fba.hpp"
#include "axisim/logical.hpp"
#include "axisim/matrix.hpp"
#include "axisim/moieties.hpp"
#include "axisim/run_state.hpp"
#include "axisim/sedml.hpp"
#include "axisim/steady_state.hpp"
#include "axisim/stochastic.hpp"
#include "data/data_source.hpp"
#include "document/document.hpp"
#include "document/kisao.hpp"
#include "document/math.hpp"
#include "execute/aggregation.hpp"
#include "model/plugin_annotation.hpp"
#include "model/sbml_xml.hpp"
#include "output/plot.hpp"
#include "output/reports_h5.hpp"
#include "output/result_shape.hpp"
#include "output/run_log.hpp"
#include "tasks/estimation.hpp"
#include "tasks/logical_task.hpp"

namespace axisim::sedml::execution {

namespace fs = std::filesystem;

inline const std::string kTime = "urn:sedml:symbol:time";

// The problem a stopped run records (Runner::stopping), and its type in log.yml.
inline const char* const kStopped = "stopped by signal ";
inline bool is_stop(const Problem& p) { return p.message.rfind(kStopped, 0) == 0; }
inline const char* problem_type(const Problem& p) { return is_stop(p) ? "Interrupted" : error_type(p.kind); }

inline bool is_amount(const std::string& s) { return s == "KISAO:0000836" || s == "KISAO_0000836"; }
inline bool is_concentration(const std::string& s) { return s == "KISAO:0000838" || s == "KISAO_0000838"; }

inline bool is_time_symbol(const std::string& s) { return s == kTime || s == "KISAO:0000832" || s == "KISAO_0000832"; }

inline bool is_rate_of_change(const std::string& s) { return s == "KISAO:0000834" || s == "KISAO_0000834"; }

inline bool is_particles(const std::string& s) { return s == "KISAO:0000837" || s == "KISAO_0000837"; }

// Avogadro's constant as the SI has defined it exactly since 2019 and SBML Level 3 Version 2
// Release 2 takes it (Level 3 Version 1's avogadro csymbol was 6.02214179e23).
constexpr double kAvogadro = 6.02214076e23;

inline std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct ResolvedModel {
  std::shared_ptr<const SbmlXml> xml;
  std::shared_ptr<const Model> model;  // null for a flux balance (fbc) model: only FBA runs it
  // A logical (SBML qual) model: only a logical simulation runs it (model is null then).
  std::shared_ptr<const LogicalModel> logical;
  std::vector<PluginRecord> plugins;   // its axisim annotation's, with those of the model it derives from
};

// A variable as a task reports it: time, or an SBML symbol in a quantity.
struct Column {
  bool time = false;
  OutputSpec spec;
  bool rate = false;  // KISAO:0000834: the species' rate of change, computed from reaction rates
  // A reaction's "minFlux" or "maxFlux" (flux variability analysis, as BioSimulators names them),
  // a reaction's "reducedCost" or a species' "shadowPrice" (FBA's duals); empty for a flux or value.
  std::string flux_range;
  // What the data generators read is the run's value times this: particles per unit of a
  // species' substance for its particle number (KISAO:0000837, of its amount), else 1.
  double scale = 1.0;
  // A Version 4 matrix term ("KISAO:0000811", ...; variable_terms.hpp): the task's matrix, row by
  // row (its rows and columns in Runner::matrices_), not a value per point.
  std::string matrix;
  bool operator<(const Column& o) const {
    if (time != o.time) return time;
    if (rate != o.rate) return rate;
    if (flux_range != o.flux_range) return flux_range < o.flux_range;
    if (scale != o.scale) return scale < o.scale;
    if (matrix != o.matrix) return matrix < o.matrix;
    if (spec.id != o.spec.id) return spec.id < o.spec.id;
    return static_cast<int>(spec.quantity) < static_cast<int>(o.spec.quantity);
  }
};

// A species' rate of change as SBML's right-hand side gives it: the sum of its stoichiometries
// times the reactions' rates (amount per time), divided by its compartment's size when the model
// uses its concentration.
struct RateRecipe {
  std::vector<std::pair<std::string, double>> terms;  // reaction id, net stoichiometry
  std::string compartment;                             // empty: the amount's rate
  // A value driven by a rate rule: the rule's math, on the same run's columns (its identifiers,
  // in the quantity the model uses, and the time).
  std::optional<MathNode> rule;
  // A value an assignment rule sets: the rule's derivative by the chain rule, on the run's
  // columns, the time and the rates `chain_rates` names (each a rate column of its own).
  std::optional<MathNode> chain;
  std::vector<std::pair<std::string, Column>> chain_rates;
};

// The column of a model value in the quantity the model uses, and the time's.
inline Column value_column(const std::string& id) {
  Column c;
  c.spec = {id, Quantity::Default};
  return c;
}
inline Column time_column() {
  Column c;
  c.time = true;
  return c;
}

// How a simulation runs: a time course, or a steady state (one row).
struct Plan {
  bool steady = false;
  // A time course's options hold its output times as SED-ML gives them; the run starts from the
  // model's state at `initial_time` (uniformTimeCourse) or at the model's current time, carried
  // from the run before (oneStep: one output interval of `step`, two rows).
  bool one_step = false;
  double step = 0.0, initial_time = 0.0;
  SimulationOptions time_course;
  SteadyStateOptions steady_state;
  // A time course by exact stochastic simulation (axisim/stochastic.hpp): one trajectory, or with
  // a number of runs above 1 the mean of that many.
  bool stochastic = false;
  StochasticParameters ssa;
  // Flux balance analysis (axisim/fba.hpp) of a steadyState simulation: one value per variable.
  bool fba = false;
  FbaKind fba_kind = FbaKind::Plain;
  FbaOptions fba_options;  // the fraction of the optimum (pFBA, FVA)
  // Dynamic FBA (axisim/dynamic_fba.hpp) of a uniformTimeCourse: the culture's description from
  // the algorithm's axisim annotation; time_course and initial_time give the times.
  bool dfba = false;
  DfbaDescription dfba_description;
  // A logical model's time course (axisim/logical.hpp): time counts update steps.
  bool logical = false;
  LogicalUpdate update = LogicalUpdate::Synchronous;
  std::uint64_t logical_seed = 0x5eed;
  bool logical_one_level = false;  // the algorithm's axisim annotation: one level per update (GINsim's)
  // A logical model's steadyState: the attractors `update` reaches, or every stable state.
  LogicalRun::Kind logical_kind = LogicalRun::Kind::TimeCourse;
  // A trap space search's: which trap spaces, and two values (lowest, highest level) per trap
  // space instead of one (the axisim annotation's trapSpaces and trapSpaceValues).
  TrapSpaceKind logical_trap_kind = TrapSpaceKind::Minimal;
  bool logical_trap_bounds = false;
};

// More reaction events than this in one stochastic task (estimated at its start) are refused:
// minutes of work at best, and a model counted in moles would never finish.
constexpr double kMaxStochasticFirings = 1e9;

struct TaskRun {
  bool attempted = false, ok = false;
  std::size_t iterations = 0;  // a repeated task's: the outer dimension of its (flat) values
  std::map<Column, Series> columns;  // what the data generators read
  Layout layout;                     // how the flat columns were made (result_shape.hpp)
};

class Runner {
 public:
  // `log` (may be null): the run log and this document's place in it (log.yml, run_log.hpp).
  Runner(const Document& doc, const std::string& path, const RunOptions& options, RunReport& report,
         RunLog* log = nullptr, std::size_t doc_index = 0)
      : doc_(doc), dir_(fs::path(path).parent_path()), options_(options), report_(report), data_sources_(doc, dir_),
        log_(log), doc_index_(doc_index) {
    location_ = options.location.empty() ? fs::path(path).filename().string() : options.location;
  }

  void run();

 private:
  const Document& doc_;
  fs::path dir_;
  const RunOptions& options_;
  RunReport& report_;
  DataSources data_sources_;      // the dataDescriptions' data, read when a variable asks
  std::size_t data_warnings_ = 0;  // how many of data_sources_'s warnings are in the report
  std::string location_;
  std::map<std::string, std::optional<ResolvedModel>> models_;
  std::map<std::string, std::set<Column>> needed_;        // task id -> columns
  std::map<std::string, std::optional<Column>> variable_column_;  // "dg/var" -> column (nullopt: failed)
  std::map<std::string, TaskRun> runs_;
  std::map<std::string, std::optional<Plan>> sim_options_;  // each simulation checked once
  std::map<std::string, std::optional<Series>> generated_;
  std::map<std::string, std::shared_ptr<const SbmlXml>> files_;
  std::map<std::string, std::vector<OutputSpec>> carried_specs_;  // model id -> its state (carried_state)
  std::map<std::string, std::string> reads_time_;                  // model id -> why it reads the time
  std::map<std::string, RateRecipe> rates_;                        // rate column id -> its recipe
  std::map<std::string, Matrix> matrices_;                         // task id + "\n" + matrix term -> its last value
  std::map<std::string, std::string> generated_matrix_;            // data generator id -> the matrix it keeps, in words
  std::map<std::string, std::uint64_t> next_replicate_;            // stochastic simulation id -> next replicate
  std::map<std::string, Aggregation> aggregations_;                // "dg/var" -> its aggregation term
  std::map<std::string, std::size_t> iteration_counts_;            // repeated task id -> its iterations
  DataSources::Iterations current_iterations_;                     // running repeated task id -> its iteration
  std::map<std::string, std::optional<Series>> data_;              // "dg/var" -> a data source's values
  std::map<std::string, std::vector<std::size_t>> data_shape_;     // "dg/var" -> that data source's shape
  std::map<std::string, std::vector<std::size_t>> generated_shape_;  // data generator id -> a data source's
                                                                     // shape of 2 or more dimensions it keeps
  std::size_t top_iterations_ = 0;                                 // the last top-level repeated task's
  Layout* layout_ = nullptr;                                       // the repeated task being run (execute)
  Layout top_layout_;                                              // the last top-level task's
  std::map<std::string, const Layout*> generated_layout_;          // data generator id -> its values' layout
  RunLog* log_ = nullptr;
  std::size_t doc_index_ = 0;
  std::optional<std::pair<LogStatus, std::string>> plot_status_;   // see set_plot_status
  std::map<std::string, std::vector<EstimationRun>> estimations_;  // parameterEstimationTask id -> its fits (one per iteration of a repeated task it is in)
  std::set<std::string> nested_fits_;                               // parameterEstimationTasks that ran inside a repeated task

  // Whether the run is to stop (RunOptions::stop set by a signal); the first time, a problem says
  // where it stopped.
  bool stopping(const std::string& where);

  void problem(ErrorKind kind, const std::string& element, const std::string& message);
  // The kind of a problem that follows from earlier ones (a task whose model could not be had, a
  // report without data): a refusal when everything before it was refused, else the first other.
  ErrorKind dependent_kind() const;
  void note(const std::string& text);

  // ---- the run log (log.yml, run_log.hpp) ---------------------------------------------------

  DocumentLog* doc_log();

  // What the log says of problems and notes from index `p` and `n` on: the element's output
  // (every line), and its exception (the first problem).
  void log_lines(ElementLog& e, std::size_t p, std::size_t n) const;

  static double seconds_since(std::chrono::steady_clock::time_point t);

  // Every task and output of the document, QUEUED.
  void log_queue();

  TaskLog* task_log(const Task& t);

  void logged_task(const Task& t);

  void log_subtask_only(const Task& t);

  // A plot's own status in the log, set by whatever draws it: SUCCEEDED, or FAILED with why.
  // Unset, a plot whose data generators were computed is SKIPPED (nothing to draw).
  void set_plot_status(LogStatus status, const std::string& why = {});

  void logged_output(const Output& o);

  const ModelDef* find_model(const std::string& id) const;
  const Task* find_task(const std::string& id) const;
  const Simulation* find_simulation(const std::string& id) const;
  // The model `id` with its changes applied (model()), or null after saying at `element` that it
  // could not be had (why was said where it failed).
  const ResolvedModel* model_at(const std::string& id, const std::string& element);
  // How plain task `t`'s simulation runs (each simulation checked once, simulation_options), or
  // null after reporting why at `element`; `sim`, when given, gets the simulation (null if none).
  const Plan* plan_of(const Task& t, const std::string& element, const Simulation** sim = nullptr);
  // ---- models -------------------------------------------------------------------------------

  std::shared_ptr<const SbmlXml> load_file(const std::string& file);

  // The model `id` with its changes applied, or nullptr after reporting why it cannot be had.
  const ResolvedModel* model(const std::string& id, int depth = 0);

  const ResolvedModel* model_ptr(const std::string& id);

  // The model as axisim simulates it, or null after refusing (naming `element`) a flux balance
  // model, which only FBA tasks run.
  const Model* runnable(const ResolvedModel* m, const std::string& id, const std::string& element);

  // `plugins`: the model's tissue plugins, attached where a computeChange's variable reads one
  // of their values.
  bool apply_change(SbmlXml& xml, const Change& c, const std::string& model_element, const std::vector<PluginRecord>& plugins);

  // ---- variables ----------------------------------------------------------------------------

  std::vector<SubTask> sorted_subtasks(const Task& t) const;

  // The id of the model a task's variables are read from: a plain task's model; for a repeated
  // task, that of its first sub-task (recursively). Empty after reporting why there is none.
  std::string task_model_id(const Task& t, const std::string& element, int depth = 0);

  static std::string shape_words(const std::vector<std::size_t>& shape);

  // A data source's values (data_source.hpp), flat (row by row) when it has several dimensions:
  // the math is elementwise, and a data generator that keeps them keeps the shape.
  std::optional<Series> data_source(const std::string& id, const std::string& element);
  // A data source read where one value is needed (a setValue's or functionalRange's variable):
  // a data source sliced to one value, by values or at the running repeated tasks' iterations
  // (a slice's `index`: one value per iteration).
  std::optional<double> data_value(const std::string& id, const std::string& element);
  void take_data_warnings();

  std::optional<Column> resolve_variable(const Variable& v, const std::string& element);

  // Particles per unit of species `id`'s substance, for its particle number (KISAO:0000837): its
  // substanceUnits, else the model's (Level 3), else Level 2's built-in `substance` (the mole);
  // the mole, the item, or a unit definition of one of them to the power 1 (its multiplier and
  // scale). Anything else leaves `why` saying so: a gram or an undeclared unit has no count.
  static double particles_per_substance(const ResolvedModel& m, const std::string& id, std::string& why);

  // A Version 4 matrix term (variable_terms.hpp) on a plain task: the stoichiometry matrix and
  // those of the stoichiometry alone (N_R, L, L0, K) on any deterministic run (they do not
  // change), the others at a steadyState task's steady state.
  // Refused, named: a target with it (a matrix is the whole model's), a repeated task (a matrix
  // per iteration and sub-task is not laid out), a time course for a matrix that changes along
  // it (SED-ML does not say at which point), stochastic, logical and flux balance runs.
  std::optional<Column> resolve_matrix(const Task& t, const Variable& v, const std::string& term, const std::string& element);

  // A Version 4 single coefficient (KISAO:0000802/0000803 control, 0000805/0000807 elasticity,
  // scaled/unscaled) of the pair `target` (a reaction's flux or a species; an elasticity's
  // reaction) and `target2` (the reaction whose rate is perturbed; an elasticity's species): one
  // value per steady state, the entry of the matrix fill_matrices computes. On a steadyState task,
  // or a repeated task whose runs are steady states (checked as they run).
  std::optional<Column> resolve_coefficient(const Task& t, const Variable& v, const std::string& term, const std::string& element);

  // The matrices `mats` asks for, appended row by row to `out` (and kept with their labels in
  // matrices_): the stoichiometry of `model`, the others at its steady state (`so`) by metabolic
  // control analysis (axisim/control_analysis.hpp). The Jacobian is d(dx_i/dt)/dx_k in the
  // quantity the model uses: (N E)_ik, divided by x_i's compartment size for a concentration;
  // refused where other processes (rate rules, plugins) change states or a compartment changes.
  // The reduced Jacobian and the eigenvalue matrices follow from it (structural_matrices.hpp); the
  // stoichiometric matrices are the conserved-moiety analysis's (axisim/moieties.hpp).
  bool fill_matrices(const Model& model, const std::string& model_id, const SteadyStateOptions& so, const std::vector<Column>& mats,
                     std::map<Column, Series>& out, const std::string& task_id, const std::string& element, bool steady);

  // The Jacobian at the steady state from the control analysis: every state a species that
  // reactions alone change, d x_i/dt = (N v)_i / V_i (V_i: its compartment's size, for a
  // concentration; 1 for an amount), so J = diag(1/V) N E with E = dv/dx in the model's
  // quantities; `sizes` gets the V_i. Empty, or why not.
  std::string steady_jacobian(const Model& model, const std::string& model_id, const MoietyAnalysis& moieties,
                              const ControlAnalysis& mca, Matrix& out, std::vector<double>& sizes);

  // KISAO:0000834: the rate of change of the value the target selects (rate_of_id), its columns
  // added to the task's.
  std::optional<Column> resolve_rate(const Task& t, const Variable& v, const std::string& element);

  // The rate-of-change column of model value `id`, its recipe in rates_ and what it reads added
  // to task t's columns; nullopt with `why` when refused. A value a rate rule drives: the rule's
  // math (rule_rate). One an assignment rule sets: the rule's derivative by the chain rule
  // (assigned_rate). A species: the sum of its stoichiometries times the reactions' rates,
  // divided by its compartment's size when the model uses its concentration. Refused, named,
  // where the right-hand side is not the reactions' sum: boundary species, variable
  // stoichiometry, conversion factors, fast reactions, algebraic rules, a compartment that
  // changes. `depth` > 0: a value an assignment rule reads, where a parameter, compartment or
  // boundary species no rule sets is constant (between events: rate 0).
  std::optional<Column> rate_of_id(const Task& t, const ResolvedModel& m, const std::string& model_id, const std::string& id,
                                   const std::string& symbol, std::string& why, int depth);

  // A value a rate rule drives (a parameter, compartment or species): the rule's math, evaluated
  // on the same run's columns of what it reads (and the time), so the rate is exactly the
  // right-hand side the integrator used. Refused: a symbol with it (the rule gives the rate of
  // the quantity the model uses), math the evaluator does not hold (function calls, delay, ...),
  // and identifiers that are no value of the model.
  std::optional<Column> rule_rate(const Task& t, const ResolvedModel& m, const std::string& model_id, const std::string& id,
                                  const std::string& symbol, const std::string& rule_xpath, std::string& why);

  // A value an assignment rule sets, x = f(y_1, ..., y_n, t): by the chain rule,
  // dx/dt = sum_i df/dy_i dy_i/dt + df/dt, the partial derivatives symbolic
  // (math_derivative.hpp), each dy_i/dt the rate of what f reads (rate_of_id: a species' from
  // its reactions, a rate rule's math, another assignment rule's derivative; 0 for a parameter
  // or compartment no rule sets), all on the same run's columns. In the quantity the model
  // uses (the rule's); refused, named: a symbol with it, math not differentiated (function
  // calls, delay, factorial, ...), what f reads whose rate is refused, rules that read each other
  // in a cycle.
  std::optional<Column> assigned_rate(const Task& t, const ResolvedModel& m, const std::string& model_id, const std::string& id,
                                      const std::string& symbol, const std::string& rule_xpath, std::string& why, int depth);

  // A rate-of-change column from the run's reaction-rate and compartment columns.
  Series rate_series(const TaskRun& run, const Column& col) const;

  void collect_variables();

  // Which dimensions an aggregation keeps: a repeated task whose one sub-task is a plain task, or
  // a repeated task with one sub-task, itself such a chain, has one dimension per repeated task
  // (its iterations, named by its id) and the plain task's points (named by its id). Several
  // sub-tasks at any level are refused, named: their values do not form one array (the sub-tasks'
  // lengths may differ), and SED-ML does not say how they would.
  bool shape_aggregation(const Variable& v, Aggregation& a, const std::string& element);

  // ---- tasks --------------------------------------------------------------------------------

  std::optional<Plan> simulation_options(const Simulation& sim, const std::string& element);

  // A time course of a logical model: time counts update steps from initialTime (as BioSimulators'
  // GINsim and BoolNet tools count them), or from where the model's time stands (oneStep: `step`
  // updates); the grid must land on whole updates (checked when it runs, LogicalModel::simulate).
  // A steadyState: the attractors the scheme reaches from the model's levels (logical_task.hpp).
  std::optional<Plan> logical_plan(const Simulation& sim, const AlgorithmChoice& algo, const std::string& sim_element);

  // A steadyState simulation: axisim's steady-state solver (Newton, then pseudo-transient
  // continuation, then integration), for a steady-state algorithm or an ODE integrator.
  std::optional<Plan> steady_plan(const Simulation& sim, const std::string& sim_element);

  // A uniformTimeCourse by dynamic FBA (KISAO:0000499): the description read from the algorithm's
  // axisim annotation (inline, or its source file relative to the document), the step size.
  std::optional<Plan> dfba_plan(const Simulation& sim, const std::string& sim_element);

  using Columns = std::map<Column, Series>;
  // A model as a repeated task has changed it: its setValues, and the state a run ended in
  // carried to the next (resetModel="false", sub-tasks on one model), with the time it ended at
  // on the simulations' time axis. After a time course (deterministic, or one stochastic run)
  // the state is the run's own (RunState: the next run continues it, pending delayed events,
  // trigger values and the past included); after a steady state or several stochastic runs it is
  // set as the model's values (their means), each stochastic run's end state kept in `runs`.
  struct Carried {
    Model model;
    double time = 0.0;
    RunState state;  // empty: the model's values are the state
    // After a stochastic task: each run's end state (one per run: its values, triggers and the
    // executions of delayed events waiting), which a stochastic task continuing the model goes
    // on from, run i from runs[i mod N] (StochasticOptions::from); `model` holds the values the
    // runs ended with (their means after several), for anything else.
    std::vector<RunState> runs;
  };
  using ModelStates = std::map<std::string, Carried>;
  // A logical model as a repeated task has changed it (setValue on levels) or a run left it, with
  // the time it ended at; saved and restored beside ModelStates (resetModel).
  struct LogicalCarried {
    std::vector<int> levels;
    double time = 0.0;
  };
  std::map<std::string, LogicalCarried> logical_states_;
  std::map<std::string, std::uint64_t> next_logical_run_;  // simulation id -> runs of it so far (seeds)

  void run_task(const Task& t);

  // Runs task `t` (execute_task) and records how its values were appended (a Layout: the
  // values per plain run, and for a repeated task its runs, iterations x sub-tasks), so that
  // reports.h5 can give them BioSimulators' shape.
  bool execute(const Task& t, const std::set<Column>& need, ModelStates& states, Columns& out, int depth);

  // Runs task `t` on the models in `states` (the resolved models where absent) and appends the
  // columns `need` to `out` (NaN for a column the task's model does not have).
  bool execute_task(const Task& t, const std::set<Column>& need, ModelStates& states, Columns& out, int depth);

  // A setValue by symbol: a tissue plugin's state or parameter, `urn:axisim:plugin:NAME.QUANTITY`
  // (the symbol its variables read it by; plugin_annotation.hpp). On a model not run yet (or
  // reset) a state is the initial state of its next run, as `--set NAME.STATE` and the
  // annotation's <axisim:state> set it; in a run that continues (resetModel="false", sub-tasks on
  // one model) the state where the run stands, as a setValue changes a species there. A
  // parameter is the plugin's from then on, as `--plugin-param NAME.PARAM` and the annotation's
  // <axisim:parameter> set it, in a continued run from the time it stands. An output is refused
  // (the plugin computes it). False after reporting.
  bool set_plugin_value(const ResolvedModel& m, const std::string& mid, const SetValue& c, double value,
                        ModelStates& iteration, const std::string& change);

  // A setValue on a logical model: a qualitative species' level (by XPath to the species or its
  // initialLevel, or by bare id) for the runs that follow. A level that is not a whole number
  // within 0..maxLevel is refused, named.
  bool set_logical_level(const ResolvedModel& m, const std::string& mid, const SetValue& c, double value, const std::string& change);

  // Every value of a model that a run can change and set_value can set (species as amounts,
  // compartments, parameters, plugins' states): what a steady state carries to the next run, as the model's
  // values (a steady state has no events pending, and no past).
  const std::vector<OutputSpec>* carried_state(const std::string& model_id, const Model& model);

  // The value of a setValue's or functional range's variable at model `mid`'s current state:
  // its time (carried from the run before, 0 at first), or a target's value, from the state
  // carried in `states` or else the model as the document defines it (its values at time 0,
  // initial assignments and rules computed from them). nullopt after reporting why not.
  std::optional<double> current_value(const ModelStates& states, const Variable& v, const std::string& mid,
                                      const std::string& element);

  // A tissue plugin's state, output or parameter read by a variable (urn:axisim:plugin:NAME.QUANTITY,
  // plugin_annotation.hpp) where the model stands: as the run before ended (`run_state`), else
  // as a run from the model would start, its clock at `now` (the plugins' init computing the
  // states they do not have set). nullopt after reporting why not.
  std::optional<double> current_plugin_value(const Model& current, const RunState* run_state, double now, const Variable& v,
                                             const std::string& mid, const std::string& var);

  // A setValue's or functional range's variable on a logical model: the time its runs have reached,
  // or a qualitative species' level now (carried or set, else its initial level).
  std::optional<double> current_level(const ResolvedModel& m, const Variable& v, const std::string& mid, const std::string& var);

  // Why model `id` reads the time (its math names the time or a delay), or empty when it does not.
  std::string reads_time(const std::string& id, const ResolvedModel& m);

  // Runs a plain task on the model's current state (states) and appends its columns to `out`.
  // With `carry` (inside a repeated task) the state the run ends in replaces the model's in
  // `states`, for the next sub-task or iteration.
  bool execute_plain(const Task& t, const std::set<Column>& need, ModelStates& states, Columns& out,
                     const std::string& element, bool carry);

  // A steadyState simulation by flux balance analysis (fba_task.hpp): one value per variable.
  bool execute_fba(const ResolvedModel& m, const Plan& plan, const std::set<Column>& need, Columns& out,
                   const std::string& element);
  // A uniformTimeCourse by dynamic FBA (axisim::dynamic_fba): each variable the time, the biomass,
  // a medium metabolite's concentration, a reaction's flux or an objective's value at each output
  // time. Always from the description's initial culture (no state carried between runs).
  bool execute_dfba(const ResolvedModel& m, const Plan& plan, const std::set<Column>& need, Columns& out,
                    const std::string& element);

  // A logical model's run (logical_task.hpp): each variable a qualitative species' level; a time
  // course's time the simulation's initialTime (oneStep: the model's time now) plus the updates
  // made; a steady state's values every state of every attractor found. It starts from the
  // levels a repeated task carried or set (logical_states_), and with `carry` leaves its end
  // state there.
  bool execute_logical(const ResolvedModel& m, const Plan& plan, const Task& t, const std::set<Column>& need, Columns& out,
                       const std::string& element, bool carry);

  // ---- parameter estimation (estimation.hpp) -------------------------------------------------

  // Fits the task's adjustable parameters; the columns its data generators read are the model
  // at the fitted values, over its fit experiments in order. <task id>.fit.csv holds the fit.
  // Inside a repeated task (`states`), each iteration fits the models as the repeated task's
  // changes left them (a fit integrates from time 0: a run state an earlier sub-task ended in is
  // not carried into it, and the fitted values do not change the models for what follows); the
  // columns are appended iteration after iteration, and every fit is kept.
  bool execute_estimation(const Task& t, const std::set<Column>& need, Columns& out, const ModelStates* states);

  // A table of each fit one after another; with several (a fit inside a repeated task), each
  // label says its iteration: "k [iteration 1]".
  static EstimationTable per_iteration(const std::vector<EstimationRun>& fits, EstimationTable (*table)(const EstimationRun&));

  // A table of a fit as CSV (OUTDIR/<location>/<id>.csv, one row per data set, each its own
  // length) and in reports.h5 (each row a data set of its own shape, as a report); true when the
  // CSV was written.
  bool write_estimation_table(const std::string& id, const std::string& name, const EstimationTable& table,
                              const std::string& element);

  // parameterEstimationReport (the fitted parameters and the objective) and
  // parameterEstimationResultPlot (each observable against its data: the plot's data, and the
  // plot drawn by estimation_plot.hpp).
  void write_estimation_output(const Output& o, OutputSummary& summary);

  void draw_estimation_output(const Output& o, const EstimationRun& run, const std::string& element, OutputSummary& summary);

  // Runs one drawing (draw_plot, draw_figure, draw_estimation_plot): its warnings go to the log
  // and the report; its failure is a problem of `element` and fails the plot. The PDF's path, or
  // nothing when the drawing failed.
  template <class Draw>
  std::optional<std::string> run_drawing(const std::string& element, Draw&& draw) {
    try {
      const DrawnPlot drawn = draw();
      for (const std::string& w : drawn.warnings) {
        spdlog::warn("{}", w);
        report_.notes.push_back(w);
      }
      return drawn.pdf;
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
      set_plot_status(LogStatus::Failed, e.what());
    }
    return std::nullopt;
  }

  // ---- data generators and outputs ----------------------------------------------------------

  void evaluate_generator(const DataGenerator& g);

  // A data generator whose values are those of a data source of several dimensions (the math is
  // elementwise on the flat values: as many values as that data source) keeps its shape.
  void keep_data_shape(const DataGenerator& g, std::size_t size);

  // A data generator's values in BioSimulators' shape (result_shape.hpp): its task variables'
  // (a Layout), or its data source's, else one dimension.
  NdArray shaped_values(const std::string& id) const;

  const Series* generated(const std::string& id) const;

  void write_output(const Output& o);

  void write_h5(const H5Report& h5, const std::string& element);

  // The number of runs a data generator's values hold one after another: the iterations of the
  // repeated task its variables read (1 for a plain task, and for a reduced aggregation).
  std::size_t iterations_of(const std::string& dg_id) const;

  std::string generator_label(const std::string& dg_id) const;

  // How a data generator's n values split into lines (plot.hpp's PlotData::runs): one per
  // innermost iteration of the repeated task they come from (result_shape.hpp), else one.
  std::vector<std::size_t> plot_runs(const std::string& dg_id, std::size_t n) const;

  // A plot's items with their computed data (all computed: write_output checked), or nullopt
  // with a problem naming the plot.
  std::optional<std::vector<PlotData>> plot_data(const Output& o, const std::string& element, std::string& x_label);

  // Draws a plot whose data are all computed (plot.hpp): OUTDIR/<location>/<plot id>.svg and
  // .pdf. Returns the PDF written, or "" (a problem naming the plot).
  std::string draw(const Output& o, const std::string& element);

  // A Version 4 figure: its subPlots' plots in one multiplot, OUTDIR/<location>/<figure id>.svg
  // and .pdf (plot.hpp's draw_figure). Every plot must have its data; returns the PDF or "".
  std::string draw_figure_output(const Output& o, const std::string& element, OutputSummary& summary);

  static std::string join(const std::vector<std::string>& v);

  static void write_file(const fs::path& file, const std::string& text);
};

}  // namespace axisim::sedml::execution
