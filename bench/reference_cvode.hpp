// reference_cvode.hpp — CVODE driving the hand-written right-hand side, set up as axisim does.
//
// The reference for "full simulation" timings: the same integrator configuration as
// runtime/src/solve/cvode_integrator.cpp (BDF, Newton, per-state absolute tolerance, no root
// functions since the generated model has no discontinuities), the same output grid, and the
// same statistics, with one of three linear algebra set-ups:
//   DenseDifferenceQuotient  SUNDIALS' dense LU, CVODE's internal difference-quotient Jacobian
//                            (one right-hand side per state): axisim's setting before the
//                            sparse Jacobian. With the same right-hand side values, axisim and
//                            this take the same steps, so a time difference is the right-hand
//                            side's cost and nothing else.
//   DenseAnalytic            dense LU, the hand-written analytic Jacobian (handwritten_jacobian.hpp)
//   KluAnalytic              SUNDIALS' KLU sparse LU on the hand-written analytic Jacobian in CSC:
//                            "the limit of this design", what a programmer would give CVODE.
#pragma once

#include <vector>

#include "handwritten_rhs.hpp"
#include "timing.hpp"

namespace bench {

class HandwrittenJacobian;

enum class ReferenceLinearAlgebra { DenseDifferenceQuotient, DenseAnalytic, KluAnalytic };
const char* linear_algebra_name(ReferenceLinearAlgebra a);

struct ReferenceOptions {
  double end = 10.0;
  int steps = 100;  // equal output intervals from 0 to end
  double atol = 1e-12;
  double rtol = 1e-8;
  long max_steps = 500000;  // CVODE internal steps allowed between two output times
  ReferenceLinearAlgebra linear_algebra = ReferenceLinearAlgebra::DenseDifferenceQuotient;
  const HandwrittenJacobian* jacobian = nullptr;  // required by the analytic set-ups
  // KLU's fill-reducing ordering (SUNLinSol_KLUSetOrdering): 0 AMD, 1 COLAMD (SUNDIALS' default,
  // which axisim keeps).
  int klu_ordering = 1;
};

struct ReferenceStats {
  long steps = 0;
  long rhs_evaluations = 0;           // CVODE's own calls
  long jacobian_rhs_evaluations = 0;  // calls made to build difference-quotient Jacobians
  long jacobian_evaluations = 0;
  long linear_solver_setups = 0;      // LU factorizations (dense, or KLU's refactorizations)
  long newton_iterations = 0;
  long error_test_failures = 0;
  long convergence_failures = 0;
  // KLU only: the non-zeros of its LU factors (L and U with their diagonals, and the off-diagonal
  // blocks of its block triangular form) at the end of the run, against the Jacobian's. Their
  // ratio is the fill-in, which decides what a sparse factorisation costs.
  long lu_nonzeros = 0;
};

struct ReferenceRun {
  std::vector<double> final_state;          // amounts at `end`
  std::vector<std::vector<double>> rows;    // state at every output time, as axisim reports
  ReferenceStats stats;
};

// Integrates from rhs.initial_state(); throws std::runtime_error with CVODE's reason on failure.
ReferenceRun simulate_handwritten(const HandwrittenRhs& rhs, const ReferenceOptions& options);

// The cost of CVODE's dense linear algebra on this model, to apportion a simulation's time:
// `setup` is one linear solver setup as CVODE runs it (copy the saved Jacobian, form
// I - gamma J, LU-factorize), done once per linear solver setup; `solve` is one forward/back
// substitution, done once per Newton iteration. The matrix is the model's own Jacobian at its
// initial state (by forward differences, gamma = 0.1): SUNDIALS' dense LU skips updates by
// zero entries, so a reaction network's sparsity makes it much cheaper than a full matrix's.
struct DenseCosts {
  Timing setup;
  Timing solve;
};
DenseCosts time_dense_linear_algebra(const HandwrittenRhs& rhs, const RepeatPolicy& policy);

}  // namespace bench
