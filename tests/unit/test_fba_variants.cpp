// test_fba_variants.cpp — flux variability analysis and parsimonious FBA (axisim/fba.hpp,
// `axisim fba --fva / --pfba`): a network with alternative optima solved by hand, and the
// E. coli core model against values published with COBRApy and cameo (when the SED-ML corpus,
// which holds the model, is present).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/fba.hpp"
#include "fbc_network.hpp"
#include "test_util.hpp"

using axisim::ErrorKind;

namespace {

// An fbc Version 2 network whose optimum is not one flux vector:
//
//   Rin : X -> A   [0, 10]          X, P boundary species (not balanced)
//   R1  : A -> B   [0, 6]           the short route
//   R2  : A -> C   [0, big]         the long route, A -> C -> B, goes through R3 backwards
//   R3  : B -> C   [-big, big]      reversible
//   R5  : B -> A   [0, big]         with R1 a futile cycle A -> B -> A
//   Rout: B -> P   [rout_lower, big]
//
// Steady state: A: Rin - R1 - R2 + R5 = 0; C: R2 + R3 = 0; B: R1 - R3 - R5 - Rout = 0, so
// Rout = Rin, and maximising Rout (OBJ) gives 10. By hand, with big = 1000:
//
//   FVA, objective held at 10: Rin, Rout [10, 10]; R1 [0, 6]; R2 = 10 + R5 - R1 so [4, 1000];
//   R3 = -R2 so [-1000, -4]; R5 = R1 + R2 - 10 <= 6 + 1000 - 10, so [0, 996].
//   FVA at half the optimum (Rout >= 5): Rin, Rout [5, 10]; R1 [0, 6]; R2 [0, 1000];
//   R3 [-1000, 0]; R5 [0, 1000] (its own bound).
//   pFBA: the total |Rin| + |R1| + |R2| + |R3| + |R5| + |Rout| = 4 Rout - R1 + 3 R5 (using the
//   balances) is least with R1 = 6, R5 = 0: Rin 10, R1 6, R2 4, R3 -4, R5 0, Rout 10, total 34.
//   Minimising the signed sum instead (no split of R3) would put everything through R2 (R1 = 0).
//   pFBA at half the optimum: Rout = 5, R1 = 5, the rest 0; total 15.
//
// OBJ_R2 (maximise 3 R2, not active) reads R2 at the reported fluxes.
std::string network(const std::string& big = "1000", double rout_lower = 0) {
  using fbc_net::parameter, fbc_net::species;
  auto reaction = [](const std::string& id, const std::string& from, const std::string& to, const std::string& lb,
                     const std::string& ub) { return fbc_net::reaction(id, from, to, lb, ub, lb == "minus_big"); };
  const std::string minus_big = big == "INF" ? "-INF" : "-" + big;
  return fbc_net::document("routes", "<listOfSpecies>" + species("X", true) + species("A", false) + species("B", false) +
                                         species("C", false) + species("P", true) + R"(</listOfSpecies>
<listOfParameters>)" + parameter("zero", "0") + parameter("six", "6") + parameter("ten", "10") +
                                         parameter("big", big) + parameter("minus_big", minus_big) +
                                         parameter("rout_lower", std::to_string(rout_lower)) + R"(</listOfParameters>
<listOfReactions>)" + reaction("Rin", "X", "A", "zero", "ten") + reaction("R1", "A", "B", "zero", "six") +
                                         reaction("R2", "A", "C", "zero", "big") +
                                         reaction("R3", "B", "C", "minus_big", "big") +
                                         reaction("R5", "B", "A", "zero", "big") +
                                         reaction("Rout", "B", "P", "rout_lower", "big") + R"(</listOfReactions>
<fbc:listOfObjectives fbc:activeObjective="OBJ">
  <fbc:objective fbc:id="OBJ" fbc:type="maximize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="Rout" fbc:coefficient="1"/>
  </fbc:listOfFluxObjectives></fbc:objective>
  <fbc:objective fbc:id="OBJ_R2" fbc:type="maximize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="R2" fbc:coefficient="3"/>
  </fbc:listOfFluxObjectives></fbc:objective>
</fbc:listOfObjectives>)");
}

using Ranges = std::map<std::string, std::pair<double, double>>;

Ranges ranges_of(const axisim::FvaResult& r) {
  REQUIRE(r.minimum.size() == r.ids.size());
  REQUIRE(r.maximum.size() == r.ids.size());
  Ranges out;
  for (std::size_t i = 0; i < r.ids.size(); ++i) out[r.ids[i]] = {r.minimum[i], r.maximum[i]};
  return out;
}

