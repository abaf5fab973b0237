// suite_rule.hpp — the SBML Test Suite's statistical rule for the stochastic unit tests:
// Z = sqrt(n) (m - mu) / sigma in (-3, 3), Y = sqrt(n / 2) (s^2 / sigma^2 - 1) in (-5, 5), m = mu
// where sigma = 0; a test allows at most one point outside.
#pragma once

#include <cmath>
#include <sstream>

#include <catch2/catch.hpp>

namespace ssa_test {

struct Rule {
  double n;
  int outside = 0, points = 0;
  std::ostringstream log;
  explicit Rule(double replicates) : n(replicates) {}
  void point(double t, double m, double s, double mu, double sigma) {
    if (sigma == 0.0) {
      INFO("t = " << t);
      CHECK(m == mu);
      return;
    }
    const double z = std::sqrt(n) * (m - mu) / sigma;
    const double y = std::sqrt(n / 2) * (s * s / (sigma * sigma) - 1);
    points += 2;
    if (!(z > -3 && z < 3)) ++outside;
    if (!(y > -5 && y < 5)) ++outside;
    log << "t = " << t << ": mean " << m << " (expected " << mu << ", Z " << z << "), sd " << s << " (expected "
        << sigma << ", Y " << y << ")\n";
  }
  void check(int expected_points) const {
    INFO(log.str());
    CHECK(points == expected_points);
    CHECK(outside <= 1);
  }
};

}  // namespace ssa_test
