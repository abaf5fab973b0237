// Steady states against analytic solutions: chains, conservation laws, rules, each method,
// stability, and what is refused.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "axisim/error.hpp"
#include "axisim/steady_state.hpp"
#include "sbml_text.hpp"
#include "schlogl.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

axisim::Model load(const at::Doc& d) { return axisim::Model::from_string(d.str()); }

double value(const axisim::SteadyState& s, const std::string& id) {
  for (std::size_t i = 0; i < s.ids.size(); ++i)
    if (s.ids[i] == id) return s.values[i];
  FAIL("no output " << id);
  return 0;
}

std::vector<double> sorted_real(const axisim::SteadyState& s) {
  std::vector<double> v;
  for (const auto& e : s.eigenvalues) v.push_back(e.real());
  std::sort(v.begin(), v.end());
  return v;
}

// The kind of an axisim::Error thrown by f, and its message.
template <class F>
std::pair<axisim::ErrorKind, std::string> error_of(F&& f) {
  try {
    f();
  } catch (const axisim::Error& e) {
    return {e.kind(), e.what()};
  }
  FAIL("no axisim::Error thrown");
  return {};
}

// 0 -> S1 -> S2 -> 0 in a compartment of size 2: c1 = k0 / k1, c2 = k0 / k2; the amounts'
// Jacobian has eigenvalues -k1 / V and -k2 / V.
at::Doc linear_chain() {
  at::Doc d;
  d.compartment("C", 2).species("S1", 0).species("S2", 0);
  d.parameter("k0", 3).parameter("k1", 0.5).parameter("k2", 4);
  d.reaction("v0", "-> S1", "k0").reaction("v1", "S1 -> S2", "k1 * S1").reaction("v2", "S2 ->", "k2 * S2");
  return d;
}

// 0 -> S1 -> S2 -> 0 with Michaelis-Menten steps: S_i = Km_i v0 / (Vm_i - v0).
at::Doc mm_chain() {
  at::Doc d;
  d.species("S1", 0.1).species("S2", 0.1);
  d.parameter("v0", 1.2).parameter("Vm1", 2).parameter("Km1", 0.7).parameter("Vm2", 5).parameter("Km2", 3);
  d.reaction("in", "-> S1", "v0").reaction("r1", "S1 -> S2", "Vm1 * S1 / (Km1 + S1)");
  d.reaction("r2", "S2 ->", "Vm2 * S2 / (Km2 + S2)");
  return d;
}

}  // namespace

TEST_CASE("steady state: linear chain, analytic values and eigenvalues", "[steady]") {
  const auto s = axisim::steady_state(load(linear_chain()));
  CHECK(s.method == "newton");
  CHECK_THAT(value(s, "S1"), WithinRel(3.0 / 0.5, 1e-12));
  CHECK_THAT(value(s, "S2"), WithinRel(3.0 / 4, 1e-12));
  CHECK(s.residual < 1e-12);
  CHECK(s.stability == axisim::Stability::Stable);
  CHECK(s.determinant_sign == 1);
  const auto ev = sorted_real(s);
  REQUIRE(ev.size() == 2);
  CHECK_THAT(ev[0], WithinRel(-4.0 / 2, 1e-9));
  CHECK_THAT(ev[1], WithinRel(-0.5 / 2, 1e-9));
  CHECK(s.conservation_laws == 0);
}

TEST_CASE("steady state: Michaelis-Menten chain by each method", "[steady]") {
  const double S1 = 0.7 * 1.2 / (2 - 1.2), S2 = 3 * 1.2 / (5 - 1.2);
  for (auto m : {axisim::SteadyStateMethod::Auto, axisim::SteadyStateMethod::Newton,
                 axisim::SteadyStateMethod::PseudoTransient, axisim::SteadyStateMethod::Integration}) {
    axisim::SteadyStateOptions o;
    o.method = m;
    const auto s = axisim::steady_state(load(mm_chain()), o);
    INFO("method " << axisim::steady_state_method_name(m) << " gave " << s.method);
    CHECK_THAT(value(s, "S1"), WithinRel(S1, 1e-10));
    CHECK_THAT(value(s, "S2"), WithinRel(S2, 1e-10));
    if (m != axisim::SteadyStateMethod::Auto) CHECK(s.method == axisim::steady_state_method_name(m));
    if (m == axisim::SteadyStateMethod::Integration) CHECK(s.time_integrated > 0);
  }
}

TEST_CASE("steady state: a closed system is solved on its conservation law", "[steady]") {
  // A <-> B, A(0) = 3, B(0) = 1: A = 4 k2 / (k1 + k2). Without the reduction the Jacobian is
  // singular and Newton could not start.
  at::Doc d;
  d.species("A", 3).species("B", 1).parameter("k1", 2).parameter("k2", 0.5);
  d.reaction("f", "A -> B", "k1 * A").reaction("b", "B -> A", "k2 * B");
  axisim::SteadyStateOptions o;
  o.method = axisim::SteadyStateMethod::Newton;
  const auto s = axisim::steady_state(load(d), o);
  CHECK(s.conservation_laws == 1);
  CHECK(s.reduced_states == 1);
  CHECK_THAT(value(s, "A"), WithinRel(4 * 0.5 / 2.5, 1e-12));
  CHECK_THAT(value(s, "B"), WithinRel(4 * 2 / 2.5, 1e-12));
  REQUIRE(s.eigenvalues.size() == 1);
  CHECK_THAT(s.eigenvalues[0].real(), WithinRel(-2.5, 1e-9));
}

