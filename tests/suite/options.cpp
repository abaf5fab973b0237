#include "options.hpp"

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string_view>

namespace suite {

std::string usage_text() {
  return "usage: axisim_suite_runner --cli PATH --suite DIR --report-dir DIR\n"
         "                           [--known-failures FILE] [-j N] [--timeout SECONDS]\n"
         "                           [--cases 1-100,250] [--keep-temp] [--simulate-arg ARG ...]\n"
         "\n"
         "Runs 'PATH simulate' on every model file of every SBML Test Suite semantic case\n"
         "in DIR/cases ('PATH fba' on FluxBalanceSteadyState cases), judges the output\n"
         "against the case's expected results, and writes\n"
         "suite-report.tsv and suite-summary.md to the report directory. Exits non-zero if\n"
         "a model file not covered by the known-failures file does not pass.\n"
         "--simulate-arg ARG (repeatable) appends ARG to every simulate command, so the\n"
         "suite can be run under each solver choice (--simulate-arg=--jacobian=numeric).\n";
}

namespace {

int parse_positive_int(std::string_view text, std::string_view option) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 1)
    throw std::invalid_argument(std::string(option) + " needs a positive integer, got '" + std::string(text) + "'");
  return value;
}

double parse_positive_seconds(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(value > 0))
    throw std::invalid_argument("--timeout needs a positive number of seconds, got '" + text + "'");
  return value;
}

}  // namespace

std::optional<RunnerOptions> parse_options(int argc, char** argv) {
  RunnerOptions options;
  bool have_cli = false, have_suite = false, have_report = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::cout << usage_text();
      return std::nullopt;
    } else if (arg == "--cli") {
      // Absolute, because posix_spawn does not search PATH and the path must not depend on cwd.
      options.cli = std::filesystem::weakly_canonical(std::filesystem::absolute(value()));
      have_cli = true;
    } else if (arg == "--suite") {
      options.suite_dir = std::filesystem::weakly_canonical(std::filesystem::absolute(value()));
      have_suite = true;
    } else if (arg == "--known-failures") {
      options.known_failures = value();
    } else if (arg == "--report-dir") {
      options.report_dir = value();
      have_report = true;
    } else if (arg == "-j" || arg == "--jobs") {
      options.jobs = parse_positive_int(value(), "-j");
    } else if (arg.starts_with("-j") && arg.size() > 2) {
      options.jobs = parse_positive_int(arg.substr(2), "-j");
    } else if (arg == "--timeout") {
      options.timeout = std::chrono::duration<double>(parse_positive_seconds(value()));
    } else if (arg == "--cases") {
      options.cases = CaseFilter::parse(value());
    } else if (arg == "--simulate-arg") {
      options.simulate_args.push_back(value());
    } else if (arg.starts_with("--simulate-arg=")) {
      options.simulate_args.emplace_back(arg.substr(std::string_view("--simulate-arg=").size()));
    } else if (arg == "--keep-temp") {
      options.keep_temp = true;
    } else {
      throw std::invalid_argument("unknown argument '" + std::string(arg) + "'");
    }
  }
  if (!have_cli) throw std::invalid_argument("--cli is required");
  if (!have_suite) throw std::invalid_argument("--suite is required");
  if (!have_report) throw std::invalid_argument("--report-dir is required");
  return options;
}

}  // namespace suite
