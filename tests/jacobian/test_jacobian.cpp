// The analytic Jacobian: symbolic derivatives of each operator and of whole models against
// central difference quotients, its sparsity pattern, and simulations under every linear solver
// and Jacobian choice against analytic solutions.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "axisim/model.hpp"
#include "compile/derivative.hpp"
#include "compile/program.hpp"
#include "jacobian_check.hpp"
#include "run/delay_history.hpp"
#include "sbml/ir_from_sbml.hpp"
#include "sbml/sbml_document.hpp"
#include "sbml_fixtures.hpp"

using axisim::detail::CompiledSystem;
using axisim::detail::Expr;
using axisim::detail::Op;

namespace {

std::unique_ptr<CompiledSystem> compile(const std::string& sbml) {
  axisim::detail::SbmlSource src;
  src.text = sbml;
  auto doc = axisim::detail::read_sbml(src, true);
  return std::make_unique<CompiledSystem>(axisim::detail::build_ir(*doc, src.label()));
}

void require_agreement(const CompiledSystem& sys) {
  for (double perturb : {0.0, 0.05}) {
    const jacobian_check::Comparison c = jacobian_check::compare(sys, 0.3, perturb);
    REQUIRE(c.available);
    INFO(c.worst_entry);
    CHECK(c.non_smooth_columns == 0);
    CHECK(c.worst <= 1.0);
  }
}

// d e / d x at x, symbolically (x is symbol 0, y symbol 1) and by central differences.
void check_operator(const Expr& e, double x, double y = 0.7) {
  const std::vector<axisim::detail::SymbolLoad> loads{{0, -1}, {1, -1}};
  const auto dx = axisim::detail::differentiate(e, [](std::uint32_t s) -> std::optional<Expr> {
    if (s == 0) return Expr::number(1.0);
    return std::nullopt;
  });
  std::vector<double> v{x, y};
  const double symbolic = dx ? axisim::detail::evaluate(*dx, v.data(), loads, 0.0) : 0.0;
  const double h = 1e-6 * std::max(1.0, std::fabs(x));
  v[0] = x + h;
  const double fp = axisim::detail::evaluate(e, v.data(), loads, 0.0);
  v[0] = x - h;
  const double fm = axisim::detail::evaluate(e, v.data(), loads, 0.0);
  const double central = (fp - fm) / (2 * h);
  INFO(axisim::detail::op_name(e.op) << " at x = " << x << ": symbolic " << symbolic << ", central " << central);
  CHECK(std::fabs(symbolic - central) <= 1e-6 * (1.0 + std::fabs(central)));
}

// "S3", "R12" (appending: GCC 12 warns falsely about "literal" + std::to_string(i)).
std::string id(const char* prefix, int i) {
  std::string s = prefix;
  s += std::to_string(i);
  return s;
}

Expr X() { return Expr::sym(0); }
Expr Y() { return Expr::sym(1); }
Expr f(Op op, std::vector<Expr> args) { return Expr::call(op, std::move(args)); }

fx::Reaction reaction(const std::string& id, std::vector<std::pair<std::string, double>> reactants,
                      std::vector<std::pair<std::string, double>> products, const std::string& math) {
  fx::Reaction r;
  r.id = id;
  r.reactants = std::move(reactants);
  r.products = std::move(products);
  r.kinetic_math = math;
  return r;
}

}  // namespace

