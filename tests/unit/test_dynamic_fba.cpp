// test_dynamic_fba.cpp — dynamic FBA (axisim/dynamic_fba.hpp, `axisim fba --dynamic`,
// KISAO:0000499) on small networks whose batch cultures are solved by hand: growth on one
// substrate at a constant uptake (closed form), Michaelis-Menten uptake (the implicit analytic
// solution of the Monod equations), diauxic growth on two substrates through a shared capacity
// (the switch time by hand), and maintenance that makes the problem infeasible once the
// substrate is spent.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "axisim/dynamic_fba.hpp"
#include "axisim/error.hpp"
#include "test_util.hpp"

using axisim::ErrorKind;

namespace {

struct Rx {
  std::string id;
  std::vector<std::pair<std::string, std::string>> reactants, products;  // species, stoichiometry
  std::string lb, ub;  // parameter ids
};

std::string species_ref(const std::pair<std::string, std::string>& s) {
  return "<speciesReference species=\"" + s.first + "\" stoichiometry=\"" + s.second + "\" constant=\"true\"/>";
}

// An fbc v2 model: balanced species, reactions with bound parameters, BIO maximised.
std::string fbc_model(const std::vector<std::string>& species, const std::vector<std::pair<std::string, double>>& params,
                      const std::vector<Rx>& reactions, const std::vector<std::string>& boundary = {}) {
  std::string sp, pa, rx;
  for (const std::string& s : species)
    sp += "<species id=\"" + s + "\" compartment=\"c\" initialAmount=\"0\" hasOnlySubstanceUnits=\"true\" "
          "boundaryCondition=\"false\" constant=\"false\"/>";
  for (const std::string& s : boundary)
    sp += "<species id=\"" + s + "\" compartment=\"c\" initialAmount=\"0\" hasOnlySubstanceUnits=\"true\" "
          "boundaryCondition=\"true\" constant=\"false\"/>";
  for (const auto& [id, v] : params)
    pa += "<parameter id=\"" + id + "\" value=\"" + std::to_string(v) + "\" constant=\"true\"/>";
  for (const Rx& r : reactions) {
    rx += "<reaction id=\"" + r.id + "\" reversible=\"true\" fbc:lowerFluxBound=\"" + r.lb + "\" fbc:upperFluxBound=\"" +
          r.ub + "\">";
    if (!r.reactants.empty()) {
      rx += "<listOfReactants>";
      for (const auto& s : r.reactants) rx += species_ref(s);
      rx += "</listOfReactants>";
    }
    if (!r.products.empty()) {
      rx += "<listOfProducts>";
      for (const auto& s : r.products) rx += species_ref(s);
      rx += "</listOfProducts>";
    }
    rx += "</reaction>";
  }
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" xmlns:fbc="http://www.sbml.org/sbml/level3/version1/fbc/version2" level="3" version="2" fbc:required="false">
<model id="culture" fbc:strict="true">
<listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>
<listOfSpecies>)" + sp + "</listOfSpecies><listOfParameters>" + pa + "</listOfParameters><listOfReactions>" + rx +
         R"(</listOfReactions>
<fbc:listOfObjectives fbc:activeObjective="OBJ">
  <fbc:objective fbc:id="OBJ" fbc:type="maximize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="BIO" fbc:coefficient="1"/>
  </fbc:listOfFluxObjectives></fbc:objective>
</fbc:listOfObjectives>
</model></sbml>
)";
}

// One substrate: EX_S (S_e exchanged with the medium, COBRA's "S_e ->"), T : S_e -> A,
// M : A -> (maintenance, at least `maintenance`), BIO : (1/Y) A -> (the growth rate). With an
// uptake u the growth rate is Y (u - maintenance).
std::string one_substrate(double yield, double maintenance = 0) {
  return fbc_model({"S_e", "A"}, {{"zero", 0}, {"big", 1000}, {"minus_big", -1000}, {"m", maintenance}},
                   {{"EX_S", {{"S_e", "1"}}, {}, "minus_big", "big"},
                    {"T", {{"S_e", "1"}}, {{"A", "1"}}, "zero", "big"},
                    {"M", {{"A", "1"}}, {}, "m", "big"},
                    {"BIO", {{"A", std::to_string(1.0 / yield)}}, {}, "zero", "big"}});
}

std::string description(const std::string& exchanges, const std::string& extra = "") {
  return "biomass_reaction = \"BIO\"\ninitial_biomass = 0.1\n" + extra + exchanges;
}

