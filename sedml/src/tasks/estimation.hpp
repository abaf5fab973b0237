// estimation.hpp — a SED-ML Level 1 Version 4 parameterEstimationTask, run by axisim's fit
// (axisim/parameter_estimation.hpp): its adjustable parameters resolved by XPath on the model,
// its fit experiments read from data sources, its KiSAO algorithm mapped (kisao.hpp), and the
// results laid out for data generators, reports and files. The executor (execute/estimation_runs.cpp) gives it
// what it needs through EstimationContext, so that this file does not see the executor's state.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/parameter_estimation.hpp"
#include "axisim/sedml.hpp"
#include "document/document.hpp"
#include "document/math.hpp"

namespace axisim::sedml {

class SbmlXml;

// A variable as the executor resolved it: the time, a model value in a quantity, or a species'
// rate of change (KISAO:0000834): the sum of its reactions' rates times its net stoichiometry in
// each, divided by its compartment's (constant) size for a concentration.
struct VariableRead {
  bool time = false;
  OutputSpec spec;
  bool rate = false;
  std::vector<std::pair<std::string, double>> rate_terms;  // reaction id, net stoichiometry
  std::string rate_compartment;                            // empty: the amount's rate
};

struct EstimationContext {
  const Document& doc;
  const RunOptions& options;
  // The model `id` with its changes applied (nullptr members after reporting why not).
  std::function<std::pair<std::shared_ptr<const SbmlXml>, std::shared_ptr<const Model>>(const std::string& id)> model;
  // A data source's values (nullopt after reporting why not).
  std::function<std::optional<Series>(const std::string& id, const std::string& element)> data_source;
  // A data generator's variable as resolved (nullopt: it failed, and was reported).
  std::function<std::optional<VariableRead>(const std::string& generator, const std::string& variable)> variable;
  std::function<void(ErrorKind, const std::string& element, const std::string& message)> problem;
  std::function<void(const std::string&)> note;
};

struct EstimationRun {
  FitResult fit;
  std::vector<std::string> labels;  // per adjustable parameter: its id ("<model>:<id>" over several models; with its experiments when it has some)
  std::vector<double> lower, upper;
  std::string algorithm;            // what ran, for the log
  std::vector<Series> columns;      // the reads asked for, over every experiment's rows in order
};

// Runs the task; nullopt after reporting (through the context) what could not be done. `reads`
// are the values data generators read from the task: each is given over the fit experiments
// in order, at the fitted parameters: a time course at its distinct measurement times, a steady
// state one value.
std::optional<EstimationRun> run_estimation(const Task& task, const std::vector<VariableRead>& reads,
                                            EstimationContext& context);

// Tables of a run, one row per data set (its label, then its values), written as CSV in the
// report layout and into reports.h5: the fitted parameters and the objective
// (parameterEstimationReport; the summary, <task id>.fit, adds initial values, bounds,
// iterations), and each fit experiment's observables against its data
// (parameterEstimationResultPlot: rows "<experiment> <observable> time|data|fitted", each
// observable its own length). No NaN: only measured points are listed.
using EstimationTable = std::vector<std::pair<std::string, std::vector<double>>>;
EstimationTable estimation_report(const EstimationRun& run);
EstimationTable estimation_summary(const EstimationRun& run);
EstimationTable estimation_plot(const EstimationRun& run);

}  // namespace axisim::sedml
