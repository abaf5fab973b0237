// The continuous-discrete hybrid method (StochasticMethod::Hybrid, KISAO:0000575; docs/stochastic.md)
// against analytic results: a large population is continuous and follows its ODE; a small one is
// discrete and has the exact process's distribution; a small species made at a rate that a
// continuous one sets has the Poisson distribution of its time-varying mean. Distributions are
// judged by the SBML Test Suite's rule (suite_rule.hpp); seeds are fixed, so the tests are
// deterministic.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/stochastic.hpp"
#include "sbml_fixtures.hpp"
#include "ssa_builders.hpp"
#include "suite_rule.hpp"

namespace {

using namespace fx;
using namespace ssa_test;

axisim::StochasticOptions hybrid_grid(double end, int steps, std::uint64_t seed) {
  axisim::StochasticOptions o = grid(end, steps, seed);
  o.method = axisim::StochasticMethod::Hybrid;
  return o;
}

// X decays from 10,000 at 0.1 X: continuous in the hybrid (coefficient of variation 0.0035), on
// its ODE 10,000 e^{-0.1 t}; the tests add what it drives or triggers.
ModelBuilder continuous_decay(const std::string& id) {
  ModelBuilder b(id);
  b.compartment("C", 1)
      .species(counted("X", 10000))
      .reaction(reaction("decay", {{"X", 1}}, {}, apply("times", {cn(0.1), ci("X")})));
  return b;
}

}  // namespace

TEST_CASE("Continuous-discrete hybrid: a large birth-death population is continuous and follows its ODE", "[stochastic][tauhybrid]") {
  // From 10,000 (lambda 0.1, mu 0.11) the coefficient of variation of X's next value is
  // sqrt(2,100) / 9,900 = 0.005 < 0.03: X is continuous from the start (and stays so: at
  // t = 20, X = 8,187, 0.006), both reactions are integrated, and every run is the ODE's
  // x0 e^{(lambda - mu) t} (CVODE, relative tolerance 1e-8), with no firing.
  const double x0 = 10000, l = 0.1, m = 0.11;
  const axisim::Model model = axisim::Model::from_string(birth_death(x0, l, m));
  const axisim::StochasticSimulator sim(model, {{"X", axisim::Quantity::Amount}});
  axisim::StochasticStats stats;
  const axisim::EnsembleStatistics s = sim.statistics(hybrid_grid(20, 20, 1), 0, 200, &stats);
  CHECK(stats.firings == 0);
  for (std::size_t k = 0; k <= 20; ++k) {
    const double exact = x0 * std::exp((l - m) * static_cast<double>(k));
    INFO("t = " << k << ": mean " << s.mean(k, 0) << ", ODE " << exact);
    CHECK(std::fabs(s.mean(k, 0) - exact) <= 1e-6 * exact);
    CHECK(s.sd(k, 0) <= 1e-9 * exact);  // every run the same
  }
}

TEST_CASE("Continuous-discrete hybrid: a small immigration-death population is discrete, Poisson at every time", "[stochastic][tauhybrid]") {
  // k = 10, mu = 1 from 0: X(t) is Poisson with mean 10 (1 - e^{-t}) (the exact process's
  // distribution). X's coefficient of variation is sqrt(k + mu x) / (x + k - mu x), 0.32 at
  // the stationary mean 10, far above 0.03: X stays discrete, every reaction fires exactly.
  const axisim::Model model = axisim::Model::from_string(immigration_death(0, 10, 1));
  const axisim::StochasticSimulator sim(model, {{"X", axisim::Quantity::Amount}});
  const double n = 10000;
  axisim::StochasticStats stats;
  const axisim::EnsembleStatistics s = sim.statistics(hybrid_grid(10, 20, 2), 0, static_cast<std::uint64_t>(n), &stats);
  CHECK(stats.firings > 0);
  Rule rule(n);
  for (std::size_t k = 1; k <= 20; ++k) {
    const double t = 0.5 * static_cast<double>(k), lambda = 10 * (1 - std::exp(-t));
    rule.point(t, s.mean(k, 0), s.sd(k, 0), lambda, std::sqrt(lambda));
  }
  rule.check(40);
  CHECK(s.mean(0, 0) == 0);
  // Every value a whole number: a discrete species is never left fractional.
  const axisim::Result one = sim.trajectory(hybrid_grid(10, 20, 2), 5);
  for (std::size_t k = 0; k < one.rows(); ++k) CHECK(one.at(k, 1) == std::nearbyint(one.at(k, 1)));
}

