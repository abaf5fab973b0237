#include "sbml/sbml_document.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <new>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include <sbml/util/ElementFilter.h>
#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"
#include "io/library_logging.hpp"

namespace axisim::detail {
namespace {

// Files larger than this are refused before parsing: no SBML model comes near it, and a
// hostile file should not be able to make us allocate without bound.
constexpr std::uintmax_t kMaxDocumentBytes = 512ull * 1024 * 1024;

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error(ErrorKind::Io, path + ": no such file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(ErrorKind::Io, path + ": cannot read: " + ec.message());
  if (size > kMaxDocumentBytes) throw Error(ErrorKind::InvalidSbml, path + ": file is larger than 512 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Errors that concern units only. Units never change how a model simulates, so a document whose
// only errors are these is simulated, with a warning.
bool units_only(const SBML_NS SBMLError& e) {
  return e.getErrorId() == 10313;  // a unit attribute names no unit definition
}

void downgrade_unit_errors(SBML_NS SBMLDocument& doc, const std::string& label) {
  for (unsigned i = 0; i < doc.getNumErrors(); ++i) {
    const SBML_NS SBMLError* e = doc.getError(i);
    if (e->getSeverity() >= LIBSBML_SEV_ERROR && units_only(*e))
      spdlog::warn("{}: line {}: {} (ignored: units do not change the simulation)", label, e->getLine(),
                   e->getShortMessage());
  }
}

std::size_t count_errors(const SBML_NS SBMLDocument& doc) {
  std::size_t n = 0;
  for (unsigned i = 0; i < doc.getNumErrors(); ++i)
    if (doc.getError(i)->getSeverity() >= LIBSBML_SEV_ERROR && !units_only(*doc.getError(i))) ++n;
  return n;
}

// libSBML numbers a package's errors from the package's offset; rules 20101 to 20103 of every
// package are about its `required` attribute on <sbml> (missing, not a boolean, not the value
// the package prescribes).
bool required_attribute_rule(unsigned id) {
  const unsigned rule = id % 100000;
  return id >= 100000 && rule >= 20101 && rule <= 20103;
}

// Packages that describe a model (its diagram, its drawing, groups of its elements) and never
// change its maths.
bool never_changes_maths(const std::string& package) {
  return package == "layout" || package == "render" || package == "groups";
}

// Level 3 packages the document declares that this libSBML does not know: prefix and URI.
std::vector<std::pair<std::string, std::string>> unknown_packages(const SBML_NS SBMLDocument& doc) {
  std::vector<std::pair<std::string, std::string>> out;
  const SBML_NS XMLNamespaces* ns = doc.getNamespaces();
  for (int i = 0; ns && i < ns->getNumNamespaces(); ++i) {
    const std::string uri = ns->getURI(i), prefix = ns->getPrefix(i);
    if (prefix.empty() || uri.rfind("http://www.sbml.org/sbml/level3/", 0) != 0) continue;
    if (uri.find("/core") != std::string::npos || doc.isPackageURIEnabled(uri)) continue;
    out.emplace_back(prefix, uri);
  }
  return out;
}

// Whether an unknown package is used anywhere but in its declaration: an element or attribute
// with its prefix other than `prefix:required`, or its namespace declared a second time.
bool unknown_package_used(std::string_view text, const std::string& prefix, const std::string& uri) {
  const std::string element = "<" + prefix + ":", attribute = prefix + ":", required = prefix + ":required";
  if (text.find(element) != std::string_view::npos) return true;
  // Packages may define csymbols of their own (distrib's random draws: definitionURL
  // "http://www.sbml.org/sbml/symbols/distrib/normal"), used in plain MathML.
  if (text.find("http://www.sbml.org/sbml/symbols/" + prefix + "/") != std::string_view::npos) return true;
  const std::size_t first_uri = text.find(uri);
  if (first_uri != std::string_view::npos && text.find(uri, first_uri + uri.size()) != std::string_view::npos) return true;
  for (std::size_t at = text.find(attribute); at != std::string_view::npos; at = text.find(attribute, at + 1)) {
    const bool after_space = at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t' || text[at - 1] == '\n' ||
                                        text[at - 1] == '\r');
    if (after_space && text.compare(at, required.size(), required) != 0) return true;
  }
  return false;
}

// ---- formula limits ----

// What a formula becomes once function definitions are inlined, computed bottom-up from the
// shapes of the functions it calls. Inside a function body the body's bound variables are
// holes: `size` and `height` leave them out, and for each bound variable i, occ[i] counts its
// uses and dep[i] is the deepest level a use sits at (1 for the variable itself). Counts
// saturate at kCap, which is above every limit.
constexpr std::uint64_t kCap = std::uint64_t{1} << 40;
std::uint64_t sat(std::uint64_t v) { return std::min(v, kCap); }
std::uint64_t sat_mul(std::uint64_t a, std::uint64_t b) { return a != 0 && b > kCap / a ? kCap : sat(a * b); }

struct Shape {
  std::uint64_t size = 0, height = 0;
  std::vector<std::uint64_t> occ, dep;
};

struct FunctionShape {
  std::vector<std::string> bvars;
  const SBML_NS ASTNode* body = nullptr;
  Shape shape;
  bool known = false;  // computed (functions on a cycle never are)
};
using Functions = std::map<std::string, FunctionShape, std::less<>>;

// The shape of the tree at `root`, whose holes are `bvars`; without recursion, since the tree may
// be what is too deep (Level 1 formulas are parsed into trees as deep as they are long).
Shape shape_of(const SBML_NS ASTNode* root, const std::vector<std::string>& bvars, const Functions& functions) {
  LIBSBML_CPP_NAMESPACE_USE
  if (bvars.empty() && functions.empty()) {
    // No holes and nothing inlined (most models): the tree's own node count and height.
    Shape s;
    std::vector<std::pair<const ASTNode*, std::uint64_t>> stack{{root, 1}};
    while (!stack.empty()) {
      const auto [node, depth] = stack.back();
      stack.pop_back();
      s.size = sat(s.size + 1);
      s.height = std::max(s.height, depth);
      for (unsigned i = 0; i < node->getNumChildren(); ++i)
        if (const ASTNode* child = node->getChild(i)) stack.emplace_back(child, depth + 1);
    }
    return s;
  }
  const std::size_t k = bvars.size();
  auto blank = [k] {
    Shape s;
    s.occ.assign(k, 0);
    s.dep.assign(k, 0);
    return s;
  };
  std::vector<std::pair<const ASTNode*, unsigned>> stack{{root, 0}};
  std::vector<Shape> done;  // shapes of finished children, in order; a node's are its last ones
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node->getNumChildren()) {
      const ASTNode* child = node->getChild(next++);
      if (child) stack.emplace_back(child, 0);
      continue;
    }
    const unsigned nc = node->getNumChildren();
    const std::size_t first = done.size() - nc;  // the children's shapes: done[first + j]
    Shape s = blank();
    const char* name = node->getName();
    const auto bvar = node->getType() == AST_NAME && name ? std::find(bvars.begin(), bvars.end(), name) : bvars.end();
    const auto fn = node->getType() == AST_FUNCTION && name ? functions.find(std::string_view(name)) : functions.end();
    if (bvar != bvars.end()) {
      const auto i = static_cast<std::size_t>(bvar - bvars.begin());
      s.occ[i] = 1;
      s.dep[i] = 1;
    } else if (fn != functions.end() && fn->second.known && fn->second.bvars.size() == nc) {
      // The call disappears: the body takes its place, each argument copied into every use.
      const Shape& g = fn->second.shape;
      s.size = g.size;
      s.height = g.height;
      for (unsigned j = 0; j < nc; ++j) {
        if (g.occ[j] == 0) continue;
        const Shape& kid = done[first + j];
        s.size = sat(s.size + sat_mul(g.occ[j], kid.size));
        if (kid.height > 0) s.height = std::max(s.height, sat(g.dep[j] - 1 + kid.height));
        for (std::size_t i = 0; i < k; ++i) {
          if (kid.occ[i] == 0) continue;
          s.occ[i] = sat(s.occ[i] + sat_mul(g.occ[j], kid.occ[i]));
          s.dep[i] = std::max(s.dep[i], sat(g.dep[j] - 1 + kid.dep[i]));
        }
      }
    } else {
      s.size = 1;
      s.height = 1;
      for (std::size_t j = first; j < done.size(); ++j) {
        const Shape& c = done[j];
        s.size = sat(s.size + c.size);
        s.height = std::max(s.height, sat(c.height + 1));
        for (std::size_t i = 0; i < k; ++i) {
          s.occ[i] = sat(s.occ[i] + c.occ[i]);
          if (c.occ[i] > 0) s.dep[i] = std::max(s.dep[i], sat(c.dep[i] + 1));
        }
      }
    }
    done.resize(first);
    done.push_back(std::move(s));
    stack.pop_back();
  }
  return done.empty() ? blank() : std::move(done.back());
}

// Names of the functions a tree calls.
std::set<std::string> calls_in(const SBML_NS ASTNode* root) {
  std::set<std::string> out;
  std::vector<const SBML_NS ASTNode*> stack{root};
  while (!stack.empty()) {
    const SBML_NS ASTNode* n = stack.back();
    stack.pop_back();
    if (n->getType() == SBML_NS AST_FUNCTION && n->getName()) out.insert(n->getName());
    for (unsigned i = 0; i < n->getNumChildren(); ++i)
      if (n->getChild(i)) stack.push_back(n->getChild(i));
  }
  return out;
}

// Every function's shape, callees first (Kahn's order: a chain of 100,000 functions calling each
// other must not recurse either).
Functions function_shapes(const SBML_NS Model& m) {
  Functions functions;
  for (unsigned i = 0; i < m.getNumFunctionDefinitions(); ++i) {
    const SBML_NS FunctionDefinition* f = m.getFunctionDefinition(i);
    if (!f->isSetMath() || f->getBody() == nullptr) continue;
    FunctionShape fs;
    for (unsigned a = 0; a < f->getNumArguments(); ++a)
      fs.bvars.push_back(f->getArgument(a) && f->getArgument(a)->getName() ? f->getArgument(a)->getName() : "");
    fs.body = f->getBody();
    functions.emplace(f->getId(), std::move(fs));
  }
  std::map<std::string, std::size_t> waiting;                  // callees not yet known
  std::map<std::string, std::vector<std::string>> callers;     // callee -> callers
  std::vector<std::string> ready;
  for (const auto& [id, fs] : functions) {
    std::size_t n = 0;
    for (const std::string& callee : calls_in(fs.body))
      if (functions.count(callee)) {
        ++n;
        callers[callee].push_back(id);
      }
    waiting[id] = n;
    if (n == 0) ready.push_back(id);
  }
  while (!ready.empty()) {
    const std::string id = ready.back();
    ready.pop_back();
    FunctionShape& fs = functions.at(id);
    fs.shape = shape_of(fs.body, fs.bvars, functions);
    fs.known = true;
    for (const std::string& caller : callers[id])
      if (--waiting[caller] == 0) ready.push_back(caller);
  }
  return functions;
}

std::string describe_element(const SBML_NS SBase& e) {
  std::string s = "<" + e.getElementName() + ">";
  if (const auto* r = dynamic_cast<const SBML_NS Rule*>(&e); r && r->isSetVariable())
    return s + " for '" + r->getVariable() + "'";
  if (const auto* a = dynamic_cast<const SBML_NS InitialAssignment*>(&e)) return s + " for '" + a->getSymbol() + "'";
  if (const auto* a = dynamic_cast<const SBML_NS EventAssignment*>(&e)) return s + " for '" + a->getVariable() + "'";
  if (e.isSetId()) return s + " '" + e.getId() + "'";
  const SBML_NS SBase* parent = e.getParentSBMLObject();
  if (parent && parent->isSetId()) return s + " of " + parent->getElementName() + " '" + parent->getId() + "'";
  return s;
}

}  // namespace

