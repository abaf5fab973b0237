// test_plugin_authoring.cpp — issue 17's second pass, through the CLI as an author meets it:
// a scenario's select and the attached plugins' columns (--select, --add-select, +ID, batch
// add_select), a plugin's initial states (--set PLUGIN.STATE, batch set, ABI version 2 init
// from a parameter and an input), declared ranges, the host's log, a version 1 and a version 2
// plugin in one run, and `axisim plugins drivable`. The expectations are closed forms:
// Bu_col = 20 exp(-0.1 barrier_integrity t) (tissue_inputs.xml), test-v2's A = A(0) exp(-k t) with
// A(0) = A_ref Bu_col(0), test-ok's x^2 + y^2 = 1.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "plugin_test_support.hpp"
#include "test_util.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

const std::string kCli = AXISIM_CLI_PATH;
constexpr int kExitPlugin = 6;

tu::ProcessResult cli(std::vector<std::string> args, const tu::TempDir& dir) {
  args.insert(args.begin(), kCli);
  auto r = tu::run(args, dir.path(), 60);
  UNSCOPED_INFO("axisim exit " << r.exit_code << "\n--- stdout ---\n" << r.out.substr(0, 2000) << "\n--- stderr ---\n"
                               << r.err.substr(0, 2000));
  return r;
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
  std::size_t col(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    FAIL("no column " << name);
    return 0;
  }
};

Table table(const std::string& text) {
  Table t;
  const auto ls = tu::lines(text);
  REQUIRE_FALSE(ls.empty());
  t.header = tu::split(ls[0], ',');
  for (std::size_t i = 1; i < ls.size(); ++i) {
    std::vector<double> row;
    for (const auto& f : tu::split(ls[i], ',')) row.push_back(tu::parse_number(f));
    REQUIRE(row.size() == t.header.size());
    t.rows.push_back(row);
  }
  return t;
}

const std::string kTissue = pt::tissue_model_path();
const std::string kDir = AXISIM_TEST_PLUGIN_DIR;

// Bu_col is absorbed at k_abs * barrier_integrity = 0.1 * barrier_integrity.
double bu_col(double t, double barrier) { return 20.0 * std::exp(-0.1 * barrier * t); }

}  // namespace

TEST_CASE("a scenario's select gets the attached plugins' outputs, --select replaces, --add-select and +ID add",
          "[plugins][authoring][cli]") {
  tu::TempDir dir;
  tu::write_file(dir.file("s.toml"), "model = \"" + kTissue + "\"\nselect = [\"Bu_col\"]\n"
                                     "[simulation]\nstart = 0\nend = 2\nsteps = 2\n");
  const std::vector<std::string> base{"simulate", "--scenario", dir.file("s.toml"), "--plugin-dir", kDir, "--plugin", "test-v2"};
  {  // the scenario's list, and the plugin's output added with a message saying so
    const auto r = cli(base, dir);
    REQUIRE(r.exit_code == 0);
    CHECK(table(r.out).header == std::vector<std::string>{"time", "Bu_col", "test-v2.A_out"});
    CHECK_THAT(r.err, Contains("test-v2.A_out: added"));
  }
  {  // --select: the user's own list, as given
    auto args = base;
    args.insert(args.end(), {"--select", "barrier_integrity"});
    const auto r = cli(args, dir);
    REQUIRE(r.exit_code == 0);
    CHECK(table(r.out).header == std::vector<std::string>{"time", "barrier_integrity"});
  }
  {  // --add-select and --select +ID: added to the scenario's list
    auto args = base;
    args.insert(args.end(), {"--add-select", "barrier_integrity", "--select", "+test-v2.A"});
    const auto r = cli(args, dir);
    REQUIRE(r.exit_code == 0);
    const Table t = table(r.out);
    CHECK(t.header == std::vector<std::string>{"time", "Bu_col", "test-v2.A_out", "test-v2.A", "barrier_integrity"});
    CHECK(t.rows[1][t.col("barrier_integrity")] == 0.75);  // driven: level
    CHECK(t.rows[1][t.col("test-v2.A")] == t.rows[1][t.col("test-v2.A_out")]);
  }
  {  // without a scenario, --add-select adds to the default columns
    const auto r = cli({"simulate", kTissue, "--plugin-dir", kDir, "--plugin", "test-v2", "--end", "1", "--steps", "1",
                        "--add-select", "barrier_integrity"},
                       dir);
    REQUIRE(r.exit_code == 0);
    CHECK(table(r.out).header == std::vector<std::string>{"time", "Bu_col", "test-v2.A_out", "barrier_integrity"});
  }
}

