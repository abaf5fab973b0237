// bone — bone remodelling after Lemaire et al. 2004 (BIOMD0000000278), with free IGF-1 raising
// the differentiation of osteoblast progenitors (brief sections 3.8 and 4.5).
//
// States are relative to their baseline (1 = steady state): responding osteoblasts R, active
// osteoblasts B, the osteoblast-derived osteoclastogenic signal L (RANKL), active osteoclasts C;
// and the bone mineral density change BMD (%).
//   pi_C(C)  = (C C_ref + f0 C_s) / (C C_ref + C_s),   pi0 = pi_C(1)
//   h(f)     = f^n / (f^n + K^n),   f = IGF_f / IGF_ref                (saturating IGF-1 drive)
//   pi_IGF   = max(0, 1 + a_IGF (h(f) - h(1)))
//   dR/dt    = (D_B / pi0) (pi_IGF pi_C / pi0 - (pi0 / pi_C) R)
//   dB/dt    = k_B ((pi0 / pi_C) R - B)
//   dL/dt    = k_L (B - L)                           (RANKL follows the osteoblasts, with a delay)
//   dC/dt    = D_A pi0 (L - C)                       (osteoclastogenesis follows RANKL)
//   dBMD/dt  = kappa (B - C)
// Normalising by the baseline makes R = B = L = C = 1 the steady state for any rate constants;
// the rates are Lemaire's (per day; the model's time unit is set by `per_day`). RANKL/OPG/PTH are
// not modelled in full: osteoclast recruitment follows the osteoblast lineage through L, a
// simplification of Lemaire's pi_L that makes resorption catch up with formation, so a sustained
// rise in IGF-1 gives a bounded BMD gain (the brief: the plugin must not overpredict).
// Why a saturating drive (Emax/Hill, issue 16): the IGF-1 receptor's response saturates, and a
// drive linear in free IGF-1 cannot meet both V27 (GH, free IGF-1 x 1.9: BMD +0.5..3% in 6
// months) and V28 (rhIGF-1, free IGF-1 x 12: |BMD| <= 1.5% in a year). a_IGF (the Emax), K_IGF and n_IGF are
// ASSUMPTIONS calibrated on V25, V27 and V28 together (docs/model.md): half the maximal drive at
// the subject's own baseline free IGF-1 (K = 1), so a fall of IGF-1 is felt as strongly as a rise.
// Why the delay L (issue 16, V25): in anabolic therapy formation markers rise weeks before
// resorption markers (the "anabolic window" of PTH/teriparatide therapy); k_L = 0.1 /day (a 10-day
// coupling delay, of the order of osteoclastogenesis from precursors) is an ASSUMPTION chosen so
// that low-dose rhIGF-1 raises formation >= 20% with resorption within 15% at day 21 (Ghiron 1995).
// kappa is calibrated (V27, V28).
#include <algorithm>
#include <cmath>

#include <axisim/plugin.hpp>