axisim::Result run(const std::string& model, const std::string& desc, double end, int points,
                   const std::vector<std::string>& outputs = {}) {
  return axisim::dynamic_fba_string(model, axisim::parse_dfba_description(desc, "test.toml"), {0, end, points}, outputs);
}

}  // namespace

TEST_CASE("dynamic FBA: constant uptake gives exponential growth until the substrate is spent", "[fba][dfba]") {
  // Y = 0.5, uptake vmax = 2 while S > 0 (km = 0): mu = 1, X = X0 e^t, S = S0 - (X - X0) / Y
  // until S = 0 at t* = ln(1 + Y S0 / X0) = ln 51 = 3.9318; then no growth, X = X0 + Y S0 = 5.1.
  // The fluxes are constant between output times, so the piecewise-exact integration is exact
  // whatever the step: checked with two steps.
  const double y = 0.5, x0 = 0.1, s0 = 10, t_star = std::log(51.0);
  for (const char* step : {"0.1", "0.013"}) {
    const axisim::Result r =
        run(one_substrate(y), description("[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\n",
                                          std::string("step = ") + step + "\n"),
            6, 60);
    REQUIRE(r.columns() == std::vector<std::string>{"time", "biomass", "S_e", "BIO", "EX_S"});
    REQUIRE(r.rows() == 61);
    for (std::size_t i = 0; i < r.rows(); ++i) {
      const double t = r.at(i, 0);
      CHECK(t == Approx(0.1 * i).margin(1e-12));
      const double x = t < t_star ? x0 * std::exp(t) : x0 + y * s0;
      CHECK(r.at(i, 1) == Approx(x).epsilon(1e-9));
      CHECK(r.at(i, 2) == Approx(t < t_star ? s0 - (x - x0) / y : 0.0).margin(1e-9));
      CHECK(r.at(i, 3) == Approx(t < t_star ? 1.0 : 0.0).margin(1e-9));
      CHECK(r.at(i, 4) == Approx(t < t_star ? -2.0 : 0.0).margin(1e-9));
    }
  }
}

TEST_CASE("dynamic FBA: output from a later time than the culture's start", "[fba][dfba]") {
  // SED-ML's outputStartTime: the culture starts at 0, rows at 3, 4.5 and 6 (the constant-uptake
  // culture above: X = X0 e^t until ln 51, then 5.1).
  const axisim::Result r = axisim::dynamic_fba_string(
      one_substrate(0.5),
      axisim::parse_dfba_description(description("[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\n"), "d"),
      {0, 6, 2, 3.0});
  REQUIRE(r.rows() == 3);
  CHECK(r.at(0, 0) == 3.0);
  CHECK(r.at(1, 0) == 4.5);
  CHECK(r.at(0, 1) == Approx(0.1 * std::exp(3.0)).epsilon(1e-9));
  CHECK(r.at(0, 2) == Approx(10 - (0.1 * std::exp(3.0) - 0.1) / 0.5).epsilon(1e-9));
  CHECK(r.at(1, 1) == Approx(5.1).epsilon(1e-9));
  CHECK_THROWS_WITH(axisim::dynamic_fba_string(one_substrate(0.5),
                                               axisim::parse_dfba_description(
                                                   description("[[exchange]]\nreaction = \"EX_S\"\ninitial = 1\n"), "d"),
                                               {0, 6, 2, 7.0}),
                    Catch::Contains("first output time (7)"));
}

TEST_CASE("dynamic FBA: Michaelis-Menten uptake follows the Monod equations' analytic solution", "[fba][dfba]") {
  // dX/dt = Y u X, dS/dt = -u X with u = vmax S / (Km + S). X + Y S stays C = X0 + Y S0, and
  // integrating dS / (u (C - Y S)) gives, with X = C - Y S,
  //   vmax t = (Km / C) ln(S0 / S) + (1 / Y + Km / C) ln(X / X0).
  // The held fluxes make the scheme first order in the step: with step 1e-3 (X grows 0.1 % per
  // step) the time from the formula agrees to 1e-3 of the time elapsed.
  const double y = 0.5, x0 = 0.1, s0 = 10, km = 1, vmax = 2, c = x0 + y * s0;
  const axisim::Result r =
      run(one_substrate(y),
          description("[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\nkm = 1\n", "step = 0.001\n"), 5, 50);
  REQUIRE(r.rows() == 51);
  int compared = 0;
  for (std::size_t i = 1; i < r.rows(); ++i) {
    const double t = r.at(i, 0), x = r.at(i, 1), s = r.at(i, 2);
    CHECK(x + y * s == Approx(c).epsilon(1e-12));  // the mass balance, exact in the scheme
    // The uptake at the time's concentration, and the growth rate it gives.
    CHECK(r.at(i, 4) == Approx(-vmax * s / (km + s)).margin(1e-9));
    CHECK(r.at(i, 3) == Approx(y * vmax * s / (km + s)).margin(1e-9));
    if (s < 1e-6) continue;  // the formula's ln(S0 / S) is meaningless once S is rounding
    const double t_formula = ((km / c) * std::log(s0 / s) + (1 / y + km / c) * std::log(x / x0)) / vmax;
    CHECK(t_formula == Approx(t).epsilon(1e-3));
    ++compared;
  }
  CHECK(compared == 50);  // the whole culture: S falls from 10 to 0.009 by t = 5
}

