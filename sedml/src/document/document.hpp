// document.hpp — a SED-ML document (Level 1 Versions 1-4) as plain structs. document.cpp reads
// it with libxml2; nothing here holds a libxml2 type. XPath targets keep the namespace prefixes
// in scope where they were written, so that sbml_xml.cpp can evaluate them on the model.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "axisim/plugin_record.hpp"
#include "axisim/sedml.hpp"
#include "document/math.hpp"
#include "document/plot_spec.hpp"

namespace axisim::sedml {

using Namespaces = std::map<std::string, std::string>;  // prefix -> URI

struct Variable {
  std::string id, target, symbol, term, task_ref, model_ref;
  Namespaces ns;
  std::string symbol2;  // Version 4 dependentVariable: the variable a derivative is taken by
  // Version 4 dependentVariable: the second target of a term over a pair (a control
  // coefficient's reaction, an elasticity's species), by XPath in the same namespaces.
  std::string target2;
  // Version 4: with an aggregation term (KISAO:0000825, mean ignoring NaN, ...), the dimensions
  // that remain after the reduction (each a task or repeated task id); the others are reduced.
  std::vector<std::string> remaining;
};
struct Parameter {
  std::string id;
  double value = 0.0;
};
struct Change {
  std::string type;  // changeAttribute, computeChange, addXML, removeXML, changeXML
  std::string target, new_value, new_xml;
  Namespaces ns;
  std::vector<Variable> variables;
  std::vector<Parameter> parameters;
  std::optional<MathNode> math;
};
struct ModelDef {
  std::string id, language, source;
  std::vector<Change> changes;
  // Tissue plugins attached to the model (plugin_annotation.hpp): the axisim annotation on the
  // <model> element, in the form `axisim export` writes into SBML. `path` is the library's
  // `source` attribute (relative to the SED-ML document), empty to load it by name.
  std::vector<PluginRecord> plugins;
};
struct AlgorithmParameter {
  std::string kisao, value;
};
struct Simulation {
  std::string id, type;  // uniformTimeCourse, oneStep, steadyState, ...
  double initial_time = 0, output_start = 0, output_end = 0;
  long points = -1;
  double step = 0;  // oneStep
  std::string kisao;
  std::vector<AlgorithmParameter> parameters;
  // The algorithm's axisim annotation asks a logical model's species to move one level towards
  // their target per update (GINsim's semantics; docs/logical.md):
  //   <algorithm kisaoID="KISAO:0000449"><annotation>
  //     <axisim:logical xmlns:axisim="https://axisim.org/ns/logical/1" levelMove="oneLevel"/>
  //   </annotation></algorithm>
  // levelMove="target" is the default (SBML qual's); another value is a problem naming the simulation.
  bool one_level = false;
  // The same annotation on a trap space search (KISAO:0000661-0000663; docs/logical.md, "SED-ML"),
  // for which KiSAO has no parameter: which trap spaces, trapSpaces="minimal" (default), "maximal"
  // or "all", and how a data set holds them, trapSpaceValues="level" (default: one value per trap
  // space, NaN where the species is not fixed) or "bounds" (two: its lowest and highest level).
  // Empty where the annotation does not say; another value is a problem naming the simulation.
  std::string trap_spaces, trap_space_values;
  // Dynamic FBA (KISAO:0000499): the culture's description (axisim/dynamic_fba.hpp, TOML) from
  // the algorithm's axisim annotation, inline or in a file beside the document:
  //   <algorithm kisaoID="KISAO:0000499"><annotation>
  //     <axisim:dfba xmlns:axisim="https://axisim.org/ns/dfba/1">biomass_reaction = "..." ...</axisim:dfba>
  //   </annotation></algorithm>          (or <axisim:dfba source="culture.toml"/>)
  bool has_dfba = false;
  std::string dfba_text;    // the inline TOML (when source is empty)
  std::string dfba_source;  // the file, as written (relative to the document)
};
inline constexpr const char* kLogicalAnnotationNs = "https://axisim.org/ns/logical/1";
inline constexpr const char* kDfbaAnnotationNs = "https://axisim.org/ns/dfba/1";
struct Range {
  std::string id, type;  // uniformRange, vectorRange, functionalRange
  double start = 0, end = 0;
  long points = 0;
  std::string scale;  // linear, log, log10
  std::vector<double> values;
  // functionalRange: `range` names the range whose value the math may read (by that range's id),
  // with variables (model values at the current state) and parameters.
  std::string range_ref;
  std::vector<Variable> variables;
  std::vector<Parameter> parameters;
  std::optional<MathNode> math;
};
struct SetValue {
  std::string target, model_ref, range_ref, symbol;
  Namespaces ns;
  std::vector<Variable> variables;
  std::vector<Parameter> parameters;
  std::optional<MathNode> math;
};
struct SubTask {
  std::string task;
  double order = 0;
};
// Version 4 parameter estimation (a parameterEstimationTask; run by estimation.cpp).
struct AdjustableParameter {
  std::string target, model_ref;
  Namespaces ns;
  std::optional<double> initial;  // initialValue; absent: the model's value
  bool has_bounds = false;
  double lower = 0.0, upper = 0.0;
  std::string scale;                     // bounds' scale: linear (default), log, log10
  std::vector<std::string> experiments;  // experimentReference ids; empty: every fit experiment
};
struct FitMapping {
  std::string type;         // time, experimentalCondition, observable
  std::string data_source;  // a dataSource id
  std::string target;       // a dataGenerator id
  std::optional<double> weight;
  std::string point_weight;  // a dataSource id: one weight per point
};
struct FitExperimentDef {
  std::string id, type;  // timeCourse, steadyState
  std::string kisao;     // its algorithm (the simulation's), if given
  std::vector<AlgorithmParameter> parameters;
  std::vector<FitMapping> mappings;
};
struct Estimation {
  std::string kisao;  // the optimisation algorithm
  std::vector<AlgorithmParameter> parameters;
  std::string objective;  // the objective's element name (leastSquareObjectiveFunction)
  std::vector<AdjustableParameter> adjustables;
  std::vector<FitExperimentDef> experiments;
  std::string xml;  // the element as written, for writing the document again (writer.hpp)
};
struct Task {
  std::string id, type;  // task, repeatedTask, parameterEstimationTask, or another element name
  std::string model_ref, sim_ref;
  std::string range_ref;
  bool reset_model = false;
  std::vector<Range> ranges;
  std::vector<SetValue> changes;
  std::vector<SubTask> subtasks;
  std::optional<Estimation> estimation;  // parameterEstimationTask
};
struct DataGenerator {
  std::string id, name;
  std::vector<Variable> variables;
  std::vector<Parameter> parameters;
  std::optional<MathNode> math;
};
struct DataSet {
  std::string id, label, name, data_ref;
};
struct Output {
  std::string id, name, type;    // report, plot2D, plot3D, parameterEstimationReport, parameterEstimationResultPlot
  std::string task_ref;          // parameterEstimationReport / ResultPlot: the task (taskRef)
  std::vector<DataSet> data_sets;  // reports
  std::vector<std::string> data_refs;  // plots: every x, y, z data reference
  // plots: each curve's (x, y) or surface's (x, y, z) data references, with its id, for writing
  // the document again (writer.hpp)
  struct Curve {
    std::string id;
    std::vector<std::string> refs;
  };
  std::vector<Curve> curves;
  PlotSpec plot;  // plots: what their drawing needs (plot.cpp)
};
// External data (Version 2 on): a file, how its values are laid out (NuML's dimensionDescription),
// and data sources that slice it. Reading and slicing the file is data_source.hpp's.
struct DimensionDescription {
  // NuML's nested compositeDescriptions, outermost first: each a dimension whose index values
  // (of `index_type`: double, integer, string) select what it contains. A description without an
  // id is referred to by its name (tellurium writes them so).
  struct Composite {
    std::string id, name, index_type;
  };
  std::vector<Composite> composites;
  // What the innermost composite holds: one atomicDescription, or a tupleDescription of several
  // (then a last dimension, indexed by their names).
  std::vector<std::string> atomics;
  bool tuple = false;
  bool empty() const { return composites.empty() && atomics.empty(); }
};
struct DataDescription {
  std::string id, source, format;
  DimensionDescription dimensions;  // empty when the document gives none
  struct Slice {
    std::string reference, value;
    std::string index;  // Version 4: a repeated task's current iteration
    std::optional<long> start_index, end_index;  // Version 4: positions along the dimension
  };
  struct Source {
    std::string id, index_set;
    std::vector<Slice> slices;
  };
  std::vector<Source> sources;
  std::string xml;  // the element as written, for writing the document again (writer.hpp)
};
struct Document {
  int level = 1, version = 0;
  std::vector<DataDescription> data_descriptions;
  std::vector<ModelDef> models;
  std::vector<Simulation> simulations;
  std::vector<Task> tasks;
  std::vector<DataGenerator> generators;
  std::vector<Output> outputs;
  std::vector<Style> styles;  // Version 4 listOfStyles
  std::vector<Problem> problems;  // what could not be read (math the evaluator cannot hold, ...)
};

// The one expression of a <math> element given as XML text (an SBML rule's, for the rate of
// change of the value it drives), as SED-ML's math evaluator holds it. Throws std::runtime_error
// when it is not well-formed or holds what the evaluator does not (function calls, ...).
MathNode parse_math_xml(const std::string& xml);

// Reads a SED-ML file. Throws Error(Io) when it cannot be read, Error(InvalidSbml) when it is not
// well-formed XML or not SED-ML (the message names the file).
Document read_document(const std::string& path);

// The SED-ML documents of an unpacked COMBINE archive, as paths relative to `dir`: those its
// manifest.xml lists with a SED-ML format (the master first), or, without a manifest (.sedx),
// every *.sedml file and every *.xml file whose root element is <sedML>, in name order.
std::vector<std::string> sedml_documents_in(const std::string& dir);

}  // namespace axisim::sedml
