// schlogl.hpp — Schlogl's bistable model, the test case for continuation (test_continuation.cpp)
// and for unstable steady states.
//
//   A + 2X -> 3X (k1 A X^2), 3X -> A + 2X (k2 X^3), B -> X (p B), X -> B (k4 X), A = B = 1:
//   x' = p + 6 x^2 - x^3 - 10 x.
// Folds where f_x = 12 x - 3 x^2 - 10 = 0, x = 2 -+ sqrt(2/3), at p = x^3 - 6 x^2 + 10 x:
// the lower branch ends at p = 5.0887 (x = 1.18), the upper one at p = 2.9113 (x = 2.82).
#pragma once

#include <cmath>

#include "sbml_text.hpp"

namespace at {

inline double schlogl_rate(double x, double p) { return p + 6 * x * x - x * x * x - 10 * x; }
inline double schlogl_fold_p(double x) { return x * x * x - 6 * x * x + 10 * x; }
inline const double kSchloglXLow = 2 - std::sqrt(2.0 / 3);   // where the lower branch ends
inline const double kSchloglXHigh = 2 + std::sqrt(2.0 / 3);  // where the upper branch ends

inline Doc schlogl(double p, double x0) {
  Doc d("schlogl");
  d.species("A", 1, true).species("B", 1, true).species("X", x0);
  d.parameter("p", p).parameter("k1", 6).parameter("k2", 1).parameter("k4", 10);
  d.reaction("r1", "A + 2 X -> 3 X", "k1 * A * X^2").reaction("r2", "3 X -> A + 2 X", "k2 * X^3");
  d.reaction("r3", "B -> X", "p * B").reaction("r4", "X -> B", "k4 * X");
  return d;
}

}  // namespace at
