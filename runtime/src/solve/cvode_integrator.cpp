#include "solve/cvode_integrator.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "axisim/error.hpp"

namespace axisim::detail {

namespace {

void add_counts(SolverStats& to, const SolverStats& from) {
  to.steps += from.steps;
  to.rhs_evaluations += from.rhs_evaluations;
  to.jacobian_rhs_evaluations += from.jacobian_rhs_evaluations;
  to.jacobian_evaluations += from.jacobian_evaluations;
  to.linear_solver_setups += from.linear_solver_setups;
  to.newton_iterations += from.newton_iterations;
  to.error_test_failures += from.error_test_failures;
  to.convergence_failures += from.convergence_failures;
}

}  // namespace

struct CvodeIntegrator::Impl {
  OdeSystem* system = nullptr;
  Options options;
  SUNContext ctx = nullptr;
  N_Vector y = nullptr;
  N_Vector dky = nullptr;  // the derivative at a step, for the observer
  SUNMatrix A = nullptr;
  SUNLinearSolver LS = nullptr;
  void* mem = nullptr;
  double t = 0.0;
  std::string last_message;  // CVODE's own words for the last error
  const SparsePattern* pattern = nullptr;  // with a system Jacobian
  std::vector<double> jacobian_values;     // dense with a system Jacobian: the pattern's values
  SolverStats finished;                    // counts of the segments before the last restart
  long root_stops = 0;

  // CVODE's counters for the present segment (they restart with CVodeReInit).
  SolverStats segment() const {
    SolverStats s;
    long v = 0;
    CVodeGetNumSteps(mem, &v); s.steps = v;
    CVodeGetNumRhsEvals(mem, &v); s.rhs_evaluations = v;
    CVodeGetNumLinRhsEvals(mem, &v); s.rhs_evaluations += v; s.jacobian_rhs_evaluations = v;
    CVodeGetNumJacEvals(mem, &v); s.jacobian_evaluations = v;
    CVodeGetNumLinSolvSetups(mem, &v); s.linear_solver_setups = v;
    CVodeGetNumNonlinSolvIters(mem, &v); s.newton_iterations = v;
    CVodeGetNumErrTestFails(mem, &v); s.error_test_failures = v;
    CVodeGetNumNonlinSolvConvFails(mem, &v); s.convergence_failures = v;
    return s;
  }

  static int jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void* user, N_Vector, N_Vector, N_Vector) {
    auto* self = static_cast<Impl*>(user);
    const SparsePattern& p = *self->pattern;
    if (SUNMatGetID(J) == SUNMATRIX_SPARSE) {
      // CVODE zeroes the matrix, structure included, before each call: write the pattern again.
      sunindextype* start = SUNSparseMatrix_IndexPointers(J);
      sunindextype* rows = SUNSparseMatrix_IndexValues(J);
      for (std::size_t k = 0; k <= p.n; ++k) start[k] = static_cast<sunindextype>(p.column_start[k]);
      for (std::size_t i = 0; i < p.nonzeros(); ++i) rows[i] = static_cast<sunindextype>(p.row[i]);
      return self->system->jacobian(t, N_VGetArrayPointer(y), N_VGetArrayPointer(fy), SUNSparseMatrix_Data(J));
    }
    double* values = self->jacobian_values.data();
    const int flag = self->system->jacobian(t, N_VGetArrayPointer(y), N_VGetArrayPointer(fy), values);
    if (flag != 0) return flag;
    SUNMatZero(J);
    for (std::size_t k = 0; k < p.n; ++k) {
      double* column = SUNDenseMatrix_Column(J, static_cast<sunindextype>(k));
      for (std::int64_t q = p.column_start[k]; q < p.column_start[k + 1]; ++q) column[p.row[q]] = values[q];
    }
    return 0;
  }

