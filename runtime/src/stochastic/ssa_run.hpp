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
// stop that changes nothing, and is drawn again after one that changes something. Switching
// instants of triggers made of comparisons affine in time are computed (every comparison's next
// switch, in order); a model with other time triggers is a hybrid run (below).
//
// Propensities that change with time between firings (they read time or a rate rule's
// variable): the next firing is where the integral of a0 from the last firing reaches an
// exponential draw E (Gauss-Kronrod panels, then Newton's method on the integral), and the
// reaction is chosen with the propensities at that instant; what is left of E carries over an
// output time, and a new E is drawn after a firing, at a trigger's switching instant and after a
// due event that changes something (the process has independent increments).
//
// Hybrid runs (SsaModel::hybrid(): a rate rule whose rate changes between firings, or a trigger
// not affine in time): between firings CVODE integrates the rate rules' variables together with
// the integral of a0, and stops where that integral reaches E (the next firing) or where a
// locator of a trigger or of a rate has a root (ssa_hybrid.cpp).
//
// The continuous-discrete hybrid (StochasticMethod::Hybrid, tau_hybrid.cpp): species whose
// coefficient of variation is small are continuous, the reactions among them are integrated by
// CVODE, and the others fire one by one where their integrated hazard reaches an exponential draw.
//
// A run allocates nothing per event: all memory is sized when the SsaRun is made.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/model.hpp"
#include "axisim/stochastic.hpp"
#include "analysis/dense_algebra.hpp"
#include "run/simulation.hpp"
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
  std::uint64_t leaps = 0;   // tau-leaping's leaps
  std::uint64_t implicit_leaps = 0;  // of them, implicit ones (implicit_leap.cpp)
};

class SsaRun {
 public:
  SsaRun(const SsaModel& model, const std::vector<SsaOutput>& outputs);
  SsaRun(const SsaRun&) = delete;
  SsaRun& operator=(const SsaRun&) = delete;

  // What every run of this SsaRun does (StochasticOptions: its initial time, whether it
  // continues another run, exact or tau-leaping). Throws Error(Unsupported) naming what the
  // choice cannot mean for this model (tau-leaping with propensities that change between
  // firings; continuing a model with delayed events without their end state, options.from).
  void configure(const StochasticOptions& options);

  // Runs one replicate with the given generator seed through `times` (non-decreasing, >= the
  // start's time) and calls sink(k, row) at each output time k, `row` holding one value per
  // output. From `from` (where a run ended, already checked to belong to this model: its values,
  // trigger values and pending executions, at its time), or else from the model's initial state
  // at time0.
  template <class Sink>
  void run(std::uint64_t seed, const std::vector<double>& times, Sink&& sink, const RunSnapshot* from = nullptr);

  // Where the last run stands (after run): its time, every symbol's value, each trigger's last
  // value and the executions waiting for their delay, in the order they were scheduled (ties of
  // equal priority are drawn among them in that order). `model` and `initial` are the caller's.
  void snapshot(RunSnapshot& out) const;

  const SsaCounters& counters() const { return counters_; }

