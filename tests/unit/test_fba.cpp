// test_fba.cpp — flux balance analysis (axisim/fba.hpp and `axisim fba`) on hand-built fbc
// models whose optimum is known.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/fba.hpp"
#include "fbc_network.hpp"
#include "test_util.hpp"

using axisim::ErrorKind;

namespace {

// A fbc Version 2 (strict) network:
//
//   Rin : X -> B     [0, 10]        X, P boundary species (not balanced)
//   R1  : B -> C     [0, 1000]
//   R2  : B -> 2 C   [0, r2_upper]
//   Rout: C -> P     [rout_lower, 1000]
//
// Steady state: Rin = R1 + R2 and R1 + 2 R2 = Rout. Maximising Rout puts as much as possible
// through R2: R2 = 4, R1 = 6, Rout = 14 (when r2_upper = 4). OBJ2 = 2 R1 is minimised but not
// active; at the optimum it is 12.
std::string v2_model(double r2_upper = 4, double rout_lower = 0, const std::string& extra = "") {
  using fbc_net::parameter, fbc_net::species;
  auto reaction = [](const std::string& id, const std::string& from, const std::string& to, double st,
                     const std::string& lb, const std::string& ub) {
    return fbc_net::reaction(id, {{from, 1}}, {{to, st}}, lb, ub, false);
  };
  return fbc_net::document("tiny", "<listOfSpecies>" + species("X", true) + species("B", false) + species("C", false) +
                                       species("P", true) + R"(</listOfSpecies>
<listOfParameters>)" + parameter("zero", 0.0) + parameter("ten", 10.0) + parameter("big", 1000.0) +
                                       parameter("r2_upper", r2_upper) + parameter("rout_lower", rout_lower) +
                                       "</listOfParameters>" + extra + R"(
<listOfReactions>)" + reaction("Rin", "X", "B", 1, "zero", "ten") + reaction("R1", "B", "C", 1, "zero", "big") +
                                       reaction("R2", "B", "C", 2, "zero", "r2_upper") +
                                       reaction("Rout", "C", "P", 1, "rout_lower", "big") + R"(</listOfReactions>
<fbc:listOfObjectives fbc:activeObjective="OBJ">
  <fbc:objective fbc:id="OBJ" fbc:type="maximize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="Rout" fbc:coefficient="1"/>
  </fbc:listOfFluxObjectives></fbc:objective>
  <fbc:objective fbc:id="OBJ2" fbc:type="minimize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="R1" fbc:coefficient="2"/>
  </fbc:listOfFluxObjectives></fbc:objective>
</fbc:listOfObjectives>)",
                           extra.empty());
}

// The same network in fbc Version 1, with FluxBound elements. R1 has no bound at all: if it is
// irreversible its flux is still not negative, else it is free. R2 has only an upper bound.
// The second objective, minimising R1, tells the two apart: 0 if R1 is irreversible, else
// -4 (R1 = -R2, with R2 at its bound: B comes from C through R1 backwards).
std::string v1_model(const std::string& active = "OBJ", bool r1_reversible = false) {
  using fbc_net::species;
  auto reaction = [](const std::string& id, const std::string& from, const std::string& to, double st,
                     bool reversible = false) {
    return "<reaction id=\"" + id + "\" reversible=\"" + (reversible ? "true" : "false") +
           "\" fast=\"false\"><listOfReactants>" + fbc_net::species_references({{from, 1}}) +
           "</listOfReactants><listOfProducts>" + fbc_net::species_references({{to, st}}) +
           "</listOfProducts></reaction>";
  };
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" xmlns:fbc="http://www.sbml.org/sbml/level3/version1/fbc/version1" level="3" version="1" fbc:required="false">
<model id="tiny_v1">
<listOfCompartments><compartment id="cell" size="1" constant="true"/></listOfCompartments>
<listOfSpecies>)" + species("X", true) + species("B", false) + species("C", false) + species("P", true) +
         R"(</listOfSpecies>
<listOfReactions>)" + reaction("Rin", "X", "B", 1) + reaction("R1", "B", "C", 1, r1_reversible) + reaction("R2", "B", "C", 2) +
         reaction("Rout", "C", "P", 1) + R"(</listOfReactions>
<fbc:listOfFluxBounds>
  <fbc:fluxBound fbc:id="b1" fbc:reaction="Rin" fbc:operation="greaterEqual" fbc:value="0"/>
  <fbc:fluxBound fbc:id="b2" fbc:reaction="Rin" fbc:operation="lessEqual" fbc:value="10"/>
  <fbc:fluxBound fbc:id="b3" fbc:reaction="R2" fbc:operation="lessEqual" fbc:value="4"/>
</fbc:listOfFluxBounds>
<fbc:listOfObjectives fbc:activeObjective=")" + active + R"(">
  <fbc:objective fbc:id="OBJ" fbc:type="maximize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="Rout" fbc:coefficient="1"/>
  </fbc:listOfFluxObjectives></fbc:objective>
  <fbc:objective fbc:id="MIN_R1" fbc:type="minimize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="R1" fbc:coefficient="1"/>
  </fbc:listOfFluxObjectives></fbc:objective>
</fbc:listOfObjectives>
</model>
</sbml>
)";
}

// Rout is at most 14 (see v2_model), so a lower bound of 20 on it cannot be met.
std::string infeasible_model() { return v2_model(4, 20); }

}  // namespace

