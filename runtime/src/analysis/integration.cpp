#include "analysis/integration.hpp"

#include <algorithm>

#include "axisim/error.hpp"
#include "run/simulation.hpp"

namespace axisim::detail {

std::vector<double> integrate_from(const ReducedSystem& rs, const std::vector<double>& y, double horizon, double atol,
                                   long* rhs_evaluations, const StopFlag* stop) {
  const CompiledSystem& sys = rs.system();
  const ModelIR& ir = sys.ir();
  // The start: the point's values with every model state set to y (overrides replace initial
  // values and initial assignments alike), each in the quantity it is stored in.
  std::vector<InitialOverride> overrides;
  std::vector<bool> is_state(ir.symbols.size(), false);
  for (std::size_t k = 0; k < rs.model_states(); ++k) is_state[sys.state_slot(k)] = true;
  for (const InitialOverride& o : rs.overrides())
    if (!is_state[o.symbol]) overrides.push_back(o);
  std::vector<std::string> columns{"time"};
  std::vector<OutputRead> reads;
  for (std::size_t k = 0; k < rs.model_states(); ++k) {
    const std::uint32_t s = sys.state_slot(k);
    Quantity q = Quantity::Default;
    if (ir.symbols[s].kind == SymbolKind::Species)
      q = sys.amount_state(s) == static_cast<std::int64_t>(k) ? Quantity::Amount : Quantity::Concentration;
    overrides.push_back(InitialOverride{s, y[k], q});
    columns.push_back(ir.symbols[s].id);
    reads.push_back({OutputRead::From::Model, s, q});
  }
  // Plugins start from their part of y: copies of their bindings with those initial states.
  std::vector<std::shared_ptr<const PluginBinding>> plugins;
  std::size_t offset = rs.model_states();
  for (std::size_t p = 0; p < rs.plugins().size(); ++p) {
    auto b = std::make_shared<PluginBinding>(*rs.plugins()[p]);
    for (std::size_t i = 0; i < b->initial_states.size(); ++i) {
      b->initial_states[i] = y[offset + i];
      b->state_given[i] = true;  // the state reached, not what init would compute
      columns.push_back(b->plugin.name() + "." + b->plugin.states()[i].name);
      reads.push_back({OutputRead::From::PluginState, 0, Quantity::Default, p, i});
    }
    offset += b->initial_states.size();
    plugins.push_back(std::move(b));
  }
  SimulationOptions o;
  o.start = 0.0;
  o.end = horizon;
  o.steps = 1;
  o.atol = atol;
  o.rtol = 1e-8;
  o.stop = stop;
  const Result r = simulate(sys, o, overrides, plugins, std::move(columns), reads);
  if (r.stopped) throw Stopped(r.stopped, "steady state stopped on request while integrating towards it: " + r.error);
  if (!r.error.empty()) throw Error(ErrorKind::Plugin, r.error);
  if (rhs_evaluations) *rhs_evaluations += r.stats.rhs_evaluations;
  std::vector<double> out(y.size());
  const auto last = r.row(r.rows() - 1);
  std::copy(last.begin() + 1, last.end(), out.begin());
  return out;
}

}  // namespace axisim::detail
