// Integration of the reduced system (SimulationOptions::reduce_moieties): conserved moieties
// taken out of the integrated state, against the whole system and against analytic solutions.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "sbml_text.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

axisim::SimulationOptions options(double end, int steps, bool reduce) {
  axisim::SimulationOptions o;
  o.end = end;
  o.steps = steps;
  o.rtol = 1e-10;
  o.atol = 1e-14;
  o.reduce_moieties = reduce;
  return o;
}

// Every value of two results with the same columns within rel * (1 + |value|).
void check_same(const axisim::Result& a, const axisim::Result& b, double rel) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  for (std::size_t i = 0; i < a.rows(); ++i)
    for (std::size_t c = 0; c < a.cols(); ++c) {
      INFO("row " << i << ", column " << a.columns()[c]);
      CHECK_THAT(a.at(i, c), WithinAbs(b.at(i, c), rel * (1 + std::fabs(b.at(i, c)))));
    }
}

}  // namespace

TEST_CASE("reduced integration: A <-> B in a compartment of size 2.5 against the analytic solution and the whole "
          "system",
          "[reduced]") {
  // dA/dt = -k1 A + k2 B (concentrations; the compartment is constant), A + B = T:
  // A(t) = A* + (A0 - A*) e^{-(k1+k2) t}, A* = T k2 / (k1 + k2).
  const double k1 = 0.9, k2 = 0.35, A0 = 3, B0 = 1, T = A0 + B0;
  at::Doc d;
  d.compartment("C", 2.5).species("A", A0).species("B", B0).parameter("k1", k1).parameter("k2", k2);
  d.reaction("f", "A -> B", "C * k1 * A").reaction("b", "B -> A", "C * k2 * B");
  const auto model = axisim::Model::from_string(d.str());
  const axisim::Result reduced = model.simulate(options(8, 32, true), {{"A"}, {"B"}});
  const axisim::Result full = model.simulate(options(8, 32, false), {{"A"}, {"B"}});
  CHECK_THAT(reduced.stats.linear_solver, Contains("1 conservation law"));
  CHECK_THAT(full.stats.linear_solver, !Contains("conservation law"));
  const double Astar = T * k2 / (k1 + k2);
  for (std::size_t i = 0; i < reduced.rows(); ++i) {
    const double t = reduced.at(i, 0), A = Astar + (A0 - Astar) * std::exp(-(k1 + k2) * t);
    INFO("t = " << t);
    CHECK_THAT(reduced.at(i, 1), WithinAbs(A, 1e-8));
    CHECK_THAT(reduced.at(i, 2), WithinAbs(T - A, 1e-8));
    // B is computed from the law: A + B holds to rounding.
    CHECK_THAT(reduced.at(i, 1) + reduced.at(i, 2), WithinAbs(T, 1e-14));
  }
  check_same(reduced, full, 1e-8);
}

TEST_CASE("reduced integration: an enzyme mechanism with two laws against the whole system", "[reduced]") {
  // E + S <-> ES -> E + P: E + ES and S + ES + P are conserved.
  at::Doc d;
  d.species("E", 0.5).species("S", 4).species("ES", 0).species("P", 0);
  d.parameter("kon", 2).parameter("koff", 0.4).parameter("kcat", 1.3);
  d.reaction("bind", "E + S -> ES", "kon * E * S").reaction("unbind", "ES -> E + S", "koff * ES");
  d.reaction("cat", "ES -> E + P", "kcat * ES");
  const auto model = axisim::Model::from_string(d.str());
  const axisim::Result reduced = model.simulate(options(20, 40, true));
  const axisim::Result full = model.simulate(options(20, 40, false));
  CHECK_THAT(reduced.stats.linear_solver, Contains("2 conservation laws"));
  check_same(reduced, full, 1e-7);
  // Most of S has become P by t = 20, and both totals hold.
  const std::size_t last = reduced.rows() - 1;
  CHECK(reduced.at(last, 4) > 3.5);
  CHECK_THAT(reduced.at(last, 1) + reduced.at(last, 3), WithinAbs(0.5, 1e-13));
  CHECK_THAT(reduced.at(last, 2) + reduced.at(last, 3) + reduced.at(last, 4), WithinAbs(4, 1e-13));
}

TEST_CASE("reduced integration: an event that changes a law's total", "[reduced]") {
  // As above (size 1); at t = 2, A is set to 5: the total becomes 5 + B(2) and A relaxes again.
  const double k1 = 0.9, k2 = 0.35, A0 = 3, B0 = 1, T = A0 + B0;
  at::Doc d;
  d.species("A", A0).species("B", B0).parameter("k1", k1).parameter("k2", k2);
  d.reaction("f", "A -> B", "k1 * A").reaction("b", "B -> A", "k2 * B");
  d.event("bolus", "time > 2", "A", "5");
  const auto model = axisim::Model::from_string(d.str());
  const axisim::Result reduced = model.simulate(options(6, 24, true), {{"A"}, {"B"}});
  const axisim::Result full = model.simulate(options(6, 24, false), {{"A"}, {"B"}});
  check_same(reduced, full, 1e-8);
  const double k = k1 + k2, A2 = T * k2 / k + (A0 - T * k2 / k) * std::exp(-2 * k), T2 = 5 + (T - A2);
  for (std::size_t i = 0; i < reduced.rows(); ++i) {
    const double t = reduced.at(i, 0);
    const double A = t <= 2 ? T * k2 / k + (A0 - T * k2 / k) * std::exp(-k * t)
                            : T2 * k2 / k + (5 - T2 * k2 / k) * std::exp(-k * (t - 2));
    INFO("t = " << t);
    CHECK_THAT(reduced.at(i, 1), WithinAbs(A, 1e-8));
    CHECK_THAT(reduced.at(i, 1) + reduced.at(i, 2), WithinAbs(t <= 2 ? T : T2, 1e-8));
  }
}

TEST_CASE("reduced integration: a model without laws runs as before, a fast reaction in a law is refused", "[reduced]") {
  at::Doc d;
  d.species("S", 2).parameter("k", 0.3).reaction("decay", "S ->", "k * S");
  const auto model = axisim::Model::from_string(d.str());
  check_same(model.simulate(options(5, 5, true)), model.simulate(options(5, 5, false)), 0.0);

  const std::string fast =
      "<reaction id=\"iso\" reversible=\"true\" fast=\"true\"><listOfReactants><speciesReference species=\"A\" "
      "stoichiometry=\"1\" constant=\"true\"/></listOfReactants><listOfProducts><speciesReference species=\"B\" "
      "stoichiometry=\"1\" constant=\"true\"/></listOfProducts><kineticLaw>" +
      at::mathml("10 * A - 5 * B") + "</kineticLaw></reaction>";
  at::Doc f;
  f.species("A", 1).species("B", 0).species("P", 0).parameter("k", 0.2);
  f.raw_reaction(fast).reaction("out", "B -> P", "k * B");
  // Fast reactions are Level 3 Version 1 (and Level 2): written as such.
  std::string l3v1 = f.str();
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (std::size_t at = l3v1.find(from); at != std::string::npos; at = l3v1.find(from, at + to.size()))
      l3v1.replace(at, from.size(), to);
  };
  replace_all("level3/version2/core", "level3/version1/core");
  replace_all("version=\"2\"", "version=\"1\"");
  replace_all("reversible=\"false\">", "reversible=\"false\" fast=\"false\">");
  try {
    axisim::Model::from_string(l3v1).simulate(options(1, 1, true));
    FAIL("no error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Unsupported);
    CHECK_THAT(std::string(e.what()), Contains("conservation law") && Contains("fast"));
  }
}
