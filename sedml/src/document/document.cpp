// Reading SED-ML with libxml2 (one of the three files of the library that see libxml2; the others
// are sbml_xml.cpp and numl.cpp).
#include "document/document.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <numbers>
#include <stdexcept>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "data/numl.hpp"
#include "document/xml_nodes.hpp"

namespace axisim::sedml {
namespace {

using DocPtr = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

using xml::attr;
using xml::child;
using xml::elements;
using xml::has_attr;
using xml::name_of;
using xml::text;
using xml::trim;

std::vector<const xmlNode*> list(const xmlNode* n, const std::string& list_name) {
  return elements(child(n, list_name));
}

double number(const std::string& s, const std::string& what) {
  const std::string t = trim(s);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0') {
    if (t == "INF" || t == "inf") return std::numeric_limits<double>::infinity();
    if (t == "-INF" || t == "-inf") return -std::numeric_limits<double>::infinity();
    if (t == "NaN" || t == "nan") return std::numeric_limits<double>::quiet_NaN();
    throw std::runtime_error(what + ": '" + t + "' is not a number");
  }
  return v;
}

// A whole number (startIndex, endIndex); throws std::runtime_error naming `what` otherwise.
long integer(const std::string& s, const std::string& what) {
  const std::string t = trim(s);
  char* end = nullptr;
  const long v = std::strtol(t.c_str(), &end, 10);
  if (t.empty() || *end != '\0') throw std::runtime_error(what + ": '" + t + "' is not a whole number");
  return v;
}

Namespaces namespaces_in_scope(xmlDoc* doc, const xmlNode* n) {
  Namespaces out;
  xmlNsPtr* list = xmlGetNsList(doc, n);
  if (!list) return out;
  for (xmlNsPtr* p = list; *p; ++p)
    if ((*p)->prefix) out.emplace(reinterpret_cast<const char*>((*p)->prefix), reinterpret_cast<const char*>((*p)->href));
  xmlFree(list);
  return out;
}

MathNode parse_math(const xmlNode* n);

// A <cn>: plain, e-notation (a<sep/>b) or rational (a<sep/>b).
MathNode parse_cn(const xmlNode* n) {
  const std::string type = attr(n, "type");
  MathNode m;
  if (type == "e-notation" || type == "rational") {
    std::string a, b;
    bool after = false;
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (c->type == XML_ELEMENT_NODE && name_of(c) == "sep") after = true;
      else if (c->type == XML_TEXT_NODE) (after ? b : a) += reinterpret_cast<const char*>(c->content);
    }
    const double x = number(a, "<cn>"), y = number(b, "<cn>");
    m.value = type == "rational" ? x / y : x * std::pow(10.0, y);
  } else {
    m.value = number(text(n), "<cn>");
  }
  return m;
}

MathNode parse_math(const xmlNode* n) {
  const std::string name = name_of(n);
  MathNode m;
  if (name == "cn") return parse_cn(n);
  if (name == "ci") {
    m.kind = MathNode::Kind::Identifier;
    m.name = text(n);
    return m;
  }
  if (name == "csymbol") {
    const std::string url = attr(n, "definitionURL");
    m.kind = MathNode::Kind::Identifier;
    m.name = url.size() >= 4 && url.substr(url.size() - 4) == "time" ? "urn:sedml:symbol:time" : text(n);
    return m;
  }
  if (name == "true") { m.value = 1; return m; }
  if (name == "false") { m.value = 0; return m; }
  if (name == "pi") { m.value = std::numbers::pi; return m; }
  if (name == "exponentiale") { m.value = std::numbers::e; return m; }
  if (name == "infinity") { m.value = std::numeric_limits<double>::infinity(); return m; }
  if (name == "notanumber") { m.value = std::numeric_limits<double>::quiet_NaN(); return m; }
  if (name == "semantics") {
    const auto kids = elements(n);
    if (kids.empty()) throw std::runtime_error("empty <semantics>");
    return parse_math(kids[0]);
  }
  if (name == "piecewise") {
    m.kind = MathNode::Kind::Piecewise;
    const xmlNode* otherwise = nullptr;
    for (const xmlNode* c : elements(n)) {
      if (name_of(c) == "piece") {
        const auto kids = elements(c);
        if (kids.size() != 2) throw std::runtime_error("<piece> needs a value and a condition");
        m.args.push_back(parse_math(kids[0]));
        m.args.push_back(parse_math(kids[1]));
      } else if (name_of(c) == "otherwise") {
        otherwise = c;
      }
    }
    if (otherwise) {
      const auto kids = elements(otherwise);
      if (kids.size() != 1) throw std::runtime_error("<otherwise> needs one value");
      m.args.push_back(parse_math(kids[0]));
    }
    return m;
  }
  if (name == "apply") {
    const auto kids = elements(n);
    if (kids.empty()) throw std::runtime_error("empty <apply>");
    m.kind = MathNode::Kind::Apply;
    m.name = name_of(kids[0]);
    if (m.name == "csymbol") {
      // SED-ML's own functions (http://sed-ml.org/#max, #min, #sum, #product, ...) over a series.
      const std::string url = attr(kids[0], "definitionURL");
      const auto hash = url.find("sed-ml.org/#");
      if (hash == std::string::npos)
        throw std::runtime_error("function <csymbol definitionURL=\"" + url + "\"> is not supported in SED-ML math");
      m.name = url.substr(hash + 12);
    } else if (m.name == "ci") {
      throw std::runtime_error("function calls (<apply><ci>) are not supported in SED-ML math");
    }
    for (std::size_t i = 1; i < kids.size(); ++i) {
      const std::string k = name_of(kids[i]);
      if (k == "logbase" || k == "degree") {
        const auto q = elements(kids[i]);
        if (q.size() != 1) throw std::runtime_error("<" + k + "> needs one value");
        m.args.insert(m.args.begin(), parse_math(q[0]));
        m.has_qualifier = true;
      } else {
        m.args.push_back(parse_math(kids[i]));
      }
    }
    return m;
  }
  throw std::runtime_error("MathML element <" + name + "> is not supported");
}

