// test_nonfinite.cpp — issue 11, items 3 and 5 (docs/reliability.md): a run that fails on a NaN
// or an infinity names the reaction, rule or event that made it, the time and the values it
// read (through the library on both back-ends, and through the `axisim` executable, which must
// exit 5, not die by a signal); rapid equilibria on a boundary (a fast reaction whose rate
// vanishes only where a species does, its coefficient set by an algebraic rule) are solved, and
// match the equilibrium worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "model_access.hpp"
#include "run/nonfinite_diagnosis.hpp"
#include "test_util.hpp"

#ifndef AXISIM_CLI_PATH
#error "AXISIM_CLI_PATH must be defined to the axisim executable"
#endif

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

std::string doc(const std::string& body) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" level="3" version="1">
  <model id="nonfinite">
    <listOfCompartments><compartment id="c" size="1" constant="true" spatialDimensions="3"/></listOfCompartments>
)" + body + R"(
  </model>
</sbml>
)";
}

std::string species(const std::string& id, double amount) {
  return "<species id=\"" + id + "\" compartment=\"c\" initialAmount=\"" + std::to_string(amount) +
         "\" hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>";
}

std::string math(const std::string& mathml) {
  return "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">" + mathml + "</math>";
}

// dS/dt = -k sqrt(S), S(0) = 1: S = (1 - k t / 2)^2 reaches 0 at t = 2 / k; past it any step
// that leaves S a hair below zero makes the rate NaN.
std::string sqrt_decay_doc() {
  return doc(R"(<listOfSpecies>)" + species("S", 1) + R"(</listOfSpecies>
    <listOfParameters><parameter id="k" value="1" constant="true"/></listOfParameters>
    <listOfReactions><reaction id="R1" reversible="false" fast="false">
      <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
      <kineticLaw>)" + math("<apply><times/><ci>k</ci><apply><power/><ci>S</ci><cn>0.5</cn></apply></apply>") +
             R"(</kineticLaw>
    </reaction></listOfReactions>)");
}

// Expects simulate() to throw a solver error; returns its message.
std::string failure_of(const axisim::Model& m, double end, int steps = 8) {
  axisim::SimulationOptions opt;
  opt.end = end;
  opt.steps = steps;
  try {
    m.simulate(opt);
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Solver);
    return e.what();
  }
  FAIL("the run did not fail");
  return "";
}

// The number after `prefix` in `text` (NaN when absent).
double number_after(const std::string& text, const std::string& prefix) {
  const std::size_t at = text.find(prefix);
  if (at == std::string::npos) return std::nan("");
  return std::strtod(text.c_str() + at + prefix.size(), nullptr);
}

double final_value(const axisim::Model& m, const std::string& id, double end) {
  axisim::SimulationOptions opt;
  opt.end = end;
  opt.steps = 4;
  const axisim::Result r = m.simulate(opt, {{id}});
  return r.at(r.rows() - 1, 1);
}

}  // namespace

TEST_CASE("a NaN rate names the reaction, the time and the values it read, on both back-ends", "[reliability][nonfinite]") {
  // Before the failure the run is right: S(1.5) = (1 - 0.75)^2.
  axisim::LoadOptions load;
  load.backend = axisim::Backend::Interpreter;
  const axisim::Model interpreted = axisim::Model::from_string(sqrt_decay_doc(), load);
  CHECK_THAT(final_value(interpreted, "S", 1.5), WithinRel(0.0625, 1e-6));

  const std::string message = failure_of(interpreted, 4.0);
  INFO(message);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(tu::contains(message, "repeated recoverable right-hand side"));  // CVODE's reason stays
  CHECK(tu::contains(message, "the last non-finite value: at t = "));
  CHECK(tu::contains(message, " the rate of reaction 'R1' is NaN; it reads k = 1, S = -"));
  // When: where S reaches zero, t = 2 / k (CVODE tries a little past it).
  const double t = number_after(message, "the last non-finite value: at t = ");
  CHECK(t >= 2.0 - 1e-3);
  CHECK(t <= 2.1);
  // What it read: S a hair below zero.
  const double s = number_after(message, "S = ");
  CHECK(s < 0.0);
  CHECK(s > -1e-3);

  // The native code computes the same numbers, so it fails at the same point with the same words.
  axisim::LoadOptions native;
  native.backend = axisim::Backend::Native;
  const axisim::Model compiled = axisim::Model::from_string(sqrt_decay_doc(), native);
  axisim::SimulationOptions before;
  before.end = 1.5;
  before.steps = 1;
  REQUIRE(compiled.simulate(before).stats.backend == "native");
  CHECK(failure_of(compiled, 4.0) == message);
}

