// Validation of sbml-models/gut_liver_igf1.xml against the validation targets of the model brief
// (shared/model-brief.md, table "Validation targets", rows V1..V40). Each check cites its row; the
// ranges are the brief's "suggested tolerance" column (values the brief marks *verify* could not be
// checked against the primary papers here, so their tolerance is the brief's, never tighter; see
// docs/model.md, "Values checked"). Every scenario is a TOML file in sbml-models/scenarios/ run
// through axisim::Scenario, exactly as `axisim simulate --scenario FILE` runs it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/scenario.hpp"
#include "axisim/validation.hpp"

namespace {

const std::string kDir = AXISIM_MODEL_DIR;
const std::string kModel = kDir + "/gut_liver_igf1.xml";

struct Run {
  std::vector<double> t;
  std::map<std::string, std::vector<double>> col;

  const std::vector<double>& operator[](const std::string& id) const { return col.at(id); }
  // Value of `id` at the output time nearest `time`.
  double at(const std::string& id, double time) const {
    std::size_t best = 0;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (std::abs(t[i] - time) < std::abs(t[best] - time)) best = i;
    return col.at(id)[best];
  }
  double last(const std::string& id) const { return col.at(id).back(); }
};

// Runs scenario `name` (sbml-models/scenarios/NAME.toml), reporting `ids`.
Run scenario(const std::string& name, const std::vector<std::string>& ids) {
  const axisim::Scenario s = axisim::Scenario::load(kDir + "/scenarios/" + name + ".toml");
  axisim::Model model = axisim::Model::from_file(s.model_path);
  s.apply(model);
  std::vector<axisim::OutputSpec> outputs;
  for (const auto& id : ids) outputs.push_back({id});
  const axisim::Result r = model.simulate(s.options, outputs);
  Run run;
  run.t = r.column("time");
  for (const auto& id : ids) run.col[id] = r.column(id);
  return run;
}

// Steady state of the model with `set` applied (3000 h reaches it: slowest mode ≈ 1 day).
std::map<std::string, double> steady(const std::vector<std::pair<std::string, double>>& set,
                                     const std::vector<std::string>& ids) {
  static const axisim::Model base = axisim::Model::from_file(kModel);
  axisim::Model model = base;
  for (const auto& [id, v] : set) model.set_value(id, v);
  axisim::SimulationOptions opt;
  opt.end = 3000;
  opt.steps = 1;
  std::vector<axisim::OutputSpec> outputs;
  for (const auto& id : ids) outputs.push_back({id});
  const axisim::Result r = model.simulate(opt, outputs);
  std::map<std::string, double> out;
  for (const auto& id : ids) out[id] = r.column(id).back();
  return out;
}

double pct_change(double from, double to) { return 100.0 * (to - from) / from; }

// Time after `t0` at which `y` has covered half of its change from its value at t0 to its last value.
double half_time(const Run& run, const std::string& id, double t0) {
  const double y0 = run.at(id, t0), y1 = run.last(id);
  for (std::size_t i = 0; i < run.t.size(); ++i)
    if (run.t[i] >= t0 && std::abs(run[id][i] - y0) >= 0.5 * std::abs(y1 - y0)) return run.t[i] - t0;
  return INFINITY;
}

const std::vector<std::string> kScfa = {"Ac_p", "Pr_p", "Bu_p", "Ac_pv", "Pr_pv", "Bu_pv", "Ac_hv", "Pr_hv", "Bu_hv"};

}  // namespace

TEST_CASE("the model validates with libSBML, unit checks included, without errors or warnings") {
  const auto diagnostics = axisim::validate_file(kModel);
  for (const auto& d : diagnostics) INFO(d.code << " " << d.message);
  CHECK(diagnostics.empty());
}

TEST_CASE("baseline is a steady state") {
  const Run run = scenario("baseline", {"IGF1_total", "Ac_p", "Bu_pv", "S_liv", "Xmic"});
  for (const char* id : {"IGF1_total", "Ac_p", "Bu_pv", "S_liv", "Xmic"})
    CHECK(run.last(id) == Approx(run[id].front()).epsilon(1e-4));
}

