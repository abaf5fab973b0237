// Parameter estimation (axisim/parameter_estimation.hpp): the objective against a hand
// computation, parameters recovered from data made with known values (noise-free, so the
// minimum lies at those values and the distance left is the integrator's error, far below the
// tolerances checked), bounds held, log scales, steady-state experiments, experiment-specific
// parameters, observables computed by a formula, ill-posed problems refused.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/parameter_estimation.hpp"
#include "sbml_text.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

// S' = -k S, S(0) = S0: S(t) = S0 exp(-k t).
axisim::Model decay_model(double S0 = 5.0, double k = 1.0) {
  at::Doc d;
  d.species("S", S0).parameter("k", k).reaction("R", "S ->", "k * S");
  return axisim::Model::from_string(d.str());
}

axisim::SimulationOptions tight() {
  axisim::SimulationOptions o;
  o.rtol = 1e-10;
  o.atol = 1e-14;
  return o;
}

// One time course observing S at `times`, the data computed from the exact solution.
axisim::FitExperiment decay_experiment(const std::vector<double>& times, double S0, double k, const std::string& id = "e") {
  axisim::FitExperiment e;
  e.id = id;
  e.times = times;
  e.outputs = {{"S"}};
  axisim::FitObservable o;
  o.name = "S";
  o.inputs = {0};
  for (double t : times) o.data.push_back(S0 * std::exp(-k * t));
  e.observables = {o};
  e.simulation = tight();
  return e;
}

std::vector<double> grid(double from, double to, int n) {
  std::vector<double> t;
  for (int i = 0; i < n; ++i) t.push_back(from + (to - from) * i / (n - 1));
  return t;
}

axisim::ErrorKind error_kind(const std::function<void()>& f, const std::string& needle) {
  try {
    f();
  } catch (const axisim::Error& e) {
    CHECK_THAT(std::string(e.what()), Contains(needle));
    return e.kind();
  }
  FAIL("no error thrown");
  return axisim::ErrorKind::Io;
}

}  // namespace

TEST_CASE("parameter estimation: the objective is the weighted sum of squares, by hand", "[estimation]") {
  // Data that differ from the model; weights 2 and 0.5 on the points, a NaN left out.
  const auto model = decay_model(5.0, 1.0);
  axisim::FitExperiment e;
  e.id = "e";
  e.times = {0.5, 1.0, 2.0, 3.0};
  e.outputs = {{"S"}};
  e.simulation = tight();
  axisim::FitObservable o;
  o.name = "S";
  o.inputs = {0};
  o.data = {3.0, 2.0, std::nan(""), 0.5};
  o.weights = {2.0, 0.5, 1.0, 1.0};
  e.observables = {o};
  const double k = 0.7;
  const std::vector<axisim::FitParameter> p{{"k", 1.0, 0.0, 10.0, axisim::ParameterScale::Linear, {}}};
  const double expected = 2.0 * std::pow(5 * std::exp(-k * 0.5) - 3.0, 2) + 0.5 * std::pow(5 * std::exp(-k) - 2.0, 2) +
                          std::pow(5 * std::exp(-3 * k) - 0.5, 2);
  CHECK_THAT(axisim::fit_objective(model, p, {e}, {k}), WithinRel(expected, 1e-8));
}

TEST_CASE("parameter estimation: exponential decay, k and S0 recovered from elsewhere", "[estimation]") {
  const auto model = decay_model();
  const auto e = decay_experiment(grid(0.25, 8, 20), 5.0, 0.3);
  const std::vector<axisim::FitParameter> p{{"k", 1.5, 1e-3, 10.0, axisim::ParameterScale::Linear, {}},
                                            {"S", 2.0, 0.1, 100.0, axisim::ParameterScale::Linear, {}}};
  const auto r = axisim::fit_parameters(model, p, {e});
  INFO(r.stop);
  CHECK(r.points == 20);
  CHECK(r.initial_objective > 10.0);
  CHECK(r.objective < 1e-12);
  CHECK_THAT(r.fitted[0], WithinRel(0.3, 1e-6));
  CHECK_THAT(r.fitted[1], WithinRel(5.0, 1e-6));
  CHECK(r.iterations > 2);
  REQUIRE(r.curves.size() == 1);
  CHECK(r.curves[0].fitted.size() == 20);
  CHECK_THAT(r.curves[0].fitted[19], WithinRel(5.0 * std::exp(-0.3 * 8), 1e-6));
  // The outputs at the fitted values, at the distinct times.
  REQUIRE(r.outputs.size() == 1);
  CHECK(r.outputs[0].times.size() == 20);
}

