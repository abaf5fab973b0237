// compiled_system.hpp — the model as the integrator sees it.
//
// Built once from the IR: decides which symbols are integrated (the state vector), how each
// species is stored (amount or concentration), the order in which assignment rules and
// reaction rates are computed, and compiles every formula into a Program. After construction
// nothing in here looks up an id or allocates; all per-run memory lives in a Workspace.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <memory>
#include <vector>

#include "axisim/model.hpp"
#include "compile/jacobian.hpp"
#include "compile/program.hpp"
#include "ir/model_ir.hpp"

namespace axisim::detail {

// Models with fewer states than this compile their ODE Jacobian (with algebraic rules or fast
// reactions, also the residuals' derivatives it needs) on first use, and Auto runs them on
// CVODE's dense difference quotients, where a Jacobian costs at most nine right-hand sides
// (run/simulation.cpp): for such a model, which loads in a fraction of a millisecond and
// simulates in less, compiling the Jacobian would be a sizeable part of a single run
// (docs/performance.md, "The small cases' load, mended").
inline constexpr std::size_t kEagerJacobianStates = 10;

class CompiledSystem;
class DelayHistory;

// How the programs of a model with delays read the past (CompiledSystem::delayed_value).
struct DelayContext {
  const CompiledSystem* system = nullptr;
  const DelayHistory* history = nullptr;  // none before a run starts: the past is the initial state
  DelayLookup lookup{};
  struct Scratch {
    std::vector<double> values, stack, y;
  };
  std::vector<Scratch> scratch;  // one per nesting level of delayed evaluations
  int depth = 0;
  // Per delayed expression, its value before time 0: the model's initial state (with this run's
  // initial values) evaluated at that earlier time.
  std::vector<Program> before_start;
};

// Per-simulation memory: the value of every symbol (then the Jacobian's intermediate
// derivatives) and the expression stack.
struct Workspace {
  std::vector<double> values;
  std::vector<double> perturbed_y, perturbed_ydot;  // difference quotients (states)
  std::vector<double> algebraic_jacobian;           // the Newton iteration's Jacobian, sparse
  std::vector<double> implicit;                     // the unknowns' derivatives (analytic_jacobian)
  long difference_quotient_evaluations = 0;  // right-hand sides spent on Jacobian columns
  std::vector<double> stack;
  std::vector<double> newton;           // scratch for the algebraic-rule solve
  std::unique_ptr<DelayContext> delay;  // only for models with delays

  const DelayLookup* delays() const { return delay ? &delay->lookup : nullptr; }
};

// A user-set initial value (Model::set_value).
struct InitialOverride {
  std::uint32_t symbol;
  double value;
  Quantity quantity;
};

// An event compiled: each formula is a Program writing its value(s) into an output array.
struct CompiledEvent {
  std::string id;
  Program trigger;      // out[0]: non-zero when the trigger is true
  Program delay;        // out[0]; empty when the event has no delay
  Program priority;     // out[0]; empty when the event has no priority
  Program assignments;  // out[i]: the value of assignment i, as the variable's math value
  std::vector<std::uint32_t> targets;  // assignment i sets targets[i]
  // Species first: a species' new concentration becomes an amount with its compartment's size
  // from before the event, even when the same event resizes the compartment (test 01779).
  std::vector<std::size_t> apply_order;
  bool initial_value = true;
  bool persistent = true;
  bool use_values_from_trigger_time = true;
};

class CompiledSystem {
 public:
  explicit CompiledSystem(ModelIR ir);

  const ModelIR& ir() const { return ir_; }
  std::size_t num_states() const { return state_slots_.size(); }
  std::uint32_t state_slot(std::size_t k) const { return state_slots_[k]; }
  bool has_assignment_rule(std::uint32_t symbol) const { return assigned_by_rule_[symbol]; }

  Workspace make_workspace() const;

