// Plans: how a SED-ML simulation runs in axisim (time course, steady state, stochastic, flux
// balance, logical), from its type and KiSAO algorithm; each simulation checked once.
#include <optional>

#include <spdlog/spdlog.h>

#include "execute/runner.hpp"

namespace axisim::sedml::execution {

std::optional<Plan> Runner::simulation_options(const Simulation& sim, const std::string& element) {
  const std::string sim_element = sim.type + " '" + sim.id + "'";
  const AlgorithmUse use = choose_algorithm(sim.kisao).use;
  if (sim.one_level && use != AlgorithmUse::Logical && use != AlgorithmUse::LogicalStableStates &&
      use != AlgorithmUse::LogicalTrapSpaces) {
    problem(ErrorKind::Unsupported, sim_element,
            "its axisim annotation asks for one-level moves (levelMove=\"oneLevel\"), which apply to a logical model's "
            "algorithms (KISAO:0000449, 0000450, 0000657, 0000573, 0000659-0000663) only, not to " + sim.kisao);
    return std::nullopt;
  }
  if ((!sim.trap_spaces.empty() || !sim.trap_space_values.empty()) && use != AlgorithmUse::LogicalTrapSpaces) {
    problem(ErrorKind::Unsupported, sim_element,
            "its axisim annotation asks which trap spaces, or how to lay them out (trapSpaces, trapSpaceValues), which "
            "apply to a logical model's trap space identification (KISAO:0000661-0000663) only, not to " + sim.kisao);
    return std::nullopt;
  }
  if (sim.type == "steadyState") return steady_plan(sim, sim_element);
  if (sim.type != "uniformTimeCourse" && sim.type != "oneStep") {
    problem(ErrorKind::Unsupported, sim_element + " (task '" + element + "')", "this kind of simulation is not supported");
    return std::nullopt;
  }
  const AlgorithmChoice algo = choose_algorithm(sim.kisao);
  bool stochastic = false;
  switch (algo.use) {
    case AlgorithmUse::Cvode:
      break;
    case AlgorithmUse::Substitute:
      note(sim_element + ": algorithm " + sim.kisao + " (" + algo.name + ") substituted by CVODE (KISAO:0000019)");
      break;
    case AlgorithmUse::Stochastic:
      stochastic = true;
      break;
    case AlgorithmUse::StochasticSubstitute:
      note(sim_element + ": algorithm " + sim.kisao + " (" + algo.name +
           ") substituted by Gillespie's direct method (KISAO:0000029), an exact method of the same distribution");
      stochastic = true;
      break;
    case AlgorithmUse::TauLeap:
      stochastic = true;
      break;
    case AlgorithmUse::Logical:
      return logical_plan(sim, algo, sim_element);
    case AlgorithmUse::LogicalStableStates:
      problem(ErrorKind::Unsupported, sim_element,
              "algorithm " + sim.kisao + " (" + algo.name + ") finds stable states: it runs a steadyState, not a " + sim.type);
      return std::nullopt;
    case AlgorithmUse::LogicalTrapSpaces:
      problem(ErrorKind::Unsupported, sim_element,
              "algorithm " + sim.kisao + " (" + algo.name + ") finds trap spaces: it runs a steadyState, not a " + sim.type);
      return std::nullopt;
    case AlgorithmUse::DynamicFba:
      if (sim.type == "oneStep") {
        problem(ErrorKind::Unsupported, sim_element,
                "algorithm " + sim.kisao + " (" + algo.name + ") runs a culture over a uniformTimeCourse, not a oneStep "
                "(it carries no state from one run to the next)");
        return std::nullopt;
      }
      return dfba_plan(sim, sim_element);
    case AlgorithmUse::Fba:
    case AlgorithmUse::SteadyState:
    case AlgorithmUse::NotBuilt:
      problem(ErrorKind::Unsupported, sim_element,
              "algorithm " + sim.kisao + " (" + algo.name + ") is not available for a time course in axisim");
      return std::nullopt;
    case AlgorithmUse::Unknown:
      problem(ErrorKind::Unsupported, sim_element,
              "algorithm '" + sim.kisao + "' is not a KiSAO id axisim knows or can substitute by CVODE");
      return std::nullopt;
  }
  Plan plan;
  plan.stochastic = stochastic;
  plan.ssa.tau_leap = algo.use == AlgorithmUse::TauLeap;
  if (plan.ssa.tau_leap) plan.ssa.method = algo.leap;
  SimulationOptions& opt = plan.time_course;
  if (sim.type == "oneStep") {
    plan.one_step = true;
    plan.step = sim.step;
    opt.start = 0.0;
    opt.end = sim.step;
    opt.steps = 1;
  } else {
    if (sim.output_start < sim.initial_time || sim.output_end < sim.output_start) {
      problem(ErrorKind::InvalidSbml, sim_element, "needs initialTime <= outputStartTime <= outputEndTime");
      return std::nullopt;
    }
    plan.initial_time = sim.initial_time;
    opt.start = sim.output_start - sim.initial_time;
    opt.end = sim.output_end - sim.initial_time;
    opt.steps = static_cast<int>(sim.points);
  }
  try {
    const auto notes = stochastic ? apply_stochastic_parameters(sim, plan.ssa) : apply_algorithm_parameters(sim, opt);
    for (const std::string& n : notes) note(sim_element + ": " + n);
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, sim_element, e.what());
    return std::nullopt;
  }
  return plan;
}