TEST_CASE("baseline SCFA: peripheral, portal and hepatic-vein levels (V1-V4)") {
  std::vector<std::string> ids = kScfa;
  const Run run = scenario("baseline", ids);
  const auto v = [&](const char* id) { return run.last(id); };
  // V1 peripheral venous acetate 54-70 µM; tolerance 30-110 µM (Pomare 1985; Peters 1992).
  CHECK(v("Ac_p") >= 30);
  CHECK(v("Ac_p") <= 110);
  // V2 peripheral propionate 1-10 µM and butyrate 0-6 µM (Peters 1992).
  CHECK(v("Pr_p") >= 1);
  CHECK(v("Pr_p") <= 10);
  CHECK(v("Bu_p") >= 0);
  CHECK(v("Bu_p") <= 6);
  // V3 portal 128 / 34 / 18 µM ± 50% (Peters 1992).
  CHECK(v("Ac_pv") == Approx(128).epsilon(0.5));
  CHECK(v("Pr_pv") == Approx(34).epsilon(0.5));
  CHECK(v("Bu_pv") == Approx(18).epsilon(0.5));
  // V4 ordering portal > hepatic vein > peripheral, exact, for all three (Cummings 1987).
  for (const char* x : {"Ac", "Pr", "Bu"}) {
    INFO(x);
    CHECK(v((std::string(x) + "_pv").c_str()) > v((std::string(x) + "_hv").c_str()));
    CHECK(v((std::string(x) + "_hv").c_str()) > v((std::string(x) + "_p").c_str()));
  }
  // V4 values ± 50% where they do not contradict V3/V7 (docs/model.md explains the rest):
  // acetate 258 → 115 → 70 µM.
  CHECK(v("Ac_pv") == Approx(258).epsilon(0.5));
  CHECK(v("Ac_hv") == Approx(115).epsilon(0.5));
  CHECK(v("Ac_p") == Approx(70).epsilon(0.5));
  // propionate peripheral 5 µM ± 50%.
  CHECK(v("Pr_p") == Approx(5).epsilon(0.5));
}

TEST_CASE("baseline colon: SCFA total and ratio, faecal loss, availability, fluxes (V5-V7, V9, V40)") {
  const Run run = scenario("baseline", {"SCFA_colon_total", "Ac_col_share_pct", "Pr_col_share_pct", "Bu_col_share_pct",
                                        "faecal_SCFA_pct", "avail_Ac_pct", "avail_Pr_pct", "avail_Bu_pct", "gut_release",
                                        "hepatic_uptake_Pr_pct", "hepatic_uptake_Bu_pct", "GPR43_occupancy_pct",
                                        "SCFA_production"});
  const auto v = [&](const char* id) { return run.last(id); };
  // V5 colonic total 70-140 mM; shares 60:20:20 ± 10 points (Cummings 1987; den Besten 2013).
  CHECK(v("SCFA_colon_total") >= 70);
  CHECK(v("SCFA_colon_total") <= 140);
  CHECK(std::abs(v("Ac_col_share_pct") - 60) <= 10);
  CHECK(std::abs(v("Pr_col_share_pct") - 20) <= 10);
  CHECK(std::abs(v("Bu_col_share_pct") - 20) <= 10);
  // Brief §2: daily colonic SCFA production on a Western diet ≈ 200-400 mmol/day.
  CHECK(v("SCFA_production") >= 200);
  CHECK(v("SCFA_production") <= 400);
  // V6 faecal SCFA 3-10% of production (Casci et al.).
  CHECK(v("faecal_SCFA_pct") >= 3);
  CHECK(v("faecal_SCFA_pct") <= 10);
  // V7 systemic availability 36 ± 10, 9 ± 5, 2 ± 2 % (Boets 2017).
  CHECK(std::abs(v("avail_Ac_pct") - 36) <= 10);
  CHECK(std::abs(v("avail_Pr_pct") - 9) <= 5);
  CHECK(std::abs(v("avail_Bu_pct") - 2) <= 2);
  // V9 gut release 35-55 µmol/kg/h ± 50% → 17.5-82.5; P and B hepatic uptake ≥ 80% of release.
  CHECK(v("gut_release") >= 17.5);
  CHECK(v("gut_release") <= 82.5);
  CHECK(v("hepatic_uptake_Pr_pct") >= 80);
  CHECK(v("hepatic_uptake_Bu_pct") >= 80);
  // V40 GPR43 occupancy by peripheral acetate 5-30%.
  CHECK(v("GPR43_occupancy_pct") >= 5);
  CHECK(v("GPR43_occupancy_pct") <= 30);
}

