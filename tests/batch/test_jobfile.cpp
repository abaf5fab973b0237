// test_jobfile.cpp — job files: layering, scans (grid, log-grid, random, Latin hypercube),
// reproducibility, and the errors a modeller sees for a wrong file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "axisim/batch.hpp"
#include "axisim/error.hpp"

using namespace axisim::batch;

namespace {

const std::string kData = AXISIM_BATCH_TEST_DATA;

JobList parse(const std::string& text) { return parse_job_text(text, "jobs.toml", kData); }

double value(const Job& job, const std::string& id) {
  for (const auto& [k, v] : job.set)
    if (k == id) return v;
  FAIL("job " << job.id << " does not set " << id);
  return NAN;
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const axisim::Error& e) {
    CHECK(e.kind() == axisim::ErrorKind::Usage);
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("jobs take [defaults], then their own table, paths are relative to the file") {
  const JobList list = parse(R"(
[defaults]
model = "brusselator.xml"
simulation = { end = 20, steps = 40, rtol = 1e-9 }
select = ["x"]
set = { a = 1.5 }
output = "final"

[[job]]
id = "one"

[[job]]
id = "two"
simulation = { steps = 10 }
set = { a = 2, b = 4 }
select = ["x", "y"]
output = "summary"
statistics = ["max", "auc"]
plugins = { bone = { k_form = 0.02 } }
)");
  REQUIRE(list.jobs.size() == 2);
  const Job& one = list.jobs[0];
  CHECK(one.id == "one");
  CHECK(one.model_path == (std::filesystem::absolute(kData) / "brusselator.xml").lexically_normal().string());
  CHECK(one.options.end == 20);
  CHECK(one.options.steps == 40);
  CHECK(one.options.rtol == 1e-9);
  CHECK(one.output == OutputMode::Final);
  CHECK(format_overrides(one) == "a=1.5");
  const Job& two = list.jobs[1];
  CHECK(two.options.end == 20);
  CHECK(two.options.steps == 10);
  CHECK(format_overrides(two) == "a=2;b=4");
  CHECK(two.select == std::vector<std::string>{"x", "y"});
  CHECK(two.output == OutputMode::Summary);
  CHECK(two.statistics == std::vector<std::string>{"max", "auc"});
  REQUIRE(two.plugins.size() == 1);
  CHECK(two.plugins[0].name == "bone");
  CHECK(two.plugins[0].parameters == std::vector<std::pair<std::string, double>>{{"k_form", 0.02}});
}

TEST_CASE("a job may take a scenario file, [defaults] and the job's table apply on top") {
  const JobList list = parse(R"(
[defaults]
simulation = { steps = 5 }

[[job]]
scenario = "scenario.toml"

[[job]]
id = "faster"
scenario = "scenario.toml"
set = { b = 2.5 }
)");
  REQUIRE(list.jobs.size() == 2);
  CHECK(list.jobs[0].id == "oscillating");  // the scenario's name
  CHECK(list.jobs[0].options.end == 30);   // from the scenario
  CHECK(list.jobs[0].options.steps == 5);  // [defaults] over the scenario
  CHECK(format_overrides(list.jobs[0]) == "b=3.2");
  CHECK(list.jobs[0].select == std::vector<std::string>{"x", "y"});
  CHECK(format_overrides(list.jobs[1]) == "b=2.5");
}

TEST_CASE("grid and log-grid scans are the Cartesian product, first id slowest, in file order") {
  const JobList list = parse(R"(
[defaults]
model = "brusselator.xml"
[[scan]]
id = "s"
loggrid = { b = { from = 0.01, to = 100, n = 5 } }
grid = { a = [1, 2, 3] }
set = { x = 0.5 }
)");
  REQUIRE(list.jobs.size() == 15);
  CHECK(list.jobs[0].id == "s_00");
  CHECK(list.jobs[14].id == "s_14");
  // b is declared first, so it varies slowest.
  const std::vector<double> bs{0.01, 0.1, 1, 10, 100};
  for (std::size_t i = 0; i < 15; ++i) {
    CHECK(value(list.jobs[i], "b") == Approx(bs[i / 3]).epsilon(1e-14));
    CHECK(value(list.jobs[i], "a") == static_cast<double>(i % 3 + 1));
    CHECK(value(list.jobs[i], "x") == 0.5);
  }
  CHECK(value(list.jobs[0], "b") == 0.01);  // the ends are exact
  CHECK(value(list.jobs[14], "b") == 100);

  const JobList linear = parse(R"(
[[scan]]
id = "lin"
model = "brusselator.xml"
grid = { a = { from = 0, to = 1, n = 11 } }
)");
  REQUIRE(linear.jobs.size() == 11);
  CHECK(value(linear.jobs[10], "a") == 1.0);
  CHECK(value(linear.jobs[5], "a") == Approx(0.5));
}

TEST_CASE("Latin hypercube samples put one point in every stratum of every id") {
  const JobList list = parse(R"(
[[scan]]
id = "u"
model = "brusselator.xml"
samples = 50
seed = 123
lhs = { a = { low = 1, high = 2 }, b = { low = 0.1, high = 1000, log = true } }
)");
  REQUIRE(list.jobs.size() == 50);
  std::set<int> strata_a, strata_b;
  for (const Job& j : list.jobs) {
    const double a = value(j, "a"), b = value(j, "b");
    REQUIRE(a >= 1);
    REQUIRE(a < 2);
    REQUIRE(b >= 0.1);
    REQUIRE(b < 1000);
    strata_a.insert(static_cast<int>((a - 1) * 50));
    strata_b.insert(static_cast<int>((std::log10(b) + 1) / 4 * 50));
  }
  CHECK(strata_a.size() == 50);
  CHECK(strata_b.size() == 50);
}

TEST_CASE("random and LHS scans are reproducible from their seed and combine with grids") {
  const std::string text = R"(
[[scan]]
id = "r"
model = "brusselator.xml"
grid = { a = [1, 2] }
random = { b = { low = 2, high = 4 } }
samples = 4
seed = 99
)";
  const JobList one = parse(text), two = parse(text);
  REQUIRE(one.jobs.size() == 8);
  for (std::size_t i = 0; i < 8; ++i) {
    CHECK(one.jobs[i].id == two.jobs[i].id);
    CHECK(format_overrides(one.jobs[i]) == format_overrides(two.jobs[i]));
  }
  // The same samples at every grid point (common random numbers), all distinct.
  std::set<double> bs;
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(value(one.jobs[i], "b") == value(one.jobs[i + 4], "b"));
    CHECK(value(one.jobs[i], "a") == 1);
    CHECK(value(one.jobs[i + 4], "a") == 2);
    bs.insert(value(one.jobs[i], "b"));
  }
  CHECK(bs.size() == 4);
  std::string other = text;
  other.replace(other.find("seed = 99"), 9, "seed = 98");
  CHECK(format_overrides(parse(other).jobs[0]) != format_overrides(one.jobs[0]));
  // A fixed value: this generator (std::mt19937_64, 53-bit uniform) must not drift between
  // builds, or resumed and MPI runs would disagree with earlier ones.
  CHECK(format_overrides(one.jobs[0]) == "a=1;b=2.869089028869187");
}

