// Variables: what each data generator's variables read (a task's column, a data source's values),
// resolved once before any task runs.
#include <algorithm>
#include <cmath>
#include <optional>

#include <spdlog/spdlog.h>

#include "document/variable_terms.hpp"
#include "execute/aggregation.hpp"
#include "model/qual_target.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

std::vector<SubTask> Runner::sorted_subtasks(const Task& t) const {
  std::vector<SubTask> subs = t.subtasks;
  std::stable_sort(subs.begin(), subs.end(), [](const SubTask& a, const SubTask& b) { return a.order < b.order; });
  return subs;
}

std::string Runner::task_model_id(const Task& t, const std::string& element, int depth) {
  if (t.type == "task") return t.model_ref;
  if (t.estimation) {  // the model its adjustable parameters change
    for (const AdjustableParameter& a : t.estimation->adjustables)
      if (!a.model_ref.empty()) return a.model_ref;
    if (doc_.models.size() == 1) return doc_.models.front().id;
    problem(ErrorKind::InvalidSbml, element, "parameterEstimationTask '" + t.id + "' names no model");
    return {};
  }
  if (t.type == "repeatedTask") {
    if (depth > 50) {
      problem(ErrorKind::InvalidSbml, element, "repeated tasks nested in a cycle");
      return {};
    }
    const auto subs = sorted_subtasks(t);
    if (subs.empty()) {
      problem(ErrorKind::InvalidSbml, element, "repeatedTask '" + t.id + "' has no sub-tasks");
      return {};
    }
    const Task* first = find_task(subs[0].task);
    if (!first) {
      problem(ErrorKind::UnknownId, element, "sub-task '" + subs[0].task + "' names no task");
      return {};
    }
    return task_model_id(*first, element, depth + 1);
  }
  problem(ErrorKind::Unsupported, element, "reads task '" + t.id + "', a " + t.type + ", which axisim does not run");
  return {};
}

std::string Runner::shape_words(const std::vector<std::size_t>& shape) {
  std::string out;
  for (std::size_t e : shape) out += (out.empty() ? "" : " x ") + std::to_string(e);
  return out;
}

std::optional<Series> Runner::data_source(const std::string& id, const std::string& element) {
  try {
    const DataValues& v = data_sources_.get(id);
    take_data_warnings();
    return v.values;
  } catch (const Error& e) {
    take_data_warnings();
    problem(e.kind(), element, e.what());
  }
  return std::nullopt;
}

std::optional<double> Runner::data_value(const std::string& id, const std::string& element) {
  try {
    const DataValues& v = data_sources_.get(id, current_iterations_);
    take_data_warnings();
    if (v.values.size() == 1) return v.values[0];
    problem(ErrorKind::Unsupported, element,
            "data source '" + id + "' has " + std::to_string(v.values.size()) + " values" +
                (v.shape.size() > 1 ? " (" + shape_words(v.shape) + ")" : std::string()) +
                " where one is needed: slice it to one value in each dimension (a slice's value, or its index at a "
                "repeated task's iteration)");
  } catch (const Error& e) {
    take_data_warnings();
    problem(e.kind(), element, e.what());
  }
  return std::nullopt;
}

void Runner::take_data_warnings() {
  const auto& w = data_sources_.warnings();
  for (; data_warnings_ < w.size(); ++data_warnings_) report_.notes.push_back(w[data_warnings_]);
}

