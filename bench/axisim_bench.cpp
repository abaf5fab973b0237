// axisim_bench — how fast axisim loads and simulates models, measured against hand-written C++.
//
// Run it with bench/run.sh (builds, runs, writes bench/results/latest.json). It reports, in one
// run on one machine:
//   1. load time (parse + validate + compile) and simulation time of a few SBML Test Suite
//      models and of a generated network with hundreds of reactions (generate_model.hpp);
//   2. right-hand-side evaluations per second: axisim's compiled bytecode against the same
//      network written in C++ (handwritten_rhs.hpp), and their ratio;
//   3. the full simulation of the generated network: axisim against the same CVODE setup driving
//      the hand-written right-hand side (reference_cvode.hpp), and their ratio, with the solver
//      statistics of both and an estimate of where the time goes (right-hand side, difference-
//      quotient Jacobian, dense LU, dense solves). axisim runs as before the sparse Jacobian and
//      native code (Backend::Interpreter, LinearSolver::Dense, JacobianKind::Numeric); how the
//      other settings scale with the model's size is scale_bench's subject.
// Every figure is a median over repetitions; the two sides of a ratio are timed alternately.
// Before timing anything it checks that axisim and the hand-written code compute the same
// derivatives, and exits with code 3 if they do not: a ratio between two different functions
// would mean nothing.
//
// Load and simulation timings go through the public axisim::Model API, as a user would. The
// benchmark reaches into runtime/src only to time the right-hand side alone (CompiledSystem)
// and the load's phases (read_sbml, build_ir).

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <sundials/sundials_config.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "command_line.hpp"
#include "machine.hpp"
#include "axisim/model.hpp"
#include "agreement.hpp"
#include "axisim/suite_settings.hpp"
#include "compile/compiled_system.hpp"
#include "generate_model.hpp"
#include "handwritten_rhs.hpp"
#include "sbml/ir_from_sbml.hpp"
#include "json_writer.hpp"
#include "reference_cvode.hpp"
#include "sbml/sbml_document.hpp"
#include "timing.hpp"

#ifndef AXISIM_BENCH_SUITE_DIR
#define AXISIM_BENCH_SUITE_DIR ""
#endif
#ifndef AXISIM_BENCH_BUILD_TYPE
#define AXISIM_BENCH_BUILD_TYPE "unknown"
#endif

namespace fs = std::filesystem;
using axisim::detail::CompiledSystem;
using axisim::detail::SbmlSource;
using axisim::detail::Workspace;

