// model_binding.cpp — axisim.Model: load, ids, values by id, plugins, simulate (and continue a
// run: simulate_from, run_state_binding.cpp), export.
//
// Threads. Loading, simulating and exporting release the GIL. simulate() runs on a copy of the
// Model taken while the GIL is held (a copy shares the compiled system and is cheap:
// axisim/model.hpp), so another Python thread may set values or attach plugins on the same
// object meanwhile without a data race; the run sees the values as they were when it was called.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <tuple>
#include <unistd.h>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "axisim/error.hpp"
#include "axisim/export.hpp"
#include "axisim/plugin_host.hpp"
#include "axisim/run_state.hpp"
#include "axisim/scenario.hpp"
#include "bindings.hpp"

namespace axisim::python {

namespace {

const char* kind_name(SymbolKind k) {
  switch (k) {
    case SymbolKind::Compartment: return "compartment";
    case SymbolKind::Species: return "species";
    case SymbolKind::Parameter: return "parameter";
    case SymbolKind::SpeciesReference: return "species_reference";
    case SymbolKind::Reaction: return "reaction";
    case SymbolKind::LocalParameter: return "local_parameter";
  }
  return "";
}

// The names linear_solver_from_name and jacobian_from_name read.
const char* name_of(LinearSolver s) {
  switch (s) {
    case LinearSolver::Auto: return "auto";
    case LinearSolver::Dense: return "dense";
    case LinearSolver::Sparse: return "sparse";
    case LinearSolver::Iterative: return "iterative";
  }
  return "auto";
}
const char* name_of(JacobianKind j) {
  switch (j) {
    case JacobianKind::Auto: return "auto";
    case JacobianKind::Analytic: return "analytic";
    case JacobianKind::Numeric: return "numeric";
  }
  return "auto";
}

bool looks_like_sbml(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string::npos && text[first] == '<';
}

PyModel load_model(const std::string& source, bool validate, const std::string& backend, bool ignore_fast) {
  LoadOptions options;
  options.validate = validate;
  options.backend = backend_from_name(backend);
  options.ignore_fast = ignore_fast;
  const bool is_text = looks_like_sbml(source);
  WithoutGil release;
  if (is_text) return PyModel{Model::from_string(source, options), "", source, {}, {}};
  return PyModel{Model::from_file(source, options), std::filesystem::absolute(source).string(), "", {}, {}};
}

Plugin load_plugin(const py::object& plugin, const std::vector<std::string>& dirs) {
  if (py::isinstance<Plugin>(plugin)) return plugin.cast<Plugin>();
  const std::string name = py::str(plugin);
  const auto search = plugin_dirs(dirs);
  WithoutGil release;
  return Plugin::load(name, search);
}

// The plugins the model file records (an `axisim export` annotation), attached as the CLI's
// simulate does, except those attached already.
void attach_recorded(PyModel& m, const std::vector<std::string>& dirs) {
  for (const PluginRecord& r : m.model.recorded_plugins()) {
    bool attached = false;
    for (const auto& a : m.model.plugins()) attached |= a.name == r.name;
    if (attached) continue;
    const Plugin p = Plugin::load(r.name, plugin_dirs(dirs));
    if (!r.version.empty() && p.version() != r.version)
      PyErr_WarnEx(PyExc_UserWarning,
                   ("the model was exported with plugin '" + r.name + "' " + r.version + "; attaching version " +
                    p.version()).c_str(), 1);
    m.model.attach(p, std::vector<std::pair<std::string, double>>(r.parameters.begin(), r.parameters.end()), r.states);
    m.plugin_states[r.name] = r.states;
  }
}

// The model's source as a file: its own path, or its text written to a temporary file (removed
// by the returned guard) for a model read from a string.
struct SourceFile {
  std::string path;
  bool temporary = false;
  ~SourceFile() {
    if (temporary) std::filesystem::remove(path);
  }
};
std::unique_ptr<SourceFile> source_file(const PyModel& m) {
  auto f = std::make_unique<SourceFile>();
  if (!m.source_path.empty()) {
    f->path = m.source_path;
    return f;
  }
  static std::atomic<unsigned> counter{0};
  f->path = (std::filesystem::temp_directory_path() /
             ("axisim-python-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".xml"))
                .string();
  std::ofstream out(f->path, std::ios::binary);
  out << m.source_text;
  out.close();
  if (!out) throw Error(ErrorKind::Io, "cannot write a temporary copy of the model to " + f->path);
  f->temporary = true;
  return f;
}

ExportOptions export_options(const PyModel& m, unsigned level, unsigned version, std::optional<double> at_time,
                             bool flatten, double atol, double rtol) {
  ExportOptions o;
  o.level = level;
  o.version = version;
  o.at_time = at_time;
  o.flatten = flatten;
  o.simulation.atol = atol;
  o.simulation.rtol = rtol;
  // What was set, in the quantity export takes (the default one): the value at time 0 of each id.
  for (const std::string& id : m.set_ids) o.set.emplace_back(id, m.model.initial_value(id));
  for (const auto& a : m.model.plugins()) {
    PluginRecord r;
    r.name = a.name;
    r.version = a.version;
    r.path = a.path;
    r.parameters = std::map<std::string, double>(a.parameters.begin(), a.parameters.end());
    if (auto it = m.plugin_states.find(a.name); it != m.plugin_states.end()) r.states = it->second;
    o.plugins.push_back(std::move(r));
  }
  return o;
}

// simulate(start, ...) and simulate_from(state, start, ...) share one body: they differ only in
// their leading arguments, Lead = (double start) or (const RunState& state, optional start), given
// explicitly (&simulate_run<double>). With end_state the return is (result, state), the state
// None when the run stopped early (a plugin fault, a time limit: the library leaves it empty).
template <class... Lead>
py::object simulate_run(const PyModel& p, Lead... lead, double end, const py::object& points, const py::object& steps,
                        const py::object& selections, const std::vector<std::string>& amounts,
                        const std::vector<std::string>& concentrations, double atol, double rtol, long max_steps,
                        unsigned long long seed, const std::string& linear_solver, const std::string& jacobian,
                        double max_seconds, bool reduce_moieties, bool end_state) {
  constexpr bool kContinued = sizeof...(Lead) == 2;
  const auto leading = std::forward_as_tuple(lead...);
  RunState from;  // a copy taken while the GIL is held: Python may change its own meanwhile
  SimulationOptions o;
  if constexpr (kContinued) {
    from = std::get<0>(leading);
    o.start = std::get<1>(leading) ? *std::get<1>(leading) : from.time();
  } else {
    o.start = std::get<0>(leading);
  }
  o.end = end;
  o.steps = steps_from(points, steps);
  o.atol = atol;
  o.rtol = rtol;
  o.max_steps = max_steps;
  o.seed = seed;
  const auto ls = linear_solver_from_name(linear_solver);
  if (!ls) throw Error(ErrorKind::Usage, "unknown linear_solver '" + linear_solver + "' (auto, dense, sparse, iterative)");
  o.linear_solver = *ls;
  const auto jk = jacobian_from_name(jacobian);
  if (!jk) throw Error(ErrorKind::Usage, "unknown jacobian '" + jacobian + "' (auto, analytic, numeric)");
  o.jacobian = *jk;
  o.max_seconds = max_seconds;
  o.reduce_moieties = reduce_moieties;
  const auto outputs = output_specs(selections, amounts, concentrations, p.model);
  const Model model = p.model;  // the values as they are now (see the header)
  RunState ended;
  RunState* const end_at = end_state ? &ended : nullptr;
  Result r;
  {
    WithoutGil release;
    if constexpr (kContinued) r = model.simulate_from(from, o, outputs, end_at);
    else r = model.simulate(o, outputs, end_at);
  }
  if (!end_state) return py::cast(std::move(r));
  return py::make_tuple(std::move(r), ended.empty() ? py::object(py::none()) : py::cast(std::move(ended)));
}

// Binds simulate or simulate_from: `leading` (their own arguments, and the docstring), then the
// keyword arguments both take, in simulate_run's order.
template <class F, class... Leading>
void def_run(py::class_<PyModel>& cls, const char* name, F f, Leading&&... leading) {
  cls.def(name, f, std::forward<Leading>(leading)..., py::kw_only(), py::arg("steps") = py::none(),
          py::arg("selections") = py::none(), py::arg("amounts") = std::vector<std::string>{},
          py::arg("concentrations") = std::vector<std::string>{}, py::arg("atol") = 1e-12, py::arg("rtol") = 1e-8,
          py::arg("max_steps") = 500000L, py::arg("seed") = 0x5eedULL, py::arg("linear_solver") = "auto",
          py::arg("jacobian") = "auto", py::arg("max_seconds") = 0.0, py::arg("reduce_moieties") = false,
          py::arg("end_state") = false);
}

}  // namespace

void bind_model(py::module_& m) {
  py::class_<PyModel> model(m, "Model",
                      "An SBML model compiled for simulation (axisim/model.hpp). Make one with axisim.load().\n\n"
                      "m['k1'] reads an id's value at time 0, m['k1'] = 0.5 sets its initial value; m.ids lists every "
                      "id; m.simulate(...) integrates it. Copying (copy.copy(m), m.copy()) is cheap: copies share "
                      "the compiled system and have their own values and plugins.");
  model.def_property_readonly("id", [](const PyModel& p) { return p.model.id(); }, "The SBML model's id.")
      .def_property_readonly("source", [](const PyModel& p) -> py::object {
             if (p.source_path.empty()) return py::none();
             return py::str(p.source_path);
           }, "The absolute path of the file the model was read from (None when read from a string).")
      .def_property_readonly("ids", [](const PyModel& p) { return p.model.ids(); },
                             "Every id that m[id], simulate's selections and set_value accept: compartments, "
                             "species, parameters, species references, reactions; local parameters as "
                             "'reaction.parameter'.")
      .def("has_id", [](const PyModel& p, const std::string& id) { return p.model.has_id(id); }, py::arg("id"))
      .def("__contains__", [](const PyModel& p, const std::string& id) { return p.model.has_id(id); })
      .def("kind", [](const PyModel& p, const std::string& id) { return kind_name(p.model.kind(id)); }, py::arg("id"),
           "'compartment', 'species', 'parameter', 'species_reference', 'reaction' or 'local_parameter'; "
           "UnknownIdError for an id the model lacks.")
      .def(
          "set_value",
          [](PyModel& p, const std::string& id, double value, const std::string& quantity) {
            p.model.set_value(id, value, quantity_from_name(quantity));
            if (std::find(p.set_ids.begin(), p.set_ids.end(), id) == p.set_ids.end()) p.set_ids.push_back(id);
          },
          py::arg("id"), py::arg("value"), py::arg("quantity") = "default",
          "Sets the initial value of a symbol (quantity 'default', 'amount' or 'concentration' for species). It "
          "replaces the model's value and any initial assignment to it; initial assignments and rules that depend on "
          "it are recomputed at the start of each simulation. Symbols set by an assignment rule, and parameters an "
          "attached plugin drives, cannot be set (UsageError); an unknown id raises UnknownIdError.")
      .def("__setitem__", [](PyModel& p, const std::string& id, double value) {
             p.model.set_value(id, value);
             if (std::find(p.set_ids.begin(), p.set_ids.end(), id) == p.set_ids.end()) p.set_ids.push_back(id);
           }, py::arg("id"), py::arg("value"), "m[id] = value: set_value(id, value).")
      .def(
          "initial_value",
          [](const PyModel& p, const std::string& id, const std::string& quantity) {
            return p.model.initial_value(id, quantity_from_name(quantity));
          },
          py::arg("id"), py::arg("quantity") = "default",
          "The value of a symbol at time 0, after initial assignments and rules.")
      .def("__getitem__", [](const PyModel& p, const std::string& id) { return p.model.initial_value(id); },
           py::arg("id"), "m[id]: initial_value(id).")
      .def(
          "attach",
          [](PyModel& p, const py::object& plugin, const std::optional<std::map<std::string, double>>& initial_states,
             const std::vector<std::string>& dirs, const py::kwargs& parameters) {
            const Plugin loaded = load_plugin(plugin, dirs);
            std::vector<std::pair<std::string, double>> params;
            for (auto item : parameters) params.emplace_back(py::str(item.first), item.second.cast<double>());
            const auto states = initial_states.value_or(std::map<std::string, double>{});
            p.model.attach(loaded, params, states);
            p.plugin_states[loaded.name()] = states;
          },
          py::arg("plugin"), py::kw_only(), py::arg("initial_states") = py::none(),
          py::arg("plugin_dirs") = std::vector<std::string>{},
          "Attaches a tissue plugin (a name looked up on the plugin path, a path to its library, or an "
          "axisim.Plugin) and sets its parameters: m.attach('bone', a_IGF=0.2). It binds the plugin's inputs and "
          "effects to this model's ids; its states are integrated with the model's and reported as "
          "'<plugin>.<name>'. PluginError names the plugin and the id or parameter that does not fit.")
      .def_property_readonly("plugins", [](const PyModel& p) {
             py::list out;
             for (const auto& a : p.model.plugins()) {
               py::dict d;
               d["name"] = a.name;
               d["version"] = a.version;
               d["path"] = a.path;
               d["parameters"] = py::cast(std::map<std::string, double>(a.parameters.begin(), a.parameters.end()));
               d["states"] = a.states;
               out.append(d);
             }
             return out;
           }, "The attached plugins: name, version, path, every parameter with its value, the names of its states.")
      .def_property_readonly("recorded_plugins", [](const PyModel& p) {
             py::list out;
             for (const auto& r : p.model.recorded_plugins()) {
               py::dict d;
               d["name"] = r.name;
               d["version"] = r.version;
               d["parameters"] = r.parameters;
               d["states"] = r.states;
               out.append(d);
             }
             return out;
           }, "Plugins the SBML file records (written by `axisim export --plugin`); load() attaches them.")
      .def("attach_recorded", &attach_recorded, py::arg("plugin_dirs") = std::vector<std::string>{},
           "Attaches the plugins the model file records, except those attached already (load() does this unless "
           "attach_recorded=False).")
      .def(
          "set_plugin_parameter",
          [](PyModel& p, const std::string& plugin, const std::string& parameter, double value) {
            p.model.set_plugin_parameter(plugin, parameter, value);
          },
          py::arg("plugin"), py::arg("parameter"), py::arg("value"),
          "Sets an attached plugin's parameter, as attach's keyword arguments do: the plugin gets the value from "
          "the next run on, a run continued with simulate_from included (from the time its state holds). Copies "
          "made before keep the old value. UnknownIdError names the plugin that is not attached or the parameter "
          "it lacks.");
  def_run(model, "simulate", &simulate_run<double>, py::arg("start") = 0.0, py::arg("end") = 10.0,
          py::arg("points") = py::none(),
          R"(Integrates the model and returns an axisim.Result (with end_state=True, a pair
(result, axisim.RunState): where the run ended, to continue from with simulate_from; None in
place of the state when the run stopped early).

The model's initial state holds at time 0, as in SBML; `start` is the first reported time (the run
integrates silently from 0 to start). The result has `points` rows (equal intervals; default 101),
or steps + 1 with `steps`.

selections: output columns, ids (species, compartments, parameters, species references, reactions
  for their rates, plugin outputs and states as 'plugin.name'), or (id, 'amount' | 'concentration')
  pairs; default: every species in its default quantity, then every plugin output.
amounts, concentrations: ids of selected species to report as amounts or concentrations (as the
  CLI's --amounts, --concentrations; without selections they choose among all species).
atol, rtol: CVODE's tolerances (every state absolute; relative). max_steps: internal steps allowed
  between two output times. seed: the draw of the order of simultaneous events of equal priority.
linear_solver: 'auto', 'dense', 'sparse' or 'iterative'; jacobian: 'auto', 'analytic', 'numeric'.
max_seconds: a wall-time limit (0: none); the run stops cleanly, result.timed_out is set.
reduce_moieties: integrate the system reduced by its conservation laws.

Raises SolverError when CVODE fails, UnknownIdError for an unknown output. A plugin fault stops the
run cleanly: the result holds the rows so far and result.error names the plugin. The GIL is released
while it runs: Python threads simulate in parallel.)");
  def_run(model, "simulate_from", &simulate_run<const RunState&, std::optional<double>>, py::arg("state"),
          py::arg("start") = py::none(), py::arg("end") = 10.0, py::arg("points") = py::none(),
          R"(Continues a run from `state` (an axisim.RunState that a run of this model or a copy of
it ended in, with the same plugins attached; UsageError otherwise) and returns an axisim.Result, or
(result, end state) with end_state=True, as simulate() does.

start and end are times on the run's own clock; start defaults to state.time and may not be
before it (the run integrates silently from state.time to start). The state holds every value:
the values set on this model are not used, its plugins' parameters are (set_plugin_parameter).
The other arguments are simulate()'s.)");
  model
      .def(
          "export",
          [](const PyModel& p, const std::filesystem::path& path, unsigned level, unsigned version,
             std::optional<double> at_time, bool flatten, double atol, double rtol) {
            const ExportOptions o = export_options(p, level, version, at_time, flatten, atol, rtol);
            const auto source = source_file(p);
            WithoutGil release;
            export_sbml(source->path, path.string(), o);
          },
          py::arg("path"), py::kw_only(), py::arg("level") = 0u, py::arg("version") = 0u,
          py::arg("at_time") = py::none(), py::arg("flatten") = false, py::arg("atol") = 1e-12,
          py::arg("rtol") = 1e-8,
          "Writes the model as SBML for other tools (axisim/export.hpp), with the values set on it and its attached "
          "plugins recorded: level/version (0, 0: the document's own; converted strictly, UnsupportedError when "
          "something would be lost), at_time (the state at that time becomes the initial state), flatten (a comp "
          "model as one flat model). Checked by libSBML before it is written; the file appears whole or not at all.")
      .def(
          "to_sbml",
          [](const PyModel& p, unsigned level, unsigned version, std::optional<double> at_time, bool flatten) {
            const ExportOptions o = export_options(p, level, version, at_time, flatten, 1e-12, 1e-8);
            const auto source = source_file(p);
            WithoutGil release;
            return export_sbml_string(source->path, o);
          },
          py::arg("level") = 0u, py::arg("version") = 0u, py::arg("at_time") = py::none(),
          py::arg("flatten") = false, "As export(), returning the SBML text.")
      .def("copy", [](const PyModel& p) { return p; }, "An independent copy (cheap: the compiled system is shared).")
      .def("__copy__", [](const PyModel& p) { return p; })
      .def("__deepcopy__", [](const PyModel& p, py::dict) { return p; })
      .def("__repr__", [](const PyModel& p) {
        return "<axisim.Model '" + p.model.id() + "'" + (p.source_path.empty() ? "" : " from " + p.source_path) + ">";
      });

  m.def(
      "_load",
      [](const std::string& source, bool validate, const std::string& backend, bool ignore_fast,
         bool recorded_plugins, const std::vector<std::string>& dirs) {
        PyModel p = load_model(source, validate, backend, ignore_fast);
        if (recorded_plugins) attach_recorded(p, dirs);
        return p;
      },
      py::arg("source"), py::arg("validate"), py::arg("backend"), py::arg("ignore_fast"),
      py::arg("attach_recorded"), py::arg("plugin_dirs"));

  m.def(
      "load_scenario",
      [](const std::filesystem::path& file, const std::vector<std::string>& dirs) {
        const std::string path = file.string();
        const Scenario s = Scenario::load(path);
        if (s.model_path.empty()) throw Error(ErrorKind::Usage, "the scenario " + path + " names no model");
        LoadOptions lo;
        lo.ignore_fast = s.ignore_fast;
        PyModel p{Model::from_file(s.model_path, lo), s.model_path, "", {}, {}};
        s.apply(p.model);
        for (const auto& [id, value] : s.set) {
          (void)value;
          if (std::find(p.set_ids.begin(), p.set_ids.end(), id) == p.set_ids.end()) p.set_ids.push_back(id);
        }
        for (const PluginRequest& r : s.plugins) {
          const Plugin plugin = Plugin::load(r.name, plugin_dirs(dirs));
          p.model.attach(plugin, r.parameters);
          p.plugin_states[plugin.name()] = {};
        }
        attach_recorded(p, dirs);
        py::dict options;
        options["start"] = s.options.start;
        options["end"] = s.options.end;
        options["steps"] = s.options.steps;
        options["atol"] = s.options.atol;
        options["rtol"] = s.options.rtol;
        options["linear_solver"] = name_of(s.options.linear_solver);
        options["jacobian"] = name_of(s.options.jacobian);
        options["selections"] = s.select.empty() ? py::object(py::none()) : py::cast(s.select);
        return py::make_tuple(p, options, s.name, s.description);
      },
      py::arg("path"), py::arg("plugin_dirs") = std::vector<std::string>{},
      "Reads a scenario file (TOML, axisim/scenario.hpp): loads its model, applies its values, attaches its "
      "plugins. Returns (model, options, name, description); model.simulate(**options) runs the scenario as "
      "`axisim simulate --scenario FILE` does.");
}

}  // namespace axisim::python
