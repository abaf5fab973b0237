// Metabolic control analysis: control coefficients against analytic values and against their
// definition (d ln J_i / d ln e_j, e_j a factor on reaction j's rate, by central differences of
// re-solved steady states), elasticities against analytic derivatives, and the summation and
// connectivity theorems to 1e-8.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "axisim/control_analysis.hpp"
#include "axisim/steady_state.hpp"
#include "sbml_text.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

struct Pathway {
  at::Doc doc;
  std::vector<std::string> reactions, species;
};

// Every rate multiplied by its own factor e_<reaction> (1), so that control coefficients can
// be measured by their definition.
Pathway pathway(const std::vector<std::pair<std::string, std::pair<std::string, std::string>>>& reactions,
                const std::vector<std::pair<std::string, double>>& species,
                const std::vector<std::pair<std::string, double>>& parameters,
                const std::vector<std::string>& boundary = {}) {
  Pathway p;
  for (const auto& [id, c] : species) {
    p.doc.species(id, c);
    p.species.push_back(id);
  }
  for (const std::string& b : boundary) p.doc.species(b, 1, true);
  for (const auto& [id, v] : parameters) p.doc.parameter(id, v);
  for (const auto& [id, eq_law] : reactions) {
    p.doc.parameter("e_" + id, 1);
    p.doc.reaction(id, eq_law.first, "e_" + id + " * (" + eq_law.second + ")");
    p.reactions.push_back(id);
  }
  return p;
}

// Scaled flux and concentration control coefficients by definition: central differences in
// ln e_j of the re-solved steady state (h = 1e-4: error ~ h^2).
void check_against_definition(const Pathway& p, const axisim::ControlAnalysis& ca, double tol) {
  const axisim::Model base = axisim::Model::from_string(p.doc.str());
  std::vector<axisim::OutputSpec> outs;
  for (const auto& r : p.reactions) outs.push_back({r});
  for (const auto& s : p.species) outs.push_back({s});
  const auto ref = axisim::steady_state(base, {}, outs);
  const double h = 1e-4;
  for (std::size_t j = 0; j < p.reactions.size(); ++j) {
    axisim::Model up = base, down = base;
    up.set_value("e_" + p.reactions[j], std::exp(h));
    down.set_value("e_" + p.reactions[j], std::exp(-h));
    const auto su = axisim::steady_state(up, {}, outs), sd = axisim::steady_state(down, {}, outs);
    for (std::size_t i = 0; i < outs.size(); ++i) {
      if (ref.values[i] == 0.0) continue;
      const double cc = (std::log(std::fabs(su.values[i])) - std::log(std::fabs(sd.values[i]))) / (2 * h);
      const bool flux = i < p.reactions.size();
      const double got = flux ? ca.scaled_flux_control.at(outs[i].id, p.reactions[j])
                              : ca.scaled_concentration_control.at(outs[i].id, p.reactions[j]);
      INFO((flux ? "C^J " : "C^S ") << outs[i].id << " / " << p.reactions[j]);
      CHECK_THAT(got, WithinAbs(cc, tol));
    }
  }
}

void check_theorems(const axisim::ControlAnalysis& ca) {
  CHECK(ca.theorems.flux_summation < 1e-8);
  CHECK(ca.theorems.concentration_summation < 1e-8);
  CHECK(ca.theorems.flux_connectivity < 1e-8);
  CHECK(ca.theorems.concentration_connectivity < 1e-8);
  CHECK(ca.notes.empty());
}

}  // namespace

TEST_CASE("mca: two-step chain, analytic elasticities and control coefficients", "[mca]") {
  // X0 -> S -> (v1 = k1 X0 - km1 S, v2 = k2 S): S = k1 X0 / (km1 + k2), J = k2 S;
  // C^J_1 = k2 / (km1 + k2), C^J_2 = km1 / (km1 + k2), C^S_1 = -C^S_2 = k2 / (km1 + k2).
  const double k1 = 2, km1 = 0.75, k2 = 1.5;
  at::Doc d;
  d.species("X0", 1, true).species("S", 0.1).parameter("k1", k1).parameter("km1", km1).parameter("k2", k2);
  d.reaction("v1", "X0 -> S", "k1 * X0 - km1 * S").reaction("v2", "S ->", "k2 * S");
  const auto ca = axisim::control_analysis(axisim::Model::from_string(d.str()));
  const double S = k1 / (km1 + k2), J = k2 * S;
  REQUIRE(ca.species == std::vector<std::string>{"S"});
  CHECK_THAT(ca.concentrations[0], WithinRel(S, 1e-12));
  CHECK_THAT(ca.fluxes[0], WithinRel(J, 1e-12));
  CHECK_THAT(ca.elasticities.at("v1", "S"), WithinRel(-km1, 1e-9));
  CHECK_THAT(ca.elasticities.at("v2", "S"), WithinRel(k2, 1e-9));
  CHECK_THAT(ca.scaled_elasticities.at("v1", "S"), WithinRel(-km1 * S / J, 1e-9));
  CHECK_THAT(ca.scaled_elasticities.at("v2", "S"), WithinRel(1.0, 1e-9));
  for (const char* flux : {"v1", "v2"}) {
    CHECK_THAT(ca.scaled_flux_control.at(flux, "v1"), WithinRel(k2 / (km1 + k2), 1e-9));
    CHECK_THAT(ca.scaled_flux_control.at(flux, "v2"), WithinRel(km1 / (km1 + k2), 1e-9));
  }
  CHECK_THAT(ca.scaled_concentration_control.at("S", "v1"), WithinRel(k2 / (km1 + k2), 1e-9));
  CHECK_THAT(ca.scaled_concentration_control.at("S", "v2"), WithinRel(-k2 / (km1 + k2), 1e-9));
  CHECK_THAT(ca.concentration_control.at("S", "v1"), WithinRel(1 / (km1 + k2), 1e-9));
  check_theorems(ca);
}

