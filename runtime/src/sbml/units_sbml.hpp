// units_sbml.hpp — libSBML unit definitions as UnitsSI (sbml/ only: it names libSBML's types).
#pragma once

#include "sbml/sbml_document.hpp"
#include "sbml/units.hpp"

namespace axisim::detail {

// `ud` in SI base units (libSBML's convertToSI); unknown when null or without units.
UnitsSI units_from_definition(const SBML_NS UnitDefinition* ud, const std::string& declared);

// A model's units for one id: a unit kind or a unit definition of the model; unknown otherwise.
UnitsSI units_of_id(const SBML_NS Model& m, const std::string& id);

// a * b^power (unknown when either is).
UnitsSI combine(const UnitsSI& a, const UnitsSI& b, double power);

}  // namespace axisim::detail
