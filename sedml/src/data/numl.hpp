// numl.hpp — NuML (the Numerical Markup Language, http://www.numl.org/numl/level1/version1), read
// with libxml2 (numl.cpp; with document.cpp and sbml_xml.cpp the library's only libxml2 users):
// the dimensionDescription that SED-ML's dataDescription embeds, and NuML files, whose first
// resultComponent becomes a DataTable.
#pragma once
#include <string>

#include "data/data_table.hpp"
#include "document/document.hpp"

struct _xmlNode;

namespace axisim::sedml {

// A <dimensionDescription> element: its nested compositeDescriptions, then an atomicDescription
// or a tupleDescription. Elements are matched by their local name whatever their namespace (a
// corpus document breaks the NuML namespace URI across lines). Throws std::runtime_error when a
// compositeDescription holds more than one description or an element is not NuML's.
DimensionDescription read_dimension_description(const _xmlNode* element);

// A NuML file's first resultComponent: its dimensionDescription's composites become the
// table's dimensions (index values gathered from the compositeValues' indexValue attributes in
// the order they first appear), a tupleDescription a last dimension indexed by its
// atomicDescriptions' names; atomicValues are the numbers (NaN where a combination of index
// values has none). Throws Error(Io) when the file cannot be read, Error(InvalidSbml) naming the
// file when it is not NuML or its values do not follow its description, and a file with several
// resultComponents is read by its first, as tellurium reads it (`warning` then says so).
DataTable read_numl_table(const std::string& path, std::string& warning);

}  // namespace axisim::sedml
