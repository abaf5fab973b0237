// test_cli.cpp — the `axisim` executable, run as a subprocess.
//
// Exit codes (error.hpp): 0 ok, 2 usage, 3 unsupported SBML feature, 4 invalid input / io /
// unknown id, 5 solver failure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "sbml_fixtures.hpp"
#include "test_util.hpp"

#ifndef AXISIM_CLI_PATH
#error "AXISIM_CLI_PATH must be defined to the axisim executable"
#endif
#ifndef AXISIM_TEST_DATA_DIR
#error "AXISIM_TEST_DATA_DIR must be defined to tests/unit/data"
#endif

using namespace fx;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const std::string kCli = AXISIM_CLI_PATH;

tu::ProcessResult cli(const std::vector<std::string>& args, const tu::TempDir& dir) {
  std::vector<std::string> argv{kCli};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = tu::run(argv, dir.path());
  UNSCOPED_INFO("axisim exit " << r.exit_code << (r.exited ? "" : " (did not exit normally)")
                               << "\n--- stdout ---\n" << r.out.substr(0, 2000)
                               << "\n--- stderr ---\n" << r.err.substr(0, 2000));
  return r;
}

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
};

Csv parse_csv(const std::string& text) {
  Csv csv;
  auto ls = tu::lines(text);
  REQUIRE_FALSE(ls.empty());
  csv.header = tu::split(ls[0], ',');
  for (std::size_t i = 1; i < ls.size(); ++i) {
    if (ls[i].empty()) continue;
    std::vector<double> row;
    for (const auto& f : tu::split(ls[i], ',')) row.push_back(tu::parse_number(f));
    REQUIRE(row.size() == csv.header.size());
    csv.rows.push_back(row);
  }
  return csv;
}

// The two-species model S1 -> S2 in a compartment of size 2 (S1: amount 10 at t = 0).
std::string write_model(const tu::TempDir& dir, const std::string& name = "model.xml",
                        double volume = 2.0) {
  std::string path = dir.file(name);
  tu::write_file(path, two_species_model(volume, 10.0, 0.5));
  return path;
}

// Valid SBML that axisim refuses: an algebraic rule.
// A flux balance (fbc) model: `simulate` refuses it, since it has no time course.
std::string fbc_model() {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version1/core" xmlns:fbc="http://www.sbml.org/sbml/level3/version1/fbc/version2" level="3" version="1" fbc:required="false">
  <model id="fba" fbc:strict="true">
    <listOfCompartments><compartment id="C" size="1" spatialDimensions="3" constant="true"/></listOfCompartments>
    <listOfSpecies><species id="S" compartment="C" initialAmount="0" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>
    <listOfParameters>
      <parameter id="zero" value="0" constant="true"/>
      <parameter id="ten" value="10" constant="true"/>
    </listOfParameters>
    <listOfReactions>
      <reaction id="R_in" reversible="false" fast="false" fbc:lowerFluxBound="zero" fbc:upperFluxBound="ten">
        <listOfProducts><speciesReference species="S" stoichiometry="1" constant="true"/></listOfProducts>
      </reaction>
      <reaction id="R_out" reversible="false" fast="false" fbc:lowerFluxBound="zero" fbc:upperFluxBound="ten">
        <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
      </reaction>
    </listOfReactions>
    <fbc:listOfObjectives fbc:activeObjective="obj">
      <fbc:objective fbc:id="obj" fbc:type="maximize">
        <fbc:listOfFluxObjectives><fbc:fluxObjective fbc:reaction="R_out" fbc:coefficient="1"/></fbc:listOfFluxObjectives>
      </fbc:objective>
    </fbc:listOfObjectives>
  </model>
</sbml>
)";
}

// data/bad_compartment.xml has an SBML error on line 14: a species in an undefined compartment.
const std::string kBadCompartmentFile = std::string(AXISIM_TEST_DATA_DIR) + "/bad_compartment.xml";

const char* kDocTail = R"(<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
  <model id="hostile">
    <listOfCompartments>
      <compartment id="C" size="1" spatialDimensions="3" constant="true"/>
    </listOfCompartments>
    <listOfSpecies>
      <species id="S1" name="NAME" compartment="COMP" initialAmount="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
  </model>
