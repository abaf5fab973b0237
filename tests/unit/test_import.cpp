// test_import.cpp — how SBML constructs are read: species quantities, boundary and constant
// species, local parameters, initial assignments, rule ordering, refused features, errors, older
// levels and conversion factors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
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

axisim::Result run(const axisim::Model& m, double end, int steps,
                   const std::vector<axisim::OutputSpec>& outputs = {}, double start = 0.0) {
  axisim::SimulationOptions opt;
  opt.start = start;
  opt.end = end;
  opt.steps = steps;
  opt.rtol = 1e-10;
  opt.atol = 1e-14;
  return m.simulate(opt, outputs);
}

// Expects `fn` to throw axisim::Error of `kind`; returns its message.
template <class Fn>
std::string expect_error(Fn&& fn, ErrorKind kind) {
  try {
    fn();
  } catch (const axisim::Error& e) {
    INFO("message: " << e.what());
    CHECK(static_cast<int>(e.kind()) == static_cast<int>(kind));
    return e.what();
  } catch (const std::exception& e) {
    FAIL("threw a non-axisim exception: " << e.what());
    return {};
  }
  FAIL("no exception thrown");
  return {};
}

std::string mass_action(const std::string& k, const std::string& s) {
  return apply("times", {ci(k), ci(s)});
}

}  // namespace

TEST_CASE("species: initial amount vs initial concentration in a compartment of size 2",
          "[import]") {
  ModelBuilder b("species_quantities");
  b.compartment("C", 2.0);
  Species amt{"S_amt", "C", 3.0, true};
  Species conc{"S_conc", "C", 3.0, false};
  Species hosu{"S_hosu", "C", 3.0, true, true};
  Species hosu_conc{"S_hosu_conc", "C", 3.0, false, true};
  b.species(amt).species(conc).species(hosu).species(hosu_conc);
  auto m = axisim::Model::from_string(b.str());

  SECTION("default quantity: concentration unless hasOnlySubstanceUnits") {
    CHECK(m.initial_value("S_amt") == 1.5);
    CHECK(m.initial_value("S_conc") == 3.0);
    CHECK(m.initial_value("S_hosu") == 3.0);
    CHECK(m.initial_value("S_hosu_conc") == 6.0);
  }
  SECTION("explicit amounts") {
    CHECK(m.initial_value("S_amt", Quantity::Amount) == 3.0);
    CHECK(m.initial_value("S_conc", Quantity::Amount) == 6.0);
    CHECK(m.initial_value("S_hosu", Quantity::Amount) == 3.0);
    CHECK(m.initial_value("S_hosu_conc", Quantity::Amount) == 6.0);
  }
  SECTION("explicit concentrations") {
    CHECK(m.initial_value("S_amt", Quantity::Concentration) == 1.5);
    CHECK(m.initial_value("S_conc", Quantity::Concentration) == 3.0);
    CHECK(m.initial_value("S_hosu", Quantity::Concentration) == 1.5);
    CHECK(m.initial_value("S_hosu_conc", Quantity::Concentration) == 3.0);
  }
  SECTION("simulation without outputs reports every species in its default quantity") {
    auto r = run(m, 1, 2);
    REQUIRE(r.cols() == 5);
    CHECK(r.columns()[0] == "time");
    std::vector<std::string> cols(r.columns().begin() + 1, r.columns().end());
    std::vector<std::string> want{"S_amt", "S_conc", "S_hosu", "S_hosu_conc"};
    CHECK(cols == want);  // document order
    for (std::size_t row = 0; row < r.rows(); ++row) {
      CHECK(r.column("S_amt")[row] == 1.5);
      CHECK(r.column("S_conc")[row] == 3.0);
      CHECK(r.column("S_hosu")[row] == 3.0);
      CHECK(r.column("S_hosu_conc")[row] == 6.0);
    }
  }
  SECTION("explicit output quantities") {
    auto r = run(m, 1, 1,
                 {{"S_amt", Quantity::Amount},
                  {"S_hosu", Quantity::Concentration},
                  {"C"}});
    REQUIRE(r.cols() == 4);
    CHECK(r.at(0, 1) == 3.0);
    CHECK(r.at(0, 2) == 1.5);
    CHECK(r.at(0, 3) == 2.0);
  }
  SECTION("set_value by amount and by concentration") {
    auto m2 = m;
    m2.set_value("S_amt", 4.0, Quantity::Amount);
    CHECK(m2.initial_value("S_amt") == 2.0);
    m2.set_value("S_conc", 4.0, Quantity::Concentration);
    CHECK(m2.initial_value("S_conc", Quantity::Amount) == 8.0);
    m2.set_value("S_hosu", 5.0);  // default quantity of an hOSU species is its amount
    CHECK(m2.initial_value("S_hosu", Quantity::Amount) == 5.0);
    // the original is untouched by changes to a copy
    CHECK(m.initial_value("S_amt") == 1.5);
    CHECK(m.initial_value("S_hosu", Quantity::Amount) == 3.0);
  }
}

