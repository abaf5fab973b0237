// test_fba_duals.cpp — reduced costs and shadow prices of plain FBA (FbaResult::reduced_costs,
// shadow_prices; `axisim fba --duals`): a network whose optimum is not degenerate, its duals
// derived by hand, and the same duals as finite differences of the optimum (each a second
// solve with one bound or one required net production changed); and the E. coli core model's
// shadow prices against COBRApy's and optlang's published values (when the SED-ML corpus, which
// holds the model, is present). The same for pFBA's least-total-flux program (`--duals --pfba`).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/fba.hpp"
#include "fbc_network.hpp"
#include "test_util.hpp"

namespace {

// An fbc Version 2 network; X, Y, P, W boundary species:
//
//   RinA : X -> A          [0, 10]
//   RinB : Y -> B          [0, b_upper = 4]
//   R1   : A -> C          [0, 1000]
//   R2   : A + B -> 3 C    [0, 1000]     the better route, limited by B
//   Rw   : A -> W          [0, 1000]     waste of A
//   Rout : C -> P          [0, 1000]
//   Dr   : C -> W          [drain, drain] a fixed drain of `drain_species` (default none)
//
// Maximising Rout: B gives R2 = 4, A the rest R1 = 6, Rw = 0, Rout = R1 + 3 R2 = 18. R1, R2 and
// Rout lie strictly between their bounds (the basis, one per balanced species A, B, C), so the
// optimum is not degenerate and its duals are unique. By hand, as rates of change of Rout:
//   shadow prices (a required net production b of one species): A: R1 = 6 - b, Rout = 18 - b,
//     so -1; B: R2 = 4 - b, R1 = 6 + b, Rout = 18 - 2 b, so -2; C: Rout = 18 - b, so -1;
//     boundary species 0 (not balanced);
//   reduced costs: RinA at its upper bound: one more unit goes through R1, +1; RinB: one more
//     unit moves A from R1 to R2, +3 - 1 = +2; Rw at its lower bound: one unit of A wasted, -1;
//     R1, R2, Rout between their bounds, 0; Dr (fixed at 0, on C) -1. (Equally c_j - sum_i S_ij y_i: RinA 0 - (-1) = 1.)
// With `minimize` the objective is -Rout (optimum -18) and every dual changes sign.
std::string network(bool minimize = false, const std::string& b_upper = "4", const std::string& drain_species = "",
                    double drain = 0) {
  using fbc_net::species;
  auto reaction = [](const std::string& id, const fbc_net::Side& from, const fbc_net::Side& to, const std::string& lb,
                     const std::string& ub) { return fbc_net::reaction(id, from, to, lb, ub, false); };
  const std::string drained = drain_species.empty() ? "C" : drain_species;
  return fbc_net::document("duals", "<listOfSpecies>" + species("X", true) + species("Y", true) + species("A", false) +
                                        species("B", false) + species("C", false) + species("P", true) +
                                        species("W", true) + R"(</listOfSpecies>
<listOfParameters>
  <parameter id="zero" value="0" constant="true"/><parameter id="ten" value="10" constant="true"/>
  <parameter id="big" value="1000" constant="true"/><parameter id="b_upper" value=")" + b_upper + R"(" constant="true"/>
  <parameter id="drain" value=")" + std::to_string(drain_species.empty() ? 0.0 : drain) + R"(" constant="true"/>
</listOfParameters>
<listOfReactions>)" + reaction("RinA", {{"X", 1}}, {{"A", 1}}, "zero", "ten") +
         reaction("RinB", {{"Y", 1}}, {{"B", 1}}, "zero", "b_upper") + reaction("R1", {{"A", 1}}, {{"C", 1}}, "zero", "big") +
         reaction("R2", {{"A", 1}, {"B", 1}}, {{"C", 3}}, "zero", "big") + reaction("Rw", {{"A", 1}}, {{"W", 1}}, "zero", "big") +
         reaction("Rout", {{"C", 1}}, {{"P", 1}}, "zero", "big") + reaction("Dr", {{drained, 1}}, {{"W", 1}}, "drain", "drain") +
         R"(</listOfReactions>
<fbc:listOfObjectives fbc:activeObjective="OBJ">
  <fbc:objective fbc:id="OBJ" fbc:type=")" + (minimize ? "minimize" : "maximize") + R"("><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="Rout" fbc:coefficient=")" + (minimize ? "-1" : "1") + R"("/>
  </fbc:listOfFluxObjectives></fbc:objective>
</fbc:listOfObjectives>)");
}