TEST_CASE("a version 1 and a version 2 plugin in one run, init from a parameter and an input, --set PLUGIN.STATE",
          "[plugins][authoring][abi2][cli]") {
  tu::TempDir dir;
  std::vector<std::string> args{"simulate", kTissue, "--plugin-dir", kDir, "--plugin", "test-ok", "--plugin", "test-v2",
                                "--end", "2", "--steps", "4", "--select", "Bu_col,test-v2.A_out,test-ok.x2y2"};
  SECTION("init: A(0) = A_ref Bu_col(0), logged through the host") {
    args.insert(args.end(), {"--plugin-param", "test-v2.A_ref=3", "--set", "Bu_col=10"});
    const auto r = cli(args, dir);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("plugin 'test-v2': init: A(0) = 30"));
    const Table t = table(r.out);
    for (const auto& row : t.rows) {
      CHECK_THAT(row[1], WithinRel(0.5 * bu_col(row[0], 0.75), 1e-6));  // test-v2 drives barrier_integrity at 0.75
      CHECK_THAT(row[2], WithinRel(30.0 * std::exp(-0.5 * row[0]), 1e-6));
      CHECK_THAT(row[3], Catch::Matchers::WithinAbs(1.0, 1e-4));  // the version 1 plugin, integrated with it
    }
  }
  SECTION("a state the user sets is kept whatever init computes") {
    args.insert(args.end(), {"--set", "test-v2.A=5"});
    const auto r = cli(args, dir);
    REQUIRE(r.exit_code == 0);
    const Table t = table(r.out);
    for (const auto& row : t.rows) CHECK_THAT(row[2], WithinRel(5.0 * std::exp(-0.5 * row[0]), 1e-6));
  }
  SECTION("a state the plugin does not have is named with the ones it has") {
    args.insert(args.end(), {"--set", "test-v2.B=5"});
    const auto r = cli(args, dir);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Contains("plugin 'test-v2' has no state 'B' (its states: A"));
  }
  SECTION("a version 1 plugin's state is set the same way") {
    args.insert(args.end(), {"--set", "test-ok.x=0.6", "--set", "test-ok.y=0.8", "--select", "+test-ok.x"});
    const auto r = cli(args, dir);
    REQUIRE(r.exit_code == 0);
    const Table t = table(r.out);
    CHECK(t.rows[0][t.col("test-ok.x")] == 0.6);
    for (const auto& row : t.rows) CHECK_THAT(row[t.col("test-ok.x2y2")], Catch::Matchers::WithinAbs(1.0, 1e-4));
  }
}

