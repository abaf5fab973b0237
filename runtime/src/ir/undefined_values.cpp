#include "ir/undefined_values.hpp"

namespace axisim::detail {
namespace {

bool contains(const std::vector<std::uint32_t>& v, std::uint32_t s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

std::string describe_undefined(const Symbol& s) {
  switch (s.kind) {
    case SymbolKind::Compartment: return "compartment '" + s.id + "': no size, initial assignment or rule";
    case SymbolKind::Species:
      return "species '" + s.id + "': no initial amount or concentration, initial assignment or rule";
    case SymbolKind::Parameter: return "parameter '" + s.id + "': no value, initial assignment or rule";
    case SymbolKind::SpeciesReference:
      return "species reference '" + s.id + "': no stoichiometry, initial assignment or rule";
    case SymbolKind::LocalParameter: return "local parameter '" + s.id + "': no value";
    case SymbolKind::Reaction: break;
  }
  return "'" + s.id + "'";
}

std::vector<std::uint32_t> find_undefined(const ModelIR& ir, const std::vector<std::uint32_t>& overridden) {
  if (ir.no_value.empty()) return {};
  const std::size_t n = ir.symbols.size();
  std::vector<char> needed(n, 0), defined(n, 1);
  for (std::uint32_t s : ir.no_value) defined[s] = 0;
  for (std::uint32_t s : overridden)
    if (s < n) defined[s] = 1;

  auto reads = [&](const Expr& e) { for_each_symbol(e, [&](std::uint32_t s) { needed[s] = 1; }); };
  for (const Rule& r : ir.initial_assignments) {
    // Setting a value replaces its initial assignment (Model::set_value): what that reads is
    // then not needed for it.
    if (contains(overridden, r.variable)) continue;
    defined[r.variable] = 1;
    reads(r.math);
  }
  for (const Rule& r : ir.assignment_rules) {
    defined[r.variable] = 1;
    reads(r.math);
  }
  for (const Rule& r : ir.rate_rules) {
    needed[r.variable] = 1;  // integrated from its initial value
    reads(r.math);
  }
  // An algebraic rule determines one of the non-constant symbols it reads (the compiler's
  // matching picks which); any of them may be the one, so none is reported.
  for (const Expr& e : ir.algebraic_rules)
    for_each_symbol(e, [&](std::uint32_t s) {
      needed[s] = 1;
      if (!ir.symbols[s].constant) defined[s] = 1;
    });
  for (const Expr& e : ir.delayed) reads(e);
  bool any_reaction = false;
  for (const Reaction& rx : ir.reactions) {
    any_reaction = true;
    reads(rx.rate);
    for (const auto* refs : {&rx.reactants, &rx.products})
      for (const SpeciesReference& ref : *refs) {
        needed[ref.species] = 1;  // integrated
        if (ref.symbol != kNone) needed[static_cast<std::size_t>(ref.symbol)] = 1;
        if (const std::int64_t cf = ir.symbols[ref.species].conversion_factor; cf != kNone)
          needed[static_cast<std::size_t>(cf)] = 1;
      }
  }
  if (any_reaction && ir.conversion_factor != kNone) needed[static_cast<std::size_t>(ir.conversion_factor)] = 1;
  for (const Event& e : ir.events) {
    reads(e.trigger);
    if (e.delay) reads(*e.delay);
    if (e.priority) reads(*e.priority);
    for (const EventAssignment& a : e.assignments) {
      reads(a.math);
      // An event that may fire at time 0 (its trigger starts false) sets the value before the
      // integration reads it; whether it does fire is known only when the run starts.
      if (!e.initial_value) defined[a.variable] = 1;
    }
  }
  // A species read as a concentration, or given one, needs its compartment's size.
  for (std::uint32_t s = 0; s < n; ++s) {
    const Symbol& sym = ir.symbols[s];
    if (sym.kind == SymbolKind::Species && needed[s] && (!sym.has_only_substance_units || sym.initial_is_concentration))
      needed[sym.compartment] = 1;
  }

  std::vector<std::uint32_t> out;
  for (std::uint32_t s : ir.no_value)
    if (needed[s] && !defined[s]) out.push_back(s);
  std::sort(out.begin(), out.end());
  return out;
}

std::string undefined_message(const ModelIR& ir, const std::vector<std::uint32_t>& undefined) {
  std::string msg = (ir.source.empty() ? std::string() : ir.source + ": ") + "model '" + ir.id + "' never defines " +
                    (undefined.size() == 1 ? "this value" : "these " + std::to_string(undefined.size()) + " values") +
                    ", so it cannot be simulated:";
  for (std::uint32_t s : undefined) msg += "\n  " + describe_undefined(ir.symbols[s]);
  msg += "\nGive " + std::string(undefined.size() == 1 ? "it a value" : "each a value") +
         " with --set ID=VALUE (Model::set_value in the library), or define " +
         (undefined.size() == 1 ? "it" : "them") + " in the model.";
  return msg;
}

}  // namespace axisim::detail