TEST_CASE("Continuous-discrete hybrid: a discrete species made at a continuous species' rate is Poisson of the ODE-driven mean",
          "[stochastic][tauhybrid]") {
  // X decays from 10,000 at 0.1 X (continuous: CV 0.0035), and drives 0 -> Y at 0.001 X; Y decays
  // at 1 Y (discrete). Given X(t) = 10,000 e^{-0.1 t}, Y is an immigration-death process with
  // immigration 10 e^{-0.1 t} from 0: Poisson with mean m(t) = (10 / 0.9) (e^{-0.1 t} - e^{-t}),
  // the solution of m' = 10 e^{-0.1 t} - m. Y's firings are drawn on the integrated hazard of a
  // propensity that changes with X between them, so this checks that integration too.
  const std::string sbml =
      continuous_decay("driven")
          .species(counted("Y", 0))
          .reaction([] {
            Reaction r = reaction("make", {}, {{"Y", 1}}, apply("times", {cn(0.001), ci("X")}));
            r.modifiers = {"X"};
            return r;
          }())
          .reaction(reaction("loss", {{"Y", 1}}, {}, ci("Y")))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator sim(model, {{"X", axisim::Quantity::Amount}, {"Y", axisim::Quantity::Amount}});
  const double n = 2000;
  const axisim::EnsembleStatistics s = sim.statistics(hybrid_grid(6, 12, 3), 0, static_cast<std::uint64_t>(n));
  Rule rule(n);
  for (std::size_t k = 1; k <= 12; ++k) {
    const double t = 0.5 * static_cast<double>(k);
    const double x = 10000 * std::exp(-0.1 * t), mean = 10 / 0.9 * (std::exp(-0.1 * t) - std::exp(-t));
    INFO("t = " << t);
    CHECK(std::fabs(s.mean(k, 0) - x) <= 1e-6 * x);
    rule.point(t, s.mean(k, 1), s.sd(k, 1), mean, std::sqrt(mean));
  }
  rule.check(24);
}

TEST_CASE("Continuous-discrete hybrid: switch_min classifies by the expected population instead", "[stochastic][tauhybrid]") {
  // With switch_min 100, the immigration-death process near 10 stays discrete, and from 10,000
  // (with k = 10,000 and mu = 1, stationary at 10,000) it is continuous: the ODE's
  // 10,000 exactly, every run.
  const axisim::Model big = axisim::Model::from_string(immigration_death(10000, 10000, 1));
  const axisim::StochasticSimulator sim(big, {{"X", axisim::Quantity::Amount}});
  axisim::StochasticOptions o = hybrid_grid(5, 5, 4);
  o.switch_min = 100;
  axisim::StochasticStats stats;
  const axisim::EnsembleStatistics s = sim.statistics(o, 0, 64, &stats);
  CHECK(stats.firings == 0);
  for (std::size_t k = 0; k <= 5; ++k) CHECK(s.mean(k, 0) == Approx(10000).epsilon(1e-8));
}

