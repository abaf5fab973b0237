// muscle — muscle protein mass with free IGF-1 as the anabolic drive.
//
//   dM/dt = k_s * (1 + a_M * (IGF_f / IGF_ref - 1)) - k_d * M,   k_s = k_d * M_ref
//
// Model brief section 4.5 (muscle) and 3.9: k_d = 0.0007 /h (fractional synthesis rate
// ~0.07 %/h, Tuvdendorj 2014); a_M = 0.05 per fold of IGF-1 so that a 3.3-fold rise gives
// about +12% synthesis (Russell-Jones 1994). M_ref is an assumption (28 kg of muscle protein
// mass would be a 70 kg adult's muscle; only relative changes are reported). Time is in hours.
#include <axisim/plugin.hpp>

namespace {

enum Param { kD, kA, kIgfRef, kMref };

const axisim_plugin_input inputs[] = {{"IGF_f", "free IGF-1 in plasma (nM)"}};
const axisim_plugin_quantity parameters[] = {
    {"k_d", 0.0007, "1/h", "fractional breakdown rate (brief 3.9: FSR 0.07 %/h)"},
    {"a_M", 0.05, "1", "rise in synthesis per fold of free IGF-1 (brief 4.5, Russell-Jones 1994)"},
    {"IGF_ref", 0.1176655, "nM", "free IGF-1 at which muscle is at steady state (the flagship model's baseline)"},
    {"M_ref", 28.0, "kg", "muscle protein mass at baseline (assumption)"},
};
const axisim_plugin_quantity states[] = {{"M", 28.0, "kg", "muscle protein mass"}};
const axisim_plugin_quantity outputs[] = {
    {"FSR", 0, "%/h", "fractional synthesis rate"},
    {"mass_change_pct", 0, "%", "muscle mass change from baseline"},
};

double synthesis(const double* in, const double* p) {
  return p[kD] * p[kMref] * (1.0 + p[kA] * (in[0] / p[kIgfRef] - 1.0));
}

int derivatives(double, const double* in, const double* p, const double* x, double* dx, double*) {
  return axisim::plugin::guard([&] { dx[0] = synthesis(in, p) - p[kD] * x[0]; });
}

int observe(double, const double* in, const double* p, const double* x, double* out) {
  return axisim::plugin::guard([&] {
    out[0] = 100.0 * synthesis(in, p) / x[0];
    out[1] = 100.0 * (x[0] / p[kMref] - 1.0);
  });
}

const axisim_plugin_info info = {
    AXISIM_PLUGIN_ABI_VERSION, "muscle", "1.0.0",
    "Muscle protein synthesis and breakdown with free IGF-1 as anabolic drive (brief 4.5)",
    inputs, axisim::plugin::count(inputs), parameters, axisim::plugin::count(parameters),
    states, axisim::plugin::count(states), outputs, axisim::plugin::count(outputs),
    nullptr, 0, nullptr, derivatives, observe};

}  // namespace

AXISIM_PLUGIN(info)
