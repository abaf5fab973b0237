// plot.cpp — SED-ML plots drawn with gnuplot (plot.hpp). The data go to a file of one block per
// item (gnuplot's `index`), the runs of a repeated task separated by blank lines so that each is
// a line of its own; the script draws the svg terminal's file, then the pdfcairo terminal's.
#include "output/plot.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "axisim/child_process.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"

namespace axisim::sedml {
namespace fs = std::filesystem;

namespace {

// gnuplot may take long on a huge plot; past this it is stopped and the plot refused.
constexpr auto kTimeLimit = std::chrono::seconds(60);

// The colours of curves with no style: matplotlib's (tellurium's) default cycle.
const char* const kCycle[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                              "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// A string as a gnuplot single-quoted string: nothing inside is interpreted except '' (one
// quote). Line breaks would end the command, so they become spaces.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out + "'";
}

std::string num(double v) {
  if (!std::isfinite(v)) return "NaN";  // gnuplot leaves it out (and breaks the line there)
  std::ostringstream o;
  o.precision(17);
  o << v;
  return o.str();
}

// A SED-ML colour (#RRGGBB or #RRGGBBAA, the '#' optional; AA opaque at FF) as gnuplot's
// "#AARRGGBB" (AA transparent at FF) or "#RRGGBB". Empty when it is not a colour.
std::string gnuplot_color(std::string c) {
  if (!c.empty() && c[0] == '#') c.erase(0, 1);
  if ((c.size() != 6 && c.size() != 8) || !std::all_of(c.begin(), c.end(), [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)); }))
    return {};
  if (c.size() == 6) return "#" + c;
  const int alpha = std::stoi(c.substr(6, 2), nullptr, 16);
  char a[3];
  std::snprintf(a, sizeof a, "%02x", 255 - alpha);
  return "#" + std::string(a) + c.substr(0, 6);
}

// A style with its baseStyle chain applied (the nearest setting wins).
Style resolve(const std::string& id, const std::vector<Style>& styles, std::vector<std::string>& warnings,
              const std::string& element) {
  Style out;
  std::set<std::string> seen;
  std::string next = id;
  auto take = [](auto& into, const auto& from) {
    if (!into && from) into = from;
  };
  while (!next.empty()) {
    if (!seen.insert(next).second) {
      warnings.push_back(element + ": style '" + next + "' is its own base (cycle); the chain stops there");
      break;
    }
    auto it = std::find_if(styles.begin(), styles.end(), [&](const Style& s) { return s.id == next; });
    if (it == styles.end()) {
      warnings.push_back(element + ": style '" + next + "' is not in listOfStyles; default style used for it");
      break;
    }
    take(out.line_type, it->line_type);
    take(out.line_color, it->line_color);
    take(out.line_thickness, it->line_thickness);
    take(out.marker_type, it->marker_type);
    take(out.marker_fill, it->marker_fill);
    take(out.marker_line_color, it->marker_line_color);
    take(out.marker_size, it->marker_size);
    take(out.marker_line_thickness, it->marker_line_thickness);
    take(out.fill_color, it->fill_color);
    next = it->base;
  }
  return out;
}

// SED-ML line types as gnuplot dash types; 0 for none.
int dash_type(const std::string& t, std::vector<std::string>& warnings, const std::string& element) {
  if (t == "solid") return 1;
  if (t == "dash") return 2;
  if (t == "dot") return 3;
  if (t == "dashDot") return 4;
  if (t == "dashDotDot") return 5;
  if (t == "none") return 0;
  warnings.push_back(element + ": line type '" + t + "' unknown; drawn solid");
  return 1;
}

// SED-ML marker types as gnuplot point types (cairo and svg terminals), or a character; "" none.
std::string point_type(const std::string& t, std::vector<std::string>& warnings, const std::string& element) {
  static const std::map<std::string, std::string> types = {
      {"square", "5"},       {"circle", "7"},          {"diamond", "13"},       {"xCross", "2"},
      {"plus", "1"},         {"star", "3"},            {"triangleUp", "9"},     {"triangleDown", "11"},
      {"triangleLeft", "9"}, {"triangleRight", "11"},  {"hDash", "'-'"},        {"vDash", "'|'"},
      {"none", ""}};
  auto it = types.find(t);
  if (it != types.end()) return it->second;
  warnings.push_back(element + ": marker type '" + t + "' unknown; drawn as a circle");
  return "7";
}

