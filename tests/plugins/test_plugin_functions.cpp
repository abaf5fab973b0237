// test_plugin_functions.cpp — each shipped plugin's C functions called directly (through the
// axisim_plugin_info the host loaded) at a chosen state and chosen inputs, against the formula
// in the plugin's header comment, coded again here by hand.
//
// Parameter values: the constants taken from the literature (Lemaire 2004's rates, the muscle
// turnover of brief 3.9, the barrier's renewal time and Peng 2007's butyrate levels) are typed
// in and checked, so a silent change shows; the references (IGF_ref, Bu_ref, Ac_ref, Pr_ref: the
// flagship model's baseline) and the calibrated gains are read from the plugin's declared
// defaults, so that recalibrating them does not break these tests.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "plugin_test_support.hpp"

namespace {

const double kRel = 1e-13;  // the same arithmetic in another order

// The declared names, in order.
std::vector<std::string> names(const std::vector<axisim::Plugin::Quantity>& qs) {
  std::vector<std::string> out;
  for (const auto& q : qs) out.push_back(q.name);
  return out;
}

}  // namespace

TEST_CASE("the plugins agree on the reference free IGF-1", "[plugins]") {
  const double igf = pt::param(pt::load("bone"), "IGF_ref");
  CHECK(igf > 0.0);
  for (const char* name : {"bone-linear", "muscle", "metabolic", "gut-barrier"}) {
    INFO(name);
    CHECK(pt::param(pt::load(name), "IGF_ref") == igf);
  }
}

