// stop_signals.hpp — SIGTERM and SIGINT as a stop request (axisim::StopFlag) that the commands
// pass to their runs, so that a long run ends cleanly: nothing half written, the log says it
// stopped, exit 128 + the signal (as a shell reports a killed process).
#pragma once

#include "axisim/error.hpp"

namespace axisim::cli {

// Installs the handlers (each stores the signal's number in the flag, then restores the default
// action, so that a second signal ends the process at once) and returns the flag.
const StopFlag* install_stop_signals();

// The signal's name for messages: "SIGTERM", "SIGINT", else "a stop signal".
const char* stop_signal_name(int signal);

}  // namespace axisim::cli
