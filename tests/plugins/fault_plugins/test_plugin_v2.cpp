// test_plugin_v2.cpp — a plugin ABI version 2 test plugin ("test-v2", tests/plugins/CMakeLists.txt):
//
//   state    A, dA/dt = -k (A - A_inf), so A(t) = A_inf + (A(0) - A_inf) exp(-k t); its steady
//            state is A_inf (0 by default)
//   init     A(0) = A_ref * Bu_col(0) (a parameter times an input at the model's initial values)
//   drives   barrier_integrity = level - slope * t, declared range [0, 1]: with slope > 0 it
//            leaves its range at t = level / slope
//   range    A declared in [0, 1000]
//   log      connect keeps the host; init writes "init: A(0) = ..." at info level; derivatives
//            throws a std::runtime_error with a text of its own from t >= t_throw (guarded: the
//            text reaches axisim's log)
//   output   A (the state, as an output)
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <axisim/plugin.hpp>

namespace {

enum Param { kK, kARef, kLevel, kSlope, kTThrow, kAInf };

const axisim_plugin_input inputs[] = {{"Bu_col", "sets A(0) with A_ref"}};
const axisim_plugin_quantity parameters[] = {
    {"k", 0.5, "1/time", "decay rate of A"},
    {"A_ref", 2.0, "1", "A(0) = A_ref * Bu_col(0)"},
    {"level", 0.75, "1", "barrier_integrity at t = 0"},
    {"slope", 0.0, "1/time", "barrier_integrity falls by this per unit time"},
    {"t_throw", 1e300, "time", "derivatives throws from this time"},
    {"A_inf", 0.0, "1", "where A tends to"},
};
const axisim_plugin_quantity states[] = {{"A", 1.0, "1", "tends to A_inf at rate k"}};
const axisim_plugin_range state_ranges[] = {{0.0, 1000.0}};
const axisim_plugin_quantity outputs[] = {{"A_out", 0, "1", "A"}};
const axisim_plugin_effect effects[] = {{"barrier_integrity", AXISIM_EFFECT_PARAMETER, "level - slope t"}};
const axisim_plugin_range effect_ranges[] = {{0.0, 1.0}};

int init(const double* in, const double* p, double* x) {
  return axisim::plugin::guard([&] {
    x[0] = p[kARef] * in[0];
    char text[64];
    std::snprintf(text, sizeof text, "init: A(0) = %g", x[0]);
    axisim::plugin::log(AXISIM_LOG_INFO, text);
  });
}

int drive(double t, const double* p, const double*, double* e) {
  e[0] = p[kLevel] - p[kSlope] * t;
  return 0;
}

int derivatives(double t, const double*, const double* p, const double* x, double* dx, double*) {
  return axisim::plugin::guard([&] {
    if (t >= p[kTThrow]) throw std::runtime_error("test-v2: A went the wrong way");
    dx[0] = -p[kK] * (x[0] - p[kAInf]);
  });
}

int observe(double, const double*, const double*, const double* x, double* out) {
  out[0] = x[0];
  return 0;
}

const axisim_plugin_info_v2 info = {
    {AXISIM_PLUGIN_ABI_VERSION, "test-v2", "0.0.1", "axisim version 2 test plugin",
     inputs, axisim::plugin::count(inputs), parameters, axisim::plugin::count(parameters),
     states, axisim::plugin::count(states), outputs, axisim::plugin::count(outputs),
     effects, axisim::plugin::count(effects), drive, derivatives, observe},
    axisim::plugin::keep_host, init, state_ranges, effect_ranges};

}  // namespace

AXISIM_PLUGIN(info)
