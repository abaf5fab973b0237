// model_access.hpp — what the analyses (runtime/src/analysis) read from a public Model.
//
// A Model keeps its compiled system, the user's initial values and its plugins private; the
// analyses are runtime code that works on exactly those, so they get them here rather than
// through the public API (which must name no internal type). Defined in model.cpp, beside
// Model::Impl.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "axisim/model.hpp"
#include "compile/compiled_system.hpp"
#include "run/plugin_coupling.hpp"
#include "run/simulation.hpp"

namespace axisim::detail {

struct ModelAccess {
  static const CompiledSystem& system(const Model& m);
  // The compiled model itself, as a RunState keeps it (RunState::start).
  static const std::shared_ptr<const Model::Impl>& impl(const Model& m);
  // The user's initial values (Model::set_value), as the compiled system takes them.
  static std::vector<InitialOverride> overrides(const Model& m);
  static const std::vector<std::shared_ptr<const PluginBinding>>& plugins(const Model& m);
  // The symbol of a global id or "reaction.parameter"; throws Error(UnknownId) naming the model.
  static std::uint32_t symbol(const Model& m, std::string_view id);
  // True for an output id "time" in a model with no element of that id: the time column, which
  // every time course has first anyway, so that a selection written as libRoadRunner's
  // ("time", "S1", ...) is accepted. Time courses skip it; the analyses do not take it.
  static bool names_time(const Model& m, std::string_view id);
  // Throws Error(InvalidSbml) naming every value the model needs and never defines.
  static void require_defined(const Model& m);
  // Column names and reads for `outputs`, as Model::simulate resolves them (empty: every
  // species in its default quantity, then every plugin output). Throws Error(UnknownId).
  static std::pair<std::vector<std::string>, std::vector<OutputRead>> outputs(const Model& m,
                                                                              const std::vector<OutputSpec>& outputs);
};

}  // namespace axisim::detail
