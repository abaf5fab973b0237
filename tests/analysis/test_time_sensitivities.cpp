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

namespace {

// <event> with its trigger, optional priority and delay, and assignments (variable, formula).
std::string event_xml(const std::string& id, const std::string& trigger,
                      const std::vector<std::pair<std::string, std::string>>& assignments,
                      const std::string& priority = "", const std::string& delay = "", bool persistent = true) {
  std::string x = "<event id=\"" + id + "\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" persistent=\"" +
                  (persistent ? "true" : "false") + "\">" + at::mathml(trigger) + "</trigger>";
  if (!priority.empty()) x += "<priority>" + at::mathml(priority) + "</priority>";
  if (!delay.empty()) x += "<delay>" + at::mathml(delay) + "</delay>";
  x += "<listOfEventAssignments>";
  for (const auto& [var, math] : assignments)
    x += "<eventAssignment variable=\"" + var + "\">" + at::mathml(math) + "</eventAssignment>";
  return x + "</listOfEventAssignments></event>";
}

// Every output's sensitivity to every parameter against central differences of simulate()
// with the parameter moved by 1e-4 of itself, at rtol 1e-12.
void check_against_differences(const axisim::Model& model, const std::vector<std::string>& wrt,
                               const std::vector<axisim::OutputSpec>& outputs, const axisim::SimulationOptions& opt,
                               double tolerance) {
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
        CHECK_THAT(s.sensitivity(t, i, j), WithinAbs(fd, tolerance * (1 + std::fabs(fd))));
      }
  }
}

}  // namespace

TEST_CASE("time sensitivities: decay reset at a threshold, analytic jumps at every crossing", "[time-sensitivities]") {
  // S' = -k S from S0; whenever S falls below theta it is reset to Sr. The n-th reset is at
  // tau_n = (ln(S0/theta) + (n-1) ln(Sr/theta)) / k, after which S = Sr e^{-k(t - tau_n)}; so
  // dS/dk = -t S, dS/dS0 = S/S0, dS/dtheta = -n S/theta, dS/dSr = n S/Sr (n resets so far).
  const double S0 = 4, k = 0.5, theta = 1, Sr = 2.5;
  at::Doc d;
  d.species("S", S0).parameter("k", k).parameter("theta", theta).parameter("Sr", Sr);
  d.reaction("decay", "S ->", "k * S").event("reset", "S < theta", "S", "Sr");
  const auto model = axisim::Model::from_string(d.str());
  const auto s = axisim::time_course_sensitivities(model, {"k", "S", "theta", "Sr"}, tight(10, 40));
  std::vector<double> tau{std::log(S0 / theta) / k};
  while (tau.back() < 10) tau.push_back(tau.back() + std::log(Sr / theta) / k);
  REQUIRE(tau.size() == 5);  // four resets before t = 10
  int resets_seen = 0;
  for (std::size_t i = 0; i < s.times.size(); ++i) {
    const double t = s.times[i];
    int n = 0;
    while (n < static_cast<int>(tau.size()) && tau[static_cast<std::size_t>(n)] <= t) ++n;
    const double S = n == 0 ? S0 * std::exp(-k * t) : Sr * std::exp(-k * (t - tau[static_cast<std::size_t>(n - 1)]));
    resets_seen = std::max(resets_seen, n);
    INFO("t = " << t << ", resets " << n);
    CHECK_THAT(s.value(i, 0), WithinAbs(S, 1e-7));  // the event times are located to the tolerance
    CHECK_THAT(s.sensitivity(i, 0, 0), WithinAbs(-t * S, 1e-6));
    CHECK_THAT(s.sensitivity(i, 0, 1), WithinAbs(S / S0, 1e-7));
    CHECK_THAT(s.sensitivity(i, 0, 2), WithinAbs(-n * S / theta, 1e-6));
    CHECK_THAT(s.sensitivity(i, 0, 3), WithinAbs(n * S / Sr, 1e-6));
  }
  CHECK(resets_seen == 4);
}