TEST_CASE("oral SCFA: gastric emptying and small-intestinal absorption put the acetate peak at 0.5-1.5 h (V11)") {
  // Issue 16: 50 mmol mixed SCFA drunk at 1 h (Pomare 1985: acetate peak ≈ 194 µM at 45 min).
  const Run run = scenario("oral_scfa_bolus", {"Ac_p", "Ac_st", "Ac_si"});
  std::size_t peak = 0;
  for (std::size_t i = 0; i < run.t.size(); ++i)
    if (run["Ac_p"][i] > run["Ac_p"][peak]) peak = i;
  const double t_peak = run.t[peak] - 1.0, c_peak = run["Ac_p"][peak], c0 = run.at("Ac_p", 0.9);
  WARN("V11 oral SCFA: acetate " << c0 << " -> peak " << c_peak << " uM at " << 60 * t_peak
                                 << " min after the drink (Pomare 1985: 194 uM at 45 min)");
  CHECK(t_peak >= 0.5);  // V11: peak time 0.5-1.5 h
  CHECK(t_peak <= 1.5);
  CHECK(c_peak > c0 + 50);  // a real peak (Pomare: ≈ +130 µM)
  // The dose passes through the stomach and small intestine and leaves them within a few hours.
  CHECK(run.at("Ac_st", 1.05) > 0);
  CHECK(run.last("Ac_st") < 0.01 * 30 / 0.5);  // < 1% of the dose's concentration in the stomach
  CHECK(run.last("Ac_si") < 0.01 * 30 / 0.5);
}

TEST_CASE("butyrate's plasma half-life with its distribution volume and clearance (V12)") {
  // Issue 16: butyrate distributes into 52 L (Miller 1987: plasma + the tissue_Bu space) and is
  // cleared at 349 L/h (83 mL/kg/min), plus hepatic extraction of what reaches the portal vein.
  // An equilibrated excess of 100 µM in plasma and tissue decays with t½ = ln 2 · Vd / CL; the
  // terminal slope from 2 to 12 min is read off the model's plasma curve.
  static const axisim::Model base = axisim::Model::from_file(kModel);
  axisim::Model model = base;
  const double b0 = base.initial_value("Bu_p");
  REQUIRE(base.initial_value("Bu_tis") == Approx(b0).epsilon(1e-6));  // equilibrated at baseline
  model.set_value("Bu_p", b0 + 100);
  model.set_value("Bu_tis", b0 + 100);
  axisim::SimulationOptions opt;
  opt.end = 0.25;  // 15 min
  opt.steps = 90;  // every 10 s
  const axisim::Result r = model.simulate(opt, {{"Bu_p"}});
  REQUIRE(r.error.empty());
  const std::vector<double> t = r.column("time"), b = r.column("Bu_p");
  auto at = [&](double hours) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (std::abs(t[i] - hours) < std::abs(t[best] - hours)) best = i;
    return b[best] - b0;
  };
  const double t_half_min = 60 * (10.0 / 60) * std::log(2.0) / std::log(at(2.0 / 60) / at(12.0 / 60));
  // Expected from the parameters alone: ln 2 · (plasma + portal + tissue_Bu) / (CL_Bu + hepatic
  // clearance Q_pv · E_Bu), within 20% (the portal vein is a small extra compartment).
  const double vd = base.initial_value("plasma") + base.initial_value("portal") + base.initial_value("tissue_Bu");
  const double cl = base.initial_value("CL_Bu") + base.initial_value("Q_pv") * base.initial_value("E_Bu");
  WARN("V12 butyrate plasma half-life " << t_half_min << " min (Vd " << vd << " L, clearance " << cl << " L/h: "
                                        << 60 * std::log(2.0) * vd / cl << " min)");
  CHECK(t_half_min == Approx(60 * std::log(2.0) * vd / cl).epsilon(0.2));
  // V12: 4-10 min (Miller 1987).
  CHECK(t_half_min >= 4);
  CHECK(t_half_min <= 10);
}

