#include "suite_layout.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <stdexcept>

#include "text_util.hpp"

namespace suite {

namespace fs = std::filesystem;

bool SuiteCase::has_tag(const std::string& tag) const {
  return std::find(component_tags.begin(), component_tags.end(), tag) != component_tags.end() ||
         std::find(test_tags.begin(), test_tags.end(), tag) != test_tags.end();
}

namespace {

std::vector<std::string> split_tags(std::string_view field) {
  std::vector<std::string> tags;
  for (const std::string& tag : split(field, ','))
    if (!trim(tag).empty()) tags.emplace_back(trim(tag));
  return tags;
}

bool is_case_folder_name(const std::string& name) {
  return name.size() == 5 && starts_with_digits(name, 5);
}

// A model of case NNNNN is "NNNNN-sbml-lXvY.xml". Other XML files in the folder are
// comp external model documents that a model imports; they are not run on their own.
std::vector<ModelFile> find_models(const fs::path& dir, const std::string& id) {
  static const std::regex model_name(R"(\d{5}-sbml-l(\d)v\d+\.xml)");
  std::vector<ModelFile> models;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (!entry.is_regular_file() || !name.starts_with(id + "-sbml-") || !std::regex_match(name, match, model_name))
      continue;
    models.push_back({name, std::stoi(match[1].str()), entry.path()});
  }
  std::sort(models.begin(), models.end(), [](const ModelFile& a, const ModelFile& b) { return a.name < b.name; });
  return models;
}

// The "testType:" line of the description's header; TimeCourse when the file or line is absent.
TestType read_test_type(const fs::path& description) {
  std::ifstream in(description);
  std::string line;
  while (std::getline(in, line)) {
    const std::string_view text = trim(line);
    if (text.starts_with("*)")) break;  // end of the header comment
    if (!text.starts_with("testType:")) continue;
    return trim(text.substr(9)) == "FluxBalanceSteadyState" ? TestType::flux_balance : TestType::time_course;
  }
  return TestType::time_course;
}

}  // namespace

std::map<std::string, CaseTags> read_tags(const fs::path& tags_tsv) {
  std::ifstream in(tags_tsv);
  if (!in) throw std::runtime_error("cannot read " + tags_tsv.string());
  std::map<std::string, CaseTags> tags;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {  // "case	componentTags	testTags"
      header = false;
      continue;
    }
    if (trim(line).empty()) continue;
    const std::vector<std::string> fields = split(line, '\t');
    CaseTags& entry = tags[std::string(trim(fields[0]))];
    if (fields.size() > 1) entry.component = split_tags(fields[1]);
    if (fields.size() > 2) entry.test = split_tags(fields[2]);
  }
  return tags;
}

std::vector<SuiteCase> discover_cases(const fs::path& suite_dir) {
  const fs::path cases_dir = suite_dir / "cases";
  if (!fs::is_directory(cases_dir))
    throw std::runtime_error("SBML Test Suite not found: " + cases_dir.string() +
                             " is not a directory (set the CMake cache variable AXISIM_SBML_TEST_SUITE_DIR "
                             "or pass --suite)");
  const std::map<std::string, CaseTags> tags = read_tags(suite_dir / "tags.tsv");

  std::vector<SuiteCase> cases;
  for (const fs::directory_entry& entry : fs::directory_iterator(cases_dir)) {
    const std::string id = entry.path().filename().string();
    if (!entry.is_directory() || !is_case_folder_name(id)) continue;
    SuiteCase c;
    c.id = id;
    c.number = std::stoi(id);
    c.dir = entry.path();
    c.models = find_models(c.dir, id);
    c.test_type = read_test_type(c.description_path());
    if (const auto it = tags.find(id); it != tags.end()) {
      c.component_tags = it->second.component;
      c.test_tags = it->second.test;
    }
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const SuiteCase& a, const SuiteCase& b) { return a.id < b.id; });
  if (cases.empty()) throw std::runtime_error("no case folders in " + cases_dir.string());
  return cases;
}

}  // namespace suite
