// test_math.cpp — every MathML construct SBML allows, evaluated through the public API.
//
// Each expression is the assignment rule of a parameter `p`; Model::initial_value("p") evaluates
// it at the start time. Expected values are exact or closed-form (e.g. sinh(ln 2) = 3/4), not
// re-computations of the same library call.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "sbml_fixtures.hpp"

using namespace fx;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

double eval(const std::string& inner) {
  return axisim::Model::from_string(model_with_assignment(inner)).initial_value("p");
}
double eval_fn(const std::string& inner, const std::vector<FunctionDef>& fns) {
  return axisim::Model::from_string(model_with_assignment(inner, fns)).initial_value("p");
}
double eval_bool(const std::string& cond) { return eval(bool_to_num(cond)); }

const double kPi = 3.14159265358979323846;
const double kE = 2.71828182845904523536;
const double kLn2 = 0.69314718055994530942;
const double kTol = 1e-14;

std::string T() { return "<true/>"; }
std::string F() { return "<false/>"; }
std::string pi_over(double d) { return apply("divide", {"<pi/>", cn(d)}); }
std::string ln2() { return apply("ln", {cn(2)}); }

}  // namespace

TEST_CASE("arithmetic: plus", "[math]") {
  CHECK(eval(apply("plus", {cn(2), cn(3)})) == 5.0);
  CHECK(eval(apply("plus", {cn(1), cn(2), cn(3), cn(4)})) == 10.0);
  CHECK(eval(apply("plus", {cn(7.5)})) == 7.5);  // unary plus
  CHECK(eval(apply("plus", {})) == 0.0);         // empty sum
}

TEST_CASE("arithmetic: minus, unary and binary", "[math]") {
  CHECK(eval(apply("minus", {cn(5), cn(3)})) == 2.0);
  CHECK(eval(apply("minus", {cn(3), cn(5)})) == -2.0);
  CHECK(eval(apply("minus", {cn(4)})) == -4.0);
  CHECK(eval(apply("minus", {cn(-2.5)})) == 2.5);
  CHECK(eval(apply("minus", {apply("minus", {cn(9)})})) == 9.0);
}

TEST_CASE("arithmetic: times and divide", "[math]") {
  CHECK(eval(apply("times", {cn(2), cn(3), cn(4)})) == 24.0);
  CHECK(eval(apply("times", {cn(-1.5), cn(4)})) == -6.0);
  CHECK(eval(apply("times", {cn(5)})) == 5.0);
  CHECK(eval(apply("times", {})) == 1.0);  // empty product
  CHECK(eval(apply("divide", {cn(7), cn(2)})) == 3.5);
  CHECK(eval(apply("divide", {cn(-9), cn(4)})) == -2.25);
  // divide is left to right: (8 / 2) / 2 written as nested applies
  CHECK(eval(apply("divide", {apply("divide", {cn(8), cn(2)}), cn(2)})) == 2.0);
}

TEST_CASE("arithmetic: division by zero gives signed infinity, 0/0 NaN", "[math]") {
  double pos = eval(apply("divide", {cn(1), cn(0)}));
  double neg = eval(apply("divide", {cn(-1), cn(0)}));
  CHECK(std::isinf(pos));
  CHECK(pos > 0);
  CHECK(std::isinf(neg));
  CHECK(neg < 0);
  CHECK(std::isnan(eval(apply("divide", {cn(0), cn(0)}))));
}

TEST_CASE("arithmetic: power and root", "[math]") {
  CHECK(eval(apply("power", {cn(2), cn(10)})) == 1024.0);
  CHECK(eval(apply("power", {cn(2), cn(-1)})) == 0.5);
  CHECK(eval(apply("power", {cn(4), cn(0.5)})) == 2.0);
  CHECK(eval(apply("power", {cn(-3), cn(3)})) == -27.0);
  CHECK(eval(apply("power", {cn(0), cn(0)})) == 1.0);
  // root without degree is the square root
  CHECK(eval(apply("root", {cn(16)})) == 4.0);
  CHECK_THAT(eval(apply("root", {cn(2)})), WithinRel(1.4142135623730951, kTol));
  // root with degree
  CHECK_THAT(eval("<apply><root/><degree>" + cn(3) + "</degree>" + cn(27) + "</apply>"),
             WithinRel(3.0, kTol));
  CHECK_THAT(eval("<apply><root/><degree>" + cn(4) + "</degree>" + cn(625) + "</apply>"),
             WithinRel(5.0, kTol));
  CHECK_THAT(eval("<apply><root/><degree>" + cn(2) + "</degree>" + cn(81) + "</apply>"),
             WithinRel(9.0, kTol));
}