TEST_CASE("declared ranges: a driven parameter or a state outside its range stops the run, naming the plugin",
          "[plugins][authoring][abi2][cli]") {
  tu::TempDir dir;
  SECTION("driven parameter: level - slope t < 0 from t = 1.5") {
    const auto r = cli({"simulate", kTissue, "--plugin-dir", kDir, "--plugin", "test-v2", "--plugin-param",
                        "test-v2.slope=0.5", "--end", "4", "--steps", "4"},
                       dir);
    CHECK(r.exit_code == kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin 'test-v2' drove 'barrier_integrity' to -0.25 at t = 2, outside its declared range [0, 1]"));
    CHECK(table(r.out).rows.size() == 2);  // t = 0 and 1
  }
  SECTION("state: A(0) = A_ref Bu_col(0) = 2000 > 1000") {
    const auto r = cli({"simulate", kTissue, "--plugin-dir", kDir, "--plugin", "test-v2", "--plugin-param",
                        "test-v2.A_ref=100", "--end", "1", "--steps", "1"},
                       dir);
    CHECK(r.exit_code == kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin 'test-v2' state 'A' is 2000 at t = 0, outside its declared range [0, 1000]"));
  }
}

TEST_CASE("a version 2 plugin's exception text reaches axisim's log through the host", "[plugins][authoring][abi2][cli]") {
  tu::TempDir dir;
  const auto r = cli({"simulate", kTissue, "--plugin-dir", kDir, "--plugin", "test-v2", "--plugin-param",
                      "test-v2.t_throw=1", "--end", "2", "--steps", "2"},
                     dir);
  CHECK(r.exit_code == kExitPlugin);
  CHECK_THAT(r.err, Contains("plugin 'test-v2': test-v2: A went the wrong way"));
  CHECK_THAT(r.err, Contains("plugin 'test-v2' reported failure (status 1) in derivatives"));
}

TEST_CASE("axisim plugins drivable lists the parameters free to drive and who drives them", "[plugins][authoring][cli]") {
  tu::TempDir dir;
  auto r = cli({"plugins", "drivable", kTissue}, dir);
  REQUIRE(r.exit_code == 0);
  // tissue_inputs.xml: barrier_integrity is its one non-constant parameter set by nothing.
  CHECK(r.out == "parameters of model 'tissue_inputs' a plugin may drive (AXISIM_EFFECT_PARAMETER):\n  barrier_integrity = 1\n");
  r = cli({"plugins", "--plugin-dir", kDir, "drivable", kTissue, "--plugin", "test-v2"}, dir);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("barrier_integrity = 1  (driven by plugin 'test-v2')"));
}

TEST_CASE("batch: a scenario's select gets plugin outputs, add_select adds, set PLUGIN.STATE sets an initial state",
          "[plugins][authoring][batch][cli]") {
  tu::TempDir dir;
  tu::write_file(dir.file("s.toml"), "model = \"" + kTissue + "\"\nselect = [\"Bu_col\"]\n"
                                     "[simulation]\nstart = 0\nend = 2\nsteps = 2\n[plugins]\ntest-v2 = { k = 0.25 }\n");
  tu::write_file(dir.file("jobs.toml"),
                 "[[job]]\nid = \"scen\"\nscenario = \"s.toml\"\n"
                 "[[job]]\nid = \"added\"\nscenario = \"s.toml\"\nadd_select = [\"barrier_integrity\"]\n"
                 "set = { \"test-v2.A\" = 7, \"test-v2.level\" = 0.5 }\n"
                 "[[job]]\nid = \"own\"\nscenario = \"s.toml\"\nselect = [\"Bu_col\"]\n");
  const auto r = cli({"batch", dir.file("jobs.toml"), "-o", dir.file("out"), "--plugin-dir", kDir, "--no-progress"}, dir);
  REQUIRE(r.exit_code == 0);
  const Table scen = table(tu::read_file(dir.file("out/results/scen.csv")));
  CHECK(scen.header == std::vector<std::string>{"time", "Bu_col", "test-v2.A_out"});
  CHECK_THAT(scen.rows[2][2], WithinRel(40.0 * std::exp(-0.25 * 2), 1e-6));
  const Table added = table(tu::read_file(dir.file("out/results/added.csv")));
  CHECK(added.header == std::vector<std::string>{"time", "Bu_col", "test-v2.A_out", "barrier_integrity"});
  CHECK(added.rows[0][2] == 7.0);  // set, not init's 40
  CHECK_THAT(added.rows[2][2], WithinRel(7.0 * std::exp(-0.25 * 2), 1e-6));
  CHECK(added.rows[2][3] == 0.5);  // the plugin parameter set the same way
  const Table own = table(tu::read_file(dir.file("out/results/own.csv")));
  CHECK(own.header == std::vector<std::string>{"time", "Bu_col"});
  CHECK_THAT(tu::read_file(dir.file("out/manifest.csv")), Contains("Bu_col;+plugin outputs;+barrier_integrity"));
}

TEST_CASE("the shipped muscle plugin starts at its own reference: M(0) = M_ref (init), unless --set muscle.M",
          "[plugins][authoring][abi2][cli]") {
  tu::TempDir dir;
  // Free IGF-1 at muscle's IGF_ref: synthesis k_d M_ref balances breakdown at M = M_ref, so M stays
  // at M_ref = 30 (it drifted from 28 towards 30 when M(0) was fixed).
  std::vector<std::string> args{"simulate", kTissue, "--plugin", pt::plugin_path("muscle"), "--plugin-param",
                                "muscle.M_ref=30", "--set", "IGF_f=0.1176655", "--end", "1000", "--steps", "2",
                                "--select", "muscle.M,muscle.mass_change_pct"};
  auto r = cli(args, dir);
  REQUIRE(r.exit_code == 0);
  for (const auto& row : table(r.out).rows) {
    CHECK(row[1] == 30.0);
    CHECK(row[2] == 0.0);
  }
  args.insert(args.end(), {"--set", "muscle.M=27"});
  r = cli(args, dir);
  REQUIRE(r.exit_code == 0);
  const Table t = table(r.out);
  // dM/dt = k_d (M_ref - M): M = 30 - 3 exp(-0.0007 t).
  for (const auto& row : t.rows) CHECK_THAT(row[1], WithinRel(30.0 - 3.0 * std::exp(-0.0007 * row[0]), 1e-6));
}

// `steady` and `steady --wrt` check the declared ranges at the solution: test-v2's A settles at
// A_inf (dA/dt = -k (A - A_inf)), barrier_integrity is driven to `level` at t = 0.
TEST_CASE("declared ranges in steady-state analyses: a solution outside one is refused, naming the plugin",
          "[plugins][authoring][abi2][cli][steady]") {
  tu::TempDir dir;
  const std::vector<std::string> base{"steady", kTissue, "--plugin-dir", kDir, "--plugin", "test-v2"};
  auto run = [&](std::vector<std::string> extra) {
    auto args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args, dir);
  };
  auto value = [](const std::string& out, const std::string& column) {
    const auto ls = tu::lines(out);
    REQUIRE(ls.size() >= 2);
    const auto header = tu::split(ls[0], ','), row = tu::split(ls[1], ',');
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == column) return tu::parse_number(row[i]);
    FAIL("no column " << column);
    return 0.0;
  };
  SECTION("inside: A = A_inf = 500") {
    const auto r = run({"--plugin-param", "test-v2.A_inf=500", "--select", "test-v2.A_out,barrier_integrity"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(value(r.out, "test-v2.A_out"), WithinRel(500.0, 1e-8));
    CHECK(value(r.out, "barrier_integrity") == 0.75);
  }
  SECTION("a state: Newton's solution A = 2000 is refused; so is the run towards it") {
    const std::string why = "plugin 'test-v2' state 'A' is 2000 at t = 0, outside its declared range [0, 1000]";
    auto r = run({"--plugin-param", "test-v2.A_inf=2000", "--method", "newton"});
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Contains("newton: converged to a point where " + why));
    r = run({"--plugin-param", "test-v2.A_inf=2000", "--method", "pseudo-transient"});
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Contains("pseudo-transient: converged to a point where " + why));
    r = run({"--plugin-param", "test-v2.A_inf=2000"});  // auto: integration last, which leaves the range on the way
    CHECK(r.exit_code == kExitPlugin);
    CHECK_THAT(r.err, Contains("integrating towards the steady state (a stretch of "));
    CHECK_THAT(r.err, Contains("plugin 'test-v2' state 'A' is "));
    CHECK_THAT(r.err, Contains(", outside its declared range [0, 1000]"));
  }
  SECTION("a driven parameter: barrier_integrity = level = -0.5") {
    const auto r = run({"--plugin-param", "test-v2.level=-0.5", "--method", "newton"});
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Contains("newton: converged to a point where plugin 'test-v2' drove 'barrier_integrity' to -0.5 "
                               "at t = 0, outside its declared range [0, 1]"));
  }
  SECTION("time-course sensitivities refuse plugins altogether (so no range goes unchecked there)") {
    const auto r = cli({"sensitivities", kTissue, "--plugin-dir", kDir, "--plugin", "test-v2", "--wrt", "k_abs", "--end", "1"}, dir);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("time-course sensitivities unsupported with plugins attached"));
  }
  SECTION("sensitivities (--wrt): the same check at the steady state they are taken at") {
    auto r = run({"--plugin-param", "test-v2.A_inf=2000", "--method", "newton", "--wrt", "k_abs"});
    CHECK(r.exit_code == 5);
    CHECK_THAT(r.err, Contains("plugin 'test-v2' state 'A' is 2000 at t = 0, outside its declared range [0, 1000]"));
    r = run({"--plugin-param", "test-v2.A_inf=500", "--method", "newton", "--wrt", "k_abs", "--select", "test-v2.A_out"});
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Contains("test-v2.A_out,k_abs,500,0.1,0,0"));
  }
}

