// Stopping a run on request (axisim::StopFlag in the options; axisim/error.hpp): a long
// integration, a long stochastic run, an ensemble and parameter estimations (Levenberg–Marquardt,
// an NLopt search) stopped by another thread, as a signal handler would, end within a bounded
// time with the distinct "stopped" outcome (Result::stopped, or Stopped thrown), and what an
// integration returned before the stop is the analytic solution.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/parameter_estimation.hpp"
#include "axisim/stochastic.hpp"
#include "sbml_text.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kBound = 5.0;  // seconds from the request to the return (milliseconds expected)

// x' = w y, y' = -w x from x = 1, y = 0: x = cos(w t). With w = 1000, t = 1e5 is about 1.6e7
// periods: hours of CVODE steps.
axisim::Model oscillator() {
  at::Doc d;
  d.parameter("w", 1000).parameter("x", 1, false).parameter("y", 0, false);
  d.rate_rule("x", "w * y").rate_rule("y", "-w * x");
  return axisim::Model::from_string(d.str());
}

// Immigration-death at about 2e6 reaction events per time unit.
axisim::Model immigration_death() {
  at::Doc d;
  d.compartment("C", 1).species("X", 1e6).parameter("k_in", 1e6).parameter("k_out", 1);
  d.reaction("in", "-> X", "k_in").reaction("out", "X ->", "k_out * X");
  return axisim::Model::from_string(d.str());
}

// Sets `flag` to `signal` after `delay` in another thread; the time it did so goes to `when`.
std::thread stop_after(axisim::StopFlag& flag, std::chrono::milliseconds delay, Clock::time_point& when, int signal = 15) {
  return std::thread([&flag, delay, &when, signal] {
    std::this_thread::sleep_for(delay);
    when = Clock::now();
    flag.store(signal);
  });
}

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

}  // namespace

TEST_CASE("stop: a long integration stops within a bounded time, its rows so far the analytic solution", "[stop]") {
  const axisim::Model model = oscillator();
  axisim::SimulationOptions o;
  o.end = 1e5;
  o.steps = 10000;
  axisim::StopFlag flag{0};
  o.stop = &flag;
  Clock::time_point requested;
  std::thread t = stop_after(flag, std::chrono::milliseconds(300), requested);
  const axisim::Result r = model.simulate(o, {{"x"}});
  const auto returned = Clock::now();
  t.join();
  CHECK(r.stopped == 15);
  CHECK_FALSE(r.timed_out);
  CHECK_THAT(r.error, Contains("stopped on request"));
  CHECK(seconds(requested, returned) < kBound);
  REQUIRE(r.rows() >= 1);
  CHECK(r.rows() < 10001);
  // What came before the stop is the run's, not something half done: x = cos(w t) at each row.
  // The phase error grows with the angle integrated: a few times rtol * w * t (rtol 1e-8,
  // w = 1000; measured 3.7 times at t = 10), so the bound is ten times that plus a floor: 1e-3 at
  // the first row, far below what a half-done row would be off (rows are 1,600 periods apart).
  const std::size_t check = std::min<std::size_t>(r.rows(), 20);
  for (std::size_t i = 0; i < check; ++i) {
    const double t = r.at(i, 0);
    INFO("t = " << t);
    CHECK_THAT(r.at(i, 1), WithinAbs(std::cos(1000 * t), 1e-5 + 10 * 1e-8 * 1000 * t));
  }
}

TEST_CASE("stop: a flag already set stops an integration before its first step", "[stop]") {
  axisim::SimulationOptions o;
  o.end = 1e5;
  o.steps = 10000;
  axisim::StopFlag flag{2};
  o.stop = &flag;
  const auto begun = Clock::now();
  const axisim::Result r = oscillator().simulate(o, {{"x"}});
  CHECK(r.stopped == 2);
  CHECK(r.rows() == 0);
  CHECK(seconds(begun, Clock::now()) < kBound);
}