TEST_CASE("arithmetic: abs, floor, ceiling, factorial", "[math]") {
  CHECK(eval(apply("abs", {cn(-3.5)})) == 3.5);
  CHECK(eval(apply("abs", {cn(2.25)})) == 2.25);
  CHECK(eval(apply("floor", {cn(2.7)})) == 2.0);
  CHECK(eval(apply("floor", {cn(-2.3)})) == -3.0);
  CHECK(eval(apply("floor", {cn(4)})) == 4.0);
  CHECK(eval(apply("ceiling", {cn(2.1)})) == 3.0);
  CHECK(eval(apply("ceiling", {cn(-2.7)})) == -2.0);
  CHECK(eval(apply("factorial", {cn(5)})) == 120.0);
  CHECK(eval(apply("factorial", {cn(0)})) == 1.0);
  CHECK(eval(apply("factorial", {cn(10)})) == 3628800.0);
}

TEST_CASE("exponentials and logarithms", "[math]") {
  CHECK(eval(apply("exp", {cn(0)})) == 1.0);
  CHECK_THAT(eval(apply("exp", {cn(1)})), WithinRel(kE, kTol));
  CHECK_THAT(eval(apply("exp", {ln2()})), WithinRel(2.0, kTol));
  CHECK_THAT(eval(apply("ln", {"<exponentiale/>"})), WithinRel(1.0, kTol));
  CHECK_THAT(eval(apply("ln", {cn(8)})), WithinRel(3 * kLn2, kTol));
  CHECK(eval(apply("ln", {cn(1)})) == 0.0);
  // log without logbase is base 10
  CHECK_THAT(eval(apply("log", {cn(1000)})), WithinRel(3.0, kTol));
  CHECK_THAT(eval(apply("log", {cn(0.01)})), WithinRel(-2.0, kTol));
  // explicit logbase
  CHECK_THAT(eval("<apply><log/><logbase>" + cn(2) + "</logbase>" + cn(8) + "</apply>"),
             WithinRel(3.0, kTol));
  CHECK_THAT(eval("<apply><log/><logbase>" + cn(3) + "</logbase>" + cn(81) + "</apply>"),
             WithinRel(4.0, kTol));
  CHECK_THAT(eval("<apply><log/><logbase>" + cn(10) + "</logbase>" + cn(100) + "</apply>"),
             WithinRel(2.0, kTol));
}

TEST_CASE("trigonometric functions at exact angles", "[math]") {
  CHECK_THAT(eval(apply("sin", {pi_over(6)})), WithinAbs(0.5, kTol));
  CHECK_THAT(eval(apply("sin", {pi_over(2)})), WithinAbs(1.0, kTol));
  CHECK_THAT(eval(apply("cos", {pi_over(3)})), WithinAbs(0.5, kTol));
  CHECK_THAT(eval(apply("cos", {"<pi/>"})), WithinAbs(-1.0, kTol));
  CHECK_THAT(eval(apply("tan", {pi_over(4)})), WithinAbs(1.0, kTol));
  CHECK_THAT(eval(apply("sec", {pi_over(3)})), WithinAbs(2.0, kTol));
  CHECK_THAT(eval(apply("csc", {pi_over(6)})), WithinAbs(2.0, kTol));
  CHECK_THAT(eval(apply("cot", {pi_over(4)})), WithinAbs(1.0, kTol));
  // cot(pi/6) = sqrt(3)
  CHECK_THAT(eval(apply("cot", {pi_over(6)})), WithinAbs(1.7320508075688772, 1e-13));
}

TEST_CASE("hyperbolic functions at ln 2", "[math]") {
  // sinh(ln2) = (2 - 1/2)/2 = 3/4, cosh(ln2) = 5/4, tanh = 3/5, sech = 4/5, csch = 4/3, coth = 5/3
  CHECK_THAT(eval(apply("sinh", {ln2()})), WithinRel(0.75, kTol));
  CHECK_THAT(eval(apply("cosh", {ln2()})), WithinRel(1.25, kTol));
  CHECK_THAT(eval(apply("tanh", {ln2()})), WithinRel(0.6, kTol));
  CHECK_THAT(eval(apply("sech", {ln2()})), WithinRel(0.8, kTol));
  CHECK_THAT(eval(apply("csch", {ln2()})), WithinRel(4.0 / 3.0, kTol));
  CHECK_THAT(eval(apply("coth", {ln2()})), WithinRel(5.0 / 3.0, kTol));
  CHECK(eval(apply("sinh", {cn(0)})) == 0.0);
  CHECK(eval(apply("cosh", {cn(0)})) == 1.0);
}

