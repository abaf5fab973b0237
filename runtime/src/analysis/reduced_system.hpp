// reduced_system.hpp — the steady-state equations of a model and its plugins, reduced.
//
// The full state y is the compiled model's states followed by the plugins' states, and F(y) is
// the coupled right-hand side at a frozen time. The unknowns x are the states that are neither
//   dependent: a species a conservation law determines from the independent species and the
//              law's total (n_d = link0 n_independent + offset_d, totals from the point's
//              initial state), nor
//   held:      a state nothing depends on (its column of the reduced Jacobian is zero), such as
//              an accumulator; it keeps its value and its own equation is checked afterwards.
// The residual is F on the unknowns' rows, its Jacobian J_R = dF_R/dx (analytic through the
// compiled Jacobian where the model has one and no plugin is attached, otherwise central
// differences on x). Evaluations allocate nothing; all scratch is sized when the layout is set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analysis/conservation.hpp"
#include "analysis/stoichiometry.hpp"
#include "compile/compiled_system.hpp"
#include "run/plugin_coupling.hpp"

namespace axisim::detail {

class ReducedSystem {
 public:
  ReducedSystem(const CompiledSystem& system, std::vector<std::shared_ptr<const PluginBinding>> plugins, double time,
                double atol);

  // A parameter point: the model initialised with `overrides` (non-state values, initial state,
  // stoichiometry, conservation laws and their totals). Held states are released. With
  // `keep_layout`, the laws and held states stay as they are and only values and totals change
  // (for difference quotients in a parameter, where x must keep its meaning) — unless the
  // stoichiometry itself changed (a stoichiometry computed from a parameter), which rebuilds the
  // layout all the same. Returns whether the layout was rebuilt.
  bool set_point(const std::vector<InitialOverride>& overrides, bool keep_layout = false);
  const std::vector<InitialOverride>& overrides() const { return overrides_; }

  const CompiledSystem& system() const { return sys_; }
  const std::vector<std::shared_ptr<const PluginBinding>>& plugins() const { return plugins_; }
  const Stoichiometry& stoichiometry() const { return stoich_; }
  const Conservation& conservation() const { return cons_; }
  double time() const { return time_; }

  std::size_t model_states() const { return n_model_; }
  std::size_t full_size() const { return n_full_; }
  const std::vector<double>& initial_state() const { return y0_; }
  std::size_t size() const { return unknowns_.size(); }
  const std::vector<std::size_t>& unknowns() const { return unknowns_; }
  const std::vector<std::size_t>& held() const { return held_; }
  // The state index of species row i of the stoichiometry (every row is a model state).
  std::size_t species_state(std::size_t row) const { return species_state_[row]; }
  // Per state: its unknown index, or -1.
  std::int64_t unknown_of(std::size_t state) const { return column_of_[state]; }

  void expand(const double* x, double* y) const;
  void restrict_to_unknowns(const double* y, double* x) const;

  // F(y); false when a value is not finite. Throws Error(Plugin) on a plugin's fault.
  bool derivatives(const double* y, double* f);
  // F on the unknowns at expand(x).
  bool residual(const double* x, double* r);
  // J_R at x (dense, row-major, size() x size()), r being residual(x). False if not finite.
  bool jacobian(const double* x, const double* r, double* J);
  bool analytic_jacobian() const { return analytic_; }

  // Holds the states whose reduced Jacobian column is zero at x and at a point near it, at their
  // value in x, and removes them from the unknowns (x is rewritten in the new layout). Returns
  // false when the Jacobian could not be evaluated.
  bool hold_free_states(std::vector<double>& x);
  // Held states take their values from full state y (where an integration left them).
  void take_held_values(const double* y) {
    for (std::size_t s : held_) held_value_[s] = y[s];
  }

  // The plugins' declared ranges (ABI version 2) at full state y: its plugin states and the
  // parameters the plugins drive there. Empty, or which plugin left which range, and by what value.
  std::string range_violation(const double* y);

  // Everything at y: ws.values complete (rules, rates), plugins' drive and outputs.
  const Workspace& complete(const double* y);
  double plugin_output(std::size_t plugin, std::size_t index) const { return coupling_.output(plugin, index); }

  // Per state: the absolute tolerance's scale (compartment size up to 1 for species kept as
  // amounts), whether it must not be negative (species, compartments), a name for messages.
  double atol_scale(std::size_t state) const { return atol_scale_[state]; }
  bool nonnegative(std::size_t state) const { return nonnegative_[state]; }
  std::string state_name(std::size_t state) const;
  // How far below zero state `s` of y may be before it counts as negative: 10 atol scale, plus
  // 1e-12 of the terms a conservation law computes it from.
  double negative_tolerance(std::size_t state, const double* y) const;
  // Whether the state is a model symbol (and which), for reading values as outputs.
  std::int64_t symbol_of(std::size_t state) const;

 private:
  void build_layout();
  void compute_offsets();

  const CompiledSystem& sys_;
  std::vector<std::shared_ptr<const PluginBinding>> plugins_;
  Coupling coupling_;
  double time_;
  double atol_;
  Workspace ws_;
  std::vector<InitialOverride> overrides_;
  std::size_t n_model_ = 0, n_full_ = 0;

  Stoichiometry stoich_;
  Conservation cons_;
  std::vector<std::size_t> species_state_;    // per stoichiometry row
  std::vector<std::size_t> dependent_state_;  // per law
  std::vector<double> offset_;                // per law
  std::vector<std::size_t> unknowns_, held_;
  std::vector<std::int64_t> column_of_;       // per state: unknown index or -1
  std::vector<std::int64_t> dependent_of_;    // per state: law index or -1
  // Per law: (unknown index, link0 coefficient) of the independent species it reads.
  std::vector<std::vector<std::pair<std::size_t, double>>> link_terms_;
  std::vector<double> held_value_;            // per state (used for held ones)

  std::vector<double> y0_, atol_scale_;
  std::vector<bool> nonnegative_;
  bool analytic_ = false;
  std::vector<double> increment_floor_;  // for the compiled Jacobian's numeric columns
  // Scratch, sized by the layout.
  std::vector<double> y_, f_, jac_values_, xp_, rp_, rm_;
};

}  // namespace axisim::detail
