// Forward sensitivities of time courses (axisim/sensitivities.hpp) against analytic derivatives
// and against central differences of re-simulated time courses; refusals named.
#include <catch2/catch.hpp>

#include <cmath>
#include <utility>

#include "axisim/error.hpp"
#include "axisim/sensitivities.hpp"
#include "sbml_text.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

axisim::SimulationOptions tight(double end, int steps) {
  axisim::SimulationOptions o;
  o.end = end;
  o.steps = steps;
  o.rtol = 1e-10;
  o.atol = 1e-14;
  return o;
}

template <class F>
std::pair<axisim::ErrorKind, std::string> error_of(F&& f) {
  try {
    f();
  } catch (const axisim::Error& e) {
    return {e.kind(), e.what()};
  }
  FAIL("no error thrown");
  return {};
}

}  // namespace

TEST_CASE("time sensitivities: exponential decay, analytic", "[time-sensitivities]") {
  // S' = -k S: dS/dk = -t S0 e^{-kt}, dS/dS0 = e^{-kt}.
  const double S0 = 2.0, k = 0.3;
  at::Doc d;
  d.species("S", S0).parameter("k", k).reaction("decay", "S ->", "k * S");
  const auto model = axisim::Model::from_string(d.str());
  const auto s = axisim::time_course_sensitivities(model, {"k", "S"}, tight(10, 20));
  REQUIRE(s.times.size() == 21);
  REQUIRE(s.outputs == std::vector<std::string>{"S"});
  CHECK(s.parameter_values == std::vector<double>{k, S0});
  for (std::size_t t = 0; t < s.times.size(); ++t) {
    const double tt = s.times[t], e = std::exp(-k * tt);
    CHECK_THAT(s.value(t, 0), WithinAbs(S0 * e, 1e-8));
    CHECK_THAT(s.sensitivity(t, 0, 0), WithinAbs(-tt * S0 * e, 1e-7));
    CHECK_THAT(s.sensitivity(t, 0, 1), WithinAbs(e, 1e-8));
    // (p / y) dy/dp: -k t for k, 1 for the initial value.
    CHECK_THAT(s.scaled(t, 0, 0), WithinAbs(-k * tt, 1e-6));
    CHECK_THAT(s.scaled(t, 0, 1), WithinAbs(1.0, 1e-7));
  }
}

TEST_CASE("time sensitivities: linear chain A to B to X, analytic", "[time-sensitivities]") {
  const double A0 = 1.5, k1 = 0.7, k2 = 0.25;
  at::Doc d;
  d.species("A", A0).species("B", 0).species("X", 0).parameter("k1", k1).parameter("k2", k2);
  d.reaction("r1", "A -> B", "k1 * A").reaction("r2", "B -> X", "k2 * B");
  const auto s = axisim::time_course_sensitivities(axisim::Model::from_string(d.str()), {"k1", "k2", "A"},
                                                   tight(12, 24), {{"A"}, {"B"}, {"X"}});
  const double g = k2 - k1;
  for (std::size_t t = 0; t < s.times.size(); ++t) {
    const double tt = s.times[t], e1 = std::exp(-k1 * tt), e2 = std::exp(-k2 * tt), D = e1 - e2;
    const double A = A0 * e1, B = A0 * k1 / g * D;
    const double dA_dk1 = -tt * A0 * e1, dA_dk2 = 0.0;
    const double dB_dk1 = A0 * (k2 / (g * g) * D - k1 / g * tt * e1);
    const double dB_dk2 = A0 * (-k1 / (g * g) * D + k1 / g * tt * e2);
    const double expected[3][3] = {{dA_dk1, dA_dk2, A / A0},
                                   {dB_dk1, dB_dk2, B / A0},
                                   {-dA_dk1 - dB_dk1, -dA_dk2 - dB_dk2, (A0 - A - B) / A0}};
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j) {
        INFO("t = " << tt << ", output " << s.outputs[i] << ", parameter " << s.parameters[j]);
        CHECK_THAT(s.sensitivity(t, i, j), WithinAbs(expected[i][j], 1e-7));
      }
  }
}

TEST_CASE("time sensitivities: rules, an initial assignment and a switch in time, against central differences",
          "[time-sensitivities]") {
  // k2 = 0.4 k1 (initial assignment), P0 = 0.1 K (initial assignment to a species), an input that
  // drops at t = 3 (piecewise in time), outputs through assignment rules and a reaction rate.
  at::Doc d;
  d.compartment("C", 1.3);
  d.species("S", 1.0).species("P", 0.0);
  d.parameter("k1", 0.5).parameter("k2", 0).parameter("kin", 1.0).parameter("K", 2.0);
  d.parameter("input", 0, false).parameter("ratio", 0, false);
  d.initial_assignment("k2", "0.4 * k1").initial_assignment("P", "0.1 * K");
  d.assignment_rule("input", "piecewise(kin, time < 3, 0.3 * kin)");
  d.assignment_rule("ratio", "S / (P + K)");
  d.reaction("in", "-> S", "C * input").reaction("conv", "S -> P", "C * k1 * S / (K + S)");
  d.reaction("out", "P ->", "C * k2 * P");
  const auto model = axisim::Model::from_string(d.str());
  const std::vector<std::string> wrt = {"k1", "K", "kin", "S", "C"};
  const std::vector<axisim::OutputSpec> outputs = {{"S"}, {"P"}, {"ratio"}, {"conv"}, {"k2"}};
  const auto opt = tight(8, 16);
  const auto s = axisim::time_course_sensitivities(model, wrt, opt, outputs);
  auto fine = opt;
  fine.rtol = 1e-12;
  fine.atol = 1e-15;
  for (std::size_t j = 0; j < wrt.size(); ++j) {
    const double p0 = model.initial_value(wrt[j]);
    CHECK(s.parameter_values[j] == p0);
    const double h = 1e-4 * std::fabs(p0);
    axisim::Model up = model, down = model;
    up.set_value(wrt[j], p0 + h);
    down.set_value(wrt[j], p0 - h);
    const axisim::Result ru = up.simulate(fine, outputs), rd = down.simulate(fine, outputs);
    for (std::size_t t = 0; t < s.times.size(); ++t)
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        const double fd = (ru.at(t, i + 1) - rd.at(t, i + 1)) / (2 * h);
        INFO("t = " << s.times[t] << ", output " << s.outputs[i] << ", parameter " << wrt[j]);
        CHECK_THAT(s.sensitivity(t, i, j), WithinAbs(fd, 1e-6 * (1 + std::fabs(fd))));
      }
  }
  // A few values that are known exactly: dk2/dk1 = 0.4, dP(0)/dK = 0.1, dS(0)/dS = 1.
  CHECK_THAT(s.sensitivity(0, 4, 0), WithinAbs(0.4, 1e-9));
  CHECK_THAT(s.sensitivity(0, 1, 1), WithinAbs(0.1, 1e-9));
  CHECK_THAT(s.sensitivity(0, 0, 3), WithinAbs(1.0, 1e-9));
}