TEST_CASE("Sobol scans: a seeded (0, m, 2)-net in the first two ids, every stratum of every id once") {
  const std::string text = R"(
[[scan]]
id = "q"
model = "brusselator.xml"
samples = 64
seed = 7
sobol = { a = { low = 0, high = 1 }, b = { low = 0, high = 1 }, c = { low = 1, high = 100, log = true }, d = { low = -1, high = 1 } }
)";
  const JobList list = parse(text);
  REQUIRE(list.jobs.size() == 64);
  std::vector<double> a, b, c, d;
  for (const Job& j : list.jobs) {
    a.push_back(value(j, "a"));
    b.push_back(value(j, "b"));
    c.push_back(value(j, "c"));
    d.push_back(value(j, "d"));
  }
  // Every coordinate: the 64 points fill the 64 equal strata once each (log strata for c).
  for (const auto* x : {&a, &b}) {
    std::set<int> strata;
    for (double v : *x) strata.insert(static_cast<int>(v * 64));
    CHECK(strata.size() == 64);
  }
  std::set<int> sc, sd;
  for (double v : c) sc.insert(static_cast<int>(std::log10(v) / 2 * 64));
  for (double v : d) sd.insert(static_cast<int>((v + 1) / 2 * 64));
  CHECK(sc.size() == 64);
  CHECK(sd.size() == 64);
  // Dimensions 1 and 2 of Sobol's sequence are a (0, 6, 2)-net: every dyadic box of area 1/64
  // (2^-k by 2^-(6-k)) holds exactly one point; a random digital shift keeps that.
  for (int k = 0; k <= 6; ++k) {
    std::set<std::pair<int, int>> boxes;
    for (std::size_t i = 0; i < a.size(); ++i)
      boxes.insert({static_cast<int>(a[i] * (1 << k)), static_cast<int>(b[i] * (1 << (6 - k)))});
    INFO("boxes of 2^-" << k << " by 2^-" << 6 - k);
    CHECK(boxes.size() == 64);
  }
  // Seeded: the same file gives the same points, another seed other points; a fixed value
  // guards the direction numbers and the shift against drifting between builds.
  CHECK(format_overrides(parse(text).jobs[5]) == format_overrides(list.jobs[5]));
  std::string other = text;
  other.replace(other.find("seed = 7"), 8, "seed = 8");
  CHECK(format_overrides(parse(other).jobs[5]) != format_overrides(list.jobs[5]));
  CHECK(format_overrides(list.jobs[0]) ==
        "a=0.7543853039387614;b=0.9493012027814984;c=1.7172303756912992;d=0.7838263530284166");
  // Point 0 is the shift itself; point 1 differs from it by the first direction numbers (1/2 in
  // dimensions 1 and 2), point 2 by the second (1/4 in dimension 1, 3/4 in dimension 2: Joe-Kuo).
  const auto bits = [](double u) { return static_cast<std::uint32_t>(u * 4294967296.0); };
  CHECK((bits(a[1]) ^ bits(a[0])) == 0x80000000u);
  CHECK((bits(b[1]) ^ bits(b[0])) == 0x80000000u);
  CHECK((bits(a[2]) ^ bits(a[0])) == 0x40000000u);
  CHECK((bits(b[2]) ^ bits(b[0])) == 0xC0000000u);
}