std::map<std::string, double> by_id(const std::vector<std::string>& ids, const std::vector<double>& values) {
  REQUIRE(ids.size() == values.size());
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < ids.size(); ++i) out[ids[i]] = values[i];
  return out;
}

}  // namespace

TEST_CASE("fba duals: reduced costs and shadow prices of a non-degenerate optimum, by hand", "[fba][duals]") {
  for (const bool minimize : {false, true}) {
    INFO((minimize ? "minimising -Rout" : "maximising Rout"));
    const double sign = minimize ? -1.0 : 1.0;
    const axisim::FbaResult r = axisim::solve_fba_string(network(minimize), {"Rout"});
    REQUIRE(r.feasible);
    CHECK(r.objective == Approx(sign * 18));
    CHECK(r.values.at(0) == Approx(18));
    CHECK(r.reaction_ids == std::vector<std::string>{"RinA", "RinB", "R1", "R2", "Rw", "Rout", "Dr"});
    CHECK(r.species_ids == std::vector<std::string>{"X", "Y", "A", "B", "C", "P", "W"});
    const auto reduced = by_id(r.reaction_ids, r.reduced_costs);
    const std::map<std::string, double> expected_reduced{{"RinA", 1}, {"RinB", 2}, {"R1", 0},
                                                         {"R2", 0},   {"Rw", -1},  {"Rout", 0}, {"Dr", -1}};
    for (const auto& [id, v] : expected_reduced) {
      INFO("reduced cost of " << id);
      CHECK(reduced.at(id) == Approx(sign * v).margin(1e-9));
    }
    const auto shadow = by_id(r.species_ids, r.shadow_prices);
    const std::map<std::string, double> expected_shadow{{"X", 0},  {"Y", 0}, {"A", -1}, {"B", -2},
                                                        {"C", -1}, {"P", 0}, {"W", 0}};
    for (const auto& [id, v] : expected_shadow) {
      INFO("shadow price of " << id);
      CHECK(shadow.at(id) == Approx(sign * v).margin(1e-9));
    }
  }
}

TEST_CASE("fba duals: equal to finite differences of the optimum", "[fba][duals]") {
  const axisim::FbaResult base = axisim::solve_fba_string(network());
  const auto shadow = by_id(base.species_ids, base.shadow_prices);
  const auto reduced = by_id(base.reaction_ids, base.reduced_costs);
  const double h = 0.25;
  // A fixed drain h of a species is a required net production h of it (its row S_i v = h).
  for (const std::string s : {"A", "B", "C"}) {
    INFO("species " << s);
    const double z = axisim::solve_fba_string(network(false, "4", s, h)).objective;
    CHECK((z - base.objective) / h == Approx(shadow.at(s)));
  }
  // RinB sits at its upper bound b_upper: raise it.
  const double z = axisim::solve_fba_string(network(false, "4.25")).objective;
  CHECK((z - base.objective) / h == Approx(reduced.at("RinB")));
}