TEST_CASE("baseline IGF system: total, free fraction, IGFBP-3, production, pools (V14-V18)") {
  const Run run = scenario("baseline", {"IGF1_total", "IGF1_free_pct", "IGFBP3_total", "IGF1_production",
                                        "IGF1_ternary_pct", "IGF1_IGFBP3_molar_ratio"});
  const auto v = [&](const char* id) { return run.last(id); };
  // V14 young-adult mean 150-250 ng/mL, inside the Mayo 26-30 y band 60-329.
  CHECK(v("IGF1_total") >= 150);
  CHECK(v("IGF1_total") <= 250);
  // V15 free IGF-1 0.2-1.5% of total (Frystyk 1994; Yu 1999).
  CHECK(v("IGF1_free_pct") >= 0.2);
  CHECK(v("IGF1_free_pct") <= 1.5);
  // V16 serum IGFBP-3 3.3-7.8 mg/L (Mayo IGFB3).
  CHECK(v("IGFBP3_total") >= 3.3);
  CHECK(v("IGFBP3_total") <= 7.8);
  // V18 IGF-1 production 5-15 mg/day (Guler 1989).
  CHECK(v("IGF1_production") >= 5);
  CHECK(v("IGF1_production") <= 15);
  // Brief option B: ≈ 60-80% of IGF-1 in the ternary complex (Guler 1989 distribution).
  CHECK(v("IGF1_ternary_pct") >= 60);
  CHECK(v("IGF1_ternary_pct") <= 80);

  // V17 disappearance by pool ± 30%: free 10-15 min, binary 20-30 min, ternary 12-15 h (Guler 1989).
  const axisim::Model model = axisim::Model::from_file(kModel);
  const double ln2 = std::log(2.0);
  const double free_min = 60 * ln2 / model.initial_value("k_IGF_f");
  const double binary_min = 60 * ln2 / model.initial_value("k_binary");
  const double ternary_h = ln2 / model.initial_value("k_ternary");
  CHECK(free_min >= 10 * 0.7);
  CHECK(free_min <= 15 * 1.3);
  CHECK(binary_min >= 20 * 0.7);
  CHECK(binary_min <= 30 * 1.3);
  CHECK(ternary_h >= 12 * 0.7);
  CHECK(ternary_h <= 15 * 1.3);
}

TEST_CASE("GH step: apparent IGF-1 response time and preserved IGF-1:IGFBP-3 ratio (V19, scenario 5)") {
  for (const char* name : {"gh_step_up", "gh_step_down"}) {
    INFO(name);
    const Run run = scenario(name, {"IGF1_total", "IGF1_IGFBP3_molar_ratio"});
    // V19 apparent t½ 15-40 h (Papathanasiou 2021: kout 0.0262 /h, t½ ≈ 26 h).
    const double t_half = half_time(run, "IGF1_total", 168);
    CHECK(t_half >= 15);
    CHECK(t_half <= 40);
    // Brief §5.5: the IGF-1:IGFBP-3 molar ratio is roughly preserved (within ± 15% here).
    CHECK(run.last("IGF1_IGFBP3_molar_ratio") == Approx(run.at("IGF1_IGFBP3_molar_ratio", 0)).epsilon(0.15));
  }
}

TEST_CASE("GH dose-response: apparent EC50 and basal GH (V20)") {
  const auto igf = [](double gh) { return steady({{"GH_basal", gh}}, {"IGF1_total"}).at("IGF1_total"); };
  const double lo = igf(0), hi = igf(1e4);
  double a = 0.01, b = 100;  // bisection on log GH for the half-maximal response
  for (int i = 0; i < 30; ++i) {
    const double mid = std::sqrt(a * b);
    (igf(mid) < 0.5 * (lo + hi) ? a : b) = mid;
  }
  const double ec50 = std::sqrt(a * b);
  // V20 EC50 1.4-2.9 ng/mL (Papathanasiou 2021), and healthy IGF-1 (V14 150-250) at basal GH 0.7 ng/mL.
  CHECK(ec50 >= 1.4);
  CHECK(ec50 <= 2.9);
  CHECK(igf(0.7) >= 150);
  CHECK(igf(0.7) <= 250);
}