TEST_CASE("dynamic FBA: diauxic growth takes the better substrate first and switches when it is spent", "[fba][dfba]") {
  // Two substrates share a capacity c = 1 (CAP : -> E, T1 : S1_e + E -> Y1 B, T2 : S2_e + E ->
  // Y2 B, BIO : B ->). Growth is Y1 u1 + Y2 u2 with u1 + u2 <= c, so with Y1 = 0.5 > Y2 = 0.2
  // the cells take S1 alone (mu = 0.5) until it is spent, at
  //   t_s = ln(1 + Y1 S1_0 / X0) / (Y1 c) = 2 ln 26 = 6.5162,  X_s = X0 + Y1 S1_0 = 2.6;
  // then S2 alone (mu = 0.2) until t_2 = t_s + ln(1 + Y2 S2_0 / X_s) / (Y2 c) = t_s + 5 ln(1.3846).
  const std::string model = fbc_model(
      {"S1_e", "S2_e", "E", "B"}, {{"zero", 0}, {"big", 1000}, {"minus_big", -1000}, {"cap", 1}},
      {{"EX_S1", {{"S1_e", "1"}}, {}, "minus_big", "big"},
       {"EX_S2", {{"S2_e", "1"}}, {}, "minus_big", "big"},
       {"CAP", {}, {{"E", "1"}}, "zero", "cap"},
       {"T1", {{"S1_e", "1"}, {"E", "1"}}, {{"B", "0.5"}}, "zero", "big"},
       {"T2", {{"S2_e", "1"}, {"E", "1"}}, {{"B", "0.2"}}, "zero", "big"},
       {"BIO", {{"B", "1"}}, {}, "zero", "big"}});
  const std::string desc = description(
      "[[exchange]]\nreaction = \"EX_S1\"\ninitial = 5\nvmax = 10\n[[exchange]]\nreaction = \"EX_S2\"\ninitial = 5\n"
      "vmax = 10\n",
      "step = 0.05\n");
  const double x0 = 0.1, t_s = std::log(26.0) / 0.5, x_s = 2.6, t_2 = t_s + std::log(1 + 0.2 * 5 / x_s) / 0.2;
  const axisim::Result r = run(model, desc, 10, 100, {"biomass", "S1_e", "S2_e", "BIO", "T1", "T2"});
  REQUIRE(r.rows() == 101);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    const double t = r.at(i, 0);
    const bool first = t < t_s, second = !first && t < t_2;
    const double x = first ? x0 * std::exp(0.5 * t) : second ? x_s * std::exp(0.2 * (t - t_s)) : x_s + 0.2 * 5;
    INFO("t = " << t);
    CHECK(r.at(i, 1) == Approx(x).epsilon(1e-9));
    CHECK(r.at(i, 2) == Approx(first ? 5 - (x - x0) / 0.5 : 0.0).margin(1e-9));
    CHECK(r.at(i, 3) == Approx(first ? 5.0 : second ? 5 - (x - x_s) / 0.2 : 0.0).margin(1e-9));
    CHECK(r.at(i, 4) == Approx(first ? 0.5 : second ? 0.2 : 0.0).margin(1e-9));
    CHECK(r.at(i, 5) == Approx(first ? 1.0 : 0.0).margin(1e-9));
    CHECK(r.at(i, 6) == Approx(second ? 1.0 : 0.0).margin(1e-9));
  }
}

