// handwritten_rhs.hpp — the generated model's right-hand side, written directly in C++.
//
// This is the yardstick for axisim's bytecode interpreter: what a programmer would write for
// this network by hand. It loops over the reaction list and switches on the kinetic type; the
// formulas are typed in C++, so the compiler sees every multiplication, and nothing is looked
// up at run time except the species indices of each reaction.
//
// It computes the same function as axisim's CompiledSystem::derivatives for the same model:
//   - the state is the amount of every species (axisim keeps species that no rule sets as
//     amounts), in species index order S0, S1, ...; concentrations are amount / V;
//   - the assignment rules are evaluated first, then each reaction's rate, which is added to
//     its products' and subtracted from its reactants' derivatives in reaction order, reactants
//     first, as axisim's stoichiometry loop does. Operand order follows the generated MathML
//     and the Hill power goes through std::pow as in axisim, so the two agree to the last bit;
//     CVODE then takes exactly the same steps with either, and a simulation's time difference
//     is the right-hand side's alone.
// What it leaves out: axisim's check that every derivative is finite (the CVODE driver in
// reference_cvode.cpp does it, as axisim's does), and nothing else.
// The benchmark checks the agreement before it times anything (see axisim_bench.cpp).
#pragma once

#include <vector>

#include "generate_model.hpp"

namespace bench {

class HandwrittenRhs {
 public:
  explicit HandwrittenRhs(const GeneratedModel& model);

  std::size_t num_states() const { return num_species_; }
  double compartment_size() const { return volume_; }

  // Species amounts at time 0 (initial concentration times V).
  const std::vector<double>& initial_state() const { return initial_amount_; }

  // ydot = f(y). Not thread-safe: it reuses scratch arrays for concentrations and rule values,
  // as a hand-written model kept in a struct would.
  void operator()(const double* y, double* ydot) const;

  // For each state, the sum of |term| over every reaction term in its derivative: the scale
  // against which the difference between two evaluations of ydot is judged (a derivative that
  // is a near-cancelling sum of large fluxes cannot be compared relative to its own size).
  void flux_magnitude(const double* y, double* out) const;

 private:
  // Concentrations and rule values for state y, into the scratch arrays.
  void prepare(const double* y) const;
  double rate(const ReactionSpec& r) const;

  std::size_t num_species_;
  double volume_;
  std::vector<RuleSpec> rules_;
  std::vector<ReactionSpec> reactions_;
  std::vector<double> initial_amount_;
  mutable std::vector<double> conc_;  // per species, amount / V
  mutable std::vector<double> g_;     // per rule
};

}  // namespace bench
