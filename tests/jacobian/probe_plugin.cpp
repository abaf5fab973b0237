// probe_plugin.cpp — plugins whose every output depends on every input, for the Jacobian of a
// model with plugins attached (test_coupled_jacobian.cpp). Built twice (CMakeLists.txt):
//
//   PROBE_DRIVER   defined: "probe-driver" reads A, adds a flux to B that depends on A and on its
//                  first state, and drives d from its second state;
//                  undefined: "probe-reader" reads r and B (r is an assignment rule of A, B and
//                  d, so the driver's state reaches the reader through d) and has no effects.
//   PROBE_JACOBIAN (with PROBE_DRIVER undefined): "probe-reader-jac", the reader as a version 2
//                  plugin with a jacobian callback (its 2 x 2 block, by hand).
//
// Smooth and non-linear in everything, so that a missing pattern entry or a wrong value shows.
#include <axisim/plugin.hpp>

namespace {

#ifdef PROBE_DRIVER
const axisim_plugin_input inputs[] = {{"A", "a species, read as its concentration"}};
const axisim_plugin_effect effects[] = {
    {"B", AXISIM_EFFECT_FLUX, "0.3 s0 A"},
    {"d", AXISIM_EFFECT_PARAMETER, "1 + s1^2"},
};

int drive(double, const double*, const double* x, double* e) {
  e[1] = 1.0 + x[1] * x[1];
  return 0;
}

int derivatives(double, const double* in, const double*, const double* x, double* dx, double* e) {
  dx[0] = in[0] - 0.5 * x[0] * x[1];
  dx[1] = 0.2 * x[0] * in[0] - x[1];
  e[0] = 0.3 * x[0] * in[0];
  return 0;
}
#else
const axisim_plugin_input inputs[] = {{"r", "an assignment rule reading A, B and d"}, {"B", "a species"}};

int derivatives(double, const double* in, const double*, const double* x, double* dx, double*) {
  dx[0] = in[1] - x[0] * in[0];
  dx[1] = x[0] - x[1] * in[1] * in[1];
  return 0;
}
#endif

const axisim_plugin_quantity states[] = {
    {"s0", 0.7, "1", "first state"},
    {"s1", 1.3, "1", "second state"},
};

#ifdef PROBE_JACOBIAN
// d dx / d x of the reader: [[-r, 0], [1, -B^2]].
int jacobian(double, const double* in, const double*, const double*, double* J) {
  J[0] = -in[0];
  J[1] = 0.0;
  J[2] = 1.0;
  J[3] = -in[1] * in[1];
  return 0;
}
#endif

#ifdef PROBE_JACOBIAN
const axisim_plugin_info_v2 info = {{
#else
const axisim_plugin_info info = {
#endif
    AXISIM_PLUGIN_ABI_VERSION,
#ifdef PROBE_DRIVER
    "probe-driver",
#elif defined(PROBE_JACOBIAN)
    "probe-reader-jac",
#else
    "probe-reader",
#endif
    "0.0.1", "axisim Jacobian test plugin",
    inputs, axisim::plugin::count(inputs),
    nullptr, 0,
    states, axisim::plugin::count(states),
    nullptr, 0,
#ifdef PROBE_DRIVER
    effects, axisim::plugin::count(effects),
    drive,
#else
    nullptr, 0,
    nullptr,
#endif
    derivatives, nullptr
#ifdef PROBE_JACOBIAN
    },
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, jacobian
#endif
};

}  // namespace

AXISIM_PLUGIN(info)
