// axisim/plugin_record.hpp — a plugin attached to a run, as an exported model records it.
//
// `axisim export --plugin ...` writes these into an annotation on the model,
//   <axisim:plugins xmlns:axisim="https://axisim.org/ns/plugins/1">
//     <axisim:plugin name="bone" version="1.0.0">
//       <axisim:parameter name="a_IGF" value="0.125"/>
//       <axisim:state name="BMD" value="0.41"/>        (with --at-time: the state there)
//     </axisim:plugin>
//   </axisim:plugins>
// and `axisim simulate` on that file attaches them again, so the coupled run is reproduced;
// other tools ignore the annotation.
#pragma once

#include <map>
#include <string>

namespace axisim {

inline constexpr const char* kPluginAnnotationNs = "https://axisim.org/ns/plugins/1";

struct PluginRecord {
  std::string name;
  std::string version;
  std::map<std::string, double> parameters;
  std::map<std::string, double> states;  // initial values; empty: the plugin's own
  std::string path;                      // where to load it from; empty: by name on the plugin path
};

}  // namespace axisim
