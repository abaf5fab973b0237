// Running the axisim CLI on one model file of a case and classifying what happened.
//
// CLI contract: "axisim simulate" for TimeCourse cases, "axisim fba ... --infeasible-as-nan" for
// FluxBalanceSteadyState cases. Exit 0 = success, CSV written with header "time,ID,..." (fba:
// "ID,..." and one row); exit 3 = the model
// uses an SBML feature axisim refuses (the last non-empty stderr line says which); exit 4 =
// invalid input; 5 = solver failure; 2 = usage; anything else or a crash = error.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "run_result.hpp"
#include "suite_layout.hpp"

namespace suite {

struct CliRunConfig {
  std::filesystem::path cli;
  std::filesystem::path work_dir;  // a fresh directory for this run's output files
  std::chrono::duration<double> timeout;
  std::vector<std::string> simulate_args;  // appended to every 'simulate' command line
};

RunResult run_cli_on_model(const CliRunConfig& config, const SuiteCase& suite_case, const ModelFile& model);

}  // namespace suite