TEST_CASE("saltelli = true: per Sobol point, A, A with each id taken from B, then B") {
  const JobList list = parse(R"(
[[scan]]
id = "sa"
model = "brusselator.xml"
grid = { g = [1, 2] }
samples = 8
seed = 3
saltelli = true
sobol = { a = { low = 0, high = 1 }, b = { low = 10, high = 20 }, c = { low = 0.1, high = 10, log = true } }
)");
  // 2 grid points x 8 points x (3 + 2) rows.
  REQUIRE(list.jobs.size() == 80);
  CHECK(list.jobs.front().id == "sa_00");
  const std::vector<std::string> ids = {"a", "b", "c"};
  std::set<double> as;
  for (std::size_t block = 0; block < 16; ++block) {
    const Job& A = list.jobs[block * 5];
    const Job& B = list.jobs[block * 5 + 4];
    as.insert(value(A, "a"));
    for (std::size_t i = 0; i < 3; ++i) {
      const Job& ab = list.jobs[block * 5 + 1 + i];
      for (std::size_t k = 0; k < 3; ++k)
        CHECK(value(ab, ids[k]) == (k == i ? value(B, ids[k]) : value(A, ids[k])));
      CHECK(value(ab, "g") == value(A, "g"));
    }
    for (const auto& id : ids) CHECK(value(A, id) != value(B, id));
  }
  // The same 8 points at both grid points (common random numbers), 8 distinct A's.
  CHECK(as.size() == 8);
  CHECK(format_overrides(list.jobs[3]) != format_overrides(list.jobs[43]));
  CHECK(value(list.jobs[3], "b") == value(list.jobs[43], "b"));
}