std::optional<Plan> Runner::dfba_plan(const Simulation& sim, const std::string& sim_element) {
  if (sim.output_start < sim.initial_time || !(sim.output_end > sim.output_start) || sim.points < 1) {
    problem(ErrorKind::InvalidSbml, sim_element,
            "dynamic FBA needs initialTime <= outputStartTime < outputEndTime and at least one step");
    return std::nullopt;
  }
  if (!sim.has_dfba) {
    problem(ErrorKind::Unsupported, sim_element,
            "dynamic flux balance analysis (KISAO:0000499) needs the culture it runs (biomass reaction, initial "
            "biomass, medium and uptake kinetics), which SBML fbc does not describe: give it in the algorithm's "
            "annotation <axisim:dfba xmlns:axisim=\"" + std::string(kDfbaAnnotationNs) +
                "\"> (inline TOML, or source=\"FILE\"; docs/fba.md)");
    return std::nullopt;
  }
  Plan plan;
  plan.dfba = true;
  try {
    if (!sim.dfba_source.empty()) {
      const fs::path file = (dir_ / sim.dfba_source).lexically_normal();
      plan.dfba_description = read_dfba_description(file.string());
    } else {
      plan.dfba_description = parse_dfba_description(sim.dfba_text, sim_element + "'s axisim:dfba annotation");
    }
    for (const std::string& n : apply_dfba_parameters(sim, plan.dfba_description.step)) note(sim_element + ": " + n);
  } catch (const Error& e) {
    problem(e.kind(), sim_element, e.what());
    return std::nullopt;
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, sim_element, e.what());
    return std::nullopt;
  }
  plan.initial_time = sim.initial_time;
  plan.time_course.start = sim.output_start - sim.initial_time;
  plan.time_course.end = sim.output_end - sim.initial_time;
  plan.time_course.steps = static_cast<int>(sim.points);
  return plan;
}

std::optional<Plan> Runner::logical_plan(const Simulation& sim, const AlgorithmChoice& algo, const std::string& sim_element) {
  Plan plan;
  plan.logical = true;
  plan.update = algo.logical;
  plan.logical_one_level = sim.one_level;
  if (sim.one_level) note(sim_element + ": a multi-valued species moves one level towards its target per update (axisim annotation, GINsim's semantics)");
  if (sim.type == "steadyState") {
    plan.logical_kind = LogicalRun::Kind::Attractors;
  } else if (sim.type == "oneStep") {
    plan.one_step = true;
    plan.step = sim.step;
    plan.time_course.start = 0.0;
    plan.time_course.end = sim.step;
    plan.time_course.steps = 1;
  } else {
    if (sim.output_start < sim.initial_time || sim.output_end < sim.output_start) {
      problem(ErrorKind::InvalidSbml, sim_element, "needs initialTime <= outputStartTime <= outputEndTime");
      return std::nullopt;
    }
    plan.initial_time = sim.initial_time;
    plan.time_course.start = sim.output_start - sim.initial_time;
    plan.time_course.end = sim.output_end - sim.initial_time;
    plan.time_course.steps = static_cast<int>(sim.points);
  }
  try {
    for (const std::string& n : apply_logical_parameters(sim, plan.logical_seed)) note(sim_element + ": " + n);
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, sim_element, e.what());
    return std::nullopt;
  }
  return plan;
}

