// structural_matrices.hpp — the Version 4 matrix terms the executor derives from the steady-state
// Jacobian: the reduced Jacobian (KISAO:0000809) and the eigenvalues of the full and the reduced
// Jacobian (KISAO:0000813, 0000810). The stoichiometric ones (N_R, L, L0, K) are the conserved-
// moiety analysis's (axisim/moieties.hpp).
#pragma once

#include <vector>

#include "axisim/matrix.hpp"
#include "axisim/moieties.hpp"

namespace axisim::sedml {

// The Jacobian of the independent species' rates by the independent species, the dependent ones
// following the conservation laws: with x = diag(1/V) (L n_I + offset) and n_I = diag(V_I) x_I,
//   J_R = J[independent rows] diag(1/V) L diag(V_I)
// (`jacobian`: species x species in the quantity the model uses, rows and columns `m.species`;
// `sizes`: per species of `m.species`, its compartment's size for a concentration, 1 for an
// amount). With every V equal this is libRoadRunner's N_R E L. Rows and columns `m.independent`.
Matrix reduced_jacobian(const Matrix& jacobian, const MoietyAnalysis& m, const std::vector<double>& sizes);

// The eigenvalues of the square matrix `a` (Eigen's real EigenSolver: Hessenberg reduction and
// the shifted QR algorithm), one row each, columns "real" and "imaginary" (libRoadRunner's
// getEigenvalues layout), rows labelled 1 to n. Ordered by real part, largest first (the one that
// decides stability), a complex pair's positive imaginary part first; a pair's two real parts are
// equal as Eigen computes them, so the order does not depend on rounding.
Matrix eigenvalue_matrix(const Matrix& a);

}  // namespace axisim::sedml
