// fuzz_inputs.hpp — what each fuzz target does with one input, shared by the libFuzzer targets
// (tests/fuzz/fuzz_*.cpp) and the unit test that replays the inputs kept in
// tests/fuzz/regressions/ (tests/unit/test_fuzz_regressions.cpp). docs/reliability.md.
//
// Each function feeds its input to one of axisim's readers. A reader may refuse the input by
// throwing axisim::Error (the CSV reader: std::runtime_error); that is its contract and is
// caught here. Anything else it throws, and any crash, sanitizer report, leak, hang or excessive
// allocation, is a finding.
#pragma once
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "axisim/batch.hpp"
#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/scenario.hpp"
#include "axisim/suite_settings.hpp"
#include "csv_table.hpp"

namespace axisim_fuzz {

// Logs would drown libFuzzer's output.
inline void quiet() { spdlog::set_level(spdlog::level::off); }

// For the readers that take a path: a file of this process's own, rewritten for every input.
inline std::string write_temp(std::string_view data, const char* suffix) {
  const char* dir = std::getenv("TMPDIR");
  const std::string path =
      std::string(dir && *dir ? dir : "/tmp") + "/axisim-fuzz-" + std::to_string(getpid()) + suffix;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return path;
}

inline axisim::LoadOptions load_options(bool validate) {
  axisim::LoadOptions options;
  options.validate = validate;
  options.backend = axisim::Backend::Interpreter;  // no C compiler in the loop
  return options;
}

// SBML from memory, with or without libSBML's consistency checks (`--no-checks`).
inline void sbml(std::string_view data, bool validate) {
  try {
    auto model = axisim::Model::from_string(std::string(data), load_options(validate));
    (void)model.recorded_plugins().size();
  } catch (const axisim::Error&) {
  }
}

// The plugin records of `axisim export` (axisim/plugin_record.hpp): the input is the content of
// a model's <annotation> in an otherwise valid document, so that the fuzzer spends its time on
// the annotation reader rather than on the rest of SBML.
inline void plugin_annotation(std::string_view data) {
  std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"
      "<model id=\"m\"><annotation>";
  doc.append(data);
  doc +=
      "</annotation>\n"
      "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"true\"/></listOfParameters>\n"
      "</model></sbml>\n";
  try {
    auto model = axisim::Model::from_string(doc, load_options(false));
    for (const auto& record : model.recorded_plugins()) (void)record.name.size();
  } catch (const axisim::Error&) {
  }
}

// The SBML Test Suite's settings files (`--settings`), through to the options and outputs.
inline void settings(std::string_view data) {
  const std::string path = write_temp(data, "-settings.txt");
  try {
    const auto s = axisim::SuiteSettings::parse_file(path);
    (void)s.simulation_options();
    (void)s.outputs();
  } catch (const axisim::Error&) {
  }
}

// Scenario files (`--scenario`, TOML).
inline void scenario(std::string_view data) {
  const std::string path = write_temp(data, "-scenario.toml");
  try {
    const auto s = axisim::Scenario::load(path);
    (void)s.outputs();
  } catch (const axisim::Error&) {
  }
}

// Batch job files (`axisim batch`, TOML): parsing and the expansion of scans. Relative paths
// resolve against a folder that does not exist.
inline void jobfile(std::string_view data) {
  try {
    const auto list = axisim::batch::parse_job_text(std::string(data), "fuzz.toml", "/nonexistent-axisim-fuzz");
    for (const auto& job : list.jobs) (void)axisim::batch::format_overrides(job);
  } catch (const axisim::Error&) {
  }
}

// The CSV reader that judges results against the suite's expected ones (tests/suite/csv_table.cpp).
inline void csv(std::string_view data) {
  const std::string path = write_temp(data, "-results.csv");
  try {
    const auto table = suite::read_csv(path);
    for (const auto& row : table.rows)
      for (const auto& cell : row) (void)suite::parse_number(cell);
    if (!table.header.empty()) (void)table.column(table.header.back(), 0);
  } catch (const std::runtime_error&) {
  }
}

}  // namespace axisim_fuzz