TEST_CASE("fba: fluxes and objective value of a small fbc v2 model", "[fba]") {
  tu::TempDir dir;
  const std::string path = dir.file("tiny.xml");
  tu::write_file(path, v2_model());

  const axisim::FbaResult r = axisim::solve_fba(path, {"Rin", "R1", "R2", "Rout", "OBJ", "OBJ2"});
  REQUIRE(r.feasible);
  REQUIRE(r.values.size() == 6);
  CHECK(r.ids == std::vector<std::string>{"Rin", "R1", "R2", "Rout", "OBJ", "OBJ2"});
  CHECK(r.values[0] == Approx(10));
  CHECK(r.values[1] == Approx(6));
  CHECK(r.values[2] == Approx(4));
  CHECK(r.values[3] == Approx(14));
  CHECK(r.values[4] == Approx(14));
  CHECK(r.values[5] == Approx(12));  // the inactive objective, at the active one's optimum
  CHECK(r.objective == Approx(14));
  CHECK(r.objective_id == "OBJ");
  CHECK(r.maximize);
}

TEST_CASE("fba: default outputs are every reaction and the active objective", "[fba]") {
  const axisim::FbaResult r = axisim::solve_fba_string(v2_model(1));
  CHECK(r.ids == std::vector<std::string>{"Rin", "R1", "R2", "Rout", "OBJ"});
  REQUIRE(r.values.size() == 5);
  CHECK(r.values[3] == Approx(11));  // R2 = 1, R1 = 9
  CHECK(r.values[4] == Approx(11));
}

TEST_CASE("fba: bounds set by initial assignments (fbc v2, not strict)", "[fba]") {
  const std::string assign =
      "<listOfInitialAssignments><initialAssignment symbol=\"r2_upper\"><math "
      "xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><divide/><ci> ten </ci><cn> 5 </cn></apply></math>"
      "</initialAssignment></listOfInitialAssignments>";
  const axisim::FbaResult r = axisim::solve_fba_string(v2_model(4, 0, assign), {"R2", "OBJ"});
  CHECK(r.values[0] == Approx(2));  // r2_upper = ten / 5
  CHECK(r.values[1] == Approx(12));
}

TEST_CASE("fba: fbc v1 flux bounds, irreversible reactions without a lower bound", "[fba]") {
  const axisim::FbaResult r = axisim::solve_fba_string(v1_model(), {"R1", "R2", "Rout", "OBJ"});
  REQUIRE(r.values.size() == 4);
  CHECK(r.values[0] == Approx(6));
  CHECK(r.values[1] == Approx(4));
  CHECK(r.values[2] == Approx(14));
  CHECK(r.objective == Approx(14));

  CHECK(axisim::solve_fba_string(v1_model("MIN_R1", false)).objective == Approx(0).margin(1e-9));
  CHECK(axisim::solve_fba_string(v1_model("MIN_R1", true)).objective == Approx(-4));
}

TEST_CASE("fba: an infeasible problem is a Solver error, or NaN when asked", "[fba]") {
  tu::TempDir dir;
  const std::string path = dir.file("infeasible.xml");
  tu::write_file(path, infeasible_model());
  try {
    axisim::solve_fba(path, {"Rout"});
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::Solver);
    CHECK(tu::icontains(e.what(), "infeasible"));
    CHECK(tu::contains(e.what(), "GLP_"));
  }

  axisim::FbaOptions options;
  options.infeasible_as_nan = true;
  const axisim::FbaResult r = axisim::solve_fba(path, {"Rout", "OBJ"}, options);
  CHECK_FALSE(r.feasible);
  REQUIRE(r.values.size() == 2);
  CHECK(std::isnan(r.values[0]));
  CHECK(std::isnan(r.values[1]));
  CHECK(std::isnan(r.objective));
}

TEST_CASE("fba: unknown ids and models without fbc are refused", "[fba]") {
  try {
    axisim::solve_fba_string(v2_model(), {"Rout", "B"});  // a species is not an output
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::UnknownId);
    CHECK(tu::contains(e.what(), "'B'"));
  }
  const std::string plain = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
<model id="plain"><listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments></model>
</sbml>
)";
  try {
    axisim::solve_fba_string(plain);
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::Unsupported);
    CHECK(tu::contains(e.what(), "fbc"));
  }
}

TEST_CASE("fba: the CLI writes one row under a header of ids", "[fba][cli]") {
  tu::TempDir dir;
  const std::string model = dir.file("tiny.xml");
  const std::string bad = dir.file("infeasible.xml");
  const std::string settings = dir.file("settings.txt");
  const std::string out = dir.file("out.csv");
  tu::write_file(model, v2_model());
  tu::write_file(bad, infeasible_model());
  tu::write_file(settings, "start:\nduration:\nsteps:\nvariables: Rout, R2, OBJ\nabsolute: 0.001\nrelative: 0.001\n"
                           "amount:\nconcentration:\n");

  auto r = tu::run({AXISIM_CLI_PATH, "fba", model, "--settings", settings, "-o", out}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  const auto lines = tu::lines(tu::read_file(out));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "Rout,R2,OBJ");
  const auto cells = tu::split(lines[1], ',');
  REQUIRE(cells.size() == 3);
  CHECK(tu::parse_number(cells[0]) == Approx(14));
  CHECK(tu::parse_number(cells[1]) == Approx(4));
  CHECK(tu::parse_number(cells[2]) == Approx(14));

  r = tu::run({AXISIM_CLI_PATH, "fba", bad, "--select", "Rout"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 5);
  CHECK(tu::icontains(r.err, "infeasible"));

  r = tu::run({AXISIM_CLI_PATH, "fba", bad, "--select", "Rout,OBJ", "--infeasible-as-nan"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Rout,OBJ\nNaN,NaN\n");

  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--select", "nope"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 4);
}