std::optional<MathLimitProblem> find_math_limit_problem(SBML_NS SBMLDocument& doc) {
  // Function definitions of every model in the document (comp model definitions have their own).
  std::map<const SBML_NS Model*, Functions> shapes;
  std::uint64_t total = 0;
  std::optional<MathLimitProblem> problem;
  for_each_element(doc, [&](const SBML_NS SBase& element) {
    const SBML_NS SBase* e = &element;
    if (e->getTypeCode() == SBML_NS SBML_FUNCTION_DEFINITION) return true;  // counted where called
    const SBML_NS ASTNode* math = e->getMath();
    if (math == nullptr) return true;
    const auto* model = static_cast<const SBML_NS Model*>(e->getAncestorOfType(SBML_NS SBML_MODEL));
    if (model == nullptr) model = doc.getModel();
    auto found = shapes.find(model);
    if (found == shapes.end()) found = shapes.emplace(model, model ? function_shapes(*model) : Functions{}).first;
    const Shape s = shape_of(math, {}, found->second);
    total = sat(total + s.size);
    if (s.height > kMaxMathDepth)
      problem = MathLimitProblem{e->getLine(), "the math of " + describe_element(*e) + " is nested more than " +
                                                std::to_string(kMaxMathDepth) +
                                                " levels deep once function definitions are inlined; axisim refuses "
                                                "formulas this deep, which would overflow the stack (a long sum or "
                                                "product written as nested binary operations can be one n-ary "
                                                "<plus/> or <times/>)"};
    else if (total > kMaxMathNodes)
      problem = MathLimitProblem{e->getLine(), "with the math of " + describe_element(*e) + ", the model's formulas hold more than " +
                                                std::to_string(kMaxMathNodes) +
                                                " nodes once function definitions are inlined; axisim refuses the "
                                                "model rather than exhaust memory (nested calls of functions that use "
                                                "an argument more than once double the size at every level)"};
    return !problem;
  });
  return problem;
}

