// my-tissue — a template axisim tissue plugin: a tissue level L of free IGF-1 that follows the
// plasma level with a first-order lag.
//
//   dL/dt = k_t * (IGF_f - L)                   L(0) = 0.15 nM (the model's baseline)
//   equilibration_pct = 100 * L / IGF_f         how far the tissue has caught up with plasma
//
// With IGF_f held at F: L(t) = F + (0.15 - F) exp(-k_t t).
//
// It shows each part of a plugin once: one SBML id it reads (IGF_f), one parameter (k_t), one
// state (L) and one output (equilibration_pct). Copy it, rename it, and replace the maths.
// The rules (docs/writing-plugins.md): only C types cross into axisim; no exception may leave a
// plugin function; no allocation and no state kept between calls, because one loaded library
// serves many simulations on many threads at once.
#include <cmath>  // INFINITY

#include <axisim/plugin.hpp>  // the C ABI (axisim/plugin_sdk.h) plus guard(), count() and AXISIM_PLUGIN

namespace {  // everything but the entry point stays private to the library

// What the plugin reads from the model, by SBML id: a species (as the model's maths sees it,
// usually a concentration), a parameter, a compartment or an assignment-rule variable. axisim
// binds these when the plugin is attached and refuses a model that lacks one.
const axisim_plugin_input inputs[] = {
    {"IGF_f", "free IGF-1 in plasma (nM)"},
};

// The plugin's own constants: name, default, units, description. The user changes them with
// `--plugin-param my-tissue.k_t=0.2` (or Model::attach(plugin, {{"k_t", 0.2}})).
const axisim_plugin_quantity parameters[] = {
    {"k_t", 0.1, "1/h", "rate at which the tissue level follows plasma (assumption)"},
};

// The plugin's state variables, with their initial values. axisim integrates them together
// with the model (same CVODE run, same tolerances); `--select my-tissue.L` reports one.
const axisim_plugin_quantity states[] = {
    {"L", 0.15, "nM", "free IGF-1 in the tissue"},
};

// Observables, computed at output times and reported as columns "my-tissue.<name>"
// (the value field is unused for outputs).
const axisim_plugin_quantity outputs[] = {
    {"equilibration_pct", 0, "%", "tissue level as a percentage of the plasma level"},
};

// Indices into the arrays axisim passes, in declaration order.
enum Input { kIgf };
enum Param { kKt };
enum State { kL };
enum Output { kEquilibration };

// d(states)/dt at time t. Every array belongs to axisim; write only dx (and the FLUX slots of
// `effects`, if the plugin declared any). Return 0 on success: anything else stops the run
// with this plugin named. guard() turns a C++ exception into a non-zero status, so that none
// crosses into axisim.
int derivatives(double /*t*/, const double* in, const double* p, const double* x, double* dx, double* /*effects*/) {
  return axisim::plugin::guard([&] { dx[kL] = p[kKt] * (in[kIgf] - x[kL]); });
}

// The outputs at an output time. A non-finite value (here: IGF_f = 0) also stops the run.
int observe(double /*t*/, const double* in, const double* /*p*/, const double* x, double* out) {
  return axisim::plugin::guard([&] { out[kEquilibration] = 100.0 * x[kL] / in[kIgf]; });
}

// Version 2 (docs/writing-plugins.md, "ABI version 2"): the meaningful range of each state
// (a value outside stops the run, naming the plugin and the state), here L >= 0.
const axisim_plugin_range state_ranges[] = {
    {0.0, INFINITY},
};

// Version 2: the units of each input, checked against the model's when the plugin is attached
// (a model that declares none is not checked). "nM", "mmol/l", "1/h", "dimensionless".
const char* const input_units[] = {
    "nM",
};

// Version 2: d(dstates)/d(states), row-major (J[i * num_states + j] = d dx_i / d x_j); axisim's
// sparse Jacobian then takes these entries from here instead of difference quotients.
int jacobian(double /*t*/, const double* /*in*/, const double* p, const double* /*x*/, double* J) {
  J[0] = -p[kKt];  // d(dL/dt)/dL, the only entry of a 1 x 1 block
  return 0;
}

// The description axisim reads through the entry point; it must live as long as the library.
// A version 2 description: version 1's fields, then the version 2 ones.
const axisim_plugin_info_v2 info = {
    {
        AXISIM_PLUGIN_ABI_VERSION,  // the ABI this was built for: axisim refuses one it does not know
        "my-tissue",                // the plugin's name: same as in axisim_add_plugin()
        "0.1.0",
        "Template: tissue free IGF-1 following plasma with a first-order lag",
        inputs, axisim::plugin::count(inputs),
        parameters, axisim::plugin::count(parameters),
        states, axisim::plugin::count(states),
        outputs, axisim::plugin::count(outputs),
        nullptr, 0,   // effects: none (see docs/writing-plugins.md for FLUX and PARAMETER effects)
        nullptr,      // drive: only for plugins that drive a model parameter
        derivatives,
        observe,
    },
    axisim::plugin::keep_host,  // connect: axisim::plugin::log() (and guard()'s exception texts) reach axisim's log
    nullptr,                    // init: for initial states computed from parameters or inputs (here L(0) is fixed)
    state_ranges,
    nullptr,                    // effect_ranges: no effects
    // Appended to version 2 (AXISIM_PLUGIN also exports axisim_plugin_info_v2_size, which tells
    // axisim how far this description goes):
    input_units,
    nullptr,                    // effect_units: no effects
    nullptr,                    // drive_v2: drive with the inputs, for plugins that drive a parameter
    nullptr,                    // drive_inputs: which inputs drive_v2 reads (NULL: all)
    jacobian,
    0, nullptr, nullptr,        // num_roots, roots, on_root: root functions the integrator stops at
};

}  // namespace

// Defines the exported entry points, axisim_plugin_entry() and axisim_plugin_entry_v2().
AXISIM_PLUGIN(info)
