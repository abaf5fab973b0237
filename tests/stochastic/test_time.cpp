// Stochastic simulation of models that read time between firings (docs/stochastic.md): event
// triggers whose switching instants are computed exactly (pulses between two reaction firings
// included), and propensities that change with time (the next firing solves the integral of a0
// equal to an exponential draw). Every ensemble is judged by the SBML Test Suite's stochastic
// rule (its README): at each output time, with the exact mean mu and standard deviation sigma and
// the sample's m and s over n replicates, Z = sqrt(n) (m - mu) / sigma must lie in (-3, 3) and
// Y = sqrt(n / 2) (s^2 / sigma^2 - 1) in (-5, 5); where sigma = 0, m must equal mu. Each test
// allows one of its Z and Y points outside (a correct simulator puts a Z outside with
// probability 0.27%: two or more of 20 with probability about 0.14%); the seeds are fixed, so
// the tests are deterministic.
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
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

std::string event(const std::string& id, const std::string& trigger,
                  const std::vector<std::pair<std::string, std::string>>& assignments) {
  std::string s = "<event id=\"" + id + "\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" "
                  "persistent=\"true\">" + math(trigger) + "</trigger><listOfEventAssignments>";
  for (const auto& [variable, value] : assignments)
    s += "<eventAssignment variable=\"" + variable + "\">" + math(value) + "</eventAssignment>";
  return s + "</listOfEventAssignments></event>";
}

// The suite's rule over the points given to it.
struct SuiteRule {
  double n;
  int outside = 0, points = 0, exact = 0;
  std::ostringstream log;

  explicit SuiteRule(double replicates) : n(replicates) {}

  void point(double t, double m, double s, double mu, double sigma) {
    if (sigma == 0.0) {
      ++exact;
      CHECK(m == mu);
      return;
    }
    const double z = std::sqrt(n) * (m - mu) / sigma;
    const double y = std::sqrt(n / 2) * (s * s / (sigma * sigma) - 1);
    points += 2;
    if (!(z > -3 && z < 3)) ++outside;
    if (!(y > -5 && y < 5)) ++outside;
    log << "t = " << t << ": mean " << m << " (exact " << mu << ", Z " << z << "), sd " << s << " (exact " << sigma
        << ", Y " << y << ")\n";
  }
  void check(int expected_points) const {
    INFO(log.str());
    CHECK(points == expected_points);
    CHECK(outside <= 1);
    if (std::getenv("AXISIM_TEST_SHOW_RULE")) WARN(log.str() << "outside " << outside << " of " << points);
  }
};

std::string piecewise(const std::string& value, const std::string& condition, const std::string& otherwise) {
  return "<piecewise><piece>" + value + condition + "</piece><otherwise>" + otherwise + "</otherwise></piecewise>";
}

// A sum of independent binomials: (mean, sd).
std::pair<double, double> binomials(std::initializer_list<std::pair<double, double>> n_p) {
  double mean = 0, var = 0;
  for (const auto& [n, p] : n_p) {
    mean += n * p;
    var += n * p * (1 - p);
  }
  return {mean, std::sqrt(var)};
}

}  // namespace

