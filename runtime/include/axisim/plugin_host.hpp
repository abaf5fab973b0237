// axisim/plugin_host.hpp — finding, loading and describing tissue plugins.
//
//   axisim::Plugin bone = axisim::Plugin::load("bone");        // by name, on the search path
//   model.attach(bone, {{"a_IGF", 0.5}});                       // bind to the model's ids
//
// A plugin is a shared library written against the plugin SDK (plugins/sdk, installed as
// <axisim/plugin_sdk.h>); see docs/writing-plugins.md. Loading checks that it is one and that
// it was built for this host's ABI version, and every failure names the plugin.
#pragma once

#include <limits>
#include <memory>
#include <string>
#include <vector>

// The plugin's own C description (<axisim/plugin_sdk.h>), for tests that call its functions.
struct axisim_plugin_info;
struct axisim_plugin_info_v2;

namespace axisim {

class Plugin {
 public:
  struct Quantity {
    std::string name;
    double value = 0.0;  // default (parameters) or initial value (states)
    std::string units;
    std::string description;
    // States (ABI version 2): the meaningful range; a value outside stops the run.
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
  };
  struct Input {
    std::string sbml_id;
    std::string description;
    std::string units;         // version 2: declared units, checked at attach ("" unchecked)
    bool read_by_drive = false;  // version 2: drive_v2 reads it (it must not depend on a driven parameter)
  };
  struct Effect {
    std::string sbml_id;
    bool is_flux = true;  // a rate added to a species; otherwise a parameter the plugin drives
    std::string description;
    std::string units;    // version 2: declared units, checked at attach ("" unchecked)
    // Driven parameters (ABI version 2): the meaningful range of the value; outside stops the run.
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
  };

  // `name_or_path`: a path to a library, or a plugin name looked up as
  // "axisim-plugin-<name>.so" in search_path(extra_dirs). Throws Error(Plugin).
  static Plugin load(const std::string& name_or_path, const std::vector<std::string>& extra_dirs = {});

  // Where plugins are looked for, in order: `extra_dirs` (--plugin-dir), the directories in
  // the AXISIM_PLUGIN_PATH environment variable (':'-separated), then, relative to the running
  // program, <prefix>/lib/axisim/plugins (an installation) and <build>/plugins (a build tree).
  static std::vector<std::string> search_path(const std::vector<std::string>& extra_dirs = {});
  // Every plugin library found on the search path (first of each name).
  static std::vector<std::string> discover(const std::vector<std::string>& extra_dirs = {});

  const std::string& name() const;
  const std::string& version() const;
  const std::string& description() const;
  const std::string& path() const;
  unsigned abi_version() const;  // 1, or 2 for a plugin with a version 2 description
  bool has_init() const;         // version 2: initial states computed at the start of each run
  bool has_jacobian() const;     // version 2: d dstates / d states given by the plugin
  std::size_t num_roots() const;  // version 2: root functions the integrator stops at
  const std::vector<Input>& inputs() const;
  const std::vector<Quantity>& parameters() const;
  const std::vector<Quantity>& states() const;
  const std::vector<Quantity>& outputs() const;
  const std::vector<Effect>& effects() const;
  // The description the library returned, to call its functions directly (include
  // <axisim/plugin_sdk.h>); info_v2() is null for a version 1 plugin. Valid while this lives.
  const axisim_plugin_info& info() const;
  const axisim_plugin_info_v2* info_v2() const;

  struct Impl;  // keeps the library loaded for as long as any copy lives
  const Impl& impl() const { return *impl_; }

 private:
  explicit Plugin(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace axisim