TEST_CASE("parameter estimation: Michaelis-Menten Vmax and Km on log10 scales", "[estimation]") {
  // S -> P at Vmax S / (Km + S), S0 = 10: both parameters shape the curve (saturated, then first order).
  at::Doc d;
  d.species("S", 10.0).species("P", 0.0).parameter("Vmax", 1.0).parameter("Km", 1.0);
  d.reaction("R", "S -> P", "Vmax * S / (Km + S)");
  const auto model = axisim::Model::from_string(d.str());
  axisim::Model truth = model;
  truth.set_value("Vmax", 1.2);
  truth.set_value("Km", 2.5);
  axisim::SimulationOptions opt = tight();
  opt.end = 15;
  opt.steps = 30;
  const axisim::Result data = truth.simulate(opt, {{"S"}, {"P"}});
  axisim::FitExperiment e;
  e.id = "mm";
  e.outputs = {{"S"}, {"P"}};
  e.simulation = tight();
  axisim::FitObservable s{"S", {0}, {}, {}, {}}, pr{"P", {1}, {}, {}, {}};
  for (std::size_t i = 1; i < data.rows(); ++i) {
    e.times.push_back(data.at(i, 0));
    s.data.push_back(data.at(i, 1));
    pr.data.push_back(data.at(i, 2));
  }
  e.observables = {s, pr};
  const std::vector<axisim::FitParameter> p{{"Vmax", 0.3, 1e-2, 1e2, axisim::ParameterScale::Log10, {}},
                                            {"Km", 10.0, 1e-2, 1e2, axisim::ParameterScale::Log10, {}}};
  const auto r = axisim::fit_parameters(model, p, {e});
  INFO(r.stop);
  CHECK(r.objective < 1e-12);
  CHECK_THAT(r.fitted[0], WithinRel(1.2, 1e-5));
  CHECK_THAT(r.fitted[1], WithinRel(2.5, 1e-5));
}

TEST_CASE("parameter estimation: a bound holds the fit, which stops on it", "[estimation]") {
  // The data want k = 0.3; k's upper bound is 0.2: the fit ends on the bound, where the objective
  // still falls towards larger k (so the bound, not a minimum, stopped it).
  const auto model = decay_model();
  const auto e = decay_experiment(grid(0.25, 8, 20), 5.0, 0.3);
  const std::vector<axisim::FitParameter> p{{"k", 0.05, 1e-3, 0.2, axisim::ParameterScale::Linear, {}},
                                            {"S", 2.0, 0.1, 100.0, axisim::ParameterScale::Log, {}}};
  const auto r = axisim::fit_parameters(model, p, {e});
  INFO(r.stop);
  CHECK(r.fitted[0] == 0.2);
  CHECK(r.at_bound[0]);
  CHECK_FALSE(r.at_bound[1]);
  const double at = axisim::fit_objective(model, p, {e}, r.fitted);
  CHECK_THAT(at, WithinRel(r.objective, 1e-10));
  CHECK(axisim::fit_objective(model, p, {e}, {0.199, r.fitted[1]}) > at);
  // S0 is the best for k = 0.2: moving it either way raises the objective.
  CHECK(axisim::fit_objective(model, p, {e}, {0.2, r.fitted[1] * 1.001}) > at);
  CHECK(axisim::fit_objective(model, p, {e}, {0.2, r.fitted[1] * 0.999}) > at);
}

