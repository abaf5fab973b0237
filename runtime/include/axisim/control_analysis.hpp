// axisim/control_analysis.hpp — metabolic control analysis and steady-state sensitivities.
//
//   axisim::ControlAnalysis mca = axisim::control_analysis(model);
//   mca.scaled_flux_control.at("R3", "R1");   // d ln J_R3 / d ln v_R1 at the steady state
//   mca.theorems.flux_summation;              // |sum_j C^J_ij - 1|, at most, over fluxes i
//
//   axisim::SteadyStateSensitivities s = axisim::steady_state_sensitivities(model, {"k1", "S0"});
//   s.unscaled.at("S2", "k1");                // d S2_ss / d k1
//
// Control coefficients follow Reder (1988): with the link matrix L (axisim/moieties.hpp), the
// reduced stoichiometry N_R, the elasticities E = dv/dx and the reduced Jacobian J_R,
//   C^S = -L J_R^-1 N_R        (species' response to each reaction's rate)
//   C^J = I + E C^S            (fluxes' response)
// where J_R = N_R E L when every state is a species changed by reactions. States that reactions
// alone do not change (rate-rule variables, plugin states, species a plugin adds a flux to) have
// rows of J_R of their own (D_o: d rate / d unknowns), and the control coefficients use the whole
// reduced Jacobian; the connectivity theorems then hold in their general form, each such state's
// rate counted as a process q of its own with C^S_o = -L J_R^-1 P_o (P_o: unit columns on those
// rows), C^J_o = E C^S_o:
//   C^J E L + C^J_o D_o = 0,   C^S E L + C^S_o D_o = -L
// (other_processes names them; empty: the textbook theorems). Scaled coefficients multiply by v_j / J_i, v_j / x_i, x_k / v_j. Species are in the
// quantity the model's math uses (concentration unless hasOnlySubstanceUnits).
//
// Sensitivities follow from the implicit function theorem, dx/dp = -J_R^-1 dF_R/dp, with the
// conservation totals' own dependence on p (a parameter in an initial value, or the initial
// value itself) included. See docs/analyses.md.
#pragma once

#include <string>
#include <vector>

#include "axisim/matrix.hpp"
#include "axisim/model.hpp"
#include "axisim/steady_state.hpp"

namespace axisim {

struct ControlAnalysis {
  SteadyState state;
  std::vector<std::string> species, reactions;  // species changed by reactions; every reaction
  std::vector<double> concentrations, fluxes;   // at the steady state
  Matrix elasticities, scaled_elasticities;            // reactions x species: dv_j / dx_k
  Matrix flux_control, scaled_flux_control;            // reactions x reactions: dJ_i / dv_j
  Matrix concentration_control, scaled_concentration_control;  // species x reactions: dx_i / dv_j
  // The theorems, checked: the largest deviation, in scaled form, of
  //   flux summation              sum_j C^J_ij = 1                   (fluxes J_i != 0)
  //   concentration summation     sum_j C^S_ij = 0                   (species x_i != 0)
  //   flux connectivity           (C^J E L + C^J_o D_o)_ik = 0        (k independent)
  //   concentration connectivity  (C^S E L + C^S_o D_o)_ik = -L_ik
  // (without conservation laws, L = I and the connectivity sums run over species k; without
  // other processes the C_o D_o terms vanish). NaN when no entry qualifies.
  struct Theorems {
    double flux_summation = 0, concentration_summation = 0, flux_connectivity = 0, concentration_connectivity = 0;
  } theorems;
  // States whose rate of change is a process other than reactions (rate rules, plugins): the
  // connectivity theorems above include them; empty when every unknown is a species changed by
  // reactions alone.
  std::vector<std::string> other_processes;
  std::vector<std::string> notes;
};

// Throws what steady_state throws, and Error(Unsupported) for a model without reactions.
ControlAnalysis control_analysis(const Model& model, const SteadyStateOptions& options = {});

struct SteadyStateSensitivities {
  SteadyState state;
  std::vector<double> parameter_values;  // of `unscaled`'s columns
  Matrix unscaled;  // outputs x parameters: d output_ss / d p
  Matrix scaled;    // (p / output) d output / d p; NaN where the output is 0
  // The parameters that change the stoichiometry (a stoichiometry or a conversion factor
  // computed from them): their columns are difference quotients of the steady state re-solved
  // at each step, not the implicit-function derivative of the other columns (accurate to about
  // the solver's tolerance over the step, 1e-3 of the parameter's value).
  std::vector<std::string> resolved;
};

// `wrt`: any ids set_value accepts (parameters, local parameters "R.k", compartments, species'
// initial values). `outputs` as for steady_state (default: every species, then plugin outputs).
SteadyStateSensitivities steady_state_sensitivities(const Model& model, const std::vector<std::string>& wrt,
                                                    const SteadyStateOptions& options = {},
                                                    const std::vector<OutputSpec>& outputs = {});

}  // namespace axisim
