#include "axisim/model.hpp"
#include "axisim/plugin_host.hpp"
#include "axisim/run_state.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <cmath>
#include <optional>

#include <spdlog/spdlog.h>

#include "analysis/conservation.hpp"
#include "compile/compiled_system.hpp"
#include "compile/native_code.hpp"
#include "ir/undefined_values.hpp"
#include "sbml/ir_from_sbml.hpp"
#include "sbml/sbml_document.hpp"
#include "run/nonfinite_diagnosis.hpp"
#include "run/plugin_coupling.hpp"
#include "run/simulation.hpp"
#include "model_access.hpp"  // RunState::start reads a Model as the analyses do

namespace axisim {

struct Model::Impl {
  explicit Impl(detail::ModelIR ir) : system(std::move(ir)) {}
  detail::CompiledSystem system;
  // The native back-end, when one was started. Declared after the system, so destroyed before
  // it: a build still under way is stopped (its compiler killed) before the programs it would
  // install into go away, and the library is unloaded only once no run can call into it.
  std::unique_ptr<detail::NativeBuild> native;

  // Starts native code for the system's programs as LoadOptions::backend asks.
  void start_native(Backend backend, const std::string& label) {
    const std::size_t size = system.program_size();
    if (backend == Backend::Interpreter || size == 0) return;
    using Mode = detail::NativeBuild::Mode;
    Mode mode = backend == Backend::Native ? Mode::Wait : Mode::Background;
    if (backend == Backend::Auto && size < detail::kAutoNativeMinInstructions) {
      if (size < detail::kAutoNativeHotMinInstructions) return;
      mode = Mode::WhenHot;  // compiled once simulate() has spent long enough on it
    }
    native = std::make_unique<detail::NativeBuild>(system.programs(), mode, label);
  }
  bool native_installed() const { return native && native->installed(); }
  double native_compile_seconds() const { return native ? native->seconds() : 0.0; }
  double load_seconds = 0.0;  // reading, checking and compiling (a native build not included)
  // SolverStats' load time, back-end and native compile time, as they are when a run ends.
  void report_backend(SolverStats& stats) const {
    stats.load_seconds = load_seconds;
    stats.backend = native_installed() ? "native" : "interpreter";
    stats.native_compile_seconds = native_compile_seconds();
  }

