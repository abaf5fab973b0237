// axisim/error.hpp — the one exception type the runtime throws.
//
// Every failure the runtime reports carries a category, so that callers (the CLI, the batch
// runner, the test-suite runner) can map it to an exit code or a report column without parsing
// message text. Messages name the file, line or SBML id the problem is about.
#pragma once

#include <atomic>
#include <stdexcept>
#include <string>

namespace axisim {

enum class ErrorKind {
  Io,           // file missing, unreadable, or output cannot be written
  InvalidSbml,  // XML malformed, or libSBML found errors in the document
  Unsupported,  // valid SBML that uses a feature axisim refuses (named in the message)
  UnknownId,    // an id given by the user that the model does not have
  Solver,       // CVODE failed; the message holds the time and CVODE's reason
  Usage,        // inconsistent options (for example a negative step count)
  Plugin,       // a plugin that cannot be loaded or bound, or that failed during a run (named)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// A request to stop a run, passed by pointer in its options (null: never stops): 0 to go on, else
// the number of the signal that asked (a handler stores it; the run reads it with a relaxed load
// every so many steps, never a global).
using StopFlag = std::atomic<int>;

// Thrown where a run stops on request: a stop flag (StopFlag) passed in its options became non-zero,
// typically because a signal handler set it. Not a failure of the run, hence not an Error:
// callers that turn failures into reports let it through, and the outermost one ends cleanly
// (axisim run: log.yml says stopped, no partial report, exit 128 + signal()). what() says where.
class Stopped : public std::runtime_error {
 public:
  Stopped(int signal, const std::string& where) : std::runtime_error(where), signal_(signal) {}
  int signal() const noexcept { return signal_; }

 private:
  int signal_;
};

// Process exit codes used by the CLI; kept here so that scripts and tests agree on them.
inline int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return 2;
    case ErrorKind::Unsupported: return 3;
    case ErrorKind::Io:
    case ErrorKind::InvalidSbml:
    case ErrorKind::UnknownId: return 4;
    case ErrorKind::Solver: return 5;
    case ErrorKind::Plugin: return 6;
  }
  return 1;
}

}  // namespace axisim