namespace {

// Suite cases timed by default: plain mass action (00001, 00028), a rate rule (00033), an
// assignment rule (00038), a function definition in a zero-dimensional compartment (00100), a
// larger model with many assignment rules (01395) and one with uncommon MathML (01564).
const std::vector<std::string> kDefaultCases = {"00001", "00028", "00033", "00038", "00100", "01395", "01564"};

struct Config {
  std::string suite = AXISIM_BENCH_SUITE_DIR;
  std::vector<std::string> cases = kDefaultCases;
  std::string json;
  std::string write_model;
  bench::GeneratorOptions generator;
  double end = 100.0;  // simulated time of the generated model
  int steps = 100;
  double rtol = 1e-8;  // axisim's defaults (SimulationOptions)
  double atol = 1e-12;
  bool quick = false;
};

// One row of the load-and-simulate table.
struct ModelRow {
  std::string name;
  std::string note;  // why it was skipped, if it was
  std::size_t states = 0;
  std::size_t reactions = 0;
  bench::Timing load;             // Model::from_file / from_string, libSBML validation included
  bench::Timing load_unvalidated; // the same with LoadOptions::validate = false
  bench::Timing simulate;
  bench::Timing rhs;              // one CompiledSystem::derivatives call at the initial state
  axisim::SolverStats stats;
};

// --- axisim internals ----------------------------------------------------------------------------

// What Model::from_* does inside, step by step, so the steps can be timed and the compiled
// system used directly.
std::unique_ptr<CompiledSystem> compile(const SbmlSource& source, bool validate) {
  auto doc = axisim::detail::read_sbml(source, validate);
  return std::make_unique<CompiledSystem>(axisim::detail::build_ir(*doc, source.label()));
}

// Seconds per CompiledSystem::derivatives call at the model's initial state.
bench::Timing time_axisim_rhs(const CompiledSystem& sys, const bench::RepeatPolicy& policy) {
  Workspace ws = sys.make_workspace();
  sys.initialize(ws, {});
  std::vector<double> y(sys.num_states()), ydot(sys.num_states());
  sys.gather_state(ws, y.data());
  return bench::measure_batched([&] { sys.derivatives(0.0, y.data(), ydot.data(), ws); }, policy);
}

std::size_t count_reactions(const axisim::Model& m) {
  std::size_t n = 0;
  for (const std::string& id : m.ids())
    if (m.kind(id) == axisim::SymbolKind::Reaction) ++n;
  return n;
}

// --- suite models --------------------------------------------------------------------------------

// Accepts the suite's root (holding cases/) or its cases/ folder itself.
std::optional<fs::path> cases_dir(const std::string& suite) {
  if (suite.empty()) return std::nullopt;
  if (fs::is_directory(fs::path(suite) / "cases")) return fs::path(suite) / "cases";
  if (fs::is_directory(fs::path(suite) / "00001")) return fs::path(suite);
  return std::nullopt;
}

ModelRow bench_suite_case(const fs::path& cases, const std::string& id, const bench::RepeatPolicy& policy) {
  ModelRow row;
  row.name = id;
  fs::path model = cases / id / (id + "-sbml-l3v2.xml");
  if (!fs::exists(model)) model = cases / id / (id + "-sbml-l2v4.xml");
  const fs::path settings_file = cases / id / (id + "-settings.txt");
  if (!fs::exists(model) || !fs::exists(settings_file)) {
    row.note = "not in the suite";
    return row;
  }
  try {
    const auto settings = axisim::SuiteSettings::parse_file(settings_file.string());
    const axisim::SimulationOptions options = settings.simulation_options();
    const std::vector<axisim::OutputSpec> outputs = settings.outputs();

    row.load = bench::measure([&] { axisim::Model::from_file(model.string()); }, policy);
    row.load_unvalidated = bench::measure([&] { axisim::Model::from_file(model.string(), {false}); }, policy);
    const axisim::Model m = axisim::Model::from_file(model.string());
    row.reactions = count_reactions(m);
    axisim::Result result;
    row.simulate = bench::measure([&] { result = m.simulate(options, outputs); }, policy);
    row.stats = result.stats;

    SbmlSource src;
    src.path = model.string();
    const auto sys = compile(src, false);
    row.states = sys->num_states();
    if (row.states > 0) row.rhs = time_axisim_rhs(*sys, policy);
  } catch (const std::exception& e) {
    row.note = std::string("failed: ") + e.what();
  }
  return row;
}

// Largest difference between two runs' final amounts, relative to max(|amount|, atol).
double final_state_difference(const axisim::Result& r, const std::vector<double>& reference, double atol) {
  double worst = 0.0;
  const std::size_t last = r.rows() - 1;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const double a = r.at(last, i + 1), b = reference[i];
    worst = std::max(worst, std::abs(a - b) / std::max(std::abs(b), atol));
  }
  return worst;
}

// Where a simulation's time goes, estimated as counts from the solver statistics times unit costs
// measured in the same run. `rest` is what the estimates do not cover.
struct TimeSplit {
  double total = 0.0;
  double rhs_solver = 0.0;    // right-hand sides CVODE asks for in its steps and Newton iterations
  double rhs_jacobian = 0.0;  // right-hand sides for difference-quotient Jacobian columns
  double lu = 0.0;
  double solves = 0.0;
  double rest = 0.0;
};

TimeSplit split_time(double total, long rhs_total, long rhs_jacobian, long setups, long newton_iterations,
                     double rhs_seconds, const bench::DenseCosts& dense) {
  TimeSplit t;
  t.total = total;
  t.rhs_solver = static_cast<double>(rhs_total - rhs_jacobian) * rhs_seconds;
  t.rhs_jacobian = static_cast<double>(rhs_jacobian) * rhs_seconds;
  t.lu = static_cast<double>(setups) * dense.setup.median;
  t.solves = static_cast<double>(newton_iterations) * dense.solve.median;
  t.rest = total - t.rhs_solver - t.rhs_jacobian - t.lu - t.solves;
  return t;
}