TEST_CASE("dynamic FBA: an infeasible problem stops the run naming the time, or holds the cells", "[fba][dfba]") {
  // Maintenance of at least 0.5 on an uptake of 2: mu = Y (2 - 0.5) = 0.75, S spent at
  // t* = ln(1 + 0.75 S0 / (2 X0)) / 0.75 = ln(38.5) / 0.75 = 4.8675; there the maintenance cannot
  // be met: the problem is infeasible.
  const std::string model = one_substrate(0.5, 0.5);
  const std::string exchange = "[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\n";
  const double t_star = std::log(38.5) / 0.75;
  SECTION("stop (the default)") {
    try {
      run(model, description(exchange), 8, 80);
      FAIL("no error");
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == ErrorKind::Solver);
      char t[32];
      std::snprintf(t, sizeof t, "at time %.6g (", t_star);
      CHECK(tu::contains(e.what(), t));
      CHECK(tu::contains(e.what(), "infeasible"));
      CHECK(tu::contains(e.what(), "S_e 0"));
    }
  }
  SECTION("hold") {
    const axisim::Result r = run(model, description(exchange, "infeasible = \"hold\"\n"), 8, 80);
    REQUIRE(r.rows() == 81);
    for (std::size_t i = 0; i < r.rows(); ++i) {
      const double t = r.at(i, 0);
      INFO("t = " << t);
      const double x = 0.1 * std::exp(0.75 * std::min(t, t_star));
      CHECK(r.at(i, 1) == Approx(x).epsilon(1e-9));
      if (t < t_star) CHECK(r.at(i, 3) == Approx(0.75).margin(1e-9));
      else CHECK(std::isnan(r.at(i, 3)));
    }
  }
}

TEST_CASE("dynamic FBA: a boundary species as the medium, and an uptake written as a positive flux", "[fba][dfba]") {
  // The medium is boundary species M; UP : M -> A moves it into the cells (a positive flux takes
  // from M). Same culture as the constant-uptake case: mu = 1 until t* = ln 51.
  const std::string model =
      fbc_model({"A"}, {{"zero", 0}, {"big", 1000}},
                {{"UP", {{"M", "1"}}, {{"A", "1"}}, "zero", "big"}, {"BIO", {{"A", "2"}}, {}, "zero", "big"}}, {"M"});
  const axisim::Result r = run(model, description("[[exchange]]\nreaction = \"UP\"\ninitial = 10\nvmax = 2\n"), 6, 6);
  REQUIRE(r.columns() == std::vector<std::string>{"time", "biomass", "M", "BIO", "UP"});
  CHECK(r.at(3, 1) == Approx(0.1 * std::exp(3.0)).epsilon(1e-9));
  CHECK(r.at(3, 2) == Approx(10 - (0.1 * std::exp(3.0) - 0.1) / 0.5).epsilon(1e-9));
  CHECK(r.at(3, 4) == Approx(2.0).margin(1e-9));
  CHECK(r.at(6, 2) == 0.0);
  CHECK(r.at(6, 1) == Approx(5.1).epsilon(1e-9));
}

