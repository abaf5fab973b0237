// Running a SED-ML document: models resolved and changed, tasks simulated, data generators
// evaluated, reports written. No libxml2 here: documents come from document.cpp, SBML XML is
// handled by sbml_xml.cpp, simulation goes through axisim's public API.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include <spdlog/spdlog.h>

#include "axisim/control_analysis.hpp"
#include "axisim/csv.hpp"
#include "axisim/fba.hpp"
#include "axisim/logical.hpp"
#include "axisim/moieties.hpp"
#include "axisim/run_state.hpp"
#include "axisim/sedml.hpp"
#include "axisim/steady_state.hpp"
#include "axisim/stochastic.hpp"
#include "data_source.hpp"
#include "document.hpp"
#include "estimation.hpp"
#include "estimation_plot.hpp"
#include "fba_task.hpp"
#include "kisao.hpp"
#include "logical_task.hpp"
#include "math.hpp"
#include "plot.hpp"
#include "plugin_annotation.hpp"
#include "qual_target.hpp"
#include "reports_h5.hpp"
#include "result_shape.hpp"
#include "run_log.hpp"
#include "sbml_xml.hpp"
#include "math_derivative.hpp"
#include "variable_terms.hpp"
#include "structural_matrices.hpp"

namespace fs = std::filesystem;

namespace axisim::sedml {

int RunReport::exit_code() const {
  if (interrupted) return 128 + interrupted;
  if (problems.empty()) return 0;
  for (const Problem& p : problems)
    if (p.kind != ErrorKind::Unsupported) return exit_code_for(p.kind);
  return exit_code_for(ErrorKind::Unsupported);
}

std::map<std::string, std::string> read_model_map(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::Io, path + ": cannot read the model map");
  const fs::path dir = fs::path(path).parent_path();
  std::map<std::string, std::string> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos)
      throw Error(ErrorKind::Io, path + ":" + std::to_string(number) + ": expected SOURCE<TAB>PATH");
    const std::string source = line.substr(0, tab);
    std::string file = line.substr(tab + 1);
    if (const auto t2 = file.find('\t'); t2 != std::string::npos) file.resize(t2);
    if (file == "local_copy") continue;  // header line
    out[source] = fs::path(file).is_absolute() ? file : (dir / file).lexically_normal().string();
  }
  return out;
}

