// The flagship model (sbml-models/gut_liver_igf1.xml): its steady state is where a long
// baseline run ends, from its own initial state and from one far from it; with the bone
// plugin attached its states take part and its BMD accumulator is held.
#include <catch2/catch.hpp>

#include <cmath>

#include "axisim/control_analysis.hpp"
#include "axisim/plugin_host.hpp"
#include "axisim/steady_state.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

#ifndef AXISIM_MODEL_DIR
#error "AXISIM_MODEL_DIR must be defined to sbml-models"
#endif
#ifndef AXISIM_BUILD_PLUGIN_DIR
#error "AXISIM_BUILD_PLUGIN_DIR must be defined to the build tree's plugin directory"
#endif

namespace {

const std::string kModel = std::string(AXISIM_MODEL_DIR) + "/gut_liver_igf1.xml";

// The run's end and the steady state agree to 1e-6 relative (plus 1e-9 absolute for species
// near zero). Why that is enough and not too loose: the slowest eigenvalue of the reduced
// Jacobian is -0.005/h (a 200 h time constant), so after 50,000 h the transient is e^-250 of
// its start, and CVODE's error at rtol 1e-8 over a long run stays of order 1e-7 relative; the
// Newton solution itself is converged to 1e-10.
void check_matches_long_run(const axisim::Model& model) {
  const auto ss = axisim::steady_state(model);
  REQUIRE(ss.stability == axisim::Stability::Stable);
  axisim::SimulationOptions o;
  o.end = 50000;
  o.steps = 10;
  const axisim::Result run = model.simulate(o);
  REQUIRE(run.columns().size() == ss.ids.size() + 1);
  for (std::size_t i = 0; i < ss.ids.size(); ++i) {
    const double end = run.at(run.rows() - 1, i + 1);
    INFO(ss.ids[i] << ": steady " << ss.values[i] << ", run " << end);
    CHECK(std::fabs(end - ss.values[i]) <= 1e-6 * std::fabs(ss.values[i]) + 1e-9);
  }
}

}  // namespace

TEST_CASE("flagship: the steady state is the end of a long baseline run", "[flagship]") {
  const axisim::Model model = axisim::Model::from_file(kModel);
  check_matches_long_run(model);
  const auto ss = axisim::steady_state(model, {}, {{"IGF1_total"}, {"IGF1_free_pct"}});
  CHECK_THAT(ss.values[0], WithinRel(200.0, 1e-3));  // the calibration target (docs/model.md)
  CHECK_THAT(ss.values[1], WithinRel(0.45, 1e-3));
}

TEST_CASE("flagship: the same steady state from a start far from it", "[flagship]") {
  axisim::Model model = axisim::Model::from_file(kModel);
  for (const std::string& id : model.ids())
    if (model.kind(id) == axisim::SymbolKind::Species) model.set_value(id, 0.5 * model.initial_value(id) + 0.01);
  check_matches_long_run(model);
  const auto far = axisim::steady_state(model);
  const auto base = axisim::steady_state(axisim::Model::from_file(kModel));
  for (std::size_t i = 0; i < far.values.size(); ++i)
    CHECK(std::fabs(far.values[i] - base.values[i]) <= 1e-8 * std::fabs(base.values[i]) + 1e-12);
}

TEST_CASE("flagship: sensitivities of serum IGF-1 agree with re-solved steady states", "[flagship]") {
  // The parameters that control it most (docs/model.md), by central differences (1e-4 relative
  // steps: error ~1e-8) of the steady state against the implicit function theorem.
  const axisim::Model model = axisim::Model::from_file(kModel);
  const std::vector<std::string> wrt{"GH_basal", "k_ternary", "oBP_prod", "BP3_prod_ref", "fibre_intake"};
  const std::vector<axisim::OutputSpec> outputs{{"IGF1_total"}, {"IGF_f"}};
  const auto s = axisim::steady_state_sensitivities(model, wrt, {}, outputs);
  for (std::size_t j = 0; j < wrt.size(); ++j) {
    const double p0 = model.initial_value(wrt[j]), h = 1e-4 * p0;
    axisim::Model up = model, down = model;
    up.set_value(wrt[j], p0 + h);
    down.set_value(wrt[j], p0 - h);
    const auto su = axisim::steady_state(up, {}, outputs), sd = axisim::steady_state(down, {}, outputs);
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      const double fd = (su.values[i] - sd.values[i]) / (2 * h);
      INFO("d " << outputs[i].id << " / d " << wrt[j] << ": " << s.unscaled(i, j) << " vs " << fd);
      CHECK(std::fabs(s.unscaled(i, j) - fd) <= 1e-6 * std::fabs(fd) + 1e-9 * std::fabs(s.state.values[i] / p0));
    }
  }
}

TEST_CASE("flagship: with the bone plugin, its states take part and BMD is held", "[flagship]") {
  axisim::Model model = axisim::Model::from_file(kModel);
  model.attach(axisim::Plugin::load(std::string(AXISIM_BUILD_PLUGIN_DIR) + "/axisim-plugin-bone.so"));
  const auto ss = axisim::steady_state(model, {}, {{"bone.R"}, {"bone.B"}, {"bone.C"}, {"bone.BMD"}, {"IGF1_total"}});
  // The plugin is normalised to its baseline: R = B = C = 1 when free IGF-1 is at IGF_ref, which
  // is the model's baseline to 1e-7.
  for (int i = 0; i < 3; ++i) CHECK_THAT(ss.values[static_cast<std::size_t>(i)], WithinRel(1.0, 1e-5));
  CHECK(ss.values[3] == 0.0);
  bool held = false;
  for (const auto& w : ss.warnings) held = held || w.find("'bone.BMD' is held") != std::string::npos;
  CHECK(held);
  CHECK(ss.stability == axisim::Stability::Stable);
}
