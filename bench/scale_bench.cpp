// scale_bench — how load and simulation times grow with the model's size, before and after the
// sparse Jacobian and native code, against the same network written by hand.
//
// Run by bench/run.sh after axisim_bench and coupling_bench; alone:
//   build/bench/scale_bench                        # the whole series (minutes: see --help)
//   build/bench/scale_bench --quick                # one sample each, sizes up to 1,000 reactions
//   build/bench/scale_bench --max-reactions 2000 --before-max-reactions 1000
//
// For each size of the generated network (generate_model.hpp's scale_series(), or --sizes) it
// reports, in a fresh process (so that its peak memory is its own):
//   - load: Model::from_string with and without libSBML's consistency checks (interpreter
//     back-end, so no native compile runs in the background), and with Backend::Native, whose
//     compile it waits for;
//   - the right-hand side per evaluation: axisim's bytecode, axisim's native code (when the
//     runtime has it) and the hand-written C++ (handwritten_rhs.hpp), and the hand-written
//     analytic Jacobian (handwritten_jacobian.hpp);
//   - a simulation from 0 to 100 with 100 outputs at atol 1e-10, rtol 1e-6 (the issue's
//     settings) in several configurations (kConfigs below): axisim "before" (interpreter, dense,
//     difference quotients), "after" (all Auto; and Backend::Native waited for), explicit
//     combinations (sparse, iterative or dense, analytic or numeric, interpreter), and the hand-written
//     reference (KLU with the analytic Jacobian, and dense with difference quotients), with the
//     solver's counts, what the engine says ran, the peak memory of each run, and the ratios;
//   - and "one more run" of the flagship model's fibre scenario before and after.
// Configurations are timed in rounds, one run of each per round, so that a change in the
// machine's load affects all of them alike. A configuration whose first run takes longer than
// --long-run seconds is run once; dense configurations are skipped above a size (the dense LU
// is O(n^3): "before" takes minutes at 5,000 reactions).
//
// Before timing anything, each size is checked: axisim's derivatives against the hand-written
// ones (agreement.hpp), and the hand-written Jacobian against central differences of the
// hand-written right-hand side at the initial and at a perturbed state. A disagreement stops the
// benchmark with exit code 3. It is a measurement, not a test: nothing asserts a time.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <sundials/sundials_config.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "command_line.hpp"
#include "machine.hpp"
#include "agreement.hpp"
#include "axisim/model.hpp"
#include "axisim/scenario.hpp"
#include "compile/compiled_system.hpp"
#include "generate_model.hpp"
#include "handwritten_jacobian.hpp"
#include "handwritten_rhs.hpp"
#include "json_writer.hpp"
#include "reference_cvode.hpp"
#include "sbml/ir_from_sbml.hpp"
#include "sbml/sbml_document.hpp"
#include "timing.hpp"
#ifdef AXISIM_BENCH_HAVE_NATIVE_CODE
#include "compile/native_code.hpp"
#endif

#ifndef AXISIM_BENCH_BUILD_TYPE
#define AXISIM_BENCH_BUILD_TYPE "unknown"
#endif
#ifndef AXISIM_BENCH_FLAGSHIP_SCENARIO
#define AXISIM_BENCH_FLAGSHIP_SCENARIO ""
#endif

namespace fs = std::filesystem;
using axisim::detail::CompiledSystem;
using axisim::detail::Workspace;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// --- configurations --------------------------------------------------------------------------

// Which size limit skips a configuration.
enum class Limit { None, Before, Dense };

struct RunConfig {
  const char* name;   // for --configs and the JSON
  const char* label;  // for the tables
  bool handwritten;
  axisim::Backend backend;
  axisim::LinearSolver linear_solver;
  axisim::JacobianKind jacobian;
  bench::ReferenceLinearAlgebra reference;
  Limit limit;
};

using axisim::Backend;
using axisim::JacobianKind;
using axisim::LinearSolver;
using bench::ReferenceLinearAlgebra;

const std::vector<RunConfig> kConfigs = {
    {"before", "axisim before: interpreter, dense, numeric", false, Backend::Interpreter, LinearSolver::Dense,
     JacobianKind::Numeric, {}, Limit::Before},
    {"after", "axisim after: all Auto", false, Backend::Auto, LinearSolver::Auto, JacobianKind::Auto, {}, Limit::None},
    {"after-native", "axisim after: Native (waited), Auto", false, Backend::Native, LinearSolver::Auto,
     JacobianKind::Auto, {}, Limit::None},
    {"sparse-analytic", "axisim interpreter, sparse, analytic", false, Backend::Interpreter, LinearSolver::Sparse,
     JacobianKind::Analytic, {}, Limit::None},
    {"sparse-numeric", "axisim interpreter, sparse, numeric", false, Backend::Interpreter, LinearSolver::Sparse,
     JacobianKind::Numeric, {}, Limit::None},
    {"dense-analytic", "axisim interpreter, dense, analytic", false, Backend::Interpreter, LinearSolver::Dense,
     JacobianKind::Analytic, {}, Limit::Dense},
    {"iterative-analytic", "axisim interpreter, iterative, analytic", false, Backend::Interpreter,
     LinearSolver::Iterative, JacobianKind::Analytic, {}, Limit::None},
    {"hw-klu", "hand-written: KLU, analytic Jacobian", true, {}, {}, {}, ReferenceLinearAlgebra::KluAnalytic,
     Limit::None},
    {"hw-dense", "hand-written: dense, difference quotients", true, {}, {}, {},
     ReferenceLinearAlgebra::DenseDifferenceQuotient, Limit::Before},
};
constexpr std::size_t kNumConfigs = 9;

std::size_t config_index(const std::string& name) {
  for (std::size_t i = 0; i < kConfigs.size(); ++i)
    if (name == kConfigs[i].name) return i;
  return kConfigs.size();
}

struct Options {
  std::uint64_t seed = 1;
  int module_size = 25;  // generator topology (GeneratorOptions): pathway-like modules; 0: uniform random
  double cross_module = 0.05;
  int klu_ordering = 1;  // the hand-written reference's KLU ordering (1 COLAMD, SUNDIALS' default; 0 AMD)
  std::vector<bench::ModelSize> sizes = bench::scale_series();
  int max_reactions = -1;  // -1: 10,000, or 1,000 with --quick
  int before_max_reactions = 5000;
  int dense_max_reactions = 2000;
  std::vector<bool> enabled = std::vector<bool>(kNumConfigs, true);
  double end = 100.0;
  int steps = 100;
  double atol = 1e-10;
  double rtol = 1e-6;
  double long_run = 5.0;  // seconds: a configuration whose first run takes longer runs once
  bool quick = false;
  bool flagship = true;
  int flagship_repeats = 21;
  std::string scenario = AXISIM_BENCH_FLAGSHIP_SCENARIO;
  std::string json;
  std::string work_dir;  // temporary: JSON fragments and native code caches
};

// --- machine, memory -------------------------------------------------------------------------