void check_math_limits(SBML_NS SBMLDocument& doc, const std::string& label) {
  if (const auto problem = find_math_limit_problem(doc))
    throw Error(ErrorKind::InvalidSbml, label + ": line " + std::to_string(problem->line) + ": " + problem->message);
}

namespace {

// getAllElements calls filter() on every element in order; this one hands each to the visitor
// and keeps none, so the List stays empty and nothing is indexed.
class VisitingFilter : public SBML_NS ElementFilter {
 public:
  explicit VisitingFilter(const std::function<bool(const SBML_NS SBase&)>& visit) : visit_(visit) {}
  bool filter(const SBML_NS SBase* element) override {
    if (element != nullptr && !stopped_ && !visit_(*element)) stopped_ = true;
    return false;
  }

 private:
  const std::function<bool(const SBML_NS SBase&)>& visit_;
  bool stopped_ = false;
};

}  // namespace

void for_each_element(SBML_NS SBase& root, const std::function<bool(const SBML_NS SBase&)>& visit) {
  VisitingFilter filter(visit);
  std::unique_ptr<SBML_NS List> none(root.getAllElements(&filter));
}

bool uses_package(SBML_NS SBMLDocument& doc, const std::string& package) {
  // Only an enabled package has elements of its own: most documents skip the walk.
  if (!doc.isPackageEnabled(package)) return false;
  bool used = false;
  for_each_element(doc, [&](const SBML_NS SBase& e) {
    used = e.getPackageName() == package;
    return !used;
  });
  return used;
}