void check_ranges(const Ranges& got, const Ranges& expected, double margin = 1e-6) {
  for (const auto& [id, range] : expected) {
    INFO("reaction " << id);
    REQUIRE(got.count(id) == 1);
    CHECK(got.at(id).first == Approx(range.first).margin(margin));
    CHECK(got.at(id).second == Approx(range.second).margin(margin));
  }
}

std::string corpus_dir() {
  const char* env = std::getenv("AXISIM_SEDML_CORPUS_DIR");
  return env ? env : AXISIM_SEDML_CORPUS_DEFAULT;
}

// The E. coli core model ("textbook", as COBRApy ships it), from BioSimulators' test suite in the
// SED-ML corpus; empty when the corpus is absent.
std::string ecoli_core() {
  const std::string path =
      corpus_dir() + "/other-tasks/biosimulators-test-suite__sbml-fbc-Escherichia-coli-core-metabolism/model.xml";
  return std::filesystem::exists(path) ? tu::read_file(path) : std::string();
}

}  // namespace

TEST_CASE("fva: ranges at the optimum and at half of it, by hand", "[fba][fva]") {
  const axisim::FvaResult r = axisim::flux_variability_string(network());
  CHECK(r.feasible);
  CHECK(r.ids == std::vector<std::string>{"Rin", "R1", "R2", "R3", "R5", "Rout"});
  CHECK(r.objective == Approx(10));
  CHECK(r.objective_bound == Approx(10));
  CHECK(r.objective_id == "OBJ");
  check_ranges(ranges_of(r), {{"Rin", {10, 10}}, {"R1", {0, 6}}, {"R2", {4, 1000}}, {"R3", {-1000, -4}},
                              {"R5", {0, 996}}, {"Rout", {10, 10}}});

  axisim::FbaOptions half;
  half.fraction_of_optimum = 0.5;
  const axisim::FvaResult h = axisim::flux_variability_string(network(), {"Rout", "R2", "R5", "R3", "R1", "Rin"}, half);
  CHECK(h.ids == std::vector<std::string>{"Rout", "R2", "R5", "R3", "R1", "Rin"});
  CHECK(h.objective == Approx(10));
  CHECK(h.objective_bound == Approx(5));
  check_ranges(ranges_of(h), {{"Rin", {5, 10}}, {"R1", {0, 6}}, {"R2", {0, 1000}}, {"R3", {-1000, 0}},
                              {"R5", {0, 1000}}, {"Rout", {5, 10}}});

  // Fraction 0: every flux vector that meets the constraints, whatever its objective.
  axisim::FbaOptions none;
  none.fraction_of_optimum = 0;
  check_ranges(ranges_of(axisim::flux_variability_string(network(), {"Rout"}, none)), {{"Rout", {0, 10}}});
}

TEST_CASE("fva: a flux unbounded with the objective held has an infinite range end", "[fba][fva]") {
  // With big = INF the futile cycle R1 -> R5 and the long route are unbounded.
  const Ranges r = ranges_of(axisim::flux_variability_string(network("INF")));
  CHECK(r.at("Rout").first == Approx(10));
  CHECK(r.at("Rout").second == Approx(10));
  CHECK(r.at("R1").second == Approx(6));
  CHECK(r.at("R5").second == std::numeric_limits<double>::infinity());
  CHECK(r.at("R2").second == std::numeric_limits<double>::infinity());
  CHECK(r.at("R3").first == -std::numeric_limits<double>::infinity());
  CHECK(r.at("R3").second == Approx(-4));  // R3 = -R2, and R2 = 10 + R5 - R1 >= 4
}

TEST_CASE("fva: infeasible problems, unknown ids, bad fractions", "[fba][fva]") {
  // Rout >= 20 cannot be met (Rout = Rin <= 10).
  CHECK_THROWS_AS(axisim::flux_variability_string(network("1000", 20)), axisim::Error);
  axisim::FbaOptions nan;
  nan.infeasible_as_nan = true;
  const axisim::FvaResult r = axisim::flux_variability_string(network("1000", 20), {"R1"}, nan);
  CHECK_FALSE(r.feasible);
  CHECK(std::isnan(r.minimum.at(0)));
  CHECK(std::isnan(r.maximum.at(0)));

  try {
    axisim::flux_variability_string(network(), {"R1", "OBJ"});
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::UnknownId);
    CHECK(tu::contains(e.what(), "'OBJ'"));
  }
  axisim::FbaOptions bad;
  bad.fraction_of_optimum = 1.5;
  try {
    axisim::flux_variability_string(network(), {}, bad);
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::InvalidSbml);
    CHECK(tu::contains(e.what(), "fraction"));
  }
}