TEST_CASE("a NaN from an assignment rule or a rate rule names the rule and what it read", "[reliability][nonfinite]") {
  // S falls at a constant rate 1 from 1 and crosses zero at t = 1, where p = sqrt(S) turns NaN;
  // P's rate reads p.
  const std::string assignment = doc(R"(<listOfSpecies>)" + species("S", 1) + species("P", 0) + R"(</listOfSpecies>
    <listOfParameters><parameter id="p" constant="false"/><parameter id="k" value="1" constant="true"/></listOfParameters>
    <listOfRules><assignmentRule variable="p">)" + math("<apply><root/><ci>S</ci></apply>") + R"(</assignmentRule></listOfRules>
    <listOfReactions>
      <reaction id="use" reversible="false" fast="false">
        <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
        <kineticLaw>)" + math("<ci>k</ci>") + R"(</kineticLaw>
      </reaction>
      <reaction id="make" reversible="false" fast="false">
        <listOfProducts><speciesReference species="P" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw>)" + math("<ci>p</ci>") + R"(</kineticLaw>
      </reaction>
    </listOfReactions>)");
  const axisim::Model a = axisim::Model::from_string(assignment);
  // P = integral of sqrt(1 - t) = (2/3)(1 - (1 - t)^1.5)
  CHECK_THAT(final_value(a, "P", 0.75), WithinRel(2.0 / 3.0 * (1.0 - std::pow(0.25, 1.5)), 1e-6));
  std::string message = failure_of(a, 2.0);
  INFO(message);
  // The first formula that is NaN although all it reads is finite: the rule, not the rate
  // reading it.
  CHECK(tu::contains(message, " the assignment rule for 'p' is NaN; it reads S = -"));
  CHECK_FALSE(tu::contains(message, "reaction 'make'"));
  CHECK_THAT(number_after(message, "the last non-finite value: at t = "), WithinAbs(1.0, 0.05));

  // The same with p determined by an algebraic rule, 0 = p - sqrt(S): the rule is NaN once S < 0.
  std::string algebraic = assignment;
  const std::string rule = R"(<assignmentRule variable="p">)" + math("<apply><root/><ci>S</ci></apply>") + "</assignmentRule>";
  REQUIRE(algebraic.find(rule) != std::string::npos);
  algebraic.replace(algebraic.find(rule), rule.size(),
                    "<algebraicRule>" + math("<apply><minus/><ci>p</ci><apply><root/><ci>S</ci></apply></apply>") + "</algebraicRule>");
  message = failure_of(axisim::Model::from_string(algebraic), 2.0);
  INFO(message);
  CHECK(tu::contains(message, " algebraic rule 1 of the model (0 = its math) is NaN; it reads p = "));
  CHECK(tu::contains(message, ", S = -"));
  CHECK_THAT(number_after(message, "the last non-finite value: at t = "), WithinAbs(1.0, 0.05));

  // x' = -1 from 1, y' = sqrt(x): the rate rule for y is NaN once x < 0 (t = 1).
  const std::string rate = doc(R"(
    <listOfParameters><parameter id="x" value="1" constant="false"/><parameter id="y" value="0" constant="false"/></listOfParameters>
    <listOfRules>
      <rateRule variable="x">)" + math("<cn>-1</cn>") + R"(</rateRule>
      <rateRule variable="y">)" + math("<apply><root/><ci>x</ci></apply>") + R"(</rateRule>
    </listOfRules>)");
  message = failure_of(axisim::Model::from_string(rate), 2.0);
  INFO(message);
  CHECK(tu::contains(message, " the rate rule for 'y' is NaN; it reads x = -"));
  CHECK_THAT(number_after(message, "the last non-finite value: at t = "), WithinAbs(1.0, 0.05));
}