// The <math> child of `n`, if any; a problem is recorded against `element` when it cannot be read.
std::optional<MathNode> math_of(const xmlNode* n, const std::string& element, Document& doc) {
  const xmlNode* math = child(n, "math");
  if (!math) return std::nullopt;
  const auto kids = elements(math);
  if (kids.size() != 1) {
    doc.problems.push_back({ErrorKind::Unsupported, element, "<math> must hold exactly one expression"});
    return std::nullopt;
  }
  try {
    return parse_math(kids[0]);
  } catch (const std::exception& e) {
    doc.problems.push_back({ErrorKind::Unsupported, element, e.what()});
    return std::nullopt;
  }
}

Variable read_variable(xmlDoc* d, const xmlNode* v) {
  Variable out;  // member by member: ns and remaining are filled below, only where they apply
  out.id = attr(v, "id");
  out.target = attr(v, "target");
  out.symbol = attr(v, "symbol");
  out.term = attr(v, "term");
  out.task_ref = attr(v, "taskReference");
  out.model_ref = attr(v, "modelReference");
  out.symbol2 = attr(v, "symbol2");
  out.target2 = attr(v, "target2");
  if (!out.target.empty() || !out.target2.empty()) out.ns = namespaces_in_scope(d, v);
  for (const xmlNode* r : list(v, "listOfRemainingDimensions")) out.remaining.push_back(attr(r, "target"));
  return out;
}

std::vector<Parameter> read_parameters(const xmlNode* n, const std::string& element, Document& doc) {
  std::vector<Parameter> out;
  for (const xmlNode* p : list(n, "listOfParameters")) {
    try {
      out.push_back({attr(p, "id"), number(attr(p, "value"), "parameter '" + attr(p, "id") + "' value")});
    } catch (const std::exception& e) {
      doc.problems.push_back({ErrorKind::InvalidSbml, element, e.what()});
    }
  }
  return out;
}

std::string serialize_children(xmlDoc* d, const xmlNode* n) {
  std::string out;
  if (!n) return out;
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    xmlBufferPtr buf = xmlBufferCreate();
    xmlNodeDump(buf, d, c, 0, 0);
    out.append(reinterpret_cast<const char*>(xmlBufferContent(buf)), static_cast<std::size_t>(xmlBufferLength(buf)));
    xmlBufferFree(buf);
  }
  return out;
}

Change read_change(xmlDoc* d, const xmlNode* c, const std::string& model_id, Document& doc) {
  Change ch;
  ch.type = name_of(c);
  ch.target = attr(c, "target");
  ch.ns = namespaces_in_scope(d, c);
  ch.new_value = attr(c, "newValue");
  const std::string element = "model '" + model_id + "' " + ch.type + " '" + ch.target + "'";
  if (ch.type == "addXML" || ch.type == "changeXML") ch.new_xml = serialize_children(d, child(c, "newXML"));
  if (ch.type == "computeChange") {
    for (const xmlNode* v : list(c, "listOfVariables")) ch.variables.push_back(read_variable(d, v));
    ch.parameters = read_parameters(c, element, doc);
    ch.math = math_of(c, element, doc);
  }
  return ch;
}

