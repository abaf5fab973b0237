#include "case_settings.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

#include "text_util.hpp"

namespace suite {

namespace {

double parse_tolerance(const std::map<std::string, std::string>& entries, const std::string& key,
                       const std::filesystem::path& file) {
  const auto it = entries.find(key);
  if (it == entries.end()) throw std::runtime_error(file.string() + ": no '" + key + "' line");
  // strtod, because the suite writes tolerances like "1.000000e-007".
  char* end = nullptr;
  const double value = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0' || !(value >= 0))
    throw std::runtime_error(file.string() + ": bad " + key + " tolerance '" + it->second + "'");
  return value;
}

}  // namespace

CaseSettings read_case_settings(const std::filesystem::path& settings_file) {
  std::ifstream in(settings_file);
  if (!in) throw std::runtime_error("cannot read " + settings_file.string());
  std::map<std::string, std::string> entries;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    entries[std::string(trim(std::string_view(line).substr(0, colon)))] =
        std::string(trim(std::string_view(line).substr(colon + 1)));
  }

  CaseSettings settings;
  const auto variables = entries.find("variables");
  if (variables == entries.end()) throw std::runtime_error(settings_file.string() + ": no 'variables' line");
  for (const std::string& id : split(variables->second, ','))
    if (!trim(id).empty()) settings.variables.emplace_back(trim(id));
  settings.absolute = parse_tolerance(entries, "absolute", settings_file);
  settings.relative = parse_tolerance(entries, "relative", settings_file);
  return settings;
}

}  // namespace suite
