#include "run/plugin_coupling.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <exception>

#include "axisim/error.hpp"
#include "plugins/plugin_library.hpp"
#include "sbml/units.hpp"

#include <spdlog/spdlog.h>
#include <stdexcept>

namespace axisim::detail {
namespace {

std::string time_text(double t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", t);
  return buf;
}

// What every value a plugin is to write holds before the call: a NaN with a payload of its own,
// so that a value the plugin never wrote is told from one it computed (garbage from an earlier
// call would otherwise pass as a result).
constexpr std::uint64_t kNotWrittenBits = 0x7ff8'0000'dead'5e75ULL;
const double kNotWritten = std::bit_cast<double>(kNotWrittenBits);
bool not_written(double v) { return std::bit_cast<std::uint64_t>(v) == kNotWrittenBits; }

}  // namespace

PluginBinding bind_plugin(const Plugin& plugin, const CompiledSystem& system,
                          const std::vector<std::pair<std::string, double>>& parameters,
                          const std::map<std::string, double>& initial_states) {
  const std::string who = "plugin '" + plugin.name() + "'";
  const ModelIR& ir = system.ir();
  auto find = [&](const std::string& id, const std::string& what) {
    auto s = ir.find(id);
    if (!s || ir.symbols[*s].internal)
      throw Error(ErrorKind::Plugin, who + " " + what + " '" + id + "', which model '" + ir.id + "' does not have");
    return *s;
  };
  PluginBinding b{plugin, plugin.impl().info, {}, {}, {}, {}, {}};
  for (const Plugin::Quantity& q : plugin.states()) b.initial_states.push_back(q.value);
  b.state_given.assign(b.initial_states.size(), false);
  for (const auto& [name, value] : initial_states) {
    std::size_t i = 0;
    while (i < plugin.states().size() && plugin.states()[i].name != name) ++i;
    if (i == plugin.states().size())
      throw Error(ErrorKind::Plugin, who + " has no state '" + name + "' to give an initial value");
    b.initial_states[i] = value;
    b.state_given[i] = true;
  }
  for (const Plugin::Input& in : plugin.inputs()) b.inputs.push_back(find(in.sbml_id, "reads"));
  for (const Plugin::Effect& e : plugin.effects()) {
    PluginBinding::Effect out;
    out.flux = e.is_flux;
    out.symbol = find(e.sbml_id, e.is_flux ? "adds a flux to" : "drives");
    if (e.is_flux) {
      const std::int64_t state = system.amount_state(out.symbol);
      if (ir.symbols[out.symbol].kind != SymbolKind::Species || state < 0)
        throw Error(ErrorKind::Plugin, who + " adds a flux to '" + e.sbml_id +
                                           "', which is not a species integrated as an amount (it is a boundary or "
                                           "constant species, set by a rule, or not a species)");
      out.state = static_cast<std::size_t>(state);
    } else if (!system.is_free_parameter(out.symbol)) {
      throw Error(ErrorKind::Plugin, who + " drives '" + e.sbml_id +
                                         "', which is not a parameter free to drive (it must be a non-constant "
                                         "parameter that no rule, reaction or event sets)");
    }
    b.effects.push_back(out);
  }
  // Version 2 declared units against the model's: the same, scale included; undeclared on
  // either side is not checked.
  auto check_units = [&](const std::string& declared, const UnitsSI& model, const std::string& what,
                         const std::string& model_what) {
    if (declared.empty()) return;
    UnitsSI u;
    try {
      u = parse_units(declared);
    } catch (const std::invalid_argument& e) {
      throw Error(ErrorKind::Plugin, who + " declares " + what + " in '" + declared + "', which axisim cannot read: " + e.what());
    }
    if (!model.known) {
      spdlog::debug("{} declares {} in '{}'; model '{}' does not declare the units of {}: not checked", who, what, declared,
                    ir.id, model_what);
      return;
    }
    if (!same_units(u, model))
      throw Error(ErrorKind::Plugin, who + " declares " + what + " in '" + declared + "' (" + si_text(u) + "), but model '" +
                                         ir.id + "' has " + model_what + " in '" + model.declared + "' (" + si_text(model) + ")");
  };
  for (std::size_t k = 0; k < b.inputs.size(); ++k)
    check_units(plugin.inputs()[k].units, symbol_units(ir, b.inputs[k]), "input '" + plugin.inputs()[k].sbml_id + "'",
                "'" + plugin.inputs()[k].sbml_id + "'");
  for (std::size_t k = 0; k < b.effects.size(); ++k) {
    const std::string& id = plugin.effects()[k].sbml_id;
    if (b.effects[k].flux)
      check_units(plugin.effects()[k].units, flux_units(ir, b.effects[k].symbol), "its flux into '" + id + "'",
                  "a flux into '" + id + "' (substance per time)");
    else
      check_units(plugin.effects()[k].units, symbol_units(ir, b.effects[k].symbol), "the parameter it drives, '" + id + "',",
                  "'" + id + "'");
  }
  for (const Plugin::Quantity& q : plugin.parameters()) b.parameters.push_back(q.value);
  for (const auto& [name, value] : parameters) {
    std::size_t i = 0;
    while (i < plugin.parameters().size() && plugin.parameters()[i].name != name) ++i;
    if (i == plugin.parameters().size()) {
      std::string known;
      for (const Plugin::Quantity& q : plugin.parameters()) known += (known.empty() ? "" : ", ") + q.name;
      throw Error(ErrorKind::Plugin, who + " has no parameter '" + name + "' (it has: " +
                                         (known.empty() ? "none" : known) + ")");
    }
    b.parameters[i] = value;
  }
  return b;
}

void check_drive_inputs(const CompiledSystem& system, const std::vector<std::shared_ptr<const PluginBinding>>& plugins) {
  const ModelIR& ir = system.ir();
  for (const auto& driver : plugins)
    for (const PluginBinding::Effect& e : driver->effects) {
      if (e.flux) continue;
      const CompiledSystem::Reach reach = system.reached_from({e.symbol});
      for (const auto& reader : plugins)
        for (std::size_t k = 0; k < reader->inputs.size(); ++k) {
          const std::uint32_t in = reader->inputs[k];
          if (!reader->plugin.inputs()[k].read_by_drive || !(in == e.symbol || reach.symbols[in])) continue;
          const std::string by = driver.get() == reader.get() ? "it drives" : "plugin '" + driver->plugin.name() + "' drives";
          throw Error(ErrorKind::Plugin,
                      "plugin '" + reader->plugin.name() + "' reads '" + ir.symbols[in].id + "' in drive_v2, but '" +
                          ir.symbols[in].id + "' " + (in == e.symbol ? "is" : "depends on") + " '" + ir.symbols[e.symbol].id +
                          "', which " + by + ": drive runs before the model's rules, so this is a cycle (read it in "
                          "derivatives instead: leave it out of drive_inputs)");
        }
    }
}

Coupling::Coupling(const CompiledSystem& system, std::vector<std::shared_ptr<const PluginBinding>> plugins)
    : system_(system), plugins_(std::move(plugins)) {
  for (const auto& p : plugins_) {
    Slot s;
    s.offset = num_states_;
    s.inputs.resize(p->inputs.size());
    s.effects.assign(p->effects.size(), std::nan(""));
    s.outputs.resize(p->info->num_outputs);
    num_states_ += p->info->num_states;
    slots_.push_back(std::move(s));
    for (const Plugin::Quantity& q : p->plugin.states()) has_ranges_ |= q.min > -HUGE_VAL || q.max < HUGE_VAL;
    for (const Plugin::Effect& e : p->plugin.effects()) has_ranges_ |= e.min > -HUGE_VAL || e.max < HUGE_VAL;
    for (const Plugin::Input& in : p->plugin.inputs()) drive_reads_model_ |= in.read_by_drive;
    num_roots_ += p->plugin.num_roots();
    if (p->plugin.num_roots() > fired_.size()) fired_.resize(p->plugin.num_roots());
  }
}

bool Coupling::initial_states(double* y, Workspace& ws) {
  for (std::size_t i = 0; i < plugins_.size(); ++i) {
    const PluginBinding& p = *plugins_[i];
    Slot& s = slots_[i];
    double* x = y + s.offset;
    for (std::size_t k = 0; k < p.info->num_states; ++k) x[k] = p.initial_states[k];
    const axisim_plugin_info_v2* v2 = p.plugin.impl().info2;
    if (v2 == nullptr || v2->init == nullptr) continue;
    read_inputs(p, s, ws);
    int status = 0;
    bool threw = false;
    try {
      status = v2->init(s.inputs.data(), p.parameters.data(), x);
    } catch (const std::exception& e) {
      threw = true;
      thrown_ = e.what();
    } catch (...) {
      threw = true;
    }
    if (!check(status, threw, p, "init", 0.0)) return false;
    for (std::size_t k = 0; k < p.info->num_states; ++k)
      if (p.state_given[k]) x[k] = p.initial_states[k];
    if (!finite(x, p.info->num_states, p, "initial value", &p.plugin.states(), 0.0)) return false;
  }
  return check_ranges(0.0, y);
}

bool Coupling::check_ranges(double t, const double* y) {
  if (!has_ranges_) return true;
  auto show = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::string(buf);
  };
  for (std::size_t i = 0; i < plugins_.size(); ++i) {
    const PluginBinding& p = *plugins_[i];
    const Slot& s = slots_[i];
    if (y != nullptr)
      for (std::size_t k = 0; k < p.plugin.states().size(); ++k) {
        const Plugin::Quantity& q = p.plugin.states()[k];
        const double v = y[s.offset + k];
        if (!(v >= q.min && v <= q.max)) {
          fault_ = "plugin '" + p.plugin.name() + "' state '" + q.name + "' is " + show(v) + " at t = " + time_text(t) +
                   ", outside its declared range [" + show(q.min) + ", " + show(q.max) + "]";
          return false;
        }
      }
    for (std::size_t k = 0; k < p.effects.size(); ++k) {
      const Plugin::Effect& e = p.plugin.effects()[k];
      const double v = s.effects[k];
      if (p.effects[k].flux || std::isnan(v)) continue;  // a flux, or not driven yet
      if (!(v >= e.min && v <= e.max)) {
        fault_ = "plugin '" + p.plugin.name() + "' drove '" + e.sbml_id + "' to " + show(v) + " at t = " + time_text(t) +
                 ", outside its declared range [" + show(e.min) + ", " + show(e.max) + "]";
        return false;
      }
    }
  }
  return true;
}