TEST_CASE("Time triggers: pulses between two firings fire at the first instant they hold", "[stochastic][time]") {
  // Nothing can fire before the first pulse (X = 0), so the run goes from t = 0 to the output at
  // t = 3 in one interval, in which `2.3 < time < 2.4` switches on and off: it adds 7 molecules of
  // X at the first double above 2.3. A rule `pulse` (1 on [4, 4.25)) and a rate rule x' = 1 make
  // two more pulses, through an assignment rule and through a straight line.
  const double k = 0.5;
  const std::string sbml =
      ModelBuilder("pulses")
          .compartment("C", 1)
          .species(counted("X", 0))
          .parameter("k", k)
          .parameter("T_on", -1, false)
          .parameter("T_rule", -1, false)
          .parameter("T_rate", -1, false)
          .parameter("x", 0, false)
          .parameter("pulse", 0, false)
          .rate_rule("x", cn(1))
          .assignment_rule("pulse", piecewise(cn(1),
                                              apply("and", {apply("geq", {csym_time(), cn(4)}),
                                                            apply("lt", {csym_time(), cn(4.25)})}),
                                              cn(0)))
          .reaction(reaction("decay", {{"X", 1}}, {}, apply("times", {ci("k"), ci("X")})))
          .raw_event(event("on", apply("and", {apply("gt", {csym_time(), cn(2.3)}), apply("lt", {csym_time(), cn(2.4)})}),
                           {{"X", apply("plus", {ci("X"), cn(7)})}, {"T_on", csym_time()}}))
          .raw_event(event("by_rule", apply("gt", {ci("pulse"), cn(0.5)}), {{"T_rule", csym_time()}}))
          .raw_event(event("by_rate", apply("and", {apply("geq", {ci("x"), cn(5.5)}), apply("lt", {ci("x"), cn(5.6)})}),
                           {{"T_rate", csym_time()}}))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"X"}, {"T_on"}, {"T_rule"}, {"T_rate"}});
  const double n = 10000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(10, 10, 5), 0, static_cast<std::uint64_t>(n));
  // The switching instants, in every replicate: `time > 2.3` first holds at the double after 2.3,
  // `time >= 4` at 4; x reaches 5.5 at 5.5 up to the rounding of its straight-line pieces.
  const double t_on = std::nextafter(2.3, 3.0);
  CHECK(s.mean(10, 1) == t_on);
  CHECK(s.sd(10, 1) == 0);
  CHECK(s.mean(10, 2) == 4.0);
  CHECK(s.sd(10, 2) == 0);
  CHECK(std::fabs(s.mean(10, 3) - 5.5) < 1e-12);
  CHECK(s.sd(10, 3) < 1e-12);
  // X: 0 up to t = 2, then each of the 7 molecules survives to t with probability e^{-k (t - t_on)}.
  SuiteRule rule(n);
  for (std::size_t i = 0; i <= 10; ++i) {
    const double t = static_cast<double>(i);
    const auto [mu, sigma] = t < 2.3 ? std::pair{0.0, 0.0} : binomials({{7, std::exp(-k * (t - t_on))}});
    rule.point(t, s.mean(i, 0), s.sd(i, 0), mu, sigma);
  }
  rule.check(16);
  CHECK(rule.exact == 3);
}

TEST_CASE("Pure death with a reset at t = 5 and a 1e-6 pulse at 7.2 between firings: the suite's rule",
          "[stochastic][time]") {
  // X -> 0 at k X from 100; `time >= 5` sets X to 100, `7.2 < time < 7.2 + 1e-6` adds 50 (about
  // one replicate in 50,000 has a firing inside the pulse). X(t) is Binomial(100, e^{-k t}) before
  // 5, Binomial(100, e^{-k (t - 5)}) after, plus Binomial(50, e^{-k (t - 7.2)}) after 7.2.
  const double k = 0.2;
  const std::string sbml =
      ModelBuilder("death_reset")
          .compartment("C", 1)
          .species(counted("X", 100))
          .parameter("k", k)
          .reaction(reaction("death", {{"X", 1}}, {}, apply("times", {ci("k"), ci("X")})))
          .raw_event(event("reset", apply("geq", {csym_time(), cn(5)}), {{"X", cn(100)}}))
          .raw_event(event("pulse",
                           apply("and", {apply("gt", {csym_time(), cn(7.2)}), apply("lt", {csym_time(), cn(7.200001)})}),
                           {{"X", apply("plus", {ci("X"), cn(50)})}}))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model);
  const double n = 10000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(10, 20, 17), 0, static_cast<std::uint64_t>(n));
  SuiteRule rule(n);
  for (std::size_t i = 0; i <= 20; ++i) {
    const double t = 0.5 * static_cast<double>(i);
    std::pair<double, double> expected;
    if (t == 0) expected = {100, 0};
    else if (t < 5) expected = binomials({{100, std::exp(-k * t)}});
    else if (t == 5) expected = {100, 0};
    else if (t < 7.2) expected = binomials({{100, std::exp(-k * (t - 5))}});
    else expected = binomials({{100, std::exp(-k * (t - 5))}, {50, std::exp(-k * (t - 7.2))}});
    rule.point(t, s.mean(i, 0), s.sd(i, 0), expected.first, expected.second);
  }
  rule.check(38);
}