TEST_CASE("a state an event made NaN names the event, its time and what it read", "[reliability][nonfinite]") {
  // At t = 0.5 the event sets S = ln(m) with m = -1: NaN, which the next right-hand side meets.
  const std::string text = doc(R"(<listOfSpecies>)" + species("S", 1) + R"(</listOfSpecies>
    <listOfParameters><parameter id="k" value="1" constant="true"/><parameter id="m" value="-1" constant="true"/></listOfParameters>
    <listOfReactions><reaction id="R1" reversible="false" fast="false">
      <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
      <kineticLaw>)" + math("<apply><times/><ci>k</ci><ci>S</ci></apply>") + R"(</kineticLaw>
    </reaction></listOfReactions>
    <listOfEvents><event id="E" useValuesFromTriggerTime="true">
      <trigger initialValue="false" persistent="true">)" +
                               math("<apply><gt/><csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/time\">t</csymbol><cn>0.5</cn></apply>") +
                               R"(</trigger>
      <listOfEventAssignments><eventAssignment variable="S">)" + math("<apply><ln/><ci>m</ci></apply>") +
                               R"(</eventAssignment></listOfEventAssignments>
    </event></listOfEvents>)");
  const std::string message = failure_of(axisim::Model::from_string(text), 1.0);
  INFO(message);
  CHECK(tu::contains(message, " 'S' is NaN (event 'E' assigned NaN to 'S' at t = 0.5"));
  CHECK(tu::contains(message, ", reading m = -1)"));
}

TEST_CASE("the diagnosis on its own: a Jacobian entry, a rate, and which evaluation the trace keeps", "[reliability][nonfinite]") {
  using axisim::detail::NonFiniteTrace;
  const axisim::Model m = axisim::Model::from_string(sqrt_decay_doc());
  const axisim::detail::CompiledSystem& sys = axisim::detail::ModelAccess::system(m);
  REQUIRE(sys.num_states() == 1);
  axisim::detail::Workspace ws = sys.make_workspace();
  sys.initialize(ws, {});
  // At S = 0 the rate -k sqrt(S) is 0 but its derivative -k / (2 sqrt(S)) is -inf.
  double y = 0.0;
  CHECK(axisim::detail::diagnose_nonfinite(sys, NonFiniteTrace::Source::Jacobian, 2.0, &y, ws, {}) ==
        "at t = 2 the Jacobian entry d(dS/dt)/dS is -inf; it reads S = 0");
  y = -0.25;
  CHECK(axisim::detail::diagnose_nonfinite(sys, NonFiniteTrace::Source::RightHandSide, 2.5, &y, ws, {}) ==
        "at t = 2.5 the rate of reaction 'R1' is NaN; it reads k = 1, S = -0.25");
  y = std::nan("");
  const std::uint32_t s = sys.state_slot(0);
  CHECK(axisim::detail::diagnose_nonfinite(sys, NonFiniteTrace::Source::RightHandSide, 3.0, &y, ws, {s, "event 'E' ..."}) ==
        "at t = 3 'S' is NaN (event 'E' ...)");
  // An event that made another symbol NaN is not this state's cause.
  CHECK(axisim::detail::diagnose_nonfinite(sys, NonFiniteTrace::Source::RightHandSide, 3.0, &y, ws, {s + 1, "event 'E' ..."}) ==
        "at t = 3 'S' is NaN");

  // An evaluation at a NaN state (a consequence) does not replace one at a finite state.
  NonFiniteTrace trace(1);
  CHECK(trace.source() == NonFiniteTrace::Source::None);
  double a = -1e-9, b = std::nan("");
  trace.record(NonFiniteTrace::Source::RightHandSide, 1.0, &a);
  trace.record(NonFiniteTrace::Source::Jacobian, 1.5, &b);
  CHECK(trace.source() == NonFiniteTrace::Source::RightHandSide);
  CHECK(trace.time() == 1.0);
  CHECK(trace.state()[0] == a);
  trace.clear();
  trace.record(NonFiniteTrace::Source::Jacobian, 1.5, &b);
  CHECK(trace.source() == NonFiniteTrace::Source::Jacobian);
  CHECK(std::isnan(trace.state()[0]));
}