bool Coupling::check(int status, bool threw, const PluginBinding& p, const char* call, double t) {
  if (threw) {
    fault_ = "plugin '" + p.plugin.name() + "' threw an exception in " + call + " at t = " + time_text(t);
    if (!thrown_.empty()) fault_ += ": " + thrown_;
    thrown_.clear();
  } else if (status != 0)
    fault_ = "plugin '" + p.plugin.name() + "' reported failure (status " + std::to_string(status) + ") in " + call +
             " at t = " + time_text(t);
  return fault_.empty();
}

bool Coupling::finite(const double* v, std::size_t n, const PluginBinding& p, const char* what,
                      const std::vector<Plugin::Quantity>* names, double t, const char* id) {
  for (std::size_t k = 0; k < n; ++k)
    if (!std::isfinite(v[k])) {
      const std::string which = names ? " for '" + (*names)[k].name + "'"
                                : id  ? std::string(" '") + id + "'"
                                      : " #" + std::to_string(k + 1);
      fault_ = "plugin '" + p.plugin.name() + "' " + (not_written(v[k]) ? "did not set the " : "returned a non-finite ") + what +
               which + " at t = " + time_text(t);
      return false;
    }
  return true;
}

void Coupling::read_inputs(const PluginBinding& p, Slot& s, const Workspace& ws) const {
  for (std::size_t k = 0; k < p.inputs.size(); ++k) s.inputs[k] = system_.read(ws, p.inputs[k], Quantity::Default);
}