std::optional<Column> Runner::resolve_variable(const Variable& v, const std::string& element) {
  if (v.task_ref.empty() && !v.target.empty() && v.target[0] == '#') {
    problem(ErrorKind::Unsupported, element, "reads data source '" + v.target + "': dataDescription is not built yet");
    return std::nullopt;
  }
  const Task* t = find_task(v.task_ref);
  if (!t) {
    problem(ErrorKind::UnknownId, element, "taskReference '" + v.task_ref + "' names no task");
    return std::nullopt;
  }
  Column col;
  if (is_time_symbol(v.symbol)) {
    col.time = true;
  } else if (is_plugin_symbol(v.symbol)) {
    // A tissue plugin's state or output (plugin_annotation.hpp): not in the SBML document.
    const std::string model_id = !v.model_ref.empty() ? v.model_ref : task_model_id(*t, element);
    if (model_id.empty()) return std::nullopt;
    const ResolvedModel* m = model(model_id);
    if (!m || !m->model) {
      problem(dependent_kind(), element, "model '" + model_id + "' could not be had");
      return std::nullopt;
    }
    std::string why;
    col.spec.id = plugin_quantity(*m->model, v.symbol, why);
    if (col.spec.id.empty()) {
      problem(ErrorKind::UnknownId, element, why);
      return std::nullopt;
    }
    if (!v.target.empty() || !v.term.empty()) {
      problem(ErrorKind::Unsupported, element, "symbol '" + v.symbol + "' names a plugin's value: no target or term goes with it");
      return std::nullopt;
    }
  } else if (const std::string ct = coefficient_term(v.term.empty() ? v.symbol : v.term); !ct.empty()) {
    return resolve_coefficient(*t, v, ct, element);
  } else if (const std::string mt = matrix_term(v.term.empty() ? v.symbol : v.term); !mt.empty()) {
    return resolve_matrix(*t, v, mt, element);
  } else if (!v.symbol.empty() && v.target.empty()) {
    const std::string known = variable_term_refusal(v.symbol);
    problem(ErrorKind::Unsupported, element, known.empty() ? "symbol '" + v.symbol + "' is not one axisim reports yet" : known);
    return std::nullopt;
  } else if (is_rate_of_change(v.term)) {
    if (!v.symbol2.empty() && !is_time_symbol(v.symbol2)) {
      problem(ErrorKind::Unsupported, element, "term " + v.term + " by '" + v.symbol2 + "': only rates of change in time are built");
      return std::nullopt;
    }
    return resolve_rate(*t, v, element);
  } else if (!v.term.empty() && !is_amount(v.term) && !is_concentration(v.term) && !is_particles(v.term)) {
    const std::string known = variable_term_refusal(v.term);
    problem(ErrorKind::Unsupported, element,
            known.empty() ? "term '" + v.term + "' is not a KiSAO term axisim knows for a variable (it computes the amount "
                                                "KISAO:0000836, concentration 0000838, particle number 0000837, rate of change 0000834, the "
                                                "matrices and coefficients 0000801-0000819 and 0000835, and aggregations)"
                          : known);
    return std::nullopt;
  } else {
    if (!v.model_ref.empty() && !find_model(v.model_ref)) {
      // tellurium takes a task variable's model from its task and never looks at this; SED-ML
      // says the reference names a model of the document, so it is an error here.
      std::string models;
      for (const ModelDef& m : doc_.models) models += (models.empty() ? "'" : ", '") + m.id + "'";
      const std::string runs = task_model_id(*t, element);
      problem(ErrorKind::UnknownId, element,
              "modelReference '" + v.model_ref + "' names no model of the document (its models: " +
                  (models.empty() ? std::string("none") : models) + ")" +
                  (runs.empty() ? std::string() : "; its task '" + t->id + "' runs model '" + runs + "'"));
      return std::nullopt;
    }
    const std::string model_id = !v.model_ref.empty() ? v.model_ref : task_model_id(*t, element);
    if (model_id.empty()) return std::nullopt;
    const ResolvedModel* m = model_at(model_id, element);
    if (!m) return std::nullopt;
    if (m->logical) {
      // A logical model: a qualitative species' level (the element, its bare id, qual_target.hpp).
      std::string id, why;
      try {
        id = qual_species_of(*m->xml, v.target, v.ns, why);
      } catch (const std::exception& e) {
        problem(ErrorKind::InvalidSbml, element, e.what());
        return std::nullopt;
      }
      if (id.empty() || !m->logical->has_id(id)) {
        problem(ErrorKind::UnknownId, element,
                "target '" + v.target + "' selects " + why + " in logical model '" + model_id +
                    "', not one qualitativeSpecies (by XPath or bare id: its level is what a logical run reports)");
        return std::nullopt;
      }
      if (!v.symbol.empty() || !v.term.empty()) {
        problem(ErrorKind::Unsupported, element, "a logical model reports levels: symbol or term '" + v.symbol + v.term + "' does not apply");
        return std::nullopt;
      }
      col.spec.id = id;
      needed_[t->id].insert(col);
      return col;
    }
    std::vector<SbmlXml::Node> nodes;
    try {
      nodes = m->xml->select(v.target, v.ns);
    } catch (const std::exception& e) {
      problem(ErrorKind::InvalidSbml, element, e.what());
      return std::nullopt;
    }
    if (!m->model) {
      // A flux balance model: a reaction's flux or an objective's value (the element, or its
      // `flux` / `value` attribute as BioSimulators names them; the model has no such
      // attribute, so the element is selected); under flux variability analysis a reaction's
      // `minFlux` and `maxFlux`; under FBA a reaction's `reducedCost` and a species'
      // `shadowPrice` (the duals); under dynamic FBA a species (a medium metabolite's
      // concentration, or the biomass; execute_dfba refuses others, named).
      for (const char* a : {"/@flux", "/@value", "/@minFlux", "/@maxFlux", "/@reducedCost", "/@shadowPrice"}) {
        const std::string suffix = a;
        if (nodes.empty() && v.target.size() > suffix.size() &&
            v.target.compare(v.target.size() - suffix.size(), suffix.size(), suffix) == 0) {
          try {
            nodes = m->xml->select(v.target.substr(0, v.target.size() - suffix.size()), v.ns);
            for (auto& n : nodes) {
              n.is_attribute = true;
              n.attribute = suffix.substr(2);
            }
          } catch (const std::exception&) {
          }
        }
      }
      const bool range = nodes.size() == 1 && nodes[0].is_attribute &&
                         (nodes[0].attribute == "minFlux" || nodes[0].attribute == "maxFlux" ||
                          (nodes[0].element == "reaction" && nodes[0].attribute == "reducedCost") ||
                          (nodes[0].element == "species" && nodes[0].attribute == "shadowPrice"));
      const bool ok = nodes.size() == 1 && !nodes[0].id.empty() &&
                      ((nodes[0].element == "reaction" && (!nodes[0].is_attribute || nodes[0].attribute == "flux" || range)) ||
                       (nodes[0].element == "species" && (range || !nodes[0].is_attribute)) ||
                       (nodes[0].element == "objective" && (!nodes[0].is_attribute || nodes[0].attribute == "value")));
      if (!ok) {
        problem(ErrorKind::Unsupported, element,
                "target '" + v.target + "' in flux balance model '" + model_id +
                    "': only a reaction's flux (minFlux and maxFlux under flux variability analysis), an "
                    "objective's value, a reaction's reducedCost and a species' shadowPrice are results of flux "
                    "balance analysis, and a species' concentration (a medium metabolite or the biomass) of dynamic "
                    "flux balance analysis");
        return std::nullopt;
      }
      if (range) col.flux_range = nodes[0].attribute;
      col.spec.id = nodes[0].id;
      needed_[t->id].insert(col);
      return col;
    }
    if (nodes.size() != 1 || nodes[0].is_attribute || nodes[0].id.empty()) {
      problem(ErrorKind::UnknownId, element,
              "target '" + v.target + "' selects " +
                  (nodes.empty() ? std::string("nothing")
                                 : nodes.size() > 1 ? std::to_string(nodes.size()) + " nodes"
                                                    : std::string("no element with an id")) +
                  " in model '" + model_id + "'");
      return std::nullopt;
    }
    col.spec.id = nodes[0].id;
    if (!m->model->has_id(col.spec.id)) {
      problem(ErrorKind::UnknownId, element, "target '" + v.target + "': axisim's model has no value '" + col.spec.id + "'");
      return std::nullopt;
    }
    // Version 4: the amount (KISAO:0000836) or the concentration (KISAO:0000838), as term or symbol.
    if (is_amount(v.term) || is_amount(v.symbol)) col.spec.quantity = Quantity::Amount;
    else if (is_concentration(v.term) || is_concentration(v.symbol)) col.spec.quantity = Quantity::Concentration;
    else if (is_particles(v.term) || is_particles(v.symbol)) {
      std::string why;
      col.scale = particles_per_substance(*m, col.spec.id, why);
      if (!why.empty()) {
        problem(ErrorKind::Unsupported, element, "particle number (KISAO:0000837) of '" + col.spec.id + "': " + why);
        return std::nullopt;
      }
      col.spec.quantity = Quantity::Amount;
    } else if (!v.symbol.empty()) {
      const std::string known = variable_term_refusal(v.symbol);
      problem(ErrorKind::Unsupported, element, known.empty() ? "symbol '" + v.symbol + "' on a target is not built yet" : known);
      return std::nullopt;
    }
  }
  needed_[t->id].insert(col);
  return col;
}

