// KiSAO's variable terms and why axisim refuses those it does not compute (variable_terms.hpp).
// Labels from KiSAO 2.30 (the terms added for SED-ML Level 1 Version 4).
#include "document/variable_terms.hpp"

#include <cctype>
#include <map>

namespace axisim::sedml {
namespace {

std::string normal(const std::string& raw) {
  std::string t = raw;
  for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (t.size() > 6 && t[5] == '_') t[5] = ':';
  return t;
}

struct Term {
  const char* label;
  const char* why;
};

// Every matrix is built by the executor (matrix_term); single coefficients the executor computes
// for a pair (target and target2); the rest have no value in an SBML model.
const char* const kMatrix = "a matrix of the whole model, computed by the executor for a task";
const char* const kCoefficient =
    "one coefficient of a pair (computed by the executor): the variable needs a target and a target2";
const char* const kClass = "a class of terms, which names no one quantity";

const std::map<std::string, Term>& terms() {
  static const std::map<std::string, Term> t{
      {"KISAO:0000800", {"systems property", kClass}},
      {"KISAO:0000801", {"concentration control coefficient matrix (unscaled)", kMatrix}},
      {"KISAO:0000802", {"control coefficient (scaled)", kCoefficient}},
      {"KISAO:0000803", {"control coefficient (unscaled)", kCoefficient}},
      {"KISAO:0000804", {"elasticity matrix (unscaled)", kMatrix}},
      {"KISAO:0000805", {"elasticity coefficient (unscaled)", kCoefficient}},
      {"KISAO:0000806", {"elasticity matrix (scaled)", kMatrix}},
      {"KISAO:0000807", {"elasticity coefficient (scaled)", kCoefficient}},
      {"KISAO:0000808", {"reduced stoichiometry matrix", kMatrix}},
      {"KISAO:0000809", {"reduced Jacobian matrix", kMatrix}},
      {"KISAO:0000810", {"reduced eigenvalue matrix", kMatrix}},
      {"KISAO:0000811", {"stoichiometry matrix", kMatrix}},
      {"KISAO:0000812", {"Jacobian matrix", kMatrix}},
      {"KISAO:0000813", {"Eigenvalue matrix", kMatrix}},
      {"KISAO:0000814", {"flux control coefficient matrix (unscaled)", kMatrix}},
      {"KISAO:0000815", {"flux control coefficient matrix (scaled)", kMatrix}},
      {"KISAO:0000816", {"link matrix", kMatrix}},
      {"KISAO:0000817", {"kernel matrix", kMatrix}},
      {"KISAO:0000818", {"L0 matrix", kMatrix}},
      {"KISAO:0000819", {"Nr matrix", kMatrix}},
      {"KISAO:0000820", {"model and simulation property characteristic", kClass}},
      {"KISAO:0000821", {"intensive property", kClass}},
      {"KISAO:0000822", {"extensive property", kClass}},
      {"KISAO:0000831", {"model and simulation property", kClass}},
      {"KISAO:0000835", {"concentration control coefficient matrix (scaled)", kMatrix}},
      {"KISAO:0000837",
       {"particle number", "a species' particle number (computed by the executor): the variable needs a target naming the species"}},
      {"KISAO:0000839", {"temperature", "an SBML model has no temperature of its own"}},
  };
  return t;
}

}  // namespace

std::string variable_term_label(const std::string& term) {
  const auto it = terms().find(normal(term));
  return it == terms().end() ? std::string() : it->second.label;
}

std::string matrix_term(const std::string& term) {
  const std::string t = normal(term);
  for (const char* m : {"KISAO:0000811", "KISAO:0000812", "KISAO:0000804", "KISAO:0000806", "KISAO:0000814", "KISAO:0000815",
                        "KISAO:0000801", "KISAO:0000835", "KISAO:0000808", "KISAO:0000819", "KISAO:0000816", "KISAO:0000817",
                        "KISAO:0000818", "KISAO:0000809", "KISAO:0000810", "KISAO:0000813"})
    if (t == m) return t;
  return {};
}

bool structural_matrix(const std::string& term) {
  const std::string t = normal(term);
  for (const char* m : {"KISAO:0000811", "KISAO:0000808", "KISAO:0000819", "KISAO:0000816", "KISAO:0000817", "KISAO:0000818"})
    if (t == m) return true;
  return false;
}

std::string coefficient_term(const std::string& term) {
  const std::string t = normal(term);
  for (const char* m : {"KISAO:0000802", "KISAO:0000803", "KISAO:0000805", "KISAO:0000807"})
    if (t == m) return t;
  return {};
}

std::string variable_term_refusal(const std::string& term) {
  const auto it = terms().find(normal(term));
  if (it == terms().end()) return {};
  return "term " + normal(term) + " (" + it->second.label + ") is refused: " + it->second.why;
}

}  // namespace axisim::sedml