namespace {

const std::string kTime = "urn:sedml:symbol:time";

// The problem a stopped run records (Runner::stopping), and its type in log.yml.
const char* const kStopped = "stopped by signal ";
bool is_stop(const Problem& p) { return p.message.rfind(kStopped, 0) == 0; }
const char* problem_type(const Problem& p) { return is_stop(p) ? "Interrupted" : error_type(p.kind); }

bool is_amount(const std::string& s) { return s == "KISAO:0000836" || s == "KISAO_0000836"; }
bool is_concentration(const std::string& s) { return s == "KISAO:0000838" || s == "KISAO_0000838"; }

bool is_time_symbol(const std::string& s) { return s == kTime || s == "KISAO:0000832" || s == "KISAO_0000832"; }

bool is_rate_of_change(const std::string& s) { return s == "KISAO:0000834" || s == "KISAO_0000834"; }

bool is_particles(const std::string& s) { return s == "KISAO:0000837" || s == "KISAO_0000837"; }

// Avogadro's constant as the SI has defined it exactly since 2019 and SBML Level 3 Version 2
// Release 2 takes it (Level 3 Version 1's avogadro csymbol was 6.02214179e23).
constexpr double kAvogadro = 6.02214076e23;

std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string csv_field(const std::string& s) {
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
Column value_column(const std::string& id) {
  Column c;
  c.spec = {id, Quantity::Default};
  return c;
}
Column time_column() {
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
  // A logical model's time course (axisim/logical.hpp): time counts update steps.
  bool logical = false;
  LogicalUpdate update = LogicalUpdate::Synchronous;
  std::uint64_t logical_seed = 0x5eed;
  bool logical_one_level = false;  // the algorithm's axisim annotation: one level per update (GINsim's)
  // A logical model's steadyState: the attractors `update` reaches, or every stable state.
  LogicalRun::Kind logical_kind = LogicalRun::Kind::TimeCourse;
};

// More reaction events than this in one stochastic task (estimated at its start) are refused:
// minutes of work at best, and a model counted in moles would never finish.
constexpr double kMaxStochasticFirings = 1e9;

// A Version 4 aggregation term (KiSAO's "aggregation function", KISAO:0000824): a repeated
// task's values reduced over the dimensions that are not listed as remaining. The dimensions are
// the iterations of the repeated task and of each repeated task nested in it as its one sub-task,
// outermost first, then the points of the plain task at the bottom; each is named by its task's id.
struct Aggregation {
  // Std, Sem and Var divide by n (the population's: neither SED-ML nor KiSAO says which divisor),
  // as biosimulators_utils' stdev/variance (numpy.std/var) do; Sem is that standard deviation over
  // sqrt(n) (math.hpp's population_variance; docs/sedml.md).
  enum class Op { Mean, Max, Min, Sum, Product, Median, Std, Sem, Var } op = Op::Mean;
  bool ignore_nan = false;
  std::string term, name;
  std::vector<std::string> dims;  // task ids, outermost first; the last is the plain task (points)
  std::vector<bool> keep;         // per dimension: listed as remaining
};

// The aggregation a KiSAO term names: nullopt with `why` set when it is one axisim refuses (its
// definition leaves the result open), nullopt with `why` empty when the term is no aggregation.
std::optional<Aggregation> aggregation_term(const std::string& raw, std::string& why) {
  std::string term = raw;
  for (char& c : term) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (term.size() > 6 && term[5] == '_') term[5] = ':';
  using Op = Aggregation::Op;
  static const std::map<std::string, std::tuple<Op, bool, const char*>> built{
      {"KISAO:0000825", {Op::Mean, true, "mean ignoring NaN"}},    {"KISAO:0000841", {Op::Mean, false, "mean"}},
      {"KISAO:0000828", {Op::Max, true, "maximum ignoring NaN"}},  {"KISAO:0000830", {Op::Max, false, "maximum"}},
      {"KISAO:0000829", {Op::Min, true, "minimum ignoring NaN"}},  {"KISAO:0000840", {Op::Min, false, "minimum"}},
      {"KISAO:0000844", {Op::Sum, true, "sum ignoring NaN"}},      {"KISAO:0000845", {Op::Sum, false, "sum"}},
      {"KISAO:0000846", {Op::Product, true, "product ignoring NaN"}}, {"KISAO:0000847", {Op::Product, false, "product"}},
      {"KISAO:0000856", {Op::Median, true, "median ignoring NaN"}}, {"KISAO:0000857", {Op::Median, false, "median"}},
      {"KISAO:0000826", {Op::Std, true, "standard deviation ignoring NaN"}}, {"KISAO:0000842", {Op::Std, false, "standard deviation"}},
      {"KISAO:0000827", {Op::Sem, true, "standard error ignoring NaN"}}, {"KISAO:0000843", {Op::Sem, false, "standard error"}},
      {"KISAO:0000858", {Op::Var, true, "variance ignoring NaN"}},  {"KISAO:0000859", {Op::Var, false, "variance"}},
  };
  static const std::map<std::string, const char*> refused{
      {"KISAO:0000848", "cumulative sum ignoring NaN: not a reduction (it keeps the dimension, and which one is not said)"},
      {"KISAO:0000849", "cumulative sum: not a reduction (it keeps the dimension, and which one is not said)"},
      {"KISAO:0000850", "cumulative product ignoring NaN: not a reduction (it keeps the dimension, and which one is not said)"},
      {"KISAO:0000851", "cumulative product: not a reduction (it keeps the dimension, and which one is not said)"},
      {"KISAO:0000852", "count ignoring NaN: what is counted is not defined apart from length"},
      {"KISAO:0000853", "count: what is counted is not defined apart from length"},
      {"KISAO:0000854", "length ignoring NaN: not defined apart from count"},
      {"KISAO:0000855", "length: not defined apart from count"},
      {"KISAO:0000824", "aggregation function: the parent term names no function"},
  };
  why.clear();
  if (const auto it = built.find(term); it != built.end()) {
    Aggregation a;
    std::tie(a.op, a.ignore_nan, std::ignore) = it->second;
    a.name = std::get<2>(it->second);
    a.term = raw;
    return a;
  }
  if (const auto it = refused.find(term); it != refused.end()) why = it->second;
  return std::nullopt;
}

// Reduces x (flat, outermost dimension first) as `a` says, with `sizes` the iteration counts of
// a.dims' repeated tasks (the plain task's points are what is left); the kept dimensions stay in
// their order. Throws std::runtime_error when the values do not split into that shape.
Series aggregate(const Series& x, const std::vector<std::size_t>& sizes, const Aggregation& a) {
  std::size_t outer = 1;
  for (std::size_t n : sizes) outer *= n;
  if (outer == 0 || x.size() % outer != 0 || sizes.size() + 1 != a.dims.size())
    throw std::runtime_error(std::to_string(x.size()) + " values do not split into " + std::to_string(outer) +
                             " iterations of equal length");
  std::vector<std::size_t> shape = sizes;
  shape.push_back(x.size() / outer);
  auto fold = [&](std::vector<double> v) -> double {
    const bool has_nan = std::any_of(v.begin(), v.end(), [](double y) { return std::isnan(y); });
    if (has_nan && !a.ignore_nan) return std::numeric_limits<double>::quiet_NaN();
    v.erase(std::remove_if(v.begin(), v.end(), [](double y) { return std::isnan(y); }), v.end());
    using Op = Aggregation::Op;
    if (v.empty()) return a.op == Op::Sum ? 0.0 : a.op == Op::Product ? 1.0 : std::numeric_limits<double>::quiet_NaN();
    switch (a.op) {
      case Op::Mean: { double t = 0; for (double y : v) t += y; return t / static_cast<double>(v.size()); }
      case Op::Sum: { double t = 0; for (double y : v) t += y; return t; }
      case Op::Product: { double t = 1; for (double y : v) t *= y; return t; }
      case Op::Max: return *std::max_element(v.begin(), v.end());
      case Op::Min: return *std::min_element(v.begin(), v.end());
      case Op::Median: {
        std::sort(v.begin(), v.end());
        const std::size_t n = v.size();
        return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
      }
      case Op::Std:
      case Op::Sem:
      case Op::Var: {
        const double var = population_variance(v);
        return a.op == Op::Var ? var : a.op == Op::Std ? std::sqrt(var) : std::sqrt(var / static_cast<double>(v.size()));
      }
    }
    return std::numeric_limits<double>::quiet_NaN();
  };
  // Each value goes to the bucket its kept coordinates name (row-major over the kept dimensions).
  std::size_t buckets = 1;
  for (std::size_t d = 0; d < shape.size(); ++d)
    if (a.keep[d]) buckets *= shape[d];
  std::vector<std::vector<double>> in(buckets);
  std::vector<std::size_t> index(shape.size(), 0);
  for (double y : x) {
    std::size_t b = 0;
    for (std::size_t d = 0; d < shape.size(); ++d)
      if (a.keep[d]) b = b * shape[d] + index[d];
    in[b].push_back(y);
    for (std::size_t d = shape.size(); d-- > 0;) {  // the next flat position's coordinates
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  Series out;
  for (auto& v : in) out.push_back(fold(std::move(v)));
  return out;
}

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

  void run() {
    collect_variables();
    // Every task runs once, but a sub-task of a repeated task only when a variable reads it
    // directly (its runs inside the repeated task are the repeated task's).
    std::set<std::string> subtasks;
    for (const Task& t : doc_.tasks)
      for (const SubTask& s : t.subtasks) subtasks.insert(s.task);
    log_queue();
    // A stop (RunOptions::stop) ends the run before the next task, data generator or output: what
    // was not reached stays QUEUED in the log (SKIPPED when it is finished), and no report is
    // written from data the run did not finish.
    for (const Task& t : doc_.tasks) {
      if (stopping("before task '" + t.id + "'")) return;
      if (!subtasks.count(t.id) || needed_.count(t.id)) logged_task(t);
      else log_subtask_only(t);
    }
    if (stopping("after the tasks, before the data generators")) return;
    for (const DataGenerator& g : doc_.generators) evaluate_generator(g);
    for (const Output& o : doc_.outputs) {
      if (stopping("before output '" + o.id + "'")) return;
      logged_output(o);
    }
  }

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
  bool stopping(const std::string& where) {
    if (report_.interrupted) return true;
    if (!options_.stop || options_.stop->load() == 0) return false;
    report_.interrupted = options_.stop->load();
    problem(ErrorKind::Io, "run", kStopped + std::to_string(report_.interrupted) + " (" +
                                      (report_.interrupted == 15 ? "SIGTERM" : report_.interrupted == 2 ? "SIGINT" : "a stop signal") +
                                      ") " + where + "; what was not reached did not run");
    return true;
  }

  void problem(ErrorKind kind, const std::string& element, const std::string& message) {
    spdlog::error("{}: {}", element, message);
    report_.problems.push_back({kind, element, message});
  }
  // The kind of a problem that follows from earlier ones (a task whose model could not be had, a
  // report without data): a refusal when everything before it was refused, else the first other.
  ErrorKind dependent_kind() const {
    for (const Problem& p : report_.problems)
      if (p.kind != ErrorKind::Unsupported) return p.kind;
    return ErrorKind::Unsupported;
  }
  void note(const std::string& text) {
    spdlog::info("{}", text);
    report_.notes.push_back(text);
  }

  // ---- the run log (log.yml, run_log.hpp) ---------------------------------------------------

  DocumentLog* doc_log() { return log_ ? &log_->archive().documents[doc_index_] : nullptr; }

  // What the log says of problems and notes from index `p` and `n` on: the element's output
  // (every line), and its exception (the first problem).
  void log_lines(ElementLog& e, std::size_t p, std::size_t n) const {
    std::string text;
    for (std::size_t i = p; i < report_.problems.size(); ++i)
      text += "error: " + report_.problems[i].element + ": " + report_.problems[i].message + "\n";
    for (std::size_t i = n; i < report_.notes.size(); ++i) text += report_.notes[i] + "\n";
    e.output = text;
    if (p < report_.problems.size()) {
      const Problem& first = report_.problems[p];
      e.exception = LogReason{problem_type(first), first.element + ": " + first.message};
    }
  }

  static double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  }

  // Every task and output of the document, QUEUED.
  void log_queue() {
    DocumentLog* d = doc_log();
    if (!d) return;
    d->tasks.clear();
    d->outputs.clear();
    for (const Task& t : doc_.tasks) {
      TaskLog tl;
      tl.id = t.id;
      if (const Simulation* sim = t.type == "task" ? find_simulation(t.sim_ref) : nullptr) tl.algorithm = sim->kisao;
      if (t.estimation) tl.algorithm = t.estimation->kisao;
      d->tasks.push_back(std::move(tl));
    }
    for (const Output& o : doc_.outputs) {
      OutputLog ol;
      ol.id = o.id;
      ol.type = o.type;
      for (const DataSet& ds : o.data_sets) ol.items.emplace_back(ds.id, LogStatus::Queued);
      for (std::size_t i = 0; i < o.curves.size(); ++i)
        ol.items.emplace_back(o.curves[i].id.empty() ? o.id + "_" + std::to_string(i) : o.curves[i].id, LogStatus::Queued);
      d->outputs.push_back(std::move(ol));
    }
    log_->write();
  }

  TaskLog* task_log(const Task& t) {
    DocumentLog* d = doc_log();
    const std::size_t i = static_cast<std::size_t>(&t - doc_.tasks.data());
    return d && i < d->tasks.size() ? &d->tasks[i] : nullptr;
  }

  void logged_task(const Task& t) {
    TaskLog* tl = task_log(t);
    const std::size_t p = report_.problems.size(), n = report_.notes.size();
    const auto start = std::chrono::steady_clock::now();
    if (tl) {
      tl->status = LogStatus::Running;
      log_->write();
    }
    run_task(t);
    if (!tl) return;
    const TaskRun& run = runs_[t.id];
    tl->duration = seconds_since(start);
    tl->status = run.ok ? LogStatus::Succeeded : LogStatus::Failed;
    log_lines(*tl, p, n);
    if (t.type == "task" && run.ok) {
      const auto plan = sim_options_.find(t.sim_ref);
      if (plan != sim_options_.end() && plan->second) {
        const Plan& pl = *plan->second;
        tl->simulator_details.emplace_back(
            "method", pl.fba ? fba_method_name(pl.fba_kind) + " (axisim/fba.hpp, GLPK)"
                      : pl.steady ? "steady-state solver (Newton, pseudo-transient continuation, integration)"
                      : pl.stochastic && pl.ssa.tau_leap
                          ? std::string(pl.ssa.method == StochasticMethod::ImplicitTauLeap ? "implicit tau-leaping (Rathinam-Petzold-Cao-Gillespie), "
                                        : pl.ssa.method == StochasticMethod::AdaptiveTauLeap
                                            ? "adaptive explicit-implicit tau-leaping (Cao-Gillespie-Petzold 2007), "
                                            : "tau-leaping (Cao-Gillespie-Petzold adaptive step), ") +
                                std::to_string(pl.ssa.runs) + " run(s)"
                      : pl.stochastic ? "exact stochastic simulation (Gillespie's direct method), " + std::to_string(pl.ssa.runs) + " run(s)"
                                      : "CVODE (BDF, Newton)");
      }
    } else if (const auto fit = estimations_.find(t.id); t.estimation && fit != estimations_.end()) {
      const FitResult& f = fit->second.back().fit;  // inside a repeated task: its last iteration's
      tl->simulator_details.emplace_back("method", f.method == "Levenberg-Marquardt"
                                                       ? "bounded Levenberg-Marquardt (axisim/parameter_estimation.hpp)"
                                                       : f.method + (f.polished ? ", polished by Levenberg-Marquardt" : "") +
                                                             " (axisim/parameter_estimation.hpp)");
      tl->simulator_details.emplace_back("objective at the initial values", format_number(f.initial_objective));
      tl->simulator_details.emplace_back("objective fitted", format_number(f.objective));
      tl->simulator_details.emplace_back("iterations", std::to_string(f.iterations));
      tl->simulator_details.emplace_back("stopped", f.stop);
    } else if (run.ok) {
      tl->simulator_details.emplace_back("iterations", std::to_string(run.iterations));
    }
    if (!run.ok && !tl->exception)
      tl->exception = LogReason{error_type(dependent_kind()), "task '" + t.id + "' did not run (see the problems before it)"};
    log_->write();
  }

  void log_subtask_only(const Task& t) {
    if (TaskLog* tl = task_log(t)) {
      tl->status = LogStatus::Skipped;
      tl->skip_reason = LogReason{"SubTask", "runs only as a sub-task of a repeated task, whose log holds its runs"};
    }
  }

  // A plot's own status in the log, set by whatever draws it: SUCCEEDED, or FAILED with why.
  // Unset, a plot whose data generators were computed is SKIPPED (nothing to draw).
  void set_plot_status(LogStatus status, const std::string& why = {}) { plot_status_ = std::make_pair(status, why); }

  void logged_output(const Output& o) {
    DocumentLog* d = doc_log();
    const std::size_t i = static_cast<std::size_t>(&o - doc_.outputs.data());
    OutputLog* ol = d && i < d->outputs.size() ? &d->outputs[i] : nullptr;
    const std::size_t p = report_.problems.size(), n = report_.notes.size();
    const auto start = std::chrono::steady_clock::now();
    plot_status_.reset();
    write_output(o);
    if (!ol) return;
    ol->duration = seconds_since(start);
    log_lines(*ol, p, n);
    bool all = true;
    std::size_t k = 0;
    for (const DataSet& ds : o.data_sets) {
      const bool ok = generated(ds.data_ref) != nullptr;
      all = all && ok;
      ol->items[k++].second = ok ? LogStatus::Succeeded : LogStatus::Failed;
    }
    for (const Output::Curve& c : o.curves) {
      bool ok = true;
      for (const std::string& ref : c.refs) ok = ok && generated(ref) != nullptr;
      all = all && ok;
      ol->items[k++].second = ok ? LogStatus::Succeeded : LogStatus::Failed;
    }
    const bool failed = report_.problems.size() > p || !all;
    if (failed) {
      ol->status = LogStatus::Failed;
      if (!ol->exception && plot_status_ && plot_status_->first == LogStatus::Failed)
        ol->exception = LogReason{"Plot", plot_status_->second};  // drawn data, not drawn
      if (!ol->exception) ol->exception = LogReason{error_type(dependent_kind()), o.type + " '" + o.id + "': not all its data could be computed"};
    } else if (o.type == "report") {
      ol->status = LogStatus::Succeeded;
    } else if (plot_status_) {
      ol->status = plot_status_->first;
      if (ol->status == LogStatus::Failed) ol->exception = LogReason{"Plot", plot_status_->second};
      if (ol->status == LogStatus::Skipped) ol->skip_reason = LogReason{"NoPlots", plot_status_->second};
    } else {
      ol->status = LogStatus::Skipped;
      ol->skip_reason = LogReason{"NotBuilt", o.type == "plot2D" || o.type == "plot3D" ? "nothing to draw (no curves or surfaces)"
                                              : o.type == "figure"                     ? "nothing to draw (no subPlots)"
                                                                                       : "drawing it is not built yet"};
    }
    log_->write();
  }

  const ModelDef* find_model(const std::string& id) const {
    for (const ModelDef& m : doc_.models)
      if (m.id == id) return &m;
    return nullptr;
  }
  const Task* find_task(const std::string& id) const {
    for (const Task& t : doc_.tasks)
      if (t.id == id) return &t;
    return nullptr;
  }
  const Simulation* find_simulation(const std::string& id) const {
    for (const Simulation& s : doc_.simulations)
      if (s.id == id) return &s;
    return nullptr;
  }
  // ---- models -------------------------------------------------------------------------------

  std::shared_ptr<const SbmlXml> load_file(const std::string& file) {
    auto it = files_.find(file);
    if (it != files_.end()) return it->second;
    auto xml = std::make_shared<const SbmlXml>(SbmlXml::from_file(file));
    files_[file] = xml;
    return xml;
  }

  // The model `id` with its changes applied, or nullptr after reporting why it cannot be had.
  const ResolvedModel* model(const std::string& id, int depth = 0) {
    if (auto it = models_.find(id); it != models_.end()) return it->second ? &*it->second : nullptr;
    models_[id] = std::nullopt;  // also breaks cycles of models derived from each other
    const ModelDef* def = find_model(id);
    const std::string element = "model '" + id + "'";
    if (!def) {
      problem(ErrorKind::UnknownId, element, "no such model in the document");
      return nullptr;
    }
    if (!def->language.empty() && def->language.find("sbml") == std::string::npos) {
      problem(ErrorKind::Unsupported, element, "language '" + def->language + "': axisim runs SBML models only");
      return nullptr;
    }
    std::shared_ptr<const SbmlXml> base;
    std::vector<PluginRecord> inherited;
    std::string source = def->source;
    const std::string derived = !source.empty() && source[0] == '#' ? source.substr(1) : source;
    try {
      if (find_model(derived) && derived != id) {
        if (depth > 100) {
          problem(ErrorKind::InvalidSbml, element, "models derived from each other in a cycle");
          return nullptr;
        }
        const ResolvedModel* parent = model(derived, depth + 1);
        if (!parent) {
          problem(dependent_kind(), element, "derived from model '" + derived + "', which could not be had");
          return nullptr;
        }
        base = parent->xml;
        inherited = parent->plugins;
      } else if (auto m = options_.model_map.find(source); m != options_.model_map.end()) {
        base = load_file(m->second);
      } else if (source.rfind("urn:", 0) == 0 || source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) {
        problem(ErrorKind::Unsupported, element,
                "source '" + source + "' names the model by " + (source.rfind("urn:", 0) == 0 ? "URN" : "URL") +
                    "; axisim does not download models: give a local copy with --model-map FILE (SOURCE<TAB>PATH)");
        return nullptr;
      } else if (source.empty()) {
        problem(ErrorKind::InvalidSbml, element, "has no source");
        return nullptr;
      } else {
        fs::path p(source);
        if (p.is_relative()) p = dir_ / p;
        if (!fs::is_regular_file(p)) {
          problem(ErrorKind::Io, element, "source '" + source + "': no such file (" + p.string() + ")");
          return nullptr;
        }
        base = load_file(p.string());
      }
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
      return nullptr;
    }

    std::shared_ptr<const SbmlXml> xml = base;
    std::vector<PluginRecord> plugins = merge_plugins(inherited, def->plugins);
    if (!def->changes.empty()) {
      auto changed = std::make_shared<SbmlXml>(*base);
      bool ok = true;
      for (const Change& c : def->changes) ok = apply_change(*changed, c, element, plugins) && ok;
      if (!ok) return nullptr;
      xml = changed;
    }
    ResolvedModel rm{xml, nullptr, nullptr, std::move(plugins)};
    const std::string text = xml->to_string();
    if (LogicalModel::is_logical(text)) {
      if (!rm.plugins.empty()) {
        problem(ErrorKind::Unsupported, element, "a logical (qual) model takes no tissue plugins (its axisim annotation names some)");
        return nullptr;
      }
      try {
        rm.logical = std::make_shared<const LogicalModel>(LogicalModel::from_string(text, element, options_.load.validate));
      } catch (const Error& e) {
        problem(e.kind(), element, e.what());
        return nullptr;
      }
      models_[id] = rm;
      return &*models_[id];
    }
    try {
      Model loaded = Model::from_string(text, options_.load);
      // Tissue plugins (plugin_annotation.hpp): a model without the plugins it names is not run.
      if (!rm.plugins.empty() || !loaded.recorded_plugins().empty()) {
        try {
          attach_plugins(loaded, rm.plugins, dir_, options_.plugin_dirs, element);
        } catch (const Error& e) {
          problem(e.kind(), element, e.what());
          return nullptr;
        }
      }
      rm.model = std::make_shared<const Model>(std::move(loaded));
    } catch (const Error& e) {
      // A flux balance model has no time course; FBA tasks read its XML (the others are refused
      // where they need the model, naming it).
      bool fbc = false;
      try {
        fbc = e.kind() == ErrorKind::Unsupported && !xml->select("//*[local-name()='listOfObjectives']", {}).empty();
      } catch (const std::exception&) {
      }
      if (!fbc) {
        problem(e.kind(), element, e.what());
        return nullptr;
      }
    }
    models_[id] = rm;
    return &*models_[id];
  }

  const ResolvedModel* model_ptr(const std::string& id) {
    const auto it = models_.find(id);
    return it == models_.end() || !it->second ? nullptr : &*it->second;
  }

  // The model as axisim simulates it, or null after refusing (naming `element`) a flux balance
  // model, which only FBA tasks run.
  const Model* runnable(const ResolvedModel* m, const std::string& id, const std::string& element) {
    if (m->model) return m->model.get();
    if (m->logical) {
      problem(ErrorKind::Unsupported, element,
              "model '" + id + "' is a logical (qual) model: only a logical updating scheme (KISAO:0000449 synchronous, "
                               "KISAO:0000450 asynchronous, KISAO:0000657 sequential, KISAO:0000573 complete) or, for a "
                               "steadyState, a stable state search (KISAO:0000659, KISAO:0000660) runs it");
      return nullptr;
    }
    problem(ErrorKind::Unsupported, element,
            "model '" + id + "' is a flux balance (fbc) model: only a steadyState simulation with flux balance analysis "
                             "(KISAO:0000437) runs it");
    return nullptr;
  }

  // `plugins`: the model's tissue plugins, attached where a computeChange's variable reads one
  // of their values.
  bool apply_change(SbmlXml& xml, const Change& c, const std::string& model_element, const std::vector<PluginRecord>& plugins) {
    const std::string element = model_element + " " + c.type + " '" + c.target + "'";
    try {
      std::size_t n = 0;
      // A qualitative species' bare id (qual_target.hpp) stands for the species: its initial level.
      const std::string target = c.type == "changeAttribute" || c.type == "computeChange" ? qual_target_xpath(xml, c.target) : c.target;
      if (c.type == "changeAttribute") {
        // The target should be an attribute; an element with a value (a parameter, a species, ...)
        // is accepted, as other tools accept it, and gets its value attribute.
        n = xml.set_value(target, c.ns, c.new_value);
      } else if (c.type == "computeChange") {
        if (!c.math) {
          problem(ErrorKind::InvalidSbml, element, "has no math that axisim can evaluate");
          return false;
        }
        std::map<std::string, Series> values;
        for (const Parameter& p : c.parameters) values[p.id] = {p.value};
        std::unique_ptr<Model> current;
        for (const Variable& v : c.variables) {
          if (is_plugin_symbol(v.symbol)) {
            // A plugin's value as the model stands before this change (the changes before it
            // made), with its plugins attached: as its run would start at time 0.
            if (!v.target.empty() || !v.term.empty()) {
              problem(ErrorKind::Unsupported, element, "variable '" + v.id + "': symbol '" + v.symbol +
                                                           "' names a plugin's value: no target or term goes with it");
              return false;
            }
            Model with = Model::from_string(xml.to_string(), options_.load);
            attach_plugins(with, plugins, dir_, options_.plugin_dirs, model_element);
            std::string why;
            const PluginValue pv = plugin_value(with, v.symbol, why);
            if (pv.kind == PluginValueKind::None) {
              problem(ErrorKind::UnknownId, element, "variable '" + v.id + "': " + why);
              return false;
            }
            values[v.id] = {plugin_value_at(with, RunState::start(with, 0.0), pv)};
            continue;
          }
          if (!v.symbol.empty() || v.target.empty()) {
            problem(ErrorKind::Unsupported, element, "variable '" + v.id + "': only targets in the model can be read here");
            return false;
          }
          const auto nodes = xml.select(qual_target_xpath(xml, v.target), v.ns);
          if (nodes.size() != 1) {
            problem(ErrorKind::UnknownId, element,
                    "variable '" + v.id + "': target '" + v.target + "' selects " + std::to_string(nodes.size()) +
                        " nodes of the model, not one");
            return false;
          }
          const auto& node = nodes[0];
          if (node.is_attribute) {
            values[v.id] = {std::stod(node.value)};
          } else if (node.element == "qualitativeSpecies") {  // a logical model's species: its initial level
            const auto level = xml.select(qual_species_xpath(node.id) + "/@*[local-name()='initialLevel']", {});
            values[v.id] = {level.empty() ? 0.0 : std::stod(level[0].value)};
          } else {
            if (!current) current = std::make_unique<Model>(Model::from_string(xml.to_string(), options_.load));
            values[v.id] = {current->initial_value(node.id)};
          }
        }
        const Series r = evaluate(*c.math, [&](const std::string& id) -> const Series* {
          auto it = values.find(id);
          return it == values.end() ? nullptr : &it->second;
        });
        if (r.size() != 1) throw std::runtime_error("the math does not give one value");
        n = xml.set_value(target, c.ns, format_number(r[0]));
      } else if (c.type == "removeXML") {
        n = xml.remove(c.target, c.ns);
      } else if (c.type == "addXML") {
        n = xml.add_xml(c.target, c.ns, c.new_xml);
      } else if (c.type == "changeXML") {
        n = xml.change_xml(c.target, c.ns, c.new_xml);
      } else {
        problem(ErrorKind::Unsupported, element, "this kind of change is not supported");
        return false;
      }
      if (n == 0) {
        problem(ErrorKind::UnknownId, element, "the target selects nothing in the model");
        return false;
      }
      return true;
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, element, e.what());
    }
    return false;
  }

  // ---- variables ----------------------------------------------------------------------------

  std::vector<SubTask> sorted_subtasks(const Task& t) const {
    std::vector<SubTask> subs = t.subtasks;
    std::stable_sort(subs.begin(), subs.end(), [](const SubTask& a, const SubTask& b) { return a.order < b.order; });
    return subs;
  }

  // The id of the model a task's variables are read from: a plain task's model; for a repeated
  // task, that of its first sub-task (recursively). Empty after reporting why there is none.
  std::string task_model_id(const Task& t, const std::string& element, int depth = 0) {
    if (t.type == "task") return t.model_ref;
    if (t.estimation) {  // the model its adjustable parameters change
      for (const AdjustableParameter& a : t.estimation->adjustables)
        if (!a.model_ref.empty()) return a.model_ref;
      if (doc_.models.size() == 1) return doc_.models.front().id;
      problem(ErrorKind::InvalidSbml, element, "parameterEstimationTask '" + t.id + "' names no model");
      return {};
    }
    if (t.type == "repeatedTask") {
      if (depth > 50) {
        problem(ErrorKind::InvalidSbml, element, "repeated tasks nested in a cycle");
        return {};
      }
      const auto subs = sorted_subtasks(t);
      if (subs.empty()) {
        problem(ErrorKind::InvalidSbml, element, "repeatedTask '" + t.id + "' has no sub-tasks");
        return {};
      }
      const Task* first = find_task(subs[0].task);
      if (!first) {
        problem(ErrorKind::UnknownId, element, "sub-task '" + subs[0].task + "' names no task");
        return {};
      }
      return task_model_id(*first, element, depth + 1);
    }
    problem(ErrorKind::Unsupported, element, "reads task '" + t.id + "', a " + t.type + ", which axisim does not run");
    return {};
  }

  static std::string shape_words(const std::vector<std::size_t>& shape) {
    std::string out;
    for (std::size_t e : shape) out += (out.empty() ? "" : " x ") + std::to_string(e);
    return out;
  }

  // A data source's values (data_source.hpp), flat (row by row) when it has several dimensions:
  // the math is elementwise, and a data generator that keeps them keeps the shape.
  std::optional<Series> data_source(const std::string& id, const std::string& element) {
    try {
      const DataValues& v = data_sources_.get(id);
      take_data_warnings();
      return v.values;
    } catch (const Error& e) {
      take_data_warnings();
      problem(e.kind(), element, e.what());
    }
    return std::nullopt;
  }
  // A data source read where one value is needed (a setValue's or functionalRange's variable):
  // a data source sliced to one value, by values or at the running repeated tasks' iterations
  // (a slice's `index`: one value per iteration).
  std::optional<double> data_value(const std::string& id, const std::string& element) {
    try {
      const DataValues& v = data_sources_.get(id, current_iterations_);
      take_data_warnings();
      if (v.values.size() == 1) return v.values[0];
      problem(ErrorKind::Unsupported, element,
              "data source '" + id + "' has " + std::to_string(v.values.size()) + " values" +
                  (v.shape.size() > 1 ? " (" + shape_words(v.shape) + ")" : std::string()) +
                  " where one is needed: slice it to one value in each dimension (a slice's value, or its index at a "
                  "repeated task's iteration)");
    } catch (const Error& e) {
      take_data_warnings();
      problem(e.kind(), element, e.what());
    }
    return std::nullopt;
  }
  void take_data_warnings() {
    const auto& w = data_sources_.warnings();
    for (; data_warnings_ < w.size(); ++data_warnings_) report_.notes.push_back(w[data_warnings_]);
  }

  std::optional<Column> resolve_variable(const Variable& v, const std::string& element) {
    if (v.task_ref.empty() && !v.target.empty() && v.target[0] == '#') {
      problem(ErrorKind::Unsupported, element, "reads data source '" + v.target + "': dataDescription is not built yet");
      return std::nullopt;
    }
    const Task* t = find_task(v.task_ref);
    if (!t) {
      problem(ErrorKind::UnknownId, element, "taskReference '" + v.task_ref + "' names no task");
      return std::nullopt;
    }
    Column col;
    if (is_time_symbol(v.symbol)) {
      col.time = true;
    } else if (is_plugin_symbol(v.symbol)) {
      // A tissue plugin's state or output (plugin_annotation.hpp): not in the SBML document.
      const std::string model_id = !v.model_ref.empty() ? v.model_ref : task_model_id(*t, element);
      if (model_id.empty()) return std::nullopt;
      const ResolvedModel* m = model(model_id);
      if (!m || !m->model) {
        problem(dependent_kind(), element, "model '" + model_id + "' could not be had");
        return std::nullopt;
      }
      std::string why;
      col.spec.id = plugin_quantity(*m->model, v.symbol, why);
      if (col.spec.id.empty()) {
        problem(ErrorKind::UnknownId, element, why);
        return std::nullopt;
      }
      if (!v.target.empty() || !v.term.empty()) {
        problem(ErrorKind::Unsupported, element, "symbol '" + v.symbol + "' names a plugin's value: no target or term goes with it");
        return std::nullopt;
      }
    } else if (const std::string ct = coefficient_term(v.term.empty() ? v.symbol : v.term); !ct.empty()) {
      return resolve_coefficient(*t, v, ct, element);
    } else if (const std::string mt = matrix_term(v.term.empty() ? v.symbol : v.term); !mt.empty()) {
      return resolve_matrix(*t, v, mt, element);
    } else if (!v.symbol.empty() && v.target.empty()) {
      const std::string known = variable_term_refusal(v.symbol);
      problem(ErrorKind::Unsupported, element, known.empty() ? "symbol '" + v.symbol + "' is not one axisim reports yet" : known);
      return std::nullopt;
    } else if (is_rate_of_change(v.term)) {
      if (!v.symbol2.empty() && !is_time_symbol(v.symbol2)) {
        problem(ErrorKind::Unsupported, element, "term " + v.term + " by '" + v.symbol2 + "': only rates of change in time are built");
        return std::nullopt;
      }
      return resolve_rate(*t, v, element);
    } else if (!v.term.empty() && !is_amount(v.term) && !is_concentration(v.term) && !is_particles(v.term)) {
      const std::string known = variable_term_refusal(v.term);
      problem(ErrorKind::Unsupported, element,
              known.empty() ? "term '" + v.term + "' is not a KiSAO term axisim knows for a variable (it computes the amount "
                                                  "KISAO:0000836, concentration 0000838, particle number 0000837, rate of change 0000834, the "
                                                  "matrices and coefficients 0000801-0000819 and 0000835, and aggregations)"
                            : known);
      return std::nullopt;
    } else {
      if (!v.model_ref.empty() && !find_model(v.model_ref)) {
        // tellurium takes a task variable's model from its task and never looks at this; SED-ML
        // says the reference names a model of the document, so it is an error here.
        std::string models;
        for (const ModelDef& m : doc_.models) models += (models.empty() ? "'" : ", '") + m.id + "'";
        const std::string runs = task_model_id(*t, element);
        problem(ErrorKind::UnknownId, element,
                "modelReference '" + v.model_ref + "' names no model of the document (its models: " +
                    (models.empty() ? std::string("none") : models) + ")" +
                    (runs.empty() ? std::string() : "; its task '" + t->id + "' runs model '" + runs + "'"));
        return std::nullopt;
      }
      const std::string model_id = !v.model_ref.empty() ? v.model_ref : task_model_id(*t, element);
      if (model_id.empty()) return std::nullopt;
      const ResolvedModel* m = model(model_id);
      if (!m) {
        problem(dependent_kind(), element, "model '" + model_id + "' could not be had");
        return std::nullopt;
      }
      if (m->logical) {
        // A logical model: a qualitative species' level (the element, its bare id, qual_target.hpp).
        std::string id, why;
        try {
          id = qual_species_of(*m->xml, v.target, v.ns, why);
        } catch (const std::exception& e) {
          problem(ErrorKind::InvalidSbml, element, e.what());
          return std::nullopt;
        }
        if (id.empty() || !m->logical->has_id(id)) {
          problem(ErrorKind::UnknownId, element,
                  "target '" + v.target + "' selects " + why + " in logical model '" + model_id +
                      "', not one qualitativeSpecies (by XPath or bare id: its level is what a logical run reports)");
          return std::nullopt;
        }
        if (!v.symbol.empty() || !v.term.empty()) {
          problem(ErrorKind::Unsupported, element, "a logical model reports levels: symbol or term '" + v.symbol + v.term + "' does not apply");
          return std::nullopt;
        }
        col.spec.id = id;
        needed_[t->id].insert(col);
        return col;
      }
      std::vector<SbmlXml::Node> nodes;
      try {
        nodes = m->xml->select(v.target, v.ns);
      } catch (const std::exception& e) {
        problem(ErrorKind::InvalidSbml, element, e.what());
        return std::nullopt;
      }
      if (!m->model) {
        // A flux balance model: a reaction's flux or an objective's value (the element, or its
        // `flux` / `value` attribute as BioSimulators names them; the model has no such
        // attribute, so the element is selected); under flux variability analysis a reaction's
        // `minFlux` and `maxFlux`; under FBA a reaction's `reducedCost` and a species'
        // `shadowPrice` (the duals).
        for (const char* a : {"/@flux", "/@value", "/@minFlux", "/@maxFlux", "/@reducedCost", "/@shadowPrice"}) {
          const std::string suffix = a;
          if (nodes.empty() && v.target.size() > suffix.size() &&
              v.target.compare(v.target.size() - suffix.size(), suffix.size(), suffix) == 0) {
            try {
              nodes = m->xml->select(v.target.substr(0, v.target.size() - suffix.size()), v.ns);
              for (auto& n : nodes) {
                n.is_attribute = true;
                n.attribute = suffix.substr(2);
              }
            } catch (const std::exception&) {
            }
          }
        }
        const bool range = nodes.size() == 1 && nodes[0].is_attribute &&
                           (nodes[0].attribute == "minFlux" || nodes[0].attribute == "maxFlux" ||
                            (nodes[0].element == "reaction" && nodes[0].attribute == "reducedCost") ||
                            (nodes[0].element == "species" && nodes[0].attribute == "shadowPrice"));
        const bool ok = nodes.size() == 1 && !nodes[0].id.empty() &&
                        ((nodes[0].element == "reaction" && (!nodes[0].is_attribute || nodes[0].attribute == "flux" || range)) ||
                         (nodes[0].element == "species" && range) ||
                         (nodes[0].element == "objective" && (!nodes[0].is_attribute || nodes[0].attribute == "value")));
        if (!ok) {
          problem(ErrorKind::Unsupported, element,
                  "target '" + v.target + "' in flux balance model '" + model_id +
                      "': only a reaction's flux (minFlux and maxFlux under flux variability analysis), an "
                      "objective's value, a reaction's reducedCost and a species' shadowPrice are results of flux "
                      "balance analysis");
          return std::nullopt;
        }
        if (range) col.flux_range = nodes[0].attribute;
        col.spec.id = nodes[0].id;
        needed_[t->id].insert(col);
        return col;
      }
      if (nodes.size() != 1 || nodes[0].is_attribute || nodes[0].id.empty()) {
        problem(ErrorKind::UnknownId, element,
                "target '" + v.target + "' selects " +
                    (nodes.empty() ? std::string("nothing")
                                   : nodes.size() > 1 ? std::to_string(nodes.size()) + " nodes"
                                                      : std::string("no element with an id")) +
                    " in model '" + model_id + "'");
        return std::nullopt;
      }
      col.spec.id = nodes[0].id;
      if (!m->model->has_id(col.spec.id)) {
        problem(ErrorKind::UnknownId, element, "target '" + v.target + "': axisim's model has no value '" + col.spec.id + "'");
        return std::nullopt;
      }
      // Version 4: the amount (KISAO:0000836) or the concentration (KISAO:0000838), as term or symbol.
      if (is_amount(v.term) || is_amount(v.symbol)) col.spec.quantity = Quantity::Amount;
      else if (is_concentration(v.term) || is_concentration(v.symbol)) col.spec.quantity = Quantity::Concentration;
      else if (is_particles(v.term) || is_particles(v.symbol)) {
        std::string why;
        col.scale = particles_per_substance(*m, col.spec.id, why);
        if (!why.empty()) {
          problem(ErrorKind::Unsupported, element, "particle number (KISAO:0000837) of '" + col.spec.id + "': " + why);
          return std::nullopt;
        }
        col.spec.quantity = Quantity::Amount;
      } else if (!v.symbol.empty()) {
        const std::string known = variable_term_refusal(v.symbol);
        problem(ErrorKind::Unsupported, element, known.empty() ? "symbol '" + v.symbol + "' on a target is not built yet" : known);
        return std::nullopt;
      }
    }
    needed_[t->id].insert(col);
    return col;
  }

  // Particles per unit of species `id`'s substance, for its particle number (KISAO:0000837): its
  // substanceUnits, else the model's (Level 3), else Level 2's built-in `substance` (the mole);
  // the mole, the item, or a unit definition of one of them to the power 1 (its multiplier and
  // scale). Anything else leaves `why` saying so: a gram or an undeclared unit has no count.
  static double particles_per_substance(const ResolvedModel& m, const std::string& id, std::string& why) {
    if (m.model->kind(id) != SymbolKind::Species) {
      why = "it is not a species (only a species has particles)";
      return 0.0;
    }
    const SbmlXml& x = *m.xml;
    const Namespaces none;
    auto attr = [&](const std::string& xpath) {
      const auto n = x.select(xpath, none);
      return n.empty() ? std::string() : n[0].value;
    };
    std::string unit = attr("//*[local-name()='species'][@id='" + id + "']/@substanceUnits");
    if (unit.empty()) unit = attr("//*[local-name()='model']/@substanceUnits");
    const std::string level = attr("/*[local-name()='sbml']/@level");
    if (unit.empty() && level != "3") unit = "substance";
    if (unit.empty()) {
      why = "the model declares no substance units (SBML Level 3 has no default), so what one unit of its amount "
            "counts is unknown";
      return 0.0;
    }
    if (unit == "mole") return kAvogadro;
    if (unit == "item") return 1.0;
    const std::string def = "//*[local-name()='unitDefinition'][@id='" + unit + "']";
    const auto kinds = x.select(def + "/*[local-name()='listOfUnits']/*[local-name()='unit']/@kind", none);
    if (kinds.empty() && unit == "substance") return kAvogadro;  // Level 2's built-in, not redefined
    if (kinds.size() == 1 && (kinds[0].value == "mole" || kinds[0].value == "item")) {
      const std::string u = def + "/*[local-name()='listOfUnits']/*[local-name()='unit']";
      const std::string e = attr(u + "/@exponent"), sc = attr(u + "/@scale"), mu = attr(u + "/@multiplier");
      if (e.empty() || std::stod(e) == 1.0) {
        const double factor = (mu.empty() ? 1.0 : std::stod(mu)) * std::pow(10.0, sc.empty() ? 0.0 : std::stod(sc));
        return kinds[0].value == "mole" ? kAvogadro * factor : factor;
      }
    }
    why = "its substance unit '" + unit + "' is not a mole or an item (to the power 1, with any multiplier and "
          "scale), so it gives no count of particles";
    return 0.0;
  }

  // A Version 4 matrix term (variable_terms.hpp) on a plain task: the stoichiometry matrix and
  // those of the stoichiometry alone (N_R, L, L0, K) on any deterministic run (they do not
  // change), the others at a steadyState task's steady state.
  // Refused, named: a target with it (a matrix is the whole model's), a repeated task (a matrix
  // per iteration and sub-task is not laid out), a time course for a matrix that changes along
  // it (SED-ML does not say at which point), stochastic, logical and flux balance runs.
  std::optional<Column> resolve_matrix(const Task& t, const Variable& v, const std::string& term, const std::string& element) {
    const std::string what = "term " + term + " (" + variable_term_label(term) + ")";
    auto refuse = [&](const std::string& why) -> std::optional<Column> {
      problem(ErrorKind::Unsupported, element, what + ": " + why);
      return std::nullopt;
    };
    if (!v.target.empty()) return refuse("a matrix of the whole model: no target goes with it");
    if (t.type != "task")
      return refuse("reads " + t.type + " '" + t.id + "': a matrix is built for a plain task (one matrix per iteration and "
                    "sub-task of a repeated task is not laid out)");
    const ResolvedModel* m = model(t.model_ref);
    if (!m) {
      problem(dependent_kind(), element, "model '" + t.model_ref + "' could not be had");
      return std::nullopt;
    }
    if (!runnable(m, t.model_ref, element)) return std::nullopt;
    const Simulation* sim = find_simulation(t.sim_ref);
    if (!sim) {
      problem(ErrorKind::UnknownId, element, "task '" + t.id + "': simulationReference '" + t.sim_ref + "' names no simulation");
      return std::nullopt;
    }
    auto cached = sim_options_.find(sim->id);
    if (cached == sim_options_.end()) cached = sim_options_.emplace(sim->id, simulation_options(*sim, t.id)).first;
    if (!cached->second) return std::nullopt;  // reported there
    const Plan& plan = *cached->second;
    if (plan.fba || plan.logical || plan.stochastic)
      return refuse("task '" + t.id + "' runs " + (plan.fba ? "flux balance analysis" : plan.logical ? "a logical model" : "a stochastic simulation") +
                    ": the matrix is built for deterministic runs");
    if (!structural_matrix(term) && !plan.steady)
      return refuse("it is taken at a steady state, and task '" + t.id + "' runs a " + sim->type +
                    ", along which it changes: SED-ML L1V4 and KiSAO say neither at which of its points it is taken nor how "
                    "one matrix per output time would be laid out");
    Column col;
    col.matrix = term;
    needed_[t.id].insert(col);
    return col;
  }

  // A Version 4 single coefficient (KISAO:0000802/0000803 control, 0000805/0000807 elasticity,
  // scaled/unscaled) of the pair `target` (a reaction's flux or a species; an elasticity's
  // reaction) and `target2` (the reaction whose rate is perturbed; an elasticity's species): one
  // value per steady state, the entry of the matrix fill_matrices computes. On a steadyState task,
  // or a repeated task whose runs are steady states (checked as they run).
  std::optional<Column> resolve_coefficient(const Task& t, const Variable& v, const std::string& term, const std::string& element) {
    const std::string what = "term " + term + " (" + variable_term_label(term) + ")";
    auto refuse = [&](const std::string& why) -> std::optional<Column> {
      problem(ErrorKind::Unsupported, element, what + ": " + why);
      return std::nullopt;
    };
    if (v.target.empty() || v.target2.empty())
      return refuse("a coefficient of a pair: it needs a target (a flux's reaction or a species; an elasticity's reaction) and a "
                    "target2 (the reaction; an elasticity's species)");
    if (t.type != "task" && t.type != "repeatedTask")
      return refuse("reads " + t.type + " '" + t.id + "': a coefficient is taken at a task's steady state");
    const std::string model_id = task_model_id(t, element);
    if (model_id.empty()) return std::nullopt;
    const ResolvedModel* m = model(model_id);
    if (!m) {
      problem(dependent_kind(), element, "model '" + model_id + "' could not be had");
      return std::nullopt;
    }
    if (!runnable(m, model_id, element)) return std::nullopt;
    if (t.type == "task") {
      const Simulation* sim = find_simulation(t.sim_ref);
      if (!sim) {
        problem(ErrorKind::UnknownId, element, "task '" + t.id + "': simulationReference '" + t.sim_ref + "' names no simulation");
        return std::nullopt;
      }
      auto cached = sim_options_.find(sim->id);
      if (cached == sim_options_.end()) cached = sim_options_.emplace(sim->id, simulation_options(*sim, t.id)).first;
      if (!cached->second) return std::nullopt;
      if (!cached->second->steady || cached->second->fba || cached->second->logical)
        return refuse("it is taken at a steady state, and task '" + t.id + "' runs a " + sim->type +
                      (cached->second->fba ? " by flux balance analysis" : cached->second->logical ? " of a logical model" : ""));
    }
    std::string ids[2];
    SymbolKind kinds[2];
    try {
      for (int i = 0; i < 2; ++i) {
        const std::string& target = i == 0 ? v.target : v.target2;
        const auto nodes = m->xml->select(target, v.ns);
        if (nodes.size() != 1 || nodes[0].is_attribute || nodes[0].id.empty() || !m->model->has_id(nodes[0].id))
          return refuse(std::string(i == 0 ? "target" : "target2") + " '" + target + "' selects no one symbol of model '" + model_id + "'");
        ids[i] = nodes[0].id;
        kinds[i] = m->model->kind(ids[i]);
      }
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, element, e.what());
      return std::nullopt;
    }
    const bool scaled = term == "KISAO:0000802" || term == "KISAO:0000807";
    Column col;
    if (term == "KISAO:0000805" || term == "KISAO:0000807") {
      if (kinds[0] != SymbolKind::Reaction || kinds[1] != SymbolKind::Species)
        return refuse("an elasticity is a reaction's ('" + ids[0] + "' is not) by a species ('" + ids[1] + "' is not)");
      col.matrix = scaled ? "KISAO:0000806" : "KISAO:0000804";
    } else {
      if (kinds[1] != SymbolKind::Reaction) return refuse("target2 '" + ids[1] + "' is not a reaction (the rate perturbed)");
      if (kinds[0] == SymbolKind::Reaction) col.matrix = scaled ? "KISAO:0000815" : "KISAO:0000814";
      else if (kinds[0] == SymbolKind::Species) col.matrix = scaled ? "KISAO:0000835" : "KISAO:0000801";
      else return refuse("target '" + ids[0] + "' is neither a reaction (a flux) nor a species");
    }
    col.spec.id = ids[0] + "\n" + ids[1];  // the entry: row, column
    needed_[t.id].insert(col);
    return col;
  }

