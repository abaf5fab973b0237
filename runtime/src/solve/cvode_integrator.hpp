// cvode_integrator.hpp — SUNDIALS CVODE (BDF, Newton, a dense or sparse direct solver) on an
// OdeSystem.
//
// The only module that sees SUNDIALS types. One integrator per simulation; it borrows the
// system, which must outlive it. The linear solver is attached as SUNDIALS' own example does it
// (cvRoberts_klu.c): create the matrix, create the solver, attach, and set a Jacobian function
// only when the system has one.
#pragma once

#include <memory>
#include <vector>

#include "axisim/result.hpp"
#include "solve/sparse_pattern.hpp"

namespace axisim::detail {

// What CVODE integrates: y' = f(t, y), with root functions g(t, y) marking discontinuities.
// One virtual call per evaluation; everything inside runs compiled code.
class OdeSystem {
 public:
  virtual std::size_t size() const = 0;  // at least 1
  // 0 on success, > 0 for a recoverable failure (CVODE retries with a smaller step), < 0 to stop.
  virtual int derivatives(double t, const double* y, double* ydot) = 0;
  virtual std::size_t num_roots() const = 0;
  virtual int roots(double t, const double* y, double* g) = 0;  // 0, or < 0 to stop
  // Optional: the Jacobian df/dy on a fixed sparsity pattern. jacobian() writes its values in
  // the pattern's order; fy is f(t, y). Same return contract as derivatives().
  virtual const SparsePattern* jacobian_pattern() const { return nullptr; }
  virtual int jacobian(double /*t*/, const double* /*y*/, const double* /*fy*/, double* /*values*/) { return -1; }

 protected:
  ~OdeSystem() = default;
};

// Forward sensitivities s_i = dy/dp_i of an OdeSystem (CVODES), for parameters i < count.
class SensitivitySystem {
 public:
  virtual std::size_t num_parameters() const = 0;
  // sdot[i] = (df/dy)(t, y) s[i] + df/dp_i for every parameter i; fy is f(t, y), each s[i] and
  // sdot[i] has size() values. Same return contract as OdeSystem::derivatives.
  virtual int sensitivity_derivatives(double t, const double* y, const double* fy, const double* const* s,
                                      double* const* sdot) = 0;

 protected:
  ~SensitivitySystem() = default;
};

// Told of every step CVODE accepts, when a run needs the solution's past (delays).
class StepObserver {
 public:
  virtual void on_step(double t, const double* y, const double* ydot) = 0;

 protected:
  ~StepObserver() = default;
};

class CvodeIntegrator {
 public:
  struct Options {
    double atol = 1e-12;
    double rtol = 1e-8;
    long max_steps = 500000;
    std::vector<double> atol_scale;  // per state, multiplies atol
    double max_step = 0.0;           // 0: no limit
    StepObserver* observer = nullptr;  // with one, CVODE goes step by step and stops at each tout
    // Newton's linear algebra: dense LU, with the system's Jacobian (system_jacobian) or with
    // CVODE's own difference quotients; KLU on the system's sparsity pattern; or GMRES
    // preconditioned by an incomplete LU of the Newton matrix (solve/incomplete_lu.hpp), its
    // products with J taken from the Jacobian of the last preconditioner setup. Sparse and
    // Iterative need the system's Jacobian.
    enum class Linear { Dense, Sparse, Iterative } linear = Linear::Dense;
    bool system_jacobian = false;
  };

  CvodeIntegrator(OdeSystem& system, const Options& options);
  ~CvodeIntegrator();
  CvodeIntegrator(const CvodeIntegrator&) = delete;
  CvodeIntegrator& operator=(const CvodeIntegrator&) = delete;

  // Starts (or restarts) the integration at t0 from y0 (system.size() values). Restarting is
  // what happens after every discontinuity, so that no multistep history spans it.
  void reset(double t0, const double* y0);
  // With sensitivities: s0 holds num_parameters() vectors of size() values, one after another
  // (parameter-major); the sensitivities restart from them (CVodeSensReInit).
  void reset(double t0, const double* y0, const double* s0);

  // Forward sensitivities, on after this call (before the first reset): CVODES' staggered
  // corrector with error control on the sensitivities, whose tolerances are the state's divided
  // by parameter_scale[i] (|p_i|, or 1 for p_i = 0). `system` must outlive the integrator.
  void enable_sensitivities(SensitivitySystem& system, const std::vector<double>& parameter_scale);
  // The sensitivities at time(): num_parameters() vectors of size() values, parameter-major.
  const double* sensitivities();
  // Integrates towards `tout` and stops there or at the first root of the system's
  // discontinuity locators, whichever comes first; returns true for a root. With
  // `stop_exactly`, CVODE never steps past tout (an event is due there); otherwise it may, and
  // interpolates back. Throws Error(Solver) with the time reached and CVODE's reason.
  bool advance(double tout, bool stop_exactly);

  double time() const;
  const double* state() const;
  // After advance() returned true: per discontinuity locator, non-zero where CVODE found the
  // root it stopped at (CVodeGetRootInfo: +1 rising, -1 falling), 0 elsewhere.
  const std::vector<int>& roots_found() const;
  // The solution at t by CVODE's interpolating polynomial, t within the last step taken
  // (CVodeGetDky); false, y untouched, when t lies outside it.
  bool interpolate(double t, double* y);
  // Counts since construction, over every restart (CVODE's own counters restart with it).
  SolverStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace axisim::detail
