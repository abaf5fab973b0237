// test_plugin_faults.cpp — plugins that cannot be loaded or bound, and plugins that fail during a
// run. Where a process could die (a plugin that throws across the C boundary, returns NaN or a
// failure status), the `axisim` executable runs as a subprocess: it must exit with code 6, name
// the plugin, and write the rows computed before the fault as a complete CSV.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "plugin_test_support.hpp"
#include "test_util.hpp"

#ifndef AXISIM_CLI_PATH
#error "AXISIM_CLI_PATH must be defined to the axisim executable"
#endif

using Catch::Matchers::Contains;

namespace {

const std::string kCli = AXISIM_CLI_PATH;
constexpr int kExitPlugin = 6, kExitUsage = 2;

tu::ProcessResult cli(const std::vector<std::string>& args, const tu::TempDir& dir) {
  std::vector<std::string> argv{kCli};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = tu::run(argv, dir.path(), 60);
  UNSCOPED_INFO("axisim exit " << r.exit_code << (r.exited ? "" : " (did not exit normally)") << "\n--- stdout ---\n"
                               << r.out.substr(0, 2000) << "\n--- stderr ---\n" << r.err.substr(0, 2000));
  return r;
}

// Exited by itself (no signal, no hang) with `code`.
void check_exit(const tu::ProcessResult& r, int code) {
  CHECK_FALSE(r.timed_out);
  CHECK(r.signal == 0);
  REQUIRE(r.exited);
  CHECK(r.exit_code == code);
}

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
};

// Every line complete: as many fields as the header, each a number.
Csv parse_csv(const std::string& text) {
  Csv csv;
  const auto ls = tu::lines(text);
  REQUIRE_FALSE(ls.empty());
  csv.header = tu::split(ls[0], ',');
  for (std::size_t i = 1; i < ls.size(); ++i) {
    const auto fields = tu::split(ls[i], ',');
    INFO("line " << i + 1 << ": " << ls[i]);
    REQUIRE(fields.size() == csv.header.size());
    std::vector<double> row;
    for (const auto& f : fields) row.push_back(tu::parse_number(f));
    csv.rows.push_back(row);
  }
  return csv;
}

const std::string kTissue = pt::tissue_model_path();
const std::string kBoundary = pt::data("boundary_species.xml");

// Twice the plugins' reference free IGF-1, as --set takes it.
std::string twice_igf() {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", 2.0 * pt::references().igf);
  return buf;
}

}  // namespace

TEST_CASE("a plugin that throws, returns NaN or returns a failure stops the run: exit 6, named, rows kept",
          "[plugins][faults][cli]") {
  struct Case {
    const char* plugin;
    const char* what;
  };
  const Case c = GENERATE(Case{"fault-throw", "threw an exception in derivatives"},
                          Case{"fault-nan", "returned a non-finite derivative for 'x'"},
                          Case{"fault-status", "reported failure (status 42) in derivatives"},
                          Case{"fault-unset", "did not set the derivative for 'y'"});
  const bool to_file = GENERATE(true, false);
  INFO(c.plugin << (to_file ? " (-o file)" : " (stdout)"));
  tu::TempDir dir;
  const std::string out = dir.file("out.csv");
  std::vector<std::string> args{"simulate", kTissue, "--plugin", pt::test_plugin_path(c.plugin), "--end", "10", "--steps", "10"};
  if (to_file) args.insert(args.end(), {"-o", out});
  const auto r = cli(args, dir);
  check_exit(r, kExitPlugin);
  CHECK_THAT(r.err, Contains(std::string("plugin '") + c.plugin + "' " + c.what));
  CHECK_THAT(r.err, Contains("at t = 4.5"));  // t_fault: the solver reaches it, not the output grid
  // What the exception said is kept.
  if (std::string(c.plugin) == "fault-throw") CHECK_THAT(r.err, Contains(": test plugin: deliberate exception"));
  CHECK_THAT(r.err, Contains("results up to t = "));

  const Csv csv = parse_csv(to_file ? tu::read_file(out) : r.out);
  CHECK(csv.header == std::vector<std::string>{"time", "Bu_col", std::string(c.plugin) + ".input",
                                               std::string(c.plugin) + ".x2y2"});
  // The plugin fails from t = 4.5: rows 0, 1, ..., 4 at most, each complete and right.
  REQUIRE(csv.rows.size() >= 4);
  REQUIRE(csv.rows.size() <= 5);
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    CHECK(row[0] == static_cast<double>(i));
    CHECK_THAT(row[1], Catch::Matchers::WithinRel(20.0 * std::exp(-0.1 * row[0]), 1e-5));
    CHECK(row[2] == row[1]);
    CHECK_THAT(row[3], Catch::Matchers::WithinAbs(1.0, 1e-4));
  }
  CHECK_THAT(r.err, Contains("results up to t = " + std::to_string(csv.rows.size() - 1)));
}