TEST_CASE("a 10,000-job scan is a few lines") {
  const JobList list = parse(R"(
[[scan]]
id = "big"
model = "brusselator.xml"
grid = { a = { from = 1, to = 2, n = 10 } }
lhs = { b = { low = 2, high = 4 } }
samples = 1000
seed = 1
output = "final"
)");
  REQUIRE(list.jobs.size() == 10000);
  CHECK(list.jobs.front().id == "big_0000");
  CHECK(list.jobs.back().id == "big_9999");
}

TEST_CASE("mistakes in a job file name the file, the line and the key") {
  CHECK_THAT(error_of("[[scan]]\nid = \"s\"\nmodel = \"m.xml\"\nsamples = 4\nseed = 1\nsobol = { k = { low = 1, high = 2 } }\nlhs = { j = { low = 1, high = 2 } }\n"),
             Catch::Contains("sobol cannot be combined with random or lhs"));
  CHECK_THAT(error_of("[[scan]]\nid = \"s\"\nmodel = \"m.xml\"\nsamples = 4\nseed = 1\nsaltelli = true\nlhs = { j = { low = 1, high = 2 } }\n"),
             Catch::Contains("'saltelli' needs sobol axes"));
  CHECK_THAT(error_of("[[scan]]\nid = \"s\"\nmodel = \"m.xml\"\nsamples = 4\nsobol = { k = { low = 1, high = 2 } }\n"),
             Catch::Contains("need a 'seed'"));
  CHECK_THAT(error_of("[[job]]\nid = \"a\"\nmodel = \"m.xml\"\nfoo = 1\n"), Catch::Contains("jobs.toml:4") && Catch::Contains("'foo'"));
  CHECK_THAT(error_of("[[job]]\nid = \"a\"\n"), Catch::Contains("no model"));
  CHECK_THAT(error_of("[[job]]\nid = \"a\"\nmodel = \"m.xml\"\n[[job]]\nid = \"a\"\nmodel = \"m.xml\"\n"),
             Catch::Contains("'a' is used twice"));
  CHECK_THAT(error_of("[[job]]\nid = \"a/b\"\nmodel = \"m.xml\"\n"), Catch::Contains("letters, digits"));
  CHECK_THAT(error_of("[[scan]]\nid = \"s\"\nmodel = \"m.xml\"\nrandom = { k = { low = 1, high = 2 } }\nsamples = 3\n"),
             Catch::Contains("seed"));
  CHECK_THAT(error_of("[[scan]]\nid = \"s\"\nmodel = \"m.xml\"\n"), Catch::Contains("varies nothing"));
  CHECK_THAT(error_of("[[scan]]\nid = \"s\"\nmodel = \"m.xml\"\nloggrid = { k = { from = 0, to = 1, n = 3 } }\n"),
             Catch::Contains("from > 0"));
  CHECK_THAT(error_of("[[job]]\nid = \"a\"\nmodel = \"m.xml\"\noutput = \"everything\"\n"), Catch::Contains("'output'"));
  CHECK_THAT(error_of("[[job]]\nid = \"a\"\nmodel = \"m.xml\"\nstatistics = [\"median\"]\n"), Catch::Contains("median"));
  CHECK_THAT(error_of("[[job]]\nid = \"a\"\nmodel = \"m.xml\"\nsimulation = { stop = 3 }\n"), Catch::Contains("'stop'"));
  CHECK_THAT(error_of("[job]\nid = 3\n"), Catch::Contains("[[job]]"));
  CHECK_THAT(error_of("x = \n"), Catch::Contains("jobs.toml:1"));
  CHECK_THAT(error_of("# nothing\n"), Catch::Contains("no jobs"));
}

TEST_CASE("set tables take dotted keys as PLUGIN.PARAM ids") {
  const JobList list = parse(R"(
[[job]]
id = "p"
model = "brusselator.xml"
plugins = { bone = {} }
set = { bone.k_form = 0.5, "a" = 2 }
)");
  REQUIRE(list.jobs.size() == 1);
  CHECK(format_overrides(list.jobs[0]) == "bone.k_form=0.5;a=2");
}