TEST_CASE("dynamic FBA: descriptions that do not fit are refused, named", "[fba][dfba]") {
  const std::string model = one_substrate(0.5);
  auto error_of = [&](const std::string& desc, const std::vector<std::string>& outputs = {}) -> std::string {
    try {
      run(model, desc, 1, 10, outputs);
    } catch (const axisim::Error& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string ex = "[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\n";
  CHECK(tu::contains(error_of("biomass_reaction = \"NOPE\"\ninitial_biomass = 1\n" + ex), "'NOPE' is not a reaction"));
  CHECK(tu::contains(error_of(description("[[exchange]]\nreaction = \"EX_T\"\ninitial = 1\n")), "'EX_T'"));
  // T changes S_e and A, both balanced: not an exchange with the medium.
  CHECK(tu::contains(error_of(description("[[exchange]]\nreaction = \"T\"\ninitial = 1\nmetabolite = \"S_e\"\n")),
                     "not an exchange with the medium"));
  CHECK(tu::contains(error_of(description(ex), {"biomass", "nothing"}), "'nothing'"));
  CHECK_THROWS_WITH(axisim::parse_dfba_description("biomass_reaction = \"BIO\"\n" + ex, "d.toml"),
                    Catch::Contains("no 'initial_biomass'") && Catch::StartsWith("d.toml:"));
  CHECK_THROWS_WITH(axisim::parse_dfba_description(description("[[exchange]]\nreaction = \"EX_S\"\ninitial = -1\n"), "d.toml"),
                    Catch::Contains("'initial' must be a finite number of at least 0"));
  CHECK_THROWS_WITH(axisim::parse_dfba_description(description(ex + "km = 1\nvmax2 = 3\n"), "d.toml"),
                    Catch::Contains("unknown key 'vmax2'"));
  CHECK_THROWS_WITH(axisim::parse_dfba_description(description(ex + ex), "d.toml"), Catch::Contains("described twice"));
  CHECK_THROWS_WITH(axisim::parse_dfba_description(description(ex, "infeasible = \"ignore\"\n"), "d.toml"),
                    Catch::Contains("\"stop\" or \"hold\""));
}

namespace {

// Two routes from S to biomass: R1 : S_e -> A and R2 : S_e -> a A + AC (acetate, secreted by
// EX_AC only), BIO : 2 A -> (yield 0.5 on R1). With a = 1 the routes' yields are equal, so the
// FBA optimum does not say how much acetate is made.
std::string two_routes(const std::string& a) {
  return fbc_model({"S_e", "A", "AC"}, {{"zero", 0}, {"big", 1000}, {"minus_big", -1000}},
                   {{"EX_S", {{"S_e", "1"}}, {}, "minus_big", "big"},
                    {"R1", {{"S_e", "1"}}, {{"A", "1"}}, "zero", "big"},
                    {"R2", {{"S_e", "1"}}, {{"A", a}, {"AC", "1"}}, "zero", "big"},
                    {"EX_AC", {{"AC", "1"}}, {}, "zero", "big"},
                    {"BIO", {{"A", "2"}}, {}, "zero", "big"}});
}

const char* kTwoRoutesMedium = "[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\n"
                               "[[exchange]]\nreaction = \"EX_AC\"\ninitial = 0\n";

}  // namespace

TEST_CASE("dynamic FBA: lexicographic objectives choose among equal optima, in their order", "[fba][dfba]") {
  // Uptake 2 while S lasts, growth mu = 0.5 (R1 + R2) = 1 whichever route: X = X0 e^t,
  // S = S0 - 2 (X - X0) until t* = ln(1 + S0 / (2 X0)) = ln 51. Acetate is made at R2's flux:
  // maximised, R2 = 2 and AC = 2 (X - X0); minimised, AC = 0.
  const std::string model = two_routes("1");
  const double x0 = 0.1, s0 = 10, t_star = std::log(51.0);
  const std::vector<std::string> outputs{"biomass", "S_e", "AC", "BIO", "R2", "EX_AC"};
  auto check = [&](const axisim::Result& r, double acetate_share) {  // share of the uptake made acetate; < 0: any
    REQUIRE(r.rows() == 61);
    for (std::size_t i = 0; i < r.rows(); ++i) {
      const double t = r.at(i, 0), x = t < t_star ? x0 * std::exp(t) : x0 + 2 * s0 / 4;
      INFO("t = " << t);
      CHECK(r.at(i, 1) == Approx(x).epsilon(1e-9));
      CHECK(r.at(i, 2) == Approx(t < t_star ? s0 - 2 * (x - x0) : 0.0).margin(1e-9));
      CHECK(r.at(i, 4) == Approx(t < t_star ? 1.0 : 0.0).margin(1e-9));
      if (acetate_share >= 0) {
        CHECK(r.at(i, 3) == Approx(acetate_share * 2 * (x - x0)).margin(1e-9));
        CHECK(r.at(i, 5) == Approx(t < t_star ? 2 * acetate_share : 0.0).margin(1e-9));
      } else {  // some optimum: R2 anywhere from 0 to the uptake, acetate between none and all
        CHECK(r.at(i, 5) >= -1e-9);
        CHECK(r.at(i, 5) <= (t < t_star ? 2.0 : 0.0) + 1e-9);
        CHECK(r.at(i, 3) >= -1e-9);
        CHECK(r.at(i, 3) <= 2 * (x - x0) + 1e-9);
      }
      CHECK(r.at(i, 6) == Approx(r.at(i, 5)).margin(1e-9));  // all R2's acetate leaves
    }
  };
  const std::string list = "[[objective]]\nreaction = \"EX_AC\"\nsense = ";
  SECTION("maximise acetate") { check(run(model, description(kTwoRoutesMedium + list + "\"max\"\n"), 6, 60, outputs), 1.0); }
  SECTION("minimise acetate") { check(run(model, description(kTwoRoutesMedium + list + "\"min\"\n"), 6, 60, outputs), 0.0); }
  SECTION("an earlier entry of the list is held while a later one is solved") {
    // R2 minimised first: maximising acetate after it finds none to make.
    check(run(model,
              description(kTwoRoutesMedium + std::string("[[objective]]\nreaction = \"R2\"\nsense = \"min\"\n") + list +
                          "\"max\"\n"),
              6, 60, outputs),
          0.0);
    check(run(model,
              description(kTwoRoutesMedium + list + "\"max\"\n[[objective]]\nreaction = \"R2\"\nsense = \"min\"\n"), 6,
              60, outputs),
          1.0);
  }
  SECTION("without the list: some optimum") { check(run(model, description(kTwoRoutesMedium), 6, 60, outputs), -1.0); }
}

TEST_CASE("dynamic FBA: a relative tolerance lets later objectives trade the earlier optimum", "[fba][dfba]") {
  // R2 : S_e -> 0.5 A + AC yields half as much. Growth alone: R1 = 2, mu = 1, no acetate. With
  // growth held within 20 % (mu >= 0.8) and acetate maximised: R1 + 0.5 R2 >= 1.6 with
  // R1 + R2 = 2, so R2 = 0.8, mu = 0.8: X = X0 e^(0.8 t), AC = 0.8 (X - X0) / 0.8 = X - X0,
  // S = S0 - 2 (X - X0) / 0.8, spent at X = X0 + 0.8 S0 / 2 = 4.1, t* = ln 41 / 0.8. The
  // model's objective is reported at the fluxes reported (0.8), not at its optimum.
  const double x0 = 0.1, s0 = 10, t_star = std::log(41.0) / 0.8;
  const axisim::Result r =
      run(two_routes("0.5"),
          description(kTwoRoutesMedium + std::string("[[objective]]\nreaction = \"EX_AC\"\nsense = \"max\"\n"),
                      "objective_tolerance = 0.2\n"),
          6, 60, {"biomass", "S_e", "AC", "BIO", "R2", "OBJ"});
  REQUIRE(r.rows() == 61);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    const double t = r.at(i, 0), x = t < t_star ? x0 * std::exp(0.8 * t) : x0 + 0.8 * s0 / 2;
    INFO("t = " << t);
    CHECK(r.at(i, 1) == Approx(x).epsilon(1e-9));
    CHECK(r.at(i, 2) == Approx(t < t_star ? s0 - 2 * (x - x0) / 0.8 : 0.0).margin(1e-9));
    CHECK(r.at(i, 3) == Approx(x - x0).margin(1e-9));
    CHECK(r.at(i, 4) == Approx(t < t_star ? 0.8 : 0.0).margin(1e-9));
    CHECK(r.at(i, 5) == Approx(t < t_star ? 0.8 : 0.0).margin(1e-9));
    CHECK(r.at(i, 6) == Approx(r.at(i, 4)).margin(1e-12));
  }
  // Without the tolerance growth is held at its optimum and no acetate is made.
  const axisim::Result exact = run(
      two_routes("0.5"), description(kTwoRoutesMedium + std::string("[[objective]]\nreaction = \"EX_AC\"\nsense = \"max\"\n")),
      2, 2, {"AC", "BIO"});
  CHECK(exact.at(2, 1) == Approx(0.0).margin(1e-9));
  CHECK(exact.at(2, 2) == Approx(1.0).margin(1e-9));
}

TEST_CASE("dynamic FBA: fed-batch without growth is pure dilution", "[fba][dfba]") {
  // No uptake (vmax = 0), so mu = 0: V = V0 + F t, X = X0 V0 / V, S = S_f + (S0 - S_f) V0 / V.
  const double v0 = 2, f = 0.5, sf = 20, s0 = 10, x0 = 0.1;
  const axisim::Result r = run(one_substrate(0.5),
                               description("[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 0\nfeed = 20\n",
                                           "volume = 2\nfeed_rate = 0.5\nstep = 0.1\n"),
                               4, 8);
  REQUIRE(r.columns() == std::vector<std::string>{"time", "biomass", "volume", "S_e", "BIO", "EX_S"});
  REQUIRE(r.rows() == 9);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    const double t = r.at(i, 0), v = v0 + f * t;
    INFO("t = " << t);
    CHECK(r.at(i, 2) == Approx(v).epsilon(1e-12));
    CHECK(r.at(i, 1) == Approx(x0 * v0 / v).epsilon(1e-12));
    CHECK(r.at(i, 3) == Approx(sf + (s0 - sf) * v0 / v).epsilon(1e-12));
    CHECK(r.at(i, 4) == 0.0);
  }
}