std::string harmless_package_error(SBML_NS SBMLDocument& doc, const SBML_NS SBMLError& e, std::string_view text) {
  if (required_attribute_rule(e.getErrorId())) {
    const std::string package = e.getPackage();
    if (never_changes_maths(package))
      return "the '" + package + "' package never changes a model's maths";
    if (!uses_package(doc, package)) return "the document declares the '" + package + "' package but does not use it";
    return "";
  }
  if (e.getErrorId() == 99107) {  // a required package this libSBML does not know
    std::string names;
    for (const auto& [prefix, uri] : unknown_packages(doc)) {
      if (unknown_package_used(text, prefix, uri)) return "";
      names += (names.empty() ? "'" : ", '") + prefix + "'";
    }
    if (names.empty()) return "";
    return "the document declares the package " + names + " but does not use it";
  }
  return "";
}

std::recursive_mutex& libsbml_mutex() {
  static std::recursive_mutex m;
  return m;
}

bool uses_comp(const SBML_NS SBMLDocument& doc) {
  auto* comp_doc = dynamic_cast<const SBML_NS CompSBMLDocumentPlugin*>(doc.getPlugin("comp"));
  auto* comp_model = dynamic_cast<const SBML_NS CompModelPlugin*>(doc.getModel()->getPlugin("comp"));
  return (comp_doc && comp_doc->getNumModelDefinitions() + comp_doc->getNumExternalModelDefinitions() > 0) ||
         (comp_model && comp_model->getNumSubmodels() > 0);
}

