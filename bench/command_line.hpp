// command_line.hpp — what the benchmarks' command lines share.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace bench {

// "a,b,,c" -> {"a", "b", "c"}: the comma-separated lists of --cases, --sizes and --configs.
inline std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace bench