enum class Scale { Linear, Log };

Scale axis_scale(const PlotAxis& a, bool log_by_curve, std::vector<std::string>& warnings, const std::string& element,
                 const char* which) {
  if (log_by_curve) return Scale::Log;
  if (!a.present || a.type.empty() || a.type == "linear" || a.type == "lin") return Scale::Linear;
  if (a.type == "log10" || a.type == "log") return Scale::Log;
  warnings.push_back(element + ": " + which + " type '" + a.type + "' unknown; drawn linear");
  return Scale::Linear;
}

// `set xrange ...` and friends for one axis ("x", "y", "y2", "z").
void axis_commands(std::ostream& s, const char* g, const PlotAxis& a, Scale scale, std::vector<std::string>& warnings,
                   const std::string& element) {
  if (scale == Scale::Log) s << "set logscale " << g << " 10\n";
  std::optional<double> lo = a.min, hi = a.max;
  if (scale == Scale::Log) {
    for (auto* v : {&lo, &hi})
      if (*v && !(**v > 0)) {
        warnings.push_back(element + ": " + g + " axis limit " + num(**v) + " is not positive on a log axis; ignored");
        v->reset();
      }
  }
  if (a.reverse && lo && hi) {
    s << "set " << g << "range [" << num(*hi) << ":" << num(*lo) << "]\n";
  } else if (lo || hi || a.reverse) {
    s << "set " << g << "range [" << (lo ? num(*lo) : "*") << ":" << (hi ? num(*hi) : "*") << "]"
      << (a.reverse ? " reverse" : "") << "\n";
  }
  if (a.grid) s << "set grid " << g << "tics\n";
  if (!a.name.empty()) s << "set " << g << "label " << quote(a.name) << "\n";
}

// Runs gnuplot on the script (axisim/child_process.hpp), its output into `log`; returns its exit
// status. Stopped after kTimeLimit: a plot never hangs a run.
int run_gnuplot(const std::string& program, const fs::path& script, const fs::path& log) {
  const auto deadline = std::chrono::steady_clock::now() + kTimeLimit;
  std::optional<int> status;
  try {
    status = run_child_process({program, script.string()}, log.string(), ChildOutput::Log, [&](std::chrono::milliseconds pause) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(pause);
      return true;
    });
  } catch (const std::runtime_error& e) {
    throw Error(ErrorKind::Io, e.what());
  }
  if (!status)
    throw Error(ErrorKind::Io, "gnuplot did not finish within " + std::to_string(kTimeLimit.count()) + " s; stopped");
  return *status;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "axisim-plot-XXXXXX").string();
    if (!::mkdtemp(t.data())) throw Error(ErrorKind::Io, "cannot create a temporary folder for gnuplot: " + std::string(std::strerror(errno)));
    path = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// The width of bars at the given positions: 0.8 of the smallest gap between them (1 alone).
double bar_width(std::vector<double> at) {
  std::sort(at.begin(), at.end());
  double gap = 0;
  for (std::size_t i = 1; i < at.size(); ++i)
    if (at[i] > at[i - 1] && (gap == 0 || at[i] - at[i - 1] < gap)) gap = at[i] - at[i - 1];
  return 0.8 * (gap > 0 ? gap : 1.0);
}

}  // namespace

std::string find_gnuplot() {
  const char* path = std::getenv("PATH");
  if (!path) return {};
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path p = fs::path(dir) / "gnuplot";
    if (::access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p)) return p.string();
  }
  return {};
}

