// library_logging.hpp — where the runtime's log lines go when a program embeds it.
//
// The runtime logs through spdlog's default logger. spdlog's own default writes to *stdout*,
// which is where an embedding program writes its results (a CSV on stdout, a notebook cell's
// output): a warning about a model would land in the middle of them. The axisim CLI installs a
// stderr logger itself; other hosts get one from here, unless they installed their own default
// logger first (then their choice stands, whatever it writes to).
#pragma once

namespace axisim::detail {

// Replaces spdlog's built-in stdout default logger by one writing to stderr, keeping its level
// and pattern; does nothing if the host has set a default logger of its own. Cheap after the
// first call; thread-safe.
void route_library_logging_to_stderr();

}  // namespace axisim::detail
