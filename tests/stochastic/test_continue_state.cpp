// Stochastic runs continued from where earlier runs ended (StochasticOptions::from, the end
// states trajectory and statistics hand back: axisim/run_state.hpp): delayed events waiting at
// the split execute as in one unsplit run, triggers that hold there do not fire again, values
// taken at trigger time stay those (SBML L3V2 4.12), and an ensemble of N runs continued by M
// goes on from run (i mod N)'s end. Exact comparisons where nothing is random; otherwise the
// SBML Test Suite's rule (suite_rule.hpp) or 4 standard errors, with fixed seeds.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/run_state.hpp"
#include "axisim/stochastic.hpp"
#include "sbml_fixtures.hpp"
#include "ssa_builders.hpp"
#include "suite_rule.hpp"

namespace {

using namespace fx;
using namespace ssa_test;

// An event: trigger (initialValue false, persistent unless said), optional delay and priority,
// one assignment.
std::string event(const std::string& id, const std::string& trigger, const std::string& variable,
                  const std::string& value, const std::string& delay, bool trigger_time_values,
                  const std::string& priority = "", bool persistent = true) {
  return "<event id=\"" + id + "\" useValuesFromTriggerTime=\"" + (trigger_time_values ? "true" : "false") + "\">" +
         "<trigger initialValue=\"false\" persistent=\"" + (persistent ? "true" : "false") + "\">" + math(trigger) +
         "</trigger>" +
         (priority.empty() ? "" : "<priority>" + math(priority) + "</priority>") +
         (delay.empty() ? "" : "<delay>" + math(delay) + "</delay>") +
         "<listOfEventAssignments><eventAssignment variable=\"" + variable + "\">" + math(value) +
         "</eventAssignment></listOfEventAssignments></event>";
}

std::string at_least_one() { return apply("geq", {csym_time(), cn(1)}); }

// No reactions, so nothing is random: P = t (a rate rule); at t = 1 every event triggers.
// A = P and B = P after a delay of 0.5, A with the trigger time's value (1), B with the
// execution's (1.5); R doubled (priority 2) then increased by 1 (priority 1) at 1.5, each from
// the value at execution: 3, where the other order gives 4; X gets a bolus of 10 molecules at
// 1.5; N counts the trigger's firings without delay (1).
std::string event_only() {
  return ModelBuilder("delayed_events")
      .compartment("C", 1)
      .species(counted("X", 5))
      .parameter("P", 0, false)
      .parameter("A", 0, false)
      .parameter("B", 0, false)
      .parameter("R", 1, false)
      .parameter("N", 0, false)
      .rate_rule("P", cn(1))
      .raw_event(event("eA", at_least_one(), "A", ci("P"), cn(0.5), true))
      .raw_event(event("eB", at_least_one(), "B", ci("P"), cn(0.5), false))
      .raw_event(event("eHi", at_least_one(), "R", apply("times", {cn(2), ci("R")}), cn(0.5), false, cn(2)))
      .raw_event(event("eLo", at_least_one(), "R", apply("plus", {ci("R"), cn(1)}), cn(0.5), false, cn(1)))
      .raw_event(event("eX", at_least_one(), "X", apply("plus", {ci("X"), cn(10)}), cn(0.5), false))
      .raw_event(event("eN", at_least_one(), "N", apply("plus", {ci("N"), cn(1)}), "", true))
      .str();
}

const std::vector<axisim::OutputSpec> kEventOutputs{{"X"}, {"P"}, {"A"}, {"B"}, {"R"}, {"N"}};

axisim::StochasticOptions span(double from, double to, int steps, std::uint64_t seed = 7) {
  axisim::StochasticOptions o = grid(to, steps, seed, 1);
  o.start = from;
  return o;
}

// Immigration-death (0 -> X at k, X -> 0 at g X) from X = 0: X(t) is Poisson(k/g (1 - e^{-g t})).
// With `bolus`, 50 molecules added at 1.5 (triggered at t = 1, delay 0.5): each survives to t
// with probability e^{-g (t - 1.5)}, independently of the rest. With `mark`, q = X at t = 0.5
// (no delay): Poisson(10 (1 - e^{-0.5})) run by run, constant after.
std::string immigration_death(bool bolus, bool mark) {
  ModelBuilder b("immigration_death");
  b.compartment("C", 1).species(counted("X", 0)).parameter("k", 10).parameter("g", 1).parameter("q", 0, false);
  b.reaction(reaction("immigration", {}, {{"X", 1}}, ci("k")));
  b.reaction(reaction("death", {{"X", 1}}, {}, apply("times", {ci("g"), ci("X")})));
  if (bolus) b.raw_event(event("bolus", at_least_one(), "X", apply("plus", {ci("X"), cn(50)}), cn(0.5), false));
  if (mark) b.raw_event(event("mark", apply("geq", {csym_time(), cn(0.5)}), "q", ci("X"), "", true));
  return b.str();
}

double poisson_mean(double t) { return 10 * (1 - std::exp(-t)); }

}  // namespace