namespace {

// The axis' Version 4 style, resolved: its line's colour (also of its tics' labels, its name and
// the grid), thickness and dash type (0: none, -1: not said). Empty where the style says nothing.
struct AxisLook {
  bool line = false;  // the style says something about the axis' line
  std::string colour;
  std::optional<double> thickness;
  int dash = -1;
};

AxisLook axis_look(const PlotAxis& a, const std::vector<Style>& styles, std::vector<std::string>& warnings,
                   const std::string& element) {
  AxisLook look;
  if (!a.present || a.style.empty()) return look;
  const Style st = resolve(a.style, styles, warnings, element);
  if (st.line_color) {
    look.colour = gnuplot_color(*st.line_color);
    if (look.colour.empty())
      warnings.push_back(element + ": colour '" + *st.line_color + "' is not #RRGGBB or #RRGGBBAA; default used");
  }
  look.thickness = st.line_thickness;
  if (st.line_type) look.dash = dash_type(*st.line_type, warnings, element);
  look.line = st.line_type || st.line_color || st.line_thickness;
  return look;
}

// The commands that draw one plot (from `set title` to its `plot` / `splot` line), its data
// written to `data_file`. Everything a terminal does not set; a figure's panels each get theirs.
std::string plot_body(const Output& plot, const std::vector<Style>& styles, const std::vector<PlotData>& data,
                      const std::string& x_label, const fs::path& data_file, std::vector<std::string>& warnings) {
  const bool three_d = plot.type == "plot3D";
  const PlotSpec& spec = plot.plot;
  const std::string pelement = plot.type + " '" + plot.id + "'";

  // Axis scales: Version 4 axis types, or Versions 1–3 logX / logY of any curve.
  bool log_x = false, log_y = false, log_z = false;
  for (const PlotData& d : data) {
    log_x = log_x || d.item->log_x;
    log_y = log_y || d.item->log_y;
    log_z = log_z || d.item->log_z;
  }
  const Scale sx = axis_scale(spec.x, log_x, warnings, pelement, "xAxis");
  const Scale sy = axis_scale(spec.y, log_y, warnings, pelement, "yAxis");
  const Scale sy2 = axis_scale(spec.right_y, false, warnings, pelement, "rightYAxis");
  const Scale sz = axis_scale(spec.z, log_z, warnings, pelement, "zAxis");

  std::ostringstream dat;
  std::ostringstream clauses;  // the plot / splot command's parts
  std::size_t block = 0, colour = 0, drawable_items = 0;
  bool right_used = false, contour = false, surface_off = false, heat_map = false;
  std::map<std::size_t, double> stack_v, stack_h;  // barStacked / horizontalBarStacked: base per point

  std::vector<const PlotData*> order;
  for (const PlotData& d : data) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(), [](const PlotData* a, const PlotData* b) { return a->item->order < b->item->order; });

  auto next_block = [&](const std::string& what, const std::string& rows) {
    if (block > 0) dat << "\n\n";
    dat << "# " << what << "\n" << rows;
    return quote(data_file.string()) + " index " + std::to_string(block++);
  };