  static int rhs(sunrealtype t, N_Vector y, N_Vector ydot, void* user) {
    auto* self = static_cast<Impl*>(user);
    return self->system->derivatives(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
  }

  static int root(sunrealtype t, N_Vector y, sunrealtype* g, void* user) {
    auto* self = static_cast<Impl*>(user);
    return self->system->roots(t, N_VGetArrayPointer(y), g);
  }

  static void on_error(int, const char* module, const char* function, char* msg, void* user) {
    static_cast<Impl*>(user)->last_message = std::string(module) + " " + function + ": " + msg;
  }

  void check(int flag, const char* what) {
    if (flag < 0)
      throw Error(ErrorKind::Solver, std::string("CVODE setup failed in ") + what + ": " +
                                         CVodeGetReturnFlagName(flag) + " " + last_message);
  }

  ~Impl() {
    if (mem) CVodeFree(&mem);
    if (LS) SUNLinSolFree(LS);
    if (A) SUNMatDestroy(A);
    if (y) N_VDestroy(y);
    if (dky) N_VDestroy(dky);
    if (ctx) SUNContext_Free(&ctx);
  }
};

CvodeIntegrator::CvodeIntegrator(OdeSystem& system, const Options& options)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.system = &system;
  d.options = options;
  const auto n = static_cast<sunindextype>(system.size());
  if (SUNContext_Create(nullptr, &d.ctx) != 0) throw Error(ErrorKind::Solver, "cannot create a SUNDIALS context");
  d.y = N_VNew_Serial(n, d.ctx);
  if (options.sparse || options.system_jacobian) {
    d.pattern = system.jacobian_pattern();
    if (!d.pattern || d.pattern->n != system.size())
      throw Error(ErrorKind::Solver, "internal error: a system Jacobian was requested but the system has no pattern");
  }
  if (options.sparse) {
    d.A = SUNSparseMatrix(n, n, static_cast<sunindextype>(d.pattern->nonzeros()), CSC_MAT, d.ctx);
    if (d.A) d.LS = SUNLinSol_KLU(d.y, d.A, d.ctx);
  } else {
    d.A = SUNDenseMatrix(n, n, d.ctx);
    if (d.A) d.LS = SUNLinSol_Dense(d.y, d.A, d.ctx);
    if (options.system_jacobian) d.jacobian_values.assign(d.pattern->nonzeros(), 0.0);
  }
  d.mem = CVodeCreate(CV_BDF, d.ctx);
  if (!d.y || !d.A || !d.LS || !d.mem) throw Error(ErrorKind::Solver, "cannot allocate the CVODE solver");
  N_VConst(0.0, d.y);
  d.check(CVodeSetErrHandlerFn(d.mem, &Impl::on_error, &d), "CVodeSetErrHandlerFn");
  d.check(CVodeInit(d.mem, &Impl::rhs, 0.0, d.y), "CVodeInit");
  d.check(CVodeSetUserData(d.mem, &d), "CVodeSetUserData");
  N_Vector atol = N_VClone(d.y);
  double* a = N_VGetArrayPointer(atol);
  for (sunindextype k = 0; k < n; ++k)
    a[k] = options.atol * (static_cast<std::size_t>(k) < options.atol_scale.size() ? options.atol_scale[k] : 1.0);
  const int tol_flag = CVodeSVtolerances(d.mem, options.rtol, atol);
  N_VDestroy(atol);
  d.check(tol_flag, "CVodeSVtolerances");
  if (system.num_roots() > 0)
    d.check(CVodeRootInit(d.mem, static_cast<int>(system.num_roots()), &Impl::root), "CVodeRootInit");
  d.check(CVodeSetLinearSolver(d.mem, d.LS, d.A), "CVodeSetLinearSolver");
  if (d.pattern) d.check(CVodeSetJacFn(d.mem, &Impl::jac), "CVodeSetJacFn");
  d.check(CVodeSetMaxNumSteps(d.mem, options.max_steps), "CVodeSetMaxNumSteps");
  d.check(CVodeSetMaxHnilWarns(d.mem, -1), "CVodeSetMaxHnilWarns");
  if (options.max_step > 0) d.check(CVodeSetMaxStep(d.mem, options.max_step), "CVodeSetMaxStep");
  if (options.observer) d.dky = N_VClone(d.y);
}