</sbml>
)";

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

std::string external_entity_doc() {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<!DOCTYPE sbml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n") +
         replace_all(replace_all(kDocTail, "NAME", "&e;"), "COMP", "&e;");
}

std::string billion_laughs_doc() {
  std::string dtd = "<!DOCTYPE sbml [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = i == 1 ? "&lol;" : "&lol" + std::to_string(i - 1) + ";";
    std::string body;
    for (int j = 0; j < 10; ++j) body += prev;
    dtd += "<!ENTITY lol" + std::to_string(i) + " \"" + body + "\">\n";
  }
  dtd += "]>\n";
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + dtd +
         replace_all(replace_all(kDocTail, "NAME", "&lol9;"), "COMP", "C");
}

// The first line of /etc/passwd (and its "root:x:0:0" prefix), which must never be echoed.
std::vector<std::string> passwd_markers() {
  std::vector<std::string> markers{"root:x:0:0"};
  try {
    auto ls = tu::lines(tu::read_file("/etc/passwd"));
    if (!ls.empty() && ls[0].size() > 8) markers.push_back(ls[0]);
  } catch (...) {
  }
  return markers;
}

}  // namespace

TEST_CASE("axisim --help exits 0 and lists the subcommands", "[cli]") {
  tu::TempDir dir;
  auto r = cli({"--help"}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(tu::contains(r.out + r.err, "simulate"));
  CHECK(tu::contains(r.out + r.err, "validate"));
}

TEST_CASE("axisim simulate writes a CSV that reads back to the library's doubles", "[cli]") {
  tu::TempDir dir;
  std::string model = write_model(dir);
  std::string out = dir.file("out.csv");
  auto r = cli({"simulate", model, "--start", "0", "--end", "5", "--steps", "10", "--atol",
                "1e-12", "--rtol", "1e-10", "-o", out, "--quiet"},
               dir);
  REQUIRE(r.exit_code == 0);
  REQUIRE(std::filesystem::exists(out));
  Csv csv = parse_csv(tu::read_file(out));
  CHECK(csv.header == std::vector<std::string>{"time", "S1", "S2"});
  REQUIRE(csv.rows.size() == 11);

  // The same run through the library gives bit-identical numbers.
  axisim::SimulationOptions opt;
  opt.start = 0;
  opt.end = 5;
  opt.steps = 10;
  opt.atol = 1e-12;
  opt.rtol = 1e-10;
  auto lib = axisim::Model::from_file(model).simulate(opt);
  REQUIRE(lib.rows() == 11);
  REQUIRE(lib.cols() == 3);
  for (std::size_t i = 0; i < 11; ++i)
    for (std::size_t j = 0; j < 3; ++j) {
      INFO("row " << i << " col " << j);
      CHECK(csv.rows[i][j] == lib.at(i, j));
    }

  // And they are the right numbers: concentrations in C = 2, amount A1 = 10 exp(-t/2).
  for (const auto& row : csv.rows) {
    double t = row[0];
    double a1 = 10.0 * std::exp(-0.5 * t);
    CHECK_THAT(row[1], WithinRel(a1 / 2.0, 1e-7));
    CHECK_THAT(row[2], WithinAbs((10.0 - a1) / 2.0, 1e-7));
  }
  CHECK(csv.rows[10][0] == 5.0);
  CHECK(csv.rows[1][0] == 0.5);

  // No temporary file is left next to the output.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::string name = entry.path().filename().string();
    CHECK_FALSE(tu::contains(name, ".tmp-"));
  }
}

TEST_CASE("axisim simulate without -o writes the CSV to stdout", "[cli]") {
  tu::TempDir dir;
  std::string model = write_model(dir);
  auto r = cli({"simulate", model, "--end", "1", "--steps", "4", "--quiet"}, dir);
  REQUIRE(r.exit_code == 0);
  Csv csv = parse_csv(r.out);
  CHECK(csv.header == std::vector<std::string>{"time", "S1", "S2"});
  CHECK(csv.rows.size() == 5);
}

