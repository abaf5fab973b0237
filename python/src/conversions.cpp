// conversions.cpp — Python arguments to the library's types (bindings.hpp).
#include <cstdlib>
#include <sstream>

#include <pybind11/stl.h>

#include "axisim/error.hpp"
#include "bindings.hpp"

namespace axisim::python {

std::string& package_dir() {
  static std::string dir;
  return dir;
}

std::vector<std::string> plugin_dirs(const std::vector<std::string>& extra) {
  std::vector<std::string> dirs = extra;
  if (const char* env = std::getenv("AXISIM_PLUGIN_PATH"); env && *env) {
    std::stringstream in(env);
    for (std::string dir; std::getline(in, dir, ':');)
      if (!dir.empty()) dirs.push_back(dir);
  }
  // Installed (the package is not the build tree's): the plugins a wheel carries in the package
  // (axisim/plugins), then <prefix>/lib/python3.X/dist-packages/axisim -> <prefix>/lib/axisim/plugins,
  // wherever `cmake --install --prefix` put it, before the build tree's; then the configured prefix's.
  const bool installed = !package_dir().empty() && package_dir() != AXISIM_PYTHON_BUILD_PACKAGE_DIR;
  if (installed) {
    dirs.push_back(package_dir() + "/plugins");
    dirs.push_back(package_dir() + "/../../../axisim/plugins");
  }
  dirs.push_back(AXISIM_BUILD_PLUGIN_DIR);
  dirs.push_back(AXISIM_INSTALL_PLUGIN_DIR);
  return dirs;
}

Quantity quantity_from_name(const std::string& name) {
  if (name == "default") return Quantity::Default;
  if (name == "amount") return Quantity::Amount;
  if (name == "concentration") return Quantity::Concentration;
  throw Error(ErrorKind::Usage, "unknown quantity '" + name + "' (default, amount or concentration)");
}

Backend backend_from_name(const std::string& name) {
  if (name == "auto") return Backend::Auto;
  if (name == "interpreter") return Backend::Interpreter;
  if (name == "native") return Backend::Native;
  throw Error(ErrorKind::Usage, "unknown backend '" + name + "' (auto, interpreter or native)");
}

std::vector<OutputSpec> output_specs(const py::object& selections, const std::vector<std::string>& amounts,
                                     const std::vector<std::string>& concentrations, const Model& model) {
  std::vector<OutputSpec> outputs;
  if (!selections.is_none()) {
    if (py::isinstance<py::str>(selections))
      throw Error(ErrorKind::Usage, "selections must be a list of ids, not one string");
    for (py::handle item : selections) {
      if (py::isinstance<py::str>(item)) {
        outputs.push_back({item.cast<std::string>()});
      } else {
        const auto pair = item.cast<std::pair<std::string, std::string>>();
        outputs.push_back({pair.first, quantity_from_name(pair.second)});
      }
    }
  }
  // As the CLI: --amounts / --concentrations without a selection mark among all species.
  if (outputs.empty() && (!amounts.empty() || !concentrations.empty()))
    for (const std::string& id : model.ids())
      if (model.kind(id) == SymbolKind::Species) outputs.push_back({id});
  auto mark = [&](const std::vector<std::string>& ids, Quantity q, const char* what) {
    for (const std::string& id : ids) {
      bool found = false;
      for (auto& o : outputs)
        if (o.id == id) { o.quantity = q; found = true; }
      if (!found) throw Error(ErrorKind::Usage, std::string(what) + " names '" + id + "', which is not an output column");
    }
  };
  mark(amounts, Quantity::Amount, "amounts");
  mark(concentrations, Quantity::Concentration, "concentrations");
  return outputs;
}

int steps_from(const py::object& points, const py::object& steps) {
  if (!points.is_none() && !steps.is_none())
    throw Error(ErrorKind::Usage, "give points or steps, not both (points = steps + 1)");
  if (!steps.is_none()) return steps.cast<int>();
  if (!points.is_none()) {
    const int p = points.cast<int>();
    if (p < 2) throw Error(ErrorKind::Usage, "points must be at least 2 (the start and the end), got " + std::to_string(p));
    return p - 1;
  }
  return 100;
}

}  // namespace axisim::python
