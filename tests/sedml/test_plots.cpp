// SED-ML plots drawn with gnuplot (sedml/src/output/plot.cpp), checked by reading back the SVG gnuplot
// writes (libxml2): the plot frame is the closed rectangle gnuplot draws as the border, each
// curve is the path inside its <g id="gnuplot_plot_N">, and its vertices, mapped back through
// the axis range, must be the data of tests/sedml/data/decay.xml, S(t) = 10 exp(-k t), within a
// pixel. Skipped, saying so, where gnuplot is not installed (the refusal itself is checked by
// tests/sedml/cli_plots.sh with a PATH without gnuplot).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "axisim/sedml.hpp"
#include "document/document.hpp"  // sedml/src: the reader and writer, for the export round trip
#include "document/writer.hpp"

namespace fs = std::filesystem;
using namespace axisim;

namespace {

const fs::path kData = AXISIM_SEDML_TEST_DATA;

bool have_gnuplot() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && ::access((fs::path(dir) / "gnuplot").c_str(), X_OK) == 0) return true;
  return false;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("axisim_sedml_plots_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

struct Point {
  double x, y;
};
using Polyline = std::vector<Point>;

// An SVG path's "M x,y L x,y x,y ... M ... Z" as its polylines (gnuplot writes only these).
std::vector<Polyline> polylines(const std::string& d) {
  std::vector<Polyline> out;
  std::istringstream in(d);
  std::string tok;
  while (in >> tok) {
    if (tok == "Z" || tok == "z") continue;
    if (tok[0] == 'M') {
      out.emplace_back();
      tok.erase(0, 1);
    } else if (tok[0] == 'L') {
      tok.erase(0, 1);
    }
    if (tok.empty()) continue;
    const auto comma = tok.find(',');
    if (comma == std::string::npos || out.empty()) continue;
    out.back().push_back({std::stod(tok.substr(0, comma)), std::stod(tok.substr(comma + 1))});
  }
  return out;
}

std::string prop(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return {};
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return s;
}

void walk(const xmlNode* n, const std::function<void(const xmlNode*)>& f) {
  for (const xmlNode* c = n; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    f(c);
    walk(c->children, f);
  }
}

struct Line {
  std::string stroke;        // rgb(r, g, b) as gnuplot writes it
  std::string stroke_width;  // of the enclosing group
  std::vector<Polyline> parts;  // inside the frame (the legend's sample line left out)
};

struct Svg {
  double left = 0, right = 0, top = 0, bottom = 0;  // the plot frame
  std::vector<Line> plots;                          // gnuplot_plot_1, _2, ...: each one's line
};

Svg read_svg(const fs::path& file) {
  Svg svg;
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(xmlReadFile(file.c_str(), nullptr, XML_PARSE_NONET), xmlFreeDoc);
  REQUIRE(doc);
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  // The frame: the largest closed axis-aligned rectangle among the paths.
  double area = 0;
  walk(root, [&](const xmlNode* n) {
    if (std::string(reinterpret_cast<const char*>(n->name)) != "path") return;
    const std::string d = prop(n, "d");
    if (d.find('Z') == std::string::npos) return;
    const auto p = polylines(d);
    if (p.size() != 1 || p[0].size() != 5) return;
    double l = 1e300, r = -1e300, t = 1e300, b = -1e300;
    for (const Point& q : p[0]) l = std::min(l, q.x), r = std::max(r, q.x), t = std::min(t, q.y), b = std::max(b, q.y);
    if ((r - l) * (b - t) > area) {
      area = (r - l) * (b - t);
      svg.left = l, svg.right = r, svg.top = t, svg.bottom = b;
    }
  });
  REQUIRE(area > 0);
  for (int i = 1;; ++i) {
    const std::string id = "gnuplot_plot_" + std::to_string(i);
    const xmlNode* g = nullptr;
    walk(root, [&](const xmlNode* n) {
      if (!g && prop(n, "id") == id) g = n;
    });
    if (!g) break;
    Line line;
    walk(g->children, [&](const xmlNode* n) {
      if (std::string(reinterpret_cast<const char*>(n->name)) != "path" || prop(n, "stroke").rfind("rgb(", 0) != 0) return;
      line.stroke = prop(n, "stroke");
      line.stroke_width = n->parent ? prop(n->parent, "stroke-width") : "";
      for (Polyline& part : polylines(prop(n, "d"))) {
        bool inside = true;
        for (const Point& q : part)
          inside = inside && q.x >= svg.left - 1 && q.x <= svg.right + 1 && q.y >= svg.top - 1 && q.y <= svg.bottom + 1;
        if (inside) line.parts.push_back(std::move(part));
      }
    });
    svg.plots.push_back(std::move(line));
  }
  return svg;
}

std::string squeeze(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

void check_pdf(const fs::path& file) {
  REQUIRE(fs::is_regular_file(file));
  std::ifstream in(file, std::ios::binary);
  std::string head(4, '\0');
  in.read(head.data(), 4);
  CHECK(head == "%PDF");
  CHECK(fs::file_size(file) > 1000);
}

bool noted(const sedml::RunReport& r, const std::string& a, const std::string& b) {
  for (const auto& n : r.notes)
    if (n.find(a) != std::string::npos && n.find(b) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("plots: curves drawn as SVG map back to the data, with a log axis, styles, repeated tasks and PDF", "[sedml][plots]") {
  if (!have_gnuplot()) {
    WARN("skipped: gnuplot is not on PATH (install gnuplot-nox)");
    return;
  }
  const fs::path out = fresh_dir("v4");
  sedml::RunOptions opt;
  opt.output_dir = out.string();
  const sedml::RunReport r = sedml::run_file((kData / "plots.sedml").string(), opt);
  for (const auto& p : r.problems) INFO(p.element << ": " << p.message);
  REQUIRE(r.problems.empty());
  const fs::path dir = out / "plots.sedml";

  // decay: 21 points of 10 exp(-0.5 t) on x 0..10, y 0..10, in the style's colour and thickness.
  const Svg decay = read_svg(dir / "decay.svg");
  REQUIRE(decay.plots.size() == 1);
  const Line& c = decay.plots[0];
  CHECK(squeeze(c.stroke) == "rgb(208,28,139)");  // #d01c8b, style 'red'
  CHECK(c.stroke_width == "3.00");                // from its baseStyle 'thick'
  REQUIRE(c.parts.size() == 1);
  REQUIRE(c.parts[0].size() == 21);
  const double xpx = (decay.right - decay.left) / 10, ypx = (decay.bottom - decay.top) / 10;
  for (std::size_t i = 0; i < 21; ++i) {
    const double t = 0.5 * static_cast<double>(i), s = 10 * std::exp(-0.5 * t);
    const Point q = c.parts[0][i];
    CHECK(std::abs((q.x - decay.left) / xpx - t) * xpx <= 1.0);
    CHECK(std::abs((decay.bottom - q.y) / ypx - s) * ypx <= 1.0);
  }
  check_pdf(dir / "decay.pdf");
  {
    // The legend holds the curve's name as written: nothing in it was read as gnuplot syntax.
    std::ifstream in(dir / "decay.svg");
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("S, k = 0.5 (it's `not run` @nor &amp; &lt;this>)") != std::string::npos);
  }

  // decay_log: the same points on a log10 y axis from 0.001 to 10 (4 decades).
  const Svg log = read_svg(dir / "decay_log.svg");
  REQUIRE(log.plots.size() == 1);
  REQUIRE(log.plots[0].parts.size() == 1);
  REQUIRE(log.plots[0].parts[0].size() == 21);
  CHECK(squeeze(log.plots[0].stroke) == "rgb(31,119,180)");  // no style: the first default colour, #1f77b4
  const double dpx = (log.bottom - log.top) / 4;
  for (std::size_t i = 0; i < 21; ++i) {
    const double t = 0.5 * static_cast<double>(i), s = 10 * std::exp(-0.5 * t);
    const Point q = log.plots[0].parts[0][i];
    CHECK(std::abs((log.bottom - q.y) / dpx - (std::log10(s) + 3)) * dpx <= 1.0);
  }

  // scan: three lines, one per iteration (k = 0.1, 0.5, 1), 21 points each.
  const Svg scan = read_svg(dir / "scan.svg");
  REQUIRE(scan.plots.size() == 1);
  REQUIRE(scan.plots[0].parts.size() == 3);
  const double sx = (scan.right - scan.left) / 10, sy = (scan.bottom - scan.top) / 10;
  std::size_t j = 0;
  for (double k : {0.1, 0.5, 1.0}) {
    const Polyline& part = scan.plots[0].parts[j++];
    REQUIRE(part.size() == 21);
    for (std::size_t i = 0; i < 21; ++i) {
      const double t = 0.5 * static_cast<double>(i);
      CHECK(std::abs((part[i].x - scan.left) / sx - t) * sx <= 1.0);
      CHECK(std::abs((scan.bottom - part[i].y) / sy - 10 * std::exp(-k * t)) * sy <= 1.0);
    }
  }

  // band: a shaded area, a dashed curve with markers and a curve on the right axis, at 400 x 300.
  const fs::path band = dir / "band.svg";
  REQUIRE(fs::is_regular_file(band));
  {
    std::ifstream in(band);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("width=\"400\" height=\"300\"") != std::string::npos);
  }
  check_pdf(dir / "band.pdf");
  // Plots report the PDF drawn; reports their CSV.
  for (const auto& o : r.outputs)
    if (o.type == "plot2D") CHECK(o.file == (dir / (o.id + ".pdf")).string());
}

TEST_CASE("plots: Version 3 logY drops non-positive points naming the curve, and a plot3D", "[sedml][plots]") {
  if (!have_gnuplot()) {
    WARN("skipped: gnuplot is not on PATH (install gnuplot-nox)");
    return;
  }
  const fs::path out = fresh_dir("v3");
  sedml::RunOptions opt;
  opt.output_dir = out.string();
  const sedml::RunReport r = sedml::run_file((kData / "plots_v3.sedml").string(), opt);
  for (const auto& p : r.problems) INFO(p.element << ": " << p.message);
  REQUIRE(r.problems.empty());
  // S - 1 = 10 exp(-0.5 t) - 1 is positive for t = 0..4 only: 6 of 11 points dropped.
  CHECK(noted(r, "curve 'shifted'", "6 point(s) not positive"));
  const Svg svg = read_svg(out / "plots_v3.sedml" / "log_plot.svg");
  REQUIRE(svg.plots.size() == 1);
  std::size_t points = 0;
  for (const Polyline& p : svg.plots[0].parts) points += p.size();
  CHECK(points == 5);
  REQUIRE(svg.plots[0].parts.size() == 1);
  // The axis is autoscaled, so its range is not known here; but on a log axis the heights of the
  // points are an affine map of log10(S - 1): fitted through the first and last, the others must
  // lie within a pixel.
  const Polyline& p = svg.plots[0].parts[0];
  auto v = [](double t) { return std::log10(10 * std::exp(-0.5 * t) - 1); };
  const double per_decade = (p[4].y - p[0].y) / (v(4) - v(0));
  for (std::size_t i = 0; i < 5; ++i) {
    const double t = static_cast<double>(i);
    CHECK(std::abs(p[i].y - (p[0].y + (v(t) - v(0)) * per_decade)) <= 1.0);
    CHECK(std::abs(p[i].x - (p[0].x + t / 4 * (p[4].x - p[0].x))) <= 1.0);
  }
  check_pdf(out / "plots_v3.sedml" / "space.pdf");
  CHECK(fs::file_size(out / "plots_v3.sedml" / "space.svg") > 1000);
}

TEST_CASE("plots: RunOptions::draw_plots false draws nothing", "[sedml][plots]") {
  const fs::path out = fresh_dir("none");
  sedml::RunOptions opt;
  opt.output_dir = out.string();
  opt.draw_plots = false;
  const sedml::RunReport r = sedml::run_file((kData / "plots_v3.sedml").string(), opt);
  CHECK(r.problems.empty());
  CHECK(!fs::exists(out / "plots_v3.sedml" / "log_plot.svg"));
  CHECK(!fs::exists(out / "plots_v3.sedml" / "log_plot.pdf"));
  CHECK(noted(r, "plot(s)", "--no-plots"));
}

namespace {

// Every plot frame of an SVG (a figure has one per subPlot): the distinct closed axis-aligned
// rectangles of more than 1000 px², as left, top, right, bottom (gnuplot draws each border twice).
struct Frame {
  double left, top, right, bottom;
};
std::vector<Frame> frames(const fs::path& file) {
  std::vector<Frame> out;
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(xmlReadFile(file.c_str(), nullptr, XML_PARSE_NONET), xmlFreeDoc);
  REQUIRE(doc);
  walk(xmlDocGetRootElement(doc.get()), [&](const xmlNode* n) {
    if (std::string(reinterpret_cast<const char*>(n->name)) != "path") return;
    const std::string d = prop(n, "d");
    if (d.find('Z') == std::string::npos) return;
    const auto p = polylines(d);
    if (p.size() != 1 || p[0].size() != 5) return;
    Frame f{1e300, 1e300, -1e300, -1e300};
    for (const Point& q : p[0]) f.left = std::min(f.left, q.x), f.right = std::max(f.right, q.x), f.top = std::min(f.top, q.y), f.bottom = std::max(f.bottom, q.y);
    const bool again = std::any_of(out.begin(), out.end(), [&](const Frame& g) {
      return std::abs(g.left - f.left) + std::abs(g.top - f.top) + std::abs(g.right - f.right) + std::abs(g.bottom - f.bottom) < 1;
    });
    if (!again && (f.right - f.left) * (f.bottom - f.top) > 1000) out.push_back(f);
  });
  return out;
}

std::string text_of(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// How often `what` occurs inside the element with id `id` (its attributes and its children's).
std::size_t count_in_group(const fs::path& file, const std::string& id, const std::function<bool(const xmlNode*)>& what) {
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(xmlReadFile(file.c_str(), nullptr, XML_PARSE_NONET), xmlFreeDoc);
  REQUIRE(doc);
  const xmlNode* g = nullptr;
  walk(xmlDocGetRootElement(doc.get()), [&](const xmlNode* n) {
    if (!g && prop(n, "id") == id) g = n;
  });
  REQUIRE(g);
  std::size_t k = what(g) ? 1 : 0;
  walk(g->children, [&](const xmlNode* n) { k += what(n) ? 1 : 0; });
  return k;
}

}  // namespace

TEST_CASE("plots: Version 4 error bars, axis styles, a log right axis, nested scans and a figure", "[sedml][plots]") {
  if (!have_gnuplot()) {
    WARN("skipped: gnuplot is not on PATH (install gnuplot-nox)");
    return;
  }
  const fs::path out = fresh_dir("figure");
  sedml::RunOptions opt;
  opt.output_dir = out.string();
  const sedml::RunReport r = sedml::run_file((kData / "plots_figure.sedml").string(), opt);
  for (const auto& p : r.problems) INFO(p.element << ": " << p.message);
  REQUIRE(r.problems.empty());
  const fs::path dir = out / "plots_figure.sedml";

  // errors: the dashDot line (group 1), 11 filled blue squares (group 2) under 11 open red ones
  // (group 3, the markers' edge, 2 thick), then the error bars (group 4): at each t a vertical bar
  // from 0.9 S to 1.2 S (yErrorLower 0.1 S, yErrorUpper 0.2 S).
  const fs::path errors_svg = dir / "errors.svg";
  const Svg e = read_svg(errors_svg);
  REQUIRE(e.plots.size() == 4);
  CHECK(squeeze(e.plots[0].stroke) == "rgb(0,0,255)");
  CHECK(count_in_group(errors_svg, "gnuplot_plot_1", [](const xmlNode* n) { return !prop(n, "stroke-dasharray").empty(); }) > 0);
  auto markers = [&](const char* group, const char* shape, const char* colour) {
    return count_in_group(errors_svg, group, [&](const xmlNode* n) {
      return std::string(reinterpret_cast<const char*>(n->name)) == "use" && prop(n, "href") == shape &&
             squeeze(prop(n, "color")) == colour;
    });
  };
  CHECK(markers("gnuplot_plot_2", "#gpPt4", "rgb(0,0,255)") == 11);  // gnuplot's pt 5: a filled square
  CHECK(markers("gnuplot_plot_3", "#gpPt3", "rgb(255,0,0)") == 11);  // pt 4: an open square
  const double xpx = (e.right - e.left) / 10, ypx = (e.bottom - e.top) / 12;
  std::vector<Polyline> bars;
  for (const Polyline& p : e.plots[3].parts)
    if (p.size() == 2 && std::abs(p[0].x - p[1].x) < 0.01 && std::abs(p[0].y - p[1].y) > 0.01) bars.push_back(p);  // vertical: not a cap
  REQUIRE(bars.size() == 11);
  std::sort(bars.begin(), bars.end(), [](const Polyline& a, const Polyline& b) { return a[0].x < b[0].x; });
  for (std::size_t i = 0; i < 11; ++i) {
    const double t = static_cast<double>(i), s = 10 * std::exp(-0.5 * t);
    const double lo = std::max(bars[i][0].y, bars[i][1].y), hi = std::min(bars[i][0].y, bars[i][1].y);  // SVG y grows down
    CHECK(std::abs((bars[i][0].x - e.left) / xpx - t) * xpx <= 1.0);
    CHECK(std::abs((e.bottom - lo) / ypx - 0.9 * s) * ypx <= 1.0);
    CHECK(std::abs((e.bottom - hi) / ypx - 1.2 * s) * ypx <= 1.0);
  }
  // The x axis' style 'green' (#00aa00, thickness 2): its line along the frame's bottom side,
  // its tic labels and name in green; the y axis has no style.
  const std::string etext = squeeze(text_of(errors_svg));
  std::size_t green_text = 0;  // the six tic labels 0, 2, ..., 10 and the name
  for (auto at = etext.find("fill=\"rgb(0,170,0)\""); at != std::string::npos; at = etext.find("fill=\"rgb(0,170,0)\"", at + 1))
    ++green_text;
  CHECK(green_text == 7);
  std::size_t green_axis = 0;
  {
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(xmlReadFile(errors_svg.c_str(), nullptr, XML_PARSE_NONET), xmlFreeDoc);
    REQUIRE(doc);
    walk(xmlDocGetRootElement(doc.get()), [&](const xmlNode* n) {
      if (squeeze(prop(n, "stroke")) != "rgb(0,170,0)") return;
      for (const Polyline& p : polylines(prop(n, "d")))
        if (p.size() == 2 && std::abs(p[0].y - e.bottom) < 0.5 && std::abs(p[1].y - e.bottom) < 0.5 &&
            std::abs(std::min(p[0].x, p[1].x) - e.left) < 0.5 && std::abs(std::max(p[0].x, p[1].x) - e.right) < 0.5)
          ++green_axis;
    });
  }
  CHECK(green_axis == 1);
  check_pdf(dir / "errors.pdf");

  // right: S on the log10 right axis from 0.01 to 10 (3 decades), 11 points.
  const Svg right = read_svg(dir / "right.svg");
  REQUIRE(right.plots.size() == 2);
  REQUIRE(right.plots[1].parts.size() == 1);
  REQUIRE(right.plots[1].parts[0].size() == 11);
  const double dpx = (right.bottom - right.top) / 3, rx = (right.right - right.left) / 10;
  for (std::size_t i = 0; i < 11; ++i) {
    const double t = static_cast<double>(i), s = 10 * std::exp(-0.5 * t);
    const Point q = right.plots[1].parts[0][i];
    CHECK(std::abs((q.x - right.left) / rx - t) * rx <= 1.0);
    CHECK(std::abs((right.bottom - q.y) / dpx - (std::log10(s) + 2)) * dpx <= 1.0);
  }

  // nested: one line per innermost iteration, S0 exp(-k t) for (k, S0) = (0.2, 4), (0.2, 8),
  // (1, 4), (1, 8), in the order run.
  const Svg nested = read_svg(dir / "nested.svg");
  REQUIRE(nested.plots.size() == 1);
  REQUIRE(nested.plots[0].parts.size() == 4);
  const double nx = (nested.right - nested.left) / 10, ny = (nested.bottom - nested.top) / 10;
  std::size_t j = 0;
  for (double k : {0.2, 1.0})
    for (double s0 : {4.0, 8.0}) {
      const Polyline& part = nested.plots[0].parts[j++];
      REQUIRE(part.size() == 11);
      for (std::size_t i = 0; i < 11; ++i) {
        const double t = static_cast<double>(i);
        CHECK(std::abs((part[i].x - nested.left) / nx - t) * nx <= 1.0);
        CHECK(std::abs((nested.bottom - part[i].y) / ny - s0 * std::exp(-k * t)) * ny <= 1.0);
      }
    }

  // bare: the y axis' line "none" and the x axis' dashed: no closed frame left; a dashed blue
  // horizontal line (the x axis) as long as the plot is wide.
  const fs::path bare = dir / "bare.svg";
  CHECK(frames(bare).empty());
  std::size_t blue_dashed = 0;
  {
    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(xmlReadFile(bare.c_str(), nullptr, XML_PARSE_NONET), xmlFreeDoc);
    REQUIRE(doc);
    walk(xmlDocGetRootElement(doc.get()), [&](const xmlNode* n) {
      if (squeeze(prop(n, "stroke")) != "rgb(0,0,255)" || prop(n, "stroke-dasharray").empty()) return;
      for (const Polyline& p : polylines(prop(n, "d")))
        if (p.size() == 2 && std::abs(p[0].y - p[1].y) < 0.01 && std::abs(p[0].x - p[1].x) > 300) ++blue_dashed;
    });
  }
  CHECK(blue_dashed == 1);

  // panel: a figure of 2 x 2 cells of 480 x 360 pixels below a 30-pixel title band: 'errors'
  // across the top row, 'right' bottom left, 'nested' bottom right; its own SVG and PDF.
  const fs::path panel = dir / "panel.svg";
  REQUIRE(fs::is_regular_file(panel));
  const std::string ptext = text_of(panel);
  CHECK(ptext.find("width=\"960\" height=\"750\"") != std::string::npos);
  for (const char* title : {"Three plots", "Error bars", "right", "nested"}) CHECK(ptext.find(title) != std::string::npos);
  const std::vector<Frame> f = frames(panel);
  REQUIRE(f.size() == 3);
  const double mid_x = 480, mid_y = 30 + 360;
  std::size_t top = 0, bottom_left = 0, bottom_right = 0;
  for (const Frame& q : f) {
    if (q.bottom < mid_y && q.left < mid_x - 200 && q.right > mid_x + 200) ++top;  // spans both columns
    if (q.top > mid_y && q.right < mid_x) ++bottom_left;
    if (q.top > mid_y && q.left > mid_x) ++bottom_right;
  }
  CHECK(top == 1);
  CHECK(bottom_left == 1);
  CHECK(bottom_right == 1);
  check_pdf(dir / "panel.pdf");
  bool figure_reported = false;
  for (const auto& o : r.outputs)
    if (o.type == "figure") figure_reported = o.file == (dir / "panel.pdf").string();
  CHECK(figure_reported);
}

TEST_CASE("plots: a figure whose subPlot lies outside its grid is refused, naming the subPlot", "[sedml][plots]") {
  if (!have_gnuplot()) {
    WARN("skipped: gnuplot is not on PATH (install gnuplot-nox)");
    return;
  }
  const fs::path out = fresh_dir("figure_bad");
  // The same document with the figure's 'sp_nested' moved to column 3 of 2.
  std::string text = text_of(kData / "plots_figure.sedml");
  const std::string from = "plot=\"nested\" row=\"2\" col=\"2\"";
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), "plot=\"nested\" row=\"2\" col=\"3\"");
  {
    std::ofstream f(out / "bad_figure.sedml");
    f << text;
  }
  fs::copy_file(kData / "decay.xml", out / "decay.xml");
  sedml::RunOptions opt;
  opt.output_dir = (out / "out").string();
  const sedml::RunReport r = sedml::run_file((out / "bad_figure.sedml").string(), opt);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].element == "figure 'panel'");
  CHECK(r.problems[0].message.find("subPlot 'sp_nested'") != std::string::npos);
  CHECK(r.problems[0].message.find("outside the figure's 2 x 2 grid") != std::string::npos);
  CHECK(!fs::exists(out / "out" / "bad_figure.sedml" / "panel.svg"));
  CHECK(fs::exists(out / "out" / "bad_figure.sedml" / "nested.svg"));  // its plots are still drawn
}

