// nonfinite_diagnosis.hpp — which formula made a NaN or an infinity, for the message of a run
// that fails on one (issue 11, item 3; docs/reliability.md, "Non-finite values during a run").
//
// The right-hand side and the Jacobian report a non-finite value to CVODE as a recoverable
// error, so that it retries with a smaller step. The run only remembers where that happened
// (NonFiniteTrace: a copy of t and y into memory reserved at the start, no string, no
// allocation); the diagnosis, which re-evaluates the model formula by formula and allocates
// freely, runs only when the run has failed.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "compile/compiled_system.hpp"

namespace axisim::detail {

// The last evaluation that produced a non-finite number.
class NonFiniteTrace {
 public:
  enum class Source { None, RightHandSide, Jacobian };

  explicit NonFiniteTrace(std::size_t states) : y_(states) {}

  // Failure path only: copies into memory reserved by the constructor. An evaluation at a state
  // that is itself not finite (CVODE's Newton iteration diverged) is a consequence: it does not
  // replace one at a finite state, which points at the formula.
  void record(Source source, double t, const double* y) {
    const bool finite_input = std::all_of(y, y + y_.size(), [](double x) { return std::isfinite(x); });
    if (!finite_input && source_ != Source::None && finite_input_) return;
    source_ = source;
    finite_input_ = finite_input;
    t_ = t;
    std::copy_n(y, y_.size(), y_.data());
  }
  void clear() { source_ = Source::None; }

  Source source() const { return source_; }
  double time() const { return t_; }
  const double* state() const { return y_.data(); }

 private:
  Source source_ = Source::None;
  bool finite_input_ = false;
  double t_ = 0.0;
  std::vector<double> y_;
};

// The last event assignment that computed a non-finite value (describe_event_assignment).
struct EventNote {
  std::uint32_t target = 0;
  std::string text;  // empty: none
};

// One clause (no line break) naming what produced a non-finite value at (t, y): the reaction
// (its rate), the assignment, rate or algebraic rule, the state that is already not finite (and
// the event that set it, when `event` assigned that state), or the Jacobian entry; the time; and
// the id and value of every symbol the formula reads, e.g.
//   "at t = 2.0000019 the rate of reaction 'R1' is NaN; it reads S = -3.8e-06, k = 1".
// y holds the model's states (sys.num_states() values). `ws` is overwritten (the run that
// owns it has failed). Values a plugin drives must already be set in ws for time t.
std::string diagnose_nonfinite(const CompiledSystem& sys, NonFiniteTrace::Source source, double t, const double* y,
                               Workspace& ws, const EventNote& event);

// When the value an event assigns is not finite, said when a later failure meets it:
//   "event 'E' assigned NaN to 'S' at t = 1, reading x = -1".
// `ws` holds the values the assignment was computed from.
EventNote describe_event_assignment(const CompiledSystem& sys, std::size_t event, std::size_t assignment,
                                      double value, double t, const Workspace& ws);

// A number in the shortest form that reads back to the same double ("NaN", "inf", "-inf" for
// the others).
std::string number_text(double x);

}  // namespace axisim::detail
