// Continuation on Schlogl's bistable model: a scan up follows the lower branch to its fold and
// jumps to the upper branch; a scan down follows the upper branch to the other fold. Together
// they find both stable branches across the bistable range, with the folds at their analytic
// parameter values.
#include <catch2/catch.hpp>

#include <cmath>

#include "axisim/error.hpp"
#include "axisim/steady_state.hpp"
#include "schlogl.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

const double kFoldUp = at::schlogl_fold_p(at::kSchloglXLow);     // 5.0887: the lower branch ends
const double kFoldDown = at::schlogl_fold_p(at::kSchloglXHigh);  // 2.9113: the upper branch ends

void check_on_curve(const axisim::SteadyStateScan& scan) {
  for (std::size_t k = 0; k < scan.states.size(); ++k) {
    const double p = scan.parameter_values[k], x = scan.states[k].values.at(0);
    INFO("p = " << p << ", x = " << x);
    CHECK(std::fabs(at::schlogl_rate(x, p)) < 1e-9);
    CHECK(scan.states[k].stability == axisim::Stability::Stable);
  }
}

}  // namespace

TEST_CASE("continuation: a scan up follows the lower branch to its fold, then jumps", "[continuation]") {
  const axisim::Model model = axisim::Model::from_string(at::schlogl(2, 0.1).str());
  const auto scan = axisim::scan_steady_state(model, "p", 2, 6, 41, {}, {{"X"}});
  REQUIRE(scan.states.size() == 41);
  check_on_curve(scan);
  REQUIRE(scan.folds.size() == 1);
  const axisim::Fold& f = scan.folds[0];
  CHECK(f.kind == "turning point");
  CHECK_THAT(f.parameter, WithinAbs(kFoldUp, 1e-4));
  CHECK(f.lower <= kFoldUp);
  CHECK(f.upper >= f.lower);
  for (std::size_t k = 0; k < scan.states.size(); ++k) {
    const double p = scan.parameter_values[k], x = scan.states[k].values[0];
    if (p < kFoldUp) {
      CHECK(x < at::kSchloglXLow);  // lower branch
      CHECK(scan.notes[k].empty());
    } else {
      CHECK(x > at::kSchloglXHigh);  // upper branch
    }
  }
  CHECK(scan.notes[31] == "jump");  // p = 5.1, the first grid value past the fold
  CHECK(scan.states[31].method == "jump");
  CHECK(scan.states[30].method == "continuation");
}

TEST_CASE("continuation: a scan down follows the upper branch to the other fold", "[continuation]") {
  const axisim::Model model = axisim::Model::from_string(at::schlogl(6, 0.1).str());
  const auto scan = axisim::scan_steady_state(model, "p", 6, 2, 41, {}, {{"X"}});
  check_on_curve(scan);
  REQUIRE(scan.folds.size() == 1);
  CHECK(scan.folds[0].kind == "turning point");
  CHECK_THAT(scan.folds[0].parameter, WithinAbs(kFoldDown, 1e-4));
  for (std::size_t k = 0; k < scan.states.size(); ++k) {
    const double p = scan.parameter_values[k], x = scan.states[k].values[0];
    if (p > kFoldDown) CHECK(x > at::kSchloglXHigh);
    else CHECK(x < at::kSchloglXLow);
  }
}

TEST_CASE("continuation: both branches coexist across the bistable range", "[continuation]") {
  const axisim::Model model = axisim::Model::from_string(at::schlogl(2, 0.1).str());
  const auto up = axisim::scan_steady_state(model, "p", 2, 6, 41, {}, {{"X"}});
  const auto down = axisim::scan_steady_state(model, "p", 6, 2, 41, {}, {{"X"}});
  int both = 0;
  for (std::size_t k = 0; k < up.states.size(); ++k) {
    const double p = up.parameter_values[k];
    const std::size_t j = up.states.size() - 1 - k;  // the same p in the downward scan
    REQUIRE_THAT(down.parameter_values[j], WithinAbs(p, 1e-12));
    const double lo = up.states[k].values[0], hi = down.states[j].values[0];
    if (p > kFoldDown && p < kFoldUp) {
      ++both;
      CHECK(hi - lo > 1.0);
    } else {
      CHECK_THAT(hi, WithinRel(lo, 1e-9));
    }
  }
  CHECK(both == 21);  // p = 3.0 .. 5.0
}

TEST_CASE("continuation: bad scans are usage errors", "[continuation]") {
  const axisim::Model model = axisim::Model::from_string(at::schlogl(2, 0.1).str());
  auto kind = [&](auto&& f) {
    try {
      f();
    } catch (const axisim::Error& e) {
      return e.kind();
    }
    return axisim::ErrorKind::Io;
  };
  CHECK(kind([&] { axisim::scan_steady_state(model, "p", 2, 6, 1); }) == axisim::ErrorKind::Usage);
  CHECK(kind([&] { axisim::scan_steady_state(model, "p", 2, 2, 5); }) == axisim::ErrorKind::Usage);
  CHECK(kind([&] { axisim::scan_steady_state(model, "nope", 2, 6, 5); }) == axisim::ErrorKind::UnknownId);
  CHECK(kind([&] { axisim::scan_steady_state(model, "r1", 2, 6, 5); }) == axisim::ErrorKind::Usage);
}
