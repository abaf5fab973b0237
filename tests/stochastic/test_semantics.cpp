// Stochastic simulation's semantics: reproducibility whatever the thread count, statistics,
// units, events, rules, and what is refused (with the element named).
#include <cmath>
#include <cstring>
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

// A -> B -> 0 with a rule and an event: something of everything on the hot path.
std::string chain() {
  return ModelBuilder("chain")
      .compartment("C", 1)
      .species(counted("A", 200))
      .species(counted("B", 0))
      .parameter("k1", 0.3)
      .parameter("k2", 0.2)
      .parameter("twice", 0, false)
      .assignment_rule("twice", apply("times", {cn(2), ci("B")}))
      .reaction(reaction("r1", {{"A", 1}}, {{"B", 1}}, apply("times", {ci("k1"), ci("A")})))
      .reaction(reaction("r2", {{"B", 1}}, {}, apply("times", {ci("k2"), ci("B")})))
      .raw_event("<event id=\"refill\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" "
                 "persistent=\"true\">" +
                 math(apply("lt", {ci("A"), cn(20)})) +
                 "</trigger><listOfEventAssignments><eventAssignment variable=\"A\">" + math(cn(100)) +
                 "</eventAssignment></listOfEventAssignments></event>")
      .str();
}

bool tu_contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

std::string refusal(const std::string& sbml) {
  try {
    const axisim::Model model = axisim::Model::from_string(sbml);
    axisim::StochasticSimulator ssa(model);
  } catch (const axisim::Error& e) {
    if (e.kind() == axisim::ErrorKind::Unsupported) return e.what();
    return std::string("wrong kind: ") + e.what();
  }
  return "not refused";
}

}  // namespace

TEST_CASE("Replicate streams come from the seed and the replicate number alone", "[stochastic]") {
  // splitmix64's first output from state 0 (Steele, Lea and Flood's reference sequence).
  CHECK(axisim::replicate_seed(0, 0) != 0);
  CHECK(axisim::replicate_seed(1, 0) != axisim::replicate_seed(1, 1));
  CHECK(axisim::replicate_seed(1, 5) != axisim::replicate_seed(2, 5));
  const axisim::Model model = axisim::Model::from_string(chain());
  const axisim::StochasticSimulator ssa(model);
  const axisim::Result a = ssa.trajectory(grid(30, 30, 42), 7);
  const axisim::Result b = ssa.trajectory(grid(30, 30, 42), 7);
  const axisim::Result c = ssa.trajectory(grid(30, 30, 42), 8);
  REQUIRE(a.rows() == 31);
  bool differs = false;
  for (std::size_t i = 0; i < a.rows(); ++i)
    for (std::size_t j = 0; j < a.cols(); ++j) {
      CHECK(same_bits(a.at(i, j), b.at(i, j)));
      differs = differs || a.at(i, j) != c.at(i, j);
    }
  CHECK(differs);
  // Replicate 7 of a whole ensemble is the same trajectory as replicate 7 alone.
  const axisim::Result all = ssa.trajectories(grid(30, 30, 42, 2), 0, 20);
  for (std::size_t i = 0; i < a.rows(); ++i) {
    const std::size_t row = 7 * a.rows() + i;
    CHECK(all.at(row, 0) == 7);
    for (std::size_t j = 0; j < a.cols(); ++j) CHECK(same_bits(all.at(row, j + 1), a.at(i, j)));
  }
}