CvodeIntegrator::~CvodeIntegrator() = default;

void CvodeIntegrator::reset(double t0, const double* y0) {
  Impl& d = *impl_;
  double* y = N_VGetArrayPointer(d.y);
  for (std::size_t k = 0; k < d.system->size(); ++k) y[k] = y0[k];
  d.t = t0;
  add_counts(d.finished, d.segment());
  d.check(CVodeReInit(d.mem, t0, d.y), "CVodeReInit");
}

bool CvodeIntegrator::advance(double tout, bool stop_exactly) {
  Impl& d = *impl_;
  if (tout <= d.t) return false;
  // A stop time must lie ahead of CVODE's internal time; when CVODE has already stepped past
  // tout it interpolates back (checking roots up to tout only), which is as good.
  sunrealtype tn = d.t;
  CVodeGetCurrentTime(d.mem, &tn);
  // Step by step for an observer, which must see every step and never one past tout.
  const bool stepwise = d.options.observer != nullptr;
  const bool stop = (stop_exactly || stepwise) && tn < tout;
  // SUNDIALS 6.4 has no call to clear a stop time: a far one does the same.
  d.check(CVodeSetStopTime(d.mem, stop ? tout : std::numeric_limits<double>::max()), "CVodeSetStopTime");
  sunrealtype reached = d.t;
  int flag = CVode(d.mem, tout, d.y, &reached, stepwise ? CV_ONE_STEP : CV_NORMAL);
  while (stepwise && flag >= 0 && flag != CV_ROOT_RETURN) {
    d.check(CVodeGetDky(d.mem, reached, 1, d.dky), "CVodeGetDky");
    d.options.observer->on_step(reached, N_VGetArrayPointer(d.y), N_VGetArrayPointer(d.dky));
    if (reached >= tout) break;
    flag = CVode(d.mem, tout, d.y, &reached, CV_ONE_STEP);
  }
  if (flag < 0) {
    d.t = reached;
    throw Error(ErrorKind::Solver, "solver failure at t = " + std::to_string(reached) + " (integrating to " +
                                       std::to_string(tout) + "): " + CVodeGetReturnFlagName(flag) +
                                       (d.last_message.empty() ? "" : ": " + d.last_message));
  }
  if (flag == CV_ROOT_RETURN) {
    ++d.root_stops;
    // CVODE places the root within a tolerance of the crossing, possibly on the near side, where
    // a trigger such as S < 0.1 is still false (or where the locator is exactly zero, which
    // CVODE would then ignore after a restart). Step just past it, inside the step CVODE has
    // already taken, so that whatever switched has switched.
    sunrealtype h = 0.0;
    CVodeGetCurrentTime(d.mem, &tn);
    CVodeGetLastStep(d.mem, &h);
    const double uround = std::numeric_limits<double>::epsilon();
    const double past = reached + 200.0 * uround * (std::fabs(reached) + std::fabs(h));
    if (past <= tn && past < tout) {
      d.check(CVodeGetDky(d.mem, past, 0, d.y), "CVodeGetDky");
      reached = past;
    }
    d.t = reached;
    return true;
  }
  d.t = tout;
  return false;
}

double CvodeIntegrator::time() const { return impl_->t; }

const double* CvodeIntegrator::state() const { return N_VGetArrayPointer(impl_->y); }

SolverStats CvodeIntegrator::stats() const {
  SolverStats s = impl_->segment();
  add_counts(s, impl_->finished);
  s.root_stops = impl_->root_stops;
  s.linear_solver = impl_->options.sparse ? "sparse (KLU)" : "dense";
  return s;
}

}  // namespace axisim::detail
