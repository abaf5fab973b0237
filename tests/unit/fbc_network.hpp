// fbc_network.hpp — SBML text for the flux balance tests' small hand-solved networks
// (test_fba*.cpp): species, parameters, reactions with fbc flux bounds, and the SBML Level 3
// Version 2 fbc Version 2 document around them. Each test file keeps its own networks (their
// shapes and the optima solved by hand beside them); only the markup is shared.
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace fbc_net {

// A species with amount 0; a boundary species is not balanced by flux balance.
inline std::string species(const std::string& id, bool boundary, const std::string& compartment = "cell") {
  return "<species id=\"" + id + "\" compartment=\"" + compartment +
         "\" initialAmount=\"0\" hasOnlySubstanceUnits=\"true\" boundaryCondition=\"" +
         (boundary ? "true" : "false") + "\" constant=\"false\"/>";
}

// A number as text that reads back to the same double.
inline std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A constant parameter (fbc Version 2 flux bounds name parameters), its value as written.
inline std::string parameter(const std::string& id, const std::string& value) {
  return "<parameter id=\"" + id + "\" value=\"" + value + "\" constant=\"true\"/>";
}
inline std::string parameter(const std::string& id, double value) { return parameter(id, number(value)); }

// Species and their stoichiometries, in the order written.
using Side = std::vector<std::pair<std::string, double>>;

inline std::string species_references(const Side& side) {
  std::string out;
  for (const auto& [id, n] : side)
    out += "<speciesReference species=\"" + id + "\" stoichiometry=\"" + number(n) + "\" constant=\"true\"/>";
  return out;
}

// A reaction `from` -> `to` whose flux is bounded by the parameters `lower` and `upper`.
inline std::string reaction(const std::string& id, const Side& from, const Side& to, const std::string& lower,
                            const std::string& upper, bool reversible) {
  return "<reaction id=\"" + id + "\" reversible=\"" + (reversible ? "true" : "false") + "\" fbc:lowerFluxBound=\"" +
         lower + "\" fbc:upperFluxBound=\"" + upper + "\"><listOfReactants>" + species_references(from) +
         "</listOfReactants><listOfProducts>" + species_references(to) + "</listOfProducts></reaction>";
}
// One molecule of `from` to one of `to`.
inline std::string reaction(const std::string& id, const std::string& from, const std::string& to,
                            const std::string& lower, const std::string& upper, bool reversible) {
  return reaction(id, Side{{from, 1}}, Side{{to, 1}}, lower, upper, reversible);
}

// The document: model `model_id` (fbc:strict as given) with one compartment of size 1, then
// `body` (the lists of species, parameters, reactions, objectives) as written.
inline std::string document(const std::string& model_id, const std::string& body, bool strict = true,
                            const std::string& compartment = "cell") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" xmlns:fbc="http://www.sbml.org/sbml/level3/version1/fbc/version2" level="3" version="2" fbc:required="false">
<model id=")" + model_id + "\" fbc:strict=\"" + (strict ? "true" : "false") + R"(">
<listOfCompartments><compartment id=")" + compartment + R"(" size="1" constant="true"/></listOfCompartments>
)" + body + R"(
</model>
</sbml>
)";
}

}  // namespace fbc_net