TEST_CASE("fva with a pFBA factor: the total absolute flux held near its least, by hand", "[fba][fva][pfba]") {
  // With the objective at 10 the total is 40 - R1 + 3 R5 (pFBA's test below), least 34 at
  // R1 = 6, R5 = 0. Factor 1: only that flux vector, so every range is one point (Rin, Rout 10,
  // R1 6, R2 4, R3 -4, R5 0), even with infinite bounds. Factor 1.1: total <= 37.4, so
  // R1 - 3 R5 >= 2.6: R1 [2.6, 6], R5 [0, 3.4 / 3], R2 = 10 + R5 - R1 [4, 7.4] (greatest at
  // R1 = 2.6, R5 = 0; along R1 - 3 R5 = 2.6 it is 7.4 - 2 R5), R3 = -R2 [-7.4, -4].
  for (const std::string big : {"1000", "INF"}) {
    INFO("big = " << big);
    axisim::FbaOptions one;
    one.pfba_factor = 1;
    const axisim::FvaResult r = axisim::flux_variability_string(network(big), {}, one);
    CHECK(r.total_flux_bound == Approx(34));
    check_ranges(ranges_of(r), {{"Rin", {10, 10}}, {"R1", {6, 6}}, {"R2", {4, 4}}, {"R3", {-4, -4}},
                                {"R5", {0, 0}}, {"Rout", {10, 10}}});
    axisim::FbaOptions loose;
    loose.pfba_factor = 1.1;
    const axisim::FvaResult l = axisim::flux_variability_string(network(big), {}, loose);
    CHECK(l.total_flux_bound == Approx(37.4));
    check_ranges(ranges_of(l), {{"Rin", {10, 10}}, {"R1", {2.6, 6}}, {"R2", {4, 7.4}}, {"R3", {-7.4, -4}},
                                {"R5", {0, 3.4 / 3}}, {"Rout", {10, 10}}});
  }
  axisim::FbaOptions bad;
  bad.pfba_factor = 0.9;
  try {
    axisim::flux_variability_string(network(), {}, bad);
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::InvalidSbml);
    CHECK(tu::contains(e.what(), "pFBA factor"));
  }
}

namespace {

// A network with a thermodynamically infeasible loop A -> B -> C -> A (X, P boundary):
//   Rin: X -> A [0, 10]; Rab: A -> B, Rbc: B -> C, Rca: C -> A, each [-big, big]; Rout: C -> P
//   [0, big]. Maximising Rout gives 10; the steady state leaves Rab = Rbc = t, Rca = t - 10.
// Plain FVA at the optimum (big = 1000): t <= 1000 and t - 10 >= -1000, so Rab, Rbc [-990, 1000],
// Rca [-1000, 990]: the loop turns as fast as the bounds allow. Without a loop, A reaches C either
// through B (t >= 0) or directly by Rca backwards (t - 10 <= 0): t > 10 turns the loop forwards
// (all three positive), t < 0 backwards (all three negative). So the loopless ranges are
// Rab, Rbc [0, 10], Rca [-10, 0]; Rin and Rout [10, 10] either way.
std::string loop_network() {
  using fbc_net::parameter, fbc_net::species;
  auto reaction = [](const std::string& id, const std::string& from, const std::string& to, const std::string& lb,
                     const std::string& ub) { return fbc_net::reaction(id, from, to, lb, ub, lb == "minus_big"); };
  return fbc_net::document("loop", "<listOfSpecies>" + species("X", true) + species("A", false) + species("B", false) +
                                       species("C", false) + species("P", true) + R"(</listOfSpecies>
<listOfParameters>)" + parameter("zero", "0") + parameter("ten", "10") + parameter("big", "1000") +
                                       parameter("minus_big", "-1000") + R"(</listOfParameters>
<listOfReactions>)" + reaction("Rin", "X", "A", "zero", "ten") + reaction("Rab", "A", "B", "minus_big", "big") +
                                       reaction("Rbc", "B", "C", "minus_big", "big") +
                                       reaction("Rca", "C", "A", "minus_big", "big") +
                                       reaction("Rout", "C", "P", "zero", "big") + R"(</listOfReactions>
<fbc:listOfObjectives fbc:activeObjective="OBJ">
  <fbc:objective fbc:id="OBJ" fbc:type="maximize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="Rout" fbc:coefficient="1"/>
  </fbc:listOfFluxObjectives></fbc:objective>
</fbc:listOfObjectives>)");
}

}  // namespace