TEST_CASE("dynamic FBA: fed-batch growth at a constant rate, until the substrate runs out, then fed", "[fba][dfba]") {
  // Uptake 2 while S > 0, Y = 0.5: mu = 1. With V = V0 + F t, X V = X0 V0 e^t and
  // S V = S0 V0 + F S_f t - 2 X0 V0 (e^t - 1), until that amount reaches 0 at t* (its root, by
  // Newton's method here). After it the substrate is taken as it is fed, S stays near 0 (at most
  // what one step's feed brings), and throughout, the substrate and the biomass it made balance:
  //   S V + X V / Y = S0 V0 + X0 V0 / Y + F S_f t   (the scheme keeps it exactly).
  const double v0 = 1, f = 0.2, sf = 5, s0 = 10, x0 = 0.1, y = 0.5, step = 0.01;
  auto amount = [&](double t) { return s0 * v0 + f * sf * t - 2 * x0 * v0 * std::expm1(t); };
  double t_star = 4;
  for (int i = 0; i < 50; ++i) t_star -= amount(t_star) / (f * sf - 2 * x0 * v0 * std::exp(t_star));
  REQUIRE(std::fabs(amount(t_star)) < 1e-9);
  const axisim::Result r = run(one_substrate(y),
                               description("[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\nfeed = 5\n",
                                           "volume = 1\nfeed_rate = 0.2\n"),
                               8, 80);
  REQUIRE(r.rows() == 81);
  int before = 0, after = 0;
  for (std::size_t i = 0; i < r.rows(); ++i) {
    const double t = r.at(i, 0), x = r.at(i, 1), v = r.at(i, 2), s = r.at(i, 3);
    INFO("t = " << t);
    CHECK(v == Approx(v0 + f * t).epsilon(1e-12));
    CHECK(s * v + x * v / y == Approx(s0 * v0 + x0 * v0 / y + f * sf * t).epsilon(1e-12));
    if (t < t_star) {
      CHECK(x * v == Approx(x0 * v0 * std::exp(t)).epsilon(1e-9));
      CHECK(s * v == Approx(amount(t)).epsilon(1e-9));
      CHECK(r.at(i, 4) == Approx(1.0).margin(1e-9));
      ++before;
    } else if (t > t_star + step) {
      CHECK(s >= 0.0);
      CHECK(s <= f * sf * step / v + 1e-12);
      ++after;
    }
  }
  CHECK(before == 43);  // t* = 4.2836
  CHECK(after == 38);
}

