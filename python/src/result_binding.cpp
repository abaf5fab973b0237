// result_binding.cpp — axisim::Result and SolverStats in Python, with numpy views.
//
// A Result's values are one row-major block of doubles (axisim/result.hpp). to_numpy(), .time
// and r["S1"] return numpy arrays that view that block without copying; each holds a reference
// to the Result, which therefore lives as long as any view of it. The views are read-only: the
// table is what the run produced.
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/result.hpp"
#include "bindings.hpp"

namespace axisim::python {

namespace {

std::size_t column_index(const Result& r, std::string_view id) {
  for (std::size_t c = 0; c < r.cols(); ++c)
    if (r.columns()[c] == id) return c;
  throw Error(ErrorKind::UnknownId, "the result has no column '" + std::string(id) + "'");
}

py::array read_only(py::array a) {
  a.attr("flags").attr("writeable") = false;
  return a;
}

// A view of the table (rows x cols), or of one column (a strided view), owned by `self`.
py::array table_view(const Result& r, py::handle self) {
  const auto cols = static_cast<py::ssize_t>(r.cols());
  if (r.rows() == 0) return py::array_t<double>(std::vector<py::ssize_t>{0, cols});
  const std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(r.rows()), cols};
  const std::vector<py::ssize_t> strides{cols * static_cast<py::ssize_t>(sizeof(double)),
                                         static_cast<py::ssize_t>(sizeof(double))};
  return read_only(py::array_t<double>(shape, strides, r.row(0).data(), self));
}

py::array column_view(const Result& r, std::size_t c, py::handle self) {
  if (r.rows() == 0) return py::array_t<double>(0);
  const std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(r.rows())};
  const std::vector<py::ssize_t> strides{static_cast<py::ssize_t>(r.cols() * sizeof(double))};
  return read_only(py::array_t<double>(shape, strides, r.row(0).data() + c, self));
}

}  // namespace

