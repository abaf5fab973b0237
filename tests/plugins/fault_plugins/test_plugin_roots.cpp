// test_plugin_roots.cpp — ABI version 2 root functions ("test-roots", tests/plugins/CMakeLists.txt):
//
//   states   x, dx/dt = r - k x (x(0) = 0), and n, the number of resets (dn/dt = 0)
//   root     g = x - threshold; on_root (rising): x = 0, n = n + 1
// Between resets x(s) = (r / k)(1 - exp(-k s)), s the time since the last one, so x reaches the
// threshold after T = -ln(1 - k threshold / r) / k: 2 ln 2 with the defaults (r 1, k 0.5,
// threshold 1). At time t: n = floor(t / T), x = (r / k)(1 - exp(-k (t - n T))).
#include <axisim/plugin.hpp>

namespace {

enum Param { kR, kK, kThreshold };
const axisim_plugin_quantity parameters[] = {
    {"r", 1.0, "1/time", "production"},
    {"k", 0.5, "1/time", "loss"},
    {"threshold", 1.0, "1", "x resets to 0 on reaching it"},
};
const axisim_plugin_quantity states[] = {{"x", 0.0, "1", "resets at the threshold"}, {"n", 0.0, "1", "resets so far"}};

int derivatives(double, const double*, const double* p, const double* x, double* dx, double*) {
  dx[0] = p[kR] - p[kK] * x[0];
  dx[1] = 0.0;
  return 0;
}

int roots(double, const double*, const double* p, const double* x, double* g) {
  g[0] = x[0] - p[kThreshold];
  return 0;
}

int on_root(double, const int32_t* fired, const double*, const double*, double* x) {
  if (fired[0] > 0) {
    x[0] = 0.0;
    x[1] += 1.0;
  }
  return 0;
}

const axisim_plugin_info_v2 info = {
    {AXISIM_PLUGIN_ABI_VERSION, "test-roots", "0.0.1", "a state reset at a threshold", nullptr, 0, parameters,
     axisim::plugin::count(parameters), states, axisim::plugin::count(states), nullptr, 0, nullptr, 0, nullptr,
     derivatives, nullptr},
    axisim::plugin::keep_host, nullptr, nullptr, nullptr,
    nullptr, nullptr, nullptr, nullptr, nullptr, 1, roots, on_root};

}  // namespace

AXISIM_PLUGIN(info)