  // The matrices `mats` asks for, appended row by row to `out` (and kept with their labels in
  // matrices_): the stoichiometry of `model`, the others at its steady state (`so`) by metabolic
  // control analysis (axisim/control_analysis.hpp). The Jacobian is d(dx_i/dt)/dx_k in the
  // quantity the model uses: (N E)_ik, divided by x_i's compartment size for a concentration;
  // refused where other processes (rate rules, plugins) change states or a compartment changes.
  // The reduced Jacobian and the eigenvalue matrices follow from it (structural_matrices.hpp); the
  // stoichiometric matrices are the conserved-moiety analysis's (axisim/moieties.hpp).
  bool fill_matrices(const Model& model, const std::string& model_id, const SteadyStateOptions& so, const std::vector<Column>& mats,
                     std::map<Column, Series>& out, const std::string& task_id, const std::string& element, bool steady) {
    try {
      std::optional<MoietyAnalysis> moieties;
      std::optional<ControlAnalysis> mca;
      for (const Column& c : mats) {
        if (!steady && !structural_matrix(c.matrix)) {  // a coefficient in a repeated task's time course
          problem(ErrorKind::Unsupported, element,
                  variable_term_label(c.matrix) + " is taken at a steady state, and this task runs a time course");
          return false;
        }
        Matrix value;
        if (structural_matrix(c.matrix)) {
          if (!moieties) moieties = conserved_moieties(model);
          if (c.matrix == "KISAO:0000811") value = moieties->stoichiometry;
          else if (c.matrix == "KISAO:0000808" || c.matrix == "KISAO:0000819") value = moieties->reduced_stoichiometry;
          else if (c.matrix == "KISAO:0000816") value = moieties->link;
          else if (c.matrix == "KISAO:0000818") value = moieties->link0;
          else value = moieties->kernel;  // KISAO:0000817
        } else {
          if (!mca) mca = control_analysis(model, so);
          if (c.matrix == "KISAO:0000804") value = mca->elasticities;
          else if (c.matrix == "KISAO:0000806") value = mca->scaled_elasticities;
          else if (c.matrix == "KISAO:0000814") value = mca->flux_control;
          else if (c.matrix == "KISAO:0000815") value = mca->scaled_flux_control;
          else if (c.matrix == "KISAO:0000801") value = mca->concentration_control;
          else if (c.matrix == "KISAO:0000835") value = mca->scaled_concentration_control;
          else if (c.matrix == "KISAO:0000812" || c.matrix == "KISAO:0000809" || c.matrix == "KISAO:0000810" ||
                   c.matrix == "KISAO:0000813") {
            if (!moieties) moieties = conserved_moieties(model);
            std::vector<double> sizes;
            const std::string why = steady_jacobian(model, model_id, *moieties, *mca, value, sizes);
            if (!why.empty()) {
              problem(ErrorKind::Unsupported, element, "term " + c.matrix + " (" + variable_term_label(c.matrix) + "): " + why);
              return false;
            }
            if (c.matrix == "KISAO:0000809" || c.matrix == "KISAO:0000810") value = reduced_jacobian(value, *moieties, sizes);
            if (c.matrix == "KISAO:0000810" || c.matrix == "KISAO:0000813") value = eigenvalue_matrix(value);
          } else {
            problem(ErrorKind::Unsupported, element, "term " + c.matrix + " is not built");
            return false;
          }
        }
        Series& s = out[c];
        if (!c.spec.id.empty()) {  // one coefficient: its entry
          const auto nl = c.spec.id.find('\n');
          s.push_back(value.at(c.spec.id.substr(0, nl), c.spec.id.substr(nl + 1)));
          continue;
        }
        s.insert(s.end(), value.values.begin(), value.values.end());
        matrices_[task_id + "\n" + c.matrix] = std::move(value);
      }
      return true;
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
    }
    return false;
  }