double Runner::particles_per_substance(const ResolvedModel& m, const std::string& id, std::string& why) {
  if (m.model->kind(id) != SymbolKind::Species) {
    why = "it is not a species (only a species has particles)";
    return 0.0;
  }
  const SbmlXml& x = *m.xml;
  const Namespaces none;
  auto attr = [&](const std::string& xpath) {
    const auto n = x.select(xpath, none);
    return n.empty() ? std::string() : n[0].value;
  };
  std::string unit = attr("//*[local-name()='species'][@id='" + id + "']/@substanceUnits");
  if (unit.empty()) unit = attr("//*[local-name()='model']/@substanceUnits");
  const std::string level = attr("/*[local-name()='sbml']/@level");
  if (unit.empty() && level != "3") unit = "substance";
  if (unit.empty()) {
    why = "the model declares no substance units (SBML Level 3 has no default), so what one unit of its amount "
          "counts is unknown";
    return 0.0;
  }
  if (unit == "mole") return kAvogadro;
  if (unit == "item") return 1.0;
  const std::string def = "//*[local-name()='unitDefinition'][@id='" + unit + "']";
  const auto kinds = x.select(def + "/*[local-name()='listOfUnits']/*[local-name()='unit']/@kind", none);
  if (kinds.empty() && unit == "substance") return kAvogadro;  // Level 2's built-in, not redefined
  if (kinds.size() == 1 && (kinds[0].value == "mole" || kinds[0].value == "item")) {
    const std::string u = def + "/*[local-name()='listOfUnits']/*[local-name()='unit']";
    const std::string e = attr(u + "/@exponent"), sc = attr(u + "/@scale"), mu = attr(u + "/@multiplier");
    if (e.empty() || std::stod(e) == 1.0) {
      const double factor = (mu.empty() ? 1.0 : std::stod(mu)) * std::pow(10.0, sc.empty() ? 0.0 : std::stod(sc));
      return kinds[0].value == "mole" ? kAvogadro * factor : factor;
    }
  }
  why = "its substance unit '" + unit + "' is not a mole or an item (to the power 1, with any multiplier and "
        "scale), so it gives no count of particles";
  return 0.0;
}

