// test_solver.cpp — integration results against analytic solutions and published values.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/result.hpp"
#include "sbml_fixtures.hpp"
#include "test_util.hpp"

using namespace fx;
using axisim::ErrorKind;
using axisim::Quantity;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

axisim::SimulationOptions options(double start, double end, int steps, double rtol = 1e-10,
                                  double atol = 1e-14) {
  axisim::SimulationOptions o;
  o.start = start;
  o.end = end;
  o.steps = steps;
  o.rtol = rtol;
  o.atol = atol;
  return o;
}

std::string robertson_model() {
  // y1 -> y2 (k1 y1); 2 y2 -> y2 + y3 (k2 y2^2); y2 + y3 -> y1 + y3 (k3 y2 y3)
  ModelBuilder b("robertson");
  b.compartment("C", 1.0);
  b.species("y1", 1.0).species("y2", 0.0).species("y3", 0.0);
  b.parameter("k1", 0.04).parameter("k2", 3e7).parameter("k3", 1e4);
  Reaction r1{"R1", {{"y1", 1}}, {{"y2", 1}}, apply("times", {ci("k1"), ci("y1")}), {}, {}, ""};
  Reaction r2{"R2", {{"y2", 2}}, {{"y2", 1}, {"y3", 1}},
              apply("times", {ci("k2"), ci("y2"), ci("y2")}), {}, {}, ""};
  Reaction r3{"R3", {{"y2", 1}, {"y3", 1}}, {{"y1", 1}, {"y3", 1}},
              apply("times", {ci("k3"), ci("y2"), ci("y3")}), {}, {}, ""};
  b.reaction(r1).reaction(r2).reaction(r3);
  return b.str();
}

}  // namespace

TEST_CASE("exponential decay matches S0 exp(-k t) at every output row", "[solver]") {
  const double s0 = 10.0, k = 0.5;
  auto m = axisim::Model::from_string(decay_model(s0, k));
  auto r = m.simulate(options(0, 10, 50, 1e-10, 1e-12));
  REQUIRE(r.cols() == 2);
  REQUIRE(r.columns()[0] == "time");
  REQUIRE(r.columns()[1] == "S1");
  REQUIRE(r.rows() == 51);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    INFO("row " << i << " t = " << t);
    CHECK_THAT(r.at(i, 1), WithinRel(s0 * std::exp(-k * t), 1e-7));
  }
  CHECK(r.stats.steps > 0);
  CHECK(r.stats.rhs_evaluations > 0);
}

TEST_CASE("output times are start + k (end - start) / steps", "[solver]") {
  auto m = axisim::Model::from_string(decay_model());
  SECTION("binary-exact grid") {
    auto r = m.simulate(options(1, 3, 8));
    REQUIRE(r.rows() == 9);
    for (int k = 0; k <= 8; ++k) CHECK(r.at(k, 0) == 1.0 + 0.25 * k);
    CHECK(r.at(8, 0) == 3.0);
  }
  SECTION("decimal grid: each time computed from k, not accumulated") {
    const double start = 0.0, end = 1.0;
    const int steps = 10;
    auto r = m.simulate(options(start, end, steps));
    REQUIRE(r.rows() == 11);
    for (int k = 0; k <= steps; ++k) {
      INFO("k = " << k);
      CHECK(r.at(k, 0) == start + k * (end - start) / steps);
    }
    CHECK(r.at(3, 0) == 0.3);  // not 0.30000000000000004
    CHECK(r.at(10, 0) == 1.0);
  }
  SECTION("start > 0: the state at time 0 is integrated silently to start") {
    auto r = m.simulate(options(2, 4, 2), {{"S1"}});
    REQUIRE(r.rows() == 3);
    CHECK(r.at(0, 0) == 2.0);
    CHECK_THAT(r.at(0, 1), WithinRel(10.0 * std::exp(-1.0), 1e-7));
    CHECK_THAT(r.at(2, 1), WithinRel(10.0 * std::exp(-2.0), 1e-7));
  }
  SECTION("one step gives two rows") {
    auto r = m.simulate(options(0, 5, 1));
    REQUIRE(r.rows() == 2);
    CHECK(r.at(0, 0) == 0.0);
    CHECK(r.at(1, 0) == 5.0);
  }
}