TEST_CASE("a fault during a run through the API: Result::error names the plugin, rows so far kept", "[plugins][faults]") {
  for (const char* name : {"fault-throw", "fault-nan", "fault-status", "fault-unset"}) {
    INFO(name);
    axisim::Model m = pt::tissue_model();
    m.attach(pt::load_test(name));
    const axisim::Result r = pt::run(m, 10.0, 10);
    CHECK_THAT(r.error, Contains(std::string("plugin '") + name + "'"));
    CHECK(r.rows() >= 4);
    CHECK(r.rows() <= 5);
    CHECK(r.at(r.rows() - 1, 0) < 4.5);
    // The same plugin, told to fail later than the run ends, completes it.
    axisim::Model late = pt::tissue_model();
    late.attach(pt::load_test(name), {{"t_fault", 100.0}});
    const axisim::Result ok = pt::run(late, 10.0, 10);
    CHECK(ok.error.empty());
    CHECK(ok.rows() == 11);
  }
}

TEST_CASE("missing plugins: exit 6 and a message naming what was asked for", "[plugins][faults][cli]") {
  tu::TempDir dir;
  SECTION("a path that does not exist") {
    const auto r = cli({"simulate", kTissue, "--plugin", "/nonexistent/x.so"}, dir);
    check_exit(r, kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin '/nonexistent/x.so'") && Contains("no such file"));
    CHECK(r.out.empty());
  }
  SECTION("a name not on the plugin path") {
    const auto r = cli({"simulate", kTissue, "--plugin", "nosuch", "--plugin-dir", dir.path()}, dir);
    check_exit(r, kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin 'nosuch'") && Contains("not found") && Contains("axisim-plugin-nosuch.so"));
    CHECK_THAT(r.err, Contains(dir.path()));  // the directories searched are listed
  }
  SECTION("plugins info for a name not on the plugin path") {
    const auto r = cli({"plugins", "info", "nosuch"}, dir);
    check_exit(r, kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin 'nosuch'"));
  }
}

TEST_CASE("a library that is not a plugin, and a plugin of another ABI version, are refused", "[plugins][faults][cli]") {
  tu::TempDir dir;
  SECTION("no entry point") {
    const std::string path = pt::test_plugin_path("not-a-plugin");
    REQUIRE(std::filesystem::exists(path));
    const auto r = cli({"simulate", kTissue, "--plugin", path}, dir);
    check_exit(r, kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin '" + path + "'") && Contains("is not an axisim plugin") &&
                          Contains("axisim_plugin_entry"));
    // By name, on the path.
    const auto by_name = cli({"simulate", kTissue, "--plugin-dir", pt::kTestPluginDir, "--plugin", "not-a-plugin"}, dir);
    check_exit(by_name, kExitPlugin);
    CHECK_THAT(by_name.err, Contains("plugin 'not-a-plugin'") && Contains("is not an axisim plugin"));
    const std::string msg = pt::error_of([&] { axisim::Plugin::load(path); }, axisim::ErrorKind::Plugin);
    CHECK_THAT(msg, Contains("not an axisim plugin"));
  }
  SECTION("ABI version 99") {
    const auto r = cli({"simulate", kTissue, "--plugin-dir", pt::kTestPluginDir, "--plugin", "fault-abi"}, dir);
    check_exit(r, kExitPlugin);
    CHECK_THAT(r.err, Contains("plugin 'fault-abi'") && Contains("ABI version 99") && Contains("supports versions 1 to 2"));
    const std::string msg = pt::error_of([&] { pt::load_test("fault-abi"); }, axisim::ErrorKind::Plugin);
    CHECK_THAT(msg, Contains("rebuild"));
  }
  SECTION("plugins list shows them as unusable, without failing on the good ones") {
    const auto r = cli({"plugins", "list", "--plugin-dir", pt::kTestPluginDir}, dir);
    check_exit(r, kExitPlugin);
    CHECK_THAT(r.out, Contains("(unusable)") && Contains("axisim-plugin-not-a-plugin.so") &&
                          Contains("axisim-plugin-fault-abi.so"));
    CHECK_THAT(r.out, Contains("test-ok 0.0.1") && Contains("bone 2.0.0") && Contains("gut-barrier 1.1.0"));
  }
}

TEST_CASE("plugins list and info on the shipped plugins", "[plugins][cli]") {
  tu::TempDir dir;
  const auto list = cli({"plugins", "list", "--plugin-dir", pt::kBuildPluginDir}, dir);
  check_exit(list, 0);
  for (const char* name : {"bone", "bone-linear", "muscle", "metabolic", "gut-barrier"}) {
    CHECK_THAT(list.out, Contains(std::string("  ") + name + " " + pt::shipped_version(name)) &&
                             Contains(pt::plugin_path(name)));
  }
  // The test plugins live in their own directory, not on the default path.
  CHECK_THAT(list.out, !Contains("fault-") && !Contains("unusable"));

  const auto info = cli({"plugins", "info", "gut-barrier", "--plugin-dir", pt::kBuildPluginDir}, dir);
  check_exit(info, 0);
  CHECK_THAT(info.out, Contains("gut-barrier 1.1.0 (plugin ABI 2)") && Contains("Bu_epi [mM]") &&
                           Contains("k_r = 0.006418 [1/h]") && Contains("--plugin-param gut-barrier.NAME=VALUE") &&
                           Contains("drives parameter barrier_integrity in [0, INF] [dimensionless]") && Contains("T = 1 [1] in [0, INF]") &&
                           Contains("gut-barrier.NAME"));
  // Defaults with every digit (what --plugin-param would have to repeat to get the same run).
  const auto test_ok = cli({"plugins", "info", "test-ok", "--plugin-dir", pt::kTestPluginDir}, dir);
  check_exit(test_ok, 0);
  CHECK_THAT(test_ok.out, Contains("omega = 6.283185307179586 [1/time]"));
  // Version 2's appended fields, as declared.
  const auto roots = cli({"plugins", "info", "test-roots", "--plugin-dir", pt::kTestPluginDir}, dir);
  check_exit(roots, 0);
  CHECK_THAT(roots.out, Contains("root functions: 1 (the integrator stops at their zeros)"));
  const auto drive = cli({"plugins", "info", "test-drive-input", "--plugin-dir", pt::kTestPluginDir}, dir);
  check_exit(drive, 0);
  CHECK_THAT(drive.out, Contains("  Bu_col [mmol/l] (read by drive)"));
}

TEST_CASE("binding errors: clear Error(Plugin) messages naming the plugin and the id", "[plugins][faults][cli]") {
  tu::TempDir dir;
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> says;
  };
  const Case c = GENERATE_COPY(
      // an input id the model lacks
      Case{{"simulate", kBoundary, "--plugin", pt::plugin_path("bone")},
           {"plugin 'bone' reads 'IGF_f'", "model 'boundary_species' does not have"}},
      Case{{"simulate", kTissue, "--plugin", pt::test_plugin_path("test-missing-input")},
           {"plugin 'test-missing-input' reads 'no_such_id'"}},
      // an unknown --plugin-param
      Case{{"simulate", kTissue, "--plugin-dir", pt::kBuildPluginDir, "--plugin", "muscle", "--plugin-param",
            "muscle.nosuch=1"},
           {"plugin 'muscle' has no parameter 'nosuch'", "k_d, a_M, IGF_ref, M_ref"}},
      // a flux on a boundary species
      Case{{"simulate", kBoundary, "--plugin", pt::test_plugin_path("test-flux-boundary")},
           {"plugin 'test-flux-boundary' adds a flux to 'S_b'", "boundary"}},
      // two plugins driving the same parameter
      Case{{"simulate", kTissue, "--plugin", pt::plugin_path("gut-barrier"), "--plugin",
            pt::test_plugin_path("test-drive")},
           {"plugins 'gut-barrier' and 'test-drive' both drive 'barrier_integrity'"}},
      // driving a constant parameter
      Case{{"simulate", kTissue, "--plugin", pt::test_plugin_path("test-drive-constant")},
           {"plugin 'test-drive-constant' drives 'k_abs'", "not a parameter free to drive"}},
      // the same plugin twice
      Case{{"simulate", kTissue, "--plugin", pt::plugin_path("muscle"), "--plugin", pt::plugin_path("muscle")},
           {"plugin 'muscle' is attached twice"}});
  const auto r = cli(c.args, dir);
  check_exit(r, kExitPlugin);
  for (const auto& s : c.says) CHECK_THAT(r.err, Contains(s));
  CHECK(r.out.empty());  // refused before the run: no CSV
}

TEST_CASE("binding errors through the API are Error(Plugin) and leave the model usable", "[plugins][faults]") {
  axisim::Model m = pt::tissue_model();
  m.attach(pt::load("gut-barrier"));
  std::string msg = pt::error_of([&] { m.attach(pt::load_test("test-drive")); }, axisim::ErrorKind::Plugin);
  CHECK_THAT(msg, Contains("both drive 'barrier_integrity'"));
  msg = pt::error_of([&] { m.attach(pt::load("muscle"), {{"nosuch", 1.0}}); }, axisim::ErrorKind::Plugin);
  CHECK_THAT(msg, Contains("plugin 'muscle' has no parameter 'nosuch'"));
  // Neither failed attach left anything behind.
  REQUIRE(m.plugins().size() == 1);
  CHECK(m.plugins()[0].name == "gut-barrier");
  const axisim::Result r = pt::run(m, 10.0, 2);
  CHECK(r.error.empty());
  CHECK(r.cols() == 5);  // time, Bu_col and gut-barrier's three outputs

  // A driven parameter's value cannot be set, before or after the attach: the plugin would
  // overwrite it at every step.
  msg = pt::error_of([&] { m.set_value("barrier_integrity", 0.5); }, axisim::ErrorKind::Usage);
  CHECK_THAT(msg, Contains("'barrier_integrity' is driven by plugin 'gut-barrier'"));
  axisim::Model set_first = pt::tissue_model();
  set_first.set_value("barrier_integrity", 0.5);
  msg = pt::error_of([&] { set_first.attach(pt::load("gut-barrier")); }, axisim::ErrorKind::Plugin);
  CHECK_THAT(msg, Contains("plugin 'gut-barrier' drives 'barrier_integrity', whose value was set"));
  CHECK(set_first.plugins().empty());

  axisim::Model b = axisim::Model::from_file(kBoundary);
  msg = pt::error_of([&] { b.attach(pt::load_test("test-flux-boundary")); }, axisim::ErrorKind::Plugin);
  CHECK_THAT(msg, Contains("'S_b'"));
  msg = pt::error_of([&] { b.attach(pt::load("metabolic")); }, axisim::ErrorKind::Plugin);
  CHECK_THAT(msg, Contains("plugin 'metabolic' reads 'Ac_p'"));
}

TEST_CASE("plugin-param option sets a parameter: malformed or for a plugin not attached it is a usage error",
          "[plugins][cli]") {
  tu::TempDir dir;
  SECTION("sets the parameter") {
    const auto r = cli({"simulate", kTissue, "--plugin-dir", pt::kBuildPluginDir, "--plugin", "muscle", "--plugin-param",
                        "muscle.k_d=0.01", "--plugin-param", "muscle.a_M=0.2", "--set", "IGF_f=" + twice_igf(), "--end",
                        "100", "--steps", "1", "--select", "muscle.M"},
                       dir);
    check_exit(r, 0);
    const Csv csv = parse_csv(r.out);
    REQUIRE(csv.rows.size() == 2);
    // Saturating drive: 1 + a_M (h(2) - h(1)), h(f) = f / (f + K_M), K_M = 1.5: 1 + 0.2 (2/3.5 - 1/2.5).
    const double M_inf = 28.0 * (1.0 + 0.2 * (2.0 / 3.5 - 1.0 / 2.5));
    CHECK_THAT(csv.rows[1][1], Catch::Matchers::WithinRel(M_inf + (28.0 - M_inf) * std::exp(-1.0), 1e-6));
  }
  SECTION("a plugin not attached") {
    const auto r = cli({"simulate", kTissue, "--plugin-param", "bone.a_IGF=1"}, dir);
    check_exit(r, kExitUsage);
    CHECK_THAT(r.err, Contains("no plugin 'bone' is attached"));
  }
  SECTION("the same parameter twice") {
    const auto r = cli({"simulate", kTissue, "--plugin", pt::plugin_path("muscle"), "--plugin-param", "muscle.k_d=0.01",
                        "--plugin-param", "muscle.k_d=0.02"},
                       dir);
    check_exit(r, kExitUsage);
    CHECK_THAT(r.err, Contains("--plugin-param muscle.k_d is given more than once"));
    CHECK(r.out.empty());
  }
  SECTION("a value out of a double's range, or not a number") {
    for (const char* bad : {"muscle.k_d=1e400", "muscle.k_d=-1e999", "muscle.k_d=nan", "muscle.k_d=inf"}) {
      INFO(bad);
      const auto r = cli({"simulate", kTissue, "--plugin", pt::plugin_path("muscle"), "--plugin-param", bad}, dir);
      check_exit(r, kExitUsage);
      CHECK_THAT(r.err, Contains("is not a finite number"));
    }
    const auto r = cli({"simulate", kTissue, "--set", "IGF_f=1e400"}, dir);
    check_exit(r, kExitUsage);
    CHECK_THAT(r.err, Contains("--set IGF_f=1e400: '1e400' is not a finite number"));
  }
  SECTION("malformed") {
    for (const char* bad : {"muscle.k_d", "k_d=1", "muscle.k_d=abc", "muscle.=1"}) {
      INFO(bad);
      const auto r = cli({"simulate", kTissue, "--plugin", pt::plugin_path("muscle"), "--plugin-param", bad}, dir);
      check_exit(r, kExitUsage);
      CHECK_THAT(r.err, Contains("--plugin-param"));
    }
  }
}

// --plugin-param PLUGIN.PARAM=VALUE names the plugin by its own name, however --plugin found it
// (a path included).
TEST_CASE("plugin-param option by the plugin's name when the plugin was given by path", "[plugins][cli]") {
  tu::TempDir dir;
  const auto r = cli({"simulate", kTissue, "--plugin", pt::plugin_path("muscle"), "--plugin-param", "muscle.k_d=0.01",
                      "--set", "IGF_f=" + twice_igf(), "--end", "100", "--steps", "1", "--select", "muscle.M"},
                     dir);
  check_exit(r, 0);
  const Csv csv = parse_csv(r.out);
  REQUIRE(csv.rows.size() == 2);
  const double M_inf = 28.0 * (1.0 + 0.25 * (2.0 / 3.5 - 1.0 / 2.5));  // a_M 0.25, K_M 1.5 (defaults)
  CHECK_THAT(csv.rows[1][1], Catch::Matchers::WithinRel(M_inf + (28.0 - M_inf) * std::exp(-1.0), 1e-6));
}
