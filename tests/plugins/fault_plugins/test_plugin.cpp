// test_plugin.cpp — small plugins for axisim's plugin tests, one source built several times
// (tests/plugins/CMakeLists.txt) with these definitions:
//
//   TEST_PLUGIN_NAME   the plugin's name (a string)
//   TEST_FAULT         0 none; 1 derivatives throws (with no guard), 2 derivatives returns NaN,
//                      3 derivatives returns a non-zero status, 4 derivatives leaves dstates[1]
//                      unwritten — each from t >= t_fault
//   TEST_ABI_VERSION   the ABI version it claims (default: this SDK's)
//   TEST_INPUT         the SBML id it reads (default "Bu_col")
//   TEST_FLUX_TARGET   when defined, a FLUX effect of `flux` (amount per time) on that species
//   TEST_DRIVE_TARGET  when defined, it drives that parameter at the value `level`
//
// Its states are a harmonic oscillator, x = sin(omega t), y = cos(omega t), so that the solver
// takes short steps and reaches every output time before t_fault: a fault then leaves the rows
// before it, and none after.
#include <cmath>
#include <limits>
#include <stdexcept>

#include <axisim/plugin.hpp>

#ifndef TEST_PLUGIN_NAME
#error "TEST_PLUGIN_NAME must be defined"
#endif
#ifndef TEST_FAULT
#define TEST_FAULT 0
#endif
#ifndef TEST_ABI_VERSION
#define TEST_ABI_VERSION AXISIM_PLUGIN_ABI_VERSION
#endif
#ifndef TEST_INPUT
#define TEST_INPUT "Bu_col"
#endif

namespace {

enum Param { kTFault, kOmega, kFlux, kLevel };

const axisim_plugin_input inputs[] = {{TEST_INPUT, "read and reported as the output `input`"}};
const axisim_plugin_quantity parameters[] = {
    {"t_fault", 4.5, "time", "time from which the plugin fails (fault plugins only)"},
    {"omega", 6.283185307179586, "1/time", "angular frequency of the oscillator"},
    {"flux", 0.5, "amount/time", "the flux added (TEST_FLUX_TARGET)"},
    {"level", 0.25, "1", "the value of the driven parameter (TEST_DRIVE_TARGET)"},
};
const axisim_plugin_quantity states[] = {
    {"x", 0.0, "1", "sin(omega t)"},
    {"y", 1.0, "1", "cos(omega t)"},
};
const axisim_plugin_quantity outputs[] = {
    {"input", 0, "", "the value of the input"},
    {"x2y2", 0, "1", "x^2 + y^2 (1 when integrated accurately)"},
};

#if defined(TEST_FLUX_TARGET) || defined(TEST_DRIVE_TARGET)
#define TEST_HAS_EFFECTS 1
const axisim_plugin_effect effects[] = {
#ifdef TEST_FLUX_TARGET
    {TEST_FLUX_TARGET, AXISIM_EFFECT_FLUX, "a constant influx"},
#endif
#ifdef TEST_DRIVE_TARGET
    {TEST_DRIVE_TARGET, AXISIM_EFFECT_PARAMETER, "held at `level`"},
#endif
};
#endif

#ifdef TEST_DRIVE_TARGET
int drive(double, const double* p, const double*, double* e) {
  // The PARAMETER effect is the last slot (after a FLUX one, if any).
#ifdef TEST_FLUX_TARGET
  e[1] = p[kLevel];
#else
  e[0] = p[kLevel];
#endif
  return 0;
}
#endif

int derivatives(double t, const double*, const double* p, const double* x, double* dx, double* e) {
#if TEST_FAULT == 1
  // Deliberately unguarded: the exception crosses the C boundary into axisim, which the SDK
  // forbids; the host must still survive it.
  if (t >= p[kTFault]) throw std::runtime_error("test plugin: deliberate exception");
#elif TEST_FAULT == 2
  if (t >= p[kTFault]) {
    dx[0] = std::numeric_limits<double>::quiet_NaN();
    dx[1] = 0.0;
    return 0;
  }
#elif TEST_FAULT == 3
  if (t >= p[kTFault]) return 42;
#elif TEST_FAULT == 4
  if (t >= p[kTFault]) {  // forgets dx[1]
    dx[0] = p[kOmega] * x[1];
    return 0;
  }
#else
  (void)t;
#endif
  dx[0] = p[kOmega] * x[1];
  dx[1] = -p[kOmega] * x[0];
#ifdef TEST_FLUX_TARGET
  e[0] = p[kFlux];
#else
  (void)e;
#endif
  return 0;
}

int observe(double, const double* in, const double*, const double* x, double* out) {
  out[0] = in[0];
  out[1] = x[0] * x[0] + x[1] * x[1];
  return 0;
}

const axisim_plugin_info info = {
    TEST_ABI_VERSION, TEST_PLUGIN_NAME, "0.0.1", "axisim test plugin",
    inputs, axisim::plugin::count(inputs), parameters, axisim::plugin::count(parameters),
    states, axisim::plugin::count(states), outputs, axisim::plugin::count(outputs),
#ifdef TEST_HAS_EFFECTS
    effects, axisim::plugin::count(effects),
#else
    nullptr, 0,
#endif
#ifdef TEST_DRIVE_TARGET
    drive,
#else
    nullptr,
#endif
    derivatives, observe};

}  // namespace

AXISIM_PLUGIN(info)
