// test_io.cpp — the library's file-facing pieces: Result, CSV output, test-suite settings files
// and validation diagnostics.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <filesystem>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "axisim/csv.hpp"
#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/result.hpp"
#include "axisim/suite_settings.hpp"
#include "axisim/validation.hpp"
#include "sbml_fixtures.hpp"
#include "test_util.hpp"

#include <unistd.h>

using axisim::ErrorKind;
using axisim::Quantity;

namespace {

axisim::Result small_result() {
  axisim::Result r({"time", "A", "B"});
  const double row0[] = {0.0, 1.5, -2.0};
  const double row1[] = {0.5, std::numeric_limits<double>::quiet_NaN(), 0.1};
  const double row2[] = {1.0, std::numeric_limits<double>::infinity(),
                         -std::numeric_limits<double>::infinity()};
  r.append_row(row0);
  r.append_row(row1);
  r.append_row(row2);
  return r;
}

}  // namespace

TEST_CASE("Result stores rows and columns", "[io]") {
  auto r = small_result();
  CHECK(r.cols() == 3);
  CHECK(r.rows() == 3);
  CHECK(r.at(0, 1) == 1.5);
  CHECK(r.row(2)[0] == 1.0);
  auto b = r.column("B");
  REQUIRE(b.size() == 3);
  CHECK(b[0] == -2.0);
  CHECK(b[1] == 0.1);
  CHECK(std::isinf(b[2]));
  auto t = r.column("time");
  CHECK(t == std::vector<double>{0.0, 0.5, 1.0});
  try {
    (void)r.column("C");
    FAIL("unknown column accepted");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::UnknownId);
  }
}

TEST_CASE("format_number: shortest round-trip form, suite spellings of NaN and infinities",
          "[io][csv]") {
  CHECK(axisim::format_number(0.1) == "0.1");
  CHECK(axisim::format_number(0.25) == "0.25");
  CHECK(axisim::format_number(-2.5) == "-2.5");
  CHECK(axisim::format_number(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(axisim::format_number(std::numeric_limits<double>::infinity()) == "INF");
  CHECK(axisim::format_number(-std::numeric_limits<double>::infinity()) == "-INF");

  const double values[] = {0.0,
                           1.0,
                           1.0 / 3.0,
                           2.0 / 3.0,
                           0.1 + 0.2,
                           1e-300,
                           4.9406564584124654e-324,  // smallest subnormal
                           2.2250738585072014e-308,
                           1.7976931348623157e308,
                           -123456.789,
                           6.02214179e23,
                           9007199254740993.0,
                           std::exp(-5.0)};
  for (double v : values) {
    std::string s = axisim::format_number(v);
    INFO(s);
    CHECK(tu::parse_number(s) == v);
  }
}

TEST_CASE("write_csv writes the suite's layout", "[io][csv]") {
  auto r = small_result();
  std::ostringstream out;
  axisim::write_csv(r, out);
  auto ls = tu::lines(out.str());
  REQUIRE(ls.size() == 4);
  CHECK(ls[0] == "time,A,B");
  CHECK(ls[1] == "0,1.5,-2");
  CHECK(ls[2] == "0.5,NaN,0.1");
  CHECK(ls[3] == "1,INF,-INF");
}

TEST_CASE("write_csv_file writes atomically and reports unwritable paths", "[io][csv]") {
  tu::TempDir dir;
  auto r = small_result();
  SECTION("a writable path") {
    std::string path = dir.file("result.csv");
    axisim::write_csv_file(r, path);
    std::ostringstream expected;
    axisim::write_csv(r, expected);
    CHECK(tu::read_file(path) == expected.str());
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
      ++files;
      CHECK(e.path().filename() == "result.csv");
    }
    CHECK(files == 1);
  }
  SECTION("a missing directory") {
    std::string path = dir.file("missing") + "/result.csv";
    try {
      axisim::write_csv_file(r, path);
      FAIL("write into a missing directory succeeded");
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == ErrorKind::Io);
    }
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK(std::filesystem::is_empty(dir.path()));
  }
}