TEST_CASE("mca: Michaelis-Menten chain against the definition of control coefficients", "[mca]") {
  const Pathway p = pathway({{"v1", {"X0 -> S1", "k1 * X0 - km1 * S1"}},
                             {"v2", {"S1 -> S2", "Vm2 * S1 / (Km2 + S1)"}},
                             {"v3", {"S2 ->", "Vm3 * S2 / (Km3 + S2)"}}},
                            {{"S1", 0.1}, {"S2", 0.1}},
                            {{"k1", 3}, {"km1", 0.8}, {"Vm2", 4}, {"Km2", 1.5}, {"Vm3", 6}, {"Km3", 0.5}}, {"X0"});
  const auto ca = axisim::control_analysis(axisim::Model::from_string(p.doc.str()));
  check_theorems(ca);
  check_against_definition(p, ca, 1e-6);
  // Elasticity of a Michaelis-Menten rate: d ln v / d ln S = Km / (Km + S).
  const double S1 = ca.concentrations[0];
  CHECK_THAT(ca.scaled_elasticities.at("v2", "S1"), WithinRel(1.5 / (1.5 + S1), 1e-9));
}

TEST_CASE("mca: branched pathway against the definition of control coefficients", "[mca]") {
  const Pathway p = pathway({{"v1", {"X0 -> S", "k1 * X0 - km1 * S"}},
                             {"v2", {"S -> P1", "k2 * S"}},
                             {"v3", {"S -> P2", "Vm * S / (Km + S)"}},
                             {"v4", {"P1 ->", "k4 * P1"}},
                             {"v5", {"P2 ->", "k5 * P2^2"}}},
                            {{"S", 0.2}, {"P1", 0.1}, {"P2", 0.1}},
                            {{"k1", 2}, {"km1", 0.3}, {"k2", 0.7}, {"Vm", 1.2}, {"Km", 0.4}, {"k4", 0.9}, {"k5", 0.6}},
                            {"X0"});
  const auto ca = axisim::control_analysis(axisim::Model::from_string(p.doc.str()));
  check_theorems(ca);
  check_against_definition(p, ca, 1e-6);
  // In steady state the branch fluxes add up: J1 = J2 + J3.
  CHECK_THAT(ca.fluxes[0], WithinRel(ca.fluxes[1] + ca.fluxes[2], 1e-12));
}

TEST_CASE("mca: a conserved moiety enters through the link matrix", "[mca]") {
  // X0 -> S; S + A -> P + B; B -> A; P -> : A + B is conserved.
  const Pathway p = pathway({{"v1", {"X0 -> S", "k1 * X0 - km1 * S"}},
                             {"v2", {"S + A -> P + B", "k2 * S * A"}},
                             {"v3", {"B -> A", "Vm3 * B / (Km3 + B)"}},
                             {"v4", {"P ->", "k4 * P"}}},
                            {{"S", 0.5}, {"A", 2}, {"P", 0}, {"B", 1}},
                            {{"k1", 1.5}, {"km1", 0.2}, {"k2", 0.8}, {"Vm3", 2.5}, {"Km3", 0.6}, {"k4", 0.4}}, {"X0"});
  const auto ca = axisim::control_analysis(axisim::Model::from_string(p.doc.str()));
  CHECK(ca.state.conservation_laws == 1);
  check_theorems(ca);
  check_against_definition(p, ca, 1e-6);
}

TEST_CASE("mca: a rate-rule state in a feedback loop: general connectivity theorems to 1e-8, control by definition",
          "[mca]") {
  // X0 -> S -> P ->; x' = a S - x (a rate rule, not a reaction), and x inhibits the first step.
  Pathway p = pathway({{"v1", {"X0 -> S", "k1 * X0 / (1 + x)"}},
                       {"v2", {"S -> P", "Vm * S / (Km + S)"}},
                       {"v3", {"P ->", "k3 * P"}}},
                      {{"S", 0.5}, {"P", 0.2}}, {{"k1", 3}, {"Vm", 2}, {"Km", 0.7}, {"k3", 0.9}, {"a", 1.6}}, {"X0"});
  p.doc.parameter("x", 0.5, false).rate_rule("x", "a * S - x");
  const auto ca = axisim::control_analysis(axisim::Model::from_string(p.doc.str()));
  CHECK(ca.other_processes == std::vector<std::string>{"x"});
  CHECK(ca.theorems.flux_summation < 1e-8);
  CHECK(ca.theorems.concentration_summation < 1e-8);
  CHECK(ca.theorems.flux_connectivity < 1e-8);
  CHECK(ca.theorems.concentration_connectivity < 1e-8);
  REQUIRE(ca.notes.size() == 1);
  CHECK(ca.notes[0].find("'x'") != std::string::npos);
  CHECK(ca.notes[0].find("general form") != std::string::npos);
  // The feedback matters: the textbook sum over reactions alone is far from zero here.
  double textbook = 0.0;
  for (const char* i : {"v1", "v2", "v3"}) {
    double sum = 0.0;
    for (const char* j : {"v1", "v2", "v3"}) sum += ca.scaled_flux_control.at(i, j) * ca.scaled_elasticities.at(j, "S");
    textbook = std::max(textbook, std::fabs(sum));
  }
  CHECK(textbook > 0.1);
  check_against_definition(p, ca, 1e-6);
}
