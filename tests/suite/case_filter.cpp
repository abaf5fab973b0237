#include "case_filter.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

#include "text_util.hpp"

namespace suite {

namespace {

int parse_case_number(std::string_view text) {
  text = trim(text);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 0)
    throw std::invalid_argument("bad case number '" + std::string(text) + "' in --cases");
  return value;
}

}  // namespace

CaseFilter CaseFilter::parse(std::string_view text) {
  CaseFilter filter;
  for (const std::string& item : split(text, ',')) {
    if (trim(item).empty()) continue;
    const std::size_t dash = item.find('-');
    const int first = parse_case_number(std::string_view(item).substr(0, dash));
    const int last = dash == std::string::npos ? first : parse_case_number(std::string_view(item).substr(dash + 1));
    if (last < first) throw std::invalid_argument("empty range '" + item + "' in --cases");
    filter.ranges_.emplace_back(first, last);
  }
  if (filter.ranges_.empty()) throw std::invalid_argument("--cases selects no case");
  return filter;
}

bool CaseFilter::selects(int case_number) const {
  if (ranges_.empty()) return true;
  for (const auto& [first, last] : ranges_)
    if (case_number >= first && case_number <= last) return true;
  return false;
}

}  // namespace suite
