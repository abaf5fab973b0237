// cvode_integrator.hpp — SUNDIALS CVODE (BDF, Newton, dense direct solver) on a CompiledSystem.
//
// The only module that sees SUNDIALS types. One integrator per simulation; it borrows the
// system and the workspace, which must outlive it. A system without states (only events on
// time, say) is integrated with one dummy state whose derivative is zero, so that
// root-finding still locates its event times.
#pragma once

#include <memory>
#include <vector>

#include "axisim/result.hpp"
#include "compiled_system.hpp"

namespace axisim::detail {

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
    std::vector<double> atol_scale;  // per state, multiplies atol (CompiledSystem::tolerance_scale)
    double max_step = 0.0;           // 0: no limit
    StepObserver* observer = nullptr;  // with one, CVODE goes step by step and stops at each tout
  };

  CvodeIntegrator(const CompiledSystem& system, Workspace& ws, const Options& options);
  ~CvodeIntegrator();
  CvodeIntegrator(const CvodeIntegrator&) = delete;
  CvodeIntegrator& operator=(const CvodeIntegrator&) = delete;

  // Starts (or restarts) the integration at t0 from y0 (num_states() values). Restarting is
  // what happens after every discontinuity, so that no multistep history spans it.
  void reset(double t0, const double* y0);
  // Integrates towards `tout` and stops there or at the first root of the system's
  // discontinuity locators, whichever comes first; returns true for a root. With
  // `stop_exactly`, CVODE never steps past tout (an event is due there); otherwise it may, and
  // interpolates back. Throws Error(Solver) with the time reached and CVODE's reason.
  bool advance(double tout, bool stop_exactly);

  double time() const;
  const double* state() const;
  SolverStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace axisim::detail
