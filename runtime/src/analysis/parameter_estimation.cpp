// Parameter estimation (axisim/parameter_estimation.hpp): weighted least squares over time
// courses and steady states, a bounded Levenberg–Marquardt method on internal (linear or log)
// coordinates, the Jacobian from the forward sensitivities the `sensitivities` command computes.
#include "axisim/parameter_estimation.hpp"

#include <Eigen/Dense>
#include <nlopt.h>
#include <algorithm>
#include <functional>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "axisim/control_analysis.hpp"
#include "axisim/error.hpp"
#include "axisim/sensitivities.hpp"
#include "pagmo_search.hpp"

namespace axisim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLn10 = 2.302585092994045684;

double to_internal(double p, ParameterScale s) {
  switch (s) {
    case ParameterScale::Log: return std::log(p);
    case ParameterScale::Log10: return std::log10(p);
    case ParameterScale::Linear: break;
  }
  return p;
}
double from_internal(double u, ParameterScale s) {
  switch (s) {
    case ParameterScale::Log: return std::exp(u);
    case ParameterScale::Log10: return std::pow(10.0, u);
    case ParameterScale::Linear: break;
  }
  return u;
}
// dp/du at p.
double dp_du(double p, ParameterScale s) {
  switch (s) {
    case ParameterScale::Log: return p;
    case ParameterScale::Log10: return p * kLn10;
    case ParameterScale::Linear: break;
  }
  return 1.0;
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

// One measured point: where its residual comes from.
struct Point {
  std::size_t experiment, observable, row;  // row: index into the experiment's distinct times (0: steady state)
  std::size_t measurement;                  // index into the observable's data
  double time, data, sqrt_weight;
};

struct Evaluation {
  bool ok = false;
  ErrorKind kind = ErrorKind::Solver;
  std::string error;
  Eigen::VectorXd r;       // sqrt(w) (y - d), one per point
  Eigen::MatrixXd J;       // d r / d p (points x parameters)
  std::vector<double> y;   // the observables' values, one per point
  std::vector<FitResult::Values> outputs;
  double objective() const { return r.squaredNorm(); }
};

class Problem {
 public:
  // `stop` (FitOptions::stop) reaches each evaluation's integration or steady state: a stop
  // request throws Stopped from inside the run, not after it.
  Problem(const std::vector<const Model*>& models, const std::vector<FitParameter>& parameters,
          const std::vector<FitExperiment>& experiments, const StopFlag* stop = nullptr)
      : models_(models), parameters_(parameters), experiments_(experiments), stop_(stop) {
    if (models.empty() || std::find(models.begin(), models.end(), nullptr) != models.end())
      throw Error(ErrorKind::Usage, "parameter estimation: no model, or a null one");
    if (parameters.empty()) throw Error(ErrorKind::Usage, "parameter estimation: no parameter to fit");
    if (experiments.empty()) throw Error(ErrorKind::Usage, "parameter estimation: no experiment");
    for (const FitParameter& p : parameters) {
      const std::string what = "parameter estimation: parameter '" + p.id + "'";
      if (p.model >= models.size())
        throw Error(ErrorKind::Usage, what + ": model index " + std::to_string(p.model) + " out of range");
      if (!models[p.model]->has_id(p.id)) throw Error(ErrorKind::UnknownId, what + ": the model has no such id");
      if (!(p.lower <= p.upper)) throw Error(ErrorKind::Usage, what + ": lower bound above the upper bound");
      if (!std::isfinite(p.initial) || p.initial < p.lower || p.initial > p.upper)
        throw Error(ErrorKind::Usage, what + ": initial value " + number(p.initial) + " outside its bounds [" +
                                          number(p.lower) + ", " + number(p.upper) + "]");
      if (p.scale != ParameterScale::Linear && !(p.lower > 0.0))
        throw Error(ErrorKind::Usage, what + ": a log scale needs a lower bound above 0");
      for (std::size_t e : p.experiments)
        if (e >= experiments.size())
          throw Error(ErrorKind::Usage, what + ": experiment index " + std::to_string(e) + " out of range");
    }
    active_.resize(experiments.size());
    rows_.resize(experiments.size());
    for (std::size_t e = 0; e < experiments.size(); ++e) {
      const FitExperiment& x = experiments[e];
      const std::string what = "parameter estimation: experiment '" + x.id + "'";
      if (x.model >= models.size())
        throw Error(ErrorKind::Usage, what + ": model index " + std::to_string(x.model) + " out of range");
      const Model& model = *models[x.model];
      std::set<std::string> conditions;
      for (const auto& [id, value] : x.conditions) {
        if (!model.has_id(id)) throw Error(ErrorKind::UnknownId, what + ": condition on '" + id + "', which the model lacks");
        conditions.insert(id);
      }
      std::set<std::string> seen;
      for (std::size_t j = 0; j < parameters.size(); ++j) {
        const FitParameter& p = parameters[j];
        if (p.model != x.model) continue;  // it sets another model
        if (!p.experiments.empty() && std::find(p.experiments.begin(), p.experiments.end(), e) == p.experiments.end())
          continue;
        if (!seen.insert(p.id).second)
          throw Error(ErrorKind::Usage, what + ": two fitted parameters set '" + p.id + "' in it");
        active_[e].push_back(j);
      }
      // The sensitivities need one parameter of the experiment's model: when none moves this
      // experiment, its values are read with the first one's (unused) derivatives.
      const auto first = std::find_if(parameters.begin(), parameters.end(),
                                      [&](const FitParameter& p) { return p.model == x.model; });
      if (first == parameters.end())
        throw Error(ErrorKind::Usage, what + ": no fitted parameter sets its model (index " + std::to_string(x.model) +
                                          "), so it cannot move the objective");
      fallback_.push_back(first->id);
      // The distinct measurement times, ascending, and each measurement's row among them.
      std::vector<std::size_t> row_of;
      if (!x.steady_state) {
        std::vector<double> t = x.times;
        for (double v : t)
          if (!std::isfinite(v) || v < 0.0)
            throw Error(ErrorKind::Usage, what + ": measurement time " + number(v) + " (times must be finite and >= 0)");
        std::sort(t.begin(), t.end());
        t.erase(std::unique(t.begin(), t.end()), t.end());
        rows_[e] = t;
        for (double v : x.times)
          row_of.push_back(static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), v) - t.begin()));
      }
      for (std::size_t k = 0; k < x.observables.size(); ++k) {
        const FitObservable& o = x.observables[k];
        const std::string ow = what + " observable '" + o.name + "'";
        if (o.inputs.empty()) throw Error(ErrorKind::Usage, ow + ": reads nothing");
        if (!o.formula && o.inputs.size() != 1) throw Error(ErrorKind::Usage, ow + ": several inputs need a formula");
        for (std::size_t in : o.inputs) {
          if (in == FitObservable::kTimeInput) {
            if (x.steady_state) throw Error(ErrorKind::Usage, ow + ": a steady state has no time");
          } else if (in >= x.outputs.size()) {
            throw Error(ErrorKind::Usage, ow + ": input index " + std::to_string(in) + " out of range");
          }
        }
        if (!x.steady_state && o.data.size() != x.times.size())
          throw Error(ErrorKind::Usage, ow + ": " + std::to_string(o.data.size()) + " measurements for " +
                                            std::to_string(x.times.size()) + " times");
        if (!o.weights.empty() && o.weights.size() != o.data.size())
          throw Error(ErrorKind::Usage, ow + ": " + std::to_string(o.weights.size()) + " weights for " +
                                            std::to_string(o.data.size()) + " measurements");
        for (std::size_t i = 0; i < o.data.size(); ++i) {
          const double w = o.weights.empty() ? 1.0 : o.weights[i];
          if (std::isnan(o.data[i]) || std::isnan(w)) continue;
          if (!std::isfinite(o.data[i])) throw Error(ErrorKind::Usage, ow + ": an infinite measurement");
          if (!(w >= 0.0) || !std::isfinite(w)) throw Error(ErrorKind::Usage, ow + ": weight " + number(w) + " (weights must be >= 0)");
          points_.push_back({e, k, x.steady_state ? 0 : row_of[i], i, x.steady_state ? kNaN : x.times[i], o.data[i],
                             std::sqrt(w)});
        }
      }
    }
    if (points_.empty()) throw Error(ErrorKind::Usage, "parameter estimation: no measured point");
  }

  const std::vector<Point>& points() const { return points_; }

  // The residuals and their Jacobian in p at the values p; a failure (a solver error, a
  // non-finite value) is returned, not thrown.
  Evaluation evaluate(const std::vector<double>& p) const {
    Evaluation ev;
    const std::size_t np = parameters_.size();
    ev.r = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(points_.size()));
    ev.J = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(points_.size()), static_cast<Eigen::Index>(np));
    ev.y.assign(points_.size(), kNaN);
    ev.outputs.resize(experiments_.size());
    try {
      for (std::size_t e = 0; e < experiments_.size(); ++e) {
        try {
          evaluate_experiment(e, p, ev);
        } catch (const Stopped& stop) {  // not a failure of the point: on to the caller, named
          throw Stopped(stop.signal(), "parameter estimation stopped on request in experiment '" + experiments_[e].id +
                                           "''s run: " + stop.what());
        }
      }
    } catch (const Error& err) {
      ev.kind = err.kind();
      ev.error = err.what();
      return ev;
    }
    if (!ev.r.allFinite() || !ev.J.allFinite()) {
      ev.error = "the residuals or their derivatives are not finite";
      return ev;
    }
    ev.ok = true;
    return ev;
  }

 private:
  void evaluate_experiment(std::size_t e, const std::vector<double>& p, Evaluation& ev) const {
    const FitExperiment& x = experiments_[e];
    Model m = *models_[x.model];
    std::set<std::string> conditions;
    for (const auto& [id, value] : x.conditions) conditions.insert(id);
    std::vector<std::string> wrt;
    std::vector<std::size_t> wrt_parameter;
    for (std::size_t j : active_[e]) {
      m.set_value(parameters_[j].id, p[j]);
      if (conditions.count(parameters_[j].id)) continue;
      wrt.push_back(parameters_[j].id);
      wrt_parameter.push_back(j);
    }
    for (const auto& [id, value] : x.conditions) m.set_value(id, value);
    if (wrt.empty()) wrt.push_back(fallback_[e]);
    const std::size_t nout = x.outputs.size(), nw = wrt.size();
    std::vector<double> values, sens;  // rows x outputs; rows x outputs x wrt
    std::vector<double> times;
    if (x.steady_state) {
      SteadyStateOptions so = x.steady;
      so.stop = stop_;
      const SteadyStateSensitivities s = steady_state_sensitivities(m, wrt, so, x.outputs);
      values = s.state.values;
      sens = s.unscaled.values;
      times = {kNaN};
    } else {
      SimulationOptions so = x.simulation;
      so.stop = stop_;
      const TimeCourseSensitivities s = time_course_sensitivities_at(m, wrt, rows_[e], so, x.outputs);
      values = s.values;
      sens = s.sensitivities;
      times = s.times;
    }
    if (nout > 0 && values.size() != times.size() * nout)
      throw Error(ErrorKind::Solver, "parameter estimation: experiment '" + x.id + "': the run gave " +
                                         std::to_string(values.size()) + " values for " +
                                         std::to_string(times.size() * nout) + " outputs");
    ev.outputs[e].times = times;
    ev.outputs[e].values = nout > 0 ? values : std::vector<double>{};
    auto input = [&](std::size_t row, std::size_t in) { return in == FitObservable::kTimeInput ? times[row] : values[row * nout + in]; };
    auto input_sens = [&](std::size_t row, std::size_t in, std::size_t w) {
      return in == FitObservable::kTimeInput ? 0.0 : sens[(row * nout + in) * nw + w];
    };
    std::vector<double> xin, dx;
    for (std::size_t i = 0; i < points_.size(); ++i) {
      const Point& pt = points_[i];
      if (pt.experiment != e) continue;
      const FitObservable& o = x.observables[pt.observable];
      xin.resize(o.inputs.size());
      for (std::size_t a = 0; a < o.inputs.size(); ++a) xin[a] = input(pt.row, o.inputs[a]);
      double y;
      dx.assign(o.inputs.size(), 0.0);
      if (!o.formula) {
        y = xin[0];
        dx[0] = 1.0;
      } else {
        y = o.formula(xin);
        for (std::size_t a = 0; a < xin.size(); ++a) {
          if (o.inputs[a] == FitObservable::kTimeInput) continue;
          const double h = xin[a] != 0.0 ? 1e-6 * std::fabs(xin[a]) : 1e-8;
          std::vector<double> up = xin, down = xin;
          up[a] += h;
          down[a] -= h;
          dx[a] = (o.formula(up) - o.formula(down)) / (2 * h);
        }
      }
      ev.y[i] = y;
      ev.r(static_cast<Eigen::Index>(i)) = pt.sqrt_weight * (y - pt.data);
      if (wrt_parameter.empty()) continue;
      for (std::size_t w = 0; w < nw; ++w) {
        double d = 0.0;
        for (std::size_t a = 0; a < o.inputs.size(); ++a)
          if (dx[a] != 0.0) d += dx[a] * input_sens(pt.row, o.inputs[a], w);
        ev.J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(wrt_parameter[w])) = pt.sqrt_weight * d;
      }
    }
  }

  const std::vector<const Model*>& models_;
  const std::vector<FitParameter>& parameters_;
  const std::vector<FitExperiment>& experiments_;
  std::vector<std::vector<std::size_t>> active_;  // per experiment: the parameters that apply to it
  std::vector<std::string> fallback_;             // per experiment: a parameter of its model (see evaluate_experiment)
  std::vector<std::vector<double>> rows_;         // per time course: its distinct times, ascending
  std::vector<Point> points_;
  const StopFlag* stop_ = nullptr;
};