TEST_CASE("fba duals: the fewest active fluxes and geometric FBA report none, an infeasible problem NaN", "[fba][duals]") {
  for (const axisim::FbaMethod method : {axisim::FbaMethod::FewestActive, axisim::FbaMethod::Geometric}) {
    axisim::FbaOptions o;
    o.method = method;
    const axisim::FbaResult p = axisim::solve_fba_string(network(), {}, o);
    CHECK(p.reduced_costs.empty());
    CHECK(p.shadow_prices.empty());
  }
  // A drain of 100 of C cannot be met (at most 18 is made).
  axisim::FbaOptions nan;
  nan.infeasible_as_nan = true;
  const axisim::FbaResult r = axisim::solve_fba_string(network(false, "4", "C", 100), {}, nan);
  CHECK_FALSE(r.feasible);
  REQUIRE(r.reduced_costs.size() == 7);
  CHECK(std::isnan(r.reduced_costs[0]));
  REQUIRE(r.shadow_prices.size() == 7);
  CHECK(std::isnan(r.shadow_prices[2]));
}

TEST_CASE("fba --duals on the command line", "[fba][duals][cli]") {
  tu::TempDir dir;
  const std::string model = dir.file("duals.xml");
  tu::write_file(model, network());
  auto r = tu::run({AXISIM_CLI_PATH, "fba", model, "--duals", "--select", "RinB,Rw,B,X"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "element,id,dual\nreaction,RinB,2\nreaction,Rw,-1\nspecies,B,-2\nspecies,X,0\n");
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--duals"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(tu::lines(r.out).size() == 1 + 7 + 7);
  // Not a reaction or species: exit 4; with --fewest-active (a mixed-integer program) or
  // --geometric (no program's optimum): refused, exit 3, saying why.
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--duals", "--select", "OBJ"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 4);
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--duals", "--fewest-active"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 3);
  CHECK(tu::contains(r.err, "mixed-integer"));
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--duals", "--geometric"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 3);
  CHECK(tu::contains(r.err, "no duals"));
  CHECK(r.out.empty());
}

namespace {

// pFBA's duals. An fbc Version 2 network; X, P boundary species:
//
//   Rin : X -> A   [0, 100]
//   R1  : B -> A   [r1_lower = -4, 100]   the short route A -> B, run backwards (reversible)
//   R2  : A -> C   [0, 100]               the long route A -> C -> B
//   R3  : C -> B   [0, 100]
//   Rw  : A -> P   [rw_lower = 0, 100]    waste of A
//   Rout: B -> P   [0, 10]
//   Dr  : S -> P   [drain, drain]         a fixed drain of species S (default B, 0)
//
// Maximising Rout gives 10 (its own bound; Rin has room, so the small changes below leave it).
// pFBA at half of it holds Rout >= 5 and minimises |Rin| + |R1| + |R2| + |R3| + |Rw| + |Rout| +
// |Dr|: Rout = 5 by the short route as far as it goes (R1 = -4, 2 fluxes a unit) and the long one
// for the rest (R2 = R3 = 1, 3 a unit), Rin = 5, Rw = Dr = 0: total 16. Rin, R2, R3 and Rout lie
// strictly between their bounds (the basis: one per balanced species A, B, C and the held
// objective), so the duals are unique. By hand, as rates of change of the least total (the
// objective held at 5), with each of those four at zero reduced cost, 1 - sum_i S_ij y_i = 0 for
// a forward flux:
//   Rin (makes A): y_A = 1; R2 (A -> C): y_C = 1 + y_A = 2; R3 (C -> B): y_B = 1 + y_C = 3;
//   so a required net production of A costs one more uptake, of C the uptake and R2, of B the
//   long route's three; boundary species 0;
//   reduced costs: R1 at its lower bound -4 (running backwards, the rate with the bound):
//     raising it takes a unit off the short route onto the long one, +1; Rw at its lower bound 0:
//     forcing a unit of waste costs it and its uptake, +2; Dr fixed at 0 on B: a unit more costs
//     itself and B's 3, +4; Rin, R2, R3, Rout between their bounds 0.
std::string pfba_network(double r1_lower = -4, double rw_lower = 0, const std::string& drained = "B", double drain = 0) {
  using fbc_net::parameter, fbc_net::species;
  auto reaction = [](const std::string& id, const std::string& from, const std::string& to, const std::string& lb,
                     const std::string& ub) { return fbc_net::reaction(id, from, to, lb, ub, id == "R1"); };
  return fbc_net::document("pfba_duals", "<listOfSpecies>" + species("X", true) + species("A", false) +
                                             species("B", false) + species("C", false) + species("P", true) + R"(</listOfSpecies>
<listOfParameters>)" + parameter("zero", 0.0) + parameter("ten", 10.0) + parameter("hundred", 100.0) +
                                             parameter("r1_lower", r1_lower) + parameter("rw_lower", rw_lower) +
                                             parameter("drain", drain) + R"(</listOfParameters>
<listOfReactions>)" + reaction("Rin", "X", "A", "zero", "hundred") + reaction("R1", "B", "A", "r1_lower", "hundred") +
         reaction("R2", "A", "C", "zero", "hundred") + reaction("R3", "C", "B", "zero", "hundred") +
         reaction("Rw", "A", "P", "rw_lower", "hundred") + reaction("Rout", "B", "P", "zero", "ten") +
         reaction("Dr", drained, "P", "drain", "drain") + R"(</listOfReactions>
<fbc:listOfObjectives fbc:activeObjective="OBJ">
  <fbc:objective fbc:id="OBJ" fbc:type="maximize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="Rout" fbc:coefficient="1"/>
  </fbc:listOfFluxObjectives></fbc:objective>
</fbc:listOfObjectives>)");
}

