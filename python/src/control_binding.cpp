// control_binding.cpp — structure and control at a steady state: conserved moieties
// (axisim/moieties.hpp), metabolic control analysis and steady-state sensitivities
// (axisim/control_analysis.hpp), with axisim::Matrix as a labelled table that gives numpy arrays.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "axisim/control_analysis.hpp"
#include "axisim/error.hpp"
#include "axisim/matrix.hpp"
#include "axisim/moieties.hpp"
#include "bindings.hpp"

namespace axisim::python {

namespace {

SteadyStateOptions options_for(const std::string& method) {
  SteadyStateOptions o;
  const auto m = steady_state_method_from_name(method);
  if (!m) throw Error(ErrorKind::Usage, "unknown method '" + method + "' (auto, newton, pseudo-transient, integration)");
  o.method = *m;
  return o;
}

}  // namespace

void bind_control(py::module_& m) {
  py::class_<Matrix>(m, "Matrix", "A matrix with ids for its rows and columns (axisim/matrix.hpp).")
      .def_readonly("row_ids", &Matrix::row_ids)
      .def_readonly("column_ids", &Matrix::column_ids)
      .def_property_readonly("shape", [](const Matrix& x) { return py::make_tuple(x.rows(), x.cols()); })
      .def("at", &Matrix::at, py::arg("row"), py::arg("column"), "The entry of row id `row`, column id `column`.")
      .def("to_numpy", [](const Matrix& x) {
             py::array_t<double> a(std::vector<py::ssize_t>{static_cast<py::ssize_t>(x.rows()),
                                                             static_cast<py::ssize_t>(x.cols())});
             if (!x.values.empty()) std::copy(x.values.begin(), x.values.end(), a.mutable_data());
             return a;
           }, "The values as a rows x columns numpy array (a copy).")
      .def("to_pandas", [](const Matrix& x) {
             py::object pd = py::module_::import("pandas");
             py::array_t<double> a(std::vector<py::ssize_t>{static_cast<py::ssize_t>(x.rows()),
                                                             static_cast<py::ssize_t>(x.cols())});
             if (!x.values.empty()) std::copy(x.values.begin(), x.values.end(), a.mutable_data());
             return pd.attr("DataFrame")(a, py::arg("index") = x.row_ids, py::arg("columns") = x.column_ids);
           }, "A pandas DataFrame with the ids as index and columns.");

  py::class_<ConservationLaw>(m, "ConservationLaw")
      .def_readonly("species", &ConservationLaw::species)
      .def_readonly("coefficients", &ConservationLaw::coefficients)
      .def_readonly("total", &ConservationLaw::total)
      .def_readonly("dependent", &ConservationLaw::dependent);
  py::class_<MoietyAnalysis>(m, "MoietyAnalysis", "Conservation laws of the stoichiometry (axisim/moieties.hpp).")
      .def_readonly("species", &MoietyAnalysis::species)
      .def_readonly("reactions", &MoietyAnalysis::reactions)
      .def_readonly("independent", &MoietyAnalysis::independent)
      .def_readonly("dependent", &MoietyAnalysis::dependent)
      .def_readonly("laws", &MoietyAnalysis::laws)
      .def_readonly("link", &MoietyAnalysis::link)
      .def_readonly("offset", &MoietyAnalysis::offset)
      .def_readonly("stoichiometry", &MoietyAnalysis::stoichiometry)
      .def_readonly("reduced_stoichiometry", &MoietyAnalysis::reduced_stoichiometry)
      .def_readonly("link0", &MoietyAnalysis::link0)
      .def_readonly("kernel", &MoietyAnalysis::kernel)
      .def_readonly("free_reactions", &MoietyAnalysis::free_reactions)
      .def_readonly("rank", &MoietyAnalysis::rank)
      .def_readonly("exact", &MoietyAnalysis::exact)
      .def_readonly("tolerance", &MoietyAnalysis::tolerance)
      .def_property_readonly("excluded", [](const MoietyAnalysis& a) {
        std::vector<std::pair<std::string, std::string>> out;
        for (const auto& e : a.excluded) out.emplace_back(e.species, e.reason);
        return out;
      })
      .def_readonly("notes", &MoietyAnalysis::notes);
  m.def("_moieties", [](const PyModel& p) {
    const Model model = p.model;
    WithoutGil release;
    return conserved_moieties(model);
  });

  py::class_<ControlAnalysis::Theorems>(m, "ControlTheorems")
      .def_readonly("flux_summation", &ControlAnalysis::Theorems::flux_summation)
      .def_readonly("concentration_summation", &ControlAnalysis::Theorems::concentration_summation)
      .def_readonly("flux_connectivity", &ControlAnalysis::Theorems::flux_connectivity)
      .def_readonly("concentration_connectivity", &ControlAnalysis::Theorems::concentration_connectivity);
  py::class_<ControlAnalysis>(m, "ControlAnalysis", "Metabolic control analysis at a steady state.")
      .def_readonly("state", &ControlAnalysis::state)
      .def_readonly("species", &ControlAnalysis::species)
      .def_readonly("reactions", &ControlAnalysis::reactions)
      .def_readonly("concentrations", &ControlAnalysis::concentrations)
      .def_readonly("fluxes", &ControlAnalysis::fluxes)
      .def_readonly("elasticities", &ControlAnalysis::elasticities)
      .def_readonly("scaled_elasticities", &ControlAnalysis::scaled_elasticities)
      .def_readonly("flux_control", &ControlAnalysis::flux_control)
      .def_readonly("scaled_flux_control", &ControlAnalysis::scaled_flux_control)
      .def_readonly("concentration_control", &ControlAnalysis::concentration_control)
      .def_readonly("scaled_concentration_control", &ControlAnalysis::scaled_concentration_control)
      .def_readonly("theorems", &ControlAnalysis::theorems)
      .def_readonly("other_processes", &ControlAnalysis::other_processes)
      .def_readonly("notes", &ControlAnalysis::notes);
  m.def("_control_analysis", [](const PyModel& p, const std::string& method) {
    const auto o = options_for(method);
    const Model model = p.model;
    WithoutGil release;
    return control_analysis(model, o);
  });

  py::class_<SteadyStateSensitivities>(m, "SteadyStateSensitivities", "d steady state / d parameters.")
      .def_readonly("state", &SteadyStateSensitivities::state)
      .def_readonly("parameter_values", &SteadyStateSensitivities::parameter_values)
      .def_readonly("unscaled", &SteadyStateSensitivities::unscaled)
      .def_readonly("scaled", &SteadyStateSensitivities::scaled)
      .def_readonly("resolved", &SteadyStateSensitivities::resolved);
  m.def("_steady_state_sensitivities", [](const PyModel& p, const std::vector<std::string>& wrt,
                                          const py::object& selections, const std::string& method) {
    const auto o = options_for(method);
    const auto outputs = output_specs(selections, {}, {}, p.model);
    const Model model = p.model;
    WithoutGil release;
    return steady_state_sensitivities(model, wrt, o, outputs);
  });
}

}  // namespace axisim::python
