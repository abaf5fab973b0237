// roundtrip — the SBML Test Suite through `axisim export` and back.
//
// For every case, its highest Level/Version model file is exported with no changes
// (axisim::export_sbml) to a temporary file, and then:
//   * both files are simulated with the case's settings (time courses), or solved as flux
//     balance problems (FluxBalanceSteadyState cases), and every reported value must agree to
//     1e-12 relative (see kRelative / kAbsoluteFloor below);
//   * libSBML's full consistency checks (axisim::validate_file, units included) must find no
//     error in the exported file that it does not find in the original.
//
//   axisim_interchange_roundtrip --suite DIR [-j N] [--cases 00001,00002,...] [--verbose]
//                                [--level L --version V]
//
// With --level/--version the export also converts (a survey for docs/interchange.md, not part of
// ctest): a case libSBML's strict converter refuses is counted as "not representable" and not
// as a failure; a converted file must still simulate to the same results.
//
// Exit status 0 when every case passes, 1 when any fails, 2 on a usage error.
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "axisim/export.hpp"
#include "axisim/fba.hpp"
#include "axisim/model.hpp"
#include "axisim/suite_settings.hpp"
#include "axisim/validation.hpp"

namespace fs = std::filesystem;

namespace {

// Both files are simulated by the same code with the same settings, and the exported file
// differs from the original only in layout and in how libSBML prints numbers: 15 significant
// digits, so a constant the original wrote with 16 or 17 may move in its 16th digit, a relative
// change of at most 5e-16 that integration can amplify a little. 1e-12 relative is the bar (every
// case currently gives results identical to the last bit; the summary line says so).
// A value that is zero up to rounding (a species consumed completely, a difference of nearly
// equal terms) has no meaningful relative error, so an absolute difference below kAbsoluteFloor
// passes too; 1e-22 is far below every absolute tolerance the suite judges by (1e-10 and up)
// and every integration tolerance derived from them (1e-14 and up), so it hides nothing.
constexpr double kRelative = 1e-12;
constexpr double kAbsoluteFloor = 1e-22;

struct Case {
  std::string id;
  fs::path dir;
  fs::path model;  // highest Level/Version
  bool fba = false;
  bool comp = false;  // uses the hierarchical model composition package
};

struct Outcome {
  enum class Status { Pass, Fail, Refused } status = Status::Pass;
  bool identical = true;     // every value equal to the last bit
  double max_relative = 0;   // largest |a - b| / max(|a|, |b|) over the values compared
  std::string message;
  double seconds = 0;
};

bool is_fba(const fs::path& description) {
  std::ifstream in(description);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("*)", 0) == 0) break;
    if (line.rfind("testType:", 0) == 0) return line.find("FluxBalanceSteadyState") != std::string::npos;
  }
  return false;
}

