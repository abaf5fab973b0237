// bone-linear — the simplest alternative bone plugin: bone mineral density changes in
// proportion to how far free IGF-1 is from its reference, with no remodelling cycle.
//
//   dBMD/dt = k * (IGF_f / IGF_ref - 1)            (BMD in %, k in % per time unit)
//
// It answers "what if bone simply integrated IGF-1?" and shows swapping one bone plugin for
// another without rebuilding axisim: under a sustained rise it keeps gaining, where `bone`
// levels off once resorption catches up with formation.
#include <cmath>

#include <axisim/plugin.hpp>

namespace {

const axisim_plugin_input inputs[] = {{"IGF_f", "free IGF-1 in plasma (nM)"}};
const char* const input_units[] = {"nM"};  // version 2: checked against the model's
const axisim_plugin_quantity parameters[] = {
    {"k", 1e-4, "%/time", "BMD change per time unit per fold excess of free IGF-1 (assumption)"},
    {"IGF_ref", 0.1176655, "nM", "free IGF-1 at which BMD is steady (the flagship model's baseline)"},
};
const axisim_plugin_quantity states[] = {{"BMD", 0.0, "%", "bone mineral density change from baseline"}};
const axisim_plugin_quantity outputs[] = {{"BMD_change_pct", 0, "%", "bone mineral density change"}};

int derivatives(double, const double* in, const double* p, const double*, double* dx, double*) {
  dx[0] = p[0] * (in[0] / p[1] - 1.0);
  return 0;
}

int observe(double, const double*, const double*, const double* x, double* out) {
  out[0] = x[0];
  return 0;
}

// Version 2 declared range (a value outside stops the run, naming the plugin): BMD (%) not
// below -100.
const axisim_plugin_range state_ranges[] = {{-100.0, INFINITY}};

const axisim_plugin_info_v2 info = {
    {AXISIM_PLUGIN_ABI_VERSION, "bone-linear", "1.0.0",
     "BMD integrating the excess of free IGF-1 over its reference (no remodelling cycle)",
     inputs, axisim::plugin::count(inputs), parameters, axisim::plugin::count(parameters),
     states, axisim::plugin::count(states), outputs, axisim::plugin::count(outputs),
     nullptr, 0, nullptr, derivatives, observe},
    axisim::plugin::keep_host, nullptr, state_ranges, nullptr,
    input_units, nullptr};

}  // namespace

AXISIM_PLUGIN(info)
