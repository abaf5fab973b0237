// analysis_options.hpp — what the analysis commands (moieties, steady, mca, sensitivities) share:
// how the model is loaded and changed (--set, plugins, --ignore-fast, --no-checks, --backend), the
// steady-state solver's options, the integrator's linear solver and Jacobian (also simulate's),
// and writing a text or CSV result to stdout or, whole, to a file.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "axisim/model.hpp"
#include "axisim/steady_state.hpp"
#include "plugin_options.hpp"

namespace axisim::cli {

struct ModelArgs {
  std::string model;
  std::vector<std::string> set;
  PluginOptions plugins;
  bool ignore_fast = false;
  bool no_checks = false;
  Backend backend = Backend::Auto;

  void add_to(CLI::App& cmd);
  // Loads the model, attaches the plugins, applies --set.
  Model load() const;
};

struct SteadyArgs {
  SteadyStateOptions options;

  void add_to(CLI::App& cmd);
};

// --linear-solver and --jacobian (simulate, sensitivities): Newton's linear solver and the
// Jacobian CVODE uses.
void add_solver_options(CLI::App& cmd, LinearSolver& linear_solver, JacobianKind& jacobian);

// stdout when `path` is empty or "-", else the file, atomically (axisim/csv.hpp).
void write_output(const std::string& path, const std::string& text);

// "k=LO:HI:N" (N >= 2).
struct ScanSpec {
  std::string parameter;
  double lo = 0, hi = 0;
  int points = 0;
};
ScanSpec parse_scan(const std::string& text);

// A number for human-readable tables (6 significant digits).
std::string short_number(double v);

}  // namespace axisim::cli