  std::uint32_t symbol(std::string_view id) const {
    if (auto s = system.ir().find(std::string(id))) return *s;
    throw Error(ErrorKind::UnknownId, "model '" + system.ir().id + "' has no element with id '" + std::string(id) + "'");
  }
};

namespace {

std::shared_ptr<const Model::Impl> load(const detail::SbmlSource& source, const LoadOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::shared_ptr<Model::Impl> impl;
  {
    std::lock_guard lock(detail::libsbml_mutex());
    auto doc = detail::read_sbml(source, options.validate);
    try {
      impl = std::make_shared<Model::Impl>(detail::build_ir(*doc, source.label(), options));
    } catch (const Error& e) {
      // Errors found while compiling do not know which file they are about.
      const std::string msg = e.what();
      if (msg.rfind(source.label(), 0) == 0) throw;
      throw Error(e.kind(), source.label() + ": " + msg);
    }
  }
  // Outside the libSBML lock: a compile can take seconds, and other loads need not wait.
  impl->load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  impl->start_native(options.backend, source.label());
  return impl;
}

std::vector<detail::InitialOverride> to_internal(const auto& overrides) {
  std::vector<detail::InitialOverride> out;
  out.reserve(overrides.size());
  for (const auto& o : overrides)
    out.push_back(detail::InitialOverride{static_cast<std::uint32_t>(o.symbol), o.value, o.quantity});
  return out;
}

void check_options(const SimulationOptions& o) {
  auto bad = [](const std::string& what) { throw Error(ErrorKind::Usage, what); };
  if (!std::isfinite(o.start) || !std::isfinite(o.end)) bad("start and end times must be finite");
  if (o.start < 0) bad("the start time must not be negative (the model's initial state holds at time 0)");
  if (o.end < o.start) bad("the end time must not be before the start time");
  if (o.steps < 0) bad("the number of steps must not be negative");
  if (o.steps == 0 && o.end != o.start) bad("zero steps needs end equal to start");
  if (!(o.atol > 0) || !(o.rtol > 0)) bad("tolerances must be positive");
  if (o.max_steps <= 0) bad("max_steps must be positive");
}

// An output id: a model symbol, or "<plugin>.<state or output>".
detail::OutputRead resolve_output(const Model::Impl& impl,
                                  const std::vector<std::shared_ptr<const detail::PluginBinding>>& plugins,
                                  const OutputSpec& o) {
  using From = detail::OutputRead::From;
  if (const auto s = impl.system.ir().find(o.id); s && !impl.system.ir().symbols[*s].internal)
    return {From::Model, *s, o.quantity};
  for (std::size_t p = 0; p < plugins.size(); ++p) {
    const Plugin& plugin = plugins[p]->plugin;
    const std::string prefix = plugin.name() + ".";
    if (o.id.rfind(prefix, 0) != 0) continue;
    const std::string name = o.id.substr(prefix.size());
    for (std::size_t i = 0; i < plugin.outputs().size(); ++i)
      if (plugin.outputs()[i].name == name) return {From::PluginOutput, 0, Quantity::Default, p, i};
    for (std::size_t i = 0; i < plugin.states().size(); ++i)
      if (plugin.states()[i].name == name) return {From::PluginState, 0, Quantity::Default, p, i};
    throw Error(ErrorKind::UnknownId, "plugin '" + plugin.name() + "' has no state or output '" + name + "'");
  }
  return {From::Model, impl.symbol(o.id), o.quantity};
}

}  // namespace

Model::Model(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Model::Model(const Model&) = default;
Model& Model::operator=(const Model&) = default;
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

Model Model::from_file(const std::string& path, const LoadOptions& options) {
  detail::SbmlSource src;
  src.path = path;
  return Model(load(src, options));
}

Model Model::from_string(const std::string& sbml, const LoadOptions& options) {
  detail::SbmlSource src;
  src.text = sbml;
  return Model(load(src, options));
}

const std::string& Model::id() const { return impl_->system.ir().id; }

std::vector<std::string> Model::ids() const {
  std::vector<std::string> out;
  for (const auto& s : impl_->system.ir().symbols)
    if (!s.internal) out.push_back(s.id);
  return out;
}

bool Model::has_id(std::string_view id) const { return impl_->system.ir().find(std::string(id)).has_value(); }

SymbolKind Model::kind(std::string_view id) const { return impl_->system.ir().symbols[impl_->symbol(id)].kind; }

void Model::set_value(std::string_view id, double value, Quantity quantity) {
  // "<plugin>.<state>": an attached plugin's initial state (a copy of the binding: runs of copies
  // of this model made before keep theirs).
  if (const auto dot = id.find('.'); dot != std::string_view::npos && !impl_->system.ir().find(std::string(id)))
    for (auto& p : plugins_) {
      if (p->plugin.name() != id.substr(0, dot)) continue;
      const std::string_view name = id.substr(dot + 1);
      const auto& states = p->plugin.states();
      for (std::size_t i = 0; i < states.size(); ++i)
        if (states[i].name == name) {
          if (quantity != Quantity::Default)
            throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is a plugin's state; it has no amount or concentration");
          auto b = std::make_shared<detail::PluginBinding>(*p);
          b->initial_states[i] = value;
          b->state_given[i] = true;
          p = std::move(b);
          return;
        }
      std::string known;
      for (const Plugin::Quantity& q : states) known += (known.empty() ? "" : ", ") + q.name;
      throw Error(ErrorKind::UnknownId, "plugin '" + p->plugin.name() + "' has no state '" + std::string(name) +
                                            "' (its states: " + (known.empty() ? "none" : known) +
                                            "; its parameters are set with --plugin-param or the plugin's parameters)");
    }
  const std::uint32_t s = impl_->symbol(id);
  const auto& sym = impl_->system.ir().symbols[s];
  if (impl_->system.has_assignment_rule(s))
    throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is set by an assignment rule; its value cannot be set");
  if (sym.kind == SymbolKind::Reaction)
    throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is a reaction; its rate cannot be set");
  if (quantity != Quantity::Default && sym.kind != SymbolKind::Species)
    throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is not a species; it has no amount or concentration");
  for (const auto& p : plugins_)
    for (const auto& e : p->effects)
      if (!e.flux && e.symbol == s)
        throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is driven by plugin '" + p->plugin.name() +
                                          "', which sets it at every step: a value set here would be overwritten; "
                                          "set the plugin's parameters instead");
  for (Override& o : overrides_)
    if (o.symbol == s) {
      o = Override{s, value, quantity};
      return;
    }
  overrides_.push_back(Override{s, value, quantity});
}

double Model::initial_value(std::string_view id, Quantity quantity) const {
  const std::uint32_t s = impl_->symbol(id);
  detail::require_defined_values(impl_->system.ir(), overrides_);
  detail::Workspace ws = impl_->system.make_workspace();
  impl_->system.initialize(ws, to_internal(overrides_));
  return impl_->system.read(ws, s, quantity);
}

namespace {

// One run of `impl` with `plugins`: from time 0 and `overrides`, or from `from`; the end state
// into `end` when it is given and the run reaches options.end.
Result run(const Model::Impl& impl, const std::vector<std::shared_ptr<const detail::PluginBinding>>& plugins,
           const std::vector<detail::InitialOverride>& overrides, const SimulationOptions& options,
           const std::vector<OutputSpec>& outputs, const std::shared_ptr<const Model::Impl>& self,
           const detail::RunSnapshot* from, RunState* end_state,
           const std::function<void(RunState&, std::shared_ptr<detail::RunSnapshot>)>& keep) {
  const detail::CompiledSystem& sys = impl.system;

  std::vector<std::string> columns{"time"};
  std::vector<detail::OutputRead> reads;
  using From = detail::OutputRead::From;
  if (outputs.empty()) {
    for (std::uint32_t s = 0; s < sys.ir().symbols.size(); ++s)
      if (sys.ir().symbols[s].kind == SymbolKind::Species) {
        columns.push_back(sys.ir().symbols[s].id);
        reads.push_back({From::Model, s, Quantity::Default});
      }
    for (std::size_t p = 0; p < plugins.size(); ++p)
      for (std::size_t i = 0; i < plugins[p]->plugin.outputs().size(); ++i) {
        columns.push_back(plugins[p]->plugin.name() + "." + plugins[p]->plugin.outputs()[i].name);
        reads.push_back({From::PluginOutput, 0, Quantity::Default, p, i});
      }
  } else {
    for (const OutputSpec& o : outputs) {
      if (o.id == "time" && !sys.ir().find(o.id)) continue;  // the first column already (ModelAccess::names_time)
      columns.push_back(o.id);
      reads.push_back(resolve_output(impl, plugins, o));
    }
  }
  const auto started = std::chrono::steady_clock::now();
  std::optional<detail::StateReduction> reduction;
  if (options.reduce_moieties) {
    reduction = detail::moiety_reduction(sys, overrides, plugins);
    spdlog::debug("reduce_moieties: {} conservation law(s), as many species computed from them", reduction->laws.size());
  }
  auto end = end_state ? std::make_shared<detail::RunSnapshot>() : nullptr;
  Result r = detail::simulate(sys, options, overrides, plugins, std::move(columns), reads,
                              reduction ? &*reduction : nullptr, from, end.get());
  if (impl.native)
    impl.native->note_simulated(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  impl.report_backend(r.stats);
  if (end && r.error.empty() && !r.timed_out) {
    end->model = self;
    end->initial = from ? from->initial : overrides;
    keep(*end_state, std::move(end));
  }
  return r;
}

}  // namespace

Result Model::simulate(const SimulationOptions& options, const std::vector<OutputSpec>& outputs,
                       RunState* end_state) const {
  check_options(options);
  detail::require_defined_values(impl_->system.ir(), overrides_);
  return run(*impl_, plugins_, to_internal(overrides_), options, outputs, impl_, nullptr, end_state,
             [](RunState& s, std::shared_ptr<detail::RunSnapshot> snap) { s.snapshot_ = std::move(snap); });
}

Result Model::simulate_from(const RunState& from, const SimulationOptions& options, const std::vector<OutputSpec>& outputs,
                            RunState* end_state) const {
  check_options(options);
  if (from.empty()) throw Error(ErrorKind::Usage, "simulate_from: the run state is empty (no run has filled it)");
  const detail::RunSnapshot& snap = *from.snapshot_;
  if (snap.model != impl_)
    throw Error(ErrorKind::Usage, "simulate_from: the run state comes from another model than '" + id() + "'");
  std::vector<std::string> names;
  for (const auto& p : plugins_) names.push_back(p->plugin.name());
  if (names != snap.plugins)
    throw Error(ErrorKind::Usage, "simulate_from: the run state was made with other plugins attached than this model's");
  if (options.start < snap.time)
    throw Error(ErrorKind::Usage, "simulate_from: the start time " + detail::number_text(options.start) +
                                      " is before the time the run state holds (" + detail::number_text(snap.time) + ")");
  return run(*impl_, plugins_, snap.initial, options, outputs, impl_, &snap, end_state,
             [](RunState& s, std::shared_ptr<detail::RunSnapshot> next) { s.snapshot_ = std::move(next); });
}

// ---- RunState (axisim/run_state.hpp) ----

RunState::RunState() = default;

RunState RunState::start(const Model& model, double time, unsigned long long seed) {
  if (!std::isfinite(time)) throw Error(ErrorKind::Usage, "RunState::start: the time " + detail::number_text(time) + " is not finite");
  const Model::Impl& impl = *detail::ModelAccess::impl(model);
  const detail::CompiledSystem& sys = impl.system;
  detail::ModelAccess::require_defined(model);
  const std::vector<detail::InitialOverride> overrides = detail::ModelAccess::overrides(model);
  const auto& plugins = detail::ModelAccess::plugins(model);
  // What a fresh run (run/simulation.cpp) starts from, as a continued run reads it: the values
  // after initialize, the plugins' initial states, each trigger at its initialValue (so that the
  // start is judged as a run's start), nothing pending, an empty past, the seeded generator.
  auto snap = std::make_shared<detail::RunSnapshot>();
  snap->model = detail::ModelAccess::impl(model);
  snap->initial = overrides;
  snap->time = time;
  detail::Workspace ws = sys.make_workspace();
  sys.initialize(ws, overrides);
  snap->values.assign(ws.values.begin(), ws.values.begin() + static_cast<std::ptrdiff_t>(sys.ir().symbols.size()));
  detail::Coupling coupling(sys, plugins);
  snap->plugin_states.assign(coupling.num_states(), 0.0);
  if (coupling.num_states() > 0 && !coupling.initial_states(snap->plugin_states.data(), ws))
    throw Error(ErrorKind::Plugin, coupling.fault());
  for (const auto& p : plugins) {
    snap->plugins.push_back(p->plugin.name());
    for (const Plugin::Quantity& q : p->plugin.states()) snap->plugin_state_ids.push_back(p->plugin.name() + "." + q.name);
  }
  for (const auto& e : sys.events()) snap->triggers.push_back(e.initial_value);
  if (sys.has_delays()) snap->history.emplace(sys.num_states(), sys.ir().symbols.size());
  snap->random.seed(seed);
  RunState out;
  out.snapshot_ = std::move(snap);
  return out;
}

double RunState::time() const {
  if (!snapshot_) throw Error(ErrorKind::Usage, "the run state is empty (no run has filled it)");
  return snapshot_->time;
}

namespace {
// The index of "<plugin>.<state>" in a snapshot's plugin states, or -1 when `id` is a model's
// symbol or names no attached plugin's state (the model's own ids win, as in Model::set_value).
std::ptrdiff_t plugin_state_index(const detail::RunSnapshot& snap, std::string_view id) {
  if (id.find('.') == std::string_view::npos || snap.model->system.ir().find(std::string(id))) return -1;
  const auto it = std::find(snap.plugin_state_ids.begin(), snap.plugin_state_ids.end(), id);
  return it == snap.plugin_state_ids.end() ? -1 : it - snap.plugin_state_ids.begin();
}
}  // namespace

double RunState::value(std::string_view id, Quantity quantity) const {
  if (!snapshot_) throw Error(ErrorKind::Usage, "the run state is empty (no run has filled it)");
  if (const std::ptrdiff_t k = plugin_state_index(*snapshot_, id); k >= 0) {
    if (quantity != Quantity::Default)
      throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is a plugin's state; it has no amount or concentration");
    return snapshot_->plugin_states[static_cast<std::size_t>(k)];
  }
  const detail::CompiledSystem& sys = snapshot_->model->system;
  detail::Workspace ws;
  ws.values = snapshot_->values;
  return sys.read(ws, snapshot_->model->symbol(id), quantity);
}

std::vector<RunState::PendingExecution> RunState::pending() const {
  if (!snapshot_) throw Error(ErrorKind::Usage, "the run state is empty (no run has filled it)");
  std::vector<PendingExecution> out;
  for (const detail::RunSnapshot::Pending& p : snapshot_->pending)
    out.push_back({snapshot_->model->system.events()[p.event].id, p.time});
  return out;
}

void RunState::set_value(std::string_view id, double value, Quantity quantity) {
  if (!snapshot_) throw Error(ErrorKind::Usage, "the run state is empty (no run has filled it)");
  // "<plugin>.<state>": the plugin's state where the run stands; the run goes on from it as from
  // any other value (the plugin's declared range is checked when it does).
  if (const std::ptrdiff_t k = plugin_state_index(*snapshot_, id); k >= 0) {
    if (quantity != Quantity::Default)
      throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is a plugin's state; it has no amount or concentration");
    auto next = std::make_shared<detail::RunSnapshot>(*snapshot_);  // copies made before keep theirs
    next->plugin_states[static_cast<std::size_t>(k)] = value;
    snapshot_ = std::move(next);
    return;
  }
  const Model::Impl& impl = *snapshot_->model;
  const std::uint32_t s = impl.symbol(id);
  const auto& sym = impl.system.ir().symbols[s];
  if (impl.system.has_assignment_rule(s))
    throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is set by an assignment rule; its value cannot be set");
  if (sym.kind == SymbolKind::Reaction)
    throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is a reaction; its rate cannot be set");
  if (quantity != Quantity::Default && sym.kind != SymbolKind::Species)
    throw Error(ErrorKind::Usage, "'" + std::string(id) + "' is not a species; it has no amount or concentration");
  auto next = std::make_shared<detail::RunSnapshot>(*snapshot_);  // copies made before keep theirs
  detail::Workspace ws;
  ws.values = std::move(next->values);
  impl.system.write(ws, s, value, quantity);
  next->values = std::move(ws.values);
  snapshot_ = std::move(next);
}

const std::vector<PluginRecord>& Model::recorded_plugins() const { return impl_->system.ir().recorded_plugins; }

void Model::attach(const Plugin& plugin, const std::vector<std::pair<std::string, double>>& parameters,
                   const std::map<std::string, double>& initial_states) {
  for (const auto& p : plugins_)
    if (p->plugin.name() == plugin.name())
      throw Error(ErrorKind::Plugin, "plugin '" + plugin.name() + "' is attached twice");
  auto binding = std::make_shared<detail::PluginBinding>(detail::bind_plugin(plugin, impl_->system, parameters, initial_states));
  for (const auto& p : plugins_)
    for (const auto& e : p->effects)
      for (const auto& f : binding->effects)
        if (!e.flux && !f.flux && e.symbol == f.symbol)
          throw Error(ErrorKind::Plugin, "plugins '" + p->plugin.name() + "' and '" + plugin.name() + "' both drive '" +
                                             impl_->system.ir().symbols[e.symbol].id + "'");
  for (const auto& f : binding->effects)
    for (const Override& o : overrides_)
      if (!f.flux && o.symbol == f.symbol)
        throw Error(ErrorKind::Plugin, "plugin '" + plugin.name() + "' drives '" + impl_->system.ir().symbols[f.symbol].id +
                                           "', whose value was set: the plugin would overwrite it at every step; "
                                           "do not set it, or set the plugin's parameters instead");
  plugins_.push_back(std::move(binding));
  try {
    detail::check_drive_inputs(impl_->system, plugins_);
  } catch (...) {
    plugins_.pop_back();
    throw;
  }
}

void Model::set_plugin_parameter(std::string_view plugin, std::string_view parameter, double value) {
  for (auto& p : plugins_) {
    if (p->plugin.name() != plugin) continue;
    const auto& params = p->plugin.parameters();
    for (std::size_t i = 0; i < params.size(); ++i)
      if (params[i].name == parameter) {
        // A copy of the binding: runs of copies of this model made before keep the old value.
        auto b = std::make_shared<detail::PluginBinding>(*p);
        b->parameters[i] = value;
        p = std::move(b);
        return;
      }
    std::string known;
    for (const Plugin::Quantity& q : params) known += (known.empty() ? "" : ", ") + q.name;
    throw Error(ErrorKind::UnknownId, "plugin '" + std::string(plugin) + "' has no parameter '" + std::string(parameter) +
                                          "' (its parameters: " + (known.empty() ? "none" : known) + ")");
  }
  throw Error(ErrorKind::UnknownId, "no plugin '" + std::string(plugin) + "' is attached to model '" + id() + "'");
}

std::vector<Model::AttachedPlugin> Model::plugins() const {
  std::vector<AttachedPlugin> out;
  for (const auto& p : plugins_) {
    AttachedPlugin a;  // filled member by member: the lists below are built up, not initialized
    a.name = p->plugin.name();
    a.version = p->plugin.version();
    a.path = p->plugin.path();
    for (std::size_t i = 0; i < p->parameters.size(); ++i)
      a.parameters.emplace_back(p->plugin.parameters()[i].name, p->parameters[i]);
    for (const Plugin::Quantity& q : p->plugin.states()) a.states.push_back(q.name);
    for (const Plugin::Quantity& q : p->plugin.outputs()) a.outputs.push_back(q.name);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Model::drivable_parameters() const {
  std::vector<std::pair<std::string, std::string>> out;
  const detail::CompiledSystem& sys = impl_->system;
  for (std::uint32_t s = 0; s < sys.ir().symbols.size(); ++s) {
    if (!sys.is_free_parameter(s)) continue;
    std::string owner;
    for (const auto& p : plugins_)
      for (const auto& e : p->effects)
        if (!e.flux && e.symbol == s) owner = p->plugin.name();
    out.emplace_back(sys.ir().symbols[s].id, owner);
  }
  return out;
}

}  // namespace axisim

// ---- detail::ModelAccess (runtime/src/model_access.hpp): the analyses' view of a Model ----

#include "model_access.hpp"

namespace axisim::detail {

const CompiledSystem& ModelAccess::system(const Model& m) { return m.impl_->system; }

const std::shared_ptr<const Model::Impl>& ModelAccess::impl(const Model& m) { return m.impl_; }

std::vector<InitialOverride> ModelAccess::overrides(const Model& m) { return to_internal(m.overrides_); }

const std::vector<std::shared_ptr<const PluginBinding>>& ModelAccess::plugins(const Model& m) { return m.plugins_; }

std::uint32_t ModelAccess::symbol(const Model& m, std::string_view id) { return m.impl_->symbol(id); }

void ModelAccess::require_defined(const Model& m) { require_defined_values(m.impl_->system.ir(), m.overrides_); }

bool ModelAccess::names_time(const Model& m, std::string_view id) {
  return id == "time" && !m.impl_->system.ir().find(std::string(id));
}

std::pair<std::vector<std::string>, std::vector<OutputRead>> ModelAccess::outputs(const Model& m,
                                                                                  const std::vector<OutputSpec>& outputs) {
  std::pair<std::vector<std::string>, std::vector<OutputRead>> out;
  auto& [columns, reads] = out;
  const CompiledSystem& sys = m.impl_->system;
  if (!outputs.empty()) {
    for (const OutputSpec& o : outputs) {
      columns.push_back(o.id);
      reads.push_back(resolve_output(*m.impl_, m.plugins_, o));
    }
    return out;
  }
  for (std::uint32_t s = 0; s < sys.ir().symbols.size(); ++s)
    if (sys.ir().symbols[s].kind == SymbolKind::Species) {
      columns.push_back(sys.ir().symbols[s].id);
      reads.push_back({OutputRead::From::Model, s, Quantity::Default});
    }
  for (std::size_t p = 0; p < m.plugins_.size(); ++p)
    for (std::size_t i = 0; i < m.plugins_[p]->plugin.outputs().size(); ++i) {
      columns.push_back(m.plugins_[p]->plugin.name() + "." + m.plugins_[p]->plugin.outputs()[i].name);
      reads.push_back({OutputRead::From::PluginOutput, 0, Quantity::Default, p, i});
    }
  return out;
}

}  // namespace axisim::detail