  // Sets every symbol's value at time 0 (initial values, initial assignments, rules, rates).
  void initialize(Workspace& ws, const std::vector<InitialOverride>& overrides) const;
  // The state vector as stored in ws.values.
  void gather_state(const Workspace& ws, double* y) const;
  // Right-hand side: ydot = f(t, y). Returns false if a derivative is not finite. With
  // `all_assigned`, every assigned symbol is computed, not only those the derivatives need
  // (plugins read them).
  bool derivatives(double t, const double* y, double* ydot, Workspace& ws, bool all_assigned = false) const;

  // The Jacobian of derivatives() on a sparsity pattern known at compile time. The unknowns of
  // algebraic rules and fast reactions, solved for in every evaluation, are differentiated
  // implicitly (analytic_jacobian). Columns whose derivative has no formula are numeric: those
  // of the states a delay reads (delay reads the past) wherever the delayed value is used, and of
  // a state under factorial. nullptr only when a fast species' amount and an assignment rule
  // read each other (no order to differentiate them in). Plugins' states are not in it
  // (run/coupled_jacobian.hpp). A model of fewer than kEagerJacobianStates states compiles it
  // on the first call (safe from any thread): a run of such a model under Auto takes CVODE's
  // difference quotients and never asks, and a single short run is mostly load. (The Newton
  // iteration's own Jacobian for algebraic rules and fast reactions is compiled at load
  // whatever the size, so that a solve does not depend on whether this was asked for.)
  const CompiledJacobian* jacobian() const;
  // J at (t, y) as values in jacobian()->pattern's order, fy being derivatives(t, y). Analytic
  // columns come from the compiled derivatives, the rest (all, with `analytic` false) from
  // forward difference quotients with increments sqrt(eps) * max(|y_k|, increment_floor[k]).
  // Returns false if a value is not finite.
  bool jacobian_values(double t, const double* y, const double* fy, double* J, bool analytic,
                       const double* increment_floor, Workspace& ws) const;
  // The analytic entries only, at (t, y); the entries of numeric columns are left as they are.
  // Values ws does not get from y (parameters plugins drive) must be set for time t. Returns
  // false if the algebraic rules have no solution at y (or near it, see unknown_derivatives).
  bool analytic_jacobian(double t, const double* y, double* J, Workspace& ws) const;

  // What the model's values depend on, for the Jacobian of a run with plugins
  // (run/coupled_jacobian.hpp); computed on demand, not for the hot path.
  // The states (sorted) that `symbol`'s math value depends on when every assigned symbol is
  // computed (as plugins see it): through rules, rates, delays and the algebraic solve.
  std::vector<std::uint32_t> states_read(std::uint32_t symbol) const;
  // What changes when `symbols` (parameters a plugin drives) change: symbols' math values and
  // derivatives (rows).
  struct Reach {
    std::vector<bool> symbols, rows;
  };
  Reach reached_from(const std::vector<std::uint32_t>& symbols) const;

  // The state index of a species integrated as its amount (where a plugin may add a flux), or -1.
  std::int64_t amount_state(std::uint32_t symbol) const;
  // A non-constant parameter that nothing in the model sets (which a plugin may drive).
  bool is_free_parameter(std::uint32_t symbol) const;
  // Discontinuity locators: one function per relational operator, floor, ceiling, rem and
  // quotient that the derivatives depend on, each crossing zero where the right-hand side jumps.
  // The integrator stops at their roots so that it never steps over a discontinuity.
  std::size_t num_roots() const { return num_roots_; }
  // Locators [0, num_rhs_roots()) are the right-hand side's switches; the rest are the event
  // triggers' (in event order).
  std::size_t num_rhs_roots() const { return num_rhs_roots_; }
  void roots(double t, const double* y, double* g, Workspace& ws) const;
  // Every symbol some locator reads, directly or through what decides its value (as
  // reads_transitively). Sorted; empty without locators.
  const std::vector<std::uint32_t>& locator_reads() const { return locator_reads_; }
  // Per-state scale for the absolute tolerance: a species kept as an amount but reported as a
  // concentration gets atol * min(1, size), so that its concentration is as accurate as asked.
  std::vector<double> tolerance_scale(const Workspace& initialized) const;

