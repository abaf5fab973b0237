// commands.hpp — the axisim subcommands. Each registers its options on the CLI11 app and
// returns the function that runs it once the command line has been parsed.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace axisim::cli {

using Runner = std::function<int()>;  // returns the process exit code; may throw axisim::Error

Runner add_simulate_command(CLI::App& app);
Runner add_validate_command(CLI::App& app);
Runner add_plugins_command(CLI::App& app);
Runner add_fba_command(CLI::App& app);
Runner add_export_command(CLI::App& app);
Runner add_batch_command(CLI::App& app);
Runner add_moieties_command(CLI::App& app);
Runner add_steady_command(CLI::App& app);
Runner add_mca_command(CLI::App& app);
Runner add_sensitivities_command(CLI::App& app);
Runner add_run_command(CLI::App& app);
Runner add_attractors_command(CLI::App& app);

}  // namespace axisim::cli
