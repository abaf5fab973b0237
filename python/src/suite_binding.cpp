// suite_binding.cpp — axisim.suite_settings(): an SBML Test Suite NNNNN-settings.txt as the
// library reads it (axisim/suite_settings.hpp), so that a case run from Python uses the same
// integration tolerances and outputs as `axisim simulate --settings` and the C++ suite runner.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "axisim/suite_settings.hpp"
#include "bindings.hpp"

namespace axisim::python {

void bind_suite(py::module_& m) {
  m.def(
      "suite_settings",
      [](const std::filesystem::path& path) {
        const SuiteSettings s = SuiteSettings::parse_file(path.string());
        const SimulationOptions o = s.simulation_options();
        py::list selections;
        for (const OutputSpec& spec : s.outputs())
          selections.append(py::make_tuple(spec.id, spec.quantity == Quantity::Amount          ? "amount"
                                                    : spec.quantity == Quantity::Concentration ? "concentration"
                                                                                               : "default"));
        py::dict d;
        d["start"] = o.start;
        d["end"] = o.end;
        d["steps"] = o.steps;
        d["atol"] = o.atol;
        d["rtol"] = o.rtol;
        d["selections"] = selections;
        py::dict out;
        out["simulate"] = d;  // m.simulate(**out["simulate"])
        out["variables"] = s.variables;
        out["absolute"] = s.absolute;  // the judging tolerances
        out["relative"] = s.relative;
        return out;
      },
      py::arg("path"),
      "Reads an SBML Test Suite settings file: {'simulate': keyword arguments for Model.simulate (the grid, the "
      "outputs with their amount/concentration choice, integration tolerances as `axisim simulate --settings` "
      "takes them), 'variables', 'absolute', 'relative' (the judging tolerances)}.");
}

}  // namespace axisim::python
