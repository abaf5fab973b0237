// axisim sensitivities: forward sensitivities of a time course (CVODES) as long-format CSV.
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "analysis_options.hpp"
#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/sensitivities.hpp"
#include "commands.hpp"

namespace axisim::cli {
namespace {

struct SensitivitiesCommandArgs {
  ModelArgs model;
  SimulationOptions options;
  std::vector<std::string> select, wrt;
  std::string output;
  bool scaled = false;
};

int run_sensitivities(const SensitivitiesCommandArgs& a) {
  const Model model = a.model.load();
  std::vector<OutputSpec> outputs;
  for (const std::string& id : a.select) outputs.push_back({id});
  const TimeCourseSensitivities s = time_course_sensitivities(model, a.wrt, a.options, outputs);
  spdlog::info("sensitivities of {} output(s) to {} parameter(s) at {} times: {} steps, {} s", s.outputs.size(),
               s.parameters.size(), s.times.size(), s.stats.steps, short_number(s.stats.integration_seconds));
  write_output(a.output, sensitivities_csv(s, a.scaled));
  return 0;
}

}  // namespace

Runner add_sensitivities_command(CLI::App& app) {
  auto args = std::make_shared<SensitivitiesCommandArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sensitivities", "Forward sensitivities of a time course (CVODES): d output / d parameter at every output "
                       "time, as long CSV time,output,parameter,value");
  args->model.add_to(*cmd);
  cmd->add_option("--wrt", args->wrt,
                  "Parameters, compartments, species (their initial values) and local parameters (REACTION.ID)")
      ->delimiter(',')
      ->required();
  cmd->add_option("--select", args->select, "Outputs (default: every species)")->delimiter(',');
  cmd->add_option("--start", args->options.start, "First output time (the model starts at time 0; default 0)");
  cmd->add_option("--end", args->options.end, "Last output time (default 10)");
  cmd->add_option("--steps", args->options.steps, "Number of output intervals; steps + 1 times (default 100)");
  cmd->add_option("--atol", args->options.atol, "Absolute integration tolerance (default 1e-12)");
  cmd->add_option("--rtol", args->options.rtol, "Relative integration tolerance (default 1e-8)");
  add_solver_options(*cmd, args->options.linear_solver, args->options.jacobian);
  cmd->add_flag("--scaled", args->scaled, "Write (p / y) dy/dp instead of dy/dp (NaN where the output is 0)");
  cmd->add_option("-o,--output", args->output, "Output CSV (default: stdout); written whole or not at all");
  return [cmd, args] { return *cmd ? run_sensitivities(*args) : -1; };
}

}  // namespace axisim::cli