TEST_CASE("inverse trigonometric functions", "[math]") {
  CHECK_THAT(eval(apply("arcsin", {cn(0.5)})), WithinRel(kPi / 6, kTol));
  CHECK_THAT(eval(apply("arccos", {cn(0.5)})), WithinRel(kPi / 3, kTol));
  CHECK_THAT(eval(apply("arccos", {cn(-1)})), WithinRel(kPi, kTol));
  CHECK_THAT(eval(apply("arctan", {cn(1)})), WithinRel(kPi / 4, kTol));
  CHECK_THAT(eval(apply("arctan", {cn(-1)})), WithinRel(-kPi / 4, kTol));
  CHECK_THAT(eval(apply("arcsec", {cn(2)})), WithinRel(kPi / 3, kTol));
  CHECK_THAT(eval(apply("arccsc", {cn(2)})), WithinRel(kPi / 6, kTol));
  CHECK_THAT(eval(apply("arccot", {cn(1)})), WithinRel(kPi / 4, kTol));
  CHECK_THAT(eval(apply("arccot", {apply("root", {cn(3)})})), WithinRel(kPi / 6, kTol));
}

TEST_CASE("inverse hyperbolic functions give back ln 2", "[math]") {
  CHECK_THAT(eval(apply("arcsinh", {cn(0.75)})), WithinRel(kLn2, kTol));
  CHECK_THAT(eval(apply("arccosh", {cn(1.25)})), WithinRel(kLn2, kTol));
  CHECK_THAT(eval(apply("arctanh", {cn(0.6)})), WithinRel(kLn2, kTol));
  CHECK_THAT(eval(apply("arcsech", {cn(0.8)})), WithinRel(kLn2, kTol));
  CHECK_THAT(eval(apply("arccsch", {apply("divide", {cn(4), cn(3)})})), WithinRel(kLn2, kTol));
  CHECK_THAT(eval(apply("arccoth", {apply("divide", {cn(5), cn(3)})})), WithinRel(kLn2, kTol));
}

TEST_CASE("relational operators, binary", "[math]") {
  CHECK(eval_bool(apply("eq", {cn(2), cn(2)})) == 1.0);
  CHECK(eval_bool(apply("eq", {cn(2), cn(3)})) == 0.0);
  CHECK(eval_bool(apply("neq", {cn(2), cn(3)})) == 1.0);
  CHECK(eval_bool(apply("neq", {cn(2), cn(2)})) == 0.0);
  CHECK(eval_bool(apply("gt", {cn(3), cn(2)})) == 1.0);
  CHECK(eval_bool(apply("gt", {cn(2), cn(2)})) == 0.0);
  CHECK(eval_bool(apply("gt", {cn(2), cn(3)})) == 0.0);
  CHECK(eval_bool(apply("lt", {cn(2), cn(3)})) == 1.0);
  CHECK(eval_bool(apply("lt", {cn(2), cn(2)})) == 0.0);
  CHECK(eval_bool(apply("geq", {cn(2), cn(2)})) == 1.0);
  CHECK(eval_bool(apply("geq", {cn(1), cn(2)})) == 0.0);
  CHECK(eval_bool(apply("leq", {cn(2), cn(2)})) == 1.0);
  CHECK(eval_bool(apply("leq", {cn(3), cn(2)})) == 0.0);
}