TEST_CASE("A stochastic run split at t = 1.2 goes on as the unsplit run: a delayed event waiting there executes at 1.5",
          "[stochastic][continue]") {
  const axisim::Model model = axisim::Model::from_string(event_only());
  const axisim::StochasticSimulator sim(model, kEventOutputs);
  for (const auto method : {axisim::StochasticMethod::Exact, axisim::StochasticMethod::TauLeap,
                            axisim::StochasticMethod::ImplicitTauLeap, axisim::StochasticMethod::AdaptiveTauLeap}) {
    INFO("method " << static_cast<int>(method));
    axisim::StochasticOptions whole = span(0, 3, 15), first = span(0, 1.2, 6), rest = span(1.2, 3, 9);
    whole.method = first.method = rest.method = method;
    const axisim::Result unsplit = sim.trajectory(whole, 0);
    axisim::RunState at_split;
    const axisim::Result a = sim.trajectory(first, 0, nullptr, &at_split);
    REQUIRE(at_split.time() == 1.2);
    CHECK(at_split.value("N") == 1);  // fired at 1 without delay
    CHECK(at_split.value("R") == 1);  // the delayed ones not yet
    const std::vector<axisim::RunState::PendingExecution> waiting = at_split.pending();
    REQUIRE(waiting.size() == 5);  // eA, eB, eHi, eLo, eX, in the events' order (all at t = 1)
    const char* const ids[] = {"eA", "eB", "eHi", "eLo", "eX"};
    for (std::size_t i = 0; i < 5; ++i) {
      CHECK(waiting[i].event == ids[i]);
      CHECK(waiting[i].time == 1.5);
    }
    const std::vector<axisim::RunState> from{at_split};
    rest.from = &from;
    const axisim::Result b = sim.trajectory(rest, 0);
    REQUIRE(unsplit.rows() == 16);
    REQUIRE(a.rows() == 7);
    REQUIRE(b.rows() == 10);
    for (std::size_t k = 0; k < unsplit.rows(); ++k) {
      const bool second = k > 6;
      const axisim::Result& part = second ? b : a;
      const std::size_t row = second ? k - 6 : k;
      INFO("t = " << unsplit.at(k, 0));
      CHECK(part.at(row, 0) == Approx(unsplit.at(k, 0)).margin(1e-12));
      for (std::size_t c = 1; c < unsplit.cols(); ++c) CHECK(part.at(row, c) == Approx(unsplit.at(k, c)).margin(1e-12));
    }
    // By hand, at t = 3: X 5 + 10; P = 3; A the trigger time's P (1), B the execution's (1.5);
    // R (1 * 2) + 1 by priority; N fired once (the trigger holding at the split does not fire it
    // again).
    const std::size_t last = b.rows() - 1;
    CHECK(b.at(last, 1) == 15);
    CHECK(b.at(last, 2) == Approx(3).margin(1e-12));
    CHECK(b.at(last, 3) == Approx(1).margin(1e-12));
    CHECK(b.at(last, 4) == Approx(1.5).margin(1e-12));
    CHECK(b.at(last, 5) == 3);
    CHECK(b.at(last, 6) == 1);
    // Continued from values alone (continued, no end state), the waiting executions would be
    // lost: refused, naming a delayed event.
    axisim::StochasticOptions values_only = span(1.2, 3, 9);
    values_only.method = method;
    values_only.time0 = 1.2;
    values_only.continued = true;
    try {
      sim.trajectory(values_only, 0);
      FAIL("continuing from values alone dropped the waiting executions");
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == axisim::ErrorKind::Unsupported);
      CHECK(std::string(e.what()).find("event 'e") != std::string::npos);
    }
  }
}