TEST_CASE("A trigger not affine in time (sin) switches at its root, to the last bits", "[stochastic][time]") {
  // `sin(time) > 0.9` with nothing firing: false at the output t = 1, true at t = 2; its switch is
  // found by root-finding along the integration (a hybrid run), then on CVODE's interpolant down
  // to adjacent doubles, at asin(0.9) to the last bits.
  const std::string sbml = ModelBuilder("sine_trigger")
                               .compartment("C", 1)
                               .species(counted("X", 0))
                               .parameter("T", -1, false)
                               .reaction(reaction("decay", {{"X", 1}}, {}, apply("times", {cn(1), ci("X")})))
                               .raw_event(event("up", apply("gt", {apply("sin", {csym_time()}), cn(0.9)}),
                                                {{"T", csym_time()}}))
                               .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"T"}});
  const axisim::Result r = ssa.trajectory(grid(3, 3, 1));
  CHECK(r.at(1, 1) == -1);
  CHECK(std::fabs(r.at(2, 1) - std::asin(0.9)) < 1e-14);
}

TEST_CASE("A birth process at k (1 + sin t) is Poisson with mean k (t + 1 - cos t)", "[stochastic][time]") {
  const double k = 5;
  const std::string sbml =
      ModelBuilder("sine_birth")
          .compartment("C", 1)
          .species(counted("X", 0))
          .parameter("k", k)
          .reaction(reaction("birth", {}, {{"X", 1}},
                             apply("times", {ci("k"), apply("plus", {cn(1), apply("sin", {csym_time()})})})))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model);
  const double n = 10000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(20, 20, 23), 0, static_cast<std::uint64_t>(n));
  SuiteRule rule(n);
  for (std::size_t i = 0; i <= 20; ++i) {
    const double t = static_cast<double>(i), mu = k * (t + 1 - std::cos(t));
    rule.point(t, s.mean(i, 0), s.sd(i, 0), mu, std::sqrt(mu));
  }
  rule.check(40);
  CHECK(rule.exact == 1);
  // The same bits on one thread as on two.
  const axisim::EnsembleStatistics one = ssa.statistics(grid(20, 20, 23, 1), 0, 300);
  const axisim::EnsembleStatistics two = ssa.statistics(grid(20, 20, 23, 2), 0, 300);
  for (std::size_t i = 0; i <= 20; ++i) {
    CHECK(one.mean(i, 0) == two.mean(i, 0));
    CHECK(one.sd(i, 0) == two.sd(i, 0));
  }
}

TEST_CASE("Propensities through rules: a death rate that steps down at t = 3, a birth rate read from a rate rule",
          "[stochastic][time]") {
  // X -> 0 at c X, c = 0.5 before t = 3 and 0.1 after (an assignment rule, piecewise in time):
  // X(t) is Binomial(200, e^{-L(t)}), L the integral of c. 0 -> Y at b x with x' = 1 (a rate
  // rule, x = t): Y(t) is Poisson with mean b t^2 / 2. 0 -> Z at 3, a propensity constant between
  // firings beside them: Z(t) is Poisson with mean 3 t. Once with the linear scan, once with the
  // sum tree (AXISIM_SSA_TREE_MIN=1 moves the threshold to one reaction).
  const bool tree = GENERATE(false, true);
  INFO((tree ? "sum tree" : "linear scan"));
  const double b = 2;
  const std::string sbml =
      ModelBuilder("timed_rules")
          .compartment("C", 1)
          .species(counted("X", 200))
          .species(counted("Y", 0))
          .species(counted("Z", 0))
          .parameter("c", 0.5, false)
          .parameter("b", b)
          .parameter("x", 0, false)
          .assignment_rule("c", piecewise(cn(0.5), apply("lt", {csym_time(), cn(3)}), cn(0.1)))
          .rate_rule("x", cn(1))
          .reaction(reaction("death", {{"X", 1}}, {}, apply("times", {ci("c"), ci("X")})))
          .reaction(reaction("birth", {}, {{"Y", 1}}, apply("times", {ci("b"), ci("x")})))
          .reaction(reaction("immigration", {}, {{"Z", 1}}, cn(3)))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  if (tree) setenv("AXISIM_SSA_TREE_MIN", "1", 1);
  const axisim::StochasticSimulator ssa(model, {{"X"}, {"Y"}, {"Z"}});
  if (tree) unsetenv("AXISIM_SSA_TREE_MIN");
  const double n = 10000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(10, 10, 29), 0, static_cast<std::uint64_t>(n));
  SuiteRule rule(n);
  for (std::size_t i = 0; i <= 10; ++i) {
    const double t = static_cast<double>(i);
    const double integral = t <= 3 ? 0.5 * t : 1.5 + 0.1 * (t - 3);
    const auto [mx, sx] = binomials({{200, std::exp(-integral)}});
    rule.point(t, s.mean(i, 0), s.sd(i, 0), mx, sx);
    const double my = b * t * t / 2;
    rule.point(t, s.mean(i, 1), s.sd(i, 1), my, std::sqrt(my));
    rule.point(t, s.mean(i, 2), s.sd(i, 2), 3 * t, std::sqrt(3 * t));
  }
  rule.check(60);
}

