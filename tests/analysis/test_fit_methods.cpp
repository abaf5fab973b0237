// Parameter estimation with NLopt's methods (FitOptions::method): an objective with two minima,
// f(p) = ((p - 2)^2 - 1)^2 + 0.2 (p - 2.5)^2 on [0, 4], where Levenberg–Marquardt and
// Nelder–Mead from p = 0.5 end in the worse minimum and the global searches (ISRES, CRS2) find
// the better one; the minima are computed here by hand (Newton's method on f' = 0, independent
// of the fit) and compared with the fits' values and objectives. The same seed gives the same
// search.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/parameter_estimation.hpp"
#include "sbml_text.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

// X stays at its initial value p (its one reaction has rate 0): the model's output is p itself,
// read at t = 1, so the objective is a function of p alone, known in closed form.
axisim::Model constant_model() {
  at::Doc d;
  d.species("X", 1.0).reaction("R", "X ->", "0 * X");
  return axisim::Model::from_string(d.str());
}

// Two observables of X: (X - 2)^2 - 1 measured as 0, and X - 2 measured as 0.5 with weight 0.2.
axisim::FitExperiment two_minima_experiment() {
  axisim::FitExperiment e;
  e.id = "e";
  e.times = {1.0};
  e.outputs = {{"X"}};
  axisim::FitObservable a{"a", {0}, [](const std::vector<double>& x) { return (x[0] - 2) * (x[0] - 2) - 1; }, {0.0}, {}};
  axisim::FitObservable b{"b", {0}, [](const std::vector<double>& x) { return x[0] - 2; }, {0.5}, {0.2}};
  e.observables = {a, b};
  e.simulation.rtol = 1e-10;
  e.simulation.atol = 1e-12;
  return e;
}

// By hand: with q = p - 2, f = (q^2 - 1)^2 + 0.2 (q - 0.5)^2 and f' = 4 q^3 - 3.6 q - 0.2, whose
// roots near q = 1 and q = -1 are the two minima (f'' > 0 there; the root near 0 is a maximum).
double f(double p) {
  const double q = p - 2;
  return (q * q - 1) * (q * q - 1) + 0.2 * (q - 0.5) * (q - 0.5);
}
double minimum_near(double q) {
  for (int i = 0; i < 50; ++i) q -= (4 * q * q * q - 3.6 * q - 0.2) / (12 * q * q - 3.6);
  return q + 2;
}

const std::vector<axisim::FitParameter> kFrom05{{"X", 0.5, 0.0, 4.0, axisim::ParameterScale::Linear, {}}};

}  // namespace

TEST_CASE("fit methods: the two minima by hand", "[estimation][nlopt]") {
  const double better = minimum_near(1.0), worse = minimum_near(-1.0);
  CHECK(f(better) < 0.1);
  CHECK(f(worse) > 0.3);
  // The objective the fit computes is f.
  const auto model = constant_model();
  CHECK_THAT(axisim::fit_objective(model, kFrom05, {two_minima_experiment()}, {1.3}), WithinRel(f(1.3), 1e-8));
}

TEST_CASE("fit methods: Levenberg-Marquardt and Nelder-Mead from p = 0.5 end in the worse minimum", "[estimation][nlopt]") {
  const auto model = constant_model();
  const double worse = minimum_near(-1.0);
  const auto lm = axisim::fit_parameters(model, kFrom05, {two_minima_experiment()});
  INFO(lm.stop);
  CHECK(lm.method == "Levenberg-Marquardt");
  CHECK_THAT(lm.fitted[0], WithinAbs(worse, 1e-5));
  CHECK_THAT(lm.objective, WithinRel(f(worse), 1e-8));

  axisim::FitOptions nm;
  nm.method = axisim::FitMethod::NelderMead;
  const auto r = axisim::fit_parameters(model, kFrom05, {two_minima_experiment()}, nm);
  INFO(r.stop);
  CHECK(!r.polished);
  CHECK(r.search_evaluations > 5);
  CHECK(r.evaluations >= r.search_evaluations);
  CHECK_THAT(r.fitted[0], WithinAbs(worse, 1e-4));
  CHECK_THAT(r.objective, WithinRel(f(worse), 1e-6));
}

TEST_CASE("fit methods: ISRES and CRS2 find the better minimum, then Levenberg-Marquardt polishes it", "[estimation][nlopt]") {
  const auto model = constant_model();
  const double better = minimum_near(1.0);
  for (auto method : {axisim::FitMethod::EvolutionStrategy, axisim::FitMethod::ControlledRandomSearch}) {
    axisim::FitOptions o;
    o.method = method;
    o.population = 10;
    o.generations = 20;
    o.seed = 7;
    const auto r = axisim::fit_parameters(model, kFrom05, {two_minima_experiment()}, o);
    INFO(axisim::to_string(method) << ": " << r.stop);
    CHECK(axisim::is_global(method));
    CHECK(r.search_evaluations <= 201);  // population x generations (CRS2 also evaluates its start)
    CHECK(r.search_objective < f(minimum_near(-1.0)));  // the search itself left the worse valley
    CHECK(r.polished);
    CHECK_THAT(r.fitted[0], WithinAbs(better, 1e-5));
    CHECK_THAT(r.objective, WithinRel(f(better), 1e-8));
    CHECK_THAT(r.initial_objective, WithinRel(f(0.5), 1e-9));

    // The same seed, the same search, value for value.
    const auto again = axisim::fit_parameters(model, kFrom05, {two_minima_experiment()}, o);
    CHECK(again.search_fitted == r.search_fitted);
    CHECK(again.search_evaluations == r.search_evaluations);
    CHECK(again.fitted == r.fitted);
  }
}

TEST_CASE("fit methods: a global search needs finite bounds", "[estimation][nlopt]") {
  const auto model = constant_model();
  axisim::FitOptions o;
  o.method = axisim::FitMethod::EvolutionStrategy;
  const std::vector<axisim::FitParameter> open{
      {"X", 0.5, 0.0, std::numeric_limits<double>::infinity(), axisim::ParameterScale::Linear, {}}};
  try {
    axisim::fit_parameters(model, open, {two_minima_experiment()}, o);
    FAIL("no error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Usage);
    CHECK_THAT(std::string(e.what()), Contains("'X'") && Contains("bounds are not finite"));
  }
}