TEST_CASE("SuiteSettings::parse_file reads the test-suite settings format", "[io][settings]") {
  tu::TempDir dir;
  std::string path = dir.file("00042-settings.txt");
  tu::write_file(path,
                 "start: 0\n"
                 "duration: 5\n"
                 "steps: 50\n"
                 "variables: S1, S2, P\n"
                 "absolute: 1.0e-7\n"
                 "relative: 0.0001\n"
                 "amount: S1\n"
                 "concentration: S2\n");
  auto s = axisim::SuiteSettings::parse_file(path);
  CHECK(s.start == 0.0);
  CHECK(s.duration == 5.0);
  CHECK(s.steps == 50);
  CHECK(s.variables == std::vector<std::string>{"S1", "S2", "P"});
  CHECK(s.absolute == 1e-7);
  CHECK(s.relative == 1e-4);
  CHECK(s.amount == std::vector<std::string>{"S1"});
  CHECK(s.concentration == std::vector<std::string>{"S2"});

  auto opt = s.simulation_options();
  CHECK(opt.start == 0.0);
  CHECK(opt.end == 5.0);
  CHECK(opt.steps == 50);
  CHECK(opt.rtol <= 1e-4);
  CHECK(opt.atol <= 1e-7);

  auto outs = s.outputs();
  REQUIRE(outs.size() == 3);
  CHECK(outs[0].id == "S1");
  CHECK(outs[0].quantity == Quantity::Amount);
  CHECK(outs[1].id == "S2");
  CHECK(outs[1].quantity == Quantity::Concentration);
  CHECK(outs[2].id == "P");
  CHECK(outs[2].quantity == Quantity::Default);
}

TEST_CASE("SuiteSettings: start time and empty lists", "[io][settings]") {
  tu::TempDir dir;
  std::string path = dir.file("s.txt");
  tu::write_file(path,
                 "start: 2.5\n"
                 "duration: 10\n"
                 "steps: 20\n"
                 "variables: X\n"
                 "absolute: 0.001\n"
                 "relative: 0.001\n"
                 "amount: \n"
                 "concentration: \n");
  auto s = axisim::SuiteSettings::parse_file(path);
  CHECK(s.start == 2.5);
  CHECK(s.amount.empty());
  CHECK(s.concentration.empty());
  auto opt = s.simulation_options();
  CHECK(opt.start == 2.5);
  CHECK(opt.end == 12.5);  // start + duration
  CHECK(opt.steps == 20);
}

TEST_CASE("SuiteSettings::parse_file on a missing file throws Io", "[io][settings]") {
  tu::TempDir dir;
  try {
    (void)axisim::SuiteSettings::parse_file(dir.file("nope-settings.txt"));
    FAIL("missing settings file accepted");
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == ErrorKind::Io);
  }
}

TEST_CASE("validate_file reports libSBML diagnostics with line numbers", "[io][validation]") {
  tu::TempDir dir;
  using Sev = axisim::Diagnostic::Severity;
  SECTION("a valid model has no errors") {
    std::string path = dir.file("ok.xml");
    tu::write_file(path, fx::decay_model());
    for (const auto& d : axisim::validate_file(path)) {
      INFO(d.message);
      CHECK(d.severity != Sev::Error);
      CHECK(d.severity != Sev::Fatal);
    }
  }
  SECTION("a species in an undefined compartment, on line 8") {
    fx::ModelBuilder b("bad");
    b.compartment("C", 1.0);
    fx::Species s{"S_bad", "nowhere", 1.0, true};
    b.species(s);
    std::string doc = b.str();
    // The builder writes one element per line: line 1 <?xml, 2 <sbml, 3 <model, 4 <listOfCompartments,
    // 5 <compartment, 6 </listOfCompartments>, 7 <listOfSpecies>, 8 <species ...>.
    std::string path = dir.file("bad.xml");
    tu::write_file(path, doc);
    auto diags = axisim::validate_file(path);
    bool found = false;
    for (const auto& d : diags) {
      if (d.severity == Sev::Error && d.code == 20601) {
        found = true;
        CHECK(d.line == 8);
        CHECK(tu::contains(d.message, "S_bad"));
      }
    }
    CHECK(found);
  }
  SECTION("malformed XML is a diagnostic, not an exception") {
    std::string path = dir.file("broken.xml");
    tu::write_file(path, "<sbml><model>\n");
    auto diags = axisim::validate_file(path);
    bool error = false;
    for (const auto& d : diags)
      if (d.severity == Sev::Error || d.severity == Sev::Fatal) error = true;
    CHECK(error);
  }
  SECTION("a missing file throws Io") {
    try {
      (void)axisim::validate_file(dir.file("missing.xml"));
      FAIL("missing file accepted");
    } catch (const axisim::Error& e) {
      CHECK(e.kind() == ErrorKind::Io);
    }
  }
}

