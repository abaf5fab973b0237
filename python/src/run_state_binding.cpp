// run_state_binding.cpp — axisim.RunState: where a run ended, to continue from
// (axisim/run_state.hpp). Model.simulate(..., end_state=True) and Model.ssa(..., end_state=True)
// hand one back; Model.simulate_from and Model.ssa(from_states=...) continue it.
//
// A RunState is a value: copies share an immutable snapshot until one of them is changed
// (set_value replaces the copy's snapshot), so copy.copy(s) is cheap and the original keeps its
// values. Nothing here takes long, so nothing releases the GIL.
#include <pybind11/stl.h>

#include "axisim/run_state.hpp"
#include "bindings.hpp"

namespace axisim::python {

void bind_run_state(py::module_& m) {
  py::class_<RunState>(m, "RunState",
                       "Where a run ended, to continue from as if it had not stopped (axisim/run_state.hpp): the "
                       "time, every value, the attached plugins' states, the delayed events waiting to execute, "
                       "each trigger's last value, the past delay() reads.\n\n"
                       "r, s = m.simulate(0, 5, end_state=True); s['k1'] = 2.0; m.simulate_from(s, end=10) goes on "
                       "at t = 5 with k1 = 2 as one run over [0, 10] would have with that change. Only the model it "
                       "came from (or a copy, same plugins attached) can continue it. RunState() is empty; "
                       "RunState.start(m, t0) is a run not begun yet whose clock starts at t0.")
      .def(py::init<>(), "An empty state (no run has filled it): every read raises UsageError.")
      .def_static(
          "start",
          [](const PyModel& p, double time, unsigned long long seed) {
            const Model model = p.model;  // the values as they are now
            WithoutGil release;
            return RunState::start(model, time, seed);
          },
          py::arg("model"), py::arg("time"), py::kw_only(), py::arg("seed") = 0x5eedULL,
          "The model's initial state (its set values, initial assignments, plugins' initial states) placed at "
          "`time`: simulate_from(RunState.start(m, t0), ...) is the run simulate() would be with the model's clock "
          "reading t0 where it reads 0. seed orders simultaneous events of equal priority. UsageError for a time "
          "that is not finite, InvalidSbmlError for values the model needs and never defines.")
      .def_property_readonly("empty", &RunState::empty, "No run has filled it.")
      .def_property_readonly("time", &RunState::time, "The time where the run ended.")
      .def(
          "value",
          [](const RunState& s, const std::string& id, const std::string& quantity) {
            return s.value(id, quantity_from_name(quantity));
          },
          py::arg("id"), py::arg("quantity") = "default",
          "A symbol's value at .time (quantity 'default', 'amount' or 'concentration' for species), or an "
          "attached plugin's state as 'plugin.state'. UnknownIdError for an id the model lacks.")
      .def("__getitem__", [](const RunState& s, const std::string& id) { return s.value(id); }, py::arg("id"),
           "s[id]: value(id).")
      .def(
          "set_value",
          [](RunState& s, const std::string& id, double value, const std::string& quantity) {
            s.set_value(id, value, quantity_from_name(quantity));
          },
          py::arg("id"), py::arg("value"), py::arg("quantity") = "default",
          "Changes a value at .time for the run that continues from here (SED-ML's setValue): species, "
          "compartments (species are not rescaled), parameters, plugins' states ('plugin.state'). Rules and "
          "triggers see the change when the run goes on (a trigger it makes true fires at .time); initial "
          "assignments are not recomputed. UsageError for symbols an assignment rule sets and for reactions, "
          "UnknownIdError for an id the model lacks. Copies made before keep their values.")
      .def("__setitem__", [](RunState& s, const std::string& id, double value) { s.set_value(id, value); },
           py::arg("id"), py::arg("value"), "s[id] = value: set_value(id, value).")
      .def_property_readonly(
          "pending",
          [](const RunState& s) {
            std::vector<std::pair<std::string, double>> out;
            for (const RunState::PendingExecution& p : s.pending()) out.emplace_back(p.event, p.time);
            return out;
          },
          "The delayed events' executions waiting at .time, in the order they were scheduled: (event id, the time "
          "it executes). A run continued from here executes them then.")
      .def("copy", [](const RunState& s) { return s; }, "A copy (cheap: the snapshot is shared until changed).")
      .def("__copy__", [](const RunState& s) { return s; })
      .def("__deepcopy__", [](const RunState& s, py::dict) { return s; })
      .def("__repr__", [](const RunState& s) {
        if (s.empty()) return std::string("<axisim.RunState empty>");
        return "<axisim.RunState at t = " + py::repr(py::float_(s.time())).cast<std::string>() + ", " +
               std::to_string(s.pending().size()) + " pending>";
      });
}

}  // namespace axisim::python