// The NLopt stage: `method` on the objective in internal coordinates from u, within [lo, hi].
struct Search {
  const Problem& problem;
  std::function<std::vector<double>(const Eigen::VectorXd&)> values_of;
  std::function<Eigen::MatrixXd(const Evaluation&, const Eigen::VectorXd&)> jacobian_in_u;
  int evaluations = 0;
  double best = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_u;
  const StopFlag* stop = nullptr;  // FitOptions::stop
  nlopt_opt opt = nullptr;         // to force a stop from inside

  static double objective(unsigned n, const double* x, double* grad, void* data) {
    auto* self = static_cast<Search*>(data);
    // A stop request: NLopt ends the search at once (nlopt_force_stop); fit_parameters throws.
    if (self->stop && self->stop->load(std::memory_order_relaxed)) {
      if (self->opt) nlopt_force_stop(self->opt);  // (pagmo's searches: every evaluation returns at once)
      if (grad) std::fill(grad, grad + n, 0.0);
      return std::numeric_limits<double>::max();
    }
    const Eigen::VectorXd u = Eigen::Map<const Eigen::VectorXd>(x, static_cast<Eigen::Index>(n));
    Evaluation ev;
    try {
      ev = self->problem.evaluate(self->values_of(u));
    } catch (const Stopped&) {
      // Stopped inside this evaluation's run: no exception through NLopt's C or pagmo's
      // algorithms; the search ends as above and fit_parameters throws after it (check_stop).
      if (self->opt) nlopt_force_stop(self->opt);
      if (grad) std::fill(grad, grad + n, 0.0);
      return std::numeric_limits<double>::max();
    }
    ++self->evaluations;
    // A failed run is a point the search must leave: an objective above every real one (an
    // infinity would stop some of NLopt's methods).
    if (!ev.ok) {
      if (grad) std::fill(grad, grad + n, 0.0);
      return std::numeric_limits<double>::max();
    }
    const double F = ev.objective();
    if (grad) {
      const Eigen::VectorXd g = 2.0 * self->jacobian_in_u(ev, u).transpose() * ev.r;
      std::copy(g.data(), g.data() + n, grad);
    }
    if (F < self->best) {
      self->best = F;
      self->best_u = u;
    }
    return F;
  }
};

