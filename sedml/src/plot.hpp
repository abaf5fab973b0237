// plot.hpp — drawing a SED-ML plot2D / plot3D as SVG and PDF with gnuplot (Debian's gnuplot-nox,
// its `svg` and `pdfcairo` terminals). gnuplot runs as a child process on a script and a data
// file that plot.cpp writes in a temporary folder (every string in the script single-quoted, so
// no id or name is ever read as gnuplot syntax), with a time limit; the finished files are then
// written to their places under a temporary name and renamed, so no half-written plot is left.
// See docs/sedml.md ("Plots").
#pragma once
#include <string>
#include <vector>

#include "document.hpp"

namespace axisim::sedml {

// One curve, shaded area or surface of a plot, with its data (the data generators' values).
struct PlotData {
  const PlotItem* item = nullptr;
  const Series* x = nullptr;
  const Series* y = nullptr;       // curve, surface
  const Series* z = nullptr;       // surface
  const Series* y_from = nullptr;  // shadedArea
  const Series* y_to = nullptr;
  // The series hold this many runs one after another (the iterations of a repeated task): each
  // is drawn as a line of its own (as tellurium draws them), in the item's one style.
  std::size_t iterations = 1;
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

}  // namespace axisim::sedml
