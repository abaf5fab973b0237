// ssa_model.hpp — a compiled model prepared for exact stochastic simulation.
//
// Built once from the CompiledSystem (and the user's initial values), shared read-only by every
// thread. It decides what SSA can mean and refuses the rest, naming the element: the species
// that reactions change become molecule counts; each reaction's propensity is its kinetic law
// (extent per time) times the molecules per unit of substance; the reaction dependency graph is
// compiled into one Program per reaction that recomputes, after that reaction fires, exactly the
// assignment-rule variables and reaction rates that depend on what it changed, in dependency
// order. Assignment rules, rate rules and events keep their SBML meaning between firings (see
// docs/stochastic.md for the exact rules). Nothing here allocates or looks up an id after
// construction; a run's memory is in SsaRun (ssa_run.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "compile/compiled_system.hpp"
#include "compile/program.hpp"

namespace axisim::detail {

class NativeBuild;

class SsaModel {
 public:
  // Throws Error(Unsupported) naming what SSA cannot mean, Error(InvalidSbml) for values the
  // model never defines. `overrides` are the user's initial values (Model::set_value).
  SsaModel(const CompiledSystem& system, const std::vector<InitialOverride>& overrides, Backend backend,
           const std::string& label);
  ~SsaModel();
  SsaModel(const SsaModel&) = delete;
  SsaModel& operator=(const SsaModel&) = delete;

  const CompiledSystem& system() const { return sys_; }

  // One change of one species count when a reaction fires.
  struct Change {
    std::uint32_t count;  // index into the counts (species_)
    std::uint32_t slot;   // the species' symbol (ws.values holds its amount)
    double delta;         // molecules, a whole number (stoichiometry times conversion factor)
  };
  struct Reaction {
    std::uint32_t symbol = 0;                  // its value is the rate (extent per time)
    std::uint32_t changes_begin = 0, changes_end = 0;    // into changes()
    std::uint32_t affected_begin = 0, affected_end = 0;  // reactions whose propensity may change
    std::uint32_t events_begin = 0, events_end = 0;      // events whose trigger may change
    Program after;              // the rules and rates its firing changes, in dependency order
    bool rate_rules = false;    // the rate of some rate rule may change
    bool timed_events = false;  // some of those triggers also depend on time
    // Hybrid runs: its firing changes what the integration between firings reads (a rate rule's
    // rate, a time-dependent propensity, a locator), so CVODE starts again after it.
    bool continuous = false;
    // Its reactants that are counts (into reactants()), and its order: the sum of the
    // stoichiometries of all its reactants (tau-leaping's step selection, tau_leap.cpp).
    std::uint32_t reactants_begin = 0, reactants_end = 0;
    double order = 0.0;
  };
  // A reactant of a reaction that is a count, with its stoichiometry as a reactant.
  struct Reactant {
    std::uint32_t count;
    double stoichiometry;
  };
  struct Species {
    std::uint32_t slot = 0;  // the species' symbol; ws.values holds its amount
  };

  std::size_t num_reactions() const { return reactions_.size(); }
  const Reaction& reaction(std::size_t j) const { return reactions_[j]; }
  const std::vector<Change>& changes() const { return changes_; }
  const std::vector<Reactant>& reactants() const { return reactants_; }
  const std::vector<std::uint32_t>& affected() const { return affected_; }
  // Each reaction's symbol, by reaction index: v[symbol] is its rate.
  const std::vector<std::uint32_t>& rate_slots() const { return rate_slots_; }
  const std::vector<std::uint32_t>& event_lists() const { return event_lists_; }
  const std::vector<Species>& species() const { return species_; }
  // Molecules per unit of substance (1 for items; Avogadro's number for moles).
  double items_per_substance() const { return items_per_substance_; }
  bool unit_scale() const { return items_per_substance_ == 1.0; }

  // Every assignment-rule variable and reaction rate that does not change with time between
  // firings, in dependency order (after events and at the start).
  const Program& state_program() const { return state_; }
  // The assignment rules that read time or a rate rule's variable, in dependency order.
  const Program& timed_program() const { return timed_; }
  // Each rate rule's rate, into out[i]; constant between firings unless the run is hybrid().
  const Program& rate_program() const { return rates_; }
  const std::vector<std::uint32_t>& rate_rule_variables() const { return rate_vars_; }
  // Events whose trigger depends on time or on a rate rule's variable in a way the switch
  // analysis below cannot follow (sin(time) > 0.5): their switches are roots of the locators of
  // a hybrid run. In a hybrid run, every trigger that reads a rate rule's variable is one.
  const std::vector<std::uint32_t>& timed_events() const { return timed_events_; }
  // Whether firing reaction j can change the trigger of an event that reads time.
  bool any_timed_events() const { return !timed_events_.empty() || !exact_events_.empty(); }

