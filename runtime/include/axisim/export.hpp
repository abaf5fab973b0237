// axisim/export.hpp — write a model back as SBML for other tools (COPASI, libRoadRunner, VCell,
// BioModels), optionally changed: values set, the state at a time as the new initial state,
// another SBML Level/Version, a hierarchical model flattened.
//
//   axisim::ExportOptions opt;
//   opt.set = {{"k1", 0.5}};
//   opt.at_time = 10;            // the state at t = 10 becomes the exported initial state
//   opt.level = 2; opt.version = 4;
//   axisim::export_sbml("model.xml", "model-l2v4.xml", opt);
//
// The document is read and written by libSBML: whatever was not asked for (notes, annotations,
// SBO terms, units, layout and other packages) is written back as it was read. The result is
// checked with libSBML's consistency checks (those `axisim simulate` runs) and is written only
// if it passes; the file appears whole (written under a temporary name, then renamed) or not at
// all. See docs/interchange.md for what round-trips and what cannot be carried.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/plugin_record.hpp"

namespace axisim {

struct ExportOptions {
  // Target SBML Level and Version; 0 and 0 keep the document's own. Converted with libSBML's
  // strict converter: a model that cannot be represented exactly is refused (Unsupported) with
  // libSBML's list of what is lost.
  unsigned level = 0, version = 0;
  // New initial values, in the quantity `Model::set_value` takes by default (a species'
  // concentration unless it has only substance units; compartment sizes; parameter values;
  // species-reference stoichiometries; local parameters as "reaction.parameter"). An initial
  // assignment to the symbol is removed; a symbol set by an assignment rule cannot be set.
  std::vector<std::pair<std::string, double>> set;
  // Simulate to this time (after `set`) and write the state there as the initial state.
  // Refused (Unsupported) for models whose math reads `time` or `delay`.
  std::optional<double> at_time;
  // Write a hierarchical (comp) model as one flat model.
  bool flatten = false;
  // Tolerances and limits of the simulation to `at_time` (start, end and steps are ignored).
  SimulationOptions simulation;
  // Plugins attached to the run: attached for the simulation to `at_time` (their states there
  // are recorded too) and recorded in an axisim annotation on the model (axisim/plugin_record.hpp);
  // none: no annotation is added, an existing one is kept.
  std::vector<PluginRecord> plugins;
};

// Reads `in_path`, applies `options` and writes the result to `out_path`.
// Throws Error: Io (input unreadable, output not writable), InvalidSbml (the input or the
// document that would be written fails libSBML's checks), Unsupported (a conversion libSBML
// cannot make exactly, or `at_time` on a model whose math reads time), UnknownId / Usage (a
// `set` id the model lacks or cannot set).
void export_sbml(const std::string& in_path, const std::string& out_path, const ExportOptions& options);

// As export_sbml, returning the document as a string instead of writing it.
std::string export_sbml_string(const std::string& in_path, const ExportOptions& options);

}  // namespace axisim