TEST_CASE("amount and concentration of a reacting species in a compartment of size 2",
          "[import]") {
  // Rate is in substance/time: v = C * k * [S]; so amount A' = -k A, and [S] = A / 2.
  auto m = axisim::Model::from_string(two_species_model(2.0, 10.0, 0.5));
  CHECK(m.initial_value("S1") == 5.0);
  auto r = run(m, 2, 4, {{"S1"}, {"S1", Quantity::Amount}, {"S2", Quantity::Amount}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    CHECK_THAT(r.at(i, 1), WithinRel(5.0 * std::exp(-0.5 * t), 1e-7));
    CHECK_THAT(r.at(i, 2), WithinRel(10.0 * std::exp(-0.5 * t), 1e-7));
    CHECK_THAT(r.at(i, 3), WithinAbs(10.0 - 10.0 * std::exp(-0.5 * t), 1e-7));
  }
}

TEST_CASE("boundaryCondition species are not changed by reactions", "[import]") {
  ModelBuilder b("boundary");
  b.compartment("C", 1.0);
  Species sb{"B", "C", 2.0, true, false, /*boundary*/ true};
  b.species(sb).species("X", 0.0).parameter("k", 0.5);
  Reaction r;
  r.id = "R1";
  r.reactants = {{"B", 1}};
  r.products = {{"X", 1}};
  r.kinetic_math = mass_action("k", "B");
  b.reaction(r);
  auto m = axisim::Model::from_string(b.str());
  auto res = run(m, 4, 8, {{"B"}, {"X"}});
  for (std::size_t i = 0; i < res.rows(); ++i) {
    double t = res.at(i, 0);
    CHECK(res.at(i, 1) == 2.0);                           // B never moves
    CHECK_THAT(res.at(i, 2), WithinAbs(1.0 * t, 1e-9));  // X' = k * B = 1
  }
}

TEST_CASE("constant species keep their value and can be set", "[import]") {
  ModelBuilder b("constant_species");
  b.compartment("C", 1.0);
  Species sc{"E", "C", 4.0, true, false, false, /*constant*/ true};
  b.species(sc).species("X", 0.0).parameter("k", 0.5);
  Reaction r;
  r.id = "R1";
  r.products = {{"X", 1}};
  r.modifiers = {"E"};
  r.kinetic_math = mass_action("k", "E");
  b.reaction(r);
  auto m = axisim::Model::from_string(b.str());
  auto res = run(m, 2, 4, {{"E"}, {"X"}});
  for (std::size_t i = 0; i < res.rows(); ++i) {
    double t = res.at(i, 0);
    CHECK(res.at(i, 1) == 4.0);
    CHECK_THAT(res.at(i, 2), WithinAbs(2.0 * t, 1e-9));
  }
  auto m2 = m;
  m2.set_value("E", 10.0);
  auto res2 = run(m2, 2, 4, {{"E"}, {"X"}});
  CHECK(res2.at(4, 1) == 10.0);
  CHECK_THAT(res2.at(4, 2), WithinAbs(10.0, 1e-8));  // X(2) = 0.5 * 10 * 2
}

TEST_CASE("local parameters shadow global ones", "[import]") {
  ModelBuilder b("local_params");
  b.compartment("C", 1.0).species("S", 10.0).species("X", 0.0).parameter("k", 1.0);
  Reaction r1;
  r1.id = "R1";
  r1.reactants = {{"S", 1}};
  r1.kinetic_math = mass_action("k", "S");
  r1.local_parameters = {{"k", 2.0}};
  Reaction r2;  // uses the global k: X' = k = 1
  r2.id = "R2";
  r2.products = {{"X", 1}};
  r2.kinetic_math = ci("k");
  b.reaction(r1).reaction(r2);
  auto m = axisim::Model::from_string(b.str());

  auto ids = m.ids();
  CHECK(std::find(ids.begin(), ids.end(), "R1.k") != ids.end());
  CHECK(std::find(ids.begin(), ids.end(), "k") != ids.end());
  CHECK(m.kind("R1.k") == axisim::SymbolKind::LocalParameter);
  CHECK(m.kind("k") == axisim::SymbolKind::Parameter);
  CHECK(m.kind("S") == axisim::SymbolKind::Species);
  CHECK(m.kind("C") == axisim::SymbolKind::Compartment);
  CHECK(m.kind("R1") == axisim::SymbolKind::Reaction);
  CHECK(m.initial_value("R1.k") == 2.0);
  CHECK(m.initial_value("k") == 1.0);

  auto res = run(m, 1, 2, {{"S"}, {"X"}, {"R1"}});
  CHECK_THAT(res.at(2, 1), WithinRel(10.0 * std::exp(-2.0), 1e-7));
  CHECK_THAT(res.at(2, 2), WithinRel(1.0, 1e-7));
  // reaction rate column: 2 * S
  CHECK_THAT(res.at(2, 3), WithinRel(20.0 * std::exp(-2.0), 1e-7));

  SECTION("setting the local parameter changes only its reaction") {
    auto m2 = m;
    m2.set_value("R1.k", 3.0);
    auto r = run(m2, 1, 2, {{"S"}, {"X"}});
    CHECK_THAT(r.at(2, 1), WithinRel(10.0 * std::exp(-3.0), 1e-7));
    CHECK_THAT(r.at(2, 2), WithinRel(1.0, 1e-7));
  }
  SECTION("setting the global parameter does not reach the shadowed one") {
    auto m2 = m;
    m2.set_value("k", 5.0);
    auto r = run(m2, 1, 2, {{"S"}, {"X"}});
    CHECK_THAT(r.at(2, 1), WithinRel(10.0 * std::exp(-2.0), 1e-7));
    CHECK_THAT(r.at(2, 2), WithinRel(5.0, 1e-7));
  }
}

TEST_CASE("initial assignments, in any document order", "[import]") {
  ModelBuilder b("initial_assignments");
  b.compartment("C", 2.0);
  b.species("S", 0.0);
  b.parameter("a", 0.0).parameter("b", 0.0).parameter("c", 3.0);
  // a depends on b, which depends on c; listed a first.
  b.initial_assignment("a", apply("times", {ci("b"), cn(2)}));
  b.initial_assignment("S", ci("a"));  // S is a concentration in math: [S] = a
  b.initial_assignment("b", apply("plus", {ci("c"), cn(1)}));
  auto m = axisim::Model::from_string(b.str());

  CHECK(m.initial_value("b") == 4.0);
  CHECK(m.initial_value("a") == 8.0);
  CHECK(m.initial_value("S") == 8.0);
  CHECK(m.initial_value("S", Quantity::Amount) == 16.0);

  SECTION("dependents of a set value are recomputed") {
    auto m2 = m;
    m2.set_value("c", 10.0);
    CHECK(m2.initial_value("b") == 11.0);
    CHECK(m2.initial_value("a") == 22.0);
    auto r = run(m2, 1, 1, {{"a"}, {"S"}});
    CHECK(r.at(0, 1) == 22.0);
    CHECK(r.at(0, 2) == 22.0);
  }
  SECTION("set_value replaces the symbol's own initial assignment") {
    auto m2 = m;
    m2.set_value("b", 100.0);
    CHECK(m2.initial_value("b") == 100.0);
    CHECK(m2.initial_value("a") == 200.0);
  }
}

TEST_CASE("assignment rules are evaluated in dependency order", "[import]") {
  ModelBuilder b("rule_order");
  b.parameter_no_value("z", false).parameter_no_value("y", false).parameter_no_value("x", false);
  // z = y + x, y = 2 x, x = time + 1: listed in the reverse of dependency order.
  b.assignment_rule("z", apply("plus", {ci("y"), ci("x")}));
  b.assignment_rule("y", apply("times", {cn(2), ci("x")}));
  b.assignment_rule("x", apply("plus", {csym_time(), cn(1)}));
  auto m = axisim::Model::from_string(b.str());
  CHECK(m.initial_value("x") == 1.0);
  CHECK(m.initial_value("y") == 2.0);
  CHECK(m.initial_value("z") == 3.0);
  auto r = run(m, 3, 6, {{"x"}, {"y"}, {"z"}});
  REQUIRE(r.rows() == 7);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    CHECK(r.at(i, 1) == t + 1);
    CHECK(r.at(i, 2) == 2 * (t + 1));
    CHECK(r.at(i, 3) == 3 * (t + 1));
  }

  SECTION("a symbol set by an assignment rule cannot be set") {
    auto m2 = m;
    expect_error([&] { m2.set_value("y", 5.0); }, ErrorKind::Usage);
  }
}

