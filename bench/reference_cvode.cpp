#include "reference_cvode.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

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
  const auto& rhs = *static_cast<const HandwrittenRhs*>(user);
  double* out = N_VGetArrayPointer(ydot);
  rhs(N_VGetArrayPointer(y), out);
  // As axisim does: a non-finite derivative is a recoverable error, so CVODE retries smaller.
  for (std::size_t k = 0; k < rhs.num_states(); ++k)
    if (!std::isfinite(out[k])) return 1;
  return 0;
}

void check(int flag, const char* what) {
  if (flag < 0) throw std::runtime_error(std::string("reference CVODE: ") + what + ": " + CVodeGetReturnFlagName(flag));
}

}  // namespace

ReferenceRun simulate_handwritten(const HandwrittenRhs& rhs, const ReferenceOptions& o) {
  const auto n = static_cast<sunindextype>(rhs.num_states());
  Solver s;
  if (SUNContext_Create(nullptr, &s.ctx) != 0) throw std::runtime_error("reference CVODE: no SUNDIALS context");
  s.y = N_VNew_Serial(n, s.ctx);
  s.A = SUNDenseMatrix(n, n, s.ctx);
  s.LS = SUNLinSol_Dense(s.y, s.A, s.ctx);
  s.mem = CVodeCreate(CV_BDF, s.ctx);
  if (!s.y || !s.A || !s.LS || !s.mem) throw std::runtime_error("reference CVODE: allocation failed");
  std::copy(rhs.initial_state().begin(), rhs.initial_state().end(), N_VGetArrayPointer(s.y));

  check(CVodeInit(s.mem, rhs_callback, 0.0, s.y), "CVodeInit");
  check(CVodeSetUserData(s.mem, const_cast<HandwrittenRhs*>(&rhs)), "CVodeSetUserData");
  // axisim scales atol per state by min(1, compartment size) for species kept as amounts and
  // read as concentrations, which is every species here.
  s.atol = N_VClone(s.y);
  N_VConst(o.atol * std::min(1.0, rhs.compartment_size()), s.atol);
  check(CVodeSVtolerances(s.mem, o.rtol, s.atol), "CVodeSVtolerances");
  check(CVodeSetLinearSolver(s.mem, s.LS, s.A), "CVodeSetLinearSolver");
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
