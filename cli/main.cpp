// axisim — command-line front end. Every command is a thin layer over the runtime's API; each
// lives in its own file (commands.hpp lists them).
#include <csignal>
#include <cstdlib>
#include <vector>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "commands.hpp"
#include "stop_signals.hpp"

int main(int argc, char** argv) {
  // A file size limit (ulimit -f) makes a write fail with EFBIG, reported with the file's name,
  // instead of killing the process with SIGXFSZ.
  ::signal(SIGXFSZ, SIG_IGN);
  auto logger = spdlog::stderr_color_mt("axisim");
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);

  CLI::App app{"axisim: simulate SBML models of the gut-liver-IGF-1 axis and beyond"};
  app.require_subcommand(1);
  app.fallthrough();  // --verbose and --quiet may follow the subcommand
  bool verbose = false, quiet = false;
  app.add_flag("-v,--verbose", verbose, "Log debug detail to stderr");
  app.add_flag("-q,--quiet", quiet, "Log only errors");

  const std::vector<axisim::cli::Runner> commands{
      axisim::cli::add_simulate_command(app),
      axisim::cli::add_validate_command(app),
      axisim::cli::add_plugins_command(app),
      axisim::cli::add_fba_command(app),
      axisim::cli::add_export_command(app),
      axisim::cli::add_batch_command(app),
      axisim::cli::add_moieties_command(app),
      axisim::cli::add_steady_command(app),
      axisim::cli::add_mca_command(app),
      axisim::cli::add_sensitivities_command(app),
      axisim::cli::add_run_command(app),
      axisim::cli::add_attractors_command(app),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : axisim::exit_code_for(axisim::ErrorKind::Usage);
  }
  spdlog::set_level(quiet ? spdlog::level::err : verbose ? spdlog::level::debug : spdlog::level::info);
  if (const char* trace = std::getenv("AXISIM_TRACE"); trace && *trace) spdlog::set_level(spdlog::level::trace);

  try {
    for (const auto& run : commands)
      if (const int code = run(); code >= 0) return code;
  } catch (const axisim::Error& e) {
    spdlog::error("{}", e.what());
    return axisim::exit_code_for(e.kind());
  } catch (const axisim::Stopped& e) {
    // A run stopped on request (stop_signals.hpp): exit as a shell reports a killed process.
    spdlog::error("stopped by signal {} ({}): {}", e.signal(), axisim::cli::stop_signal_name(e.signal()), e.what());
    return 128 + e.signal();
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
    return 1;
  }
  return 0;
}