// A "VmXXX:" line of /proc/self/status, in kB (-1 if absent).
long status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t len = std::char_traits<char>::length(key);
  while (std::getline(in, line))
    if (line.compare(0, len, key) == 0) return std::atol(line.c_str() + len);
  return -1;
}

// Resets the process's peak RSS (VmHWM) to its current RSS (Linux 4.0 and later), so that the
// peak of one run can be read afterwards. False where the kernel does not allow it.
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

double ms(double s) { return s * 1e3; }
double seconds_since(std::chrono::steady_clock::time_point t0) { return bench::seconds_since(t0); }

// --- measurements ----------------------------------------------------------------------------

// Several functions, each taking a batch size and running that many calls, timed in rounds of
// one batch each (batch sizes calibrated so that a batch takes about 20 ms); seconds per call.
std::vector<bench::Timing> measure_batched_rounds(const std::vector<std::function<void(std::int64_t)>>& fs,
                                                  const bench::RepeatPolicy& policy) {
  std::vector<std::int64_t> batch(fs.size(), 1);
  for (std::size_t i = 0; i < fs.size(); ++i)
    for (;;) {
      const auto t0 = std::chrono::steady_clock::now();
      fs[i](batch[i]);
      if (seconds_since(t0) >= 0.02 || batch[i] >= (std::int64_t{1} << 40)) break;
      batch[i] *= 2;
    }
  std::vector<std::vector<double>> samples(fs.size());
  const auto begin = std::chrono::steady_clock::now();
  while (static_cast<int>(samples[0].size()) < policy.max_samples &&
         (static_cast<int>(samples[0].size()) < policy.min_samples ||
          seconds_since(begin) < static_cast<double>(fs.size()) * policy.min_total_seconds)) {
    for (std::size_t i = 0; i < fs.size(); ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      fs[i](batch[i]);
      samples[i].push_back(seconds_since(t0) / static_cast<double>(batch[i]));
    }
  }
  std::vector<bench::Timing> out;
  for (auto& s : samples) out.push_back(bench::summarize(std::move(s)));
  return out;
}

// What one configuration gave at one size.
struct ConfigResult {
  std::string skipped;  // why it did not run
  std::vector<double> samples;
  double first = kNaN;  // "after" only: the first run right after the load (background compile)
  std::string first_backend;
  int warmup_runs = 0;          // "after": runs between the first and the timed ones
  double warmup_seconds = kNaN; // "after": from the load to the end of the warm-up
  axisim::SolverStats stats;  // of the last run (axisim); the hand-written run's below
  bench::ReferenceStats ref_stats;
  double final_difference = kNaN;  // final amounts' largest difference from hw-klu's / largest amount
  long rss_peak_kb = -1;           // the process's peak RSS during this configuration's first run
  long rss_growth_kb = -1;         // that peak minus the RSS before the run
  std::vector<double> final_state; // amounts at the end, species index order
  double total() const {
    double t = 0;
    for (double s : samples) t += s;
    return t;
  }
  bench::Timing timing() const { return bench::summarize(samples); }
  double median() const { return samples.empty() ? kNaN : timing().median; }
};

// The summary of one size that the size's process sends back to the parent, for the table at the end.
struct SizeSummary {
  int species = 0, reactions = 0;
  long states = 0, nonzeros = 0;
  double load = kNaN, load_unvalidated = kNaN, load_native = kNaN;
  double rhs_interpreter = kNaN, rhs_native = kNaN, rhs_handwritten = kNaN, jac_handwritten = kNaN;
  std::array<double, kNumConfigs> sim{};
  std::array<long, kNumConfigs> steps{};
  bool engine_reports = false;  // the engine filled SolverStats' linear_solver/jacobian/backend
  bool axisim_ran = false;      // some axisim configuration ran at all
  double lu_fill = kNaN;        // hand-written KLU: LU non-zeros / Jacobian non-zeros
};

// axisim's Jacobian right-hand-side count; the engine before the sparse Jacobian did not report
// it, and then it is its Jacobians times the states (dense difference quotients).
long jacobian_rhs(const axisim::SolverStats& s, std::size_t states, bool* derived) {
  *derived = states > 0 && s.jacobian_rhs_evaluations == 0 && s.linear_solver.empty() && s.jacobian_evaluations > 0;
  return *derived ? s.jacobian_evaluations * static_cast<long>(states) : s.jacobian_rhs_evaluations;
}

std::string engine_says(const axisim::SolverStats& s) {
  if (s.linear_solver.empty() && s.jacobian.empty() && s.backend.empty()) return "(not reported)";
  return s.linear_solver + " / " + s.jacobian + " / " + s.backend;
}

void json_timing(bench::JsonWriter& j, const char* key, const bench::Timing& t) {
  j.begin_object(key).field("median_s", t.median).field("min_s", t.min).field("samples", t.samples).end();
}

void json_stats(bench::JsonWriter& j, const char* key, const axisim::SolverStats& s, std::size_t states) {
  bool derived = false;
  const long jrhs = jacobian_rhs(s, states, &derived);
  j.begin_object(key)
      .field("steps", s.steps)
      .field("rhs_evaluations", s.rhs_evaluations)
      .field("jacobian_rhs_evaluations", jrhs)
      .field("jacobian_rhs_evaluations_derived", derived)
      .field("jacobian_evaluations", s.jacobian_evaluations)
      .field("linear_solver_setups", s.linear_solver_setups)
      .field("newton_iterations", s.newton_iterations)
      .field("error_test_failures", s.error_test_failures)
      .field("convergence_failures", s.convergence_failures)
      .field("root_stops", s.root_stops)
      .field("linear_solver", s.linear_solver)
      .field("jacobian", s.jacobian)
      .field("backend", s.backend)
      .field("integration_s", s.integration_seconds)
      .field("load_s", s.load_seconds)
      .field("native_compile_s", s.native_compile_seconds)
      .end();
}

void json_ref_stats(bench::JsonWriter& j, const char* key, const bench::ReferenceStats& s) {
  j.begin_object(key)
      .field("steps", s.steps)
      .field("rhs_evaluations", s.rhs_evaluations + s.jacobian_rhs_evaluations)
      .field("jacobian_rhs_evaluations", s.jacobian_rhs_evaluations)
      .field("jacobian_evaluations", s.jacobian_evaluations)
      .field("linear_solver_setups", s.linear_solver_setups)
      .field("newton_iterations", s.newton_iterations)
      .field("error_test_failures", s.error_test_failures)
      .field("convergence_failures", s.convergence_failures)
      .field("lu_nonzeros", s.lu_nonzeros)
      .end();
}

// max |a - b| / max |b|: how far apart two runs' final amounts are, relative to the largest
// amount (amounts near zero, which the absolute tolerance leaves loose, would dominate a
// component-wise relative difference).
double final_difference(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size() || a.empty()) return kNaN;
  double diff = 0.0, scale = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

// --- one size ----------------------------------------------------------------------------------

struct SizeRun {
  const Options& o;
  bench::ModelSize size;
  std::string cache_base;  // this size's native code caches go below it

  // Returns the process exit code (3: the hand-written model disagrees with axisim or with itself).
  int run(SizeSummary& summary, std::string& json_out);
};