TEST_CASE("linear chain A -> B -> C follows the Bateman equations", "[solver]") {
  const double k1 = 1.0, k2 = 0.5, a0 = 1.0;
  ModelBuilder b("chain");
  b.compartment("C", 1.0).species("A", a0).species("B", 0.0).species("Cs", 0.0);
  b.parameter("k1", k1).parameter("k2", k2);
  b.reaction({"R1", {{"A", 1}}, {{"B", 1}}, apply("times", {ci("k1"), ci("A")}), {}, {}, ""});
  b.reaction({"R2", {{"B", 1}}, {{"Cs", 1}}, apply("times", {ci("k2"), ci("B")}), {}, {}, ""});
  auto m = axisim::Model::from_string(b.str());
  auto r = m.simulate(options(0, 20, 40), {{"A"}, {"B"}, {"Cs"}});
  REQUIRE(r.rows() == 41);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    double a = a0 * std::exp(-k1 * t);
    double bb = a0 * k1 / (k2 - k1) * (std::exp(-k1 * t) - std::exp(-k2 * t));
    double c = a0 - a - bb;
    INFO("t = " << t);
    CHECK_THAT(r.at(i, 1), WithinRel(a, 1e-7) || WithinAbs(a, 1e-12));
    CHECK_THAT(r.at(i, 2), WithinRel(bb, 1e-7) || WithinAbs(bb, 1e-12));
    CHECK_THAT(r.at(i, 3), WithinRel(c, 1e-7) || WithinAbs(c, 1e-12));
  }
}

TEST_CASE("rate rule on a parameter with time: p' = t gives t^2 / 2", "[solver]") {
  ModelBuilder b("ramp");
  b.parameter("p", 0.0, false);
  b.rate_rule("p", csym_time());
  auto m = axisim::Model::from_string(b.str());
  SECTION("from 0") {
    auto r = m.simulate(options(0, 4, 8), {{"p"}});
    REQUIRE(r.rows() == 9);
    for (std::size_t i = 0; i < r.rows(); ++i) {
      double t = r.at(i, 0);
      CHECK_THAT(r.at(i, 1), WithinRel(t * t / 2, 1e-8) || WithinAbs(0.0, 1e-14));
    }
    CHECK_THAT(r.at(8, 1), WithinRel(8.0, 1e-8));
  }
  SECTION("from start 2: the value at 0 is the initial one") {
    auto r = m.simulate(options(2, 4, 2), {{"p"}});
    CHECK_THAT(r.at(0, 1), WithinRel(2.0, 1e-8));
    CHECK_THAT(r.at(2, 1), WithinRel(8.0, 1e-8));
  }
  SECTION("a set initial value shifts the curve") {
    auto m2 = m;
    m2.set_value("p", 1.0);
    auto r = m2.simulate(options(0, 2, 2), {{"p"}});
    CHECK(r.at(0, 1) == 1.0);
    CHECK_THAT(r.at(2, 1), WithinRel(3.0, 1e-8));
  }
}

TEST_CASE("a compartment growing by a rate rule dilutes a reaction-free species", "[solver]") {
  ModelBuilder b("growth");
  b.compartment("V", 1.0, /*constant*/ false);
  b.species("S", 2.0, "V");  // initial amount 2
  b.parameter("g", 0.5);
  b.rate_rule("V", ci("g"));
  auto m = axisim::Model::from_string(b.str());
  auto r = m.simulate(options(0, 10, 20), {{"V"}, {"S"}, {"S", Quantity::Amount}});
  REQUIRE(r.rows() == 21);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    double v = 1.0 + 0.5 * t;
    INFO("t = " << t);
    CHECK_THAT(r.at(i, 1), WithinRel(v, 1e-8));
    CHECK_THAT(r.at(i, 2), WithinRel(2.0 / v, 1e-8));  // concentration = amount / V
    CHECK_THAT(r.at(i, 3), WithinRel(2.0, 1e-10));     // the amount does not change
  }
}