  // The Jacobian at the steady state from the control analysis: every state a species that
  // reactions alone change, d x_i/dt = (N v)_i / V_i (V_i: its compartment's size, for a
  // concentration; 1 for an amount), so J = diag(1/V) N E with E = dv/dx in the model's
  // quantities; `sizes` gets the V_i. Empty, or why not.
  std::string steady_jacobian(const Model& model, const std::string& model_id, const MoietyAnalysis& moieties,
                              const ControlAnalysis& mca, Matrix& out, std::vector<double>& sizes) {
    if (!mca.other_processes.empty())
      return "states that rate rules or plugins change ('" + mca.other_processes.front() + "', ...) are not built here";
    if (moieties.species != mca.species || moieties.reactions != mca.reactions)
      return "the control analysis's species or reactions differ from the stoichiometry's";
    const ResolvedModel* m = model_ptr(model_id);
    const Namespaces none;
    const std::size_t n = mca.species.size(), r = mca.reactions.size();
    out = Matrix(mca.species, mca.species);
    sizes.assign(n, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string sp = "//*[local-name()='species'][@id='" + mca.species[i] + "']";
      double size = 1.0;
      const auto only = m->xml->select(sp + "/@hasOnlySubstanceUnits", none);
      if (only.empty() || only[0].value != "true") {
        const auto comp = m->xml->select(sp + "/@compartment", none);
        if (comp.empty()) return "species '" + mca.species[i] + "' names no compartment";
        const auto constant = m->xml->select("//*[local-name()='compartment'][@id='" + comp[0].value + "']/@constant", none);
        if (!constant.empty() && constant[0].value == "false") return "compartment '" + comp[0].value + "' changes in size";
        size = model.initial_value(comp[0].value);
      }
      sizes[i] = size;
      for (std::size_t k = 0; k < n; ++k) {
        double sum = 0.0;
        for (std::size_t j = 0; j < r; ++j) sum += moieties.stoichiometry(i, j) * mca.elasticities(j, k);
        out(i, k) = sum / size;
      }
    }
    return {};
  }

