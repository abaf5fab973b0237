// axisim/plugin.hpp — C++ conveniences for writing an axisim plugin (header-only).
//
//   #include <axisim/plugin.hpp>
//   static int derivatives(double t, const double* in, const double* p, const double* x,
//                          double* dx, double* effects) {
//     return axisim::plugin::guard([&] { dx[0] = p[0] * in[0] - p[1] * x[0]; });
//   }
//   AXISIM_PLUGIN(info)   // defines axisim_plugin_entry() (and _v2) returning &info, and
//                         // axisim_plugin_info_v2_size() (how long this SDK's version 2 description is)
//
// guard() turns any exception into a non-zero status, so none crosses into axisim; in a version 2
// plugin it first writes the exception's text to axisim's log (set connect = axisim::plugin::keep_host).
#pragma once

#include <cstdint>
#include <exception>

#include "axisim/plugin_sdk.h"

namespace axisim::plugin {

// The host axisim passed to connect() (version 2); log() is a no-op until then, and in a
// version 1 plugin. Messages appear in axisim's log prefixed with the plugin's name.
inline const axisim_host*& host() {
  static const axisim_host* h = nullptr;
  return h;
}
inline int keep_host(const axisim_host* h) {
  host() = h;
  return 0;
}
inline void log(axisim_log_level level, const char* message) {
  if (const axisim_host* h = host()) h->log(h, level, message);
}

// What AXISIM_PLUGIN's entry points return for either description.
inline const axisim_plugin_info* v1_of(const axisim_plugin_info& i) { return &i; }
inline const axisim_plugin_info* v1_of(const axisim_plugin_info_v2& i) { return &i.v1; }
inline const axisim_plugin_info_v2* v2_of(const axisim_plugin_info&) { return nullptr; }
inline const axisim_plugin_info_v2* v2_of(const axisim_plugin_info_v2& i) { return &i; }

template <class F>
int guard(F&& body) noexcept {
  try {
    body();
    return 0;
  } catch (const std::exception& e) {
    plugin::log(AXISIM_LOG_ERROR, e.what());
    return 1;
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

// Defines the entry points axisim looks up by name, for an axisim_plugin_info (version 1) or an
// axisim_plugin_info_v2 (version 2; axisim_plugin_entry_v2 returns NULL for a version 1 one).
#define AXISIM_PLUGIN(info_object)                                                                  \
  extern "C" AXISIM_PLUGIN_EXPORT const axisim_plugin_info* axisim_plugin_entry(void) {             \
    return axisim::plugin::v1_of(info_object);                                                      \
  }                                                                                                 \
  extern "C" AXISIM_PLUGIN_EXPORT const axisim_plugin_info_v2* axisim_plugin_entry_v2(void) {       \
    return axisim::plugin::v2_of(info_object);                                                      \
  }                                                                                                 \
  extern "C" AXISIM_PLUGIN_EXPORT std::uint32_t axisim_plugin_info_v2_size(void) {                  \
    return sizeof(axisim_plugin_info_v2);                                                           \
  }