TEST_CASE("stiff Robertson problem against published values", "[solver]") {
  auto m = axisim::Model::from_string(robertson_model());

  // Output grid 0..400 in steps of 0.4: rows 1, 10, 100, 1000 are t = 0.4, 4, 40, 400.
  auto r = m.simulate(options(0, 400, 1000, 1e-10, 1e-14), {{"y1"}, {"y2"}, {"y3"}});
  REQUIRE(r.rows() == 1001);
  // A second run reaches t = 4e3, 4e4, 4e5 (rows 1, 10, 100).
  auto r2 = m.simulate(options(0, 4e5, 100, 1e-10, 1e-14), {{"y1"}, {"y2"}, {"y3"}});
  REQUIRE(r2.rows() == 101);

  struct Ref {
    const axisim::Result* res;
    std::size_t row;
    double t, y1, y2, y3;
  };

  SECTION("SUNDIALS cvRoberts_dns example output (computed with rtol 1e-4, so 2e-3 relative)") {
    // examples/cvode/serial/cvRoberts_dns.out in the SUNDIALS sources.
    const Ref refs[] = {
        {&r, 1, 0.4, 9.851641e-01, 3.386242e-05, 1.480205e-02},
        {&r, 10, 4.0, 9.055097e-01, 2.240338e-05, 9.446793e-02},
        {&r, 100, 40.0, 7.158017e-01, 9.185037e-06, 2.841892e-01},
        {&r, 1000, 400.0, 4.505360e-01, 3.223271e-06, 5.494608e-01},
        {&r2, 1, 4e3, 1.832066e-01, 8.942601e-07, 8.167925e-01},
        {&r2, 10, 4e4, 3.898824e-02, 1.621985e-07, 9.610116e-01},
        {&r2, 100, 4e5, 4.937043e-03, 1.984465e-08, 9.950629e-01},
    };
    for (const auto& ref : refs) {
      INFO("t = " << ref.t);
      CHECK(ref.res->at(ref.row, 0) == ref.t);
      CHECK_THAT(ref.res->at(ref.row, 1), WithinRel(ref.y1, 2e-3));
      CHECK_THAT(ref.res->at(ref.row, 2), WithinRel(ref.y2, 2e-3));
      CHECK_THAT(ref.res->at(ref.row, 3), WithinRel(ref.y3, 2e-3));
    }
  }
  SECTION("accurate reference values (5 significant digits at t = 0.4)") {
    // The accurate solution at t = 0.4 as usually quoted (Hairer & Wanner's reference), rounded to
    // 5 digits; it agrees with the tight values in the next section.
    CHECK_THAT(r.at(1, 1), WithinRel(9.8517e-01, 1e-4));
    CHECK_THAT(r.at(1, 2), WithinRel(3.3864e-05, 1e-4));
    CHECK_THAT(r.at(1, 3), WithinRel(1.4794e-02, 1e-4));
  }
  SECTION("tight reference values, 1e-6 relative") {
    // Computed independently of axisim by calling CVODE (BDF, dense) directly with rtol 1e-13
    // and absolute tolerances 1e-20/1e-24/1e-20; rtol 1e-11 agrees to 9 or more digits, and the
    // t = 0.4 values agree with the published 5-digit ones above.
    const Ref refs[] = {
        {&r, 1, 0.4, 9.8517211386e-01, 3.3863953790e-05, 1.4794022185e-02},
        {&r, 10, 4.0, 9.0551867858e-01, 2.2404756876e-05, 9.4458916659e-02},
        {&r, 100, 40.0, 7.1582706872e-01, 9.1855347646e-06, 2.8416374575e-01},
        {&r, 1000, 400.0, 4.5051866847e-01, 3.2229014417e-06, 5.4947810863e-01},
        {&r2, 1, 4e3, 1.8320225778e-01, 8.9423712528e-07, 8.1679684799e-01},
        {&r2, 10, 4e4, 3.8983377086e-02, 1.6217683159e-07, 9.6101646074e-01},
        {&r2, 100, 4e5, 4.9382745210e-03, 1.9849940880e-08, 9.9506170563e-01},
    };
    for (const auto& ref : refs) {
      INFO("t = " << ref.t);
      CHECK_THAT(ref.res->at(ref.row, 1), WithinRel(ref.y1, 1e-6));
      CHECK_THAT(ref.res->at(ref.row, 2), WithinRel(ref.y2, 1e-6));
      CHECK_THAT(ref.res->at(ref.row, 3), WithinRel(ref.y3, 1e-6));
    }
  }
  SECTION("mass is conserved: y1 + y2 + y3 = 1") {
    for (std::size_t i = 0; i < r.rows(); i += 50)
      CHECK_THAT(r.at(i, 1) + r.at(i, 2) + r.at(i, 3), WithinAbs(1.0, 1e-9));
  }
}

