// Conserved moieties: laws found exactly, the link matrix consistent with N, exclusions named.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "axisim/moieties.hpp"
#include "sbml_text.hpp"

using Catch::Matchers::Contains;

namespace {

axisim::Model load(const at::Doc& d) { return axisim::Model::from_string(d.str()); }

// The coefficient of `species` in `law` (0 when absent).
double coefficient(const axisim::ConservationLaw& law, const std::string& species) {
  for (std::size_t i = 0; i < law.species.size(); ++i)
    if (law.species[i] == species) return law.coefficients[i];
  return 0.0;
}

// Every law g satisfies g N = 0 (to rounding), and N = L N_independent.
void check_consistent(const axisim::MoietyAnalysis& m) {
  const auto& N = m.stoichiometry;
  for (const auto& law : m.laws)
    for (std::size_t j = 0; j < N.cols(); ++j) {
      double s = 0.0, scale = 0.0;
      for (std::size_t i = 0; i < law.species.size(); ++i) {
        const double term = law.coefficients[i] * N.at(law.species[i], N.column_ids[j]);
        s += term;
        scale += std::fabs(term);
      }
      CHECK(std::fabs(s) <= 1e-12 * std::max(scale, 1.0));
    }
  for (std::size_t i = 0; i < N.rows(); ++i)
    for (std::size_t j = 0; j < N.cols(); ++j) {
      double s = 0.0;
      for (std::size_t q = 0; q < m.independent.size(); ++q) s += m.link(i, q) * N.at(m.independent[q], N.column_ids[j]);
      CHECK(std::fabs(s - N(i, j)) <= 1e-12 * std::max(1.0, std::fabs(N(i, j))));
    }
  CHECK(m.laws.size() + static_cast<std::size_t>(m.rank) == m.species.size());
  // The structural matrices: N_R the independent rows of N, L0 the dependent rows of L, and a
  // kernel K with N K = 0, one column per free reaction, 1 on its own and 0 on the other free ones.
  REQUIRE(m.reduced_stoichiometry.row_ids == m.independent);
  REQUIRE(m.reduced_stoichiometry.column_ids == m.reactions);
  for (std::size_t q = 0; q < m.independent.size(); ++q)
    for (std::size_t j = 0; j < N.cols(); ++j) CHECK(m.reduced_stoichiometry(q, j) == N.at(m.independent[q], N.column_ids[j]));
  REQUIRE(m.link0.row_ids == m.dependent);
  REQUIRE(m.link0.column_ids == m.independent);
  for (std::size_t d = 0; d < m.dependent.size(); ++d)
    for (std::size_t q = 0; q < m.independent.size(); ++q) CHECK(m.link0(d, q) == m.link.at(m.dependent[d], m.independent[q]));
  REQUIRE(m.kernel.row_ids == m.reactions);
  REQUIRE(m.kernel.column_ids == m.free_reactions);
  CHECK(m.free_reactions.size() + static_cast<std::size_t>(m.rank) == m.reactions.size());
  for (std::size_t f = 0; f < m.free_reactions.size(); ++f) {
    for (std::size_t g = 0; g < m.free_reactions.size(); ++g) CHECK(m.kernel.at(m.free_reactions[g], m.free_reactions[f]) == (f == g ? 1.0 : 0.0));
    for (std::size_t i = 0; i < N.rows(); ++i) {
      double s = 0.0, scale = 0.0;
      for (std::size_t j = 0; j < N.cols(); ++j) {
        s += N(i, j) * m.kernel(j, f);
        scale += std::fabs(N(i, j) * m.kernel(j, f));
      }
      CHECK(std::fabs(s) <= 1e-12 * std::max(scale, 1.0));
    }
  }
}

}  // namespace

TEST_CASE("moieties: enzyme mechanism has the two classic laws with integer coefficients", "[moieties]") {
  at::Doc d;
  d.species("E", 2).species("S", 10).species("ES", 0.5).species("P", 1);
  d.parameter("k1", 1).parameter("km1", 0.5).parameter("k2", 0.3);
  d.reaction("bind", "E + S -> ES", "k1 * E * S").reaction("unbind", "ES -> E + S", "km1 * ES");
  d.reaction("cat", "ES -> E + P", "k2 * ES");
  const auto m = axisim::conserved_moieties(load(d));
  REQUIRE(m.exact);
  REQUIRE(m.rank == 2);
  REQUIRE(m.laws.size() == 2);
  check_consistent(m);
  // Whatever basis the elimination picks, both E + ES and S + ES + P are in its span, and every
  // law is an integer vector; totals follow from the initial amounts.
  for (const auto& law : m.laws) {
    for (double c : law.coefficients) CHECK(c == std::round(c));
    double total = 0.0;
    const std::vector<std::pair<std::string, double>> amounts{{"E", 2}, {"S", 10}, {"ES", 0.5}, {"P", 1}};
    for (const auto& [id, n] : amounts) total += coefficient(law, id) * n;
    CHECK(law.total == Approx(total).epsilon(1e-14));
  }
  // E + ES = 2.5 and S + ES + P = 11.5: solve for the combination of the laws found.
  const double a = coefficient(m.laws[0], "E"), b = coefficient(m.laws[1], "E");
  const double c = coefficient(m.laws[0], "P"), e = coefficient(m.laws[1], "P");
  CHECK(std::fabs(a * e - b * c) > 0);  // independent laws
  CHECK(m.dependent.size() == 2);
}