TEST_CASE("bone: description, derivatives and outputs match the Lemaire-IGF formulas", "[plugins][bone]") {
  const axisim::Plugin bone = pt::load("bone");
  const axisim_plugin_info& c = pt::info(bone);
  CHECK(c.abi_version == AXISIM_PLUGIN_ABI_VERSION);
  CHECK(bone.name() == "bone");
  REQUIRE(bone.inputs().size() == 1);
  CHECK(bone.inputs()[0].sbml_id == "IGF_f");
  REQUIRE(names(bone.parameters()) == std::vector<std::string>{"D_B", "k_B", "D_A", "C_s", "f0", "C_ref", "a_IGF",
                                                               "IGF_ref", "kappa", "per_day", "K_IGF", "n_IGF", "k_L"});
  CHECK(names(bone.states()) == std::vector<std::string>{"R", "B", "C", "BMD", "L"});
  CHECK(names(bone.outputs()) == std::vector<std::string>{"formation_rate", "resorption_rate", "P1NP_change_pct",
                                                           "CTX_change_pct", "BMD_change_pct"});
  CHECK(bone.effects().empty());
  CHECK(pt::initial_states(bone) == std::vector<double>{1.0, 1.0, 1.0, 0.0, 1.0});
  REQUIRE(c.derivatives != nullptr);
  REQUIRE(c.observe != nullptr);
  CHECK(c.drive == nullptr);

  // Lemaire 2004 (BIOMD0000000278): per day and pM; the model's time is in hours.
  const double D_B = 0.7, k_B = 0.189, D_A = 0.7, C_s = 5e-3, f0 = 0.05, C_ref = 9.127e-4, per_day = 24.0;
  const std::vector<double> p = pt::defaults(bone);
  CHECK(std::vector<double>(p.begin(), p.begin() + 6) == std::vector<double>{D_B, k_B, D_A, C_s, f0, C_ref});
  CHECK(p[9] == per_day);
  const double a = p[6], IGF_ref = p[7], kappa = p[8], K = p[10], n = p[11], k_L = p[12];
  // docs/model.md (issue 16): Emax 0.4, half-maximal at the baseline fold, Hill 3, 10-day coupling delay.
  CHECK(a == 0.4);
  CHECK(K == 1.0);
  CHECK(n == 3.0);
  CHECK(k_L == 0.1);
  auto pi_c = [&](double C) { return (C * C_ref + f0 * C_s) / (C * C_ref + C_s); };
  auto h = [&](double f) { return std::pow(f, n) / (std::pow(f, n) + std::pow(K, n)); };
  const double pi0 = pi_c(1.0);

  SECTION("away from the steady state, IGF-1 doubled") {
    const double R = 1.3, B = 0.8, C = 1.2, BMD = 0.4, L = 1.1, F = 2.0 * IGF_ref;
    const double x[] = {R, B, C, BMD, L}, in[] = {F};
    double dx[5] = {}, out[5] = {};
    REQUIRE(c.derivatives(100.0, in, p.data(), x, dx, nullptr) == 0);
    const double pic = pi_c(C), pi_igf = 1.0 + a * (8.0 / 9.0 - 0.5);  // h(2) = 8/9, h(1) = 1/2
    PT_CHECK_CLOSE(pi_igf, 1.0 + a * (h(2.0) - h(1.0)), 1e-14, 0.0);
    PT_CHECK_CLOSE(dx[0], (D_B / pi0) * (pi_igf * pic / pi0 - (pi0 / pic) * R) / per_day, kRel, 0.0);
    PT_CHECK_CLOSE(dx[1], k_B * ((pi0 / pic) * R - B) / per_day, kRel, 0.0);
    PT_CHECK_CLOSE(dx[2], D_A * pi0 * (L - C) / per_day, kRel, 0.0);
    PT_CHECK_CLOSE(dx[3], kappa * (B - C) / per_day, kRel, 0.0);
    PT_CHECK_CLOSE(dx[4], k_L * (B - L) / per_day, kRel, 0.0);
    REQUIRE(c.observe(100.0, in, p.data(), x, out) == 0);
    CHECK(out[0] == B);
    CHECK(out[1] == C);
    PT_CHECK_CLOSE(out[2], 100.0 * (B - 1.0), kRel, 1e-13);
    PT_CHECK_CLOSE(out[3], 100.0 * (C - 1.0), kRel, 1e-13);
    CHECK(out[4] == BMD);
  }
  SECTION("R = B = C = L = 1, BMD = 0 is exactly steady at baseline IGF-1") {
    const double x[] = {1.0, 1.0, 1.0, 0.0, 1.0}, in[] = {IGF_ref};
    double dx[5] = {9, 9, 9, 9, 9};
    REQUIRE(c.derivatives(0.0, in, p.data(), x, dx, nullptr) == 0);
    for (double d : dx) CHECK(d == 0.0);
  }
  SECTION("the drive saturates: 12-fold free IGF-1 gives less than 1.3 times the 2-fold drive's rise") {
    const double x[] = {1.0, 1.0, 1.0, 0.0, 1.0};
    double d2[5] = {}, d12[5] = {};
    const double in2[] = {2.0 * IGF_ref}, in12[] = {12.0 * IGF_ref};
    REQUIRE(c.derivatives(0.0, in2, p.data(), x, d2, nullptr) == 0);
    REQUIRE(c.derivatives(0.0, in12, p.data(), x, d12, nullptr) == 0);
    CHECK(d12[0] > d2[0]);
    CHECK(d12[0] < 1.3 * d2[0]);  // (h(12) - 1/2) / (h(2) - 1/2) = 0.4994 / 0.3889 = 1.28
  }
  SECTION("parameters are read from the array the host passes") {
    std::vector<double> q = p;
    q[6] = 0.5;   // a_IGF
    q[9] = 1.0;   // per_day: time in days
    q[11] = 1.0;  // n_IGF: Emax form, h(3) = 3/4
    const double x[] = {1.0, 1.0, 1.0, 0.0, 1.0}, in[] = {3.0 * IGF_ref};  // pi_IGF = 1 + 0.5 (3/4 - 1/2)
    double dx[5] = {};
    REQUIRE(c.derivatives(0.0, in, q.data(), x, dx, nullptr) == 0);
    PT_CHECK_CLOSE(dx[0], (D_B / pi0) * 0.125, 1e-12, 0.0);
    CHECK(dx[1] == 0.0);
  }
  SECTION("pi_IGF is clamped at 0 when IGF-1 is far below its reference") {
    std::vector<double> q = p;
    q[6] = 3.0;  // a_IGF: 1 + 3 (0 - 1/2) = -1/2, clamped to 0
    const double x[] = {1.0, 1.0, 1.0, 0.0, 1.0}, in[] = {0.0};
    double dx[5] = {};
    REQUIRE(c.derivatives(0.0, in, q.data(), x, dx, nullptr) == 0);
    PT_CHECK_CLOSE(dx[0], (D_B / pi0) * (0.0 - 1.0) / per_day, kRel, 0.0);
  }
}

