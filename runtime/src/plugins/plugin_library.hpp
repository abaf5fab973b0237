// plugin_library.hpp — a loaded plugin library: the only place that sees Boost.DLL.
#pragma once

#include <boost/dll/shared_library.hpp>

#include "axisim/plugin_host.hpp"
#include "axisim/plugin_sdk.h"

namespace axisim {

struct Plugin::Impl {
  boost::dll::shared_library library;  // unloaded when the last Plugin copy goes
  const axisim_plugin_info* info = nullptr;
  // Version 2 plugins only: a copy of the library's description, as long as this axisim's, the
  // fields past what the library's axisim_plugin_info_v2_size() covers zero (NULL / 0).
  const axisim_plugin_info_v2* info2 = nullptr;
  axisim_plugin_info_v2 info2_copy{};
  std::string path, name, version, description;
  std::vector<Input> inputs;
  std::vector<Quantity> parameters, states, outputs;
  std::vector<Effect> effects;
};

}  // namespace axisim
