// axisim/sedml_export.hpp — a run of axisim written as a SED-ML simulation experiment (Level 1
// Version 3), alone or in a COMBINE/OMEX archive with its models, so that COPASI, tellurium or
// `axisim run` reproduce it (`axisim export --sedml/--omex`; docs/sedml.md).
//
//   axisim::sedml::ExportRun run;
//   run.model_path = "model.xml";  run.set = {{"k1", 0.5}};  run.options.end = 100;
//   axisim::sedml::export_omex({run}, "run.omex");
//
// Each run becomes a model (the file, with a changeAttribute per value set: a parameter's value,
// a compartment's size, a species' initialConcentration, or its initialAmount when the model
// reads it as an amount; an initial assignment to a symbol that is set is removed first, as
// Model::set_value replaces it), a uniformTimeCourse with CVODE (KISAO:0000019) and the run's
// tolerances and step limit, a task, a data generator per output column (time first), a report
// and a plot of every column against time. The model files are not changed.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/plugin_record.hpp"
#include "axisim/steady_state.hpp"

namespace axisim::sedml {

// What `axisim simulate` does in one run.
struct ExportRun {
  std::string id;          // names the run's elements; empty: "run1", "run2", ...
  std::string model_path;  // an SBML file
  std::vector<std::pair<std::string, double>> set;  // by SBML id (local parameters "reaction.parameter")
  SimulationOptions options;  // start, end, steps, atol, rtol, max_steps
  std::vector<OutputSpec> outputs;  // empty: every species (what simulate writes by default)
  // Exact stochastic simulation (`simulate --method ssa`): Gillespie's direct method
  // (KISAO:0000029) with options.seed (KISAO:0000488) and, above 1, the number of runs
  // (KISAO:0000498), whose mean `axisim run` reports (data sets labelled X-mean, as
  // `--replicates N` names the column). Tolerances are not written.
  bool stochastic = false;
  std::uint64_t replicates = 1;
  // A steady state (a batch job's kind = "steady", as `axisim steady`): a steadyState simulation
  // with KINSOL (KISAO:0000282), which `axisim run` solves with axisim's steady-state solver (Newton,
  // then pseudo-transient continuation, then integration); one value per output, no time. The
  // solver's options are the algorithm's parameters: relative (KISAO:0000209) and absolute
  // (0000211) tolerance, maximum iterations (0000486) and, when not the default, the integration
  // fallback's horizon (0000679), which `axisim run` reads back. Only the automatic method and
  // formulas at time 0 are said (SED-ML names no method order and no frozen time): others refused.
  bool steady = false;
  SteadyStateOptions steady_options;
  // A batch job's output = "final" or "summary" (its statistics, as batch names them): the
  // reductions SED-ML can say (docs/sedml.md): the value at a time as a time course whose output
  // starts and ends there, min/max of a data generator, the trapezoidal mean and integral from the
  // sum and the two ends, tmin/tmax as the least output time at which the series equals its
  // extreme (SED-ML math: KiSAO has no term for it).
  enum class Reduction { None, Final, Summary };
  Reduction reduction = Reduction::None;
  std::vector<std::string> statistics;
  // Tissue plugins (the model's axisim annotation, docs/sedml.md): name, version, every
  // parameter's value and the initial states set; `path` is the library when it was named by
  // path (it then goes into the archive, or is named relative to the SED-ML file), empty when it
  // is found by name on the plugin path. A set id "PLUGIN.NAME" sets that plugin's parameter or
  // initial state. `add_plugin_outputs`: outputs came from a file (a scenario's select), and the
  // plugins' outputs they do not list are added, as simulate and batch add them.
  std::vector<PluginRecord> plugins;
  std::vector<std::string> plugin_dirs;
  bool add_plugin_outputs = false;
};

// Writes the SED-ML document to `sedml_path` (whole or not at all); models are named by their
// path relative to the document's folder. Throws Error naming the run and id for what SED-ML
// cannot say here (a plugin's state or output, an id the model lacks, a symbol set by a rule).
void export_sedml(const std::vector<ExportRun>& runs, const std::string& sedml_path);

// Writes a COMBINE archive: manifest.xml, experiment.sedml (the master) and each model file
// (byte for byte, by its file name; names that collide are numbered). Throws Error(Unsupported)
// in a build without libzip.
void export_omex(const std::vector<ExportRun>& runs, const std::string& omex_path);

// Reads a SED-ML document or a COMBINE archive and writes it again (`axisim export
// EXPERIMENT --sedml/--omex`): the documents as axisim reads them, every other file of the
// archive (models, data) copied. A SED-ML file written as an archive takes the models it names
// by relative path with it. Throws Error naming the element for what axisim cannot read (the
// document's problems as `axisim run` would report them) or could not write.
void reexport(const std::string& input, const std::string& output);

}  // namespace axisim::sedml
