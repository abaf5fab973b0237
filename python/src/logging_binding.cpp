// logging_binding.cpp — axisim's log lines in Python's `logging`, as records of the logger
// "axisim".
//
// The library logs through spdlog's default logger (from any thread: the caller's, a batch's
// workers, the native-code compiler's background thread, a plugin through the host's log
// callback). At import the module makes that logger's only sink one that hands each line to
// logging.getLogger("axisim") at the matching level (trace 5, debug 10, info 20, warning 30,
// error 40, critical 50). Python's logging may only be called by a thread holding the GIL, and
// this sink never waits for the GIL, so it cannot deadlock:
//   - a thread that holds the GIL (a binding that did not release it) delivers the line at once,
//     holding no lock of its own meanwhile (a handler may call axisim again);
//   - any other thread (a call that released the GIL, batch workers, background threads) appends
//     the line to a queue. The queue is delivered, in order, by the thread that made the call when
//     it takes the GIL back (WithoutGil, bindings.hpp: a call's lines are logged before it returns
//     or raises), by the next line logged with the GIL held, and by a pending call
//     (Py_AddPendingCall) that the interpreter's main thread runs between two bytecodes, for lines
//     from threads no call waits for.
// Lines are delivered in the order they were logged by each thread; lines queued by workers come
// before a later line of the calling thread. A queue nobody delivers holds at most kMaxQueued
// lines; the rest are counted and reported as dropped. At exit (atexit, after Python code ran)
// the queue is delivered once more and later lines go to stderr, as Python can no longer log.
#include <atomic>
#include <cstdio>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <string>

#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "bindings.hpp"

namespace axisim::python {

namespace {

constexpr std::size_t kMaxQueued = 10000;

struct Line {
  int level;  // Python's
  std::string text;
};

int python_level(spdlog::level::level_enum l) {
  switch (l) {
    case spdlog::level::trace: return 5;
    case spdlog::level::debug: return 10;
    case spdlog::level::info: return 20;
    case spdlog::level::warn: return 30;
    case spdlog::level::err: return 40;
    default: return 50;
  }
}

const char* level_name(int level) {
  return level <= 5 ? "trace" : level <= 10 ? "debug" : level <= 20 ? "info" : level <= 30 ? "warning"
                                                     : level <= 40 ? "error" : "critical";
}

PyObject* g_logger = nullptr;             // logging.getLogger("axisim"), owned for the process's life
std::atomic<bool> g_python_gone{false};   // after atexit: lines go to stderr
std::atomic<bool> g_pending_scheduled{false};
std::mutex g_mutex;                       // guards the two below; never held while Python runs
std::deque<Line> g_queue;
std::size_t g_dropped = 0;

void write_stderr(const Line& line) {
  std::fprintf(stderr, "axisim %s: %s\n", level_name(line.level), line.text.c_str());
}

// logging.getLogger("axisim"), imported at first use (`import logging` costs a few tens of
// milliseconds at start-up that a program which never logs need not pay); null if that fails.
// The GIL is held.
PyObject* logger() {
  if (!g_logger) {
    if (PyObject* logging = PyImport_ImportModule("logging")) {
      g_logger = PyObject_CallMethod(logging, "getLogger", "s", "axisim");
      Py_DECREF(logging);
    }
    if (!g_logger) PyErr_Clear();
  }
  return g_logger;
}

// Hands one line to the "axisim" logger. The GIL is held. An exception being raised in this
// thread (the line may be logged while one is set) is kept as it was.
void deliver(const Line& line) {
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  if (!logger()) {
    PyErr_Restore(type, value, traceback);
    return write_stderr(line);
  }
  // The text as UTF-8, bytes that are not replaced (a file name may hold any).
  PyObject* text = PyUnicode_DecodeUTF8(line.text.data(), static_cast<Py_ssize_t>(line.text.size()), "replace");
  PyObject* result = text ? PyObject_CallMethod(g_logger, "log", "iO", line.level, text) : nullptr;
  Py_XDECREF(text);
  if (result) Py_DECREF(result);
  else PyErr_WriteUnraisable(g_logger);  // a handler that raises: reported, not propagated
  PyErr_Restore(type, value, traceback);
}

int pending_flush(void*) {
  g_pending_scheduled = false;
  flush_log();
  return 0;
}

class PythonLoggingSink final : public spdlog::sinks::sink {
 public:
  void log(const spdlog::details::log_msg& msg) override {
    Line line{python_level(msg.level), std::string(msg.payload.data(), msg.payload.size())};
    if (g_python_gone || !Py_IsInitialized()) return write_stderr(line);
    if (PyGILState_Check()) {
      flush_log();
      return deliver(line);
    }
    {
      std::lock_guard lock(g_mutex);
      if (g_queue.size() >= kMaxQueued) {
        ++g_dropped;
        return;
      }
      g_queue.push_back(std::move(line));
    }
    // For lines no call will deliver on return (a background thread's): the main thread delivers
    // them between two bytecodes. Py_AddPendingCall needs neither the GIL nor a thread state.
    if (!g_pending_scheduled.exchange(true) && Py_AddPendingCall(&pending_flush, nullptr) != 0)
      g_pending_scheduled = false;
  }
  void flush() override {}
  void set_pattern(const std::string&) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter>) override {}
};

}  // namespace

void flush_log() {
  std::deque<Line> lines;
  std::size_t dropped = 0;
  {
    std::lock_guard lock(g_mutex);
    lines.swap(g_queue);
    std::swap(dropped, g_dropped);
  }
  for (const Line& line : lines) deliver(line);
  if (dropped)
    deliver({30, std::to_string(dropped) + " log lines were dropped: more than " + std::to_string(kMaxQueued) +
                     " waited for a thread holding the GIL"});
}

WithoutGil::WithoutGil() { release_.emplace(); }

WithoutGil::~WithoutGil() {
  release_.reset();  // the GIL is taken back here
  flush_log();
}

void bind_logging(py::module_& m) {
  auto axisim_logger = std::make_shared<spdlog::logger>("axisim", std::make_shared<PythonLoggingSink>());
  spdlog::set_default_logger(axisim_logger);
  spdlog::set_level(spdlog::level::warn);
  m.def(
      "set_log_level",
      [](const std::string& level) {
        const auto l = spdlog::level::from_str(level == "warning" ? "warn" : level);
        if (l == spdlog::level::off && level != "off")
          throw Error(ErrorKind::Usage, "unknown log level '" + level +
                                            "' (trace, debug, info, warning, error, critical, off)");
        spdlog::set_level(l);
        // The "axisim" logger passes on what axisim now produces; handlers still choose what is shown.
        if (!logger()) throw std::runtime_error("axisim: cannot import logging");
        py::handle(g_logger).attr("setLevel")(l == spdlog::level::off ? 51 : python_level(l));
      },
      py::arg("level"),
      "Sets what axisim logs, to the Python logger 'axisim': 'trace', 'debug', 'info', 'warning' (the "
      "default), 'error', 'critical' or 'off'; sets that logger's level to match. Lines below this level "
      "are not produced at all (the logger's own level cannot bring them back).");
  m.def("_flush_log", &flush_log, "Delivers the log lines other threads queued (done after each call anyway).");
  m.def(
      "_log_shutdown",
      [] {
        flush_log();
        g_python_gone = true;
      },
      "At exit: delivers queued lines; later ones go to stderr.");
}

}  // namespace axisim::python