double number_attr(const xmlNode* n, const char* name, const std::string& element) {
  return number(attr(n, name), element + " attribute " + name);
}

// ---- plots (plot_spec.hpp) -------------------------------------------------------------------

std::optional<double> optional_number(const xmlNode* n, const char* name) {
  if (!has_attr(n, name)) return std::nullopt;
  const std::string t = trim(attr(n, name));
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0') return std::nullopt;  // not a number: as if absent (plot.cpp defaults)
  return v;
}

bool true_attr(const xmlNode* n, const char* name) {
  const std::string v = trim(attr(n, name));
  return v == "true" || v == "1";
}

PlotAxis read_axis(const xmlNode* a) {
  PlotAxis axis;
  if (!a) return axis;
  axis.present = true;
  axis.name = attr(a, "name");
  axis.type = attr(a, "type");
  axis.min = optional_number(a, "min");
  axis.max = optional_number(a, "max");
  axis.grid = true_attr(a, "grid");
  // "reverse" is how some documents of the corpus spell Version 4's reverseDirection
  axis.reverse = true_attr(a, "reverseDirection") || true_attr(a, "reverse");
  axis.style = attr(a, "style");
  return axis;
}

PlotSpec read_plot_spec(const xmlNode* o) {
  PlotSpec spec;
  if (has_attr(o, "legend")) spec.legend = true_attr(o, "legend");
  spec.height = optional_number(o, "height");
  spec.width = optional_number(o, "width");
  spec.x = read_axis(child(o, "xAxis"));
  spec.y = read_axis(child(o, "yAxis"));
  spec.right_y = read_axis(child(o, "rightYAxis"));
  spec.z = read_axis(child(o, "zAxis"));
  for (const char* l : {"listOfCurves", "listOfSurfaces"})
    for (const xmlNode* c : list(o, l)) {
      PlotItem item;
      item.id = attr(c, "id");
      item.name = attr(c, "name");
      item.element = name_of(c);
      item.x = attr(c, "xDataReference");
      item.y = attr(c, "yDataReference");
      item.z = attr(c, "zDataReference");
      item.y_from = attr(c, "yDataReferenceFrom");
      item.y_to = attr(c, "yDataReferenceTo");
      item.x_err_upper = attr(c, "xErrorUpper");
      item.x_err_lower = attr(c, "xErrorLower");
      item.y_err_upper = attr(c, "yErrorUpper");
      item.y_err_lower = attr(c, "yErrorLower");
      item.type = attr(c, "type");
      item.style = attr(c, "style");
      item.log_x = true_attr(c, "logX");
      item.log_y = true_attr(c, "logY");
      item.log_z = true_attr(c, "logZ");
      item.right_axis = attr(c, "yAxis") == "right";
      item.order = optional_number(c, "order").value_or(0);
      spec.items.push_back(std::move(item));
    }
  return spec;
}

Style read_style(const xmlNode* s) {
  Style st;
  st.id = attr(s, "id");
  st.base = attr(s, "baseStyle");
  auto text_attr = [](const xmlNode* n, const char* name) -> std::optional<std::string> {
    if (!n || !has_attr(n, name)) return std::nullopt;
    return trim(attr(n, name));
  };
  if (const xmlNode* l = child(s, "line")) {
    st.line_type = text_attr(l, "type");
    st.line_color = text_attr(l, "color");
    st.line_thickness = optional_number(l, "thickness");
  }
  if (const xmlNode* m = child(s, "marker")) {
    // "style" is how some documents of the corpus spell the marker's type
    st.marker_type = has_attr(m, "type") ? text_attr(m, "type") : text_attr(m, "style");
    st.marker_fill = text_attr(m, "fill");
    st.marker_line_color = text_attr(m, "lineColor");
    st.marker_size = optional_number(m, "size");
    st.marker_line_thickness = optional_number(m, "lineThickness");
  }
  if (const xmlNode* f = child(s, "fill")) st.fill_color = text_attr(f, "color");
  return st;
}