  // KISAO:0000834: the rate of change of the value the target selects (rate_of_id), its columns
  // added to the task's.
  std::optional<Column> resolve_rate(const Task& t, const Variable& v, const std::string& element) {
    const std::string model_id = !v.model_ref.empty() ? v.model_ref : task_model_id(t, element);
    if (model_id.empty()) return std::nullopt;
    const ResolvedModel* m = model(model_id);
    if (!m) {
      problem(dependent_kind(), element, "model '" + model_id + "' could not be had");
      return std::nullopt;
    }
    if (!runnable(m, model_id, element)) return std::nullopt;
    try {
      const auto nodes = m->xml->select(v.target, v.ns);
      std::string why;
      std::optional<Column> col;
      if (nodes.size() != 1 || nodes[0].is_attribute || nodes[0].id.empty() || !m->model->has_id(nodes[0].id))
        why = "the target selects no one symbol of model '" + model_id + "'";
      else
        col = rate_of_id(t, *m, model_id, nodes[0].id, v.symbol, why, 0);
      if (!col) {
        problem(ErrorKind::Unsupported, element, "rate of change (KISAO:0000834) of '" + v.target + "': " + why);
        return std::nullopt;
      }
      return col;
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, element, e.what());
    }
    return std::nullopt;
  }

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
                                   const std::string& symbol, std::string& why, int depth) {
    auto refuse = [&](const std::string& w) -> std::optional<Column> {
      why = w;
      return std::nullopt;
    };
    const SbmlXml& x = *m.xml;
    const Namespaces none;
    auto attrs = [&](const std::string& xpath) {
      std::vector<std::string> out;
      for (const auto& n : x.select(xpath, none)) out.push_back(n.value);
      return out;
    };
    const std::string rate_rule = "//*[local-name()='rateRule'][@variable='" + id + "']";
    if (!x.select(rate_rule, none).empty()) {
      std::optional<Column> c = rule_rate(t, m, model_id, id, symbol, rate_rule, why);
      if (!c) why = "'" + id + "', set by a rate rule: " + why;
      return c;
    }
    const std::string assignment = "//*[local-name()='assignmentRule'][@variable='" + id + "']";
    if (!x.select(assignment, none).empty()) {
      std::optional<Column> c = assigned_rate(t, m, model_id, id, symbol, assignment, why, depth);
      if (!c && why.rfind("'", 0) != 0) why = "'" + id + "', set by an assignment rule: " + why;
      return c;
    }
    const SymbolKind kind = m.model->kind(id);
    const std::string sp = "//*[local-name()='species'][@id='" + id + "']";
    const bool boundary = kind == SymbolKind::Species && attrs(sp + "/@boundaryCondition") == std::vector<std::string>{"true"};
    if (depth > 0 && (kind == SymbolKind::Parameter || kind == SymbolKind::Compartment || boundary)) {
      // Nothing but events changes it: constant between them.
      Column col;
      col.rate = true;
      col.spec.id = model_id + "\n" + id + "\nconstant";
      rates_[col.spec.id] = RateRecipe{};  // the caller reads the value itself: the run's length
      needed_[t.id].insert(col);
      return col;
    }
    if (kind != SymbolKind::Species)
      return refuse("'" + id + "' is not a species and no rule sets it (the rate of a value set by an event or nothing is "
                    "not built)");
    if (boundary) return refuse("'" + id + "' is a boundary species");
    if (!attrs(sp + "/@conversionFactor").empty() || !attrs("//*[local-name()='model']/@conversionFactor").empty())
      return refuse("conversion factors are not built here");
    if (!x.select("//*[local-name()='algebraicRule']", none).empty()) return refuse("the model has algebraic rules");
    if (!attrs("//*[local-name()='reaction'][@fast='true']/@id").empty()) return refuse("the model has fast reactions");
    RateRecipe recipe;
    for (const std::string& rid : attrs("//*[local-name()='reaction']/@id")) {
      double net = 0.0;
      bool involved = false;
      for (const auto& [list, sign] : {std::pair<const char*, double>{"listOfReactants", -1.0}, {"listOfProducts", 1.0}}) {
        const std::string refs = "//*[local-name()='reaction'][@id='" + rid + "']/*[local-name()='" + list +
                                 "']/*[local-name()='speciesReference'][@species='" + id + "']";
        const auto found = x.select(refs, none);
        for (std::size_t i = 1; i <= found.size(); ++i) {
          const std::string one = "(" + refs + ")[" + std::to_string(i) + "]";
          if (!x.select(one + "/*[local-name()='stoichiometryMath']", none).empty())
            return refuse("reaction '" + rid + "' gives it a stoichiometryMath");
          const auto ref_id = attrs(one + "/@id");
          if (!ref_id.empty())
            for (const std::string& r : attrs("//*[local-name()='rateRule' or local-name()='assignmentRule' or "
                                              "local-name()='eventAssignment' or local-name()='initialAssignment']/@variable"))
              if (r == ref_id[0]) return refuse("reaction '" + rid + "' gives it a stoichiometry that changes");
          const auto st = attrs(one + "/@stoichiometry");
          net += sign * (st.empty() ? 1.0 : std::stod(st[0]));  // Level 2's default is 1
          involved = true;
        }
      }
      if (involved && net != 0.0) recipe.terms.emplace_back(rid, net);
    }
    // The amount's rate with symbol KISAO:0000836, the concentration's with 0000838, else the
    // quantity the model uses.
    if (!symbol.empty() && !is_amount(symbol) && !is_concentration(symbol)) return refuse("symbol '" + symbol + "' with it is not built");
    const bool amount = is_amount(symbol) ||
                        (!is_concentration(symbol) && attrs(sp + "/@hasOnlySubstanceUnits") == std::vector<std::string>{"true"});
    if (!amount) {
      const auto comp = attrs(sp + "/@compartment");
      if (comp.empty()) return refuse("'" + id + "' names no compartment");
      const std::string cp = "//*[local-name()='compartment'][@id='" + comp[0] + "']";
      if (attrs(cp + "/@constant") == std::vector<std::string>{"false"})
        return refuse("its compartment '" + comp[0] + "' changes in size");
      recipe.compartment = comp[0];
    }
    Column col;
    col.rate = true;
    col.spec.id = model_id + "\n" + id + (amount ? "\namount" : "\nconcentration");  // one recipe each
    for (const auto& [rid, n] : recipe.terms) needed_[t.id].insert(value_column(rid));
    if (!recipe.compartment.empty()) needed_[t.id].insert(value_column(recipe.compartment));
    rates_[col.spec.id] = std::move(recipe);
    needed_[t.id].insert(col);
    return col;
  }

  // A value a rate rule drives (a parameter, compartment or species): the rule's math, evaluated
  // on the same run's columns of what it reads (and the time), so the rate is exactly the
  // right-hand side the integrator used. Refused: a symbol with it (the rule gives the rate of
  // the quantity the model uses), math the evaluator does not hold (function calls, delay, ...),
  // and identifiers that are no value of the model.
  std::optional<Column> rule_rate(const Task& t, const ResolvedModel& m, const std::string& model_id, const std::string& id,
                                  const std::string& symbol, const std::string& rule_xpath, std::string& why) {
    auto refuse = [&](const std::string& w) -> std::optional<Column> {
      why = w;
      return std::nullopt;
    };
    if (!symbol.empty()) return refuse("symbol '" + symbol + "' with it is not built (the rule gives the rate of the quantity the model uses)");
    RateRecipe recipe;
    try {
      const std::string xml = m.xml->element_xml(rule_xpath + "/*[local-name()='math']", Namespaces{});
      if (xml.empty()) return refuse("the rule has no math");
      recipe.rule = parse_math_xml(xml);
    } catch (const std::exception& e) {
      return refuse(std::string("its math: ") + e.what());
    }
    std::vector<std::string> reads;
    identifiers(*recipe.rule, reads);
    std::set<Column> columns;
    for (const std::string& r : reads) {
      if (r == kTime) columns.insert(time_column());
      else if (m.model->has_id(r)) columns.insert(value_column(r));
      else return refuse("its math reads '" + r + "', which is no value of model '" + model_id + "' (a function definition, a csymbol, ...)");
    }
    Column col;
    col.rate = true;
    col.spec.id = model_id + "\n" + id + "\nrule";
    for (const Column& c : columns) needed_[t.id].insert(c);
    rates_[col.spec.id] = std::move(recipe);
    needed_[t.id].insert(col);
    return col;
  }

  // A value an assignment rule sets, x = f(y_1, ..., y_n, t): by the chain rule,
  // dx/dt = sum_i df/dy_i dy_i/dt + df/dt, the partial derivatives symbolic
  // (math_derivative.hpp), each dy_i/dt the rate of what f reads (rate_of_id: a species' from
  // its reactions, a rate rule's math, another assignment rule's derivative; 0 for a parameter
  // or compartment no rule sets), all on the same run's columns. In the quantity the model
  // uses (the rule's); refused, named: a symbol with it, math not differentiated (function
  // calls, delay, factorial, ...), what f reads whose rate is refused, rules that read each other
  // in a cycle.
  std::optional<Column> assigned_rate(const Task& t, const ResolvedModel& m, const std::string& model_id, const std::string& id,
                                      const std::string& symbol, const std::string& rule_xpath, std::string& why, int depth) {
    auto refuse = [&](const std::string& w) -> std::optional<Column> {
      why = w;
      return std::nullopt;
    };
    if (!symbol.empty()) return refuse("symbol '" + symbol + "' with it is not built (the rule gives the quantity the model uses)");
    if (depth > 50) return refuse("assignment rules read each other in a cycle");
    const std::string key = model_id + "\n" + id + "\nassigned";
    MathNode f;
    try {
      const std::string xml = m.xml->element_xml(rule_xpath + "/*[local-name()='math']", Namespaces{});
      if (xml.empty()) return refuse("the rule has no math");
      f = parse_math_xml(xml);
    } catch (const std::exception& e) {
      return refuse(std::string("its math: ") + e.what());
    }
    std::vector<std::string> reads;
    identifiers(f, reads);
    std::sort(reads.begin(), reads.end());
    reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
    RateRecipe recipe;
    MathNode sum;
    sum.kind = MathNode::Kind::Apply;
    sum.name = "plus";
    sum.args.push_back(MathNode{});  // 0: a rule of constants
    try {
      for (const std::string& r : reads) {
        MathNode partial = derivative(f, r);
        if (partial.kind == MathNode::Kind::Number && partial.value == 0.0) continue;
        if (r == kTime) {
          needed_[t.id].insert(time_column());
          sum.args.push_back(std::move(partial));
          continue;
        }
        if (!m.model->has_id(r))
          return refuse("its math reads '" + r + "', which is no value of model '" + model_id + "' (a function definition, a csymbol, ...)");
        std::string inner;
        const std::optional<Column> rate = rate_of_id(t, m, model_id, r, "", inner, depth + 1);
        if (!rate) return refuse(inner.rfind("'", 0) == 0 ? inner : "'" + r + "', which it reads: " + inner);
        const std::string name = std::string("\x01rate ") + r;  // no SBML id has this form
        recipe.chain_rates.emplace_back(name, *rate);
        needed_[t.id].insert(value_column(r));
        MathNode rate_of_r;
        rate_of_r.kind = MathNode::Kind::Identifier;
        rate_of_r.name = name;
        MathNode term;
        term.kind = MathNode::Kind::Apply;
        term.name = "times";
        term.args = {std::move(partial), std::move(rate_of_r)};
        sum.args.push_back(std::move(term));
      }
    } catch (const std::exception& e) {
      return refuse(std::string("its math: ") + e.what());
    }
    recipe.chain = std::move(sum);
    Column col;
    col.rate = true;
    col.spec.id = key;
    rates_[key] = std::move(recipe);
    needed_[t.id].insert(col);
    return col;
  }

  // A rate-of-change column from the run's reaction-rate and compartment columns.
  Series rate_series(const TaskRun& run, const Column& col) const {
    const RateRecipe& r = rates_.at(col.spec.id);
    Series out;
    std::size_t n = 0;
    for (const auto& [c, s] : run.columns)
      if (!c.rate && (c.matrix.empty() || !c.spec.id.empty())) n = std::max(n, s.size());
    Series time;
    for (const auto& [c, s] : run.columns)
      if (c.time) time = s;
    if (r.rule || r.chain) {
      // The rule's math (or its derivative) on the columns it reads, and the rates of what an
      // assignment rule reads; a constant is the same at every point.
      std::map<std::string, Series> rates;
      for (const auto& [name, c] : r.chain_rates) rates[name] = rate_series(run, c);
      out = evaluate(r.rule ? *r.rule : *r.chain, [&](const std::string& name) -> const Series* {
        if (name == kTime) return &time;
        if (const auto it = rates.find(name); it != rates.end()) return &it->second;
        const auto it = run.columns.find(value_column(name));
        return it == run.columns.end() ? nullptr : &it->second;
      });
      if (out.size() == 1 && n > 1) out.assign(n, out[0]);
      return out;
    }
    out.assign(n, 0.0);
    for (const auto& [rid, nu] : r.terms) {
      const Series& v = run.columns.at(value_column(rid));
      for (std::size_t i = 0; i < n; ++i) out[i] += nu * (i < v.size() ? v[i] : std::numeric_limits<double>::quiet_NaN());
    }
    if (!r.compartment.empty()) {
      const Series& size = run.columns.at(value_column(r.compartment));
      for (std::size_t i = 0; i < n; ++i) out[i] /= i < size.size() ? size[i] : std::numeric_limits<double>::quiet_NaN();
    }
    return out;
  }

  void collect_variables() {
    for (const DataGenerator& g : doc_.generators)
      for (const Variable& v : g.variables) {
        const std::string key = g.id + "/" + v.id;
        const std::string element = "dataGenerator '" + g.id + "' variable '" + v.id + "'";
        if (v.task_ref.empty() && !v.target.empty() && v.target[0] == '#') {
          data_[key] = data_source(v.target.substr(1), element);
          if (data_[key]) data_shape_[key] = data_sources_.get(v.target.substr(1)).shape;
          continue;
        }
        std::string why;
        const bool on_symbol = !v.symbol.empty() && (aggregation_term(v.symbol, why) || !why.empty());
        const std::string& term = on_symbol ? v.symbol : v.term;
        auto a = aggregation_term(term, why);
        if (!a && why.empty()) {
          variable_column_[key] = resolve_variable(v, element);
          continue;
        }
        variable_column_[key] = std::nullopt;
        if (!a) {
          problem(ErrorKind::Unsupported, element, term + " (" + why + ") is refused");
          continue;
        }
        if (!shape_aggregation(v, *a, element)) continue;
        Variable plain = v;
        (on_symbol ? plain.symbol : plain.term).clear();
        variable_column_[key] = resolve_variable(plain, element);
        aggregations_[key] = *a;
      }
  }

  // Which dimensions an aggregation keeps: a repeated task whose one sub-task is a plain task, or
  // a repeated task with one sub-task, itself such a chain, has one dimension per repeated task
  // (its iterations, named by its id) and the plain task's points (named by its id). Several
  // sub-tasks at any level are refused, named: their values do not form one array (the sub-tasks'
  // lengths may differ), and SED-ML does not say how they would.
  bool shape_aggregation(const Variable& v, Aggregation& a, const std::string& element) {
    const Task* t = find_task(v.task_ref);
    const std::string what = a.term + " (" + a.name + ")";
    if (!t || t->type != "repeatedTask") {
      problem(ErrorKind::Unsupported, element,
              what + " reduces over a repeated task's iterations: taskReference '" + v.task_ref + "' is not a repeated task");
      return false;
    }
    for (const Task* level = t; level;) {
      a.dims.push_back(level->id);
      if (level->type == "task") break;
      const auto subs = sorted_subtasks(*level);
      const Task* sub = subs.size() == 1 ? find_task(subs[0].task) : nullptr;
      if (!sub || (sub->type != "task" && sub->type != "repeatedTask") || a.dims.size() > 50) {
        problem(ErrorKind::Unsupported, element,
                what + " over repeated task '" + level->id +
                    "': built for a repeated task with one sub-task (a plain task, or a repeated task of the same kind); "
                    "several sub-tasks do not form one array of values");
        return false;
      }
      level = sub;
    }
    a.keep.assign(a.dims.size(), false);
    for (const std::string& r : v.remaining) {
      const auto at = std::find(a.dims.begin(), a.dims.end(), r);
      if (at == a.dims.end()) {
        std::string names;
        for (const std::string& d : a.dims) names += (names.empty() ? "'" : ", '") + d + "'";
        problem(ErrorKind::UnknownId, element,
                "remainingDimension '" + r + "' is not a dimension of repeated task '" + t->id + "' (they are " + names + ")");
        return false;
      }
      a.keep[static_cast<std::size_t>(at - a.dims.begin())] = true;
    }
    return true;
  }

  // ---- tasks --------------------------------------------------------------------------------

  std::optional<Plan> simulation_options(const Simulation& sim, const std::string& element) {
    const std::string sim_element = sim.type + " '" + sim.id + "'";
    const AlgorithmUse use = choose_algorithm(sim.kisao).use;
    if (sim.one_level && use != AlgorithmUse::Logical && use != AlgorithmUse::LogicalStableStates &&
        use != AlgorithmUse::LogicalTrapSpaces) {
      problem(ErrorKind::Unsupported, sim_element,
              "its axisim annotation asks for one-level moves (levelMove=\"oneLevel\"), which apply to a logical model's "
              "algorithms (KISAO:0000449, 0000450, 0000657, 0000573, 0000659-0000663) only, not to " + sim.kisao);
      return std::nullopt;
    }
    if (sim.type == "steadyState") return steady_plan(sim, sim_element);
    if (sim.type != "uniformTimeCourse" && sim.type != "oneStep") {
      problem(ErrorKind::Unsupported, sim_element + " (task '" + element + "')", "this kind of simulation is not supported");
      return std::nullopt;
    }
    const AlgorithmChoice algo = choose_algorithm(sim.kisao);
    bool stochastic = false;
    switch (algo.use) {
      case AlgorithmUse::Cvode:
        break;
      case AlgorithmUse::Substitute:
        note(sim_element + ": algorithm " + sim.kisao + " (" + algo.name + ") substituted by CVODE (KISAO:0000019)");
        break;
      case AlgorithmUse::Stochastic:
        stochastic = true;
        break;
      case AlgorithmUse::StochasticSubstitute:
        note(sim_element + ": algorithm " + sim.kisao + " (" + algo.name +
             ") substituted by Gillespie's direct method (KISAO:0000029), an exact method of the same distribution");
        stochastic = true;
        break;
      case AlgorithmUse::TauLeap:
        stochastic = true;
        break;
      case AlgorithmUse::Logical:
        return logical_plan(sim, algo, sim_element);
      case AlgorithmUse::LogicalStableStates:
        problem(ErrorKind::Unsupported, sim_element,
                "algorithm " + sim.kisao + " (" + algo.name + ") finds stable states: it runs a steadyState, not a " + sim.type);
        return std::nullopt;
      case AlgorithmUse::LogicalTrapSpaces:
        problem(ErrorKind::Unsupported, sim_element,
                "algorithm " + sim.kisao + " (" + algo.name + ") finds trap spaces: it runs a steadyState, not a " + sim.type);
        return std::nullopt;
      case AlgorithmUse::Fba:
      case AlgorithmUse::SteadyState:
      case AlgorithmUse::NotBuilt:
        problem(ErrorKind::Unsupported, sim_element,
                "algorithm " + sim.kisao + " (" + algo.name + ") is not available for a time course in axisim");
        return std::nullopt;
      case AlgorithmUse::Unknown:
        problem(ErrorKind::Unsupported, sim_element,
                "algorithm '" + sim.kisao + "' is not a KiSAO id axisim knows or can substitute by CVODE");
        return std::nullopt;
    }
    Plan plan;
    plan.stochastic = stochastic;
    plan.ssa.tau_leap = algo.use == AlgorithmUse::TauLeap;
    if (plan.ssa.tau_leap) plan.ssa.method = algo.leap;
    SimulationOptions& opt = plan.time_course;
    if (sim.type == "oneStep") {
      plan.one_step = true;
      plan.step = sim.step;
      opt.start = 0.0;
      opt.end = sim.step;
      opt.steps = 1;
    } else {
      if (sim.output_start < sim.initial_time || sim.output_end < sim.output_start) {
        problem(ErrorKind::InvalidSbml, sim_element, "needs initialTime <= outputStartTime <= outputEndTime");
        return std::nullopt;
      }
      plan.initial_time = sim.initial_time;
      opt.start = sim.output_start - sim.initial_time;
      opt.end = sim.output_end - sim.initial_time;
      opt.steps = static_cast<int>(sim.points);
    }
    try {
      const auto notes = stochastic ? apply_stochastic_parameters(sim, plan.ssa) : apply_algorithm_parameters(sim, opt);
      for (const std::string& n : notes) note(sim_element + ": " + n);
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, sim_element, e.what());
      return std::nullopt;
    }
    return plan;
  }

  // A time course of a logical model: time counts update steps from initialTime (as BioSimulators'
  // GINsim and BoolNet tools count them), or from where the model's time stands (oneStep: `step`
  // updates); the grid must land on whole updates (checked when it runs, LogicalModel::simulate).
  // A steadyState: the attractors the scheme reaches from the model's levels (logical_task.hpp).
  std::optional<Plan> logical_plan(const Simulation& sim, const AlgorithmChoice& algo, const std::string& sim_element) {
    Plan plan;
    plan.logical = true;
    plan.update = algo.logical;
    plan.logical_one_level = sim.one_level;
    if (sim.one_level) note(sim_element + ": a multi-valued species moves one level towards its target per update (axisim annotation, GINsim's semantics)");
    if (sim.type == "steadyState") {
      plan.logical_kind = LogicalRun::Kind::Attractors;
    } else if (sim.type == "oneStep") {
      plan.one_step = true;
      plan.step = sim.step;
      plan.time_course.start = 0.0;
      plan.time_course.end = sim.step;
      plan.time_course.steps = 1;
    } else {
      if (sim.output_start < sim.initial_time || sim.output_end < sim.output_start) {
        problem(ErrorKind::InvalidSbml, sim_element, "needs initialTime <= outputStartTime <= outputEndTime");
        return std::nullopt;
      }
      plan.initial_time = sim.initial_time;
      plan.time_course.start = sim.output_start - sim.initial_time;
      plan.time_course.end = sim.output_end - sim.initial_time;
      plan.time_course.steps = static_cast<int>(sim.points);
    }
    try {
      for (const std::string& n : apply_logical_parameters(sim, plan.logical_seed)) note(sim_element + ": " + n);
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, sim_element, e.what());
      return std::nullopt;
    }
    return plan;
  }

  // A steadyState simulation: axisim's steady-state solver (Newton, then pseudo-transient
  // continuation, then integration), for a steady-state algorithm or an ODE integrator.
  std::optional<Plan> steady_plan(const Simulation& sim, const std::string& sim_element) {
    const AlgorithmChoice algo = choose_algorithm(sim.kisao);
    if (algo.use == AlgorithmUse::Unknown) {
      problem(ErrorKind::Unsupported, sim_element, "algorithm '" + sim.kisao + "' is not a KiSAO id axisim knows");
      return std::nullopt;
    }
    if (algo.use == AlgorithmUse::Logical) return logical_plan(sim, algo, sim_element);
    if (algo.use == AlgorithmUse::LogicalStableStates) {
      std::optional<Plan> plan = logical_plan(sim, algo, sim_element);
      if (plan) plan->logical_kind = LogicalRun::Kind::StableStates;
      return plan;
    }
    if (algo.use == AlgorithmUse::LogicalTrapSpaces) {
      std::optional<Plan> plan = logical_plan(sim, algo, sim_element);
      if (plan) plan->logical_kind = LogicalRun::Kind::TrapSpaces;
      if (plan && algo.trap_space_substitute)
        note(sim_element + ": algorithm " + sim.kisao + " (" + algo.name +
             ") substituted by axisim's exhaustive trap space search (KISAO:0000661): an exact method, the same minimal "
             "trap spaces");
      return plan;
    }
    if (algo.use == AlgorithmUse::NotBuilt) {
      problem(ErrorKind::Unsupported, sim_element, "algorithm " + sim.kisao + " (" + algo.name + ") is not available in axisim");
      return std::nullopt;
    }
    if (algo.use == AlgorithmUse::Stochastic || algo.use == AlgorithmUse::StochasticSubstitute ||
        algo.use == AlgorithmUse::TauLeap) {
      problem(ErrorKind::Unsupported, sim_element,
              "algorithm " + sim.kisao + " (" + algo.name + ") cannot find a steady state in axisim");
      return std::nullopt;
    }
    if (algo.use == AlgorithmUse::Fba) {
      Plan plan;
      plan.fba = true;
      plan.fba_kind = algo.fba;
      try {
        for (const std::string& n : apply_fba_parameters(sim, algo.fba, plan.fba_options)) note(sim_element + ": " + n);
      } catch (const Error& e) {
        problem(e.kind(), sim_element, e.what());
        return std::nullopt;
      }
      return plan;
    }
    note(sim_element + ": algorithm " + sim.kisao + " (" + algo.name +
         "): the steady state is found by axisim's solver (Newton, pseudo-transient continuation, integration)");
    Plan plan;
    plan.steady = true;
    try {
      for (const std::string& n : apply_steady_state_parameters(sim, plan.steady_state)) note(sim_element + ": " + n);
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, sim_element, e.what());
      return std::nullopt;
    }
    return plan;
  }

  using Columns = std::map<Column, Series>;
  // A model as a repeated task has changed it: its setValues, and the state a run ended in
  // carried to the next (resetModel="false", sub-tasks on one model), with the time it ended at
  // on the simulations' time axis. After a time course the state is the run's own (RunState:
  // the next run continues it, pending delayed events, trigger values and the past included);
  // after a steady state it is set as the model's values.
  struct Carried {
    Model model;
    double time = 0.0;
    RunState state;  // empty: the model's values are the state
    // After a stochastic ensemble (several runs): each run's end amounts of the model's species,
    // in carried_state's order (its other entries unused), for an ensemble of as many runs that
    // continues it run by run; `model` holds the means, for anything else.
    std::vector<std::vector<double>> runs;
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

  void run_task(const Task& t) {
    TaskRun& run = runs_[t.id];
    run.attempted = true;
    ModelStates states;
    logical_states_.clear();
    Columns out;
    for (const Column& c : needed_[t.id]) out[c];

    top_iterations_ = 0;
    // A stop request inside a run (an integration, a stochastic run, a fit: RunOptions::stop
    // passed to them) ends the task like a stop between tasks: the task FAILED, stopped.
    bool ok = false;
    try {
      ok = execute(t, needed_[t.id], states, out, 0);
    } catch (const Stopped& s) {
      layout_ = nullptr;  // it pointed into the frames the stop unwound
      if (!stopping("in task '" + t.id + "' (" + s.what() + ")")) problem(ErrorKind::Io, "task '" + t.id + "'", s.what());
    }
    if (ok) {
      run.columns = std::move(out);
      run.iterations = top_iterations_;
      run.layout = std::move(top_layout_);
      run.ok = true;
    }
  }

  // Runs task `t` (execute_task) and records how its values were appended (a Layout: the
  // values per plain run, and for a repeated task its runs, iterations x sub-tasks), so that
  // reports.h5 can give them BioSimulators' shape.
  bool execute(const Task& t, const std::set<Column>& need, ModelStates& states, Columns& out, int depth) {
    auto filled = [&out] {
      std::size_t n = 0;
      for (const auto& [c, s] : out)
        if (c.matrix.empty() || !c.spec.id.empty()) n = std::max(n, s.size());  // a whole matrix has no points
      return n;
    };
    Layout node;
    node.repeated = t.type == "repeatedTask";
    if (node.repeated) node.subtasks = sorted_subtasks(t).size();
    Layout* parent = layout_;
    layout_ = &node;
    const std::size_t before = filled();
    const bool ok = execute_task(t, need, states, out, depth);
    layout_ = parent;
    if (!node.repeated) {
      node.points = filled() - before;
      const auto plan = t.type == "task" ? sim_options_.find(t.sim_ref) : sim_options_.end();
      node.scalar = plan != sim_options_.end() && plan->second && plan->second->fba;
    }
    if (parent) parent->children.push_back(std::move(node));
    else top_layout_ = std::move(node);
    return ok;
  }

  // Runs task `t` on the models in `states` (the resolved models where absent) and appends the
  // columns `need` to `out` (NaN for a column the task's model does not have).
  bool execute_task(const Task& t, const std::set<Column>& need, ModelStates& states, Columns& out, int depth) {
    const std::string element = t.type + " '" + t.id + "'";
    if (t.type == "task") return execute_plain(t, need, states, out, element, depth > 0);
    if (t.estimation) return execute_estimation(t, need, out, depth > 0 ? &states : nullptr);
    if (t.type != "repeatedTask") {
      problem(ErrorKind::Unsupported, element, t.type + " is not built yet");
      return false;
    }
    if (depth > 50) {
      problem(ErrorKind::InvalidSbml, element, "repeated tasks nested in a cycle");
      return false;
    }
    // The ranges' values; the master range sets the number of iterations.
    std::map<std::string, std::vector<double>> ranges;
    for (const Range& r : t.ranges) {
      std::vector<double> v;
      if (r.type == "vectorRange") {
        v = r.values;
      } else if (r.type == "uniformRange") {
        const long n = r.points;
        for (long i = 0; i <= n; ++i) {
          const double f = n == 0 ? 0.0 : static_cast<double>(i) / static_cast<double>(n);
          if (r.scale == "log" || r.scale == "log10") {
            if (r.start <= 0 || r.end <= 0) {
              problem(ErrorKind::InvalidSbml, element, "uniformRange '" + r.id + "': a log range needs positive ends");
              return false;
            }
            v.push_back(r.start * std::pow(r.end / r.start, f));
          } else {
            v.push_back(r.start + f * (r.end - r.start));
          }
        }
      } else if (r.type == "functionalRange") {
        continue;  // computed at each iteration, from the model's state then (below)
      } else {
        problem(ErrorKind::Unsupported, element, r.type + " '" + r.id + "' is not built yet");
        return false;
      }
      ranges[r.id] = std::move(v);
    }
    // A functional range has as many values as the range it follows (functional ranges may
    // follow each other, in document order).
    std::map<std::string, std::string> follows;
    std::vector<const Range*> functional;
    for (const Range& r : t.ranges)
      if (r.type == "functionalRange") {
        functional.push_back(&r);
        follows[r.id] = r.range_ref;
        if (!r.math) {
          problem(ErrorKind::InvalidSbml, element + " functionalRange '" + r.id + "'", "has no math axisim can evaluate");
          return false;
        }
      }
    std::string master_id = t.range_ref;
    for (int hops = 0; follows.count(master_id) && hops < 100; ++hops) master_id = follows[master_id];
    const auto master = ranges.find(master_id);
    if (master == ranges.end()) {
      if (master_id != t.range_ref && !follows.count(master_id))
        problem(ErrorKind::UnknownId, element,
                "its range '" + t.range_ref + "' is a functionalRange that follows range '" + master_id +
                    "', which the repeated task does not have: its number of iterations is not given");
      else
        problem(ErrorKind::UnknownId, element, "range '" + t.range_ref + "' names none of its ranges (or follows none)");
      return false;
    }
    const std::size_t iterations = master->second.size();
    if (depth == 0) top_iterations_ = iterations;
    iteration_counts_[t.id] = iterations;  // the same at every run (ranges are fixed)
    for (const Range* r : functional)
      if (!r->range_ref.empty() && !ranges.count(r->range_ref) && !follows.count(r->range_ref)) {
        problem(ErrorKind::UnknownId, element + " functionalRange '" + r->id + "'",
                "range '" + r->range_ref + "' names none of the repeated task's ranges");
        return false;
      }
    for (const auto& [id, v] : ranges)
      if (v.size() < iterations) {
        problem(ErrorKind::InvalidSbml, element, "range '" + id + "' has fewer values than the master range");
        return false;
      }
    const auto subs = sorted_subtasks(t);
    if (subs.empty()) {
      problem(ErrorKind::InvalidSbml, element, "has no sub-tasks");
      return false;
    }
    const std::string default_model = task_model_id(t, element);
    // resetModel="true": every iteration starts from the models as they were when this task
    // began; "false": from the state the iteration before ended in. Within an iteration, each
    // sub-task starts where the one before on the same model ended (SED-ML). The state the last
    // iteration ended in goes back to the caller (an enclosing repeated task).
    ModelStates iteration = states;
    // Where this task is, for data sources sliced at its iteration (a slice's `index`).
    struct IterationMark {
      DataSources::Iterations& at;
      const std::string& id;
      ~IterationMark() { at.erase(id); }
    } mark{current_iterations_, t.id};
    const auto logical_start = logical_states_;
    for (std::size_t i = 0; i < iterations; ++i) {
      if (stopping("in repeated task '" + t.id + "' before iteration " + std::to_string(i) + " of " + std::to_string(iterations)))
        return false;
      current_iterations_[t.id] = i;
      if (t.reset_model && i > 0) {
        iteration = states;
        logical_states_ = logical_start;
      }
      // This iteration's range values: the ranges', then each functional range's from its math
      // (the range it follows by that range's id, its variables at the models' current state).
      std::map<std::string, Series> range_values;
      for (const auto& [id, v] : ranges) range_values[id] = {v[i]};
      for (const Range* r : functional) {
        const std::string fr = element + " functionalRange '" + r->id + "'";
        std::map<std::string, Series> values = range_values;
        for (const Parameter& p : r->parameters) values[p.id] = {p.value};
        for (const Variable& v : r->variables) {
          const auto x = current_value(iteration, v, v.model_ref.empty() ? default_model : v.model_ref, fr);
          if (!x) return false;
          values[v.id] = {*x};
        }
        try {
          const Series y = evaluate(*r->math, [&](const std::string& id) -> const Series* {
            auto it = values.find(id);
            return it == values.end() ? nullptr : &it->second;
          });
          if (y.size() != 1) throw std::runtime_error("the math does not give one value");
          range_values[r->id] = y;
        } catch (const std::exception& e) {
          problem(ErrorKind::InvalidSbml, fr, e.what());
          return false;
        }
      }
      for (const SetValue& c : t.changes) {
        const std::string change = element + " setValue '" + (c.target.empty() ? c.symbol : c.target) + "'";
        const std::string mid = c.model_ref.empty() ? default_model : c.model_ref;
        const ResolvedModel* m = mid.empty() ? nullptr : model(mid);
        if (!m) {
          problem(dependent_kind(), change, "model '" + mid + "' could not be had");
          return false;
        }
        if (!m->logical && !runnable(m, mid, change)) return false;
        if (!c.math) {
          problem(ErrorKind::InvalidSbml, change, "has no math axisim can evaluate");
          return false;
        }
        std::map<std::string, Series> values = range_values;
        for (const Parameter& p : c.parameters) values[p.id] = {p.value};
        // Variables read the models as they are now: after the setValues before this one.
        for (const Variable& v : c.variables) {
          const auto x = current_value(iteration, v, v.model_ref.empty() ? mid : v.model_ref, change);
          if (!x) return false;
          values[v.id] = {*x};
        }
        try {
          const Series r = evaluate(*c.math, [&](const std::string& id) -> const Series* {
            auto it = values.find(id);
            return it == values.end() ? nullptr : &it->second;
          });
          if (r.size() != 1) throw std::runtime_error("the math does not give one value");
          if (!c.symbol.empty()) {
            if (!set_plugin_value(*m, mid, c, r[0], iteration, change)) return false;
            continue;
          }
          if (m->logical) {
            if (!set_logical_level(*m, mid, c, r[0], change)) return false;
            continue;
          }
          const auto nodes = m->xml->select(c.target, c.ns);
          if (nodes.size() != 1 || nodes[0].id.empty()) {
            problem(ErrorKind::UnknownId, change,
                    "the target selects " + std::to_string(nodes.size()) + " nodes with an id in model '" + mid + "', not one");
            return false;
          }
          Quantity q = Quantity::Default;
          if (nodes[0].attribute == "initialAmount") q = Quantity::Amount;
          else if (nodes[0].attribute == "initialConcentration") q = Quantity::Concentration;
          auto it = iteration.find(mid);
          if (it == iteration.end()) it = iteration.emplace(mid, Carried{*m->model, 0.0, {}, {}}).first;
          if (it->second.state.empty()) it->second.model.set_value(nodes[0].id, r[0], q);
          else it->second.state.set_value(nodes[0].id, r[0], q);  // a change at the time the run stands
          // An ensemble carried run by run: a species set is set in every run.
          if (!it->second.runs.empty() && it->second.model.kind(nodes[0].id) == SymbolKind::Species) {
            const std::vector<OutputSpec>& carried = *carried_state(mid, it->second.model);
            for (std::size_t k = 0; k < carried.size(); ++k)
              if (carried[k].id == nodes[0].id)
                for (std::vector<double>& run : it->second.runs)
                  run[k] = it->second.model.initial_value(nodes[0].id, Quantity::Amount);
          }
        } catch (const Error& e) {
          problem(e.kind(), change, e.what());
          return false;
        } catch (const std::exception& e) {
          problem(ErrorKind::InvalidSbml, change, e.what());
          return false;
        }
      }
      for (const SubTask& s : subs) {
        const Task* sub = find_task(s.task);
        if (!sub) {
          problem(ErrorKind::UnknownId, element, "sub-task '" + s.task + "' names no task");
          return false;
        }
        if (!execute(*sub, need, iteration, out, depth + 1)) return false;
      }
    }
    states = std::move(iteration);
    return true;
  }

  // A setValue by symbol: a tissue plugin's state or parameter, `urn:axisim:plugin:NAME.QUANTITY`
  // (the symbol its variables read it by; plugin_annotation.hpp). On a model not run yet (or
  // reset) a state is the initial state of its next run, as `--set NAME.STATE` and the
  // annotation's <axisim:state> set it; in a run that continues (resetModel="false", sub-tasks on
  // one model) the state where the run stands, as a setValue changes a species there. A
  // parameter is the plugin's from then on, as `--plugin-param NAME.PARAM` and the annotation's
  // <axisim:parameter> set it, in a continued run from the time it stands. An output is refused
  // (the plugin computes it). False after reporting.
  bool set_plugin_value(const ResolvedModel& m, const std::string& mid, const SetValue& c, double value,
                        ModelStates& iteration, const std::string& change) {
    if (!is_plugin_symbol(c.symbol) || !c.target.empty() || m.logical) {
      problem(ErrorKind::Unsupported, change,
              "symbol '" + c.symbol + "' cannot be set: a setValue sets a target in the model, or by symbol a tissue "
              "plugin's state or parameter (urn:axisim:plugin:NAME.QUANTITY, with no target) of an SBML model");
      return false;
    }
    std::string why;
    const PluginValue pv = plugin_value(*m.model, c.symbol, why);
    if (pv.kind == PluginValueKind::None) {
      problem(ErrorKind::UnknownId, change, why + " (model '" + mid + "')");
      return false;
    }
    if (pv.kind == PluginValueKind::Output) {
      problem(ErrorKind::Unsupported, change,
              "'" + pv.quantity + "' is an output of plugin '" + pv.plugin +
                  "', which the plugin computes: only its states and parameters can be set");
      return false;
    }
    if (!std::isfinite(value)) {
      problem(ErrorKind::InvalidSbml, change, "the value " + format_number(value) + " for plugin " +
                                                  (pv.kind == PluginValueKind::State ? "state '" : "parameter '") + pv.id() +
                                                  "' is not a finite number");
      return false;
    }
    auto it = iteration.find(mid);
    if (it == iteration.end()) it = iteration.emplace(mid, Carried{*m.model, 0.0, {}, {}}).first;
    if (pv.kind == PluginValueKind::Parameter) it->second.model.set_plugin_parameter(pv.plugin, pv.quantity, value);
    else if (it->second.state.empty()) it->second.model.set_value(pv.id(), value);
    else it->second.state.set_value(pv.id(), value);  // where the run stands
    return true;
  }

  // A setValue on a logical model: a qualitative species' level (by XPath to the species or its
  // initialLevel, or by bare id) for the runs that follow. A level that is not a whole number
  // within 0..maxLevel is refused, named.
  bool set_logical_level(const ResolvedModel& m, const std::string& mid, const SetValue& c, double value, const std::string& change) {
    std::string why;
    const std::string id = qual_species_of(*m.xml, c.target, c.ns, why, true);
    if (id.empty() || !m.logical->has_id(id)) {
      problem(ErrorKind::UnknownId, change,
              "the target selects " + why + " in logical model '" + mid + "', not one qualitativeSpecies (or its initialLevel)");
      return false;
    }
    if (!std::isfinite(value) || value != std::round(value)) {
      problem(ErrorKind::InvalidSbml, change, "level " + format_number(value) + " for qualitative species '" + id + "' is not a whole number");
      return false;
    }
    auto it = logical_states_.find(mid);
    if (it == logical_states_.end()) it = logical_states_.emplace(mid, LogicalCarried{m.logical->initial_levels(), 0.0}).first;
    LogicalModel probe = *m.logical;  // checks the level against the species' maxLevel
    probe.set_initial_levels(it->second.levels);
    probe.set_initial_level(id, static_cast<int>(value));
    it->second.levels = probe.initial_levels();
    return true;
  }

  // Every value of a model that a run can change and set_value can set (species as amounts,
  // compartments, parameters, plugins' states): what a steady state carries to the next run, as the model's
  // values (a steady state has no events pending, and no past).
  const std::vector<OutputSpec>* carried_state(const std::string& model_id, const Model& model) {
    auto it = carried_specs_.find(model_id);
    if (it != carried_specs_.end()) return &it->second;
    std::vector<OutputSpec> specs;
    Model probe = model;
    for (const std::string& id : model.ids()) {
      const SymbolKind kind = model.kind(id);
      if (kind != SymbolKind::Species && kind != SymbolKind::Compartment && kind != SymbolKind::Parameter) continue;
      const Quantity q = kind == SymbolKind::Species ? Quantity::Amount : Quantity::Default;
      try {
        probe.set_value(id, model.initial_value(id, q), q);  // assignment-rule targets throw: computed, not carried
        specs.push_back({id, q});
      } catch (const Error&) {
      }
    }
    // The attached plugins' states: their values at the end become their initial states.
    for (const Model::AttachedPlugin& p : model.plugins())
      for (const std::string& state : p.states) specs.push_back({p.name + "." + state, Quantity::Default});
    return &carried_specs_.emplace(model_id, std::move(specs)).first->second;
  }

  // The value of a setValue's or functional range's variable at model `mid`'s current state:
  // its time (carried from the run before, 0 at first), or a target's value, from the state
  // carried in `states` or else the model as the document defines it (its values at time 0,
  // initial assignments and rules computed from them). nullopt after reporting why not.
  std::optional<double> current_value(const ModelStates& states, const Variable& v, const std::string& mid,
                                      const std::string& element) {
    const std::string var = element + " variable '" + v.id + "'";
    if (v.task_ref.empty() && !v.target.empty() && v.target[0] == '#') return data_value(v.target.substr(1), var);
    const ResolvedModel* m = mid.empty() ? nullptr : model(mid);
    if (!m) {
      problem(dependent_kind(), var, "model '" + mid + "' could not be had");
      return std::nullopt;
    }
    if (m->logical) return current_level(*m, v, mid, var);
    if (!runnable(m, mid, var)) return std::nullopt;
    const auto st = states.find(mid);
    const Model& current = st == states.end() ? *m->model : st->second.model;
    const double now = st == states.end() ? 0.0 : st->second.time;
    const RunState* run_state = st == states.end() || st->second.state.empty() ? nullptr : &st->second.state;
    if (is_time_symbol(v.symbol)) return now;
    if (is_plugin_symbol(v.symbol)) return current_plugin_value(current, run_state, now, v, mid, var);
    if (!v.symbol.empty() || v.target.empty() || (!v.term.empty() && !is_amount(v.term) && !is_concentration(v.term))) {
      problem(ErrorKind::Unsupported, var, "only the time and targets in the model (their amount or concentration) can be read here");
      return std::nullopt;
    }
    try {
      const auto nodes = m->xml->select(v.target, v.ns);
      if (nodes.size() != 1 || nodes[0].id.empty() || !current.has_id(nodes[0].id)) {
        problem(ErrorKind::UnknownId, var,
                "target '" + v.target + "' selects " + std::to_string(nodes.size()) + " nodes with a value in model '" + mid + "', not one");
        return std::nullopt;
      }
      Quantity q = is_amount(v.term) ? Quantity::Amount : is_concentration(v.term) ? Quantity::Concentration : Quantity::Default;
      if (nodes[0].is_attribute) {
        // A value attribute reads the value now; any other attribute, as the document has it.
        const std::string& a = nodes[0].attribute;
        if (a == "initialAmount") q = Quantity::Amount;
        else if (a == "initialConcentration") q = Quantity::Concentration;
        else if (a != "value" && a != "size") return std::stod(nodes[0].value);
      }
      if (run_state) return run_state->value(nodes[0].id, q);  // as the run ended (changes included)
      // Values computed by rules are computed at time 0; after a steady state carried to another
      // time, that is right only for a model whose math does not read the time.
      if (now != 0.0)
        if (const std::string why = reads_time(mid, *m); !why.empty()) {
          problem(ErrorKind::Unsupported, var, "model '" + mid + "' " + why + ", and its state was carried to time " +
                                                   format_number(now) + ": axisim computes values at time 0");
          return std::nullopt;
        }
      return current.initial_value(nodes[0].id, q);
    } catch (const Error& e) {
      problem(e.kind(), var, e.what());
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, var, e.what());
    }
    return std::nullopt;
  }

  // A tissue plugin's state, output or parameter read by a variable (urn:axisim:plugin:NAME.QUANTITY,
  // plugin_annotation.hpp) where the model stands: as the run before ended (`run_state`), else
  // as a run from the model would start, its clock at `now` (the plugins' init computing the
  // states they do not have set). nullopt after reporting why not.
  std::optional<double> current_plugin_value(const Model& current, const RunState* run_state, double now, const Variable& v,
                                             const std::string& mid, const std::string& var) {
    if (!v.target.empty() || !v.term.empty()) {
      problem(ErrorKind::Unsupported, var, "symbol '" + v.symbol + "' names a plugin's value: no target or term goes with it");
      return std::nullopt;
    }
    std::string why;
    const PluginValue pv = plugin_value(current, v.symbol, why);
    if (pv.kind == PluginValueKind::None) {
      problem(ErrorKind::UnknownId, var, why + " (model '" + mid + "')");
      return std::nullopt;
    }
    try {
      if (run_state) return plugin_value_at(current, *run_state, pv);
      return plugin_value_at(current, RunState::start(current, now), pv);
    } catch (const Error& e) {
      problem(e.kind(), var, e.what());
    } catch (const std::exception& e) {
      problem(ErrorKind::Plugin, var, e.what());
    }
    return std::nullopt;
  }

  // A setValue's or functional range's variable on a logical model: the time its runs have reached,
  // or a qualitative species' level now (carried or set, else its initial level).
  std::optional<double> current_level(const ResolvedModel& m, const Variable& v, const std::string& mid, const std::string& var) {
    const auto st = logical_states_.find(mid);
    if (is_time_symbol(v.symbol)) return st == logical_states_.end() ? 0.0 : st->second.time;
    std::string id, why;
    try {
      if (v.symbol.empty() && v.term.empty()) id = qual_species_of(*m.xml, v.target, v.ns, why, true);
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, var, e.what());
      return std::nullopt;
    }
    if (id.empty() || !m.logical->has_id(id)) {
      problem(ErrorKind::UnknownId, var,
              "target '" + v.target + "' is not one qualitativeSpecies of logical model '" + mid + "': only the time and levels can be read here");
      return std::nullopt;
    }
    const auto& ids = m.logical->ids();
    const std::size_t i = static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
    return static_cast<double>(st == logical_states_.end() ? m.logical->initial_levels()[i] : st->second.levels[i]);
  }

  // Why model `id` reads the time (its math names the time or a delay), or empty when it does not.
  std::string reads_time(const std::string& id, const ResolvedModel& m) {
    auto it = reads_time_.find(id);
    if (it != reads_time_.end()) return it->second;
    std::string why;
    try {
      for (const auto& n : m.xml->select("//*[local-name()='csymbol']/@definitionURL", {})) {
        if (n.value.size() >= 5 && n.value.compare(n.value.size() - 5, 5, "/time") == 0) why = "reads the time";
        else if (n.value.size() >= 6 && n.value.compare(n.value.size() - 6, 6, "/delay") == 0) why = "uses delay()";
        if (!why.empty()) break;
      }
    } catch (const std::exception& e) {
      why = std::string("could not be checked for time: ") + e.what();
    }
    return reads_time_[id] = why;
  }

  // Runs a plain task on the model's current state (states) and appends its columns to `out`.
  // With `carry` (inside a repeated task) the state the run ends in replaces the model's in
  // `states`, for the next sub-task or iteration.
  bool execute_plain(const Task& t, const std::set<Column>& need, ModelStates& states, Columns& out,
                     const std::string& element, bool carry) {
    const Simulation* sim = find_simulation(t.sim_ref);
    if (!sim) {
      problem(ErrorKind::UnknownId, element, "simulationReference '" + t.sim_ref + "' names no simulation");
      return false;
    }
    auto cached = sim_options_.find(sim->id);
    if (cached == sim_options_.end()) cached = sim_options_.emplace(sim->id, simulation_options(*sim, t.id)).first;
    const auto& opt = cached->second;
    if (!opt) return false;
    const ResolvedModel* m = model(t.model_ref);
    if (!m) {
      problem(dependent_kind(), element, "model '" + t.model_ref + "' could not be had");
      return false;
    }
    if (opt->fba) return execute_fba(*m, *opt, need, out, element);
    if (opt->logical || m->logical) return execute_logical(*m, *opt, t, need, out, element, carry);
    if (!runnable(m, t.model_ref, element)) return false;
    const auto st = states.find(t.model_ref);
    const Model& current = st == states.end() ? *m->model : st->second.model;
    const double now = st == states.end() ? 0.0 : st->second.time;
    std::vector<Column> cols, mats;
    for (const Column& c : need)
      if (!c.matrix.empty()) mats.push_back(c);  // the model's, or at its steady state (fill_matrices)
      else if (!c.rate) cols.push_back(c);       // computed from the others (rate_series)
    std::vector<OutputSpec> specs;
    for (const Column& c : cols)
      if (!c.time && has_value(current, c.spec.id)) specs.push_back(c.spec);
    // Where an earlier time course on this model ended (resetModel="false", sub-tasks on one
    // model): a deterministic time course continues it (Model::simulate_from).
    const RunState* from = st == states.end() || st->second.state.empty() ? nullptr : &st->second.state;
    // A steady state or a stochastic run carries its state as values: the ones it ends with
    // become the model's initial values (carried_state), and it starts from the values the time
    // course before it ended with.
    const bool by_values = opt->steady || opt->stochastic;
    const std::size_t reported = specs.size();
    const std::vector<OutputSpec>* state = by_values && (carry || from) ? carried_state(t.model_ref, current) : nullptr;
    if (state && carry) specs.insert(specs.end(), state->begin(), state->end());
    Model start = current;
    if (state && from)
      for (const OutputSpec& o : *state) start.set_value(o.id, from->value(o.id, o.quantity), o.quantity);
    // The state the run ended in, as the model's new initial state (`row` reads the value of
    // specs[reported + i]).
    auto carry_over = [&](double time, auto row) {
      if (!state || !carry) return;
      Model next = current;
      for (std::size_t i = 0; i < state->size(); ++i) next.set_value((*state)[i].id, row(reported + i), (*state)[i].quantity);
      states.insert_or_assign(t.model_ref, Carried{std::move(next), time, {}, {}});
    };
    if (opt->steady) {
      try {
        // Formulas that read the time are frozen where the model's clock stands: where the run
        // before ended (its own clock), else the time carried (0 at first).
        SteadyStateOptions so = opt->steady_state;
        so.time = from ? from->time() : now;
        so.stop = options_.stop;  // Stopped ends the task (run_task), as a time course's stop does
        const SteadyState st = steady_state(start, so, specs);
        std::size_t k = 0;
        for (const Column& c : cols) {
          Series& s = out[c];
          if (c.time) {
            problem(ErrorKind::InvalidSbml, element, "a steady state has no time to report");
            return false;
          }
          s.push_back(has_value(current, c.spec.id) ? st.values[k++] : std::numeric_limits<double>::quiet_NaN());
        }
        if (!mats.empty() && !fill_matrices(start, t.model_ref, so, mats, out, t.id, element, true)) return false;
        carry_over(now, [&](std::size_t i) { return st.values[i]; });
        return true;
      } catch (const Error& e) {
        problem(e.kind(), element, e.what());
      }
      return false;
    }
    // The run starts at the simulation's initialTime (uniformTimeCourse) or where the model's
    // time stands (oneStep). A deterministic run on a carried state continues it: the model's own
    // clock goes on from where the run before ended, and the report's time axis is the
    // simulation's. A fresh one on a model that reads the time starts its clock at the start.
    const bool continued = from && !opt->stochastic;
    const double begin = opt->one_step ? now : opt->initial_time;
    // A deterministic run that starts afresh at another time than 0, on a model that reads the
    // time, starts the model's clock there (RunState::start); for any other model the clock does
    // not matter and the run is the same from 0.
    bool own_clock = false;
    if (begin != 0.0 && !continued && !opt->stochastic)
      if (const std::string why = reads_time(t.model_ref, *m); !why.empty()) own_clock = true;
    try {
      Result r;
      std::size_t stride = 1;  // result columns per output: 2 (mean, sd) for an ensemble of runs
      RunState end;             // where a deterministic run ended, when carried
      std::vector<std::vector<double>> ended_runs;  // where each run of an ensemble ended, when carried
      double clock = 0.0;       // the model's time at the run's start
      if (opt->stochastic) {
        // Replicate numbers count on per simulation, so each run of it (in a repeated task)
        // draws its own stream, and the first is `axisim simulate --method ssa --seed S`'s.
        // A stochastic run on a carried state (resetModel="false", sub-tasks, a task after
        // another on the same model) continues it: its clock goes on from where the run before
        // ended, and each event's trigger starts at its value there, not at its initialValue
        // (StochasticOptions::continued). A fresh one starts the model's clock at its start
        // (initialTime).
        // An ensemble that continues an ensemble of as many runs continues it run by run: run i
        // starts from the species amounts run i ended with (the other values, the same in every
        // run unless an event changed them, from the model as carried). Another number of runs
        // continues from the means.
        const std::vector<std::vector<double>>* by_run = nullptr;
        if (st != states.end() && !st->second.runs.empty() && opt->ssa.runs > 1) {
          if (st->second.runs.size() == opt->ssa.runs) by_run = &st->second.runs;
          else
            note(element + ": continues the " + std::to_string(st->second.runs.size()) + " runs before from their means (its own " +
                 std::to_string(opt->ssa.runs) + " runs are another number)");
        }
        // Run by run, each run's simulator is made from its own start (below); this one, for the
        // outputs and the work estimate, starts from run 0's, not from the means (which are not
        // whole molecules and would be rounded, with a warning that does not apply).
        const std::vector<OutputSpec>* carried = nullptr;  // by_run: the values carried, as carried_state lists them
        std::vector<bool> species;
        if (by_run) {
          carried = carried_state(t.model_ref, current);
          species.resize(carried->size());
          for (std::size_t k = 0; k < carried->size(); ++k) {
            species[k] = current.kind((*carried)[k].id) == SymbolKind::Species;
            if (species[k]) start.set_value((*carried)[k].id, (*by_run)[0][k], Quantity::Amount);
          }
        }
        const StochasticSimulator ssa(start, specs, options_.load.backend);
        StochasticOptions so;
        so.continued = st != states.end();
        so.time0 = so.continued ? (from ? from->time() : now) : begin;
        clock = so.time0;
        so.start = clock + opt->time_course.start;
        so.end = clock + opt->time_course.end;
        so.steps = opt->time_course.steps;
        so.seed = opt->ssa.seed;
        so.stop = options_.stop;
        if (opt->ssa.tau_leap) {
          so.method = opt->ssa.method;
          so.tau_epsilon = opt->ssa.epsilon;
          so.tau_critical = opt->ssa.critical;
          so.tau_delta = opt->ssa.delta;
        }
        // An exact method fires every reaction event: refuse a run whose events would not end
        // (typically a model in moles, whose counts are Avogadro-sized), estimated from the
        // propensities at the start.
        double rate = 0.0;
        for (const std::string& id : start.ids())
          if (start.kind(id) == SymbolKind::Reaction) rate += std::abs(start.initial_value(id));
        // (Tau-leaping's leaps do not grow with the counts.)
        const double firings = rate * ssa.molecules_per_substance() * (so.end - so.time0) * static_cast<double>(opt->ssa.runs);
        if (!opt->ssa.tau_leap && !(firings <= kMaxStochasticFirings)) {
          std::ostringstream what;
          what.precision(3);
          what << "exact stochastic simulation would fire about " << firings << " reaction events (propensity "
               << rate * ssa.molecules_per_substance() << " per time unit at the start, " << ssa.molecules_per_substance()
               << " molecules per unit of substance, to time " << so.end << (opt->ssa.runs > 1 ? ", times the runs" : "")
               << "); axisim refuses runs above " << kMaxStochasticFirings
               << " events (tau-leaping, KISAO:0000039, leaps over many at once)";
          problem(ErrorKind::Unsupported, element, what.str());
          return false;
        }
        std::uint64_t& next = next_replicate_[sim->id];
        const std::uint64_t first = next;
        next += opt->ssa.runs;
        // An ensemble whose state is carried keeps each run's end amounts (above).
        const bool keep_runs = state && carry && opt->ssa.runs > 1;
        if (opt->ssa.runs == 1) {
          r = ssa.trajectory(so, first);
        } else if (!by_run && !keep_runs) {
          r = ssa.statistics(so, first, opt->ssa.runs).table();
          stride = 2;
        } else {
          // Run by run, the statistics as StochasticSimulator::statistics computes them: blocks
          // of kBlock replicates by replicate number, each in replicate order, merged in order.
          // Each run's own simulator interprets its programs: with Backend::Auto every one would
          // start its own native build (compile/native_code.hpp), once per run. Native, asked
          // for, finds the library in the cache after the first run.
          const Backend per_run = options_.load.backend == Backend::Native ? Backend::Native : Backend::Interpreter;
          const std::vector<double> times = StochasticSimulator::times(so);
          const std::size_t nc = ssa.outputs().size();
          EnsembleStatistics total(ssa.outputs(), times), block(ssa.outputs(), times);
          std::vector<double> values(times.size() * nc);
          for (std::uint64_t i = 0; i < opt->ssa.runs; ++i) {
            const std::uint64_t replicate = first + i;
            Result one;
            if (by_run) {
              Model own = start;
              for (std::size_t k = 0; k < carried->size(); ++k)
                if (species[k]) own.set_value((*carried)[k].id, (*by_run)[i][k], Quantity::Amount);
              one = StochasticSimulator(own, specs, per_run).trajectory(so, replicate);
            } else {
              one = ssa.trajectory(so, replicate);
            }
            for (std::size_t k = 0; k < one.rows(); ++k)
              for (std::size_t c = 0; c < nc; ++c) values[k * nc + c] = one.at(k, 1 + c);
            block.add(values.data());
            if ((replicate + 1) % StochasticSimulator::kBlock == 0 || i + 1 == opt->ssa.runs) {
              total.merge(block);
              block = EnsembleStatistics(ssa.outputs(), times);
            }
            if (keep_runs) {
              // specs[reported + k] is (*state)[k] (the carried specs when keep_runs).
              std::vector<double> end(state->size());
              for (std::size_t k = 0; k < state->size(); ++k) end[k] = one.at(one.rows() - 1, 1 + reported + k);
              ended_runs.push_back(std::move(end));
            }
          }
          r = total.table();
          stride = 2;
        }
      } else {
        RunState* keep = carry ? &end : nullptr;
        std::optional<RunState> fresh;
        if (own_clock) fresh = RunState::start(current, begin, opt->time_course.seed);
        const RunState* origin = continued ? from : fresh ? &*fresh : nullptr;
        clock = origin ? origin->time() : 0.0;
        SimulationOptions o = opt->time_course;
        o.start += clock;
        o.end += clock;
        o.stop = options_.stop;
        r = origin ? current.simulate_from(*origin, o, specs, keep) : current.simulate(o, specs, keep);
        if (r.stopped) throw Stopped(r.stopped, r.error);  // ends the task (run_task)
      }
      if (!r.error.empty()) {
        problem(ErrorKind::Solver, element, r.error);
        return false;
      }
      std::size_t k = 1;
      for (const Column& c : cols) {
        Series& s = out[c];
        const bool present = c.time || has_value(current, c.spec.id);
        const std::size_t col = c.time ? 0 : present ? 1 + (k++ - 1) * stride : 0;
        for (std::size_t i = 0; i < r.rows(); ++i)
          s.push_back(!present ? std::numeric_limits<double>::quiet_NaN() : c.time ? begin + (r.at(i, 0) - clock) : r.at(i, col));
      }
      if (!mats.empty() && !fill_matrices(current, t.model_ref, opt->steady_state, mats, out, t.id, element, false)) return false;
      if (opt->stochastic) {
        if (r.rows() > 0) {
          const std::size_t last = r.rows() - 1;
          carry_over(clock + opt->time_course.end, [&](std::size_t i) { return r.at(last, 1 + i * stride); });
          if (state && carry && !ended_runs.empty()) states.at(t.model_ref).runs = std::move(ended_runs);
        }
      } else if (carry) {
        states.insert_or_assign(t.model_ref, Carried{current, begin + opt->time_course.end, std::move(end), {}});
      }
      return true;
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
    }
    return false;
  }

  // A steadyState simulation by flux balance analysis (fba_task.hpp): one value per variable.
  bool execute_fba(const ResolvedModel& m, const Plan& plan, const std::set<Column>& need, Columns& out,
                   const std::string& element) {
    std::vector<FbaColumn> columns;
    for (const Column& c : need) columns.push_back({c.spec.id, c.flux_range, c.time || c.rate});
    FbaOptions fo = plan.fba_options;
    fo.validate = options_.load.validate;
    try {
      const std::vector<double> values = run_fba_task(m.xml->to_string(), plan.fba_kind, fo, columns);
      std::size_t k = 0;
      for (const Column& c : need) out[c].push_back(values[k++]);
      return true;
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
    }
    return false;
  }

  // A logical model's run (logical_task.hpp): each variable a qualitative species' level; a time
  // course's time the simulation's initialTime (oneStep: the model's time now) plus the updates
  // made; a steady state's values every state of every attractor found. It starts from the
  // levels a repeated task carried or set (logical_states_), and with `carry` leaves its end
  // state there.
  bool execute_logical(const ResolvedModel& m, const Plan& plan, const Task& t, const std::set<Column>& need, Columns& out,
                       const std::string& element, bool carry) {
    const std::string& model_id = t.model_ref;
    if (!m.logical) {
      problem(ErrorKind::Unsupported, element,
              "a logical updating scheme runs logical (SBML qual) models only; model '" + model_id + "' is not one");
      return false;
    }
    if (!plan.logical) {
      runnable(&m, model_id, element);
      return false;
    }
    const bool steady = plan.logical_kind != LogicalRun::Kind::TimeCourse;
    std::vector<std::string> ids;
    for (const Column& c : need) {
      if (c.rate) {
        problem(ErrorKind::Unsupported, element, "a logical model has levels, not rates of change");
        return false;
      }
      if (c.time && steady) {
        problem(ErrorKind::InvalidSbml, element, "a steady state (the attractors of a logical model) has no time to report");
        return false;
      }
      if (!c.time) ids.push_back(c.spec.id);
    }
    const auto st = logical_states_.find(model_id);
    const std::vector<int>& levels = st == logical_states_.end() ? m.logical->initial_levels() : st->second.levels;
    const double now = st == logical_states_.end() ? 0.0 : st->second.time;
    try {
      LogicalRun run;
      run.kind = plan.logical_kind;
      run.update = plan.update;
      run.start = plan.time_course.start;
      run.end = plan.time_course.end;
      run.steps = plan.time_course.steps;
      // Each run of a simulation draws its own stream: the k-th (from 0) seeds with seed + k, so
      // the first is `axisim simulate --seed S`'s and the iterations of a repeated task differ.
      run.seed = plan.logical_seed + next_logical_run_[t.sim_ref]++;
      run.one_level = plan.logical_one_level;
      const LogicalRunResult r = run_logical(*m.logical, levels, run, ids);
      if (steady) note(element + ": " + r.summary);
      const double begin = plan.one_step ? now : plan.initial_time;
      std::size_t k = 0;
      for (const Column& c : need) {
        Series& s = out[c];
        if (c.time) {
          for (double x : r.time) s.push_back(begin + x);
        } else {
          const auto& v = r.values[k++];
          s.insert(s.end(), v.begin(), v.end());
        }
      }
      if (carry && r.end_levels)
        logical_states_.insert_or_assign(model_id, LogicalCarried{*r.end_levels, steady ? now : begin + run.end});
      return true;
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
    }
    return false;
  }

  // ---- parameter estimation (estimation.hpp) -------------------------------------------------

  // Fits the task's adjustable parameters; the columns its data generators read are the model
  // at the fitted values, over its fit experiments in order. <task id>.fit.csv holds the fit.
  // Inside a repeated task (`states`), each iteration fits the models as the repeated task's
  // changes left them (a fit integrates from time 0: a run state an earlier sub-task ended in is
  // not carried into it, and the fitted values do not change the models for what follows); the
  // columns are appended iteration after iteration, and every fit is kept.
  bool execute_estimation(const Task& t, const std::set<Column>& need, Columns& out, const ModelStates* states) {
    std::vector<VariableRead> reads;
    std::vector<Column> cols(need.begin(), need.end());
    for (const Column& c : cols) reads.push_back({c.time, c.spec, c.rate, {}, {}});
    EstimationContext ctx{
        doc_, options_,
        [this, states](const std::string& id) -> std::pair<std::shared_ptr<const SbmlXml>, std::shared_ptr<const Model>> {
          const ResolvedModel* m = model(id);
          if (!m) return {nullptr, nullptr};
          if (states)
            if (const auto st = states->find(id); st != states->end() && m->model)
              return {m->xml, std::make_shared<const Model>(st->second.model)};
          return {m->xml, m->model};
        },
        [this](const std::string& id, const std::string& element) { return data_source(id, element); },
        [this](const std::string& g, const std::string& v) -> std::optional<VariableRead> {
          const auto it = variable_column_.find(g + "/" + v);
          if (it == variable_column_.end() || !it->second) return std::nullopt;
          VariableRead r{it->second->time, it->second->spec, it->second->rate, {}, {}};
          if (r.rate) {
            const RateRecipe& recipe = rates_.at(r.spec.id);
            if (recipe.rule || recipe.chain) {  // the fit's observables are sums of reaction rates
              problem(ErrorKind::Unsupported, "dataGenerator '" + g + "' variable '" + v + "'",
                      "the rate of change (KISAO:0000834) of a value a rule sets is not built in a fit's observables "
                      "(only a species' rate from its reactions)");
              return std::nullopt;
            }
            r.rate_terms = recipe.terms;
            r.rate_compartment = recipe.compartment;
          }
          return r;
        },
        [this](ErrorKind kind, const std::string& element, const std::string& message) { problem(kind, element, message); },
        [this](const std::string& text) { note(text); }};
    auto run = run_estimation(t, reads, ctx);
    if (!run) return false;
    for (std::size_t i = 0; i < cols.size(); ++i) {
      Series& column = out[cols[i]];
      column.insert(column.end(), run->columns[i].begin(), run->columns[i].end());
    }
    // The outputs on the task give its fits inside repeated tasks when it has any (the task may
    // also run on its own, where data generators read it directly), else its one fit.
    std::vector<EstimationRun>& fits = estimations_[t.id];
    if (states && nested_fits_.insert(t.id).second) fits.clear();
    if (!states && nested_fits_.count(t.id)) return true;
    if (!states) fits.clear();
    fits.push_back(std::move(*run));
    write_estimation_table(t.id + ".fit", "", per_iteration(fits, estimation_summary), "parameterEstimationTask '" + t.id + "'");
    return true;
  }

  // A table of each fit one after another; with several (a fit inside a repeated task), each
  // label says its iteration: "k [iteration 1]".
  static EstimationTable per_iteration(const std::vector<EstimationRun>& fits, EstimationTable (*table)(const EstimationRun&)) {
    if (fits.size() == 1) return table(fits.front());
    EstimationTable out;
    for (std::size_t i = 0; i < fits.size(); ++i)
      for (auto& [label, values] : table(fits[i])) out.emplace_back(label + " [iteration " + std::to_string(i) + "]", std::move(values));
    return out;
  }

  // A table of a fit as CSV (OUTDIR/<location>/<id>.csv, one row per data set, each its own
  // length) and in reports.h5 (each row a data set of its own shape, as a report); true when the
  // CSV was written.
  bool write_estimation_table(const std::string& id, const std::string& name, const EstimationTable& table,
                              const std::string& element) {
    std::ostringstream text;
    for (const auto& [label, values] : table) {
      text << csv_field(label);
      for (double v : values) text << ',' << format_number(v);
      text << '\n';
    }
    const fs::path file = fs::path(options_.output_dir) / location_ / (id + ".csv");
    try {
      write_file(file, text.str());
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
      return false;
    }
    if (options_.write_h5) {
      H5Report h5;
      h5.location = location_;
      h5.id = id;
      h5.name = name;
      for (const auto& [label, values] : table) {
        h5.ids.push_back(label);
        h5.labels.push_back(label);
        h5.names.push_back("");
        h5.data.push_back(NdArray{{values.size()}, values});
      }
      write_h5(h5, element);
    }
    return true;
  }

  // parameterEstimationReport (the fitted parameters and the objective) and
  // parameterEstimationResultPlot (each observable against its data: the plot's data, and the
  // plot drawn by estimation_plot.hpp).
  void write_estimation_output(const Output& o, OutputSummary& summary) {
    const std::string element = o.type + " '" + o.id + "'";
    const Task* t = find_task(o.task_ref);
    if (!t || !t->estimation) {
      problem(ErrorKind::UnknownId, element, "taskRef '" + o.task_ref + "' names no parameterEstimationTask");
      return;
    }
    const auto it = estimations_.find(t->id);
    if (it == estimations_.end()) {
      problem(dependent_kind(), element, "not written: parameterEstimationTask '" + t->id + "' did not run");
      return;
    }
    const bool report = o.type == "parameterEstimationReport";
    const EstimationTable table = per_iteration(it->second, report ? estimation_report : estimation_plot);
    if (!write_estimation_table(o.id, o.name, table, element)) return;
    summary.file = (fs::path(options_.output_dir) / location_ / (o.id + ".csv")).string();
    summary.data_sets = table.size();
    summary.points = report ? it->second.size() : it->second.back().fit.points * it->second.size();
    if (report) {
      set_plot_status(LogStatus::Succeeded);
      return;
    }
    // Inside a repeated task: every iteration's curves in one plot, named by their iteration.
    EstimationRun drawn = it->second.back();
    if (it->second.size() > 1) {
      drawn.fit.curves.clear();
      for (std::size_t i = 0; i < it->second.size(); ++i)
        for (FitCurve c : it->second[i].fit.curves) {
          c.experiment += " [iteration " + std::to_string(i) + "]";
          drawn.fit.curves.push_back(std::move(c));
        }
    }
    draw_estimation_output(o, drawn, element, summary);
  }

  void draw_estimation_output(const Output& o, const EstimationRun& run, const std::string& element, OutputSummary& summary) {
    if (!options_.draw_plots) {
      set_plot_status(LogStatus::Skipped, "not drawn (--no-plots); its data is written");
      return;
    }
    const std::string base = (fs::path(options_.output_dir) / location_ / o.id).string();
    if (const auto pdf = run_drawing(element, [&] { return draw_estimation_plot(o, run, base); })) {
      summary.file = *pdf;
      set_plot_status(LogStatus::Succeeded);
    }
  }

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

  void evaluate_generator(const DataGenerator& g) {
    auto& out = generated_[g.id];
    const std::string element = "dataGenerator '" + g.id + "'";
    std::map<std::string, Series> values;
    std::vector<const Layout*> layouts;  // of the variables read from tasks, unreduced
    for (const Parameter& p : g.parameters) values[p.id] = {p.value};
    for (const Variable& v : g.variables) {
      if (const auto d = data_.find(g.id + "/" + v.id); d != data_.end()) {
        if (!d->second) return;  // reported when read
        values[v.id] = *d->second;
        continue;
      }
      const auto& col = variable_column_[g.id + "/" + v.id];
      if (!col) return;  // reported when resolved
      const TaskRun& run = runs_[v.task_ref];
      if (!run.ok) return;  // reported when run
      try {
        values[v.id] = col->rate ? rate_series(run, *col) : run.columns.at(*col);
        if (col->scale != 1.0)
          for (double& x : values[v.id]) x *= col->scale;
        if (!col->matrix.empty() && col->spec.id.empty()) {  // its shape, as a data source's (keep_data_shape)
          const Matrix& mx = matrices_.at(v.task_ref + "\n" + col->matrix);
          data_shape_[g.id + "/" + v.id] = {mx.rows(), mx.cols()};
          generated_matrix_[g.id] = variable_term_label(col->matrix) + " of task '" + v.task_ref + "' (rows " + (mx.rows() ? join(mx.row_ids) : "none") +
                                    "; columns " + (mx.cols() ? join(mx.column_ids) : "none") + ")";
          continue;
        }
      } catch (const std::exception& e) {  // a rate rule's math that does not evaluate on the run
        problem(ErrorKind::InvalidSbml, "dataGenerator '" + g.id + "' variable '" + v.id + "'", e.what());
        return;
      }
      if (!aggregations_.count(g.id + "/" + v.id)) layouts.push_back(&run.layout);
      if (const auto a = aggregations_.find(g.id + "/" + v.id); a != aggregations_.end()) {
        try {
          std::vector<std::size_t> sizes;
          for (std::size_t d = 0; d + 1 < a->second.dims.size(); ++d) sizes.push_back(iteration_counts_[a->second.dims[d]]);
          values[v.id] = aggregate(values[v.id], sizes, a->second);
        } catch (const std::exception& e) {
          problem(ErrorKind::InvalidSbml, element + " variable '" + v.id + "'", a->second.term + ": " + e.what());
          return;
        }
      }
    }
    if (!g.math) return;  // reported when read
    try {
      out = evaluate(*g.math, [&](const std::string& id) -> const Series* {
        auto it = values.find(id);
        return it == values.end() ? nullptr : &it->second;
      });
      keep_data_shape(g, out->size());
      // Its shape in reports.h5: that of the first task variable it has as many values as
      // (math is elementwise on the flat values); else one dimension (a reduction, data).
      for (const Layout* l : layouts)
        if (l->size() == out->size()) {
          generated_layout_[g.id] = l;
          break;
        }
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, element, e.what());
    }
  }

  // A data generator whose values are those of a data source of several dimensions (the math is
  // elementwise on the flat values: as many values as that data source) keeps its shape.
  void keep_data_shape(const DataGenerator& g, std::size_t size) {
    for (const Variable& v : g.variables) {
      const auto s = data_shape_.find(g.id + "/" + v.id);
      if (s == data_shape_.end() || s->second.size() < 2) continue;
      std::size_t n = 1;
      for (std::size_t e : s->second) n *= e;
      if (n == size) {
        generated_shape_[g.id] = s->second;
        return;
      }
    }
  }

  // A data generator's values in BioSimulators' shape (result_shape.hpp): its task variables'
  // (a Layout), or its data source's, else one dimension.
  NdArray shaped_values(const std::string& id) const {
    const Series& s = *generated(id);
    if (const auto l = generated_layout_.find(id); l != generated_layout_.end()) return shaped(*l->second, s);
    if (const auto d = generated_shape_.find(id); d != generated_shape_.end()) return NdArray{d->second, s};
    return NdArray{{s.size()}, s};
  }

  const Series* generated(const std::string& id) const {
    auto it = generated_.find(id);
    return it == generated_.end() || !it->second ? nullptr : &*it->second;
  }

  void write_output(const Output& o) {
    const std::string element = o.type + " '" + o.id + "'";
    OutputSummary summary{o.id, o.type, "", 0, 0};
    std::vector<std::string> missing;
    std::set<std::string> warned;
    auto check = [&](const std::string& ref) -> const Series* {
      const Series* s = generated(ref);
      if (!s) {
        missing.push_back(ref);
      } else if (warned.insert(ref).second) {
        const auto nan = std::count_if(s->begin(), s->end(), [](double v) { return std::isnan(v); });
        if (nan > 0) {
          const std::string text = element + ": dataGenerator '" + ref + "' has " + std::to_string(nan) + " NaN value(s)";
          spdlog::warn("{}", text);
          report_.notes.push_back(text);
        }
      }
      return s;
    };
    if (o.type == "report") {
      std::vector<const Series*> rows;
      for (const DataSet& ds : o.data_sets) rows.push_back(check(ds.data_ref));
      if (!missing.empty()) {
        problem(dependent_kind(), element, "not written: no data for dataGenerator(s) " + join(missing));
        report_.outputs.push_back(summary);
        return;
      }
      std::size_t width = 0;
      for (const Series* s : rows) width = std::max(width, s->size());
      for (const DataSet& ds : o.data_sets)
        if (const auto sh = generated_shape_.find(ds.data_ref); sh != generated_shape_.end()) {
          const auto mx = generated_matrix_.find(ds.data_ref);
          note(element + ": data set '" + ds.id + "' is " + shape_words(sh->second) + " values of " +
               (mx == generated_matrix_.end() ? std::string("a data source") : "the " + mx->second) +
               "; the CSV holds them row by row (the last dimension fastest), reports.h5 in their shape (CSV has no "
               "layout for them: BioSimulators writes no CSV for such a report)");
        }
      const fs::path file = fs::path(options_.output_dir) / location_ / (o.id + ".csv");
      std::ostringstream text;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const DataSet& ds = o.data_sets[i];
        text << csv_field(ds.label.empty() ? ds.id : ds.label);
        // Shorter data sets are padded with NaN, as BioSimulators pads its reports.
        for (std::size_t j = 0; j < width; ++j)
          text << ',' << format_number(j < rows[i]->size() ? (*rows[i])[j] : std::numeric_limits<double>::quiet_NaN());
        text << '\n';
      }
      try {
        write_file(file, text.str());
        summary.file = file.string();
        summary.data_sets = rows.size();
        summary.points = width;
      } catch (const Error& e) {
        problem(e.kind(), element, e.what());
      }
      if (options_.write_h5) {
        H5Report h5;
        h5.location = location_;
        h5.id = o.id;
        h5.name = o.name;
        for (const DataSet& ds : o.data_sets) {
          h5.ids.push_back(ds.id);
          h5.labels.push_back(ds.label.empty() ? ds.id : ds.label);
          h5.names.push_back(ds.name);
          h5.data.push_back(shaped_values(ds.data_ref));
        }
        write_h5(h5, element);
      }
    } else if (o.type == "plot2D" || o.type == "plot3D") {
      std::size_t width = 0;
      for (const std::string& ref : o.data_refs)
        if (const Series* s = check(ref)) width = std::max(width, s->size());
      if (!missing.empty()) {
        problem(dependent_kind(), element, "no data for dataGenerator(s) " + join(missing));
      } else {
        summary.data_sets = o.data_refs.size();
        summary.points = width;
        if (options_.write_h5) {
          // As BioSimulators keeps a plot's data: its data generators, by id, as a dataset
          // of type SedPlot2D / SedPlot3D beside the reports.
          H5Report h5;
          h5.location = location_;
          h5.id = o.id;
          h5.name = o.name;
          h5.type = o.type == "plot2D" ? "SedPlot2D" : "SedPlot3D";
          for (const std::string& ref : std::set<std::string>(o.data_refs.begin(), o.data_refs.end())) {
            h5.ids.push_back(ref);
            h5.labels.push_back(ref);
            std::string name;
            for (const DataGenerator& g : doc_.generators)
              if (g.id == ref) name = g.name;
            h5.names.push_back(name);
            h5.data.push_back(shaped_values(ref));
          }
          write_h5(h5, element);
        }
        if (options_.draw_plots) {
          summary.file = draw(o, element);
          if (!summary.file.empty()) set_plot_status(LogStatus::Succeeded);  // a failure is a problem
        } else {
          set_plot_status(LogStatus::Skipped, "not drawn (--no-plots); its data generators were computed");
        }
      }
    } else if (o.type == "parameterEstimationReport" || o.type == "parameterEstimationResultPlot") {
      write_estimation_output(o, summary);
    } else if (o.type == "figure") {
      // A Version 4 layout of plots: drawn as one multiplot (its plots are also drawn each alone).
      if (options_.draw_plots) {
        summary.file = draw_figure_output(o, element, summary);
        if (!summary.file.empty()) set_plot_status(LogStatus::Succeeded);
      } else {
        set_plot_status(LogStatus::Skipped, "not drawn (--no-plots)");
      }
    } else {
      problem(ErrorKind::Unsupported, element, "this kind of output is not supported");
    }
    report_.outputs.push_back(summary);
  }

  void write_h5(const H5Report& h5, const std::string& element) {
    try {
      std::error_code ec;
      fs::create_directories(options_.output_dir, ec);
      write_h5_report((fs::path(options_.output_dir) / "reports.h5").string(), h5);
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
    }
  }

  // The number of runs a data generator's values hold one after another: the iterations of the
  // repeated task its variables read (1 for a plain task, and for a reduced aggregation).
  std::size_t iterations_of(const std::string& dg_id) const {
    std::size_t n = 1;
    for (const DataGenerator& g : doc_.generators) {
      if (g.id != dg_id) continue;
      for (const Variable& v : g.variables) {
        if (aggregations_.count(g.id + "/" + v.id) || data_.count(g.id + "/" + v.id)) continue;
        const auto r = runs_.find(v.task_ref);
        if (r != runs_.end() && r->second.iterations > 1) n = std::max(n, r->second.iterations);
      }
    }
    return n;
  }

  std::string generator_label(const std::string& dg_id) const {
    for (const DataGenerator& g : doc_.generators)
      if (g.id == dg_id) return g.name.empty() ? g.id : g.name;
    return dg_id;
  }

  // How a data generator's n values split into lines (plot.hpp's PlotData::runs): one per
  // innermost iteration of the repeated task they come from (result_shape.hpp), else one.
  std::vector<std::size_t> plot_runs(const std::string& dg_id, std::size_t n) const {
    if (const auto l = generated_layout_.find(dg_id); l != generated_layout_.end() && l->second->size() == n)
      return innermost_runs(*l->second);
    // A generator with no layout of its size (a reduction, data): split by the iterations of the
    // repeated task it reads, if they divide it evenly, else one line.
    const std::size_t k = iterations_of(dg_id);
    if (k > 1 && n % k == 0) return std::vector<std::size_t>(k, n / k);
    return {n};
  }

  // A plot's items with their computed data (all computed: write_output checked), or nullopt
  // with a problem naming the plot.
  std::optional<std::vector<PlotData>> plot_data(const Output& o, const std::string& element, std::string& x_label) {
    std::vector<PlotData> data;
    std::set<std::string> xs;
    for (const PlotItem& it : o.plot.items) {
      PlotData d;
      d.item = &it;
      auto get = [&](const std::string& ref) { return ref.empty() ? nullptr : generated(ref); };
      d.x = get(it.x);
      d.y = get(it.y);
      d.z = get(it.z);
      d.y_from = get(it.y_from);
      d.y_to = get(it.y_to);
      d.x_err_upper = get(it.x_err_upper);
      d.x_err_lower = get(it.x_err_lower);
      d.y_err_upper = get(it.y_err_upper);
      d.y_err_lower = get(it.y_err_lower);
      const bool ok = it.element == "shadedArea" ? d.x && d.y_from && d.y_to
                      : o.type == "plot3D"       ? d.x && d.y && d.z
                                                 : d.x && d.y;
      if (!ok) {
        problem(ErrorKind::InvalidSbml, element, "not drawn: " + it.element + " '" + it.id + "' lacks a data reference");
        return std::nullopt;
      }
      const std::string main_ref = it.element == "shadedArea" ? it.y_to : o.type == "plot3D" ? it.z : it.y;
      const Series* main = it.element == "shadedArea" ? d.y_to : o.type == "plot3D" ? d.z : d.y;
      d.runs = plot_runs(main_ref, main->size());
      if (d.runs.size() <= 1) d.runs = plot_runs(it.x, d.x->size());
      d.label = !it.name.empty() ? it.name : it.element == "shadedArea" ? it.id : generator_label(main_ref);
      xs.insert(it.x);
      data.push_back(d);
    }
    x_label = xs.size() == 1 ? generator_label(*xs.begin()) : "";
    return data;
  }

  // Draws a plot whose data are all computed (plot.hpp): OUTDIR/<location>/<plot id>.svg and
  // .pdf. Returns the PDF written, or "" (a problem naming the plot).
  std::string draw(const Output& o, const std::string& element) {
    std::string x_label;
    const auto data = plot_data(o, element, x_label);
    if (!data) return {};
    if (data->empty()) {
      note(element + ": no curves; nothing drawn");
      return {};
    }
    const fs::path base = fs::path(options_.output_dir) / location_ / o.id;
    return run_drawing(element, [&] { return draw_plot(o, doc_.styles, *data, x_label, base.string()); }).value_or("");
  }

  // A Version 4 figure: its subPlots' plots in one multiplot, OUTDIR/<location>/<figure id>.svg
  // and .pdf (plot.hpp's draw_figure). Every plot must have its data; returns the PDF or "".
  std::string draw_figure_output(const Output& o, const std::string& element, OutputSummary& summary) {
    if (o.plot.subplots.empty()) {
      note(element + ": no subPlots; nothing drawn");
      return {};
    }
    std::vector<FigurePanel> panels;
    std::vector<std::string> missing;
    for (const SubPlot& sp : o.plot.subplots) {
      const Output* plot = nullptr;
      for (const Output& p : doc_.outputs)
        if (p.id == sp.plot) plot = &p;
      const std::string spe = element + " subPlot '" + sp.id + "'";
      if (!plot || (plot->type != "plot2D" && plot->type != "plot3D")) {
        problem(ErrorKind::UnknownId, spe, "plot '" + sp.plot + "' is not a plot2D or plot3D of this document");
        set_plot_status(LogStatus::Failed, spe + ": plot '" + sp.plot + "' not found");
        return {};
      }
      for (const std::string& ref : plot->data_refs)
        if (!generated(ref)) missing.push_back(ref);
      if (!missing.empty()) {
        problem(dependent_kind(), spe, "not drawn: plot '" + sp.plot + "' lacks data for dataGenerator(s) " + join(missing));
        set_plot_status(LogStatus::Failed, spe + ": its plot's data not computed");
        return {};
      }
      FigurePanel panel;
      panel.subplot = &sp;
      panel.plot = plot;
      auto data = plot_data(*plot, spe, panel.x_label);
      if (!data) return {};
      panel.data = std::move(*data);
      panels.push_back(std::move(panel));
      summary.data_sets += plot->data_refs.size();
    }
    const fs::path base = fs::path(options_.output_dir) / location_ / o.id;
    return run_drawing(element, [&] { return draw_figure(o, doc_.styles, panels, base.string()); }).value_or("");
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "'" : ", '") + s + "'";
    return out;
  }

  static void write_file(const fs::path& file, const std::string& text) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) throw Error(ErrorKind::Io, file.parent_path().string() + ": cannot create: " + ec.message());
    write_file_atomic(file.string(), text);
  }
};

}  // namespace