TEST_CASE("a cycle of assignment rules is refused", "[import]") {
  ModelBuilder b("cycle");
  b.parameter_no_value("cyc_alpha", false).parameter_no_value("cyc_beta", false);
  b.assignment_rule("cyc_alpha", apply("plus", {ci("cyc_beta"), cn(1)}));
  b.assignment_rule("cyc_beta", apply("plus", {ci("cyc_alpha"), cn(1)}));
  std::string doc = b.str();
  try {
    axisim::Model::from_string(doc);
    FAIL("cycle accepted");
  } catch (const axisim::Error& e) {
    std::string msg = e.what();
    INFO(msg);
    CHECK((e.kind() == ErrorKind::InvalidSbml || e.kind() == ErrorKind::Unsupported));
    CHECK((tu::contains(msg, "cyc_alpha") || tu::contains(msg, "cyc_beta")));
  }
  SECTION("also without libSBML's validation") {
    // The runtime must not rely on libSBML to notice: sorting the rules finds the cycle.
    axisim::LoadOptions no_validation;
    no_validation.validate = false;
    try {
      axisim::Model::from_string(doc, no_validation);
      FAIL("cycle accepted without validation");
    } catch (const axisim::Error& e) {
      std::string msg = e.what();
      INFO(msg);
      CHECK((e.kind() == ErrorKind::InvalidSbml || e.kind() == ErrorKind::Unsupported));
      CHECK((tu::contains(msg, "cyc_alpha") || tu::contains(msg, "cyc_beta")));
    }
  }
}

