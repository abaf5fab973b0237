// A parameterEstimationTask (estimation.hpp): from SED-ML's adjustable parameters, fit
// experiments and fit mappings to axisim's FitParameter / FitExperiment, and back.
#include "tasks/estimation.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "document/kisao.hpp"
#include "model/sbml_xml.hpp"

namespace axisim::sedml {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string shortest(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

class Builder {
 public:
  Builder(const Task& task, EstimationContext& ctx)
      : task_(task), est_(*task.estimation), ctx_(ctx), element_("parameterEstimationTask '" + task.id + "'") {}

  std::optional<EstimationRun> run(const std::vector<VariableRead>& reads) {
    FitOptions options;
    if (!algorithm(options)) return std::nullopt;
    options.stop = ctx_.options.stop;  // a stop request throws Stopped through to the executor
    if (!models()) return std::nullopt;
    bool ok = adjustables();
    // The outputs every experiment reports: what the data generators read from the task, then
    // what the observables read.
    // A rate of change read from the task is computed by the executor from its reactions' rates
    // and its compartment's size, which are reads of their own.
    for (const VariableRead& r : reads) {
      if (r.time) continue;
      if (models_.size() > 1 && r.rate) {
        ctx_.problem(ErrorKind::Unsupported, element_,
                     "reads the rate of change of '" + r.spec.id + "': over several models (" + model_list() +
                         ") a fit's rates of change are not built");
        ok = false;
        continue;
      }
      if (r.rate) continue;
      // Over several models, each model that has the value reports it in its experiments.
      bool found = false;
      for (std::size_t m = 0; m < models_.size(); ++m)
        if (models_.size() == 1 || models_[m]->has_id(r.spec.id)) {
          output_index(r.spec, m);
          found = true;
        }
      if (!found) {
        ctx_.problem(ErrorKind::UnknownId, element_, "a data generator reads '" + r.spec.id + "', which none of its models (" +
                                                         model_list() + ") has");
        ok = false;
      }
    }
    for (std::size_t e = 0; e < est_.experiments.size(); ++e) ok = experiment(e) && ok;
    for (std::size_t m = 0; ok && m < models_.size(); ++m)
      if (std::none_of(experiments_.begin(), experiments_.end(), [&](const FitExperiment& x) { return x.model == m; })) {
        ctx_.problem(ErrorKind::Unsupported, element_,
                     "adjustable parameters on model '" + model_ids_[m] + "', which no fit experiment runs (no observable's "
                     "variable names it by modelReference): its parameters could not move the fit");
        ok = false;
      }
    if (!ok) return std::nullopt;
    if (parameters_.empty()) {
      ctx_.problem(ErrorKind::InvalidSbml, element_, "has no adjustable parameter");
      return std::nullopt;
    }
    if (experiments_.empty()) {
      ctx_.problem(ErrorKind::InvalidSbml, element_, "has no fit experiment");
      return std::nullopt;
    }
    for (FitExperiment& x : experiments_) x.outputs = outputs_[x.model];
    std::vector<const Model*> models;
    for (const auto& m : models_) models.push_back(m.get());
    EstimationRun out;
    try {
      out.fit = fit_parameters(models, parameters_, experiments_, options);
    } catch (const Error& e) {
      ctx_.problem(e.kind(), element_, e.what());
      return std::nullopt;
    }
    out.labels = labels_;
    for (const FitParameter& p : parameters_) {
      out.lower.push_back(p.lower);
      out.upper.push_back(p.upper);
    }
    out.algorithm = algorithm_;
    // The reads over every experiment's rows, each from the model the experiment runs (NaN where
    // that model lacks the value).
    for (const VariableRead& r : reads) {
      Series s;
      if (r.rate) {  // the executor's, from the reactions' rates (above)
        out.columns.push_back(std::move(s));
        continue;
      }
      for (std::size_t e = 0; e < out.fit.outputs.size(); ++e) {
        const FitResult::Values& v = out.fit.outputs[e];
        const std::size_t m = experiments_[e].model, nout = outputs_[m].size();
        for (std::size_t row = 0; row < v.times.size(); ++row) {
          if (r.time) {
            s.push_back(v.times[row]);
            continue;
          }
          if (models_.size() > 1 && !models_[m]->has_id(r.spec.id)) {
            s.push_back(kNaN);
            continue;
          }
          const std::size_t k = output_index(r.spec, m);
          s.push_back(v.values.size() == v.times.size() * nout ? v.values[row * nout + k] : kNaN);
        }
      }
      out.columns.push_back(std::move(s));
    }
    const FitResult& f = out.fit;
    std::size_t nexp = est_.experiments.size();
    ctx_.note(element_ + ": " + algorithm_ + ", " + std::to_string(f.ids.size()) + " parameter(s), " +
              std::to_string(f.points) + " measured point(s) in " + std::to_string(nexp) +
              " fit experiment(s): objective " + shortest(f.initial_objective) + " at the initial values, " +
              shortest(f.objective) + " fitted, after " + std::to_string(f.iterations) + " iteration(s) (" +
              std::to_string(f.evaluations) + " evaluations); stopped: " + f.stop);
    if (f.polished)
      ctx_.note(element_ + ": the search's best objective " + shortest(f.search_objective) + " after " +
                std::to_string(f.search_evaluations) + " evaluations, " + shortest(f.objective) +
                " after Levenberg-Marquardt's polish");
    for (std::size_t j = 0; j < f.ids.size(); ++j)
      spdlog::info("{}: {} = {} (initial {}{})", element_, labels_[j], shortest(f.fitted[j]), shortest(f.initial[j]),
                   f.at_bound[j] ? ", at a bound" : "");
    return out;
  }

 private:
  const Task& task_;
  const Estimation& est_;
  EstimationContext& ctx_;
  std::string element_;
  std::string algorithm_;
  FitMethod method_ = FitMethod::LevenbergMarquardt;
  // The models the adjustable parameters change, the first the default of what names none.
  std::vector<std::string> model_ids_;
  std::vector<std::shared_ptr<const SbmlXml>> xmls_;
  std::vector<std::shared_ptr<const Model>> models_;
  std::vector<FitParameter> parameters_;
  std::vector<std::string> labels_;
  std::vector<std::vector<std::string>> parameter_experiments_;  // per parameter: its experimentReference ids
  std::vector<FitExperiment> experiments_;
  std::map<std::string, std::vector<std::size_t>> experiment_indices_;  // SED-ML id -> axisim experiments
  std::vector<std::vector<OutputSpec>> outputs_;  // per model: what its experiments report

  std::size_t output_index(const OutputSpec& spec, std::size_t model) {
    std::vector<OutputSpec>& outputs = outputs_[model];
    for (std::size_t i = 0; i < outputs.size(); ++i)
      if (outputs[i].id == spec.id && outputs[i].quantity == spec.quantity) return i;
    outputs.push_back(spec);
    return outputs.size() - 1;
  }

  std::string model_list() const {
    std::string l;
    for (const std::string& id : model_ids_) l += (l.empty() ? "'" : ", '") + id + "'";
    return l;
  }

  // The model (index) a variable names: its modelReference, else the task's first model.
  std::optional<std::size_t> model_index(const std::string& model_ref) const {
    if (model_ref.empty()) return 0;
    for (std::size_t m = 0; m < model_ids_.size(); ++m)
      if (model_ids_[m] == model_ref) return m;
    return std::nullopt;
  }

  // KiSAO: the optimiser and its parameters.
  bool algorithm(FitOptions& options) {
    if (!est_.objective.empty() && est_.objective != "leastSquareObjectiveFunction") {
      ctx_.problem(ErrorKind::Unsupported, element_,
                   "objective '" + est_.objective + "': axisim fits by least squares (leastSquareObjectiveFunction) only");
      return false;
    }
    if (est_.objective.empty())
      ctx_.note(element_ + ": no objective given; least squares (leastSquareObjectiveFunction) used");
    const OptimizerChoice c = choose_optimizer(est_.kisao);
    if (c.use == OptimizerUse::Unknown) {
      ctx_.problem(ErrorKind::Unsupported, element_,
                   "algorithm '" + est_.kisao + "' is not an optimisation method axisim knows (KiSAO 0000503-0000516, 0000520, 0000552)");
      return false;
    }
    options.method = method_ = c.method;
    algorithm_ = to_string(c.method);
    if (c.use == OptimizerUse::Substitute)
      ctx_.note(element_ + ": algorithm " + est_.kisao + " (" + c.name + ") substituted: " + c.why);
    if (is_global(c.method))
      ctx_.note(element_ + ": " + algorithm_ + " searches the bounds' box; its best point is then polished by "
                "Levenberg-Marquardt (KISAO:0000515), as PEtab-style tools refine a global search");
    try {
      for (const std::string& n : apply_optimizer_parameters(est_.parameters, options)) ctx_.note(element_ + ": " + n);
    } catch (const std::exception& e) {
      ctx_.problem(ErrorKind::InvalidSbml, element_, e.what());
      return false;
    }
    if ((is_global(options.method) || options.method == FitMethod::Praxis) &&
        std::none_of(est_.parameters.begin(), est_.parameters.end(),
                     [](const AlgorithmParameter& p) { return p.kisao == "KISAO:0000488" || p.kisao == "KISAO_0000488"; }))
      ctx_.note(element_ + ": no seed (KISAO:0000488) given: seed " + std::to_string(options.seed) +
                ", so that the run repeats");
    const int cap = ctx_.options.max_fit_iterations;
    if (cap > 0 && options.max_iterations > cap) {
      ctx_.note(element_ + ": iterations capped at " + std::to_string(cap) + " (--max-fit-iterations; the algorithm allows " +
                std::to_string(options.max_iterations) + ")");
      options.max_iterations = cap;
    }
    if (cap > 0 && is_global(options.method) && options.generations > cap) {
      ctx_.note(element_ + ": generations capped at " + std::to_string(cap) + " (--max-fit-iterations)");
      options.generations = cap;
    }
    return true;
  }

  // The models the adjustable parameters change (several: each fit experiment runs one of them).
  bool models() {
    for (const AdjustableParameter& a : est_.adjustables)
      if (!a.model_ref.empty() && std::find(model_ids_.begin(), model_ids_.end(), a.model_ref) == model_ids_.end())
        model_ids_.push_back(a.model_ref);
    if (model_ids_.empty()) {
      if (ctx_.doc.models.size() != 1) {
        ctx_.problem(ErrorKind::InvalidSbml, element_, "its adjustable parameters name no model (modelReference)");
        return false;
      }
      model_ids_.push_back(ctx_.doc.models.front().id);
    }
    for (const std::string& id : model_ids_) {
      auto [xml, model] = ctx_.model(id);
      if (!xml) {
        ctx_.problem(ErrorKind::InvalidSbml, element_, "model '" + id + "' could not be had");
        return false;
      }
      if (!model) {
        ctx_.problem(ErrorKind::Unsupported, element_,
                     "model '" + id + "' is a flux balance (fbc) model: parameter estimation needs a kinetic model");
        return false;
      }
      xmls_.push_back(xml);
      models_.push_back(model);
    }
    outputs_.resize(models_.size());
    return true;
  }

  bool adjustables() {
    bool ok = true;
    std::map<std::string, int> uses;
    for (const AdjustableParameter& a : est_.adjustables) {
      const std::string what = element_ + " adjustableParameter '" + a.target + "'";
      if (models_.size() > 1 && a.model_ref.empty()) {
        ctx_.problem(ErrorKind::InvalidSbml, what,
                     "names no model (modelReference), and the task's parameters change several (" + model_list() + ")");
        ok = false;
        continue;
      }
      const std::size_t mi = *model_index(a.model_ref);  // every named model is in model_ids_
      const Model& model = *models_[mi];
      std::vector<SbmlXml::Node> nodes;
      try {
        nodes = xmls_[mi]->select(a.target, a.ns);
      } catch (const std::exception& e) {
        ctx_.problem(ErrorKind::InvalidSbml, what, e.what());
        ok = false;
        continue;
      }
      if (nodes.size() != 1 || nodes[0].id.empty()) {
        ctx_.problem(ErrorKind::UnknownId, what,
                     "target selects " + (nodes.empty() ? std::string("nothing") : std::to_string(nodes.size()) + " nodes") +
                         " in model '" + model_ids_[mi] + "', not one element with an id");
        ok = false;
        continue;
      }
      const SbmlXml::Node& n = nodes[0];
      static const std::set<std::string> value_attributes{"value", "size", "stoichiometry"};
      if (n.is_attribute && !value_attributes.count(n.attribute)) {
        ctx_.problem(ErrorKind::Unsupported, what,
                     "attribute '" + n.attribute + "': axisim fits a parameter's value, a compartment's size, a species' "
                                                   "initial value (target the species element) or a stoichiometry");
        ok = false;
        continue;
      }
      if (!model.has_id(n.id)) {
        ctx_.problem(ErrorKind::UnknownId, what, "axisim's model has no value '" + n.id + "'");
        ok = false;
        continue;
      }
      FitParameter p;
      p.id = n.id;
      p.model = mi;
      try {
        p.initial = a.initial ? *a.initial : model.initial_value(n.id);
      } catch (const Error& e) {
        ctx_.problem(e.kind(), what, e.what());
        ok = false;
        continue;
      }
      if (a.has_bounds) {
        p.lower = a.lower;
        p.upper = a.upper;
      }
      if (needs_bounds(method_) && !(std::isfinite(p.lower) && std::isfinite(p.upper))) {
        ctx_.problem(ErrorKind::Unsupported, what,
                     algorithm_ + " searches within the parameters' bounds: this one needs a finite lowerBound and upperBound");
        ok = false;
        continue;
      }
      if (!a.has_bounds) {
        ctx_.note(what + ": no bounds; fitted without bounds");
      }
      if (a.scale.empty() || a.scale == "linear") p.scale = ParameterScale::Linear;
      else if (a.scale == "log") p.scale = ParameterScale::Log;
      else if (a.scale == "log10") p.scale = ParameterScale::Log10;
      else {
        ctx_.problem(ErrorKind::InvalidSbml, what, "bounds scale '" + a.scale + "' is none of linear, log, log10");
        ok = false;
        continue;
      }
      if (p.scale != ParameterScale::Linear && !(p.lower > 0)) {
        ctx_.problem(ErrorKind::InvalidSbml, what, "a " + a.scale + " scale needs a lower bound above 0");
        ok = false;
        continue;
      }
      if (!(p.initial >= p.lower && p.initial <= p.upper)) {
        ctx_.problem(ErrorKind::InvalidSbml, what,
                     "initial value " + shortest(p.initial) + " outside its bounds [" + shortest(p.lower) + ", " +
                         shortest(p.upper) + "]");
        ok = false;
        continue;
      }
      // Over several models a label names its model: two models' values of one id are two parameters.
      const std::string label = models_.size() > 1 ? model_ids_[mi] + ":" + n.id : n.id;
      ++uses[label];
      parameters_.push_back(p);
      parameter_experiments_.push_back(a.experiments);
      labels_.push_back(label);
    }
    for (std::size_t j = 0; j < labels_.size(); ++j)
      if (uses[labels_[j]] > 1 || !parameter_experiments_[j].empty()) {
        std::string l = labels_[j] + "[";
        for (std::size_t k = 0; k < parameter_experiments_[j].size(); ++k) l += (k ? " " : "") + parameter_experiments_[j][k];
        labels_[j] = l + "]";
      }
    return ok;
  }

  const DataGenerator* generator(const std::string& id) const {
    for (const DataGenerator& g : ctx_.doc.generators)
      if (g.id == id) return &g;
    return nullptr;
  }

  // An observable: the data generator's variables as inputs, its math as the formula.
  struct Recipe {
    std::vector<std::pair<std::size_t, double>> terms;  // position in FitObservable::inputs, factor
    std::optional<std::size_t> divide;
  };
  bool observable(const DataGenerator& g, const std::string& what, std::size_t model, FitObservable& o) {
    o.name = g.id;
    std::vector<std::string> names;
    std::vector<Recipe> recipes;  // per variable
    bool any_rate = false;
    for (const Variable& v : g.variables) {
      const std::string vw = what + " variable '" + v.id + "'";
      if (v.task_ref != task_.id) {
        ctx_.problem(ErrorKind::Unsupported, vw,
                     "reads " + (v.task_ref.empty() ? std::string("no task") : "task '" + v.task_ref + "'") +
                         ": the observables of a fit read the parameter estimation task itself");
        return false;
      }
      const auto r = ctx_.variable(g.id, v.id);
      if (!r) return false;  // reported when resolved
      // Each variable is a sum over inputs (one input, or a rate's reactions), divided by one
      // (a rate of a concentration: its compartment's size).
      Recipe rc;
      if (r->rate && models_.size() > 1) {
        ctx_.problem(ErrorKind::Unsupported, vw,
                     "the rate of change (KISAO:0000834) in a fit over several models (" + model_list() + ") is not built");
        return false;
      }
      if (r->rate) {
        any_rate = true;
        for (const auto& [rid, nu] : r->rate_terms) {
          o.inputs.push_back(output_index(OutputSpec{rid, Quantity::Default}, model));
          rc.terms.emplace_back(o.inputs.size() - 1, nu);
        }
        if (!r->rate_compartment.empty()) {
          o.inputs.push_back(output_index(OutputSpec{r->rate_compartment, Quantity::Default}, model));
          rc.divide = o.inputs.size() - 1;
        }
        if (rc.terms.empty()) {
          ctx_.problem(ErrorKind::Unsupported, vw,
                       "the rate of change (KISAO:0000834) of a species no reaction changes: 0 whatever the parameters, "
                       "nothing to fit");
          return false;
        }
      } else {
        o.inputs.push_back(r->time ? FitObservable::kTimeInput : output_index(r->spec, model));
        rc.terms.emplace_back(o.inputs.size() - 1, 1.0);
      }
      recipes.push_back(std::move(rc));
      names.push_back(v.id);
    }
    if (!g.math) return false;  // reported when read
    if (!any_rate && g.math->kind == MathNode::Kind::Identifier && names.size() == 1 && g.math->name == names[0]) return true;
    if (names.empty()) {
      ctx_.problem(ErrorKind::InvalidSbml, what, "reads no variable: nothing of the model to fit");
      return false;
    }
    auto math = std::make_shared<const MathNode>(*g.math);
    std::map<std::string, double> constants;
    for (const Parameter& p : g.parameters) constants[p.id] = p.value;
    o.formula = [math, names, recipes, constants](const std::vector<double>& x) -> double {
      std::map<std::string, Series> values;
      for (const auto& [id, v] : constants) values[id] = {v};
      for (std::size_t a = 0; a < names.size(); ++a) {
        double value = 0.0;
        for (const auto& [at, factor] : recipes[a].terms) value += factor * x[at];
        if (recipes[a].divide) value /= x[*recipes[a].divide];
        values[names[a]] = {value};
      }
      try {
        const Series s = evaluate(*math, [&](const std::string& id) -> const Series* {
          auto it = values.find(id);
          return it == values.end() ? nullptr : &it->second;
        });
        return s.size() == 1 ? s[0] : kNaN;
      } catch (const std::exception&) {
        return kNaN;
      }
    };
    // Checked once, so that a formula that cannot be computed is named here rather than failing the fit.
    try {
      std::map<std::string, Series> values;
      for (const auto& [id, v] : constants) values[id] = {v};
      for (const std::string& n : names) values[n] = {1.0};
      const Series s = evaluate(*math, [&](const std::string& id) -> const Series* {
        auto it = values.find(id);
        return it == values.end() ? nullptr : &it->second;
      });
      if (s.size() != 1) throw std::runtime_error("the math does not give one value per point");
    } catch (const std::exception& e) {
      ctx_.problem(ErrorKind::InvalidSbml, what, e.what());
      return false;
    }
    return true;
  }

  // An experimental condition: a data generator that is one variable of the model, set to the
  // data source's value.
  std::optional<std::string> condition_target(const DataGenerator& g, const std::string& what) {
    if (g.variables.size() != 1 || !g.math || g.math->kind != MathNode::Kind::Identifier ||
        g.math->name != g.variables[0].id) {
      ctx_.problem(ErrorKind::Unsupported, what,
                   "an experimental condition sets a model value: its data generator must be one variable, not math");
      return std::nullopt;
    }
    const auto r = ctx_.variable(g.id, g.variables[0].id);
    if (!r) return std::nullopt;
    if (r->time || r->rate || r->spec.quantity != Quantity::Default) {
      ctx_.problem(ErrorKind::Unsupported, what,
                   "an experimental condition sets a model value in the quantity the model uses (not the time, a rate, "
                   "or an amount/concentration term)");
      return std::nullopt;
    }
    return r->spec.id;
  }

  bool experiment(std::size_t index) {
    const FitExperimentDef& fx = est_.experiments[index];
    const std::string what = element_ + " fitExperiment '" + fx.id + "'";
    FitExperiment x;
    x.id = fx.id;
    const auto model = experiment_model(fx, what);
    if (!model) return false;
    x.model = *model;
    if (fx.type == "steadyState") x.steady_state = true;
    else if (fx.type != "timeCourse") {
      ctx_.problem(ErrorKind::Unsupported, what, "type '" + fx.type + "': axisim fits timeCourse and steadyState experiments");
      return false;
    }
    if (!fx.kisao.empty() && !simulation_algorithm(fx, what, x)) return false;
    std::optional<Series> times;
    struct Condition {
      std::string id, mapping;
      Series values;
    };
    std::vector<Condition> conditions;
    std::size_t rows = 0;
    bool ok = true;
    for (const FitMapping& m : fx.mappings) {
      const std::string mw = what + " fitMapping '" + m.type + "' (dataSource '" + m.data_source + "', target '" + m.target + "')";
      const DataGenerator* g = generator(m.target);
      if (!g) {
        ctx_.problem(ErrorKind::UnknownId, mw, "target '" + m.target + "' names no data generator");
        ok = false;
        continue;
      }
      const auto data = ctx_.data_source(m.data_source, mw);
      if (!data) {
        ok = false;
        continue;
      }
      rows = std::max(rows, data->size());
      if (m.type == "time") {
        if (x.steady_state) {
          ctx_.note(mw + ": a steady state has no time; ignored");
          continue;
        }
        if (times) {
          ctx_.problem(ErrorKind::InvalidSbml, mw, "a second time mapping");
          ok = false;
          continue;
        }
        times = *data;
      } else if (m.type == "experimentalCondition") {
        const auto id = condition_target(*g, mw);
        if (!id) {
          ok = false;
          continue;
        }
        conditions.push_back({*id, mw, *data});
      } else if (m.type == "observable") {
        FitObservable o;
        if (!observable(*g, mw, x.model, o)) {
          ok = false;
          continue;
        }
        o.data = *data;
        const double w = m.weight ? *m.weight : 1.0;
        if (!(w >= 0.0) || !std::isfinite(w)) {
          ctx_.problem(ErrorKind::InvalidSbml, mw, "weight " + shortest(w) + " (a weight is a number >= 0)");
          ok = false;
          continue;
        }
        o.weights.assign(o.data.size(), w);
        if (!m.point_weight.empty()) {
          const auto pw = ctx_.data_source(m.point_weight, mw + " pointWeight");
          if (!pw) {
            ok = false;
            continue;
          }
          if (pw->size() != o.data.size()) {
            ctx_.problem(ErrorKind::InvalidSbml, mw,
                         "pointWeight '" + m.point_weight + "' has " + std::to_string(pw->size()) + " values for " +
                             std::to_string(o.data.size()) + " data points");
            ok = false;
            continue;
          }
          for (std::size_t i = 0; i < pw->size(); ++i) {
            if (std::isfinite((*pw)[i]) && (*pw)[i] < 0) {
              ctx_.problem(ErrorKind::InvalidSbml, mw, "pointWeight '" + m.point_weight + "' has a negative weight");
              ok = false;
              break;
            }
            o.weights[i] *= (*pw)[i];
          }
        }
        x.observables.push_back(std::move(o));
      } else {
        ctx_.problem(ErrorKind::InvalidSbml, mw, "type '" + m.type + "' is none of time, experimentalCondition, observable");
        ok = false;
      }
    }
    if (!ok) return false;
    if (x.observables.empty()) {
      ctx_.problem(ErrorKind::InvalidSbml, what, "has no observable mapping: nothing to fit");
      return false;
    }
    if (!x.steady_state) {
      if (!times) {
        ctx_.problem(ErrorKind::InvalidSbml, what, "a time course needs a fitMapping of type 'time'");
        return false;
      }
      for (const FitObservable& o : x.observables)
        if (o.data.size() != times->size()) {
          ctx_.problem(ErrorKind::InvalidSbml, what,
                       "observable '" + o.name + "' has " + std::to_string(o.data.size()) + " values for " +
                           std::to_string(times->size()) + " times");
          return false;
        }
      // Rows without a time (a NaN, as a column of conditions leaves below its one value) are not points.
      for (FitObservable& o : x.observables)
        for (std::size_t i = 0; i < times->size(); ++i)
          if (std::isnan((*times)[i])) o.data[i] = kNaN;
      for (double& t : *times)
        if (std::isnan(t)) t = 0.0;
      x.times = *times;
      // A time course has one value of each condition: its one finite value, or all equal.
      for (const Condition& c : conditions) {
        std::optional<double> value;
        for (double v : c.values) {
          if (std::isnan(v)) continue;
          if (value && *value != v) {
            ctx_.problem(ErrorKind::Unsupported, c.mapping,
                         "a time course with several values of an experimental condition (" + shortest(*value) + ", " +
                             shortest(v) + "): give each its own fit experiment");
            return false;
          }
          value = v;
        }
        if (!value) {
          ctx_.problem(ErrorKind::InvalidSbml, c.mapping, "the data source has no value");
          return false;
        }
        x.conditions.emplace_back(c.id, *value);
      }
      experiment_indices_[fx.id].push_back(experiments_.size());
      experiments_.push_back(std::move(x));
      return link_parameters(fx.id);
    }
    // A steady state: every row of measurements is compared with the steady state at its
    // conditions. A condition column gives one value for all rows, or one per row; rows with
    // the same conditions share one steady state.
    std::vector<std::vector<double>> row_conditions(rows);
    for (const Condition& c : conditions) {
      std::vector<double> finite;
      for (double v : c.values)
        if (!std::isnan(v)) finite.push_back(v);
      const bool constant = !finite.empty() && std::all_of(finite.begin(), finite.end(), [&](double v) { return v == finite[0]; });
      if (!constant && !(c.values.size() == rows && finite.size() == rows)) {
        ctx_.problem(ErrorKind::Unsupported, c.mapping,
                     "an experimental condition of a steady state gives one value for all rows or one per row");
        return false;
      }
      for (std::size_t r = 0; r < rows; ++r) row_conditions[r].push_back(constant ? finite[0] : c.values[r]);
    }
    std::map<std::vector<double>, std::vector<std::size_t>> groups;
    std::vector<std::vector<double>> order;
    for (std::size_t r = 0; r < rows; ++r) {
      auto [it, fresh] = groups.try_emplace(row_conditions[r]);
      if (fresh) order.push_back(row_conditions[r]);
      it->second.push_back(r);
    }
    for (std::size_t k = 0; k < order.size(); ++k) {
      FitExperiment y;
      y.id = order.size() == 1 ? fx.id : fx.id + "[" + std::to_string(k + 1) + "]";
      y.steady_state = true;
      y.steady = x.steady;
      y.model = x.model;
      for (std::size_t c = 0; c < conditions.size(); ++c) y.conditions.emplace_back(conditions[c].id, order[k][c]);
      for (const FitObservable& o : x.observables) {
        FitObservable p = o;
        p.data.clear();
        p.weights.clear();
        for (std::size_t r : groups[order[k]]) {
          p.data.push_back(r < o.data.size() ? o.data[r] : kNaN);
          p.weights.push_back(r < o.weights.size() ? o.weights[r] : kNaN);
        }
        y.observables.push_back(std::move(p));
      }
      experiment_indices_[fx.id].push_back(experiments_.size());
      experiments_.push_back(std::move(y));
    }
    return link_parameters(fx.id);
  }

  // The model a fit experiment runs: the one its observables' and conditions' variables name
  // (modelReference; none: the task's first model). SED-ML gives a fit experiment no model of its own.
  std::optional<std::size_t> experiment_model(const FitExperimentDef& fx, const std::string& what) {
    std::optional<std::size_t> model;
    for (const FitMapping& m : fx.mappings) {
      if (m.type == "time") continue;
      const DataGenerator* g = generator(m.target);
      if (!g) continue;  // reported with the mapping
      for (const Variable& v : g->variables) {
        const auto i = model_index(v.model_ref);
        if (!i) {
          ctx_.problem(ErrorKind::Unsupported, what,
                       "dataGenerator '" + g->id + "' variable '" + v.id + "' reads model '" + v.model_ref +
                           "', which no adjustable parameter of the task changes (its models: " + model_list() +
                           "): its data could not move the fit");
          return std::nullopt;
        }
        if (model && *model != *i) {
          ctx_.problem(ErrorKind::Unsupported, what,
                       "its mappings read models '" + model_ids_[*model] + "' and '" + model_ids_[*i] +
                           "' (dataGenerator '" + g->id + "' variable '" + v.id +
                           "'): a fit experiment runs one model (give each model its own fit experiment)");
          return std::nullopt;
        }
        model = i;
      }
    }
    return model ? *model : 0;
  }

  // The fit experiment's own algorithm: tolerances and steps for its time course; a steady
  // state uses axisim's solver.
  bool simulation_algorithm(const FitExperimentDef& fx, const std::string& what, FitExperiment& x) {
    const AlgorithmChoice c = choose_algorithm(fx.kisao);
    const bool integrator = c.use == AlgorithmUse::Cvode || c.use == AlgorithmUse::Substitute;
    if (!integrator && !(x.steady_state && c.use == AlgorithmUse::SteadyState)) {
      ctx_.problem(ErrorKind::Unsupported, what,
                   "algorithm '" + fx.kisao + "'" + (c.name.empty() ? "" : " (" + c.name + ")") +
                       ": a fit experiment runs by CVODE (or another ODE integrator, substituted) or, for a steady "
                       "state, by axisim's steady-state solver");
      return false;
    }
    if (c.use == AlgorithmUse::Substitute)
      ctx_.note(what + ": algorithm " + fx.kisao + " (" + c.name + ") substituted by CVODE (KISAO:0000019)");
    if (x.steady_state) {
      for (const AlgorithmParameter& p : fx.parameters)
        ctx_.note(what + ": algorithm parameter " + p.kisao + " = " + p.value + " is not one axisim uses here; ignored");
      return true;
    }
    Simulation sim;
    sim.kisao = fx.kisao;
    sim.parameters = fx.parameters;
    try {
      for (const std::string& n : apply_algorithm_parameters(sim, x.simulation)) ctx_.note(what + ": " + n);
    } catch (const std::exception& e) {
      ctx_.problem(ErrorKind::InvalidSbml, what, e.what());
      return false;
    }
    return true;
  }

  // Adjustable parameters that name fit experiments apply to those only (checked once all are read).
  bool link_parameters(const std::string& id) {
    if (id != est_.experiments.back().id) return true;
    bool ok = true;
    for (std::size_t j = 0; j < parameters_.size(); ++j)
      for (const std::string& e : parameter_experiments_[j]) {
        const auto it = experiment_indices_.find(e);
        if (it == experiment_indices_.end()) {
          ctx_.problem(ErrorKind::UnknownId, element_ + " adjustableParameter '" + parameters_[j].id + "'",
                       "experimentReference '" + e + "' names no fit experiment of the task");
          ok = false;
          continue;
        }
        for (std::size_t k : it->second) parameters_[j].experiments.push_back(k);
      }
    return ok;
  }
};

}  // namespace

std::optional<EstimationRun> run_estimation(const Task& task, const std::vector<VariableRead>& reads,
                                            EstimationContext& context) {
  return Builder(task, context).run(reads);
}

EstimationTable estimation_report(const EstimationRun& run) {
  EstimationTable t;
  for (std::size_t j = 0; j < run.labels.size(); ++j) t.push_back({run.labels[j], {run.fit.fitted[j]}});
  t.push_back({"objective", {run.fit.objective}});
  return t;
}

EstimationTable estimation_summary(const EstimationRun& run) {
  EstimationTable t;
  // Each parameter: initial value, fitted value, lower and upper bound.
  for (std::size_t j = 0; j < run.labels.size(); ++j)
    t.push_back({run.labels[j], {run.fit.initial[j], run.fit.fitted[j], run.lower[j], run.upper[j]}});
  t.push_back({"objective", {run.fit.initial_objective, run.fit.objective}});
  t.push_back({"points", {static_cast<double>(run.fit.points)}});
  t.push_back({"iterations", {static_cast<double>(run.fit.iterations)}});
  t.push_back({"evaluations", {static_cast<double>(run.fit.evaluations)}});
  return t;
}

EstimationTable estimation_plot(const EstimationRun& run) {
  EstimationTable t;
  for (const FitCurve& c : run.fit.curves) {
    const std::string base = c.experiment + " " + c.observable;
    if (!c.times.empty() && !std::isnan(c.times[0])) t.push_back({base + " time", c.times});
    t.push_back({base + " data", c.data});
    t.push_back({base + " fitted", c.fitted});
  }
  return t;
}

}  // namespace axisim::sedml