RunReport run_document(const std::string& path, const RunOptions& options, RunLog* log, std::size_t index) {
  DocumentLog* d = log ? &log->archive().documents.at(index) : nullptr;
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  if (d) {
    d->status = LogStatus::Running;
    log->write();
  }
  RunReport report;
  try {
    const Document doc = read_document(path);
    for (const Problem& p : doc.problems) {
      spdlog::error("{}: {}", p.element, p.message);
      report.problems.push_back(p);
    }
    Runner(doc, path, options, report, log, index).run();
  } catch (const Error& e) {
    if (d) {
      d->status = LogStatus::Failed;
      d->exception = LogReason{error_type(e.kind()), e.what()};
      d->duration = seconds();
      log->write();
    }
    throw;
  }
  std::size_t plots = 0;
  for (const OutputSummary& o : report.outputs)
    if (o.type != "report" && o.type != "figure" && o.points > 0 && o.file.empty()) ++plots;
  if (plots > 0 && !options.draw_plots) {
    const std::string n = std::to_string(plots) + " plot(s): data computed; not drawn (--no-plots)";
    spdlog::info("{}", n);
    report.notes.push_back(n);
  }
  if (d) {
    // The document failed exactly when it has a problem: what makes `axisim run` exit non-zero.
    d->status = report.problems.empty() ? LogStatus::Succeeded : LogStatus::Failed;
    d->duration = seconds();
    std::string text;
    for (const Problem& p : report.problems) text += "error: " + p.element + ": " + p.message + "\n";
    for (const std::string& n : report.notes) text += n + "\n";
    d->output = text;
    if (!report.problems.empty())
      d->exception = LogReason{error_type(report.problems[0].kind), report.problems[0].element + ": " + report.problems[0].message};
    for (const Problem& p : report.problems)  // a stop says so first
      if (is_stop(p)) d->exception = LogReason{problem_type(p), p.element + ": " + p.message};
    log->write();
  }
  return report;
}

