// axisim/child_process.hpp — running a helper program as a child process: the system C compiler
// that builds native model code, gnuplot that draws SED-ML plots.
//
// No shell is involved (the arguments go to the program as they are), the child gets its own
// process group (so that stopping it stops whatever it started: the compiler driver's cc1, as
// and ld), standard input from /dev/null, its standard error into a log file, and SIGPIPE at its
// default. The caller decides, between polls, whether to keep waiting.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace axisim {

// Where the child's standard output goes: into the log with its standard error, or nowhere.
enum class ChildOutput { Log, Discard };

// Runs `args[0]` (a path to the program) with `args[1..]` as its arguments, its standard error
// into `log` (created or truncated). Polls the child every 1 to 20 ms; between polls it calls
// `keep_waiting(pause)`, which waits about `pause` and returns true to go on waiting, false to
// stop: the child's process group is then killed, the child reaped, and nullopt returned.
// Returns the child's exit status, or 128 + the signal that ended it. Throws
// std::runtime_error ("cannot run PROGRAM: ...", "cannot wait for PROGRAM: ...") when the child
// cannot be started or waited for.
std::optional<int> run_child_process(const std::vector<std::string>& args, const std::string& log, ChildOutput out,
                                     const std::function<bool(std::chrono::milliseconds pause)>& keep_waiting);

}  // namespace axisim
