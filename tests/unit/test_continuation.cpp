// test_continuation.cpp — a run continued from where another ended (axisim/run_state.hpp) equals
// one uninterrupted run, and agrees with the exact solution: an event pending on its delay across
// the split, a trigger true at the split (it must not fire again), a change made at the split,
// and a model with delay(). (A model with plugins attached: tests/plugins.)
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "axisim/model.hpp"
#include "axisim/run_state.hpp"

namespace {

// x' = -k x, x(0) = 1; at t >= 1 an event with delay 2 sets x to 10 + x(1) (the value at trigger
// time) at t = 3; every time x falls below 0.5 (at t = ln 2 / k) the count n goes up by one.
// Until t = 3 + ln(20.7) / k the count is 1.
const char* const kEvents = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="events">
    <listOfParameters>
      <parameter id="x" value="1" constant="false"/>
      <parameter id="k" value="0.5" constant="true"/>
      <parameter id="n" value="0" constant="false"/>
    </listOfParameters>
    <listOfRules>
      <rateRule variable="x"><math xmlns="http://www.w3.org/1998/Math/MathML">
        <apply><times/><apply><minus/><ci>k</ci></apply><ci>x</ci></apply></math></rateRule>
    </listOfRules>
    <listOfEvents>
      <event id="bump" useValuesFromTriggerTime="true">
        <trigger initialValue="false" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML">
          <apply><geq/><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time">t</csymbol><cn>1</cn></apply>
        </math></trigger>
        <delay><math xmlns="http://www.w3.org/1998/Math/MathML"><cn>2</cn></math></delay>
        <listOfEventAssignments>
          <eventAssignment variable="x"><math xmlns="http://www.w3.org/1998/Math/MathML">
            <apply><plus/><ci>x</ci><cn>10</cn></apply></math></eventAssignment>
        </listOfEventAssignments>
      </event>
      <event id="count" useValuesFromTriggerTime="true">
        <trigger initialValue="false" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML">
          <apply><lt/><ci>x</ci><cn>0.5</cn></apply></math></trigger>
        <listOfEventAssignments>
          <eventAssignment variable="n"><math xmlns="http://www.w3.org/1998/Math/MathML">
            <apply><plus/><ci>n</ci><cn>1</cn></apply></math></eventAssignment>
        </listOfEventAssignments>
      </event>
    </listOfEvents>
  </model>
</sbml>)";

// x' = -delay(x, 1), x = 1 before time 0: x = 1 - t on [0, 1], x = -(2(t - 1) - (t^2 - 1) / 2) on
// [1, 2] (x(2) = -1/2), x = -1/2 + s^2 / 2 - s^3 / 6 with s = t - 2 on [2, 3] (x(3) = -1/6).
const char* const kDelay = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="delayed">
    <listOfParameters>
      <parameter id="x" value="1" constant="false"/>
    </listOfParameters>
    <listOfRules>
      <rateRule variable="x"><math xmlns="http://www.w3.org/1998/Math/MathML">
        <apply><minus/><apply><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/delay">delay</csymbol>
          <ci>x</ci><cn>1</cn></apply></apply></math></rateRule>
    </listOfRules>
  </model>
</sbml>)";

axisim::SimulationOptions grid(double start, double end, int steps) {
  axisim::SimulationOptions o;
  o.start = start;
  o.end = end;
  o.steps = steps;
  return o;
}

// The rows of `whole` at the times of `part` (both on a grid of the same spacing).
void check_equal_rows(const axisim::Result& whole, const axisim::Result& part, double tol) {
  for (std::size_t i = 0; i < part.rows(); ++i) {
    std::size_t j = 0;
    while (j < whole.rows() && std::fabs(whole.at(j, 0) - part.at(i, 0)) > 1e-12) ++j;
    REQUIRE(j < whole.rows());
    for (std::size_t c = 1; c < part.cols(); ++c) {
      INFO("t = " << part.at(i, 0) << ", column " << c);
      CHECK(part.at(i, c) == Approx(whole.at(j, c)).margin(tol).epsilon(tol));
    }
  }
}

}  // namespace

