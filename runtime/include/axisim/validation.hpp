// axisim/validation.hpp — libSBML's consistency checks, as plain data.
#pragma once

#include <string>
#include <vector>

namespace axisim {

struct Diagnostic {
  enum class Severity { Info, Warning, Error, Fatal } severity;
  std::string category;  // libSBML's category name, e.g. "Units consistency"
  unsigned line = 0;     // 0 when libSBML does not know it
  unsigned column = 0;
  unsigned code = 0;     // libSBML error id
  std::string message;
};

// Reads `path` and runs every libSBML consistency check, unit checks included. Never throws for
// a bad document: problems are diagnostics. Throws Error(Io) only if the file cannot be read.
std::vector<Diagnostic> validate_file(const std::string& path);

}  // namespace axisim
