// The Jacobian of a model with tissue plugins attached (run/coupled_jacobian.hpp) against central
// differences of the whole right-hand side: the flagship model with its four plugins, and a small
// model with two probe plugins (probe_plugin.cpp) that use every kind of coupling; then whole
// runs under the solvers Auto picks against CVODE's own dense difference quotients.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/plugin_host.hpp"
#include "jacobian_check.hpp"
#include "run/coupled_jacobian.hpp"
#include "run/plugin_coupling.hpp"
#include "sbml/ir_from_sbml.hpp"
#include "sbml/sbml_document.hpp"
#include "sbml_fixtures.hpp"

namespace {

using axisim::detail::CompiledSystem;
using axisim::detail::CoupledJacobian;
using axisim::detail::Coupling;
using axisim::detail::PluginBinding;

const std::string kFlagship = std::string(AXISIM_MODEL_DIR) + "/gut_liver_igf1.xml";
const std::vector<std::string> kTissuePlugins{"bone", "muscle", "metabolic", "gut-barrier"};

std::string tissue_plugin(const std::string& name) {
  return std::string(AXISIM_BUILD_PLUGIN_DIR) + "/axisim-plugin-" + name + ".so";
}
std::string probe_plugin(const std::string& name) {
  return std::string(AXISIM_PROBE_PLUGIN_DIR) + "/axisim-plugin-" + name + ".so";
}

// A model and its plugins bound as a run binds them.
struct Coupled {
  std::unique_ptr<CompiledSystem> system;
  std::vector<axisim::Plugin> plugins;  // the libraries stay loaded while bound
  std::unique_ptr<Coupling> coupling;
  std::unique_ptr<CoupledJacobian> jacobian;

  Coupled(axisim::detail::SbmlSource src, const std::vector<std::string>& plugin_paths) {
    auto doc = axisim::detail::read_sbml(src, false);
    system = std::make_unique<CompiledSystem>(axisim::detail::build_ir(*doc, src.label()));
    std::vector<std::shared_ptr<const PluginBinding>> bindings;
    for (const std::string& path : plugin_paths) {
      plugins.push_back(axisim::Plugin::load(path));
      bindings.push_back(std::make_shared<PluginBinding>(axisim::detail::bind_plugin(plugins.back(), *system, {})));
    }
    coupling = std::make_unique<Coupling>(*system, bindings);
    REQUIRE(system->jacobian() != nullptr);
    jacobian = std::make_unique<CoupledJacobian>(*system, *coupling);
  }

  std::size_t size() const { return system->num_states() + coupling->num_states(); }
};

// The coupled Jacobian at time t, the initial state scaled by 1 + perturb * {-1, 1/2, 1}[k % 3]:
// every state moves (none stays at a reference value where a plugin's effect has its vertex).
jacobian_check::Comparison compare(Coupled& c, double t, double perturb, bool analytic) {
  axisim::detail::Workspace ws = c.system->make_workspace();
  c.system->initialize(ws, {});
  const std::size_t n = c.system->num_states(), total = c.size();
  std::vector<double> y(total), fy(total), J(c.jacobian->pattern().nonzeros()), floor(total, 1e-6);
  c.system->gather_state(ws, y.data());
  REQUIRE(c.coupling->initial_states(y.data() + n, ws));
  static constexpr double kPattern[3] = {-1.0, 0.5, 1.0};
  for (std::size_t k = 0; k < total; ++k) y[k] *= 1.0 + perturb * kPattern[k % 3];
  REQUIRE(c.coupling->right_hand_side(t, y.data(), fy.data(), ws) == 0);
  REQUIRE(c.jacobian->values(t, y.data(), fy.data(), J.data(), analytic, floor.data(), ws) == 0);
  return jacobian_check::compare_values(c.jacobian->pattern(), J, y, fy,
                                        [&](const std::vector<double>& at, std::vector<double>& f) {
                                          return c.coupling->right_hand_side(t, at.data(), f.data(), ws) == 0;
                                        });
}

// At each perturbation of the initial state; `numeric_too`: also the Jacobian of difference
// quotients only (with these increments, a fair comparison only where no state is near zero).
void require_agreement(Coupled& c, double t, const std::vector<double>& perturbations, bool numeric_too) {
  for (bool analytic : {true, false}) {
    if (!analytic && !numeric_too) continue;
    for (double perturb : perturbations) {
      const jacobian_check::Comparison r = compare(c, t, perturb, analytic);
      INFO((analytic ? "analytic" : "numeric") << ", perturbation " << perturb << ": " << r.worst_entry
                                               << "; non-smooth columns: " << r.non_smooth);
      CHECK(r.non_smooth_columns == 0);
      CHECK(r.worst <= 1.0);
    }
  }
}

// The probes' model: A -> B -> (nothing) in a compartment of size 2, the first rate scaled by
// d (driven by probe-driver), and r = A B d, which probe-reader reads.
std::string probe_model() {
  using fx::apply;
  using fx::ci;
  fx::ModelBuilder b;
  b.compartment("C", 2.0).species("A", 1.5).species("B", 0.4);
  b.parameter("k1", 0.8).parameter("k2", 0.3).parameter("d", 1.0, false).parameter_no_value("r", false);
  b.assignment_rule("r", apply("times", {ci("A"), ci("B"), ci("d")}));
  fx::Reaction r1;
  r1.id = "R1";
  r1.reactants = {{"A", 1}};
  r1.products = {{"B", 1}};
  r1.kinetic_math = apply("times", {ci("C"), ci("k1"), ci("A"), ci("d")});
  b.reaction(r1);
  fx::Reaction r2;
  r2.id = "R2";
  r2.reactants = {{"B", 1}};
  r2.kinetic_math = apply("times", {ci("C"), ci("k2"), ci("B"), ci("B")});
  b.reaction(r2);
  return b.str();
}

bool contains(const axisim::detail::SparsePattern& p, std::size_t row, std::size_t column) {
  for (std::int64_t q = p.column_start[column]; q < p.column_start[column + 1]; ++q)
    if (static_cast<std::size_t>(p.row[static_cast<std::size_t>(q)]) == row) return true;
  return false;
}

}  // namespace