  for (const PlotData* d : order) {
    const PlotItem& it = *d->item;
    const std::string element = pelement + " " + it.element + " '" + it.id + "'";
    const Style st = it.style.empty() ? Style{} : resolve(it.style, styles, warnings, element);
    const std::string cycle = kCycle[colour++ % (sizeof kCycle / sizeof *kCycle)];
    auto colour_of = [&](const std::optional<std::string>& c, const std::string& fallback) {
      if (!c) return fallback;
      const std::string g = gnuplot_color(*c);
      if (g.empty()) {
        warnings.push_back(element + ": colour '" + *c + "' is not #RRGGBB or #RRGGBBAA; default used");
        return fallback;
      }
      return g;
    };
    const std::string line_colour = colour_of(st.line_color, cycle);
    const bool right = it.right_axis && !three_d;
    const Scale ys = right ? sy2 : sy;
    right_used = right_used || right;

    // Points: x, y (and z; shaded areas y from, y to) per row; a run per innermost iteration.
    std::vector<const Series*> cols;
    if (it.element == "shadedArea") cols = {d->x, d->y_from, d->y_to};
    else if (three_d) cols = {d->x, d->y, d->z};
    else cols = {d->x, d->y};
    // Error bars: their series must be as long as the curve's (checked with the rest).
    const Series* errors[4] = {d->x_err_lower, d->x_err_upper, d->y_err_lower, d->y_err_upper};
    const bool has_errors = !three_d && it.element == "curve" && (errors[0] || errors[1] || errors[2] || errors[3]);
    std::vector<const Series*> all = cols;
    if (has_errors)
      for (const Series* e : errors)
        if (e) all.push_back(e);
    std::size_t n = cols[0]->size();
    for (const Series* c : all) n = std::min(n, c->size());
    for (const Series* c : all)
      if (c->size() != n) {
        warnings.push_back(element + ": its data have different lengths; the first " + std::to_string(n) + " points drawn");
        break;
      }
    std::vector<std::size_t> runs = d->runs;
    std::size_t total = 0;
    for (std::size_t r : runs) total += r;
    if (runs.empty() || total != n) runs = {n};
    std::vector<Scale> scales = {sx, ys};
    if (it.element == "shadedArea") scales = {sx, ys, ys};
    if (three_d) scales = {sx, sy, sz};

    const std::string type = it.type;
    const bool bar = !three_d && (type == "bar" || type == "barStacked" || type == "horizontalBar" || type == "horizontalBarStacked");
    if (!three_d && it.element == "curve" && !type.empty() && type != "points" && !bar)
      throw Error(ErrorKind::Unsupported, "not drawn: " + element + " has type '" + type + "', which axisim does not draw");

    std::size_t dropped = 0, drawn = 0;
    std::ostringstream rows, error_rows;
    std::vector<double> positions;
    if (bar) {
      const bool horizontal = type.rfind("horizontal", 0) == 0;
      for (std::size_t i = 0; i < n; ++i) positions.push_back((*(horizontal ? d->y : d->x))[i]);
    }
    const double width = bar ? bar_width(positions) : 0;
    // An error bar at the point drawn (a stacked bar's top): x y xlow xhigh ylow yhigh. One
    // error alone is drawn both ways (tellurium draws yErrorUpper so).
    auto error_row = [&](std::size_t k, double x, double y) {
      auto at = [&](const Series* s) { return s ? (*s)[k] : std::numeric_limits<double>::quiet_NaN(); };
      const double xl = at(errors[0]), xu = at(errors[1]), yl = at(errors[2]), yu = at(errors[3]);
      const double xlo = errors[0] ? xl : errors[1] ? xu : 0, xhi = errors[1] ? xu : errors[0] ? xl : 0;
      const double ylo = errors[2] ? yl : errors[3] ? yu : 0, yhi = errors[3] ? yu : errors[2] ? yl : 0;
      error_rows << num(x) << ' ' << num(y) << ' ' << num(x - xlo) << ' ' << num(x + xhi) << ' ' << num(y - ylo) << ' '
                 << num(y + yhi) << '\n';
    };
    std::size_t start = 0;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      if (r > 0) rows << "\n";  // a new line for each run of a repeated task (one scan in 3D)
      bool broken = false;
      for (std::size_t k = start; k < start + runs[r]; ++k) {
        bool bad = false;
        for (std::size_t c = 0; c < cols.size(); ++c) {
          const double v = (*cols[c])[k];
          if (scales[c] == Scale::Log && !(v > 0) && !std::isnan(v)) bad = true;
        }
        if (bad) {
          ++dropped;
          if (!broken && !bar) rows << "\n";  // the line is broken there, not drawn across
          broken = true;
          continue;
        }
        broken = false;
        bool finite = true;
        for (const Series* c : cols) finite = finite && std::isfinite((*c)[k]);
        if (finite) ++drawn;
        if (bar) {
          // boxxyerror's six columns: x y xlow xhigh ylow yhigh
          const double x = (*d->x)[k], y = (*d->y)[k];
          if (type == "bar" || type == "barStacked") {
            const double b = type == "barStacked" ? stack_v[k] : 0.0;
            if (type == "barStacked" && std::isfinite(y)) stack_v[k] += y;
            rows << num(x) << ' ' << num(b + y) << ' ' << num(x - width / 2) << ' ' << num(x + width / 2) << ' ' << num(b) << ' '
                 << num(b + y) << '\n';
            if (has_errors) error_row(k, x, b + y);
          } else {
            const double b = type == "horizontalBarStacked" ? stack_h[k] : 0.0;
            if (type == "horizontalBarStacked" && std::isfinite(x)) stack_h[k] += x;
            rows << num(b + x) << ' ' << num(y) << ' ' << num(b) << ' ' << num(b + x) << ' ' << num(y - width / 2) << ' '
                 << num(y + width / 2) << '\n';
            if (has_errors) error_row(k, b + x, y);
          }
          continue;
        }
        for (std::size_t c = 0; c < cols.size(); ++c) rows << (c ? " " : "") << num((*cols[c])[k]);
        rows << '\n';
        if (has_errors) error_row(k, (*d->x)[k], (*d->y)[k]);
      }
      start += runs[r];
    }
    if (dropped > 0)
      warnings.push_back(element + ": " + std::to_string(dropped) +
                         " point(s) not positive on a log axis dropped (a log axis cannot show them)");
    if (drawn == 0) {
      warnings.push_back(element + ": nothing to draw (every point NaN, infinite or dropped); left out");
      continue;
    }
    ++drawable_items;
    const std::string source = next_block(it.element + " " + it.id, rows.str());
    const std::string title = spec.legend.value_or(true) ? "title " + quote(d->label) : "notitle";
    if (clauses.tellp() > 0) clauses << ", \\\n  ";