TEST_CASE("continued run: a delayed event pending at the split fires, a trigger true there does not fire again",
          "[continuation]") {
  const axisim::Model m = axisim::Model::from_string(kEvents);
  const std::vector<axisim::OutputSpec> out{{"x"}, {"n"}};
  const axisim::Result whole = m.simulate(grid(0, 5, 10), out);
  axisim::RunState at2;
  const axisim::Result first = m.simulate(grid(0, 2, 4), out, &at2);
  REQUIRE(!at2.empty());
  CHECK(at2.time() == 2.0);
  CHECK(at2.value("n") == 1.0);  // x fell below 0.5 at ln 2 / 0.5
  const axisim::Result second = m.simulate_from(at2, grid(2, 5, 6), out);
  check_equal_rows(whole, first, 1e-9);
  check_equal_rows(whole, second, 1e-7);
  // The exact solution: x = e^{-t/2} until 3, then (10 + e^{-1/2}) e^{-(t-3)/2}; n stays 1 (the
  // trigger x < 0.5 is true at the split and must not fire again).
  const double at5 = (10 + std::exp(-0.5)) * std::exp(-1.0);
  CHECK(second.at(6, 1) == Approx(at5).epsilon(1e-6));
  CHECK(second.at(6, 2) == 1.0);
  CHECK(second.at(1, 1) == Approx(std::exp(-1.25)).epsilon(1e-6));  // t = 2.5, before the event

  // Three pieces, the middle one a zero-length run at the split: the same numbers.
  axisim::RunState again;
  m.simulate_from(at2, grid(2, 2, 0), out, &again);
  CHECK(again.time() == 2.0);
  const axisim::Result third = m.simulate_from(again, grid(2, 5, 6), out);
  check_equal_rows(whole, third, 1e-7);
}

TEST_CASE("continued run: a value changed at the split applies, the pending event keeps its trigger-time value",
          "[continuation]") {
  const axisim::Model m = axisim::Model::from_string(kEvents);
  const std::vector<axisim::OutputSpec> out{{"x"}, {"n"}};
  axisim::RunState at2;
  m.simulate(grid(0, 2, 2), out, &at2);
  axisim::RunState changed = at2;
  changed.set_value("k", 1.0);
  CHECK(changed.value("k") == 1.0);
  CHECK(at2.value("k") == 0.5);  // the copy made before keeps its value
  const axisim::Result r = m.simulate_from(changed, grid(2, 5, 6), out);
  // x = e^{-1} e^{-(t-2)} on [2, 3); at 3 the event sets 10 + x(1) = 10 + e^{-1/2} (computed at
  // trigger time, before the change); then it decays with k = 1.
  CHECK(r.at(1, 1) == Approx(std::exp(-1.0) * std::exp(-0.5)).epsilon(1e-6));
  CHECK(r.at(4, 1) == Approx((10 + std::exp(-0.5)) * std::exp(-1.0)).epsilon(1e-6));  // t = 4
  CHECK(r.at(6, 2) == 1.0);
  // A trigger fires on a false-to-true transition only: x set to 0.1 while "x < 0.5" was already
  // true fires nothing.
  axisim::RunState low = at2;
  low.set_value("x", 0.1);
  const axisim::Result r2 = m.simulate_from(low, grid(2, 3, 1), out);
  CHECK(r2.at(0, 2) == 1.0);
  CHECK_THROWS_AS(low.set_value("nope", 1.0), axisim::Error);
}

TEST_CASE("continued run: delay() reads the past from before the split", "[continuation]") {
  const axisim::Model m = axisim::Model::from_string(kDelay);
  const std::vector<axisim::OutputSpec> out{{"x"}};
  const axisim::Result whole = m.simulate(grid(0, 3, 6), out);
  axisim::RunState at;
  m.simulate(grid(0, 1.5, 3), out, &at);
  const axisim::Result second = m.simulate_from(at, grid(1.5, 3, 3), out);
  check_equal_rows(whole, second, 1e-7);
  CHECK(second.at(1, 1) == Approx(-0.5).margin(1e-6));  // t = 2
  CHECK(second.at(3, 1) == Approx(-1.0 / 6).margin(1e-6));  // t = 3
}

