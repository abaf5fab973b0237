// gut-barrier — epithelial integrity T (1 = healthy) driven by butyrate and free IGF-1; it
// drives the model's parameter `barrier_integrity`, which scales colonic SCFA absorption, and
// so closes the gut-health loop (brief sections 3.11 and 4.5).
//
//   dT/dt = k_r * (1 + a_B * phi(Bu_epi) + a_I * (IGF_f / IGF_ref - 1)) * (T_max - T)
//           - k_dmg * (1 + d_abx * (1 - Xmic)) * T
//   phi(b) = benefit(b) - (b / b_tox)^n_tox                         (biphasic: Peng 2007)
//   benefit(b) = (b / b_opt) * exp(1 - b / b_opt) below b_opt, 1 above (it rises to its peak at
//   b_opt and stays there; smooth at b_opt, where both sides have slope 0)
//
// k_r = ln 2 / 108 h (epithelial renewal 4-5 days). k_dmg is not a parameter: it is set so that
// T = 1 is the steady state at the reference inputs (Bu_ref, IGF_ref, Xmic = 1). a_B, a_I,
// d_abx and T_max are assumptions (brief 4.5 gives the form, not the values).
#include <cmath>

#include <axisim/plugin.hpp>

namespace {

enum Input { kBu, kIgf, kXmic };
enum Param { kKr, kAB, kAI, kDabx, kTmax, kBopt, kBtox, kNtox, kBuRef, kIgfRef };

const axisim_plugin_input inputs[] = {
    {"Bu_epi", "butyrate in colonocytes (mM)"},
    {"IGF_f", "free IGF-1 in plasma (nM)"},
    {"Xmic", "fermentative capacity of the microbiota (1 = normal, 0 = germ-free)"},
};
const char* const input_units[] = {"mM", "nM", "dimensionless"};  // version 2: checked against the model's
const axisim_plugin_quantity parameters[] = {
    {"k_r", 0.0064180, "1/h", "repair rate, ln 2 / 108 h (renewal 4-5 days, brief 3.11)"},
    {"a_B", 0.5, "1", "gain of the butyrate effect (assumption)"},
    {"a_I", 0.2, "1", "gain per fold of free IGF-1 (assumption; Lorenzo-Zuniga 2006 direction)"},
    {"d_abx", 1.0, "1", "extra damage without microbiota (assumption)"},
    {"T_max", 1.5, "1", "integrity ceiling (assumption)"},
    {"b_opt", 2.0, "mM", "butyrate at which the barrier benefit peaks (Peng 2007)"},
    {"b_tox", 7.25, "mM", "butyrate at which the harm cancels the whole benefit (assumption; Peng 2007: 8 mM harms)"},
    {"n_tox", 6.0, "1", "steepness of the harm (assumption: apoptosis sets in over a narrow range)"},
    {"Bu_ref", 1.585901, "mM", "colonocyte butyrate at baseline (the flagship model's baseline steady state)"},
    {"IGF_ref", 0.1176655, "nM", "free IGF-1 at baseline (the flagship model's baseline steady state)"},
};
const axisim_plugin_quantity states[] = {{"T", 1.0, "1", "epithelial integrity (TEER index, 1 = healthy)"}};
const axisim_plugin_quantity outputs[] = {
    {"TEER_pct", 0, "%", "transepithelial resistance, % of baseline"},
    {"permeability_rel", 0, "1", "paracellular permeability relative to baseline (1/T)"},
    {"LPS_translocation", 0, "1", "LPS translocation index (1 - T, at least 0)"},
};
const axisim_plugin_effect effects[] = {
    {"barrier_integrity", AXISIM_EFFECT_PARAMETER, "scales colonic SCFA absorption (brief 4.5 feedback)"},
};
const char* const effect_units[] = {"dimensionless"};

// The benefit holds at its peak above b_opt: Peng's monolayers lost TER at 8 mM through apoptosis,
// which the harm term carries, and nothing measured between 2 and 8 mM says the benefit itself
// wanes. Version 1.0.0's bell-shaped benefit with a fourth-power harm made 2.4 mM worse than the
// 1.59 mM baseline, so a day's transient to 3 mM at the start of a fibre course lowered TEER (issue
// 16). b_tox and n_tox keep 1.0.0's phi(8 mM) = -0.80, so Peng's harmful dose harms as much as it did
// (TEER 67% at 8 mM), while phi stays above its baseline value up to about 4 mM.
double phi(double b, const double* p) {
  const double benefit = b < p[kBopt] ? (b / p[kBopt]) * std::exp(1.0 - b / p[kBopt]) : 1.0;
  return benefit - std::pow(b / p[kBtox], p[kNtox]);
}

double repair(const double* in, const double* p) {
  return p[kKr] * (1.0 + p[kAB] * phi(in[kBu], p) + p[kAI] * (in[kIgf] / p[kIgfRef] - 1.0));
}

// Damage rate that makes T = 1 the steady state at the reference inputs.
double damage(const double* p) {
  return p[kKr] * (1.0 + p[kAB] * phi(p[kBuRef], p)) * (p[kTmax] - 1.0);
}

int drive(double, const double*, const double* x, double* effects_out) {
  effects_out[0] = x[0];
  return 0;
}

int derivatives(double, const double* in, const double* p, const double* x, double* dx, double*) {
  return axisim::plugin::guard([&] {
    dx[0] = repair(in, p) * (p[kTmax] - x[0]) - damage(p) * (1.0 + p[kDabx] * (1.0 - in[kXmic])) * x[0];
  });
}

int observe(double, const double*, const double*, const double* x, double* out) {
  return axisim::plugin::guard([&] {
    out[0] = 100.0 * x[0];
    out[1] = 1.0 / x[0];
    out[2] = x[0] < 1.0 ? 1.0 - x[0] : 0.0;
  });
}

// Version 2 declared ranges (a value outside stops the run, naming the plugin): T, and
// barrier_integrity, which is T, not negative (a negative absorption scale has no meaning).
const axisim_plugin_range state_ranges[] = {{0.0, INFINITY}};
const axisim_plugin_range effect_ranges[] = {{0.0, INFINITY}};

const axisim_plugin_info_v2 info = {
    {AXISIM_PLUGIN_ABI_VERSION, "gut-barrier", "1.1.0",
     "Epithelial integrity driven by butyrate and free IGF-1, feeding back on SCFA absorption (brief 4.5)",
     inputs, axisim::plugin::count(inputs), parameters, axisim::plugin::count(parameters),
     states, axisim::plugin::count(states), outputs, axisim::plugin::count(outputs),
     effects, axisim::plugin::count(effects), drive, derivatives, observe},
    axisim::plugin::keep_host, nullptr, state_ranges, effect_ranges,
    input_units, effect_units};

}  // namespace

AXISIM_PLUGIN(info)
