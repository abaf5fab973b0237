#include "compile/compiled_system.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "axisim/error.hpp"
#include "run/delay_history.hpp"
#include "solve/dense_linear.hpp"

namespace axisim::detail {
namespace {

// rateOf of a rate rule that uses rateOf of another rule, and so on: deeper than this is a cycle.
constexpr int kMaxRateOfDepth = 64;

bool is_species(const Symbol& s) { return s.kind == SymbolKind::Species; }

Expr times(Expr a, Expr b) { return Expr::call(Op::Times, {std::move(a), std::move(b)}); }
Expr divide(Expr a, Expr b) { return Expr::call(Op::Divide, {std::move(a), std::move(b)}); }

bool is_zero(const Expr& e) { return e.op == Op::Number && e.value == 0.0; }

}  // namespace

CompiledSystem::CompiledSystem(ModelIR ir) : ir_(std::move(ir)) {
  classify();
  match_algebraic_rules();
  algebraic_vars_.insert(algebraic_vars_.end(), fast_extents_.begin(), fast_extents_.end());

  // Every symbol computed from others at each time: assignment-rule variables and reaction rates.
  std::vector<std::uint32_t> assigned;
  std::vector<const Expr*> exprs;
  for (std::uint32_t s = 0; s < ir_.symbols.size(); ++s)
    if (assigned_by_rule_[s] || ir_.symbols[s].kind == SymbolKind::Reaction) {
      assigned.push_back(s);
      exprs.push_back(&assigned_expr_[s]);
    }
  const std::vector<std::uint32_t> ordered = order(assigned, exprs, "assignment rules and reaction rates");

  // The right-hand side computes only the assigned symbols that derivatives depend on.
  std::vector<bool> needed(ir_.symbols.size(), false);
  std::vector<std::uint32_t> pending;
  auto need = [&](std::uint32_t s) {
    if (!needed[s]) { needed[s] = true; pending.push_back(s); }
  };
  for (const Rule& r : ir_.rate_rules) {
    rate_exprs_.push_back(expand_rate_of(r.math, 0));
    for (std::uint32_t d : dependencies(rate_exprs_.back())) need(d);
  }
  for (const StoichEntry& e : stoich_) {
    need(e.rate_slot);
    if (e.stoichiometry_slot != kNone) need(static_cast<std::uint32_t>(e.stoichiometry_slot));
    if (e.conversion_factor_slot != kNone) need(static_cast<std::uint32_t>(e.conversion_factor_slot));
  }
  while (!pending.empty()) {
    const std::uint32_t s = pending.back();
    pending.pop_back();
    if (assigned_by_rule_[s] || ir_.symbols[s].kind == SymbolKind::Reaction)
      for (std::uint32_t d : dependencies(assigned_expr_[s])) need(d);
  }

  std::vector<Expr> switches;
  for (std::uint32_t s : ordered) {
    all_assigned_.add_store(assigned_expr_[s], s, loads_);
    if (!needed[s]) continue;
    rhs_assign_.add_store(assigned_expr_[s], s, loads_);
    collect_switches(assigned_expr_[s], switches);
  }
  for (std::size_t i = 0; i < ir_.rate_rules.size(); ++i) {
    rhs_rates_.add_store_out(rate_exprs_[i], static_cast<std::uint32_t>(state_of_[ir_.rate_rules[i].variable]), loads_);
    collect_switches(rate_exprs_[i], switches);
  }
  // Each state's derivative as one formula: the analytic Jacobian differentiates them, native
  // code computes the stoichiometric sums from them.
  std::vector<Expr> ydot(state_slots_.size(), Expr::number(0.0));
  for (std::size_t i = 0; i < ir_.rate_rules.size(); ++i)
    ydot[static_cast<std::size_t>(state_of_[ir_.rate_rules[i].variable])] = rate_exprs_[i];
  for (std::uint32_t k : species_states_) ydot[k] = Expr::call(Op::Plus, {});
  for (const StoichEntry& e : stoich_) ydot[e.state].args.push_back(stoich_term(e));
  for (std::uint32_t k : species_states_) rhs_stoich_.add_store_out(ydot[k], k, loads_);

  // What the Jacobians need to know of delays and of the Newton solve: every symbol a delayed
  // expression or the equations read, through everything that decides their values.
  fast_of_.assign(ir_.symbols.size(), kNone);
  for (std::size_t i = 0; i < fast_species_.size(); ++i) {
    fast_of_[fast_species_[i].species] = static_cast<std::int64_t>(i);
    fast_amounts_.push_back(fast_amount(fast_species_[i]));
  }
  is_unknown_.assign(ir_.symbols.size(), false);
  for (std::uint32_t z : algebraic_vars_) is_unknown_[z] = true;
  for (const Expr& rule : ir_.algebraic_rules) residuals_.push_back(expand_rate_of(rule, 0));
  for (std::uint32_t rate : fast_rates_) residuals_.push_back(assigned_expr_[rate]);  // zero at the extents sought
  for (const Expr& x : ir_.delayed) delayed_exprs_.push_back(expand_rate_of(x, 0));
  for (const Expr& x : delayed_exprs_) delay_reads_.push_back(reads_transitively({&x}));
  if (!residuals_.empty()) {
    std::vector<const Expr*> roots;
    for (const Expr& r : residuals_) roots.push_back(&r);
    solve_reads_ = reads_transitively(roots);
  }
  compile_jacobians(ordered, needed, std::move(ydot));
  concentration_species_.resize(ir_.symbols.size());
  for (std::uint32_t s = 0; s < ir_.symbols.size(); ++s)
    if (is_species(ir_.symbols[s]) && !stores_amount_[s] && !ir_.symbols[s].has_only_substance_units)
      concentration_species_[ir_.symbols[s].compartment].push_back(s);
  num_rhs_roots_ = switches.size();
  for (const Event& ev : ir_.events) {
    CompiledEvent ce;
    ce.id = ev.id;
    const Expr trigger = expand_rate_of(ev.trigger, 0);
    collect_switches(trigger, switches);
    ce.trigger.add_store_out(trigger, 0, loads_);
    if (ev.delay) ce.delay.add_store_out(expand_rate_of(*ev.delay, 0), 0, loads_);
    if (ev.priority) ce.priority.add_store_out(expand_rate_of(*ev.priority, 0), 0, loads_);
    for (std::size_t i = 0; i < ev.assignments.size(); ++i) {
      ce.assignments.add_store_out(expand_rate_of(ev.assignments[i].math, 0), static_cast<std::uint32_t>(i), loads_);
      ce.targets.push_back(ev.assignments[i].variable);
      if (assigned_by_rule_[ev.assignments[i].variable])
        throw Error(ErrorKind::InvalidSbml, "invalid SBML: event '" + ev.id + "' assigns to '" +
                                                ir_.symbols[ev.assignments[i].variable].id +
                                                "', which an assignment rule sets");
    }
    for (int species_pass = 0; species_pass < 2; ++species_pass)
      for (std::size_t i = 0; i < ce.targets.size(); ++i)
        if (is_species(ir_.symbols[ce.targets[i]]) == (species_pass == 0)) ce.apply_order.push_back(i);
    ce.initial_value = ev.initial_value;
    ce.persistent = ev.persistent;
    ce.use_values_from_trigger_time = ev.use_values_from_trigger_time;
    events_.push_back(std::move(ce));
  }
  for (const Expr& g : switches) roots_.add_store_out(g, static_cast<std::uint32_t>(num_roots_++), loads_);
  if (!switches.empty()) {
    std::vector<const Expr*> locators;
    for (const Expr& g : switches) locators.push_back(&g);
    locator_reads_ = reads_transitively(locators);
  }

  for (std::size_t i = 0; i < residuals_.size(); ++i)
    algebraic_.add_store_out(residuals_[i], static_cast<std::uint32_t>(i), loads_);
  for (std::size_t i = 0; i < fast_species_.size(); ++i)  // fast species are stored as amounts
    equilibrate_.add_store(fast_amounts_[i], fast_species_[i].species, loads_);

  // A delayed expression is evaluated at a past time from the states alone: its program first
  // computes the assigned symbols it needs (and only those, or delays inside rules would
  // recurse into every other delay), then the expression.
  std::vector<const Expr*> assigned_definition(ir_.symbols.size(), nullptr);
  for (std::uint32_t s : ordered) assigned_definition[s] = &assigned_expr_[s];
  for (std::size_t i = 0; i < delayed_exprs_.size(); ++i) {
    const Expr& expanded = delayed_exprs_[i];
    const std::vector<bool> needed = needed_by(expanded, assigned_definition);
    Program& p = delayed_.emplace_back();
    for (std::uint32_t s : ordered)
      if (needed[s]) p.add_store(assigned_expr_[s], s, loads_);
    p.add_store_out(expanded, 0, loads_);
    delayed_before_start_exprs_.push_back(without_rate_of(ir_.delayed[i]));
  }
  find_min_constant_delay();

  initial_ = compile_initial({}, nullptr);
  stack_size_ = std::max({rhs_assign_.stack_size(), rhs_rates_.stack_size(), roots_.stack_size(), equilibrate_.stack_size(),
                          all_assigned_.stack_size(), initial_.stack_size(), algebraic_.stack_size(),
                          std::size_t{1}});
  for (const Program& p : delayed_) stack_size_ = std::max(stack_size_, p.stack_size());
  stack_size_ = std::max(stack_size_, rhs_stoich_.stack_size());
  if (algebraic_jacobian_) stack_size_ = std::max(stack_size_, algebraic_jacobian_->program.stack_size());
  if (jacobian_) stack_size_ = std::max(stack_size_, jacobian_->program.stack_size());  // else fit_workspace
  if (residual_jacobian_) stack_size_ = std::max(stack_size_, residual_jacobian_->program.stack_size());  // likewise
  for (const CompiledEvent& ce : events_)
    stack_size_ = std::max({stack_size_, ce.trigger.stack_size(), ce.delay.stack_size(), ce.priority.stack_size(),
                            ce.assignments.stack_size()});
}

// Rapid equilibrium (fast reactions): a fast reaction is always at equilibrium, its kinetic law
// zero. The integrator carries each fast species' "free" amount, which only slow reactions
// change; the species' amount is the free amount moved along the fast reactions by their
// extents, n = free + sum_j stoichiometry_ij * conversion factor_i * extent_j, with the extents
// solved (with any algebraic rules) so that every fast kinetic law is zero. Moving along the
// fast reactions conserves exactly what they conserve, so this is the rapid-equilibrium limit,
// and stoichiometries may be any values known when the run starts.
void CompiledSystem::prepare_fast_reactions() {
  std::vector<std::int64_t> free_of(ir_.symbols.size(), kNone);
  for (const Reaction& rx : ir_.reactions) {
    if (!rx.fast) continue;
    Symbol extent;
    extent.id = "extent of fast reaction " + ir_.symbols[rx.symbol].id;
    extent.value = 0.0;
    extent.constant = false;
    extent.internal = true;
    const std::uint32_t xi = ir_.add_symbol(std::move(extent));
    fast_extents_.push_back(xi);
    fast_rates_.push_back(rx.symbol);
    for (const auto* refs : {&rx.reactants, &rx.products})
      for (const SpeciesReference& ref : *refs) {
        const Symbol& sp = ir_.symbols[ref.species];
        if (sp.constant || sp.boundary_condition) continue;
        if (free_of[ref.species] == kNone) {
          Symbol free;
          free.id = "free amount of " + sp.id;
          free.constant = false;
          free.internal = true;
          free_of[ref.species] = static_cast<std::int64_t>(fast_species_.size());
          const std::uint32_t species = ref.species;
          fast_species_.push_back(FastSpecies{species, ir_.add_symbol(std::move(free)), {}});
        }
        FastSpecies& f = fast_species_[static_cast<std::size_t>(free_of[ref.species])];
        const Symbol& species = ir_.symbols[f.species];
        Expr change = Expr::number(refs == &rx.reactants ? -1.0 : 1.0);
        change = times(std::move(change), ref.symbol == kNone ? Expr::number(ref.stoichiometry)
                                                              : Expr::sym(static_cast<std::uint32_t>(ref.symbol)));
        const std::int64_t cf = species.conversion_factor != kNone ? species.conversion_factor : ir_.conversion_factor;
        if (cf != kNone) change = times(std::move(change), Expr::sym(static_cast<std::uint32_t>(cf)));
        f.moves.push_back(times(std::move(change), Expr::sym(xi)));
      }
  }
}

bool CompiledSystem::is_fast_species(std::uint32_t s) const {
  return std::any_of(fast_species_.begin(), fast_species_.end(), [s](const FastSpecies& f) { return f.species == s; });
}

void CompiledSystem::classify() {
  prepare_fast_reactions();  // adds internal symbols, so it comes first
  const std::size_t n = ir_.symbols.size();
  std::vector<std::int64_t> free_amount(n, kNone);
  for (const FastSpecies& f : fast_species_) free_amount[f.species] = f.free_amount;
  assigned_by_rule_.assign(n, false);
  rate_rule_of_.assign(n, kNone);
  state_of_.assign(n, kNone);
  stores_amount_.assign(n, false);
  loads_.resize(n);
  assigned_expr_.resize(n);

  for (const Rule& r : ir_.assignment_rules) assigned_by_rule_[r.variable] = true;
  for (std::size_t i = 0; i < ir_.rate_rules.size(); ++i) rate_rule_of_[ir_.rate_rules[i].variable] = static_cast<std::int64_t>(i);

  // A species whose value a rule sets is kept in the quantity the rule speaks of (its math
  // value); every other species is kept as an amount, so that a changing compartment size
  // changes its concentration and not its amount, as SBML requires.
  for (std::uint32_t s = 0; s < n; ++s) {
    const Symbol& sym = ir_.symbols[s];
    loads_[s].slot = s;
    if (!is_species(sym)) continue;
    const bool ruled = assigned_by_rule_[s] || rate_rule_of_[s] != kNone;
    stores_amount_[s] = sym.has_only_substance_units || !ruled;
    if (stores_amount_[s] && !sym.has_only_substance_units) loads_[s].divide_by = sym.compartment;
  }

  for (const Rule& r : ir_.rate_rules) {
    state_of_[r.variable] = static_cast<std::int64_t>(state_slots_.size());
    state_slots_.push_back(r.variable);
  }
  for (const FastSpecies& f : fast_species_) {
    state_of_[f.free_amount] = static_cast<std::int64_t>(state_slots_.size());
    species_states_.push_back(static_cast<std::uint32_t>(state_slots_.size()));
    state_slots_.push_back(f.free_amount);
  }
  // Species changed by reactions: not constant, not boundary, not set by a rule.
  for (const Reaction& rx : ir_.reactions)
    for (const auto* refs : {&rx.reactants, &rx.products})
      for (const SpeciesReference& ref : *refs) {
        const Symbol& sp = ir_.symbols[ref.species];
        if (sp.constant || sp.boundary_condition || assigned_by_rule_[ref.species] ||
            rate_rule_of_[ref.species] != kNone || rx.fast)
          continue;
        // A slow reaction changes a fast species through its free amount.
        const std::uint32_t target = free_amount[ref.species] != kNone
                                         ? static_cast<std::uint32_t>(free_amount[ref.species]) : ref.species;
        if (state_of_[target] == kNone) {
          state_of_[target] = static_cast<std::int64_t>(state_slots_.size());
          species_states_.push_back(static_cast<std::uint32_t>(state_slots_.size()));
          state_slots_.push_back(target);
        }
        const double sign = refs == &rx.reactants ? -1.0 : 1.0;
        const std::int64_t cf = sp.conversion_factor != kNone ? sp.conversion_factor : ir_.conversion_factor;
        stoich_.push_back(StoichEntry{static_cast<std::uint32_t>(state_of_[target]), rx.symbol, ref.symbol,
                                      sign * (ref.symbol == kNone ? ref.stoichiometry : 1.0), cf});
      }

  for (const Rule& r : ir_.assignment_rules) assigned_expr_[r.variable] = expand_rate_of(r.math, 0);
  for (const Reaction& rx : ir_.reactions) assigned_expr_[rx.symbol] = expand_rate_of(rx.rate, 0);
}

// Each algebraic rule determines one variable that nothing else determines: not constant, not
// set by a rule, not changed by reactions. The pairing is a maximum bipartite matching; a rule
// left without a variable means the model is overdetermined.
bool CompiledSystem::match_algebraic_variables(const std::vector<bool>& excluded,
                                               std::vector<std::int64_t>& rule_of) const {
  const std::size_t nrules = ir_.algebraic_rules.size();
  auto free_variable = [&](std::uint32_t s) {
    const Symbol& sym = ir_.symbols[s];
    return !excluded[s] && !sym.constant && !assigned_by_rule_[s] && rate_rule_of_[s] == kNone &&
           !is_fast_species(s) &&
           state_of_[s] == kNone && sym.kind != SymbolKind::Reaction && sym.kind != SymbolKind::LocalParameter;
  };
  std::vector<std::vector<std::uint32_t>> candidates(nrules);
  for (std::size_t i = 0; i < nrules; ++i) {
    for_each_symbol(ir_.algebraic_rules[i], [&](std::uint32_t s) {
      if (free_variable(s)) candidates[i].push_back(s);
    });
    std::sort(candidates[i].begin(), candidates[i].end());
    candidates[i].erase(std::unique(candidates[i].begin(), candidates[i].end()), candidates[i].end());
  }
  rule_of.assign(ir_.symbols.size(), kNone);
  std::function<bool(std::size_t, std::vector<bool>&)> augment = [&](std::size_t i, std::vector<bool>& seen) {
    for (std::uint32_t s : candidates[i]) {
      if (seen[s]) continue;
      seen[s] = true;
      if (rule_of[s] == kNone || augment(static_cast<std::size_t>(rule_of[s]), seen)) {
        rule_of[s] = static_cast<std::int64_t>(i);
        return true;
      }
    }
    return false;
  };
  for (std::size_t i = 0; i < nrules; ++i) {
    std::vector<bool> seen(ir_.symbols.size(), false);
    if (!augment(i, seen)) return false;
  }
  return true;
}

void CompiledSystem::match_algebraic_rules() {
  const std::size_t nrules = ir_.algebraic_rules.size();
  if (nrules == 0) return;
  // A variable an event assigns is less likely to be the one a rule determines (test 01589:
  // Q + R - S = 0 with Q and R counted up by events): match without those first.
  std::vector<bool> set_by_event(ir_.symbols.size(), false);
  for (const Event& e : ir_.events)
    for (const EventAssignment& a : e.assignments) set_by_event[a.variable] = true;
  std::vector<std::int64_t> rule_of;
  if (!match_algebraic_variables(set_by_event, rule_of) &&
      !match_algebraic_variables(std::vector<bool>(ir_.symbols.size(), false), rule_of))
    throw Error(ErrorKind::Unsupported,
                "unsupported: the algebraic rules cannot each be given a variable of their own to determine "
                "(every variable in one of them is constant or set otherwise): the model is overdetermined");
  algebraic_vars_.assign(nrules, 0);
  for (std::uint32_t s = 0; s < ir_.symbols.size(); ++s)
    if (rule_of[s] != kNone) algebraic_vars_[static_cast<std::size_t>(rule_of[s])] = s;
}

double CompiledSystem::algebraic_residual(double t, Workspace& ws, double* r) const {
  equilibrate_.run(ws.values.data(), nullptr, t, ws.stack.data(), ws.delays());
  all_assigned_.run(ws.values.data(), nullptr, t, ws.stack.data(), ws.delays());
  algebraic_.run(ws.values.data(), r, t, ws.stack.data(), ws.delays());
  // std::max(norm, NaN) is norm: a NaN residual must not pass for a zero one.
  double norm = 0.0;
  for (std::size_t i = 0; i < algebraic_vars_.size(); ++i) {
    if (std::isnan(r[i])) return std::numeric_limits<double>::infinity();
    norm = std::max(norm, std::fabs(r[i]));
  }
  return norm;
}

// The Newton iteration's unknowns (algebraic variables, fast-reaction extents) play the states'
// part: the residuals are differentiated through the fast species' amounts and every assigned
// symbol, as the ODE Jacobian differentiates the derivatives. Where a residual has no symbolic
// derivative the iteration keeps its difference quotients.
Expr CompiledSystem::fast_amount(const FastSpecies& f) {
  Expr amount = Expr::call(Op::Plus, {Expr::sym(f.free_amount)});
  for (const Expr& move : f.moves) amount.args.push_back(move);
  return amount;
}

JacobianSource CompiledSystem::jacobian_source(const std::vector<std::int64_t>& column_of,
                                               const std::vector<std::uint32_t>& assigned,
                                               const std::vector<Expr>& definition, std::vector<Expr> rows) const {
  JacobianSource src;
  src.num_symbols = ir_.symbols.size();
  src.loads = &loads_;
  src.state_of = &column_of;
  src.assigned = &assigned;
  src.assigned_expr = &definition;
  src.ydot = std::move(rows);
  src.dependencies = [this](const Expr& e) { return jacobian_dependencies(e); };
  return src;
}

// The Jacobians differentiate through the same chain: every fast species' amount and the
// assigned symbols, each after what its definition reads. The ODE Jacobian's columns are the
// states. The unknowns z of the Newton solve have no formula; they are defined by g(z, y) = 0,
// so dz/dy = -(dg/dz)^-1 dg/dy (implicit function theorem), both pieces from the same symbolic
// machinery: the Newton iteration's Jacobian (unknowns as columns, residuals as rows; kept only
// when fully analytic, else its own difference quotients in z) and the residuals' Jacobian with
// respect to the states, the unknowns held. Only states the equations read can move z, so
// dz/dy has those columns, and the ODE pattern covers every row z reaches from them.
void CompiledSystem::compile_jacobians(const std::vector<std::uint32_t>& ordered, const std::vector<bool>& needed,
                                       std::vector<Expr> ydot) {
  const bool solves = !algebraic_vars_.empty();
  std::vector<Expr> fast_definition;  // assigned_expr_ with the fast species' amounts
  if (!fast_species_.empty()) {
    fast_definition = assigned_expr_;
    for (std::size_t i = 0; i < fast_species_.size(); ++i) fast_definition[fast_species_[i].species] = fast_amounts_[i];
  }
  const std::vector<Expr>& definitions = fast_species_.empty() ? assigned_expr_ : fast_definition;
  if (fast_species_.empty()) {
    definition_order_ = ordered;
  } else {
    // The runtime computes the fast amounts first (equilibrate_), then the rules; a variable
    // stoichiometry of a fast reaction set by a rule is read by the amounts, so sort them.
    std::vector<std::uint32_t> nodes;
    std::vector<const Expr*> exprs;
    for (std::size_t i = 0; i < fast_species_.size(); ++i) {
      nodes.push_back(fast_species_[i].species);
      exprs.push_back(&fast_amounts_[i]);
    }
    for (std::uint32_t s : ordered) {
      nodes.push_back(s);
      exprs.push_back(&assigned_expr_[s]);
    }
    try {
      definition_order_ = order(nodes, exprs, "fast species' amounts and assignment rules");
    } catch (const Error&) {
      return;  // they read each other: no order to differentiate in; difference quotients
    }
  }
  // Without a solve the right-hand side computes only what the derivatives need; with one, it
  // computes everything (the equations may read any rule), and so does the chain.
  std::vector<std::uint32_t> chain;
  for (std::uint32_t s : definition_order_)
    if (solves || needed[s]) chain.push_back(s);

  if (solves) {
    std::vector<std::int64_t> unknown_of(ir_.symbols.size(), kNone);
    for (std::size_t j = 0; j < algebraic_vars_.size(); ++j)
      unknown_of[algebraic_vars_[j]] = static_cast<std::int64_t>(j);
    CompiledJacobian jac = compile_jacobian(jacobian_source(unknown_of, chain, definitions, residuals_));
    if (jac.numeric_columns.empty()) algebraic_jacobian_ = std::make_unique<CompiledJacobian>(std::move(jac));
    for (std::uint32_t s : solve_reads_)
      if (state_of_[s] != kNone) solved_states_.push_back(static_cast<std::uint32_t>(state_of_[s]));
    std::sort(solved_states_.begin(), solved_states_.end());
  }
  if (state_slots_.size() < kEagerJacobianStates) {
    pending_jacobian_ = std::make_unique<PendingJacobian>();
    pending_jacobian_->chain = std::move(chain);
    pending_jacobian_->ydot = std::move(ydot);
    pending_jacobian_->definitions = std::move(fast_definition);
    return;  // compiled by the first jacobian()
  }
  compile_ode_jacobian(chain, definitions, std::move(ydot));
}

// The ODE Jacobian, and with a solve first dg/dy, which its implicit columns need
// (unknown_derivatives). Published last: jacobian_ready_ also says residual_jacobian_ is set.
void CompiledSystem::compile_ode_jacobian(const std::vector<std::uint32_t>& chain, const std::vector<Expr>& definitions,
                                          std::vector<Expr> ydot) const {
  if (!algebraic_vars_.empty()) {
    // Square, as compile_jacobian makes it: as many rows as there are states or residuals.
    std::vector<Expr> rows = residuals_;
    rows.resize(std::max(residuals_.size(), state_slots_.size()), Expr::number(0.0));
    residual_jacobian_ =
        std::make_unique<CompiledJacobian>(compile_jacobian(jacobian_source(state_of_, chain, definitions, std::move(rows))));
  }
  JacobianSource src = jacobian_source(state_of_, chain, definitions, std::move(ydot));
  for (std::uint32_t z : algebraic_vars_) src.solved.emplace_back(z, solved_states_);
  jacobian_ = std::make_unique<CompiledJacobian>(compile_jacobian(src));
  jacobian_ready_.store(jacobian_.get(), std::memory_order_release);
}

const CompiledJacobian* CompiledSystem::jacobian() const {
  if (const CompiledJacobian* ready = jacobian_ready_.load(std::memory_order_acquire)) return ready;
  if (!pending_jacobian_) return nullptr;  // none (see the header)
  std::call_once(pending_jacobian_->once, [this] {
    PendingJacobian& p = *pending_jacobian_;
    compile_ode_jacobian(p.chain, p.definitions.empty() ? assigned_expr_ : p.definitions, std::move(p.ydot));
  });
  return jacobian_ready_.load(std::memory_order_acquire);
}

void CompiledSystem::fit_workspace(const CompiledJacobian& jac, Workspace& ws) const {
  const std::size_t slots = std::max(jac.num_slots, residual_jacobian_ ? residual_jacobian_->num_slots : 0);
  if (ws.values.size() < ir_.symbols.size() + slots) ws.values.resize(ir_.symbols.size() + slots, kUnset);
  std::size_t stack = jac.program.stack_size();
  if (residual_jacobian_) stack = std::max(stack, residual_jacobian_->program.stack_size());
  if (ws.stack.size() < stack) ws.stack.resize(stack, 0.0);
  if (residual_jacobian_) {
    const std::size_t m = algebraic_vars_.size();
    const std::size_t implicit = m * m + m * solved_states_.size() + residual_jacobian_->pattern.nonzeros() + 3 * m;
    if (ws.implicit.size() < implicit) ws.implicit.resize(implicit, 0.0);
  }
}

// dz/dy = -(dg/dz)^-1 dg/dy at the solution, for the states the residuals read. dg/dy comes
// from the residuals' compiled derivatives, and where a residual has none (a delay or a
// factorial of a state in it), from forward differences of the residuals with the unknowns
// held: no solve in between, so no solver tolerance in the quotient. Where dg/dz is singular
// z is no smooth function of y, and only re-solving at a perturbed state says how it moves.
bool CompiledSystem::unknown_derivatives(double t, const double* y, Workspace& ws) const {
  const std::size_t m = algebraic_vars_.size(), ns = solved_states_.size();
  if (ns == 0) return true;
  const CompiledJacobian& gy = *residual_jacobian_;
  const SparsePattern& pat = gy.pattern;
  double* v = ws.values.data();
  double* dgdz = ws.implicit.data();   // m x m, row-major
  double* dz = dgdz + m * m;           // m x ns, row-major: -dg/dy, then dz/dy
  double* dgdy = dz + m * ns;          // gy's entries
  double* r = dgdy + pat.nonzeros();   // the residuals at the solution
  double* scratch = r + m;             // m
  double* z0 = scratch + m;            // m
  algebraic_residual(t, ws, r);  // r, and every assigned value at the solution
  algebraic_jacobian(t, ws, r, dgdz, scratch);
  if (!algebraic_jacobian_) algebraic_residual(t, ws, r);  // its quotients moved what the unknowns set
  gy.program.run(v, dgdy, t, ws.stack.data(), ws.delays());
  const double sqrt_eps = std::sqrt(std::numeric_limits<double>::epsilon());
  if (!gy.numeric_groups.empty()) {
    for (const std::vector<std::uint32_t>& group : gy.numeric_groups) {
      for (std::uint32_t k : group) v[state_slots_[k]] = y[k] + sqrt_eps * std::max(std::fabs(y[k]), 1e-6);
      algebraic_residual(t, ws, scratch);
      for (std::uint32_t k : group) {
        const double h = v[state_slots_[k]] - y[k];
        for (std::int64_t p = pat.column_start[k]; p < pat.column_start[k + 1]; ++p) {
          const auto i = static_cast<std::size_t>(pat.row[static_cast<std::size_t>(p)]);
          if (i < m) dgdy[p] = (scratch[i] - r[i]) / h;
        }
        v[state_slots_[k]] = y[k];
      }
    }
    algebraic_residual(t, ws, r);
  }
  std::fill_n(dz, m * ns, 0.0);
  for (std::size_t j = 0; j < ns; ++j) {
    const std::uint32_t k = solved_states_[j];
    for (std::int64_t p = pat.column_start[k]; p < pat.column_start[k + 1]; ++p) {
      const auto i = static_cast<std::size_t>(pat.row[static_cast<std::size_t>(p)]);
      if (i < m) dz[i * ns + j] = -dgdy[p];
    }
  }
  bool ok = true;
  if (!solve_dense(m, dgdz, dz, ns)) {
    for (std::size_t i = 0; i < m; ++i) z0[i] = v[algebraic_vars_[i]];
    for (std::size_t j = 0; j < ns && ok; ++j) {
      const std::uint32_t k = solved_states_[j];
      v[state_slots_[k]] = y[k] + sqrt_eps * std::max(std::fabs(y[k]), 1e-6);
      const double h = v[state_slots_[k]] - y[k];
      ok = solve_algebraic(t, ws);
      for (std::size_t i = 0; i < m; ++i) {
        dz[i * ns + j] = (v[algebraic_vars_[i]] - z0[i]) / h;
        v[algebraic_vars_[i]] = z0[i];
      }
      v[state_slots_[k]] = y[k];
    }
    algebraic_residual(t, ws, r);
  }
  // Last: the Newton iteration's own Jacobian program shares these slots.
  const std::size_t nsym = ir_.symbols.size();
  const std::vector<std::size_t>& slots = jacobian_->solved_slots;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < ns; ++j) v[nsym + slots[i] + j] = dz[i * ns + j];
  return ok;
}

