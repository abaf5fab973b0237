// Implicit and adaptive explicit-implicit tau-leaping (StochasticMethod::ImplicitTauLeap and
// ::AdaptiveTauLeap, docs/stochastic.md), judged by the SBML Test Suite's rule against the
// implicit leap's own law (for linear propensities the leap is linear in its Poisson draws, so
// its moments follow a recursion computed here, independent of the code) and against the exact
// process's mean (a linear ODE, integrated here). Seeds are fixed: the tests are deterministic.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "axisim/model.hpp"
#include "axisim/stochastic.hpp"
#include "sbml_fixtures.hpp"
#include "ssa_builders.hpp"
#include "suite_rule.hpp"

namespace {

using namespace fx;
using namespace ssa_test;

// A <-> B (k1 A, k2 B) and B -> C (k3 B).
std::string isomerisation(double a0, double b0, double k1, double k2, double k3) {
  ModelBuilder b("isomerisation");
  b.compartment("C", 1)
      .species(counted("A", a0))
      .species(counted("B", b0))
      .species(counted("P", 0))
      .parameter("k1", k1)
      .parameter("k2", k2)
      .parameter("k3", k3)
      .reaction(reaction("forward", {{"A", 1}}, {{"B", 1}}, apply("times", {ci("k1"), ci("A")})))
      .reaction(reaction("backward", {{"B", 1}}, {{"A", 1}}, apply("times", {ci("k2"), ci("B")})));
  if (k3 > 0) b.reaction(reaction("out", {{"B", 1}}, {{"P", 1}}, apply("times", {ci("k3"), ci("B")})));
  return b.str();
}

}  // namespace

TEST_CASE("Implicit tau-leaping: a reversible isomerisation leaps whole output intervals with its own mean and damped variance",
          "[stochastic][tau][implicit]") {
  // A <-> B at rate constants 1 and 1, N = 10,000 molecules, from A = 6,000. The pair is in
  // partial equilibrium throughout (|a1 - a2| = |A - B| <= delta min(A, B) with delta 0.9), so
  // nothing bounds the implicit step and every leap is one output interval (tau = 1). The leap
  // solves X = x + (P2 - (N - x)) - (P1 - x) + (N - X) - X, i.e. X = (3x - P1 + P2) / 3, and its
  // rounded firings give x' = X + 2 (X - round(X)) (X is a multiple of 1/3: the rounding adds 0
  // or +-2/3, variance 8/27, mean 0). So E x' = (E x + N) / 3 and
  // Var x' = (Var x + N) / 9 + 8/27 (P1 + P2 has variance x + N - x = N). Stationary variance:
  // N/8 + 1/3, half the exact process's N/4 (binomial): the damping 2 / (2 + lambda tau) of the
  // fast fluctuations, lambda = k1 + k2 = 2 (docs/stochastic.md).
  const double N = 10000, n = 4000;
  const axisim::Model model = axisim::Model::from_string(isomerisation(6000, 4000, 1, 1, 0));
  const axisim::StochasticSimulator sim(model, {{"A", axisim::Quantity::Amount}});
  axisim::StochasticOptions o = grid(20, 20, 5);
  o.method = axisim::StochasticMethod::ImplicitTauLeap;
  o.tau_delta = 0.9;
  axisim::StochasticStats stats;
  const axisim::EnsembleStatistics s = sim.statistics(o, 0, static_cast<std::uint64_t>(n), &stats);
  CHECK(stats.leaps == 20 * static_cast<std::uint64_t>(n));
  CHECK(stats.implicit_leaps == stats.leaps);
  Rule rule(n);
  double mean = 6000, var = 0;
  for (std::size_t k = 0; k <= 20; ++k) {
    rule.point(static_cast<double>(k), s.mean(k, 0), s.sd(k, 0), mean, std::sqrt(var));
    mean = (mean + N) / 3;
    var = (var + N) / 9 + 8.0 / 27.0;
  }
  rule.check(40);
  // The documented bias: at t = 20 the variance is half the exact N/4.
  CHECK(s.sd(20, 0) * s.sd(20, 0) == Approx(N / 8).epsilon(0.06));
}