TEST_CASE("liver-specific IGF-1 deletion lowers serum IGF-1 by 65-85% (V22)") {
  const double base = scenario("baseline", {"IGF1_total"}).last("IGF1_total");
  const double lid = scenario("liver_igf1_deletion", {"IGF1_total"}).last("IGF1_total");
  // V22 −75%, tolerance −65 to −85% (Sjögren 1999; Yakar 1999).
  CHECK(pct_change(base, lid) <= -65);
  CHECK(pct_change(base, lid) >= -85);
}

TEST_CASE("germ-free: SCFA collapse, peripheral acetate falls only partly, IGF-1 lower (V23, scenario 2)") {
  std::vector<std::string> ids = kScfa;
  ids.insert(ids.end(), {"IGF1_total", "SCFA_colon_total"});
  const Run base = scenario("baseline", ids);
  const Run gf = scenario("germ_free", ids);
  // V23 sign exact: IGF-1 lower in germ-free than colonised (Yan 2016).
  CHECK(gf.last("IGF1_total") < base.last("IGF1_total"));
  // Scenario 2: portal propionate and butyrate collapse (here: fall by more than 80%).
  CHECK(pct_change(base.last("Pr_pv"), gf.last("Pr_pv")) < -80);
  CHECK(pct_change(base.last("Bu_pv"), gf.last("Bu_pv")) < -80);
  // Scenario 2 / brief R8: peripheral acetate falls only partly (endogenous source), to ≈ 30-50 µM.
  CHECK(gf.last("Ac_p") < base.last("Ac_p"));
  CHECK(gf.last("Ac_p") >= 30);
  CHECK(gf.last("Ac_p") <= 50);
}

TEST_CASE("antibiotics: colonic SCFA fall and recover, IGF-1 falls (V13, V23)") {
  const Run base = scenario("baseline", {"SCFA_colon_total", "IGF1_total"});
  const Run abx = scenario("antibiotics", {"SCFA_colon_total", "IGF1_total"});
  const double s0 = base.last("SCFA_colon_total");
  // V13 after 6 days of a broad-spectrum course (course starts at 168 h): −60 to −95% (Høverstad 1986).
  const double day6 = pct_change(s0, abx.at("SCFA_colon_total", 168 + 144));
  CHECK(day6 <= -60);
  CHECK(day6 >= -95);
  // V13 recovery within 2-6 weeks of the end of the course (504 h): back within 10% of baseline.
  double recovered = INFINITY;
  for (std::size_t i = 0; i < abx.t.size(); ++i)
    if (abx.t[i] >= 504 && abx["SCFA_colon_total"][i] >= 0.9 * s0) {
      recovered = (abx.t[i] - 504) / 168.0;
      break;
    }
  CHECK(recovered >= 2);
  CHECK(recovered <= 6);
  // V23 sign exact: IGF-1 lower at the end of the course than in control (Yan 2016 Fig. 5).
  CHECK(abx.at("IGF1_total", 504) < base.at("IGF1_total", 504));
  // ... and it recovers with the microbiota (scenario 2): within 2% of control at day 90.
  CHECK(abx.last("IGF1_total") == Approx(base.last("IGF1_total")).epsilon(0.02));
}