    if (three_d) {
      const std::string t = type.empty() ? "parametricCurve" : type;
      const bool grid_needed = t == "contour" || t == "surfaceContour" || t == "heatMap";
      if (grid_needed && runs.size() < 2)
        throw Error(ErrorKind::Unsupported, "not drawn: " + element + " of type '" + t +
                                                "' needs a grid of points (the runs of a repeated task); it has one run");
      const double lw = st.line_thickness.value_or(1.5);
      if (t == "parametricCurve" || t == "surfaceMesh" || t == "stackedCurves" || t == "surfaceContour" || t == "contour") {
        if (t == "surfaceContour" || t == "contour") contour = true;
        if (t == "contour") surface_off = true;
        clauses << source << " using 1:2:3 with lines lw " << num(lw) << " lc rgb " << quote(line_colour) << " " << title;
      } else if (t == "heatMap") {
        heat_map = true;
        clauses << source << " using 1:2:3 with pm3d " << title;
      } else if (t == "bar") {
        clauses << source << " using 1:2:3 with impulses lw " << num(std::max(lw, 3.0)) << " lc rgb " << quote(line_colour) << " "
                << title;
      } else {
        throw Error(ErrorKind::Unsupported, "not drawn: " + element + " has type '" + t + "', which axisim does not draw");
      }
      continue;
    }
    const std::string axes = right ? " axes x1y2" : "";
    // The error bars, after the curve (over its bars), in its line colour, without a legend entry.
    auto error_bars = [&] {
      if (!has_errors) return;
      const std::string esource = next_block(it.element + " " + it.id + " error bars", error_rows.str());
      const bool xe = errors[0] || errors[1], ye = errors[2] || errors[3];
      const char* with = xe && ye ? "xyerrorbars" : xe ? "xerrorbars" : "yerrorbars";
      const char* use = xe && ye ? "1:2:3:4:5:6" : xe ? "1:2:3:4" : "1:2:5:6";
      clauses << ", \\\n  " << esource << " using " << use << axes << " with " << with << " lw "
              << num(st.line_thickness ? std::min(*st.line_thickness, 2.0) : 1.0) << " pt 7 ps 0 lc rgb " << quote(line_colour)
              << " notitle";
    };
    if (it.element == "shadedArea") {
      const std::string fill = colour_of(st.fill_color, st.line_color ? line_colour : cycle);
      const bool transparent = !st.fill_color;
      clauses << source << " using 1:2:3" << axes << " with filledcurves fc rgb " << quote(fill) << " fs "
              << (transparent ? "transparent solid 0.3" : "solid 1.0") << " noborder " << title;
      continue;
    }
    if (bar) {
      const std::string fill = colour_of(st.fill_color, line_colour);
      clauses << source << " using 1:2:3:4:5:6" << axes << " with boxxyerror fc rgb " << quote(fill) << " fs solid 1.0 "
              << (st.line_color ? "border lc rgb " + quote(line_colour) : std::string("noborder")) << " " << title;
      error_bars();
      continue;
    }
    // A curve: a line in the style's type, colour and thickness, markers where the style has them.
    const int dt = st.line_type ? dash_type(*st.line_type, warnings, element) : 1;
    const std::string pt = st.marker_type ? point_type(*st.marker_type, warnings, element) : "";
    // Markers with an inside (square, circle, triangles, diamond) take the fill colour, the
    // others (crosses, star, dashes) are all edge: the line colour.
    static const std::set<std::string> filled = {"5", "7", "9", "11", "13"};
    const bool fillable = filled.count(pt) > 0;
    const std::string marker_colour =
        colour_of(fillable ? (st.marker_fill ? st.marker_fill : st.marker_line_color) : (st.marker_line_color ? st.marker_line_color : st.marker_fill),
                  line_colour);
    const double lw = st.line_thickness.value_or(1.5);
    const double ps = st.marker_size.value_or(6.0) / 6.0;
    bool first = true;
    if (dt != 0) {
      clauses << source << " using 1:2" << axes << " with lines lw " << num(lw) << " dt " << dt << " lc rgb "
              << quote(line_colour) << " " << title;
      first = false;
    }
    if (!pt.empty()) {
      if (!first) clauses << ", \\\n  ";
      // A filled marker with an edge of its own (lineColor, lineThickness): the filled point in
      // the fill colour, then the open point of the same shape over it in the edge's colour and
      // thickness (gnuplot's open shapes are the filled ones' numbers minus one).
      const bool edge = fillable && (st.marker_line_color || st.marker_line_thickness);
      clauses << source << " using 1:2" << axes << " with points pt " << pt << " ps " << num(ps) << " lc rgb "
              << quote(marker_colour) << " " << (first ? title : "notitle");
      if (edge)
        clauses << ", \\\n  " << source << " using 1:2" << axes << " with points pt " << std::stoi(pt) - 1 << " ps " << num(ps)
                << " lw " << num(st.marker_line_thickness.value_or(1.0)) << " lc rgb "
                << quote(colour_of(st.marker_line_color, marker_colour)) << " notitle";
      first = false;
    }
    if (first) {  // line "none" and no marker: nothing would show, so it is drawn as points
      warnings.push_back(element + ": its style has no line and no marker; drawn as points");
      clauses << source << " using 1:2" << axes << " with points pt 7 ps 0.5 lc rgb " << quote(line_colour) << " " << title;
    }
    error_bars();
  }
  if (drawable_items == 0)
    throw Error(ErrorKind::InvalidSbml, "not drawn: nothing to draw (every point of every " +
                                            std::string(three_d ? "surface" : "curve") + " is NaN, infinite or dropped)");
  {
    std::ofstream f(data_file);
    f << dat.str();
    if (!f) throw Error(ErrorKind::Io, data_file.string() + ": cannot write");
  }

  std::ostringstream s;
  s << "set title " << quote(plot.name.empty() ? plot.id : plot.name) << "\n";
  if (!spec.x.present || spec.x.name.empty()) s << "set xlabel " << quote(x_label) << "\n";
  axis_commands(s, "x", spec.x, sx, warnings, pelement);
  axis_commands(s, "y", spec.y, sy, warnings, pelement);
  // Axis styles: in 2D the axis' line (the frame's bottom, left or right side: drawn over in the
  // style's colour, thickness and dash type; a dashed or "none" line takes the side out of the
  // frame), the colour of its tics' labels and name; the grid in a gridded axis' style.
  std::vector<std::pair<const char*, const PlotAxis*>> axes = {{"x", &spec.x}, {"y", &spec.y}};
  if (three_d) axes.push_back({"z", &spec.z});
  else if (right_used) axes.push_back({"y2", &spec.right_y});
  bool grid_styled = false;
  int border = 31;  // gnuplot's default frame: bottom 1, left 2, top 4, right 8
  for (const auto& [g, a] : axes) {
    const AxisLook look = axis_look(*a, styles, warnings, pelement + " axis '" + g + "'");
    if (!look.colour.empty()) {
      s << "set " << g << "tics textcolor rgb " << quote(look.colour) << "\n";
      s << "set " << g << "label textcolor rgb " << quote(look.colour) << "\n";
    }
    if (!three_d && look.line) {
      const std::string side = g == std::string("x") ? "graph 0,0 to graph 1,0" : g == std::string("y") ? "graph 0,0 to graph 0,1" : "graph 1,0 to graph 1,1";
      const int bit = g == std::string("x") ? 1 : g == std::string("y") ? 2 : 8;
      if (look.dash == 0 || look.dash > 1) border &= ~bit;
      if (look.dash != 0)
        s << "set arrow from " << side << " nohead front lc rgb " << quote(look.colour.empty() ? "#000000" : look.colour) << " lw "
          << num(look.thickness.value_or(1.0)) << " dt " << (look.dash > 0 ? look.dash : 1) << "\n";
    }
    if (a->grid && !grid_styled && (!look.colour.empty() || look.thickness || look.dash > 0)) {
      grid_styled = true;  // gnuplot has one style for all grid lines: the first styled axis' wins
      s << "set grid";
      if (!look.colour.empty()) s << " lc rgb " << quote(look.colour);
      if (look.thickness) s << " lw " << num(*look.thickness);
      if (look.dash > 0) s << " dt " << look.dash;
      s << "\n";
    }
  }
  if (border != 31) s << "set border " << border << "\n";
  if (three_d) {
    axis_commands(s, "z", spec.z, sz, warnings, pelement);
    if (contour) s << "set contour base\nset cntrparam levels 10\n";
    if (surface_off) s << "unset surface\nset view map\n";
    if (heat_map) s << "set view map\nset pm3d map\n";
  } else if (right_used) {
    s << "set ytics nomirror\nset y2tics\n";
    axis_commands(s, "y2", spec.right_y, sy2, warnings, pelement);
  }
  s << (spec.legend.value_or(true) ? "set key outside right top\n" : "unset key\n");
  s << (three_d ? "splot " : "plot ") << clauses.str() << "\n";
  return s.str();
}