TEST_CASE("Continuous-discrete hybrid: rate rules and time-dependent propensities are refused, naming them", "[stochastic][tauhybrid]") {
  const std::string rate_rule = ModelBuilder("rr")
                                    .compartment("C", 1)
                                    .species(counted("X", 100))
                                    .parameter("k", 1, false)
                                    .rate_rule("k", cn(0.5))
                                    .reaction(reaction("death", {{"X", 1}}, {}, apply("times", {ci("k"), ci("X")})))
                                    .str();
  const std::string timed = ModelBuilder("timed")
                                .compartment("C", 1)
                                .species(counted("X", 100))
                                .reaction(reaction("death", {{"X", 1}}, {}, apply("times", {csym_time(), ci("X")})))
                                .str();
  for (const auto& [sbml, name] : {std::pair{rate_rule, std::string("'k'")}, std::pair{timed, std::string("'death'")}}) {
    const axisim::Model model = axisim::Model::from_string(sbml);
    const axisim::StochasticSimulator sim(model);
    try {
      (void)sim.trajectory(hybrid_grid(1, 1, 1));
      FAIL("the hybrid method ran " << name);
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == axisim::ErrorKind::Unsupported);
      CHECK(std::string(e.what()).find(name) != std::string::npos);
      CHECK(std::string(e.what()).find("KISAO:0000575") != std::string::npos);
    }
  }
}

TEST_CASE("Continuous-discrete hybrid: a trigger on a continuous species fires where the ODE crosses it",
          "[stochastic][tauhybrid]") {
  // X decays from 10,000 at 0.1 X (continuous, on its ODE); the event X < 5,000 records the time
  // in tx. The trigger is a root of the integration: tx = 10 ln 2 to the integration's tolerance,
  // in every run.
  const std::string sbml =
      continuous_decay("half_life")
          .parameter("tx", 0, false)
          .raw_event("<event id=\"half\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" "
                     "persistent=\"true\">" +
                     math(apply("lt", {ci("X"), cn(5000)})) +
                     "</trigger><listOfEventAssignments><eventAssignment variable=\"tx\">" + math(csym_time()) +
                     "</eventAssignment></listOfEventAssignments></event>")
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator sim(model, {{"X", axisim::Quantity::Amount}, {"tx"}});
  axisim::StochasticStats stats;
  const axisim::EnsembleStatistics s = sim.statistics(hybrid_grid(10, 10, 6), 0, 8, &stats);
  CHECK(stats.events == 8);
  CHECK(s.mean(10, 1) == Approx(10 * std::log(2.0)).epsilon(1e-6));
  CHECK(s.sd(10, 1) <= 1e-9);
  CHECK(s.mean(6, 1) == 0);  // not yet at t = 6
  CHECK(s.mean(10, 0) == Approx(10000 * std::exp(-1.0)).epsilon(1e-6));
}

TEST_CASE("Continuous-discrete hybrid: a population that grows turns continuous, and its mean stays exact",
          "[stochastic][tauhybrid]") {
  // Immigration 1,000, death 0.1 X from 0: X starts discrete (coefficient of variation 0.032 at
  // 0) and turns continuous near 100 molecules, after some 100 exact firings of the 10,000 of a
  // run to t = 10. The mean equation is linear, so the mean stays the exact process's,
  // 10,000 (1 - e^{-0.1 t}), within 4 of its standard errors sqrt(mean / n) (X is Poisson), the
  // sd being what the first firings left.
  const axisim::Model model = axisim::Model::from_string(immigration_death(0, 1000, 0.1));
  const axisim::StochasticSimulator sim(model, {{"X", axisim::Quantity::Amount}});
  const double n = 400;
  axisim::StochasticStats stats;
  const axisim::EnsembleStatistics s = sim.statistics(hybrid_grid(10, 10, 7), 0, static_cast<std::uint64_t>(n), &stats);
  CHECK(stats.firings > 10 * static_cast<std::uint64_t>(n));
  CHECK(stats.firings < 1000 * static_cast<std::uint64_t>(n));
  for (std::size_t k = 1; k <= 10; ++k) {
    const double mean = 10000 * (1 - std::exp(-0.1 * static_cast<double>(k)));
    INFO("t = " << k << ": mean " << s.mean(k, 0) << ", exact " << mean << ", sd " << s.sd(k, 0));
    CHECK(std::fabs(s.mean(k, 0) - mean) <= 4 * std::sqrt(mean / n));
    CHECK(s.sd(k, 0) < 0.5 * std::sqrt(mean));  // continuous: most of the noise is gone
  }
}