int Coupling::right_hand_side(double t, const double* y, double* ydot, Workspace& ws) {
  const std::size_t n = system_.num_states();
  if (!drive(t, y, ws)) return -1;
  if (!system_.derivatives(t, y, ydot, ws, true)) return 1;
  if (!derivatives(t, y + n, ydot + n, ydot, ws)) return -1;
  return 0;
}

// Plugins are called through C function pointers and must not throw; the try blocks are the
// guarantee that a plugin which does anyway cannot unwind through CVODE.
bool Coupling::drive(double t, const double* y_all, Workspace& ws) {
  // The inputs drive_v2 reads depend on no driven parameter (check_drive_inputs): the rules
  // computed with the last driven values give them right.
  if (drive_reads_model_) try {
      system_.update_all(t, y_all, ws);
    } catch (const Error& e) {  // the algebraic rules unsolved: not to unwind through CVODE
      fault_ = std::string("computing the inputs of the plugins' drive: ") + e.what();
      return false;
    }
  const double* y = y_all + system_.num_states();
  for (std::size_t i = 0; i < plugins_.size(); ++i) {
    const PluginBinding& p = *plugins_[i];
    const axisim_plugin_info_v2* v2 = p.plugin.impl().info2;
    const axisim_drive_v2_fn drive_v2 = v2 ? v2->drive_v2 : nullptr;
    if (p.info->drive == nullptr && drive_v2 == nullptr) continue;
    Slot& s = slots_[i];
    std::fill(s.effects.begin(), s.effects.end(), kNotWritten);
    if (drive_v2)
      for (std::size_t k = 0; k < p.inputs.size(); ++k)
        s.inputs[k] = p.plugin.inputs()[k].read_by_drive ? system_.read(ws, p.inputs[k], Quantity::Default) : std::nan("");
    int status = 0;
    bool threw = false;
    try {
      status = drive_v2 ? drive_v2(t, s.inputs.data(), p.parameters.data(), y + s.offset, s.effects.data())
                        : p.info->drive(t, p.parameters.data(), y + s.offset, s.effects.data());
    } catch (const std::exception& e) {
      threw = true;
      thrown_ = e.what();
    } catch (...) {
      threw = true;
    }
    if (!check(status, threw, p, "drive", t)) return false;
    for (std::size_t k = 0; k < p.effects.size(); ++k) {
      if (p.effects[k].flux) continue;
      if (!std::isfinite(s.effects[k]))
        return finite(&s.effects[k], 1, p, "value of driven parameter", nullptr, t, p.info->effects[k].sbml_id);
      ws.values[p.effects[k].symbol] = s.effects[k];
    }
  }
  return true;
}

