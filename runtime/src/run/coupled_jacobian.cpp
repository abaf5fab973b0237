#include "run/coupled_jacobian.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "solve/incomplete_lu.hpp"

namespace axisim::detail {
namespace {

constexpr std::int64_t kNumeric = -1;
constexpr std::int64_t kPlugin = -2;

struct Entry {
  std::uint32_t row;
  std::int64_t model_entry;  // or kNumeric, kPlugin
  std::int64_t plugin_value = -1;  // kPlugin: index into plugin_values_
};

}  // namespace

CoupledJacobian::CoupledJacobian(const CompiledSystem& system, Coupling& coupling)
    : system_(system), coupling_(coupling) {
  const CompiledJacobian& model = *system.jacobian();
  const SparsePattern& mp = model.pattern;
  const std::size_t n = system.num_states();
  const std::size_t total = n + coupling.num_states();
  const auto& plugins = coupling.plugins();

  std::vector<std::vector<Entry>> columns(total);
  std::vector<bool> model_numeric(n, false);
  for (std::uint32_t k : model.numeric_columns) model_numeric[k] = true;
  for (std::size_t k = 0; k < n; ++k)
    for (std::int64_t p = mp.column_start[k]; p < mp.column_start[k + 1]; ++p)
      columns[k].push_back({static_cast<std::uint32_t>(mp.row[static_cast<std::size_t>(p)]), model_numeric[k] ? kNumeric : p});

  // The rows each plugin's derivatives() writes: its own states and the species it adds to.
  std::vector<std::vector<std::uint32_t>> writes(plugins.size());
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    for (std::size_t s = 0; s < plugins[i]->info->num_states; ++s)
      writes[i].push_back(static_cast<std::uint32_t>(n + coupling.offset(i) + s));
    for (const PluginBinding::Effect& e : plugins[i]->effects)
      if (e.flux) writes[i].push_back(static_cast<std::uint32_t>(e.state));
  }
  auto add_numeric = [&](std::size_t column, const std::vector<std::uint32_t>& rows) {
    for (std::uint32_t r : rows) columns[column].push_back({r, kNumeric});
  };
  // A model state that a plugin's input depends on moves what that plugin writes.
  for (std::size_t l = 0; l < plugins.size(); ++l) {
    std::vector<std::uint32_t> read;
    for (std::uint32_t input : plugins[l]->inputs) {
      const std::vector<std::uint32_t> states = system.states_read(input);
      read.insert(read.end(), states.begin(), states.end());
    }
    std::sort(read.begin(), read.end());
    read.erase(std::unique(read.begin(), read.end()), read.end());
    for (std::uint32_t k : read) add_numeric(k, writes[l]);
  }
  // A version 2 plugin's own block from its callback, where nothing it drives reaches its inputs.
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    if (!plugins[i]->plugin.has_jacobian()) continue;
    std::vector<std::uint32_t> driven;
    for (const PluginBinding::Effect& e : plugins[i]->effects)
      if (!e.flux) driven.push_back(e.symbol);
    if (!driven.empty()) {
      const CompiledSystem::Reach reach = system.reached_from(driven);
      if (std::any_of(plugins[i]->inputs.begin(), plugins[i]->inputs.end(), [&](std::uint32_t s) {
            return reach.symbols[s] || std::find(driven.begin(), driven.end(), s) != driven.end();
          }))
        continue;
    }
    const std::size_t ns = plugins[i]->info->num_states, first = n + coupling.offset(i);
    plugin_blocks_.push_back({i, plugin_values_.size()});
    for (std::size_t c = 0; c < ns; ++c)
      for (std::size_t r = 0; r < ns; ++r)
        columns[first + c].push_back({static_cast<std::uint32_t>(first + r), kPlugin,
                                      static_cast<std::int64_t>(plugin_values_.size() + r * ns + c)});
    plugin_values_.resize(plugin_values_.size() + ns * ns);
  }
  // A plugin's state moves what the plugin writes and, through the parameters it drives,
  // whatever reads them: derivatives of the model and other plugins' inputs.
  for (std::size_t i = 0; i < plugins.size(); ++i) {
    std::vector<std::uint32_t> rows = writes[i];
    std::vector<std::uint32_t> driven;
    for (const PluginBinding::Effect& e : plugins[i]->effects)
      if (!e.flux) driven.push_back(e.symbol);
    if (!driven.empty()) {
      const CompiledSystem::Reach reach = system.reached_from(driven);
      for (std::uint32_t r = 0; r < n; ++r)
        if (reach.rows[r]) rows.push_back(r);
      for (std::size_t l = 0; l < plugins.size(); ++l)
        if (std::any_of(plugins[l]->inputs.begin(), plugins[l]->inputs.end(),
                        [&](std::uint32_t s) { return reach.symbols[s]; }))
          rows.insert(rows.end(), writes[l].begin(), writes[l].end());
    }
    for (std::size_t s = 0; s < plugins[i]->info->num_states; ++s) add_numeric(n + coupling.offset(i) + s, rows);
  }

  // CSC: rows sorted, each once; an entry any plugin writes is numeric, unless its callback
  // gives it (kPlugin sorts first, so it is the one kept).
  pattern_.n = total;
  pattern_.column_start.assign(total + 1, 0);
  std::vector<bool> numeric_column(total, false);
  for (std::size_t k = 0; k < total; ++k) {
    std::vector<Entry>& c = columns[k];
    std::sort(c.begin(), c.end(), [](const Entry& a, const Entry& b) {
      return a.row != b.row ? a.row < b.row : a.model_entry < b.model_entry;  // kNumeric first
    });
    c.erase(std::unique(c.begin(), c.end(), [](const Entry& a, const Entry& b) { return a.row == b.row; }), c.end());
    for (const Entry& e : c) {
      pattern_.row.push_back(e.row);
      model_entry_.push_back(e.model_entry);
      plugin_entry_.push_back(e.plugin_value);
      if (e.model_entry == kNumeric) numeric_column[k] = true;
    }
    pattern_.column_start[k + 1] = static_cast<std::int64_t>(pattern_.row.size());
  }
  std::vector<std::uint32_t> numeric, all(total);
  for (std::uint32_t k = 0; k < total; ++k) {
    all[k] = k;
    if (numeric_column[k]) numeric.push_back(k);
  }
  numeric_columns_ = numeric.size();
  numeric_groups_ = group_columns(pattern_, numeric);
  all_groups_ = group_columns(pattern_, all);
  exact_lu_entries_ = detail::exact_lu_entries(pattern_);
  model_values_.assign(mp.nonzeros(), 0.0);
  perturbed_y_.assign(total, 0.0);
  perturbed_ydot_.assign(total, 0.0);
}

