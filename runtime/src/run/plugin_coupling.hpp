// plugin_coupling.hpp — attached tissue plugins, coupled into a run's right-hand side.
//
// A PluginBinding is a plugin bound to one compiled model: its inputs and effects resolved to
// symbol and state indices once, its parameter values set. A Coupling holds a run's plugin
// states (appended after the model's in CVODE's state vector) and calls the plugins: drive()
// before the model's rules (parameters the plugins drive), derivatives() after them (plugin
// derivatives and fluxes added to species), observe() at output times. Every call is checked:
// a non-zero status, an exception or a non-finite number stops the run with the plugin named.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "axisim/plugin_host.hpp"
#include "axisim/plugin_sdk.h"
#include "compile/compiled_system.hpp"

namespace axisim::detail {

struct PluginBinding {
  Plugin plugin;
  const axisim_plugin_info* info = nullptr;
  std::vector<double> parameters;
  std::vector<double> initial_states;
  std::vector<bool> state_given;      // initial state set by the user: the plugin's init keeps it
  std::vector<std::uint32_t> inputs;  // model symbols, read as the model's math sees them
  struct Effect {
    bool flux = true;
    std::uint32_t symbol = 0;  // the species or parameter
    std::size_t state = 0;     // flux: the model state (the species' amount) it adds to
  };
  std::vector<Effect> effects;
};

// Version 2 drive_v2 inputs: refuses (Error(Plugin)) an input some plugin's drive reads that is,
// or depends on, a parameter one of `plugins` drives (drive runs before the model's rules).
void check_drive_inputs(const CompiledSystem& system, const std::vector<std::shared_ptr<const PluginBinding>>& plugins);

// Binds `plugin` to `system`; throws Error(Plugin) naming the plugin and the id or parameter.
PluginBinding bind_plugin(const Plugin& plugin, const CompiledSystem& system,
                          const std::vector<std::pair<std::string, double>>& parameters,
                          const std::map<std::string, double>& initial_states = {});

class Coupling {
 public:
  Coupling(const CompiledSystem& system, std::vector<std::shared_ptr<const PluginBinding>> plugins);

  bool empty() const { return plugins_.empty(); }
  std::size_t num_states() const { return num_states_; }
  std::size_t offset(std::size_t plugin) const { return slots_[plugin].offset; }
  // The plugins' initial states: the declared or bound values, then (version 2) each plugin's
  // init with its inputs at the model's initial values (ws after CompiledSystem::initialize),
  // user-set states kept. False after a fault.
  bool initial_states(double* y_plugins, Workspace& ws);
  // Version 2 declared ranges: the states y_plugins (may be null) and the values of driven
  // parameters the last drive computed. False, with fault() naming the plugin, outside one.
  bool check_ranges(double t, const double* y_plugins);
  bool has_ranges() const { return has_ranges_; }
  // Forgets a fault, for callers to whom it is not fatal (a steady-state method whose solution
  // is outside a range, when another method may still find one inside).
  void clear_fault() { fault_.clear(); }

  // The whole right-hand side, y and ydot being the model's states then the plugins': drive,
  // the model (every assigned symbol, since plugins may read any), the plugins' derivatives.
  // 0; > 0 when a model derivative is not finite (CVODE may retry); < 0 after a plugin fault.
  int right_hand_side(double t, const double* y, double* ydot, Workspace& ws);

  const std::vector<std::shared_ptr<const PluginBinding>>& plugins() const { return plugins_; }

  // Each returns false after a fault; fault() then says which plugin did what.
  // drive takes the whole state y (the model's, then the plugins'): with a version 2 plugin whose
  // drive_v2 reads inputs, the model's assigned symbols are first computed at y (those inputs do
  // not depend on driven parameters, check_drive_inputs).
  bool drive(double t, const double* y, Workspace& ws);
  bool derivatives(double t, const double* y_plugins, double* ydot_plugins, double* ydot_model, Workspace& ws);
  bool observe(double t, const double* y_plugins, Workspace& ws);
  // Version 2 root functions: how many (all plugins', in order), their values at the whole
  // state y (the model's assigned symbols computed at y first; drive must have run at y), and
  // the plugins' on_root handlers after a stop at a root (`found`: num_roots() entries, CVODE's
  // +1 rising / -1 falling / 0), which may change the plugin states in y. False after a fault.
  std::size_t num_roots() const { return num_roots_; }
  bool roots(double t, const double* y, double* g, Workspace& ws);
  bool on_root(double t, const int* found, double* y, Workspace& ws);
  // Version 2: plugin `plugin`'s jacobian callback at the whole state y (d dstates / d states,
  // row-major, num_states squared, into `out`); ws gets every assigned symbol at y (the driven
  // parameters as the last drive left them).
  bool jacobian(std::size_t plugin, double t, const double* y, double* out, Workspace& ws);
  double output(std::size_t plugin, std::size_t index) const { return slots_[plugin].outputs[index]; }
  const std::string& fault() const { return fault_; }

 private:
  struct Slot {
    std::size_t offset = 0;
    std::vector<double> inputs, effects, outputs;  // scratch, sized once
  };
  bool check(int status, bool threw, const PluginBinding& p, const char* call, double t);
  // False, with fault() set, at the first value that is not finite; "did not set" for a value
  // still holding what was written before the call.
  // Values are named by `names`, else by `id`, else by number.
  bool finite(const double* v, std::size_t n, const PluginBinding& p, const char* what,
              const std::vector<Plugin::Quantity>* names, double t, const char* id = nullptr);
  void read_inputs(const PluginBinding& p, Slot& s, const Workspace& ws) const;

  const CompiledSystem& system_;
  std::vector<std::shared_ptr<const PluginBinding>> plugins_;
  bool has_ranges_ = false;
  bool drive_reads_model_ = false;  // some drive_v2 reads inputs
  std::size_t num_roots_ = 0;
  std::vector<std::int32_t> fired_;  // scratch for on_root
  std::vector<Slot> slots_;
  std::size_t num_states_ = 0;
  std::string fault_;
  std::string thrown_;  // what() of an exception a plugin let escape, for check()
};

}  // namespace axisim::detail