axisim::FbaResult pfba_half(const std::string& sbml) {
  axisim::FbaOptions o;
  o.method = axisim::FbaMethod::Parsimonious;
  o.fraction_of_optimum = 0.5;
  return axisim::solve_fba_string(sbml, {}, o);
}

}  // namespace

TEST_CASE("pfba duals: reduced costs and shadow prices of the least-total-flux program, by hand", "[fba][duals][pfba]") {
  const axisim::FbaResult r = pfba_half(pfba_network());
  REQUIRE(r.feasible);
  CHECK(r.total_flux == Approx(16));
  const auto flux = by_id(r.ids, r.values);
  CHECK(flux.at("R1") == Approx(-4));
  CHECK(flux.at("R2") == Approx(1));
  CHECK(flux.at("Rout") == Approx(5));
  CHECK(r.reaction_ids == std::vector<std::string>{"Rin", "R1", "R2", "R3", "Rw", "Rout", "Dr"});
  CHECK(r.species_ids == std::vector<std::string>{"X", "A", "B", "C", "P"});
  const auto reduced = by_id(r.reaction_ids, r.reduced_costs);
  const std::map<std::string, double> expected_reduced{{"Rin", 0}, {"R1", 1},   {"R2", 0}, {"R3", 0},
                                                       {"Rw", 2},  {"Rout", 0}, {"Dr", 4}};
  for (const auto& [id, v] : expected_reduced) {
    INFO("reduced cost of " << id);
    CHECK(reduced.at(id) == Approx(v).margin(1e-9));
  }
  const auto shadow = by_id(r.species_ids, r.shadow_prices);
  const std::map<std::string, double> expected_shadow{{"X", 0}, {"A", 1}, {"B", 3}, {"C", 2}, {"P", 0}};
  for (const auto& [id, v] : expected_shadow) {
    INFO("shadow price of " << id);
    CHECK(shadow.at(id) == Approx(v).margin(1e-9));
  }
}

