// result_shape.hpp — the shape of a task's results as BioSimulators gives it, for reports.h5.
//
// The executor keeps every variable of a task as one flat series: for a repeated task the
// values of iteration 0 sub-task 0, then iteration 0 sub-task 1, ..., in the order they ran
// (the CSV reports hold exactly that). A Layout records how that series was made, and
// `shaped` turns it into BioSimulators' array (biosimulators_utils' exec_repeated_task and
// pad_arrays_to_consistent_shapes):
//   - a plain task: (points), e.g. numberOfPoints + 1 for a uniform time course, 2 for oneStep,
//     1 for a steady state; () for flux balance analysis (one scalar);
//   - a repeated task: (iterations, sub-tasks, d1, d2, ...) where d1, d2, ... is the largest
//     shape of its sub-tasks' results, dimension by dimension; a result of lower rank is given
//     trailing dimensions of length 1 first, and everything missing is NaN. A nested repeated
//     task so adds two dimensions per level.
// `pad_common` does the same across the data sets of one report (the HDF5 dataset's rows).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace axisim::sedml {

struct Layout {
  bool repeated = false;
  std::size_t points = 0;          // a plain task: values per variable
  // A plain task whose one value is a scalar, shape () (""): flux balance analysis, whose
  // results BioSimulators keeps as scalars (the E. coli core reference: data sets of shape "").
  bool scalar = false;
  std::size_t subtasks = 0;        // a repeated task: sub-tasks per iteration
  std::vector<Layout> children;    // a repeated task: iterations x sub-tasks, in the order run
  std::size_t size() const;        // values per variable in the flat series
};

struct NdArray {
  std::vector<std::size_t> dims;
  std::vector<double> values;  // row-major, product(dims) values
};

// The flat series `flat` (layout.size() values) as BioSimulators' padded array.
NdArray shaped(const Layout& layout, const std::vector<double>& flat);

// Pads every array to one shape (the largest, dimension by dimension; lower ranks get trailing
// dimensions of length 1, or 0 for an empty array; a scalar counts as (1)), with NaN. Returns
// that shape.
std::vector<std::size_t> pad_common(std::vector<NdArray>& arrays);

// How many values of the flat series each line of a plot takes: one line per iteration of the
// innermost repeated tasks (its sub-tasks' runs one after another, so a pulse continued by a
// second sub-task stays one line), a plain task's points as one line. A repeated task whose
// sub-tasks are themselves repeated gives each inner iteration its own line, not one per outer
// iteration. Empty runs are left out.
std::vector<std::size_t> innermost_runs(const Layout& layout);

// "601" or "3,2,11": a shape as BioSimulators writes it in sedmlDataSetShapes.
std::string shape_text(const std::vector<std::size_t>& dims);

}  // namespace axisim::sedml
