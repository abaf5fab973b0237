// axisim/scenario.hpp — a simulation scenario as data: a TOML file.
//
//   name = "high_fibre"
//   description = "High-fibre diet (40 g/day)"
//   model = "../gut_liver_igf1.xml"          # relative to this file
//   ignore_fast = true                        # optional: fast reactions as ordinary kinetics
//   select = ["IGF1_total", "butyrate_portal"]   # optional output columns
//   [simulation]
//   start = 0
//   end = 2160                                # in the model's time unit
//   steps = 360
//   # atol = 1e-12, rtol = 1e-8               # optional
//   [set]                                     # initial values and parameters, by SBML id
//   fibre_intake = 40
//   [plugins]                                 # optional: plugins and their parameters
//   bone = { a_IGF = 0.2 }
//
// A scenario names everything one run needs, so that `axisim simulate --scenario FILE` is the
// whole command.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "axisim/model.hpp"

namespace axisim {

struct PluginRequest {
  std::string name;  // a plugin name or a path to its shared library
  std::vector<std::pair<std::string, double>> parameters;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string model_path;  // absolute, or empty when the file names no model
  SimulationOptions options;
  std::vector<std::pair<std::string, double>> set;
  std::vector<std::string> select;
  std::vector<PluginRequest> plugins;
  // Load the model with LoadOptions::ignore_fast (`ignore_fast = true`; `--ignore-fast`).
  bool ignore_fast = false;

  // Reads a scenario file; throws Error(Io) if it cannot be read and Error(Usage) naming the
  // file, line and key when it is not a valid scenario.
  static Scenario load(const std::string& path);

  // Applies the `set` table to a model (throws Error(UnknownId) naming an id the model lacks).
  void apply(Model& model) const;

  std::vector<OutputSpec> outputs() const;
};

}  // namespace axisim