TEST_CASE("bone-linear: dBMD/dt = k (IGF_f / IGF_ref - 1)", "[plugins][bone-linear]") {
  const axisim::Plugin bl = pt::load("bone-linear");
  const axisim_plugin_info& c = pt::info(bl);
  REQUIRE(names(bl.parameters()) == std::vector<std::string>{"k", "IGF_ref"});
  const std::vector<double> p = pt::defaults(bl);
  const double k = p[0], IGF_ref = p[1];
  const double x[] = {0.7}, in[] = {2.5 * IGF_ref};
  double dx[1] = {}, out[1] = {};
  REQUIRE(c.derivatives(0.0, in, p.data(), x, dx, nullptr) == 0);
  PT_CHECK_CLOSE(dx[0], k * 1.5, 1e-12, 0.0);
  REQUIRE(c.observe(0.0, in, p.data(), x, out) == 0);
  CHECK(out[0] == 0.7);
}

TEST_CASE("muscle: dM/dt = k_d M_ref (1 + a_M (h(F) - h(1))) - k_d M, h(F) = F / (F + K_M)", "[plugins][muscle]") {
  const axisim::Plugin muscle = pt::load("muscle");
  const axisim_plugin_info& c = pt::info(muscle);
  REQUIRE(muscle.inputs().size() == 1);
  CHECK(muscle.inputs()[0].sbml_id == "IGF_f");
  REQUIRE(names(muscle.parameters()) == std::vector<std::string>{"k_d", "a_M", "IGF_ref", "M_ref", "K_M", "n_M"});
  CHECK(names(muscle.states()) == std::vector<std::string>{"M"});
  CHECK(names(muscle.outputs()) == std::vector<std::string>{"FSR", "mass_change_pct"});
  // Brief 3.9: FSR 0.07 %/h. Saturating drive (issue 16): Emax 0.25, half-maximal at 1.5-fold
  // free IGF-1, n = 1 (docs/model.md, V32/V33).
  const double k_d = 0.0007, a_M = 0.25, M_ref = 28.0, K_M = 1.5;
  const std::vector<double> p = pt::defaults(muscle);
  CHECK(p[0] == k_d);
  CHECK(p[1] == a_M);
  CHECK(p[3] == M_ref);
  CHECK(p[4] == K_M);
  CHECK(p[5] == 1.0);
  const double IGF_ref = p[2];
  CHECK(pt::initial_states(muscle) == std::vector<double>{M_ref});

  SECTION("3.3-fold free IGF-1 raises synthesis by 7.2% (V32's range +5 to +20%; Russell-Jones 1994: +12%)") {
    const double M = 29.0, F = 3.3 * IGF_ref;
    const double x[] = {M}, in[] = {F};
    double dx[1] = {}, out[2] = {};
    REQUIRE(c.derivatives(5.0, in, p.data(), x, dx, nullptr) == 0);
    const double synthesis = k_d * M_ref * (1.0 + a_M * (3.3 / 4.8 - 1.0 / 2.5));  // +7.19%
    PT_CHECK_CLOSE(dx[0], synthesis - k_d * M, 1e-12, 1e-17);
    REQUIRE(c.observe(5.0, in, p.data(), x, out) == 0);
    PT_CHECK_CLOSE(out[0], 100.0 * synthesis / M, 1e-12, 0.0);
    PT_CHECK_CLOSE(out[1], 100.0 * (M / M_ref - 1.0), kRel, 0.0);
    CHECK_THAT(synthesis / (k_d * M_ref) - 1.0, Catch::Matchers::WithinAbs(0.071875, 1e-12));
  }
  SECTION("at baseline: steady, FSR 0.07 %/h (brief 3.9)") {
    const double x[] = {M_ref}, in[] = {IGF_ref};
    double dx[1] = {1}, out[2] = {};
    REQUIRE(c.derivatives(0.0, in, p.data(), x, dx, nullptr) == 0);
    CHECK_THAT(dx[0], Catch::Matchers::WithinAbs(0.0, 1e-17));
    REQUIRE(c.observe(0.0, in, p.data(), x, out) == 0);
    PT_CHECK_CLOSE(out[0], 0.07, kRel, 0.0);
    CHECK(out[1] == 0.0);
  }
}