  const std::vector<CompiledEvent>& events() const { return events_; }

  // Every program a run executes repeatedly (right-hand side, Jacobian, rules, roots, events),
  // for a back-end that compiles them to native code (compile/native_code.hpp).
  std::vector<const Program*> programs() const;
  // The bytecode size of those programs: how much a native back-end would have to compile.
  std::size_t program_size() const;

  // Models with the delay csymbol integrate with a history of their past (simulation.cpp) and
  // with steps no longer than their shortest constant delay (0: no limit).
  bool has_delays() const { return !delayed_.empty(); }
  double max_step_for_delays() const { return min_constant_delay_; }
  // The value of delayed expression `which` at time now - delay, given the present values.
  double delayed_value(DelayContext& c, std::uint32_t which, double delay, double now, const double* current) const;
  // Runs a one-value program (trigger, delay, priority) on a complete ws.values.
  double evaluate(const Program& p, double t, Workspace& ws) const;
  // Executes an event's assignments with precomputed values (the variables' math values).
  // Amounts are what SBML conserves: a species assigned a concentration gets the amount that
  // concentration has in its compartment's size from before the event, and a species kept as a
  // concentration is rescaled when its compartment is resized (tests 01505, 01779).
  void apply_event(const CompiledEvent& e, const double* values, Workspace& ws) const;

  // Loads y and recomputes every assigned symbol, so that ws.values is complete at time t.
  void update_all(double t, const double* y, Workspace& ws) const;

  // A symbol's value in the requested quantity, read from a complete ws.values.
  double read(const Workspace& ws, std::uint32_t symbol, Quantity q) const;
  // The inverse of read: sets a symbol's stored value (a species' in its compartment's present
  // size) in the middle of a run; a fast species starts to re-equilibrate from it, as after an
  // event. Rules are not recomputed (update_all does that).
  void write(Workspace& ws, std::uint32_t symbol, double value, Quantity q) const;

 private:
  struct StoichEntry {
    std::uint32_t state;
    std::uint32_t rate_slot;
    std::int64_t stoichiometry_slot;  // the species reference's symbol, or kNone
    double stoichiometry;             // signed (reactants negative); only the sign with a slot
    std::int64_t conversion_factor_slot;
  };