TEST_CASE("moieties: fractional and decimal stoichiometries stay exact", "[moieties]") {
  at::Doc d;
  d.species("A", 1).species("B", 0).species("Z", 0);
  d.parameter("k", 1);
  d.reaction("r1", "A -> 0.5 B", "k * A");     // A + 2 B is conserved
  d.reaction("r2", "B -> 0.0015 Z", "k * B");  // and so is 3 B + 2000 Z
  const auto m = axisim::conserved_moieties(load(d));
  REQUIRE(m.exact);
  REQUIRE(m.laws.size() == 1);
  check_consistent(m);
  const auto& law = m.laws[0];
  // Proportional to 3 A + 6 B + 4000 Z (gcd 1), in some sign.
  const double s = coefficient(law, "A") / 3.0;
  CHECK(coefficient(law, "A") == 3 * s);
  CHECK(coefficient(law, "B") == 6 * s);
  CHECK(coefficient(law, "Z") == 4000 * s);
  CHECK(std::fabs(s) == 1.0);
}

TEST_CASE("moieties: stoichiometry that is no short fraction falls back to floating point", "[moieties]") {
  // 1/e is neither a fraction with a denominator up to 10^6 (to 1e-12) nor a short decimal.
  const double e = std::exp(1.0);
  at::Doc d;
  d.species("A", 1).species("B", 2);
  d.parameter("k", 1);
  d.reaction("r1", "A -> " + at::num(1.0 / e) + " B", "k * A");
  d.reaction("r2", "B -> " + at::num(e) + " A", "k * B");
  const auto m = axisim::conserved_moieties(load(d));
  CHECK_FALSE(m.exact);
  CHECK(m.tolerance == 1e-10);
  REQUIRE(m.laws.size() == 1);  // A + e B is conserved
  check_consistent(m);
  CHECK(coefficient(m.laws[0], "B") / coefficient(m.laws[0], "A") == Approx(e).epsilon(1e-12));
  CHECK(m.laws[0].total == Approx(coefficient(m.laws[0], "A") * (1 + 2 * e)).epsilon(1e-12));
  // The kernel in floating point too: r1 = e r2 at a steady state (A's balance: -r1 + e r2 = 0).
  REQUIRE(m.kernel.cols() == 1);
  CHECK(m.kernel(0, 0) / m.kernel(1, 0) == Approx(e).epsilon(1e-12));
}

TEST_CASE("moieties: integers too large for exact elimination fall back to floating point", "[moieties]") {
  // Denominators 999983, 999979, 999961, 999959 (primes) in one column: their lcm exceeds 2^62.
  at::Doc d;
  d.species("A", 1).species("B", 1).species("Y", 1).species("D", 1).species("E", 1);
  d.parameter("k", 1);
  d.reaction("r", "A -> " + at::num(1.0 / 999983) + " B + " + at::num(1.0 / 999979) + " Y + " + at::num(1.0 / 999961) +
                      " D + " + at::num(1.0 / 999959) + " E",
             "k * A");
  const auto m = axisim::conserved_moieties(load(d));
  CHECK_FALSE(m.exact);
  REQUIRE(m.laws.size() == 4);
  check_consistent(m);
}

TEST_CASE("moieties: species no constant row describes are left out, each with its reason", "[moieties]") {
  at::Doc d;
  d.species("A", 1).species("B", 1).species("X", 5, true).species("R", 1).species("Q", 1).species("V", 1);
  d.parameter("k", 1).parameter("s", 2, false);
  d.assignment_rule("s", "1 + A");
  d.assignment_rule("Q", "2 * A");
  d.rate_rule("R", "-R");
  d.reaction("r1", "X + A -> B", "k * A * X").reaction("r2", "B -> A", "k * B");
  d.raw_reaction("<reaction id=\"r3\" reversible=\"false\"><listOfReactants><speciesReference species=\"A\" "
                 "stoichiometry=\"1\" constant=\"true\"/></listOfReactants><listOfProducts><speciesReference id=\"sr\" "
                 "species=\"V\" constant=\"false\"/></listOfProducts><kineticLaw>" + at::mathml("k * A") +
                 "</kineticLaw></reaction>");
  d.assignment_rule("sr", "s");
  const auto m = axisim::conserved_moieties(load(d));
  auto reason = [&](const std::string& id) {
    for (const auto& e : m.excluded)
      if (e.species == id) return e.reason;
    return std::string();
  };
  CHECK_THAT(reason("X"), Contains("boundary"));
  CHECK_THAT(reason("R"), Contains("rate rule"));
  CHECK_THAT(reason("Q"), Contains("assignment rule"));
  CHECK_THAT(reason("V"), Contains("variable stoichiometry in reaction 'r3'") && Contains("'sr'"));
  // A and B remain: r3 changes A + B (by -1), so there is no law.
  CHECK(m.species == std::vector<std::string>{"A", "B"});
  CHECK(m.laws.empty());
  check_consistent(m);
}

TEST_CASE("moieties: laws in a compartment that changes size hold for amounts, with a note", "[moieties]") {
  at::Doc d;
  d.compartment("C", 1, false).species("A", 1).species("B", 3);
  d.parameter("k", 1);
  d.rate_rule("C", "0.1");
  d.reaction("f", "A -> B", "k * A * C").reaction("b", "B -> A", "k * B * C");
  const auto m = axisim::conserved_moieties(load(d));
  REQUIRE(m.laws.size() == 1);
  CHECK(m.laws[0].total == Approx(4.0));  // amounts: concentrations times the size 1
  CHECK(std::any_of(m.notes.begin(), m.notes.end(), [](const std::string& n) {
    return n.find("compartment 'C' changes size") != std::string::npos;
  }));
}
