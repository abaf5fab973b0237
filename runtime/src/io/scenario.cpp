#include "axisim/scenario.hpp"

#include <filesystem>
#include <sstream>

#include <toml++/toml.h>

#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"

namespace axisim {
namespace {

[[noreturn]] void bad(const std::string& path, const toml::source_region& where, const std::string& what) {
  throw Error(ErrorKind::Usage, path + ":" + std::to_string(where.begin.line) + ": " + what);
}

double number(const std::string& path, const toml::node& node, const std::string& key) {
  if (auto v = node.value<double>()) return *v;  // integers convert too
  bad(path, node.source(), "'" + key + "' must be a number");
}

}  // namespace

Scenario Scenario::load(const std::string& path) {
  // toml++ parses dotted keys and headers recursively: refuse deep files before parsing them.
  const std::string text = read_text_file(path, kMaxTomlBytes, "scenario file");
  check_toml_depth(text, path);
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << path << ":" << e.source().begin.line << ": " << e.description();
    throw Error(ErrorKind::Usage, msg.str());
  }
  Scenario s;
  const std::filesystem::path dir = std::filesystem::absolute(path).parent_path();
  for (const auto& [key, node] : doc) {
    const std::string k(key.str());
    if (k == "name") s.name = node.value_or(std::string());
    else if (k == "description") s.description = node.value_or(std::string());
    else if (k == "model") {
      auto m = node.value<std::string>();
      if (!m) bad(path, node.source(), "'model' must be a path");
      s.model_path = (dir / *m).lexically_normal().string();
    } else if (k == "select") {
      const toml::array* a = node.as_array();
      if (!a) bad(path, node.source(), "'select' must be a list of ids");
      for (const toml::node& id : *a) {
        auto v = id.value<std::string>();
        if (!v) bad(path, id.source(), "'select' must hold ids (strings)");
        s.select.push_back(*v);
      }
    } else if (k == "simulation") {
      const toml::table* t = node.as_table();
      if (!t) bad(path, node.source(), "[simulation] must be a table");
      for (const auto& [sk, sv] : *t) {
        const std::string name(sk.str());
        if (name == "start") s.options.start = number(path, sv, name);
        else if (name == "end") s.options.end = number(path, sv, name);
        else if (name == "steps") s.options.steps = static_cast<int>(number(path, sv, name));
        else if (name == "atol") s.options.atol = number(path, sv, name);
        else if (name == "rtol") s.options.rtol = number(path, sv, name);
        else if (name == "linear_solver" || name == "jacobian") {
          const auto text = sv.value<std::string>();
          const bool solver = name == "linear_solver";
          const bool ok = text && (solver ? linear_solver_from_name(*text).has_value() : jacobian_from_name(*text).has_value());
          if (!ok)
            bad(path, sv.source(), solver ? "linear_solver must be \"auto\", \"dense\", \"sparse\" or \"iterative\""
                                          : "jacobian must be \"auto\", \"analytic\" or \"numeric\"");
          if (solver) s.options.linear_solver = *linear_solver_from_name(*text);
          else s.options.jacobian = *jacobian_from_name(*text);
        } else bad(path, sv.source(), "unknown key '" + name + "' in [simulation]");
      }
    } else if (k == "set") {
      const toml::table* t = node.as_table();
      if (!t) bad(path, node.source(), "[set] must be a table of id = number");
      for (const auto& [id, value] : *t) s.set.emplace_back(std::string(id.str()), number(path, value, std::string(id.str())));
    } else if (k == "plugins") {
      const toml::table* t = node.as_table();
      if (!t) bad(path, node.source(), "[plugins] must be a table of name = { parameter = number }");
      for (const auto& [name, params] : *t) {
        PluginRequest p{std::string(name.str()), {}};
        if (const toml::table* pt = params.as_table())
          for (const auto& [pk, pv] : *pt) p.parameters.emplace_back(std::string(pk.str()), number(path, pv, std::string(pk.str())));
        else bad(path, params.source(), "plugin '" + p.name + "' must be a table of parameters");
        s.plugins.push_back(std::move(p));
      }
    } else {
      bad(path, node.source(), "unknown key '" + k + "'");
    }
  }
  return s;
}

void Scenario::apply(Model& model) const {
  for (const auto& [id, value] : set) model.set_value(id, value);
}

std::vector<OutputSpec> Scenario::outputs() const {
  std::vector<OutputSpec> out;
  for (const std::string& id : select) out.push_back({id});
  return out;
}

}  // namespace axisim
