#include "stochastic/ssa_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>

#include <spdlog/spdlog.h>

#include "axisim/error.hpp"
#include "compile/derivative.hpp"
#include "compile/native_code.hpp"
#include "ir/expression.hpp"

namespace axisim::detail {
namespace {

bool is_species(const Symbol& s) { return s.kind == SymbolKind::Species; }

std::string quoted(const std::string& id) { return "'" + id + "'"; }

// A count within this relative distance of a whole number is that number (a concentration
// times a volume that should give 100 molecules may give 99.99999999999999).
bool near_whole(double x) { return std::fabs(x - std::nearbyint(x)) <= 1e-9 * std::max(1.0, std::fabs(x)); }

// Between firings nothing changes but time, the variables of rate rules (straight lines) and
// what reads them: the "varying" values. This finds the comparisons through which a formula's
// truth depends on time, each as g = lhs - rhs with its slope dg/dt, an expression that is
// constant between two switches of the comparisons found (SsaModel::Comparisons).
class SwitchAnalysis {
 public:
  struct Found {
    Expr g, slope;
    Op op;
  };

  SwitchAnalysis(const std::vector<const Expr*>& expr_of, const std::vector<const Expr*>& rate_of,
                 const std::vector<bool>& varying, const std::vector<SymbolLoad>& loads)
      : expr_of_(expr_of), rate_of_(rate_of), varying_(varying), loads_(loads) {}

  bool varies(const Expr& e) const {
    if (e.op == Op::Time) return true;
    if (e.op == Op::Symbol) return symbol_varies(e.symbol);
    return std::any_of(e.args.begin(), e.args.end(), [&](const Expr& a) { return varies(a); });
  }

  // de/dt between switches, or nullopt when e is not affine in time there (a product of two
  // varying factors, a function of time such as sin, floor or a division by a varying value).
  std::optional<Expr> slope(const Expr& e) const {
    if (!varies(e)) return Expr::number(0.0);
    switch (e.op) {
      case Op::Time: return Expr::number(1.0);
      case Op::Symbol: {
        const std::uint32_t s = e.symbol;
        const std::int64_t c = loads_[s].divide_by;
        if (c != kNone && symbol_varies(static_cast<std::uint32_t>(c))) return std::nullopt;
        if (rate_of_[s]) return *rate_of_[s];  // constant between firings
        if (expr_of_[s]) return slope(*expr_of_[s]);
        return std::nullopt;
      }
      case Op::Plus: {
        Expr out = Expr::call(Op::Plus, {});
        for (const Expr& a : e.args) {
          auto d = slope(a);
          if (!d) return std::nullopt;
          out.args.push_back(std::move(*d));
        }
        return out;
      }
      case Op::Minus:
      case Op::Negate: {
        std::vector<Expr> parts;
        for (const Expr& a : e.args) {
          auto d = slope(a);
          if (!d) return std::nullopt;
          parts.push_back(std::move(*d));
        }
        if (parts.size() == 1) return Expr::call(Op::Negate, std::move(parts));
        return Expr::call(Op::Minus, std::move(parts));
      }
      case Op::Times: {
        Expr out = Expr::call(Op::Times, {});
        bool found = false;
        for (const Expr& a : e.args) {
          if (!varies(a)) {
            out.args.push_back(a);
            continue;
          }
          if (found) return std::nullopt;  // two varying factors: not affine
          found = true;
          auto d = slope(a);
          if (!d) return std::nullopt;
          out.args.push_back(std::move(*d));
        }
        return out;
      }
      case Op::Divide: {
        if (e.args.size() != 2 || varies(e.args[1])) return std::nullopt;
        auto d = slope(e.args[0]);
        if (!d) return std::nullopt;
        return Expr::call(Op::Divide, {std::move(*d), e.args[1]});
      }
      case Op::Piecewise: {
        // The branch that holds: its conditions are comparisons of the set, constant between
        // their switches.
        Expr out = Expr::call(Op::Piecewise, {});
        for (std::size_t i = 0; i < e.args.size(); ++i) {
          const bool condition = i % 2 == 1;
          if (condition) {
            out.args.push_back(e.args[i]);
            continue;
          }
          auto d = slope(e.args[i]);
          if (!d) return std::nullopt;
          out.args.push_back(std::move(*d));
        }
        if (e.args.size() % 2 == 0) out.args.push_back(Expr::number(0.0));  // no otherwise: NaN, any slope
        return out;
      }
      default: return std::nullopt;
    }
  }

