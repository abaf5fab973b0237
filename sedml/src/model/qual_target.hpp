// qual_target.hpp — SED-ML targets on logical (SBML qual) models: an XPath to a qualitative
// species (or to one of its attributes), or the species' bare id, as tellurium-like users write
// targets ("CycD" rather than "/sbml:sbml/sbml:model/qual:listOfQualitativeSpecies/...").
#pragma once
#include <string>

#include "document/document.hpp"
#include "model/sbml_xml.hpp"

namespace axisim::sedml {

// Whether `target` reads as an SBML id (a letter or '_', then letters, digits, '_'): the form a
// bare id has. Such a target is also a valid XPath (a child element of that name), which selects
// nothing in an SBML document; it is taken as an id only where a qualitative species has it.
bool is_bare_id(const std::string& target);

// The XPath of the qualitativeSpecies whose (qual:)id is `id`, with no prefix to bind.
std::string qual_species_xpath(const std::string& id);

// The target with a qualitative species' bare id replaced by that species' XPath; any other
// target as it is.
std::string qual_target_xpath(const SbmlXml& xml, const std::string& target);

// The id of the qualitative species a target names: its bare id, or an XPath selecting one
// qualitativeSpecies element (or, with `initial_level`, its initialLevel attribute: what a
// change sets). Empty when the target names none, with `why` saying what it selected. Throws
// std::runtime_error for a malformed XPath.
std::string qual_species_of(const SbmlXml& xml, const std::string& target, const Namespaces& ns, std::string& why,
                            bool initial_level = false);

}  // namespace axisim::sedml
