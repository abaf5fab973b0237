// sbml_document.hpp — reading an SBML document with libSBML: parse, check, convert.
//
// This module and ir_from_sbml.cpp are the only places that see libSBML types.
#pragma once

#include <functional>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <sbml/SBMLTypes.h>
#include <sbml/conversion/ConversionProperties.h>
#include <sbml/packages/comp/common/CompExtensionTypes.h>
#include <sbml/packages/fbc/common/FbcExtensionTypes.h>

// Debian builds libSBML without its C++ namespace, so its Model and Reaction would clash with
// ours unqualified; SBML_NS names libSBML's types whichever way it was built.
#define SBML_NS ::LIBSBML_CPP_NAMESPACE_QUALIFIER

namespace axisim::detail {

struct SbmlSource {
  std::string text;    // the document itself, or
  std::string path;    // a file to read
  std::string label() const { return path.empty() ? std::string("<string>") : path; }
};

// Reads the document and throws Error(Io) or Error(InvalidSbml) (with line numbers) when
// libSBML reports errors. With `validate`, libSBML's consistency checks run too (unit checks
// excepted: unit problems never change how a model simulates).
std::unique_ptr<SBML_NS SBMLDocument> read_sbml(const SbmlSource& source, bool validate);
// libSBML's reader on a document in memory. libSBML throws on some malformed documents (an
// SBMLConstructorException when the namespace does not match the level and version, found by
// fuzzing): that becomes Error(InvalidSbml) "<label>: libSBML could not read the document: ...".
// Returns what libSBML returns otherwise (errors in the document's log).
std::unique_ptr<SBML_NS SBMLDocument> parse_sbml_text(const std::string& text, const std::string& label);

// libSBML's converters and its comp code keep process-wide state (SBMLTransforms' value table,
// comp's callback list), so two threads converting or flattening at once corrupt each other.
// Everything that reads, converts, flattens or validates a document takes this lock; it is
// recursive because an export simulates, which loads.
std::recursive_mutex& libsbml_mutex();

// Whether the document really uses hierarchical composition (submodels, model definitions);
// declaring the comp namespace alone does not count.
bool uses_comp(const SBML_NS SBMLDocument& doc);

// Flattens a hierarchical model with libSBML's comp converter (no-op otherwise): submodel
// elements keep their ids prefixed with "submodelId__", as the Test Suite expects. Throws
// Error(InvalidSbml) with libSBML's reasons.
void flatten_comp(SBML_NS SBMLDocument& doc, const std::string& label);

// The first formula deeper than kMaxMathDepth, or the one where all formulas together pass
// kMaxMathNodes, once function definitions are inlined (axisim/input_limits.hpp). Computed from
// each function's shape, without inlining and without recursion, so that no hostile document can
// make libSBML's unit checks, its converters or axisim's compiler recurse or expand without
// bound. `line` is the element's line in the document.
struct MathLimitProblem {
  unsigned line = 0;
  std::string message;
};
std::optional<MathLimitProblem> find_math_limit_problem(SBML_NS SBMLDocument& doc);
// Throws Error(InvalidSbml) "<label>: line N: <message>" for find_math_limit_problem's finding.
void check_math_limits(SBML_NS SBMLDocument& doc, const std::string& label);

// Calls visit(element) for every element below `root` (getAllElements' order), stopping early
// when visit returns false. libSBML's List is a linked list whose get(i) walks from the head, so
// indexing the list getAllElements returns is quadratic: 0.1 s of a 1,000-reaction model's load.
void for_each_element(SBML_NS SBase& root, const std::function<bool(const SBML_NS SBase&)>& visit);

// Whether any element of the document belongs to the package ("qual", "layout", ...): a
// declaration alone does not count.
bool uses_package(SBML_NS SBMLDocument& doc, const std::string& package);

// Why an error libSBML reports about a Level 3 package's declaration does not matter to a
// simulation (the package is declared but not used, or never changes the maths), or "" when it
// does. `text` is the document, where an unknown package's prefix is looked for.
std::string harmless_package_error(SBML_NS SBMLDocument& doc, const SBML_NS SBMLError& e, std::string_view text);

// "line 12: <message>" for each error of at least the given severity, one per line.
std::string describe_errors(const SBML_NS SBMLDocument& doc, unsigned min_severity);

}  // namespace axisim::detail
