// model_ir.hpp — the flat model: every SBML element that carries a value is a symbol, every id
// is resolved to a symbol index, and every formula is an Expr over those indices.
//
// The IR states what the document says and nothing more; deciding what is integrated, in which
// order rules run and how species are stored is the compiler's job (compiled_system.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "axisim/model.hpp"
#include "ir/expression.hpp"

namespace axisim::detail {

constexpr double kUnset = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kNone = -1;

// A quantity's units in SI base units: value_in_SI = factor * value, dimension = the product of
// the base kinds (libSBML's names: "metre", "mole", "second", "kilogram", "item", ...) to their
// exponents. `known` false: not declared (nor derivable from what is). Made by sbml/units.*.
struct UnitsSI {
  bool known = false;
  double factor = 1.0;
  std::map<std::string, double> exponents;
  std::string declared;  // as the document names them ("mM", "mole/litre"), for messages
};

// One factor of a unit definition as the document declares it (libSBML's Unit): `kind` is
// libSBML's UnitKind_t. Kept as declared and converted to SI only when asked (sbml/units.cpp),
// because converting costs a tenth of a small model's load and only plugins' declared units
// need it.
struct UnitFactor {
  int kind = 0;
  double exponent = 1.0;
  int scale = 0;
  double multiplier = 1.0;
};

struct DeclaredUnits {  // a unitDefinition of the document
  std::string id;
  std::vector<UnitFactor> factors;
};

struct Symbol {
  std::string id;  // local parameters: "reactionId.parameterId"
  SymbolKind kind = SymbolKind::Parameter;
  double value = kUnset;  // size, initial amount or concentration, value, stoichiometry
  bool constant = true;
  // Species only.
  std::uint32_t compartment = 0;
  bool initial_is_concentration = false;
  bool has_only_substance_units = false;
  bool boundary_condition = false;
  std::int64_t conversion_factor = kNone;  // symbol index of the species' own conversion factor
  // Molecules per unit of the species' substance, for stochastic simulation (runtime/src/stochastic):
  // Avogadro's number times the unit's multiplier and scale when the substance units are mole-based,
  // the multiplier and scale of `item`, and 1 for dimensionless, undeclared or other units.
  double items_per_substance = 1.0;
  // Compartments only.
  double spatial_dimensions = 3;
  // Parameters and compartments: the id of their units as declared (the element's own, else, for
  // a compartment, the model's default for its dimensions); species: of their substance units
  // (own or the model's default). A unit kind or an id of ModelIR::unit_definitions; empty when
  // the document does not say. Resolved by sbml/units.hpp's symbol_units and flux_units.
  std::string units;
  // Made by the compiler, not in the document (a conserved moiety's total, say).
  bool internal = false;
};

struct SpeciesReference {
  std::uint32_t species = 0;
  double stoichiometry = 1.0;           // used when `symbol` is kNone
  std::int64_t symbol = kNone;          // the reference's own symbol when its value can change
};

struct Reaction {
  std::uint32_t symbol = 0;  // the reaction's symbol: its value is the rate
  Expr rate;
  std::vector<SpeciesReference> reactants;
  std::vector<SpeciesReference> products;
  bool fast = false;  // Level 2 / Level 3 Version 1: always at equilibrium (rapid equilibrium)
};

struct Rule {
  std::uint32_t variable = 0;
  Expr math;
};

struct EventAssignment {
  std::uint32_t variable = 0;
  Expr math;  // the variable's math value (a species' concentration unless hasOnlySubstanceUnits)
};

struct Event {
  std::string id;  // "#n" (document position) when the event has none
  Expr trigger;
  bool initial_value = true;
  bool persistent = true;
  std::optional<Expr> delay;
  std::optional<Expr> priority;
  bool use_values_from_trigger_time = true;
  std::vector<EventAssignment> assignments;
};

struct ModelIR {
  std::string id;
  std::string source;  // the file it was read from ("<string>" for a string), for messages
  std::vector<Symbol> symbols;
  std::unordered_map<std::string, std::uint32_t> index;  // global ids only
  std::vector<Reaction> reactions;
  std::vector<Rule> assignment_rules;  // document order
  std::vector<Rule> rate_rules;
  std::vector<Rule> initial_assignments;
  std::vector<Expr> algebraic_rules;  // each: 0 = math
  std::vector<Expr> delayed;          // the x of each delay(x, d), evaluated at past times
  std::vector<Event> events;
  std::vector<PluginRecord> recorded_plugins;  // from an axisim annotation, if any
  std::int64_t conversion_factor = kNone;  // the model's conversion factor
  // For plugins' declared units (sbml/units.hpp): the document's unit definitions and the id of
  // the model's time units (empty when it does not say).
  std::vector<DeclaredUnits> unit_definitions;
  std::string time_units;
  // Symbols the document gives no value (an explicit NaN is a value), and those of them that the
  // model needs but never defines (ir/undefined_values.hpp), found at load.
  std::vector<std::uint32_t> no_value;
  std::vector<std::uint32_t> undefined;

  std::uint32_t add_symbol(Symbol s) {
    const auto i = static_cast<std::uint32_t>(symbols.size());
    if (s.kind != SymbolKind::LocalParameter) index.emplace(s.id, i);
    symbols.push_back(std::move(s));
    return i;
  }
  std::optional<std::uint32_t> find(const std::string& id) const {
    auto it = index.find(id);
    if (it == index.end()) {
      // Local parameters are addressed as "reaction.parameter".
      for (std::uint32_t i = 0; i < symbols.size(); ++i)
        if (symbols[i].kind == SymbolKind::LocalParameter && symbols[i].id == id) return i;
      return std::nullopt;
    }
    return it->second;
  }
};

}  // namespace axisim::detail