TEST_CASE("every operator's symbolic derivative matches central differences", "[jacobian]") {
  check_operator(f(Op::Ln, {X()}), 1.3);
  for (Op op : {Op::Negate, Op::Abs, Op::Exp, Op::Sin, Op::Cos, Op::Tan, Op::Sec, Op::Csc, Op::Cot, Op::Sinh,
                Op::Cosh, Op::Tanh, Op::Sech, Op::Csch, Op::Coth, Op::ArcTan, Op::ArcCot, Op::ArcSinh})
    for (double x : {-1.3, 0.4, 2.1}) check_operator(f(op, {X()}), x);
  for (double x : {-0.6, 0.3}) {  // |x| < 1
    for (Op op : {Op::ArcSin, Op::ArcCos, Op::ArcTanh}) check_operator(f(op, {X()}), x);
  }
  for (double x : {0.3, 0.8}) check_operator(f(Op::ArcSech, {X()}), x);
  for (double x : {-2.5, 1.7}) {  // |x| > 1
    for (Op op : {Op::ArcSec, Op::ArcCsc, Op::ArcCoth}) check_operator(f(op, {X()}), x);
  }
  check_operator(f(Op::ArcCosh, {X()}), 1.9);
  check_operator(f(Op::ArcCsch, {X()}), -0.8);
  check_operator(f(Op::Log, {X()}), 3.2);
  for (double x : {0.5, 2.5}) {
    check_operator(f(Op::Plus, {X(), Y(), f(Op::Times, {X(), X()})}), x);
    check_operator(f(Op::Minus, {Y(), f(Op::Times, {X(), X(), Y()})}), x);
    check_operator(f(Op::Minus, {X()}), x);
    check_operator(f(Op::Divide, {Y(), X()}), x);
    check_operator(f(Op::Divide, {X(), f(Op::Plus, {X(), Y()})}), x);
    check_operator(f(Op::Power, {X(), Expr::number(3.5)}), x);
    check_operator(f(Op::Power, {Y(), X()}), x);
    check_operator(f(Op::Power, {X(), X()}), x);
    check_operator(f(Op::Power, {X(), Y()}), x);
    check_operator(f(Op::Root, {Expr::number(3.0), X()}), x);
    check_operator(f(Op::Root, {Expr::number(3.0), f(Op::Negate, {X()})}), x);
    check_operator(f(Op::Log, {Expr::number(2.0), X()}), x);
    check_operator(f(Op::Log, {X(), Expr::number(7.0)}), x + 1.0);
    check_operator(f(Op::Rem, {f(Op::Times, {Expr::number(3.0), X()}), Y()}), x);
    check_operator(f(Op::Rem, {Y(), f(Op::Times, {Expr::number(0.2), X()})}), x + 0.05);
    check_operator(f(Op::Min, {X(), Y(), Expr::number(1.0)}), x);
    check_operator(f(Op::Max, {Expr::number(1.0), X(), Y()}), x);
    check_operator(f(Op::Piecewise, {f(Op::Times, {X(), X()}), f(Op::Lt, {X(), Expr::number(1.0)}), f(Op::Exp, {X()})}),
                   x);
    check_operator(f(Op::Floor, {f(Op::Times, {Expr::number(3.3), X()})}), x);
    check_operator(f(Op::Gt, {X(), Y()}), x);
  }
  // Factorial of a varying argument has no expression: the caller falls back to quotients.
  CHECK_THROWS_AS(axisim::detail::differentiate(f(Op::Factorial, {X()}),
                                                [](std::uint32_t) -> std::optional<Expr> { return Expr::number(1.0); }),
                  axisim::detail::NotDifferentiable);
}