TEST_CASE("pfba duals: equal to finite differences of the least total flux", "[fba][duals][pfba]") {
  const axisim::FbaResult base = pfba_half(pfba_network());
  const auto shadow = by_id(base.species_ids, base.shadow_prices);
  const auto reduced = by_id(base.reaction_ids, base.reduced_costs);
  const double h = 1e-6;
  // A fixed drain h of a species is a required net production h of it; the drain's own |h| is
  // part of the new total, not of the rate of the others'.
  for (const std::string s : {"A", "B", "C"}) {
    INFO("species " << s);
    const axisim::FbaResult p = pfba_half(pfba_network(-4, 0, s, h));
    CHECK((p.total_flux - h - base.total_flux) / h == Approx(shadow.at(s)).epsilon(1e-6));
  }
  // The bound each reaction at a bound sits at, moved into its range by h (its own flux included).
  CHECK((pfba_half(pfba_network(-4 + h)).total_flux - base.total_flux) / h == Approx(reduced.at("R1")).epsilon(1e-6));
  CHECK((pfba_half(pfba_network(-4, h)).total_flux - base.total_flux) / h == Approx(reduced.at("Rw")).epsilon(1e-6));
  CHECK((pfba_half(pfba_network(-4, 0, "B", h)).total_flux - base.total_flux) / h ==
        Approx(reduced.at("Dr")).epsilon(1e-6));
}

TEST_CASE("fba --duals --pfba on the command line", "[fba][duals][pfba][cli]") {
  tu::TempDir dir;
  const std::string model = dir.file("pfba_duals.xml");
  tu::write_file(model, pfba_network());
  const auto r = tu::run({AXISIM_CLI_PATH, "fba", model, "--duals", "--pfba", "--fraction-of-optimum", "0.5", "--select",
                          "R1,Rw,Rin,B,C"},
                         dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "element,id,dual\nreaction,R1,1\nreaction,Rw,2\nreaction,Rin,0\nspecies,B,3\nspecies,C,2\n");
}

TEST_CASE("E. coli core: shadow prices match COBRApy's and optlang's published values", "[fba][duals][corpus]") {
  const char* env = std::getenv("AXISIM_SEDML_CORPUS_DIR");
  const std::string path = std::string(env ? env : AXISIM_SEDML_CORPUS_DEFAULT) +
                           "/other-tasks/biosimulators-test-suite__sbml-fbc-Escherichia-coli-core-metabolism/model.xml";
  if (!std::filesystem::exists(path)) {
    WARN("skipped: the SED-ML corpus (E. coli core model) is not at " << path << " (set AXISIM_SEDML_CORPUS_DIR)");
    return;
  }
  const axisim::FbaResult r = axisim::solve_fba(path);
  CHECK(r.objective == Approx(0.8739215069684306));
  const auto shadow = by_id(r.species_ids, r.shadow_prices);
  const auto reduced = by_id(r.reaction_ids, r.reduced_costs);
  // COBRApy's Metabolite.shadow_price docstring (the "textbook" model, GLPK):
  // model.metabolites.glc__D_e.shadow_price == -0.09166474637510488.
  CHECK(shadow.at("M_glc__D_e") == Approx(-0.09166474637510488).epsilon(1e-9));
  // optlang's tests of the same model's constraint duals (Gurobi): 13dpg_c, 6pgl_c, and the ATP
  // pool atp_c, amp_c. (Within the NAD, NADP and CoA pools Gurobi's differ from GLPK's by a
  // constant across the pool: their rows of S are dependent, so those duals are not unique.)
  CHECK(shadow.at("M_13dpg_c") == Approx(-0.04710549466498445).epsilon(1e-9));
  CHECK(shadow.at("M_6pgl_c") == Approx(-0.09039162489767284).epsilon(1e-9));
  CHECK(shadow.at("M_atp_c") == Approx(-0.005092485909728049).epsilon(1e-9));
  CHECK(shadow.at("M_amp_c") == Approx(0.005092485909728049).epsilon(1e-9));
  // The glucose exchange (glc__D_e consumed) at its lower bound: 0 - (-1) * shadow price of glc__D_e.
  CHECK(reduced.at("R_EX_glc__D_e") == Approx(-0.09166474637510488).epsilon(1e-9));
}
