// variable_terms.hpp — KiSAO's terms for what a SED-ML Level 1 Version 4 variable reports (its
// `term`, or its `symbol`), KISAO:0000800 to 0000839, by label, and why axisim refuses those it
// does not compute. What it computes is the executor's: the amount (KISAO:0000836), the
// concentration (0000838), the particle number (0000837), the time (0000832), rates of change
// (0000834), the matrices matrix_term names and the aggregations (0000824's children,
// execute/matrix_terms.cpp).
#pragma once
#include <string>

namespace axisim::sedml {

// "KISAO:0000811" (also "KISAO_0000811", any case) -> "stoichiometry matrix"; empty for a term not
// in that range.
std::string variable_term_label(const std::string& term);

// Why a variable term axisim does not compute is refused, naming it: "term KISAO:0000811
// (stoichiometry matrix) is refused: ...". Empty for a term not in KISAO:0000800-0000839.
std::string variable_term_refusal(const std::string& term);

// The term normalised ("KISAO:0000811") when it names a matrix the executor computes for a
// task: the stoichiometry matrix (0000811; rows the species reactions change, in model order,
// columns the reactions), and at a steady state the Jacobian (0000812; species x species), the
// elasticities unscaled and scaled (0000804, 0000806; reactions x species), the flux control
// coefficients (0000814, 0000815; reactions x reactions) and the concentration control
// coefficients (0000801, 0000835; species x reactions), as axisim/control_analysis.hpp defines
// them; the structural matrices of the conserved-moiety analysis (axisim/moieties.hpp): the
// reduced stoichiometry matrix (0000808) and its synonym the Nr matrix (0000819; libRoadRunner's
// getNrMatrix is getReducedStoichiometryMatrix), the link matrix (0000816), the L0 matrix
// (0000818) and the kernel matrix (0000817); and at a steady state the reduced Jacobian (0000809)
// and the eigenvalues of the Jacobian (0000813) and of the reduced Jacobian (0000810)
// (structural_matrices.hpp). Empty for any other term.
std::string matrix_term(const std::string& term);

// True for the matrices that depend on the stoichiometry alone (0000811, 0000808, 0000819,
// 0000816, 0000817, 0000818): they do not change along a run, so any deterministic task has them.
bool structural_matrix(const std::string& term);

// The term normalised when it names one coefficient of a pair (a dependentVariable's target and
// target2): control coefficients scaled (KISAO:0000802) and unscaled (0000803), elasticity
// coefficients unscaled (0000805) and scaled (0000807). Empty for any other term.
std::string coefficient_term(const std::string& term);

}  // namespace axisim::sedml