// ABI version 2's drive_v2: test-drive-input drives barrier_integrity = Bu_col / 20, so that
// dBu_col/dt = -(k_abs / 20) Bu_col^2: Bu_col(t) = 20 / (1 + k_abs t), k_abs = 0.1.
TEST_CASE("drive_v2 reads an input, and an input that depends on a driven parameter is refused as a cycle",
          "[plugins][authoring][abi2][cli][drive]") {
  tu::TempDir dir;
  SECTION("closed form") {
    const auto r = cli({"simulate", kTissue, "--plugin-dir", kDir, "--plugin", "test-drive-input", "--end", "10", "--steps",
                        "5", "--select", "Bu_col,barrier_integrity"},
                       dir);
    REQUIRE(r.exit_code == 0);
    const Table t = table(r.out);
    REQUIRE(t.rows.size() == 6);
    for (const auto& row : t.rows) {
      const double expected = 20.0 / (1.0 + 0.1 * row[0]);
      CHECK_THAT(row[t.col("Bu_col")], WithinRel(expected, 1e-5));
      CHECK_THAT(row[t.col("barrier_integrity")], WithinRel(expected / 20.0, 1e-5));
    }
  }
  SECTION("a reaction rate that reads the driven parameter") {
    const auto r = cli({"simulate", kTissue, "--plugin-dir", kDir, "--plugin", "test-drive-cycle", "--end", "1"}, dir);
    CHECK(r.exit_code == kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin 'test-drive-cycle' reads 'absorption' in drive_v2, but 'absorption' depends on "
                               "'barrier_integrity', which it drives: drive runs before the model's rules, so this is a cycle"));
  }
  SECTION("another plugin's driven parameter") {
    const auto r = cli({"simulate", kTissue, "--plugin-dir", kDir, "--plugin", "test-v2", "--plugin", "test-drive-cycle",
                        "--end", "1"},
                       dir);
    CHECK(r.exit_code == kExitPlugin);
    CHECK_THAT(r.err, Contains("both drive 'barrier_integrity'"));
  }
}