nlopt_algorithm nlopt_of(FitMethod m) {
  switch (m) {
    case FitMethod::NelderMead: return NLOPT_LN_NELDERMEAD;
    case FitMethod::Praxis: return NLOPT_LN_PRAXIS;
    case FitMethod::TruncatedNewton: return NLOPT_LD_TNEWTON_PRECOND_RESTART;
    case FitMethod::EvolutionStrategy: return NLOPT_GN_ISRES;
    case FitMethod::ControlledRandomSearch: return NLOPT_GN_CRS2_LM;
    default: break;
  }
  return NLOPT_NUM_ALGORITHMS;
}

std::string nlopt_stop(nlopt_result r, int max_evaluations) {
  switch (r) {
    case NLOPT_SUCCESS: return "NLopt reports success";
    case NLOPT_STOPVAL_REACHED: return "the objective reached 0";
    case NLOPT_FTOL_REACHED: return "the objective changes by less than the tolerance (relative)";
    case NLOPT_XTOL_REACHED: return "the step is below the tolerance (relative)";
    case NLOPT_MAXEVAL_REACHED: return "the maximum number of evaluations (" + std::to_string(max_evaluations) + ") was reached";
    case NLOPT_MAXTIME_REACHED: return "the time limit was reached";
    case NLOPT_ROUNDOFF_LIMITED: return "round-off limited further progress";
    case NLOPT_FORCED_STOP: return "stopped";
    case NLOPT_OUT_OF_MEMORY: return "NLopt ran out of memory";
    case NLOPT_INVALID_ARGS: return "NLopt refused its arguments";
    default: break;  // NLOPT_FAILURE
  }
  return "NLopt failed";
}

