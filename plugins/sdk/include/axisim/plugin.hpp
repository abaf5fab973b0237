// axisim/plugin.hpp — C++ conveniences for writing an axisim plugin (header-only).
//
//   #include <axisim/plugin.hpp>
//   static int derivatives(double t, const double* in, const double* p, const double* x,
//                          double* dx, double* effects) {
//     return axisim::plugin::guard([&] { dx[0] = p[0] * in[0] - p[1] * x[0]; });
//   }
//   AXISIM_PLUGIN(info)   // defines axisim_plugin_entry() returning &info
//
// guard() turns any exception into a non-zero status, so none crosses into axisim.
#pragma once

#include <cstdint>
#include <exception>

#include "axisim/plugin_sdk.h"

namespace axisim::plugin {

template <class F>
int guard(F&& body) noexcept {
  try {
    body();
    return 0;
  } catch (...) {
    return 1;
  }
}

template <class T, unsigned N>
constexpr std::uint32_t count(const T (&)[N]) {
  return N;
}

}  // namespace axisim::plugin

#if defined(_WIN32)
#define AXISIM_PLUGIN_EXPORT __declspec(dllexport)
#else
#define AXISIM_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

// Defines the entry point axisim looks up by name.
#define AXISIM_PLUGIN(info_object) \
  extern "C" AXISIM_PLUGIN_EXPORT const axisim_plugin_info* axisim_plugin_entry(void) { return &(info_object); }
