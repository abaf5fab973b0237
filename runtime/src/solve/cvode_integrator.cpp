#include "solve/cvode_integrator.hpp"

#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunlinsol/sunlinsol_spgmr.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "axisim/error.hpp"
#include "solve/incomplete_lu.hpp"
#include "solve/sundials_kernels.hpp"

namespace axisim::detail {

namespace {

// CVodeGetReturnFlagName returns a string the caller must free (found by LeakSanitizer).
std::string flag_name(int flag) {
  char* name = CVodeGetReturnFlagName(flag);
  std::string out = name ? name : "unknown flag " + std::to_string(flag);
  std::free(name);
  return out;
}

void add_counts(SolverStats& to, const SolverStats& from) {
  to.steps += from.steps;
  to.rhs_evaluations += from.rhs_evaluations;
  to.jacobian_rhs_evaluations += from.jacobian_rhs_evaluations;
  to.jacobian_evaluations += from.jacobian_evaluations;
  to.linear_solver_setups += from.linear_solver_setups;
  to.newton_iterations += from.newton_iterations;
  to.error_test_failures += from.error_test_failures;
  to.convergence_failures += from.convergence_failures;
  to.linear_iterations += from.linear_iterations;
}

// GMRES: the Krylov subspace's largest dimension before a restart.
constexpr int kKrylovDimension = 30;

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
  std::vector<double> jacobian_values;     // dense or iterative: the pattern's values
  std::unique_ptr<IncompleteLu> preconditioner;  // iterative
  long own_jacobian_evaluations = 0;       // iterative: CVODE does not count the preconditioner's
  SolverStats finished;                    // counts of the segments before the last restart
  long root_stops = 0;
  std::vector<int> roots_found;  // of the last root stop
  N_Vector interpolated = nullptr;  // interpolate(), made on first use
  // Forward sensitivities (enable_sensitivities).
  SensitivitySystem* sensitivity = nullptr;
  int num_sensitivities = 0;
  N_Vector* yS = nullptr;
  std::vector<double> sensitivity_values;  // parameter-major copy handed out
  std::vector<const double*> s_in;
  std::vector<double*> s_out;
  bool sensitivities_at_reset = false;  // yS holds the values of the last reset (no step since)