void Runner::collect_variables() {
  for (const DataGenerator& g : doc_.generators)
    for (const Variable& v : g.variables) {
      const std::string key = g.id + "/" + v.id;
      const std::string element = "dataGenerator '" + g.id + "' variable '" + v.id + "'";
      if (v.task_ref.empty() && !v.target.empty() && v.target[0] == '#') {
        data_[key] = data_source(v.target.substr(1), element);
        if (data_[key]) data_shape_[key] = data_sources_.get(v.target.substr(1)).shape;
        continue;
      }
      std::string why;
      const bool on_symbol = !v.symbol.empty() && (aggregation_term(v.symbol, why) || !why.empty());
      const std::string& term = on_symbol ? v.symbol : v.term;
      auto a = aggregation_term(term, why);
      if (!a && why.empty()) {
        variable_column_[key] = resolve_variable(v, element);
        continue;
      }
      variable_column_[key] = std::nullopt;
      if (!a) {
        problem(ErrorKind::Unsupported, element, term + " (" + why + ") is refused");
        continue;
      }
      if (!shape_aggregation(v, *a, element)) continue;
      Variable plain = v;
      (on_symbol ? plain.symbol : plain.term).clear();
      variable_column_[key] = resolve_variable(plain, element);
      aggregations_[key] = *a;
    }
}

bool Runner::shape_aggregation(const Variable& v, Aggregation& a, const std::string& element) {
  const Task* t = find_task(v.task_ref);
  const std::string what = a.term + " (" + a.name + ")";
  if (!t || t->type != "repeatedTask") {
    problem(ErrorKind::Unsupported, element,
            what + " reduces over a repeated task's iterations: taskReference '" + v.task_ref + "' is not a repeated task");
    return false;
  }
  for (const Task* level = t; level;) {
    a.dims.push_back(level->id);
    if (level->type == "task") break;
    const auto subs = sorted_subtasks(*level);
    const Task* sub = subs.size() == 1 ? find_task(subs[0].task) : nullptr;
    if (!sub || (sub->type != "task" && sub->type != "repeatedTask") || a.dims.size() > 50) {
      problem(ErrorKind::Unsupported, element,
              what + " over repeated task '" + level->id +
                  "': built for a repeated task with one sub-task (a plain task, or a repeated task of the same kind); "
                  "several sub-tasks do not form one array of values");
      return false;
    }
    level = sub;
  }
  a.keep.assign(a.dims.size(), false);
  for (const std::string& r : v.remaining) {
    const auto at = std::find(a.dims.begin(), a.dims.end(), r);
    if (at == a.dims.end()) {
      std::string names;
      for (const std::string& d : a.dims) names += (names.empty() ? "'" : ", '") + d + "'";
      problem(ErrorKind::UnknownId, element,
              "remainingDimension '" + r + "' is not a dimension of repeated task '" + t->id + "' (they are " + names + ")");
      return false;
    }
    a.keep[static_cast<std::size_t>(at - a.dims.begin())] = true;
  }
  return true;
}

}  // namespace axisim::sedml::execution