TEST_CASE("relational operators with more than two arguments", "[math]") {
  // n-ary relations hold when they hold between every adjacent pair
  CHECK(eval_bool(apply("eq", {cn(2), cn(2), cn(2)})) == 1.0);
  CHECK(eval_bool(apply("eq", {cn(2), cn(2), cn(3)})) == 0.0);
  CHECK(eval_bool(apply("gt", {cn(3), cn(2), cn(1)})) == 1.0);
  CHECK(eval_bool(apply("gt", {cn(3), cn(1), cn(2)})) == 0.0);
  CHECK(eval_bool(apply("gt", {cn(3), cn(2), cn(2)})) == 0.0);
  CHECK(eval_bool(apply("lt", {cn(1), cn(2), cn(3), cn(4)})) == 1.0);
  CHECK(eval_bool(apply("lt", {cn(1), cn(3), cn(2)})) == 0.0);
  CHECK(eval_bool(apply("geq", {cn(3), cn(3), cn(2)})) == 1.0);
  CHECK(eval_bool(apply("geq", {cn(3), cn(2), cn(3)})) == 0.0);
  CHECK(eval_bool(apply("leq", {cn(1), cn(1), cn(2)})) == 1.0);
  CHECK(eval_bool(apply("leq", {cn(2), cn(1), cn(1)})) == 0.0);
}

TEST_CASE("logical operators and boolean constants", "[math]") {
  CHECK(eval_bool(T()) == 1.0);
  CHECK(eval_bool(F()) == 0.0);

  CHECK(eval_bool(apply("and", {T(), T()})) == 1.0);
  CHECK(eval_bool(apply("and", {T(), F()})) == 0.0);
  CHECK(eval_bool(apply("and", {T(), T(), T()})) == 1.0);
  CHECK(eval_bool(apply("and", {T(), T(), F()})) == 0.0);

  CHECK(eval_bool(apply("or", {F(), F()})) == 0.0);
  CHECK(eval_bool(apply("or", {F(), T()})) == 1.0);
  CHECK(eval_bool(apply("or", {F(), F(), T()})) == 1.0);

  CHECK(eval_bool(apply("xor", {T(), F()})) == 1.0);
  CHECK(eval_bool(apply("xor", {T(), T()})) == 0.0);
  CHECK(eval_bool(apply("xor", {F(), F()})) == 0.0);
  CHECK(eval_bool(apply("xor", {T(), T(), T()})) == 1.0);  // odd number of true arguments
  CHECK(eval_bool(apply("xor", {T(), T(), F()})) == 0.0);

  CHECK(eval_bool(apply("not", {T()})) == 0.0);
  CHECK(eval_bool(apply("not", {F()})) == 1.0);
  CHECK(eval_bool(apply("not", {apply("lt", {cn(1), cn(2)})})) == 0.0);

  // mixing with relations
  CHECK(eval_bool(apply("and", {apply("lt", {cn(1), cn(2)}), apply("gt", {cn(5), cn(4)})})) == 1.0);
}

TEST_CASE("logical operators with zero or one argument", "[math]") {
  // The empty conjunction is true, the empty disjunction and exclusive-or are false.
  CHECK(eval_bool(apply("and", {})) == 1.0);
  CHECK(eval_bool(apply("or", {})) == 0.0);
  CHECK(eval_bool(apply("xor", {})) == 0.0);
  CHECK(eval_bool(apply("and", {F()})) == 0.0);
  CHECK(eval_bool(apply("or", {T()})) == 1.0);
  CHECK(eval_bool(apply("xor", {T()})) == 1.0);
}

TEST_CASE("implies (L3V2)", "[math]") {
  CHECK(eval_bool(apply("implies", {T(), T()})) == 1.0);
  CHECK(eval_bool(apply("implies", {T(), F()})) == 0.0);
  CHECK(eval_bool(apply("implies", {F(), T()})) == 1.0);
  CHECK(eval_bool(apply("implies", {F(), F()})) == 1.0);
}

TEST_CASE("piecewise", "[math]") {
  auto piece = [](const std::string& v, const std::string& c) {
    return "<piece>" + v + c + "</piece>";
  };
  auto otherwise = [](const std::string& v) { return "<otherwise>" + v + "</otherwise>"; };

  SECTION("first true piece is taken") {
    CHECK(eval("<piecewise>" + piece(cn(10), apply("lt", {cn(1), cn(2)})) + otherwise(cn(20)) +
               "</piecewise>") == 10.0);
    CHECK(eval("<piecewise>" + piece(cn(10), F()) + piece(cn(20), T()) + otherwise(cn(30)) +
               "</piecewise>") == 20.0);
  }
  SECTION("otherwise when no piece is true") {
    CHECK(eval("<piecewise>" + piece(cn(10), F()) + piece(cn(20), F()) + otherwise(cn(30)) +
               "</piecewise>") == 30.0);
    CHECK(eval("<piecewise>" + otherwise(cn(-4)) + "</piecewise>") == -4.0);
  }
  SECTION("without otherwise") {
    CHECK(eval("<piecewise>" + piece(cn(10), F()) + piece(cn(20), T()) + "</piecewise>") == 20.0);
    // no true piece and no otherwise: undefined, reported as NaN
    CHECK(std::isnan(eval("<piecewise>" + piece(cn(10), F()) + "</piecewise>")));
    CHECK(std::isnan(eval("<piecewise>" + piece(cn(10), F()) + piece(cn(20), F()) +
                          "</piecewise>")));
  }
  SECTION("pieces evaluate their values") {
    CHECK(eval("<piecewise>" + piece(apply("times", {cn(3), cn(4)}), T()) + otherwise(cn(0)) +
               "</piecewise>") == 12.0);
  }
}