std::optional<Plan> Runner::steady_plan(const Simulation& sim, const std::string& sim_element) {
  const AlgorithmChoice algo = choose_algorithm(sim.kisao);
  if (algo.use == AlgorithmUse::Unknown) {
    problem(ErrorKind::Unsupported, sim_element, "algorithm '" + sim.kisao + "' is not a KiSAO id axisim knows");
    return std::nullopt;
  }
  if (algo.use == AlgorithmUse::Logical) return logical_plan(sim, algo, sim_element);
  if (algo.use == AlgorithmUse::LogicalStableStates) {
    std::optional<Plan> plan = logical_plan(sim, algo, sim_element);
    if (plan) plan->logical_kind = LogicalRun::Kind::StableStates;
    return plan;
  }
  if (algo.use == AlgorithmUse::LogicalTrapSpaces) {
    std::optional<Plan> plan = logical_plan(sim, algo, sim_element);
    if (plan) {
      plan->logical_kind = LogicalRun::Kind::TrapSpaces;
      plan->logical_trap_kind = sim.trap_spaces == "maximal" ? TrapSpaceKind::Maximal
                                : sim.trap_spaces == "all"   ? TrapSpaceKind::All
                                                             : TrapSpaceKind::Minimal;
      plan->logical_trap_bounds = sim.trap_space_values == "bounds";
      if (plan->logical_trap_kind != TrapSpaceKind::Minimal || plan->logical_trap_bounds)
        note(sim_element + ": " + to_string(plan->logical_trap_kind) + " trap spaces" +
             (plan->logical_trap_bounds ? ", two values each (a species' lowest and highest level)" : "") +
             " (axisim annotation)");
    }
    if (plan && algo.trap_space_substitute)
      note(sim_element + ": algorithm " + sim.kisao + " (" + algo.name +
           ") substituted by axisim's exhaustive trap space search (KISAO:0000661): an exact method, the same trap spaces");
    return plan;
  }
  if (algo.use == AlgorithmUse::NotBuilt) {
    problem(ErrorKind::Unsupported, sim_element, "algorithm " + sim.kisao + " (" + algo.name + ") is not available in axisim");
    return std::nullopt;
  }
  if (algo.use == AlgorithmUse::DynamicFba) {
    problem(ErrorKind::Unsupported, sim_element,
            "algorithm " + sim.kisao + " (" + algo.name + ") runs a culture over time: a uniformTimeCourse, not a "
            "steadyState (flux balance analysis of one state is KISAO:0000437)");
    return std::nullopt;
  }
  if (algo.use == AlgorithmUse::Stochastic || algo.use == AlgorithmUse::StochasticSubstitute ||
      algo.use == AlgorithmUse::TauLeap) {
    problem(ErrorKind::Unsupported, sim_element,
            "algorithm " + sim.kisao + " (" + algo.name + ") cannot find a steady state in axisim");
    return std::nullopt;
  }
  if (algo.use == AlgorithmUse::Fba) {
    Plan plan;
    plan.fba = true;
    plan.fba_kind = algo.fba;
    try {
      for (const std::string& n : apply_fba_parameters(sim, algo.fba, plan.fba_options)) note(sim_element + ": " + n);
    } catch (const Error& e) {
      problem(e.kind(), sim_element, e.what());
      return std::nullopt;
    }
    return plan;
  }
  note(sim_element + ": algorithm " + sim.kisao + " (" + algo.name +
       "): the steady state is found by axisim's solver (Newton, pseudo-transient continuation, integration)");
  Plan plan;
  plan.steady = true;
  try {
    for (const std::string& n : apply_steady_state_parameters(sim, plan.steady_state)) note(sim_element + ": " + n);
  } catch (const std::exception& e) {
    problem(ErrorKind::InvalidSbml, sim_element, e.what());
    return std::nullopt;
  }
  return plan;
}

}  // namespace axisim::sedml::execution
