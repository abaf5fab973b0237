#include "io/library_logging.hpp"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace axisim::detail {

namespace {

// spdlog's built-in default logger: unnamed, one colour sink on stdout.
bool is_spdlog_builtin_default(const spdlog::logger& logger) {
  if (!logger.name().empty() || logger.sinks().size() != 1) return false;
  const spdlog::sinks::sink* sink = logger.sinks().front().get();
  return dynamic_cast<const spdlog::sinks::stdout_color_sink_mt*>(sink) != nullptr ||
         dynamic_cast<const spdlog::sinks::stdout_color_sink_st*>(sink) != nullptr;
}

}  // namespace

void route_library_logging_to_stderr() {
  // Once per process: a host that sets its default logger later replaces ours, as it would
  // replace spdlog's.
  static std::once_flag once;
  std::call_once(once, [] {
    const std::shared_ptr<spdlog::logger> current = spdlog::default_logger();
    if (!current || !is_spdlog_builtin_default(*current)) return;
    auto logger = std::make_shared<spdlog::logger>("", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_level(current->level());
    logger->flush_on(current->flush_level());
    spdlog::set_default_logger(std::move(logger));
  });
}

}  // namespace axisim::detail
