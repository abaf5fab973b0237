// Stochastic simulation against exact results: moments of a linear birth-death process, the
// stationary distribution of a dimerisation, the waiting time of a single reaction. Every test
// runs at a fixed seed, so it is deterministic; the bounds are those a correct simulator meets
// except with probability about 1e-4 (4 standard errors; Kolmogorov-Smirnov and chi-square at
// the 0.1% level), and are stated next to each check.
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include <catch2/catch.hpp>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/stochastic.hpp"
#include "sbml_fixtures.hpp"
#include "ssa_builders.hpp"

namespace {

using namespace fx;
using namespace ssa_test;

}  // namespace

TEST_CASE("Linear birth-death: mean and variance at every output time match the exact moments", "[stochastic]") {
  // E X(t) = x0 e^{rt}, Var X(t) = x0 (l + m)/(l - m) e^{rt} (e^{rt} - 1), r = l - m
  // (Bailey 1964, 8.4). 4,000 replicates at seed 11.
  const double x0 = 50, l = 0.5, m = 0.6;
  const axisim::Model model = axisim::Model::from_string(birth_death(x0, l, m));
  const axisim::StochasticSimulator ssa(model, {{"X", axisim::Quantity::Amount}});
  const std::uint64_t n = 4000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(5, 5, 11), 0, n);
  REQUIRE(s.count() == n);
  CHECK(s.mean(0, 0) == x0);
  CHECK(s.sd(0, 0) == 0.0);
  for (std::size_t k = 1; k <= 5; ++k) {
    const double t = static_cast<double>(k), r = l - m, e = std::exp(r * t);
    const double mu = x0 * e, var = x0 * (l + m) / r * e * (e - 1);
    INFO("t = " << t << ": mean " << s.mean(k, 0) << " (exact " << mu << "), variance "
                << s.sd(k, 0) * s.sd(k, 0) << " (exact " << var << ")");
    // The sample mean within 4 standard errors.
    CHECK(std::fabs(s.mean(k, 0) - mu) <= 4 * std::sqrt(var / n));
    // The sample variance within 4 of its standard errors, sqrt(2/(n-1)) sigma^2 for a nearly
    // normal X (x0 = 50 keeps X far from 0 up to t = 5).
    CHECK(std::fabs(s.sd(k, 0) * s.sd(k, 0) - var) <= 4 * var * std::sqrt(2.0 / (n - 1)));
  }
}

TEST_CASE("Dimerisation 2P <-> P2 reaches its exact stationary distribution", "[stochastic]") {
  // P + 2 P2 = 40 is conserved; detailed balance gives
  //   pi(d + 1) / pi(d) = [k1 p (p - 1) / 2] / [k2 (d + 1)], p = 40 - 2d.
  const double total = 40, k1 = 0.02, k2 = 0.5;
  const std::string sbml =
      ModelBuilder("dimerisation")
          .compartment("C", 1)
          .species(counted("P", total))
          .species(counted("P2", 0))
          .parameter("k1", k1)
          .parameter("k2", k2)
          .reaction(reaction("bind", {{"P", 2}}, {{"P2", 1}},
                             apply("times", {ci("k1"), ci("P"), apply("minus", {ci("P"), cn(1)}), cn(0.5)})))
          .reaction(reaction("unbind", {{"P2", 1}}, {{"P", 2}}, apply("times", {ci("k2"), ci("P2")})))
          .str();
  const int dmax = static_cast<int>(total / 2);
  std::vector<double> pi(static_cast<std::size_t>(dmax) + 1, 1.0);
  for (int d = 0; d < dmax; ++d) {
    const double p = total - 2 * d;
    pi[static_cast<std::size_t>(d) + 1] = pi[static_cast<std::size_t>(d)] * (k1 * p * (p - 1) / 2) / (k2 * (d + 1));
  }
  double z = 0;
  for (double x : pi) z += x;
  for (double& x : pi) x /= z;

  // Each replicate's P2 at t = 30, long after relaxation (rates of order 1).
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"P2", axisim::Quantity::Amount}});
  const std::uint64_t n = 5000;
  const axisim::Result all = ssa.trajectories(grid(30, 1, 5), 0, n);
  REQUIRE(all.rows() == 2 * n);
  std::vector<double> observed(pi.size(), 0.0);
  for (std::size_t i = 1; i < all.rows(); i += 2) {
    const double d = all.at(i, 2);
    REQUIRE(d == std::floor(d));
    REQUIRE(d >= 0);
    REQUIRE(d <= dmax);
    observed[static_cast<std::size_t>(d)] += 1;
    // P is what the conservation law says.
  }
  // Pearson's chi-square over bins of expected count >= 5 (neighbouring values pooled).
  double chi2 = 0, expected_bin = 0, observed_bin = 0;
  int bins = 0;
  for (std::size_t d = 0; d < pi.size(); ++d) {
    expected_bin += pi[d] * n;
    observed_bin += observed[d];
    if (expected_bin >= 5 || d + 1 == pi.size()) {
      chi2 += (observed_bin - expected_bin) * (observed_bin - expected_bin) / expected_bin;
      ++bins;
      expected_bin = observed_bin = 0;
    }
  }
  // The 0.1% critical value of chi-square with df = bins - 1 (Wilson-Hilferty).
  const double df = bins - 1, zq = 3.090;
  const double critical = df * std::pow(1 - 2 / (9 * df) + zq * std::sqrt(2 / (9 * df)), 3);
  INFO("chi-square " << chi2 << " over " << bins << " bins, 0.1% critical value " << critical);
  CHECK(bins >= 5);
  CHECK(chi2 < critical);
}