TEST_CASE("numeric constants", "[math]") {
  CHECK_THAT(eval("<pi/>"), WithinRel(kPi, 1e-16));
  CHECK_THAT(eval("<exponentiale/>"), WithinRel(kE, 1e-16));
  double inf = eval("<infinity/>");
  CHECK(std::isinf(inf));
  CHECK(inf > 0);
  double neg_inf = eval(apply("minus", {"<infinity/>"}));
  CHECK(std::isinf(neg_inf));
  CHECK(neg_inf < 0);
  CHECK(std::isnan(eval("<notanumber/>")));
}

TEST_CASE("L3V2 min, max, rem, quotient", "[math]") {
  CHECK(eval(apply("min", {cn(3), cn(1), cn(2)})) == 1.0);
  CHECK(eval(apply("min", {cn(-3), cn(1)})) == -3.0);
  CHECK(eval(apply("min", {cn(4.5)})) == 4.5);
  CHECK(eval(apply("max", {cn(3), cn(1), cn(2)})) == 3.0);
  CHECK(eval(apply("max", {cn(-3), cn(-1)})) == -1.0);
  CHECK(eval(apply("max", {cn(4.5)})) == 4.5);
  CHECK(eval(apply("rem", {cn(7), cn(3)})) == 1.0);
  CHECK(eval(apply("rem", {cn(9), cn(3)})) == 0.0);
  CHECK(eval(apply("rem", {cn(7.5), cn(2)})) == 1.5);
  CHECK(eval(apply("quotient", {cn(7), cn(2)})) == 3.0);
  CHECK(eval(apply("quotient", {cn(9), cn(3)})) == 3.0);
  CHECK(eval(apply("quotient", {cn(1), cn(4)})) == 0.0);
}

TEST_CASE("csymbol time", "[math]") {
  auto model = axisim::Model::from_string(model_with_assignment(csym_time()));
  CHECK(model.initial_value("p") == 0.0);  // initial values are at time 0

  auto doubled = axisim::Model::from_string(
      model_with_assignment(apply("times", {cn(2), csym_time("time")})));
  CHECK(doubled.initial_value("p") == 0.0);

  // During a simulation, p follows the time column exactly (also when start > 0).
  axisim::SimulationOptions opt;
  opt.start = 1;
  opt.end = 5;
  opt.steps = 8;
  auto r = doubled.simulate(opt, {{"p"}});
  REQUIRE(r.rows() == 9);
  REQUIRE(r.cols() == 2);
  CHECK(r.at(0, 0) == 1.0);
  CHECK(r.at(8, 0) == 5.0);
  for (std::size_t i = 0; i < r.rows(); ++i) CHECK(r.at(i, 1) == 2 * r.at(i, 0));
}

TEST_CASE("csymbol avogadro", "[math]") {
  // SBML L3 fixes the value to 6.02214179e23 (CODATA 2006).
  CHECK(eval(csym_avogadro()) == 6.02214179e23);
  CHECK_THAT(eval(apply("divide", {csym_avogadro(), cn(6.02214179e23)})), WithinRel(1.0, 1e-15));
}