TEST_CASE("continued run: misuse is refused by name", "[continuation]") {
  const axisim::Model m = axisim::Model::from_string(kEvents);
  const axisim::Model other = axisim::Model::from_string(kDelay);
  axisim::RunState at;
  CHECK_THROWS_AS(m.simulate_from(at, grid(0, 1, 1)), axisim::Error);  // empty
  m.simulate(grid(0, 2, 2), {}, &at);
  CHECK_THROWS_WITH(other.simulate_from(at, grid(2, 3, 1)), Catch::Contains("another model"));
  CHECK_THROWS_WITH(m.simulate_from(at, grid(1, 3, 1)), Catch::Contains("before the time"));
  const axisim::Model copy = m;  // copies share the compiled model: they may continue it
  CHECK(copy.simulate_from(at, grid(2, 3, 1)).rows() == 2);
}

TEST_CASE("a run started at another time: the model's clock begins there (RunState::start)", "[continuation]") {
  const std::vector<axisim::OutputSpec> out{{"x"}, {"n"}};
  axisim::Model m = axisim::Model::from_string(kEvents);
  // At time 0 it is the run simulate() does.
  const axisim::Result from0 = m.simulate_from(axisim::RunState::start(m, 0.0), grid(0, 5, 10), out);
  check_equal_rows(m.simulate(grid(0, 5, 10), out), from0, 1e-9);
  // From t0 = 1 with x(1) = 1: the trigger t >= 1 is true at the start and its initialValue is
  // false, so "bump" fires at 1 and sets x to 10 + x(1) = 11 at t = 3; x = e^{-(t-1)/2} before,
  // 11 e^{-(t-3)/2} after; x falls below 0.5 at 1 + 2 ln 2 (n = 1) and stays above after 3.
  // (A run from 0 shifted by 1 would apply the bump at 4.)
  const axisim::RunState s1 = axisim::RunState::start(m, 1.0);
  CHECK(s1.time() == 1.0);
  CHECK(s1.value("x") == 1.0);
  const axisim::Result r = m.simulate_from(s1, grid(1, 6, 10), out);
  CHECK(r.at(0, 0) == 1.0);
  CHECK(r.at(0, 1) == Approx(1.0).epsilon(1e-9));
  CHECK(r.at(3, 1) == Approx(std::exp(-0.75)).epsilon(1e-6));        // t = 2.5
  CHECK(r.at(6, 1) == Approx(11.0 * std::exp(-0.5)).epsilon(1e-6));  // t = 4
  CHECK(r.at(10, 1) == Approx(11.0 * std::exp(-1.5)).epsilon(1e-6)); // t = 6
  CHECK(r.at(10, 2) == 1.0);
  // A set value is the start's.
  m.set_value("x", 2.0);
  CHECK(axisim::RunState::start(m, 1.0).value("x") == 2.0);
  CHECK_THROWS_AS(axisim::RunState::start(m, std::nan("")), axisim::Error);

  // delay() before the start reads the initial state: x' = -delay(x, 1) from t0 = 5 gives
  // x = 1 - (t - 5) on [5, 6] and x(7) = -1/2 (the solution from 0, two units later).
  const axisim::Model d = axisim::Model::from_string(kDelay);
  const axisim::Result rd = d.simulate_from(axisim::RunState::start(d, 5.0), grid(5, 7, 4), {{"x"}});
  CHECK(rd.at(1, 1) == Approx(0.5).margin(1e-6));    // t = 5.5
  CHECK(rd.at(2, 1) == Approx(0.0).margin(1e-6));    // t = 6
  CHECK(rd.at(4, 1) == Approx(-0.5).margin(1e-6));   // t = 7
}