TEST_CASE("A propensity that grows without bound stops the run, naming the reaction", "[stochastic][time]") {
  // 0 -> X at 1 / (5 - t): infinitely many firings before t = 5.
  const std::string sbml =
      ModelBuilder("blow_up")
          .compartment("C", 1)
          .species(counted("X", 0))
          .reaction(reaction("R", {}, {{"X", 1}}, apply("divide", {cn(1), apply("minus", {cn(5), csym_time()})})))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model);
  try {
    ssa.trajectory(grid(6, 6, 1));
    FAIL("no error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Solver);
    CHECK(std::string(e.what()).find("reaction 'R' has propensity") != std::string::npos);
  }
}

TEST_CASE("Hybrid: a birth rate from a rate rule that reads itself is Poisson with mean the integral of k e^{-d(t-s)}",
          "[stochastic][time][hybrid]") {
  // 0 -> X at k(t), X -> 0 at d X, with k' = r - lambda k (a rate rule whose rate changes between
  // firings: CVODE integrates it, and the integral of a0, between them). From X(0) = 0, X(t) is
  // Poisson with mean m(t) = integral over [0, t] of k(s) e^{-d (t - s)} ds; with
  // k(s) = c + b e^{-lambda s}, c = r / lambda, b = k0 - c:
  // m(t) = c (1 - e^{-d t}) / d + b (e^{-lambda t} - e^{-d t}) / (d - lambda).
  const double k0 = 20, r = 2, lambda = 0.5, d = 1;
  const std::string sbml =
      ModelBuilder("hybrid_birth_death")
          .compartment("C", 1)
          .species(counted("X", 0))
          .parameter("k", k0, false)
          .parameter("r", r)
          .parameter("lambda", lambda)
          .parameter("d", d)
          .rate_rule("k", apply("minus", {ci("r"), apply("times", {ci("lambda"), ci("k")})}))
          .reaction(reaction("birth", {}, {{"X", 1}}, ci("k")))
          .reaction(reaction("death", {{"X", 1}}, {}, apply("times", {ci("d"), ci("X")})))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"X"}, {"k"}});
  const double n = 2000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(6, 12, 31), 0, static_cast<std::uint64_t>(n));
  const double c = r / lambda, b = k0 - c;
  SuiteRule rule(n);
  for (std::size_t i = 0; i <= 12; ++i) {
    const double t = 0.5 * static_cast<double>(i);
    const double mu = c * (1 - std::exp(-d * t)) / d + b * (std::exp(-lambda * t) - std::exp(-d * t)) / (d - lambda);
    rule.point(t, s.mean(i, 0), s.sd(i, 0), mu, std::sqrt(mu));
    // k itself is deterministic: the same in every replicate, to CVODE's tolerance.
    CHECK(s.sd(i, 1) < 1e-6);
    CHECK(std::fabs(s.mean(i, 1) - (c + b * std::exp(-lambda * t))) < 1e-6 * k0);
  }
  rule.check(24);
  CHECK(rule.exact == 1);
}

TEST_CASE("Hybrid: a rate rule that reads time drives a birth rate (k' = a cos t), Poisson with mean its integral",
          "[stochastic][time][hybrid]") {
  // 0 -> X at k, k' = a cos(t), k(0) = k0: k = k0 + a sin t, so X(t) is Poisson with mean
  // k0 t + a (1 - cos t). An event on k (a rate rule's variable: found by root-finding) records
  // when k first exceeds k0 + 0.99 a, at asin(0.99).
  const double k0 = 3, a = 2;
  const std::string sbml =
      ModelBuilder("hybrid_time")
          .compartment("C", 1)
          .species(counted("X", 0))
          .parameter("k", k0, false)
          .parameter("a", a)
          .parameter("T", -1, false)
          .rate_rule("k", apply("times", {ci("a"), apply("cos", {csym_time()})}))
          .reaction(reaction("birth", {}, {{"X", 1}}, ci("k")))
          .raw_event(event("high", apply("gt", {ci("k"), cn(k0 + 0.99 * a)}), {{"T", csym_time()}}))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"X"}, {"T"}});
  const double n = 2000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(5, 10, 37), 0, static_cast<std::uint64_t>(n));
  SuiteRule rule(n);
  for (std::size_t i = 0; i <= 10; ++i) {
    const double t = 0.5 * static_cast<double>(i);
    const double mu = k0 * t + a * (1 - std::cos(t));
    rule.point(t, s.mean(i, 0), s.sd(i, 0), mu, std::sqrt(mu));
  }
  rule.check(20);
  // k follows CVODE's solution, not sin exactly: the switch is asin(0.99) to its tolerance.
  CHECK(std::fabs(s.mean(10, 1) - std::asin(0.99)) < 1e-5);
  CHECK(s.sd(10, 1) < 1e-6);
}