TEST_CASE("plots: the writer (axisim export) keeps styles, axes, error bars, shaded areas and figures", "[sedml][plots]") {
  // Read, written again as export writes it, read back: what the drawing needs is all there.
  const fs::path out = fresh_dir("writer");
  for (const char* name : {"plots_figure.sedml", "plots.sedml"}) {
    const sedml::Document a = sedml::read_document((kData / name).string());
    const std::string text = sedml::write_document(a);
    {
      std::ofstream f(out / name);
      f << text;
    }
    const sedml::Document b = sedml::read_document((out / name).string());
    INFO(name << ":\n" << text);
    CHECK(b.problems.empty());
    REQUIRE(b.styles.size() == a.styles.size());
    for (std::size_t i = 0; i < a.styles.size(); ++i) {
      CHECK(b.styles[i].id == a.styles[i].id);
      CHECK(b.styles[i].base == a.styles[i].base);
      CHECK(b.styles[i].line_type == a.styles[i].line_type);
      CHECK(b.styles[i].line_color == a.styles[i].line_color);
      CHECK(b.styles[i].line_thickness == a.styles[i].line_thickness);
      CHECK(b.styles[i].marker_type == a.styles[i].marker_type);
      CHECK(b.styles[i].marker_fill == a.styles[i].marker_fill);
      CHECK(b.styles[i].marker_size == a.styles[i].marker_size);
      CHECK(b.styles[i].fill_color == a.styles[i].fill_color);
    }
    REQUIRE(b.outputs.size() == a.outputs.size());
    for (std::size_t i = 0; i < a.outputs.size(); ++i) {
      const sedml::PlotSpec &p = a.outputs[i].plot, &q = b.outputs[i].plot;
      CHECK(b.outputs[i].type == a.outputs[i].type);
      CHECK(q.legend == p.legend);
      CHECK(q.width == p.width);
      CHECK(q.height == p.height);
      for (auto [x, y] : {std::pair{&p.x, &q.x}, {&p.y, &q.y}, {&p.right_y, &q.right_y}}) {
        CHECK(y->present == x->present);
        CHECK(y->type == x->type);
        CHECK(y->name == x->name);
        CHECK(y->min == x->min);
        CHECK(y->max == x->max);
        CHECK(y->grid == x->grid);
        CHECK(y->reverse == x->reverse);
        CHECK(y->style == x->style);
      }
      REQUIRE(q.items.size() == p.items.size());
      for (std::size_t k = 0; k < p.items.size(); ++k) {
        const sedml::PlotItem &u = p.items[k], &v = q.items[k];
        CHECK(v.element == u.element);
        CHECK(v.id == u.id);
        CHECK(v.name == u.name);
        CHECK(v.x == u.x);
        CHECK(v.y == u.y);
        CHECK(v.y_from == u.y_from);
        CHECK(v.y_to == u.y_to);
        CHECK(v.type == u.type);
        CHECK(v.style == u.style);
        CHECK(v.order == u.order);
        CHECK(v.right_axis == u.right_axis);
        CHECK(v.y_err_upper == u.y_err_upper);
        CHECK(v.y_err_lower == u.y_err_lower);
      }
      CHECK(q.rows == p.rows);
      CHECK(q.cols == p.cols);
      REQUIRE(q.subplots.size() == p.subplots.size());
      for (std::size_t k = 0; k < p.subplots.size(); ++k) {
        CHECK(q.subplots[k].plot == p.subplots[k].plot);
        CHECK(q.subplots[k].row == p.subplots[k].row);
        CHECK(q.subplots[k].col == p.subplots[k].col);
        CHECK(q.subplots[k].row_span == p.subplots[k].row_span);
        CHECK(q.subplots[k].col_span == p.subplots[k].col_span);
      }
    }
  }
}
