// axisim validate: libSBML's consistency checks, units included, with line numbers.
#include <iostream>
#include <memory>

#include "axisim/error.hpp"
#include "axisim/validation.hpp"
#include "commands.hpp"

namespace axisim::cli {
namespace {

const char* severity_name(axisim::Diagnostic::Severity s) {
  switch (s) {
    case axisim::Diagnostic::Severity::Info: return "info";
    case axisim::Diagnostic::Severity::Warning: return "warning";
    case axisim::Diagnostic::Severity::Error: return "error";
    case axisim::Diagnostic::Severity::Fatal: return "fatal";
  }
  return "?";
}

int run_validate(const std::string& path) {
  const auto diagnostics = axisim::validate_file(path);
  int errors = 0, warnings = 0;
  for (const auto& d : diagnostics) {
    if (d.severity >= axisim::Diagnostic::Severity::Error) ++errors;
    if (d.severity == axisim::Diagnostic::Severity::Warning) ++warnings;
    std::cout << path << ":" << d.line << ":" << d.column << ": " << severity_name(d.severity) << ": [" << d.category
              << " " << d.code << "] " << d.message << "\n";
  }
  std::cout << path << ": " << errors << " error(s), " << warnings << " warning(s)\n";
  return errors > 0 ? axisim::exit_code_for(axisim::ErrorKind::InvalidSbml) : 0;
}

}  // namespace

Runner add_validate_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("validate", "Run libSBML's consistency checks, units included");
  cmd->add_option("model", *path, "SBML file")->required();
  return [cmd, path] { return *cmd ? run_validate(*path) : -1; };
}

}  // namespace axisim::cli