void CompiledSystem::algebraic_jacobian(double t, Workspace& ws, const double* r, double* J, double* scratch) const {
  const std::size_t n = algebraic_vars_.size();
  double* v = ws.values.data();
  if (algebraic_jacobian_) {
    algebraic_residual(t, ws, scratch);  // every assigned value at the present unknowns
    const SparsePattern& pat = algebraic_jacobian_->pattern;
    double* values = ws.algebraic_jacobian.data();
    algebraic_jacobian_->program.run(v, values, t, ws.stack.data(), ws.delays());
    std::fill_n(J, n * n, 0.0);
    for (std::size_t j = 0; j < n; ++j)
      for (std::int64_t p = pat.column_start[j]; p < pat.column_start[j + 1]; ++p)
        J[static_cast<std::size_t>(pat.row[static_cast<std::size_t>(p)]) * n + j] = values[p];
    return;
  }
  for (std::size_t j = 0; j < n; ++j) {  // forward differences
    const std::uint32_t s = algebraic_vars_[j];
    const double z = v[s];
    const double h = 1e-7 * std::max(std::fabs(z), 1e-3);
    v[s] = z + h;
    algebraic_residual(t, ws, scratch);
    for (std::size_t i = 0; i < n; ++i) J[i * n + j] = (scratch[i] - r[i]) / h;
    v[s] = z;
  }
}