TEST_CASE("parameter estimation: steady-state experiments under conditions", "[estimation]") {
  // -> X at k_in, X -> at k_out X: X_ss = k_in / k_out; three experiments with k_in = 1, 2, 4.
  at::Doc d;
  d.species("X", 1.0).parameter("k_in", 1.0).parameter("k_out", 2.0);
  d.reaction("in", "-> X", "k_in").reaction("out", "X ->", "k_out * X");
  const auto model = axisim::Model::from_string(d.str());
  std::vector<axisim::FitExperiment> experiments;
  for (double k_in : {1.0, 2.0, 4.0}) {
    axisim::FitExperiment e;
    e.id = "in" + std::to_string(static_cast<int>(k_in));
    e.steady_state = true;
    e.conditions = {{"k_in", k_in}};
    e.outputs = {{"X"}};
    e.observables = {{"X", {0}, {}, {k_in / 0.5, k_in / 0.5}, {}}};  // two measurements of one steady state
    experiments.push_back(e);
  }
  const std::vector<axisim::FitParameter> p{{"k_out", 2.0, 1e-3, 1e3, axisim::ParameterScale::Log, {}}};
  const auto r = axisim::fit_parameters(model, p, experiments);
  INFO(r.stop);
  CHECK(r.points == 6);
  CHECK_THAT(r.fitted[0], WithinRel(0.5, 1e-8));
  CHECK(r.objective < 1e-16);
  REQUIRE(r.outputs.size() == 3);
  CHECK_THAT(r.outputs[2].values[0], WithinRel(8.0, 1e-8));
  // By hand at k_out = 1: X_ss = k_in, residuals k_in - 2 k_in twice each: 2 (1 + 4 + 16).
  CHECK_THAT(axisim::fit_objective(model, p, experiments, {1.0}), WithinRel(42.0, 1e-8));
}

TEST_CASE("parameter estimation: a parameter per experiment, a shared one, an observable by formula", "[estimation]") {
  // Two decays with their own S0 (3 and 7) and one k = 0.4; observed as 2 S + 1.
  const auto model = decay_model();
  std::vector<axisim::FitExperiment> experiments;
  for (double S0 : {3.0, 7.0}) {
    auto e = decay_experiment(grid(0.5, 6, 8), S0, 0.4, S0 == 3.0 ? "low" : "high");
    e.observables[0].formula = [](const std::vector<double>& x) { return 2 * x[0] + 1; };
    for (double& v : e.observables[0].data) v = 2 * v + 1;
    experiments.push_back(e);
  }
  const std::vector<axisim::FitParameter> p{{"k", 1.0, 1e-3, 10.0, axisim::ParameterScale::Linear, {}},
                                            {"S", 1.0, 0.1, 100.0, axisim::ParameterScale::Linear, {0}},
                                            {"S", 1.0, 0.1, 100.0, axisim::ParameterScale::Linear, {1}}};
  const auto r = axisim::fit_parameters(model, p, experiments);
  INFO(r.stop);
  CHECK_THAT(r.fitted[0], WithinRel(0.4, 1e-6));
  CHECK_THAT(r.fitted[1], WithinRel(3.0, 1e-6));
  CHECK_THAT(r.fitted[2], WithinRel(7.0, 1e-6));
}

TEST_CASE("parameter estimation: ill-posed problems refused, named", "[estimation]") {
  const auto model = decay_model();
  const auto e = decay_experiment({1, 2}, 5.0, 0.3);
  using P = axisim::FitParameter;
  using axisim::ErrorKind;
  using axisim::ParameterScale;
  CHECK(error_kind([&] { axisim::fit_parameters(model, {P{"k", 5.0, 0.0, 1.0, ParameterScale::Linear, {}}}, {e}); },
                   "outside its bounds") == ErrorKind::Usage);
  CHECK(error_kind([&] { axisim::fit_parameters(model, {P{"k", 0.5, 0.0, 1.0, ParameterScale::Log10, {}}}, {e}); },
                   "log scale") == ErrorKind::Usage);
  CHECK(error_kind([&] { axisim::fit_parameters(model, {P{"nope", 0.5, 0.0, 1.0, ParameterScale::Linear, {}}}, {e}); },
                   "nope") == ErrorKind::UnknownId);
  auto bad = e;
  bad.observables[0].data = {1.0};
  CHECK(error_kind([&] { axisim::fit_parameters(model, {P{"k", 0.5, 0.0, 1.0, ParameterScale::Linear, {}}}, {bad}); },
                   "1 measurements for 2 times") == ErrorKind::Usage);
}

