// Models: SBML files read once, models derived from others, and SED-ML's changes applied to
// their XML (changeAttribute, computeChange, addXML, removeXML, changeXML) before axisim loads them.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include <spdlog/spdlog.h>

#include "model/qual_target.hpp"
#include "execute/runner.hpp"

namespace axisim::sedml::execution {

std::shared_ptr<const SbmlXml> Runner::load_file(const std::string& file) {
  auto it = files_.find(file);
  if (it != files_.end()) return it->second;
  auto xml = std::make_shared<const SbmlXml>(SbmlXml::from_file(file));
  files_[file] = xml;
  return xml;
}

const ResolvedModel* Runner::model(const std::string& id, int depth) {
  if (auto it = models_.find(id); it != models_.end()) return it->second ? &*it->second : nullptr;
  models_[id] = std::nullopt;  // also breaks cycles of models derived from each other
  const ModelDef* def = find_model(id);
  const std::string element = "model '" + id + "'";
  if (!def) {
    problem(ErrorKind::UnknownId, element, "no such model in the document");
    return nullptr;
  }
  if (!def->language.empty() && def->language.find("sbml") == std::string::npos) {
    problem(ErrorKind::Unsupported, element, "language '" + def->language + "': axisim runs SBML models only");
    return nullptr;
  }
  std::shared_ptr<const SbmlXml> base;
  std::vector<PluginRecord> inherited;
  std::string source = def->source;
  const std::string derived = !source.empty() && source[0] == '#' ? source.substr(1) : source;
  try {
    if (find_model(derived) && derived != id) {
      if (depth > 100) {
        problem(ErrorKind::InvalidSbml, element, "models derived from each other in a cycle");
        return nullptr;
      }
      const ResolvedModel* parent = model(derived, depth + 1);
      if (!parent) {
        problem(dependent_kind(), element, "derived from model '" + derived + "', which could not be had");
        return nullptr;
      }
      base = parent->xml;
      inherited = parent->plugins;
    } else if (auto m = options_.model_map.find(source); m != options_.model_map.end()) {
      base = load_file(m->second);
    } else if (source.rfind("urn:", 0) == 0 || source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) {
      problem(ErrorKind::Unsupported, element,
              "source '" + source + "' names the model by " + (source.rfind("urn:", 0) == 0 ? "URN" : "URL") +
                  "; axisim does not download models: give a local copy with --model-map FILE (SOURCE<TAB>PATH)");
      return nullptr;
    } else if (source.empty()) {
      problem(ErrorKind::InvalidSbml, element, "has no source");
      return nullptr;
    } else {
      fs::path p(source);
      if (p.is_relative()) p = dir_ / p;
      if (!fs::is_regular_file(p)) {
        problem(ErrorKind::Io, element, "source '" + source + "': no such file (" + p.string() + ")");
        return nullptr;
      }
      base = load_file(p.string());
    }
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
    return nullptr;
  }

  std::shared_ptr<const SbmlXml> xml = base;
  std::vector<PluginRecord> plugins = merge_plugins(inherited, def->plugins);
  if (!def->changes.empty()) {
    auto changed = std::make_shared<SbmlXml>(*base);
    bool ok = true;
    for (const Change& c : def->changes) ok = apply_change(*changed, c, element, plugins) && ok;
    if (!ok) return nullptr;
    xml = changed;
  }
  ResolvedModel rm{xml, nullptr, nullptr, std::move(plugins)};
  const std::string text = xml->to_string();
  if (LogicalModel::is_logical(text)) {
    if (!rm.plugins.empty()) {
      problem(ErrorKind::Unsupported, element, "a logical (qual) model takes no tissue plugins (its axisim annotation names some)");
      return nullptr;
    }
    try {
      rm.logical = std::make_shared<const LogicalModel>(LogicalModel::from_string(text, element, options_.load.validate));
    } catch (const Error& e) {
      problem(e.kind(), element, e.what());
      return nullptr;
    }
    models_[id] = rm;
    return &*models_[id];
  }
  try {
    Model loaded = Model::from_string(text, options_.load);
    // Tissue plugins (plugin_annotation.hpp): a model without the plugins it names is not run.
    if (!rm.plugins.empty() || !loaded.recorded_plugins().empty()) {
      try {
        attach_plugins(loaded, rm.plugins, dir_, options_.plugin_dirs, element);
      } catch (const Error& e) {
        problem(e.kind(), element, e.what());
        return nullptr;
      }
    }
    rm.model = std::make_shared<const Model>(std::move(loaded));
  } catch (const Error& e) {
    // A flux balance model has no time course; FBA tasks read its XML (the others are refused
    // where they need the model, naming it).
    bool fbc = false;
    try {
      fbc = e.kind() == ErrorKind::Unsupported && !xml->select("//*[local-name()='listOfObjectives']", {}).empty();
    } catch (const std::exception&) {
    }
    if (!fbc) {
      problem(e.kind(), element, e.what());
      return nullptr;
    }
  }
  models_[id] = rm;
  return &*models_[id];
}

const ResolvedModel* Runner::model_ptr(const std::string& id) {
  const auto it = models_.find(id);
  return it == models_.end() || !it->second ? nullptr : &*it->second;
}

const Model* Runner::runnable(const ResolvedModel* m, const std::string& id, const std::string& element) {
  if (m->model) return m->model.get();
  if (m->logical) {
    problem(ErrorKind::Unsupported, element,
            "model '" + id + "' is a logical (qual) model: only a logical updating scheme (KISAO:0000449 synchronous, "
                             "KISAO:0000450 asynchronous, KISAO:0000657 sequential, KISAO:0000573 complete) or, for a "
                             "steadyState, a stable state search (KISAO:0000659, KISAO:0000660) runs it");
    return nullptr;
  }
  problem(ErrorKind::Unsupported, element,
          "model '" + id + "' is a flux balance (fbc) model: only a steadyState simulation with flux balance analysis "
                           "(KISAO:0000437 or a variant) or a uniformTimeCourse with dynamic flux balance analysis "
                           "(KISAO:0000499) runs it");
  return nullptr;
}

bool Runner::apply_change(SbmlXml& xml, const Change& c, const std::string& model_element, const std::vector<PluginRecord>& plugins) {
  const std::string element = model_element + " " + c.type + " '" + c.target + "'";
  try {
    std::size_t n = 0;
    // A qualitative species' bare id (qual_target.hpp) stands for the species: its initial level.
    const std::string target = c.type == "changeAttribute" || c.type == "computeChange" ? qual_target_xpath(xml, c.target) : c.target;
    if (c.type == "changeAttribute") {
      // The target should be an attribute; an element with a value (a parameter, a species, ...)
      // is accepted, as other tools accept it, and gets its value attribute.
      n = xml.set_value(target, c.ns, c.new_value);
    } else if (c.type == "computeChange") {
      if (!c.math) {
        problem(ErrorKind::InvalidSbml, element, "has no math that axisim can evaluate");
        return false;
      }
      std::map<std::string, Series> values;
      for (const Parameter& p : c.parameters) values[p.id] = {p.value};
      std::unique_ptr<Model> current;
      for (const Variable& v : c.variables) {
        if (is_plugin_symbol(v.symbol)) {
          // A plugin's value as the model stands before this change (the changes before it
          // made), with its plugins attached: as its run would start at time 0.
          if (!v.target.empty() || !v.term.empty()) {
            problem(ErrorKind::Unsupported, element, "variable '" + v.id + "': symbol '" + v.symbol +
                                                         "' names a plugin's value: no target or term goes with it");
            return false;
          }
          Model with = Model::from_string(xml.to_string(), options_.load);
          attach_plugins(with, plugins, dir_, options_.plugin_dirs, model_element);
          std::string why;
          const PluginValue pv = plugin_value(with, v.symbol, why);
          if (pv.kind == PluginValueKind::None) {
            problem(ErrorKind::UnknownId, element, "variable '" + v.id + "': " + why);
            return false;
          }
          values[v.id] = {plugin_value_at(with, RunState::start(with, 0.0), pv)};
          continue;
        }
        if (!v.symbol.empty() || v.target.empty()) {
          problem(ErrorKind::Unsupported, element, "variable '" + v.id + "': only targets in the model can be read here");
          return false;
        }
        const auto nodes = xml.select(qual_target_xpath(xml, v.target), v.ns);
        if (nodes.size() != 1) {
          problem(ErrorKind::UnknownId, element,
                  "variable '" + v.id + "': target '" + v.target + "' selects " + std::to_string(nodes.size()) +
                      " nodes of the model, not one");
          return false;
        }
        const auto& node = nodes[0];
        if (node.is_attribute) {
          values[v.id] = {std::stod(node.value)};
        } else if (node.element == "qualitativeSpecies") {  // a logical model's species: its initial level
          const auto level = xml.select(qual_species_xpath(node.id) + "/@*[local-name()='initialLevel']", {});
          values[v.id] = {level.empty() ? 0.0 : std::stod(level[0].value)};
        } else {
          if (!current) current = std::make_unique<Model>(Model::from_string(xml.to_string(), options_.load));
          values[v.id] = {current->initial_value(node.id)};
        }
      }
      const Series r = evaluate(*c.math, [&](const std::string& id) -> const Series* {
        auto it = values.find(id);
        return it == values.end() ? nullptr : &it->second;
      });
      if (r.size() != 1) throw std::runtime_error("the math does not give one value");
      n = xml.set_value(target, c.ns, format_number(r[0]));
    } else if (c.type == "removeXML") {
      n = xml.remove(c.target, c.ns);
    } else if (c.type == "addXML") {
      n = xml.add_xml(c.target, c.ns, c.new_xml);
    } else if (c.type == "changeXML") {
      n = xml.change_xml(c.target, c.ns, c.new_xml);
    } else {
      problem(ErrorKind::Unsupported, element, "this kind of change is not supported");
      return false;
    }
    if (n == 0) {
      problem(ErrorKind::UnknownId, element, "the target selects nothing in the model");
      return false;
    }
    return true;
  } catch (const Error& e) {
    problem(e.kind(), element, e.what());
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, element, e.what());
  }
  return false;
}

}  // namespace axisim::sedml::execution