TEST_CASE("whole models: the analytic Jacobian equals central differences", "[jacobian]") {
  using fx::apply;
  using fx::ci;
  using fx::cn;

  SECTION("mass action, Michaelis-Menten and Hill kinetics through assignment rules, two compartments") {
    fx::ModelBuilder b;
    b.compartment("C", 2.0).compartment("N", 0.5);
    b.species("A", 3.0).species("B", 1.0).species("E", 0.2, "N").species("P", 0.5, "N");
    b.parameter("k1", 0.7).parameter("Vm", 2.0).parameter("Km", 0.4).parameter("K", 0.8);
    b.parameter_no_value("g", false).parameter_no_value("h", false);
    b.assignment_rule("h", apply("power", {ci("B"), cn(2.5)}));
    b.assignment_rule("g", apply("divide", {cn(1.0), apply("plus", {cn(1.0), apply("divide", {ci("h"), ci("K")})})}));
    b.reaction(reaction("R1", {{"A", 1}, {"B", 1}}, {{"E", 2}}, apply("times", {ci("k1"), ci("A"), ci("B"), ci("C")})));
    b.reaction(reaction("R2", {{"E", 1}}, {{"P", 1}},
                        apply("times", {ci("N"), ci("g"), apply("divide", {apply("times", {ci("Vm"), ci("E")}),
                                                                            apply("plus", {ci("Km"), ci("E")})})})));
    b.reaction(reaction("R3", {{"P", 1}}, {{"A", 1}}, apply("times", {ci("k1"), ci("P"), ci("A")})));
    const auto sys = compile(b.str());
    require_agreement(*sys);
  }

  SECTION("a compartment that grows by a rate rule, species read as concentrations") {
    fx::ModelBuilder b;
    b.compartment("V", 1.5, false);
    b.species("S", 2.0, "V").species("T", 0.3, "V");
    b.parameter("k", 0.4).parameter("mu", 0.1);
    b.rate_rule("V", apply("times", {ci("mu"), ci("V"), ci("S")}));
    b.reaction(reaction("R", {{"S", 1}}, {{"T", 1}}, apply("times", {ci("k"), ci("S"), ci("T"), ci("V")})));
    const auto sys = compile(b.str());
    require_agreement(*sys);
  }

  SECTION("conversion factors, a variable stoichiometry and amounts") {
    fx::ModelBuilder b;
    b.model_attrs("conversionFactor=\"cf\"");
    b.compartment("C", 1.0);
    fx::Species s;
    s.id = "S";
    s.initial = 4.0;
    s.has_only_substance_units = true;
    b.species(s);
    s.id = "T";
    s.initial = 1.0;
    s.has_only_substance_units = false;
    s.extra_attrs = "conversionFactor=\"cfT\"";
    b.species(s);
    b.parameter("cf", 2.0).parameter("cfT", 0.5).parameter("k", 0.3);
    b.parameter_no_value("n", false);
    b.assignment_rule("n", apply("plus", {cn(1.0), apply("divide", {ci("T"), cn(10.0)})}));
    b.reaction(reaction("R", {{"S", 1}}, {{"T", 1}}, apply("times", {ci("k"), ci("S"), ci("n")})));
    const auto sys = compile(b.str());
    require_agreement(*sys);
  }

  SECTION("rate rules with piecewise, min, max, abs and trigonometry") {
    fx::ModelBuilder b;
    b.compartment("C", 1.0);
    b.parameter("x", 0.6, false).parameter("y", -1.2, false).parameter("z", 2.0, false);
    b.rate_rule("x", apply("plus", {apply("sin", {ci("y")}), apply("abs", {ci("y")})}));
    b.rate_rule("y", "<piecewise><piece>" + apply("times", {ci("x"), ci("z")}) + apply("lt", {ci("x"), cn(1.0)}) +
                         "</piece><otherwise>" + apply("minus", {ci("z")}) + "</otherwise></piecewise>");
    b.rate_rule("z", apply("plus", {apply("max", {ci("x"), ci("y")}), apply("min", {ci("x"), ci("z")}),
                                    apply("arctan", {apply("times", {ci("x"), ci("z")})})}));
    const auto sys = compile(b.str());
    require_agreement(*sys);
  }

  SECTION("factorial of a state: that column by difference quotients") {
    fx::ModelBuilder b;
    b.compartment("C", 1.0);
    b.parameter("x", 2.5, false).parameter("y", 1.0, false);
    b.rate_rule("x", apply("minus", {apply("divide", {cn(1.0), apply("factorial", {ci("x")})})}));
    b.rate_rule("y", apply("times", {ci("x"), ci("y")}));
    const auto sys = compile(b.str());
    REQUIRE(sys->jacobian());
    CHECK(sys->jacobian()->numeric_columns.size() == 1);
    require_agreement(*sys);
  }
}

TEST_CASE("the pattern has exactly the structural non-zeros", "[jacobian]") {
  // A chain S0 -> S1 -> ... -> S(n-1): the diagonal and the subdiagonal, 2n - 1 entries.
  constexpr int n = 60;
  fx::ModelBuilder b;
  b.compartment("C", 1.0).parameter("k", 0.5);
  for (int i = 0; i < n; ++i) b.species(id("S", i), i == 0 ? 1.0 : 0.0);
  for (int i = 0; i + 1 < n; ++i)
    b.reaction(reaction(id("R", i), {{id("S", i), 1}}, {{id("S", i + 1), 1}},
                        fx::apply("times", {fx::ci("k"), fx::ci(id("S", i))})));
  const auto sys = compile(b.str());
  REQUIRE(sys->jacobian());
  CHECK(sys->jacobian()->pattern.nonzeros() == 2 * n - 1);
  CHECK(sys->jacobian()->numeric_columns.empty());
  // Difference quotients need two groups only (columns k and k + 2 share no row).
  CHECK(sys->jacobian()->all_groups.size() == 2);
  require_agreement(*sys);
}