std::string run_log_file(const RunOptions& options) {
  return options.write_log ? (fs::path(options.output_dir) / "log.yml").string() : std::string();
}

void finish_run_log(RunLog& log, const RunReport& report, double seconds) {
  ArchiveLog& a = log.archive();
  a.duration = seconds;
  if (!report.problems.empty()) {
    a.status = LogStatus::Failed;
    a.exception = LogReason{error_type(report.problems[0].kind), std::to_string(report.problems.size()) +
                                                                   " problem(s); the first: " + report.problems[0].element +
                                                                   ": " + report.problems[0].message};
  }
  if (report.interrupted) {
    // Stopped by a signal: say so first (the problem naming where is in the document's output).
    a.status = LogStatus::Failed;
    for (const Problem& p : report.problems)
      if (is_stop(p)) a.exception = LogReason{problem_type(p), p.element + ": " + p.message};
  }
  log.finish();
}

RunReport run_file(const std::string& path, const RunOptions& options) {
  RunLog log(run_log_file(options));
  DocumentLog d;
  d.location = options.location.empty() ? fs::path(path).filename().string() : options.location;
  log.archive().documents.push_back(std::move(d));
  log.archive().status = LogStatus::Running;
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  RunReport report;
  try {
    report = run_document(path, options, &log, 0);
  } catch (const Error& e) {
    report.problems.push_back({e.kind(), log.archive().documents[0].location, e.what()});
    finish_run_log(log, report, seconds());
    throw;
  }
  finish_run_log(log, report, seconds());
  return report;
}

}  // namespace axisim::sedml
