// axisim/stochastic_method.hpp — the stochastic methods by name, which of their options each uses,
// and what a run did, worded once for `axisim simulate --method ...` and Python's
// Model.ssa(method=...), so that both accept the same names and refuse the same options alike.
//
//   auto m = axisim::stochastic_method_from_name("tau-leap");   // StochasticMethod::TauLeap
//   axisim::check_stochastic_option_use(*m, {.switch_tol = true}, axisim::OptionSpelling::Cli);
//     // throws Error(Usage): "--switch-tol and --switch-min are options of --method hybrid"
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "axisim/stochastic.hpp"

namespace axisim {

// "ssa" (also "exact": Python's name for it), "tau-leap", "implicit-tau-leap",
// "adaptive-tau-leap", "hybrid"; nullopt for any other name.
std::optional<StochasticMethod> stochastic_method_from_name(std::string_view name);

// The method's name in a statistics report: "Gillespie direct",
// "tau-leaping (Cao-Gillespie-Petzold)", ...
std::string_view stochastic_method_description(StochasticMethod method);

// Which of the method options a caller set (left at their defaults otherwise).
struct StochasticOptionsGiven {
  bool tau_epsilon = false;
  bool tau_delta = false;
  bool switch_tol = false;
  bool switch_min = false;
};

// How a refusal names options and methods: the CLI's "--tau-epsilon ... --method tau-leap" or
// Python's "tau_epsilon ... method='tau-leap'".
enum class OptionSpelling { Cli, Python };

// Throws Error(Usage) naming an option that was given and that `method` does not use, and the
// methods that do: tau_epsilon (the three tau-leaping methods and hybrid), tau_delta (implicit and
// adaptive tau-leaping), switch_tol and switch_min (hybrid).
void check_stochastic_option_use(StochasticMethod method, const StochasticOptionsGiven& given, OptionSpelling spelling);

}  // namespace axisim
