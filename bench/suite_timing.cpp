// suite_timing — how long each SBML Test Suite case takes to load and to simulate, in process.
//
// Written against the public API only (Model::from_file, SuiteSettings, Model::simulate with the
// options every version has), so that bench/suite_timing.sh can compile this one file against
// today's runtime and against an older commit's and compare the two case by case: the issue's
// "no test-suite case slower by more than 10%".
//
//   suite_timing --suite ../shared/sbml-test-suite --cases 1-1809 --samples 5 > times.tsv
//   suite_timing --scenario sbml-models/scenarios/fibre_intervention.toml --samples 21
//
// Output, one line per case: case, load ms, simulate ms, status ("ok" or the error). Each figure
// is the smallest of `--samples` repetitions (for calls of a millisecond the minimum is what the
// code costs; the rest is the machine). Loads use the default options: libSBML's consistency
// checks, the Auto back-end (the interpreter for every suite case: they are far below the size
// from which native code is built at load).
//
// Log lines are off (level "error") unless --warnings 1: today's engine warns about things the
// older one passed over in silence (fast reactions solved as rapid equilibrium, rules without
// math), and writing a warning costs tens of microseconds of formatting and output, as much as
// loading a small case. The comparison is of the engines' work; the warnings' cost is measured
// separately with --warnings 1.
//
// With --scenario: "one more run" of a loaded scenario. The model is loaded once and simulated
// for a second first (whatever the engine does with a model that is run repeatedly, such as
// building native code, has then happened), then `--samples` more runs are timed; prints the
// scenario's name, the load time and the median run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/scenario.hpp"
#include "axisim/suite_settings.hpp"

#include <spdlog/spdlog.h>

namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The model file the suite runner would pick: the highest Level and Version the case has.
std::string model_file(const fs::path& dir, const std::string& name) {
  static const char* const kVersions[] = {"l3v2", "l3v1", "l2v5", "l2v4", "l2v3", "l2v2", "l2v1", "l1v2"};
  for (const char* v : kVersions) {
    const fs::path p = dir / (name + "-sbml-" + v + ".xml");
    if (fs::exists(p)) return p.string();
  }
  return "";
}

// "1-100,250" -> {1..100, 250}
std::vector<int> parse_cases(const std::string& text) {
  std::vector<int> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(',', at);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(at, end - at);
    const std::size_t dash = item.find('-');
    if (dash == std::string::npos) {
      out.push_back(std::stoi(item));
    } else {
      for (int c = std::stoi(item.substr(0, dash)); c <= std::stoi(item.substr(dash + 1)); ++c) out.push_back(c);
    }
    at = end + 1;
  }
  return out;
}

int time_scenario(const std::string& path, int samples) {
  const axisim::Scenario sc = axisim::Scenario::load(path);
  auto t0 = std::chrono::steady_clock::now();
  axisim::Model m = axisim::Model::from_file(sc.model_path);
  const double load = seconds_since(t0);
  sc.apply(m);
  const std::vector<axisim::OutputSpec> outputs = sc.outputs();
  t0 = std::chrono::steady_clock::now();
  while (seconds_since(t0) < 1.0) m.simulate(sc.options, outputs);
  std::vector<double> runs;
  for (int k = 0; k < samples; ++k) {
    const auto t1 = std::chrono::steady_clock::now();
    m.simulate(sc.options, outputs);
    runs.push_back(seconds_since(t1));
  }
  std::sort(runs.begin(), runs.end());
  std::printf("%s\t%.4f\t%.4f\tok\n", sc.name.c_str(), load * 1e3, runs[runs.size() / 2] * 1e3);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string suite = "../shared/sbml-test-suite";
  std::string cases = "1-1900";
  int samples = 5;
  bool warm = false;
  bool warnings = false;
  std::string scenario;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--suite") suite = argv[i + 1];
    else if (a == "--cases") cases = argv[i + 1];
    else if (a == "--scenario") scenario = argv[i + 1];
    else if (a == "--samples") samples = std::max(1, std::stoi(argv[i + 1]));
    else if (a == "--warm") warm = std::string(argv[i + 1]) == "1";
    else if (a == "--warnings") warnings = std::string(argv[i + 1]) == "1";
    else {
      std::fprintf(stderr, "usage: suite_timing [--suite DIR] [--cases 1-100,250] [--samples N] [--warm 1] [--warnings 1]\n"
                           "       suite_timing --scenario FILE.toml [--samples N]\n");
      return 2;
    }
  }
  spdlog::set_level(warnings ? spdlog::level::warn : spdlog::level::err);
  if (!scenario.empty()) return time_scenario(scenario, samples);
  fs::path root = fs::path(suite) / "cases" / "semantic";
  if (!fs::exists(root)) root = fs::path(suite) / "cases";
  if (!fs::exists(root)) {
    std::fprintf(stderr, "suite_timing: no SBML Test Suite at %s\n", suite.c_str());
    return 2;
  }
  for (const int c : parse_cases(cases)) {
    char name[16];
    std::snprintf(name, sizeof name, "%05d", c);
    const fs::path dir = root / name;
    const fs::path settings = dir / (std::string(name) + "-settings.txt");
    if (!fs::exists(settings)) continue;
    const std::string file = model_file(dir, name);
    if (file.empty()) continue;
    double load = 1e300, sim = 1e300;
    std::string status = "ok";
    try {
      const axisim::SuiteSettings s = axisim::SuiteSettings::parse_file(settings.string());
      const axisim::SimulationOptions options = s.simulation_options();
      const std::vector<axisim::OutputSpec> outputs = s.outputs();
      if (warm) {
        // One load through Model::from_string first, which bench/suite_instructions.sh does
        // not count: libSBML's one-time set-up then falls outside the counted from_file.
        std::ifstream in(file);
        std::stringstream text;
        text << in.rdbuf();
        (void)axisim::Model::from_string(text.str());
      }
      for (int k = 0; k < samples; ++k) {
        auto t0 = std::chrono::steady_clock::now();
        const axisim::Model m = axisim::Model::from_file(file);
        load = std::min(load, seconds_since(t0));
        t0 = std::chrono::steady_clock::now();
        const axisim::Result r = m.simulate(options, outputs);
        sim = std::min(sim, seconds_since(t0));
      }
    } catch (const std::exception& e) {
      status = e.what();
      status = status.substr(0, status.find('\n'));
      std::replace(status.begin(), status.end(), '\t', ' ');
    }
    if (status == "ok")
      std::printf("%s\t%.4f\t%.4f\tok\n", name, load * 1e3, sim * 1e3);
    else
      std::printf("%s\t\t\t%s\n", name, status.c_str());
    std::fflush(stdout);
  }
  return 0;
}