// A size in pixels, or 640 x 480 with a warning when it is not one to draw.
std::pair<double, double> checked_size(double w, double h, const std::string& element, std::vector<std::string>& warnings) {
  if (!(w >= 50 && h >= 50 && w <= 20000 && h <= 20000)) {
    warnings.push_back(element + ": width " + num(w) + " x height " + num(h) + " is not a size to draw; 640 x 480 used");
    return {640, 480};
  }
  return {w, h};
}

// Writes the script that draws `body` once on the svg terminal and once on pdfcairo, runs
// gnuplot on it and puts the two files at `base`.svg / .pdf.
void render(const std::string& program, const TempDir& tmp, const std::string& heading, const std::string& body, double w,
            double h, const std::string& base, DrawnPlot& out) {
  // Size: width and height as pixels (SVG) and hundredths of an inch (PDF).
  const fs::path svg = tmp.path / "plot.svg", pdf = tmp.path / "plot.pdf";
  std::ostringstream s;
  s << "# " << heading << " (axisim run)\n";
  s << "set terminal svg size " << num(std::round(w)) << "," << num(std::round(h)) << " noenhanced font 'Sans,12' background '#ffffff'\n";
  s << "set output " << quote(svg.string()) << "\n" << body << "unset output\n";
  // The same drawing on the PDF terminal (written again rather than `replot`: a multiplot has no replot).
  s << "reset\n";
  s << "set terminal pdfcairo size " << num(w / 100) << "in," << num(h / 100) << "in noenhanced font 'Sans,10'\n";
  s << "set output " << quote(pdf.string()) << "\n" << body << "unset output\n";
  const fs::path script = tmp.path / "plot.gp", log = tmp.path / "gnuplot.log";
  {
    std::ofstream f(script);
    f << s.str();
    if (!f) throw Error(ErrorKind::Io, script.string() + ": cannot write");
  }
  const int status = run_gnuplot(program, script, log);
  std::string messages = read_all(log);
  if (status != 0 || !fs::is_regular_file(svg) || !fs::is_regular_file(pdf) || fs::file_size(pdf) == 0) {
    for (char& c : messages)
      if (c == '\n') c = ' ';
    if (messages.size() > 600) messages = messages.substr(0, 600) + " ...";
    throw Error(ErrorKind::Io, "not drawn: gnuplot failed (exit " + std::to_string(status) + "): " + messages);
  }
  std::error_code ec;
  fs::create_directories(fs::path(base).parent_path(), ec);
  if (ec) throw Error(ErrorKind::Io, fs::path(base).parent_path().string() + ": cannot create: " + ec.message());
  out.svg = base + ".svg";
  out.pdf = base + ".pdf";
  write_file_atomic(out.svg, read_all(svg));
  write_file_atomic(out.pdf, read_all(pdf));
}

