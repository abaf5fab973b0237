// `axisim simulate --method ssa` (and the leaping methods' and the hybrid's options): output layouts, -j, bad input.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sbml_fixtures.hpp"
#include "test_util.hpp"

namespace {

using namespace fx;

const std::string kCli = AXISIM_CLI_PATH;

std::string birth_death() {
  Species x;
  x.id = "X";
  x.initial = 100;
  x.has_only_substance_units = true;
  Reaction b, d;
  b.id = "birth";
  b.reactants = {{"X", 1}};
  b.products = {{"X", 2}};
  b.kinetic_math = apply("times", {ci("l"), ci("X")});
  d.id = "death";
  d.reactants = {{"X", 1}};
  d.kinetic_math = apply("times", {ci("m"), ci("X")});
  return ModelBuilder("bd").compartment("C", 1).species(x).parameter("l", 0.1).parameter("m", 0.11).reaction(b).reaction(d).str();
}

}  // namespace

TEST_CASE("simulate --method ssa writes one trajectory of whole counts", "[stochastic][cli]") {
  tu::TempDir dir;
  tu::write_file(dir.file("bd.xml"), birth_death());
  const auto r = tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "ssa", "--end", "10", "--steps", "5",
                          "--seed", "3", "-o", dir.file("out.csv")},
                         dir.path());
  REQUIRE(r.exit_code == 0);
  const auto lines = tu::lines(tu::read_file(dir.file("out.csv")));
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == "time,X");
  CHECK(lines[1] == "0,100");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const double x = tu::parse_number(tu::split(lines[i], ',')[1]);
    CHECK(x == std::floor(x));
  }
}

TEST_CASE("simulate --method ssa --replicates writes X-mean and X-sd, the same for -j 1 and -j 2", "[stochastic][cli]") {
  tu::TempDir dir;
  tu::write_file(dir.file("bd.xml"), birth_death());
  auto run = [&](const std::string& j, const std::string& out) {
    return tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "ssa", "--replicates", "500", "-j", j, "--end",
                    "20", "--steps", "4", "-o", dir.file(out)},
                   dir.path());
  };
  REQUIRE(run("1", "one.csv").exit_code == 0);
  REQUIRE(run("2", "two.csv").exit_code == 0);
  const std::string one = tu::read_file(dir.file("one.csv")), two = tu::read_file(dir.file("two.csv"));
  CHECK(one == two);
  const auto lines = tu::lines(one);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == "time,X-mean,X-sd");
  CHECK(lines[1] == "0,100,0");
}

TEST_CASE("simulate --method ssa --replicates --all writes every trajectory", "[stochastic][cli]") {
  tu::TempDir dir;
  tu::write_file(dir.file("bd.xml"), birth_death());
  const auto r = tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "ssa", "--replicates", "3", "--all",
                          "--end", "1", "--steps", "2", "--select", "X,birth"},
                         dir.path());
  REQUIRE(r.exit_code == 0);
  const auto lines = tu::lines(r.out);
  REQUIRE(lines.size() == 1 + 3 * 3);
  CHECK(lines[0] == "replicate,time,X,birth");
  CHECK(tu::split(lines[1], ',')[0] == "0");
  CHECK(tu::split(lines[9], ',')[0] == "2");
  // The reaction's column is its rate, l X.
  const auto row = tu::split(lines[1], ',');
  CHECK(tu::parse_number(row[3]) == Approx(0.1 * tu::parse_number(row[2])));
}

TEST_CASE("simulate --method ssa refuses what it cannot mean, writing nothing", "[stochastic][cli]") {
  tu::TempDir dir;
  const std::string model = ModelBuilder("alg")
                                .compartment("C", 1)
                                .species("S", 1)
                                .parameter("y", 1, false)
                                .algebraic_rule(apply("minus", {ci("y"), ci("S")}))
                                .str();
  tu::write_file(dir.file("alg.xml"), model);
  const auto r = tu::run({kCli, "simulate", dir.file("alg.xml"), "--method", "ssa", "-o", dir.file("out.csv")}, dir.path());
  CHECK(r.exit_code == 3);
  CHECK(tu::contains(r.err, "alg.xml"));
  CHECK(tu::contains(r.err, "algebraic rule"));
  CHECK_FALSE(std::filesystem::exists(dir.file("out.csv")));
}

TEST_CASE("simulate --method ssa: bad options are usage errors", "[stochastic][cli]") {
  tu::TempDir dir;
  tu::write_file(dir.file("bd.xml"), birth_death());
  CHECK(tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "ssa", "--replicates", "0"}, dir.path()).exit_code == 2);
  CHECK(tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "ssa", "--all"}, dir.path()).exit_code == 2);
  CHECK(tu::run({kCli, "simulate", dir.file("bd.xml"), "--replicates", "5"}, dir.path()).exit_code == 2);
  CHECK(tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "gillespie"}, dir.path()).exit_code == 2);
  // --tau-delta belongs to the implicit and adaptive leaping methods, --tau-epsilon to the three leaping ones.
  CHECK(tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "tau-leap", "--tau-delta", "0.1"}, dir.path()).exit_code == 2);
  CHECK(tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "ssa", "--tau-epsilon", "0.1"}, dir.path()).exit_code == 2);
  CHECK(tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "implicit-tau-leap", "--tau-delta", "1.5"}, dir.path()).exit_code == 2);
  for (const char* method : {"implicit-tau-leap", "adaptive-tau-leap"}) {
    const auto ok = tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", method, "--tau-delta", "0.1", "--tau-epsilon",
                             "0.01", "--replicates", "20", "--end", "5", "--steps", "5", "--stats", "-o", dir.file("leap.csv")},
                            dir.path());
    INFO(method << ": " << ok.err);
    CHECK(ok.exit_code == 0);
    CHECK(tu::contains(ok.err, "implicit)"));  // --stats counts the implicit leaps
    CHECK(tu::lines(tu::read_file(dir.file("leap.csv"))).size() == 7);
  }
  const auto missing = tu::run({kCli, "simulate", dir.file("nothing.xml"), "--method", "ssa"}, dir.path());
  CHECK(missing.exit_code == 4);
  CHECK(tu::contains(missing.err, "nothing.xml"));
}