TEST_CASE("plugins: the coupled Jacobian of two probes equals central differences", "[jacobian][plugins]") {
  axisim::detail::SbmlSource src;
  src.text = probe_model();
  Coupled c(src, {probe_plugin("probe-driver"), probe_plugin("probe-reader")});
  // States: A, B (amounts), then the driver's s0, s1 (2, 3), then the reader's (4, 5).
  REQUIRE(c.size() == 6);
  const auto& p = c.jacobian->pattern();
  CHECK(contains(p, 1, 2));  // the driver's s0 moves its flux into B
  CHECK(contains(p, 0, 3));  // the driver's s1 moves d, hence R1, hence A and B
  CHECK(contains(p, 4, 3));  // ... and r, which the reader reads
  CHECK(contains(p, 2, 0));  // A is the driver's input
  CHECK(contains(p, 5, 1));  // B is the reader's input
  CHECK_FALSE(contains(p, 2, 1));  // the driver reads only A, which B does not move
  // Every plugin column, and the model columns the inputs read, are numeric; nothing else.
  CHECK(c.jacobian->numeric_columns() == 6);
  for (double t : {0.0, 1.7}) require_agreement(c, t, {0.0, 0.05}, true);
}

TEST_CASE("plugins: a version 2 plugin's jacobian callback gives its own block, equal to central differences",
          "[jacobian][plugins][abi2]") {
  axisim::detail::SbmlSource src;
  src.text = probe_model();
  Coupled c(src, {probe_plugin("probe-driver"), probe_plugin("probe-reader-jac")});
  REQUIRE(c.size() == 6);
  // The reader's two columns (4, 5) touch only its own rows, now from its callback: of the six
  // numeric columns without it (above), four are left.
  CHECK(c.jacobian->numeric_columns() == 4);
  for (double t : {0.0, 1.7}) require_agreement(c, t, {0.0, 0.05}, true);
}

TEST_CASE("plugins: a run with a plugin's jacobian callback gives the run without it", "[jacobian][plugins][abi2]") {
  const std::vector<axisim::OutputSpec> outputs{{"A"}, {"B"}, {"probe-reader.s0"}, {"probe-reader.s1"}};
  auto run = [&](const std::string& reader) {
    axisim::Model model = axisim::Model::from_string(probe_model());
    model.attach(axisim::Plugin::load(probe_plugin("probe-driver")));
    model.attach(axisim::Plugin::load(probe_plugin(reader)));
    axisim::SimulationOptions o;
    o.end = 5.0;
    o.steps = 10;
    o.rtol = 1e-10;
    o.atol = 1e-12;
    o.linear_solver = axisim::LinearSolver::Sparse;  // the coupled Jacobian, analytic where it can be
    std::vector<axisim::OutputSpec> named = outputs;
    if (reader != "probe-reader")
      for (auto& s : named)
        if (s.id.rfind("probe-reader.", 0) == 0) s.id = reader + s.id.substr(std::string("probe-reader").size());
    axisim::Result r = model.simulate(o, named);
    REQUIRE(r.error.empty());
    return r;
  };
  const axisim::Result without = run("probe-reader"), with = run("probe-reader-jac");
  REQUIRE(with.rows() == without.rows());
  for (std::size_t i = 0; i < with.rows(); ++i)
    for (std::size_t c = 1; c <= outputs.size(); ++c)
      CHECK_THAT(with.row(i)[c], Catch::Matchers::WithinRel(without.row(i)[c], 1e-7));
}