TEST_CASE("events reset state when their trigger becomes true", "[import]") {
  // q' = 1, q(0) = 0; when t > 1.5, q := 0. So q = t up to 1.5 (the trigger is strict, so the
  // row at t = 1.5 still shows 1.5) and t - 1.5 after.
  // (The first brief had events refused as Unsupported; the runtime now implements them.)
  ModelBuilder b("with_event");
  b.parameter("q", 0.0, false);
  b.rate_rule("q", cn(1));
  b.raw_event("<event id=\"reset\" useValuesFromTriggerTime=\"true\">"
              "<trigger initialValue=\"false\" persistent=\"true\">" +
              math(apply("gt", {csym_time(), cn(1.5)})) +
              "</trigger><listOfEventAssignments><eventAssignment variable=\"q\">" +
              math(cn(0)) + "</eventAssignment></listOfEventAssignments></event>");
  auto m = axisim::Model::from_string(b.str());
  auto r = run(m, 4, 8, {{"q"}});
  REQUIRE(r.rows() == 9);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    INFO("t = " << t);
    CHECK_THAT(r.at(i, 1), WithinAbs(t <= 1.5 ? t : t - 1.5, 1e-6));
  }
}

namespace {

// A <-> B fast (kf A - kr B), and a slow supply -> A at rate 1: the fast reaction holds
// B = K A (K = kf / kr) while the total T = A + B grows as T0 + t, so A = T / (1 + K).
ModelBuilder fast_equilibrium_model(int level, int version) {
  ModelBuilder b("fast_equilibrium");
  b.level(level, version);
  b.compartment("C", 1.0).species("A", 1.0).species("B", 0.0).parameter("kf", 2.0).parameter("kr", 1.0);
  Reaction fast;
  fast.id = "R_fast";
  fast.reactants = {{"A", 1}};
  fast.products = {{"B", 1}};
  fast.kinetic_math = apply("minus", {mass_action("kf", "A"), mass_action("kr", "B")});
  fast.extra_attrs = "fast=\"true\"";
  b.reaction(fast);
  Reaction supply;
  supply.id = "R_supply";
  supply.products = {{"A", 1}};
  supply.kinetic_math = cn(1);
  b.reaction(supply);
  return b;
}

void check_fast_equilibrium(const axisim::Model& m) {
  auto r = run(m, 2.0, 4, {{"A", Quantity::Amount}, {"B", Quantity::Amount}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    const double total = 1.0 + r.at(i, 0);
    CHECK_THAT(r.at(i, 1), WithinRel(total / 3.0, 1e-7));
    CHECK_THAT(r.at(i, 2), WithinRel(2.0 * total / 3.0, 1e-7));
  }
}

}  // namespace

TEST_CASE("algebraic rules determine the variable nothing else determines", "[import]") {
  // 0 = x + y - 10 with y' = 1, y(0) = 0: x = 10 - t. x's given initial value (1) is
  // inconsistent and is replaced by the consistent one.
  ModelBuilder b("with_algebraic");
  b.parameter("x", 1.0, false).parameter("y", 0.0, false);
  b.rate_rule("y", cn(1));
  b.algebraic_rule(apply("minus", {apply("plus", {ci("x"), ci("y")}), cn(10)}));
  auto m = axisim::Model::from_string(b.str());
  auto r = run(m, 4.0, 4, {{"x"}, {"y"}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    CHECK_THAT(r.at(i, 2), WithinAbs(r.at(i, 0), 1e-8));
    CHECK_THAT(r.at(i, 1), WithinAbs(10.0 - r.at(i, 0), 1e-8));
  }
}

TEST_CASE("an algebraic rule with no variable left to determine is refused", "[import]") {
  ModelBuilder b("overdetermined");
  b.parameter("x", 1.0, false);
  b.assignment_rule("x", cn(2));
  b.algebraic_rule(apply("minus", {ci("x"), cn(1)}));
  axisim::LoadOptions no_validation;
  no_validation.validate = false;
  auto msg = expect_error([&] { axisim::Model::from_string(b.str(), no_validation); }, ErrorKind::Unsupported);
  CHECK(tu::icontains(msg, "overdetermined"));
}

TEST_CASE("delay reads the past: the history after time 0, the initial state before", "[import]") {
  // x' = 1 from x(0) = 0; p = delay(x, 1) is 0 until t = 1 (before time 0 nothing moved), then
  // t - 1. q = delay(r, 1) with the rule r = time holds at every time: q = t - 1 throughout.
  ModelBuilder b("with_delay");
  b.parameter("x", 0.0, false).parameter_no_value("p", false).parameter_no_value("r", false);
  b.parameter_no_value("q", false);
  b.rate_rule("x", cn(1));
  b.assignment_rule("p", apply_delay(ci("x"), cn(1)));
  b.assignment_rule("r", csym_time());
  b.assignment_rule("q", apply_delay(ci("r"), cn(1)));
  auto m = axisim::Model::from_string(b.str());
  auto r = run(m, 3.0, 12, {{"p"}, {"q"}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    const double t = r.at(i, 0);
    CHECK_THAT(r.at(i, 1), WithinAbs(std::max(0.0, t - 1.0), 1e-7));
    CHECK_THAT(r.at(i, 2), WithinAbs(t - 1.0, 1e-9));
  }
}

TEST_CASE("a fast reaction (Level 3 Version 1) is kept at equilibrium", "[import]") {
  check_fast_equilibrium(axisim::Model::from_string(fast_equilibrium_model(3, 1).str()));
}

TEST_CASE("unknown ids are reported as UnknownId", "[import]") {
  auto m = axisim::Model::from_string(decay_model());
  CHECK_FALSE(m.has_id("no_such_id"));
  CHECK(m.has_id("S1"));
  CHECK(m.has_id("k"));
  auto msg = expect_error([&] { m.set_value("no_such_id", 1.0); }, ErrorKind::UnknownId);
  CHECK(tu::contains(msg, "no_such_id"));
  expect_error([&] { (void)m.initial_value("no_such_id"); }, ErrorKind::UnknownId);
  expect_error([&] { (void)m.kind("no_such_id"); }, ErrorKind::UnknownId);
  axisim::SimulationOptions opt;
  opt.end = 1;
  opt.steps = 1;
  expect_error([&] { (void)m.simulate(opt, {{"no_such_id"}}); }, ErrorKind::UnknownId);
  auto r = m.simulate(opt, {{"S1"}});
  expect_error([&] { (void)r.column("no_such_id"); }, ErrorKind::UnknownId);
}

TEST_CASE("malformed input and missing files", "[import]") {
  SECTION("malformed XML") {
    expect_error([] { axisim::Model::from_string("<sbml><model id=\"m\"></sbml"); },
                 ErrorKind::InvalidSbml);
  }
  SECTION("not XML at all") {
    expect_error([] { axisim::Model::from_string("this is not xml"); }, ErrorKind::InvalidSbml);
  }
  SECTION("empty string") {
    expect_error([] { axisim::Model::from_string(""); }, ErrorKind::InvalidSbml);
  }
  SECTION("valid XML with an SBML error (reaction naming an undefined species)") {
    ModelBuilder b("bad_ref");
    b.compartment("C", 1.0).species("S", 1.0).parameter("k", 1.0);
    Reaction r;
    r.id = "R1";
    r.reactants = {{"ghost_species", 1}};
    r.kinetic_math = ci("k");
    b.reaction(r);
    expect_error([&] { axisim::Model::from_string(b.str()); }, ErrorKind::InvalidSbml);
  }
  SECTION("missing file") {
    tu::TempDir dir;
    std::string path = dir.file("does_not_exist.xml");
    auto msg = expect_error([&] { axisim::Model::from_file(path); }, ErrorKind::Io);
    CHECK(tu::contains(msg, "does_not_exist.xml"));
  }
  SECTION("a file that exists loads") {
    tu::TempDir dir;
    std::string path = dir.file("decay.xml");
    tu::write_file(path, decay_model(10.0, 0.5));
    auto m = axisim::Model::from_file(path);
    CHECK(m.id() == "decay");
    CHECK(m.initial_value("S1") == 10.0);
  }
}

TEST_CASE("set_value on a parameter changes the results", "[import]") {
  auto m = axisim::Model::from_string(decay_model(10.0, 0.5));
  auto base = run(m, 2, 2, {{"S1"}});
  CHECK_THAT(base.at(2, 1), WithinRel(10.0 * std::exp(-1.0), 1e-7));

  auto m2 = m;
  m2.set_value("k", 1.0);
  CHECK(m2.initial_value("k") == 1.0);
  auto changed = run(m2, 2, 2, {{"S1"}});
  CHECK_THAT(changed.at(2, 1), WithinRel(10.0 * std::exp(-2.0), 1e-7));

  m2.set_value("S1", 4.0);
  auto both = run(m2, 2, 2, {{"S1"}});
  CHECK(both.at(0, 1) == 4.0);
  CHECK_THAT(both.at(2, 1), WithinRel(4.0 * std::exp(-2.0), 1e-7));

  // The original model still has k = 0.5.
  auto again = run(m, 2, 2, {{"S1"}});
  CHECK(again.at(2, 1) == base.at(2, 1));
}

TEST_CASE("a Level 2 Version 4 model loads and simulates", "[import]") {
  const std::string l2 = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="4">
  <model id="l2decay">
    <listOfCompartments>
      <compartment id="cell" size="1"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="A" compartment="cell" initialAmount="8"/>
      <species id="B" compartment="cell" initialAmount="0"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="k" value="0.25"/>
    </listOfParameters>
    <listOfReactions>
      <reaction id="conv" reversible="false">
        <listOfReactants><speciesReference species="A"/></listOfReactants>
        <listOfProducts><speciesReference species="B" stoichiometry="2"/></listOfProducts>
        <kineticLaw>
          <math xmlns="http://www.w3.org/1998/Math/MathML">
            <apply><times/><ci> k </ci><ci> A </ci><ci> cell </ci></apply>
          </math>
        </kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";
  auto m = axisim::Model::from_string(l2);
  CHECK(m.id() == "l2decay");
  auto r = run(m, 4, 4);
  REQUIRE(r.cols() == 3);
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    double a = 8.0 * std::exp(-0.25 * t);
    CHECK_THAT(r.column("A")[i], WithinRel(a, 1e-7));
    CHECK_THAT(r.column("B")[i], WithinAbs(2.0 * (8.0 - a), 1e-7));
  }
}

TEST_CASE("conversion factors scale species changes", "[import]") {
  ModelBuilder b("conversion");
  b.model_attrs("conversionFactor=\"mcf\"");
  b.compartment("C", 1.0);
  Species s1{"S1", "C", 0.0, true};
  s1.extra_attrs = "conversionFactor=\"cf\"";
  Species s2{"S2", "C", 0.0, true};  // uses the model-level factor
  Species s3{"S3", "C", 10.0, true};
  s3.extra_attrs = "conversionFactor=\"cf\"";
  b.species(s1).species(s2).species(s3);
  b.parameter("cf", 3.0).parameter("mcf", 2.0).parameter("v", 1.0).parameter("w", 0.5);
  Reaction prod;  // -> S1 + S2 at rate v
  prod.id = "Rprod";
  prod.products = {{"S1", 1}, {"S2", 1}};
  prod.kinetic_math = ci("v");
  Reaction cons;  // S3 -> at rate w
  cons.id = "Rcons";
  cons.reactants = {{"S3", 1}};
  cons.kinetic_math = ci("w");
  b.reaction(prod).reaction(cons);
  auto m = axisim::Model::from_string(b.str());
  auto r = run(m, 2, 4, {{"S1"}, {"S2"}, {"S3"}});
  for (std::size_t i = 0; i < r.rows(); ++i) {
    double t = r.at(i, 0);
    CHECK_THAT(r.at(i, 1), WithinAbs(3.0 * t, 1e-9));         // species factor 3
    CHECK_THAT(r.at(i, 2), WithinAbs(2.0 * t, 1e-9));         // model factor 2
    CHECK_THAT(r.at(i, 3), WithinAbs(10.0 - 1.5 * t, 1e-9));  // 3 * 0.5
  }
}

TEST_CASE("species reference stoichiometry multiplies the rate", "[import]") {
  ModelBuilder b("stoich");
  b.compartment("C", 1.0).species("A", 0.0).species("B", 100.0).parameter("v", 1.5);
  Reaction r;
  r.id = "R1";
  r.reactants = {{"B", 2}};
  r.products = {{"A", 3}};
  r.kinetic_math = ci("v");
  b.reaction(r);
  auto m = axisim::Model::from_string(b.str());
  auto res = run(m, 2, 2, {{"A"}, {"B"}});
  CHECK_THAT(res.at(2, 1), WithinAbs(9.0, 1e-9));          // 3 * 1.5 * 2
  CHECK_THAT(res.at(2, 2), WithinAbs(100.0 - 6.0, 1e-9));  // 2 * 1.5 * 2
}

TEST_CASE("a local parameter may shadow a species id", "[import]") {
  // Inside R1's kinetic law, S1 is the local parameter (3), not the species (10): X' = k * 3.
  // (SBML forbids the shadowing only for species the reaction itself refers to.)
  ModelBuilder b("shadow_species");
  b.compartment("C", 1.0).species("S1", 10.0).species("X", 0.0).parameter("k", 0.5);
  Reaction r;
  r.id = "R1";
  r.products = {{"X", 1}};
  r.kinetic_math = apply("times", {ci("k"), ci("S1")});
  r.local_parameters = {{"S1", 3.0}};
  b.reaction(r);
  auto m = axisim::Model::from_string(b.str());
  CHECK(m.kind("R1.S1") == axisim::SymbolKind::LocalParameter);
  CHECK(m.kind("S1") == axisim::SymbolKind::Species);
  auto res = run(m, 2, 2, {{"S1"}, {"X"}});
  CHECK(res.at(2, 1) == 10.0);
  CHECK_THAT(res.at(2, 2), WithinAbs(1.5 * 2, 1e-9));
}

TEST_CASE("initialConcentration uses a compartment size set by an initial assignment",
          "[import]") {
  ModelBuilder b("ia_compartment");
  b.compartment("C", 1.0);
  Species s{"S", "C", 3.0, false};  // initialConcentration 3
  b.species(s);
  b.initial_assignment("C", cn(4));
  auto m = axisim::Model::from_string(b.str());
  CHECK(m.initial_value("C") == 4.0);
  CHECK(m.initial_value("S") == 3.0);
  CHECK(m.initial_value("S", Quantity::Amount) == 12.0);
}

TEST_CASE("species references with ids: stoichiometry as a symbol", "[import]") {
  const std::string doc = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="sref">
    <listOfCompartments>
      <compartment id="C" size="1" spatialDimensions="3" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="A" compartment="C" initialAmount="0" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="p" constant="false"/>
    </listOfParameters>
    <listOfInitialAssignments>
      <initialAssignment symbol="sr1">
        <math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 3 </cn></math>
      </initialAssignment>
    </listOfInitialAssignments>
    <listOfRules>
      <assignmentRule variable="p">
        <math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci> sr1 </ci><cn> 10 </cn></apply></math>
      </assignmentRule>
    </listOfRules>
    <listOfReactions>
      <reaction id="R1" reversible="false">
        <listOfProducts>
          <speciesReference id="sr1" species="A" stoichiometry="2" constant="true"/>
        </listOfProducts>
        <kineticLaw>
          <math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 0.5 </cn></math>
        </kineticLaw>
      </reaction>
    </listOfReactions>
  </model>
</sbml>
)";
  auto m = axisim::Model::from_string(doc);
  CHECK(m.kind("sr1") == axisim::SymbolKind::SpeciesReference);
  CHECK(m.initial_value("sr1") == 3.0);  // the initial assignment wins over the attribute
  CHECK(m.initial_value("p") == 30.0);
  auto r = run(m, 2, 2, {{"A"}, {"R1"}});
  CHECK_THAT(r.at(2, 1), WithinAbs(3.0 * 0.5 * 2, 1e-9));  // A' = 3 * 0.5
  CHECK_THAT(r.at(2, 2), WithinAbs(0.5, 1e-12));           // reaction rate column
}

TEST_CASE("a fast reaction in a Level 2 model is kept at equilibrium", "[import]") {
  check_fast_equilibrium(axisim::Model::from_string(fast_equilibrium_model(2, 4).str()));
}
