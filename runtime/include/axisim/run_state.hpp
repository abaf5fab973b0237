// axisim/run_state.hpp — where a run ended, to continue from as if it had not stopped.
//
//   axisim::RunState at5;
//   model.simulate(first_half, outputs, &at5);   // [0, 5]; the state at t = 5 into at5
//   at5.set_value("k1", 2.0);                    // a change at t = 5 (SED-ML's setValue)
//   model.simulate_from(at5, second_half, outputs);  // [5, 10], as one run over [0, 10] would
//
// A RunState holds everything a run needs to go on that is not the integrator's: the time,
// every symbol's value (states, parameters events changed, compartments), the attached plugins'
// states, the events waiting for their delay with the values they will assign, each trigger's
// last value (a trigger true at the end does not fire again when the run goes on), the past that
// delay() reads, and the generator that orders simultaneous events. The continued run starts
// CVODE afresh from it, so its results equal one uninterrupted run's to the tolerances.
//
// A stochastic run (axisim/stochastic.hpp: StochasticSimulator::trajectory's `end`,
// statistics' `ends`) hands back the same: its time, values (species as whole molecules),
// triggers and the executions waiting for their delay (no plugin states and no past: SSA refuses
// both), and the generator seeded from its replicate's seed. StochasticOptions::from continues it
// stochastically, Model::simulate_from deterministically; a stochastic run can also continue a
// deterministic run's state (its species rounded to whole molecules).
//
// Ownership: a RunState owns its contents by value, and copies are cheap (they share an
// immutable snapshot until one of them is changed). It refers to the compiled model it came
// from, which it keeps alive: only that Model and its copies (same plugins attached) can
// continue it. Model::set_value does not reach a RunState: the state already holds every value.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "axisim/model.hpp"

namespace axisim {

namespace detail {
struct RunSnapshot;
}

class RunState {
 public:
  RunState();  // empty: no run has filled it yet

  // A run not begun yet, whose clock starts at `time` (SED-ML's initialTime): `model`'s initial
  // state (its set values, initial assignments, the plugins' initial states) placed at `time`.
  // model.simulate_from(RunState::start(model, t0), options) is the run model.simulate(options)
  // would be with the model's clock reading t0 where it reads 0: rules and triggers see time t0 at
  // the start, a trigger true there fires only where its initialValue is false (as at any run's
  // start), delay() before t0 reads the initial state. Initial assignments are computed as the
  // model defines them, once, before the clock starts (SBML gives them no time but the start).
  // `seed` orders simultaneous events (SimulationOptions::seed; simulate_from takes the state's).
  // Throws Error(InvalidSbml) for values the model needs and never defines, Error(Plugin) for a
  // plugin fault, Error(Usage) for a time that is not finite.
  static RunState start(const Model& model, double time, unsigned long long seed = SimulationOptions{}.seed);
  bool empty() const { return snapshot_ == nullptr; }

  double time() const;  // where the run ended
  // A symbol's value at time(), or an attached plugin's state by "<plugin>.<state>". Values that
  // rules compute are as the run ended: a set_value here reaches them when the run continues.
  double value(std::string_view id, Quantity quantity = Quantity::Default) const;
  // Changes a value at time() for the run that continues from here: species (as an amount or a
  // concentration in the compartment's present size), compartments (species are not rescaled),
  // parameters, and attached plugins' states ("<plugin>.<state>"). Rules, triggers and event
  // priorities see the change when the run goes on (a trigger it makes true fires at time());
  // initial assignments are not recomputed. Symbols set by an assignment rule, and reactions,
  // cannot be set (Usage).
  void set_value(std::string_view id, double value, Quantity quantity = Quantity::Default);

  // The executions of delayed events waiting at time(), in the order they were scheduled: the
  // event's id and the time it executes (a run that continues from here executes them then).
  struct PendingExecution {
    std::string event;
    double time = 0.0;
  };
  std::vector<PendingExecution> pending() const;

 private:
  friend class Model;
  friend class StochasticSimulator;
  std::shared_ptr<const detail::RunSnapshot> snapshot_;
};

}  // namespace axisim