// Reads what the process writes to file descriptor `fd` while `body` runs (restored even when
// `body` throws, so that Catch's report still reaches the terminal).
template <class Body>
std::string captured(int fd, Body body) {
  std::fflush(nullptr);
  char name[] = "/tmp/axisim-capture-XXXXXX";
  const int tmp = mkstemp(name);
  REQUIRE(tmp >= 0);
  struct Restore {
    int fd, saved, tmp;
    ~Restore() {
      std::fflush(nullptr);
      dup2(saved, fd);
      close(saved);
      close(tmp);
    }
  } restore{fd, dup(fd), tmp};
  dup2(tmp, fd);
  body();
  std::fflush(nullptr);
  std::ifstream in(name);
  std::stringstream text;
  text << in.rdbuf();
  std::remove(name);
  return text.str();
}

TEST_CASE("a program embedding the runtime gets its warnings on stderr and not on stdout", "[io][logging]") {
  // catch_discover_tests runs each test case in its own process, so no other test has touched
  // spdlog's default logger here: this is what a fresh embedding program sees.
  const std::string sbml = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m">
    <listOfParameters><parameter id="p" value="1" constant="false"/></listOfParameters>
    <listOfRules><rateRule variable="p"/></listOfRules>
  </model>
</sbml>)";
  std::string err;
  const std::string out = captured(1, [&] {
    err = captured(2, [&] { (void)axisim::Model::from_string(sbml); });
  });
  CHECK(out.empty());
  CHECK_THAT(err, Catch::Contains("rate rule for 'p' has no math"));
}

TEST_CASE("a selection may name time first, as libRoadRunner's do", "[io][outputs]") {
  // "time" is no element of this model: it names the time column, which comes first anyway.
  const std::string sbml = R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="m">
    <listOfParameters><parameter id="p" value="1" constant="false"/></listOfParameters>
    <listOfRules><rateRule variable="p"><math xmlns="http://www.w3.org/1998/Math/MathML"><cn> 2 </cn></math></rateRule></listOfRules>
  </model>
</sbml>)";
  const axisim::Model m = axisim::Model::from_string(sbml);
  axisim::SimulationOptions o;
  o.end = 1;
  o.steps = 2;
  const axisim::Result with_time = m.simulate(o, {{"time"}, {"p"}});
  const axisim::Result without = m.simulate(o, {{"p"}});
  REQUIRE(with_time.columns() == std::vector<std::string>{"time", "p"});
  REQUIRE(with_time.rows() == 3);
  for (std::size_t i = 0; i < with_time.rows(); ++i) {
    CHECK(with_time.at(i, 0) == without.at(i, 0));
    CHECK(with_time.at(i, 1) == without.at(i, 1));
  }
  CHECK(with_time.at(2, 1) == Approx(3.0).epsilon(1e-9));  // p = 1 + 2 t
  // Only "time": only the time column, not every species.
  CHECK(m.simulate(o, {{"time"}}).columns() == std::vector<std::string>{"time"});
}