std::string gnuplot_or_refuse() {
  const std::string program = find_gnuplot();
  if (program.empty())
    throw Error(ErrorKind::Unsupported, "not drawn: gnuplot is not on PATH (install gnuplot-nox; "
                                        "`axisim run --no-plots` skips drawing)");
  return program;
}

}  // namespace

DrawnPlot draw_plot(const Output& plot, const std::vector<Style>& styles, const std::vector<PlotData>& data,
                    const std::string& x_label, const std::string& base) {
  const std::string program = gnuplot_or_refuse();
  DrawnPlot out;
  TempDir tmp;
  const std::string pelement = plot.type + " '" + plot.id + "'";
  const std::string body = plot_body(plot, styles, data, x_label, tmp.path / "plot.dat", out.warnings);
  const auto [w, h] = checked_size(plot.plot.width.value_or(640), plot.plot.height.value_or(480), pelement, out.warnings);
  render(program, tmp, pelement, body, w, h, base, out);
  return out;
}

DrawnPlot draw_figure(const Output& figure, const std::vector<Style>& styles, const std::vector<FigurePanel>& panels,
                      const std::string& base) {
  const std::string program = gnuplot_or_refuse();
  DrawnPlot out;
  const std::string element = "figure '" + figure.id + "'";
  if (panels.empty()) throw Error(ErrorKind::InvalidSbml, "not drawn: it has no subPlots");
  // The grid: numRows x numCols as written; where one is missing, as many as the subPlots reach.
  int rows = figure.plot.rows, cols = figure.plot.cols;
  if (rows < 1 || cols < 1) {
    int r = 1, c = 1;
    for (const FigurePanel& p : panels) {
      r = std::max(r, p.subplot->row + p.subplot->row_span - 1);
      c = std::max(c, p.subplot->col + p.subplot->col_span - 1);
    }
    out.warnings.push_back(element + ": numRows / numCols missing; " + std::to_string(rows < 1 ? r : rows) + " x " +
                           std::to_string(cols < 1 ? c : cols) + " taken from its subPlots");
    if (rows < 1) rows = r;
    if (cols < 1) cols = c;
  }
  std::vector<std::vector<std::string>> taken(static_cast<std::size_t>(rows), std::vector<std::string>(static_cast<std::size_t>(cols)));
  for (const FigurePanel& p : panels) {
    const SubPlot& sp = *p.subplot;
    const std::string spe = "subPlot '" + sp.id + "'";
    if (sp.row < 1 || sp.col < 1 || sp.row + sp.row_span - 1 > rows || sp.col + sp.col_span - 1 > cols)
      throw Error(ErrorKind::InvalidSbml, "not drawn: " + spe + " (row " + std::to_string(sp.row) + ", col " + std::to_string(sp.col) +
                                              ", rowSpan " + std::to_string(sp.row_span) + ", colSpan " + std::to_string(sp.col_span) +
                                              ") lies outside the figure's " + std::to_string(rows) + " x " + std::to_string(cols) +
                                              " grid (rows and columns count from 1)");
    for (int r = sp.row; r < sp.row + sp.row_span; ++r)
      for (int c = sp.col; c < sp.col + sp.col_span; ++c) {
        std::string& cell = taken[static_cast<std::size_t>(r - 1)][static_cast<std::size_t>(c - 1)];
        if (!cell.empty())
          throw Error(ErrorKind::InvalidSbml, "not drawn: " + spe + " overlaps subPlot '" + cell + "' at row " + std::to_string(r) +
                                                  ", col " + std::to_string(c));
        cell = sp.id;
      }
  }
  // Each cell 480 x 360 pixels (the figure's width and height when it gives them); the title,
  // the figure's name, above the grid.
  const std::string title = figure.name.empty() ? figure.id : figure.name;
  const auto [w, h] = checked_size(figure.plot.width.value_or(480.0 * cols),
                                   figure.plot.height.value_or(360.0 * rows + 30), element, out.warnings);
  const double top = 30 / h;  // the title's band, as a fraction of the height
  TempDir tmp;
  std::ostringstream body;
  body << "set multiplot title " << quote(title) << "\n";
  std::size_t k = 0;
  for (const FigurePanel& p : panels) {
    const SubPlot& sp = *p.subplot;
    const double cw = 1.0 / cols, ch = (1.0 - top) / rows;
    body << "reset\n# subPlot " << sp.id << ": " << p.plot->type << " " << p.plot->id << " at row " << sp.row << ", col " << sp.col
         << "\n";
    body << "set origin " << num((sp.col - 1) * cw) << "," << num((1.0 - top) - (sp.row - 1 + sp.row_span) * ch) << "\n";
    body << "set size " << num(sp.col_span * cw) << "," << num(sp.row_span * ch) << "\n";
    std::vector<std::string> warnings;
    try {
      body << plot_body(*p.plot, styles, p.data, p.x_label, tmp.path / ("plot_" + std::to_string(k++) + ".dat"), warnings);
    } catch (const Error& e) {
      throw Error(e.kind(), "subPlot '" + sp.id + "' (" + p.plot->type + " '" + p.plot->id + "'): " + e.what());
    }
    for (const std::string& wn : warnings) out.warnings.push_back(element + " subPlot '" + sp.id + "': " + wn);
  }
  body << "unset multiplot\n";
  render(program, tmp, element, body.str(), w, h, base, out);
  return out;
}

}  // namespace axisim::sedml