// Declared units (ABI version 2) against the model's, at attach: tissue_inputs.xml with units
// (substance mmol, volume litre): Bu_col in mmol/litre, barrier_integrity dimensionless.
TEST_CASE("declared units: checked against the model's when attached, scale included, undeclared unchecked",
          "[plugins][authoring][abi2][cli][units]") {
  tu::TempDir dir;
  std::string xml = tu::read_file(kTissue);
  auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = xml.find(from);
    REQUIRE(at != std::string::npos);
    xml.replace(at, from.size(), to);
  };
  replace("timeUnits=\"hour\"", "timeUnits=\"hour\" substanceUnits=\"mmol\" volumeUnits=\"litre\"");
  replace("<listOfUnitDefinitions>",
          "<listOfUnitDefinitions><unitDefinition id=\"mmol\"><listOfUnits><unit kind=\"mole\" exponent=\"1\" "
          "scale=\"-3\" multiplier=\"1\"/></listOfUnits></unitDefinition>");
  replace("id=\"barrier_integrity\" value=\"1\"", "id=\"barrier_integrity\" value=\"1\" units=\"dimensionless\"");
  const std::string with_units = dir.file("units.xml");
  tu::write_file(with_units, xml);
  auto run = [&](const std::string& model, const std::string& plugin) {
    return cli({"simulate", model, "--plugin-dir", kDir, "--plugin", plugin, "--end", "1", "--steps", "1"}, dir);
  };
  CHECK(run(with_units, "test-drive-input").exit_code == 0);  // mmol/l and dimensionless, as the model
  {
    const auto r = run(with_units, "test-units-scale");
    CHECK(r.exit_code == kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin 'test-units-scale' declares input 'Bu_col' in 'mole/l' (1000 metre^-3 mole), but "
                               "model 'tissue_inputs' has 'Bu_col' in 'mmol/litre' (1 metre^-3 mole)"));
  }
  {
    const auto r = run(with_units, "test-units-dimension");
    CHECK(r.exit_code == kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin 'test-units-dimension' declares the parameter it drives, 'barrier_integrity', in "
                               "'1/hour' (0.000277778 second^-1), but model 'tissue_inputs' has 'barrier_integrity' in "
                               "'dimensionless' (1)"));
  }
  {
    const auto r = run(with_units, "test-units-unknown");
    CHECK(r.exit_code == kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin 'test-units-unknown' declares input 'Bu_col' in 'furlong/l', which axisim cannot "
                               "read: 'furlong' is not a unit axisim knows"));
  }
  // The model without units: nothing to check against.
  CHECK(run(kTissue, "test-units-scale").exit_code == 0);
  CHECK(run(kTissue, "test-units-dimension").exit_code == 0);
}