// The axisim annotation on a simulation's <algorithm> for logical models (document.hpp,
// Simulation::one_level). Other annotations are not axisim's and are skipped.
void read_logical_annotation(const xmlNode* algorithm, Simulation& sim, const std::string& element, Document& doc) {
  for (const xmlNode* a : elements(algorithm)) {
    if (name_of(a) != "annotation") continue;
    for (const xmlNode* e : elements(a)) {
      if (name_of(e) != "logical" || !e->ns || !e->ns->href ||
          std::string(reinterpret_cast<const char*>(e->ns->href)) != kLogicalAnnotationNs)
        continue;
      const std::string move = attr(e, "levelMove");
      if (move == "oneLevel") sim.one_level = true;
      else if (move == "target" || move.empty()) sim.one_level = false;
      else
        doc.problems.push_back({ErrorKind::InvalidSbml, element,
                                "axisim logical annotation: levelMove '" + move + "' is neither 'target' nor 'oneLevel'"});
      sim.trap_spaces = attr(e, "trapSpaces");
      if (!sim.trap_spaces.empty() && sim.trap_spaces != "minimal" && sim.trap_spaces != "maximal" && sim.trap_spaces != "all")
        doc.problems.push_back({ErrorKind::InvalidSbml, element,
                                "axisim logical annotation: trapSpaces '" + sim.trap_spaces +
                                    "' is none of 'minimal', 'maximal', 'all'"});
      sim.trap_space_values = attr(e, "trapSpaceValues");
      if (!sim.trap_space_values.empty() && sim.trap_space_values != "level" && sim.trap_space_values != "bounds")
        doc.problems.push_back({ErrorKind::InvalidSbml, element,
                                "axisim logical annotation: trapSpaceValues '" + sim.trap_space_values +
                                    "' is neither 'level' nor 'bounds'"});
    }
  }
}

// The axisim annotation on a simulation's <algorithm> for dynamic FBA (document.hpp,
// Simulation::dfba_text / dfba_source): the culture's description. Other annotations are skipped.
void read_dfba_annotation(const xmlNode* algorithm, Simulation& sim, const std::string& element, Document& doc) {
  for (const xmlNode* a : elements(algorithm)) {
    if (name_of(a) != "annotation") continue;
    for (const xmlNode* e : elements(a)) {
      if (name_of(e) != "dfba" || !e->ns || !e->ns->href ||
          std::string(reinterpret_cast<const char*>(e->ns->href)) != kDfbaAnnotationNs)
        continue;
      if (sim.has_dfba) {
        doc.problems.push_back({ErrorKind::InvalidSbml, element, "more than one axisim dfba annotation"});
        continue;
      }
      sim.has_dfba = true;
      sim.dfba_source = attr(e, "source");
      // The inline TOML as written: its line breaks matter (text() would trim only the ends).
      if (xmlChar* v = xmlNodeGetContent(e)) {
        sim.dfba_text = reinterpret_cast<const char*>(v);
        xmlFree(v);
      }
      if (!sim.dfba_source.empty() && !trim(sim.dfba_text).empty())
        doc.problems.push_back({ErrorKind::InvalidSbml, element,
                                "axisim dfba annotation: both a source file and inline text; give one"});
    }
  }
}

// The axisim annotation on a <model> (docs/sedml.md, "Tissue plugins"): the element `axisim export`
// writes into SBML (axisim/plugin_record.hpp), with the library's `source` besides:
//   <annotation><axisim:plugins xmlns:axisim="https://axisim.org/ns/plugins/1">
//     <axisim:plugin name="bone" version="2.0.0" source="plugins/libbone.so">
//       <axisim:parameter name="a_IGF" value="0.2"/>  <axisim:state name="BMD" value="1"/>
// Other annotations are not axisim's and are skipped; a malformed plugin entry is a problem
// naming the model, and the model is then not run (a run without the plugin would be another run).
void read_plugin_annotation(const xmlNode* m, ModelDef& md, Document& doc) {
  const std::string element = "model '" + md.id + "'";
  for (const xmlNode* a : elements(m)) {
    if (name_of(a) != "annotation") continue;
    for (const xmlNode* list_node : elements(a)) {
      if (name_of(list_node) != "plugins" || !list_node->ns || !list_node->ns->href ||
          std::string(reinterpret_cast<const char*>(list_node->ns->href)) != kPluginAnnotationNs)
        continue;
      for (const xmlNode* p : elements(list_node)) {
        if (name_of(p) != "plugin") continue;
        PluginRecord r{attr(p, "name"), attr(p, "version"), {}, {}, attr(p, "source")};
        const std::string what = element + " axisim plugin '" + r.name + "'";
        if (r.name.empty()) {
          doc.problems.push_back({ErrorKind::InvalidSbml, element, "an axisim plugin annotation without a name"});
          md.plugins.push_back(r);  // kept, so that the model is refused where it is run (not run without it)
          continue;
        }
        bool bad = false;
        for (const xmlNode* q : elements(p)) {
          const std::string kind = name_of(q);
          if (kind != "parameter" && kind != "state") continue;
          const std::string name = attr(q, "name");
          try {
            const double v = number(attr(q, "value"), what + " " + kind + " '" + name + "'");
            (kind == "parameter" ? r.parameters : r.states)[name] = v;
          } catch (const std::exception& e) {
            doc.problems.push_back({ErrorKind::InvalidSbml, what, e.what()});
            bad = true;
          }
        }
        if (bad) r.name.clear();  // refused where the model is run, as an entry without a name
        md.plugins.push_back(std::move(r));
      }
    }
  }
}

