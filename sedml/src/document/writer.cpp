// Writing SED-ML text from a Document (writer.hpp).
#include "document/writer.hpp"

#include "model/plugin_annotation.hpp"

#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

namespace axisim::sedml {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The shortest text that reads back as the same double.
std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "INF" : "-INF";
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

const char* kMathNs = "http://www.w3.org/1998/Math/MathML";

class Writer {
 public:
  explicit Writer(const Document& doc) : doc_(doc) {
    version_ = doc.version >= 1 && doc.version <= 4 ? doc.version : 3;
    collect_namespaces();
  }

  std::string text() {
    o_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sedML xmlns=\"" << sedml_namespace() << "\" level=\"1\" version=\""
       << version_ << "\"";
    for (const auto& [prefix, uri] : root_ns_) o_ << " xmlns:" << prefix << "=\"" << escape(uri) << "\"";
    o_ << ">\n";
    if (!doc_.data_descriptions.empty()) {
      // As read: their dimension descriptions are not modelled here, so the element is kept whole.
      o_ << "  <listOfDataDescriptions>\n";
      for (const DataDescription& d : doc_.data_descriptions) o_ << "    " << d.xml << "\n";
      o_ << "  </listOfDataDescriptions>\n";
    }
    models();
    simulations();
    tasks();
    generators();
    outputs();
    styles();
    o_ << "</sedML>\n";
    return o_.str();
  }

 private:
  const Document& doc_;
  int version_ = 3;
  std::ostringstream o_;
  Namespaces root_ns_;

  std::string sedml_namespace() const {
    if (version_ == 1) return "http://sed-ml.org/";
    return "http://sed-ml.org/sed-ml/level1/version" + std::to_string(version_);
  }

  // Prefixes that mean the same everywhere they are used go on the root; the rest on the element.
  void collect_namespaces() {
    std::map<std::string, std::set<std::string>> seen;
    auto add = [&](const Namespaces& ns) {
      for (const auto& [p, u] : ns) seen[p].insert(u);
    };
    for (const ModelDef& m : doc_.models)
      for (const Change& c : m.changes) {
        add(c.ns);
        for (const Variable& v : c.variables) add(v.ns);
      }
    for (const Task& t : doc_.tasks) {
      for (const SetValue& s : t.changes) {
        add(s.ns);
        for (const Variable& v : s.variables) add(v.ns);
      }
      for (const Range& r : t.ranges)
        for (const Variable& v : r.variables) add(v.ns);
    }
    for (const DataGenerator& g : doc_.generators)
      for (const Variable& v : g.variables) add(v.ns);
    for (const auto& [p, uris] : seen)
      if (uris.size() == 1 && p != "xml" && *uris.begin() != sedml_namespace() && *uris.begin() != kMathNs)
        root_ns_[p] = *uris.begin();
  }

  std::string local_ns(const Namespaces& ns) const {
    std::string out;
    for (const auto& [p, u] : ns) {
      if (p == "xml") continue;
      const auto it = root_ns_.find(p);
      if (it == root_ns_.end() || it->second != u) out += " xmlns:" + p + "=\"" + escape(u) + "\"";
    }
    return out;
  }

  void attr(const char* name, const std::string& value) {
    if (!value.empty()) o_ << ' ' << name << "=\"" << escape(value) << '"';
  }