TEST_CASE("The thread count changes nothing: -j 1, 2 and 4 give bit-identical statistics and trajectories", "[stochastic]") {
  const axisim::Model model = axisim::Model::from_string(chain());
  const axisim::StochasticSimulator ssa(model, {{"A"}, {"B"}, {"twice"}, {"r1"}});
  // 300 replicates from 10: blocks of 64 cut at 64, 128, ... (a short first and last block).
  const axisim::EnsembleStatistics one = ssa.statistics(grid(30, 15, 9, 1), 10, 300);
  const axisim::EnsembleStatistics two = ssa.statistics(grid(30, 15, 9, 2), 10, 300);
  const axisim::EnsembleStatistics four = ssa.statistics(grid(30, 15, 9, 4), 10, 300);
  REQUIRE(one.count() == 300);
  for (std::size_t k = 0; k <= 15; ++k)
    for (std::size_t c = 0; c < 4; ++c) {
      CHECK(same_bits(one.mean(k, c), two.mean(k, c)));
      CHECK(same_bits(one.sd(k, c), two.sd(k, c)));
      CHECK(same_bits(one.mean(k, c), four.mean(k, c)));
      CHECK(same_bits(one.sd(k, c), four.sd(k, c)));
    }
  // The blocks, merged left to right (as axisim batch does across processes), give the same bits.
  const std::vector<axisim::EnsembleStatistics> blocks = ssa.block_statistics(grid(30, 15, 9, 2), 10, 300);
  REQUIRE(blocks.size() == 5);  // [10,64) [64,128) [128,192) [192,256) [256,310)
  CHECK(blocks.front().count() == 54);
  CHECK(blocks.back().count() == 54);
  axisim::EnsembleStatistics merged = blocks.front();
  for (std::size_t b = 1; b < blocks.size(); ++b) merged.merge(blocks[b]);
  for (std::size_t k = 0; k <= 15; ++k)
    for (std::size_t c = 0; c < 4; ++c) {
      CHECK(same_bits(merged.mean(k, c), one.mean(k, c)));
      CHECK(same_bits(merged.sd(k, c), one.sd(k, c)));
    }
  const axisim::Result t1 = ssa.trajectories(grid(30, 15, 9, 1), 0, 130);
  const axisim::Result t2 = ssa.trajectories(grid(30, 15, 9, 2), 0, 130);
  REQUIRE(t1.rows() == t2.rows());
  for (std::size_t i = 0; i < t1.rows(); ++i)
    for (std::size_t j = 0; j < t1.cols(); ++j) CHECK(same_bits(t1.at(i, j), t2.at(i, j)));
}

TEST_CASE("Welford and Chan: statistics match a two-pass computation, and survive a text round trip", "[stochastic]") {
  // Values near 1e9 with a spread of a few units: a naive sum of squares loses every digit.
  std::vector<double> xs;
  for (int i = 0; i < 1000; ++i) xs.push_back(1e9 + std::sin(i * 0.7) * 3 + (i % 7));
  double mean = 0;
  for (double x : xs) mean += x / static_cast<double>(xs.size());
  double ss = 0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / static_cast<double>(xs.size() - 1));
  axisim::EnsembleStatistics a({"X"}, {0.0}), b({"X"}, {0.0}), all({"X"}, {0.0});
  for (std::size_t i = 0; i < xs.size(); ++i) {
    (i < 377 ? a : b).add(&xs[i]);
    all.add(&xs[i]);
  }
  a.merge(b);
  CHECK(a.count() == 1000);
  CHECK(a.mean(0, 0) == Approx(mean).epsilon(1e-15));
  CHECK(a.sd(0, 0) == Approx(sd).epsilon(1e-9));
  CHECK(all.sd(0, 0) == Approx(sd).epsilon(1e-9));
  const axisim::EnsembleStatistics back = axisim::EnsembleStatistics::parse(a.serialize(), "test");
  CHECK(back.count() == a.count());
  CHECK(same_bits(back.mean(0, 0), a.mean(0, 0)));
  CHECK(same_bits(back.sd(0, 0), a.sd(0, 0)));
  CHECK_THROWS_AS(axisim::EnsembleStatistics::parse("nonsense", "test"), axisim::Error);
  // One replicate has no sample standard deviation.
  axisim::EnsembleStatistics one({"X"}, {0.0});
  one.add(&xs[0]);
  CHECK(std::isnan(one.sd(0, 0)));
  const axisim::Result table = all.table();
  REQUIRE(table.columns() == std::vector<std::string>{"time", "X-mean", "X-sd"});
}

