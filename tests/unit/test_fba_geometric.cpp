// test_fba_geometric.cpp — geometric FBA (FbaMethod::Geometric, `axisim fba --geometric`,
// KISAO:0000527) on networks whose central optimal flux vector is found by hand, among them the
// example of Smallbone & Simeonidis (2009) that COBRApy's test suite also uses.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/fba.hpp"
#include "fbc_network.hpp"
#include "test_util.hpp"

using axisim::ErrorKind;

namespace {

// Parallel routes: uptake v1 : X -> A in [0, uptake], routes A -> B each with its own bounds, and
// v5 : B -> P (the objective, maximised, [0, 1000]); X and P boundary species. At the optimum
// v1 = v5 = uptake and the routes' fluxes sum to it.
std::string routes(const std::string& uptake, const std::vector<std::pair<std::string, std::string>>& bounds) {
  std::string params = "<parameter id=\"zero\" value=\"0\" constant=\"true\"/><parameter id=\"up\" value=\"" + uptake +
                       "\" constant=\"true\"/><parameter id=\"big\" value=\"1000\" constant=\"true\"/>";
  std::string reactions;
  auto reaction = [&](const std::string& id, const std::string& from, const std::string& to, const std::string& lb,
                      const std::string& ub) { reactions += fbc_net::reaction(id, from, to, lb, ub, true); };
  reaction("v1", "X", "A", "zero", "up");
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    const std::string id = "v" + std::to_string(i + 2);
    params += "<parameter id=\"" + id + "_lb\" value=\"" + bounds[i].first + "\" constant=\"true\"/><parameter id=\"" + id +
              "_ub\" value=\"" + bounds[i].second + "\" constant=\"true\"/>";
    reaction(id, "A", "B", id + "_lb", id + "_ub");
  }
  reaction("v" + std::to_string(bounds.size() + 2), "B", "P", "zero", "big");
  auto species = [](const std::string& id, bool boundary) { return fbc_net::species(id, boundary, "c"); };
  return fbc_net::document("parallel_routes", "<listOfSpecies>" + species("X", true) + species("A", false) +
                                                  species("B", false) + species("P", true) +
                                                  "</listOfSpecies><listOfParameters>" + params +
                                                  "</listOfParameters><listOfReactions>" + reactions + R"(</listOfReactions>
<fbc:listOfObjectives fbc:activeObjective="OBJ">
  <fbc:objective fbc:id="OBJ" fbc:type="maximize"><fbc:listOfFluxObjectives>
    <fbc:fluxObjective fbc:reaction="v)" + std::to_string(bounds.size() + 2) + R"(" fbc:coefficient="1"/>
  </fbc:listOfFluxObjectives></fbc:objective>
</fbc:listOfObjectives>)",
                           true, "c");
}

// Smallbone & Simeonidis (2009), Fig. 1; COBRApy's test_geometric_fba model: uptake at most 1,
// three identical reversible routes.
std::string paper_model() { return routes("1", {{"-1000", "1000"}, {"-1000", "1000"}, {"-1000", "1000"}}); }

axisim::FbaOptions geometric() {
  axisim::FbaOptions o;
  o.method = axisim::FbaMethod::Geometric;
  return o;
}

}  // namespace

TEST_CASE("geometric FBA: the paper's three identical routes each carry a third", "[fba][geometric]") {
  // By hand: round 1 (centre 0) keeps pFBA's set, the routes non-negative and summing to 1, each
  // in [0, 1]; round 2's centre 1/2 keeps v_i <= 1/2 (distance 1/2 for all of them), round 3's
  // centre 1/4 keeps v_i >= 1/4, and so on, the ranges halving around 1/3. COBRApy's test expects
  // (1, 0.33, 0.33, 0.33, 1) to 1e-2; symmetry makes it 1/3 exactly, to within epsilon.
  const axisim::FbaResult r = axisim::solve_fba_string(paper_model(), {"v1", "v2", "v3", "v4", "v5", "OBJ"}, geometric());
  REQUIRE(r.values.size() == 6);
  CHECK(r.values[0] == Approx(1).margin(1e-6));
  for (int i = 1; i <= 3; ++i) CHECK(r.values[i] == Approx(1.0 / 3).margin(1e-6));
  CHECK(r.values[4] == Approx(1).margin(1e-6));
  CHECK(r.values[5] == Approx(1).margin(1e-6));
  CHECK(r.objective == Approx(1).margin(1e-6));

  // Held at half the optimum (v5 >= 1/2): round 1 settles v1 = v5 = 1/2 (the least total flux),
  // the routes share 1/2 equally.
  axisim::FbaOptions half = geometric();
  half.fraction_of_optimum = 0.5;
  const axisim::FbaResult h = axisim::solve_fba_string(paper_model(), {"v1", "v2", "v3", "v4", "v5"}, half);
  CHECK(h.values[0] == Approx(0.5).margin(1e-6));
  for (int i = 1; i <= 3; ++i) CHECK(h.values[i] == Approx(1.0 / 6).margin(1e-6));
  CHECK(h.values[4] == Approx(0.5).margin(1e-6));
}

