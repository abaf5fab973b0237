// SIGTERM and SIGINT as a stop request (stop_signals.hpp).
#include "stop_signals.hpp"

#include <signal.h>

namespace axisim::cli {
namespace {

StopFlag g_stop{0};  // one process, one flag: a handler can reach nothing else

extern "C" void on_stop_signal(int sig) {
  g_stop.store(sig);
  ::signal(sig, SIG_DFL);
}

}  // namespace

const StopFlag* install_stop_signals() {
  ::signal(SIGTERM, on_stop_signal);
  ::signal(SIGINT, on_stop_signal);
  return &g_stop;
}

const char* stop_signal_name(int signal) {
  return signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "a stop signal";
}

}  // namespace axisim::cli