TEST_CASE("steady state: enzyme with a moiety, open for substrate and product", "[steady]") {
  // 0 -> S (v0); E + S <-> ES -> E + P; P -> 0. Flux v0 through ES: ES = v0 / k2,
  // E = Et - ES, S = (km1 + k2) ES / (k1 E), P = v0 / kp.
  at::Doc d;
  d.species("E", 1).species("S", 0).species("ES", 0).species("P", 0);
  d.parameter("v0", 0.2).parameter("k1", 5).parameter("km1", 1).parameter("k2", 0.4).parameter("kp", 0.1);
  d.reaction("in", "-> S", "v0").reaction("bind", "E + S -> ES", "k1 * E * S").reaction("unbind", "ES -> E + S", "km1 * ES");
  d.reaction("cat", "ES -> E + P", "k2 * ES").reaction("out", "P ->", "kp * P");
  const auto s = axisim::steady_state(load(d));
  const double ES = 0.2 / 0.4, E = 1 - ES, S = (1 + 0.4) * ES / (5 * E), P = 0.2 / 0.1;
  CHECK(s.conservation_laws == 1);
  CHECK(s.reduced_states == 3);
  CHECK_THAT(value(s, "ES"), WithinRel(ES, 1e-10));
  CHECK_THAT(value(s, "E"), WithinRel(E, 1e-10));
  CHECK_THAT(value(s, "S"), WithinRel(S, 1e-10));
  CHECK_THAT(value(s, "P"), WithinRel(P, 1e-10));
  CHECK(s.stability == axisim::Stability::Stable);
}

TEST_CASE("steady state: rate rules and assignment rules take part", "[steady]") {
  // x' = a - b x (rate rule); 0 -> S at k x; S -> 0 at kd w with w = S^2 (assignment rule):
  // x = a / b, S = sqrt(k x / kd).
  at::Doc d;
  d.species("S", 1).parameter("x", 0, false).parameter("w", 0, false);
  d.parameter("a", 3).parameter("b", 1.5).parameter("k", 2).parameter("kd", 0.25);
  d.rate_rule("x", "a - b * x").assignment_rule("w", "S^2");
  d.reaction("in", "-> S", "k * x").reaction("out", "S ->", "kd * w");
  const auto s = axisim::steady_state(load(d), {}, {{"x"}, {"S"}, {"w"}});
  CHECK_THAT(value(s, "x"), WithinRel(2.0, 1e-12));
  CHECK_THAT(value(s, "S"), WithinRel(std::sqrt(2 * 2 / 0.25), 1e-12));
  CHECK_THAT(value(s, "w"), WithinRel(2 * 2 / 0.25, 1e-12));
}

TEST_CASE("steady state: algebraic rules take part", "[steady]") {
  // 0 = z - 2 S determines z; 0 -> S at k0; S -> 0 at k z: S = k0 / (2 k).
  at::Doc d;
  d.species("S", 1).parameter("z", 0, false).parameter("k0", 3).parameter("k", 0.5);
  d.algebraic_rule("z - 2 * S");
  d.reaction("in", "-> S", "k0").reaction("out", "S ->", "k * z");
  const auto s = axisim::steady_state(load(d), {}, {{"S"}, {"z"}});
  CHECK_THAT(value(s, "S"), WithinRel(3.0, 1e-10));
  CHECK_THAT(value(s, "z"), WithinRel(6.0, 1e-10));
  REQUIRE(s.eigenvalues.size() == 1);
  CHECK_THAT(s.eigenvalues[0].real(), WithinRel(-1.0, 1e-6));  // d(-k z)/dS = -2 k
}

TEST_CASE("steady state: an unstable steady state is found and reported unstable", "[steady]") {
  // Schlogl: x' = p + 6 x^2 - x^3 - 10 x; at p = 4 the roots are 2 - sqrt 2, 2, 2 + sqrt 2, the
  // middle one unstable with eigenvalue f'(2) = 24 - 12 - 10 = 2.
  const at::Doc d = at::schlogl(4, 2.1);
  axisim::SteadyStateOptions o;
  o.method = axisim::SteadyStateMethod::Newton;
  const auto s = axisim::steady_state(load(d), o, {{"X"}});
  CHECK_THAT(value(s, "X"), WithinRel(2.0, 1e-12));
  CHECK(s.stability == axisim::Stability::Unstable);
  CHECK(s.determinant_sign == 1);
  CHECK_THAT(s.max_real_eigenvalue, WithinRel(2.0, 1e-8));
}