bool Coupling::derivatives(double t, const double* y, double* ydot, double* ydot_model, Workspace& ws) {
  for (std::size_t i = 0; i < plugins_.size(); ++i) {
    const PluginBinding& p = *plugins_[i];
    if (p.info->derivatives == nullptr) continue;
    Slot& s = slots_[i];
    read_inputs(p, s, ws);
    std::fill_n(ydot + s.offset, p.info->num_states, kNotWritten);
    for (std::size_t k = 0; k < p.effects.size(); ++k)
      if (p.effects[k].flux) s.effects[k] = kNotWritten;
    int status = 0;
    bool threw = false;
    try {
      status = p.info->derivatives(t, s.inputs.data(), p.parameters.data(), y + s.offset, ydot + s.offset, s.effects.data());
    } catch (const std::exception& e) {
      threw = true;
      thrown_ = e.what();
    } catch (...) {
      threw = true;
    }
    if (!check(status, threw, p, "derivatives", t)) return false;
    if (!finite(ydot + s.offset, p.info->num_states, p, "derivative", &p.plugin.states(), t)) return false;
    for (std::size_t k = 0; k < p.effects.size(); ++k) {
      if (!p.effects[k].flux) continue;
      if (!finite(&s.effects[k], 1, p, "flux into", nullptr, t, p.info->effects[k].sbml_id)) return false;
      ydot_model[p.effects[k].state] += s.effects[k];
    }
  }
  return true;
}

bool Coupling::roots(double t, const double* y_all, double* g, Workspace& ws) {
  if (num_roots_ == 0) return true;
  try {
    system_.update_all(t, y_all, ws);
  } catch (const Error& e) {
    fault_ = std::string("computing the inputs of the plugins' root functions: ") + e.what();
    return false;
  }
  const double* y = y_all + system_.num_states();
  for (std::size_t i = 0; i < plugins_.size(); ++i) {
    const PluginBinding& p = *plugins_[i];
    const std::size_t nr = p.plugin.num_roots();
    if (nr == 0) continue;
    Slot& s = slots_[i];
    read_inputs(p, s, ws);
    std::fill_n(g, nr, kNotWritten);
    int status = 0;
    bool threw = false;
    try {
      status = p.plugin.impl().info2->roots(t, s.inputs.data(), p.parameters.data(), y + s.offset, g);
    } catch (const std::exception& e) {
      threw = true;
      thrown_ = e.what();
    } catch (...) {
      threw = true;
    }
    if (!check(status, threw, p, "roots", t)) return false;
    if (!finite(g, nr, p, "root function value", nullptr, t)) return false;
    g += nr;
  }
  return true;
}

