// Discovery of the SBML Test Suite's semantic cases: case folders, model files, tags.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace suite {

struct ModelFile {
  std::string name;  // e.g. "00001-sbml-l3v2.xml"
  int level = 0;     // SBML Level, from the file name
  std::filesystem::path path;
};

// The case's testType (NNNNN-model.m): a time course is simulated, a flux balance steady state
// (fbc cases) is solved as a linear program.
enum class TestType { time_course, flux_balance };

struct SuiteCase {
  std::string id;  // five digits, e.g. "00001"
  int number = 0;
  std::filesystem::path dir;
  std::vector<ModelFile> models;  // sorted by name
  std::vector<std::string> component_tags;
  std::vector<std::string> test_tags;
  TestType test_type = TestType::time_course;

  std::filesystem::path settings_path() const { return dir / (id + "-settings.txt"); }
  std::filesystem::path results_path() const { return dir / (id + "-results.csv"); }
  std::filesystem::path description_path() const { return dir / (id + "-model.m"); }
  bool has_tag(const std::string& tag) const;
};

struct CaseTags {
  std::vector<std::string> component;
  std::vector<std::string> test;
};

// Reads tags.tsv (case, componentTags, testTags). Throws std::runtime_error if unreadable.
std::map<std::string, CaseTags> read_tags(const std::filesystem::path& tags_tsv);

// Lists every case folder in suite_dir/cases, sorted by id, with the model files of each
// case and its tags. Throws std::runtime_error if the suite layout is not as expected.
std::vector<SuiteCase> discover_cases(const std::filesystem::path& suite_dir);

}  // namespace suite