TEST_CASE("dynamic FBA: cells held infeasible in a fed-batch are still fed and diluted", "[fba][dfba]") {
  // Maintenance 0.5 on an uptake of 2, Y = 0.5: mu = 0.75 while S > 0, X V = X0 V0 e^(0.75 t),
  // S V = S0 V0 + F S_f t - 2 X0 V0 (e^(0.75 t) - 1) / 0.75 until that amount is 0 at t* (Newton's
  // method here); there the maintenance cannot be met and the cells are held: X V stays, the feed
  // alone brings S V = F S_f (t - t*).
  const double v0 = 1, f = 0.5, sf = 1, s0 = 4, x0 = 0.1, mu = 0.75;
  auto amount = [&](double t) { return s0 * v0 + f * sf * t - 2 * x0 * v0 * std::expm1(mu * t) / mu; };
  double t_star = 3;
  for (int i = 0; i < 50; ++i) t_star -= amount(t_star) / (f * sf - 2 * x0 * v0 * std::exp(mu * t_star));
  REQUIRE(std::fabs(amount(t_star)) < 1e-9);
  const axisim::Result r = run(one_substrate(0.5, 0.5),
                               description("[[exchange]]\nreaction = \"EX_S\"\ninitial = 4\nvmax = 2\nfeed = 1\n",
                                           "volume = 1\nfeed_rate = 0.5\ninfeasible = \"hold\"\n"),
                               8, 80);
  REQUIRE(r.rows() == 81);
  int held = 0;
  for (std::size_t i = 0; i < r.rows(); ++i) {
    const double t = r.at(i, 0), x = r.at(i, 1), v = r.at(i, 2), s = r.at(i, 3);
    INFO("t = " << t << ", t* = " << t_star);
    CHECK(v == Approx(v0 + f * t).epsilon(1e-12));
    CHECK(x * v == Approx(x0 * v0 * std::exp(mu * std::min(t, t_star))).epsilon(1e-9));
    if (t < t_star) {
      CHECK(s * v == Approx(amount(t)).epsilon(1e-9));
      CHECK(r.at(i, 4) == Approx(mu).margin(1e-9));
    } else {
      CHECK(s * v == Approx(f * sf * (t - t_star)).margin(1e-9));
      CHECK(std::isnan(r.at(i, 4)));
      ++held;
    }
  }
  CHECK(held > 10);
}

TEST_CASE("dynamic FBA: a volume without a feed is a batch culture", "[fba][dfba]") {
  const std::string exchange = "[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\nkm = 1\n";
  const axisim::Result batch = run(one_substrate(0.5), description(exchange), 5, 5);
  const axisim::Result fed = run(one_substrate(0.5), description(exchange, "volume = 3\nfeed_rate = 0\n"), 5, 5);
  REQUIRE(fed.columns() == std::vector<std::string>{"time", "biomass", "volume", "S_e", "BIO", "EX_S"});
  for (std::size_t i = 0; i < batch.rows(); ++i) {
    CHECK(fed.at(i, 1) == Approx(batch.at(i, 1)).epsilon(1e-12));
    CHECK(fed.at(i, 2) == 3.0);
    CHECK(fed.at(i, 3) == Approx(batch.at(i, 2)).epsilon(1e-12).margin(1e-12));
  }
}