TEST_CASE("steady state: formulas that read time are frozen at the time asked", "[steady]") {
  at::Doc d;
  d.species("S", 0).parameter("k", 1).parameter("kd", 0.5);
  d.reaction("in", "-> S", "k * piecewise(2, time > 5, 1)").reaction("out", "S ->", "kd * S");
  axisim::SteadyStateOptions o;
  CHECK_THAT(value(axisim::steady_state(load(d), o), "S"), WithinRel(2.0, 1e-12));
  o.time = 10;
  const auto late = axisim::steady_state(load(d), o);
  CHECK_THAT(value(late, "S"), WithinRel(4.0, 1e-12));
  CHECK(std::any_of(late.warnings.begin(), late.warnings.end(),
                    [](const std::string& w) { return w.find("reaction 'in' reads time") != std::string::npos; }));
  o.method = axisim::SteadyStateMethod::Integration;
  const auto [kind, msg] = error_of([&] { axisim::steady_state(load(d), o); });
  CHECK(kind == axisim::ErrorKind::Solver);
  CHECK_THAT(msg, Contains("reads time"));
}

TEST_CASE("steady state: events, delay and fast reactions are refused, each named", "[steady]") {
  at::Doc with_event = linear_chain();
  with_event.event("kick", "time > 1", "S1", "0");
  auto [k1, m1] = error_of([&] { axisim::steady_state(load(with_event)); });
  CHECK(k1 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m1, Contains("event 'kick'"));

  at::Doc with_delay;
  with_delay.species("S", 1).parameter("k", 1);
  with_delay.reaction("in", "-> S", "1").reaction("lagged", "S ->", "k * delay(S, 2)");
  auto [k2, m2] = error_of([&] { axisim::steady_state(load(with_delay)); });
  CHECK(k2 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m2, Contains("reaction 'lagged' uses delay"));

  const std::string fast =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" version=\"1\">"
      "<model id=\"f\"><listOfCompartments><compartment id=\"C\" size=\"1\" spatialDimensions=\"3\" constant=\"true\"/>"
      "</listOfCompartments><listOfSpecies>"
      "<species id=\"A\" compartment=\"C\" initialAmount=\"1\" hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" constant=\"false\"/>"
      "<species id=\"B\" compartment=\"C\" initialAmount=\"0\" hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" constant=\"false\"/>"
      "</listOfSpecies><listOfReactions><reaction id=\"quick\" reversible=\"false\" fast=\"true\"><listOfReactants>"
      "<speciesReference species=\"A\" stoichiometry=\"1\" constant=\"true\"/></listOfReactants><listOfProducts>"
      "<speciesReference species=\"B\" stoichiometry=\"1\" constant=\"true\"/></listOfProducts><kineticLaw>" +
      at::mathml("A - B") + "</kineticLaw></reaction></listOfReactions></model></sbml>";
  auto [k3, m3] = error_of([&] { axisim::steady_state(axisim::Model::from_string(fast)); });
  CHECK(k3 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m3, Contains("reaction 'quick' is fast") && Contains("--ignore-fast"));
  axisim::LoadOptions ignore;
  ignore.ignore_fast = true;
  const auto s = axisim::steady_state(axisim::Model::from_string(fast, ignore));
  CHECK_THAT(value(s, "A"), WithinRel(0.5, 1e-12));
}

TEST_CASE("steady state: a species that grows without bound has none", "[steady]") {
  at::Doc d;
  d.species("S", 0).species("P", 0).parameter("k", 1);
  d.reaction("in", "-> S", "1").reaction("conv", "S -> P", "k * S");
  axisim::SteadyStateOptions o;
  o.max_integration_time = 1e4;
  auto [kind, msg] = error_of([&] { axisim::steady_state(load(d), o); });
  CHECK(kind == axisim::ErrorKind::Solver);
  CHECK_THAT(msg, Contains("'P' still changes at rate 1"));
}

TEST_CASE("steady state: negative concentrations are refused unless allowed", "[steady]") {
  // S' = -(k0 + k1 S): the only root is S = -k0 / k1.
  at::Doc d;
  d.species("S", 1).parameter("k0", 2).parameter("k1", 0.5);
  d.reaction("out", "S ->", "k0 + k1 * S");
  axisim::SteadyStateOptions o;
  o.max_integration_time = 1e4;
  auto [kind, msg] = error_of([&] { axisim::steady_state(load(d), o); });
  CHECK(kind == axisim::ErrorKind::Solver);
  CHECK_THAT(msg, Contains("negative") && Contains("'S' = -4"));
  o.allow_negative = true;
  const auto s = axisim::steady_state(load(d), o);
  CHECK_THAT(value(s, "S"), WithinRel(-4.0, 1e-10));
  CHECK(std::any_of(s.warnings.begin(), s.warnings.end(),
                    [](const std::string& w) { return w.find("negative") != std::string::npos; }));
}

TEST_CASE("steady state: bad options and unknown outputs are usage and id errors", "[steady]") {
  axisim::SteadyStateOptions o;
  o.rtol = 0;
  CHECK(error_of([&] { axisim::steady_state(load(linear_chain()), o); }).first == axisim::ErrorKind::Usage);
  CHECK(error_of([&] { axisim::steady_state(load(linear_chain()), {}, {{"nope"}}); }).first ==
        axisim::ErrorKind::UnknownId);
}