TEST_CASE("several threads simulating one model get identical results", "[solver]") {
  auto m = axisim::Model::from_string(robertson_model());
  auto opt = options(0, 40, 100, 1e-8, 1e-12);
  auto reference = m.simulate(opt);
  const int n = 4;
  std::vector<axisim::Result> results(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      axisim::Model copy = m;  // copies share the compiled system
      results[i] = (i % 2 == 0) ? m.simulate(opt) : copy.simulate(opt);
    });
  for (auto& t : threads) t.join();
  for (const auto& res : results) {
    REQUIRE(res.rows() == reference.rows());
    REQUIRE(res.cols() == reference.cols());
    bool same = true;
    for (std::size_t i = 0; i < res.rows(); ++i)
      for (std::size_t j = 0; j < res.cols(); ++j)
        if (res.at(i, j) != reference.at(i, j)) same = false;
    CHECK(same);
  }
}

TEST_CASE("a blow-up is reported as a solver error", "[solver]") {
  // S' = S^2, S(0) = 1 has the solution 1 / (1 - t), which goes to infinity at t = 1.
  ModelBuilder b("blowup");
  b.parameter("S", 1.0, false);
  b.rate_rule("S", apply("times", {ci("S"), ci("S")}));
  auto m = axisim::Model::from_string(b.str());
  auto opt = options(0, 2, 4, 1e-8, 1e-12);
  opt.max_steps = 5000;
  try {
    (void)m.simulate(opt);
    FAIL("integration through the singularity succeeded");
  } catch (const axisim::Error& e) {
    INFO(e.what());
    CHECK(e.kind() == ErrorKind::Solver);
  }
  SECTION("before the singularity the solution is right") {
    auto r = m.simulate(options(0, 0.5, 5), {{"S"}});
    for (std::size_t i = 0; i < r.rows(); ++i)
      CHECK_THAT(r.at(i, 1), WithinRel(1.0 / (1.0 - r.at(i, 0)), 1e-7));
  }
}

TEST_CASE("inconsistent simulation options are a usage error", "[solver]") {
  auto m = axisim::Model::from_string(decay_model());
  auto opt = options(0, 10, -1);
  try {
    (void)m.simulate(opt);
    FAIL("negative step count accepted");
  } catch (const axisim::Error& e) {
    INFO(e.what());
    CHECK(e.kind() == ErrorKind::Usage);
  }
}