TEST_CASE("geometric FBA: unequal routes meet at the middle of the optimal segment", "[fba][geometric]") {
  // Uptake 6, routes [0, 2] and [0, 10]: every optimal vector has v2 + v3 = 6, so v2 in [0, 2],
  // v3 in [4, 6], all with the same total flux (round 1 keeps them all). Round 2's centre (1, 5):
  // |v2 - 1| + |v3 - 5| = 2 |v2 - 1| is least, 0, at v2 = 1: the answer (6, 1, 5, 6), where
  // plain FBA stops at a vertex (v2 = 0 or 2).
  const axisim::FbaResult r = axisim::solve_fba_string(routes("6", {{"0", "2"}, {"0", "10"}}), {}, geometric());
  REQUIRE(r.values.size() == 5);  // v1 v2 v3 v4, then OBJ
  CHECK(r.values[0] == Approx(6).margin(1e-6));
  CHECK(r.values[1] == Approx(1).margin(1e-6));
  CHECK(r.values[2] == Approx(5).margin(1e-6));
  CHECK(r.values[3] == Approx(6).margin(1e-6));
  CHECK(r.total_flux == Approx(18).margin(1e-5));
  // A route that must go backwards: [-3, -1] and [0, 10] with uptake 6: v3 = 6 - v2 in [7, 9],
  // all optimal vectors have total |v2| + v3 = -v2 + 6 - v2, least at v2 = -1 (round 1 settles
  // it): (6, -1, 7, 6).
  const axisim::FbaResult b = axisim::solve_fba_string(routes("6", {{"-3", "-1"}, {"0", "10"}}), {"v2", "v3"}, geometric());
  CHECK(b.values[0] == Approx(-1).margin(1e-6));
  CHECK(b.values[1] == Approx(7).margin(1e-6));
}

TEST_CASE("geometric FBA: options checked, too few rounds named", "[fba][geometric]") {
  axisim::FbaOptions o = geometric();
  o.geometric_epsilon = 0;
  try {
    axisim::solve_fba_string(paper_model(), {}, o);
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::InvalidSbml);
    CHECK(tu::contains(e.what(), "epsilon"));
  }
  // The paper's example halves its ranges each round: 3 rounds leave them far wider than 1e-6.
  o = geometric();
  o.geometric_max_rounds = 3;
  try {
    axisim::solve_fba_string(paper_model(), {}, o);
    FAIL("expected an error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::Solver);
    CHECK(tu::contains(e.what(), "did not settle in 3 rounds"));
    CHECK(tu::contains(e.what(), "'v2'"));
  }
  // A coarser epsilon settles sooner, still within it of the centre.
  o = geometric();
  o.geometric_epsilon = 1e-2;
  const axisim::FbaResult r = axisim::solve_fba_string(paper_model(), {"v2"}, o);
  CHECK(r.values[0] == Approx(1.0 / 3).margin(1e-2));
}

TEST_CASE("fba --geometric on the command line", "[fba][geometric][cli]") {
  tu::TempDir dir;
  const std::string model = dir.file("paper.xml");
  tu::write_file(model, routes("6", {{"0", "2"}, {"0", "10"}}));
  auto r = tu::run({AXISIM_CLI_PATH, "fba", model, "--geometric", "--select", "v2,v3,OBJ"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  const auto rows = tu::lines(r.out);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == "v2,v3,OBJ");
  const auto cells = tu::split(rows[1], ',');
  REQUIRE(cells.size() == 3);
  CHECK(tu::parse_number(cells[0]) == Approx(1).margin(1e-6));
  CHECK(tu::parse_number(cells[1]) == Approx(5).margin(1e-6));
  CHECK(tu::parse_number(cells[2]) == Approx(6).margin(1e-6));
  r = tu::run({AXISIM_CLI_PATH, "fba", model, "--geometric", "--pfba"}, dir.path());
  REQUIRE(r.exited);
  CHECK(r.exit_code != 0);
}