void bind_results(py::module_& m) {
  py::class_<SolverStats>(m, "SolverStats",
                          "What the solver did in one run, summed over the restarts at events and discontinuities "
                          "(axisim/result.hpp).")
      .def_readonly("steps", &SolverStats::steps, "internal CVODE steps")
      .def_readonly("rhs_evaluations", &SolverStats::rhs_evaluations,
                    "right-hand side calls, Jacobian difference quotients included")
      .def_readonly("jacobian_rhs_evaluations", &SolverStats::jacobian_rhs_evaluations)
      .def_readonly("jacobian_evaluations", &SolverStats::jacobian_evaluations)
      .def_readonly("linear_solver_setups", &SolverStats::linear_solver_setups)
      .def_readonly("newton_iterations", &SolverStats::newton_iterations)
      .def_readonly("error_test_failures", &SolverStats::error_test_failures)
      .def_readonly("convergence_failures", &SolverStats::convergence_failures)
      .def_readonly("linear_iterations", &SolverStats::linear_iterations)
      .def_readonly("root_stops", &SolverStats::root_stops)
      .def_readonly("linear_solver", &SolverStats::linear_solver, "'dense', 'sparse (KLU)', ...")
      .def_readonly("jacobian", &SolverStats::jacobian, "'analytic', 'analytic + N numeric columns' or 'numeric'")
      .def_readonly("backend", &SolverStats::backend, "'interpreter' or 'native' (at the end of the run)")
      .def_readonly("integration_seconds", &SolverStats::integration_seconds)
      .def_readonly("load_seconds", &SolverStats::load_seconds)
      .def_readonly("native_compile_seconds", &SolverStats::native_compile_seconds)
      .def("__repr__", [](const SolverStats& s) {
        return "SolverStats(steps=" + std::to_string(s.steps) + ", rhs_evaluations=" +
               std::to_string(s.rhs_evaluations) + ", linear_solver='" + s.linear_solver + "', jacobian='" +
               s.jacobian + "', backend='" + s.backend + "')";
      });

  py::class_<Result>(m, "Result",
                     "A simulation's output table: column 'time' first, then one column per output id, one row "
                     "per output time (axisim/result.hpp).\n\n"
                     "r.time and r['S1'] are numpy views of a column, r.to_numpy() of the whole table (no copy; "
                     "read-only). r.to_pandas() and r.plot() need pandas and matplotlib.")
      .def(py::init([](std::vector<std::string> columns, py::array_t<double, py::array::c_style | py::array::forcecast> values) {
             Result r(std::move(columns));
             if (values.ndim() != 2 || static_cast<std::size_t>(values.shape(1)) != r.cols())
               throw Error(ErrorKind::Usage, "Result(columns, values): values must be a 2-d array with one column "
                                             "per name (" + std::to_string(r.cols()) + ")");
             for (py::ssize_t i = 0; i < values.shape(0); ++i)
               r.append_row(std::span<const double>(values.data(i, 0), r.cols()));
             return r;
           }),
           py::arg("columns"), py::arg("values"), "A table from column names and a rows x columns array (copied).")
      .def_property_readonly("columns", &Result::columns, "Column names, 'time' first.")
      .def_property_readonly("ids", [](const Result& r) {
             return std::vector<std::string>(r.columns().begin() + (r.cols() > 0 ? 1 : 0), r.columns().end());
           }, "The output ids (the columns after 'time').")
      .def_property_readonly("rows", &Result::rows)
      .def("__len__", &Result::rows, "The number of rows (output times).")
      .def_property_readonly("time", [](py::object self) {
             const Result& r = self.cast<const Result&>();
             return column_view(r, 0, self);
           }, "The output times (a numpy view, no copy).")
      .def("__getitem__", [](py::object self, const std::string& id) {
             const Result& r = self.cast<const Result&>();
             return column_view(r, column_index(r, id), self);
           }, py::arg("id"), "The column of `id` (a numpy view, no copy); UnknownIdError if there is none.")
      .def("__contains__", [](const Result& r, const std::string& id) {
             for (const auto& c : r.columns()) if (c == id) return true;
             return false;
           })
      .def("keys", &Result::columns, "Column names, 'time' first (as a dict's keys).")
      .def("to_numpy", [](py::object self) { return table_view(self.cast<const Result&>(), self); },
           "The whole table as a rows x columns numpy array of float64 that views the result's memory (no copy, "
           "read-only; it keeps the result alive). np.array(r.to_numpy()) for a copy you can change.")
      .def("__array__", [](py::object self, py::args, py::kwargs) {  // numpy's protocol (dtype, copy: numpy converts)
             return table_view(self.cast<const Result&>(), self);
           })
      .def("to_csv", [](const Result& r, const std::string& path) { write_csv_file(r, path); }, py::arg("path"),
           "Writes the table as `axisim simulate -o` does (the SBML Test Suite's layout, numbers in the shortest "
           "form that reads back to the same double), whole or not at all.")
      .def("csv", [](const Result& r) {
             std::ostringstream out;
             write_csv(r, out);
             return out.str();
           }, "The table as the CSV text `axisim simulate` writes.")
      .def_readonly("stats", &Result::stats, "The solver's statistics (SolverStats).")
      .def_readonly("error", &Result::error,
                    "Empty when the run reached the end; otherwise why it stopped early (a plugin fault, a time "
                    "limit): the rows so far are kept.")
      .def_readonly("timed_out", &Result::timed_out, "The run passed max_seconds and was stopped.")
      .def("__repr__", [](const Result& r) {
        std::string cols;
        for (std::size_t c = 0; c < r.cols() && c < 6; ++c) cols += (c ? ", " : "") + r.columns()[c];
        if (r.cols() > 6) cols += ", ... (" + std::to_string(r.cols()) + " columns)";
        return "<axisim.Result " + std::to_string(r.rows()) + " rows: " + cols + ">";
      });
}

}  // namespace axisim::python
