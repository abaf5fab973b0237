// test_plugin_drive_input.cpp — ABI version 2's drive_v2: drive reading an input
// ("test-drive-input" and variants, tests/plugins/CMakeLists.txt).
//
//   reads    TEST_DRIVE_INPUT (default Bu_col, a species: no cycle)
//   drives   barrier_integrity = c * input / 20
// In tissue_inputs.xml, dBu_col/dt = -k_abs barrier_integrity Bu_col = -(c k_abs / 20) Bu_col^2,
// so Bu_col(t) = 20 / (1 + c k_abs t) and barrier_integrity(t) = 1 / (1 + c k_abs t).
// TEST_DRIVE_INPUT="absorption" (a reaction rate that reads barrier_integrity) is a cycle.
// Units: the input in TEST_INPUT_UNITS (default "mmol/l"), the effect in TEST_EFFECT_UNITS
// (default "dimensionless"), checked against models that declare units.
#include <axisim/plugin.hpp>

#ifndef TEST_PLUGIN_NAME
#define TEST_PLUGIN_NAME "test-drive-input"
#endif
#ifndef TEST_DRIVE_INPUT
#define TEST_DRIVE_INPUT "Bu_col"
#endif
#ifndef TEST_INPUT_UNITS
#define TEST_INPUT_UNITS "mmol/l"
#endif
#ifndef TEST_EFFECT_UNITS
#define TEST_EFFECT_UNITS "dimensionless"
#endif

namespace {

const axisim_plugin_input inputs[] = {{TEST_DRIVE_INPUT, "barrier_integrity = c * it / 20"}};
const char* const input_units[] = {TEST_INPUT_UNITS};
const axisim_plugin_quantity parameters[] = {{"c", 1.0, "1", "barrier_integrity per (input / 20)"}};
const axisim_plugin_effect effects[] = {{"barrier_integrity", AXISIM_EFFECT_PARAMETER, "c * input / 20"}};
const char* const effect_units[] = {TEST_EFFECT_UNITS};

int drive_v2(double, const double* in, const double* p, const double*, double* e) {
  e[0] = p[0] * in[0] / 20.0;
  return 0;
}

const axisim_plugin_info_v2 info = {
    {AXISIM_PLUGIN_ABI_VERSION, TEST_PLUGIN_NAME, "0.0.1", "drive with an input", inputs, axisim::plugin::count(inputs),
     parameters, axisim::plugin::count(parameters), nullptr, 0, nullptr, 0, effects, axisim::plugin::count(effects),
     nullptr, nullptr, nullptr},
    axisim::plugin::keep_host, nullptr, nullptr, nullptr,
    input_units, effect_units, drive_v2, nullptr /* drive_inputs: all */, nullptr, 0, nullptr, nullptr};

}  // namespace

AXISIM_PLUGIN(info)