TEST_CASE("every linear solver and Jacobian gives the analytic solution of a linear chain", "[jacobian]") {
  // A -> B -> C with k1 = 1, k2 = 0.4: B(t) = A0 k1 / (k2 - k1) (exp(-k1 t) - exp(-k2 t)).
  // 150 copies of the chain make it large enough that Auto picks the sparse solver.
  constexpr int copies = 150;
  fx::ModelBuilder b;
  b.compartment("C", 1.0).parameter("k1", 1.0).parameter("k2", 0.4);
  for (int c = 0; c < copies; ++c) {
    b.species(id("A", c), 2.0).species(id("B", c), 0.0).species(id("P", c), 0.0);
    b.reaction(reaction(id("R1_", c), {{id("A", c), 1}}, {{id("B", c), 1}},
                        fx::apply("times", {fx::ci("k1"), fx::ci(id("A", c))})));
    b.reaction(reaction(id("R2_", c), {{id("B", c), 1}}, {{id("P", c), 1}},
                        fx::apply("times", {fx::ci("k2"), fx::ci(id("B", c))})));
  }
  const axisim::Model model = axisim::Model::from_string(b.str());
  struct Choice {
    axisim::LinearSolver solver;
    axisim::JacobianKind jacobian;
    const char* solver_label;
    const char* jacobian_label;
  };
  for (const Choice& c : {Choice{axisim::LinearSolver::Auto, axisim::JacobianKind::Auto, "sparse (KLU)", "analytic"},
                          Choice{axisim::LinearSolver::Dense, axisim::JacobianKind::Numeric, "dense", "numeric"},
                          Choice{axisim::LinearSolver::Dense, axisim::JacobianKind::Analytic, "dense", "analytic"},
                          Choice{axisim::LinearSolver::Sparse, axisim::JacobianKind::Numeric, "sparse (KLU)", "numeric"},
                          Choice{axisim::LinearSolver::Sparse, axisim::JacobianKind::Analytic, "sparse (KLU)",
                                 "analytic"},
                          Choice{axisim::LinearSolver::Iterative, axisim::JacobianKind::Analytic,
                                 "iterative (GMRES, incomplete LU)", "analytic"},
                          Choice{axisim::LinearSolver::Iterative, axisim::JacobianKind::Numeric,
                                 "iterative (GMRES, incomplete LU)", "numeric"}}) {
    axisim::SimulationOptions o;
    o.end = 10;
    o.steps = 20;
    o.rtol = 1e-9;
    o.atol = 1e-14;
    o.linear_solver = c.solver;
    o.jacobian = c.jacobian;
    const axisim::Result r = model.simulate(o, {{"B0"}, {"B149"}});
    INFO(c.solver_label << " / " << c.jacobian_label);
    CHECK(r.stats.linear_solver == c.solver_label);
    CHECK(r.stats.jacobian == c.jacobian_label);
    for (std::size_t row = 0; row < r.rows(); ++row) {
      const double t = r.at(row, 0);
      const double expected = 2.0 * 1.0 / (0.4 - 1.0) * (std::exp(-1.0 * t) - std::exp(-0.4 * t));
      CHECK(r.at(row, 1) == Approx(expected).epsilon(1e-6).margin(1e-12));
      CHECK(r.at(row, 2) == Approx(expected).epsilon(1e-6).margin(1e-12));
    }
    if (c.jacobian != axisim::JacobianKind::Numeric) CHECK(r.stats.jacobian_rhs_evaluations == 0);
    else CHECK(r.stats.jacobian_rhs_evaluations > 0);
  }
}

TEST_CASE("a small model compiles its Jacobian on first use, once, from any thread", "[jacobian]") {
  // One chain A -> B -> P (3 states, below kEagerJacobianStates): Auto takes CVODE's dense
  // difference quotients and never compiles the analytic Jacobian; Analytic compiles it on the
  // first run, here asked by four threads at once, and every run gives the analytic solution.
  fx::ModelBuilder b;
  b.compartment("C", 1.0).parameter("k1", 1.0).parameter("k2", 0.4);
  b.species("A", 2.0).species("B", 0.0).species("P", 0.0);
  b.reaction(reaction("R1", {{"A", 1}}, {{"B", 1}}, fx::apply("times", {fx::ci("k1"), fx::ci("A")})));
  b.reaction(reaction("R2", {{"B", 1}}, {{"P", 1}}, fx::apply("times", {fx::ci("k2"), fx::ci("B")})));
  const axisim::Model model = axisim::Model::from_string(b.str());
  axisim::SimulationOptions o;
  o.end = 10;
  o.steps = 20;
  o.rtol = 1e-9;
  o.atol = 1e-14;
  auto check = [](const axisim::Result& r) {
    for (std::size_t row = 0; row < r.rows(); ++row) {
      const double t = r.at(row, 0);
      CHECK(r.at(row, 1) == Approx(2.0 / (0.4 - 1.0) * (std::exp(-t) - std::exp(-0.4 * t))).epsilon(1e-6).margin(1e-12));
    }
  };
  const axisim::Result automatic = model.simulate(o, {{"B"}});
  CHECK(automatic.stats.linear_solver == "dense");
  CHECK(automatic.stats.jacobian == "numeric");
  check(automatic);
  o.jacobian = axisim::JacobianKind::Analytic;
  std::vector<axisim::Result> results(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] { results[i] = model.simulate(o, {{"B"}}); });
  for (std::thread& t : threads) t.join();
  for (const axisim::Result& r : results) {
    CHECK(r.stats.jacobian == "analytic");
    CHECK(r.stats.jacobian_rhs_evaluations == 0);
    CHECK(r.stats.jacobian_evaluations > 0);
    check(r);
    CHECK(r.at(r.rows() - 1, 1) == results[0].at(r.rows() - 1, 1));  // the same Jacobian: the same steps
  }
}