TEST_CASE("axisim simulate --select, --amounts and --concentrations", "[cli]") {
  tu::TempDir dir;
  std::string model = write_model(dir);  // volume 2
  std::string out = dir.file("sel.csv");
  auto r = cli({"simulate", model, "--end", "2", "--steps", "2", "--select", "S2,S1", "--amounts",
                "S1", "-o", out, "--quiet"},
               dir);
  REQUIRE(r.exit_code == 0);
  Csv csv = parse_csv(tu::read_file(out));
  CHECK(csv.header == std::vector<std::string>{"time", "S2", "S1"});
  REQUIRE(csv.rows.size() == 3);
  CHECK(csv.rows[0][2] == 10.0);  // S1 as an amount
  CHECK(csv.rows[0][1] == 0.0);
  CHECK_THAT(csv.rows[2][2], WithinRel(10.0 * std::exp(-1.0), 1e-6));
  CHECK_THAT(csv.rows[2][1], WithinRel((10.0 - 10.0 * std::exp(-1.0)) / 2.0, 1e-6));

  std::string out2 = dir.file("conc.csv");
  auto r2 = cli({"simulate", model, "--end", "2", "--steps", "2", "--concentrations", "S1", "-o",
                 out2, "--quiet"},
                dir);
  REQUIRE(r2.exit_code == 0);
  Csv csv2 = parse_csv(tu::read_file(out2));
  REQUIRE(csv2.rows.size() == 3);
  auto col = std::find(csv2.header.begin(), csv2.header.end(), "S1") - csv2.header.begin();
  REQUIRE(col < static_cast<long>(csv2.header.size()));
  CHECK(csv2.rows[0][col] == 5.0);
}

TEST_CASE("axisim simulate --settings reads a test-suite settings file", "[cli]") {
  tu::TempDir dir;
  std::string model = write_model(dir);  // volume 2
  std::string settings = dir.file("00001-settings.txt");
  tu::write_file(settings,
                 "start: 0\n"
                 "duration: 5\n"
                 "steps: 10\n"
                 "variables: S1, S2\n"
                 "absolute: 1e-7\n"
                 "relative: 0.0001\n"
                 "amount: S1\n"
                 "concentration: S2\n");
  std::string out = dir.file("suite.csv");
  auto r = cli({"simulate", model, "--settings", settings, "-o", out, "--quiet"}, dir);
  REQUIRE(r.exit_code == 0);
  Csv csv = parse_csv(tu::read_file(out));
  CHECK(csv.header == std::vector<std::string>{"time", "S1", "S2"});
  REQUIRE(csv.rows.size() == 11);
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    CHECK(row[0] == 0.5 * i);
    double a1 = 10.0 * std::exp(-0.5 * row[0]);
    CHECK_THAT(row[1], WithinRel(a1, 1e-5));                             // amount
    CHECK_THAT(row[2], WithinAbs((10.0 - a1) / 2.0, 1e-5));              // concentration
  }
}

TEST_CASE("axisim simulate -o into a missing directory fails and leaves no file", "[cli]") {
  tu::TempDir dir;
  std::string model = write_model(dir);
  std::string missing_dir = dir.file("no_such_dir");
  std::string out = missing_dir + "/out.csv";
  auto r = cli({"simulate", model, "--end", "1", "--steps", "2", "-o", out}, dir);
  CHECK(r.exited);
  CHECK(r.exit_code != 0);
  CHECK(r.exit_code == 4);  // Io
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(missing_dir));
}

TEST_CASE("axisim simulate on a missing model file exits 4 naming the path", "[cli]") {
  tu::TempDir dir;
  std::string path = dir.file("absent_model.xml");
  auto r = cli({"simulate", path}, dir);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, path));
}

TEST_CASE("axisim simulate on malformed XML exits 4", "[cli]") {
  tu::TempDir dir;
  std::string path = dir.file("broken.xml");
  tu::write_file(path, "<?xml version=\"1.0\"?>\n<sbml><model id=\"m\">\n</sbml\n");
  auto r = cli({"simulate", path}, dir);
  CHECK(r.exit_code == 4);
  CHECK_FALSE(r.err.empty());
}