  void math(const MathNode& n) {
    switch (n.kind) {
      case MathNode::Kind::Number:
        if (std::isnan(n.value)) o_ << "<notanumber/>";
        else if (std::isinf(n.value)) o_ << (n.value > 0 ? "<infinity/>" : "<apply><minus/><infinity/></apply>");
        else o_ << "<cn>" << number(n.value) << "</cn>";
        return;
      case MathNode::Kind::Identifier:
        if (n.name == "urn:sedml:symbol:time")
          o_ << "<csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/time\">time</csymbol>";
        else o_ << "<ci>" << escape(n.name) << "</ci>";
        return;
      case MathNode::Kind::Piecewise: {
        o_ << "<piecewise>";
        std::size_t i = 0;
        for (; i + 1 < n.args.size(); i += 2) {
          o_ << "<piece>";
          math(n.args[i]);
          math(n.args[i + 1]);
          o_ << "</piece>";
        }
        if (i < n.args.size()) {
          o_ << "<otherwise>";
          math(n.args[i]);
          o_ << "</otherwise>";
        }
        o_ << "</piecewise>";
        return;
      }
      case MathNode::Kind::Apply: {
        // SED-ML's csymbol #stdev / #std is written as MathML's own <sdev/> (read back the same).
        o_ << "<apply><" << (n.name == "stdev" || n.name == "std" ? std::string("sdev") : n.name) << "/>";
        std::size_t first = 0;
        if (n.has_qualifier && !n.args.empty()) {
          const char* q = n.name == "log" ? "logbase" : "degree";
          o_ << '<' << q << '>';
          math(n.args[0]);
          o_ << "</" << q << '>';
          first = 1;
        }
        for (std::size_t i = first; i < n.args.size(); ++i) math(n.args[i]);
        o_ << "</apply>";
        return;
      }
    }
  }

  void math_element(const std::optional<MathNode>& m, const std::string& indent) {
    if (!m) return;
    o_ << indent << "<math xmlns=\"" << kMathNs << "\">";
    math(*m);
    o_ << "</math>\n";
  }

  void variables(const std::vector<Variable>& vs, const std::string& indent) {
    if (vs.empty()) return;
    o_ << indent << "<listOfVariables>\n";
    for (const Variable& v : vs) {
      o_ << indent << "  <variable";
      attr("id", v.id);
      attr("taskReference", v.task_ref);
      attr("modelReference", v.model_ref);
      attr("target", v.target);
      attr("symbol", v.symbol);
      attr("term", v.term);
      attr("symbol2", v.symbol2);
      attr("target2", v.target2);
      o_ << local_ns(v.ns);
      if (v.remaining.empty()) {
        o_ << "/>\n";
        continue;
      }
      o_ << ">\n" << indent << "    <listOfRemainingDimensions>\n";
      for (const std::string& r : v.remaining)
        o_ << indent << "      <remainingDimension target=\"" << escape(r) << "\"/>\n";
      o_ << indent << "    </listOfRemainingDimensions>\n" << indent << "  </variable>\n";
    }
    o_ << indent << "</listOfVariables>\n";
  }

  void parameters(const std::vector<Parameter>& ps, const std::string& indent) {
    if (ps.empty()) return;
    o_ << indent << "<listOfParameters>\n";
    for (const Parameter& p : ps) o_ << indent << "  <parameter id=\"" << escape(p.id) << "\" value=\"" << number(p.value) << "\"/>\n";
    o_ << indent << "</listOfParameters>\n";
  }

  void models() {
    o_ << "  <listOfModels>\n";
    for (const ModelDef& m : doc_.models) {
      o_ << "    <model";
      attr("id", m.id);
      attr("language", m.language);
      attr("source", m.source);
      if (m.changes.empty() && m.plugins.empty()) {
        o_ << "/>\n";
        continue;
      }
      o_ << ">\n" << plugin_annotation_xml(m.plugins, "      ");
      if (m.changes.empty()) {
        o_ << "    </model>\n";
        continue;
      }
      o_ << "      <listOfChanges>\n";
      for (const Change& c : m.changes) {
        o_ << "        <" << c.type;
        attr("target", c.target);
        if (c.type == "changeAttribute") o_ << " newValue=\"" << escape(c.new_value) << '"';
        o_ << local_ns(c.ns);
        if (c.type == "addXML" || c.type == "changeXML") {
          o_ << ">\n          <newXML>" << c.new_xml << "</newXML>\n        </" << c.type << ">\n";
        } else if (c.type == "computeChange") {
          o_ << ">\n";
          variables(c.variables, "          ");
          parameters(c.parameters, "          ");
          math_element(c.math, "          ");
          o_ << "        </computeChange>\n";
        } else {
          o_ << "/>\n";
        }
      }
      o_ << "      </listOfChanges>\n    </model>\n";
    }
    o_ << "  </listOfModels>\n";
  }