namespace {

enum Param { kDB, kKB, kDA, kCs, kF0, kCref, kAIgf, kIgfRef, kKappa, kPerDay, kKIgf, kNIgf, kKL };
enum State { kR, kB, kC, kBMD, kL };

const axisim_plugin_input inputs[] = {{"IGF_f", "free IGF-1 in plasma (nM)"}};
const char* const input_units[] = {"nM"};  // version 2: checked against the model's
const axisim_plugin_quantity parameters[] = {
    {"D_B", 0.7, "1/day", "differentiation of responding osteoblasts (Lemaire 2004)"},
    {"k_B", 0.189, "1/day", "elimination of active osteoblasts (Lemaire 2004)"},
    {"D_A", 0.7, "1/day", "osteoclast apoptosis (Lemaire 2004)"},
    {"C_s", 5e-3, "pM", "osteoclast level of half-maximal TGF-beta effect (Lemaire 2004)"},
    {"f0", 0.05, "1", "fraction of TGF-beta effect without osteoclasts (Lemaire 2004)"},
    {"C_ref", 9.127e-4, "pM", "osteoclasts at steady state (Lemaire 2004)"},
    {"a_IGF", 0.4, "1", "maximal rise of progenitor differentiation by free IGF-1, Emax (assumption, calibrated on V25/V27/V28)"},
    {"IGF_ref", 0.1176655, "nM", "free IGF-1 at baseline (the flagship model's baseline steady state)"},
    {"kappa", 0.12, "%/day", "BMD change per unit formation-resorption imbalance (calibrated, V27/V28)"},
    {"per_day", 24.0, "time units/day", "model time units in a day (24 for hours)"},
    {"K_IGF", 1.0, "1", "free IGF-1 (fold of IGF_ref) at half-maximal drive (assumption, calibrated on V27/V28)"},
    {"n_IGF", 3.0, "1", "Hill coefficient of the IGF-1 drive (assumption, calibrated on V27/V28)"},
    {"k_L", 0.1, "1/day", "rate at which osteoclast recruitment (RANKL) follows the osteoblasts (assumption, V25)"},
};
const axisim_plugin_quantity states[] = {
    {"R", 1.0, "1", "responding osteoblasts, relative to baseline"},
    {"B", 1.0, "1", "active osteoblasts, relative to baseline"},
    {"C", 1.0, "1", "active osteoclasts, relative to baseline"},
    {"BMD", 0.0, "%", "bone mineral density change from baseline"},
    {"L", 1.0, "1", "osteoblast-derived osteoclastogenic signal (RANKL), relative to baseline"},
};
const axisim_plugin_quantity outputs[] = {
    {"formation_rate", 0, "1", "bone formation rate relative to baseline (active osteoblasts)"},
    {"resorption_rate", 0, "1", "bone resorption rate relative to baseline (active osteoclasts)"},
    {"P1NP_change_pct", 0, "%", "formation marker (P1NP/osteocalcin) change"},
    {"CTX_change_pct", 0, "%", "resorption marker (CTX) change"},
    {"BMD_change_pct", 0, "%", "bone mineral density change"},
};

double pi_c(double c, const double* p) {
  const double C = c * p[kCref];
  return (C + p[kF0] * p[kCs]) / (C + p[kCs]);
}

// Saturating response to the free IGF-1 fold f (Hill; 0 at f = 0, 1/2 at f = K_IGF).
double hill(double f, const double* p) {
  const double fn = std::pow(std::max(f, 0.0), p[kNIgf]);
  return fn / (fn + std::pow(p[kKIgf], p[kNIgf]));
}

int derivatives(double, const double* in, const double* p, const double* x, double* dx, double*) {
  return axisim::plugin::guard([&] {
    const double scale = 1.0 / p[kPerDay];
    const double pi0 = pi_c(1.0, p), pc = pi_c(x[kC], p);
    const double pi_igf = std::max(0.0, 1.0 + p[kAIgf] * (hill(in[0] / p[kIgfRef], p) - hill(1.0, p)));
    dx[kR] = scale * (p[kDB] / pi0) * (pi_igf * pc / pi0 - (pi0 / pc) * x[kR]);
    dx[kB] = scale * p[kKB] * ((pi0 / pc) * x[kR] - x[kB]);
    dx[kL] = scale * p[kKL] * (x[kB] - x[kL]);
    dx[kC] = scale * p[kDA] * pi0 * (x[kL] - x[kC]);
    dx[kBMD] = scale * p[kKappa] * (x[kB] - x[kC]);
  });
}

int observe(double, const double*, const double*, const double* x, double* out) {
  return axisim::plugin::guard([&] {
    out[0] = x[kB];
    out[1] = x[kC];
    out[2] = 100.0 * (x[kB] - 1.0);
    out[3] = 100.0 * (x[kC] - 1.0);
    out[4] = x[kBMD];
  });
}

// Version 2 declared ranges (a value outside stops the run, naming the plugin): R, B, C and L
// are cells and a signal relative to baseline, not negative; BMD (%) not below -100.
const axisim_plugin_range state_ranges[] = {
    {0.0, INFINITY}, {0.0, INFINITY}, {0.0, INFINITY}, {-100.0, INFINITY}, {0.0, INFINITY}};

const axisim_plugin_info_v2 info = {
    {AXISIM_PLUGIN_ABI_VERSION, "bone", "2.0.0",  // 2.0.0: issue 16's saturating IGF-1 drive and RANKL delay
     "Bone remodelling after Lemaire 2004 with free IGF-1 driving osteoblast differentiation (brief 4.5)",
     inputs, axisim::plugin::count(inputs), parameters, axisim::plugin::count(parameters),
     states, axisim::plugin::count(states), outputs, axisim::plugin::count(outputs),
     nullptr, 0, nullptr, derivatives, observe},
    axisim::plugin::keep_host, nullptr, state_ranges, nullptr,
    input_units, nullptr};

}  // namespace

AXISIM_PLUGIN(info)