std::unique_ptr<CompiledSystem> compile_system(const std::string& sbml) {
  axisim::detail::SbmlSource source;
  source.text = sbml;
  const auto doc = axisim::detail::read_sbml(source, false);
  return std::make_unique<CompiledSystem>(axisim::detail::build_ir(*doc, "<generated>"));
}

axisim::Model load(const std::string& sbml, bool validate, Backend backend) {
  axisim::LoadOptions lo;
  lo.validate = validate;
  lo.backend = backend;
  return axisim::Model::from_string(sbml, lo);
}

int SizeRun::run(SizeSummary& summary, std::string& json_out) {
  const bool quick = o.quick;
  const bench::RepeatPolicy fast_policy = quick ? bench::RepeatPolicy{3, 20, 0.05} : bench::RepeatPolicy{7, 1000, 0.3};
  const bench::RepeatPolicy load_policy = quick ? bench::RepeatPolicy{1, 1, 0.0} : bench::RepeatPolicy{3, 20, 1.0};
  const int min_runs = quick ? 1 : 3, max_runs = quick ? 1 : 15;
  const double min_total = quick ? 0.0 : 1.5;

  bench::GeneratorOptions gopt;
  gopt.seed = o.seed;
  gopt.species = size.species;
  gopt.reactions = size.reactions;
  gopt.module_size = o.module_size;
  gopt.cross_module = o.cross_module;
  const bench::GeneratedModel gen = bench::generate_model(gopt);
  const bench::HandwrittenRhs hw(gen);
  const bench::HandwrittenJacobian hj(gen);
  const std::size_t n = hw.num_states();
  summary.species = size.species;
  summary.reactions = size.reactions;
  summary.states = static_cast<long>(n);
  summary.nonzeros = static_cast<long>(hj.nonzeros());
  std::map<std::string, int> kinds;
  for (const auto& r : gen.reactions) ++kinds[bench::kinetics_name(r.kind)];

  std::printf("== %d species, %d reactions (seed %llu): %zu states, SBML %.0f kB, Jacobian %zu non-zeros (%.2f%%, %.1f per column)\n",
              size.species, size.reactions, static_cast<unsigned long long>(o.seed), n,
              static_cast<double>(gen.sbml.size()) / 1024.0, hj.nonzeros(),
              100.0 * static_cast<double>(hj.nonzeros()) / (static_cast<double>(n) * static_cast<double>(n)),
              static_cast<double>(hj.nonzeros()) / static_cast<double>(n));
  std::fflush(stdout);

  // --- checks: axisim = hand-written right-hand side; hand-written Jacobian = its differences ---
  const auto sys = compile_system(gen.sbml);
  const bench::Agreement agreement = bench::check_agreement(*sys, hw, o.seed);
  const std::vector<double> perturbed = bench::perturbed_state(hw, o.seed);
  double jac_max_error = 0.0;
  std::size_t jac_compared = 0;
  for (const std::vector<double>* y : {&hw.initial_state(), &perturbed}) {
    const bench::JacobianCheck c = bench::check_jacobian(hj, hw, *y);
    if (!c.failure.empty()) {
      std::fprintf(stderr,
                   "scale_bench: the hand-written Jacobian disagrees with central differences of the hand-written "
                   "right-hand side at the %s state: %s\nFix bench/handwritten_jacobian.cpp.\n",
                   y == &perturbed ? "perturbed" : "initial", c.failure.c_str());
      return 3;
    }
    jac_max_error = std::max(jac_max_error, c.max_error);
    jac_compared += c.compared;
  }
  std::printf("  checks: axisim's derivatives = hand-written to %.2g of the flux scale (%zu of %zu identical); "
              "hand-written Jacobian = central differences (%zu entries at 2 states, worst %.2g of the allowance)\n",
              agreement.max_relative_difference, agreement.identical, agreement.compared, jac_compared, jac_max_error);

  // --- load ---
  // Alternating, as for the simulations; a load slower than --long-run is timed once.
  std::vector<double> load_samples, load_unvalidated_samples;
  double load_total = 0.0;
  while (static_cast<int>(load_samples.size()) < load_policy.max_samples &&
         (static_cast<int>(load_samples.size()) < load_policy.min_samples || load_total < load_policy.min_total_seconds) &&
         !(load_samples.size() >= 1 && load_samples[0] >= o.long_run)) {
    auto t0 = std::chrono::steady_clock::now();
    load(gen.sbml, true, Backend::Interpreter);
    load_samples.push_back(seconds_since(t0));
    t0 = std::chrono::steady_clock::now();
    load(gen.sbml, false, Backend::Interpreter);
    load_unvalidated_samples.push_back(seconds_since(t0));
    load_total += load_samples.back() + load_unvalidated_samples.back();
  }
  const bench::Timing t_load = bench::summarize(load_samples);
  const bench::Timing t_load_unvalidated = bench::summarize(load_unvalidated_samples);
  summary.load = t_load.median;
  summary.load_unvalidated = t_load_unvalidated.median;

  auto limited = [&](const RunConfig& c) -> std::string {
    char buf[160];
    if (c.limit == Limit::Before && size.reactions > o.before_max_reactions) {
      std::snprintf(buf, sizeof buf, "skipped: more than %d reactions (--before-max-reactions)", o.before_max_reactions);
      return buf;
    }
    if (c.limit == Limit::Dense && size.reactions > o.dense_max_reactions) {
      std::snprintf(buf, sizeof buf, "skipped: more than %d reactions (--dense-max-reactions)", o.dense_max_reactions);
      return buf;
    }
    return {};
  };
  std::vector<ConfigResult> results(kConfigs.size());
  for (std::size_t c = 0; c < kConfigs.size(); ++c) {
    if (!o.enabled[c]) results[c].skipped = "not selected (--configs)";
    else results[c].skipped = limited(kConfigs[c]);
  }
  auto active = [&](const char* name) { return results[config_index(name)].skipped.empty(); };

  // Backend::Native, waited for: the load includes generating and compiling the C (a fresh cache).
  std::optional<axisim::Model> native_model;
  double native_load = kNaN;
  if (active("after-native")) {
    ::setenv("AXISIM_CACHE_DIR", (cache_base + "/native").c_str(), 1);
    const auto t0 = std::chrono::steady_clock::now();
    native_model.emplace(load(gen.sbml, false, Backend::Native));
    native_load = seconds_since(t0);
    summary.load_native = native_load;
  }

  // --- right-hand side (and the hand-written Jacobian) per evaluation ---
  bench::Timing rhs_interp, rhs_native, rhs_hw, jac_hw;
  std::string native_note;
  {
    Workspace ws = sys->make_workspace();
    sys->initialize(ws, {});
    std::vector<double> y_ax(n), ydot_ax(n), y_hw = hw.initial_state(), ydot_hw(n), jv(hj.nonzeros());
    sys->gather_state(ws, y_ax.data());
    std::vector<std::function<void(std::int64_t)>> fs = {
        [&](std::int64_t b) { for (std::int64_t i = 0; i < b; ++i) sys->derivatives(0.0, y_ax.data(), ydot_ax.data(), ws); },
        [&](std::int64_t b) { for (std::int64_t i = 0; i < b; ++i) hw(y_hw.data(), ydot_hw.data()); },
        [&](std::int64_t b) { for (std::int64_t i = 0; i < b; ++i) hj(y_hw.data(), jv.data()); },
    };
#ifdef AXISIM_BENCH_HAVE_NATIVE_CODE
    // The same programs as native code (from the cache the Native load filled, when it ran).
    std::unique_ptr<CompiledSystem> native_sys;
    std::shared_ptr<axisim::detail::NativeCode> code;
    std::optional<Workspace> native_ws;
    std::vector<double> ydot_native(n);
    try {
      if (!active("after-native") && !active("after")) throw std::runtime_error("not timed (no native configuration selected)");
      if (!native_model) ::setenv("AXISIM_CACHE_DIR", (cache_base + "/native").c_str(), 1);
      native_sys = compile_system(gen.sbml);
      code = axisim::detail::NativeCode::build(native_sys->programs());
      if (code) {
        code->install(native_sys->programs());
        native_ws.emplace(native_sys->make_workspace());
        native_sys->initialize(*native_ws, {});
        fs.push_back([&](std::int64_t b) {
          for (std::int64_t i = 0; i < b; ++i) native_sys->derivatives(0.0, y_ax.data(), ydot_native.data(), *native_ws);
        });
      }
    } catch (const std::exception& e) {
      native_note = std::string("native code unavailable: ") + e.what();
    }
#else
    native_note = "native code not in this build of the runtime";
#endif
    const std::vector<bench::Timing> t = measure_batched_rounds(fs, fast_policy);
    rhs_interp = t[0];
    rhs_hw = t[1];
    jac_hw = t[2];
    if (t.size() > 3) rhs_native = t[3];
  }
  summary.rhs_interpreter = rhs_interp.median;
  summary.rhs_handwritten = rhs_hw.median;
  summary.jac_handwritten = jac_hw.median;
  summary.rhs_native = rhs_native.samples ? rhs_native.median : kNaN;

  std::printf("  load: %.1f ms, %.1f ms without consistency checks", ms(t_load.median), ms(t_load_unvalidated.median));
  if (native_model) std::printf(", %.1f ms with Backend::Native (compile waited for, fresh cache)", ms(native_load));
  std::printf("\n  per evaluation: right-hand side axisim %.2f us (bytecode)", rhs_interp.median * 1e6);
  if (rhs_native.samples) std::printf(", %.2f us (native)", rhs_native.median * 1e6);
  std::printf(", hand-written %.2f us; hand-written Jacobian %.2f us\n", rhs_hw.median * 1e6, jac_hw.median * 1e6);
  std::printf("  rhs ratio axisim / hand-written: %.2f (bytecode)", rhs_interp.median / rhs_hw.median);
  if (rhs_native.samples) std::printf(", %.2f (native)", rhs_native.median / rhs_hw.median);
  else std::printf("; %s", native_note.c_str());
  std::printf("\n");
  std::fflush(stdout);

  // --- simulations ---
  axisim::SimulationOptions base;
  base.end = o.end;
  base.steps = o.steps;
  base.atol = o.atol;
  base.rtol = o.rtol;
  std::vector<axisim::OutputSpec> outputs;
  for (std::size_t i = 0; i < n; ++i) outputs.push_back({bench::GeneratedModel::species_id(i), axisim::Quantity::Amount});

  std::optional<axisim::Model> interp_model;
  if (active("before") || active("sparse-analytic") || active("sparse-numeric") || active("dense-analytic") ||
      active("iterative-analytic"))
    interp_model.emplace(load(gen.sbml, false, Backend::Interpreter));

  auto simulate_axisim = [&](const axisim::Model& m, const RunConfig& c, ConfigResult& r) {
    axisim::SimulationOptions so = base;
    so.linear_solver = c.linear_solver;
    so.jacobian = c.jacobian;
    const auto t0 = std::chrono::steady_clock::now();
    const axisim::Result res = m.simulate(so, outputs);
    const double s = seconds_since(t0);
    if (!res.error.empty()) throw std::runtime_error(std::string(c.name) + ": " + res.error);
    r.stats = res.stats;
    const std::size_t last = res.rows() - 1;
    r.final_state.resize(n);
    for (std::size_t i = 0; i < n; ++i) r.final_state[i] = res.at(last, i + 1);
    return s;
  };

  // "after" as a user meets it: loaded with Backend::Auto (native code, if the engine builds it
  // for this size, compiled in the background into a fresh cache) and simulated at once.
  std::optional<axisim::Model> auto_model;
  const std::size_t i_after = config_index("after");
  if (active("after")) {
    ::setenv("AXISIM_CACHE_DIR", (cache_base + "/auto").c_str(), 1);
    const auto loaded = std::chrono::steady_clock::now();
    auto_model.emplace(load(gen.sbml, false, Backend::Auto));
    ConfigResult& r = results[i_after];
    r.first = simulate_axisim(*auto_model, kConfigs[i_after], r);
    r.first_backend = r.stats.backend;
    // The timed runs are of the steady state: when the engine reports its back-end and the
    // Native load showed how long a compile takes, run on until native code has taken over, or
    // until that time (one and a half times, plus a second) has passed without it.
    bool auto_compiles = true;
#ifdef AXISIM_BENCH_HAVE_NATIVE_CODE
    // As Model's load decides: at load from kAutoNativeMinInstructions, once hot (50 ms of runs)
    // from kAutoNativeHotMinInstructions.
    auto_compiles = sys->program_size() >= axisim::detail::kAutoNativeHotMinInstructions;
#endif
    if (r.first_backend == "interpreter" && auto_compiles && std::isfinite(native_load)) {
      while (r.stats.backend != "native" && seconds_since(loaded) < 1.5 * native_load + 1.0) {
        simulate_axisim(*auto_model, kConfigs[i_after], r);
        ++r.warmup_runs;
      }
      r.warmup_seconds = seconds_since(loaded);
    }
  }

  const bench::ReferenceOptions ref_base{o.end, o.steps, o.atol, o.rtol, base.max_steps,
                                         ReferenceLinearAlgebra::DenseDifferenceQuotient, &hj};
  const bool can_reset_rss = reset_peak_rss();
  for (int round = 0;; ++round) {
    bool ran = false;
    for (std::size_t c = 0; c < kConfigs.size(); ++c) {
      ConfigResult& r = results[c];
      const RunConfig& cfg = kConfigs[c];
      if (!r.skipped.empty()) continue;
      const int k = static_cast<int>(r.samples.size());
      const bool long_run = k >= 1 && r.samples[0] >= o.long_run;
      if (long_run || k >= max_runs || (k >= min_runs && r.total() >= min_total)) continue;
      ran = true;
      long rss_before = -1;
      if (k == 0 && can_reset_rss) {
        reset_peak_rss();
        rss_before = status_kb("VmRSS:");
      }
      double s = 0.0;
      if (cfg.handwritten) {
        bench::ReferenceOptions ro = ref_base;
        ro.linear_algebra = cfg.reference;
        ro.klu_ordering = o.klu_ordering;
        const auto t0 = std::chrono::steady_clock::now();
        const bench::ReferenceRun run = bench::simulate_handwritten(hw, ro);
        s = seconds_since(t0);
        r.ref_stats = run.stats;
        r.final_state = run.final_state;
      } else {
        const axisim::Model& m = cfg.backend == Backend::Native ? *native_model
                                 : cfg.backend == Backend::Auto ? *auto_model
                                                                : *interp_model;
        s = simulate_axisim(m, cfg, r);
      }
      r.samples.push_back(s);
      if (k == 0 && can_reset_rss) {
        r.rss_peak_kb = status_kb("VmHWM:");
        r.rss_growth_kb = r.rss_peak_kb - rss_before;
      }
    }
    if (!ran) break;
  }

  // --- report ---
  const std::size_t i_klu = config_index("hw-klu");
  for (ConfigResult& r : results)
    if (!r.final_state.empty() && !results[i_klu].final_state.empty())
      r.final_difference = final_difference(r.final_state, results[i_klu].final_state);

  std::printf("  simulation 0..%g, %d outputs, atol %g, rtol %g (median of the runs)\n",
              o.end, o.steps, o.atol, o.rtol);
  std::printf("  %-42s %10s %4s %7s %9s %9s %6s %7s %7s %8s %9s  %s\n", "configuration", "ms", "runs", "steps", "rhs",
              "J rhs", "jacs", "setups", "newton", "+MB", "vs hw-klu", "engine: solver / Jacobian / back-end");
  for (std::size_t c = 0; c < kConfigs.size(); ++c) {
    const ConfigResult& r = results[c];
    const RunConfig& cfg = kConfigs[c];
    if (!r.skipped.empty()) {
      if (o.enabled[c]) std::printf("  %-42s %s\n", cfg.label, r.skipped.c_str());
      continue;
    }
    char rss[32] = "-";
    if (r.rss_growth_kb >= 0) std::snprintf(rss, sizeof rss, "%.1f", static_cast<double>(r.rss_growth_kb) / 1024.0);
    if (cfg.handwritten) {
      const bench::ReferenceStats& s = r.ref_stats;
      std::printf("  %-42s %10.1f %4zu %7ld %9ld %9ld %6ld %7ld %7ld %8s %9.2g  %s\n", cfg.label, ms(r.median()),
                  r.samples.size(), s.steps, s.rhs_evaluations + s.jacobian_rhs_evaluations, s.jacobian_rhs_evaluations,
                  s.jacobian_evaluations, s.linear_solver_setups, s.newton_iterations, rss, r.final_difference,
                  bench::linear_algebra_name(cfg.reference));
    } else {
      const axisim::SolverStats& s = r.stats;
      bool derived = false;
      const long jrhs = jacobian_rhs(s, n, &derived);
      char jcell[32], setups[32];
      std::snprintf(jcell, sizeof jcell, "%ld%s", jrhs, derived ? "*" : "");
      if (s.linear_solver_setups > 0 || !s.linear_solver.empty()) std::snprintf(setups, sizeof setups, "%ld", s.linear_solver_setups);
      else std::snprintf(setups, sizeof setups, "-");
      std::printf("  %-42s %10.1f %4zu %7ld %9ld %9s %6ld %7s %7ld %8s %9.2g  %s\n", cfg.label, ms(r.median()),
                  r.samples.size(), s.steps, s.rhs_evaluations, jcell, s.jacobian_evaluations, setups,
                  s.newton_iterations, rss, r.final_difference, engine_says(s).c_str());
      if (!s.linear_solver.empty() || !s.jacobian.empty() || !s.backend.empty()) summary.engine_reports = true;
      summary.axisim_ran = true;
    }
  }
  std::printf("  (J rhs: right-hand sides for difference-quotient Jacobian columns, * = Jacobians x states for an engine that "
              "does not count them; setups: factorisations of the Newton matrix; +MB: growth of the process's peak RSS in the "
              "first run; vs hw-klu: largest difference of the final amounts from the hand-written KLU run's, relative to the largest amount)\n");
  if (active("after")) {
    const ConfigResult& r = results[i_after];
    std::printf("  after, first run right after the load (background native compile, if any): %.1f ms, back-end at its end: %s\n",
                ms(r.first), r.first_backend.empty() ? "(not reported)" : r.first_backend.c_str());
    if (std::isfinite(r.warmup_seconds))
      std::printf("  after, warm-up: %d more runs, %.2f s from the load, until the back-end was %s; the timed runs followed\n",
                  r.warmup_runs, r.warmup_seconds, r.stats.backend.c_str());
  }
  if (native_model && active("after-native"))
    std::printf("  native code: built in %.2f s (SolverStats::native_compile_seconds)\n",
                results[config_index("after-native")].stats.native_compile_seconds);

  auto med = [&](const char* name) { return results[config_index(name)].median(); };
  auto ratio_line = [&](const char* what, double a, double b) {
    if (std::isfinite(a) && std::isfinite(b) && b > 0) std::printf("    %-46s %8.2f\n", what, a / b);
  };
  std::printf("  ratios of simulation times:\n");
  ratio_line("before / after", med("before"), med("after"));
  ratio_line("before / after-native", med("before"), med("after-native"));
  ratio_line("after / hand-written KLU", med("after"), med("hw-klu"));
  ratio_line("after-native / hand-written KLU", med("after-native"), med("hw-klu"));
  ratio_line("sparse-analytic (interpreter) / hand-written KLU", med("sparse-analytic"), med("hw-klu"));
  ratio_line("before / hand-written dense", med("before"), med("hw-dense"));
  ratio_line("hand-written dense / hand-written KLU", med("hw-dense"), med("hw-klu"));
  if (const ConfigResult& k = results[i_klu]; k.skipped.empty() && k.ref_stats.lu_nonzeros > 0) {
    summary.lu_fill = static_cast<double>(k.ref_stats.lu_nonzeros) / static_cast<double>(hj.nonzeros());
    std::printf("  KLU's LU factors (hand-written run, ordering %s): %ld non-zeros, %.1f times the Jacobian's %zu; a dense "
                "matrix has %.0f\n",
                o.klu_ordering == 0 ? "AMD" : o.klu_ordering == 1 ? "COLAMD" : "natural", k.ref_stats.lu_nonzeros,
                summary.lu_fill, hj.nonzeros(), static_cast<double>(n) * static_cast<double>(n));
  }
  if (summary.axisim_ran && !summary.engine_reports)
    std::printf("  NOTE: the engine reports no linear solver, Jacobian or back-end: its switches are not acted on yet, "
                "so every axisim configuration ran interpreted, dense, with difference quotients.\n");
  std::printf("  process: VmHWM %.1f MB so far\n\n", static_cast<double>(status_kb("VmHWM:")) / 1024.0);
  std::fflush(stdout);

  for (std::size_t c = 0; c < kConfigs.size(); ++c) {
    summary.sim[c] = results[c].median();
    summary.steps[c] = kConfigs[c].handwritten ? results[c].ref_stats.steps : results[c].stats.steps;
  }

  // --- JSON ---
  bench::JsonWriter j;
  j.begin_object()
      .field("species", static_cast<long>(size.species))
      .field("reactions", static_cast<long>(size.reactions))
      .field("states", n)
      .field("jacobian_nonzeros", hj.nonzeros())
      .field("sbml_bytes", gen.sbml.size());
  j.begin_object("reaction_kinds");
  for (const auto& [k, count] : kinds) j.field(k, count);
  j.end();
  j.begin_object("checks")
      .field("rhs_max_relative_difference", agreement.max_relative_difference)
      .field("rhs_identical", agreement.identical)
      .field("rhs_compared", agreement.compared)
      .field("jacobian_entries_compared", jac_compared)
      .field("jacobian_worst_error_over_allowance", jac_max_error)
      .end();
  j.begin_object("load");
  json_timing(j, "validated", t_load);
  json_timing(j, "unvalidated", t_load_unvalidated);
  j.field("native_waited_s", native_load);
  j.end();
  j.begin_object("per_evaluation");
  json_timing(j, "rhs_axisim_bytecode", rhs_interp);
  if (rhs_native.samples) json_timing(j, "rhs_axisim_native", rhs_native);
  else j.field("rhs_axisim_native_note", native_note);
  json_timing(j, "rhs_handwritten", rhs_hw);
  json_timing(j, "jacobian_handwritten", jac_hw);
  j.end();
  j.begin_array("configurations");
  for (std::size_t c = 0; c < kConfigs.size(); ++c) {
    const ConfigResult& r = results[c];
    const RunConfig& cfg = kConfigs[c];
    j.begin_object().field("name", cfg.name).field("label", cfg.label);
    if (!r.skipped.empty()) {
      j.field("skipped", r.skipped).end();
      continue;
    }
    json_timing(j, "simulate", r.timing());
    if (std::isfinite(r.first))
      j.field("first_run_after_load_s", r.first)
          .field("first_run_backend", r.first_backend)
          .field("warmup_runs", r.warmup_runs)
          .field("warmup_until_s", r.warmup_seconds);
    j.field("final_state_difference_from_hw_klu", r.final_difference);
    j.field("rss_peak_kb", r.rss_peak_kb).field("rss_growth_kb", r.rss_growth_kb);
    if (cfg.handwritten) json_ref_stats(j, "stats", r.ref_stats);
    else json_stats(j, "stats", r.stats, n);
    j.end();
  }
  j.end();
  j.begin_object("ratios")
      .field("rhs_bytecode_over_handwritten", rhs_interp.median / rhs_hw.median)
      .field("rhs_native_over_handwritten", rhs_native.samples ? rhs_native.median / rhs_hw.median : kNaN)
      .field("before_over_after", med("before") / med("after"))
      .field("before_over_after_native", med("before") / med("after-native"))
      .field("after_over_hw_klu", med("after") / med("hw-klu"))
      .field("after_native_over_hw_klu", med("after-native") / med("hw-klu"))
      .field("before_over_hw_dense", med("before") / med("hw-dense"))
      .field("hw_dense_over_hw_klu", med("hw-dense") / med("hw-klu"))
      .end();
  j.field("engine_reports_what_ran", summary.engine_reports);
  j.field("lu_fill_handwritten_klu", summary.lu_fill);
  j.field("process_vmhwm_kb", status_kb("VmHWM:"));
  j.end();
  json_out = j.str();
  return 0;
}