bool Coupling::on_root(double t, const int* found, double* y_all, Workspace& ws) {
  if (num_roots_ == 0) return true;
  double* y = y_all + system_.num_states();
  bool read = false;
  for (std::size_t i = 0; i < plugins_.size(); ++i) {
    const PluginBinding& p = *plugins_[i];
    const std::size_t nr = p.plugin.num_roots();
    const axisim_on_root_fn handler = nr ? p.plugin.impl().info2->on_root : nullptr;
    bool any = false;
    for (std::size_t k = 0; k < nr; ++k) {
      fired_[k] = found[k] > 0 ? 1 : found[k] < 0 ? -1 : 0;
      any = any || found[k] != 0;
    }
    found += nr;
    if (!any || handler == nullptr) continue;
    if (!read) {  // the inputs at the root, as the model's math sees them
      try {
        system_.update_all(t, y_all, ws);
      } catch (const Error& e) {
        fault_ = std::string("computing the inputs of the plugins' on_root: ") + e.what();
        return false;
      }
      read = true;
    }
    Slot& s = slots_[i];
    read_inputs(p, s, ws);
    int status = 0;
    bool threw = false;
    try {
      status = handler(t, fired_.data(), s.inputs.data(), p.parameters.data(), y + s.offset);
    } catch (const std::exception& e) {
      threw = true;
      thrown_ = e.what();
    } catch (...) {
      threw = true;
    }
    if (!check(status, threw, p, "on_root", t)) return false;
    if (!finite(y + s.offset, p.info->num_states, p, "state after on_root", &p.plugin.states(), t)) return false;
  }
  return true;
}

bool Coupling::jacobian(std::size_t i, double t, const double* y_all, double* out, Workspace& ws) {
  const PluginBinding& p = *plugins_[i];
  const axisim_plugin_info_v2* v2 = p.plugin.impl().info2;
  Slot& s = slots_[i];
  try {
    system_.update_all(t, y_all, ws);
  } catch (const Error& e) {
    fault_ = std::string("computing the inputs of plugin '") + p.plugin.name() + "' for its jacobian: " + e.what();
    return false;
  }
  read_inputs(p, s, ws);
  const std::size_t ns = p.info->num_states;
  std::fill_n(out, ns * ns, kNotWritten);
  int status = 0;
  bool threw = false;
  try {
    status = v2->jacobian(t, s.inputs.data(), p.parameters.data(), y_all + system_.num_states() + s.offset, out);
  } catch (const std::exception& e) {
    threw = true;
    thrown_ = e.what();
  } catch (...) {
    threw = true;
  }
  if (!check(status, threw, p, "jacobian", t)) return false;
  return finite(out, ns * ns, p, "Jacobian entry", nullptr, t);
}

bool Coupling::observe(double t, const double* y, Workspace& ws) {
  for (std::size_t i = 0; i < plugins_.size(); ++i) {
    const PluginBinding& p = *plugins_[i];
    if (p.info->observe == nullptr) continue;
    Slot& s = slots_[i];
    read_inputs(p, s, ws);
    std::fill(s.outputs.begin(), s.outputs.end(), kNotWritten);
    int status = 0;
    bool threw = false;
    try {
      status = p.info->observe(t, s.inputs.data(), p.parameters.data(), y + s.offset, s.outputs.data());
    } catch (const std::exception& e) {
      threw = true;
      thrown_ = e.what();
    } catch (...) {
      threw = true;
    }
    if (!check(status, threw, p, "observe", t)) return false;
    if (!finite(s.outputs.data(), s.outputs.size(), p, "output", &p.plugin.outputs(), t)) return false;
  }
  return true;
}

}  // namespace axisim::detail
