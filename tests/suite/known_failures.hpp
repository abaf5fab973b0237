// tests/known_failures.tsv: the model files that are allowed not to pass, with a reason.
//
// Format: tab-separated, header "case<TAB>file<TAB>reason"; blank lines and lines starting
// with '#' are ignored.
//   case    a case number ("00123" or "123"), or "tag:NAME" for every case that carries the
//           component or test tag NAME in tags.tsv (e.g. "tag:EventNoDelay")
//   file    "*" (every model file of the case), "l2" (the l2v* files), "l3" (the l3v*
//           files), or an exact file name such as "00123-sbml-l2v4.xml" (case rows only)
//   reason  why the file does not pass yet; required
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "suite_layout.hpp"

namespace suite {

struct KnownFailureRule {
  int line = 0;                     // line number in the file, for messages
  std::optional<std::string> tag;   // set for "tag:NAME" rows
  std::string case_id;              // five digits, for case rows
  std::string file_selector;        // "*", "l2", "l3" or a file name
  std::string reason;

  bool covers(const SuiteCase& suite_case, const ModelFile& model) const;
  std::string selector() const;  // e.g. "tag:EventNoDelay *" or "00123 l2"
};

class KnownFailures {
public:
  KnownFailures() = default;

  // Throws std::runtime_error ("FILE:LINE: problem") on a malformed file.
  static KnownFailures read(const std::filesystem::path& file);

  // The first rule covering the model file, or nullptr.
  const KnownFailureRule* find(const SuiteCase& suite_case, const ModelFile& model) const;

  const std::vector<KnownFailureRule>& rules() const { return rules_; }

  // Rules that can never match anything (misspelt tag, case not in the suite, file that does
  // not exist), as human-readable warnings. Checked against all cases, not only the selected.
  std::vector<std::string> stale_rule_warnings(const std::vector<SuiteCase>& all_cases) const;

private:
  std::filesystem::path file_;
  std::vector<KnownFailureRule> rules_;
};

}  // namespace suite