  // Adds to `out` every comparison through which e (read as a truth value when `truth`)
  // depends on time. Returns false if one of them is not affine between switches (it is left
  // out; the caller falls back on checking e at the end of each interval).
  bool comparisons(const Expr& e, bool truth, std::vector<Found>& out) {
    seen_truth_.assign(expr_of_.size(), 0);
    seen_value_.assign(expr_of_.size(), 0);
    return collect(e, truth, out);
  }

 private:
  bool collect(const Expr& e, bool truth, std::vector<Found>& out) {
    if (!varies(e)) return true;
    bool ok = true;
    switch (e.op) {
      case Op::Eq: case Op::Neq: case Op::Gt: case Op::Lt: case Op::Geq: case Op::Leq:
        for (std::size_t i = 0; i + 1 < e.args.size(); ++i) {
          Expr g = Expr::call(Op::Minus, {e.args[i], e.args[i + 1]});
          if (auto d = slope(g)) out.push_back(Found{std::move(g), std::move(*d), e.op});
          else ok = false;
        }
        for (const Expr& a : e.args) ok = collect(a, false, out) && ok;
        return ok;
      case Op::And: case Op::Or: case Op::Xor: case Op::Not: case Op::Implies:
        for (const Expr& a : e.args) ok = collect(a, true, out) && ok;
        return ok;
      case Op::Piecewise:
        for (std::size_t i = 0; i < e.args.size(); ++i) ok = collect(e.args[i], i % 2 == 1 || truth, out) && ok;
        return ok;
      case Op::Symbol: {
        const std::uint32_t s = e.symbol;
        if (expr_of_[s] && !rate_of_[s]) {
          // An assignment rule: its comparisons, once per symbol and reading.
          auto& seen = truth ? seen_truth_ : seen_value_;
          if (seen[s]) return seen[s] == 1;
          seen[s] = 1;
          ok = collect(*expr_of_[s], truth, out);
          seen[s] = ok ? 1 : 2;
          return ok;
        }
        break;
      }
      default: break;
    }
    if (truth) {  // a number read as a truth value: true where it is not zero
      if (auto d = slope(e)) out.push_back(Found{e, std::move(*d), Op::Neq});
      else ok = false;
    }
    for (const Expr& a : e.args) ok = collect(a, false, out) && ok;
    return ok;
  }

  bool symbol_varies(std::uint32_t s) const {
    if (varying_[s]) return true;
    const std::int64_t c = loads_[s].divide_by;
    return c != kNone && varying_[static_cast<std::size_t>(c)];
  }

  const std::vector<const Expr*>& expr_of_;
  const std::vector<const Expr*>& rate_of_;
  const std::vector<bool>& varying_;
  const std::vector<SymbolLoad>& loads_;
  std::vector<char> seen_truth_, seen_value_;  // 0 not yet, 1 collected, 2 not affine
};

void compile_comparisons(const std::vector<SwitchAnalysis::Found>& found, const std::vector<SymbolLoad>& loads,
                         SsaModel::Comparisons& out) {
  for (const SwitchAnalysis::Found& f : found) {
    const auto i = static_cast<std::uint32_t>(out.ops.size());
    out.values.add_store_out(f.g, i, loads);
    out.slopes.add_store_out(f.slope, i, loads);
    out.ops.push_back(f.op);
  }
}

// Hybrid runs (ssa_hybrid.cpp): the functions whose zeros are the instants at which something a
// trigger or a rate reads switches between firings: lhs - rhs of each comparison that varies,
// sin(pi x) for floor and ceiling of a varying x (as compile/compiled_system.cpp's discontinuity
// locators), through the assignment rules and rates read; and each one's rate of change along
// the solution between firings (time's is 1, a rate rule's variable's is its rate, a counted
// species' is 0), or nullopt where it has no formula.
class Locators {
 public:
  Locators(const SwitchAnalysis& analysis, const std::vector<const Expr*>& expr_of,
           const std::vector<const Expr*>& rate_of, const std::vector<SymbolLoad>& loads, std::size_t n)
      : analysis_(analysis), expr_of_(expr_of), rate_of_(rate_of), loads_(loads), time_(static_cast<std::uint32_t>(n)),
        seen_(n, false) {}