TEST_CASE("Concentration species in a compartment of size 2: propensity is the kinetic law in substance per time",
          "[stochastic]") {
  // As SBML test 00011 of the stochastic suite: X -> 2X at Lambda * [X], X -> 0 at Mu * [X] with
  // [X] = X / 2, so the amount's mean is X0 exp((Lambda - Mu) t / 2).
  Species x;
  x.id = "X";
  x.initial = 100;
  const std::string sbml =
      ModelBuilder("conc")
          .compartment("C", 2)
          .species(x)
          .parameter("L", 0.1)
          .parameter("M", 0.11)
          .reaction(reaction("b", {{"X", 1}}, {{"X", 2}}, apply("times", {ci("L"), ci("X")})))
          .reaction(reaction("d", {{"X", 1}}, {}, apply("times", {ci("M"), ci("X")})))
          .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"X", axisim::Quantity::Amount}, {"X", axisim::Quantity::Concentration}});
  const axisim::EnsembleStatistics s = ssa.statistics(grid(50, 2, 3, 2), 0, 4000);
  const double mu = 100 * std::exp(-0.01 * 50 / 2), var = 100 * 0.21 / -0.01 * std::exp(-0.005 * 50) * (std::exp(-0.005 * 50) - 1);
  CHECK(std::fabs(s.mean(2, 0) - mu) <= 4 * std::sqrt(var / 4000));
  CHECK(s.mean(2, 1) == Approx(s.mean(2, 0) / 2).epsilon(1e-12));
}

TEST_CASE("Moles are counted with Avogadro's number", "[stochastic]") {
  // 1e-21 mol is 602.214179 molecules: rounded to 602 (with a warning); amounts stay in moles.
  const double na = 6.02214179e23;
  Species s = counted("S", 1e-21);
  const std::string sbml = ModelBuilder("moles")
                               .model_attrs("substanceUnits=\"mole\" extentUnits=\"mole\" timeUnits=\"second\"")
                               .compartment("C", 1)
                               .species(s)
                               .parameter("k", 0.1)
                               .reaction(reaction("decay", {{"S", 1}}, {}, apply("times", {ci("k"), ci("S")})))
                               .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"S", axisim::Quantity::Amount}});
  const axisim::EnsembleStatistics st = ssa.statistics(grid(10, 1, 1, 2), 0, 2000);
  CHECK(st.mean(0, 0) == 602 / na);
  // Each molecule decays independently: binomial(602, e^{-1}) at t = 10.
  const double p = std::exp(-1.0), mu = 602 * p, var = 602 * p * (1 - p);
  CHECK(std::fabs(st.mean(1, 0) * na - mu) <= 4 * std::sqrt(var / 2000));
  CHECK(std::fabs(st.sd(1, 0) * na * st.sd(1, 0) * na - var) <= 4 * var * std::sqrt(2.0 / 1999));
  // Every replicate's amount is a whole number of molecules.
  const axisim::Result one = ssa.trajectory(grid(10, 10, 4));
  for (std::size_t i = 0; i < one.rows(); ++i) CHECK(std::fabs(one.at(i, 1) * na - std::nearbyint(one.at(i, 1) * na)) < 1e-6);
}

TEST_CASE("Events: a time trigger resets a species at exactly its time, before the output there", "[stochastic]") {
  // As the suite's case 00028: at t >= 25, X := 50.
  const std::string sbml = ModelBuilder("reset_model")
                               .compartment("C", 1)
                               .species(counted("X", 0))
                               .parameter("a", 1)
                               .parameter("m", 0.1)
                               .reaction(reaction("in", {}, {{"X", 1}}, ci("a")))
                               .reaction(reaction("out", {{"X", 1}}, {}, apply("times", {ci("m"), ci("X")})))
                               .raw_event("<event id=\"reset\" useValuesFromTriggerTime=\"true\"><trigger "
                                          "initialValue=\"false\" persistent=\"true\">" +
                                          math(apply("geq", {csym_time(), cn(25)})) +
                                          "</trigger><listOfEventAssignments><eventAssignment variable=\"X\">" +
                                          math(cn(50)) + "</eventAssignment></listOfEventAssignments></event>")
                               .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model);
  const axisim::EnsembleStatistics s = ssa.statistics(grid(50, 50, 8, 2), 0, 1000);
  CHECK(s.mean(25, 0) == 50);
  CHECK(s.sd(25, 0) == 0);
  // After the reset: mean 10 + 40 e^{-0.1 (t - 25)} (immigration-death from 50).
  // X(50) = Binomial(50, p) + Poisson(10 (1 - p)), p = e^{-0.1 * 25}.
  const double p = std::exp(-0.1 * 25), mu = 50 * p + 10 * (1 - p), var = 50 * p * (1 - p) + 10 * (1 - p);
  CHECK(std::fabs(s.mean(50, 0) - mu) <= 4 * std::sqrt(var / 1000));
}

