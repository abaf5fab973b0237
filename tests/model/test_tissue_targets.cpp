// Validation of the flagship model coupled with the tissue plugins (bone, muscle, metabolic,
// gut-barrier) against rows V25-V39 of the brief's "Validation targets" table
// (shared/model-brief.md). docs/model.md, "Tissue targets (V25–V39)", lists each target, the
// scenario used here, the model's value and the verdict.
//
// Conventions:
//  - Every scenario runs sbml-models/gut_liver_igf1.xml with the plugins built in this tree
//    (build/plugins/axisim-plugin-<name>.so, loaded by path). Where the flagship cannot set a
//    plugin input directly (epithelial butyrate at a chosen level, free IGF-1 stepped in time),
//    the small test model kTimedInputs below stands in: its plugin inputs are plain parameters.
//  - A trial population whose baseline IGF-1 differs from the flagship's adult (older women and
//    men with low IGF-1) is represented by a lower GH_basal, run to steady state; the plugins'
//    IGF_ref is then that subject's own baseline free IGF-1 (their tissues are at steady state
//    there, which is what IGF_ref means). Those runs attach only the bone and muscle plugins: the
//    subject's steady state is computed without the gut-barrier feedback.
//  - rhIGF-1 is represented by raising IGF1_prod_ref (IGF-1 production; from time 0), GH therapy
//    by GH_basal or gh_step_factor.
//  - The brief's acceptance range is asserted with CHECK. Where the model cannot meet it by
//    construction (documented in docs/model.md with the reason), the direction is asserted with
//    CHECK and the range with CHECK_NOFAIL, which reports the miss without failing the test.
//  - Each test WARNs the values that docs/model.md quotes (`ctest -R model/tissue -V`).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/plugin_host.hpp"
#include "axisim/scenario.hpp"

#ifndef AXISIM_BUILD_PLUGIN_DIR
#error "AXISIM_BUILD_PLUGIN_DIR must be defined to the build tree's plugin directory"
#endif

namespace {

using Params = std::vector<std::pair<std::string, double>>;

const std::string kDir = AXISIM_MODEL_DIR;
const std::string kModel = kDir + "/gut_liver_igf1.xml";
const std::string kPluginDir = AXISIM_BUILD_PLUGIN_DIR;
const std::vector<std::string> kAllPlugins = {"bone", "muscle", "metabolic", "gut-barrier"};

constexpr double kDay = 24.0;
constexpr double kYear = 365.0 * kDay;

// The plugins of this build tree, by path (so that no other copy on the search path stands in).
const axisim::Plugin& plugin(const std::string& name) {
  static std::map<std::string, axisim::Plugin> cache;
  auto it = cache.find(name);
  if (it == cache.end())
    it = cache.emplace(name, axisim::Plugin::load(kPluginDir + "/axisim-plugin-" + name + ".so")).first;
  return it->second;
}

double plugin_default(const std::string& name, const std::string& parameter) {
  for (const auto& q : plugin(name).parameters())
    if (q.name == parameter) return q.value;
  FAIL("plugin " << name << " has no parameter " << parameter);
  return 0;
}

const axisim::Model& flagship() {
  static const axisim::Model model = axisim::Model::from_file(kModel);
  return model;
}

// Test model whose plugin inputs are parameters: free IGF-1 is IGF_base * fold_1 before t_switch
// and IGF_base * fold_2 after it (an assignment rule); the others are constants the test sets.
// Bu_col is absorbed at a rate scaled by barrier_integrity, which the gut-barrier plugin drives.
const char* const kTimedInputs = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="tissue_inputs_timed" timeUnits="hour">
    <listOfUnitDefinitions>
      <unitDefinition id="hour"><listOfUnits><unit kind="second" exponent="1" scale="0" multiplier="3600"/></listOfUnits></unitDefinition>
    </listOfUnitDefinitions>
    <listOfCompartments>
      <compartment id="lumen" spatialDimensions="3" size="1" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="Bu_col" compartment="lumen" initialConcentration="20" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="IGF_base" value="0.1176655" constant="true"/>
      <parameter id="fold_1" value="1" constant="true"/>
      <parameter id="fold_2" value="1" constant="true"/>
      <parameter id="t_switch" value="1e12" constant="true"/>
      <parameter id="IGF_f" value="0.1176655" constant="false"/>
      <parameter id="Bu_epi" value="1.585901" constant="true"/>
      <parameter id="Xmic" value="1" constant="true"/>
      <parameter id="Ac_p" value="56.19687" constant="true"/>
      <parameter id="Pr_p" value="3.491155" constant="true"/>
      <parameter id="barrier_integrity" value="1" constant="false"/>
      <parameter id="k_abs" value="0.1" constant="true"/>
    </listOfParameters>
    <listOfRules>
      <assignmentRule variable="IGF_f">
        <math xmlns="http://www.w3.org/1998/Math/MathML">
          <apply><times/><ci>IGF_base</ci>
            <piecewise>
              <piece><ci>fold_1</ci><apply><lt/><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time">time</csymbol><ci>t_switch</ci></apply></piece>
              <otherwise><ci>fold_2</ci></otherwise>
            </piecewise>
          </apply>
        </math>
      </assignmentRule>
    </listOfRules>
    <listOfReactions>
      <reaction id="absorption" reversible="false">
        <listOfReactants><speciesReference species="Bu_col" stoichiometry="1" constant="true"/></listOfReactants>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML">
          <apply><times/><ci>lumen</ci><ci>k_abs</ci><ci>barrier_integrity</ci><ci>Bu_col</ci></apply>
        </math></kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";

const axisim::Model& timed_inputs() {
  static const axisim::Model model = axisim::Model::from_string(kTimedInputs);
  return model;
}

struct Attach {
  std::string plugin;
  Params parameters;
};

std::vector<Attach> all_plugins() {
  std::vector<Attach> out;
  for (const auto& name : kAllPlugins) out.push_back({name, {}});
  return out;
}

struct Run {
  std::vector<double> t;
  std::map<std::string, std::vector<double>> col;