TEST_CASE("stop: no flag, or a flag never set, changes nothing", "[stop]") {
  axisim::SimulationOptions o;
  o.end = 1;
  o.steps = 10;
  const axisim::Result plain = oscillator().simulate(o, {{"x"}});
  axisim::StopFlag flag{0};
  o.stop = &flag;
  const axisim::Result flagged = oscillator().simulate(o, {{"x"}});
  REQUIRE(flagged.rows() == plain.rows());
  CHECK(flagged.stopped == 0);
  CHECK(flagged.error.empty());
  for (std::size_t i = 0; i < plain.rows(); ++i) CHECK(flagged.at(i, 1) == plain.at(i, 1));
}

TEST_CASE("stop: one long exact stochastic run, and an ensemble on two threads, throw Stopped within a bounded time", "[stop][stochastic]") {
  const axisim::StochasticSimulator ssa(immigration_death(), {{"X", axisim::Quantity::Amount}});
  axisim::StochasticOptions o;
  o.end = 400;  // about 8e8 events
  o.steps = 4;
  axisim::StopFlag flag{0};
  o.stop = &flag;
  {
    Clock::time_point requested;
    std::thread t = stop_after(flag, std::chrono::milliseconds(300), requested);
    int signal = 0;
    try {
      (void)ssa.trajectory(o, 0);
    } catch (const axisim::Stopped& s) {
      signal = s.signal();
      CHECK_THAT(std::string(s.what()), Contains("stochastic run stopped on request at t = "));
    }
    const auto returned = Clock::now();
    t.join();
    CHECK(signal == 15);
    CHECK(seconds(requested, returned) < kBound);
  }
  flag.store(0);
  o.threads = 2;
  {
    Clock::time_point requested;
    std::thread t = stop_after(flag, std::chrono::milliseconds(300), requested, 2);
    int signal = 0;
    try {
      (void)ssa.statistics(o, 0, 8);
    } catch (const axisim::Stopped& s) {
      signal = s.signal();
    }
    const auto returned = Clock::now();
    t.join();
    CHECK(signal == 2);
    CHECK(seconds(requested, returned) < kBound);
  }
}

TEST_CASE("stop: parameter estimation by Levenberg-Marquardt and by an NLopt search throws Stopped", "[stop][estimation]") {
  // X decays at rate k: X(t) = exp(-k t), measured at k = 0.7.
  at::Doc d;
  d.species("X", 1.0).parameter("k", 0.1).reaction("R", "X ->", "k * X");
  const axisim::Model model = axisim::Model::from_string(d.str());
  axisim::FitExperiment e;
  e.id = "e";
  e.times = {0.5, 1, 2, 4};
  e.outputs = {{"X"}};
  std::vector<double> data;
  for (double t : e.times) data.push_back(std::exp(-0.7 * t));
  e.observables = {{"x", {0}, [](const std::vector<double>& x) { return x[0]; }, data, {}}};
  const std::vector<axisim::FitParameter> k{{"k", 0.1, 0.01, 10.0, axisim::ParameterScale::Linear, {}}};

  axisim::FitOptions lm;
  axisim::StopFlag set{15};
  lm.stop = &set;
  CHECK_THROWS_AS(axisim::fit_parameters(model, k, {e}, lm), axisim::Stopped);
  // Unset, the same fit finds k = 0.7: the flag alone made the difference.
  axisim::StopFlag unset{0};
  lm.stop = &unset;
  CHECK_THAT(axisim::fit_parameters(model, k, {e}, lm).fitted[0], WithinAbs(0.7, 1e-5));

  // A global search with a budget of hours, stopped from another thread (nlopt_force_stop).
  axisim::FitOptions isres;
  isres.method = axisim::FitMethod::EvolutionStrategy;
  isres.max_evaluations = 100000000;
  isres.generations = 10000000;
  axisim::StopFlag flag{0};
  isres.stop = &flag;
  Clock::time_point requested;
  std::thread t = stop_after(flag, std::chrono::milliseconds(300), requested);
  int signal = 0;
  try {
    (void)axisim::fit_parameters(model, k, {e}, isres);
  } catch (const axisim::Stopped& s) {
    signal = s.signal();
    CHECK_THAT(std::string(s.what()), Contains("ISRES"));
  }
  const auto returned = Clock::now();
  t.join();
  CHECK(signal == 15);
  CHECK(seconds(requested, returned) < kBound);
}

