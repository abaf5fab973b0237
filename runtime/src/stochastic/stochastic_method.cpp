// The stochastic methods' names and the options each uses (axisim/stochastic_method.hpp): one
// table for the CLI and the Python module.
#include "axisim/stochastic_method.hpp"

#include <array>
#include <initializer_list>

#include "axisim/error.hpp"

namespace axisim {

namespace {

struct MethodName {
  std::string_view name;  // as `axisim simulate --method` takes it
  StochasticMethod method;
  std::string_view description;
};

constexpr std::array<MethodName, 5> kMethods{{
    {"ssa", StochasticMethod::Exact, "Gillespie direct"},
    {"tau-leap", StochasticMethod::TauLeap, "tau-leaping (Cao-Gillespie-Petzold)"},
    {"implicit-tau-leap", StochasticMethod::ImplicitTauLeap, "implicit tau-leaping (Rathinam-Petzold-Cao-Gillespie)"},
    {"adaptive-tau-leap", StochasticMethod::AdaptiveTauLeap,
     "adaptive explicit-implicit tau-leaping (Cao-Gillespie-Petzold 2007)"},
    {"hybrid", StochasticMethod::Hybrid, "continuous-discrete hybrid (GillesPy2's TauHybridSolver)"},
}};

// "--tau-epsilon" or "tau_epsilon" from the Python spelling "tau_epsilon".
std::string option(std::string_view python_name, OptionSpelling spelling) {
  if (spelling == OptionSpelling::Python) return std::string(python_name);
  std::string s = "--";
  for (const char c : python_name) s += c == '_' ? '-' : c;
  return s;
}

// "--method a, b and c" or "method='a', 'b' and 'c'".
std::string methods(std::initializer_list<std::string_view> names, OptionSpelling spelling) {
  std::string s = spelling == OptionSpelling::Cli ? "--method " : "method=";
  std::size_t i = 0;
  for (const std::string_view n : names) {
    if (i > 0) s += i + 1 == names.size() ? " and " : ", ";
    // Appended piece by piece: "'" + std::string(n) + "'" draws a false -Wrestrict from GCC 12.
    if (spelling == OptionSpelling::Python) s += '\'';
    s += n;
    if (spelling == OptionSpelling::Python) s += '\'';
    ++i;
  }
  return s;
}

}  // namespace

std::optional<StochasticMethod> stochastic_method_from_name(std::string_view name) {
  if (name == "exact") return StochasticMethod::Exact;
  for (const MethodName& m : kMethods)
    if (m.name == name) return m.method;
  return std::nullopt;
}

std::string_view stochastic_method_description(StochasticMethod method) {
  for (const MethodName& m : kMethods)
    if (m.method == method) return m.description;
  return "";
}

void check_stochastic_option_use(StochasticMethod method, const StochasticOptionsGiven& given, OptionSpelling spelling) {
  const bool leaping = method != StochasticMethod::Exact;
  if (given.tau_epsilon && !leaping)
    throw Error(ErrorKind::Usage, option("tau_epsilon", spelling) + " is an option of " +
                                      methods({"tau-leap", "implicit-tau-leap", "adaptive-tau-leap", "hybrid"}, spelling));
  if ((given.switch_tol || given.switch_min) && method != StochasticMethod::Hybrid)
    throw Error(ErrorKind::Usage, option("switch_tol", spelling) + " and " + option("switch_min", spelling) +
                                      " are options of " + methods({"hybrid"}, spelling));
  if (given.tau_delta && method != StochasticMethod::ImplicitTauLeap && method != StochasticMethod::AdaptiveTauLeap)
    throw Error(ErrorKind::Usage, option("tau_delta", spelling) + " is an option of " +
                                      methods({"implicit-tau-leap", "adaptive-tau-leap"}, spelling));
}

}  // namespace axisim