TEST_CASE("fva: loopless ranges exclude the infeasible loop, by hand", "[fba][fva]") {
  const axisim::FvaResult plain = axisim::flux_variability_string(loop_network());
  check_ranges(ranges_of(plain), {{"Rin", {10, 10}}, {"Rab", {-990, 1000}}, {"Rbc", {-990, 1000}},
                                  {"Rca", {-1000, 990}}, {"Rout", {10, 10}}});
  axisim::FbaOptions loopless;
  loopless.loopless = true;
  const axisim::FvaResult r = axisim::flux_variability_string(loop_network(), {}, loopless);
  check_ranges(ranges_of(r), {{"Rin", {10, 10}}, {"Rab", {0, 10}}, {"Rbc", {0, 10}}, {"Rca", {-10, 0}}, {"Rout", {10, 10}}});
  // The routes network: R5 (B -> A) closes a loop with R1 (A -> B) and with the long route
  // (A -> C -> B), so loopless it is 0; then R1 + R2 = 10 with R1 <= 6: R2 [4, 10], R3 = -R2.
  check_ranges(ranges_of(axisim::flux_variability_string(network(), {}, loopless)),
               {{"Rin", {10, 10}}, {"R1", {0, 6}}, {"R2", {4, 10}}, {"R3", {-10, -4}}, {"R5", {0, 0}}, {"Rout", {10, 10}}});
  // Infinite bounds leave no finite flux vector to start the loop removal from; with a pFBA factor
  // it is not built: both refused.
  try {
    axisim::flux_variability_string(network("INF"), {}, loopless);
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::Unsupported);
    CHECK(tu::contains(e.what(), "finite"));
  }
  loopless.pfba_factor = 1;
  CHECK_THROWS_AS(axisim::flux_variability_string(loop_network(), {}, loopless), axisim::Error);
}

namespace {

axisim::FbaOptions exact_loopless(double fraction = 1.0) {
  axisim::FbaOptions o;
  o.loopless = true;
  o.loopless_method = axisim::LooplessMethod::MixedInteger;
  o.fraction_of_optimum = fraction;
  return o;
}

// The loop network with the objective on a reaction of the loop (Rab) and Rab's lower bound.
std::string loop_network_with(const std::string& objective_reaction, const std::string& rab_lower = "minus_big") {
  std::string m = loop_network();
  const std::string from = "fbc:reaction=\"Rout\"";
  m.replace(m.find(from), from.size(), "fbc:reaction=\"" + objective_reaction + "\"");
  const std::string rab = "id=\"Rab\" reversible=\"true\" fbc:lowerFluxBound=\"minus_big\"";
  REQUIRE(m.find(rab) != std::string::npos);
  m.replace(m.find(rab), rab.size(), "id=\"Rab\" reversible=\"true\" fbc:lowerFluxBound=\"" + rab_lower + "\"");
  return m;
}

}  // namespace

TEST_CASE("fva: loopless ranges by the mixed-integer program (ll-FVA), by hand", "[fba][fva]") {
  // The loop A -> B -> C -> A: plain FVA lets it turn up to the bounds ([-990, 1000] and
  // [-1000, 990], in the test above); loopless ranges are the proper sub-ranges worked out there.
  const axisim::FvaResult r = axisim::flux_variability_string(loop_network(), {}, exact_loopless());
  CHECK(r.feasible);
  CHECK(r.objective == Approx(10));
  check_ranges(ranges_of(r), {{"Rin", {10, 10}}, {"Rab", {0, 10}}, {"Rbc", {0, 10}}, {"Rca", {-10, 0}}, {"Rout", {10, 10}}});
  // The routes network: R5 (B -> A) ranges [0, 996] in plain FVA, only by closing a loop with R1
  // or with the long route (both take A to B, so the potential of B is below A's and nothing
  // runs from B to A): loopless exactly 0. R2 [4, 10], R3 = -R2, by hand (the test above).
  check_ranges(ranges_of(axisim::flux_variability_string(network(), {}, exact_loopless())),
               {{"Rin", {10, 10}}, {"R1", {0, 6}}, {"R2", {4, 10}}, {"R3", {-10, -4}}, {"R5", {0, 0}}, {"Rout", {10, 10}}});
  // At half the optimum (Rout in [5, 10]): R2 = Rout - R1 in [0, 10] (plain [0, 1000]).
  check_ranges(ranges_of(axisim::flux_variability_string(network(), {}, exact_loopless(0.5))),
               {{"Rin", {5, 10}}, {"R1", {0, 6}}, {"R2", {0, 10}}, {"R3", {-10, 0}}, {"R5", {0, 0}}, {"Rout", {5, 10}}});
}

