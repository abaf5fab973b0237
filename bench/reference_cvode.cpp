#include "reference_cvode.hpp"

#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "handwritten_jacobian.hpp"
#include "solve/sundials_kernels.hpp"

namespace bench {
namespace {

// Owns every SUNDIALS object of one run, so that an exception frees them.
struct Solver {
  SUNContext ctx = nullptr;
  N_Vector y = nullptr;
  N_Vector atol = nullptr;
  SUNMatrix A = nullptr;
  SUNLinearSolver LS = nullptr;
  void* mem = nullptr;
  // For the callbacks (CVODE's user data is this struct).
  const HandwrittenRhs* rhs = nullptr;
  const HandwrittenJacobian* jacobian = nullptr;
  mutable std::vector<double> jacobian_values;
  ~Solver() {
    if (mem) CVodeFree(&mem);
    if (LS) SUNLinSolFree(LS);
    if (A) SUNMatDestroy(A);
    if (atol) N_VDestroy(atol);
    if (y) N_VDestroy(y);
    if (ctx) SUNContext_Free(&ctx);
  }
};

int rhs_callback(sunrealtype, N_Vector y, N_Vector ydot, void* user) {
  const auto& rhs = *static_cast<const Solver*>(user)->rhs;
  double* out = N_VGetArrayPointer(ydot);
  rhs(N_VGetArrayPointer(y), out);
  // As axisim does: a non-finite derivative is a recoverable error, so CVODE retries smaller.
  for (std::size_t k = 0; k < rhs.num_states(); ++k)
    if (!std::isfinite(out[k])) return 1;
  return 0;
}

// The analytic Jacobian for CVODE. CVODE zeroes the sparse matrix, pattern included, before
// each call, so the pattern is written every time, then the values.
int sparse_jacobian(sunrealtype, N_Vector y, N_Vector, SUNMatrix J, void* user, N_Vector, N_Vector, N_Vector) {
  const auto& jac = *static_cast<const Solver*>(user)->jacobian;
  std::copy(jac.column_start().begin(), jac.column_start().end(), SM_INDEXPTRS_S(J));
  std::copy(jac.row().begin(), jac.row().end(), SM_INDEXVALS_S(J));
  jac(N_VGetArrayPointer(y), SM_DATA_S(J));
  return 0;
}

int dense_jacobian(sunrealtype, N_Vector y, N_Vector, SUNMatrix J, void* user, N_Vector, N_Vector, N_Vector) {
  const auto& s = *static_cast<const Solver*>(user);
  const HandwrittenJacobian& jac = *s.jacobian;
  jac(N_VGetArrayPointer(y), s.jacobian_values.data());
  SUNMatZero(J);
  for (std::size_t j = 0; j < jac.num_states(); ++j)
    for (std::int64_t p = jac.column_start()[j]; p < jac.column_start()[j + 1]; ++p)
      SM_ELEMENT_D(J, jac.row()[p], static_cast<sunindextype>(j)) = s.jacobian_values[p];
  return 0;
}

void check(int flag, const char* what) {
  if (flag < 0) throw std::runtime_error(std::string("reference CVODE: ") + what + ": " + CVodeGetReturnFlagName(flag));
}

}  // namespace

const char* linear_algebra_name(ReferenceLinearAlgebra a) {
  switch (a) {
    case ReferenceLinearAlgebra::DenseDifferenceQuotient: return "dense LU, difference-quotient Jacobian";
    case ReferenceLinearAlgebra::DenseAnalytic: return "dense LU, hand-written Jacobian";
    case ReferenceLinearAlgebra::KluAnalytic: return "KLU, hand-written Jacobian";
  }
  return "?";
}

ReferenceRun simulate_handwritten(const HandwrittenRhs& rhs, const ReferenceOptions& o) {
  const auto n = static_cast<sunindextype>(rhs.num_states());
  const bool analytic = o.linear_algebra != ReferenceLinearAlgebra::DenseDifferenceQuotient;
  if (analytic && (!o.jacobian || o.jacobian->num_states() != rhs.num_states()))
    throw std::invalid_argument("reference CVODE: an analytic set-up needs the model's hand-written Jacobian");
  Solver s;
  s.rhs = &rhs;
  s.jacobian = o.jacobian;
  if (SUNContext_Create(nullptr, &s.ctx) != 0) throw std::runtime_error("reference CVODE: no SUNDIALS context");
  s.y = N_VNew_Serial(n, s.ctx);
  // The same SUNDIALS kernels as axisim's integrator (Debian's are built without optimisation):
  // the reference is the limit of the design, not of the library's build.
  if (s.y) axisim::detail::install_serial_vector_ops(s.y);
  if (o.linear_algebra == ReferenceLinearAlgebra::KluAnalytic) {
    s.A = SUNSparseMatrix(n, n, static_cast<sunindextype>(o.jacobian->nonzeros()), CSC_MAT, s.ctx);
    if (s.A) axisim::detail::install_sparse_matrix_ops(s.A);
    if (s.y && s.A) s.LS = SUNLinSol_KLU(s.y, s.A, s.ctx);
    if (s.LS && SUNLinSol_KLUSetOrdering(s.LS, o.klu_ordering) != 0)
      throw std::invalid_argument("reference CVODE: KLU ordering " + std::to_string(o.klu_ordering));
  } else {
    s.A = SUNDenseMatrix(n, n, s.ctx);
    if (s.y && s.A) s.LS = SUNLinSol_Dense(s.y, s.A, s.ctx);
    if (analytic) s.jacobian_values.resize(o.jacobian->nonzeros());
  }
  s.mem = CVodeCreate(CV_BDF, s.ctx);
  if (!s.y || !s.A || !s.LS || !s.mem) throw std::runtime_error("reference CVODE: allocation failed");
  std::copy(rhs.initial_state().begin(), rhs.initial_state().end(), N_VGetArrayPointer(s.y));

  check(CVodeInit(s.mem, rhs_callback, 0.0, s.y), "CVodeInit");
  check(CVodeSetUserData(s.mem, &s), "CVodeSetUserData");
  // axisim scales atol per state by min(1, compartment size) for species kept as amounts and
  // read as concentrations, which is every species here.
  s.atol = N_VClone(s.y);
  N_VConst(o.atol * std::min(1.0, rhs.compartment_size()), s.atol);
  check(CVodeSVtolerances(s.mem, o.rtol, s.atol), "CVodeSVtolerances");
  check(CVodeSetLinearSolver(s.mem, s.LS, s.A), "CVodeSetLinearSolver");
  if (o.linear_algebra == ReferenceLinearAlgebra::KluAnalytic) check(CVodeSetJacFn(s.mem, sparse_jacobian), "CVodeSetJacFn");
  if (o.linear_algebra == ReferenceLinearAlgebra::DenseAnalytic) check(CVodeSetJacFn(s.mem, dense_jacobian), "CVodeSetJacFn");
  check(CVodeSetMaxNumSteps(s.mem, o.max_steps), "CVodeSetMaxNumSteps");
  check(CVodeSetMaxHnilWarns(s.mem, -1), "CVodeSetMaxHnilWarns");

  ReferenceRun run;
  const double* y = N_VGetArrayPointer(s.y);
  run.rows.emplace_back(y, y + n);
  for (int k = 1; k <= o.steps; ++k) {
    const double tout = k == o.steps ? o.end : o.end * k / o.steps;
    sunrealtype reached = 0.0;
    const int flag = CVode(s.mem, tout, s.y, &reached, CV_NORMAL);
    if (flag < 0)
      throw std::runtime_error("reference CVODE failed at t = " + std::to_string(reached) + ": " +
                               CVodeGetReturnFlagName(flag));
    run.rows.emplace_back(y, y + n);
  }
  run.final_state.assign(y, y + n);

  long v = 0;
  CVodeGetNumSteps(s.mem, &v); run.stats.steps = v;
  CVodeGetNumRhsEvals(s.mem, &v); run.stats.rhs_evaluations = v;
  CVodeGetNumLinRhsEvals(s.mem, &v); run.stats.jacobian_rhs_evaluations = v;
  CVodeGetNumJacEvals(s.mem, &v); run.stats.jacobian_evaluations = v;
  CVodeGetNumLinSolvSetups(s.mem, &v); run.stats.linear_solver_setups = v;
  CVodeGetNumNonlinSolvIters(s.mem, &v); run.stats.newton_iterations = v;
  CVodeGetNumErrTestFails(s.mem, &v); run.stats.error_test_failures = v;
  CVodeGetNumNonlinSolvConvFails(s.mem, &v); run.stats.convergence_failures = v;
  if (o.linear_algebra == ReferenceLinearAlgebra::KluAnalytic)
    if (const sun_klu_numeric* lu = SUNLinSol_KLUGetNumeric(s.LS))
      run.stats.lu_nonzeros = static_cast<long>(lu->lnz + lu->unz + lu->nzoff);
  return run;
}

DenseCosts time_dense_linear_algebra(const HandwrittenRhs& rhs, const RepeatPolicy& policy) {
  const std::size_t size = rhs.num_states();
  const auto n = static_cast<sunindextype>(size);
  Solver s;  // only its context, vectors, matrix and linear solver are used
  if (SUNContext_Create(nullptr, &s.ctx) != 0) throw std::runtime_error("dense timing: no SUNDIALS context");
  s.y = N_VNew_Serial(n, s.ctx);
  s.atol = N_VClone(s.y);  // the right-hand side of the solve
  s.A = SUNDenseMatrix(n, n, s.ctx);
  SUNMatrix saved = SUNDenseMatrix(n, n, s.ctx);
  s.LS = SUNLinSol_Dense(s.y, s.A, s.ctx);
  if (!s.y || !s.atol || !s.A || !saved || !s.LS) throw std::runtime_error("dense timing: allocation failed");

  // Forward-difference Jacobian at the initial state, as CVODE's own difference quotients
  // would give (same sparsity pattern, similar values).
  std::vector<double> y = rhs.initial_state(), f0(size), f1(size);
  rhs(y.data(), f0.data());
  for (std::size_t j = 0; j < size; ++j) {
    const double yj = y[j];
    const double h = 1.5e-8 * std::max(std::abs(yj), 1.0);
    y[j] = yj + h;
    rhs(y.data(), f1.data());
    y[j] = yj;
    for (std::size_t i = 0; i < size; ++i)
      SM_ELEMENT_D(saved, static_cast<sunindextype>(i), static_cast<sunindextype>(j)) = (f1[i] - f0[i]) / h;
  }
  N_VConst(1.0, s.atol);

  DenseCosts costs;
  costs.setup = measure_batched([&] {
    SUNMatCopy(saved, s.A);
    SUNMatScaleAddI(-0.1, s.A);
    SUNLinSolSetup(s.LS, s.A);
  }, policy);
  costs.solve = measure_batched([&] { SUNLinSolSolve(s.LS, s.A, s.y, s.atol, 0.0); }, policy);
  SUNMatDestroy(saved);
  return costs;
}

}  // namespace bench