  void collect(const Expr& e) {
    if (!analysis_.varies(e)) return;
    switch (e.op) {
      case Op::Eq: case Op::Neq: case Op::Gt: case Op::Lt: case Op::Geq: case Op::Leq:
        for (std::size_t i = 0; i + 1 < e.args.size(); ++i)
          if (analysis_.varies(e.args[i]) || analysis_.varies(e.args[i + 1]))
            add(Expr::call(Op::Minus, {e.args[i], e.args[i + 1]}));
        break;
      case Op::Floor: case Op::Ceiling:
        add(Expr::call(Op::Sin, {Expr::call(Op::Times, {Expr::number(M_PI), e.args[0]})}));
        break;
      case Op::Symbol:
        if (expr_of_[e.symbol] && !seen_[e.symbol]) {
          seen_[e.symbol] = true;
          collect(*expr_of_[e.symbol]);
        }
        return;
      default: break;
    }
    for (const Expr& a : e.args) collect(a);
  }

  // dg/dt between firings, with time's derivative 1: time is a symbol for differentiate().
  std::optional<Expr> time_derivative(const Expr& g) {
    try {
      auto d = differentiate(with_time_symbol(g), [&](std::uint32_t s) { return symbol_derivative(s); });
      if (!d) return Expr::number(0.0);
      return with_time_op(*d);
    } catch (const NotDifferentiable&) {
      return std::nullopt;
    }
  }

  std::vector<Expr> found;
  std::vector<std::string> origin;  // the element each locator comes from, for messages
  std::string from;                 // the element collect() is given

 private:
  void add(Expr g) {
    found.push_back(std::move(g));
    origin.push_back(from);
  }
  std::optional<Expr> symbol_derivative(std::uint32_t s) {
    if (s == time_) return Expr::number(1.0);
    const std::int64_t c = loads_[s].divide_by;
    if (c != kNone && analysis_.varies(Expr::sym(static_cast<std::uint32_t>(c))))
      throw NotDifferentiable(Op::Divide);  // a count in a compartment that a rate rule resizes: not followed
    if (rate_of_[s]) return with_time_symbol(*rate_of_[s]);
    if (expr_of_[s] && analysis_.varies(Expr::sym(s)))
      return differentiate(with_time_symbol(*expr_of_[s]), [&](std::uint32_t x) { return symbol_derivative(x); });
    return std::nullopt;  // constant between firings
  }
  Expr with_time_symbol(const Expr& e) const {
    if (e.op == Op::Time) return Expr::sym(time_);
    Expr out = e;
    for (Expr& a : out.args) a = with_time_symbol(a);
    return out;
  }
  Expr with_time_op(const Expr& e) const {
    if (e.op == Op::Symbol && e.symbol == time_) return Expr::call(Op::Time, {});
    Expr out = e;
    for (Expr& a : out.args) a = with_time_op(a);
    return out;
  }