TEST_CASE("Hybrid: a pulse sin(t) > 0.99 between sparse firings fires in every replicate", "[stochastic][time][hybrid]") {
  // X -> 0 at 0.05 X, X(0) = 0; an event adds 10 molecules of X and counts itself whenever
  // sin(t) > 0.99 switches on: at asin(0.99) + 2 pi j, pulses 0.28 wide. The outputs (every 5)
  // fall outside them and the firings are seconds apart, so checking the trigger at firings and
  // outputs alone would miss every pulse; root-finding along the integration between firings
  // finds each. N(t) is then exact in every replicate and X(t) a sum of binomials
  // Binomial(10, e^{-0.05 (t - t_j)}) over the pulses so far.
  const double k = 0.05;
  const std::string sbml =
      ModelBuilder("sine_pulses")
          .compartment("C", 1)
          .species(counted("X", 0))
          .parameter("N", 0, false)
          .parameter("T", -1, false)
          .reaction(reaction("decay", {{"X", 1}}, {}, apply("times", {cn(k), ci("X")})))
          .raw_event(event("pulse", apply("gt", {apply("sin", {csym_time()}), cn(0.99)}),
                           {{"X", apply("plus", {ci("X"), cn(10)})}, {"N", apply("plus", {ci("N"), cn(1)})},
                            {"T", csym_time()}}))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"X"}, {"N"}, {"T"}});
  const double n = 1000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(20, 4, 41), 0, static_cast<std::uint64_t>(n));
  const double first = std::asin(0.99);
  SuiteRule rule(n);
  for (std::size_t i = 0; i <= 4; ++i) {
    const double t = 5.0 * static_cast<double>(i);
    double pulses = 0;
    double mean = 0, var = 0, last = -1;
    for (int j = 0; j < 4; ++j) {
      const double tj = first + 2 * M_PI * j;
      if (tj > t) break;
      ++pulses;
      last = tj;
      const double p = std::exp(-k * (t - tj));
      mean += 10 * p;
      var += 10 * p * (1 - p);
    }
    CHECK(s.mean(i, 1) == pulses);
    CHECK(s.sd(i, 1) == 0.0);
    if (last >= 0) CHECK(std::fabs(s.mean(i, 2) - last) <= 1e-12 * last);
    rule.point(t, s.mean(i, 0), s.sd(i, 0), mean, std::sqrt(var));
  }
  rule.check(8);
}

TEST_CASE("Hybrid: an event at time >= 3 resets the rate rule's variable, and the mean follows the reset", "[stochastic][time][hybrid]") {
  // As the first hybrid test, k' = r - lambda k from k0, and at t = 3 (a computed switch, where
  // the integration stops exactly) an event sets k back to k0, so CVODE starts again from there.
  // X(t) is Poisson with mean m(t) = integral over [0, t] of k(s) e^{-d (t - s)} ds, taken here by
  // Simpson's rule with k(s) = c + b e^{-lambda s} before 3 and c + b e^{-lambda (s - 3)} after.
  const double k0 = 20, r = 2, lambda = 0.5, d = 1;
  const std::string sbml =
      ModelBuilder("hybrid_reset")
          .compartment("C", 1)
          .species(counted("X", 0))
          .parameter("k", k0, false)
          .parameter("r", r)
          .parameter("lambda", lambda)
          .parameter("d", d)
          .rate_rule("k", apply("minus", {ci("r"), apply("times", {ci("lambda"), ci("k")})}))
          .reaction(reaction("birth", {}, {{"X", 1}}, ci("k")))
          .reaction(reaction("death", {{"X", 1}}, {}, apply("times", {ci("d"), ci("X")})))
          .raw_event(event("reset", apply("geq", {csym_time(), cn(3)}), {{"k", cn(k0)}}))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"X"}, {"k"}});
  const double n = 1000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(6, 6, 43), 0, static_cast<std::uint64_t>(n));
  const double c = r / lambda, b = k0 - c;
  auto k_at = [&](double u) { return c + b * std::exp(-lambda * (u < 3 ? u : u - 3)); };
  // The integral over [lo, hi] of (c + b e^{-lambda (u - since)}) e^{-d (t - u)} du, Simpson's rule.
  auto simpson = [&](double lo, double hi, double since, double t) {
    const int m = 2000;
    const double h = (hi - lo) / m;
    double sum = 0;
    for (int i = 0; i <= m; ++i) {
      const double u = lo + i * h;
      sum += (i == 0 || i == m ? 1 : (i % 2 ? 4 : 2)) * (c + b * std::exp(-lambda * (u - since))) * std::exp(-d * (t - u));
    }
    return sum * h / 3;
  };
  auto mean_at = [&](double t) { return t <= 3 ? simpson(0, t, 0, t) : simpson(0, 3, 0, t) + simpson(3, t, 3, t); };
  SuiteRule rule(n);
  for (std::size_t i = 1; i <= 6; ++i) {
    const double t = static_cast<double>(i);
    const double mu = mean_at(t);
    rule.point(t, s.mean(i, 0), s.sd(i, 0), mu, std::sqrt(mu));
    CHECK(std::fabs(s.mean(i, 1) - k_at(t)) < 1e-5 * k0);
  }
  rule.check(12);
}

