// Tissue plugins named in SED-ML: attached where a model is resolved (execute/models.cpp), written by the
// writer (writer.cpp) for `axisim export` (plugin_annotation.hpp).
#include "model/plugin_annotation.hpp"

#include <algorithm>
#include <charconv>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "axisim/plugin_host.hpp"

namespace fs = std::filesystem;

namespace axisim::sedml {
namespace {

std::string number(double v) {  // the shortest text that reads back as the same double
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

}  // namespace

void attach_plugins(Model& model, const std::vector<PluginRecord>& plugins, const fs::path& document_dir,
                    const std::vector<std::string>& plugin_dirs, const std::string& element) {
  for (const PluginRecord& r : plugins) {
    if (r.name.empty())
      throw Error(ErrorKind::InvalidSbml, "an axisim plugin annotation without a name, or with a value that "
                                                    "is not a number: the model is not run without that plugin");
    const std::string what = "axisim plugin '" + r.name + "'";
    std::string where = r.name;
    if (!r.path.empty()) {
      fs::path p(r.path);
      if (p.is_relative()) p = document_dir / p;
      if (!fs::is_regular_file(p))
        throw Error(ErrorKind::Io, what + ": source '" + r.path + "': no such file (" + p.string() + ")");
      where = p.string();
    }
    Plugin loaded = [&] {
      try {
        return Plugin::load(where, plugin_dirs);
      } catch (const Error& e) {
        // Plugin::load's message names the plugin already ("plugin 'x': not found: ...").
        throw Error(e.kind(), std::string("the model's axisim annotation names ") + e.what() +
                                  " (install it on the plugin path, or give --plugin-dir)");
      }
    }();
    if (loaded.name() != r.name)
      throw Error(ErrorKind::Plugin, what + ": " + loaded.path() + " is plugin '" + loaded.name() + "', not '" + r.name + "'");
    // Another version of a plugin is other equations (gut-barrier 1.0.0 and 1.1.0 differ): the
    // run would not be the one the document describes.
    if (!r.version.empty() && loaded.version() != r.version)
      throw Error(ErrorKind::Plugin, what + ": the document names version " + r.version + ", but " + loaded.path() +
                                         " is version " + loaded.version() + ", which may compute other numbers");
    try {
      model.attach(loaded, std::vector<std::pair<std::string, double>>(r.parameters.begin(), r.parameters.end()), r.states);
    } catch (const Error& e) {
      throw Error(e.kind(), what + ": " + e.what());
    }
    spdlog::info("{}: attached plugin '{}' {} ({})", element, loaded.name(), loaded.version(), loaded.path());
  }
  // The plugins an SBML file exported by `axisim export -o --plugin` records, as simulate attaches them.
  for (const PluginRecord& r : model.recorded_plugins()) {
    const auto attached = model.plugins();
    if (std::any_of(attached.begin(), attached.end(), [&](const Model::AttachedPlugin& a) { return a.name == r.name; })) continue;
    const std::string what = "plugin '" + r.name + "' (recorded in the SBML file)";
    try {
      const Plugin p = Plugin::load(r.name, plugin_dirs);
      if (!r.version.empty() && p.version() != r.version)
        spdlog::warn("{}: {}: the model was exported with version {}; attaching version {}", element, what, r.version, p.version());
      model.attach(p, std::vector<std::pair<std::string, double>>(r.parameters.begin(), r.parameters.end()), r.states);
      spdlog::info("{}: {}: attached", element, what);
    } catch (const Error& e) {
      throw Error(e.kind(), what + ": " + e.what());
    }
  }
}

std::vector<PluginRecord> merge_plugins(const std::vector<PluginRecord>& parent, const std::vector<PluginRecord>& own) {
  std::vector<PluginRecord> out = parent;
  for (const PluginRecord& r : own) {
    auto it = std::find_if(out.begin(), out.end(), [&](const PluginRecord& p) { return !r.name.empty() && p.name == r.name; });
    if (it != out.end()) *it = r;
    else out.push_back(r);
  }
  return out;
}

bool is_plugin_symbol(const std::string& symbol) { return symbol.rfind(kPluginSymbol, 0) == 0; }

std::string plugin_quantity(const Model& model, const std::string& symbol, std::string& why) {
  const std::string id = symbol.substr(std::string(kPluginSymbol).size());
  const auto dot = id.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == id.size()) {
    why = "symbol '" + symbol + "' does not name PLUGIN.STATE or PLUGIN.OUTPUT";
    return {};
  }
  const std::string name = id.substr(0, dot), quantity = id.substr(dot + 1);
  for (const Model::AttachedPlugin& p : model.plugins()) {
    if (p.name != name) continue;
    if (std::find(p.states.begin(), p.states.end(), quantity) != p.states.end() ||
        std::find(p.outputs.begin(), p.outputs.end(), quantity) != p.outputs.end())
      return id;
    why = "symbol '" + symbol + "': plugin '" + name + "' has no state or output '" + quantity + "'";
    return {};
  }
  why = "symbol '" + symbol + "': no plugin '" + name + "' is attached to the model (name it in the model's axisim annotation)";
  return {};
}

PluginValue plugin_value(const Model& model, const std::string& symbol, std::string& why) {
  PluginValue out;
  const std::string id = symbol.substr(std::string(kPluginSymbol).size());
  const auto dot = id.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == id.size()) {
    why = "symbol '" + symbol + "' does not name PLUGIN.STATE, PLUGIN.OUTPUT or PLUGIN.PARAMETER";
    return out;
  }
  const std::string name = id.substr(0, dot), quantity = id.substr(dot + 1);
  for (const Model::AttachedPlugin& p : model.plugins()) {
    if (p.name != name) continue;
    const bool state = std::find(p.states.begin(), p.states.end(), quantity) != p.states.end();
    const bool output = std::find(p.outputs.begin(), p.outputs.end(), quantity) != p.outputs.end();
    const bool parameter = std::any_of(p.parameters.begin(), p.parameters.end(),
                                       [&](const std::pair<std::string, double>& q) { return q.first == quantity; });
    if (parameter && (state || output)) {
      why = "symbol '" + symbol + "': plugin '" + name + "' has a parameter and " + (state ? "a state" : "an output") +
            " named '" + quantity + "', and the symbol does not say which";
      return out;
    }
    if (!state && !output && !parameter) {
      why = "symbol '" + symbol + "': plugin '" + name + "' has no state, output or parameter '" + quantity + "'";
      return out;
    }
    out.kind = state ? PluginValueKind::State : output ? PluginValueKind::Output : PluginValueKind::Parameter;
    out.plugin = name;
    out.quantity = quantity;
    return out;
  }
  why = "symbol '" + symbol + "': no plugin '" + name + "' is attached to the model (name it in the model's axisim annotation)";
  return out;
}