int CoupledJacobian::values(double t, const double* y, const double* fy, double* J, bool analytic,
                            const double* increment_floor, Workspace& ws) {
  const SparsePattern& pat = pattern_;
  if (analytic) {
    if (!coupling_.drive(t, y, ws)) return -1;  // the driven parameters at y, which the model reads
    if (!system_.analytic_jacobian(t, y, model_values_.data(), ws)) return 1;
    for (std::size_t p = 0; p < pat.nonzeros(); ++p)
      if (model_entry_[p] >= 0) J[p] = model_values_[static_cast<std::size_t>(model_entry_[p])];
    for (const PluginBlock& b : plugin_blocks_)
      if (!coupling_.jacobian(b.plugin, t, y, plugin_values_.data() + b.offset, ws)) return -1;
    for (std::size_t p = 0; p < pat.nonzeros(); ++p)
      if (model_entry_[p] == kPlugin) J[p] = plugin_values_[static_cast<std::size_t>(plugin_entry_[p])];
  }
  // Forward differences, one whole right-hand side per group of columns that share no row.
  const double sqrt_eps = std::sqrt(std::numeric_limits<double>::epsilon());
  double* yp = perturbed_y_.data();
  double* fp = perturbed_ydot_.data();
  std::copy_n(y, pat.n, yp);
  for (const std::vector<std::uint32_t>& group : analytic ? numeric_groups_ : all_groups_) {
    for (std::uint32_t k : group) yp[k] = y[k] + sqrt_eps * std::max(std::fabs(y[k]), increment_floor[k]);
    ++ws.difference_quotient_evaluations;
    const int flag = coupling_.right_hand_side(t, yp, fp, ws);
    if (flag != 0) return flag;
    for (std::uint32_t k : group) {
      const double h = yp[k] - y[k];  // the increment as represented
      for (std::int64_t p = pat.column_start[k]; p < pat.column_start[k + 1]; ++p) {
        const auto q = static_cast<std::size_t>(p);
        if (analytic && model_entry_[q] != kNumeric) continue;
        const auto i = static_cast<std::size_t>(pat.row[q]);
        J[q] = (fp[i] - fy[i]) / h;
      }
      yp[k] = y[k];
    }
  }
  for (std::size_t p = 0; p < pat.nonzeros(); ++p)
    if (!std::isfinite(J[p])) return 1;
  return 0;
}

}  // namespace axisim::detail
