#include "axisim/validation.hpp"

#include "axisim/error.hpp"
#include "sbml/sbml_document.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace axisim {

std::vector<Diagnostic> validate_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(ErrorKind::Io, path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, path + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();

  std::lock_guard lock(detail::libsbml_mutex());
  SBML_NS SBMLReader reader;
  std::unique_ptr<SBML_NS SBMLDocument> doc(reader.readSBMLFromString(text.str()));
  std::vector<Diagnostic> out;
  if (!doc) {
    out.push_back(Diagnostic{Diagnostic::Severity::Fatal, "XML", 0, 0, 0, "libSBML could not read the document"});
    return out;
  }
  const bool readable = doc->getNumErrors(LIBSBML_SEV_FATAL) == 0 && doc->getModel() != nullptr;
  // Consistency checks (units included) only make sense on a document that parsed.
  if (readable) doc->checkConsistency();
  for (unsigned i = 0; i < doc->getNumErrors(); ++i) {
    const SBML_NS SBMLError* e = doc->getError(i);
    Diagnostic d;
    switch (e->getSeverity()) {
      case LIBSBML_SEV_INFO: d.severity = Diagnostic::Severity::Info; break;
      case LIBSBML_SEV_WARNING: d.severity = Diagnostic::Severity::Warning; break;
      case LIBSBML_SEV_ERROR: d.severity = Diagnostic::Severity::Error; break;
      default: d.severity = Diagnostic::Severity::Fatal; break;
    }
    d.category = e->getCategoryAsString();
    d.line = e->getLine();
    d.column = e->getColumn();
    d.code = e->getErrorId();
    d.message = e->getMessage();
    while (!d.message.empty() && (d.message.back() == '\n' || d.message.back() == ' ')) d.message.pop_back();
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace axisim