// --- the flagship model's fibre scenario ------------------------------------------------------

int run_flagship(const Options& o, std::string& json_out) {
  const axisim::Scenario sc = axisim::Scenario::load(o.scenario);
  struct Flag {
    const char* name;
    const char* label;
    Backend backend;
    LinearSolver ls;
    JacobianKind jk;
  };
  const std::vector<Flag> flags = {
      {"before", "before: interpreter, dense, numeric", Backend::Interpreter, LinearSolver::Dense, JacobianKind::Numeric},
      {"after", "after: all Auto", Backend::Auto, LinearSolver::Auto, JacobianKind::Auto},
      {"after-native", "after: Native (waited), Auto", Backend::Native, LinearSolver::Auto, JacobianKind::Auto},
  };
  std::vector<axisim::Model> models;
  std::vector<double> load_s;
  for (const Flag& f : flags) {
    axisim::LoadOptions lo;
    lo.backend = f.backend;
    const auto t0 = std::chrono::steady_clock::now();
    models.push_back(axisim::Model::from_file(sc.model_path, lo));
    load_s.push_back(seconds_since(t0));
    sc.apply(models.back());
  }
  const std::vector<axisim::OutputSpec> outputs = sc.outputs();
  std::vector<std::vector<double>> samples(flags.size());
  std::vector<axisim::SolverStats> stats(flags.size());
  const int repeats = o.quick ? 3 : std::max(1, o.flagship_repeats);
  // "One more run" of a model that has been run before: a second of runs first, so that what
  // the engine does for a model run repeatedly (Auto builds native code once it is hot) is done.
  for (std::size_t i = 0; i < flags.size(); ++i) {
    axisim::SimulationOptions so = sc.options;
    so.linear_solver = flags[i].ls;
    so.jacobian = flags[i].jk;
    const auto t0 = std::chrono::steady_clock::now();
    while (seconds_since(t0) < (o.quick ? 0.2 : 1.0)) models[i].simulate(so, outputs);
  }
  for (int k = 0; k < repeats; ++k)
    for (std::size_t i = 0; i < flags.size(); ++i) {
      axisim::SimulationOptions so = sc.options;
      so.linear_solver = flags[i].ls;
      so.jacobian = flags[i].jk;
      const auto t0 = std::chrono::steady_clock::now();
      const axisim::Result r = models[i].simulate(so, outputs);
      samples[i].push_back(seconds_since(t0));
      if (!r.error.empty()) throw std::runtime_error(r.error);
      stats[i] = r.stats;
    }
  std::printf("== flagship: scenario %s (%s), one more run of the loaded model after 1 s of runs, %d repetitions (median)\n",
              sc.name.c_str(), o.scenario.c_str(), repeats);
  std::printf("  %-38s %9s %9s %7s %9s %6s %7s  %s\n", "configuration", "load ms", "sim ms", "steps", "rhs", "jacs",
              "newton", "engine: solver / Jacobian / back-end");
  bench::JsonWriter j;
  j.begin_object().field("scenario", o.scenario).field("name", sc.name).field("repetitions", repeats);
  j.begin_array("configurations");
  std::vector<double> med(flags.size());
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const bench::Timing t = bench::summarize(samples[i]);
    med[i] = t.median;
    const axisim::SolverStats& s = stats[i];
    std::printf("  %-38s %9.1f %9.2f %7ld %9ld %6ld %7ld  %s\n", flags[i].label, ms(load_s[i]), ms(t.median), s.steps,
                s.rhs_evaluations, s.jacobian_evaluations, s.newton_iterations, engine_says(s).c_str());
    j.begin_object().field("name", flags[i].name).field("label", flags[i].label).field("load_s", load_s[i]);
    json_timing(j, "simulate", t);
    json_stats(j, "stats", s, 0);
    j.end();
  }
  j.end();
  std::printf("  ratio before / after: %.2f; before / after-native: %.2f\n\n", med[0] / med[1], med[0] / med[2]);
  j.field("before_over_after", med[0] / med[1]).field("before_over_after_native", med[0] / med[2]);
  j.end();
  json_out = j.str();
  return 0;
}

