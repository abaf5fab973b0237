#include "stochastic/ssa_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "compile/native_code.hpp"
#include "ir/expression.hpp"

namespace axisim::detail {
namespace {

bool is_species(const Symbol& s) { return s.kind == SymbolKind::Species; }

std::string quoted(const std::string& id) { return "'" + id + "'"; }

// A count within this relative distance of a whole number is that number (a concentration
// times a volume that should give 100 molecules may give 99.99999999999999).
bool near_whole(double x) { return std::fabs(x - std::nearbyint(x)) <= 1e-9 * std::max(1.0, std::fabs(x)); }

}  // namespace

SsaModel::~SsaModel() = default;

bool SsaModel::native() const { return native_ && native_->installed(); }

void SsaModel::warn_not_whole(std::uint32_t species, double molecules, double time) const {
  if (warned_not_whole_.exchange(true)) return;
  spdlog::warn("{}: at t = {} an event set {} to {} molecules, which is not a whole number; counts are rounded to the "
               "nearest whole number (further cases are not reported)",
               sys_.ir().source, time, quoted(sys_.ir().symbols[species_[species].slot].id), molecules);
}

SsaModel::SsaModel(const CompiledSystem& system, const std::vector<InitialOverride>& overrides, Backend backend,
                   const std::string& label)
    : sys_(system) {
  const ModelIR& ir = sys_.ir();
  const std::size_t n = ir.symbols.size();
  const std::string where = ir.source + ": unsupported by stochastic simulation (SSA): ";
  auto refuse = [&](const std::string& what) { throw Error(ErrorKind::Unsupported, where + what); };
  auto id = [&](std::uint32_t s) { return quoted(ir.symbols[s].id); };

  // ---- what a jump process cannot mean ----
  if (!ir.algebraic_rules.empty())
    refuse("the model has " + std::to_string(ir.algebraic_rules.size()) +
           " algebraic rule(s): a constraint solved continuously has no meaning between discrete reaction events");
  for (const detail::Reaction& rx : ir.reactions)
    if (rx.fast)
      refuse("reaction " + id(rx.symbol) + " is fast (rapid equilibrium), which has no exact stochastic meaning; "
             "run with --ignore-fast to simulate it as an ordinary reaction");
  if (!ir.delayed.empty())
    refuse("the model uses the delay csymbol: a delayed value reads a deterministic history that a stochastic run "
           "does not have");
  auto refuse_rate_of = [&](const Expr& e, const std::string& element) {
    if (contains_op(e, Op::RateOf))
      refuse(element + " uses rateOf, which a jump process does not define (its species change by jumps)");
  };
  for (const Rule& r : ir.assignment_rules) refuse_rate_of(r.math, "the assignment rule for " + id(r.variable));
  for (const Rule& r : ir.rate_rules) refuse_rate_of(r.math, "the rate rule for " + id(r.variable));
  for (const detail::Reaction& rx : ir.reactions) refuse_rate_of(rx.rate, "the kinetic law of reaction " + id(rx.symbol));
  for (const Event& ev : ir.events) {
    refuse_rate_of(ev.trigger, "the trigger of event '" + ev.id + "'");
    if (ev.delay) refuse_rate_of(*ev.delay, "the delay of event '" + ev.id + "'");
    if (ev.priority) refuse_rate_of(*ev.priority, "the priority of event '" + ev.id + "'");
    for (const EventAssignment& a : ev.assignments) refuse_rate_of(a.math, "event '" + ev.id + "'");
  }

  // ---- how each symbol is stored and read (as the compiled system does: compiled_system.cpp,
  // classify): a species set by a rule is kept in its math quantity, every other species as an
  // amount, read as amount / size unless it has only substance units ----
  std::vector<bool> ruled(n, false), rate_ruled(n, false), set_by_event(n, false);
  for (std::uint32_t s = 0; s < n; ++s) ruled[s] = sys_.has_assignment_rule(s);
  for (const Rule& r : ir.rate_rules) rate_ruled[r.variable] = true;
  for (const Event& ev : ir.events)
    for (const EventAssignment& a : ev.assignments) set_by_event[a.variable] = true;
  std::vector<SymbolLoad> loads(n);
  for (std::uint32_t s = 0; s < n; ++s) {
    loads[s].slot = s;
    const Symbol& sym = ir.symbols[s];
    if (!is_species(sym)) continue;
    const bool stores_amount = sym.has_only_substance_units || !(ruled[s] || rate_ruled[s]);
    if (stores_amount && !sym.has_only_substance_units) loads[s].divide_by = sym.compartment;
  }
  auto deps = [&](const Expr& e) {
    std::vector<std::uint32_t> out;
    for_each_symbol(e, [&](std::uint32_t s) {
      out.push_back(s);
      if (loads[s].divide_by != kNone) out.push_back(static_cast<std::uint32_t>(loads[s].divide_by));
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };

  // ---- assigned symbols (rule variables and reaction rates) in dependency order ----
  std::vector<const Expr*> expr_of(n, nullptr);
  for (const Rule& r : ir.assignment_rules) expr_of[r.variable] = &r.math;
  for (const detail::Reaction& rx : ir.reactions) expr_of[rx.symbol] = &rx.rate;
  std::vector<std::vector<std::uint32_t>> deps_of(n);
  std::vector<std::uint32_t> order;
  {
    std::vector<int> pending(n, 0);
    std::vector<std::vector<std::uint32_t>> users(n);
    for (std::uint32_t s = 0; s < n; ++s) {
      if (!expr_of[s]) continue;
      deps_of[s] = deps(*expr_of[s]);
      for (std::uint32_t d : deps_of[s])
        if (expr_of[d] && d != s) {
          ++pending[s];
          users[d].push_back(s);
        }
    }
    std::vector<std::uint32_t> ready;
    for (std::uint32_t s = n; s-- > 0;)
      if (expr_of[s] && pending[s] == 0) ready.push_back(s);
    while (!ready.empty()) {
      const std::uint32_t s = ready.back();
      ready.pop_back();
      order.push_back(s);
      for (std::uint32_t u : users[s])
        if (--pending[u] == 0) ready.push_back(u);
    }
    // The compiled system has refused cycles already; a symbol left over would be one.
    for (std::uint32_t s = 0; s < n; ++s)
      if (expr_of[s] && pending[s] > 0) refuse("assignment rules and rates depend on each other in a cycle through " + id(s));
  }

  // ---- what changes continuously between firings: time and the variables of rate rules ----
  std::vector<bool> continuous(n, false), timed(n, false);
  for (const Rule& r : ir.rate_rules) continuous[r.variable] = true;
  auto reads_timed = [&](const Expr& e, const std::vector<std::uint32_t>& d) {
    if (contains_op(e, Op::Time)) return true;
    return std::any_of(d.begin(), d.end(), [&](std::uint32_t s) { return continuous[s] || timed[s]; });
  };
  for (std::uint32_t s : order) timed[s] = reads_timed(*expr_of[s], deps_of[s]);
  for (const detail::Reaction& rx : ir.reactions)
    if (timed[rx.symbol])
      refuse("the rate of reaction " + id(rx.symbol) +
             " changes between reaction events (it reads time, or a variable a rate rule sets, directly or through "
             "assignment rules); Gillespie's method is exact only when propensities are constant between events "
             "(switch such a rate with an event instead)");
  for (const Rule& r : ir.rate_rules) {
    const std::vector<std::uint32_t> d = deps(r.math);
    if (reads_timed(r.math, d))
      refuse("the rate rule for " + id(r.variable) +
             " has a rate that changes between reaction events (it reads time or a variable a rate rule sets); "
             "axisim integrates rate rules exactly between events, as a straight line, which needs their rates "
             "constant there");
  }

  // ---- the species reactions change: molecule counts ----
  std::vector<std::int64_t> count_of(n, kNone);
  for (const detail::Reaction& rx : ir.reactions)
    for (const auto* refs : {&rx.reactants, &rx.products})
      for (const SpeciesReference& ref : *refs) {
        const Symbol& sp = ir.symbols[ref.species];
        if (sp.constant || sp.boundary_condition || ruled[ref.species] || rate_ruled[ref.species]) continue;
        if (count_of[ref.species] != kNone) continue;
        count_of[ref.species] = static_cast<std::int64_t>(species_.size());
        species_.push_back(Species{ref.species});
      }
  for (std::size_t i = 0; i < species_.size(); ++i) {
    const double scale = ir.symbols[species_[i].slot].items_per_substance;
    if (i == 0) items_per_substance_ = scale;
    else if (scale != items_per_substance_)
      refuse("species " + id(species_[0].slot) + " and " + id(species_[i].slot) +
             " have substance units of different sizes, so one reaction event cannot be one molecule of each");
  }
  if (!(items_per_substance_ > 0) || !std::isfinite(items_per_substance_))
    refuse("the substance units of " + id(species_[0].slot) + " are not a positive number of molecules");

  // ---- initial state: the compiled system's, with whole counts ----
  Workspace ws = sys_.make_workspace();
  sys_.initialize(ws, overrides);
  std::vector<double>& v = ws.values;
  initial_counts_.resize(species_.size());
  for (std::size_t i = 0; i < species_.size(); ++i) {
    const std::uint32_t s = species_[i].slot;
    const double molecules = v[s] * items_per_substance_;
    if (!std::isfinite(molecules) || molecules < 0)
      throw Error(ErrorKind::Unsupported, where + "the initial amount of species " + id(s) + " is " +
                                              std::to_string(v[s]) + ", not a number of molecules");
    if (!near_whole(molecules))
      spdlog::warn("{}: species {} starts with {} molecules, which is not a whole number; stochastic simulation "
                   "rounds it to {}",
                   ir.source, id(s), molecules, std::nearbyint(molecules));
    initial_counts_[i] = std::nearbyint(molecules);
    v[s] = initial_counts_[i] / items_per_substance_;
  }

  // ---- stoichiometry: whole molecules per reaction event ----
  auto fixed_value = [&](std::uint32_t s, const std::string& what) {
    if (ruled[s] || rate_ruled[s] || set_by_event[s])
      refuse(what + " " + id(s) + " changes during the run (a rule or an event sets it): a reaction event must move "
             "a fixed whole number of molecules");
    return v[s];
  };
  for (std::size_t j = 0; j < ir.reactions.size(); ++j) {
    const detail::Reaction& rx = ir.reactions[j];
    Reaction r;
    r.symbol = rx.symbol;
    r.changes_begin = static_cast<std::uint32_t>(changes_.size());
    for (const auto* refs : {&rx.reactants, &rx.products})
      for (const SpeciesReference& ref : *refs) {
        if (count_of[ref.species] == kNone) continue;
        double stoich = ref.stoichiometry;
        if (ref.symbol != kNone)
          stoich = fixed_value(static_cast<std::uint32_t>(ref.symbol), "the stoichiometry");
        const Symbol& sp = ir.symbols[ref.species];
        const std::int64_t cf = sp.conversion_factor != kNone ? sp.conversion_factor : ir.conversion_factor;
        double factor = 1.0;
        if (cf != kNone) factor = fixed_value(static_cast<std::uint32_t>(cf), "the conversion factor");
        const double delta = (refs == &rx.reactants ? -1.0 : 1.0) * stoich * factor;
        if (!std::isfinite(delta) || !near_whole(delta))
          refuse("reaction " + id(rx.symbol) + " changes species " + id(ref.species) + " by " + std::to_string(delta) +
                 " (stoichiometry times conversion factor) per event, not a whole number of molecules");
        const auto count = static_cast<std::uint32_t>(count_of[ref.species]);
        auto same = std::find_if(changes_.begin() + r.changes_begin, changes_.end(),
                                 [&](const Change& c) { return c.count == count; });
        if (same != changes_.end()) same->delta += std::nearbyint(delta);
        else changes_.push_back(Change{count, ref.species, std::nearbyint(delta)});
      }
    // X -> 2X changes X by one; a species that ends up unchanged is not a change.
    changes_.erase(std::remove_if(changes_.begin() + r.changes_begin, changes_.end(),
                                  [](const Change& c) { return c.delta == 0.0; }),
                   changes_.end());
    r.changes_end = static_cast<std::uint32_t>(changes_.size());
    rate_slots_.push_back(r.symbol);
    reactions_.push_back(std::move(r));
  }

  // ---- programs over the whole state ----
  for (std::uint32_t s : order) (timed[s] ? timed_ : state_).add_store(*expr_of[s], s, loads);
  for (std::size_t i = 0; i < ir.rate_rules.size(); ++i) {
    rates_.add_store_out(ir.rate_rules[i].math, static_cast<std::uint32_t>(i), loads);
    rate_vars_.push_back(ir.rate_rules[i].variable);
  }

  // ---- events: which read time (checked over intervals), which read what ----
  std::vector<std::vector<std::uint32_t>> trigger_deps(ir.events.size());
  for (std::size_t e = 0; e < ir.events.size(); ++e) {
    trigger_deps[e] = deps(ir.events[e].trigger);
    if (reads_timed(ir.events[e].trigger, trigger_deps[e])) timed_events_.push_back(static_cast<std::uint32_t>(e));
  }
  std::vector<bool> rate_deps(n, false);
  for (const Rule& r : ir.rate_rules)
    for (std::uint32_t d : deps(r.math)) rate_deps[d] = true;

  // ---- the dependency graph: after reaction j fires, what must be recomputed ----
  std::vector<std::int64_t> reaction_index(n, kNone);
  for (std::size_t j = 0; j < ir.reactions.size(); ++j) reaction_index[ir.reactions[j].symbol] = static_cast<std::int64_t>(j);
  std::vector<bool> changed(n, false);
  for (std::size_t j = 0; j < reactions_.size(); ++j) {
    Reaction& r = reactions_[j];
    std::fill(changed.begin(), changed.end(), false);
    for (std::uint32_t c = r.changes_begin; c < r.changes_end; ++c) changed[species_[changes_[c].count].slot] = true;
    for (std::uint32_t s : order)
      if (std::any_of(deps_of[s].begin(), deps_of[s].end(), [&](std::uint32_t d) { return changed[d]; })) changed[s] = true;
    r.affected_begin = static_cast<std::uint32_t>(affected_.size());
    for (std::uint32_t s : order) {
      if (!changed[s] || timed[s]) continue;
      r.after.add_store(*expr_of[s], s, loads);
      if (reaction_index[s] != kNone) affected_.push_back(static_cast<std::uint32_t>(reaction_index[s]));
    }
    r.affected_end = static_cast<std::uint32_t>(affected_.size());
    for (std::uint32_t s = 0; s < n; ++s)
      if (changed[s] && rate_deps[s]) r.rate_rules = true;
    r.events_begin = static_cast<std::uint32_t>(event_lists_.size());
    for (std::size_t e = 0; e < trigger_deps.size(); ++e)
      if (std::any_of(trigger_deps[e].begin(), trigger_deps[e].end(), [&](std::uint32_t d) { return changed[d]; })) {
        event_lists_.push_back(static_cast<std::uint32_t>(e));
        if (std::find(timed_events_.begin(), timed_events_.end(), e) != timed_events_.end()) r.timed_events = true;
      }
    r.events_end = static_cast<std::uint32_t>(event_lists_.size());
    stack_size_ = std::max(stack_size_, r.after.stack_size());
  }
  stack_size_ = std::max({stack_size_, state_.stack_size(), timed_.stack_size(), rates_.stack_size()});

  // The rules and rates again, from the whole counts.
  std::vector<double> stack(stack_size_);
  state_.run(v.data(), nullptr, 0.0, stack.data());
  timed_.run(v.data(), nullptr, 0.0, stack.data());
  initial_values_ = v;
  // AXISIM_SSA_TREE_MIN overrides the threshold (bench/ssa_bench measures both sides of it).
  std::size_t tree_min = kTreeMinReactions;
  if (const char* env = std::getenv("AXISIM_SSA_TREE_MIN"); env && *env) tree_min = std::strtoull(env, nullptr, 10);
  use_tree_ = reactions_.size() >= tree_min;

  // The per-reaction programs as native code (compile/native_code.hpp; the same numbers as the
  // interpreter). Every reaction event runs one of them, so even a small network gains once it
  // has run a while: Auto builds them in the background after kNativeHotSeconds of simulation
  // (at once for large networks), and installs them when ready, mid-run.
  std::vector<const Program*> programs{&state_, &timed_, &rates_};
  for (const Reaction& r : reactions_) programs.push_back(&r.after);
  std::erase_if(programs, [](const Program* p) { return p->empty(); });
  std::size_t size = 0;
  for (const Program* p : programs) size += p->size();
  if (size == 0 || backend == Backend::Interpreter) return;
  const NativeBuild::Mode mode = backend == Backend::Native              ? NativeBuild::Mode::Wait
                                 : size >= kAutoNativeMinInstructions ? NativeBuild::Mode::Background
                                                                      : NativeBuild::Mode::WhenHot;
  native_ = std::make_unique<NativeBuild>(programs, mode, label + " (stochastic)", NativeOptions{}, kNativeHotSeconds);
}

void SsaModel::note_simulated(double seconds) const {
  if (native_) native_->note_simulated(seconds);
}

}  // namespace axisim::detail
