// The public steady-state entry points (axisim/steady_state.hpp).
#include "axisim/steady_state.hpp"

#include "analysis/steady_solver.hpp"
#include "model_access.hpp"

namespace axisim {

std::optional<SteadyStateMethod> steady_state_method_from_name(std::string_view name) {
  if (name == "auto") return SteadyStateMethod::Auto;
  if (name == "newton") return SteadyStateMethod::Newton;
  if (name == "pseudo-transient") return SteadyStateMethod::PseudoTransient;
  if (name == "integration") return SteadyStateMethod::Integration;
  return std::nullopt;
}

const char* steady_state_method_name(SteadyStateMethod method) {
  switch (method) {
    case SteadyStateMethod::Auto: return "auto";
    case SteadyStateMethod::Newton: return "newton";
    case SteadyStateMethod::PseudoTransient: return "pseudo-transient";
    case SteadyStateMethod::Integration: return "integration";
  }
  return "auto";
}

const char* stability_name(Stability s) {
  switch (s) {
    case Stability::Stable: return "stable";
    case Stability::Unstable: return "unstable";
    case Stability::Marginal: return "marginal";
    case Stability::Unknown: return "unknown";
  }
  return "unknown";
}

SteadyState steady_state(const Model& model, const SteadyStateOptions& options, const std::vector<OutputSpec>& outputs) {
  const auto [columns, reads] = detail::ModelAccess::outputs(model, outputs);
  detail::SteadySolver solver(model, options);
  solver.set_point();
  const detail::Solution s = solver.solve();
  return solver.describe(s, columns, reads);
}

}  // namespace axisim
