// coupling_bench — what attaching the four tissue plugins costs: a flagship scenario (by default
// the fibre intervention) simulated with and without bone, muscle, metabolic and gut-barrier,
// timed in the same run (medians, alternating), with CVODE's statistics for each; the cost per
// right-hand-side evaluation is the figure that does not depend on how many steps each takes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "axisim/model.hpp"
#include "axisim/plugin_host.hpp"
#include "axisim/scenario.hpp"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double seconds_to_simulate(const axisim::Model& m, const axisim::SimulationOptions& o, axisim::SolverStats& stats) {
  const auto start = std::chrono::steady_clock::now();
  const axisim::Result r = m.simulate(o, {{"IGF1_total"}});
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r.error.empty()) throw std::runtime_error(r.error);
  stats = r.stats;
  return s;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"coupling_bench: the cost of the four tissue plugins on the flagship model"};
  std::string scenario_path = AXISIM_BENCH_FLAGSHIP_SCENARIO;
  int repeats = 21;
  app.add_option("--scenario", scenario_path, "the scenario run (model, time span, settings)");
  app.add_option("--repeats", repeats, "repetitions of each run (median reported)");
  bool quick = false;
  app.add_flag("--quick", quick, "3 repetitions: a smoke test");
  CLI11_PARSE(app, argc, argv);
  if (quick) repeats = 3;

  const axisim::Scenario scenario = axisim::Scenario::load(scenario_path);
  axisim::Model bare = axisim::Model::from_file(scenario.model_path);
  scenario.apply(bare);
  axisim::Model coupled = bare;
  for (const char* name : {"bone", "muscle", "metabolic", "gut-barrier"}) coupled.attach(axisim::Plugin::load(name));

  const axisim::SimulationOptions o = scenario.options;
  std::vector<double> t_bare, t_coupled;
  axisim::SolverStats s_bare, s_coupled;
  for (int i = 0; i < repeats; ++i) {
    t_bare.push_back(seconds_to_simulate(bare, o, s_bare));
    t_coupled.push_back(seconds_to_simulate(coupled, o, s_coupled));
  }
  const double mb = median(t_bare), mc = median(t_coupled);
  std::printf("scenario %s (%s), %d repetitions (median)\n", scenario.name.c_str(), scenario_path.c_str(), repeats);
  std::printf("%-22s %10s %8s %10s %14s\n", "run", "time (ms)", "steps", "rhs evals", "us per rhs");
  std::printf("%-22s %10.2f %8ld %10ld %14.2f\n", "model alone", mb * 1e3, s_bare.steps, s_bare.rhs_evaluations,
              mb * 1e6 / static_cast<double>(s_bare.rhs_evaluations));
  std::printf("%-22s %10.2f %8ld %10ld %14.2f\n", "with the four plugins", mc * 1e3, s_coupled.steps,
              s_coupled.rhs_evaluations, mc * 1e6 / static_cast<double>(s_coupled.rhs_evaluations));
  std::printf("ratio (with / without): %.2f\n", mc / mb);
  for (const auto& [name, s] : {std::pair<const char*, const axisim::SolverStats&>{"model alone", s_bare},
                                {"with the four plugins", s_coupled}})
    std::printf("%s: %s linear solver, %s Jacobian, %ld Jacobians (%ld rhs evaluations of them)\n", name,
                s.linear_solver.c_str(), s.jacobian.c_str(), s.jacobian_evaluations, s.jacobian_rhs_evaluations);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "coupling_bench: %s\n", e.what());
  return 1;
}