std::vector<Case> discover(const fs::path& suite, const std::set<std::string>& only) {
  const fs::path cases = suite / "cases";
  if (!fs::is_directory(cases))
    throw std::runtime_error("SBML Test Suite not found: " + cases.string() +
                             " is not a directory (set the CMake cache variable AXISIM_SBML_TEST_SUITE_DIR)");
  static const std::regex name(R"((\d{5})-sbml-l(\d)v(\d+)\.xml)");
  std::vector<Case> out;
  for (const auto& entry : fs::directory_iterator(cases)) {
    const std::string id = entry.path().filename().string();
    if (!entry.is_directory() || id.size() != 5 || !std::all_of(id.begin(), id.end(), ::isdigit)) continue;
    if (!only.empty() && !only.count(id)) continue;
    Case c{id, entry.path(), {}, is_fba(entry.path() / (id + "-model.m"))};
    int best = -1;
    for (const auto& f : fs::directory_iterator(c.dir)) {
      std::smatch m;
      const std::string file = f.path().filename().string();
      if (!std::regex_match(file, m, name) || m[1].str() != id) continue;
      const int rank = std::stoi(m[2].str()) * 100 + std::stoi(m[3].str());
      if (rank > best) best = rank, c.model = f.path();
    }
    if (best < 0) continue;
    std::ifstream in(c.model);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    c.comp = text.find("http://www.sbml.org/sbml/level3/version1/comp/version1") != std::string::npos;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
  return out;
}

bool same(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::abs(a - b) <= kRelative * std::max(std::abs(a), std::abs(b)) + kAbsoluteFloor;
}

std::string fmt(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void note(Outcome& o, double a, double b) {
  if (a == b || (std::isnan(a) && std::isnan(b))) return;
  o.identical = false;
  const double scale = std::max(std::abs(a), std::abs(b));
  if (std::isfinite(scale) && scale > 0) o.max_relative = std::max(o.max_relative, std::abs(a - b) / scale);
}

std::string compare_results(const axisim::Result& a, const axisim::Result& b, Outcome& o) {
  if (a.columns() != b.columns()) return "the exported model reports different columns";
  if (a.rows() != b.rows()) return "the exported model reports " + std::to_string(b.rows()) + " rows, not " +
                                   std::to_string(a.rows());
  for (std::size_t r = 0; r < a.rows(); ++r)
    for (std::size_t c = 1; c < a.cols(); ++c)
      note(o, a.at(r, c), b.at(r, c));
  for (std::size_t r = 0; r < a.rows(); ++r)
    for (std::size_t c = 1; c < a.cols(); ++c)
      if (!same(a.at(r, c), b.at(r, c)))
        return a.columns()[c] + " at t = " + fmt(a.at(r, 0)) + ": original " + fmt(a.at(r, c)) + ", exported " +
               fmt(b.at(r, c));
  return {};
}

// libSBML error codes (severity error or fatal) with their counts.
std::map<unsigned, int> error_codes(const std::string& path) {
  std::map<unsigned, int> out;
  for (const axisim::Diagnostic& d : axisim::validate_file(path))
    if (d.severity >= axisim::Diagnostic::Severity::Error) ++out[d.code];
  return out;
}

std::string new_errors(const std::string& original, const std::string& exported) {
  const auto before = error_codes(original);
  std::string out;
  for (const auto& [code, n] : error_codes(exported)) {
    const auto it = before.find(code);
    if (it == before.end() || it->second < n) {
      if (!out.empty()) out += ", ";
      out += std::to_string(code);
    }
  }
  if (out.empty()) return {};
  // Spell out the first new message to make the failure readable.
  for (const axisim::Diagnostic& d : axisim::validate_file(exported))
    if (d.severity >= axisim::Diagnostic::Severity::Error && !before.count(d.code))
      return "libSBML finds new errors in the exported file (" + out + "), e.g. line " + std::to_string(d.line) +
             ": " + d.message;
  return "libSBML finds more errors in the exported file (codes " + out + ")";
}

Outcome run_case(const Case& c, const fs::path& work, const axisim::ExportOptions& export_options) {
  const auto t0 = std::chrono::steady_clock::now();
  Outcome o;
  auto fail = [&](const std::string& why) {
    o.status = Outcome::Status::Fail;
    o.message = why;
  };
  const fs::path case_dir = work / c.id;
  fs::create_directories(case_dir);
  const std::string exported = (case_dir / (c.id + "-exported.xml")).string();
  const std::string original = c.model.string();
  try {
    axisim::export_sbml(original, exported, export_options);
  } catch (const axisim::Error& e) {
    fail(std::string("export failed: ") + e.what());
    if (export_options.level != 0 && e.kind() == axisim::ErrorKind::Unsupported) o.status = Outcome::Status::Refused;
  }
  if (o.status == Outcome::Status::Pass) {
    try {
      const auto settings = axisim::SuiteSettings::parse_file((c.dir / (c.id + "-settings.txt")).string());
      if (c.fba) {
        axisim::FbaOptions fo;
        fo.infeasible_as_nan = true;
        const auto a = axisim::solve_fba(original, settings.variables, fo);
        const auto b = axisim::solve_fba(exported, settings.variables, fo);
        for (std::size_t i = 0; i < a.values.size() && i < b.values.size(); ++i) note(o, a.values[i], b.values[i]);
        for (std::size_t i = 0; i < a.values.size() && o.status == Outcome::Status::Pass; ++i)
          if (i >= b.values.size() || !same(a.values[i], b.values[i]))
            fail(a.ids[i] + ": original " + fmt(a.values[i]) + ", exported " +
                 (i < b.values.size() ? fmt(b.values[i]) : std::string("missing")));
      } else {
        const auto options = settings.simulation_options();
        const auto outputs = settings.outputs();
        const axisim::Result a = axisim::Model::from_file(original).simulate(options, outputs);
        axisim::Result b;
        try {
          b = axisim::Model::from_file(exported).simulate(options, outputs);
        } catch (const axisim::Error& e) {
          throw std::runtime_error(std::string("the exported file does not simulate: ") + e.what());
        }
        if (std::string diff = compare_results(a, b, o); !diff.empty()) fail(diff);
      }
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
  if (o.status == Outcome::Status::Pass) {
    if (std::string why = new_errors(original, exported); !why.empty()) fail(why);
  }
  std::error_code ec;
  fs::remove_all(case_dir, ec);
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return o;
}

int usage(const std::string& why) {
  std::cerr << "roundtrip: " << why << "\n"
            << "usage: axisim_interchange_roundtrip --suite DIR [-j N] [--cases ID,ID,...] [--verbose]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path suite;
  unsigned jobs = 2;
  bool verbose = false;
  std::set<std::string> only;
  axisim::ExportOptions export_options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    try {
      if (a == "--suite") suite = value();
      else if (a == "-j") jobs = static_cast<unsigned>(std::stoul(value()));
      else if (a == "--verbose") verbose = true;
      else if (a == "--level") export_options.level = static_cast<unsigned>(std::stoul(value()));
      else if (a == "--version") export_options.version = static_cast<unsigned>(std::stoul(value()));
      else if (a == "--cases") {
        std::stringstream ss(value());
        for (std::string id; std::getline(ss, id, ',');)
          if (!id.empty()) only.insert(id);
      } else return usage("unknown argument '" + a + "'");
    } catch (const std::exception& e) {
      return usage(e.what());
    }
  }
  if (suite.empty()) return usage("--suite is required");
  // The runtime's warnings (unit problems it ignores, delayed events) would drown the report.
  if (!verbose) spdlog::set_level(spdlog::level::err);
  if (jobs == 0) jobs = 1;

  std::vector<Case> cases;
  try {
    cases = discover(suite, only);
  } catch (const std::exception& e) {
    std::cerr << "roundtrip: " << e.what() << "\n";
    return 1;
  }
  if (cases.empty()) {
    std::cerr << "roundtrip: no cases found\n";
    return 1;
  }

  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/axisim-roundtrip-XXXXXX";
  if (!mkdtemp(tmpl.data())) {
    std::cerr << "roundtrip: cannot create a temporary directory\n";
    return 1;
  }
  const fs::path work = tmpl;

  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Outcome> outcomes(cases.size());
  std::atomic<std::size_t> next{0};
  std::mutex print;
  // libSBML's comp package is not thread-safe: instantiating submodels (in flattening and in
  // comp validation) runs callbacks from a process-wide list that a flattening in progress
  // fills with its own state. Hierarchical cases therefore run one at a time.
  std::mutex comp;
  auto worker = [&] {
    for (std::size_t i; (i = next++) < cases.size();) {
      if (cases[i].comp) {
        std::lock_guard lock(comp);
        outcomes[i] = run_case(cases[i], work, export_options);
      } else {
        outcomes[i] = run_case(cases[i], work, export_options);
      }
      if (verbose || outcomes[i].status == Outcome::Status::Fail) {
        std::lock_guard lock(print);
        const Outcome& o = outcomes[i];
        std::cout << cases[i].id << " " << cases[i].model.filename().string() << ": "
                  << (o.status == Outcome::Status::Pass      ? std::string("pass")
                      : o.status == Outcome::Status::Refused ? "not representable: " + o.message
                                                             : "FAIL: " + o.message)
                  << " ("
                  << outcomes[i].seconds << " s)\n";
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  std::error_code ec;
  fs::remove_all(work, ec);

  std::size_t pass = 0, fba = 0, identical = 0, refused = 0;
  double max_relative = 0;
  std::string worst;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (outcomes[i].status == Outcome::Status::Pass) ++pass;
    if (outcomes[i].status == Outcome::Status::Refused) ++refused;
    if (cases[i].fba) ++fba;
    if (outcomes[i].status == Outcome::Status::Pass && outcomes[i].identical) ++identical;
    if (outcomes[i].max_relative > max_relative) max_relative = outcomes[i].max_relative, worst = cases[i].id;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "roundtrip: " << cases.size() << " cases (" << fba << " flux balance): " << pass << " pass, ";
  if (export_options.level != 0)
    std::cout << refused << " not representable in Level " << export_options.level << " Version "
              << export_options.version << ", ";
  std::cout << (cases.size() - pass - refused) << " fail; " << seconds << " s with " << jobs
            << " threads\n"
            << "roundtrip: " << identical << " cases give results identical to the last bit; the largest relative "
            << "difference elsewhere is " << max_relative << (worst.empty() ? "" : " (case " + worst + ")") << "\n";
  return pass + refused == cases.size() ? 0 : 1;
}