  static int sensitivity_rhs(int ns, sunrealtype t, N_Vector y, N_Vector ydot, N_Vector* yS, N_Vector* ySdot,
                             void* user, N_Vector, N_Vector) {
    auto* self = static_cast<Impl*>(user);
    for (int i = 0; i < ns; ++i) {
      self->s_in[static_cast<std::size_t>(i)] = N_VGetArrayPointer(yS[i]);
      self->s_out[static_cast<std::size_t>(i)] = N_VGetArrayPointer(ySdot[i]);
    }
    return self->sensitivity->sensitivity_derivatives(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot),
                                                      self->s_in.data(), self->s_out.data());
  }

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
    if (preconditioner) {
      CVodeGetNumLinIters(mem, &v); s.linear_iterations = v;
    }
    return s;
  }

  // Iterative: the preconditioner is the incomplete LU of I - gamma J, J recomputed unless
  // CVODE says the last one will do (jok), as it would reuse it with a direct solver.
  static int precondition_setup(sunrealtype t, N_Vector y, N_Vector fy, sunbooleantype jok, sunbooleantype* jcur,
                                sunrealtype gamma, void* user) {
    auto* self = static_cast<Impl*>(user);
    *jcur = SUNFALSE;
    if (!jok || self->own_jacobian_evaluations == 0) {
      const int flag = self->system->jacobian(t, N_VGetArrayPointer(y), N_VGetArrayPointer(fy),
                                              self->jacobian_values.data());
      if (flag != 0) return flag;
      ++self->own_jacobian_evaluations;
      *jcur = SUNTRUE;
    }
    return self->preconditioner->factor(self->jacobian_values.data(), gamma) ? 0 : 1;
  }

  static int precondition_solve(sunrealtype, N_Vector, N_Vector, N_Vector r, N_Vector z, sunrealtype, sunrealtype,
                                int, void* user) {
    static_cast<Impl*>(user)->preconditioner->solve(N_VGetArrayPointer(r), N_VGetArrayPointer(z));
    return 0;
  }

  // J v with the Jacobian of the last preconditioner setup: the same modified Newton iteration
  // a direct solver with a reused Jacobian performs, at one sparse product per Krylov step.
  static int jacobian_times(N_Vector v, N_Vector Jv, sunrealtype, N_Vector, N_Vector, void* user, N_Vector) {
    auto* self = static_cast<Impl*>(user);
    const SparsePattern& p = *self->pattern;
    const double* x = N_VGetArrayPointer(v);
    double* out = N_VGetArrayPointer(Jv);
    const double* values = self->jacobian_values.data();
    std::fill_n(out, p.n, 0.0);
    for (std::size_t k = 0; k < p.n; ++k)
      for (std::int64_t q = p.column_start[k]; q < p.column_start[k + 1]; ++q) out[p.row[q]] += values[q] * x[k];
    return 0;
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
                                         flag_name(flag) + " " + last_message);
  }

  ~Impl() {
    if (mem) CVodeFree(&mem);
    if (yS) N_VDestroyVectorArray(yS, num_sensitivities);
    if (LS) SUNLinSolFree(LS);
    if (A) SUNMatDestroy(A);
    if (y) N_VDestroy(y);
    if (dky) N_VDestroy(dky);
    if (interpolated) N_VDestroy(interpolated);
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
  // Debian's SUNDIALS is built without optimisation: its vector kernels are most of a step
  // (solve/sundials_kernels.hpp).
  if (d.y) install_serial_vector_ops(d.y);
  using Linear = Options::Linear;
  if (options.linear != Linear::Dense || options.system_jacobian) {
    d.pattern = system.jacobian_pattern();
    if (!d.pattern || d.pattern->n != system.size())
      throw Error(ErrorKind::Solver, "internal error: a system Jacobian was requested but the system has no pattern");
  }
  switch (options.linear) {
    case Linear::Sparse:
      d.A = SUNSparseMatrix(n, n, static_cast<sunindextype>(d.pattern->nonzeros()), CSC_MAT, d.ctx);
      if (d.A) install_sparse_matrix_ops(d.A);
      if (d.A) d.LS = SUNLinSol_KLU(d.y, d.A, d.ctx);
      // AMD, not SUNDIALS' default COLAMD: 1.4-2.7 times faster on reaction networks, whose
      // Jacobians are nearly symmetric in structure (bench/scale_bench, docs/performance.md).
      if (d.LS) d.check(SUNLinSol_KLUSetOrdering(d.LS, 0), "SUNLinSol_KLUSetOrdering");
      break;
    case Linear::Iterative:
      d.LS = SUNLinSol_SPGMR(d.y, SUN_PREC_LEFT, kKrylovDimension, d.ctx);
      d.preconditioner = std::make_unique<IncompleteLu>(*d.pattern);
      d.jacobian_values.assign(d.pattern->nonzeros(), 0.0);
      break;
    case Linear::Dense:
      d.A = SUNDenseMatrix(n, n, d.ctx);
      if (d.A) d.LS = SUNLinSol_Dense(d.y, d.A, d.ctx);
      if (options.system_jacobian) d.jacobian_values.assign(d.pattern->nonzeros(), 0.0);
      break;
  }
  d.mem = CVodeCreate(CV_BDF, d.ctx);
  if (!d.y || (!d.A && options.linear != Linear::Iterative) || !d.LS || !d.mem) throw Error(ErrorKind::Solver, "cannot allocate the CVODE solver");
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
  if (options.linear == Linear::Iterative) {
    d.check(CVodeSetPreconditioner(d.mem, &Impl::precondition_setup, &Impl::precondition_solve),
            "CVodeSetPreconditioner");
    d.check(CVodeSetJacTimes(d.mem, nullptr, &Impl::jacobian_times), "CVodeSetJacTimes");
  } else if (d.pattern) {
    d.check(CVodeSetJacFn(d.mem, &Impl::jac), "CVodeSetJacFn");
  }
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

void CvodeIntegrator::reset(double t0, const double* y0, const double* s0) {
  Impl& d = *impl_;
  reset(t0, y0);
  if (!d.sensitivity) return;
  const std::size_t n = d.system->size();
  for (int i = 0; i < d.num_sensitivities; ++i)
    std::copy_n(s0 + static_cast<std::size_t>(i) * n, n, N_VGetArrayPointer(d.yS[i]));
  d.check(CVodeSensReInit(d.mem, CV_STAGGERED, d.yS), "CVodeSensReInit");
  d.sensitivities_at_reset = true;
}

void CvodeIntegrator::enable_sensitivities(SensitivitySystem& system, const std::vector<double>& parameter_scale) {
  Impl& d = *impl_;
  const int ns = static_cast<int>(system.num_parameters());
  if (ns == 0 || d.sensitivity) return;
  d.sensitivity = &system;
  d.num_sensitivities = ns;
  d.yS = N_VCloneVectorArray(ns, d.y);
  if (!d.yS) throw Error(ErrorKind::Solver, "cannot allocate the sensitivity vectors");
  for (int i = 0; i < ns; ++i) N_VConst(0.0, d.yS[i]);
  d.s_in.resize(static_cast<std::size_t>(ns));
  d.s_out.resize(static_cast<std::size_t>(ns));
  d.sensitivity_values.assign(static_cast<std::size_t>(ns) * d.system->size(), 0.0);
  d.check(CVodeSensInit(d.mem, ns, CV_STAGGERED, &Impl::sensitivity_rhs, d.yS), "CVodeSensInit");
  // pbar only scales the tolerances (the right-hand side of the sensitivities is ours).
  d.check(CVodeSetSensParams(d.mem, nullptr, const_cast<double*>(parameter_scale.data()), nullptr),
          "CVodeSetSensParams");
  d.check(CVodeSensEEtolerances(d.mem), "CVodeSensEEtolerances");
  d.check(CVodeSetSensErrCon(d.mem, SUNTRUE), "CVodeSetSensErrCon");
  d.sensitivities_at_reset = true;
}

const double* CvodeIntegrator::sensitivities() {
  Impl& d = *impl_;
  if (!d.sensitivity) return nullptr;
  if (!d.sensitivities_at_reset) d.check(CVodeGetSensDky(d.mem, d.t, 0, d.yS), "CVodeGetSensDky");
  const std::size_t n = d.system->size();
  for (int i = 0; i < d.num_sensitivities; ++i)
    std::copy_n(N_VGetArrayPointer(d.yS[i]), n, d.sensitivity_values.data() + static_cast<std::size_t>(i) * n);
  return d.sensitivity_values.data();
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
  d.sensitivities_at_reset = false;
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
                                       std::to_string(tout) + "): " + flag_name(flag) +
                                       (d.last_message.empty() ? "" : ": " + d.last_message));
  }
  if (flag == CV_ROOT_RETURN) {
    ++d.root_stops;
    d.roots_found.assign(d.system->num_roots(), 0);
    if (!d.roots_found.empty()) d.check(CVodeGetRootInfo(d.mem, d.roots_found.data()), "CVodeGetRootInfo");
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

const std::vector<int>& CvodeIntegrator::roots_found() const { return impl_->roots_found; }

bool CvodeIntegrator::interpolate(double t, double* y) {
  Impl& d = *impl_;
  sunrealtype tn = 0.0, h = 0.0;
  CVodeGetCurrentTime(d.mem, &tn);
  CVodeGetLastStep(d.mem, &h);
  if (h == 0.0 || t > tn || t < tn - std::fabs(h)) return false;
  if (!d.interpolated) d.interpolated = N_VClone(d.y);
  if (CVodeGetDky(d.mem, t, 0, d.interpolated) != CV_SUCCESS) return false;
  std::copy_n(N_VGetArrayPointer(d.interpolated), d.system->size(), y);
  return true;
}

const double* CvodeIntegrator::state() const { return N_VGetArrayPointer(impl_->y); }

SolverStats CvodeIntegrator::stats() const {
  SolverStats s = impl_->segment();
  add_counts(s, impl_->finished);
  s.root_stops = impl_->root_stops;
  s.jacobian_evaluations += impl_->own_jacobian_evaluations;
  switch (impl_->options.linear) {
    case Options::Linear::Dense: s.linear_solver = "dense"; break;
    case Options::Linear::Sparse: s.linear_solver = "sparse (KLU)"; break;
    case Options::Linear::Iterative: s.linear_solver = "iterative (GMRES, incomplete LU)"; break;
  }
  return s;
}

}  // namespace axisim::detail