TEST_CASE("metabolic: S_I relaxes to S_ref (1 + a_theta (theta - theta_ref)) u(IGF)", "[plugins][metabolic]") {
  const axisim::Plugin met = pt::load("metabolic");
  const axisim_plugin_info& c = pt::info(met);
  REQUIRE(met.inputs().size() == 3);
  CHECK(met.inputs()[0].sbml_id == "Ac_p");
  CHECK(met.inputs()[1].sbml_id == "Pr_p");
  CHECK(met.inputs()[2].sbml_id == "IGF_f");
  REQUIRE(names(met.parameters()) == std::vector<std::string>{"EC50_Ac", "EC50_Pr", "a_theta", "c_U", "tau", "S_ref",
                                                               "HOMA_ref", "Ac_ref", "Pr_ref", "IGF_ref"});
  CHECK(names(met.states()) == std::vector<std::string>{"S_I"});
  CHECK(names(met.outputs()) == std::vector<std::string>{"HOMA_IR", "GPR_occupancy"});
  const std::vector<double> p = pt::defaults(met);
  const double EC_A = p[0], EC_P = p[1], a_th = p[2], c_U = p[3], tau = p[4], S_ref = p[5], HOMA_ref = p[6],
               Ac_ref = p[7], Pr_ref = p[8], IGF_ref = p[9];
  CHECK(HOMA_ref == 1.59);  // Chambers 2019, control arm
  const double theta_ref = Ac_ref / (Ac_ref + EC_A) + Pr_ref / (Pr_ref + EC_P);

  SECTION("more SCFA and doubled IGF-1") {
    const double Ac = 120, Pr = 10, F = 2.0 * IGF_ref, S = 1.1;
    const double x[] = {S}, in[] = {Ac, Pr, F};
    double dx[1] = {}, out[2] = {};
    REQUIRE(c.derivatives(0.0, in, p.data(), x, dx, nullptr) == 0);
    const double theta = Ac / (Ac + EC_A) + Pr / (Pr + EC_P);
    const double l = std::log(2.0);
    const double target = S_ref * (1.0 + a_th * (theta - theta_ref)) * (1.0 - c_U * l * l);
    PT_CHECK_CLOSE(dx[0], (target - S) / tau, 1e-12, 1e-18);
    REQUIRE(c.observe(0.0, in, p.data(), x, out) == 0);
    PT_CHECK_CLOSE(out[0], HOMA_ref * S_ref / S, kRel, 0.0);
    PT_CHECK_CLOSE(out[1], theta, kRel, 0.0);
  }
  SECTION("the IGF-1 effect is U-shaped: halving and doubling IGF-1 lower S_I equally") {
    const double x[] = {S_ref};
    double d_half[1] = {}, d_double[1] = {}, d_ref[1] = {9};
    const double half[] = {Ac_ref, Pr_ref, 0.5 * IGF_ref}, twice[] = {Ac_ref, Pr_ref, 2.0 * IGF_ref},
                 ref[] = {Ac_ref, Pr_ref, IGF_ref};
    REQUIRE(c.derivatives(0.0, half, p.data(), x, d_half, nullptr) == 0);
    REQUIRE(c.derivatives(0.0, twice, p.data(), x, d_double, nullptr) == 0);
    REQUIRE(c.derivatives(0.0, ref, p.data(), x, d_ref, nullptr) == 0);
    CHECK(d_ref[0] == 0.0);  // S_I = S_ref is the steady state at the reference inputs
    CHECK(d_half[0] < 0.0);
    PT_CHECK_CLOSE(d_half[0], d_double[0], 1e-12, 0.0);
    PT_CHECK_CLOSE(d_half[0], -S_ref * c_U * std::log(2.0) * std::log(2.0) / tau, 1e-12, 0.0);
  }
  SECTION("more receptor occupancy raises insulin sensitivity, so HOMA-IR falls") {
    const double x[] = {S_ref}, more[] = {2.0 * Ac_ref, 2.0 * Pr_ref, IGF_ref};
    double dx[1] = {};
    REQUIRE(c.derivatives(0.0, more, p.data(), x, dx, nullptr) == 0);
    CHECK(dx[0] > 0.0);
  }
}