TEST_CASE("Hybrid: a propensity that a rate rule drives below zero stops the run, naming the reaction and the time",
          "[stochastic][time][hybrid]") {
  // 0 -> X at k, k' = -k - 1 from 20: k = 21 e^{-t} - 1 crosses zero at ln 21.
  const std::string sbml = ModelBuilder("hybrid_negative")
                               .compartment("C", 1)
                               .species(counted("X", 0))
                               .parameter("k", 20, false)
                               .rate_rule("k", apply("minus", {apply("minus", {ci("k")}), cn(1)}))
                               .reaction(reaction("birth", {}, {{"X", 1}}, ci("k")))
                               .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model);
  try {
    ssa.trajectory(grid(6, 6, 1));
    FAIL("no error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Solver);
    const std::string what = e.what();
    CHECK(what.find("reaction 'birth' has propensity") != std::string::npos);
    const auto at = what.find("at t = ");
    REQUIRE(at != std::string::npos);
    CHECK(std::fabs(std::stod(what.substr(at + 7)) - std::log(21.0)) < 1e-5);
  }
}

TEST_CASE("Hybrid: a pulse narrower than an integration step (sin(t) > 1 - 1e-9) is found at its top", "[stochastic][time][hybrid]") {
  // sin(t) > 1 - 1e-9 holds for 9e-5 time units around each peak, far less than CVODE's steps
  // there: the locator is negative at both ends of the step. Its rate of change, cos t, is a
  // root function too, and changes sign at the top: the run stops there, and the switch is found
  // on the interpolant. N counts the pulses exactly in every replicate; T is the last one's
  // first instant, asin(1 - 1e-9) + 2 pi j (asin's condition number there, 2e4, allows 1e-11).
  const double threshold = 1 - 1e-9;
  const std::string sbml =
      ModelBuilder("narrow_pulses")
          .compartment("C", 1)
          .species(counted("X", 0))
          .parameter("N", 0, false)
          .parameter("T", -1, false)
          .reaction(reaction("decay", {{"X", 1}}, {}, apply("times", {cn(0.05), ci("X")})))
          .raw_event(event("pulse", apply("gt", {apply("sin", {csym_time()}), cn(threshold)}),
                           {{"X", apply("plus", {ci("X"), cn(10)})}, {"N", apply("plus", {ci("N"), cn(1)})},
                            {"T", csym_time()}}))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"N"}, {"T"}});
  const axisim::EnsembleStatistics s = ssa.statistics(grid(20, 4, 47), 0, 200);
  const double first = std::asin(threshold);
  for (std::size_t i = 1; i <= 4; ++i) {
    const double t = 5.0 * static_cast<double>(i);
    int pulses = 0;
    double last = -1;
    for (int j = 0; j < 4; ++j)
      if (first + 2 * M_PI * j <= t) {
        ++pulses;
        last = first + 2 * M_PI * j;
      }
    CHECK(s.mean(i, 0) == pulses);
    CHECK(s.sd(i, 0) == 0.0);
    CHECK(std::fabs(s.mean(i, 1) - last) < 1e-11 * 2e4);
  }
}
