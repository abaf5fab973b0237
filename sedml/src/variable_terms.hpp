// variable_terms.hpp — KiSAO's terms for what a SED-ML Level 1 Version 4 variable reports (its
// `term`, or its `symbol`), KISAO:0000800 to 0000839, by label, and why axisim refuses those it
// does not compute. What it computes is the executor's: the amount (KISAO:0000836), the
// concentration (0000838), the time (0000832), a species' rate of change (0000834) and the
// aggregations (0000824's children, execute.cpp).
#pragma once
#include <string>

namespace axisim::sedml {

// "KISAO:0000811" (also "KISAO_0000811", any case) -> "stoichiometry matrix"; empty for a term not
// in that range.
std::string variable_term_label(const std::string& term);

// Why a variable term axisim does not compute is refused, naming it: "term KISAO:0000811
// (stoichiometry matrix) is refused: ...". Empty for a term not in KISAO:0000800-0000839.
std::string variable_term_refusal(const std::string& term);

}  // namespace axisim::sedml