TEST_CASE("parameter estimation: two models under one parameter vector, one objective", "[estimation]") {
  // Model 0: S' = -k S from 10, S = 10 e^{-k t}. Model 1: S' = p - k S from 10 with p = 1,
  // S = p/k + (10 - p/k) e^{-k t}. Both have an id k: one fitted parameter per model (0.3 and 0.7).
  const auto a = decay_model(10.0, 1.0);
  at::Doc d;
  d.species("S", 10.0).parameter("k", 0.5).parameter("p", 1.0).reaction("R", "S ->", "k * S").reaction("P", "-> S", "p");
  const auto b = axisim::Model::from_string(d.str());
  const auto sb = [](double k, double t) { return 1 / k + (10 - 1 / k) * std::exp(-k * t); };
  auto ea = decay_experiment(grid(0.5, 6, 6), 10.0, 0.3, "a");
  auto eb = decay_experiment(grid(0.5, 8, 7), 10.0, 0.7, "b");
  eb.model = 1;
  for (std::size_t i = 0; i < eb.times.size(); ++i) eb.observables[0].data[i] = sb(0.7, eb.times[i]);
  std::vector<axisim::FitParameter> p{{"k", 1.0, 1e-3, 10.0, axisim::ParameterScale::Log10, {}},
                                      {"k", 0.2, 1e-3, 10.0, axisim::ParameterScale::Log10, {}}};
  p[1].model = 1;
  const std::vector<const axisim::Model*> models{&a, &b};
  // The objective at the start, by hand: both experiments' squares.
  double expected = 0.0;
  for (std::size_t i = 0; i < ea.times.size(); ++i)
    expected += std::pow(10 * std::exp(-1.0 * ea.times[i]) - ea.observables[0].data[i], 2);
  for (std::size_t i = 0; i < eb.times.size(); ++i) expected += std::pow(sb(0.2, eb.times[i]) - eb.observables[0].data[i], 2);
  CHECK_THAT(axisim::fit_objective(models, p, {ea, eb}, {1.0, 0.2}), WithinRel(expected, 1e-7));
  const auto r = axisim::fit_parameters(models, p, {ea, eb});
  INFO(r.stop);
  CHECK_THAT(r.fitted[0], WithinRel(0.3, 1e-6));
  CHECK_THAT(r.fitted[1], WithinRel(0.7, 1e-6));
  CHECK(r.points == ea.times.size() + eb.times.size());
  CHECK(r.objective < 1e-12);
  // Each experiment's outputs come from its own model.
  REQUIRE(r.outputs.size() == 2);
  CHECK_THAT(r.outputs[1].values.back(), WithinRel(sb(0.7, 8.0), 1e-6));

  // Refused, named: a model index out of range (a parameter's, an experiment's), a null model,
  // an experiment whose model no parameter sets.
  using axisim::ErrorKind;
  auto q = p;
  q[1].model = 2;
  CHECK(error_kind([&] { axisim::fit_parameters(models, q, {ea, eb}); }, "model index 2 out of range") == ErrorKind::Usage);
  auto far = eb;
  far.model = 5;
  CHECK(error_kind([&] { axisim::fit_parameters(models, p, {ea, far}); }, "model index 5 out of range") == ErrorKind::Usage);
  CHECK(error_kind([&] { axisim::fit_parameters({&a, nullptr}, p, {ea}); }, "null") == ErrorKind::Usage);
  CHECK(error_kind([&] { axisim::fit_parameters(models, {p[0]}, {ea, eb}); }, "no fitted parameter sets its model") ==
        ErrorKind::Usage);
}