TEST_CASE("SCFA supplementation during antibiotics restores IGF-1 (V24, scenario 3)") {
  const double control = scenario("baseline", {"IGF1_total"}).at("IGF1_total", 504);
  const double abx = scenario("antibiotics", {"IGF1_total"}).at("IGF1_total", 504);
  const Run mix = scenario("antibiotics_scfa", {"IGF1_total", "Ac_pv", "Pr_pv", "Bu_pv"});
  // V24 antibiotics + SCFA within ± 15% of control (Yan 2016), and above antibiotics alone.
  CHECK(mix.at("IGF1_total", 504) == Approx(control).epsilon(0.15));
  CHECK(mix.at("IGF1_total", 504) > abx);
  // Scenario 3: portal SCFA restored (each within ± 25% of baseline at the end of the course).
  const Run base = scenario("baseline", {"Ac_pv", "Pr_pv", "Bu_pv"});
  for (const char* id : {"Ac_pv", "Pr_pv", "Bu_pv"}) {
    INFO(id);
    CHECK(mix.at(id, 504) == Approx(base.at(id, 504)).epsilon(0.25));
  }
  // Each SCFA alone raises IGF-1 above antibiotics alone (direction; w_A:w_P:w_B = 1:1:1 assumed).
  for (const char* name : {"antibiotics_acetate", "antibiotics_propionate", "antibiotics_butyrate"}) {
    INFO(name);
    CHECK(scenario(name, {"IGF1_total"}).at("IGF1_total", 504) > abx);
  }
}

TEST_CASE("fibre: high fibre raises colonic butyrate and total SCFA, low fibre lowers them (scenario 4)") {
  const std::vector<std::string> ids = {"Bu_col", "SCFA_colon_total", "IGF1_total", "Ac_p"};
  const Run base = scenario("baseline", ids), high = scenario("high_fibre", ids), low = scenario("low_fibre", ids);
  // Scenario 4: colonic butyrate and total SCFA up with fibre (Hald 2016; Boets 2015).
  CHECK(high.last("Bu_col") > 1.2 * base.last("Bu_col"));
  CHECK(high.last("SCFA_colon_total") > base.last("SCFA_colon_total"));
  CHECK(low.last("Bu_col") < base.last("Bu_col"));
  // Scenario 4: small IGF-1 rise (assumption): up, by less than 10%.
  CHECK(high.last("IGF1_total") > base.last("IGF1_total"));
  CHECK(pct_change(base.last("IGF1_total"), high.last("IGF1_total")) < 10);

  const Run inter = scenario("fibre_intervention", ids);
  // Inulin 20 g/day on days 14-56: butyrate up during it, back to baseline after washout. The rise
  // is modest (issue 16): inulin ferments acetate-rich (Boets 2015: 137/11/20 mmol) and the
  // epithelium's uptake adapts to the load, so colonic total SCFA stays within V5's 70-140 mM.
  CHECK(inter.at("Bu_col", 1300) > 1.02 * base.at("Bu_col", 1300));
  CHECK(inter.at("SCFA_colon_total", 1300) > 1.2 * base.at("SCFA_colon_total", 1300));
  CHECK(inter.at("SCFA_colon_total", 1300) <= 140);
  CHECK(inter.last("Bu_col") == Approx(base.last("Bu_col")).epsilon(0.01));
}

TEST_CASE("15 g inulin gives 100-230 mmol SCFA in 12 h (V8)") {
  const Run run = scenario("inulin_bolus", {"SCFA_production"});
  const double basal = run.at("SCFA_production", 23.9);  // mmol/day before the dose
  double extra = 0;  // mmol over 24..36 h above the basal rate (trapezoid, rates in mmol/day)
  for (std::size_t i = 1; i < run.t.size(); ++i)
    if (run.t[i - 1] >= 24 && run.t[i] <= 36)
      extra += 0.5 * (run["SCFA_production"][i - 1] + run["SCFA_production"][i] - 2 * basal) *
               (run.t[i] - run.t[i - 1]) / 24.0;
  // V8 total 100-230 mmol (Boets 2015: 137 / 11 / 20 mmol).
  CHECK(extra >= 100);
  CHECK(extra <= 230);
}

TEST_CASE("20 g lactulose raises venous acetate to 120-250 µM within 1-5 h (V10)") {
  const Run run = scenario("lactulose_bolus", {"Ac_p"});
  const auto& ac = run["Ac_p"];
  const std::size_t peak = std::max_element(ac.begin(), ac.end()) - ac.begin();
  // V10 peak 120-250 µM at 1-5 h after the dose (Pomare 1985: 181 µM at 2-4 h).
  CHECK(ac[peak] >= 120);
  CHECK(ac[peak] <= 250);
  CHECK(run.t[peak] - 24 >= 1);
  CHECK(run.t[peak] - 24 <= 5);
}
