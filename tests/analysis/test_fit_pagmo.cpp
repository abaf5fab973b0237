// Parameter estimation with pagmo2's methods (FitOptions::method): simulated annealing, particle
// swarm, the genetic algorithm and compass search recover S0 = 10 and k = 0.3 of an exponential
// decay S(t) = S0 exp(-k t) from noise-free data made with those values (the minimum, objective 0,
// lies there: the distance left is the search's), the global ones also on an objective with two
// minima computed by hand (Newton's method on f', as test_fit_methods.cpp), and the same seed
// gives the same search value for value.
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

constexpr double kS0 = 10.0, kK = 0.3;

axisim::Model decay_model() {
  at::Doc d;
  d.species("S", 5.0).parameter("k", 1.0).reaction("R", "S ->", "k * S");
  return axisim::Model::from_string(d.str());
}

// S at 16 times from 0.5 to 8, from the exact solution.
axisim::FitExperiment decay_experiment() {
  axisim::FitExperiment e;
  e.id = "decay";
  for (int i = 0; i < 16; ++i) e.times.push_back(0.5 * (i + 1));
  e.outputs = {{"S"}};
  axisim::FitObservable o;
  o.name = "S";
  o.inputs = {0};
  for (double t : e.times) o.data.push_back(kS0 * std::exp(-kK * t));
  e.observables = {o};
  e.simulation.rtol = 1e-10;
  e.simulation.atol = 1e-12;
  return e;
}

// S0 from 5 in [1, 20], k from 1 in [0.01, 2].
const std::vector<axisim::FitParameter> kDecay{{"S", 5.0, 1.0, 20.0, axisim::ParameterScale::Linear, {}},
                                               {"k", 1.0, 0.01, 2.0, axisim::ParameterScale::Linear, {}}};

// The model of test_fit_methods.cpp: X stays at p, and two observables of it give
// f(p) = ((p - 2)^2 - 1)^2 + 0.2 (p - 2.5)^2, minima near p = 1 (worse) and p = 3 (better).
axisim::Model constant_model() {
  at::Doc d;
  d.species("X", 1.0).reaction("R", "X ->", "0 * X");
  return axisim::Model::from_string(d.str());
}
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
double f(double p) {
  const double q = p - 2;
  return (q * q - 1) * (q * q - 1) + 0.2 * (q - 0.5) * (q - 0.5);
}
double minimum_near(double q) {
  for (int i = 0; i < 50; ++i) q -= (4 * q * q * q - 3.6 * q - 0.2) / (12 * q * q - 3.6);
  return q + 2;
}

axisim::FitOptions options(axisim::FitMethod m, std::uint64_t seed = 3) {
  axisim::FitOptions o;
  o.method = m;
  o.seed = seed;
  return o;
}

const axisim::FitMethod kGlobal[] = {axisim::FitMethod::SimulatedAnnealing, axisim::FitMethod::ParticleSwarm,
                                     axisim::FitMethod::GeneticAlgorithm};

}  // namespace

TEST_CASE("pagmo methods: the search alone comes near S0 = 10 and k = 0.3 of a decay", "[estimation][pagmo]") {
  const auto model = decay_model();
  // The initial objective by hand: S0 = 5, k = 1 against the data.
  double by_hand = 0.0;
  for (double t : decay_experiment().times) by_hand += std::pow(5.0 * std::exp(-t) - kS0 * std::exp(-kK * t), 2);
  for (auto m : kGlobal) {
    auto o = options(m);
    o.polish = false;
    const auto r = axisim::fit_parameters(model, kDecay, {decay_experiment()}, o);
    INFO(axisim::to_string(m) << ": " << r.stop << "; S0 " << r.fitted[0] << ", k " << r.fitted[1] << ", objective "
                              << r.objective << " after " << r.search_evaluations << " evaluations");
    CHECK(axisim::is_global(m));
    CHECK_FALSE(r.polished);
    CHECK_THAT(r.initial_objective, WithinRel(by_hand, 1e-8));
    CHECK(r.search_objective < 1e-2 * r.initial_objective);
    CHECK_THAT(r.fitted[0], WithinAbs(kS0, 0.5));
    CHECK_THAT(r.fitted[1], WithinAbs(kK, 0.02));
    CHECK(r.fitted == r.search_fitted);
  }
}

TEST_CASE("pagmo methods: polished by Levenberg-Marquardt, S0 and k to 1e-6", "[estimation][pagmo]") {
  const auto model = decay_model();
  for (auto m : kGlobal) {
    auto o = options(m);
    o.generations = 30;
    const auto r = axisim::fit_parameters(model, kDecay, {decay_experiment()}, o);
    INFO(axisim::to_string(m) << ": " << r.stop);
    CHECK(r.polished);
    CHECK_THAT(r.stop, Contains(axisim::to_string(m)) && Contains("then Levenberg-Marquardt"));
    CHECK_THAT(r.fitted[0], WithinRel(kS0, 1e-6));
    CHECK_THAT(r.fitted[1], WithinRel(kK, 1e-6));
    CHECK(r.objective < 1e-12);
  }
}