 private:
  // StochasticOptions::stop: check_stop() throws Stopped when it is set; poll_stop() checks every
  // 4,096th call, so that the hot loop pays an increment and a predictable branch.
  void check_stop() const {
    if (stop_)
      if (const int signal = stop_->load(std::memory_order_relaxed))
        throw Stopped(signal, "stochastic run stopped on request at t = " + std::to_string(t_));
  }
  void poll_stop() {
    if (stop_ && (++polls_ & 4095u) == 0) check_stop();
  }
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  void start(std::uint64_t seed, const RunSnapshot* from);
  // The counts from the species' amounts (an event's assignment, or a carried state's values):
  // whole numbers, rounded with a warning; `what` says where a value that is no count came from.
  void counts_from_amounts(const char* what);
  // Tau-leaping (tau_leap.cpp): from t_ to t_next (an output time or a due event), by leaps,
  // exact steps where leaps would be short, and the events the counts trigger at each leap's end.
  void leap_until(double t_next);
  // Marks the critical reactions; tau' of the non-critical reactions (infinity if none) and, in
  // tau_implicit, tau' without those in partial equilibrium (implicit and adaptive leaping).
  double leap_candidate(double& tau_implicit);
  bool leap(double t_end, bool fire_critical);  // false (nothing changed) if a count would go negative
  // The critical reactions' total propensity; one of them drawn by its propensity (one uniform
  // draw), or the number of reactions when none can fire. Both leaps' critical firing.
  double critical_propensity() const;
  std::size_t pick_critical();
  // Implicit tau-leaping (implicit_leap.cpp): one implicit leap, false (nothing changed) if a
  // count would go negative or Newton's method fails; the reversible pairs, once.
  bool implicit_leap(double t_end, bool fire_critical);
  void find_reverse_pairs();
  // Sets the counts to x (molecules, real), recomputes rules and rates, and writes every
  // reaction's propensity to a (unchecked: a trial state may be off the lattice).
  void propensities_at(const double* x, double* a);
  double count(std::uint32_t c) const { return unit_ ? v_[m_.species()[c].slot] : counts_[c]; }
  double poisson(double mean);
  double next_firing_time();
  std::size_t choose_reaction();
  // Returns true when the event changed what an SBML event trigger sees and events ran.
  bool fire(std::size_t j);
  [[noreturn]] void negative_count(std::size_t j, std::uint32_t count, double n) const;
  void set_propensity(std::size_t r);
  void refresh_all_propensities();
  void sync_continuous(double t);
  void rebase_continuous(double t);
  bool trigger_changed_at(double t, const std::vector<std::uint32_t>& events);
  double find_switch(double t0, double t1);
  double find_exact_switch(double t0, double t1);
  // The comparisons' values (and slopes) at t, after bringing the varying values to t.
  void evaluate(const SsaModel::Comparisons& c, double t, double* g, double* slope);
  // The first instant in (s, limit] at which comparison i changes, its value and slope at s
  // being g and m; infinity if it does not before limit.
  double comparison_switch(const SsaModel::Comparisons& c, std::size_t i, double s, double g, double m, double limit);
  // The first instant in (s, limit] at which any comparison of c changes; infinity if none.
  double next_breakpoint(const SsaModel::Comparisons& c, double s, double limit);
  // Time-dependent propensities: a0(t) with the others' sum a0_rest_; the next firing time
  // (integral of a0 from t_ = e_left_), or infinity and e_left_ reduced by the integral to limit.
  double propensity_sum(double t);
  void gauss_kronrod(double a, double b, double& integral, double& error);
  double solve_integral(double s, double b, double target, double whole);
  double next_varying_firing(double limit);
  void set_varying_propensities(double t);
  void put_propensity(std::size_t r, double a);
  // The sum of the propensities as they stand (the tree's root, or the flat array's sum).
  double total_propensity() const {
    if (m_.use_tree()) return tree_[1];
    double a0 = 0.0;
    for (double a : a_) a0 += a;
    return a0;
  }
  bool settle(double t);
  void check_triggers();
  bool choose_due(std::size_t& which);
  void execute(std::size_t k);
  void after_event();
  double next_due() const;
  void record(std::size_t k, double t);
  bool trigger(std::size_t e);
  [[noreturn]] void bad_propensity(std::size_t r, double a) const;
  // Hybrid runs (ssa_hybrid.cpp). hybrid_restart starts CVODE at t_ from the present values,
  // what is left of the exponential draw being e_left_; hybrid_step integrates towards t_next
  // and returns true when it stopped before, at a firing or a trigger's switch, which it has
  // handled (then t_next must be looked at again).
  class Hybrid;
  void hybrid_setup();
  void hybrid_restart(bool fresh_draw = false);
  bool hybrid_step(double t_next);
  void hybrid_refine_switch();
  void hybrid_rest();

  // The continuous-discrete hybrid (tau_hybrid.cpp). th_configure refuses what it cannot mean
  // and sizes its arrays; th_reset starts a run's classification afresh (every species
  // discrete); th_classify classifies the species by the coefficient-of-variation rule, rounds
  // those that turn discrete, marks the reactions integrated as ODEs and says whether there is
  // one; th_until goes from t_ to t_next by exact firings where nothing is continuous, by CVODE
  // segments (th_segment) elsewhere.
  class TauHybrid;
  void th_configure(const StochasticOptions& options);
  void th_reset();
  bool th_classify();
  void th_until(double t_next);
  void th_segment(double t_next);

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
  std::vector<double> cg_, cm_, probe_;  // comparisons' values and slopes at s, and at a probe
  double e_left_ = 0.0;    // time-dependent propensities: what is left of the exponential draw
  double a0_rest_ = 0.0;   // the sum of the propensities that do not change with time
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
  const StopFlag* stop_ = nullptr;  // StochasticOptions::stop
  unsigned polls_ = 0;
  double time0_ = 0.0;      // the clock at the start (StochasticOptions::time0)
  std::uint64_t seed_ = 0;  // the present run's, to seed a snapshot's generator
  bool continued_ = false;  // triggers start from their values, not their initialValue
  bool leaping_ = false;    // tau-leaping
  enum class Leap { Explicit, Implicit, Adaptive };
  Leap leap_kind_ = Leap::Explicit;
  double delta_ = 0.05;     // partial equilibrium (implicit and adaptive)
  double stiff_ = 100.0;    // the adaptive method's stiffness ratio
  double epsilon_ = 0.03;   // its error control
  double critical_ = 10;    // its critical-reaction threshold n_c
  std::vector<char> critical_now_;     // per reaction: critical in the present leap
  std::vector<double> mu_, sigma2_;    // per count: the expected change per time and its variance
  std::vector<double> hor_;            // per count: g_i (Cao et al. 2006), from the present count
  std::vector<double> fired_;          // per reaction: firings in the present leap
  std::vector<double> saved_counts_;
  // Implicit leaping: each reaction's reverse (the reaction with the opposite changes) or npos,
  // per reaction whether it is left out of the implicit step's bound, and Newton's work arrays.
  std::vector<std::size_t> reverse_;
  std::vector<char> equilibrium_;
  std::vector<double> mu_im_, sigma2_im_;
  std::vector<double> im_c_, im_x_, im_f_, im_a_, im_ah_, im_a0_, im_j_;
  std::unique_ptr<DenseLu> im_lu_;
  struct HybridDeleter {
    void operator()(Hybrid* h) const;  // where Hybrid is complete (ssa_hybrid.cpp)
  };
  std::unique_ptr<Hybrid, HybridDeleter> hybrid_;
  // The continuous-discrete hybrid: per count whether it is continuous now, per reaction whether
  // it is integrated as an ODE, each count's last kCvHistory coefficients of variation (a ring,
  // count-major), the expected next values and their variances (work arrays).
  static constexpr std::size_t kCvHistory = 12;
  double switch_tol_ = 0.03, switch_min_ = 0.0;
  std::vector<char> continuous_, deterministic_;
  std::vector<double> cv_history_, th_mean_, th_var_;
  std::size_t cv_filled_ = 0, cv_next_ = 0;
  struct TauHybridDeleter {
    void operator()(TauHybrid* h) const;  // where TauHybrid is complete (tau_hybrid.cpp)
  };
  std::unique_ptr<TauHybrid, TauHybridDeleter> th_;
};