TEST_CASE("axisim simulate on a model with an unsupported feature exits 3", "[cli]") {
  tu::TempDir dir;
  std::string path = dir.file("fba.xml");
  tu::write_file(path, fbc_model());
  std::string out = dir.file("fba.csv");
  auto r = cli({"simulate", path, "-o", out}, dir);
  CHECK(r.exit_code == 3);
  CHECK(tu::icontains(r.err, "fbc"));
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("axisim simulate with an unknown --select id exits 4", "[cli]") {
  tu::TempDir dir;
  std::string model = write_model(dir);
  auto r = cli({"simulate", model, "--select", "S1,no_such_species"}, dir);
  CHECK(r.exit_code == 4);
  CHECK(tu::contains(r.err, "no_such_species"));
}

TEST_CASE("axisim usage errors exit 2", "[cli]") {
  tu::TempDir dir;
  std::string model = write_model(dir);
  SECTION("unknown option") {
    CHECK(cli({"simulate", model, "--no-such-option"}, dir).exit_code == 2);
  }
  SECTION("negative step count") {
    CHECK(cli({"simulate", model, "--steps", "-3"}, dir).exit_code == 2);
  }
  SECTION("non-numeric end") {
    CHECK(cli({"simulate", model, "--end", "soon"}, dir).exit_code == 2);
  }
  SECTION("simulate without a model") {
    CHECK(cli({"simulate"}, dir).exit_code == 2);
  }
  SECTION("unknown subcommand") {
    CHECK(cli({"frobnicate"}, dir).exit_code == 2);
  }
}

TEST_CASE("axisim validate", "[cli]") {
  tu::TempDir dir;
  SECTION("a valid file exits 0") {
    std::string model = write_model(dir);
    auto r = cli({"validate", model}, dir);
    CHECK(r.exit_code == 0);
  }
  SECTION("a file with an SBML error exits non-zero and prints the line number") {
    REQUIRE(std::filesystem::exists(kBadCompartmentFile));
    auto r = cli({"validate", kBadCompartmentFile}, dir);
    CHECK(r.exited);
    CHECK(r.exit_code != 0);
    std::string all = r.out + r.err;
    // "line 14", "line: 14" or "bad.xml:14:..." all name the line.
    std::regex line14(R"((line[ :]*14\b)|(:14(:|\b)))", std::regex::icase);
    CHECK(std::regex_search(all, line14));
    CHECK(tu::contains(all, "nowhere"));
  }
  SECTION("a missing file exits 4") {
    auto r = cli({"validate", dir.file("missing.xml")}, dir);
    CHECK(r.exit_code == 4);
  }
}

TEST_CASE("hostile XML: external entities and entity expansion", "[cli][security]") {
  tu::TempDir dir;
  auto markers = passwd_markers();
  auto check_run = [&](const std::vector<std::string>& args, const std::string& out_file) {
    auto r = cli(args, dir);
    CHECK_FALSE(r.timed_out);
    CHECK(r.exited);  // not killed by a signal (no crash)
    CHECK(r.exit_code >= 0);
    CHECK(r.exit_code <= 5);
    std::string all = r.out + r.err;
    if (!out_file.empty() && std::filesystem::exists(out_file)) all += tu::read_file(out_file);
    for (const auto& m : markers) CHECK_FALSE(tu::contains(all, m));
  };

  SECTION("external entity referring to /etc/passwd") {
    std::string path = dir.file("xxe.xml");
    tu::write_file(path, external_entity_doc());
    std::string out = dir.file("xxe.csv");
    check_run({"simulate", path, "-o", out, "--verbose"}, out);
    check_run({"validate", path}, "");
  }
  SECTION("billion laughs") {
    std::string path = dir.file("lol.xml");
    tu::write_file(path, billion_laughs_doc());
    std::string out = dir.file("lol.csv");
    check_run({"simulate", path, "-o", out}, out);
    check_run({"validate", path}, "");
  }
}
