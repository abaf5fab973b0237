// axisim/sensitivities.hpp — forward sensitivities of a time course: how each output moves with
// each parameter, at every output time.
//
//   axisim::Model model = axisim::Model::from_file("model.xml");
//   axisim::SimulationOptions opt;  opt.end = 100;  opt.steps = 100;
//   axisim::TimeCourseSensitivities s = axisim::time_course_sensitivities(model, {"k1", "S1"}, opt, {{"S2"}});
//   // s.sensitivity(k, i, j) = d outputs[i] / d parameters[j] at times[k]; s.value(k, i) the output.
//
// The sensitivities s_j = dy/dp_j of the states are integrated with the states by CVODES (the
// staggered corrector, error control on the sensitivities with the states' tolerances divided
// by |p_j|). Their right-hand side is J s_j + df/dp_j: J the model's compiled Jacobian (analytic
// where it has a formula), df/dp_j a central difference in p_j. A parameter is a global
// parameter, a compartment's size, a species' initial value (in its default quantity, as
// Model::set_value takes it) or a local parameter; its effect on the initial state and on every
// other constant (through initial assignments) is a central difference of the model's
// initialisation. Outputs computed from the state (assignment rules, concentrations, reaction
// rates) get the chain rule, dg/dy s + dg/dp, as a central difference along (s_j, dconstants/dp_j).
// Central differences use the step 1e-5 |p_j| (1e-7 for p_j = 0). See docs/analyses.md.
//
// Events and switches. Where an event fires, or a switch in the right-hand side (a relational
// operator, floor, ceiling, rem, quotient) changes branch, at a time tau where a locator g
// (the difference of the relation's sides) crosses zero, the sensitivities jump:
//   dtau/dp = -(dg/dy s + dg/dp) / (dg/dy f- + dg/dt),
//   s+ = dY+/dp - f+ dtau/dp,
// Y+ the state after every execution at that instant (cascades and priorities as simulate()
// runs them), differentiated along (y- + dp (s- + f- dtau/dp), p, tau + dp dtau/dp) by a
// central difference; for a switch alone s+ = s- + (f- - f+) dtau/dp. A time trigger whose time
// is a constant has dtau/dp = 0, one whose time is a parameter moves with it; events at time 0
// fire at a fixed instant. Values an event assigns that are not states (parameters, sizes)
// carry their own sensitivities from then on.
//
// Refused (Error(Unsupported), naming the element): events with a delay, events that fire at
// one instant with equal (or no) priorities (SBML draws their order at random), a condition
// that touches zero without crossing or two that cross at once and move differently, delay,
// algebraic rules, fast reactions, plugins.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/result.hpp"

namespace axisim {

struct TimeCourseSensitivities {
  std::vector<double> times;
  std::vector<std::string> outputs;        // column names, as Model::simulate gives them
  std::vector<std::string> parameters;     // the ids asked for
  std::vector<double> parameter_values;    // their values in this run
  std::vector<double> values;              // times x outputs, row-major
  std::vector<double> sensitivities;       // times x outputs x parameters, row-major
  SolverStats stats;

  double value(std::size_t time, std::size_t output) const { return values[time * outputs.size() + output]; }
  // d outputs[output] / d parameters[parameter] at times[time].
  double sensitivity(std::size_t time, std::size_t output, std::size_t parameter) const {
    return sensitivities[(time * outputs.size() + output) * parameters.size() + parameter];
  }
  // (p / y) dy/dp; NaN where the output is 0.
  double scaled(std::size_t time, std::size_t output, std::size_t parameter) const;
};

// Integrates the model from time 0 (as Model::simulate does, with its values set) and reports
// the outputs (default: every species in its default quantity) and their sensitivities to `wrt`
// at the output times of `options`. Throws Error(UnknownId) for an unknown id, Error(Usage) for
// an id that is not a parameter (a rule's variable, a reaction, a species reference) or is
// given twice, Error(Unsupported) as above, Error(Solver) when CVODES fails.
TimeCourseSensitivities time_course_sensitivities(const Model& model, const std::vector<std::string>& wrt,
                                                  const SimulationOptions& options,
                                                  const std::vector<OutputSpec>& outputs = {});

// The same at the given output times (finite, ascending, from 0 on; Error(Usage) otherwise),
// such as the times of measurements: options.start, end and steps are not used.
TimeCourseSensitivities time_course_sensitivities_at(const Model& model, const std::vector<std::string>& wrt,
                                                     const std::vector<double>& times, const SimulationOptions& options,
                                                     const std::vector<OutputSpec>& outputs = {});

// Long CSV, as `axisim sensitivities` writes it: "time,output,parameter,value", time-major, then
// output, then parameter; value is sensitivity() or, with `scaled`, scaled().
std::string sensitivities_csv(const TimeCourseSensitivities& s, bool scaled = false);

}  // namespace axisim