TEST_CASE("fva: the mixed-integer loopless ranges agree with the heuristic where both are exact", "[fba][fva]") {
  for (const double fraction : {1.0, 0.5}) {
    axisim::FbaOptions heuristic;
    heuristic.loopless = true;
    heuristic.fraction_of_optimum = fraction;
    for (const std::string& model : {loop_network(), network()}) {
      INFO("fraction " << fraction);
      const Ranges exact = ranges_of(axisim::flux_variability_string(model, {}, exact_loopless(fraction)));
      const Ranges cycle_free = ranges_of(axisim::flux_variability_string(model, {}, heuristic));
      check_ranges(exact, cycle_free, 1e-7);
    }
  }
}

TEST_CASE("fva: ll-FVA holds the objective at its loopless optimum", "[fba][fva]") {
  // Maximising Rab, a reaction of the loop: plain FBA turns the loop to Rab's bound, 1000; without
  // loops Rab carries what enters, at most Rin = 10, and then Rca = Rab - Rin = 0. The ranges are
  // over the loopless vectors with Rab held at that 10.
  const std::string m = loop_network_with("Rab");
  CHECK(axisim::solve_fba_string(m, {"Rab"}).objective == Approx(1000));
  const axisim::FvaResult r = axisim::flux_variability_string(m, {}, exact_loopless());
  CHECK(r.objective == Approx(10));
  CHECK(r.objective_bound == Approx(10));
  check_ranges(ranges_of(r), {{"Rin", {10, 10}}, {"Rab", {10, 10}}, {"Rbc", {10, 10}}, {"Rca", {0, 0}}, {"Rout", {10, 10}}});
}

TEST_CASE("fva: ll-FVA refuses infinite bounds and reports a loop-only optimum as infeasible", "[fba][fva]") {
  try {
    axisim::flux_variability_string(network("INF"), {}, exact_loopless());
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::Unsupported);
    CHECK(tu::contains(e.what(), "'R2'"));  // the first internal reaction with an infinite bound
    CHECK(tu::contains(e.what(), "finite"));
  }
  // Rab at least 20 but at most 10 enters: only a turning loop meets it. Plain FBA is feasible,
  // loopless FBA is not.
  const std::string m = loop_network_with("Rout", "twenty");
  std::string forced = m;
  const std::string params = "<parameter id=\"zero\" value=\"0\" constant=\"true\"/>";
  forced.replace(forced.find(params), params.size(), params + "<parameter id=\"twenty\" value=\"20\" constant=\"true\"/>");
  CHECK(axisim::flux_variability_string(forced).feasible);
  try {
    axisim::flux_variability_string(forced, {}, exact_loopless());
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::Solver);
    CHECK(tu::contains(e.what(), "no loopless optimum"));
  }
  axisim::FbaOptions nan = exact_loopless();
  nan.infeasible_as_nan = true;
  const axisim::FvaResult r = axisim::flux_variability_string(forced, {"Rab"}, nan);
  CHECK_FALSE(r.feasible);
  CHECK(std::isnan(r.minimum.at(0)));
  CHECK(std::isnan(r.maximum.at(0)));
  // With a pFBA factor: not built.
  axisim::FbaOptions factor = exact_loopless();
  factor.pfba_factor = 1;
  CHECK_THROWS_AS(axisim::flux_variability_string(loop_network(), {}, factor), axisim::Error);
}