TEST_CASE("The waiting time of a single reaction is exponential (Kolmogorov-Smirnov)", "[stochastic]") {
  // A -> B at k A with one molecule of A: the firing time is exponential with rate k. An event
  // records it (T := time when B becomes 1), which also checks that a trigger on a species is
  // seen at the instant of the firing.
  const double k = 2.0;
  const std::string sbml =
      ModelBuilder("waiting")
          .compartment("C", 1)
          .species(counted("A", 1))
          .species(counted("B", 0))
          .parameter("k", k)
          .parameter("T", -1, false)
          .reaction(reaction("R", {{"A", 1}}, {{"B", 1}}, apply("times", {ci("k"), ci("A")})))
          .raw_event("<event id=\"E\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" "
                     "persistent=\"true\">" +
                     math(apply("gt", {ci("B"), cn(0.5)})) + "</trigger><listOfEventAssignments><eventAssignment "
                     "variable=\"T\">" + math(csym_time()) + "</eventAssignment></listOfEventAssignments></event>")
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"T"}});
  const std::uint64_t n = 3000;
  const axisim::Result all = ssa.trajectories(grid(20, 1, 3), 0, n);
  std::vector<double> times;
  for (std::size_t i = 1; i < all.rows(); i += 2) times.push_back(all.at(i, 2));
  REQUIRE(times.size() == n);
  std::sort(times.begin(), times.end());
  REQUIRE(times.front() > 0);
  double d = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double f = 1 - std::exp(-k * times[i]);
    d = std::max({d, std::fabs(f - static_cast<double>(i) / n), std::fabs(static_cast<double>(i + 1) / n - f)});
  }
  // Kolmogorov's 0.1% critical value: 1.949 / sqrt(n).
  INFO("Kolmogorov-Smirnov D = " << d << " (critical " << 1.949 / std::sqrt(static_cast<double>(n)) << ")");
  CHECK(d < 1.949 / std::sqrt(static_cast<double>(n)));
  // The mean 1/k within 4 standard errors (sd = 1/k).
  double mean = 0;
  for (double t : times) mean += t / n;
  CHECK(std::fabs(mean - 1 / k) <= 4 / k / std::sqrt(static_cast<double>(n)));
}

TEST_CASE("Immigration-death is Poisson at every time (mean equals variance)", "[stochastic]") {
  // 0 -> X at a, X -> 0 at m X, X(0) = 0: X(t) is Poisson with mean a/m (1 - e^{-mt}).
  const double a = 10, m = 0.1;
  const std::string sbml = ModelBuilder("immigration_death")
                               .compartment("C", 1)
                               .species(counted("X", 0))
                               .parameter("a", a)
                               .parameter("m", m)
                               .reaction(reaction("in", {}, {{"X", 1}}, ci("a")))
                               .reaction(reaction("out", {{"X", 1}}, {}, apply("times", {ci("m"), ci("X")})))
                               .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model);
  const std::uint64_t n = 4000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(20, 4, 7), 0, n);
  for (std::size_t k = 1; k <= 4; ++k) {
    const double t = 5.0 * k, mu = a / m * (1 - std::exp(-m * t));
    INFO("t = " << t);
    CHECK(std::fabs(s.mean(k, 0) - mu) <= 4 * std::sqrt(mu / n));
    // Poisson: variance = mu; the variance of s^2 is (mu + 2 mu^2) / n for large n.
    CHECK(std::fabs(s.sd(k, 0) * s.sd(k, 0) - mu) <= 4 * std::sqrt((mu + 2 * mu * mu) / n));
  }
}

TEST_CASE("First-order networks: the ensemble mean is the ODE solution, in every output quantity", "[stochastic]") {
  // A -> B -> C with laws written per volume (V k [A]) in a compartment of size 2.5: amounts are
  // linear, so E[A(t)] is the ODE's amount exactly, and concentrations are amounts / 2.5. Outputs
  // in their default quantity (concentrations) must match Model::simulate's.
  Species a;
  a.id = "A";
  a.initial = 80;  // a concentration: 200 molecules in 2.5
  a.compartment = "V";
  a.initial_is_amount = false;
  Species b = a, c = a;
  b.id = "B";
  b.initial = 0;
  c.id = "C";
  c.initial = 0;
  const std::string sbml =
      ModelBuilder("chain")
          .compartment("V", 2.5)
          .species(a)
          .species(b)
          .species(c)
          .parameter("k1", 0.3)
          .parameter("k2", 0.1)
          .reaction(reaction("r1", {{"A", 1}}, {{"B", 1}}, apply("times", {ci("V"), ci("k1"), ci("A")})))
          .reaction(reaction("r2", {{"B", 1}}, {{"C", 1}}, apply("times", {ci("V"), ci("k2"), ci("B")})))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  axisim::SimulationOptions ode;
  ode.end = 10;
  ode.steps = 5;
  const axisim::Result exact = model.simulate(ode);  // A, B, C as concentrations
  const axisim::StochasticSimulator ssa(model);
  const std::uint64_t n = 4000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(10, 5, 21), 0, n);
  REQUIRE(s.outputs() == std::vector<std::string>{"A", "B", "C"});
  CHECK(s.mean(0, 0) == 80);  // 200 molecules in 2.5
  for (std::size_t k = 1; k <= 5; ++k)
    for (std::size_t c = 0; c < 3; ++c) {
      INFO("t = " << exact.at(k, 0) << ", " << s.outputs()[c]);
      CHECK(std::fabs(s.mean(k, c) - exact.at(k, c + 1)) <= 4 * s.sd(k, c) / std::sqrt(static_cast<double>(n)) + 1e-12);
    }
}