void flatten_comp(SBML_NS SBMLDocument& doc, const std::string& label) {
  if (!uses_comp(doc)) return;
  SBML_NS ConversionProperties props;
  props.addOption("flatten comp", true);
  props.addOption("leavePorts", false);
  props.addOption("performValidation", false);
  std::lock_guard lock(libsbml_mutex());
  doc.getErrorLog()->clearLog();
  if (doc.convert(props) != LIBSBML_OPERATION_SUCCESS)
    throw Error(ErrorKind::InvalidSbml, label + ": libSBML could not flatten the hierarchical (comp) model:\n" +
                                            describe_errors(doc, LIBSBML_SEV_ERROR));
  // The flat model uses nothing of comp; declaring it would make readers without comp balk.
  doc.enablePackage(SBML_NS CompExtension::getXmlnsL3V1V1(), "comp", false);
}

std::string describe_errors(const SBML_NS SBMLDocument& doc, unsigned min_severity) {
  std::string out;
  for (unsigned i = 0; i < doc.getNumErrors(); ++i) {
    const SBML_NS SBMLError* e = doc.getError(i);
    if (e->getSeverity() < min_severity || units_only(*e)) continue;
    std::string msg = e->getMessage();
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    if (!out.empty()) out += '\n';
    out += "line " + std::to_string(e->getLine()) + ": " + msg;
  }
  return out;
}

namespace {

// Problems with the declaration of a package the model does not need (declared but unused, or
// one that never changes the maths) become warnings: curated models declare `render` without
// its `required` attribute, say. A required package this libSBML does not know, and that the
// document uses, is refused as unsupported (it changes the maths, by its own declaration).
void ignore_unused_packages(SBML_NS SBMLDocument& doc, std::string_view text, const std::string& label) {
  std::set<unsigned> harmless;
  for (unsigned i = 0; i < doc.getNumErrors(); ++i) {
    const SBML_NS SBMLError& e = *doc.getError(i);
    if (e.getSeverity() < LIBSBML_SEV_ERROR) continue;
    if (const std::string why = harmless_package_error(doc, e, text); !why.empty()) {
      spdlog::warn("{}: line {}: {} (ignored: {})", label, e.getLine(), e.getShortMessage(), why);
      harmless.insert(e.getErrorId());
    } else if (e.getErrorId() == 99107) {
      std::string names;
      for (const auto& [prefix, uri] : unknown_packages(doc))
        if (unknown_package_used(text, prefix, uri)) names += (names.empty() ? "'" : ", '") + prefix + "' (" + uri + ")";
      if (names.empty()) continue;  // left for the invalid-SBML report below
      if (names.find("'distrib'") != std::string::npos)
        throw Error(ErrorKind::Unsupported,
                    label + ": unsupported: the model uses the SBML Level 3 package " + names +
                        " (random draws from probability distributions), which libSBML reads only when built with "
                        "its distrib extension; Debian's libSBML is built without distrib, so axisim cannot read "
                        "these models");
      throw Error(ErrorKind::Unsupported,
                  label + ": unsupported: the model uses the SBML Level 3 package " + names +
                      ", which it declares required (it changes the model's maths) and which axisim does not support");
    }
  }
  for (unsigned id : harmless) doc.getErrorLog()->removeAll(id);
}

}  // namespace