TEST_CASE("plugins: the flagship's Jacobian with the four tissue plugins equals central differences",
          "[jacobian][plugins]") {
  axisim::detail::SbmlSource src;
  src.path = kFlagship;
  std::vector<std::string> paths;
  for (const std::string& name : kTissuePlugins) paths.push_back(tissue_plugin(name));
  Coupled c(src, paths);
  const std::size_t n = c.system->num_states();
  REQUIRE(c.size() == n + 8);
  // The plugins' eight columns (bone 5, muscle, metabolic and gut-barrier 1 each) are numeric,
  // and so are the model columns their inputs read; the rest stay analytic.
  CHECK(c.jacobian->numeric_columns() >= 8);
  CHECK(c.jacobian->numeric_columns() < c.size());
  // Not at the initial state itself: free IGF-1 is at metabolic's reference there, the vertex of
  // its U-shaped effect, where the forward and backward quotients (about -5e-9 and 5e-9) differ
  // by more than the check takes for smooth.
  for (double t : {0.0, 100.0}) require_agreement(c, t, {0.03, 0.05}, false);
}

TEST_CASE("plugins: runs with the coupled Jacobian match CVODE's dense difference quotients", "[jacobian][plugins]") {
  struct Case {
    std::string model;
    bool from_file;
    std::vector<std::string> plugins;
    std::vector<axisim::OutputSpec> outputs;
    double end;
    const char* auto_jacobian;  // what Auto uses: the probe system has fewer than 10 states
  };
  std::vector<std::string> tissue;
  for (const std::string& name : kTissuePlugins) tissue.push_back(tissue_plugin(name));
  for (const Case& k : {Case{kFlagship, true, tissue, {{"IGF1_total"}, {"bone.BMD"}, {"gut-barrier.T"}}, 500.0,
                             "analytic + "},
                        Case{probe_model(), false, {probe_plugin("probe-driver"), probe_plugin("probe-reader")},
                             {{"A"}, {"B"}, {"probe-driver.s1"}, {"probe-reader.s0"}}, 5.0, "numeric"}}) {
    axisim::Model model = k.from_file ? axisim::Model::from_file(k.model) : axisim::Model::from_string(k.model);
    for (const std::string& path : k.plugins) model.attach(axisim::Plugin::load(path));
    axisim::SimulationOptions o;
    o.end = k.end;
    o.steps = 10;
    o.rtol = 1e-9;
    o.atol = 1e-12;
    const axisim::Result reference = [&] {
      axisim::SimulationOptions d = o;
      d.linear_solver = axisim::LinearSolver::Dense;
      d.jacobian = axisim::JacobianKind::Numeric;
      return model.simulate(d, k.outputs);
    }();
    REQUIRE(reference.error.empty());
    CHECK(reference.stats.jacobian == "numeric");
    for (axisim::LinearSolver solver :
         {axisim::LinearSolver::Auto, axisim::LinearSolver::Sparse, axisim::LinearSolver::Iterative}) {
      axisim::SimulationOptions a = o;
      a.linear_solver = solver;
      const axisim::Result r = model.simulate(a, k.outputs);
      REQUIRE(r.error.empty());
      INFO(r.stats.linear_solver << " / " << r.stats.jacobian);
      CHECK(r.stats.jacobian.rfind(solver == axisim::LinearSolver::Auto ? k.auto_jacobian : "analytic + ", 0) == 0);
      for (std::size_t row = 0; row < r.rows(); ++row)
        for (std::size_t col = 1; col < r.cols(); ++col)
          CHECK(r.at(row, col) == Approx(reference.at(row, col)).epsilon(1e-5).margin(1e-9));
    }
  }
}
