#include "agreement.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace bench {

using axisim::detail::CompiledSystem;
using axisim::detail::Workspace;

std::vector<std::size_t> state_permutation(const CompiledSystem& sys, const HandwrittenRhs& hw) {
  if (sys.num_states() != hw.num_states()) {
    std::fprintf(stderr, "axisim integrates %zu states, the hand-written model %zu\n", sys.num_states(), hw.num_states());
    std::exit(3);
  }
  std::vector<std::size_t> perm(sys.num_states());
  std::vector<bool> seen(hw.num_states(), false);
  for (std::size_t k = 0; k < sys.num_states(); ++k) {
    const std::string& id = sys.ir().symbols[sys.state_slot(k)].id;
    const std::size_t i = id.size() > 1 && id[0] == 'S' ? std::stoul(id.substr(1)) : hw.num_states();
    if (i >= hw.num_states() || seen[i] || GeneratedModel::species_id(i) != id) {
      std::fprintf(stderr, "axisim state %zu is '%s', which the hand-written model does not know\n", k, id.c_str());
      std::exit(3);
    }
    seen[i] = true;
    perm[k] = i;
  }
  return perm;
}

Agreement check_agreement(const CompiledSystem& sys, const HandwrittenRhs& hw, std::uint64_t seed) {
  const std::vector<std::size_t> perm = state_permutation(sys, hw);
  const std::size_t n = hw.num_states();
  Workspace ws = sys.make_workspace();
  sys.initialize(ws, {});
  std::vector<double> y_ax(n);
  sys.gather_state(ws, y_ax.data());
  for (std::size_t k = 0; k < n; ++k) {
    const double a = y_ax[k], b = hw.initial_state()[perm[k]];
    if (!(std::abs(a - b) <= kAgreementTolerance * std::abs(b))) {
      std::fprintf(stderr, "initial amount of %s differs: axisim %.17g, hand-written %.17g\n",
                   GeneratedModel::species_id(perm[k]).c_str(), a, b);
      std::exit(3);
    }
  }

  const std::vector<double> perturbed = perturbed_state(hw, seed);

  Agreement result;
  std::vector<double> y_hw(n), ydot_ax(n), ydot_hw(n), scale(n);
  for (const std::vector<double>* state : {&hw.initial_state(), static_cast<const std::vector<double>*>(&perturbed)}) {
    y_hw = *state;
    for (std::size_t k = 0; k < n; ++k) y_ax[k] = y_hw[perm[k]];
    if (!sys.derivatives(0.0, y_ax.data(), ydot_ax.data(), ws)) {
      std::fprintf(stderr, "axisim's derivatives are not finite\n");
      std::exit(3);
    }
    hw(y_hw.data(), ydot_hw.data());
    hw.flux_magnitude(y_hw.data(), scale.data());
    for (std::size_t k = 0; k < n; ++k) {
      const double a = ydot_ax[k], b = ydot_hw[perm[k]], s = scale[perm[k]];
      const double rel = a == b ? 0.0 : std::abs(a - b) / s;
      if (!(rel <= kAgreementTolerance)) {
        std::fprintf(stderr,
                     "derivative of %s differs: axisim %.17g, hand-written %.17g (difference %.3g of the flux scale %.3g, "
                     "allowed %.0e)\nThe hand-written model no longer computes what the SBML says; fix "
                     "bench/handwritten_rhs.cpp or bench/generate_model.cpp.\n",
                     GeneratedModel::species_id(perm[k]).c_str(), a, b, rel, s, kAgreementTolerance);
        std::exit(3);
      }
      result.max_relative_difference = std::max(result.max_relative_difference, rel);
      result.identical += a == b;
      ++result.compared;
    }
  }
  return result;
}

std::vector<double> perturbed_state(const HandwrittenRhs& hw, std::uint64_t seed) {
  std::vector<double> perturbed = hw.initial_state();
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;  // a fixed, seed-dependent sequence
  for (double& v : perturbed) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    v *= 0.5 + static_cast<double>(x >> 11) * 0x1.0p-53;
  }
  return perturbed;
}

}  // namespace bench