// FitOptions::stop: throws Stopped, saying `where`, when it is set.
void check_stop(const FitOptions& options, const std::string& where) {
  if (options.stop)
    if (const int signal = options.stop->load(std::memory_order_relaxed))
      throw Stopped(signal, "parameter estimation stopped on request " + where);
}

}  // namespace

bool is_global(FitMethod m) {
  return m == FitMethod::EvolutionStrategy || m == FitMethod::ControlledRandomSearch || m == FitMethod::SimulatedAnnealing ||
         m == FitMethod::ParticleSwarm || m == FitMethod::GeneticAlgorithm;
}
bool needs_bounds(FitMethod m) { return is_global(m) || m == FitMethod::CompassSearch; }
bool is_pagmo(FitMethod m) {
  return m == FitMethod::SimulatedAnnealing || m == FitMethod::ParticleSwarm || m == FitMethod::GeneticAlgorithm ||
         m == FitMethod::CompassSearch;
}

std::string to_string(FitMethod m) {
  switch (m) {
    case FitMethod::LevenbergMarquardt: return "Levenberg-Marquardt";
    case FitMethod::NelderMead: return "NLopt Nelder-Mead";
    case FitMethod::Praxis: return "NLopt Praxis";
    case FitMethod::TruncatedNewton: return "NLopt preconditioned truncated Newton";
    case FitMethod::EvolutionStrategy: return "NLopt ISRES (evolution strategy)";
    case FitMethod::ControlledRandomSearch: return "NLopt CRS2-LM (controlled random search)";
    case FitMethod::SimulatedAnnealing: return "pagmo simulated annealing (Corana)";
    case FitMethod::ParticleSwarm: return "pagmo particle swarm";
    case FitMethod::GeneticAlgorithm: return "pagmo simple genetic algorithm";
    case FitMethod::CompassSearch: return "pagmo compass search (pattern search)";
  }
  return "?";
}

