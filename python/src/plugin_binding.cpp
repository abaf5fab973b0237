// plugin_binding.cpp — axisim.Plugin, axisim.plugins(), axisim.load_plugin() (axisim/plugin_host.hpp).
#include <pybind11/stl.h>

#include "axisim/plugin_host.hpp"
#include "bindings.hpp"

namespace axisim::python {

namespace {

py::list quantities(const std::vector<Plugin::Quantity>& qs) {
  py::list out;
  for (const auto& q : qs) {
    py::dict d;
    d["name"] = q.name;
    d["value"] = q.value;
    d["units"] = q.units;
    d["description"] = q.description;
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_plugins(py::module_& m) {
  py::class_<Plugin>(m, "Plugin",
                     "A tissue plugin's shared library, loaded (axisim/plugin_host.hpp). Attach it with "
                     "Model.attach(plugin, PARAM=value, ...).")
      .def_property_readonly("name", &Plugin::name)
      .def_property_readonly("version", &Plugin::version)
      .def_property_readonly("description", &Plugin::description)
      .def_property_readonly("path", &Plugin::path)
      .def_property_readonly("abi_version", &Plugin::abi_version)
      .def_property_readonly("inputs", [](const Plugin& p) {
             py::list out;
             for (const auto& i : p.inputs()) out.append(py::dict(py::arg("sbml_id") = i.sbml_id, py::arg("description") = i.description));
             return out;
           }, "The model ids the plugin reads: sbml_id, description.")
      .def_property_readonly("parameters", [](const Plugin& p) { return quantities(p.parameters()); },
                             "Its parameters: name, value (the default), units, description.")
      .def_property_readonly("states", [](const Plugin& p) { return quantities(p.states()); },
                             "Its states: name, value (the initial value), units, description.")
      .def_property_readonly("outputs", [](const Plugin& p) { return quantities(p.outputs()); })
      .def_property_readonly("effects", [](const Plugin& p) {
             py::list out;
             for (const auto& e : p.effects())
               out.append(py::dict(py::arg("sbml_id") = e.sbml_id, py::arg("is_flux") = e.is_flux,
                                   py::arg("description") = e.description));
             return out;
           }, "What it changes in the model: a flux added to a species (is_flux) or a parameter it drives.")
      .def("__repr__", [](const Plugin& p) { return "<axisim.Plugin " + p.name() + " " + p.version() + " from " + p.path() + ">"; });

  m.def(
      "load_plugin",
      [](const py::object& plugin, const std::vector<std::string>& dirs) {
        const auto name_or_path = py::module_::import("os").attr("fspath")(plugin).cast<std::string>();
        const auto search = plugin_dirs(dirs);
        WithoutGil release;
        return Plugin::load(name_or_path, search);
      },
      py::arg("name_or_path"), py::arg("plugin_dirs") = std::vector<std::string>{},
      "Loads a plugin by name (axisim-plugin-<name>.so on the plugin path) or by path. PluginError names what "
      "failed.");
  m.def(
      "plugins",
      [](const std::vector<std::string>& dirs) {
        std::vector<Plugin> out;
        const auto search = plugin_dirs(dirs);
        WithoutGil release;
        for (const std::string& path : Plugin::discover(search)) out.push_back(Plugin::load(path));
        return out;
      },
      py::arg("plugin_dirs") = std::vector<std::string>{},
      "Every plugin on the plugin path (first of each name), loaded: as `axisim plugins list`.");
  m.def("_set_package_dir", [](const std::string& dir) { package_dir() = dir; });
  m.def(
      "plugin_path", [](const std::vector<std::string>& dirs) { return Plugin::search_path(plugin_dirs(dirs)); },
      py::arg("plugin_dirs") = std::vector<std::string>{},
      "Where plugins are looked for, in order: plugin_dirs, AXISIM_PLUGIN_PATH (':'-separated), for an installed "
      "package its own axisim/plugins (a wheel's) and <prefix>/lib/axisim/plugins, the build tree's plugins, the "
      "installation's (then the library's own places, relative to the Python interpreter).");
}

}  // namespace axisim::python
