#include "axisim/validation.hpp"

#include "axisim/error.hpp"
#include "axisim/input_limits.hpp"
#include "ir/undefined_values.hpp"
#include "sbml/ir_from_sbml.hpp"
#include "sbml/sbml_document.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace axisim {
namespace {

// What axisim itself would refuse in a document libSBML finds valid: values the model needs
// but never defines (an error: a run stops on them) and, as a warning, anything else that stops
// the load (an unsupported feature, a formula too deep). Builds the IR, so it converts `doc`.
void axisim_checks(SBML_NS SBMLDocument& doc, const std::string& path, std::vector<Diagnostic>& out) {
  // Lines by id, taken before conversion and flattening renumber nothing but may drop lines.
  std::map<std::string, unsigned> line_of;
  detail::for_each_element(*doc.getModel(), [&](const SBML_NS SBase& e) {
    if (e.isSetId()) line_of.emplace(e.getId(), e.getLine());
    return true;
  });
  try {
    const detail::ModelIR ir = detail::build_ir(doc, path);
    for (std::uint32_t s : ir.undefined) {
      const detail::Symbol& sym = ir.symbols[s];
      // Local parameters are "reaction.parameter"; their line is the reaction's.
      const std::string id = sym.kind == SymbolKind::LocalParameter ? sym.id.substr(0, sym.id.find('.')) : sym.id;
      const auto line = line_of.find(id);
      out.push_back(Diagnostic{Diagnostic::Severity::Error, "axisim", line == line_of.end() ? 0u : line->second, 0, 0,
                               detail::describe_undefined(sym) + "; the model cannot be simulated without it: give it "
                               "a value with --set " + sym.id + "=VALUE, or define it in the model"});
    }
  } catch (const Error& e) {
    std::string msg = e.what();
    if (msg.rfind(path + ": ", 0) == 0) msg = msg.substr(path.size() + 2);
    out.push_back(Diagnostic{Diagnostic::Severity::Warning, "axisim", 0, 0, 0, "axisim cannot simulate this model: " + msg});
  }
}

}  // namespace

std::vector<Diagnostic> validate_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(ErrorKind::Io, path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Io, path + ": cannot open");
  std::ostringstream text;
  text << in.rdbuf();

  std::vector<Diagnostic> out;
  // Too deep for libSBML's recursive reader (axisim/input_limits.hpp): report, do not parse.
  if (const std::size_t line = xml_too_deep_at(text.str())) {
    out.push_back(Diagnostic{Diagnostic::Severity::Fatal, "XML", static_cast<unsigned>(line), 0, 0, xml_too_deep_message()});
    return out;
  }
  std::lock_guard lock(detail::libsbml_mutex());
  std::unique_ptr<SBML_NS SBMLDocument> doc;
  try {
    doc = detail::parse_sbml_text(text.str(), path);
  } catch (const Error& e) {
    std::string msg = e.what();
    if (msg.rfind(path + ": ", 0) == 0) msg = msg.substr(path.size() + 2);
    out.push_back(Diagnostic{Diagnostic::Severity::Fatal, "XML", 0, 0, 0, msg});
    return out;
  }
  bool readable = doc->getNumErrors(LIBSBML_SEV_FATAL) == 0 && doc->getModel() != nullptr;
  // libSBML's unit checks recurse through formulas and expand function definitions: a formula
  // beyond axisim's limits would crash or hang them, so it is reported instead.
  if (readable)
    if (const auto problem = detail::find_math_limit_problem(*doc)) {
      out.push_back(Diagnostic{Diagnostic::Severity::Fatal, "axisim", problem->line, 0, 0, problem->message});
      readable = false;
    }
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
    // What `simulate` ignores (a package declared but not used, say) is a warning here too.
    if (d.severity >= Diagnostic::Severity::Error)
      if (const std::string why = detail::harmless_package_error(*doc, *e, text.str()); !why.empty()) {
        d.severity = Diagnostic::Severity::Warning;
        d.message += " (axisim ignores this: " + why + ")";
      }
    out.push_back(std::move(d));
  }
  const bool errors = std::any_of(out.begin(), out.end(), [](const Diagnostic& d) { return d.severity >= Diagnostic::Severity::Error; });
  if (readable && !errors) axisim_checks(*doc, path, out);
  return out;
}

}  // namespace axisim
