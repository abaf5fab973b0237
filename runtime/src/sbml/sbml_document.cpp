#include "sbml/sbml_document.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"

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
  const std::size_t first_uri = text.find(uri);
  if (first_uri != std::string_view::npos && text.find(uri, first_uri + uri.size()) != std::string_view::npos) return true;
  for (std::size_t at = text.find(attribute); at != std::string_view::npos; at = text.find(attribute, at + 1)) {
    const bool after_space = at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t' || text[at - 1] == '\n' ||
                                        text[at - 1] == '\r');
    if (after_space && text.compare(at, required.size(), required) != 0) return true;
  }
  return false;
}

}  // namespace

bool uses_package(SBML_NS SBMLDocument& doc, const std::string& package) {
  std::unique_ptr<SBML_NS List> all(doc.getAllElements());
  for (unsigned i = 0; all && i < all->getSize(); ++i)
    if (static_cast<const SBML_NS SBase*>(all->get(i))->getPackageName() == package) return true;
  return false;
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
      throw Error(ErrorKind::Unsupported,
                  label + ": unsupported: the model uses the SBML Level 3 package " + names +
                      ", which it declares required (it changes the model's maths) and which axisim does not support");
    }
  }
  for (unsigned id : harmless) doc.getErrorLog()->removeAll(id);
}

}  // namespace

std::unique_ptr<SBML_NS SBMLDocument> read_sbml(const SbmlSource& source, bool validate) {
  // Reading the bytes ourselves, rather than letting libxml2 open the file, keeps the parser
  // away from the file system: the document is parsed from memory only.
  const std::string text = source.path.empty() ? source.text : read_file(source.path);
  // libSBML reads recursively and overflows the stack on documents nested some thousands of
  // levels deep: refuse those first, with the line (axisim/input_limits.hpp).
  check_xml_depth(text, source.label());
  SBML_NS SBMLReader reader;
  std::unique_ptr<SBML_NS SBMLDocument> doc(reader.readSBMLFromString(text));
  if (!doc) throw Error(ErrorKind::InvalidSbml, source.label() + ": libSBML could not read the document");
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
  if (validate) {
    doc->setConsistencyChecks(LIBSBML_CAT_UNITS_CONSISTENCY, false);
    doc->setConsistencyChecks(LIBSBML_CAT_MODELING_PRACTICE, false);
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