  const SwitchAnalysis& analysis_;
  const std::vector<const Expr*>& expr_of_;
  const std::vector<const Expr*>& rate_of_;
  const std::vector<SymbolLoad>& loads_;
  std::uint32_t time_;
  std::vector<bool> seen_;
};

}  // namespace

SsaModel::~SsaModel() = default;

bool SsaModel::native() const { return native_ && native_->installed(); }

void SsaModel::warn_not_whole(std::uint32_t species, double molecules, double time, const char* what) const {
  if (warned_not_whole_.exchange(true)) return;
  spdlog::warn("{}: at t = {} {} {} to {} molecules, which is not a whole number; counts are rounded to the "
               "nearest whole number (further cases are not reported)",
               sys_.ir().source, time, what, quoted(sys_.ir().symbols[species_[species].slot].id), molecules);
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
  // A rate that reads time (or a rate rule's variable) is a time-dependent propensity: the next
  // firing time solves  integral of a0 = E  (ssa_run.cpp). A rate rule whose rate does the same
  // makes the run hybrid: its variable follows an ODE between firings, integrated by CVODE
  // (ssa_hybrid.cpp).
  for (const Rule& r : ir.rate_rules)
    if (reads_timed(r.math, deps(r.math))) {
      hybrid_ = true;
      spdlog::debug("{}: the rate rule for {} has a rate that changes between reaction events: hybrid run (CVODE "
                    "between firings)",
                    ir.source, id(r.variable));
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
    r.reactants_begin = static_cast<std::uint32_t>(reactants_.size());
    for (const SpeciesReference& ref : rx.reactants) {
      const double stoich = ref.symbol != kNone ? v[static_cast<std::uint32_t>(ref.symbol)] : ref.stoichiometry;
      if (std::isfinite(stoich) && stoich > 0) r.order += stoich;
      if (count_of[ref.species] != kNone && std::isfinite(stoich) && stoich > 0)
        reactants_.push_back(Reactant{static_cast<std::uint32_t>(count_of[ref.species]), stoich});
    }
    r.reactants_end = static_cast<std::uint32_t>(reactants_.size());
    rate_slots_.push_back(r.symbol);
    reactions_.push_back(std::move(r));
  }

  // ---- programs over the whole state ----
  for (std::uint32_t s : order) (timed[s] ? timed_ : state_).add_store(*expr_of[s], s, loads);
  for (std::size_t i = 0; i < ir.rate_rules.size(); ++i) {
    rates_.add_store_out(ir.rate_rules[i].math, static_cast<std::uint32_t>(i), loads);
    rate_vars_.push_back(ir.rate_rules[i].variable);
  }

  // ---- what reads time: events (whose switches are found between firings) and propensities ----
  std::vector<const Expr*> rate_of(n, nullptr);
  for (const Rule& r : ir.rate_rules) rate_of[r.variable] = &r.math;
  std::vector<bool> varying(n, false);
  for (std::uint32_t s = 0; s < n; ++s) varying[s] = continuous[s] || timed[s];
  std::vector<std::vector<std::uint32_t>> trigger_deps(ir.events.size());
  std::vector<SwitchAnalysis::Found> event_found, found;
  // Which triggers switch at instants that can be computed (comparisons affine in time between
  // switches) and which need root-finding along an integration (a hybrid run). In a hybrid run
  // a rate rule's variable is no straight line, so a comparison that reads one is not affine.
  auto classify_triggers = [&](const std::vector<const Expr*>& rate_of_here) {
    SwitchAnalysis analysis(expr_of, rate_of_here, varying, loads);
    exact_events_.clear();
    timed_events_.clear();
    event_found.clear();
    for (std::size_t e = 0; e < ir.events.size(); ++e) {
      trigger_deps[e] = deps(ir.events[e].trigger);
      if (!reads_timed(ir.events[e].trigger, trigger_deps[e])) continue;
      found.clear();
      if (analysis.comparisons(ir.events[e].trigger, true, found)) {
        exact_events_.push_back(static_cast<std::uint32_t>(e));
        event_found.insert(event_found.end(), found.begin(), found.end());
      } else {
        timed_events_.push_back(static_cast<std::uint32_t>(e));
      }
    }
  };
  classify_triggers(rate_of);
  // A trigger that is not affine in time between switches (sin(time) > 0.99) could switch on and
  // back off between two firings: it is found by root-finding along the integration between
  // firings, which makes the run hybrid too.
  if (!timed_events_.empty()) hybrid_ = true;
  if (hybrid_) classify_triggers(std::vector<const Expr*>(n, nullptr));
  SwitchAnalysis analysis(expr_of, rate_of, varying, loads);
  compile_comparisons(event_found, loads, event_comparisons_);
  found.clear();
  for (std::size_t j = 0; j < ir.reactions.size(); ++j)
    if (timed[ir.reactions[j].symbol]) {
      timed_reactions_.push_back(static_cast<std::uint32_t>(j));
      analysis.comparisons(ir.reactions[j].rate, false, found);  // breakpoints only: those it can follow
    }
  compile_comparisons(found, loads, propensity_comparisons_);
  std::vector<bool> continuous_reads(n, false);
  if (hybrid_) {
    // Between firings CVODE integrates the rate rules' variables, the integral of a0 and, as
    // shadow states that keep its steps short where they curve, the locators of every trigger
    // the switch analysis cannot follow and of every comparison inside a rate or a propensity.
    Locators locators(analysis, expr_of, rate_of, loads, n);
    for (std::uint32_t e : timed_events_) {
      locators.from = "the trigger of event '" + ir.events[e].id + "'";
      locators.collect(ir.events[e].trigger);
    }
    for (std::uint32_t j : timed_reactions_) {
      locators.from = "the kinetic law of reaction " + id(ir.reactions[j].symbol);
      locators.collect(ir.reactions[j].rate);
    }
    for (const Rule& r : ir.rate_rules) {
      locators.from = "the rate rule for " + id(r.variable);
      locators.collect(r.math);
    }
    for (std::size_t i = 0; i < locators.found.size(); ++i) {
      const auto out = static_cast<std::uint32_t>(i);
      locators_.add_store_out(locators.found[i], out, loads);
      std::optional<Expr> slope = locators.time_derivative(locators.found[i]);
      if (!slope) {
        slope = Expr::number(0.0);
        spdlog::warn("{}: a comparison in {} has no formula for its rate of change, so the integration between "
                     "reaction events cannot keep its steps short around its switches: a pulse shorter than one "
                     "step could be missed",
                     ir.source, locators.origin[i]);
      }
      locator_slopes_.add_store_out(*slope, out, loads);
    }
    num_locators_ = locators.found.size();
    auto reads = [&](const Expr& e) {
      for (std::uint32_t d : deps(e)) continuous_reads[d] = true;
    };
    for (const Expr& g : locators.found) reads(g);
    for (const Rule& r : ir.rate_rules) reads(r.math);
    for (std::uint32_t s : order)
      if (timed[s]) reads(*expr_of[s]);
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
    for (std::uint32_t s = 0; s < n; ++s) {
      if (changed[s] && rate_deps[s]) r.rate_rules = true;
      if (changed[s] && (continuous_reads[s] || timed[s])) r.continuous = true;
    }
    r.events_begin = static_cast<std::uint32_t>(event_lists_.size());
    for (std::size_t e = 0; e < trigger_deps.size(); ++e)
      if (std::any_of(trigger_deps[e].begin(), trigger_deps[e].end(), [&](std::uint32_t d) { return changed[d]; })) {
        event_lists_.push_back(static_cast<std::uint32_t>(e));
        if (std::find(timed_events_.begin(), timed_events_.end(), e) != timed_events_.end() ||
            std::find(exact_events_.begin(), exact_events_.end(), e) != exact_events_.end())
          r.timed_events = true;
      }
    r.events_end = static_cast<std::uint32_t>(event_lists_.size());
    stack_size_ = std::max(stack_size_, r.after.stack_size());
  }
  stack_size_ = std::max({stack_size_, state_.stack_size(), timed_.stack_size(), rates_.stack_size(),
                          event_comparisons_.values.stack_size(), event_comparisons_.slopes.stack_size(),
                          propensity_comparisons_.values.stack_size(), propensity_comparisons_.slopes.stack_size(),
                          locators_.stack_size(), locator_slopes_.stack_size()});

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
  std::vector<const Program*> programs{&state_, &timed_, &rates_, &locators_, &locator_slopes_};
  for (const Comparisons* c : {&event_comparisons_, &propensity_comparisons_}) {
    programs.push_back(&c->values);
    programs.push_back(&c->slopes);
  }
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
