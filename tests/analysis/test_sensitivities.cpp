// Steady-state sensitivities (implicit function theorem) against analytic derivatives and
// against central differences of re-solved steady states.
#include <catch2/catch.hpp>

#include <cmath>

#include "axisim/control_analysis.hpp"
#include "axisim/error.hpp"
#include "axisim/steady_state.hpp"
#include "sbml_text.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// d output / d p by central differences of steady states (relative step 1e-4: error ~1e-8).
double central_difference(const axisim::Model& model, const std::string& p, const std::string& output) {
  const double p0 = model.initial_value(p);
  const double h = p0 != 0 ? 1e-4 * std::fabs(p0) : 1e-6;
  axisim::Model up = model, down = model;
  up.set_value(p, p0 + h);
  down.set_value(p, p0 - h);
  const double fu = axisim::steady_state(up, {}, {{output}}).values[0];
  const double fd = axisim::steady_state(down, {}, {{output}}).values[0];
  return (fu - fd) / (2 * h);
}

}  // namespace

TEST_CASE("sensitivities: Michaelis-Menten chain, analytic", "[sensitivities]") {
  // S1 = Km1 v0 / (Vm1 - v0): dS1/dVm1 = -Km1 v0 / (Vm1 - v0)^2, dS1/dv0 = Km1 Vm1 / (Vm1 - v0)^2,
  // dS1/dKm1 = v0 / (Vm1 - v0); S2 does not depend on Vm1.
  at::Doc d;
  d.species("S1", 0.1).species("S2", 0.1);
  d.parameter("v0", 1.2).parameter("Vm1", 2).parameter("Km1", 0.7).parameter("Vm2", 5).parameter("Km2", 3);
  d.reaction("in", "-> S1", "v0").reaction("r1", "S1 -> S2", "Vm1 * S1 / (Km1 + S1)");
  d.reaction("r2", "S2 ->", "Vm2 * S2 / (Km2 + S2)");
  const auto s = axisim::steady_state_sensitivities(axisim::Model::from_string(d.str()), {"Vm1", "v0", "Km1"});
  const double v0 = 1.2, Vm1 = 2, Km1 = 0.7, g = Vm1 - v0;
  CHECK_THAT(s.unscaled.at("S1", "Vm1"), WithinRel(-Km1 * v0 / (g * g), 1e-8));
  CHECK_THAT(s.unscaled.at("S1", "v0"), WithinRel(Km1 * Vm1 / (g * g), 1e-8));
  CHECK_THAT(s.unscaled.at("S1", "Km1"), WithinRel(v0 / g, 1e-8));
  CHECK_THAT(s.unscaled.at("S2", "Vm1"), WithinAbs(0.0, 1e-10));
  CHECK_THAT(s.scaled.at("S1", "Km1"), WithinRel(1.0, 1e-8));  // S1 is proportional to Km1
  CHECK(s.parameter_values == std::vector<double>{2, 1.2, 0.7});
}

TEST_CASE("sensitivities: through a conservation law's total", "[sensitivities]") {
  // A <-> B with A(0) = T0 (an initial assignment), B(0) = 1: A = (T0 + 1) k2 / (k1 + k2).
  at::Doc d;
  d.species("A", 0).species("B", 1).parameter("k1", 2).parameter("k2", 0.5).parameter("T0", 3);
  d.initial_assignment("A", "T0");
  d.reaction("f", "A -> B", "k1 * A").reaction("b", "B -> A", "k2 * B");
  const axisim::Model model = axisim::Model::from_string(d.str());
  const auto s = axisim::steady_state_sensitivities(model, {"T0", "k1", "B"}, {}, {{"A"}, {"B"}, {"f"}});
  const double T = 4, k1 = 2, k2 = 0.5;
  CHECK_THAT(s.unscaled.at("A", "T0"), WithinRel(k2 / (k1 + k2), 1e-8));
  CHECK_THAT(s.unscaled.at("B", "T0"), WithinRel(k1 / (k1 + k2), 1e-8));
  CHECK_THAT(s.unscaled.at("A", "B"), WithinRel(k2 / (k1 + k2), 1e-8));  // B's initial value
  CHECK_THAT(s.unscaled.at("A", "k1"), WithinRel(-T * k2 / ((k1 + k2) * (k1 + k2)), 1e-8));
  // The flux f = k1 A: df/dk1 = A + k1 dA/dk1.
  const double A = T * k2 / (k1 + k2);
  CHECK_THAT(s.unscaled.at("f", "k1"), WithinRel(A - k1 * T * k2 / ((k1 + k2) * (k1 + k2)), 1e-8));
}