TEST_CASE("time sensitivities: events, delay, state switches and algebraic rules are refused, each named",
          "[time-sensitivities]") {
  at::Doc base;
  base.species("S", 1).parameter("k", 1).reaction("decay", "S ->", "k * S");
  at::Doc with_event = base;
  with_event.event("kick", "time > 1", "S", "2");
  auto [k1, m1] = error_of([&] { axisim::time_course_sensitivities(axisim::Model::from_string(with_event.str()), {"k"}, {}); });
  CHECK(k1 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m1, Contains("event 'kick'"));

  at::Doc with_delay;
  with_delay.species("S", 1).parameter("k", 1);
  with_delay.reaction("in", "-> S", "1").reaction("lagged", "S ->", "k * delay(S, 2)");
  auto [k2, m2] = error_of([&] { axisim::time_course_sensitivities(axisim::Model::from_string(with_delay.str()), {"k"}, {}); });
  CHECK(k2 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m2, Contains("reaction 'lagged' uses delay"));

  at::Doc with_switch;
  with_switch.species("S", 1).parameter("k", 1).parameter("rate", 0, false);
  with_switch.assignment_rule("rate", "piecewise(k, S > 0.5, 0.1 * k)").reaction("decay", "S ->", "rate * S");
  auto [k3, m3] = error_of([&] { axisim::time_course_sensitivities(axisim::Model::from_string(with_switch.str()), {"k"}, {}); });
  CHECK(k3 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m3, Contains("the assignment rule for 'rate'") && Contains("depends on the state"));

  at::Doc with_algebraic;
  with_algebraic.species("S", 1).parameter("k", 1).parameter("z", 1, false);
  with_algebraic.reaction("decay", "S ->", "k * S").algebraic_rule("z - 2 * S");
  auto [k4, m4] = error_of([&] { axisim::time_course_sensitivities(axisim::Model::from_string(with_algebraic.str()), {"k"}, {}); });
  CHECK(k4 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m4, Contains("algebraic rule"));

  const auto model = axisim::Model::from_string(base.str());
  auto [k5, m5] = error_of([&] { axisim::time_course_sensitivities(model, {"nope"}, {}); });
  CHECK(k5 == axisim::ErrorKind::UnknownId);
  CHECK_THAT(m5, Contains("nope"));
  auto [k6, m6] = error_of([&] { axisim::time_course_sensitivities(model, {"decay"}, {}); });
  CHECK(k6 == axisim::ErrorKind::Usage);
  CHECK_THAT(m6, Contains("'decay' is not a parameter"));
}

TEST_CASE("time sensitivities: the flagship model (no plugins) against central differences", "[time-sensitivities]") {
  const auto model = axisim::Model::from_file(std::string(AXISIM_MODEL_DIR) + "/gut_liver_igf1.xml");
  const std::vector<std::string> wrt = {"k_ferm", "GH_basal", "Q_pv"};
  const std::vector<axisim::OutputSpec> outputs = {{"IGF_f"}, {"Ac_pv"}, {"BP3_f"}};
  axisim::SimulationOptions opt;
  opt.end = 2000;
  opt.steps = 4;
  const auto s = axisim::time_course_sensitivities(model, wrt, opt, outputs);
  auto fine = opt;
  fine.rtol = 1e-11;
  fine.atol = 1e-14;
  for (std::size_t j = 0; j < wrt.size(); ++j) {
    const double p0 = model.initial_value(wrt[j]), h = 1e-4 * std::fabs(p0);
    axisim::Model up = model, down = model;
    up.set_value(wrt[j], p0 + h);
    down.set_value(wrt[j], p0 - h);
    const axisim::Result ru = up.simulate(fine, outputs), rd = down.simulate(fine, outputs);
    for (std::size_t t = 1; t < s.times.size(); ++t)
      for (std::size_t i = 0; i < outputs.size(); ++i) {
        const double fd = (ru.at(t, i + 1) - rd.at(t, i + 1)) / (2 * h);
        INFO("t = " << s.times[t] << ", output " << s.outputs[i] << ", parameter " << wrt[j]);
        CHECK_THAT(s.sensitivity(t, i, j), WithinAbs(fd, 1e-5 * std::fabs(fd) + 1e-6));
      }
  }
}
