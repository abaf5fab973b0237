// The outcome of running one model file of one case through the CLI.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace suite {

enum class Outcome { pass, fail, refused, error, timeout };

inline constexpr Outcome kAllOutcomes[] = {Outcome::pass, Outcome::fail, Outcome::refused, Outcome::error,
                                           Outcome::timeout};

inline std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::pass: return "pass";
    case Outcome::fail: return "fail";
    case Outcome::refused: return "refused";
    case Outcome::error: return "error";
    case Outcome::timeout: return "timeout";
  }
  return "?";
}

struct RunResult {
  std::string case_id;
  std::string file;
  int level = 0;  // SBML Level of the file, to split L3 from L2 in the summary
  Outcome outcome = Outcome::error;
  std::string detail;
  std::chrono::duration<double> elapsed{0};
  std::string known_failure;  // selector of the covering known-failures row; empty if none
};

}  // namespace suite
