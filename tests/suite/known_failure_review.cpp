#include "known_failure_review.hpp"

#include <map>
#include <string>
#include <utility>

namespace suite {

std::size_t print_known_failure_review(std::ostream& out, const KnownFailures& known, const std::vector<SuiteCase>& cases,
                                const std::vector<RunResult>& results) {
  std::map<std::pair<std::string, std::string>, std::pair<const SuiteCase*, const ModelFile*>> models;
  for (const SuiteCase& suite_case : cases)
    for (const ModelFile& model : suite_case.models) models[{suite_case.id, model.name}] = {&suite_case, &model};

  std::vector<std::string> remove_lines, partial_notes;
  for (const KnownFailureRule& rule : known.rules()) {
    std::size_t covered = 0, passing = 0;
    std::vector<std::string> passing_files;
    for (const RunResult& result : results) {
      const auto [suite_case, model] = models.at({result.case_id, result.file});
      if (!rule.covers(*suite_case, *model)) continue;
      ++covered;
      if (result.outcome != Outcome::pass) continue;
      ++passing;
      passing_files.push_back(result.case_id + " " + result.file);
    }
    if (passing == 0) continue;
    const std::string row = "(row " + std::to_string(rule.line) + ": " + rule.selector() + ")";
    if (rule.tag) {
      // One line per tag row: listing the files of a tag that covers hundreds is no help.
      if (passing == covered)
        remove_lines.push_back(rule.selector() + "  all " + std::to_string(covered) + " covered files pass " + row);
      else
        partial_notes.push_back(rule.selector() + ": " + std::to_string(passing) + " of " + std::to_string(covered) +
                                " covered files pass " + row);
    } else {
      for (const std::string& file : passing_files) remove_lines.push_back(file + "  " + row);
    }
  }

  if (!remove_lines.empty()) {
    out << "now passing, remove from known failures:\n";
    for (const std::string& line : remove_lines) out << "  " << line << '\n';
  }
  if (!partial_notes.empty()) {
    out << "tag rows with some passing files (keep the row until all pass):\n";
    for (const std::string& line : partial_notes) out << "  " << line << '\n';
  }
  return remove_lines.size();
}

}  // namespace suite