TEST_CASE("gut-barrier: repair, damage and the barrier_integrity it drives", "[plugins][gut-barrier]") {
  const axisim::Plugin gb = pt::load("gut-barrier");
  const axisim_plugin_info& c = pt::info(gb);
  REQUIRE(gb.inputs().size() == 3);
  CHECK(gb.inputs()[0].sbml_id == "Bu_epi");
  CHECK(gb.inputs()[1].sbml_id == "IGF_f");
  CHECK(gb.inputs()[2].sbml_id == "Xmic");
  REQUIRE(names(gb.parameters()) ==
          std::vector<std::string>{"k_r", "a_B", "a_I", "d_abx", "T_max", "b_opt", "b_tox", "n_tox", "Bu_ref", "IGF_ref"});
  CHECK(names(gb.states()) == std::vector<std::string>{"T"});
  CHECK(names(gb.outputs()) == std::vector<std::string>{"TEER_pct", "permeability_rel", "LPS_translocation"});
  REQUIRE(gb.effects().size() == 1);
  CHECK(gb.effects()[0].sbml_id == "barrier_integrity");
  CHECK_FALSE(gb.effects()[0].is_flux);
  REQUIRE(c.drive != nullptr);

  const std::vector<double> p = pt::defaults(gb);
  const double k_r = p[0], a_B = p[1], a_I = p[2], d_abx = p[3], T_max = p[4], b_opt = p[5], b_tox = p[6],
               n_tox = p[7], Bu_ref = p[8], IGF_ref = p[9];
  CHECK_THAT(k_r, Catch::Matchers::WithinRel(std::log(2.0) / 108.0, 1e-5));  // renewal half-time 4.5 days
  CHECK(b_opt == 2.0);  // Peng 2007: 2 mM helps, 8 mM harms
  CHECK(b_tox == 7.25);
  CHECK(n_tox == 6.0);
  // Version 1.1.0: the benefit rises to its peak at b_opt and holds there; toxicity alone harms.
  auto phi = [&](double b) {
    return (b < b_opt ? (b / b_opt) * std::exp(1.0 - b / b_opt) : 1.0) - std::pow(b / b_tox, n_tox);
  };
  const double k_dmg = k_r * (1.0 + a_B * phi(Bu_ref)) * (T_max - 1.0);

  SECTION("toxic butyrate, doubled IGF-1, half the microbiota") {
    const double Bu = 8.0, F = 2.0 * IGF_ref, X = 0.5, T = 0.9;
    const double x[] = {T}, in[] = {Bu, F, X};
    double dx[1] = {}, out[3] = {}, effects[1] = {-1};
    // phi(8) = 1 - (8 / 7.25)^6 = -0.805, as 1.0.0's 4 e^-3 - 1 = -0.801: the barrier is harmed (Peng 2007).
    CHECK_THAT(phi(8.0), Catch::Matchers::WithinRel(1.0 - std::pow(8.0 / 7.25, 6.0), 1e-14));
    CHECK_THAT(phi(8.0), Catch::Matchers::WithinAbs(4.0 * std::exp(-3.0) - 1.0, 0.01));
    REQUIRE(c.derivatives(0.0, in, p.data(), x, dx, effects) == 0);
    const double repair = k_r * (1.0 + a_B * phi(Bu) + a_I * (2.0 - 1.0));
    PT_CHECK_CLOSE(dx[0], repair * (T_max - T) - k_dmg * (1.0 + d_abx * (1.0 - X)) * T, 1e-12, 1e-18);
    CHECK(effects[0] == -1);  // derivatives fills only FLUX effects; this one is a PARAMETER effect
    REQUIRE(c.drive(0.0, p.data(), x, effects) == 0);
    CHECK(effects[0] == T);
    REQUIRE(c.observe(0.0, in, p.data(), x, out) == 0);
    PT_CHECK_CLOSE(out[0], 90.0, kRel, 0.0);
    PT_CHECK_CLOSE(out[1], 1.0 / 0.9, kRel, 0.0);
    PT_CHECK_CLOSE(out[2], 0.1, 1e-12, 0.0);
  }
  SECTION("T = 1 is the steady state at the reference inputs; butyrate is biphasic") {
    const double x[] = {1.0};
    const double ref[] = {Bu_ref, IGF_ref, 1.0}, low[] = {0.25, IGF_ref, 1.0}, best[] = {b_opt, IGF_ref, 1.0},
                 above[] = {3.0, IGF_ref, 1.0}, toxic[] = {8.0, IGF_ref, 1.0};
    double d_ref[1] = {9}, d_low[1] = {}, d_best[1] = {}, d_above[1] = {}, d_toxic[1] = {}, out[3] = {};
    REQUIRE(c.derivatives(0.0, ref, p.data(), x, d_ref, nullptr) == 0);
    REQUIRE(c.derivatives(0.0, low, p.data(), x, d_low, nullptr) == 0);
    REQUIRE(c.derivatives(0.0, best, p.data(), x, d_best, nullptr) == 0);
    REQUIRE(c.derivatives(0.0, above, p.data(), x, d_above, nullptr) == 0);
    REQUIRE(c.derivatives(0.0, toxic, p.data(), x, d_toxic, nullptr) == 0);
    CHECK_THAT(d_ref[0], Catch::Matchers::WithinAbs(0.0, 1e-18));
    CHECK(d_low[0] < 0.0);    // too little butyrate: less repair
    CHECK(d_best[0] >= 0.0);  // about 2 mM: the most repair (V37: TER up at 2 mM)
    CHECK(d_above[0] > 0.0);  // 3 mM: still more repair than at baseline (the benefit holds; 1.0.0's fell)
    CHECK(d_toxic[0] < 0.0);  // 8 mM: harm (V37: TER down)
    REQUIRE(c.observe(0.0, ref, p.data(), x, out) == 0);
    CHECK(out[0] == 100.0);
    CHECK(out[1] == 1.0);
    CHECK(out[2] == 0.0);
  }
}

TEST_CASE("every shipped plugin loads through the public API with its documented identity", "[plugins]") {
  for (const char* name : {"bone", "bone-linear", "muscle", "metabolic", "gut-barrier"}) {
    INFO(name);
    const axisim::Plugin p = pt::load(name);
    CHECK(p.name() == name);
    CHECK(p.version() == pt::shipped_version(name));
    CHECK(p.abi_version() == 2u);
    CHECK_FALSE(p.description().empty());
    CHECK(p.path() == pt::plugin_path(name));
    for (const auto& q : p.parameters()) {
      INFO(q.name);
      CHECK_FALSE(q.units.empty());
      CHECK_FALSE(q.description.empty());
    }
  }
}