  void simulations() {
    o_ << "  <listOfSimulations>\n";
    for (const Simulation& s : doc_.simulations) {
      o_ << "    <" << s.type;
      attr("id", s.id);
      if (s.type == "uniformTimeCourse") {
        o_ << " initialTime=\"" << number(s.initial_time) << "\" outputStartTime=\"" << number(s.output_start)
           << "\" outputEndTime=\"" << number(s.output_end) << "\" " << (version_ >= 4 ? "numberOfSteps" : "numberOfPoints")
           << "=\"" << s.points << '"';
      } else if (s.type == "oneStep") {
        o_ << " step=\"" << number(s.step) << '"';
      }
      o_ << ">\n      <algorithm kisaoID=\"" << escape(s.kisao) << '"';
      if (s.parameters.empty()) {
        o_ << "/>\n";
      } else {
        o_ << ">\n        <listOfAlgorithmParameters>\n";
        for (const AlgorithmParameter& p : s.parameters)
          o_ << "          <algorithmParameter kisaoID=\"" << escape(p.kisao) << "\" value=\"" << escape(p.value) << "\"/>\n";
        o_ << "        </listOfAlgorithmParameters>\n      </algorithm>\n";
      }
      o_ << "    </" << s.type << ">\n";
    }
    o_ << "  </listOfSimulations>\n";
  }

  void tasks() {
    o_ << "  <listOfTasks>\n";
    for (const Task& t : doc_.tasks) {
      if (t.estimation) {
        // As read: its fit experiments and adjustable parameters are written back whole.
        o_ << "    " << t.estimation->xml << "\n";
        continue;
      }
      o_ << "    <" << t.type;
      attr("id", t.id);
      if (t.type != "repeatedTask") {
        attr("modelReference", t.model_ref);
        attr("simulationReference", t.sim_ref);
        o_ << "/>\n";
        continue;
      }
      attr("range", t.range_ref);
      o_ << " resetModel=\"" << (t.reset_model ? "true" : "false") << "\">\n";
      if (!t.ranges.empty()) {
        o_ << "      <listOfRanges>\n";
        for (const Range& r : t.ranges) {
          o_ << "        <" << r.type;
          attr("id", r.id);
          if (r.type == "uniformRange") {
            o_ << " start=\"" << number(r.start) << "\" end=\"" << number(r.end) << "\" "
               << (version_ >= 4 ? "numberOfSteps" : "numberOfPoints") << "=\"" << r.points << '"';
            attr("type", r.scale.empty() ? "linear" : r.scale);
            o_ << "/>\n";
          } else if (r.type == "vectorRange") {
            o_ << ">";
            for (double v : r.values) o_ << "<value>" << number(v) << "</value>";
            o_ << "</vectorRange>\n";
          } else if (r.type == "functionalRange") {
            attr("range", r.range_ref);
            o_ << ">\n";
            variables(r.variables, "          ");
            parameters(r.parameters, "          ");
            math_element(r.math, "          ");
            o_ << "        </functionalRange>\n";
          } else {
            o_ << "/>\n";
          }
        }
        o_ << "      </listOfRanges>\n";
      }
      if (!t.changes.empty()) {
        o_ << "      <listOfChanges>\n";
        for (const SetValue& c : t.changes) {
          o_ << "        <setValue";
          attr("target", c.target);
          attr("symbol", c.symbol);
          attr("modelReference", c.model_ref);
          attr("range", c.range_ref);
          o_ << local_ns(c.ns) << ">\n";
          variables(c.variables, "          ");
          parameters(c.parameters, "          ");
          math_element(c.math, "          ");
          o_ << "        </setValue>\n";
        }
        o_ << "      </listOfChanges>\n";
      }
      o_ << "      <listOfSubTasks>\n";
      for (const SubTask& s : t.subtasks)
        o_ << "        <subTask task=\"" << escape(s.task) << "\" order=\"" << number(s.order) << "\"/>\n";
      o_ << "      </listOfSubTasks>\n    </repeatedTask>\n";
    }
    o_ << "  </listOfTasks>\n";
  }

