// The values a repeated task's setValue writes and its variables read: a model's current state
// (SBML values, a plugin's states and parameters, a logical model's levels).
#include <algorithm>
#include <cmath>
#include <optional>

#include <spdlog/spdlog.h>

#include "model/qual_target.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

bool Runner::set_plugin_value(const ResolvedModel& m, const std::string& mid, const SetValue& c, double value,
                      ModelStates& iteration, const std::string& change) {
  if (!is_plugin_symbol(c.symbol) || !c.target.empty() || m.logical) {
    problem(ErrorKind::Unsupported, change,
            "symbol '" + c.symbol + "' cannot be set: a setValue sets a target in the model, or by symbol a tissue "
            "plugin's state or parameter (urn:axisim:plugin:NAME.QUANTITY, with no target) of an SBML model");
    return false;
  }
  std::string why;
  const PluginValue pv = plugin_value(*m.model, c.symbol, why);
  if (pv.kind == PluginValueKind::None) {
    problem(ErrorKind::UnknownId, change, why + " (model '" + mid + "')");
    return false;
  }
  if (pv.kind == PluginValueKind::Output) {
    problem(ErrorKind::Unsupported, change,
            "'" + pv.quantity + "' is an output of plugin '" + pv.plugin +
                "', which the plugin computes: only its states and parameters can be set");
    return false;
  }
  if (!std::isfinite(value)) {
    problem(ErrorKind::InvalidSbml, change, "the value " + format_number(value) + " for plugin " +
                                                (pv.kind == PluginValueKind::State ? "state '" : "parameter '") + pv.id() +
                                                "' is not a finite number");
    return false;
  }
  auto it = iteration.find(mid);
  if (it == iteration.end()) it = iteration.emplace(mid, Carried{*m.model, 0.0, {}, {}}).first;
  if (pv.kind == PluginValueKind::Parameter) it->second.model.set_plugin_parameter(pv.plugin, pv.quantity, value);
  else if (it->second.state.empty()) it->second.model.set_value(pv.id(), value);
  else it->second.state.set_value(pv.id(), value);  // where the run stands
  return true;
}

bool Runner::set_logical_level(const ResolvedModel& m, const std::string& mid, const SetValue& c, double value, const std::string& change) {
  std::string why;
  const std::string id = qual_species_of(*m.xml, c.target, c.ns, why, true);
  if (id.empty() || !m.logical->has_id(id)) {
    problem(ErrorKind::UnknownId, change,
            "the target selects " + why + " in logical model '" + mid + "', not one qualitativeSpecies (or its initialLevel)");
    return false;
  }
  if (!std::isfinite(value) || value != std::round(value)) {
    problem(ErrorKind::InvalidSbml, change, "level " + format_number(value) + " for qualitative species '" + id + "' is not a whole number");
    return false;
  }
  auto it = logical_states_.find(mid);
  if (it == logical_states_.end()) it = logical_states_.emplace(mid, LogicalCarried{m.logical->initial_levels(), 0.0}).first;
  LogicalModel probe = *m.logical;  // checks the level against the species' maxLevel
  probe.set_initial_levels(it->second.levels);
  probe.set_initial_level(id, static_cast<int>(value));
  it->second.levels = probe.initial_levels();
  return true;
}

const std::vector<OutputSpec>* Runner::carried_state(const std::string& model_id, const Model& model) {
  auto it = carried_specs_.find(model_id);
  if (it != carried_specs_.end()) return &it->second;
  std::vector<OutputSpec> specs;
  Model probe = model;
  for (const std::string& id : model.ids()) {
    const SymbolKind kind = model.kind(id);
    if (kind != SymbolKind::Species && kind != SymbolKind::Compartment && kind != SymbolKind::Parameter) continue;
    const Quantity q = kind == SymbolKind::Species ? Quantity::Amount : Quantity::Default;
    try {
      probe.set_value(id, model.initial_value(id, q), q);  // assignment-rule targets throw: computed, not carried
      specs.push_back({id, q});
    } catch (const Error&) {
    }
  }
  // The attached plugins' states: their values at the end become their initial states.
  for (const Model::AttachedPlugin& p : model.plugins())
    for (const std::string& state : p.states) specs.push_back({p.name + "." + state, Quantity::Default});
  return &carried_specs_.emplace(model_id, std::move(specs)).first->second;
}

