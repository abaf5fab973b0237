// cvode_integrator.hpp — SUNDIALS CVODE (BDF, Newton, dense direct solver) on a CompiledSystem.
//
// The only module that sees SUNDIALS types. One integrator per simulation; it borrows the
// system and the workspace, which must outlive it.
#pragma once

#include <memory>
#include <vector>

#include "axisim/result.hpp"
#include "compiled_system.hpp"

namespace axisim::detail {

class CvodeIntegrator {
 public:
  struct Options {
    double atol = 1e-12;
    double rtol = 1e-8;
    long max_steps = 500000;
    std::vector<double> atol_scale;  // per state, multiplies atol (CompiledSystem::tolerance_scale)
  };

  CvodeIntegrator(const CompiledSystem& system, Workspace& ws, const Options& options);
  ~CvodeIntegrator();
  CvodeIntegrator(const CvodeIntegrator&) = delete;
  CvodeIntegrator& operator=(const CvodeIntegrator&) = delete;

  // Starts (or restarts) the integration at t0 from y0 (num_states() values).
  void reset(double t0, const double* y0);
  // Integrates to exactly `tout` (CVODE interpolates to it). Throws Error(Solver) with the time
  // reached and CVODE's reason.
  void advance_to(double tout);

  double time() const;
  const double* state() const;
  SolverStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace axisim::detail