TEST_CASE("pfba: least total absolute flux at the optimum, reversible fluxes split", "[fba][pfba]") {
  axisim::FbaOptions o;
  o.method = axisim::FbaMethod::Parsimonious;
  for (const std::string big : {"1000", "INF"}) {
    INFO("big = " << big);
    const axisim::FbaResult r = axisim::solve_fba_string(network(big), {"Rin", "R1", "R2", "R3", "R5", "Rout", "OBJ", "OBJ_R2"}, o);
    REQUIRE(r.values.size() == 8);
    CHECK(r.values[0] == Approx(10));
    CHECK(r.values[1] == Approx(6));
    CHECK(r.values[2] == Approx(4));
    CHECK(r.values[3] == Approx(-4));
    CHECK(r.values[4] == Approx(0).margin(1e-9));
    CHECK(r.values[5] == Approx(10));
    CHECK(r.values[6] == Approx(10));  // the objective is unchanged
    CHECK(r.values[7] == Approx(12));  // 3 R2 at these fluxes
    CHECK(r.objective == Approx(10));
    CHECK(r.total_flux == Approx(34));
  }

  o.fraction_of_optimum = 0.5;
  const axisim::FbaResult h = axisim::solve_fba_string(network(), {"Rin", "R1", "R2", "R3", "R5", "Rout", "OBJ"}, o);
  CHECK(h.values[0] == Approx(5));
  CHECK(h.values[1] == Approx(5));
  CHECK(h.values[2] == Approx(0).margin(1e-9));
  CHECK(h.values[3] == Approx(0).margin(1e-9));
  CHECK(h.values[4] == Approx(0).margin(1e-9));
  CHECK(h.values[5] == Approx(5));
  CHECK(h.values[6] == Approx(5));
  CHECK(h.total_flux == Approx(15));

  // Plain FBA reports its vertex's total too; it is never below pFBA's.
  const axisim::FbaResult plain = axisim::solve_fba_string(network());
  CHECK(plain.total_flux >= 34 - 1e-6);
}

TEST_CASE("pfba by the fewest active fluxes: a mixed-integer program, by hand", "[fba][pfba]") {
  // At the optimum (Rout = Rin = 10) A reaches B through R1 (at most 6) or through R2 and R3
  // backwards: R1 alone cannot carry 10, so the fewest active fluxes are Rin, R2, R3, Rout (4):
  // R2 = 10, R3 = -10, R1 = R5 = 0, unlike pFBA's least total flux (R1 = 6, R2 = 4; 5 active).
  axisim::FbaOptions o;
  o.method = axisim::FbaMethod::FewestActive;
  const axisim::FbaResult r = axisim::solve_fba_string(network(), {"Rin", "R1", "R2", "R3", "R5", "Rout", "OBJ"}, o);
  REQUIRE(r.values.size() == 7);
  CHECK(r.values[0] == Approx(10));
  CHECK(r.values[1] == Approx(0).margin(1e-9));
  CHECK(r.values[2] == Approx(10));
  CHECK(r.values[3] == Approx(-10));
  CHECK(r.values[4] == Approx(0).margin(1e-9));
  CHECK(r.values[5] == Approx(10));
  CHECK(r.values[6] == Approx(10));
  CHECK(r.total_flux == Approx(40));
  // At half the optimum (Rout >= 5) R1 alone suffices: 3 active, Rin = R1 = Rout in [5, 6] (which
  // value is not determined), R2 = R3 = R5 = 0.
  o.fraction_of_optimum = 0.5;
  const axisim::FbaResult h = axisim::solve_fba_string(network(), {"Rin", "R1", "R2", "R3", "R5", "Rout"}, o);
  CHECK(h.values[1] >= 5 - 1e-9);
  CHECK(h.values[1] <= 6 + 1e-9);
  CHECK(h.values[0] == Approx(h.values[1]));
  CHECK(h.values[5] == Approx(h.values[1]));
  CHECK(h.values[2] == Approx(0).margin(1e-9));
  CHECK(h.values[3] == Approx(0).margin(1e-9));
  CHECK(h.values[4] == Approx(0).margin(1e-9));
  // Infinite bounds: no big-M bound, refused naming a reaction.
  try {
    axisim::solve_fba_string(network("INF"), {}, o);
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::Unsupported);
    CHECK(tu::contains(e.what(), "finite flux bounds"));
  }
  CHECK(r.reduced_costs.empty());
}