  // The comparisons that time-dependent triggers (or time-dependent propensities) are made of.
  // Between firings each g_i (lhs - rhs of a comparison, or a value read as a truth value) is
  // affine in time from one switch of the set to the next: slope i, evaluated at an instant,
  // is dg_i/dt until the next switch of any comparison of the set. So the next instant at which
  // comparison i changes is -g_i/slope_i away, refined to the exact double (ssa_run.cpp).
  struct Comparisons {
    Program values;  // out[i] = g_i
    Program slopes;  // out[i] = dg_i/dt
    std::vector<Op> ops;  // Gt, Geq, Lt, Leq, Eq or Neq: how g_i against 0 gives its truth
    std::size_t size() const { return ops.size(); }
    bool empty() const { return ops.empty(); }
  };
  // Events whose trigger reads time (or rate rules' variables) only through such comparisons:
  // their switching instants are computed exactly, pulses between firings included.
  const std::vector<std::uint32_t>& exact_events() const { return exact_events_; }
  const Comparisons& event_comparisons() const { return event_comparisons_; }
  // Reactions whose propensity changes with time between firings (it reads time or a rate
  // rule's variable, directly or through assignment rules), and the comparisons inside those
  // propensities (their switches are breakpoints of the propensity integral).
  const std::vector<std::uint32_t>& timed_reactions() const { return timed_reactions_; }
  const Comparisons& propensity_comparisons() const { return propensity_comparisons_; }
  std::size_t stack_size() const { return stack_size_; }

  // A hybrid run (ssa_hybrid.cpp): some rate rule's rate changes between firings (it reads time
  // or a rate rule's variable), or some trigger is not affine in time between switches. Between
  // firings CVODE integrates the rate rules' variables and the integral of a0, and stops at the
  // roots of the locators below (and where the integral reaches the exponential draw).
  bool hybrid() const { return hybrid_; }
  // out[i] = the i-th locator: zero where a comparison in a trigger that timed_events() lists,
  // in a time-dependent propensity or in a rate rule's rate switches.
  const Program& locators() const { return locators_; }
  // out[i] = d(locator i)/dt between firings (0 where it has no formula).
  const Program& locator_slopes() const { return locator_slopes_; }
  std::size_t num_locators() const { return num_locators_; }

  // The values at time 0 (initial values, assignments and rules, the user's overrides) with
  // every count a whole number, and the counts themselves.
  const std::vector<double>& initial_values() const { return initial_values_; }
  const std::vector<double>& initial_counts() const { return initial_counts_; }

  // How the next reaction is chosen: a linear search of the propensities (small networks), or a
  // binary tree of partial sums (from kTreeMinReactions reactions on).
  bool use_tree() const { return use_tree_; }
  static constexpr std::size_t kTreeMinReactions = 64;

  // A count that should be whole and is not (an event's assignment, or a carried run state's
  // value: `what` says which, "an event set"): rounded, with one warning per model naming the
  // species.
  void warn_not_whole(std::uint32_t species, double molecules, double time, const char* what) const;

  const std::string& reaction_id(std::size_t j) const { return sys_.ir().symbols[reactions_[j].symbol].id; }
  const std::string& species_id(std::size_t i) const { return sys_.ir().symbols[species_[i].slot].id; }
  bool native() const;
  // Time spent simulating, for Backend::Auto's decision to build native code (thread-safe).
  void note_simulated(double seconds) const;
  static constexpr double kNativeHotSeconds = 0.2;

 private:
  const CompiledSystem& sys_;
  std::vector<Reaction> reactions_;
  std::vector<Change> changes_;
  std::vector<Reactant> reactants_;
  std::vector<std::uint32_t> affected_;
  std::vector<std::uint32_t> rate_slots_;
  std::vector<std::uint32_t> event_lists_;
  std::vector<Species> species_;
  double items_per_substance_ = 1.0;
  Program state_, timed_, rates_;
  std::vector<std::uint32_t> rate_vars_;
  std::vector<std::uint32_t> timed_events_, exact_events_, timed_reactions_;
  Comparisons event_comparisons_, propensity_comparisons_;
  bool hybrid_ = false;
  Program locators_, locator_slopes_;
  std::size_t num_locators_ = 0;
  std::size_t stack_size_ = 1;
  std::vector<double> initial_values_, initial_counts_;
  bool use_tree_ = false;
  mutable std::atomic<bool> warned_not_whole_{false};
  std::unique_ptr<NativeBuild> native_;
};

}  // namespace axisim::detail