TEST_CASE("Across a split, useValuesFromTriggerTime keeps the trigger time's value and false takes the execution's",
          "[stochastic][continue]") {
  // P set to 10 at the split (as SED-ML's setValue does there) and going on at slope 1: the
  // execution at 1.5 assigns B = P = 10.3, while A keeps P's value when the trigger fired (1).
  const axisim::Model model = axisim::Model::from_string(event_only());
  const axisim::StochasticSimulator sim(model, kEventOutputs);
  axisim::RunState at_split;
  sim.trajectory(span(0, 1.2, 6), 3, nullptr, &at_split);
  at_split.set_value("P", 10);
  const std::vector<axisim::RunState> from{at_split};
  axisim::StochasticOptions rest = span(1.2, 2, 4);
  rest.from = &from;
  const axisim::Result r = sim.trajectory(rest, 3);
  const std::size_t last = r.rows() - 1;
  CHECK(r.at(last, 2) == Approx(10.8).margin(1e-12));
  CHECK(r.at(last, 3) == Approx(1).margin(1e-12));
  CHECK(r.at(last, 4) == Approx(10.3).margin(1e-12));
  // The state the stochastic run left goes on deterministically as well (Model::simulate_from):
  // the same executions at 1.5.
  axisim::SimulationOptions d;
  d.start = 1.2;
  d.end = 2;
  d.steps = 4;
  const axisim::Result det = model.simulate_from(at_split, d, kEventOutputs);
  const std::size_t end = det.rows() - 1;
  CHECK(det.at(end, 1) == Approx(15).margin(1e-9));
  CHECK(det.at(end, 2) == Approx(10.8).margin(1e-9));
  CHECK(det.at(end, 3) == Approx(1).margin(1e-9));
  CHECK(det.at(end, 4) == Approx(10.3).margin(1e-9));
  CHECK(det.at(end, 5) == Approx(3).margin(1e-9));
  CHECK(det.at(end, 6) == Approx(1).margin(1e-9));
}

TEST_CASE("A change at the split that makes a trigger false cancels a non-persistent event's waiting execution only",
          "[stochastic][continue]") {
  // Both events trigger at t = 1 while G = 1 and would add 1 to their counter at 1.5. G set to 0
  // at the split (1.2) makes both triggers false there: SBML removes the waiting execution of the
  // non-persistent one (L3V2 4.12.2), the persistent one's still executes.
  const std::string gate = apply("and", {at_least_one(), apply("eq", {ci("G"), cn(1)})});
  const axisim::Model model = axisim::Model::from_string(ModelBuilder("gated")
                                                             .compartment("C", 1)
                                                             .parameter("G", 1, false)
                                                             .parameter("kept", 0, false)
                                                             .parameter("lost", 0, false)
                                                             .raw_event(event("persistent", gate, "kept", apply("plus", {ci("kept"), cn(1)}), cn(0.5), false))
                                                             .raw_event(event("fleeting", gate, "lost", apply("plus", {ci("lost"), cn(1)}), cn(0.5), false, "", false))
                                                             .str());
  const axisim::StochasticSimulator sim(model, {{"kept"}, {"lost"}});
  axisim::RunState at_split;
  sim.trajectory(span(0, 1.2, 6), 0, nullptr, &at_split);
  REQUIRE(at_split.pending().size() == 2);
  axisim::RunState gated = at_split;
  gated.set_value("G", 0);
  const std::vector<axisim::RunState> open{at_split}, closed{gated};
  axisim::StochasticOptions rest = span(1.2, 2, 4);
  rest.from = &open;
  const axisim::Result a = sim.trajectory(rest, 0);
  CHECK(a.at(a.rows() - 1, 1) == 1);
  CHECK(a.at(a.rows() - 1, 2) == 1);
  rest.from = &closed;
  const axisim::Result b = sim.trajectory(rest, 0);
  CHECK(b.at(b.rows() - 1, 1) == 1);
  CHECK(b.at(b.rows() - 1, 2) == 0);
  // A deterministic continuation of the same state does the same.
  axisim::SimulationOptions d;
  d.start = 1.2;
  d.end = 2;
  d.steps = 4;
  const axisim::Result det = model.simulate_from(gated, d, {{"kept"}, {"lost"}});
  CHECK(det.at(det.rows() - 1, 1) == 1);
  CHECK(det.at(det.rows() - 1, 2) == 0);
}