namespace {

// The value of attribute `name` in the start tag `tag` ("" when absent).
std::string attribute(std::string_view tag, std::string_view name) {
  for (std::size_t at = tag.find(name); at != std::string_view::npos; at = tag.find(name, at + 1)) {
    const char before = at > 0 ? tag[at - 1] : '<';
    if (before != ' ' && before != '\t' && before != '\n' && before != '\r') continue;
    std::size_t i = at + name.size();
    while (i < tag.size() && std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
    if (i >= tag.size() || tag[i] != '=') continue;
    ++i;
    while (i < tag.size() && std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
    if (i >= tag.size() || (tag[i] != '"' && tag[i] != '\'')) continue;
    const std::size_t end = tag.find(tag[i], i + 1);
    if (end == std::string_view::npos) return "";
    return std::string(tag.substr(i + 1, end - i - 1));
  }
  return "";
}

// libSBML throws from the middle of its reader, leaking the half-read document, when the
// <sbml> element's SBML namespace does not match its level and version (found by fuzzing:
// SBMLConstructorException, "Level/version/namespaces combination is invalid"). Such a
// document is refused here, before libSBML reads it.
void check_sbml_namespace(const std::string& text, const std::string& label) {
  // The root element: the first start tag that is not a declaration, comment or instruction.
  std::size_t at = 0;
  while ((at = text.find('<', at)) != std::string::npos) {
    if (at + 1 < text.size() && (text[at + 1] == '?' || text[at + 1] == '!')) {
      ++at;
      continue;
    }
    break;
  }
  if (at == std::string::npos) return;
  const std::size_t end = text.find('>', at);
  if (end == std::string::npos) return;
  const std::string_view tag(text.data() + at, end - at);
  std::size_t name_end = 1;
  while (name_end < tag.size() && !std::isspace(static_cast<unsigned char>(tag[name_end])) && tag[name_end] != '/') ++name_end;
  const std::string_view name = tag.substr(1, name_end - 1);
  const std::size_t colon = name.find(':');
  if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) != "sbml") return;  // libSBML reports it
  const std::string level = attribute(tag, "level"), version = attribute(tag, "version");
  const std::string ns = attribute(tag, colon == std::string_view::npos ? std::string("xmlns") : "xmlns:" + std::string(name.substr(0, colon)));
  const std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
  // libSBML leaks as well when one of these is missing.
  for (const auto& [value, what] : {std::pair{&level, "a level attribute"}, std::pair{&version, "a version attribute"},
                                    std::pair{&ns, "an SBML namespace (xmlns)"}})
    if (value->empty())
      throw Error(ErrorKind::InvalidSbml, label + ": line " + std::to_string(line) + ": the <sbml> element lacks " + what);
  static const std::map<std::pair<std::string, std::string>, std::string> core{
      {{"1", "1"}, "http://www.sbml.org/sbml/level1"},
      {{"1", "2"}, "http://www.sbml.org/sbml/level1"},
      {{"2", "1"}, "http://www.sbml.org/sbml/level2"},
      {{"2", "2"}, "http://www.sbml.org/sbml/level2/version2"},
      {{"2", "3"}, "http://www.sbml.org/sbml/level2/version3"},
      {{"2", "4"}, "http://www.sbml.org/sbml/level2/version4"},
      {{"2", "5"}, "http://www.sbml.org/sbml/level2/version5"},
      {{"3", "1"}, "http://www.sbml.org/sbml/level3/version1/core"},
      {{"3", "2"}, "http://www.sbml.org/sbml/level3/version2/core"},
  };
  const auto expected = core.find({level, version});
  if (expected == core.end())
    throw Error(ErrorKind::InvalidSbml, label + ": line " + std::to_string(line) + ": there is no SBML Level " + level +
                                            " Version " + version + " (axisim reads Level 1 Version 1 to Level 3 Version 2)");
  if (ns != expected->second)
    throw Error(ErrorKind::InvalidSbml, label + ": line " + std::to_string(line) + ": the <sbml> element's namespace '" + ns +
                                            "' is not SBML Level " + level + " Version " + version + "'s, '" +
                                            expected->second + "'");
}

}  // namespace

