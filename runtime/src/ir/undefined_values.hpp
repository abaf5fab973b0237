// undefined_values.hpp — values a model needs but never defines.
//
// SBML lets a parameter, a compartment, a species, a species reference or a local parameter
// leave out its value; an initial assignment, an assignment rule, an algebraic rule or an event
// firing at time 0 must then supply it. When nothing does, the value is NaN at time 0 and CVODE
// stops at its first call of the right-hand side with a message that names nothing. These
// values are found once at load (ModelIR::undefined) and a run is refused, naming every one of
// them and how to supply it, unless the user has set them (Model::set_value, `--set ID=VALUE`).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "ir/model_ir.hpp"

namespace axisim::detail {

// The symbols of ir.no_value that the model needs and that nothing in it, nor `overridden`
// (symbols the user set), defines, in symbol order. A symbol is needed when some formula that
// is evaluated reads it (a rate, a rule, an initial assignment of a symbol not overridden, an
// event, a delay), when it is integrated (a species a reaction changes, a rate rule's variable),
// when it is a species' compartment and the species is read or given as a concentration, or
// when it is a stoichiometry or conversion factor of a reaction. It is defined by an initial
// assignment, an assignment rule, an algebraic rule (non-constant symbols it reads may be what
// it determines) or an event that can fire at time 0 (trigger initialValue false).
std::vector<std::uint32_t> find_undefined(const ModelIR& ir, const std::vector<std::uint32_t>& overridden = {});

// "parameter 'k': no value, initial assignment or rule" (and so on for each kind).
std::string describe_undefined(const Symbol& s);

// "model 'm' never defines these values, so it cannot be simulated: parameter 'k' (no value, no
//  initial assignment or rule), ...; give them values with --set ID=VALUE (Model::set_value),
//  or define them in the model"
std::string undefined_message(const ModelIR& ir, const std::vector<std::uint32_t>& undefined);

// Throws Error(InvalidSbml) with undefined_message when a value the model needs is still
// undefined after the user's overrides (anything with a `symbol` member: Model's own overrides
// or InitialOverride). Cheap when the model defines everything: it reads ir.undefined only.
template <class Overrides>
void require_defined_values(const ModelIR& ir, const Overrides& overrides) {
  if (ir.undefined.empty()) return;
  std::vector<std::uint32_t> set;
  for (const auto& o : overrides) set.push_back(static_cast<std::uint32_t>(o.symbol));
  const bool all_set = std::all_of(ir.undefined.begin(), ir.undefined.end(), [&](std::uint32_t s) {
    return std::find(set.begin(), set.end(), s) != set.end();
  });
  if (all_set) return;
  // Overrides also drop the initial assignments of what they set, and with them what those read.
  const std::vector<std::uint32_t> left = find_undefined(ir, set);
  if (!left.empty()) throw Error(ErrorKind::InvalidSbml, undefined_message(ir, left));
}

}  // namespace axisim::detail
