#include "sbml/sbml_document.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"

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

}  // namespace

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

std::unique_ptr<SBML_NS SBMLDocument> read_sbml(const SbmlSource& source, bool validate) {
  // Reading the bytes ourselves, rather than letting libxml2 open the file, keeps the parser
  // away from the file system: the document is parsed from memory only.
  const std::string text = source.path.empty() ? source.text : read_file(source.path);
  SBML_NS SBMLReader reader;
  std::unique_ptr<SBML_NS SBMLDocument> doc(reader.readSBMLFromString(text));
  if (!doc) throw Error(ErrorKind::InvalidSbml, source.label() + ": libSBML could not read the document");
  // comp's external model definitions are found relative to the document's own location.
  if (!source.path.empty())
    doc->setLocationURI("file:" + std::filesystem::absolute(source.path).string());
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