TEST_CASE("axisim simulate exits 5 with the one-line diagnosis of a NaN, not by a signal", "[reliability][nonfinite]") {
  tu::TempDir dir;
  const std::string path = dir.file("sqrt.xml");
  tu::write_file(path, sqrt_decay_doc());
  const tu::ProcessResult r = tu::run({AXISIM_CLI_PATH, "simulate", path, "--end", "4", "--steps", "8", "--rtol", "1e-10"}, dir.path());
  INFO(r.err);
  REQUIRE(r.exited);
  CHECK(r.exit_code == 5);
  const std::vector<std::string> lines = tu::lines(r.err);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("error: solver failure at t = ", 0) == 0);
  CHECK(std::regex_search(lines[0], std::regex("; the last non-finite value: at t = 2\\.0[0-9]* the rate of reaction "
                                               "'R1' is NaN; it reads k = 1, S = -[0-9.e-]+$")));
}

// ---- item 5: rapid equilibrium on a boundary ----

namespace {

// A <-> B fast, rate cB * B, with cB = -k2 set by an algebraic rule: the rate pushes B into A
// until B = 0, so the equilibrium is A = A0 + B0, B = 0, on the boundary. A slow inflow of B
// (rate kin) is drained into A as fast as it comes: A(t) = A0 + B0 + kin t, B = 0.
std::string boundary_doc() {
  return doc(R"(<listOfSpecies>)" + species("A", 1) + species("B", 2) + R"(</listOfSpecies>
    <listOfParameters>
      <parameter id="k2" value="3" constant="true"/><parameter id="kin" value="0.5" constant="true"/>
      <parameter id="cB" value="0" constant="false"/>
    </listOfParameters>
    <listOfRules><algebraicRule>)" + math("<apply><plus/><ci>cB</ci><ci>k2</ci></apply>") + R"(</algebraicRule></listOfRules>
    <listOfReactions>
      <reaction id="F" reversible="true" fast="true">
        <listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="B" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw>)" + math("<apply><times/><ci>cB</ci><ci>B</ci></apply>") + R"(</kineticLaw>
      </reaction>
      <reaction id="inflow" reversible="false" fast="false">
        <listOfProducts><speciesReference species="B" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw>)" + math("<ci>kin</ci>") + R"(</kineticLaw>
      </reaction>
    </listOfReactions>)");
}

// A chain A <-> B <-> C, both fast, rates q * A and r * C with q = kq and r = -kr set by
// algebraic rules: the first empties A into B, the second C into B, so B holds everything;
// a slow degradation of B (kd B) then gives B(t) = (A0 + B0 + C0) exp(-kd t), A = C = 0.
std::string chain_doc() {
  return doc(R"(<listOfSpecies>)" + species("A", 1) + species("B", 0.5) + species("C", 2) + R"(</listOfSpecies>
    <listOfParameters>
      <parameter id="kq" value="2" constant="true"/><parameter id="kr" value="5" constant="true"/>
      <parameter id="kd" value="0.3" constant="true"/>
      <parameter id="q" constant="false"/><parameter id="r" constant="false"/>
    </listOfParameters>
    <listOfRules>
      <algebraicRule>)" + math("<apply><minus/><ci>q</ci><ci>kq</ci></apply>") + R"(</algebraicRule>
      <algebraicRule>)" + math("<apply><plus/><ci>r</ci><ci>kr</ci></apply>") + R"(</algebraicRule>
    </listOfRules>
    <listOfReactions>
      <reaction id="F1" reversible="true" fast="true">
        <listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="B" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw>)" + math("<apply><times/><ci>q</ci><ci>A</ci></apply>") + R"(</kineticLaw>
      </reaction>
      <reaction id="F2" reversible="true" fast="true">
        <listOfReactants><speciesReference species="B" stoichiometry="1" constant="true"/></listOfReactants>
        <listOfProducts><speciesReference species="C" stoichiometry="1" constant="true"/></listOfProducts>
        <kineticLaw>)" + math("<apply><times/><ci>r</ci><ci>C</ci></apply>") + R"(</kineticLaw>
      </reaction>
      <reaction id="decay" reversible="false" fast="false">
        <listOfReactants><speciesReference species="B" stoichiometry="1" constant="true"/></listOfReactants>
        <kineticLaw>)" + math("<apply><times/><ci>kd</ci><ci>B</ci></apply>") + R"(</kineticLaw>
      </reaction>
    </listOfReactions>)");
}

}  // namespace

