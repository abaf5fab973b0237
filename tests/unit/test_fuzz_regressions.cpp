// test_fuzz_regressions.cpp — every input a fuzzer once failed on (tests/fuzz/regressions/
// <target>/) is fed again to the reader it broke, the way the fuzz target feeds it
// (tests/fuzz/fuzz_inputs.hpp): the reader must return or refuse the input with its error, not
// crash, hang or throw anything else. In the sanitizer build (scripts/sanitize-test.sh) a memory
// error or undefined behaviour fails the test as well. docs/reliability.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_inputs.hpp"

#ifndef AXISIM_FUZZ_REGRESSIONS_DIR
#error "AXISIM_FUZZ_REGRESSIONS_DIR must be defined to tests/fuzz/regressions"
#endif

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("inputs the fuzzers failed on are read or refused, never crash", "[reliability][fuzz]") {
  namespace fs = std::filesystem;
  const std::map<std::string, std::function<void(std::string_view)>> targets{
      {"fuzz_sbml", [](std::string_view d) { axisim_fuzz::sbml(d, false); }},
      {"fuzz_sbml_checked", [](std::string_view d) { axisim_fuzz::sbml(d, true); }},
      {"fuzz_plugin_annotation", axisim_fuzz::plugin_annotation},
      {"fuzz_settings", axisim_fuzz::settings},
      {"fuzz_scenario", axisim_fuzz::scenario},
      {"fuzz_jobfile", axisim_fuzz::jobfile},
      {"fuzz_csv", axisim_fuzz::csv},
  };
  spdlog::level::level_enum level = spdlog::get_level();
  axisim_fuzz::quiet();
  std::vector<fs::path> files;
  for (const auto& dir : fs::directory_iterator(AXISIM_FUZZ_REGRESSIONS_DIR)) {
    if (!dir.is_directory()) continue;
    const std::string target = dir.path().filename().string();
    INFO("tests/fuzz/regressions/" << target << " names no fuzz target");
    REQUIRE(targets.count(target) == 1);
    for (const auto& f : fs::directory_iterator(dir.path())) files.push_back(f.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const std::string target = f.parent_path().filename().string();
    INFO("input " << target << "/" << f.filename().string());
    const std::string data = slurp(f);
    CHECK_NOTHROW(targets.at(target)(data));
    // The SBML inputs also go through the other SBML path.
    if (target == "fuzz_sbml") CHECK_NOTHROW(axisim_fuzz::sbml(data, true));
    if (target == "fuzz_sbml_checked") CHECK_NOTHROW(axisim_fuzz::sbml(data, false));
  }
  spdlog::set_level(level);
}

namespace {

axisim::Error load_error(const std::string& text) {
  try {
    (void)axisim::Model::from_string(text);
  } catch (const axisim::Error& e) {
    return e;
  }
  FAIL("the document loaded");
  return axisim::Error(axisim::ErrorKind::Usage, "");
}

std::string document(const std::string& sbml_tag) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + sbml_tag +
         "\n  <model id=\"m\"><listOfParameters><parameter id=\"p\" value=\"1\" constant=\"true\"/>"
         "</listOfParameters></model>\n</sbml>\n";
}

}  // namespace

// Found by fuzz_sbml: libSBML threw SBMLConstructorException from inside its reader (which
// escaped Model::from_string) and leaked the half-read document. docs/reliability.md.
TEST_CASE("an <sbml> namespace that does not match its level and version is refused as invalid SBML", "[reliability][fuzz]") {
  using Catch::Matchers::Contains;
  const axisim::Error mismatch =
      load_error(document(R"(<sbml xmlns="http://www.sbml.org/sbml/level2/version5" level="2" version="4">)"));
  CHECK(mismatch.kind() == axisim::ErrorKind::InvalidSbml);
  CHECK_THAT(mismatch.what(), Contains("line 2") && Contains("level2/version5") && Contains("level2/version4"));
  const axisim::Error none =
      load_error(document(R"(<sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="9">)"));
  CHECK(none.kind() == axisim::ErrorKind::InvalidSbml);
  CHECK_THAT(none.what(), Contains("no SBML Level 2 Version 9"));
  const axisim::Error prefixed =
      load_error(document(R"(<s:sbml xmlns:s="http://www.sbml.org/sbml/level3/version1/core" level="3" version="2">)"));
  CHECK(prefixed.kind() == axisim::ErrorKind::InvalidSbml);
  // Found by fuzz_sbml and fuzz_sbml_checked: without a version attribute libSBML leaked too.
  const axisim::Error no_version = load_error(document(R"(<sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2">)"));
  CHECK(no_version.kind() == axisim::ErrorKind::InvalidSbml);
  CHECK_THAT(no_version.what(), Contains("line 2: the <sbml> element lacks a version attribute"));
  CHECK_THAT(load_error(document(R"(<sbml level="3" version="2">)")).what(), Contains("namespace"));
  // The namespace that matches loads, prefixed or not.
  CHECK_NOTHROW(axisim::Model::from_string(
      document(R"(<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">)")));
  CHECK_NOTHROW(axisim::Model::from_string(
      document(R"(<sbml xmlns="http://www.sbml.org/sbml/level2/version4" level='2' version = "4">)")));
}
