// plot_spec.hpp — what a SED-ML plot2D / plot3D says about its drawing, as document.cpp reads
// it: curves, shaded areas and surfaces with their data references, Level 1 Version 1–3 logX /
// logY, and the Version 4 axes, legend, size, curve types, error bars and styles (listOfStyles,
// with baseStyle inheritance resolved by plot.cpp), and the Version 4 figure's grid of subplots.
// Plain structs; plot.cpp draws them with gnuplot.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace axisim::sedml {

// A Version 4 <style>: what is written is set, the rest comes from its baseStyle (then defaults).
struct Style {
  std::string id, base;
  std::optional<std::string> line_type, line_color;  // line type: none solid dash dot dashDot dashDotDot
  std::optional<double> line_thickness;
  std::optional<std::string> marker_type, marker_fill, marker_line_color;  // marker type: none square circle ...
  std::optional<double> marker_size, marker_line_thickness;
  std::optional<std::string> fill_color;
};

struct PlotAxis {
  bool present = false;          // a Version 4 xAxis / yAxis / rightYAxis / zAxis element
  std::string name, type;        // type: linear, log10 (as written)
  std::optional<double> min, max;
  bool grid = false, reverse = false;
  std::string style;             // a Version 4 style id: its line colours the axis' tics, label and grid
};

struct PlotItem {
  std::string id, name;
  std::string element;   // curve, shadedArea, surface
  std::string x, y, z;   // data generator ids (surface: z; curve: x, y)
  std::string y_from, y_to;  // shadedArea
  // Version 4 error bars (curves): data generators giving each point's error, drawn from
  // x - xErrorLower to x + xErrorUpper (one alone: both ways, as tellurium draws it).
  std::string x_err_upper, x_err_lower, y_err_upper, y_err_lower;
  std::string type;      // Version 4 curve type (points, bar, barStacked, horizontalBar,
                         // horizontalBarStacked) or surface type (parametricCurve, surfaceMesh, ...)
  std::string style;
  bool log_x = false, log_y = false, log_z = false;  // Versions 1–3
  bool right_axis = false;                           // Version 4 yAxis="right"
  double order = 0;                                  // Version 4 order (drawing order)
};

// A Version 4 figure's subPlot: a plot placed at row, col (from 1) spanning rowSpan x colSpan.
struct SubPlot {
  std::string id, plot;
  int row = 1, col = 1, row_span = 1, col_span = 1;
};

struct PlotSpec {
  std::vector<PlotItem> items;
  PlotAxis x, y, right_y, z;
  std::optional<bool> legend;            // Version 4; absent: a legend
  std::optional<double> height, width;   // Version 4 (drawn as pixels in SVG)
  // A figure: numRows x numCols and its subPlots (plot2D / plot3D ids).
  int rows = 1, cols = 1;
  std::vector<SubPlot> subplots;
};

}  // namespace axisim::sedml
