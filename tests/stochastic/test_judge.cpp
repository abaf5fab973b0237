// The stochastic suite runner's judge (tests/stochastic/suite): the suite's rule on small tables.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "stochastic_judge.hpp"

namespace {

suite::CsvTable table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows) {
  suite::CsvTable t;
  t.header = std::move(header);
  t.rows = std::move(rows);
  return t;
}

stochastic::StochasticSettings settings() {
  stochastic::StochasticSettings s;
  s.steps = 2;
  s.duration = 2;
  s.variables = {"X"};
  return s;
}

}  // namespace

TEST_CASE("Judge: Z and Y against the ranges, exact points where sigma is 0", "[stochastic][judge]") {
  const auto expected = table({"time", "X-mean", "X-sd"}, {{"0", "10", "0"}, {"1", "9", "2"}, {"2", "8", "3"}});
  // n = 10000: Z = 100 (m - mu) / sigma, Y = sqrt(5000) (s^2 / sigma^2 - 1).
  SECTION("inside") {
    const auto actual = table({"time", "X-mean", "X-sd"}, {{"0", "10", "0"}, {"1", "9.05", "2.01"}, {"2", "7.95", "3"}});
    const auto v = stochastic::judge(settings(), expected, actual, 10000, 0);
    CHECK(v.pass);
    CHECK(v.points == 4);
    CHECK(v.exact == 1);
    CHECK(v.outside() == 0);
    CHECK(v.worst_z == Approx(2.5));
  }
  SECTION("a mean outside, allowed or not") {
    const auto actual = table({"time", "X-mean", "X-sd"}, {{"0", "10", "0"}, {"1", "9.07", "2"}, {"2", "8", "3"}});
    CHECK_FALSE(stochastic::judge(settings(), expected, actual, 10000, 0).pass);
    const auto v = stochastic::judge(settings(), expected, actual, 10000, 1);
    CHECK(v.pass);
    CHECK(v.mean_outside == 1);
    CHECK(v.worst_z == Approx(3.5));
  }
  SECTION("a standard deviation outside") {
    // s = 2.03: Y = 70.7 * (1.030225 - 1) = 2.14; s = 2.02 inside too; s = 2.2: Y = 14.8.
    const auto actual = table({"time", "X-mean", "X-sd"}, {{"0", "10", "0"}, {"1", "9", "2.2"}, {"2", "8", "3"}});
    const auto v = stochastic::judge(settings(), expected, actual, 10000, 0);
    CHECK(v.sd_outside == 1);
    CHECK(v.worst_y == Approx(std::sqrt(5000.0) * (2.2 * 2.2 / 4 - 1)));
  }
  SECTION("an exact point that differs fails whatever is allowed") {
    const auto actual = table({"time", "X-mean", "X-sd"}, {{"0", "10.5", "0"}, {"1", "9", "2"}, {"2", "8", "3"}});
    const auto v = stochastic::judge(settings(), expected, actual, 10000, 100);
    CHECK_FALSE(v.pass);
    CHECK(v.exact_mismatches == 1);
  }
  SECTION("columns matched by name, in any order") {
    const auto actual = table({"time", "X-sd", "X-mean"}, {{"0", "0", "10"}, {"1", "2", "9"}, {"2", "3", "8"}});
    CHECK(stochastic::judge(settings(), expected, actual, 10000, 0).pass);
  }
  SECTION("missing columns, rows or a NaN") {
    CHECK_FALSE(stochastic::judge(settings(), expected, table({"time", "X-mean"}, {{"0", "10"}, {"1", "9"}, {"2", "8"}}), 10000, 5).pass);
    CHECK_FALSE(stochastic::judge(settings(), expected, table({"time", "X-mean", "X-sd"}, {{"0", "10", "0"}}), 10000, 5).pass);
    const auto nan = table({"time", "X-mean", "X-sd"}, {{"0", "10", "0"}, {"1", "NaN", "2"}, {"2", "8", "3"}});
    CHECK(stochastic::judge(settings(), expected, nan, 10000, 0).mean_outside == 1);
  }
}

TEST_CASE("Judge: the settings' ranges and variables are read", "[stochastic][judge]") {
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "axisim-judge-settings.txt";
  std::ofstream(file) << "start: 0\nduration: 50\nsteps: 50\nvariables: P, P2\nabsolute: \nrelative: \n"
                         "amount: P, P2\nconcentration: \noutput: P-mean, P-sd, P2-mean, P2-sd\n"
                         "meanRange: (-3, 3)\nsdRange: (-5, 5)\n";
  const auto s = stochastic::read_stochastic_settings(file);
  std::filesystem::remove(file);
  CHECK(s.steps == 50);
  CHECK(s.variables == std::vector<std::string>{"P", "P2"});
  CHECK(s.mean_range == std::pair<double, double>{-3, 3});
  CHECK(s.sd_range == std::pair<double, double>{-5, 5});
}