TEST_CASE("a rapid equilibrium on the boundary (a fast rate set by an algebraic rule empties a species) is solved", "[reliability][fast-boundary]") {
  for (const axisim::Backend backend : {axisim::Backend::Interpreter, axisim::Backend::Native}) {
    axisim::LoadOptions load;
    load.backend = backend;
    const axisim::Model m = axisim::Model::from_string(boundary_doc(), load);
    axisim::SimulationOptions opt;
    opt.end = 2.0;
    opt.steps = 4;
    const axisim::Result r = m.simulate(opt, {{"A"}, {"B"}, {"cB"}});
    REQUIRE(r.rows() == 5);
    CHECK(r.stats.backend == (backend == axisim::Backend::Native ? "native" : "interpreter"));
    for (std::size_t i = 0; i < r.rows(); ++i) {
      const double t = r.at(i, 0);
      INFO("t = " << t);
      CHECK_THAT(r.at(i, 1), WithinRel(3.0 + 0.5 * t, 1e-7));
      CHECK_THAT(r.at(i, 2), WithinAbs(0.0, 1e-9));
      CHECK_THAT(r.at(i, 3), WithinRel(-3.0, 1e-12));
    }
  }

  const axisim::Model chain = axisim::Model::from_string(chain_doc());
  axisim::SimulationOptions opt;
  opt.end = 3.0;
  opt.steps = 3;
  const axisim::Result r = chain.simulate(opt, {{"A"}, {"B"}, {"C"}, {"q"}, {"r"}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    const double t = r.at(i, 0);
    INFO("t = " << t);
    CHECK_THAT(r.at(i, 1), WithinAbs(0.0, 1e-9));
    CHECK_THAT(r.at(i, 2), WithinRel(3.5 * std::exp(-0.3 * t), 1e-6));
    CHECK_THAT(r.at(i, 3), WithinAbs(0.0, 1e-9));
    CHECK_THAT(r.at(i, 4), WithinRel(2.0, 1e-12));
    CHECK_THAT(r.at(i, 5), WithinRel(-5.0, 1e-12));
  }
}

TEST_CASE("axisim simulate runs the boundary equilibrium from t = 0", "[reliability][fast-boundary]") {
  tu::TempDir dir;
  const std::string path = dir.file("boundary.xml");
  tu::write_file(path, boundary_doc());
  const tu::ProcessResult r = tu::run({AXISIM_CLI_PATH, "simulate", path, "--end", "2", "--steps", "2", "--select", "A,B"}, dir.path());
  INFO(r.err);
  REQUIRE(r.exited);
  REQUIRE(r.exit_code == 0);
  const std::vector<std::string> rows = tu::lines(r.out);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] == "time,A,B");
  CHECK_THAT(tu::parse_number(tu::split(rows[1], ',')[1]), WithinRel(3.0, 1e-12));
  CHECK_THAT(tu::parse_number(tu::split(rows[3], ',')[1]), WithinRel(4.0, 1e-7));
  CHECK_THAT(tu::parse_number(tu::split(rows[3], ',')[2]), WithinAbs(0.0, 1e-9));
}