TEST_CASE("solver statistics add up over the restarts at events", "[jacobian]") {
  // S decays; an event at t = 5 doubles it: the run restarts there, and the counts of both
  // halves are reported.
  fx::ModelBuilder b;
  b.compartment("C", 1.0).species("S", 1.0).parameter("k", 0.3);
  b.reaction(reaction("R", {{"S", 1}}, {}, fx::apply("times", {fx::ci("k"), fx::ci("S")})));
  b.raw_event("<event id=\"e\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" persistent=\"true\">" +
              fx::math(fx::apply("geq", {fx::csym_time(), fx::cn(5.0)})) +
              "</trigger><listOfEventAssignments><eventAssignment variable=\"S\">" +
              fx::math(fx::apply("times", {fx::cn(2.0), fx::ci("S")})) + "</eventAssignment></listOfEventAssignments></event>");
  const axisim::Model model = axisim::Model::from_string(b.str());
  axisim::SimulationOptions first, whole;
  first.end = 4.9;
  whole.end = 10;
  const axisim::Result a = model.simulate(first, {{"S"}});
  const axisim::Result r = model.simulate(whole, {{"S"}});
  CHECK(r.stats.root_stops >= 1);
  CHECK(r.stats.steps > a.stats.steps);
  CHECK(r.stats.rhs_evaluations > a.stats.rhs_evaluations);
  CHECK(r.stats.integration_seconds > 0.0);
  CHECK(r.at(r.rows() - 1, 1) == Approx(2.0 * std::exp(-0.3 * 10.0)).epsilon(1e-6));
}

TEST_CASE("algebraic rules and fast reactions: the unknowns differentiated implicitly", "[jacobian]") {
  using fx::apply;
  using fx::ci;
  using fx::cn;

  SECTION("a non-linear algebraic rule: z^3 + z = x y") {
    fx::ModelBuilder b;
    b.compartment("C", 1.0);
    b.parameter("x", 1.2, false).parameter("y", 0.7, false).parameter("z", 0.5, false).parameter("k", 0.4);
    b.rate_rule("x", apply("minus", {apply("times", {ci("k"), ci("x"), ci("z")})}));
    b.rate_rule("y", apply("minus", {apply("power", {ci("z"), cn(2.0)}), ci("y")}));
    b.algebraic_rule(apply("minus", {apply("plus", {apply("power", {ci("z"), cn(3.0)}), ci("z")}),
                                     apply("times", {ci("x"), ci("y")})}));
    const auto sys = compile(b.str());
    REQUIRE(sys->jacobian());
    CHECK(sys->jacobian()->numeric_columns.empty());
    require_agreement(*sys);
  }

  SECTION("a fast reversible reaction between slow ones, concentrations in a compartment of size 2") {
    fx::ModelBuilder b;
    b.level(3, 1);
    b.compartment("C", 2.0).species("A", 1.0).species("B", 0.5).species("P", 0.2);
    b.parameter("kf", 3.0).parameter("kr", 1.5).parameter("k1", 0.4).parameter("k2", 0.25);
    b.reaction(reaction("fast", {{"A", 1}}, {{"B", 2}},
                        apply("times", {ci("C"), apply("minus", {apply("times", {ci("kf"), ci("A")}),
                                                                 apply("times", {ci("kr"), ci("B"), ci("B")})})})));
    fx::Reaction slow1 = reaction("slow1", {{"B", 1}}, {{"P", 1}}, apply("times", {ci("C"), ci("k1"), ci("B"), ci("A")}));
    slow1.modifiers = {"A"};
    b.reaction(slow1);
    b.reaction(reaction("slow2", {{"P", 1}}, {{"A", 1}}, apply("times", {ci("C"), ci("k2"), ci("P")})));
    std::string sbml = b.str();
    const std::string marker = "id=\"fast\" reversible=\"false\" fast=\"false\"";
    REQUIRE(sbml.find(marker) != std::string::npos);
    sbml.replace(sbml.find(marker), marker.size(), "id=\"fast\" reversible=\"true\" fast=\"true\"");
    const auto sys = compile(sbml);
    REQUIRE(sys->jacobian());
    CHECK(sys->jacobian()->numeric_columns.empty());
    require_agreement(*sys);
  }
}