bool CompiledSystem::solve_algebraic(double t, Workspace& ws) const {
  constexpr int kMaxIterations = 50;
  const std::size_t n = algebraic_vars_.size();
  double* v = ws.values.data();
  double* J = ws.newton.data();
  double* r = J + n * n;
  double* dz = r + n;
  double* trial = dz + n;
  for (std::uint32_t s : algebraic_vars_)
    if (!std::isfinite(v[s])) v[s] = 0.0;  // an unset value is only a starting guess
  double norm = algebraic_residual(t, ws, r);
  for (int iter = 0; iter < kMaxIterations && norm > 1e-13; ++iter) {
    algebraic_jacobian(t, ws, r, J, trial);
    for (std::size_t i = 0; i < n; ++i) dz[i] = -r[i];
    if (!solve_dense(n, J, dz)) break;
    // A NaN step (from a NaN residual) would leave NaN unknowns behind even when taken back.
    if (!std::all_of(dz, dz + n, [](double d) { return std::isfinite(d); })) break;
    // Damped step: halve it until the residual decreases.
    double lambda = 1.0, step = 0.0, trial_norm = norm;
    for (int half = 0; half < 30; ++half, lambda *= 0.5) {
      step = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        const std::uint32_t s = algebraic_vars_[j];
        v[s] += lambda * dz[j];
        step = std::max(step, std::fabs(lambda * dz[j]) / std::max(std::fabs(v[s]), 1e-300));
      }
      trial_norm = algebraic_residual(t, ws, trial);
      if (trial_norm < norm) break;
      for (std::size_t j = 0; j < n; ++j) v[algebraic_vars_[j]] -= lambda * dz[j];
    }
    if (!(trial_norm < norm)) break;
    norm = algebraic_residual(t, ws, r);
    if (step <= 1e-15) break;
  }
  if (algebraic_residual(t, ws, r) <= 1e-9) return true;
  if (fast_extents_.empty()) return false;
  return relax_to_equilibrium(t, ws);
}