TEST_CASE("jobs choose the linear solver and the Jacobian by name") {
  const JobList list = parse(R"(
[defaults]
model = "brusselator.xml"
simulation = { linear_solver = "sparse" }

[[job]]
id = "one"

[[job]]
id = "two"
simulation = { linear_solver = "iterative", jacobian = "numeric" }
)");
  REQUIRE(list.jobs.size() == 2);
  CHECK(list.jobs[0].options.linear_solver == axisim::LinearSolver::Sparse);
  CHECK(list.jobs[0].options.jacobian == axisim::JacobianKind::Auto);
  CHECK(list.jobs[1].options.linear_solver == axisim::LinearSolver::Iterative);
  CHECK(list.jobs[1].options.jacobian == axisim::JacobianKind::Numeric);
  CHECK(error_of("[[job]]\nid = \"x\"\nmodel = \"brusselator.xml\"\nsimulation = { jacobian = \"exact\" }\n")
            .find("jacobian must be") != std::string::npos);
}

TEST_CASE("Stochastic jobs: kind, replicates and seed, and their errors", "[jobfile]") {
  const JobList list = parse(R"(
[defaults]
model = "brusselator.xml"
kind = "ssa"
simulation = { end = 5, steps = 5, replicates = 2000, seed = 9 }

[[job]]
id = "ensemble"

[[job]]
id = "course"
kind = "ode"
)");
  REQUIRE(list.jobs.size() == 2);
  CHECK(list.jobs[0].kind == JobKind::Ssa);
  CHECK(list.jobs[0].replicates == 2000);
  CHECK(list.jobs[0].options.seed == 9);
  CHECK(list.jobs[1].kind == JobKind::Ode);
  CHECK(error_of("[[job]]\nid = \"a\"\nmodel = \"m.xml\"\nkind = \"gillespie\"\n").find("jobs.toml:4: 'kind' must be") !=
        std::string::npos);
  CHECK(error_of("[[job]]\nid = \"a\"\nmodel = \"m.xml\"\nsimulation = { replicates = 10 }\n")
            .find("jobs.toml:4: 'replicates' is for stochastic jobs") != std::string::npos);
  CHECK(error_of("[[job]]\nid = \"a\"\nmodel = \"m.xml\"\nkind = \"ssa\"\nsimulation = { replicates = 0 }\n")
            .find("'replicates' must be at least 1") != std::string::npos);
  CHECK(error_of("[[job]]\nid = \"a\"\nmodel = \"m.xml\"\nkind = \"ssa\"\nplugins = { bone = {} }\n")
            .find("cannot attach tissue plugins") != std::string::npos);
}

TEST_CASE("ignore_fast and max_seconds: layered like the other keys, and their errors", "[jobfile]") {
  const JobList list = parse(R"(
[defaults]
model = "brusselator.xml"
ignore_fast = true
max_seconds = 30

[[job]]
id = "both"

[[job]]
id = "own"
ignore_fast = false
max_seconds = 0.25

[[scan]]
id = "s"
grid = { b = [1, 2] }
max_seconds = 2
)");
  REQUIRE(list.jobs.size() == 4);
  CHECK(list.jobs[0].ignore_fast);
  CHECK(list.jobs[0].options.max_seconds == 30);
  CHECK_FALSE(list.jobs[1].ignore_fast);
  CHECK(list.jobs[1].options.max_seconds == 0.25);
  CHECK(list.jobs[2].ignore_fast);
  CHECK(list.jobs[3].options.max_seconds == 2);
  // Without them: the model's fast reactions held, no limit.
  const JobList plain = parse("[[job]]\nid = \"p\"\nmodel = \"brusselator.xml\"\n");
  CHECK_FALSE(plain.jobs[0].ignore_fast);
  CHECK(plain.jobs[0].options.max_seconds == 0);

  CHECK(error_of("[[job]]\nid = \"x\"\nmodel = \"brusselator.xml\"\nignore_fast = 1\n") ==
        "jobs.toml:4: 'ignore_fast' must be true or false");
  CHECK(error_of("[[job]]\nid = \"x\"\nmodel = \"brusselator.xml\"\nmax_seconds = 0\n") ==
        "jobs.toml:4: 'max_seconds' must be a positive number of seconds");
  CHECK(error_of("[[job]]\nid = \"x\"\nmodel = \"brusselator.xml\"\nmax_seconds = \"1 h\"\n") ==
        "jobs.toml:4: 'max_seconds' must be a number");
  CHECK_THAT(error_of("[[job]]\nid = \"x\"\nmodel = \"brusselator.xml\"\nkind = \"steady\"\nmax_seconds = 5\n"),
             Catch::StartsWith("jobs.toml:5: 'max_seconds' is for time courses"));
  // [defaults]' limit applies to the time courses only.
  const JobList mixed = parse("[defaults]\nmax_seconds = 5\nmodel = \"brusselator.xml\"\n[[job]]\nid = \"s\"\n"
                              "kind = \"steady\"\n[[job]]\nid = \"t\"\n");
  CHECK(mixed.jobs[0].options.max_seconds == 0);
  CHECK(mixed.jobs[1].options.max_seconds == 5);
}

