#include "axisim/scenario.hpp"

#include <filesystem>

#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"
#include "io/toml_reader.hpp"

namespace axisim {

Scenario Scenario::load(const std::string& path) {
  const std::string text = read_text_file(path, kMaxTomlBytes, "scenario file");
  const detail::TomlReader in(path, std::filesystem::absolute(path).parent_path());
  const toml::table doc = in.parse(text);
  Scenario s;
  for (const auto& [key, node] : doc) {
    const std::string k(key.str());
    if (k == "name") s.name = node.value_or(std::string());
    else if (k == "description") s.description = node.value_or(std::string());
    else if (k == "model") {
      auto m = node.value<std::string>();
      if (!m) in.bad(node, "'model' must be a path");
      s.model_path = in.path_in_file(*m);
    } else if (k == "ignore_fast") {
      s.ignore_fast = in.boolean(node, k);
    } else if (k == "select") {
      const toml::array* a = node.as_array();
      if (!a) in.bad(node, "'select' must be a list of ids");
      for (const toml::node& id : *a) {
        auto v = id.value<std::string>();
        if (!v) in.bad(id, "'select' must hold ids (strings)");
        s.select.push_back(*v);
      }
    } else if (k == "simulation") {
      const toml::table* t = node.as_table();
      if (!t) in.bad(node, "[simulation] must be a table");
      for (const auto& [sk, sv] : *t) {
        const std::string name(sk.str());
        if (name == "start") s.options.start = in.number(sv, name);
        else if (name == "end") s.options.end = in.number(sv, name);
        else if (name == "steps") s.options.steps = static_cast<int>(in.number(sv, name));
        else if (name == "atol") s.options.atol = in.number(sv, name);
        else if (name == "rtol") s.options.rtol = in.number(sv, name);
        else if (name == "linear_solver") s.options.linear_solver = in.linear_solver(sv);
        else if (name == "jacobian") s.options.jacobian = in.jacobian(sv);
        else in.bad(sv, "unknown key '" + name + "' in [simulation]");
      }
    } else if (k == "set") {
      const toml::table* t = node.as_table();
      if (!t) in.bad(node, "[set] must be a table of id = number");
      for (const auto& [id, value] : *t) s.set.emplace_back(std::string(id.str()), in.number(value, std::string(id.str())));
    } else if (k == "plugins") {
      const toml::table* t = node.as_table();
      if (!t) in.bad(node, "[plugins] must be a table of name = { parameter = number }");
      for (const auto& [name, params] : *t) {
        PluginRequest p{std::string(name.str()), {}};
        if (const toml::table* pt = params.as_table())
          for (const auto& [pk, pv] : *pt) p.parameters.emplace_back(std::string(pk.str()), in.number(pv, std::string(pk.str())));
        else in.bad(params, "plugin '" + p.name + "' must be a table of parameters");
        s.plugins.push_back(std::move(p));
      }
    } else {
      in.bad(node, "unknown key '" + k + "'");
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