TEST_CASE("Rate rules are integrated exactly between firings", "[stochastic]") {
  // dx/dt = S while S decays at k S: x(t) is the integral of S, E x(t) = S0 (1 - e^{-kt}) / k.
  const std::string sbml = ModelBuilder("area")
                               .compartment("C", 1)
                               .species(counted("S", 100))
                               .parameter("k", 0.2)
                               .parameter("x", 0, false)
                               .rate_rule("x", ci("S"))
                               .reaction(reaction("d", {{"S", 1}}, {}, apply("times", {ci("k"), ci("S")})))
                               .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"x"}, {"S"}});
  const axisim::EnsembleStatistics s = ssa.statistics(grid(10, 2, 2, 2), 0, 2000);
  const double mu = 100 * (1 - std::exp(-2.0)) / 0.2;
  CHECK(std::fabs(s.mean(2, 0) - mu) <= 4 * s.sd(2, 0) / std::sqrt(2000.0));
  // One trajectory: x grows by S dt between firings, so before the first firing x = S0 t.
  const axisim::Result one = ssa.trajectory(grid(1e-6, 1, 1));
  CHECK(one.at(1, 1) == Approx(100 * 1e-6).epsilon(1e-12));
}

TEST_CASE("What SSA cannot mean is refused, naming the element", "[stochastic]") {
  const Reaction decay = reaction("R", {{"S", 1}}, {}, apply("times", {ci("k"), ci("S")}));
  auto base = [&] {
    ModelBuilder b("m");
    b.compartment("C", 1).species(counted("S", 10)).parameter("k", 1);
    return b;
  };
  SECTION("algebraic rules") {
    const std::string msg = refusal(base().parameter("y", 1, false).algebraic_rule(apply("minus", {ci("y"), ci("S")})).reaction(decay).str());
    CHECK(tu_contains(msg, "algebraic rule"));
  }
  SECTION("fast reactions") {
    Reaction fast = decay;
    fast.extra_attrs = "fast=\"true\"";
    const std::string msg = refusal(base().level(3, 1).reaction(fast).str());
    CHECK(tu_contains(msg, "reaction 'R' is fast"));
  }
  SECTION("delay") {
    const std::string msg = refusal(base()
                                        .parameter("y", 0, false)
                                        .assignment_rule("y", apply_delay(ci("S"), cn(1)))
                                        .reaction(decay)
                                        .str());
    CHECK(tu_contains(msg, "delay"));
  }
  SECTION("non-integer stoichiometry") {
    const std::string msg = refusal(base().reaction(reaction("R", {{"S", 1.5}}, {}, apply("times", {ci("k"), ci("S")}))).str());
    CHECK(tu_contains(msg, "reaction 'R' changes species 'S' by -1.5"));
  }
  SECTION("rateOf") {
    const std::string msg =
        refusal(base().parameter("y", 0, false).assignment_rule("y", apply_rate_of(ci("S"))).reaction(decay).str());
    CHECK(tu_contains(msg, "assignment rule for 'y' uses rateOf"));
  }
}

