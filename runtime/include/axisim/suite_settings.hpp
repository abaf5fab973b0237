// axisim/suite_settings.hpp — the SBML Test Suite's NNNNN-settings.txt format.
//
// The format is how the suite states a simulation: start, duration, steps, the variables to
// report, which species are amounts or concentrations, and the tolerances results are judged by.
#pragma once

#include <string>
#include <vector>

#include "axisim/model.hpp"

namespace axisim {

struct SuiteSettings {
  double start = 0.0;
  double duration = 0.0;
  int steps = 0;
  std::vector<std::string> variables;
  double absolute = 0.0;  // judging tolerances, not integration tolerances
  double relative = 0.0;
  std::vector<std::string> amount;
  std::vector<std::string> concentration;

  static SuiteSettings parse_file(const std::string& path);  // throws Error(Io or Usage)

  // Integration tolerances 1e-4 times the judging ones (rtol at most 1e-8, atol at most 1e-10).
  SimulationOptions simulation_options() const;
  std::vector<OutputSpec> outputs() const;
};

}  // namespace axisim
