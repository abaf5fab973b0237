// The parts of NNNNN-settings.txt the runner needs to judge a result.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace suite {

struct CaseSettings {
  std::vector<std::string> variables;  // output columns, in order
  double absolute = 0;                 // Ta of the judging rule
  double relative = 0;                 // Tr of the judging rule
};

// Throws std::runtime_error if the file is unreadable or lacks variables/absolute/relative.
CaseSettings read_case_settings(const std::filesystem::path& settings_file);

}  // namespace suite
