// estimation_plot.hpp — drawing a parameterEstimationResultPlot: each fit experiment's observable
// as its measured points (markers, no line) and the model at the fitted parameters at the same
// points (a line), one colour per observable, against the measurement times (a steady state's
// measurements against their number, 1, 2, ...). The plot is laid out here as a plot2D with
// styles and drawn by plot.hpp's draw_plot (gnuplot), as every other plot is.
#pragma once
#include <string>

#include "tasks/estimation.hpp"
#include "output/plot.hpp"

namespace axisim::sedml {

// Draws `plot` (a parameterEstimationResultPlot) of `run` to `base` + ".svg" and ".pdf". Throws
// what draw_plot throws (no gnuplot, gnuplot failing, a file not written).
DrawnPlot draw_estimation_plot(const Output& plot, const EstimationRun& run, const std::string& base);

}  // namespace axisim::sedml