TEST_CASE("delay: the columns a delayed value reads are numeric, and cover every row it reaches", "[jacobian]") {
  using fx::apply;
  using fx::ci;
  using fx::cn;
  // a = 2 y, x' = delay(a, dd) - x y, y' = x - y / 2, w' = x w: with dd = 0 the delayed value is
  // the present one, so x' depends on y through a (which only the delay reads).
  fx::ModelBuilder b;
  b.compartment("C", 1.0);
  b.parameter("x", 0.6, false).parameter("y", 1.1, false).parameter("w", 0.3, false).parameter("dd", 0.0);
  b.parameter_no_value("a", false);
  b.assignment_rule("a", apply("times", {cn(2.0), ci("y")}));
  b.rate_rule("x", apply("minus", {fx::apply_delay(ci("a"), ci("dd")), apply("times", {ci("x"), ci("y")})}));
  b.rate_rule("y", apply("minus", {ci("x"), apply("divide", {ci("y"), cn(2.0)})}));
  b.rate_rule("w", apply("times", {ci("x"), ci("w")}));
  const auto sys = compile(b.str());
  REQUIRE(sys->jacobian());
  // y's column (the delay reads it); x's and w's stay analytic.
  CHECK(sys->jacobian()->numeric_columns == std::vector<std::uint32_t>{1});
  require_agreement(*sys);

  SECTION("a lookup inside the step being taken reads the present state") {
    // With a history ending at time 0 and the present at t = 0.8, delay(a, 0.5) interpolates
    // between the last entry and the present: it moves with y at a weight of 0.3 / 0.8.
    fx::ModelBuilder c;
    c.compartment("C", 1.0);
    c.parameter("x", 0.6, false).parameter("y", 1.1, false).parameter("dd", 0.5);
    c.parameter_no_value("a", false);
    c.assignment_rule("a", apply("times", {cn(2.0), ci("y")}));
    c.rate_rule("x", apply("minus", {fx::apply_delay(ci("a"), ci("dd")), ci("x")}));
    c.rate_rule("y", apply("minus", {ci("x"), ci("y")}));
    const auto s = compile(c.str());
    axisim::detail::Workspace ws = s->make_workspace();
    s->initialize(ws, {});
    const std::size_t n = s->num_states();
    std::vector<double> y(n), fy(n), floor(n, 1e-6);
    s->gather_state(ws, y.data());
    axisim::detail::DelayHistory history(n, s->ir().symbols.size());
    REQUIRE(s->derivatives(0.0, y.data(), fy.data(), ws));
    s->update_all(0.0, y.data(), ws);
    history.record(0.0, y.data(), fy.data(), ws.values.data());
    ws.delay->history = &history;
    y[1] *= 1.3;  // the present differs from the past
    const double t = 0.8;
    REQUIRE(s->derivatives(t, y.data(), fy.data(), ws));
    std::vector<double> J(s->jacobian()->pattern.nonzeros());
    REQUIRE(s->jacobian_values(t, y.data(), fy.data(), J.data(), true, floor.data(), ws));
    const jacobian_check::Comparison r =
        jacobian_check::compare_values(s->jacobian()->pattern, J, y, fy, [&](const std::vector<double>& at, std::vector<double>& f) {
          return s->derivatives(t, at.data(), f.data(), ws);
        });
    INFO(r.worst_entry);
    CHECK(r.non_smooth_columns == 0);
    CHECK(r.worst <= 1.0);
    // d x' / d y = 2 * 0.3 / 0.8, which only the present state gives.
    CHECK(J[static_cast<std::size_t>(s->jacobian()->pattern.column_start[1])] == Approx(2.0 * 0.3 / 0.8).epsilon(1e-5));
  }
}
