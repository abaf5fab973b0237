#include "solve/cvode_integrator.hpp"

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "axisim/error.hpp"

namespace axisim::detail {

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
  d.A = SUNDenseMatrix(n, n, d.ctx);
  d.LS = SUNLinSol_Dense(d.y, d.A, d.ctx);
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
  SolverStats s;
  void* mem = impl_->mem;
  long v = 0;
  CVodeGetNumSteps(mem, &v); s.steps = v;
  CVodeGetNumRhsEvals(mem, &v); s.rhs_evaluations = v;
  CVodeGetNumLinRhsEvals(mem, &v); s.rhs_evaluations += v;
  CVodeGetNumJacEvals(mem, &v); s.jacobian_evaluations = v;
  CVodeGetNumNonlinSolvIters(mem, &v); s.newton_iterations = v;
  CVodeGetNumErrTestFails(mem, &v); s.error_test_failures = v;
  CVodeGetNumNonlinSolvConvFails(mem, &v); s.convergence_failures = v;
  return s;
}

}  // namespace axisim::detail
