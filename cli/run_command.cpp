// axisim run: executes a SED-ML simulation experiment (docs/sedml.md). Reports are written as
// CSV in the BioSimulators layout, OUTDIR/<SED-ML location>/<report id>.csv, and to
// OUTDIR/reports.h5 (unless --no-h5); OUTDIR/log.yml logs what ran. Every problem is
// logged naming its element; the exit code is 0 when everything ran, 3 when all that failed was
// refused as unsupported, otherwise the code of the first other problem.
#include <algorithm>
#include <memory>
#include <string>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "axisim/sedml.hpp"
#include "commands.hpp"
#include "stop_signals.hpp"

namespace axisim::cli {
namespace {

struct RunArgs {
  std::string experiment;
  std::string input;  // -i, the BioSimulators convention
  std::string output = ".";
  std::string location;
  std::string model_map;
  bool no_checks = false;
  bool h5 = false;
  bool no_h5 = false;
  bool no_plots = false;
  std::vector<std::string> plugin_dirs;
  int max_fit_iterations = 0;
};

int run_experiment(const RunArgs& a) {
  const std::string path = a.experiment.empty() ? a.input : a.experiment;
  if (path.empty()) throw Error(ErrorKind::Usage, "run: give a SED-ML file (EXPERIMENT or -i)");
  if (!a.experiment.empty() && !a.input.empty()) throw Error(ErrorKind::Usage, "run: give the SED-ML file once");
  const auto ends_with = [&](const std::string& s) {
    return path.size() >= s.size() && std::equal(s.rbegin(), s.rend(), path.rbegin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == y;
           });
  };
  const bool archive = ends_with(".omex") || ends_with(".sedx") || ends_with(".zip");
  sedml::RunOptions options;
  options.output_dir = a.output;
  options.location = a.location;
  options.load.validate = !a.no_checks;
  // reports.h5 by default where HDF5 is built in; --h5 asks for it (refused, named, without
  // HDF5), --no-h5 leaves it out.
  if (a.h5 && a.no_h5) throw Error(ErrorKind::Usage, "run: give --h5 or --no-h5, not both");
  options.write_h5 = a.h5 || (!a.no_h5 && sedml::reports_h5_supported());
  options.draw_plots = !a.no_plots;
  options.plugin_dirs = a.plugin_dirs;
  options.max_fit_iterations = a.max_fit_iterations;
  if (!a.model_map.empty()) options.model_map = sedml::read_model_map(a.model_map);
  // SIGTERM or SIGINT: the run stops before its next task, repeated-task iteration or output, or
  // inside a long integration, stochastic run or fit, and finishes log.yml saying so (exit 128 +
  // the signal). A second signal ends the process at once; no file is half written either way
  // (each is renamed into place).
  options.stop = install_stop_signals();
  const sedml::RunReport report = archive ? sedml::run_archive(path, options) : sedml::run_file(path, options);
  if (report.interrupted) {
    spdlog::error("{}: stopped by signal {}; log.yml says what ran", path, report.interrupted);
    return report.exit_code();
  }
  std::size_t written = 0, drawn = 0;
  for (const auto& o : report.outputs)
    if (!o.file.empty()) ++(o.type == "report" ? written : drawn);
  if (report.problems.empty()) {
    spdlog::info("{}: {} report(s) written, {} plot(s) drawn to {}", path, written, drawn, a.output);
  } else {
    spdlog::error("{}: {} problem(s); {} report(s) written, {} plot(s) drawn to {}", path, report.problems.size(), written,
                  drawn, a.output);
  }
  return report.exit_code();
}

}  // namespace

Runner add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Run a SED-ML simulation experiment (L1V1-V4) on its SBML models; "
                                            "reports as CSV in the BioSimulators layout");
  cmd->add_option("experiment", args->experiment, "SED-ML file");
  cmd->add_option("-i,--input", args->input, "SED-ML file (the BioSimulators command-line convention)");
  cmd->add_option("-o,--output", args->output, "Output folder (default: the current folder)");
  cmd->add_option("--location", args->location,
                  "Path of the SED-ML file inside its archive, for the output layout (default: its file name)");
  cmd->add_option("--model-map", args->model_map,
                  "Local copies of models named by URN or URL: a file of SOURCE<TAB>PATH lines");
  cmd->add_flag("--no-checks", args->no_checks, "Skip libSBML's consistency checks of the models");
  cmd->add_option("--plugin-dir", args->plugin_dirs,
                  "Look here first for the tissue plugins a model's axisim annotation names (repeatable; before "
                  "AXISIM_PLUGIN_PATH and the install location)");
  cmd->add_flag("--h5", args->h5,
                "Write the reports to OUTDIR/reports.h5 (HDF5, the BioSimulators layout; the default where HDF5 is built in)");
  cmd->add_flag("--no-h5", args->no_h5, "Do not write OUTDIR/reports.h5");
  cmd->add_flag("--no-plots", args->no_plots,
                 "Do not draw the plots (their data are still computed); by default each is drawn as "
                 "OUTDIR/<SED-ML path>/<plot id>.svg and .pdf with gnuplot");
  cmd->add_option("--max-fit-iterations", args->max_fit_iterations,
                  "At most N iterations of each parameter estimation task's fit (default: the algorithm's own)")
      ->check(CLI::NonNegativeNumber);
  return [cmd, args]() -> int {
    if (!cmd->parsed()) return -1;
    return run_experiment(*args);
  };
}

}  // namespace axisim::cli