template <class Sink>
void SsaRun::run(std::uint64_t seed, const std::vector<double>& times, Sink&& sink, const RunSnapshot* from) {
  check_stop();
  start(seed, from);
  std::size_t k = 0;
  const std::size_t n = times.size();
  if (leaping_ || th_) {
    while (k < n) {
      poll_stop();
      const double t_out = times[k];
      const double t_due = pending_.empty() ? kInf : next_due();
      if (th_) th_until(std::min(t_due, t_out));
      else leap_until(std::min(t_due, t_out));
      if (t_due <= t_out) {
        t_ = t_due;
        if (settle(t_)) refresh_all_propensities();
      } else {
        t_ = t_out;
        record(k, t_);
        sink(k, static_cast<const double*>(row_.data()));
        ++k;
      }
    }
    return;
  }
  if (hybrid_) {
    // Between stops, CVODE; a stop it does not make (an output time, a due event) is handled
    // here as below.
    e_left_ = rng_.exponential();
    hybrid_restart(true);
    while (k < n) {
      poll_stop();
      const double t_out = times[k];
      const double t_due = pending_.empty() ? kInf : next_due();
      if (hybrid_step(std::min(t_due, t_out))) continue;
      if (t_due <= t_out) {
        t_ = t_due;
        if (settle(t_)) refresh_all_propensities();
        hybrid_restart();
      } else {
        t_ = t_out;
        record(k, t_);
        sink(k, static_cast<const double*>(row_.data()));
        ++k;
      }
    }
    return;
  }
  // Propensities that change with time: the next firing time solves  integral of a0 = E  from
  // the last firing (or stop), E exponential with mean 1, and is looked for up to the next stop.
  const bool varying = !m_.timed_reactions().empty();
  const bool timed = varying || m_.any_timed_events();
  double t_fire = kInf;
  if (varying) e_left_ = rng_.exponential();
  else t_fire = next_firing_time();
  while (k < n) {
    poll_stop();
    const double t_out = times[k];
    const double t_due = pending_.empty() ? kInf : next_due();
    const double t_next = std::min(t_due, t_out);
    if (!timed) {
      // The hot loop: reaction events up to the next output time or due event.
      bool settled = false;
      while (t_fire < t_next && !settled) {
        poll_stop();
        t_ = t_fire;
        settled = fire(choose_reaction());
        t_fire = next_firing_time();
      }
      if (settled) continue;  // events ran: a due time may now come before t_next
    } else {
      if (varying) t_fire = next_varying_firing(t_next);
      // A time-dependent trigger that switches before the next stop is a stop of its own.
      const double t_stop = std::min(t_fire, t_next);
      if (t_stop > t_) {
        const double t_switch = find_switch(t_, t_stop);
        if (t_switch <= t_stop) {
          t_ = t_switch;
          if (settle(t_)) {
            refresh_all_propensities();
            if (!varying) t_fire = next_firing_time();
          }
          // No firing before t_switch; from there the process starts afresh (its increments
          // are independent), so a new draw is as good as what was left of the old one.
          if (varying) e_left_ = rng_.exponential();
          continue;
        }
      }
      if (t_fire < t_next) {
        t_ = t_fire;
        if (varying) set_varying_propensities(t_);
        fire(choose_reaction());
        if (varying) e_left_ = rng_.exponential();
        else t_fire = next_firing_time();
        continue;
      }
    }
    if (t_due <= t_out) {
      t_ = t_due;
      if (settle(t_)) {
        refresh_all_propensities();
        if (varying) e_left_ = rng_.exponential();
        else t_fire = next_firing_time();
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