TEST_CASE("Negative propensities and counts stop the run with the reaction named", "[stochastic]") {
  SECTION("a kinetic law below zero") {
    const std::string sbml = ModelBuilder("neg")
                                 .compartment("C", 1)
                                 .species(counted("S", 10))
                                 .parameter("k", -1)
                                 .reaction(reaction("R", {{"S", 1}}, {}, apply("times", {ci("k"), ci("S")})))
                                 .str();
    const axisim::Model model = axisim::Model::from_string(sbml);
    const axisim::StochasticSimulator ssa(model);
    try {
      ssa.trajectory(grid(1, 1, 1));
      FAIL("no error");
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == axisim::ErrorKind::Solver);
      CHECK(tu_contains(e.what(), "reaction 'R' has propensity -10"));
    }
  }
  SECTION("a kinetic law that does not vanish with its reactant") {
    const std::string sbml = ModelBuilder("leak")
                                 .compartment("C", 1)
                                 .species(counted("S", 2))
                                 .parameter("k", 5)
                                 .reaction(reaction("R", {{"S", 1}}, {}, ci("k")))
                                 .str();
    const axisim::Model model = axisim::Model::from_string(sbml);
    const axisim::StochasticSimulator ssa(model);
    try {
      ssa.trajectory(grid(100, 1, 1));
      FAIL("no error");
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == axisim::ErrorKind::Solver);
      CHECK(tu_contains(e.what(), "reaction 'R' fired with too few molecules of 'S'"));
    }
  }
}

TEST_CASE("Events: delays run at their due time, ties between equal priorities are drawn at random", "[stochastic]") {
  // Immigration into X; at t >= 5 an event with delay 2 empties X (X := 0 at t = 7 exactly), and
  // two events fire together at t >= 3 without priorities, setting Y to 1 and to 2: whichever
  // runs last wins, each with probability 1/2.
  auto event = [](const std::string& id, const std::string& trigger, const std::string& delay, const std::string& var,
                  double value) {
    return "<event id=\"" + id + "\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" persistent=\"true\">" +
           math(trigger) + "</trigger>" + (delay.empty() ? "" : "<delay>" + math(delay) + "</delay>") +
           "<listOfEventAssignments><eventAssignment variable=\"" + var + "\">" + math(cn(value)) +
           "</eventAssignment></listOfEventAssignments></event>";
  };
  const std::string sbml = ModelBuilder("delays")
                               .compartment("C", 1)
                               .species(counted("X", 0))
                               .parameter("a", 10)
                               .parameter("Y", 0, false)
                               .reaction(reaction("in", {}, {{"X", 1}}, ci("a")))
                               .raw_event(event("empty", apply("geq", {csym_time(), cn(5)}), cn(2), "X", 0))
                               .raw_event(event("one", apply("geq", {csym_time(), cn(3)}), "", "Y", 1))
                               .raw_event(event("two", apply("geq", {csym_time(), cn(3)}), "", "Y", 2))
                               .str();
  const axisim::Model model = axisim::Model::from_string(sbml);
  const axisim::StochasticSimulator ssa(model, {{"X"}, {"Y"}});
  const std::uint64_t n = 2000;
  const axisim::EnsembleStatistics s = ssa.statistics(grid(10, 10, 12, 2), 0, n);
  // X: Poisson(10 t) up to t = 6, emptied at 7, Poisson(10 (t - 7)) after.
  CHECK(std::fabs(s.mean(6, 0) - 60) <= 4 * std::sqrt(60.0 / n));
  CHECK(s.mean(7, 0) == 0);
  CHECK(s.sd(7, 0) == 0);
  CHECK(std::fabs(s.mean(10, 0) - 30) <= 4 * std::sqrt(30.0 / n));
  // Y: 1 or 2 with probability 1/2 each from t = 3: mean 1.5, sd 0.5.
  CHECK(s.mean(2, 1) == 0);
  CHECK(std::fabs(s.mean(3, 1) - 1.5) <= 4 * 0.5 / std::sqrt(static_cast<double>(n)));
  CHECK(s.sd(3, 1) == Approx(0.5).epsilon(0.05));
}