TEST_CASE("reactions in a compartment growing by a rate rule change amounts, not concentrations",
          "[solver]") {
  // V' = 1, V(0) = 1; -> S at rate v = 1 (substance per time). The amount is t, whatever the
  // volume, and the concentration is t / (1 + t).
  ModelBuilder b("growing_reactor");
  b.compartment("V", 1.0, false);
  b.species("S", 0.0, "V");
  b.parameter("v", 1.0).parameter("g", 1.0);
  b.rate_rule("V", ci("g"));
  b.reaction({"R1", {}, {{"S", 1}}, ci("v"), {}, {}, ""});
  auto m = axisim::Model::from_string(b.str());
  auto r = m.simulate(options(0, 4, 8), {{"S", Quantity::Amount}, {"S"}, {"V"}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    INFO("t = " << t);
    CHECK_THAT(r.at(i, 1), WithinAbs(t, 1e-8));
    CHECK_THAT(r.at(i, 2), WithinAbs(t / (1.0 + t), 1e-8));
    CHECK_THAT(r.at(i, 3), WithinRel(1.0 + t, 1e-9));
  }
}

TEST_CASE("a compartment sized by an assignment rule", "[solver]") {
  // V = 1 + t; S has amount 2 and no reactions: [S] = 2 / (1 + t).
  // P is produced at rate 1 (amount t): [P] = t / (1 + t).
  ModelBuilder b("assigned_volume");
  b.compartment("V", 1.0, false);
  b.species("S", 2.0, "V").species("P", 0.0, "V");
  b.assignment_rule("V", apply("plus", {cn(1), csym_time()}));
  b.reaction({"R1", {}, {{"P", 1}}, cn(1), {}, {}, ""});
  auto m = axisim::Model::from_string(b.str());
  auto r = m.simulate(options(0, 3, 6), {{"V"}, {"S"}, {"S", Quantity::Amount}, {"P"}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    INFO("t = " << t);
    CHECK_THAT(r.at(i, 1), WithinRel(1.0 + t, 1e-12));
    CHECK_THAT(r.at(i, 2), WithinRel(2.0 / (1.0 + t), 1e-8));
    CHECK_THAT(r.at(i, 3), WithinRel(2.0, 1e-8));
    CHECK_THAT(r.at(i, 4), WithinAbs(t / (1.0 + t), 1e-8));
  }
}

TEST_CASE("a rate rule on a species acts on its concentration", "[solver]") {
  // [S](0) = 4 in a compartment of size 2; d[S]/dt = 1: [S] = 4 + t, amount 2 (4 + t).
  ModelBuilder b("species_rate_rule");
  b.compartment("C", 2.0);
  Species s{"S", "C", 4.0, false};
  b.species(s);
  b.rate_rule("S", cn(1));
  auto m = axisim::Model::from_string(b.str());
  auto r = m.simulate(options(0, 2, 4), {{"S"}, {"S", Quantity::Amount}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    CHECK_THAT(r.at(i, 1), WithinRel(4.0 + t, 1e-9));
    CHECK_THAT(r.at(i, 2), WithinRel(2.0 * (4.0 + t), 1e-9));
  }
}

TEST_CASE("an assignment rule on an hOSU species sets its amount", "[solver]") {
  // hasOnlySubstanceUnits: the rule's value is the amount; concentration = amount / 2.
  ModelBuilder b("species_assignment");
  b.compartment("C", 2.0);
  Species s{"S", "C", 0.0, true, true};
  b.species(s);
  b.assignment_rule("S", apply("times", {cn(3), csym_time()}));
  auto m = axisim::Model::from_string(b.str());
  auto r = m.simulate(options(0, 2, 2), {{"S"}, {"S", Quantity::Concentration}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    CHECK_THAT(r.at(i, 1), WithinAbs(3.0 * t, 1e-12));
    CHECK_THAT(r.at(i, 2), WithinAbs(1.5 * t, 1e-12));
  }
}

namespace {
// q' = (t < switch_time ? 1 : 0), q(0) = 0: q(t) = min(t, switch_time).
axisim::Result run_switch(double switch_time, double end, int steps) {
  ModelBuilder b("switch");
  b.parameter("q", 0.0, false);
  b.rate_rule("q", "<piecewise><piece>" + cn(1) + apply("lt", {csym_time(), cn(switch_time)}) +
                       "</piece><otherwise>" + cn(0) + "</otherwise></piecewise>");
  auto m = axisim::Model::from_string(b.str());
  return m.simulate(options(0, end, steps), {{"q"}});
}
}  // namespace

TEST_CASE("a piecewise switch in time between output times", "[solver]") {
  auto r = run_switch(1.7, 4, 8);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    INFO("t = " << t);
    CHECK_THAT(r.at(i, 1), WithinAbs(std::min(t, 1.7), 1e-6));
  }
}

TEST_CASE("a piecewise switch in time exactly at an output time", "[solver]") {
  SECTION("inside the interval") {
    auto r = run_switch(2.0, 4, 8);
    for (std::size_t i = 0; i < r.rows(); ++i) {
      double t = r.at(i, 0);
      INFO("t = " << t);
      CHECK_THAT(r.at(i, 1), WithinAbs(std::min(t, 2.0), 1e-6));
    }
  }
  SECTION("at the end time") {
    auto r = run_switch(2.0, 2, 4);
    CHECK_THAT(r.at(4, 1), WithinAbs(2.0, 1e-6));
  }
}

TEST_CASE("an hOSU species in a kinetic law is its amount", "[solver]") {
  // S (hasOnlySubstanceUnits, amount 10, compartment size 2) -> with rate k*S: A' = -k A.
  ModelBuilder b("hosu_kinetics");
  b.compartment("C", 2.0);
  Species s{"S", "C", 10.0, true, true};
  b.species(s).parameter("k", 0.5);
  b.reaction({"R1", {{"S", 1}}, {}, apply("times", {ci("k"), ci("S")}), {}, {}, ""});
  auto m = axisim::Model::from_string(b.str());
  auto r = m.simulate(options(0, 2, 2), {{"S"}, {"S", Quantity::Concentration}});
  CHECK_THAT(r.at(2, 1), WithinRel(10.0 * std::exp(-1.0), 1e-7));
  CHECK_THAT(r.at(2, 2), WithinRel(5.0 * std::exp(-1.0), 1e-7));
}
