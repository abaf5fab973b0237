// muscle — muscle protein mass with free IGF-1 as the anabolic drive.
//
//   dM/dt = k_s * (1 + a_M * (h(f) - h(1))) - k_d * M,   k_s = k_d * M_ref
//   h(f)  = f^n / (f^n + K^n),   f = IGF_f / IGF_ref              (saturating IGF-1 drive)
//
// Model brief section 4.5 (muscle) and 3.9: k_d = 0.0007 /h (fractional synthesis rate
// ~0.07 %/h, Tuvdendorj 2014). Why saturating (issue 16): a drive linear in free IGF-1 calibrated
// on Russell-Jones 1994 (+12% synthesis for a 3.3-fold IGF-1 rise) gives +1343% when the
// flagship's free IGF-1 rises 270-fold under an acute infusion (V32), and one small enough for
// V32 gives no lean-mass gain under GH (V33). a_M = 0.25 (the Emax: at most +25% synthesis), K_M = 1.5 fold
// of baseline free IGF-1 and n = 1 are ASSUMPTIONS calibrated on V32 (+5..+20% synthesis within
// 3 h of an infusion that triples total IGF-1) and V33 (+2..+10% lean mass after 6 months of GH,
// free IGF-1 x 1.9); a 3.34-fold free IGF-1 rise gives +7%. M_ref is an assumption (28 kg of
// muscle protein mass would be a 70 kg adult's muscle; only relative changes are reported).
// Time is in hours.
#include <algorithm>
#include <cmath>

#include <axisim/plugin.hpp>

namespace {

enum Param { kD, kA, kIgfRef, kMref, kK, kN };

const axisim_plugin_input inputs[] = {{"IGF_f", "free IGF-1 in plasma (nM)"}};
const char* const input_units[] = {"nM"};  // version 2: checked against the model's
const axisim_plugin_quantity parameters[] = {
    {"k_d", 0.0007, "1/h", "fractional breakdown rate (brief 3.9: FSR 0.07 %/h)"},
    {"a_M", 0.25, "1", "maximal fractional rise of synthesis by free IGF-1, Emax (assumption, calibrated on V32/V33)"},
    {"IGF_ref", 0.1176655, "nM", "free IGF-1 at which muscle is at steady state (the flagship model's baseline)"},
    {"M_ref", 28.0, "kg", "muscle protein mass at baseline (assumption)"},
    {"K_M", 1.5, "1", "free IGF-1 (fold of IGF_ref) at half-maximal drive (assumption, calibrated on V32/V33)"},
    {"n_M", 1.0, "1", "Hill coefficient of the IGF-1 drive (assumption: Emax form)"},
};
const axisim_plugin_quantity states[] = {{"M", 28.0, "kg", "muscle protein mass"}};
const axisim_plugin_quantity outputs[] = {
    {"FSR", 0, "%/h", "fractional synthesis rate"},
    {"mass_change_pct", 0, "%", "muscle mass change from baseline"},
};

// Saturating response to the free IGF-1 fold f (0 at f = 0, 1/2 at f = K_M).
double hill(double f, const double* p) {
  const double fn = std::pow(std::max(f, 0.0), p[kN]);
  return fn / (fn + std::pow(p[kK], p[kN]));
}

double synthesis(const double* in, const double* p) {
  return p[kD] * p[kMref] * (1.0 + p[kA] * (hill(in[0] / p[kIgfRef], p) - hill(1.0, p)));
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

// Version 2: M(0) = M_ref, so that the plugin starts at its own reference whatever M_ref is set to
// (issue 17: with M_ref = 30 a fixed M(0) = 28 drifted towards 30); --set muscle.M=V overrides it.
int init(const double*, const double* p, double* x) {
  x[0] = p[kMref];
  return 0;
}

// Version 2 declared range (a value outside stops the run, naming the plugin): muscle protein
// mass, not negative.
const axisim_plugin_range state_ranges[] = {{0.0, INFINITY}};

const axisim_plugin_info_v2 info = {
    {AXISIM_PLUGIN_ABI_VERSION, "muscle", "1.1.0",
     "Muscle protein synthesis and breakdown with free IGF-1 as anabolic drive (brief 4.5)",
     inputs, axisim::plugin::count(inputs), parameters, axisim::plugin::count(parameters),
     states, axisim::plugin::count(states), outputs, axisim::plugin::count(outputs),
     nullptr, 0, nullptr, derivatives, observe},
    axisim::plugin::keep_host, init, state_ranges, nullptr,
    input_units, nullptr};

}  // namespace

AXISIM_PLUGIN(info)
