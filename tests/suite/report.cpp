#include "report.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "atomic_file.hpp"
#include "text_util.hpp"

namespace suite {

namespace {

// Outcome counts of a group of model files.
struct Tally {
  std::array<std::size_t, std::size(kAllOutcomes)> counts{};
  void add(Outcome outcome) { ++counts[static_cast<std::size_t>(outcome)]; }
  std::size_t of(Outcome outcome) const { return counts[static_cast<std::size_t>(outcome)]; }
  std::size_t total() const {
    std::size_t sum = 0;
    for (std::size_t count : counts) sum += count;
    return sum;
  }
};

// The three views of the summary: every file, the L3 files, the L2 files.
struct SplitTally {
  Tally all, l3, l2;
  void add(const RunResult& result) {
    all.add(result.outcome);
    (result.level >= 3 ? l3 : l2).add(result.outcome);
  }
};

std::string pass_cell(const Tally& tally) {
  if (tally.total() == 0) return "–";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%zu/%zu (%.1f%%)", tally.of(Outcome::pass), tally.total(),
                100.0 * static_cast<double>(tally.of(Outcome::pass)) / static_cast<double>(tally.total()));
  return buffer;
}

std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : single_line(text)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// Groups messages that differ only in element ids, file names and numbers: "event 'E1'"
// and "event 'E2'" are the same reason, and so are solver failures at different times.
std::string message_pattern(const std::string& message) {
  static const std::regex quoted(R"('[^']*'|"[^"]*")");
  static const std::regex file_name(R"([^\s:]*\.xml)");
  static const std::regex number(R"([-+]?\b\d+(\.\d*)?([eE][-+]?\d+)?\b)");
  std::string pattern = std::regex_replace(message, quoted, "'…'");
  pattern = std::regex_replace(pattern, file_name, "MODEL.xml");
  return std::regex_replace(pattern, number, "N");
}

void write_tag_table(std::ostringstream& out, const std::string& title,
                     const std::map<std::string, std::pair<std::size_t, SplitTally>>& tags) {
  // Most common tags first: they matter most.
  std::vector<std::pair<std::string, std::pair<std::size_t, SplitTally>>> rows(tags.begin(), tags.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
  out << "\n## " << title << "\n\n"
      << "| Tag | Cases | All files: pass | L3 files: pass | L2 files: pass |\n"
      << "|---|---:|---:|---:|---:|\n";
  for (const auto& [tag, entry] : rows)
    out << "| " << markdown_cell(tag) << " | " << entry.first << " | " << pass_cell(entry.second.all) << " | "
        << pass_cell(entry.second.l3) << " | " << pass_cell(entry.second.l2) << " |\n";
}

void write_common_messages(std::ostringstream& out, const std::string& title, const std::vector<RunResult>& results,
                           Outcome outcome) {
  std::map<std::string, std::size_t> counts;
  for (const RunResult& result : results)
    if (result.outcome == outcome) ++counts[message_pattern(result.detail)];
  if (counts.empty()) return;
  std::vector<std::pair<std::string, std::size_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  constexpr std::size_t kShown = 20;
  out << "\n## " << title << "\n\n| Files | Message |\n|---:|---|\n";
  for (std::size_t i = 0; i < std::min(rows.size(), kShown); ++i)
    out << "| " << rows[i].second << " | " << markdown_cell(rows[i].first) << " |\n";
  if (rows.size() > kShown) out << "\n(" << rows.size() - kShown << " more distinct messages in suite-report.tsv)\n";
}

}  // namespace

void write_report_tsv(const std::filesystem::path& file, const std::vector<RunResult>& results) {
  std::ostringstream out;
  out << "case\tfile\toutcome\tdetail\tknown_failure\n";
  for (const RunResult& result : results)
    out << result.case_id << '\t' << result.file << '\t' << to_string(result.outcome) << '\t'
        << single_line(result.detail) << '\t' << result.known_failure << '\n';
  write_file_atomically(file, out.str());
}

void write_summary_md(const std::filesystem::path& file, const std::vector<RunResult>& results,
                      const std::vector<SuiteCase>& cases, const SummaryContext& context) {
  std::map<std::string, const SuiteCase*> case_by_id;
  for (const SuiteCase& suite_case : cases) case_by_id[suite_case.id] = &suite_case;

  SplitTally totals;
  // tag -> (number of cases with the tag, outcomes of their files)
  std::map<std::string, std::pair<std::size_t, SplitTally>> component_tags, test_tags;
  std::set<std::string> counted_cases;
  for (const RunResult& result : results) {
    totals.add(result);
    const SuiteCase& suite_case = *case_by_id.at(result.case_id);
    const bool first_file_of_case = counted_cases.insert(result.case_id).second;
    const auto add = [&](auto& table, const std::vector<std::string>& tags) {
      for (const std::string& tag : tags.empty() ? std::vector<std::string>{"(none)"} : tags) {
        auto& entry = table[tag];
        if (first_file_of_case) ++entry.first;
        entry.second.add(result);
      }
    };
    add(component_tags, suite_case.component_tags);
    add(test_tags, suite_case.test_tags);
  }

  std::ostringstream out;
  char wall[32];
  std::snprintf(wall, sizeof wall, "%.0f", context.wall_time.count());
  out << "# SBML Test Suite results\n\n"
      << "- Suite: `" << context.suite_dir.string() << "`\n"
      << "- CLI: `" << context.cli.string() << "`\n"
      << "- " << counted_cases.size() << " cases, " << totals.all.total() << " model files (" << totals.l3.total()
      << " L3, " << totals.l2.total() << " L2), " << wall << " s\n"
      << "- Unexpected non-passes: " << context.unexpected_non_passes
      << "; known failures: " << context.known_failures
      << "; known failures that now pass: " << context.covered_now_passing << "\n"
      << "\n## Totals\n\n| Outcome | All files | L3 files | L2 files |\n|---|---:|---:|---:|\n";
  for (Outcome outcome : kAllOutcomes)
    out << "| " << to_string(outcome) << " | " << totals.all.of(outcome) << " | " << totals.l3.of(outcome) << " | "
        << totals.l2.of(outcome) << " |\n";
  out << "| **total** | " << totals.all.total() << " | " << totals.l3.total() << " | " << totals.l2.total() << " |\n"
      << "| **pass rate** | " << pass_cell(totals.all) << " | " << pass_cell(totals.l3) << " | "
      << pass_cell(totals.l2) << " |\n";

  write_tag_table(out, "Pass counts per component tag", component_tags);
  write_tag_table(out, "Pass counts per test tag", test_tags);
  write_common_messages(out, "Most common refusal reasons", results, Outcome::refused);
  write_common_messages(out, "Most common errors", results, Outcome::error);

  std::vector<const RunResult*> slowest;
  for (const RunResult& result : results) slowest.push_back(&result);
  std::sort(slowest.begin(), slowest.end(), [](auto* a, auto* b) { return a->elapsed > b->elapsed; });
  slowest.resize(std::min<std::size_t>(slowest.size(), 10));
  out << "\n## Slowest runs\n\n| Seconds | File | Outcome |\n|---:|---|---|\n";
  for (const RunResult* result : slowest) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", result->elapsed.count());
    out << "| " << seconds << " | " << result->file << " | " << to_string(result->outcome) << " |\n";
  }

  write_file_atomically(file, out.str());
}

}  // namespace suite
