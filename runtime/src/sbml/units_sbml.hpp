// units_sbml.hpp — libSBML unit definitions as UnitsSI (sbml/ only: it names libSBML's types).
#pragma once

#include "sbml/sbml_document.hpp"
#include "sbml/units.hpp"

namespace axisim::detail {

// `ud` in SI base units (libSBML's convertToSI); unknown when null or without units.
UnitsSI units_from_definition(const SBML_NS UnitDefinition* ud, const std::string& declared);

// a * b^power (unknown when either is).
UnitsSI combine(const UnitsSI& a, const UnitsSI& b, double power);

}  // namespace axisim::detail