std::vector<AlgorithmParameter> algorithm_parameters(const xmlNode* algorithm) {
  std::vector<AlgorithmParameter> out;
  for (const xmlNode* p : list(algorithm, "listOfAlgorithmParameters")) out.push_back({attr(p, "kisaoID"), attr(p, "value")});
  return out;
}

// A parameterEstimationTask's algorithm, objective, adjustable parameters and fit experiments.
Estimation read_estimation(xmlDoc* d, const xmlNode* t, const std::string& element, Document& doc) {
  Estimation est;
  if (const xmlNode* a = child(t, "algorithm")) {
    est.kisao = attr(a, "kisaoID");
    est.parameters = algorithm_parameters(a);
  }
  for (const xmlNode* c : elements(t))
    if (name_of(c).find("ObjectiveFunction") != std::string::npos) est.objective = name_of(c);
  if (const xmlNode* o = child(t, "objective")) est.objective = elements(o).empty() ? "objective" : name_of(elements(o)[0]);
  for (const xmlNode* p : list(t, "listOfAdjustableParameters")) {
    AdjustableParameter ap;
    ap.target = attr(p, "target");
    ap.model_ref = attr(p, "modelReference");
    ap.ns = namespaces_in_scope(d, p);
    const std::string what = element + " adjustableParameter '" + ap.target + "'";
    try {
      if (has_attr(p, "initialValue")) ap.initial = number_attr(p, "initialValue", what);
      if (const xmlNode* b = child(p, "bounds")) {
        ap.has_bounds = true;
        ap.lower = has_attr(b, "lowerBound") ? number_attr(b, "lowerBound", what) : -std::numeric_limits<double>::infinity();
        ap.upper = has_attr(b, "upperBound") ? number_attr(b, "upperBound", what) : std::numeric_limits<double>::infinity();
        ap.scale = attr(b, "scale");
      }
    } catch (const std::exception& e) {
      doc.problems.push_back({ErrorKind::InvalidSbml, what, e.what()});
    }
    for (const xmlNode* r : list(p, "listOfExperimentReferences")) ap.experiments.push_back(attr(r, "experimentId"));
    for (const xmlNode* r : list(p, "listOfExperimentRefs")) ap.experiments.push_back(attr(r, "experimentId"));
    est.adjustables.push_back(std::move(ap));
  }
  for (const xmlNode* x : list(t, "listOfFitExperiments")) {
    FitExperimentDef fx;
    fx.id = attr(x, "id");
    fx.type = has_attr(x, "type") ? attr(x, "type") : "timeCourse";
    if (const xmlNode* a = child(x, "algorithm")) {
      fx.kisao = attr(a, "kisaoID");
      fx.parameters = algorithm_parameters(a);
    }
    for (const xmlNode* m : list(x, "listOfFitMappings")) {
      FitMapping fm{attr(m, "type"), attr(m, "dataSource"), attr(m, "target"), std::nullopt, attr(m, "pointWeight")};
      try {
        if (has_attr(m, "weight")) fm.weight = number_attr(m, "weight", element + " fitExperiment '" + fx.id + "' fitMapping");
      } catch (const std::exception& e) {
        doc.problems.push_back({ErrorKind::InvalidSbml, element + " fitExperiment '" + fx.id + "'", e.what()});
      }
      fx.mappings.push_back(std::move(fm));
    }
    est.experiments.push_back(std::move(fx));
  }
  xmlBufferPtr buf = xmlBufferCreate();
  xmlNodeDump(buf, d, const_cast<xmlNode*>(t), 0, 0);
  est.xml.assign(reinterpret_cast<const char*>(xmlBufferContent(buf)), static_cast<std::size_t>(xmlBufferLength(buf)));
  xmlBufferFree(buf);
  return est;
}

}  // namespace