TEST_CASE("Implicit tau-leaping: a stiff isomerisation with a slow outflow keeps the mean in leaps 2,000 times longer than explicit ones",
          "[stochastic][tau][implicit]") {
  // A <-> B at 1000 and 1000 (fast), B -> P at 0.01 (slow), from A = B = 1000. Explicit
  // leaping's step is bounded by the fast pair's noise, (epsilon A)^2 / (a1 + a2) = 4.5e-4; the
  // implicit step leaves the pair (in partial equilibrium) out and is bounded by the outflow
  // alone, epsilon / k3 = 3, so each leap is one output interval (tau = 1). Every propensity is
  // linear, a(X) = K X, so the leap's X = x + S(P - K x) + S K X has E X = (I - J)^-1 E x,
  // J = S K. The rounded firings k_j = round(P_j - a_j(x) + a_j(X)) move A to X_A and B to X_B
  // up to zero-mean rounding, except the outflow's: its correction k3 (X_B - B) is under 1/2
  // molecule, so k3 = P3 exactly, explicit in effect, and B' = X_B + k3 (X_B - B). That mean law
  // is judged here by the suite's rule on A, B and P; it differs from the exact mean (the ODE
  // x' = J x, integrated here by RK4) by explicit Euler's first-order error in the slow mode:
  // A + B about 1 molecule (0.06%) low at t = 50 (docs/stochastic.md).
  const double k1 = 1000, k2 = 1000, k3 = 0.01, n = 2000;
  const axisim::Model model = axisim::Model::from_string(isomerisation(1000, 1000, k1, k2, k3));
  const axisim::StochasticSimulator sim(
      model, {{"A", axisim::Quantity::Amount}, {"B", axisim::Quantity::Amount}, {"P", axisim::Quantity::Amount}});
  axisim::StochasticOptions o = grid(50, 50, 6);
  o.method = axisim::StochasticMethod::ImplicitTauLeap;
  axisim::StochasticStats stats;
  const axisim::EnsembleStatistics s = sim.statistics(o, 0, static_cast<std::uint64_t>(n), &stats);
  CHECK(stats.leaps == 50 * static_cast<std::uint64_t>(n));
  CHECK(stats.implicit_leaps == stats.leaps);

  // The leap's law: (I - J)^-1 with J = [[-k1, k2], [k1, -(k2 + k3)]] on (A, B), the outflow explicit.
  const double m11 = 1 + k1, m12 = -k2, m21 = -k1, m22 = 1 + k2 + k3, det = m11 * m22 - m12 * m21;
  // The exact mean: RK4 on x' = J x, step 1e-4 (the fast eigenvalue is -2000).
  auto f = [&](double a, double b, double& da, double& db) {
    da = -k1 * a + k2 * b;
    db = k1 * a - (k2 + k3) * b;
  };
  double la = 1000, lb = 1000, ea = 1000, eb = 1000;
  int outside = 0, points = 0;
  std::ostringstream log;
  for (std::size_t k = 0; k <= 50; ++k) {
    const double mu[3] = {la, lb, 2000 - la - lb};
    for (std::size_t c = 0; c < 3; ++c) {
      const double sd = s.sd(k, c);
      if (k == 0) {
        CHECK(s.mean(k, c) == mu[c]);
        continue;
      }
      const double z = std::sqrt(n) * (s.mean(k, c) - mu[c]) / sd;
      ++points;
      if (!(z > -3 && z < 3)) ++outside;
      log << "t = " << k << " column " << c << ": mean " << s.mean(k, c) << " (law " << mu[c] << ", Z " << z << ")\n";
    }
    if (k == 50) {
      // Law against exact: a real, small bias, as documented.
      const double law = la + lb, exact = ea + eb;
      INFO("A + B at t = 50: leap's law " << law << ", exact " << exact);
      CHECK(exact - law > 0.5);
      CHECK(exact - law < 1.5);
      CHECK(std::fabs(law - exact) / exact < 1e-3);
    }
    // One output interval on.
    const double xa = (m22 * la - m12 * lb) / det, xb = (-m21 * la + m11 * lb) / det;
    lb = xb + k3 * (xb - lb);
    la = xa;
    const double h = 1e-4;
    for (int i = 0; i < 10000; ++i) {
      double a1, b1, a2, b2, a3, b3, a4, b4;
      f(ea, eb, a1, b1);
      f(ea + h / 2 * a1, eb + h / 2 * b1, a2, b2);
      f(ea + h / 2 * a2, eb + h / 2 * b2, a3, b3);
      f(ea + h * a3, eb + h * b3, a4, b4);
      ea += h / 6 * (a1 + 2 * a2 + 2 * a3 + a4);
      eb += h / 6 * (b1 + 2 * b2 + 2 * b3 + b4);
    }
  }
  INFO(log.str());
  CHECK(points == 150);
  CHECK(outside <= 2);  // 0.4 expected by chance

  // Explicit leaps on the same model, a few replicates: bounded by the fast pair's noise.
  axisim::StochasticOptions e = grid(50, 50, 7, 1);
  e.method = axisim::StochasticMethod::TauLeap;
  axisim::StochasticStats explicit_stats;
  sim.statistics(e, 0, 4, &explicit_stats);
  INFO("explicit leaps per replicate " << explicit_stats.leaps / 4.0 << ", implicit " << stats.leaps / n);
  CHECK(static_cast<double>(explicit_stats.leaps) / 4.0 > 2000.0 * static_cast<double>(stats.leaps) / n);

  // The adaptive method sees the stiffness (implicit step 3, explicit 4.5e-4) and leaps implicitly.
  axisim::StochasticOptions a = grid(50, 50, 8);
  a.method = axisim::StochasticMethod::AdaptiveTauLeap;
  axisim::StochasticStats adaptive_stats;
  sim.statistics(a, 0, 100, &adaptive_stats);
  CHECK(adaptive_stats.leaps == 50 * 100);
  CHECK(adaptive_stats.implicit_leaps == adaptive_stats.leaps);
}