TEST_CASE("sensitivities: rules, local parameters and moieties against central differences", "[sensitivities]") {
  // An enzyme with a moiety (E + ES), substrate supply set by a rate rule's steady state, an
  // output through an assignment rule, and a local parameter.
  at::Doc d;
  d.species("E", 1).species("S", 0).species("ES", 0).species("P", 0);
  d.parameter("x", 0.5, false).parameter("a", 0.3).parameter("b", 1.5).parameter("k1", 5).parameter("km1", 1);
  d.parameter("k2", 0.4).parameter("obs", 0, false);
  d.rate_rule("x", "a - b * x").assignment_rule("obs", "S / (1 + S) + ES");
  d.reaction("in", "-> S", "x").reaction("bind", "E + S -> ES", "k1 * E * S").reaction("unbind", "ES -> E + S", "km1 * ES");
  d.reaction("cat", "ES -> E + P", "k2 * ES");
  d.raw_reaction("<reaction id=\"out\" reversible=\"false\"><listOfReactants><speciesReference species=\"P\" "
                 "stoichiometry=\"1\" constant=\"true\"/></listOfReactants><kineticLaw>" + at::mathml("kp * P^1.5") +
                 "<listOfLocalParameters><localParameter id=\"kp\" value=\"0.1\"/></listOfLocalParameters></kineticLaw>"
                 "</reaction>");
  const axisim::Model model = axisim::Model::from_string(d.str());
  const std::vector<std::string> wrt{"a", "k1", "km1", "out.kp", "E"};
  const std::vector<std::string> outputs{"S", "ES", "P", "obs", "cat"};
  std::vector<axisim::OutputSpec> specs;
  for (const auto& o : outputs) specs.push_back({o});
  const auto s = axisim::steady_state_sensitivities(model, wrt, {}, specs);
  for (const auto& p : wrt)
    for (const auto& o : outputs) {
      INFO("d " << o << " / d " << p);
      const double fd = central_difference(model, p, o);
      CHECK_THAT(s.unscaled.at(o, p), WithinAbs(fd, 1e-6 * std::max(1.0, std::fabs(fd))));
    }
}

TEST_CASE("sensitivities: a conversion factor's parameter, by re-solved steady states, analytic", "[sensitivities]") {
  // A <-> B in a unit volume, A with conversion factor cf: dA/dt = cf (kr B - kf A),
  // dB/dt = kf A - kr B. A / cf + B is conserved, so a change of cf changes the conservation
  // law itself (not only its total): B = (A0 + B0 cf) / (K + cf) with K = kr / kf, A = K B, and
  // dB/dcf = (B0 K - A0) / (K + cf)^2. kf and kr on either side of cf check that the other
  // columns keep their own (implicit-function) path.
  at::Doc d;
  d.species("A", 2, false, "C", "conversionFactor=\"cf\"").species("B", 1);
  d.parameter("cf", 3).parameter("kf", 2).parameter("kr", 0.5);
  d.reaction("f", "A -> B", "kf * A").reaction("b", "B -> A", "kr * B");
  const axisim::Model model = axisim::Model::from_string(d.str());
  const auto s = axisim::steady_state_sensitivities(model, {"kf", "cf", "kr"}, {}, {{"A"}, {"B"}, {"f"}});
  const double A0 = 2, B0 = 1, cf = 3, kf = 2, kr = 0.5, K = kr / kf, D = (K + cf) * (K + cf);
  const double B = (A0 + B0 * cf) / (K + cf);
  CHECK_THAT(s.state.values[1], WithinRel(B, 1e-9));
  CHECK_THAT(s.unscaled.at("B", "cf"), WithinRel((B0 * K - A0) / D, 1e-6));
  CHECK_THAT(s.unscaled.at("A", "cf"), WithinRel(K * (B0 * K - A0) / D, 1e-6));
  CHECK_THAT(s.unscaled.at("f", "cf"), WithinRel(kf * K * (B0 * K - A0) / D, 1e-6));
  // Scaled by f at the model's own point (f = kf A reads kf, the column before cf's).
  CHECK_THAT(s.scaled.at("f", "cf"), WithinRel(kf * K * (B0 * K - A0) / D * cf / (kf * K * B), 1e-6));
  // dB/dkf = (A0 + B0 cf) (kr / kf^2) / (K + cf)^2; dB/dkr = -(A0 + B0 cf) / kf / (K + cf)^2.
  CHECK_THAT(s.unscaled.at("B", "kf"), WithinRel((A0 + B0 * cf) * kr / (kf * kf) / D, 1e-8));
  CHECK_THAT(s.unscaled.at("B", "kr"), WithinRel(-(A0 + B0 * cf) / kf / D, 1e-8));
  CHECK(s.resolved == std::vector<std::string>{"cf"});
}

TEST_CASE("sensitivities: a stoichiometry that conservation hangs on is refused, named", "[sensitivities]") {
  // With n = 2, 2 A + B is conserved; with any other n nothing is, and the steady state jumps
  // to zero: no derivative exists.
  at::Doc d;
  d.species("A", 1).species("B", 0).parameter("n", 2).parameter("k", 1).parameter("kb", 0.5);
  d.raw_reaction("<reaction id=\"r\" reversible=\"false\"><listOfReactants><speciesReference species=\"A\" "
                 "stoichiometry=\"1\" constant=\"true\"/></listOfReactants><listOfProducts><speciesReference id=\"sr\" "
                 "species=\"B\" stoichiometry=\"2\" constant=\"true\"/></listOfProducts><kineticLaw>" + at::mathml("k * A") +
                 "</kineticLaw></reaction>");
  d.reaction("back", "B -> 0.5 A", "kb * B");
  d.initial_assignment("sr", "n");
  const axisim::Model model = axisim::Model::from_string(d.str());
  try {
    axisim::steady_state_sensitivities(model, {"n"});
    FAIL("no error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Unsupported);
    CHECK(std::string(e.what()).find("'n' changes the stoichiometry") != std::string::npos);
  }
  // The steady state itself is fine: with n = 2, 2 A + B is conserved (2 at the start) and
  // k A = kb B / 2, so A = 1 / (1 + k / kb).
  const auto s = axisim::steady_state(model, {}, {{"A"}, {"B"}});
  CHECK(s.conservation_laws == 1);
  CHECK_THAT(s.values[0], WithinRel(1.0 / 3, 1e-12));
  CHECK_THAT(2 * s.values[0] + s.values[1], WithinRel(2.0, 1e-12));
}
