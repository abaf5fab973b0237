// The --cases selection: a comma-separated list of case numbers and inclusive ranges.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

namespace suite {

class CaseFilter {
public:
  // An empty filter selects every case.
  CaseFilter() = default;

  // Parses "1-100,250"; throws std::invalid_argument on malformed input.
  static CaseFilter parse(std::string_view text);

  bool selects(int case_number) const;

private:
  std::vector<std::pair<int, int>> ranges_;  // inclusive [first, last]
};

}  // namespace suite