double fit_objective(const Model& model, const std::vector<FitParameter>& parameters,
                     const std::vector<FitExperiment>& experiments, const std::vector<double>& values) {
  return fit_objective(std::vector<const Model*>{&model}, parameters, experiments, values);
}

double fit_objective(const std::vector<const Model*>& models, const std::vector<FitParameter>& parameters,
                     const std::vector<FitExperiment>& experiments, const std::vector<double>& values) {
  const Problem problem(models, parameters, experiments);
  if (values.size() != parameters.size())
    throw Error(ErrorKind::Usage, "parameter estimation: " + std::to_string(values.size()) + " values for " +
                                      std::to_string(parameters.size()) + " parameters");
  const Evaluation ev = problem.evaluate(values);
  if (!ev.ok) throw Error(ev.kind, "parameter estimation: " + ev.error);
  return ev.objective();
}

FitResult fit_parameters(const Model& model, const std::vector<FitParameter>& parameters,
                         const std::vector<FitExperiment>& experiments, const FitOptions& options) {
  return fit_parameters(std::vector<const Model*>{&model}, parameters, experiments, options);
}

FitResult fit_parameters(const std::vector<const Model*>& models, const std::vector<FitParameter>& parameters,
                         const std::vector<FitExperiment>& experiments, const FitOptions& options) {
  const Problem problem(models, parameters, experiments, options.stop);
  const std::size_t n = parameters.size();
  const double tol = options.tolerance;
  FitResult result;
  for (const FitParameter& p : parameters) {
    result.ids.push_back(p.id);
    result.initial.push_back(p.initial);
  }
  result.points = problem.points().size();

  Eigen::VectorXd u(n), lo(n), hi(n);
  for (std::size_t j = 0; j < n; ++j) {
    const FitParameter& p = parameters[j];
    u(j) = to_internal(p.initial, p.scale);
    lo(j) = p.lower == -std::numeric_limits<double>::infinity() ? p.lower : to_internal(p.lower, p.scale);
    hi(j) = p.upper == std::numeric_limits<double>::infinity() ? p.upper : to_internal(p.upper, p.scale);
    u(j) = std::clamp(u(j), lo(j), hi(j));  // rounding of the log
  }
  auto values_of = [&](const Eigen::VectorXd& v) {
    std::vector<double> p(n);
    for (std::size_t j = 0; j < n; ++j)
      p[j] = std::clamp(from_internal(v(j), parameters[j].scale), parameters[j].lower, parameters[j].upper);
    return p;
  };

  Evaluation ev = problem.evaluate(values_of(u));
  ++result.evaluations;
  if (!ev.ok) throw Error(ev.kind, "parameter estimation at the initial values: " + ev.error);
  double F = ev.objective();
  result.initial_objective = F;
  double lambda = -1.0, nu = 2.0;
  std::string stop;
  auto jacobian_in_u = [&](const Evaluation& e, const Eigen::VectorXd& v) {
    Eigen::MatrixXd Ju = e.J;
    const std::vector<double> p = values_of(v);
    for (std::size_t j = 0; j < n; ++j) Ju.col(static_cast<Eigen::Index>(j)) *= dp_du(p[j], parameters[j].scale);
    return Ju;
  };

  result.method = to_string(options.method);
  if (options.method != FitMethod::LevenbergMarquardt) {
    const bool global = is_global(options.method);
    if (needs_bounds(options.method))
      for (std::size_t j = 0; j < n; ++j)
        if (!std::isfinite(lo(j)) || !std::isfinite(hi(j)))
          throw Error(ErrorKind::Usage, "parameter estimation: parameter '" + parameters[j].id + "': " +
                                            result.method + " searches within bounds, and its bounds are not finite");
    if (options.max_evaluations < 0 || options.population < 0 || options.generations < 1)
      throw Error(ErrorKind::Usage, "parameter estimation: a search budget below 1 (evaluations, population, generations)");
    const auto un = static_cast<unsigned>(n);
    int population = options.population;
    if (population == 0 && global) population = static_cast<int>((options.method == FitMethod::EvolutionStrategy ? 20 : 10) * (n + 1));
    long budget = options.max_evaluations;
    if (budget == 0) budget = global ? static_cast<long>(population) * options.generations : 200L * static_cast<long>(n + 1);
    budget = std::min<long>(budget, std::numeric_limits<int>::max());
    Search search{problem, values_of, jacobian_in_u, 0, F, u, options.stop};
    if (is_pagmo(options.method)) {
      if (options.method == FitMethod::SimulatedAnnealing &&
          (!(options.start_temperature > 0.0) || !std::isfinite(options.start_temperature) ||
           !(options.cooling_factor > 0.0 && options.cooling_factor < 1.0)))
        throw Error(ErrorKind::Usage, "parameter estimation: simulated annealing needs a start temperature above 0 (" +
                                          number(options.start_temperature) + ") and a cooling factor between 0 and 1 (" +
                                          number(options.cooling_factor) + ")");
      detail::PagmoSettings ps;
      ps.method = options.method;
      ps.lower.assign(lo.data(), lo.data() + n);
      ps.upper.assign(hi.data(), hi.data() + n);
      ps.start.assign(u.data(), u.data() + n);
      const bool single = options.method == FitMethod::SimulatedAnnealing || options.method == FitMethod::CompassSearch;
      ps.population = single ? 1u : static_cast<unsigned>(std::min(population, 1000000));
      ps.generations = static_cast<unsigned>(options.generations);
      ps.max_evaluations = static_cast<unsigned>(budget);
      ps.start_temperature = options.start_temperature;
      ps.cooling_factor = options.cooling_factor;
      ps.stop_range = tol;
      ps.seed = options.seed;
      const std::function<double(const std::vector<double>&)> objective = [&](const std::vector<double>& x) {
        return Search::objective(un, x.data(), nullptr, &search);
      };
      result.search_stop = detail::pagmo_search(ps, objective);
    } else {
      nlopt_opt opt = nlopt_create(nlopt_of(options.method), un);
      search.opt = opt;
      std::vector<double> lov(lo.data(), lo.data() + n), hiv(hi.data(), hi.data() + n), x(u.data(), u.data() + n);
      nlopt_set_lower_bounds(opt, lov.data());
      nlopt_set_upper_bounds(opt, hiv.data());
      nlopt_set_min_objective(opt, &Search::objective, &search);
      nlopt_set_maxeval(opt, static_cast<int>(budget));
      nlopt_set_stopval(opt, 0.0);
      if (!global) {
        nlopt_set_ftol_rel(opt, tol);
        nlopt_set_xtol_rel(opt, tol);
      }
      if (population > 0) nlopt_set_population(opt, static_cast<unsigned>(population));
      // Nelder–Mead's first simplex and Praxis's first step: a tenth of the box where it is
      // finite, else of |u| (at least 0.1), as a user would start them.
      if (!global) {
        std::vector<double> dx(n);
        for (std::size_t j = 0; j < n; ++j)
          dx[j] = std::isfinite(hi(j) - lo(j)) && hi(j) > lo(j) ? 0.1 * (hi(j) - lo(j)) : std::max(0.1, 0.1 * std::fabs(u(j)));
        nlopt_set_initial_step(opt, dx.data());
      }
      // NLopt's random numbers are global to the library: seeded here, before each search, so
      // the same seed gives the same search.
      nlopt_srand(static_cast<unsigned long>(options.seed));
      double fmin = 0.0;
      const nlopt_result code = nlopt_optimize(opt, x.data(), &fmin);
      nlopt_destroy(opt);
      result.search_stop = nlopt_stop(code, static_cast<int>(budget));
    }
    check_stop(options, "in the " + result.method + " search after " + std::to_string(search.evaluations) + " evaluations");
    result.evaluations += search.evaluations;
    result.search_evaluations = search.evaluations;
    result.search_objective = search.best;
    result.search_fitted = values_of(search.best_u);
    if (search.best < F) {
      u = search.best_u;
      ev = problem.evaluate(values_of(u));
      ++result.evaluations;
      if (!ev.ok) throw Error(ev.kind, "parameter estimation at the search's best values: " + ev.error);
      F = ev.objective();
    }
    result.polished = global && options.polish;
    if (!result.polished) stop = result.method + ": " + result.search_stop;
  }

  while (stop.empty()) {
    check_stop(options, "in Levenberg-Marquardt at iteration " + std::to_string(result.iterations));
    if (F == 0.0) {
      stop = "the objective is 0";
      break;
    }
    const Eigen::MatrixXd Ju = jacobian_in_u(ev, u);
    const Eigen::VectorXd g = Ju.transpose() * ev.r;  // half the objective's gradient
    const Eigen::MatrixXd A = Ju.transpose() * Ju;
    // The free parameters: not held at a bound by a gradient pointing out of it, and moving the
    // residuals at all.
    std::vector<Eigen::Index> free;
    double gradient = 0.0;
    const double rnorm = std::sqrt(F);
    for (std::size_t j = 0; j < n; ++j) {
      const auto J = static_cast<Eigen::Index>(j);
      const double eps = 1e-12 * std::max(1.0, std::fabs(u(J)));
      const bool held = (u(J) <= lo(J) + eps && g(J) > 0.0) || (u(J) >= hi(J) - eps && g(J) < 0.0);
      if (held || A(J, J) <= 0.0) continue;
      free.push_back(J);
      // MINPACK's gradient test: the cosine between the residuals and the parameter's column.
      gradient = std::max(gradient, std::fabs(g(J)) / (std::sqrt(A(J, J)) * rnorm));
    }
    if (free.empty()) {
      stop = "every parameter is held at a bound or does not move the objective";
      break;
    }
    if (gradient <= tol) {
      stop = "the gradient vanishes (largest cosine between the residuals and a parameter's column " +
             number(gradient) + ")";
      break;
    }
    const auto nf = static_cast<Eigen::Index>(free.size());
    Eigen::MatrixXd Af(nf, nf);
    Eigen::VectorXd gf(nf), df(nf);
    double max_diag = 0.0;
    for (Eigen::Index a = 0; a < nf; ++a) {
      gf(a) = g(free[static_cast<std::size_t>(a)]);
      for (Eigen::Index b = 0; b < nf; ++b) Af(a, b) = A(free[static_cast<std::size_t>(a)], free[static_cast<std::size_t>(b)]);
      max_diag = std::max(max_diag, Af(a, a));
    }
    if (lambda < 0.0) lambda = 1e-3;
    bool accepted = false;
    while (!accepted && stop.empty()) {
      check_stop(options, "in Levenberg-Marquardt at iteration " + std::to_string(result.iterations));
      if (result.iterations >= options.max_iterations) {
        stop = "the maximum number of iterations (" + std::to_string(options.max_iterations) + ") was reached";
        break;
      }
      ++result.iterations;
      Eigen::MatrixXd M = Af;
      for (Eigen::Index a = 0; a < nf; ++a) M(a, a) += lambda * std::max(Af(a, a), 1e-12 * max_diag);
      df = M.ldlt().solve(-gf);
      Eigen::VectorXd trial = u;
      for (Eigen::Index a = 0; a < nf; ++a) {
        const Eigen::Index j = free[static_cast<std::size_t>(a)];
        trial(j) = std::clamp(u(j) + df(a), lo(j), hi(j));
      }
      const Eigen::VectorXd d = trial - u;
      const double predicted = -(2.0 * g.dot(d) + d.dot(A * d));
      Evaluation next;
      if (d.allFinite() && predicted > 0.0) {
        next = problem.evaluate(values_of(trial));
        ++result.evaluations;
      }
      const double Fn = next.ok ? next.objective() : std::numeric_limits<double>::infinity();
      const double rho = next.ok ? (F - Fn) / predicted : -1.0;
      if (next.ok && Fn < F && rho > 1e-4) {
        accepted = true;
        const double t = 2.0 * rho - 1.0;
        lambda *= std::max(1.0 / 3.0, 1.0 - t * t * t);
        nu = 2.0;
        const double reduction = F - Fn;
        const double step = d.lpNorm<Eigen::Infinity>();
        u = trial;
        ev = std::move(next);
        F = Fn;
        if (reduction <= tol * (F + reduction)) stop = "the objective changes by less than " + number(tol) + " of its value";
        else if (step <= tol * (u.lpNorm<Eigen::Infinity>() + tol)) stop = "the step is below " + number(tol) + " (relative)";
      } else {
        lambda *= nu;
        nu *= 2.0;
        if (lambda > 1e16) stop = "no step lowers the objective any further (damping above 1e16)";
      }
    }
  }
  if (result.polished) stop = result.method + ": " + result.search_stop + "; then Levenberg-Marquardt: " + stop;
  result.stop = stop;
  result.fitted = values_of(u);
  result.objective = F;
  for (std::size_t j = 0; j < n; ++j)
    result.at_bound.push_back(result.fitted[j] <= parameters[j].lower || result.fitted[j] >= parameters[j].upper);
  // The curves at the fitted values, in the order of the points.
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> curve_of;
  const auto& points = problem.points();
  for (std::size_t i = 0; i < points.size(); ++i) {
    const Point& pt = points[i];
    auto [it, fresh] = curve_of.try_emplace({pt.experiment, pt.observable}, result.curves.size());
    if (fresh)
      result.curves.push_back({experiments[pt.experiment].id, experiments[pt.experiment].observables[pt.observable].name,
                               {}, {}, {}, {}});
    FitCurve& c = result.curves[it->second];
    c.times.push_back(pt.time);
    c.data.push_back(pt.data);
    c.fitted.push_back(ev.y[i]);
    c.weights.push_back(pt.sqrt_weight * pt.sqrt_weight);
  }
  result.outputs = ev.outputs;
  return result;
}

}  // namespace axisim
