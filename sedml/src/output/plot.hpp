// plot.hpp — drawing a SED-ML plot2D / plot3D as SVG and PDF with gnuplot (Debian's gnuplot-nox,
// its `svg` and `pdfcairo` terminals). gnuplot runs as a child process on a script and a data
// file that plot.cpp writes in a temporary folder (every string in the script single-quoted, so
// no id or name is ever read as gnuplot syntax), with a time limit; the finished files are then
// written to their places under a temporary name and renamed, so no half-written plot is left.
// See docs/sedml.md ("Plots").
#pragma once
#include <string>
#include <vector>

#include "document/document.hpp"

namespace axisim::sedml {

// One curve, shaded area or surface of a plot, with its data (the data generators' values).
struct PlotData {
  const PlotItem* item = nullptr;
  const Series* x = nullptr;
  const Series* y = nullptr;       // curve, surface
  const Series* z = nullptr;       // surface
  const Series* y_from = nullptr;  // shadedArea
  const Series* y_to = nullptr;
  // Version 4 error bars (curves): each point's error, or null
  const Series* x_err_upper = nullptr;
  const Series* x_err_lower = nullptr;
  const Series* y_err_upper = nullptr;
  const Series* y_err_lower = nullptr;
  // The series hold runs one after another (the innermost iterations of a repeated task, as
  // result_shape.hpp's innermost_runs gives them), this many values each: each is drawn as a
  // line of its own (as tellurium draws them), in the item's one style. Empty: one run.
  std::vector<std::size_t> runs;
  std::string label;  // the legend entry: the item's name, else its y data generator's name or id
};

struct DrawnPlot {
  std::string svg, pdf;               // the files written
  std::vector<std::string> warnings;  // points dropped, unknown style values, ...
};

// The gnuplot program on PATH, or "" when there is none.
std::string find_gnuplot();

// Draws the plot to `base` + ".svg" and `base` + ".pdf". `x_label` labels the x axis when the
// plot has no Version 4 xAxis name. Throws Error(Unsupported) when gnuplot is not installed or an
// item's type cannot be drawn (named), Error(InvalidSbml) when there is nothing to draw, Error(Io)
// when gnuplot fails or runs out its time limit, or a file cannot be written.
DrawnPlot draw_plot(const Output& plot, const std::vector<Style>& styles, const std::vector<PlotData>& data,
                    const std::string& x_label, const std::string& base);

// One plot of a figure, with its data as for draw_plot.
struct FigurePanel {
  const SubPlot* subplot = nullptr;
  const Output* plot = nullptr;
  std::vector<PlotData> data;
  std::string x_label;
};

// Draws a Version 4 figure (gnuplot's multiplot) to `base` + ".svg" and ".pdf": each subPlot's
// plot in its cell of the numRows x numCols grid (row 1 at the top, column 1 at the left),
// spanning rowSpan x colSpan cells. Throws as draw_plot does, and Error(InvalidSbml) naming the
// subPlot when it lies outside the grid or overlaps another.
DrawnPlot draw_figure(const Output& figure, const std::vector<Style>& styles, const std::vector<FigurePanel>& panels,
                      const std::string& base);

}  // namespace axisim::sedml
