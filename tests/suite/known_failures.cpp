#include "known_failures.hpp"

#include <fstream>
#include <stdexcept>

#include "text_util.hpp"

namespace suite {

namespace fs = std::filesystem;

bool KnownFailureRule::covers(const SuiteCase& suite_case, const ModelFile& model) const {
  if (tag ? !suite_case.has_tag(*tag) : suite_case.id != case_id) return false;
  if (file_selector == "*") return true;
  if (file_selector == "l2") return model.level == 2;
  if (file_selector == "l3") return model.level == 3;
  return file_selector == model.name;
}

std::string KnownFailureRule::selector() const {
  return (tag ? "tag:" + *tag : case_id) + " " + file_selector;
}

KnownFailures KnownFailures::read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read known-failures file " + file.string());
  KnownFailures known;
  known.file_ = file;

  std::string line;
  int line_number = 0;
  bool seen_header = false;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string where = file.string() + ":" + std::to_string(line_number) + ": ";
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim(line).empty() || trim(line).front() == '#') continue;

    std::vector<std::string> fields = split(line, '\t');
    for (std::string& field : fields) field = std::string(trim(field));
    if (!seen_header) {
      if (fields.size() != 3 || fields[0] != "case" || fields[1] != "file" || fields[2] != "reason")
        throw std::runtime_error(where + "expected the header 'case<TAB>file<TAB>reason'");
      seen_header = true;
      continue;
    }
    if (fields.size() < 3)
      throw std::runtime_error(where + "expected 3 tab-separated fields (case, file, reason)");
    // A reason may itself contain a tab; keep it whole.
    for (std::size_t i = 3; i < fields.size(); ++i) fields[2] += " " + fields[i];

    KnownFailureRule rule;
    rule.line = line_number;
    const std::string& case_field = fields[0];
    if (case_field.starts_with("tag:")) {
      rule.tag = case_field.substr(4);
      if (rule.tag->empty()) throw std::runtime_error(where + "empty tag name");
    } else if (!case_field.empty() && case_field.size() <= 5 && starts_with_digits(case_field, case_field.size())) {
      rule.case_id = std::string(5 - case_field.size(), '0') + case_field;
    } else {
      throw std::runtime_error(where + "case must be a case number or tag:NAME, got '" + case_field + "'");
    }

    rule.file_selector = fields[1];
    const bool pattern = rule.file_selector == "*" || rule.file_selector == "l2" || rule.file_selector == "l3";
    if (!pattern && (rule.tag || !rule.file_selector.ends_with(".xml")))
      throw std::runtime_error(where + "file must be '*', 'l2', 'l3'" + (rule.tag ? "" : " or a model file name") +
                               ", got '" + rule.file_selector + "'");

    rule.reason = fields[2];
    if (rule.reason.empty()) throw std::runtime_error(where + "every known failure needs a reason");
    known.rules_.push_back(std::move(rule));
  }
  if (!seen_header) throw std::runtime_error(file.string() + ": no header line 'case<TAB>file<TAB>reason'");
  return known;
}

const KnownFailureRule* KnownFailures::find(const SuiteCase& suite_case, const ModelFile& model) const {
  for (const KnownFailureRule& rule : rules_)
    if (rule.covers(suite_case, model)) return &rule;
  return nullptr;
}

std::vector<std::string> KnownFailures::stale_rule_warnings(const std::vector<SuiteCase>& all_cases) const {
  std::vector<std::string> warnings;
  for (const KnownFailureRule& rule : rules_) {
    bool covers_any = false;
    for (const SuiteCase& suite_case : all_cases)
      for (const ModelFile& model : suite_case.models) covers_any = covers_any || rule.covers(suite_case, model);
    if (!covers_any)
      warnings.push_back(file_.string() + ":" + std::to_string(rule.line) + ": '" + rule.selector() +
                         "' matches no model file in the suite" +
                         (rule.tag ? " (is the tag spelt as in tags.tsv?)" : ""));
  }
  return warnings;
}

}  // namespace suite
