// steady_solver.hpp — one steady-state problem: a model at a parameter point, the methods tried
// in order, and what a solution is (non-negative, held states settled, its stability).
//
// steady_state(), scan_steady_state(), control_analysis() and steady_state_sensitivities() are
// all built on this; they differ in the points they solve at and what they compute there.
#pragma once

#include <string>
#include <vector>

#include "axisim/steady_state.hpp"
#include "analysis/newton.hpp"
#include "analysis/reduced_system.hpp"
#include "run/simulation.hpp"

namespace axisim::detail {

// A value in a message: six significant digits.
std::string short_number(double v);

struct Solution {
  std::vector<double> y;  // full state (model, then plugin states)
  std::string method;
  int iterations = 0;
  double time_integrated = 0.0;
  std::vector<std::string> warnings;
};

class SteadySolver {
 public:
  // Refuses events, delay and fast reactions (Error(Unsupported)); checks the options (Usage).
  SteadySolver(const Model& model, const SteadyStateOptions& options, const std::string& what = "steady state");

  ReducedSystem& system() { return rs_; }
  const SteadyStateOptions& options() const { return options_; }
  const std::vector<InitialOverride>& model_overrides() const { return base_; }

  // The model's own values plus `extra` (which win). See ReducedSystem::set_point.
  bool set_point(const std::vector<InitialOverride>& extra = {}, bool keep_layout = false);

  // From the point's initial state, by options().method (Auto: Newton, pseudo-transient
  // continuation, integration, the first acceptable). Throws Error(Solver) saying what each
  // method did.
  Solution solve();
  // Newton alone from full state y (a neighbouring solution). Converged: y is the solution.
  // Negative: Newton converged, but to a point with a negative value (not accepted);
  // OutOfRange: to a point outside a plugin's declared range (not accepted either).
  enum class Continued { Converged, Negative, OutOfRange, Failed };
  Continued newton_from(std::vector<double>& y, int& iterations);

  // Residual, reduced Jacobian, its determinant's sign, eigenvalues and stability, warnings,
  // and the outputs' values (columns/reads as ModelAccess::outputs gives them).
  SteadyState describe(const Solution& s, const std::vector<std::string>& columns, const std::vector<OutputRead>& reads);

  // The outputs' values at full state y, at the present point.
  std::vector<double> read_outputs(const std::vector<double>& y, const std::vector<OutputRead>& reads);
  // J_R at full state y (dense, row-major, system().size() squared).
  std::vector<double> reduced_jacobian(const std::vector<double>& y);
  // The first state of y below zero by more than its tolerance, as "S2 = -0.31"; empty if none.
  std::string negative_state(const std::vector<double>& y) const;
  // A held state that still changes at y (more than the unknowns' tolerance can explain), as a
  // message; empty if none.
  std::string unsettled_held(const std::vector<double>& y);

  NewtonSettings newton_settings() const;

 private:
  // Why y is not acceptable as a steady state (negative, a held state moving), or empty.
  std::string unacceptable(const std::vector<double>& y, std::vector<std::string>& warnings);
  bool integrate(Solution& out, std::string& failure);

  SteadyStateOptions options_;
  std::vector<InitialOverride> base_;
  ReducedSystem rs_;
  std::string time_reader_;  // a formula that reads time, if any
};

}  // namespace axisim::detail
