// units.hpp — units as plain data (ir/model_ir.hpp's UnitsSI), for checking what plugins declare
// against a model's units. libSBML's unit machinery does the work (units.cpp); this header names
// none of its types, so that the run stage can use it.
#pragma once

#include <string>

#include "ir/model_ir.hpp"

namespace axisim::detail {

// The units of the value symbol `symbol` of `ir` has as the model's math reads it (a species'
// concentration unless hasOnlySubstanceUnits), from its declared units (Symbol::units); unknown
// where the document does not say.
UnitsSI symbol_units(const ModelIR& ir, std::size_t symbol);

// The units of a flux into species `symbol`: its substance per the model's time.
UnitsSI flux_units(const ModelIR& ir, std::size_t symbol);

// A unit expression as plugins declare them: names joined by '*' and '/', with integer powers
// ('^') and parentheses; "1" and "dimensionless" are no unit. A name is an SBML unit kind
// ("mole", "litre", "second", "gram", "metre", "item", ...), one of the usual symbols (mol, l, L,
// s, min, h, hour, day, g, m, M = mole/litre), or either with an SI prefix (p, n, u, m, c, d, k:
// "mmol", "nM", "ml"). Throws std::invalid_argument saying what is wrong.
UnitsSI parse_units(const std::string& text);

// The same units, scale included (relative 1e-9 on the factor): "mmol/l" is "mM" but not "M".
bool same_units(const UnitsSI& a, const UnitsSI& b);

// "mole metre^-3" with its factor when not 1: "0.001 mole metre^-3" (how a mismatch is shown).
std::string si_text(const UnitsSI& u);

}  // namespace axisim::detail