TEST_CASE("function definitions", "[math]") {
  FunctionDef f{"f", {"x", "y"}, apply("plus", {apply("times", {ci("x"), ci("y")}), cn(1)})};
  FunctionDef sq{"sq", {"x"}, apply("times", {ci("x"), ci("x")})};

  SECTION("simple lambda") {
    // f(3, 4) = 3*4 + 1
    CHECK(eval_fn("<apply>" + ci("f") + cn(3) + cn(4) + "</apply>", {f}) == 13.0);
  }
  SECTION("argument order matters") {
    FunctionDef sub{"sub", {"a", "b"}, apply("minus", {ci("a"), ci("b")})};
    CHECK(eval_fn("<apply>" + ci("sub") + cn(10) + cn(3) + "</apply>", {sub}) == 7.0);
  }
  SECTION("nested: a function calling another function") {
    // g(x) = 2 * f(x, sq(x)) = 2 * (x*x^2 + 1); g(2) = 2 * 9 = 18
    FunctionDef gn{"g", {"x"},
                   apply("times", {cn(2), "<apply>" + ci("f") + ci("x") +
                                              "<apply>" + ci("sq") + ci("x") + "</apply>" +
                                              "</apply>"})};
    CHECK(eval_fn("<apply>" + ci("g") + cn(2) + "</apply>", {f, sq, gn}) == 18.0);
  }
  SECTION("nested calls in the rule itself") {
    // sq(sq(3)) = 81
    CHECK(eval_fn("<apply>" + ci("sq") + "<apply>" + ci("sq") + cn(3) + "</apply></apply>", {sq}) ==
          81.0);
  }
  SECTION("bound variable names shadow model ids") {
    // A parameter x = 100 exists in the model, but inside the lambda x is the argument.
    ModelBuilder m("shadow");
    m.function("sq", {"x"}, apply("times", {ci("x"), ci("x")}));
    m.parameter("x", 100.0);
    m.parameter_no_value("p", false);
    m.assignment_rule("p", "<apply>" + ci("sq") + cn(3) + "</apply>");
    CHECK(axisim::Model::from_string(m.str()).initial_value("p") == 9.0);
  }
}

TEST_CASE("cn forms: integer, real, e-notation, rational", "[math]") {
  CHECK(eval("<cn type=\"integer\"> 7 </cn>") == 7.0);
  CHECK(eval("<cn type=\"integer\"> -12 </cn>") == -12.0);
  CHECK(eval("<cn> 2.5 </cn>") == 2.5);
  CHECK(eval("<cn type=\"real\"> -0.125 </cn>") == -0.125);
  CHECK(eval("<cn> 2.5e-3 </cn>") == 2.5e-3);
  CHECK(eval("<cn> 1E3 </cn>") == 1000.0);
  CHECK(eval("<cn type=\"e-notation\"> 1.5 <sep/> 3 </cn>") == 1500.0);
  CHECK(eval("<cn type=\"e-notation\"> 2 <sep/> -2 </cn>") == 0.02);
  CHECK_THAT(eval("<cn type=\"rational\"> 1 <sep/> 3 </cn>"), WithinRel(1.0 / 3.0, 1e-15));
  CHECK(eval("<cn type=\"rational\"> -3 <sep/> 4 </cn>") == -0.75);
}

TEST_CASE("expressions referring to other symbols", "[math]") {
  ModelBuilder m("refs");
  m.compartment("C", 2.0);
  m.species("S1", 3.0);  // amount 3 in a compartment of size 2: concentration 1.5
  m.parameter("k", 4.0);
  m.parameter_no_value("p", false);
  // p = k * S1 + C : S1 is its concentration in math (hasOnlySubstanceUnits false)
  m.assignment_rule("p", apply("plus", {apply("times", {ci("k"), ci("S1")}), ci("C")}));
  CHECK(axisim::Model::from_string(m.str()).initial_value("p") == 4.0 * 1.5 + 2.0);
}

TEST_CASE("rateOf csymbol: supported correctly or refused as Unsupported", "[math]") {
  // S1' = -k S1 with k = 0.5, S1(0) = 10 (concentration, C = 1) so rateOf(S1) = -5 at t = 0.
  ModelBuilder m("rate_of");
  Reaction r;
  r.id = "R1";
  r.reactants = {{"S1", 1}};
  r.kinetic_math = apply("times", {ci("k"), ci("S1")});
  m.compartment("C", 1.0).species("S1", 10.0).parameter("k", 0.5).reaction(r);
  m.parameter_no_value("p", false);
  m.assignment_rule("p", apply_rate_of(ci("S1")));
  try {
    auto model = axisim::Model::from_string(m.str());
    CHECK_THAT(model.initial_value("p"), WithinRel(-5.0, 1e-12));
  } catch (const axisim::Error& e) {
    INFO(e.what());
    CHECK(e.kind() == axisim::ErrorKind::Unsupported);
    CHECK(std::string(e.what()).find("rateOf") != std::string::npos);
  }
}