TEST_CASE("time sensitivities: events (state and time triggers, priorities, a parameter reset) and a state switch, "
          "against central differences",
          "[time-sensitivities]") {
  // A -> B -> (out); B's removal doubles while B < 0.3 (a switch on the state in an assignment
  // rule); when B rises above thr, a dose is added to A and k1 is halved (a parameter an event
  // changes); at time t_on (a parameter) B is scaled by frac, then (lower priority, same instant)
  // A is increased by 0.1 A.
  at::Doc d;
  d.species("A", 1.0).species("B", 0.1);
  d.parameter("k1", 0.8, false).parameter("k2", 0.6).parameter("thr", 0.35).parameter("dose", 0.7);
  d.parameter("t_on", 6.3).parameter("frac", 0.4).parameter("removal", 0, false);
  d.assignment_rule("removal", "piecewise(2 * k2, B < 0.3, k2)");
  d.reaction("conv", "A -> B", "k1 * A").reaction("out", "B ->", "removal * B");
  d.raw_event(event_xml("dosing", "B > thr", {{"A", "A + dose"}, {"k1", "0.5 * k1"}}));
  d.raw_event(event_xml("scale", "time > t_on", {{"B", "frac * B"}}, "2"));
  d.raw_event(event_xml("topup", "time > t_on", {{"A", "1.1 * A"}}, "1"));
  const auto model = axisim::Model::from_string(d.str());
  const std::vector<std::string> wrt = {"k1", "k2", "A", "thr", "dose", "t_on", "frac"};
  const std::vector<axisim::OutputSpec> outputs = {{"A"}, {"B"}, {"k1"}, {"removal"}, {"out"}};
  // The run really passes every kind of jump: the dose, the switch, the timed pair.
  const axisim::Result r = model.simulate(tight(9, 900), outputs);
  bool dosed = false, switched_on = false, switched_off = false;
  for (std::size_t i = 1; i < r.rows(); ++i) {
    dosed = dosed || r.at(i, 3) < r.at(i - 1, 3);
    switched_on = switched_on || r.at(i, 4) > r.at(i - 1, 4);
    switched_off = switched_off || r.at(i, 4) < r.at(i - 1, 4);
  }
  CHECK((dosed && switched_on && switched_off));
  check_against_differences(model, wrt, outputs, tight(9, 18), 1e-5);
}

TEST_CASE("time sensitivities: an event that assigns a parameter read by an initial assignment's result, and one "
          "at time 0",
          "[time-sensitivities]") {
  // initialValue = false and a trigger true at t = 0: the event fires at 0 (a fixed instant).
  at::Doc d;
  d.compartment("C", 2.0, false);
  d.species("S", 1.0).parameter("k", 0.4).parameter("S_start", 0.0).parameter("level", 1.5);
  d.initial_assignment("S_start", "3 * k");
  d.reaction("decay", "S ->", "C * k * S");
  d.raw_event(event_xml("at_start", "time >= 0", {{"S", "S_start"}}));
  d.raw_event(event_xml("refill", "S < 0.5 * level", {{"S", "level + S"}, {"C", "C * 1.25"}}));
  const auto model = axisim::Model::from_string(d.str());
  check_against_differences(model, {"k", "level", "C"}, {{"S"}, {"C"}, {"decay"}}, tight(12, 24), 1e-5);
}