TEST_CASE("pagmo methods: compass search (Hooke and Jeeves's exploratory moves) finds S0 and k alone", "[estimation][pagmo]") {
  const auto model = decay_model();
  const auto r = axisim::fit_parameters(model, kDecay, {decay_experiment()}, options(axisim::FitMethod::CompassSearch));
  INFO(r.stop << "; " << r.search_evaluations << " evaluations");
  CHECK_FALSE(axisim::is_global(axisim::FitMethod::CompassSearch));
  CHECK(axisim::needs_bounds(axisim::FitMethod::CompassSearch));
  CHECK_FALSE(r.polished);
  CHECK(r.search_evaluations <= 600 + 1);  // 200 (n + 1), and the start
  CHECK_THAT(r.fitted[0], WithinRel(kS0, 1e-4));
  CHECK_THAT(r.fitted[1], WithinRel(kK, 1e-4));
  // It draws no random numbers: another seed, the same search.
  const auto again = axisim::fit_parameters(model, kDecay, {decay_experiment()}, options(axisim::FitMethod::CompassSearch, 99));
  CHECK(again.fitted == r.fitted);
}

TEST_CASE("pagmo methods: annealing, swarm and genetic algorithm leave the worse of two minima", "[estimation][pagmo]") {
  const auto model = constant_model();
  const std::vector<axisim::FitParameter> from05{{"X", 0.5, 0.0, 4.0, axisim::ParameterScale::Linear, {}}};
  const double better = minimum_near(1.0), worse = minimum_near(-1.0);
  for (auto m : kGlobal) {
    auto o = options(m, 7);
    o.generations = 30;
    const auto r = axisim::fit_parameters(model, from05, {two_minima_experiment()}, o);
    INFO(axisim::to_string(m) << ": " << r.stop << "; search best " << r.search_fitted[0]);
    CHECK(r.search_objective < f(worse));  // the search itself left the worse valley
    CHECK_THAT(r.fitted[0], WithinAbs(better, 1e-5));
    CHECK_THAT(r.objective, WithinRel(f(better), 1e-8));
  }
}

TEST_CASE("pagmo methods: the same seed gives the same search, another seed another", "[estimation][pagmo]") {
  const auto model = decay_model();
  for (auto m : kGlobal) {
    auto o = options(m, 11);
    o.polish = false;
    o.generations = 20;
    const auto a = axisim::fit_parameters(model, kDecay, {decay_experiment()}, o);
    const auto b = axisim::fit_parameters(model, kDecay, {decay_experiment()}, o);
    INFO(axisim::to_string(m));
    CHECK(a.search_fitted == b.search_fitted);
    CHECK(a.search_evaluations == b.search_evaluations);
    CHECK(a.search_objective == b.search_objective);
    o.seed = 12;
    const auto c = axisim::fit_parameters(model, kDecay, {decay_experiment()}, o);
    CHECK(c.search_fitted != a.search_fitted);
  }
}

TEST_CASE("pagmo methods: evaluations follow the settings", "[estimation][pagmo]") {
  const auto model = decay_model();
  // Annealing: 20 moves per parameter at each temperature step, after the start.
  auto sa = options(axisim::FitMethod::SimulatedAnnealing);
  sa.generations = 5;
  sa.polish = false;
  CHECK(axisim::fit_parameters(model, kDecay, {decay_experiment()}, sa).search_evaluations == 1 + 5 * 20 * 2);
  // Particle swarm: the population, then one evaluation per individual per generation.
  auto pso = options(axisim::FitMethod::ParticleSwarm);
  pso.generations = 4;
  pso.population = 8;
  pso.polish = false;
  CHECK(axisim::fit_parameters(model, kDecay, {decay_experiment()}, pso).search_evaluations == 8 + 4 * 8);
}

TEST_CASE("pagmo methods: refusals name the parameter or the setting", "[estimation][pagmo]") {
  const auto model = decay_model();
  const std::vector<axisim::FitParameter> open{{"S", 5.0, 1.0, 20.0, axisim::ParameterScale::Linear, {}},
                                               {"k", 1.0, 0.01, std::numeric_limits<double>::infinity(),
                                                axisim::ParameterScale::Linear, {}}};
  for (auto m : {axisim::FitMethod::CompassSearch, axisim::FitMethod::ParticleSwarm}) {
    try {
      axisim::fit_parameters(model, open, {decay_experiment()}, options(m));
      FAIL("no error");
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == axisim::ErrorKind::Usage);
      CHECK_THAT(std::string(e.what()), Contains("'k'") && Contains("bounds are not finite"));
    }
  }
  auto sa = options(axisim::FitMethod::SimulatedAnnealing);
  sa.cooling_factor = 1.5;
  try {
    axisim::fit_parameters(model, kDecay, {decay_experiment()}, sa);
    FAIL("no error");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Usage);
    CHECK_THAT(std::string(e.what()), Contains("cooling factor between 0 and 1 (1.5)"));
  }
}