TEST_CASE("dynamic FBA: lexicographic and fed-batch descriptions that are wrong are refused, named", "[fba][dfba]") {
  const std::string ex = "[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\n";
  auto parse_error = [](const std::string& desc) -> std::string {
    try {
      axisim::parse_dfba_description(desc, "d.toml");
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == ErrorKind::Usage);
      return e.what();
    }
    return "no error";
  };
  CHECK(tu::contains(parse_error(description(ex + "[[objective]]\nreaction = \"T\"\nsense = \"up\"\n")),
                     "'sense' must be \"max\" or \"min\", not \"up\""));
  CHECK(tu::contains(parse_error(description(ex + "[[objective]]\nreaction = \"T\"\n")), "d.toml:7:"));
  CHECK(tu::contains(parse_error(description(ex + "[[objective]]\nreaction = \"T\"\n")), "has no 'sense'"));
  CHECK(tu::contains(parse_error(description(ex + "[[objective]]\nsense = \"max\"\nweight = 2\n")), "unknown key 'weight'"));
  CHECK(tu::contains(parse_error(description(ex, "objective_tolerance = 0.1\n")), "d.toml:3:"));
  CHECK(tu::contains(parse_error(description(ex, "objective_tolerance = 0.1\n")), "without [[objective]]"));
  CHECK(tu::contains(parse_error(description(ex, "feed_rate = 1\n")), "'feed_rate' without 'volume'"));
  CHECK(tu::contains(parse_error(description(ex + "feed = 3\n", "volume = 1\n")), "no 'feed_rate'"));
  CHECK(tu::contains(parse_error(description(ex, "volume = 0\n")), "'volume' must be a finite number above 0"));
  CHECK(tu::contains(parse_error(description(ex + "feed = -1\n", "volume = 1\nfeed_rate = 1\n")),
                     "'feed' must be a finite number of at least 0"));
  auto run_error = [&](const std::string& desc, const std::vector<std::string>& outputs = {}) -> std::string {
    try {
      run(one_substrate(0.5), desc, 1, 2, outputs);
    } catch (const axisim::Error& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK(tu::contains(run_error(description(ex + "[[objective]]\nreaction = \"NOPE\"\nsense = \"max\"\n")),
                     "[[objective]] reaction 'NOPE' is not a reaction"));
  CHECK(tu::contains(run_error(description(ex, "biomass_id = \"volume\"\nvolume = 1\n")), "'volume' is the volume's column"));
  CHECK(tu::contains(run_error(description(ex), {"volume"}), "'volume' is not the biomass"));
}

TEST_CASE("axisim fba --dynamic writes the time course, and refuses a bad description with exit 2", "[fba][dfba][cli]") {
  tu::TempDir dir;
  const std::string model = dir.file("m.xml"), desc = dir.file("d.toml"), out = dir.file("out.csv");
  tu::write_file(model, one_substrate(0.5));
  tu::write_file(desc, description("[[exchange]]\nreaction = \"EX_S\"\ninitial = 10\nvmax = 2\n"));
  const tu::ProcessResult r =
      tu::run({AXISIM_CLI_PATH, "fba", model, "--dynamic", desc, "--until", "2", "--points", "2", "-o", out}, dir.path());
  REQUIRE(r.exit_code == 0);
  const std::string csv = tu::read_file(out);
  CHECK(tu::contains(csv, "time,biomass,S_e,BIO,EX_S\n"));
  // Row t = 1: X = 0.1 e, S = 10 - 2 (X - 0.1).
  CHECK(tu::contains(csv, "\n1,0.2718281828459"));
  tu::write_file(desc, "biomass_reaction = \"BIO\"\n");
  const tu::ProcessResult bad =
      tu::run({AXISIM_CLI_PATH, "fba", model, "--dynamic", desc, "--until", "2", "-o", out + "2"}, dir.path());
  CHECK(bad.exit_code == 2);
  CHECK(tu::contains(bad.err, "initial_biomass"));
  CHECK_FALSE(std::filesystem::exists(out + "2"));
  CHECK(tu::run({AXISIM_CLI_PATH, "fba", model, "--dynamic", desc}, dir.path()).exit_code == 2);  // no --until
  CHECK(tu::run({AXISIM_CLI_PATH, "fba", model, "--until", "2"}, dir.path()).exit_code == 2);     // no --dynamic
}
