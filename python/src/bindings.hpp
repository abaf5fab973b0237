// bindings.hpp — the pieces of the `axisim._axisim` extension module, one file each, and the
// state they share.
//
// The extension is thin: every computation is the C++ library's (runtime/, batch/); these files
// only convert arguments and results, translate axisim::Error into Python exceptions
// (errors.cpp) and release the GIL around anything that may take long, so that Python threads
// run simulations in parallel. The Python package around it (python/axisim/) adds what is
// easier in Python: pandas, matplotlib, reading batch outputs back.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "axisim/model.hpp"

namespace axisim::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_logging(py::module_& m);
void bind_results(py::module_& m);
void bind_plugins(py::module_& m);
void bind_run_state(py::module_& m);
void bind_model(py::module_& m);
void bind_analyses(py::module_& m);
void bind_batch(py::module_& m);
void bind_suite(py::module_& m);
void bind_control(py::module_& m);

// Releases the GIL for a library call, as py::gil_scoped_release does, and when the call ends
// (returns or throws) takes it back and hands the log lines logged meanwhile, by this thread or
// any other, to Python's logging (logging_binding.cpp): a call's warnings are logged before it
// returns. Every binding releases the GIL with this.
class WithoutGil {
 public:
  WithoutGil();
  ~WithoutGil();
  WithoutGil(const WithoutGil&) = delete;
  WithoutGil& operator=(const WithoutGil&) = delete;

 private:
  std::optional<py::gil_scoped_release> release_;
};

// Delivers the log lines that threads without the GIL queued, to the logger "axisim". The GIL is held.
void flush_log();

// A model as Python holds it: the library's Model and what the library does not keep but the
// Python API needs (where it came from, for export and FBA; what was set and attached, for
// export).
struct PyModel {
  axisim::Model model;
  std::string source_path;  // the file it was read from; empty when read from a string
  std::string source_text;  // the SBML text when read from a string
  std::vector<std::string> set_ids;  // ids given to set_value, first-set order, no repeats
  std::map<std::string, std::map<std::string, double>> plugin_states;  // initial states given to attach
};

// Where plugins are looked for from Python: `extra` (the call's plugin_dirs), the directories of
// AXISIM_PLUGIN_PATH, then <prefix>/lib/axisim/plugins beside an installed package, the build
// tree's plugins and the configured installation's (the library's own search looks relative to
// the running program, which is the Python interpreter).
std::vector<std::string> plugin_dirs(const std::vector<std::string>& extra);
std::string& package_dir();  // the axisim package's folder (set by its __init__.py)

// "auto" / "dense" / ... to the library's enums; UsageError for any other name.
axisim::Quantity quantity_from_name(const std::string& name);
axisim::Backend backend_from_name(const std::string& name);

// Output columns from Python: a list whose items are ids or (id, "amount" | "concentration")
// pairs, then `amounts` and `concentrations` marking columns (as the CLI's --amounts does).
std::vector<axisim::OutputSpec> output_specs(const py::object& selections, const std::vector<std::string>& amounts,
                                             const std::vector<std::string>& concentrations,
                                             const axisim::Model& model);

// The output grid from Python's (start, end, points) or (start, end, steps): points = steps + 1.
int steps_from(const py::object& points, const py::object& steps);

}  // namespace axisim::python