std::unique_ptr<SBML_NS SBMLDocument> parse_sbml_text(const std::string& text, const std::string& label) {
  // Every model reaches the runtime through here: from now on its warnings go to stderr.
  route_library_logging_to_stderr();
  check_sbml_namespace(text, label);
  SBML_NS SBMLReader reader;
  std::unique_ptr<SBML_NS SBMLDocument> doc;
  try {
    doc.reset(reader.readSBMLFromString(text));
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(ErrorKind::InvalidSbml, label + ": libSBML could not read the document: " + e.what());
  }
  if (!doc) throw Error(ErrorKind::InvalidSbml, label + ": libSBML could not read the document");
  return doc;
}

std::unique_ptr<SBML_NS SBMLDocument> read_sbml(const SbmlSource& source, bool validate) {
  // Reading the bytes ourselves, rather than letting libxml2 open the file, keeps the parser
  // away from the file system: the document is parsed from memory only.
  const std::string text = source.path.empty() ? source.text : read_file(source.path);
  // libSBML reads recursively and overflows the stack on documents nested some thousands of
  // levels deep: refuse those first, with the line (axisim/input_limits.hpp).
  check_xml_depth(text, source.label());
  std::unique_ptr<SBML_NS SBMLDocument> doc = parse_sbml_text(text, source.label());
  // comp's external model definitions are found relative to the document's own location.
  if (!source.path.empty())
    doc->setLocationURI("file:" + std::filesystem::absolute(source.path).string());
  ignore_unused_packages(*doc, text, source.label());
  if (doc->getNumErrors(LIBSBML_SEV_FATAL) + doc->getNumErrors(LIBSBML_SEV_ERROR) > 0 ||
      doc->getModel() == nullptr) {
    std::string what = describe_errors(*doc, LIBSBML_SEV_ERROR);
    if (what.empty()) what = "the document has no model";
    throw Error(ErrorKind::InvalidSbml, source.label() + ": invalid SBML:\n" + what);
  }
  // Before anything walks the formulas: libSBML's checks and converters recurse through them
  // and expand function definitions.
  check_math_limits(*doc, source.label());
  if (validate) {
    // Units and modelling practice give warnings only. SBO terms carry no meaning for a
    // simulation, and libSBML builds the SBO validator's constraints afresh on every call: a
    // tenth of a small model's load (bench/suite_instructions.sh). `axisim validate` runs all
    // of them.
    doc->setConsistencyChecks(LIBSBML_CAT_UNITS_CONSISTENCY, false);
    doc->setConsistencyChecks(LIBSBML_CAT_MODELING_PRACTICE, false);
    doc->setConsistencyChecks(LIBSBML_CAT_SBO_CONSISTENCY, false);
    doc->checkConsistency();
    downgrade_unit_errors(*doc, source.label());
    if (count_errors(*doc) > 0)
      throw Error(ErrorKind::InvalidSbml,
                  source.label() + ": invalid SBML:\n" + describe_errors(*doc, LIBSBML_SEV_ERROR));
    for (unsigned i = 0; i < doc->getNumErrors(); ++i)
      if (doc->getError(i)->getSeverity() == LIBSBML_SEV_WARNING)
        spdlog::debug("{}: line {}: {}", source.label(), doc->getError(i)->getLine(), doc->getError(i)->getMessage());
  }
  return doc;
}

}  // namespace axisim::detail