namespace {

// dX/dt = k_in - k_out X from X = 0: the steady state is X = k_in / k_out = 4.
axisim::Model inflow_outflow() {
  at::Doc d;
  d.compartment("C", 1).species("X", 0.0).parameter("k_in", 2).parameter("k_out", 0.5);
  d.reaction("in", "-> X", "k_in").reaction("out", "X ->", "k_out * X");
  return axisim::Model::from_string(d.str());
}

// What Stopped says (and its signal), or "" when nothing was thrown.
template <class F>
std::string stopped_by(F&& run, int& signal) {
  try {
    run();
  } catch (const axisim::Stopped& s) {
    signal = s.signal();
    return s.what();
  }
  return "";
}

// X decays at rate k (X(t) = exp(-k t)), measured at k = 0.7: one experiment whose observable
// counts its calls in `calls` and, at call `at`, sets `flag` (a deterministic trigger: the
// evaluations run in order, and a call's number does not depend on timing).
axisim::FitExperiment decay_experiment(const std::string& id, int& calls, int at, axisim::StopFlag* flag) {
  axisim::FitExperiment e;
  e.id = id;
  e.times = {0.5, 1, 2, 4};
  e.outputs = {{"X"}};
  std::vector<double> data;
  for (double t : e.times) data.push_back(std::exp(-0.7 * t));
  e.observables = {{"x", {0}, [&calls, at, flag](const std::vector<double>& x) {
                      if (++calls == at && flag) flag->store(15);
                      return x[0];
                    }, data, {}}};
  return e;
}

axisim::Model decay() {
  at::Doc d;
  d.species("X", 1.0).parameter("k", 0.1).reaction("R", "X ->", "k * X");
  return axisim::Model::from_string(d.str());
}

}  // namespace

TEST_CASE("stop: a steady state stops at the iteration or the integration it is at, by each method", "[stop]") {
  const axisim::Model model = inflow_outflow();
  axisim::SteadyStateOptions o;
  axisim::StopFlag unset{0};
  o.stop = &unset;
  // Never set: the same steady state as without a flag, X = k_in / k_out.
  CHECK_THAT(axisim::steady_state(model, o, {{"X"}}).values[0], WithinAbs(4.0, 1e-9));
  axisim::StopFlag set{2};
  o.stop = &set;
  const std::pair<axisim::SteadyStateMethod, const char*> methods[] = {
      {axisim::SteadyStateMethod::Auto, "at Newton iteration 1"},
      {axisim::SteadyStateMethod::Newton, "at Newton iteration 1"},
      {axisim::SteadyStateMethod::PseudoTransient, "at pseudo-transient step 1"},
      {axisim::SteadyStateMethod::Integration, "while integrating towards it"}};
  for (const auto& [method, where] : methods) {
    o.method = method;
    int signal = 0;
    const std::string what = stopped_by([&] { (void)axisim::steady_state(model, o, {{"X"}}); }, signal);
    INFO(axisim::steady_state_method_name(method) << ": " << what);
    CHECK(signal == 2);
    CHECK_THAT(what, Contains("steady state stopped on request") && Contains(where));
  }
  // A scan stops at its first point.
  o.method = axisim::SteadyStateMethod::Auto;
  int signal = 0;
  const std::string what = stopped_by([&] { (void)axisim::scan_steady_state(model, "k_in", 1, 3, 5, o, {{"X"}}); }, signal);
  CHECK(signal == 2);
  CHECK_THAT(what, Contains("steady state stopped on request"));
}

