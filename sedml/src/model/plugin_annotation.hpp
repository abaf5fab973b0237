// plugin_annotation.hpp — tissue plugins in SED-ML (docs/sedml.md, "Tissue plugins"). A <model>
// names the plugins attached to it in an axisim annotation, the element `axisim export` writes into
// SBML (axisim/plugin_record.hpp), with the library's `source` besides:
//
//   <model id="model" language="urn:sedml:language:sbml" source="gut_liver_igf1.xml">
//     <annotation>
//       <axisim:plugins xmlns:axisim="https://axisim.org/ns/plugins/1">
//         <axisim:plugin name="bone" version="2.0.0">          (source="lib/libaxisim_bone.so": a file)
//           <axisim:parameter name="a_IGF" value="0.2"/>
//           <axisim:state name="BMD" value="1.05"/>            (an initial state the run set)
//         </axisim:plugin>
//       </axisim:plugins>
//     </annotation>
//   </model>
//
// A plugin's states and outputs are SED-ML variables by symbol, `urn:axisim:plugin:bone.BMD`
// (no target: they are not in the SBML document); a repeated task's setValue sets its states and
// parameters (`urn:axisim:plugin:bone.a_IGF`) by the same symbols (execute/task_values.cpp). Other tools skip the annotation; a document
// that reports a plugin's values cannot be run without axisim.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/plugin_record.hpp"
#include "axisim/run_state.hpp"

namespace axisim::sedml {

inline constexpr const char* kPluginSymbol = "urn:axisim:plugin:";

// Loads each plugin (its `path` relative to `document_dir`, else by name on the plugin path with
// `plugin_dirs` first), checks that it is the plugin and the version named, and attaches it to
// `model` with its parameters and initial states; then attaches the plugins the SBML file itself
// records (as `axisim simulate` does) that the annotation does not name; `element` names the
// model in the log. Throws Error naming the plugin (the caller names the element): a missing library (Io / Plugin), another plugin or version than the
// one named (Plugin: another version computes other numbers), a parameter or state it lacks.
void attach_plugins(Model& model, const std::vector<PluginRecord>& plugins, const std::filesystem::path& document_dir,
                    const std::vector<std::string>& plugin_dirs, const std::string& element);

// The plugins of a model derived from another: the parent's, each replaced by the derived
// model's entry of the same name, then the derived model's others.
std::vector<PluginRecord> merge_plugins(const std::vector<PluginRecord>& parent, const std::vector<PluginRecord>& own);

// For a variable `symbol` urn:axisim:plugin:NAME.QUANTITY: "NAME.QUANTITY" when an attached plugin
// NAME has a state or output QUANTITY, else empty with `why` saying what is missing.
bool is_plugin_symbol(const std::string& symbol);
std::string plugin_quantity(const Model& model, const std::string& symbol, std::string& why);

// What a symbol urn:axisim:plugin:NAME.QUANTITY names among an attached plugin's values, for a
// setValue to set or a setValue's, functional range's or computeChange's variable to read: a
// state, an output or a parameter (the name `--plugin-param NAME.PARAM` and the annotation's
// <axisim:parameter> give it). None, with `why` naming the plugin and the quantity, when the
// plugin is not attached, lacks the quantity, or has a parameter and a state or output of that
// name (the symbol would not say which).
enum class PluginValueKind { None, State, Output, Parameter };
struct PluginValue {
  PluginValueKind kind = PluginValueKind::None;
  std::string plugin, quantity;
  std::string id() const { return plugin + "." + quantity; }
};
PluginValue plugin_value(const Model& model, const std::string& symbol, std::string& why);

// The value `v` names now: a parameter as the model holds it; a state or output where `at` stands
// (a run's end state carried, or RunState::start of the model not run yet), an output as the
// plugin's observe gives it there (a run of no length from `at`, so exactly the first row a run
// continuing from `at` reports). Throws Error(Plugin) for a plugin fault.
double plugin_value_at(const Model& model, const RunState& at, const PluginValue& v);

// Whether `model` reports `id`: one of its own ids, or an attached plugin's "NAME.QUANTITY".
bool has_value(const Model& model, const std::string& id);

// The annotation's XML for `plugins` (`indent` before each line), as the writer puts it in a
// <model>; empty for none.
std::string plugin_annotation_xml(const std::vector<PluginRecord>& plugins, const std::string& indent);

}  // namespace axisim::sedml