std::optional<double> Runner::current_value(const ModelStates& states, const Variable& v, const std::string& mid,
                                    const std::string& element) {
  const std::string var = element + " variable '" + v.id + "'";
  if (v.task_ref.empty() && !v.target.empty() && v.target[0] == '#') return data_value(v.target.substr(1), var);
  const ResolvedModel* m = model_at(mid, var);
  if (!m) return std::nullopt;
  if (m->logical) return current_level(*m, v, mid, var);
  if (!runnable(m, mid, var)) return std::nullopt;
  const auto st = states.find(mid);
  const Model& current = st == states.end() ? *m->model : st->second.model;
  const double now = st == states.end() ? 0.0 : st->second.time;
  const RunState* run_state = st == states.end() || st->second.state.empty() ? nullptr : &st->second.state;
  if (is_time_symbol(v.symbol)) return now;
  if (is_plugin_symbol(v.symbol)) return current_plugin_value(current, run_state, now, v, mid, var);
  if (!v.symbol.empty() || v.target.empty() || (!v.term.empty() && !is_amount(v.term) && !is_concentration(v.term))) {
    problem(ErrorKind::Unsupported, var, "only the time and targets in the model (their amount or concentration) can be read here");
    return std::nullopt;
  }
  try {
    const auto nodes = m->xml->select(v.target, v.ns);
    if (nodes.size() != 1 || nodes[0].id.empty() || !current.has_id(nodes[0].id)) {
      problem(ErrorKind::UnknownId, var,
              "target '" + v.target + "' selects " + std::to_string(nodes.size()) + " nodes with a value in model '" + mid + "', not one");
      return std::nullopt;
    }
    Quantity q = is_amount(v.term) ? Quantity::Amount : is_concentration(v.term) ? Quantity::Concentration : Quantity::Default;
    if (nodes[0].is_attribute) {
      // A value attribute reads the value now; any other attribute, as the document has it.
      const std::string& a = nodes[0].attribute;
      if (a == "initialAmount") q = Quantity::Amount;
      else if (a == "initialConcentration") q = Quantity::Concentration;
      else if (a != "value" && a != "size") return std::stod(nodes[0].value);
    }
    if (run_state) return run_state->value(nodes[0].id, q);  // as the run ended (changes included)
    // Values computed by rules are computed at time 0; after a steady state carried to another
    // time, that is right only for a model whose math does not read the time.
    if (now != 0.0)
      if (const std::string why = reads_time(mid, *m); !why.empty()) {
        problem(ErrorKind::Unsupported, var, "model '" + mid + "' " + why + ", and its state was carried to time " +
                                                 format_number(now) + ": axisim computes values at time 0");
        return std::nullopt;
      }
    return current.initial_value(nodes[0].id, q);
  } catch (const Error& e) {
    problem(e.kind(), var, e.what());
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, var, e.what());
  }
  return std::nullopt;
}

std::optional<double> Runner::current_plugin_value(const Model& current, const RunState* run_state, double now, const Variable& v,
                                           const std::string& mid, const std::string& var) {
  if (!v.target.empty() || !v.term.empty()) {
    problem(ErrorKind::Unsupported, var, "symbol '" + v.symbol + "' names a plugin's value: no target or term goes with it");
    return std::nullopt;
  }
  std::string why;
  const PluginValue pv = plugin_value(current, v.symbol, why);
  if (pv.kind == PluginValueKind::None) {
    problem(ErrorKind::UnknownId, var, why + " (model '" + mid + "')");
    return std::nullopt;
  }
  try {
    if (run_state) return plugin_value_at(current, *run_state, pv);
    return plugin_value_at(current, RunState::start(current, now), pv);
  } catch (const Error& e) {
    problem(e.kind(), var, e.what());
  } catch (const std::exception& e) {
    problem(ErrorKind::Plugin, var, e.what());
  }
  return std::nullopt;
}

std::optional<double> Runner::current_level(const ResolvedModel& m, const Variable& v, const std::string& mid, const std::string& var) {
  const auto st = logical_states_.find(mid);
  if (is_time_symbol(v.symbol)) return st == logical_states_.end() ? 0.0 : st->second.time;
  std::string id, why;
  try {
    if (v.symbol.empty() && v.term.empty()) id = qual_species_of(*m.xml, v.target, v.ns, why, true);
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, var, e.what());
    return std::nullopt;
  }
  if (id.empty() || !m.logical->has_id(id)) {
    problem(ErrorKind::UnknownId, var,
            "target '" + v.target + "' is not one qualitativeSpecies of logical model '" + mid + "': only the time and levels can be read here");
    return std::nullopt;
  }
  const auto& ids = m.logical->ids();
  const std::size_t i = static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
  return static_cast<double>(st == logical_states_.end() ? m.logical->initial_levels()[i] : st->second.levels[i]);
}

}  // namespace axisim::sedml::execution