  void generators() {
    o_ << "  <listOfDataGenerators>\n";
    for (const DataGenerator& g : doc_.generators) {
      o_ << "    <dataGenerator";
      attr("id", g.id);
      attr("name", g.name);
      o_ << ">\n";
      variables(g.variables, "      ");
      parameters(g.parameters, "      ");
      math_element(g.math, "      ");
      o_ << "    </dataGenerator>\n";
    }
    o_ << "  </listOfDataGenerators>\n";
  }

  void outputs() {
    o_ << "  <listOfOutputs>\n";
    for (const Output& out : doc_.outputs) {
      o_ << "    <" << out.type;
      attr("id", out.id);
      attr("name", out.name);
      attr("taskRef", out.task_ref);
      const PlotSpec& spec = out.plot;
      if (version_ >= 4 && (out.type == "plot2D" || out.type == "plot3D" || out.type == "figure")) {
        if (spec.legend) attr("legend", *spec.legend ? "true" : "false");
        if (spec.width) attr("width", number(*spec.width));
        if (spec.height) attr("height", number(*spec.height));
      }
      if (out.type == "figure" && !spec.subplots.empty()) {
        if (spec.rows > 0) attr("numRows", std::to_string(spec.rows));
        if (spec.cols > 0) attr("numCols", std::to_string(spec.cols));
      }
      o_ << ">\n";
      if (out.type == "report") {
        o_ << "      <listOfDataSets>\n";
        for (const DataSet& ds : out.data_sets) {
          o_ << "        <dataSet";
          attr("id", ds.id);
          attr("label", ds.label.empty() ? ds.id : ds.label);
          attr("name", ds.name);
          attr("dataReference", ds.data_ref);
          o_ << "/>\n";
        }
        o_ << "      </listOfDataSets>\n";
      } else if ((out.type == "plot2D" || out.type == "plot3D") && !spec.items.empty()) {
        plot_items(out);
      } else if (out.type == "plot2D" || out.type == "plot3D") {
        // A plot made here (export.cpp): its curves' data references only.
        const bool surfaces = out.type == "plot3D";
        o_ << "      <" << (surfaces ? "listOfSurfaces" : "listOfCurves") << ">\n";
        int n = 0;
        for (const Output::Curve& c : out.curves) {
          if (c.refs.size() < (surfaces ? 3u : 2u)) continue;
          static const char* refs[] = {"xDataReference", "yDataReference", "zDataReference"};
          o_ << "        <" << (surfaces ? "surface" : "curve");
          attr("id", c.id.empty() ? out.id + "_" + std::to_string(n) : c.id);
          ++n;
          if (version_ >= 4) o_ << (surfaces ? " type=\"surfaceMesh\"" : " type=\"points\"");
          else o_ << " logX=\"false\" logY=\"false\"" << (surfaces ? " logZ=\"false\"" : "");
          for (std::size_t i = 0; i < c.refs.size() && i < 3; ++i) attr(refs[i], c.refs[i]);
          o_ << "/>\n";
        }
        o_ << "      </" << (surfaces ? "listOfSurfaces" : "listOfCurves") << ">\n";
      } else if (out.type == "figure" && !spec.subplots.empty()) {
        o_ << "      <listOfSubPlots>\n";
        for (const SubPlot& sp : spec.subplots) {
          o_ << "        <subPlot";
          attr("id", sp.id);
          attr("plot", sp.plot);
          attr("row", std::to_string(sp.row));
          attr("col", std::to_string(sp.col));
          attr("rowSpan", std::to_string(sp.row_span));
          attr("colSpan", std::to_string(sp.col_span));
          o_ << "/>\n";
        }
        o_ << "      </listOfSubPlots>\n";
      }
      o_ << "    </" << out.type << ">\n";
    }
    o_ << "  </listOfOutputs>\n";
  }