MathNode parse_math_xml(const std::string& xml) {
  const std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> d(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "math.xml", nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
      xmlFreeDoc);
  if (!d) throw std::runtime_error("the math is not well-formed XML");
  const xmlNode* root = xmlDocGetRootElement(d.get());
  if (!root || name_of(root) != "math") throw std::runtime_error("no <math> element");
  const auto kids = elements(root);
  if (kids.size() != 1) throw std::runtime_error("<math> must hold exactly one expression");
  return parse_math(kids[0]);
}

Document read_document(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw Error(ErrorKind::Io, path + ": no such file");
  DocPtr d(xmlReadFile(path.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR), xmlFreeDoc);
  if (!d) {
    const xmlError* err = xmlGetLastError();
    throw Error(ErrorKind::InvalidSbml, path + ": not well-formed XML" +
                                            (err && err->message ? std::string(": ") + trim(err->message) +
                                                                       " (line " + std::to_string(err->line) + ")"
                                                                 : std::string()));
  }
  const xmlNode* root = xmlDocGetRootElement(d.get());
  if (!root || name_of(root) != "sedML")
    throw Error(ErrorKind::InvalidSbml, path + ": not a SED-ML document (its root element is not <sedML>)");
  Document doc;
  doc.level = has_attr(root, "level") ? std::atoi(attr(root, "level").c_str()) : 1;
  doc.version = has_attr(root, "version") ? std::atoi(attr(root, "version").c_str()) : 0;
  if (doc.level != 1 || doc.version < 1 || doc.version > 4)
    doc.problems.push_back({ErrorKind::Unsupported, "sedML",
                            "SED-ML Level " + std::to_string(doc.level) + " Version " + std::to_string(doc.version) +
                                ": axisim reads Level 1 Versions 1 to 4; reading it as Version 4"});

  for (const xmlNode* dd : list(root, "listOfDataDescriptions")) {
    DataDescription desc{attr(dd, "id"), attr(dd, "source"), attr(dd, "format"), {}, {}, {}};
    const std::string element = "dataDescription '" + desc.id + "'";
    if (const xmlNode* dim = child(dd, "dimensionDescription")) {
      try {
        desc.dimensions = read_dimension_description(dim);
      } catch (const std::exception& e) {
        doc.problems.push_back({ErrorKind::InvalidSbml, element, std::string("dimensionDescription: ") + e.what()});
      }
    }
    for (const xmlNode* src : list(dd, "listOfDataSources")) {
      DataDescription::Source ds{attr(src, "id"), attr(src, "indexSet"), {}};
      for (const xmlNode* sl : list(src, "listOfSlices")) {
        DataDescription::Slice slice{attr(sl, "reference"), attr(sl, "value"), attr(sl, "index"), {}, {}};
        try {
          if (has_attr(sl, "startIndex")) slice.start_index = integer(attr(sl, "startIndex"), "startIndex");
          if (has_attr(sl, "endIndex")) slice.end_index = integer(attr(sl, "endIndex"), "endIndex");
        } catch (const std::exception& e) {
          doc.problems.push_back({ErrorKind::InvalidSbml, element + " dataSource '" + ds.id + "' slice", e.what()});
        }
        ds.slices.push_back(std::move(slice));
      }
      desc.sources.push_back(std::move(ds));
    }
    xmlBufferPtr buf = xmlBufferCreate();
    xmlNodeDump(buf, d.get(), const_cast<xmlNode*>(dd), 0, 0);
    desc.xml.assign(reinterpret_cast<const char*>(xmlBufferContent(buf)), static_cast<std::size_t>(xmlBufferLength(buf)));
    xmlBufferFree(buf);
    doc.data_descriptions.push_back(std::move(desc));
  }

  for (const xmlNode* m : list(root, "listOfModels")) {
    ModelDef md{attr(m, "id"), attr(m, "language"), attr(m, "source"), {}, {}};
    for (const xmlNode* c : list(m, "listOfChanges")) md.changes.push_back(read_change(d.get(), c, md.id, doc));
    read_plugin_annotation(m, md, doc);
    doc.models.push_back(std::move(md));
  }

  for (const xmlNode* s : list(root, "listOfSimulations")) {
    Simulation sim;
    sim.id = attr(s, "id");
    sim.type = name_of(s);
    const std::string element = sim.type + " '" + sim.id + "'";
    try {
      if (sim.type == "uniformTimeCourse") {
        sim.initial_time = number_attr(s, "initialTime", element);
        sim.output_start = number_attr(s, "outputStartTime", element);
        sim.output_end = number_attr(s, "outputEndTime", element);
        const char* pts = has_attr(s, "numberOfSteps") ? "numberOfSteps" : "numberOfPoints";
        const double p = number_attr(s, pts, element);
        if (p < 0 || p != std::floor(p)) throw std::runtime_error(element + ": " + pts + " must be a whole number >= 0");
        sim.points = static_cast<long>(p);
      } else if (sim.type == "oneStep") {
        sim.step = number_attr(s, "step", element);
        if (!(sim.step > 0)) throw std::runtime_error(element + ": step must be a number > 0");
      }
    } catch (const std::exception& e) {
      doc.problems.push_back({ErrorKind::InvalidSbml, element, e.what()});
      sim.type = "invalid";
    }
    if (const xmlNode* a = child(s, "algorithm")) {
      sim.kisao = attr(a, "kisaoID");
      for (const xmlNode* p : list(a, "listOfAlgorithmParameters"))
        sim.parameters.push_back({attr(p, "kisaoID"), attr(p, "value")});
      read_logical_annotation(a, sim, element, doc);
      read_dfba_annotation(a, sim, element, doc);
    }
    doc.simulations.push_back(std::move(sim));
  }

  for (const xmlNode* t : list(root, "listOfTasks")) {
    Task task;
    task.id = attr(t, "id");
    task.type = name_of(t);
    task.model_ref = attr(t, "modelReference");
    task.sim_ref = attr(t, "simulationReference");
    if (task.type == "repeatedTask") {
      const std::string element = "repeatedTask '" + task.id + "'";
      task.range_ref = attr(t, "range");
      const std::string reset = attr(t, "resetModel");
      task.reset_model = reset == "true" || reset == "1";
      for (const xmlNode* r : list(t, "listOfRanges")) {
        Range range;
        range.id = attr(r, "id");
        range.type = name_of(r);
        try {
          if (range.type == "uniformRange") {
            range.start = number_attr(r, "start", element);
            range.end = number_attr(r, "end", element);
            range.points = static_cast<long>(number_attr(r, has_attr(r, "numberOfSteps") ? "numberOfSteps" : "numberOfPoints", element));
            range.scale = attr(r, "type");
          } else if (range.type == "vectorRange") {
            for (const xmlNode* v : elements(r)) range.values.push_back(number(text(v), element + " vectorRange"));
          } else if (range.type == "functionalRange") {
            range.range_ref = attr(r, "range");
            for (const xmlNode* v : list(r, "listOfVariables")) range.variables.push_back(read_variable(d.get(), v));
            range.parameters = read_parameters(r, element, doc);
            range.math = math_of(r, element + " functionalRange '" + range.id + "'", doc);
          }
        } catch (const std::exception& e) {
          doc.problems.push_back({ErrorKind::InvalidSbml, element, e.what()});
          range.type = "invalid";
        }
        task.ranges.push_back(std::move(range));
      }
      for (const xmlNode* c : list(t, "listOfChanges")) {
        SetValue sv{attr(c, "target"), attr(c, "modelReference"), attr(c, "range"), attr(c, "symbol"),
                    namespaces_in_scope(d.get(), c), {}, {}, std::nullopt};
        for (const xmlNode* v : list(c, "listOfVariables")) sv.variables.push_back(read_variable(d.get(), v));
        sv.parameters = read_parameters(c, element, doc);
        sv.math = math_of(c, element + " setValue '" + sv.target + "'", doc);
        task.changes.push_back(std::move(sv));
      }
      for (const xmlNode* s : list(t, "listOfSubTasks"))
        task.subtasks.push_back({attr(s, "task"), has_attr(s, "order") ? std::atof(attr(s, "order").c_str()) : 0.0});
    } else if (task.type == "parameterEstimationTask") {
      task.estimation = read_estimation(d.get(), t, "parameterEstimationTask '" + task.id + "'", doc);
    }
    doc.tasks.push_back(std::move(task));
  }

  for (const xmlNode* g : list(root, "listOfDataGenerators")) {
    DataGenerator dg{attr(g, "id"), attr(g, "name"), {}, {}, std::nullopt};
    const std::string element = "dataGenerator '" + dg.id + "'";
    for (const xmlNode* v : list(g, "listOfVariables")) dg.variables.push_back(read_variable(d.get(), v));
    dg.parameters = read_parameters(g, element, doc);
    dg.math = math_of(g, element, doc);
    if (!child(g, "math")) doc.problems.push_back({ErrorKind::InvalidSbml, element, "has no <math>"});
    doc.generators.push_back(std::move(dg));
  }

  for (const xmlNode* o : list(root, "listOfOutputs")) {
    Output out{attr(o, "id"), attr(o, "name"), name_of(o), {}, {}, {}, {}, {}};
    if (out.type == "parameterEstimationReport" || out.type == "parameterEstimationResultPlot") {
      out.task_ref = has_attr(o, "taskRef") ? attr(o, "taskRef") : attr(o, "taskReference");
    } else if (out.type == "report") {
      for (const xmlNode* ds : list(o, "listOfDataSets"))
        out.data_sets.push_back({attr(ds, "id"), attr(ds, "label"), attr(ds, "name"), attr(ds, "dataReference")});
    } else {
      for (const char* l : {"listOfCurves", "listOfSurfaces"})
        for (const xmlNode* c : list(o, l)) {
          Output::Curve curve{attr(c, "id"), {}};
          for (const char* ref : {"xDataReference", "yDataReference", "zDataReference"})
            if (has_attr(c, ref)) {
              out.data_refs.push_back(attr(c, ref));
              curve.refs.push_back(attr(c, ref));
            }
          out.curves.push_back(std::move(curve));
        }
      // Version 4 shaded areas: both y references are computed (not written again: writer.cpp
      // writes curves only); so are curves' error bars
      for (const xmlNode* c : list(o, "listOfCurves"))
        for (const char* ref : {"yDataReferenceFrom", "yDataReferenceTo", "xErrorUpper", "xErrorLower", "yErrorUpper", "yErrorLower"})
          if (has_attr(c, ref) && !attr(c, ref).empty()) out.data_refs.push_back(attr(c, ref));
      out.plot = read_plot_spec(o);
      if (out.type == "figure") {
        // numRows / numCols (also rows / columns, as some writers spell them), subPlots from 1
        auto count = [&](const xmlNode* n, const char* a, const char* b, int fallback) {
          const auto v = optional_number(n, a) ? optional_number(n, a) : optional_number(n, b);
          return v && *v >= 1 && *v <= 1000 ? static_cast<int>(*v) : fallback;
        };
        out.plot.rows = count(o, "numRows", "rows", 0);
        out.plot.cols = count(o, "numCols", "columns", 0);
        for (const xmlNode* sp : list(o, "listOfSubPlots")) {
          SubPlot s;
          s.id = attr(sp, "id");
          s.plot = attr(sp, "plot");
          s.row = count(sp, "row", "row", 0);
          s.col = count(sp, "col", "column", 0);
          s.row_span = count(sp, "rowSpan", "rowSpan", 1);
          s.col_span = count(sp, "colSpan", "columnSpan", 1);
          out.plot.subplots.push_back(s);
        }
      }
    }
    doc.outputs.push_back(std::move(out));
  }
  for (const xmlNode* s : list(root, "listOfStyles")) doc.styles.push_back(read_style(s));
  return doc;
}