Expr CompiledSystem::without_rate_of(const Expr& e) {
  if (e.op == Op::RateOf) return Expr::number(0.0);
  Expr out = e;
  for (Expr& a : out.args) a = without_rate_of(a);
  return out;
}

Expr CompiledSystem::expand_rate_of(const Expr& e, int depth) const {
  if (e.op == Op::RateOf) return derivative_of(e.args.at(0).symbol, depth + 1);
  if (!contains_op(e, Op::RateOf)) return e;
  Expr out = e;
  for (Expr& a : out.args) a = expand_rate_of(a, depth);
  return out;
}

// d(math value of `s`)/dt as an expression over symbols; what rateOf(s) means.
Expr CompiledSystem::derivative_of(std::uint32_t s, int depth) const {
  const Symbol& sym = ir_.symbols[s];
  if (depth > kMaxRateOfDepth)
    throw Error(ErrorKind::InvalidSbml, "rateOf(" + sym.id + ") depends on itself through rate rules");
  if (rate_rule_of_[s] != kNone) return expand_rate_of(ir_.rate_rules[rate_rule_of_[s]].math, depth);
  if (assigned_by_rule_[s])
    throw Error(ErrorKind::Unsupported, "unsupported: rateOf(" + sym.id + "), whose value an assignment rule sets");
  if (std::find(algebraic_vars_.begin(), algebraic_vars_.end(), s) != algebraic_vars_.end() ||
      is_fast_species(s))
    throw Error(ErrorKind::Unsupported,
                "unsupported: rateOf(" + sym.id + "), whose value an algebraic rule or a fast reaction sets");
  if (!is_species(sym)) return Expr::number(0.0);

  // Amount rate: the sum over reactions of stoichiometry * rate * conversion factor.
  Expr amount_rate = Expr::call(Op::Plus, {});
  if (state_of_[s] != kNone)
    for (const StoichEntry& e : stoich_) {
      if (e.state != static_cast<std::uint32_t>(state_of_[s])) continue;
      amount_rate.args.push_back(stoich_term(e));
    }
  if (loads_[s].divide_by == kNone) return amount_rate;
  // Concentration c = n / V:  dc/dt = (dn/dt) / V - c * (dV/dt) / V.
  const auto comp = static_cast<std::uint32_t>(loads_[s].divide_by);
  Expr result = divide(std::move(amount_rate), Expr::sym(comp));
  Expr dv = derivative_of(comp, depth + 1);
  if (is_zero(dv)) return result;
  return Expr::call(Op::Minus, {std::move(result), divide(times(Expr::sym(s), std::move(dv)), Expr::sym(comp))});
}