// --- processes -----------------------------------------------------------------------------------

struct ChildResult {
  int exit_code = 1;
  long max_rss_kb = -1;  // the child's peak RSS (getrusage via wait4)
  SizeSummary summary;
  bool has_summary = false;
  std::string json;
};

// Runs `work` in a fresh child process: its memory and its peak RSS are its own, and whatever
// threads the runtime starts end with it. The parent starts none, so fork is safe.
ChildResult in_child(const std::string& json_file, const std::function<int(SizeSummary&, std::string&)>& work) {
  ChildResult out;
  int fd[2];
  if (::pipe(fd) != 0) throw std::runtime_error("pipe failed");
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::close(fd[0]);
    int code = 1;
    try {
      SizeSummary s;
      std::string json;
      code = work(s, json);
      if (code == 0) {
        std::ofstream(json_file) << json;
        if (::write(fd[1], &s, sizeof s) != static_cast<ssize_t>(sizeof s)) code = 1;
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "scale_bench: %s\n", e.what());
      code = 1;
    }
    std::fflush(nullptr);
    ::_exit(code);
  }
  ::close(fd[1]);
  SizeSummary s;
  out.has_summary = ::read(fd[0], &s, sizeof s) == static_cast<ssize_t>(sizeof s);
  if (out.has_summary) out.summary = s;
  ::close(fd[0]);
  int status = 0;
  rusage ru{};
  if (::wait4(pid, &status, 0, &ru) < 0) throw std::runtime_error("wait4 failed");
  out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  out.max_rss_kb = ru.ru_maxrss;
  if (out.exit_code == 0) {
    std::ifstream in(json_file);
    std::stringstream text;
    text << in.rdbuf();
    out.json = text.str();
  }
  return out;
}