std::vector<std::string> sedml_documents_in(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  const fs::path manifest = fs::path(dir) / "manifest.xml";
  if (fs::is_regular_file(manifest)) {
    DocPtr d(xmlReadFile(manifest.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR), xmlFreeDoc);
    if (!d) throw Error(ErrorKind::InvalidSbml, "the archive's manifest.xml is not well-formed XML");
    const xmlNode* root = xmlDocGetRootElement(d.get());
    for (const xmlNode* c : elements(root)) {
      if (name_of(c) != "content") continue;
      const std::string format = attr(c, "format");
      if (format.find("sed-ml") == std::string::npos && format.find("sedml") == std::string::npos) continue;
      std::string location = attr(c, "location");
      while (location.rfind("./", 0) == 0) location.erase(0, 2);
      if (location.empty() || location == ".") continue;
      const std::string master = attr(c, "master");
      if (master == "true" || master == "1") out.insert(out.begin(), location);
      else out.push_back(location);
    }
    return out;
  }
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string ext = e.path().extension().string();
    bool take = ext == ".sedml";
    if (ext == ".xml") {
      DocPtr d(xmlReadFile(e.path().c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR), xmlFreeDoc);
      const xmlNode* root = d ? xmlDocGetRootElement(d.get()) : nullptr;
      take = root && name_of(root) == "sedML";
    }
    if (take) out.push_back(fs::relative(e.path(), dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace axisim::sedml