Expr CompiledSystem::stoich_term(const StoichEntry& e) {
  // The same products in the same order as derivatives() computes them, so the same numbers.
  Expr term = times(Expr::sym(e.rate_slot), Expr::number(e.stoichiometry));
  if (e.stoichiometry_slot != kNone)
    term = times(std::move(term), Expr::sym(static_cast<std::uint32_t>(e.stoichiometry_slot)));
  if (e.conversion_factor_slot != kNone)
    term = times(std::move(term), Expr::sym(static_cast<std::uint32_t>(e.conversion_factor_slot)));
  return term;
}

std::vector<std::uint32_t> CompiledSystem::dependencies(const Expr& e) const {
  std::vector<std::uint32_t> out;
  for_each_symbol(e, [&](std::uint32_t s) {
    out.push_back(s);
    if (loads_[s].divide_by != kNone) out.push_back(static_cast<std::uint32_t>(loads_[s].divide_by));
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::uint32_t> CompiledSystem::order(const std::vector<std::uint32_t>& nodes,
                                                 const std::vector<const Expr*>& exprs, const char* what) const {
  // Depth-first topological sort; symbols outside `nodes` are inputs, already known.
  std::vector<std::int64_t> node_of(ir_.symbols.size(), kNone);
  for (std::size_t i = 0; i < nodes.size(); ++i) node_of[nodes[i]] = static_cast<std::int64_t>(i);
  enum Mark : std::uint8_t { Unvisited, Active, Done };
  std::vector<Mark> mark(nodes.size(), Unvisited);
  std::vector<std::uint32_t> out;
  out.reserve(nodes.size());
  std::vector<std::uint32_t> path;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (mark[i] == Done) return;
    if (mark[i] == Active) {
      std::string cycle;
      auto from = std::find(path.begin(), path.end(), nodes[i]);
      for (auto it = from; it != path.end(); ++it) cycle += ir_.symbols[*it].id + " -> ";
      cycle += ir_.symbols[nodes[i]].id;
      throw Error(ErrorKind::InvalidSbml, std::string("invalid SBML: ") + what + " form a cycle: " + cycle);
    }
    mark[i] = Active;
    path.push_back(nodes[i]);
    for (std::uint32_t d : dependencies(*exprs[i]))
      if (node_of[d] != kNone) visit(static_cast<std::size_t>(node_of[d]));
    path.pop_back();
    mark[i] = Done;
    out.push_back(nodes[i]);
  };
  for (std::size_t i = 0; i < nodes.size(); ++i) visit(i);
  return out;
}

Expr CompiledSystem::to_stored(std::uint32_t s, Expr value, Quantity given) const {
  const Symbol& sym = ir_.symbols[s];
  if (given == Quantity::Default) given = sym.has_only_substance_units ? Quantity::Amount : Quantity::Concentration;
  const Expr size = Expr::sym(sym.compartment);
  if (stores_amount_[s]) return given == Quantity::Amount ? value : times(std::move(value), size);
  return given == Quantity::Concentration ? value : divide(std::move(value), size);
}

Expr CompiledSystem::initial_expr(std::uint32_t s, const std::vector<InitialOverride>& overrides) const {
  const Symbol& sym = ir_.symbols[s];
  for (const FastSpecies& f : fast_species_)
    if (f.free_amount == s) {  // the species' initial amount
      Expr amount = Expr::sym(f.species);
      if (loads_[f.species].divide_by != kNone)
        amount = times(std::move(amount), Expr::sym(static_cast<std::uint32_t>(loads_[f.species].divide_by)));
      return amount;
    }
  for (const InitialOverride& o : overrides)
    if (o.symbol == s) return is_species(sym) ? to_stored(s, Expr::number(o.value), o.quantity) : Expr::number(o.value);
  if (assigned_by_rule_[s] || sym.kind == SymbolKind::Reaction) return assigned_expr_[s];
  for (const Rule& ia : ir_.initial_assignments)
    if (ia.variable == s) {
      Expr e = expand_rate_of(ia.math, 0);
      return is_species(sym) ? to_stored(s, std::move(e), Quantity::Default) : e;
    }
  if (is_species(sym))
    return to_stored(s, Expr::number(sym.value),
                     sym.initial_is_concentration ? Quantity::Concentration : Quantity::Amount);
  return Expr::number(sym.value);
}

std::vector<bool> CompiledSystem::needed_by(const Expr& root, const std::vector<const Expr*>& definition) const {
  std::vector<bool> needed(ir_.symbols.size(), false);
  std::vector<std::uint32_t> pending = dependencies(root);
  while (!pending.empty()) {
    const std::uint32_t s = pending.back();
    pending.pop_back();
    if (needed[s]) continue;
    needed[s] = true;
    if (definition[s])
      for (std::uint32_t d : dependencies(*definition[s])) pending.push_back(d);
  }
  return needed;
}

Program CompiledSystem::compile_initial(const std::vector<InitialOverride>& overrides, const Expr* only_for) const {
  std::vector<Expr> exprs(ir_.symbols.size());
  std::vector<const Expr*> ptrs(ir_.symbols.size());
  for (std::uint32_t s = 0; s < ir_.symbols.size(); ++s) {
    exprs[s] = initial_expr(s, overrides);
    ptrs[s] = &exprs[s];
  }
  std::vector<std::uint32_t> nodes;
  const std::vector<bool> needed = only_for ? needed_by(*only_for, ptrs) : std::vector<bool>();
  for (std::uint32_t s = 0; s < ir_.symbols.size(); ++s)
    if (!only_for || needed[s]) nodes.push_back(s);
  std::vector<const Expr*> node_exprs;
  for (std::uint32_t s : nodes) node_exprs.push_back(ptrs[s]);
  Program p;
  for (std::uint32_t s : order(nodes, node_exprs, "initial assignments and rules")) p.add_store(exprs[s], s, loads_);
  if (only_for) p.add_store_out(*only_for, 0, loads_);
  return p;
}

Workspace CompiledSystem::make_workspace() const {
  Workspace ws;
  const CompiledJacobian* jac = jacobian_ready_.load(std::memory_order_acquire);
  // residual_jacobian_ is compiled with the ODE Jacobian, perhaps later on another thread:
  // read only once jacobian_ready_ says it is there (else fit_workspace grows the workspace).
  const CompiledJacobian* residual = jac ? residual_jacobian_.get() : nullptr;
  const std::size_t slots = std::max({jac ? jac->num_slots : 0,
                                      algebraic_jacobian_ ? algebraic_jacobian_->num_slots : 0,
                                      residual ? residual->num_slots : 0});
  ws.values.assign(ir_.symbols.size() + slots, kUnset);
  if (algebraic_jacobian_) ws.algebraic_jacobian.assign(algebraic_jacobian_->pattern.nonzeros(), 0.0);
  if (residual) {
    const std::size_t m = algebraic_vars_.size();
    ws.implicit.assign(m * m + m * solved_states_.size() + residual->pattern.nonzeros() + 3 * m, 0.0);
  }
  ws.perturbed_y.assign(state_slots_.size(), 0.0);
  ws.perturbed_ydot.assign(state_slots_.size(), 0.0);
  ws.stack.assign(std::max(stack_size_, jac ? jac->program.stack_size() : 0), 0.0);
  const std::size_t n = algebraic_vars_.size();
  ws.newton.assign(n * n + 3 * n, 0.0);
  if (has_delays()) {
    ws.delay = std::make_unique<DelayContext>();
    ws.delay->system = this;
    // All nesting levels at once: a nested call must not move an outer level's buffers.
    constexpr std::size_t kMaxNesting = 16;  // delay(delay(delay(...))) deeper than this is no model
    DelayContext::Scratch scratch;
    scratch.values.resize(ir_.symbols.size());
    scratch.stack.resize(stack_size_);
    scratch.y.resize(state_slots_.size());
    ws.delay->scratch.assign(kMaxNesting, scratch);
    ws.delay->lookup.context = ws.delay.get();
    ws.delay->lookup.value = [](const void* context, std::uint32_t which, double delay, double now,
                                const double* values) {
      // The context is per-workspace scratch; programs only see it as const.
      auto& c = *static_cast<DelayContext*>(const_cast<void*>(context));
      return c.system->delayed_value(c, which, delay, now, values);
    };
  }
  return ws;
}

void CompiledSystem::initialize(Workspace& ws, const std::vector<InitialOverride>& overrides) const {
  // Initial assignments may read the past (before time 0) through delay.
  if (ws.delay) {
    ws.delay->before_start.clear();
    for (const Expr& x : delayed_before_start_exprs_) {
      ws.delay->before_start.push_back(compile_initial(overrides, &x));
      for (auto& scratch : ws.delay->scratch)
        if (scratch.stack.size() < ws.delay->before_start.back().stack_size())
          scratch.stack.resize(ws.delay->before_start.back().stack_size());
    }
  }
  std::fill(ws.values.begin(), ws.values.end(), kUnset);
  if (overrides.empty()) {
    initial_.run(ws.values.data(), nullptr, 0.0, ws.stack.data(), ws.delays());
  } else {
    Program p = compile_initial(overrides, nullptr);
    if (ws.stack.size() < p.stack_size()) ws.stack.resize(p.stack_size());
    p.run(ws.values.data(), nullptr, 0.0, ws.stack.data(), ws.delays());
  }
  // Algebraic rules may contradict the initial values given; they win (consistent initial
  // conditions), and everything assigned from them is recomputed. Fast reactions equilibrate
  // at once, from free amounts equal to the initial amounts.
  if (!algebraic_vars_.empty() && !solve_algebraic(0.0, ws)) {
    std::string msg = "solver failure at t = 0: no values satisfy the algebraic rules and fast reactions (Newton's "
                      "method did not converge from the initial values)";
    if (!fast_rates_.empty())
      msg += "; " + std::to_string(fast_rates_.size()) + " of the model's " + std::to_string(ir_.reactions.size()) +
             " reactions are fast, which means rapid equilibrium. If they are not meant that way (some exporters "
             "mark every reaction fast), run with --ignore-fast to integrate them as ordinary kinetics";
    throw Error(ErrorKind::Solver, msg);
  }
}

void CompiledSystem::find_min_constant_delay() {
  std::function<void(const Expr&)> visit = [&](const Expr& e) {
    if (e.op == Op::Delay && is_constant(e.args[0])) {
      const double d = detail::evaluate(e.args[0], nullptr, loads_, 0.0);
      if (d > 0 && (min_constant_delay_ == 0.0 || d < min_constant_delay_)) min_constant_delay_ = d;
    }
    for (const Expr& a : e.args) visit(a);
  };
  for (const Expr& e : assigned_expr_) visit(e);
  for (const Rule& r : ir_.rate_rules) visit(r.math);
  for (const Expr& e : ir_.delayed) visit(e);
  for (const Expr& e : ir_.algebraic_rules) visit(e);
  for (const Event& ev : ir_.events) {
    visit(ev.trigger);
    for (const EventAssignment& a : ev.assignments) visit(a.math);
  }
}

double CompiledSystem::delayed_value(DelayContext& c, std::uint32_t which, double delay, double now,
                                     const double* current) const {
  if (static_cast<std::size_t>(c.depth) >= c.scratch.size()) return std::numeric_limits<double>::quiet_NaN();
  DelayContext::Scratch& s = c.scratch[static_cast<std::size_t>(c.depth)];
  const DelayHistory* h = c.history;
  const double tau = now - delay;
  double out = 0.0;
  ++c.depth;
  if (!(delay > 0)) {
    delayed_[which].run(const_cast<double*>(current), &out, now, s.stack.data(), &c.lookup);
  } else if (h == nullptr || h->empty() || tau < h->first_time()) {
    // Before time 0 the model is its initial state, with initial assignments and rules
    // evaluated at that earlier time and nothing changing (so rateOf is 0): test 00938 has
    // an initial assignment sin(10 time) read through delay.
    std::fill(s.values.begin(), s.values.end(), kUnset);
    c.before_start[which].run(s.values.data(), &out, tau, s.stack.data(), &c.lookup);
  } else {
    const double* snapshot;
    if (tau >= h->last_time()) {
      // Within the step being taken: between the last accepted step and the present.
      const double tl = h->last_time(), w = now > tl ? (tau - tl) / (now - tl) : 1.0;
      const double* yl = h->last_state();
      for (std::size_t k = 0; k < state_slots_.size(); ++k) s.y[k] = yl[k] + w * (current[state_slots_[k]] - yl[k]);
      snapshot = h->last_values();
    } else {
      snapshot = h->at(tau, s.y.data());
    }
    std::copy_n(snapshot, ir_.symbols.size(), s.values.begin());
    for (std::size_t k = 0; k < state_slots_.size(); ++k) s.values[state_slots_[k]] = s.y[k];
    delayed_[which].run(s.values.data(), &out, tau, s.stack.data(), &c.lookup);
  }
  --c.depth;
  return out;
}

std::vector<const Program*> CompiledSystem::programs() const {
  std::vector<const Program*> out{&rhs_assign_, &rhs_rates_, &rhs_stoich_, &roots_, &all_assigned_};
  // A Jacobian not compiled yet stays out (interpreted if it comes later: see jacobian()).
  if (const CompiledJacobian* jac = jacobian_ready_.load(std::memory_order_acquire)) out.push_back(&jac->program);
  for (const CompiledEvent& e : events_) out.insert(out.end(), {&e.trigger, &e.delay, &e.priority, &e.assignments});
  std::erase_if(out, [](const Program* p) { return p->empty(); });
  return out;
}

std::size_t CompiledSystem::program_size() const {
  std::size_t n = 0;
  for (const Program* p : programs()) n += p->size();
  return n;
}

void CompiledSystem::gather_state(const Workspace& ws, double* y) const {
  for (std::size_t k = 0; k < state_slots_.size(); ++k) y[k] = ws.values[state_slots_[k]];
}

std::int64_t CompiledSystem::amount_state(std::uint32_t s) const {
  if (!is_species(ir_.symbols[s]) || state_of_[s] == kNone || !stores_amount_[s]) return -1;
  return state_of_[s];
}

bool CompiledSystem::is_free_parameter(std::uint32_t s) const {
  const Symbol& sym = ir_.symbols[s];
  if (sym.kind != SymbolKind::Parameter || sym.constant || sym.internal || assigned_by_rule_[s] || state_of_[s] != kNone)
    return false;
  if (std::find(algebraic_vars_.begin(), algebraic_vars_.end(), s) != algebraic_vars_.end()) return false;
  for (const CompiledEvent& e : events_)
    if (std::find(e.targets.begin(), e.targets.end(), s) != e.targets.end()) return false;
  return true;
}

bool CompiledSystem::derivatives(double t, const double* y, double* ydot, Workspace& ws, bool all_assigned) const {
  double* v = ws.values.data();
  const std::size_t n = state_slots_.size();
  for (std::size_t k = 0; k < n; ++k) v[state_slots_[k]] = y[k];
  for (std::uint32_t k : species_states_) ydot[k] = 0.0;
  if (!algebraic_vars_.empty() && !solve_algebraic(t, ws)) return false;
  (all_assigned ? all_assigned_ : rhs_assign_).run(v, nullptr, t, ws.stack.data(), ws.delays());
  rhs_rates_.run(v, ydot, t, ws.stack.data(), ws.delays());
  if (rhs_stoich_.is_native()) {
    rhs_stoich_.run(v, ydot, t, ws.stack.data(), ws.delays());
  } else {
    for (const StoichEntry& e : stoich_) {
      // With a stoichiometry symbol, `stoichiometry` holds only the sign.
      double term = v[e.rate_slot] * e.stoichiometry;
      if (e.stoichiometry_slot != kNone) term *= v[e.stoichiometry_slot];
      if (e.conversion_factor_slot != kNone) term *= v[e.conversion_factor_slot];
      ydot[e.state] += term;
    }
  }
  for (std::size_t k = 0; k < n; ++k)
    if (!std::isfinite(ydot[k])) return false;
  return true;
}

bool CompiledSystem::jacobian_values(double t, const double* y, const double* fy, double* J, bool analytic,
                                     const double* increment_floor, Workspace& ws) const {
  const CompiledJacobian& jac = *jacobian();
  fit_workspace(jac, ws);
  const SparsePattern& pat = jac.pattern;
  if (analytic && !analytic_jacobian(t, y, J, ws)) return false;
  // Forward differences, one right-hand side per group of columns that share no row.
  const double sqrt_eps = std::sqrt(std::numeric_limits<double>::epsilon());
  double* yp = ws.perturbed_y.data();
  double* fp = ws.perturbed_ydot.data();
  std::copy_n(y, state_slots_.size(), yp);
  for (const std::vector<std::uint32_t>& group : analytic ? jac.numeric_groups : jac.all_groups) {
    for (std::uint32_t k : group) yp[k] = y[k] + sqrt_eps * std::max(std::fabs(y[k]), increment_floor[k]);
    ++ws.difference_quotient_evaluations;
    if (!derivatives(t, yp, fp, ws)) return false;
    for (std::uint32_t k : group) {
      const double h = yp[k] - y[k];  // the increment as represented
      for (std::int64_t p = pat.column_start[k]; p < pat.column_start[k + 1]; ++p) {
        const auto i = static_cast<std::size_t>(pat.row[static_cast<std::size_t>(p)]);
        J[p] = (fp[i] - fy[i]) / h;
      }
      yp[k] = y[k];
    }
  }
  for (std::size_t p = 0; p < pat.nonzeros(); ++p)
    if (!std::isfinite(J[p])) return false;
  return true;
}

bool CompiledSystem::analytic_jacobian(double t, const double* y, double* J, Workspace& ws) const {
  const CompiledJacobian& jac = *jacobian();
  fit_workspace(jac, ws);
  double* v = ws.values.data();
  for (std::size_t k = 0; k < state_slots_.size(); ++k) v[state_slots_[k]] = y[k];
  // The derivatives read the unknowns at y, and the D slots every assigned value: the solve
  // leaves both (warm-started from the last evaluation, usually at y already).
  if (!algebraic_vars_.empty()) {
    if (!solve_algebraic(t, ws) || !unknown_derivatives(t, y, ws)) return false;
  } else {
    rhs_assign_.run(v, nullptr, t, ws.stack.data(), ws.delays());
  }
  jac.program.run(v, J, t, ws.stack.data(), ws.delays());
  return true;
}

void CompiledSystem::roots(double t, const double* y, double* g, Workspace& ws) const {
  double* v = ws.values.data();
  for (std::size_t k = 0; k < state_slots_.size(); ++k) v[state_slots_[k]] = y[k];
  if (!algebraic_vars_.empty()) solve_algebraic(t, ws);
  // Event triggers may read assigned symbols the derivatives do not need.
  (events_.empty() ? rhs_assign_ : all_assigned_).run(v, nullptr, t, ws.stack.data(), ws.delays());
  roots_.run(v, g, t, ws.stack.data(), ws.delays());
}

double CompiledSystem::evaluate(const Program& p, double t, Workspace& ws) const {
  double out = 0.0;
  p.run(ws.values.data(), &out, t, ws.stack.data(), ws.delays());
  return out;
}

void CompiledSystem::apply_event(const CompiledEvent& e, const double* values, Workspace& ws) const {
  double* v = ws.values.data();
  for (std::size_t i : e.apply_order) {  // species first, while compartments keep their old size
    const std::uint32_t s = e.targets[i];
    const Symbol& sym = ir_.symbols[s];
    if (is_species(sym) && loads_[s].divide_by != kNone) v[s] = values[i] * v[sym.compartment];
    else if (ir_.symbols[s].kind != SymbolKind::Compartment) v[s] = values[i];
  }
  for (std::size_t i : e.apply_order) {
    const std::uint32_t c = e.targets[i];
    if (ir_.symbols[c].kind != SymbolKind::Compartment) continue;
    const double old_size = v[c];
    v[c] = values[i];
    for (std::uint32_t s : concentration_species_[c]) v[s] *= old_size / v[c];
  }
  // A fast species an event sets starts again from there: it re-equilibrates from that amount.
  for (const FastSpecies& f : fast_species_) v[f.free_amount] = v[f.species];
  for (std::uint32_t xi : fast_extents_) v[xi] = 0.0;
}

std::vector<double> CompiledSystem::tolerance_scale(const Workspace& ws) const {
  std::vector<double> scale(state_slots_.size(), 1.0);
  for (std::size_t k = 0; k < state_slots_.size(); ++k) {
    const std::int64_t comp = loads_[state_slots_[k]].divide_by;
    if (comp == kNone) continue;
    const double size = std::fabs(ws.values[static_cast<std::size_t>(comp)]);
    if (std::isfinite(size) && size > 0) scale[k] = std::min(1.0, size);
  }
  return scale;
}

bool CompiledSystem::varies(const Expr& e) const {
  if (e.op == Op::Time || e.op == Op::Delay) return true;
  if (e.op == Op::Symbol) {
    const std::uint32_t s = e.symbol;
    if (state_of_[s] != kNone || assigned_by_rule_[s] || ir_.symbols[s].kind == SymbolKind::Reaction ||
        std::find(algebraic_vars_.begin(), algebraic_vars_.end(), s) != algebraic_vars_.end() || is_fast_species(s))
      return true;
    return loads_[s].divide_by != kNone && varies(Expr::sym(static_cast<std::uint32_t>(loads_[s].divide_by)));
  }
  for (const Expr& a : e.args)
    if (varies(a)) return true;
  return false;
}

void CompiledSystem::collect_switches(const Expr& e, std::vector<Expr>& out) const {
  switch (e.op) {
    case Op::Eq: case Op::Neq: case Op::Gt: case Op::Lt: case Op::Geq: case Op::Leq:
      for (std::size_t i = 0; i + 1 < e.args.size(); ++i)
        if (varies(e.args[i]) || varies(e.args[i + 1]))
          out.push_back(Expr::call(Op::Minus, {e.args[i], e.args[i + 1]}));
      break;
    case Op::Floor: case Op::Ceiling:
      // sin(pi x) changes sign wherever x crosses an integer.
      if (varies(e.args[0])) out.push_back(Expr::call(Op::Sin, {times(Expr::number(M_PI), e.args[0])}));
      break;
    case Op::Rem: case Op::Quotient:
      if (varies(e)) out.push_back(Expr::call(Op::Sin, {times(Expr::number(M_PI), divide(e.args[0], e.args[1]))}));
      break;
    default: break;
  }
  for (const Expr& a : e.args) collect_switches(a, out);
}

void CompiledSystem::update_all(double t, const double* y, Workspace& ws) const {
  double* v = ws.values.data();
  for (std::size_t k = 0; k < state_slots_.size(); ++k) v[state_slots_[k]] = y[k];
  if (!algebraic_vars_.empty() && !solve_algebraic(t, ws))
    throw Error(ErrorKind::Solver, "solver failure at t = " + std::to_string(t) +
                                       ": the algebraic rules have no solution near the current values");
  all_assigned_.run(v, nullptr, t, ws.stack.data(), ws.delays());
}

double CompiledSystem::read(const Workspace& ws, std::uint32_t s, Quantity q) const {
  const Symbol& sym = ir_.symbols[s];
  const double v = ws.values[s];
  if (!is_species(sym)) return v;
  if (q == Quantity::Default) q = sym.has_only_substance_units ? Quantity::Amount : Quantity::Concentration;
  const double size = ws.values[sym.compartment];
  if (stores_amount_[s]) return q == Quantity::Amount ? v : v / size;
  return q == Quantity::Concentration ? v : v * size;
}

void CompiledSystem::write(Workspace& ws, std::uint32_t s, double value, Quantity q) const {
  const Symbol& sym = ir_.symbols[s];
  double& v = ws.values[s];
  if (!is_species(sym)) {
    v = value;
    return;
  }
  if (q == Quantity::Default) q = sym.has_only_substance_units ? Quantity::Amount : Quantity::Concentration;
  const double size = ws.values[sym.compartment];
  if (stores_amount_[s]) v = q == Quantity::Amount ? value : value * size;
  else v = q == Quantity::Concentration ? value : value / size;
  // As after an event (apply_event): fast species re-equilibrate from their amounts now.
  for (const FastSpecies& f : fast_species_) ws.values[f.free_amount] = ws.values[f.species];
  for (std::uint32_t xi : fast_extents_) ws.values[xi] = 0.0;
}

}  // namespace axisim::detail
