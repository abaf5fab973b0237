// ssa_run.hpp — one thread's stochastic runs of an SsaModel: Gillespie's direct method.
//
// Between two reaction events nothing moves but time (and the variables of rate rules, along
// straight lines): the time to the next event is exponential with rate a0, the sum of the
// propensities, and the event is reaction j with probability a_j / a0. After an event only the
// propensities the dependency graph names are recomputed (one compiled Program per reaction),
// and a0 and the choice come from a linear scan of the propensities (small networks) or from a
// binary tree of partial sums (large ones, O(log M) per event). Output times, the due times of
// delayed events and the instants where a time-dependent trigger switches are stops between
// events; by the exponential law's lack of memory the pending event time stays valid across a
// stop that changes nothing, and is drawn again after one that changes something.
//
// A run allocates nothing per event: all memory is sized when the SsaRun is made.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "axisim/model.hpp"
#include "stochastic/random.hpp"
#include "stochastic/ssa_model.hpp"

namespace axisim::detail {

// One output column: a model symbol in a quantity.
struct SsaOutput {
  std::uint32_t symbol = 0;
  Quantity quantity = Quantity::Default;
};

struct SsaCounters {
  std::uint64_t firings = 0;
  std::uint64_t events = 0;  // SBML event executions
};

class SsaRun {
 public:
  SsaRun(const SsaModel& model, const std::vector<SsaOutput>& outputs);

  // Runs one replicate with the given generator seed through `times` (non-decreasing, >= 0)
  // and calls sink(k, row) at each output time k, `row` holding one value per output.
  template <class Sink>
  void run(std::uint64_t seed, const std::vector<double>& times, Sink&& sink);

  const SsaCounters& counters() const { return counters_; }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  void start(std::uint64_t seed);
  double next_firing_time();
  std::size_t choose_reaction();
  // Returns true when the event changed what an SBML event trigger sees and events ran.
  bool fire(std::size_t j);
  [[noreturn]] void negative_count(std::size_t j, std::uint32_t count, double n) const;
  void set_propensity(std::size_t r);
  void refresh_all_propensities();
  void sync_continuous(double t);
  void rebase_continuous(double t);
  bool timed_trigger_changed_at(double t);
  double find_switch(double t0, double t1);
  bool settle(double t);
  void check_triggers();
  bool choose_due(std::size_t& which);
  void execute(std::size_t k);
  void after_event();
  double next_due() const;
  void record(std::size_t k, double t);
  bool trigger(std::size_t e);
  [[noreturn]] void bad_propensity(std::size_t r, double a) const;

  const SsaModel& m_;
  const CompiledSystem& sys_;
  std::vector<SsaOutput> outputs_;
  Workspace ws_;
  double* v_ = nullptr;
  std::vector<double> stack_;
  std::vector<double> counts_;  // molecules, when amounts are not counts (moles)
  std::vector<std::uint32_t> rate_slots_;
  bool unit_ = true;    // amounts are molecule counts
  double scale_ = 1.0;  // molecules per unit of substance
  std::vector<double> a_;      // propensities (reaction events per time)
  double a0_ = 0.0;            // their sum when the pending event time was drawn
  std::vector<double> tree_;   // partial sums: tree_[1] is a0, leaves at leaves_ + j
  std::size_t leaves_ = 0;
  std::vector<double> x0_, rr_;  // rate-rule variables at t0_, and their rates
  double t0_ = 0.0;
  double t_ = 0.0;
  RandomStream rng_;
  std::vector<char> previous_;  // each trigger's value at the last check
  struct Pending {
    std::uint32_t event;
    double time;
    std::uint32_t values;  // offset into pending_values_ (trigger-time values), or npos
  };
  std::vector<Pending> pending_;
  std::vector<double> pending_values_;
  std::vector<std::size_t> tied_;
  std::vector<double> event_values_;
  std::vector<double> row_;
  SsaCounters counters_;
};

template <class Sink>
void SsaRun::run(std::uint64_t seed, const std::vector<double>& times, Sink&& sink) {
  start(seed);
  std::size_t k = 0;
  const std::size_t n = times.size();
  const bool timed = !m_.timed_events().empty();
  double t_fire = next_firing_time();
  while (k < n) {
    const double t_out = times[k];
    const double t_due = pending_.empty() ? kInf : next_due();
    const double t_next = std::min(t_due, t_out);
    if (!timed) {
      // The hot loop: reaction events up to the next output time or due event.
      bool settled = false;
      while (t_fire < t_next && !settled) {
        t_ = t_fire;
        settled = fire(choose_reaction());
        t_fire = next_firing_time();
      }
      if (settled) continue;  // events ran: a due time may now come before t_next
    } else {
      // A time-dependent trigger that switches before the next stop is a stop of its own.
      const double t_stop = std::min(t_fire, t_next);
      if (t_stop > t_) {
        const double t_switch = find_switch(t_, t_stop);
        if (t_switch <= t_stop) {
          t_ = t_switch;
          if (settle(t_)) {
            refresh_all_propensities();
            t_fire = next_firing_time();
          }
          continue;
        }
      }
      if (t_fire < t_next) {
        t_ = t_fire;
        fire(choose_reaction());
        t_fire = next_firing_time();
        continue;
      }
    }
    if (t_due <= t_out) {
      t_ = t_due;
      if (settle(t_)) {
        refresh_all_propensities();
        t_fire = next_firing_time();
      }
    } else {
      t_ = t_out;
      record(k, t_);
      sink(k, static_cast<const double*>(row_.data()));
      ++k;
    }
  }
}

}  // namespace axisim::detail