// Root functions (ABI version 2): test-roots' x grows as (r / k)(1 - exp(-k s)) and resets to 0 at
// the threshold, every T = 2 ln 2 with the defaults; n counts the resets.
TEST_CASE("root functions: the integrator stops at a plugin's root and its on_root resets a state",
          "[plugins][authoring][abi2][cli][roots]") {
  tu::TempDir dir;
  const auto r = cli({"simulate", kTissue, "--plugin-dir", kDir, "--plugin", "test-roots", "--end", "5", "--steps", "10",
                      "--select", "test-roots.x,test-roots.n"},
                     dir);
  REQUIRE(r.exit_code == 0);
  const Table t = table(r.out);
  REQUIRE(t.rows.size() == 11);
  const double T = 2.0 * std::log(2.0);
  for (const auto& row : t.rows) {
    const double n = std::floor(row[0] / T);
    INFO("t = " << row[0]);
    CHECK(row[t.col("test-roots.n")] == n);
    CHECK_THAT(row[t.col("test-roots.x")], Catch::Matchers::WithinAbs(2.0 * (1.0 - std::exp(-0.5 * (row[0] - n * T))), 1e-6));
  }
  CHECK(t.rows.back()[t.col("test-roots.n")] == 3.0);  // resets at 1.39, 2.77, 4.16
  // A steady state is refused: the resets are discontinuities, as events are.
  const auto s = cli({"steady", kTissue, "--plugin-dir", kDir, "--plugin", "test-roots"}, dir);
  CHECK(s.exit_code == 3);
  CHECK_THAT(s.err, Contains("plugin 'test-roots' has 1 root function(s)"));
}