double plugin_value_at(const Model& model, const RunState& at, const PluginValue& v) {
  if (v.kind == PluginValueKind::Parameter) {
    for (const Model::AttachedPlugin& p : model.plugins())
      if (p.name == v.plugin)
        for (const auto& [name, value] : p.parameters)
          if (name == v.quantity) return value;
  } else if (v.kind == PluginValueKind::State) {
    return at.value(v.id());
  } else if (v.kind == PluginValueKind::Output) {
    SimulationOptions o;
    o.start = o.end = at.time();
    o.steps = 0;
    const Result r = model.simulate_from(at, o, {OutputSpec{v.id()}});
    if (!r.error.empty() || r.rows() != 1) throw Error(ErrorKind::Plugin, r.error.empty() ? "no value for '" + v.id() + "'" : r.error);
    return r.column(v.id())[0];
  }
  throw Error(ErrorKind::UnknownId, "'" + v.id() + "' is not a value of a plugin attached to model '" + model.id() + "'");
}

bool has_value(const Model& model, const std::string& id) {
  if (model.has_id(id)) return true;
  std::string why;
  return id.find('.') != std::string::npos && !plugin_quantity(model, kPluginSymbol + id, why).empty();
}

std::string plugin_annotation_xml(const std::vector<PluginRecord>& plugins, const std::string& indent) {
  if (plugins.empty()) return {};
  std::string o = indent + "<annotation>\n" + indent + "  <axisim:plugins xmlns:axisim=\"" + kPluginAnnotationNs + "\">\n";
  for (const PluginRecord& r : plugins) {
    o += indent + "    <axisim:plugin name=\"" + escape(r.name) + "\"";
    if (!r.version.empty()) o += " version=\"" + escape(r.version) + "\"";
    if (!r.path.empty()) o += " source=\"" + escape(r.path) + "\"";
    if (r.parameters.empty() && r.states.empty()) {
      o += "/>\n";
      continue;
    }
    o += ">\n";
    for (const auto& [name, value] : r.parameters)
      o += indent + "      <axisim:parameter name=\"" + escape(name) + "\" value=\"" + number(value) + "\"/>\n";
    for (const auto& [name, value] : r.states)
      o += indent + "      <axisim:state name=\"" + escape(name) + "\" value=\"" + number(value) + "\"/>\n";
    o += indent + "    </axisim:plugin>\n";
  }
  return o + indent + "  </axisim:plugins>\n" + indent + "</annotation>\n";
}

}  // namespace axisim::sedml
