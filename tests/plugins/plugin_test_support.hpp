// plugin_test_support.hpp — shared helpers for the plugin tests: where the plugins and the test
// data are, loading a plugin by path, a plugin's C description, and running a model.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <iomanip>
#include <string>
#include <utility>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/plugin_host.hpp"
#include "axisim/plugin_sdk.h"
#include "plugins/plugin_library.hpp"  // Plugin::Impl: the loaded library's axisim_plugin_info

#ifndef AXISIM_BUILD_PLUGIN_DIR
#error "AXISIM_BUILD_PLUGIN_DIR must be defined to the build tree's plugin directory"
#endif
#ifndef AXISIM_TEST_PLUGIN_DIR
#error "AXISIM_TEST_PLUGIN_DIR must be defined to the test plugins' directory"
#endif
#ifndef AXISIM_PLUGIN_TEST_DATA
#error "AXISIM_PLUGIN_TEST_DATA must be defined to tests/plugins/data"
#endif

namespace pt {

inline const std::string kBuildPluginDir = AXISIM_BUILD_PLUGIN_DIR;
inline const std::string kTestPluginDir = AXISIM_TEST_PLUGIN_DIR;
inline const std::string kDataDir = AXISIM_PLUGIN_TEST_DATA;

inline std::string data(const std::string& file) { return kDataDir + "/" + file; }
inline std::string tissue_model_path() { return data("tissue_inputs.xml"); }

// The shipped plugins are loaded by path from the build tree, so that a plugin of the same
// name elsewhere on the search path (AXISIM_PLUGIN_PATH, an installed copy) cannot stand in.
inline std::string plugin_path(const std::string& name) { return kBuildPluginDir + "/axisim-plugin-" + name + ".so"; }
inline std::string test_plugin_path(const std::string& name) { return kTestPluginDir + "/axisim-plugin-" + name + ".so"; }
inline axisim::Plugin load(const std::string& name) { return axisim::Plugin::load(plugin_path(name)); }
// The shipped plugins' versions, as each plugin reports itself: muscle 1.1.0 (M(0) = M_ref through
// init), bone 2.0.0 (saturating IGF-1 drive and RANKL delay), gut-barrier 1.1.0 (the butyrate
// benefit holds above b_opt); the others 1.0.0.
inline std::string shipped_version(const std::string& name) {
  if (name == "bone") return "2.0.0";
  if (name == "muscle" || name == "gut-barrier") return "1.1.0";
  return "1.0.0";
}
inline axisim::Plugin load_test(const std::string& name) { return axisim::Plugin::load(test_plugin_path(name)); }

// The plugin's own C description, as the host got it from axisim_plugin_entry().
inline const axisim_plugin_info& info(const axisim::Plugin& p) {
  REQUIRE(p.impl().info != nullptr);
  return *p.impl().info;
}

// The plugin's default parameter values, in declaration order.
inline std::vector<double> defaults(const axisim::Plugin& p) {
  std::vector<double> v;
  for (const auto& q : p.parameters()) v.push_back(q.value);
  return v;
}
inline std::vector<double> initial_states(const axisim::Plugin& p) {
  std::vector<double> v;
  for (const auto& q : p.states()) v.push_back(q.value);
  return v;
}
// A parameter's default, by name (fails the test if there is none).
inline double param(const axisim::Plugin& p, const std::string& name) {
  for (const auto& q : p.parameters())
    if (q.name == name) return q.value;
  FAIL("plugin '" << p.name() << "' has no parameter '" << name << "'");
  return 0.0;
}

// The reference inputs the shipped plugins are calibrated around, as they declare them: free
// IGF-1 (every plugin's IGF_ref), colonocyte butyrate (gut-barrier's Bu_ref), plasma acetate and
// propionate (metabolic's Ac_ref, Pr_ref); Xmic = 1. They are the flagship model's baseline, which
// tissue_inputs.xml's defaults need not be, so the tests set the inputs they mean.
struct References {
  double igf, bu, ac, pr;
};
inline References references() {
  const axisim::Plugin met = load("metabolic"), gb = load("gut-barrier");
  return {param(met, "IGF_ref"), param(gb, "Bu_ref"), param(met, "Ac_ref"), param(met, "Pr_ref")};
}

// tissue_inputs.xml with every input at the plugins' reference.
inline axisim::Model tissue_model() {
  axisim::Model m = axisim::Model::from_file(tissue_model_path());
  const References r = references();
  m.set_value("IGF_f", r.igf);
  m.set_value("Bu_epi", r.bu);
  m.set_value("Xmic", 1.0);
  m.set_value("Ac_p", r.ac);
  m.set_value("Pr_p", r.pr);
  return m;
}

inline axisim::Result run(const axisim::Model& m, double end, int steps, const std::vector<std::string>& ids = {}) {
  axisim::SimulationOptions o;
  o.end = end;
  o.steps = steps;
  std::vector<axisim::OutputSpec> outputs;
  for (const auto& id : ids) outputs.push_back({id});
  return m.simulate(o, outputs);
}

// |actual - expected| <= atol + rtol |expected|, with both shown on failure.
#define PT_CHECK_CLOSE(actual, expected, rtol, atol)                                           \
  do {                                                                                         \
    const double pt_a_ = (actual), pt_e_ = (expected);                                         \
    INFO(#actual " = " << std::setprecision(17) << pt_a_ << ", expected " << pt_e_);           \
    CHECK(std::fabs(pt_a_ - pt_e_) <= (atol) + (rtol) * std::fabs(pt_e_));                     \
  } while (0)

// The message of the axisim::Error that `expr` throws, which must be of kind `kind`.
template <class F>
std::string error_of(F&& f, axisim::ErrorKind kind) {
  try {
    f();
  } catch (const axisim::Error& e) {
    CHECK(static_cast<int>(e.kind()) == static_cast<int>(kind));
    return e.what();
  }
  FAIL("no axisim::Error was thrown");
  return {};
}

}  // namespace pt