TEST_CASE("time sensitivities: a switch whose time is the parameter, an output time on it, analytic", "[time-sensitivities]") {
  // S' = input - k S, input = 1 before t_off and 0 after: dS/dt_off = 0 before the switch and
  // e^{-k (t - t_off)} after it (the jump (f- - f+) dtau/dt_off = 1 at t_off). The output grid
  // has t_off itself, where differences in t_off must not straddle the switch.
  const double k = 0.6, t_off = 2.5, S0 = 0.2;
  at::Doc d;
  d.species("S", S0).parameter("k", k).parameter("t_off", t_off).parameter("input", 0, false);
  d.assignment_rule("input", "piecewise(1, time < t_off, 0)");
  d.reaction("in", "-> S", "input").reaction("out", "S ->", "k * S");
  const auto s = axisim::time_course_sensitivities(axisim::Model::from_string(d.str()), {"t_off", "k"}, tight(6, 12),
                                                   {{"S"}, {"input"}});
  for (std::size_t i = 0; i < s.times.size(); ++i) {
    const double t = s.times[i];
    INFO("t = " << t);
    REQUIRE(std::isfinite(s.sensitivity(i, 0, 0)));
    if (t == t_off) continue;  // one-sided there: either limit
    CHECK_THAT(s.sensitivity(i, 0, 0), WithinAbs(t < t_off ? 0.0 : std::exp(-k * (t - t_off)), 1e-7));
    CHECK_THAT(s.sensitivity(i, 1, 0), WithinAbs(0.0, 1e-12));  // input is 0 or 1 away from the switch
  }
}

TEST_CASE("time sensitivities: a switch that p moves only away from the initial state, analytic", "[time-sensitivities]") {
  // S' = 2 while k S < 1, then 0.5, from S = 0: at the start k S - 1 = -1 whatever k is, yet k
  // sets when the switch comes, t* = 1 / (2 k). After it S = 1/k + 0.5 (t - t*), so
  // dS/dk = -0.75 / k^2; before it S = 2 t and dS/dk = 0. An output time on the switch (t = t*
  // for k = 0.25) has differences in k near it that must not straddle it.
  const double k = 0.25, t_star = 1 / (2 * k);
  at::Doc d;
  d.species("S", 0).parameter("k", k).parameter("rate", 0, false);
  d.assignment_rule("rate", "piecewise(2, k * S < 1, 0.5)");
  d.reaction("grow", "-> S", "rate");
  const auto s = axisim::time_course_sensitivities(axisim::Model::from_string(d.str()), {"k"}, tight(5, 10), {{"S"}});
  for (std::size_t i = 0; i < s.times.size(); ++i) {
    const double t = s.times[i];
    INFO("t = " << t);
    REQUIRE(std::isfinite(s.sensitivity(i, 0, 0)));
    if (t == t_star) continue;  // one-sided there: either limit
    CHECK_THAT(s.sensitivity(i, 0, 0), WithinAbs(t < t_star ? 0.0 : -0.75 / (k * k), 1e-6));
  }
}

TEST_CASE("time sensitivities: delayed events, equal priorities, delay and algebraic rules are refused, each named",
          "[time-sensitivities]") {
  at::Doc base;
  base.species("S", 1).parameter("k", 1).reaction("decay", "S ->", "k * S");
  at::Doc delayed = base;
  delayed.raw_event(event_xml("later", "time > 1", {{"S", "2"}}, "", "0.5"));
  auto [k1, m1] = error_of([&] { axisim::time_course_sensitivities(axisim::Model::from_string(delayed.str()), {"k"}, {}); });
  CHECK(k1 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m1, Contains("event 'later' has a delay"));

  at::Doc tied = base;
  tied.raw_event(event_xml("first", "time > 1", {{"S", "2 * S"}})).raw_event(event_xml("second", "time > 1", {{"S", "S + 1"}}));
  auto [k7, m7] = error_of([&] { axisim::time_course_sensitivities(axisim::Model::from_string(tied.str()), {"k"}, tight(2, 2)); });
  CHECK(k7 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m7, Contains("'first', 'second'") && Contains("equal (or no) priorities"));

  at::Doc with_delay;
  with_delay.species("S", 1).parameter("k", 1);
  with_delay.reaction("in", "-> S", "1").reaction("lagged", "S ->", "k * delay(S, 2)");
  auto [k2, m2] = error_of([&] { axisim::time_course_sensitivities(axisim::Model::from_string(with_delay.str()), {"k"}, {}); });
  CHECK(k2 == axisim::ErrorKind::Unsupported);
  CHECK_THAT(m2, Contains("reaction 'lagged' uses delay"));

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