void json_split(bench::JsonWriter& j, const char* key, const TimeSplit& t) {
  j.begin_object(key)
      .field("rhs_solver_s", t.rhs_solver)
      .field("rhs_jacobian_s", t.rhs_jacobian)
      .field("lu_setups_s", t.lu)
      .field("solves_s", t.solves)
      .field("rest_s", t.rest)
      .end();
}

// --- output --------------------------------------------------------------------------------------

double ms(double seconds) { return seconds * 1e3; }

void print_timing_cell(const bench::Timing& t) {
  if (t.samples == 0) std::printf(" %10s", "-");
  else std::printf(" %10.3f", ms(t.median));
}

void print_model_table(const std::vector<ModelRow>& rows) {
  std::printf("%-12s %6s %9s %10s %10s %10s %8s %10s %10s\n", "model", "states", "reactions", "load ms",
              "load ms*", "sim ms", "steps", "rhs evals", "rhs us");
  for (const ModelRow& r : rows) {
    if (!r.note.empty()) {
      std::printf("%-12s %s\n", r.name.c_str(), r.note.c_str());
      continue;
    }
    std::printf("%-12s %6zu %9zu", r.name.c_str(), r.states, r.reactions);
    print_timing_cell(r.load);
    print_timing_cell(r.load_unvalidated);
    print_timing_cell(r.simulate);
    std::printf(" %8ld %10ld", r.stats.steps, r.stats.rhs_evaluations);
    if (r.rhs.samples == 0) std::printf(" %10s\n", "-");
    else std::printf(" %10.3f\n", r.rhs.median * 1e6);
  }
  std::printf("load ms* = without libSBML's consistency checks (LoadOptions::validate = false); "
              "rhs us = one right-hand side at the initial state\n");
}

void json_timing(bench::JsonWriter& j, const char* key, const bench::Timing& t) {
  j.begin_object(key).field("median_s", t.median).field("min_s", t.min).field("samples", t.samples).end();
}

void json_stats(bench::JsonWriter& j, const char* key, const axisim::SolverStats& s) {
  j.begin_object(key)
      .field("steps", s.steps)
      .field("rhs_evaluations", s.rhs_evaluations)
      .field("jacobian_evaluations", s.jacobian_evaluations)
      .field("newton_iterations", s.newton_iterations)
      .field("error_test_failures", s.error_test_failures)
      .field("convergence_failures", s.convergence_failures)
      .end();
}

void json_model(bench::JsonWriter& j, const ModelRow& r) {
  j.begin_object().field("name", r.name);
  if (!r.note.empty()) {
    j.field("skipped", r.note).end();
    return;
  }
  j.field("states", r.states).field("reactions", r.reactions);
  json_timing(j, "load", r.load);
  json_timing(j, "load_without_validation", r.load_unvalidated);
  json_timing(j, "simulate", r.simulate);
  json_timing(j, "rhs", r.rhs);
  json_stats(j, "stats", r.stats);
  j.end();
}

}  // namespace

