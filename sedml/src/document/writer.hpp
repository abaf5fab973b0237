// writer.hpp — a Document (document.hpp) written back as SED-ML text: the other half of
// document.cpp, used by `axisim export --sedml/--omex` (export.cpp). What the reader keeps is what
// is written: models and their changes, simulations with their algorithms, tasks and repeated
// tasks, data generators, reports and plots (curves, shaded areas and surfaces with their types,
// styles, order, right axis and error bars, Versions 1-3 logX / logY; Version 4 axes, legend,
// size, listOfStyles and figures' subPlots). Plain text, no libxml2: every attribute and text is
// escaped here.
#pragma once
#include <string>

#include "document/document.hpp"

namespace axisim::sedml {

// The document as SED-ML Level 1 Version doc.version (1 to 4; 0 is written as 3): Version 4
// writes numberOfSteps where earlier versions write numberOfPoints. Each XPath target is written
// with the namespace prefixes it was read with (declared on the root when they agree across the
// document, else on the element).
std::string write_document(const Document& doc);

}  // namespace axisim::sedml