  void classify();
  void prepare_fast_reactions();
  void find_min_constant_delay();
  void match_algebraic_rules();
  // Pairs each algebraic rule with a distinct free variable in it (maximum bipartite matching),
  // never one in `excluded`; rule_of[symbol] is the rule or kNone. False if some rule is left.
  bool match_algebraic_variables(const std::vector<bool>& excluded, std::vector<std::int64_t>& rule_of) const;
  // Solves the algebraic rules for their variables at time t (Newton's method, warm-started
  // from the values in ws), leaving ws.values consistent. Returns false if it fails to converge.
  bool solve_algebraic(double t, Workspace& ws) const;
  double algebraic_residual(double t, Workspace& ws, double* r) const;
  // Where Newton's method fails on fast reactions: follows them to their equilibrium, with the
  // algebraic rules (if any) holding at every step (fast_equilibrium.cpp).
  bool relax_to_equilibrium(double t, Workspace& ws) const;
  // The Newton iteration's Jacobian, and the ODE Jacobian now or on first use (jacobian()).
  void compile_jacobians(const std::vector<std::uint32_t>& ordered, const std::vector<bool>& needed,
                         std::vector<Expr> ydot);
  // The ODE Jacobian and, with a solve, the residuals' with respect to the states.
  void compile_ode_jacobian(const std::vector<std::uint32_t>& chain, const std::vector<Expr>& definitions,
                            std::vector<Expr> ydot) const;
  // What compile_jacobian differentiates: `rows` with respect to the symbols `column_of` numbers,
  // through the `assigned` symbols (in order) and their `definition`s. The vectors referred to
  // must outlive the compile.
  JacobianSource jacobian_source(const std::vector<std::int64_t>& column_of, const std::vector<std::uint32_t>& assigned,
                                 const std::vector<Expr>& definition, std::vector<Expr> rows) const;
  // Every symbol the `roots` read, directly or through what decides their values: assigned
  // symbols' formulas, fast species' amounts, delayed expressions, and the algebraic rules and
  // fast reactions for the unknowns solved from them. Sorted.
  std::vector<std::uint32_t> reads_transitively(const std::vector<const Expr*>& roots) const;
  // dependencies(e), plus everything each delay(x, d) in e reads through x.
  std::vector<std::uint32_t> jacobian_dependencies(const Expr& e) const;
  // An assigned symbol's formula, or a fast species' amount.
  const Expr& definition(std::uint32_t symbol) const;
  // J = d(residual)/d(unknowns) at the current values (dense, row-major), r being the residual
  // there: analytic where every residual has a derivative, else forward differences.
  void algebraic_jacobian(double t, Workspace& ws, const double* r, double* J, double* scratch) const;
  // Writes d(unknown)/d(state) into the Jacobian's slots for the unknowns, at the solution in
  // ws.values for the states y (left as it was found). False if re-solving at a perturbed
  // state fails (only tried where d(residuals)/d(unknowns) is singular).
  bool unknown_derivatives(double t, const double* y, Workspace& ws) const;
  Expr expand_rate_of(const Expr& e, int depth) const;
  static Expr without_rate_of(const Expr& e);
  Expr derivative_of(std::uint32_t symbol, int depth) const;
  // One reaction's contribution to a species' amount rate: stoichiometry * rate * conversion factor.
  static Expr stoich_term(const StoichEntry& e);
  Expr initial_expr(std::uint32_t s, const std::vector<InitialOverride>& overrides) const;
  Expr to_stored(std::uint32_t species, Expr value, Quantity given) const;
  std::vector<std::uint32_t> dependencies(const Expr& e) const;
  // Topological order of `nodes` (each with an expression); throws on a cycle.
  std::vector<std::uint32_t> order(const std::vector<std::uint32_t>& nodes,
                                   const std::vector<const Expr*>& exprs, const char* what) const;
  // The initial-value program; with `only_for`, just what that expression needs, then its value.
  Program compile_initial(const std::vector<InitialOverride>& overrides, const Expr* only_for) const;
  // The symbols `root` reads, directly or through the definitions given (nullptr: an input).
  std::vector<bool> needed_by(const Expr& root, const std::vector<const Expr*>& definition) const;

  ModelIR ir_;
  std::vector<SymbolLoad> loads_;
  std::vector<bool> stores_amount_;     // species kept as amounts (math may still see concentration)
  std::vector<bool> assigned_by_rule_;
  std::vector<std::int64_t> rate_rule_of_;  // index into ir_.rate_rules, or kNone
  std::vector<std::int64_t> state_of_;      // state index, or kNone
  std::vector<Expr> assigned_expr_;         // per symbol: rule or kinetic law (rateOf expanded)
  std::vector<std::uint32_t> state_slots_;
  std::vector<StoichEntry> stoich_;
  std::vector<std::uint32_t> species_states_;  // state indices whose derivative is the stoich sum
  void collect_switches(const Expr& e, std::vector<Expr>& out) const;
  bool varies(const Expr& e) const;