int main(int argc, char** argv) try {
  Config cfg;
  CLI::App app{"axisim benchmark: load and simulation times, right-hand-side throughput against hand-written C++"};
  std::string cases_option;
  app.add_option("--suite", cfg.suite, "SBML Test Suite folder (its root or its cases/ folder)")
      ->default_str(cfg.suite);
  app.add_option("--cases", cases_option, "comma-separated suite cases to time (default: a fixed handful)");
  // The last --json wins, so that `bench/run.sh --json FILE` overrides run.sh's own.
  app.add_option("--json", cfg.json, "also write the results as JSON to this file")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--write-model", cfg.write_model, "write the generated SBML model to this file");
  app.add_option("--seed", cfg.generator.seed, "generated model: random seed")->capture_default_str();
  app.add_option("--species", cfg.generator.species, "generated model: species")->capture_default_str();
  app.add_option("--reactions", cfg.generator.reactions, "generated model: reactions")->capture_default_str();
  app.add_option("--rules", cfg.generator.rules, "generated model: assignment rules")->capture_default_str();
  app.add_option("--end", cfg.end, "generated model: simulated time")->capture_default_str();
  app.add_option("--steps", cfg.steps, "generated model: output intervals")->capture_default_str();
  app.add_option("--rtol", cfg.rtol, "generated model: relative tolerance")->capture_default_str();
  app.add_option("--atol", cfg.atol, "generated model: absolute tolerance")->capture_default_str();
  app.add_flag("--quick", cfg.quick, "fewer repetitions: a smoke test, not a measurement");
  CLI11_PARSE(app, argc, argv);
  if (!cases_option.empty()) cfg.cases = bench::split_commas(cases_option);
  spdlog::set_level(spdlog::level::warn);  // keep the runtime's info logging out of the table

  const bench::RepeatPolicy policy = cfg.quick ? bench::RepeatPolicy{3, 20, 0.05} : bench::RepeatPolicy{7, 1000, 0.5};
  const bench::RepeatPolicy slow_policy = cfg.quick ? bench::RepeatPolicy{1, 1, 0.0} : bench::RepeatPolicy{5, 50, 2.0};

  const std::string cpu = bench::cpu_model();
  const unsigned cpus = std::thread::hardware_concurrency();
  std::printf("axisim benchmark — %s\n", bench::now_utc().c_str());
  const std::string load_before = bench::load_average();
  std::printf("machine: %s, %u CPUs, load average %s; build: %s, GCC %s; SUNDIALS %s, libSBML %s%s\n\n", cpu.c_str(),
              cpus, load_before.c_str(), AXISIM_BENCH_BUILD_TYPE, __VERSION__, SUNDIALS_VERSION,
              getLibSBMLDottedVersion(), cfg.quick ? "; --quick (too few repetitions to quote)" : "");

  // --- 1. suite models ---
  std::vector<ModelRow> rows;
  const auto cases = cases_dir(cfg.suite);
  std::string suite_note;
  if (!cases) {
    suite_note = "SBML Test Suite not found at '" + cfg.suite + "' (use --suite DIR); suite models skipped";
  } else {
    for (const std::string& id : cfg.cases) rows.push_back(bench_suite_case(*cases, id, policy));
  }

  // --- the generated model ---
  const bench::GeneratedModel gen = bench::generate_model(cfg.generator);
  if (!cfg.write_model.empty()) std::ofstream(cfg.write_model) << gen.sbml;
  std::map<std::string, int> kinds;
  for (const auto& r : gen.reactions) ++kinds[bench::kinetics_name(r.kind)];
  const bench::HandwrittenRhs hw(gen);

  SbmlSource gen_source;
  gen_source.text = gen.sbml;
  // Load phases, as Model::from_string runs them: libSBML parse and consistency checks, the
  // conversion to axisim's IR, and the compilation to bytecode.
  bench::Timing t_read_validated = bench::measure([&] { axisim::detail::read_sbml(gen_source, true); }, slow_policy);
  const auto doc = axisim::detail::read_sbml(gen_source, false);
  bench::Timing t_read = bench::measure([&] { axisim::detail::read_sbml(gen_source, false); }, slow_policy);
  bench::Timing t_ir = bench::measure([&] { axisim::detail::build_ir(*doc, "<generated>"); }, slow_policy);
  bench::Timing t_compile = bench::measure_with_setup(
      [&] { return axisim::detail::build_ir(*doc, "<generated>"); },
      [](axisim::detail::ModelIR ir) { return std::make_unique<CompiledSystem>(std::move(ir)); }, slow_policy);
  const CompiledSystem sys(axisim::detail::build_ir(*doc, "<generated>"));

  const bench::Agreement agreement = bench::check_agreement(sys, hw, cfg.generator.seed);

  ModelRow grow;
  grow.name = "generated";
  grow.states = sys.num_states();
  grow.reactions = gen.reactions.size();
  grow.load = bench::measure([&] { axisim::Model::from_string(gen.sbml); }, slow_policy);
  grow.load_unvalidated = bench::measure([&] { axisim::Model::from_string(gen.sbml, {false}); }, slow_policy);

  // --- 2. right-hand side throughput, both at the initial state, alternating ---
  bench::Timing hw_rhs;
  {
    Workspace ws = sys.make_workspace();
    sys.initialize(ws, {});
    std::vector<double> y_ax(sys.num_states()), ydot_ax(sys.num_states());
    sys.gather_state(ws, y_ax.data());
    std::vector<double> y_hw = hw.initial_state(), ydot_hw(hw.num_states());
    std::tie(grow.rhs, hw_rhs) =
        bench::measure_batched_interleaved([&] { sys.derivatives(0.0, y_ax.data(), ydot_ax.data(), ws); },
                                           [&] { hw(y_hw.data(), ydot_hw.data()); }, policy);
  }

  // --- 3. full simulation ---
  // axisim as it was before the sparse Jacobian and native code (interpreter, dense LU, CVODE's
  // difference quotients), the set-up the hand-written reference reproduces; scale_bench
  // measures the other settings.
  axisim::LoadOptions before_load;
  before_load.backend = axisim::Backend::Interpreter;
  const axisim::Model model = axisim::Model::from_string(gen.sbml, before_load);
  axisim::SimulationOptions sim;
  sim.linear_solver = axisim::LinearSolver::Dense;
  sim.jacobian = axisim::JacobianKind::Numeric;
  sim.end = cfg.end;
  sim.steps = cfg.steps;
  sim.rtol = cfg.rtol;
  sim.atol = cfg.atol;
  // Amounts in species index order: directly comparable with the hand-written state.
  std::vector<axisim::OutputSpec> outputs;
  for (std::size_t i = 0; i < gen.num_species(); ++i)
    outputs.push_back({bench::GeneratedModel::species_id(i), axisim::Quantity::Amount});
  const bench::ReferenceOptions ref_options{cfg.end, cfg.steps, cfg.atol, cfg.rtol, sim.max_steps};
  axisim::Result ax_result;
  bench::ReferenceRun ref;
  bench::Timing ref_sim;
  std::tie(grow.simulate, ref_sim) =
      bench::measure_interleaved([&] { ax_result = model.simulate(sim, outputs); },
                                 [&] { ref = bench::simulate_handwritten(hw, ref_options); }, slow_policy);
  grow.stats = ax_result.stats;
  const double final_diff = final_state_difference(ax_result, ref.final_state, cfg.atol);
  const bench::DenseCosts dense = bench::time_dense_linear_algebra(hw, policy);
  rows.push_back(grow);

  // --- report ---
  std::printf("1. Load and simulation (median; suite models with their settings file's times and tolerances)\n\n");
  if (!suite_note.empty()) std::printf("note: %s\n", suite_note.c_str());
  print_model_table(rows);
  std::printf("\ngenerated model: seed %llu, %zu species, %zu reactions (", static_cast<unsigned long long>(cfg.generator.seed),
              gen.num_species(), gen.reactions.size());
  bool first = true;
  for (const auto& [k, count] : kinds) {
    std::printf("%s%d %s", first ? "" : ", ", count, k.c_str());
    first = false;
  }
  std::printf("), %zu assignment rules, %zu bytes of SBML\n", gen.rules.size(), gen.sbml.size());
  std::printf("  load phases: libSBML read %.1f ms + consistency checks %.1f ms, IR %.1f ms, compile %.1f ms\n",
              ms(t_read.median), ms(t_read_validated.median - t_read.median), ms(t_ir.median), ms(t_compile.median));

  const double rhs_ratio = grow.rhs.median / hw_rhs.median;
  std::printf("\n2. Right-hand side of the generated model (%zu states, %zu reactions)\n\n", sys.num_states(),
              gen.reactions.size());
  std::printf("  agreement: max difference %.2g of the flux scale over %zu derivatives at 2 states (%zu identical to the last bit)\n\n",
              agreement.max_relative_difference, agreement.compared, agreement.identical);
  std::printf("  %-28s %14s %12s\n", "", "evaluations/s", "us/eval");
  std::printf("  %-28s %14.0f %12.3f\n", "axisim (bytecode)", 1.0 / grow.rhs.median, grow.rhs.median * 1e6);
  std::printf("  %-28s %14.0f %12.3f\n", "hand-written C++", 1.0 / hw_rhs.median, hw_rhs.median * 1e6);
  std::printf("  ratio axisim / hand-written time: %.2f\n", rhs_ratio);

  const axisim::SolverStats& as = grow.stats;
  const long ref_rhs_total = ref.stats.rhs_evaluations + ref.stats.jacobian_rhs_evaluations;
  const long ax_jacobian_rhs = as.jacobian_evaluations * static_cast<long>(sys.num_states());
  const double sim_ratio = grow.simulate.median / ref_sim.median;
  // The hand-written run's count of linear solver setups stands for both when the two runs took
  // the same steps (checked and printed below); engines before SolverStats::linear_solver_setups
  // did not count them.
  const TimeSplit ax_split = split_time(grow.simulate.median, as.rhs_evaluations, ax_jacobian_rhs,
                                        ref.stats.linear_solver_setups, as.newton_iterations, grow.rhs.median, dense);
  const TimeSplit hw_split = split_time(ref_sim.median, ref_rhs_total, ref.stats.jacobian_rhs_evaluations,
                                        ref.stats.linear_solver_setups, ref.stats.newton_iterations, hw_rhs.median, dense);
  const bool same_steps = as.steps == ref.stats.steps && as.rhs_evaluations == ref_rhs_total &&
                          as.newton_iterations == ref.stats.newton_iterations;

  std::printf("\n3. Full simulation of the generated model (0 to %g, %d outputs, BDF + dense Newton with difference quotients, "
              "axisim's interpreter, rtol %g, atol %g)\n\n",
              cfg.end, cfg.steps, cfg.rtol, cfg.atol);
  std::printf("  %-26s %10s %7s %10s %10s %6s %8s %7s\n", "", "ms", "steps", "rhs evals", "of which J", "jacs",
              "newton", "setups");
  std::printf("  %-26s %10.1f %7ld %10ld %10ld %6ld %8ld %7s\n", "axisim", ms(grow.simulate.median), as.steps,
              as.rhs_evaluations, ax_jacobian_rhs, as.jacobian_evaluations, as.newton_iterations, "-");
  std::printf("  %-26s %10.1f %7ld %10ld %10ld %6ld %8ld %7ld\n", "hand-written RHS + CVODE", ms(ref_sim.median),
              ref.stats.steps, ref_rhs_total, ref.stats.jacobian_rhs_evaluations, ref.stats.jacobian_evaluations,
              ref.stats.newton_iterations, ref.stats.linear_solver_setups);
  std::printf("  ratio axisim / hand-written time: %.2f\n", sim_ratio);
  std::printf("  %s; final amounts differ by at most %.2g (relative)\n",
              same_steps ? "both runs took exactly the same steps" : "WARNING: the runs took different steps",
              final_diff);
  std::printf("  rhs evals include the difference-quotient Jacobian's ('of which J': %zu per Jacobian)\n\n",
              sys.num_states());
  std::printf("  where the time goes, in ms: counts above x unit costs measured in this run\n");
  std::printf("  (rhs: section 2; dense LU setup %.3f ms, dense solve %.1f us for %zu x %zu)\n", ms(dense.setup.median),
              dense.solve.median * 1e6, sys.num_states(), sys.num_states());
  std::printf("  %-34s %12s %14s\n", "", "axisim", "hand-written");
  auto split_row = [&](const char* what, double a, double b) {
    std::printf("  %-34s %7.1f %3.0f%% %9.1f %3.0f%%\n", what, ms(a), 100 * a / ax_split.total, ms(b),
                100 * b / hw_split.total);
  };
  split_row("rhs for CVODE's steps and Newton", ax_split.rhs_solver, hw_split.rhs_solver);
  split_row("rhs for difference-quotient J", ax_split.rhs_jacobian, hw_split.rhs_jacobian);
  split_row("dense LU setups", ax_split.lu, hw_split.lu);
  split_row("dense solves", ax_split.solves, hw_split.solves);
  split_row("rest (CVODE's vector work, output)", ax_split.rest, hw_split.rest);

  const std::string load_after = bench::load_average();
  std::printf("\nload average at the end: %s (%u CPUs)\n", load_after.c_str(), cpus);

  if (!cfg.json.empty()) {
    bench::JsonWriter j;
    j.begin_object();
    j.field("timestamp", bench::now_utc()).field("quick", cfg.quick);
    j.begin_object("machine")
        .field("cpu", cpu)
        .field("cpus", static_cast<long>(cpus))
        .field("load_average_before", load_before)
        .field("load_average_after", load_after)
        .field("build_type", AXISIM_BENCH_BUILD_TYPE)
        .field("compiler", __VERSION__)
        .field("sundials", SUNDIALS_VERSION)
        .field("libsbml", getLibSBMLDottedVersion())
        .end();
    if (!suite_note.empty()) j.field("suite_note", suite_note);
    j.begin_array("models");
    for (const ModelRow& r : rows) json_model(j, r);
    j.end();
    j.begin_object("generated_model")
        .field("seed", static_cast<long>(cfg.generator.seed))
        .field("species", gen.num_species())
        .field("reactions", gen.reactions.size())
        .field("assignment_rules", gen.rules.size())
        .field("sbml_bytes", gen.sbml.size());
    j.begin_object("reaction_kinds");
    for (const auto& [k, count] : kinds) j.field(k, count);
    j.end();
    j.begin_object("load_phases");
    json_timing(j, "read", t_read);
    json_timing(j, "read_and_validate", t_read_validated);
    json_timing(j, "ir", t_ir);
    json_timing(j, "compile", t_compile);
    j.end().end();
    j.begin_object("rhs")
        .field("max_relative_difference", agreement.max_relative_difference)
        .field("identical_derivatives", agreement.identical)
        .field("compared_derivatives", agreement.compared)
        .field("axisim_evaluations_per_s", 1.0 / grow.rhs.median)
        .field("handwritten_evaluations_per_s", 1.0 / hw_rhs.median)
        .field("ratio_axisim_over_handwritten_time", rhs_ratio);
    json_timing(j, "axisim", grow.rhs);
    json_timing(j, "handwritten", hw_rhs);
    j.end();
    j.begin_object("simulation")
        .field("end", cfg.end)
        .field("steps", cfg.steps)
        .field("rtol", cfg.rtol)
        .field("atol", cfg.atol)
        .field("ratio_axisim_over_handwritten_time", sim_ratio)
        .field("same_steps", same_steps)
        .field("final_state_max_relative_difference", final_diff);
    json_timing(j, "dense_lu_setup", dense.setup);
    json_timing(j, "dense_solve", dense.solve);
    json_split(j, "axisim_time_split", ax_split);
    json_split(j, "handwritten_time_split", hw_split);
    json_timing(j, "axisim", grow.simulate);
    json_stats(j, "axisim_stats", as);
    json_timing(j, "handwritten", ref_sim);
    j.begin_object("handwritten_stats")
        .field("steps", ref.stats.steps)
        .field("rhs_evaluations", ref_rhs_total)
        .field("jacobian_rhs_evaluations", ref.stats.jacobian_rhs_evaluations)
        .field("jacobian_evaluations", ref.stats.jacobian_evaluations)
        .field("linear_solver_setups", ref.stats.linear_solver_setups)
        .field("newton_iterations", ref.stats.newton_iterations)
        .field("error_test_failures", ref.stats.error_test_failures)
        .field("convergence_failures", ref.stats.convergence_failures)
        .end();
    j.end();
    j.end();
    if (const fs::path parent = fs::path(cfg.json).parent_path(); !parent.empty()) fs::create_directories(parent);
    std::ofstream out(cfg.json);
    out << j.str() << '\n';
    if (!out) throw std::runtime_error("cannot write " + cfg.json);
    std::printf("\nJSON written to %s\n", cfg.json.c_str());
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "axisim_bench: %s\n", e.what());
  return 1;
}