TEST_CASE("A state from another model, or ending after the first output time, is refused", "[stochastic][continue]") {
  const axisim::Model model = axisim::Model::from_string(event_only());
  const axisim::StochasticSimulator sim(model, kEventOutputs);
  axisim::RunState at_split;
  sim.trajectory(span(0, 1.2, 6), 0, nullptr, &at_split);
  std::vector<axisim::RunState> from{at_split};
  axisim::StochasticOptions early = span(1, 3, 10);
  early.from = &from;
  CHECK_THROWS_AS(sim.trajectory(early, 0), axisim::Error);
  const axisim::StochasticSimulator other(axisim::Model::from_string(immigration_death(false, false)), {{"X"}});
  axisim::StochasticOptions rest = span(1.2, 3, 9);
  rest.from = &from;
  try {
    other.trajectory(rest, 0);
    FAIL("a state of another model was taken");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Usage);
    CHECK(std::string(e.what()).find("another model") != std::string::npos);
  }
  from.assign(1, axisim::RunState{});
  CHECK_THROWS_AS(sim.trajectory(rest, 0), axisim::Error);
}

TEST_CASE("Immigration-death with a delayed bolus, split at 1.2 while the bolus waits: Poisson plus binomial after",
          "[stochastic][continue]") {
  // X(t) = Poisson(10 (1 - e^{-t})) + Binomial(50, e^{-(t - 1.5)}) after 1.5, the two
  // independent; 10,000 runs of [0, 1.2] continued run by run to 3.
  const axisim::StochasticSimulator sim(axisim::Model::from_string(immigration_death(true, false)), {{"X"}});
  const double n = 10000;
  std::vector<axisim::RunState> ends;
  axisim::StochasticOptions first = span(0, 1.2, 6, 11);
  first.threads = 2;
  sim.statistics(first, 0, static_cast<std::uint64_t>(n), nullptr, &ends);
  REQUIRE(ends.size() == static_cast<std::size_t>(n));
  for (const auto method : {axisim::StochasticMethod::Exact, axisim::StochasticMethod::TauLeap}) {
    INFO("method " << static_cast<int>(method));
    axisim::StochasticOptions rest = span(1.2, 3, 9, 11);
    rest.threads = 2;
    rest.method = method;
    rest.from = &ends;
    const axisim::EnsembleStatistics s = sim.statistics(rest, static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(n));
    Rule rule(n);
    for (std::size_t k = 0; k < s.times().size(); ++k) {
      const double t = s.times()[k], lambda = poisson_mean(t);
      const double p = t >= 1.5 ? std::exp(-(t - 1.5)) : 0.0, bolus = t >= 1.5 ? 50 : 0;
      rule.point(t, s.mean(k, 0), s.sd(k, 0), lambda + bolus * p, std::sqrt(lambda + bolus * p * (1 - p)));
    }
    rule.check(20);
  }
}

TEST_CASE("An ensemble of 2,000 runs continued by 5,000 and by 500 runs: run i from run (i mod 2,000)'s end",
          "[stochastic][continue]") {
  // Immigration-death from 0 to clock 1, continued to clock 2: X(2) is Poisson(8.647) whatever
  // run each continuation starts from, if it starts from a run's own end (from the means, the
  // variance would be far too small). q = X(0.5), set by an event in each run, stays that run's:
  // Poisson(3.935), not its mean (variance 0). Mean and variance within 4 standard errors
  // (the sample variance's sqrt((lambda + 2 lambda^2) / n)); continuations of one end state are
  // correlated (e^{-1} of X(1) survives), which widens the error by under 10 %.
  const axisim::StochasticSimulator sim(axisim::Model::from_string(immigration_death(false, true)), {{"X"}, {"q"}});
  std::vector<axisim::RunState> ends;
  axisim::StochasticOptions first = span(0, 1, 1, 5);
  first.threads = 2;
  sim.statistics(first, 0, 2000, nullptr, &ends);
  REQUIRE(ends.size() == 2000);
  for (const std::uint64_t m : {5000u, 500u}) {
    INFO(m << " runs");
    axisim::StochasticOptions rest = span(1, 2, 1, 5);
    rest.threads = 2;
    rest.from = &ends;
    const axisim::EnsembleStatistics s = sim.statistics(rest, 2000, m);
    const double n = static_cast<double>(m);
    for (std::size_t c = 0; c < 2; ++c) {
      const double lambda = c == 0 ? poisson_mean(2) : poisson_mean(0.5);
      const double mean = s.mean(1, c), var = s.sd(1, c) * s.sd(1, c);
      INFO((c == 0 ? "X" : "q") << ": mean " << mean << ", variance " << var << ", expected " << lambda);
      CHECK(std::fabs(mean - lambda) < 4 * std::sqrt(lambda / n));
      CHECK(std::fabs(var - lambda) < 4 * std::sqrt((lambda + 2 * lambda * lambda) / n));
    }
  }
}
