// qual_from_sbml.hpp — an SBML qual document read into the plain LogicalIR (ir/logical_ir.hpp).
//
// The reader (qual_from_sbml.cpp) is the qual package's only user of libSBML; this header names
// no libSBML type, so logical/ can call it.
#pragma once

#include <string>

#include "ir/logical_ir.hpp"

namespace axisim::detail {

// Reads, checks (libSBML's consistency checks with `validate`) and compiles the document. Throws
// Error(Io / InvalidSbml / Unsupported) naming the element (see axisim/logical.hpp).
LogicalIR logical_ir_from_sbml(const std::string& text, const std::string& label, bool validate);

// Whether the document's model uses the qual package (a declaration alone does not count).
// False for a document libSBML cannot read.
bool sbml_uses_qual(const std::string& text);

}  // namespace axisim::detail