std::string cell(double seconds) {
  char buf[32];
  if (!std::isfinite(seconds)) return "-";
  std::snprintf(buf, sizeof buf, "%.1f", ms(seconds));
  return buf;
}

std::string ratio_cell(double a, double b) {
  char buf[32];
  if (!std::isfinite(a) || !std::isfinite(b) || b <= 0) return "-";
  std::snprintf(buf, sizeof buf, "%.2f", a / b);
  return buf;
}

}  // namespace

int main(int argc, char** argv) try {
  Options o;
  CLI::App app{"scale_bench: load and simulation times against model size, before and after the sparse Jacobian "
               "and native code, against the hand-written model (KLU + analytic Jacobian)"};
  std::string sizes_option, configs_option;
  app.add_option("--sizes", sizes_option,
                 "comma-separated SPECIES/REACTIONS (default: 50/150,100/300,200/600,300/1000,600/2000,1500/5000,3000/10000)");
  app.add_option("--max-reactions", o.max_reactions, "skip sizes with more reactions (default 10000; 1000 with --quick)");
  app.add_option("--before-max-reactions", o.before_max_reactions,
                 "run axisim 'before' and the hand-written dense reference only up to this many reactions")
      ->capture_default_str();
  app.add_option("--dense-max-reactions", o.dense_max_reactions,
                 "run axisim's other dense configuration (dense-analytic) only up to this many reactions")
      ->capture_default_str();
  std::string all_names;
  for (const RunConfig& c : kConfigs) all_names += std::string(all_names.empty() ? "" : ",") + c.name;
  app.add_option("--configs", configs_option, "comma-separated configurations to run (default: all of " + all_names + ")");
  app.add_option("--seed", o.seed, "generator seed")->capture_default_str();
  app.add_option("--module-size", o.module_size,
                 "generator topology: species per module (pathway-like); 0 = a uniform random network, "
                 "axisim_bench's, on which sparse LU fills in")
      ->capture_default_str();
  app.add_option("--cross-module", o.cross_module, "generator topology: share of links drawn from outside the module")
      ->capture_default_str();
  app.add_option("--klu-ordering", o.klu_ordering, "the hand-written reference's KLU ordering: 0 AMD, 1 COLAMD, 2 natural")
      ->capture_default_str();
  app.add_option("--end", o.end, "simulated time")->capture_default_str();
  app.add_option("--steps", o.steps, "output intervals")->capture_default_str();
  app.add_option("--atol", o.atol, "absolute tolerance")->capture_default_str();
  app.add_option("--rtol", o.rtol, "relative tolerance")->capture_default_str();
  app.add_option("--long-run", o.long_run, "seconds: a configuration whose first run takes longer is run once")
      ->capture_default_str();
  app.add_flag("--quick", o.quick, "one run per configuration, sizes up to 1,000 reactions: a smoke test");
  app.add_option("--scenario", o.scenario, "the flagship scenario timed at the end")->capture_default_str();
  app.add_option("--flagship-repeats", o.flagship_repeats, "repetitions of each flagship run")->capture_default_str();
  bool no_flagship = false;
  app.add_flag("--no-flagship", no_flagship, "skip the flagship scenario");
  app.add_option("--json", o.json, "also write the results as JSON to this file")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  CLI11_PARSE(app, argc, argv);
  o.flagship = !no_flagship && !o.scenario.empty();
  if (o.max_reactions < 0) o.max_reactions = o.quick ? 1000 : 10000;
  if (!sizes_option.empty()) {
    o.sizes.clear();
    for (const std::string& s : bench::split_commas(sizes_option)) {
      const auto slash = s.find('/');
      if (slash == std::string::npos) throw CLI::ValidationError("--sizes", "expected SPECIES/REACTIONS, got '" + s + "'");
      o.sizes.push_back({std::stoi(s.substr(0, slash)), std::stoi(s.substr(slash + 1))});
    }
  }
  if (!configs_option.empty()) {
    o.enabled.assign(kNumConfigs, false);
    for (const std::string& name : bench::split_commas(configs_option)) {
      const std::size_t i = config_index(name);
      if (i == kConfigs.size()) throw CLI::ValidationError("--configs", "unknown configuration '" + name + "' (known: " + all_names + ")");
      o.enabled[i] = true;
    }
  }
    if (kConfigs.size() != kNumConfigs) throw std::logic_error("kNumConfigs");
  spdlog::set_level(spdlog::level::warn);

  char dir_template[] = "/tmp/axisim-scale-bench-XXXXXX";
  if (!::mkdtemp(dir_template)) throw std::runtime_error("cannot create a temporary directory");
  o.work_dir = dir_template;

  const std::string cpu = bench::cpu_model();
  const unsigned cpus = std::thread::hardware_concurrency();
  const std::string started = bench::now_utc(), load_before = bench::load_average();
  std::printf("axisim scale benchmark — %s\n", started.c_str());
  std::printf("machine: %s, %u CPUs, load average %s; build: %s, GCC %s; SUNDIALS %s%s\n", cpu.c_str(), cpus,
              load_before.c_str(), AXISIM_BENCH_BUILD_TYPE, __VERSION__, SUNDIALS_VERSION,
              o.quick ? "; --quick (one run each: not worth quoting)" : "");
  if (o.module_size > 0)
    std::printf("network: seed %llu, modules of %d species, %g of the links between modules\n",
                static_cast<unsigned long long>(o.seed), o.module_size, o.cross_module);
  else
    std::printf("network: seed %llu, uniform random (no modules)\n", static_cast<unsigned long long>(o.seed));
  std::printf("sizes (species/reactions):");
  for (const auto& s : o.sizes)
    std::printf(" %d/%d%s", s.species, s.reactions, s.reactions > o.max_reactions ? " (skipped: --max-reactions)" : "");
  std::printf("\n\n");

  std::vector<ChildResult> done;
  int exit_code = 0;
  for (std::size_t k = 0; k < o.sizes.size(); ++k) {
    const bench::ModelSize size = o.sizes[k];
    if (size.reactions > o.max_reactions) continue;
    const std::string base = o.work_dir + "/size-" + std::to_string(k);
    ChildResult r = in_child(base + ".json", [&](SizeSummary& s, std::string& json) {
      SizeRun run{o, size, base + "-cache"};
      return run.run(s, json);
    });
    if (r.exit_code != 0) {
      std::fprintf(stderr, "scale_bench: the size %d/%d failed (exit code %d)\n", size.species, size.reactions, r.exit_code);
      exit_code = r.exit_code;
      break;
    }
    std::printf("  peak RSS of this size's process (all configurations, getrusage): %.1f MB\n\n",
                static_cast<double>(r.max_rss_kb) / 1024.0);
    done.push_back(std::move(r));
  }

  ChildResult flagship;
  if (exit_code == 0 && o.flagship) {
    flagship = in_child(o.work_dir + "/flagship.json", [&](SizeSummary&, std::string& json) { return run_flagship(o, json); });
    if (flagship.exit_code != 0) std::fprintf(stderr, "scale_bench: the flagship scenario failed\n");
  }

  // --- summary ---
  if (!done.empty()) {
    std::printf("== summary: simulation ms (median) by size; ratios of simulation times\n");
    std::printf("%9s %6s %9s %9s %8s %8s %8s %10s %9s %9s %9s %9s %9s %8s %8s %8s %8s\n", "reactions", "states",
                "load ms", "load* ms", "rhs ax", "rhs nat", "rhs hw", "before", "after", "native", "sp-an-int", "hw-klu",
                "hw-dense", "bef/aft", "aft/hw", "bef/hwd", "RSS MB");
    bool engine_reports = false, axisim_ran = false;
    for (const ChildResult& r : done) {
      const SizeSummary& s = r.summary;
      engine_reports = engine_reports || s.engine_reports;
      axisim_ran = axisim_ran || s.axisim_ran;
      auto sim = [&](const char* name) { return s.sim[config_index(name)]; };
      auto us = [](double sec) {
        char buf[32];
        if (!std::isfinite(sec)) return std::string("-");
        std::snprintf(buf, sizeof buf, "%.2f", sec * 1e6);
        return std::string(buf);
      };
      std::printf("%9d %6ld %9s %9s %8s %8s %8s %10s %9s %9s %9s %9s %9s %8s %8s %8s %8.1f\n", s.reactions, s.states,
                  cell(s.load).c_str(), cell(s.load_unvalidated).c_str(), us(s.rhs_interpreter).c_str(),
                  us(s.rhs_native).c_str(), us(s.rhs_handwritten).c_str(), cell(sim("before")).c_str(),
                  cell(sim("after")).c_str(), cell(sim("after-native")).c_str(), cell(sim("sparse-analytic")).c_str(),
                  cell(sim("hw-klu")).c_str(), cell(sim("hw-dense")).c_str(),
                  ratio_cell(sim("before"), sim("after")).c_str(), ratio_cell(sim("after"), sim("hw-klu")).c_str(),
                  ratio_cell(sim("before"), sim("hw-dense")).c_str(), static_cast<double>(r.max_rss_kb) / 1024.0);
    }
    std::printf("load* = without consistency checks; rhs in us per evaluation (ax = bytecode, nat = native code); "
                "bef/aft = before / after, aft/hw = after / hand-written KLU, bef/hwd = before / hand-written dense\n");
    if (axisim_ran)
      std::printf("engine switches effective: %s\n",
                  engine_reports ? "yes (the engine reports what ran)"
                                 : "NO — SolverStats names no linear solver, Jacobian or back-end: every axisim run was "
                                   "interpreted, dense, numeric");
  }
  const std::string load_after = bench::load_average();
  std::printf("load average at the end: %s (%u CPUs)\n", load_after.c_str(), cpus);

  if (!o.json.empty() && !done.empty()) {
    bench::JsonWriter j;
    j.begin_object();
    j.field("timestamp", started).field("quick", o.quick);
    j.begin_object("machine")
        .field("cpu", cpu)
        .field("cpus", static_cast<long>(cpus))
        .field("load_average_before", load_before)
        .field("load_average_after", load_after)
        .field("build_type", AXISIM_BENCH_BUILD_TYPE)
        .field("compiler", __VERSION__)
        .field("sundials", SUNDIALS_VERSION)
        .end();
    j.begin_object("settings")
        .field("seed", static_cast<long>(o.seed))
        .field("module_size", o.module_size)
        .field("cross_module", o.cross_module)
        .field("klu_ordering", o.klu_ordering)
        .field("end", o.end)
        .field("steps", o.steps)
        .field("atol", o.atol)
        .field("rtol", o.rtol)
        .field("before_max_reactions", o.before_max_reactions)
        .field("dense_max_reactions", o.dense_max_reactions)
        .field("long_run_s", o.long_run)
        .end();
    bool engine_reports = false;
    for (const ChildResult& r : done) engine_reports = engine_reports || r.summary.engine_reports;
    j.field("engine_reports_what_ran", engine_reports);
    j.begin_array("sizes");
    for (const ChildResult& r : done) {
      j.begin_object().field("peak_rss_kb", r.max_rss_kb).raw("result", r.json).end();
    }
    j.end();
    if (flagship.exit_code == 0 && !flagship.json.empty())
      j.begin_object("flagship").field("peak_rss_kb", flagship.max_rss_kb).raw("result", flagship.json).end();
    j.end();
    if (const fs::path parent = fs::path(o.json).parent_path(); !parent.empty()) fs::create_directories(parent);
    std::ofstream out(o.json);
    out << j.str() << '\n';
    if (!out) throw std::runtime_error("cannot write " + o.json);
    std::printf("JSON written to %s\n", o.json.c_str());
  }
  std::error_code ec;
  fs::remove_all(o.work_dir, ec);
  return exit_code;
} catch (const std::exception& e) {
  std::fprintf(stderr, "scale_bench: %s\n", e.what());
  return 1;
}