  Program rhs_assign_;  // assigned symbols the derivatives need, in dependency order
  Program rhs_rates_;   // rate-rule derivatives, into ydot
  // The stoichiometric sums, into ydot: the same sums as the loop over stoich_ in the same order
  // (so the same numbers); the loop is faster interpreted, the program once compiled natively.
  Program rhs_stoich_;
  // The ODE Jacobian once compiled (published through jacobian_ready_), and until then what
  // compiling it needs (pending_jacobian_, only for models that compile it on first use).
  mutable std::unique_ptr<CompiledJacobian> jacobian_;
  struct PendingJacobian {
    std::once_flag once;
    std::vector<std::uint32_t> chain;  // the assigned symbols the derivatives read, in order
    std::vector<Expr> ydot;
    std::vector<Expr> definitions;  // with the fast species' amounts in place; empty: assigned_expr_
  };
  std::unique_ptr<PendingJacobian> pending_jacobian_;
  mutable std::atomic<const CompiledJacobian*> jacobian_ready_{nullptr};
  // Grows a workspace made before the Jacobian was compiled to what its program needs.
  void fit_workspace(const CompiledJacobian& jac, Workspace& ws) const;
  std::unique_ptr<CompiledJacobian> algebraic_jacobian_;  // d(residuals)/d(unknowns), if analytic
  // d(residuals)/d(states) with the unknowns held, square (rows past the residuals are zero).
  mutable std::unique_ptr<CompiledJacobian> residual_jacobian_;  // set with jacobian_ (compile_ode_jacobian)
  std::vector<std::uint32_t> solved_states_;  // the states the residuals read (sorted)
  Program roots_;       // discontinuity locators, into g
  Program algebraic_;   // residual of each algebraic rule, into r
  // The unknowns of the Newton solve: the variable each algebraic rule determines, then the
  // extents of fast reactions.
  std::vector<std::uint32_t> algebraic_vars_;
  struct FastSpecies {
    std::uint32_t species = 0;
    std::uint32_t free_amount = 0;  // internal symbol, integrated: the amount slow reactions make
    std::vector<Expr> moves;        // stoichiometry * conversion factor * extent, per fast reaction
  };
  std::vector<FastSpecies> fast_species_;
  std::vector<Expr> fast_amounts_;           // per fast species: fast_amount()
  std::vector<std::int64_t> fast_of_;        // per symbol: its index in fast_species_, or kNone
  std::vector<bool> is_unknown_;             // per symbol: one of algebraic_vars_
  std::vector<Expr> residuals_;              // what the Newton iteration zeroes, rateOf expanded
  std::vector<std::uint32_t> solve_reads_;   // reads_transitively(residuals_)
  std::vector<std::uint32_t> locator_reads_;  // reads_transitively(every locator)
  std::vector<Expr> rate_exprs_;             // per rate rule: its formula, rateOf expanded
  // Every assigned symbol and fast species' amount, each after what its definition reads.
  std::vector<std::uint32_t> definition_order_;
  // A fast species' amount: its free amount moved along the fast reactions by their extents.
  static Expr fast_amount(const FastSpecies& f);
  std::vector<std::uint32_t> fast_extents_;  // internal symbols: each fast reaction's extent
  std::vector<std::uint32_t> fast_rates_;    // reaction symbols of the fast reactions
  Program equilibrate_;                      // each fast species' amount from free amount and extents
  bool is_fast_species(std::uint32_t s) const;
  std::size_t num_roots_ = 0;
  std::size_t num_rhs_roots_ = 0;
  Program all_assigned_;
  Program initial_;    // for runs without overrides
  std::vector<CompiledEvent> events_;
  std::vector<Program> delayed_;      // the x of each delay(x, d)
  std::vector<Expr> delayed_exprs_;   // the same, rateOf expanded
  std::vector<std::vector<std::uint32_t>> delay_reads_;  // per delay: reads_transitively(x)
  std::vector<Expr> delayed_before_start_exprs_;  // the same with rateOf = 0: nothing moved before 0
  double min_constant_delay_ = 0.0;
  std::vector<std::vector<std::uint32_t>> concentration_species_;  // per compartment symbol
  std::size_t stack_size_ = 0;
};

}  // namespace axisim::detail