TEST_CASE("a steady job's steady table sets the solver's options, other kinds refuse it", "[jobfile]") {
  const JobList jobs = parse("[defaults]\nmodel = \"brusselator.xml\"\nsteady = { rtol = 1e-6 }\n[[job]]\nid = \"s\"\n"
                             "kind = \"steady\"\nsteady = { atol = 1e-9, max_iterations = 7, max_time = 50 }\n"
                             "[[job]]\nid = \"d\"\nkind = \"steady\"\n");
  const axisim::SteadyStateOptions defaults;
  CHECK(jobs.jobs[0].steady.rtol == 1e-6);  // from [defaults]
  CHECK(jobs.jobs[0].steady.atol == 1e-9);
  CHECK(jobs.jobs[0].steady.max_iterations == 7);
  CHECK(jobs.jobs[0].steady.max_integration_time == 50);
  CHECK(jobs.jobs[1].steady.rtol == 1e-6);
  CHECK(jobs.jobs[1].steady.atol == defaults.atol);
  CHECK(jobs.jobs[1].steady.max_iterations == defaults.max_iterations);
  CHECK_THAT(error_of("[[job]]\nid = \"x\"\nmodel = \"brusselator.xml\"\nsteady = { rtol = 1e-6 }\n"),
             Catch::StartsWith("jobs.toml:4: 'steady' (the solver's options) is for steady-state jobs"));
  CHECK(error_of("[[job]]\nid = \"x\"\nmodel = \"brusselator.xml\"\nkind = \"steady\"\nsteady = { rtol = 0 }\n") ==
        "jobs.toml:5: 'steady.rtol' must be a number above 0");
  CHECK_THAT(error_of("[[job]]\nid = \"x\"\nmodel = \"brusselator.xml\"\nkind = \"steady\"\nsteady = { method = \"newton\" }\n"),
             Catch::StartsWith("jobs.toml:5: unknown key 'method' in 'steady'"));
  CHECK(error_of("[[job]]\nid = \"x\"\nmodel = \"brusselator.xml\"\nkind = \"steady\"\nsteady = { max_iterations = 0 }\n") ==
        "jobs.toml:5: 'steady.max_iterations' must be a whole number from 1 to 1e9");
}

TEST_CASE("a scenario file's ignore_fast reaches the jobs that take it", "[jobfile]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("axisim-jobfile-fast-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "fast.toml") << "name = \"fast\"\nmodel = \"" << kData << "/all_fast.xml\"\nignore_fast = true\n";
  const JobList list = parse_job_text("[[job]]\nscenario = \"fast.toml\"\n[[job]]\nid = \"held\"\nscenario = \"fast.toml\"\n"
                                      "ignore_fast = false\n", "jobs.toml", dir.string());
  fs::remove_all(dir);
  REQUIRE(list.jobs.size() == 2);
  CHECK(list.jobs[0].id == "fast");
  CHECK(list.jobs[0].ignore_fast);
  CHECK_FALSE(list.jobs[1].ignore_fast);  // the job's table over the scenario
}