TEST_CASE("Models using the distrib package are refused: Debian's libSBML has no distrib", "[stochastic][cli]") {
  tu::TempDir dir;
  const std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" "
      "xmlns:distrib=\"http://www.sbml.org/sbml/level3/version1/distrib/version1\" level=\"3\" version=\"2\" "
      "distrib:required=\"true\"><model id=\"d\"><listOfParameters>"
      "<parameter id=\"x\" constant=\"true\"/></listOfParameters><listOfInitialAssignments>"
      "<initialAssignment symbol=\"x\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply>"
      "<csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/distrib/normal\"> normal </csymbol>"
      "<cn> 0 </cn><cn> 1 </cn></apply></math></initialAssignment></listOfInitialAssignments></model></sbml>\n";
  tu::write_file(dir.file("d.xml"), doc);
  const auto r = tu::run({kCli, "simulate", dir.file("d.xml"), "--method", "ssa", "--replicates", "10"}, dir.path());
  CHECK(r.exit_code == 3);
  CHECK(tu::contains(r.err, "'distrib'"));
  CHECK(tu::contains(r.err, "Debian's libSBML is built without distrib"));
}

TEST_CASE("simulate --method ssa refuses tissue plugins and species counted in different units, naming them",
          "[stochastic][cli]") {
  tu::TempDir dir;
  const auto plugin = tu::run({kCli, "simulate", AXISIM_FLAGSHIP_MODEL, "--plugin-dir", AXISIM_PLUGIN_DIR, "--plugin",
                               "bone", "--method", "ssa", "--end", "1", "--steps", "1", "-o", dir.file("out.csv")},
                              dir.path());
  CHECK(plugin.exit_code == 3);
  CHECK(tu::contains(plugin.err, "tissue plugin 'bone' is attached"));
  CHECK_FALSE(std::filesystem::exists(dir.file("out.csv")));
  // The flagship model's rate rules read their own variables (a hybrid run could integrate them),
  // but its reactions change species in grams and in moles: one event cannot be one molecule of each.
  const auto units = tu::run({kCli, "simulate", AXISIM_FLAGSHIP_MODEL, "--method", "ssa", "--end", "1", "--steps", "1"},
                             dir.path());
  CHECK(units.exit_code == 3);
  CHECK(tu::contains(units.err, "have substance units of different sizes"));
}

TEST_CASE("simulate --method hybrid: --switch-min makes X continuous (its ODE), the default keeps it discrete",
          "[stochastic][cli][tauhybrid]") {
  // Birth 0.1 X, death 0.11 X from 100: X's coefficient of variation is sqrt(21) / 99 = 0.046, above
  // the default switch_tol 0.03 (discrete: whole counts); with --switch-min 50 its expected next value
  // 99 is above 50 (continuous: every run 100 e^{-0.01 t}, the sd 0).
  tu::TempDir dir;
  tu::write_file(dir.file("bd.xml"), birth_death());
  const auto ode = tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "hybrid", "--switch-min", "50",
                            "--replicates", "10", "--end", "10", "--steps", "2", "--stats", "-o", dir.file("ode.csv")},
                           dir.path());
  INFO(ode.err);
  REQUIRE(ode.exit_code == 0);
  CHECK(tu::contains(ode.err, "continuous-discrete hybrid"));
  const auto lines = tu::lines(tu::read_file(dir.file("ode.csv")));
  REQUIRE(lines.size() == 4);
  const auto last = tu::split(lines[3], ',');
  CHECK(tu::parse_number(last[1]) == Approx(100 * std::exp(-0.1)).epsilon(1e-6));
  CHECK(tu::parse_number(last[2]) == 0);
  const auto counts = tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "hybrid", "--end", "10", "--steps", "5",
                               "--seed", "3", "-o", dir.file("one.csv")},
                              dir.path());
  REQUIRE(counts.exit_code == 0);
  const auto one = tu::lines(tu::read_file(dir.file("one.csv")));
  REQUIRE(one.size() == 7);
  for (std::size_t i = 1; i < one.size(); ++i) {
    const double x = tu::parse_number(tu::split(one[i], ',')[1]);
    CHECK(x == std::floor(x));
  }
  // --switch-tol and --switch-min belong to --method hybrid.
  CHECK(tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "ssa", "--switch-tol", "0.1"}, dir.path()).exit_code == 2);
  CHECK(tu::run({kCli, "simulate", dir.file("bd.xml"), "--method", "tau-leap", "--switch-min", "10"}, dir.path()).exit_code == 2);
}