TEST_CASE("Adaptive tau-leaping leaps explicitly where nothing is stiff", "[stochastic][tau][implicit]") {
  // Birth-death (0.1 X, 0.11 X from 10,000): birth and death change X oppositely, a reversible
  // pair by their changes, but their propensities differ by 10% of the smaller, more than
  // delta = 5%: not in partial equilibrium, so the implicit step's bound is the explicit one's and
  // the adaptive method never switches to implicit leaps. Its leaps are those of --method
  // tau-leap (one per output interval, tau' >= 3), from the same draws.
  const std::string sbml = ModelBuilder("birth_death")
                               .compartment("C", 1)
                               .species(counted("X", 10000))
                               .reaction(reaction("birth", {{"X", 1}}, {{"X", 2}}, apply("times", {cn(0.1), ci("X")})))
                               .reaction(reaction("death", {{"X", 1}}, {}, apply("times", {cn(0.11), ci("X")})))
                               .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator sim(model, {{"X", axisim::Quantity::Amount}});
  axisim::StochasticOptions o = grid(20, 20, 3);
  o.method = axisim::StochasticMethod::AdaptiveTauLeap;
  axisim::StochasticStats stats;
  const axisim::EnsembleStatistics adaptive = sim.statistics(o, 0, 500, &stats);
  CHECK(stats.implicit_leaps == 0);
  CHECK(stats.leaps == 20 * 500);
  o.method = axisim::StochasticMethod::TauLeap;
  const axisim::EnsembleStatistics plain = sim.statistics(o, 0, 500);
  for (std::size_t k = 0; k <= 20; ++k) CHECK(adaptive.mean(k, 0) == plain.mean(k, 0));  // the same draws
}