  const std::vector<double>& operator[](const std::string& id) const { return col.at(id); }
  double at(const std::string& id, double time) const {
    std::size_t best = 0;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (std::abs(t[i] - time) < std::abs(t[best] - time)) best = i;
    return col.at(id)[best];
  }
  double first(const std::string& id) const { return col.at(id).front(); }
  double last(const std::string& id) const { return col.at(id).back(); }
};

// Runs `base` with `set` applied and `plugins` attached from 0 to `end`, reporting `ids`.
Run simulate(const axisim::Model& base, const Params& set, const std::vector<Attach>& plugins, double end, int steps,
             const std::vector<std::string>& ids) {
  axisim::Model model = base;
  for (const auto& [id, v] : set) model.set_value(id, v);
  for (const auto& a : plugins) model.attach(plugin(a.plugin), a.parameters);
  axisim::SimulationOptions opt;
  opt.end = end;
  opt.steps = steps;
  std::vector<axisim::OutputSpec> outputs;
  for (const auto& id : ids) outputs.push_back({id});
  const axisim::Result r = model.simulate(opt, outputs);
  INFO(r.error);
  REQUIRE(r.error.empty());
  Run run;
  run.t = r.column("time");
  for (const auto& id : ids) run.col[id] = r.column(id);
  return run;
}

// A subject: the flagship with `set` applied, run to steady state (6000 h) without plugins. The
// result is `set` followed by every state of the model (species and rate-rule parameters) at that
// steady state, so that a run with it starts from the subject's own baseline.
Params subject(const Params& set) {
  std::vector<std::string> states;
  for (const auto& id : flagship().ids())
    if (flagship().kind(id) == axisim::SymbolKind::Species) states.push_back(id);
  for (const char* id : {"Xmic", "GH_signal", "S_liv"}) states.push_back(id);
  const Run r = simulate(flagship(), set, {}, 6000, 1, states);
  Params out = set;
  for (const auto& id : states) out.emplace_back(id, r.last(id));
  return out;
}

double value_of(const Params& p, const std::string& id) {
  for (auto it = p.rbegin(); it != p.rend(); ++it)
    if (it->first == id) return it->second;
  FAIL("no value for " << id);
  return 0;
}

Params with(Params p, const Params& more) {
  p.insert(p.end(), more.begin(), more.end());
  return p;
}

double igf1_prod_ref() { return flagship().initial_value("IGF1_prod_ref"); }

// IGF-1 production multiplied by `factor` from time 0 (rhIGF-1).
Params rhigf1(double factor) { return {{"IGF1_prod_ref", factor * igf1_prod_ref()}}; }

// How a WARN line reports a brief range that CHECK_NOFAIL checks (it does not print on success).
const char* met(bool ok) { return ok ? "met" : "NOT MET"; }

std::string str(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

// The older-woman subject of the rhIGF-1 trials (Friedlander 2001: IGF-1 66 ng/mL at baseline,
// ≈ 300 ng/mL on 15 µg/kg b.i.d. rhIGF-1; Ghiron 1995 gave the same dose to women of 72 y).
constexpr double kGhOlderWoman = 0.2;       // ng/mL: IGF-1 ≈ 65 ng/mL at steady state
constexpr double kRhIgf1OlderWoman = 6.35;  // × IGF-1 production: IGF-1 ≈ 300 ng/mL
constexpr double kRhIgf1Adult = 1.65;       // the flagship adult (200 ng/mL) raised to ≈ 300 ng/mL

const std::vector<std::string> kBoneIds = {"IGF1_total", "IGF_f", "bone.P1NP_change_pct", "bone.CTX_change_pct",
                                           "bone.BMD_change_pct"};

}  // namespace

TEST_CASE("tissue V31: basal muscle FSR, and at baseline every plugin stays at its reference", "[tissue][muscle]") {
  const Run r = simulate(flagship(), {}, all_plugins(), 90 * kDay, 90,
                         {"IGF1_total", "muscle.FSR", "muscle.mass_change_pct", "bone.BMD_change_pct",
                          "bone.P1NP_change_pct", "metabolic.HOMA_IR", "gut-barrier.TEER_pct"});
  WARN("V31 basal FSR " << str(r.first("muscle.FSR")) << " %/h");
  // V31: basal FSR 0.058-0.075 %/h; tolerance 0.04-0.10 %/h (Tuvdendorj 2014; McNurlan 1994; Symons 2011).
  for (double fsr : {r.first("muscle.FSR"), r.last("muscle.FSR")}) {
    CHECK(fsr >= 0.04);
    CHECK(fsr <= 0.10);
  }
  // The plugins' references are the flagship's baseline: no drift without an intervention (this is
  // also why V30 and V34, ageing drifts, are not reproduced: no plugin has an age term).
  CHECK(std::abs(r.last("muscle.mass_change_pct")) < 1e-4);
  CHECK(std::abs(r.last("bone.BMD_change_pct")) < 1e-4);
  CHECK(std::abs(r.last("bone.P1NP_change_pct")) < 1e-3);
  CHECK(r.last("metabolic.HOMA_IR") == Approx(1.59).epsilon(1e-4));
  CHECK(r.last("gut-barrier.TEER_pct") == Approx(100).epsilon(1e-4));
}

TEST_CASE("tissue V25: low-dose rhIGF-1 for 28 days raises bone formation markers", "[tissue][bone]") {
  // Older woman (IGF-1 ≈ 66 ng/mL), rhIGF-1 raising IGF-1 to ≈ 300 ng/mL; markers at day 21.
  const Params woman = subject({{"GH_basal", kGhOlderWoman}});
  const double f0 = value_of(woman, "IGF_f");
  const Run old = simulate(flagship(), with(woman, rhigf1(kRhIgf1OlderWoman)), {{"bone", {{"IGF_ref", f0}}}},
                           28 * kDay, 28, kBoneIds);
  REQUIRE(old.first("IGF1_total") == Approx(66).epsilon(0.15));
  REQUIRE(old.at("IGF1_total", 21 * kDay) == Approx(300).epsilon(0.05));
  const double form_old = old.at("bone.P1NP_change_pct", 21 * kDay), res_old = old.at("bone.CTX_change_pct", 21 * kDay);

  // The flagship's adult (IGF-1 200 ng/mL) raised to ≈ 300 ng/mL, the same on-treatment level.
  const Run adult = simulate(flagship(), rhigf1(kRhIgf1Adult), {{"bone", {}}}, 28 * kDay, 28, kBoneIds);
  REQUIRE(adult.at("IGF1_total", 21 * kDay) == Approx(300).epsilon(0.05));
  const double form_ad = adult.at("bone.P1NP_change_pct", 21 * kDay), res_ad = adult.at("bone.CTX_change_pct", 21 * kDay);

  WARN("V25 older woman: free IGF-1 x" << str(old.at("IGF_f", 21 * kDay) / f0) << ", day 21 formation "
                                       << str(form_old) << "%, resorption " << str(res_old) << "%; adult: free IGF-1 x"
                                       << str(adult.at("IGF_f", 21 * kDay) / adult.first("IGF_f")) << ", formation "
                                       << str(form_ad) << "%, resorption " << str(res_ad) << "%; brief range (formation +20..+120%, resorption "
                                       << "+-15%): older woman " << met(form_old >= 20 && form_old <= 120 && std::abs(res_old) <= 15)
                                       << ", adult " << met(form_ad >= 20 && form_ad <= 120 && std::abs(res_ad) <= 15));
  // Direction (Ghiron 1995): formation markers up.
  CHECK(form_old > 0);
  CHECK(form_ad > 0);
  // Resorption lags formation (osteoclast recruitment follows the osteoblasts through the
  // plugin's RANKL signal L, k_L = 0.1 /day): the "anabolic window" of issue 16.
  CHECK(res_old < 0.6 * form_old);
  CHECK(res_ad < 0.6 * form_ad);
  // V25 range in Ghiron's population (older women): formation marker +20 to +120%, resorption
  // ± 15% (met since the saturating drive and the coupling delay, issue 16).
  CHECK(form_old >= 20);
  CHECK(form_old <= 120);
  CHECK(std::abs(res_old) <= 15);
  // The adult reading (free IGF-1 x 1.95) stays just under +20% (docs/model.md).
  CHECK_NOFAIL(form_ad >= 20);
  CHECK(form_ad <= 120);
  CHECK(std::abs(res_ad) <= 15);
}

TEST_CASE("tissue V26: fasting lowers bone formation and rhIGF-1 raises it again", "[tissue][bone]") {
  // 4-day fast: the flagship's nutrition_factor (hepatic IGF-1 synthesis) from time 0, set so that
  // IGF-1 falls by 40% in 4 days (Grinspoon 1995: 310 → 186 ng/mL).
  const Run fast = simulate(flagship(), {{"nutrition_factor", 0.56}}, {{"bone", {}}}, 4 * kDay, 4, kBoneIds);
  const double igf_ratio = fast.last("IGF1_total") / fast.first("IGF1_total");
  const double free_fold = fast.last("IGF_f") / fast.first("IGF_f");
  REQUIRE(igf_ratio == Approx(186.0 / 310.0).margin(0.02));
  CHECK(fast.last("bone.P1NP_change_pct") < 0);  // direction: formation falls with the fast

  // The flagship cannot start rhIGF-1 at day 4 (IGF-1 production has no time switch; a GH step
  // raises IGFBP-3 with IGF-1 and leaves free IGF-1 below baseline), so the test model steps free
  // IGF-1: the fasted level (the flagship's at day 4) for 4 days, then 2× or 10× baseline for 6 days.
  std::vector<double> ratio;
  for (double rx : {2.0, 10.0}) {
    const Run r = simulate(timed_inputs(), {{"fold_1", free_fold}, {"fold_2", rx}, {"t_switch", 4 * kDay}},
                           {{"bone", {}}}, 10 * kDay, 10, {"IGF_f", "bone.formation_rate", "bone.resorption_rate"});
    const double day4 = r.at("bone.formation_rate", 4 * kDay), day10 = r.at("bone.formation_rate", 10 * kDay);
    CHECK(day4 < 1);       // formation down after the fast
    CHECK(day10 > day4);   // direction: rhIGF-1 raises formation
    ratio.push_back(day10 / day4);
    // V26 tolerance: ≥ 2× formation rise (osteocalcin ×5, PICP ×3): not met (docs/model.md).
    CHECK_NOFAIL(day10 / day4 >= 2);
  }
  WARN("V26 fast: IGF-1 x" << str(igf_ratio) << ", free IGF-1 x" << str(free_fold) << ", formation "
                           << str(fast.last("bone.P1NP_change_pct")) << "% at day 4; rhIGF-1 6 days: formation x"
                           << str(ratio[0]) << " (free IGF-1 2x), x" << str(ratio[1]) << " (10x); brief: >= 2x rise "
                           << met(ratio[0] >= 2 && ratio[1] >= 2));
}

TEST_CASE("tissue V27 and V33: six months of GH in older men with low IGF-1", "[tissue][bone][muscle]") {
  // Older man with low IGF-1 (GH_basal 0.3 ng/mL: IGF-1 ≈ 93 ng/mL), GH raised to 0.75 ng/mL for
  // 6 months: IGF-1 into the young-adult range (Rudman 1990; Papadakis 1996).
  const Params man = subject({{"GH_basal", 0.3}});
  const double f0 = value_of(man, "IGF_f");
  std::vector<std::string> ids = kBoneIds;
  ids.push_back("muscle.mass_change_pct");
  const Run r = simulate(flagship(), with(man, {{"GH_basal", 0.75}}), {{"bone", {{"IGF_ref", f0}}}, {"muscle", {{"IGF_ref", f0}}}},
                      182 * kDay, 26, ids);
  REQUIRE(r.first("IGF1_total") < 120);
  REQUIRE(r.last("IGF1_total") >= 200);
  REQUIRE(r.last("IGF1_total") <= 230);
  const double bmd = r.last("bone.BMD_change_pct"), lean = r.last("muscle.mass_change_pct");
  WARN("V27/V33 IGF-1 " << str(r.first("IGF1_total")) << " -> " << str(r.last("IGF1_total")) << " ng/mL, free x"
                        << str(r.last("IGF_f") / f0) << ": BMD " << str(bmd) << "%, lean mass " << str(lean) << "%");
  // V27: lumbar BMD +1.6% (Rudman 1990); tolerance +0.5 to +3%.
  CHECK(bmd >= 0.5);
  CHECK(bmd <= 3.0);
  // V33: lean mass +4.3% (Papadakis 1996) to +8.8% (Rudman 1990); tolerance +2 to +10%.
  CHECK(lean >= 2.0);
  CHECK(lean <= 10.0);
}

TEST_CASE("tissue V28: a year of rhIGF-1 at IGF-1 ≈ 300 ng/mL leaves BMD nearly unchanged", "[tissue][bone]") {
  const Params woman = subject({{"GH_basal", kGhOlderWoman}});
  const double f0 = value_of(woman, "IGF_f");
  const Run old = simulate(flagship(), with(woman, rhigf1(kRhIgf1OlderWoman)), {{"bone", {{"IGF_ref", f0}}}}, kYear,
                           12, kBoneIds);
  const Run adult = simulate(flagship(), rhigf1(kRhIgf1Adult), {{"bone", {}}}, kYear, 12, kBoneIds);
  REQUIRE(old.last("IGF1_total") == Approx(300).epsilon(0.05));
  REQUIRE(adult.last("IGF1_total") == Approx(300).epsilon(0.05));
  const double bmd_old = old.last("bone.BMD_change_pct"), bmd_ad = adult.last("bone.BMD_change_pct");
  WARN("V28 BMD after 1 year: older woman (66 -> 300 ng/mL, free IGF-1 x" << str(old.last("IGF_f") / f0) << ") "
                                                                           << str(bmd_old) << "%; adult (200 -> 300, free x"
                                                                           << str(adult.last("IGF_f") / adult.first("IGF_f"))
                                                                           << ") " << str(bmd_ad) << "%; |dBMD| <= 1.5%: older woman "
                                                                           << met(std::abs(bmd_old) <= 1.5) << ", adult "
                                                                           << met(std::abs(bmd_ad) <= 1.5));
  // V28: no significant BMD change (Friedlander 2001); tolerance |ΔBMD| ≤ 1.5%. Met from the
  // flagship's adult baseline and from Friedlander's low baseline (free IGF-1 × 12 there): the
  // bone plugin's IGF-1 drive saturates (Hill, issue 16), so V27 and V28 hold together.
  CHECK(bmd_ad >= -1.5);
  CHECK(bmd_ad <= 1.5);
  CHECK(bmd_old > 0);
  CHECK(std::abs(bmd_old) <= 1.5);
}

TEST_CASE("tissue V29: a year of 8 g/day inulin raises BMD", "[tissue][bone]") {
  const Run r = simulate(flagship(),
                         {{"intervention_fibre", 8}, {"intervention_start_h", 0}, {"intervention_end_h", 2 * kYear}},
                         all_plugins(), kYear, 12, {"IGF1_total", "bone.BMD_change_pct"});
  const double bmd = r.last("bone.BMD_change_pct");
  // Abrams 2005: BMD +0.015 g/cm² vs control, ≈ +1.5% of an adolescent's whole-body BMD (≈ 1.0 g/cm²,
  // an assumption: the brief gives no baseline).
  const double observed = 1.5;
  WARN("V29 IGF-1 " << str(r.last("IGF1_total")) << " ng/mL; BMD after 1 year " << str(bmd) << "% (observed ≈ +"
                    << observed << "%); within a factor 2 from below " << met(bmd >= observed / 2));
  // V29 tolerance: direction; ≤ 2× magnitude.
  CHECK(bmd > 0);
  CHECK(bmd <= 2 * observed);
  // Within a factor of 2 from below as well: not met (the model has no calcium-absorption path).
  CHECK_NOFAIL(bmd >= observed / 2);
}

TEST_CASE("tissue V30 and V34: ageing drifts of bone and lean mass (sign only)", "[tissue][bone][muscle]") {
  // No plugin models ageing: without an intervention BMD and lean mass do not drift (V31 test).
  // Brief §5.6 represents ageing by a declining GH_basal; the model's GH has a single step, so a
  // decade's fall of IGF-1 (≈ -12%: Mayo band midpoints, 26-30 y → 36-40 y) is applied at time 0
  // and the change over 10 years is reported per year.
  const Run r = simulate(flagship(), {{"gh_step_factor", 0.86}}, all_plugins(), 10 * kYear, 10,
                         {"IGF1_total", "bone.BMD_change_pct", "muscle.mass_change_pct"});
  const double igf_change = 100 * (r.last("IGF1_total") / r.first("IGF1_total") - 1);
  REQUIRE(igf_change < -8);
  REQUIRE(igf_change > -16);
  const double bmd_per_year = r.last("bone.BMD_change_pct") / 10, lean_per_year = r.last("muscle.mass_change_pct") / 10;
  WARN("V30/V34 IGF-1 " << str(igf_change) << "% over a decade: BMD " << str(bmd_per_year) << " %/yr, lean mass "
                        << str(lean_per_year) << " %/yr; magnitudes (V30 <= -0.1 %/yr, V34 -0.3..-1 %/yr): "
                        << met(bmd_per_year <= -0.1) << ", " << met(lean_per_year <= -0.3 && lean_per_year >= -1));
  // Signs (checked): both drift down when IGF-1 falls with age.
  CHECK(bmd_per_year < 0);
  CHECK(lean_per_year < 0);
  // Magnitudes (not met: no age term): V30 spine -0.84 to -1.61 %/yr, order of magnitude;
  // V34 -0.6 %/yr, tolerance -0.3 to -1 %/yr.
  CHECK_NOFAIL(bmd_per_year <= -0.1);
  CHECK_NOFAIL(lean_per_year <= -0.3);
  CHECK_NOFAIL(lean_per_year >= -1.0);
}

TEST_CASE("tissue V32: IGF-1 infusion raises muscle protein synthesis, not breakdown", "[tissue][muscle]") {
  // Russell-Jones 1994: total IGF-1 26.6 → 88.9 nM in 3 h. The flagship: IGF-1 production × 45.5
  // from time 0 brings total IGF-1 to ≈ 88.9 nM at 3 h.
  const std::vector<std::string> ids = {"IGF1_total_nM", "IGF_f", "muscle.FSR", "muscle.mass_change_pct"};
  const Run r = simulate(flagship(), rhigf1(45.5), {{"muscle", {}}}, 3, 3, ids);
  REQUIRE(r.last("IGF1_total_nM") == Approx(88.9).epsilon(0.03));
  // Synthesis = FSR × M, against its basal value k_d × M_ref (FSR 100·k_d %/h); breakdown = k_d × M.
  const double basal_fsr = 100 * plugin_default("muscle", "k_d");
  const auto synthesis = [basal_fsr](const Run& x) {
    return 100 * (x.last("muscle.FSR") * (1 + x.last("muscle.mass_change_pct") / 100) / basal_fsr - 1);
  };
  const double syn = synthesis(r), brk = r.last("muscle.mass_change_pct");

  // The plugin's calibration premise: free IGF-1 rises as total IGF-1 does (× 88.9 / 26.6).
  const Run t = simulate(timed_inputs(), {{"fold_1", 88.9 / 26.6}}, {{"muscle", {}}}, 3, 3,
                         {"IGF_f", "muscle.FSR", "muscle.mass_change_pct"});
  const double syn_t = synthesis(t), brk_t = t.last("muscle.mass_change_pct");
  WARN("V32 flagship: free IGF-1 x" << str(r.last("IGF_f") / r.first("IGF_f")) << ", synthesis " << str(syn)
                                    << "%, breakdown " << str(brk) << "%; free IGF-1 x3.34 (test model): synthesis "
                                    << str(syn_t) << "%, breakdown " << str(brk_t) << "%; flagship synthesis +5..+20% "
                                    << met(syn >= 5 && syn <= 20));
  // V32 in the flagship (met since the muscle plugin's drive saturates, issue 16): free IGF-1
  // rises ≈ 270-fold when total IGF-1 is tripled in 3 h, and the synthesis rise stays within
  // +5..+20% because the drive is bounded by a_M = 25%.
  CHECK(syn > 0);
  CHECK(std::abs(brk) <= 5);
  CHECK(syn >= 5);
  CHECK(syn <= 20);
  // V32 tolerance: synthesis +5 to +20%, breakdown ± 5%.
  CHECK(syn_t >= 5);
  CHECK(syn_t <= 20);
  CHECK(std::abs(brk_t) <= 5);
}

TEST_CASE("tissue V35: 20 g/day inulin for 42 days lowers HOMA-IR", "[tissue][metabolic]") {
  const axisim::Scenario s = axisim::Scenario::load(kDir + "/scenarios/fibre_intervention.toml");
  axisim::Model model = axisim::Model::from_file(s.model_path);
  s.apply(model);
  for (const auto& name : kAllPlugins) model.attach(plugin(name));
  const axisim::Result res = model.simulate(s.options, {{"metabolic.HOMA_IR"}, {"Bu_epi"}, {"gut-barrier.TEER_pct"}});
  REQUIRE(res.error.empty());
  Run r;
  r.t = res.column("time");
  r.col["HOMA"] = res.column("metabolic.HOMA_IR");
  r.col["Bu_epi"] = res.column("Bu_epi");
  r.col["TEER"] = res.column("gut-barrier.TEER_pct");
  const double start = model.initial_value("intervention_start_h"), end = model.initial_value("intervention_end_h");
  REQUIRE(end - start == Approx(42 * kDay));
  const double change = 100 * (r.at("HOMA", end) / r.at("HOMA", start) - 1);
  WARN("V35 HOMA-IR " << str(r.at("HOMA", start)) << " -> " << str(r.at("HOMA", end)) << " (" << str(change)
                      << "%); also at the end of the course: colonocyte butyrate " << str(r.at("Bu_epi", end))
                      << " mM, barrier TEER " << str(r.at("TEER", end)) << "%");
  // V35: HOMA2-IR 1.59 → 1.17-1.23, -23 to -26% (Chambers 2019); tolerance -10 to -35%.
  CHECK(change <= -10);
  CHECK(change >= -35);
}

TEST_CASE("tissue: 20 g/day inulin does not harm the gut barrier (issue 16)", "[tissue][gut-barrier]") {
  // The fibre_intervention scenario with all four plugins. Human prebiotic trials report no barrier
  // damage (brief §5.4: benign or beneficial); Peng 2007's harmful 8 mM is a Caco-2 medium
  // concentration (V37), and colonocytes in vivo oxidise most of their butyrate.
  const axisim::Scenario s = axisim::Scenario::load(kDir + "/scenarios/fibre_intervention.toml");
  axisim::Model model = axisim::Model::from_file(s.model_path);
  s.apply(model);
  for (const auto& name : kAllPlugins) model.attach(plugin(name));
  axisim::SimulationOptions opt = s.options;
  opt.steps = 2160;  // hourly: the minimum is a transient of hours at the start of the course
  const axisim::Result res =
      model.simulate(opt, {{"gut-barrier.TEER_pct"}, {"Bu_epi"}, {"Bu_col"}, {"SCFA_colon_total"}, {"epi_adapt"}});
  REQUIRE(res.error.empty());
  Run r;
  r.t = res.column("time");
  for (const char* id : {"gut-barrier.TEER_pct", "Bu_epi", "Bu_col", "SCFA_colon_total", "epi_adapt"})
    r.col[id] = res.column(id);
  const double start = model.initial_value("intervention_start_h"), end = model.initial_value("intervention_end_h");
  double teer_min = 1e9, bu_epi_max = 0, scfa_max = 0;
  for (std::size_t i = 0; i < r.t.size(); ++i) {
    if (r.t[i] < start || r.t[i] > end) continue;
    teer_min = std::min(teer_min, r.col["gut-barrier.TEER_pct"][i]);
    bu_epi_max = std::max(bu_epi_max, r.col["Bu_epi"][i]);
    scfa_max = std::max(scfa_max, r.col["SCFA_colon_total"][i]);
  }
  const double teer_end = r.at("gut-barrier.TEER_pct", end);
  WARN("fibre intervention, end of course (day 56): TEER " << str(teer_end) << "%, colonocyte butyrate "
                                                           << str(r.at("Bu_epi", end)) << " mM (baseline 1.59), colonic butyrate "
                                                           << str(r.at("Bu_col", end)) << " mM (baseline 22.4), colonic total SCFA "
                                                           << str(r.at("SCFA_colon_total", end)) << " mM, epithelial adaptation x"
                                                           << str(r.at("epi_adapt", end)) << "; during the course: TEER min "
                                                           << str(teer_min) << "%, colonocyte butyrate max " << str(bu_epi_max)
                                                           << " mM, colonic SCFA max " << str(scfa_max) << " mM");
  // Issue 16: TEER under the intervention >= 100% of baseline at the end of the course ...
  CHECK(teer_end >= 100);
  // ... and throughout it: no dip below baseline on the way either (the first day's transient to 3 mM
  // colonocyte butyrate, before the epithelium adapts, dipped it to 99.9% with gut-barrier 1.0.0).
  CHECK(teer_min >= 100.0 - 1e-6);
  // Colonocyte butyrate stays near Peng's protective 2 mM, far below the harmful 8 mM.
  CHECK(r.at("Bu_epi", end) <= 2.5);
  CHECK(bu_epi_max < 4);
  // Colonic SCFA within V5's 70-140 mM at the end of the course (the brief's human range).
  CHECK(r.at("SCFA_colon_total", end) >= 70);
  CHECK(r.at("SCFA_colon_total", end) <= 140);
}

TEST_CASE("tissue V36: HOMA-IR is U-shaped in IGF-1", "[tissue][metabolic]") {
  // IGF-1 scan: GH_basal from 0.1 to 5 ng/mL, each run to steady state (the metabolic plugin adapts
  // with τ = 2 weeks; 6000 h is > 17 τ).
  const std::vector<double> gh = {0.1, 0.2, 0.35, 0.5, 0.7, 1.0, 1.5, 2.5, 5.0};
  std::vector<double> igf, homa;
  std::ostringstream table;
  for (double g : gh) {
    const Run r = simulate(flagship(), {{"GH_basal", g}}, all_plugins(), 6000, 1, {"IGF1_total", "metabolic.HOMA_IR"});
    igf.push_back(r.last("IGF1_total"));
    homa.push_back(r.last("metabolic.HOMA_IR"));
    table << " " << str(igf.back()) << ":" << str(homa.back());
  }
  WARN("V36 IGF-1 (ng/mL):HOMA-IR" << table.str());
  const auto imin = static_cast<std::size_t>(std::min_element(homa.begin(), homa.end()) - homa.begin());
  // V36 (Friedrich 2012): both tails raise HOMA-IR; the minimum at mid IGF-1.
  CHECK(imin > 0);
  CHECK(imin + 1 < homa.size());
  CHECK(homa.front() > homa[imin]);
  CHECK(homa.back() > homa[imin]);
  CHECK(igf[imin] >= 150);  // the middle of the adult range (brief V14: young-adult mean 150-250)
  CHECK(igf[imin] <= 250);
  for (std::size_t i = 0; i + 1 < homa.size(); ++i) {  // monotone on either side of the minimum
    INFO(i);
    if (i < imin) CHECK(homa[i] > homa[i + 1]);
    else CHECK(homa[i] < homa[i + 1]);
  }
}

TEST_CASE("tissue V37: epithelial butyrate 2 mM strengthens and 8 mM weakens the barrier", "[tissue][gut-barrier]") {
  // Test model: Bu_epi set directly, as Peng 2007 set it on Caco-2 cells (control 0 mM); other
  // inputs at the flagship's baseline; steady state (3000 h; renewal ≈ 4.5 days).
  std::map<double, double> teer;
  for (double bu : {0.0, 1.585901, 2.0, 8.0})
    teer[bu] = simulate(timed_inputs(), {{"Bu_epi", bu}}, {{"gut-barrier", {}}}, 3000, 1, {"gut-barrier.TEER_pct"})
                   .last("gut-barrier.TEER_pct");
  // Flagship: fibre intake set so that colonocyte butyrate reaches 2 and 8 mM at steady state.
  const auto steady_bu = [](double fibre) {
    const Run r = simulate(flagship(), {{"fibre_intake", fibre}}, {{"gut-barrier", {}}}, 3000, 1,
                           {"Bu_epi", "gut-barrier.TEER_pct"});
    return std::make_pair(r.last("Bu_epi"), r.last("gut-barrier.TEER_pct"));
  };
  std::map<double, std::pair<double, double>> flag;  // target Bu_epi → (fibre g/day, TEER %)
  for (double target : {2.0, 8.0}) {
    double lo = 16, hi = 200;
    REQUIRE(steady_bu(hi).first > target);
    for (int i = 0; i < 30; ++i) {
      const double mid = 0.5 * (lo + hi);
      (steady_bu(mid).first < target ? lo : hi) = mid;
    }
    const auto [bu, t] = steady_bu(hi);
    REQUIRE(bu == Approx(target).epsilon(0.01));
    flag[target] = {hi, t};
  }
  WARN("V37 test model TEER %: 0 mM " << str(teer[0.0]) << ", baseline 1.59 mM " << str(teer[1.585901]) << ", 2 mM "
                                      << str(teer[2.0]) << ", 8 mM " << str(teer[8.0]) << "; flagship: fibre "
                                      << str(flag[2.0].first) << " g/day → 2 mM, TEER " << str(flag[2.0].second)
                                      << "%; fibre " << str(flag[8.0].first) << " g/day → 8 mM, TEER "
                                      << str(flag[8.0].second) << "%");
  // V37 (Peng 2007), signs exact: TER up at 2 mM and down at 8 mM against the butyrate-free control ...
  CHECK(teer[2.0] > teer[0.0]);
  CHECK(teer[8.0] < teer[0.0]);
  // ... and against the model's baseline epithelial butyrate (1.59 mM).
  CHECK(teer[2.0] > teer[1.585901]);
  CHECK(teer[8.0] < teer[1.585901]);
  CHECK(flag[2.0].second > 100);
  CHECK(flag[8.0].second < 100);
}

TEST_CASE("tissue V38: luminal SCFA raise TER within 10 minutes (sign only)", "[tissue][gut-barrier]") {
  // Suzuki 2008: 80/40/20 mM acetate/propionate/butyrate on the caecal wall vs SCFA-free buffer.
  // Flagship: colonic SCFA and colonocyte butyrate emptied (control) or the lumen filled with the
  // mix, then 10 minutes.
  const auto teer = [](double ac, double pr, double bu) {
    const Run r = simulate(flagship(), {{"Ac_col", ac}, {"Pr_col", pr}, {"Bu_col", bu}, {"Bu_epi", 0}},
                           {{"gut-barrier", {}}}, 10.0 / 60, 1, {"Bu_epi", "gut-barrier.TEER_pct"});
    return std::make_pair(r.last("gut-barrier.TEER_pct"), r.last("Bu_epi"));
  };
  const auto [control, bu_control] = teer(0, 0, 0);
  const auto [scfa, bu_scfa] = teer(80, 40, 20);
  const double rise = 100 * (scfa / control - 1);
  WARN("V38 Bu_epi at 10 min " << str(bu_control) << " / " << str(bu_scfa) << " mM; TER vs control " << str(rise) << "%; +15..+50% " << met(rise >= 15 && rise <= 50));
  // Sign (checked): the plugin has no fast component (repair t½ 108 h), so only the sign applies.
  CHECK(rise > 0);
  // V38 magnitude if there were a fast component: +15 to +50% (not met; docs/model.md).
  CHECK_NOFAIL(rise >= 15);
}

TEST_CASE("tissue V39: raising IGF-1 in an injured barrier improves it", "[tissue][gut-barrier]") {
  // Injury: antibiotics days 7-21 (microbiota loss is the plugin's damage term). IGF-1 raised from
  // day 14, with the barrier already injured: GH × 2 (IGF-1 200 → 340 ng/mL).
  const Params abx = {{"abx_start_h", 7 * kDay}, {"abx_end_h", 21 * kDay}};
  const std::vector<std::string> ids = {"IGF1_total", "gut-barrier.TEER_pct", "gut-barrier.permeability_rel",
                                        "gut-barrier.LPS_translocation"};
  const Run a = simulate(flagship(), abx, all_plugins(), 35 * kDay, 35, ids);
  const Run b = simulate(flagship(), with(abx, {{"gh_step_factor", 2}, {"gh_step_time_h", 14 * kDay}}), all_plugins(),
                         35 * kDay, 35, ids);
  REQUIRE(a.at("gut-barrier.TEER_pct", 14 * kDay) < 90);  // injured when IGF-1 is raised
  REQUIRE(b.at("IGF1_total", 21 * kDay) > 1.3 * a.at("IGF1_total", 21 * kDay));
  WARN("V39 day 21 TEER " << str(a.at("gut-barrier.TEER_pct", 21 * kDay)) << " -> "
                          << str(b.at("gut-barrier.TEER_pct", 21 * kDay)) << "%, permeability "
                          << str(a.at("gut-barrier.permeability_rel", 21 * kDay)) << " -> "
                          << str(b.at("gut-barrier.permeability_rel", 21 * kDay)) << ", LPS index "
                          << str(a.at("gut-barrier.LPS_translocation", 21 * kDay)) << " -> "
                          << str(b.at("gut-barrier.LPS_translocation", 21 * kDay)));
  // V39 (Lorenzo-Zúñiga 2006; BMC Gastroenterol 2015), signs exact, during and after the course.
  for (double day : {21.0, 28.0}) {
    INFO("day " << day);
    CHECK(b.at("gut-barrier.TEER_pct", day * kDay) > a.at("gut-barrier.TEER_pct", day * kDay));
    CHECK(b.at("gut-barrier.permeability_rel", day * kDay) < a.at("gut-barrier.permeability_rel", day * kDay));
    CHECK(b.at("gut-barrier.LPS_translocation", day * kDay) < a.at("gut-barrier.LPS_translocation", day * kDay));
  }
}
