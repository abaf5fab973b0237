// ir_from_sbml.hpp — libSBML document to ModelIR.
//
// Converts the document to SBML Level 3 Version 2 with libSBML's converter, refuses what the
// runtime cannot simulate (naming the element), resolves every id to a symbol index and turns
// MathML into Expr with function definitions inlined.
#pragma once

#include "ir/model_ir.hpp"
#include "sbml/sbml_document.hpp"

namespace axisim::detail {

// With options.ignore_fast, fast reactions are built as ordinary (integrated) reactions.
ModelIR build_ir(SBML_NS SBMLDocument& doc, const std::string& label, const LoadOptions& options = {});

}  // namespace axisim::detail