TEST_CASE("stop: a fit stops inside an evaluation's run, by Levenberg-Marquardt and inside an NLopt search", "[stop][estimation]") {
  const axisim::Model model = decay();
  const std::vector<axisim::FitParameter> k{{"k", 0.1, 0.01, 10.0, axisim::ParameterScale::Linear, {}}};
  // The observable's calls in one evaluation of one experiment (one per point and two for its
  // derivative by central differences), counted on a plain evaluation.
  int per_evaluation = 0;
  (void)axisim::fit_objective(model, k, {decay_experiment("e", per_evaluation, 0, nullptr)}, {0.1});
  REQUIRE(per_evaluation == 12);
  for (const axisim::FitMethod method : {axisim::FitMethod::LevenbergMarquardt, axisim::FitMethod::NelderMead}) {
    // Two experiments, run in order in every evaluation: the first's observable sets the flag at
    // the first call of the second evaluation, so the second experiment's integration in that
    // evaluation starts with the flag set and stops inside it.
    axisim::StopFlag flag{0};
    int first = 0, second = 0;
    const std::vector<axisim::FitExperiment> experiments{decay_experiment("e1", first, per_evaluation + 1, &flag),
                                                         decay_experiment("e2", second, 0, nullptr)};
    axisim::FitOptions o;
    o.method = method;
    o.stop = &flag;
    int signal = 0;
    const std::string what = stopped_by([&] { (void)axisim::fit_parameters(model, k, experiments, o); }, signal);
    INFO(axisim::to_string(method) << ": " << what);
    CHECK(signal == 15);
    CHECK(first == 2 * per_evaluation);  // the first experiment finished its second evaluation
    CHECK(second == per_evaluation);     // the second's run in it never ended
    if (method == axisim::FitMethod::LevenbergMarquardt) {
      // Thrown from inside the run, naming the experiment and where its integration stood.
      CHECK_THAT(what, Contains("in experiment 'e2''s run") && Contains("sensitivity integration stopped on request at t = 0"));
    } else {
      // Caught inside NLopt's search (no exception through its C), which ends; then the fit stops.
      CHECK_THAT(what, Contains("in the NLopt Nelder-Mead search after 0 evaluations"));
    }
  }
}

TEST_CASE("stop: a pagmo search's remaining evaluations return at once, then the fit stops", "[stop][estimation][pagmo]") {
  const axisim::Model model = decay();
  const std::vector<axisim::FitParameter> k{{"k", 0.1, 0.01, 10.0, axisim::ParameterScale::Linear, {}}};
  int per_evaluation = 0;
  (void)axisim::fit_objective(model, k, {decay_experiment("e", per_evaluation, 0, nullptr)}, {0.1});
  for (const axisim::FitMethod method : {axisim::FitMethod::ParticleSwarm, axisim::FitMethod::CompassSearch}) {
    // The flag is set at the first call of the 6th evaluation (the fit's initial one, then 5 of
    // the search's): its second experiment's run stops inside, and no evaluation runs after it,
    // out of a budget of 2,000.
    axisim::StopFlag flag{0};
    int first = 0, second = 0;
    const std::vector<axisim::FitExperiment> experiments{decay_experiment("e1", first, 5 * per_evaluation + 1, &flag),
                                                         decay_experiment("e2", second, 0, nullptr)};
    axisim::FitOptions o;
    o.method = method;
    o.population = 10;
    o.generations = 200;
    o.max_evaluations = 2000;
    o.polish = false;
    o.stop = &flag;
    int signal = 0;
    const std::string what = stopped_by([&] { (void)axisim::fit_parameters(model, k, experiments, o); }, signal);
    INFO(axisim::to_string(method) << ": " << what);
    CHECK(signal == 15);
    CHECK(first == 6 * per_evaluation);
    CHECK(second == 5 * per_evaluation);
    CHECK_THAT(what, Contains("parameter estimation stopped on request in the " + axisim::to_string(method) +
                              " search after 4 evaluations"));
  }
}