TEST_CASE("fba --fva and --pfba on the command line", "[fba][fva][pfba][cli]") {
  tu::TempDir dir;
  const std::string model = dir.file("routes.xml");
  tu::write_file(model, network());

  auto r = tu::run({AXISIM_CLI_PATH, "fba", model, "--fva", "--select", "R1,R5,Rout"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "reaction,minimum,maximum\nR1,0,6\nR5,0,996\nRout,10,10\n");

  const std::string out = dir.file("pfba.csv");
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--pfba", "--fraction-of-optimum", "0.5", "--select", "Rout,R1,R2,OBJ",
               "-o", out},
              dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  const auto lines = tu::lines(tu::read_file(out));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "Rout,R1,R2,OBJ");
  const auto cells = tu::split(lines[1], ',');
  REQUIRE(cells.size() == 4);
  CHECK(tu::parse_number(cells[0]) == Approx(5));
  CHECK(tu::parse_number(cells[1]) == Approx(5));
  CHECK(tu::parse_number(cells[2]) == Approx(0).margin(1e-9));
  CHECK(tu::parse_number(cells[3]) == Approx(5));

  // The fraction without a variant, or outside [0, 1]: invalid input (exit 4).
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--fraction-of-optimum", "0.5"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, "--fraction-of-optimum"));
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--fva", "--fraction-of-optimum", "1.5"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 4);
  // An objective is not a reaction: FVA has no range for it.
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--fva", "--select", "OBJ"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 4);
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--fva", "--pfba"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code != 0);
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--fewest-active", "--select", "R1,R2,R3"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "R1,R2,R3\n0,10,-10\n");
  // The pFBA factor (ranges by hand in the test above), and its misuse: invalid input (exit 4).
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--fva", "--pfba-factor", "1", "--select", "R1,R5"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "reaction,minimum,maximum\nR1,6,6\nR5,0,0\n");
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--pfba-factor", "1.1"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, "--pfba-factor"));
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--fva", "--pfba-factor", "0.5"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 4);
}

TEST_CASE("E. coli core: pFBA and FVA match COBRApy's and cameo's published values", "[fba][fva][pfba][corpus]") {
  const std::string model = ecoli_core();
  if (model.empty()) {
    WARN("skipped: the SED-ML corpus (E. coli core model) is not at " << corpus_dir() << " (set AXISIM_SEDML_CORPUS_DIR)");
    return;
  }
  // FBA: growth 0.8739215069684307 (COBRApy's documentation, "Simulating with FBA").
  const axisim::FbaResult fba = axisim::solve_fba_string(model, {"R_Biomass_Ecoli_core"});
  CHECK(fba.objective == Approx(0.8739215069684307).epsilon(1e-9));

  // pFBA: the same growth; the least total absolute flux 518.4220855 (cameo's tests of pFBA and of
  // remove_infeasible_cycles on this model; COBRApy reports it as pFBA's objective value), below
  // the plain FBA vertex's total.
  axisim::FbaOptions p;
  p.method = axisim::FbaMethod::Parsimonious;
  const axisim::FbaResult pfba = axisim::solve_fba_string(model, {"R_Biomass_Ecoli_core", "obj"}, p);
  CHECK(pfba.values[0] == Approx(0.8739215069684307).epsilon(1e-7));
  CHECK(pfba.values[1] == Approx(0.8739215069684307).epsilon(1e-7));
  CHECK(pfba.total_flux == Approx(518.4220855176071).epsilon(1e-6));
  CHECK(pfba.total_flux <= fba.total_flux + 1e-6);

  // FVA with ATP maintenance (R_ATPM) as the objective, its optimum 175: COBRApy's documentation
  // ("Running FVA") lists these ranges at the optimum and at 90% of it.
  std::string atpm = model;
  const std::string from = "fbc:reaction=\"R_Biomass_Ecoli_core\"";
  REQUIRE(atpm.find(from) != std::string::npos);
  atpm.replace(atpm.find(from), from.size(), "fbc:reaction=\"R_ATPM\"");
  const axisim::FvaResult full = axisim::flux_variability_string(
      atpm, {"R_ACALD", "R_ACONTa", "R_AKGDH", "R_FRD7", "R_SUCDi", "R_ATPM"});
  CHECK(full.objective == Approx(175).epsilon(1e-9));
  check_ranges(ranges_of(full), {{"R_ACALD", {0, 0}}, {"R_ACONTa", {20, 20}}, {"R_AKGDH", {20, 20}},
                                 {"R_FRD7", {0, 980}}, {"R_SUCDi", {20, 1000}}, {"R_ATPM", {175, 175}}},
               1e-5);
  axisim::FbaOptions ninety;
  ninety.fraction_of_optimum = 0.9;
  const axisim::FvaResult r = axisim::flux_variability_string(
      atpm, {"R_ACALD", "R_ACALDt", "R_ACKr", "R_ACONTa", "R_ACONTb", "R_ACt2r", "R_ADK1", "R_AKGDH", "R_AKGt2r", "R_ALCD2x"},
      ninety);
  check_ranges(ranges_of(r), {{"R_ACALD", {-2.692308, 0}}, {"R_ACALDt", {-2.692308, 0}}, {"R_ACKr", {-4.117647, 0}},
                              {"R_ACONTa", {8.461538, 20}}, {"R_ACONTb", {8.461538, 20}}, {"R_ACt2r", {-4.117647, 0}},
                              {"R_ADK1", {0, 17.5}}, {"R_AKGDH", {2.5, 20}}, {"R_AKGt2r", {-1.489362, 0}},
                              {"R_ALCD2x", {-2.333333, 0}}},
               1e-5);
}