  // A plot read from a document: its curves, shaded areas and surfaces as read (types, styles,
  // order, right axis, error bars; Versions 1-3 their logX / logY / logZ), then its axes.
  void plot_items(const Output& out) {
    const bool surfaces = out.type == "plot3D";
    const bool v4 = version_ >= 4;
    o_ << "      <" << (surfaces ? "listOfSurfaces" : "listOfCurves") << ">\n";
    for (const PlotItem& it : out.plot.items) {
      // A shaded area exists from Version 4 on (docs/sedml.md, export)
      if (it.element == "shadedArea" && !v4) continue;
      o_ << "        <" << it.element;
      attr("id", it.id);
      attr("name", it.name);
      if (v4) {
        // Without a type a surface is drawn as a parametric curve and a curve as points (plot.cpp)
        attr("type", !it.type.empty() ? it.type : it.element == "surface" ? "parametricCurve" : it.element == "curve" ? "points" : "");
        attr("style", it.style);
        if (it.order != 0) attr("order", number(it.order));
        if (it.right_axis) attr("yAxis", "right");
      } else {
        o_ << " logX=\"" << (it.log_x ? "true" : "false") << "\"";
        if (it.element != "shadedArea") o_ << " logY=\"" << (it.log_y ? "true" : "false") << "\"";
        if (surfaces) o_ << " logZ=\"" << (it.log_z ? "true" : "false") << "\"";
      }
      attr("xDataReference", it.x);
      attr("yDataReference", it.y);
      attr("zDataReference", it.z);
      attr("yDataReferenceFrom", it.y_from);
      attr("yDataReferenceTo", it.y_to);
      if (v4) {
        attr("xErrorUpper", it.x_err_upper);
        attr("xErrorLower", it.x_err_lower);
        attr("yErrorUpper", it.y_err_upper);
        attr("yErrorLower", it.y_err_lower);
      }
      o_ << "/>\n";
    }
    o_ << "      </" << (surfaces ? "listOfSurfaces" : "listOfCurves") << ">\n";
    if (!v4) return;
    const PlotSpec& spec = out.plot;
    axis("xAxis", spec.x);
    axis("yAxis", spec.y);
    if (!surfaces) axis("rightYAxis", spec.right_y);
    else axis("zAxis", spec.z);
  }

  void axis(const char* element, const PlotAxis& a) {
    if (!a.present) return;
    o_ << "      <" << element;
    // Version 4's names for the types some documents spell lin / log
    attr("type", a.type == "lin" ? "linear" : a.type == "log" ? "log10" : a.type.empty() ? "linear" : a.type);
    attr("name", a.name);
    if (a.min) attr("min", number(*a.min));
    if (a.max) attr("max", number(*a.max));
    if (a.grid) attr("grid", "true");
    if (a.reverse) attr("reverseDirection", "true");
    attr("style", a.style);
    o_ << "/>\n";
  }

  // Version 4 listOfStyles, each setting as read (absent ones not written).
  void styles() {
    if (version_ < 4 || doc_.styles.empty()) return;
    o_ << "  <listOfStyles>\n";
    for (const Style& st : doc_.styles) {
      o_ << "    <style";
      attr("id", st.id);
      attr("baseStyle", st.base);
      o_ << ">\n";
      auto text = [&](const char* name, const std::optional<std::string>& v) {
        if (v) attr(name, *v);
      };
      auto num = [&](const char* name, const std::optional<double>& v) {
        if (v) attr(name, number(*v));
      };
      if (st.line_type || st.line_color || st.line_thickness) {
        o_ << "      <line";
        text("type", st.line_type);
        text("color", st.line_color);
        num("thickness", st.line_thickness);
        o_ << "/>\n";
      }
      if (st.marker_type || st.marker_fill || st.marker_line_color || st.marker_size || st.marker_line_thickness) {
        o_ << "      <marker";
        text("type", st.marker_type);
        num("size", st.marker_size);
        text("fill", st.marker_fill);
        text("lineColor", st.marker_line_color);
        num("lineThickness", st.marker_line_thickness);
        o_ << "/>\n";
      }
      if (st.fill_color) {
        o_ << "      <fill";
        text("color", st.fill_color);
        o_ << "/>\n";
      }
      o_ << "    </style>\n";
    }
    o_ << "  </listOfStyles>\n";
  }
};

}  // namespace

std::string write_document(const Document& doc) { return Writer(doc).text(); }

}  // namespace axisim::sedml