TEST_CASE("E. coli core: ll-FVA's ranges, against plain FVA with one direction of the FRD7/SUCDi loop closed",
          "[fba][fva][corpus]") {
  const std::string model = ecoli_core();
  if (model.empty()) {
    WARN("skipped: the SED-ML corpus (E. coli core model) is not at " << corpus_dir() << " (set AXISIM_SEDML_CORPUS_DIR)");
    return;
  }
  // FRD7 (fum + q8h2 -> succ + q8) and SUCDi (succ + q8 -> fum + q8h2) are each other's reverse:
  // their free energy differences are opposite, so no loopless vector runs both. With the one
  // closed (its upper bound 0) plain FVA bounds the other's loopless range.
  auto closed = [&](const std::string& reaction) {
    std::string m = model;
    const std::string from = "metaid=\"" + reaction + "\" fbc:upperFluxBound=\"cobra_default_ub\"";
    REQUIRE(m.find(from) != std::string::npos);
    m.replace(m.find(from), from.size(), "metaid=\"" + reaction + "\" fbc:upperFluxBound=\"cobra_0_bound\"");
    return m;
  };
  const axisim::FvaResult plain = axisim::flux_variability_string(model);
  const axisim::FvaResult ll = axisim::flux_variability_string(model, {}, exact_loopless());
  // Loops do not help growth: the loopless optimum is FBA's (COBRApy's documented 0.8739215).
  CHECK(ll.objective == Approx(0.8739215069684307).epsilon(1e-7));
  const Ranges p = ranges_of(plain), l = ranges_of(ll);
  for (const auto& [id, range] : l) {  // every loopless range inside plain FVA's
    INFO(id);
    CHECK(range.first >= p.at(id).first - 1e-6);
    CHECK(range.second <= p.at(id).second + 1e-6);
  }
  // At the optimum plain FVA lets the loop turn: FRD7 up to 994.9, SUCDi up to its bound 1000.
  CHECK(p.at("R_FRD7").second > 990);
  CHECK(p.at("R_SUCDi").second == Approx(1000));
  // Loopless, FRD7 cannot run (SUCDi must, above 5), and SUCDi's range is that of plain FVA with
  // FRD7 closed (one point, 5.064).
  check_ranges(l, {{"R_FRD7", {0, 0}}}, 1e-6);
  const Ranges no_frd7 = ranges_of(axisim::flux_variability_string(closed("R_FRD7"), {"R_SUCDi"}));
  check_ranges(l, {{"R_SUCDi", no_frd7.at("R_SUCDi")}}, 1e-6);
  // At 90% of the optimum FRD7 can run loopless, with SUCDi idle: its loopless maximum is plain
  // FVA's with SUCDi closed and growth held at the same 90% of the original optimum (a larger
  // fraction of the closed model's lower optimum). COBRApy's heuristic (loopless=True) reports 0
  // here: it removes the flux with the loop instead of looking for a loopless vector that has it.
  const axisim::FvaResult ll90 = axisim::flux_variability_string(model, {"R_FRD7"}, exact_loopless(0.9));
  const std::string no_sucdi = closed("R_SUCDi");
  const double closed_optimum = axisim::solve_fba_string(no_sucdi, {"R_Biomass_Ecoli_core"}).objective;
  axisim::FbaOptions same_growth;
  same_growth.fraction_of_optimum = 0.9 * ll.objective / closed_optimum;
  REQUIRE(same_growth.fraction_of_optimum < 1.0);
  const axisim::FvaResult bound = axisim::flux_variability_string(no_sucdi, {"R_FRD7"}, same_growth);
  CHECK(ll90.minimum.at(0) == Approx(0).margin(1e-9));
  CHECK(ll90.maximum.at(0) == Approx(bound.maximum.at(0)).epsilon(1e-7));
  CHECK(ll90.maximum.at(0) > 0.1);  // not the heuristic's 0
}
