// axisim/stochastic.hpp — exact stochastic simulation (Gillespie's direct method) of a Model.
//
//   axisim::Model model = axisim::Model::from_file("model.xml");
//   axisim::StochasticSimulator ssa(model, {{"X", axisim::Quantity::Amount}});
//   axisim::StochasticOptions opt;  opt.end = 50;  opt.steps = 50;  opt.seed = 1;  opt.threads = 2;
//   axisim::Result one = ssa.trajectory(opt, 0);                   // replicate 0
//   axisim::EnsembleStatistics s = ssa.statistics(opt, 0, 10000);  // replicates 0..9999
//   axisim::Result table = s.table();                              // time, X-mean, X-sd
//
// Species that reactions change are molecule counts; a reaction's propensity is its kinetic law
// (substance per time, as SBML defines it) times the molecules per unit of substance (1 for
// items and undeclared units, Avogadro's number for moles). Assignment rules, rate rules (with
// rates constant between reaction events) and events keep their SBML meaning. What SSA cannot
// mean is refused with Error(Unsupported) naming the element: algebraic rules, fast reactions,
// delay, rateOf, stoichiometries that are not whole or change, tissue plugins. See
// docs/stochastic.md. StochasticOptions::method = TauLeap runs approximate tau-leaping instead,
// Hybrid the continuous-discrete hybrid (species of small relative noise integrated as ODEs);
// time0 and continued start a run later or continue another; from (with the end states a run
// hands back, axisim/run_state.hpp) continues runs exactly where they ended, events waiting for
// their delay included:
//
//   std::vector<axisim::RunState> ends;
//   ssa.statistics(first_part, 0, 1000, nullptr, &ends);     // each run's end state
//   axisim::StochasticOptions rest = ...;  rest.from = &ends;  // run i from ends[i mod 1000]
//   ssa.statistics(rest, 1000, 1000);
//
// Replicate r of seed s draws from std::mt19937_64 seeded with replicate_seed(s, r), whichever
// thread, process or MPI rank runs it. Statistics group replicates in fixed blocks of kBlock
// (absolute replicate numbers), accumulate each block in replicate order (Welford) and merge the
// blocks in block order (Chan et al.), so results are bit for bit the same for any thread count
// and any split of the blocks between processes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "axisim/result.hpp"
#include "axisim/run_state.hpp"

namespace axisim {

// How replicates are simulated: Gillespie's direct method (exact), or one of three
// approximations, faster where many reactions fire per leap (docs/stochastic.md):
// - TauLeap: explicit Poisson tau-leaping with Cao, Gillespie and Petzold's adaptive step
//   (J. Chem. Phys. 124, 044109, 2006; KISAO:0000039/0000040);
// - ImplicitTauLeap: implicit tau-leaping (Rathinam, Petzold, Cao and Gillespie, J. Chem. Phys.
//   119, 12784, 2003) with the firing numbers rounded and the step chosen without the reactions
//   in partial equilibrium (Cao, Gillespie and Petzold, J. Chem. Phys. 126, 224101, 2007):
//   long leaps over fast reversible reactions (stiff systems; KISAO:0000045);
// - AdaptiveTauLeap: the adaptive explicit-implicit method of that 2007 paper, implicit where
//   the implicit step is more than tau_stiff times the explicit one, explicit elsewhere
//   (KISAO:0000048);
// - Hybrid: the continuous-discrete hybrid of GillesPy2's TauHybridSolver (KISAO:0000575): a
//   species whose coefficient of variation, estimated from the propensities, is below
//   switch_tol is continuous, reactions whose species are all continuous are integrated as ODEs
//   (CVODE), and the others fire one by one, exactly given the continuous trajectory (their
//   integrated hazard); the classification is made again at every firing and stop.
enum class StochasticMethod { Exact, TauLeap, ImplicitTauLeap, AdaptiveTauLeap, Hybrid };

struct StochasticOptions {
  double start = 0.0;  // first output time (>= time0)
  double end = 10.0;
  int steps = 100;     // equal output intervals; steps + 1 output times
  std::uint64_t seed = 0x5eed;
  int threads = 1;     // replicates run on this many threads
  // The model's clock when the run starts: the model's values (as set) hold at time0, and rules,
  // kinetic laws and triggers that read the time read it from there (a SED-ML initialTime, or the
  // time where an earlier run on the model stopped).
  double time0 = 0.0;
  // A run that continues another from the model's values alone: each event's trigger starts at
  // its value in the starting state (an event whose trigger already holds does not fire again),
  // instead of its initialValue. Executions waiting for their delay cannot be known from values:
  // a model with delayed events is refused (use `from`).
  bool continued = false;
  // Runs that go on exactly where earlier runs ended: the end states a stochastic run hands back
  // (trajectory's `end`, statistics' and trajectories' `ends`) or a deterministic one
  // (Model::simulate's). The i-th replicate of a call (replicate first + i) starts from
  // (*from)[i mod from->size()]: at its time (time0 and continued are then not used), from its
  // values (every species, parameter and compartment as that run left them, with the changes
  // RunState::set_value made; species rounded to whole molecules, with a warning), each trigger's
  // value at its last check (a trigger that holds does not fire again; one a set_value made true
  // fires at the start) and the executions of delayed events still waiting, in the order they were
  // scheduled, with the values they will assign when the event uses the trigger time's values.
  // So N runs continued by M: run i goes on from run (i mod N)'s end, a draw from the empirical
  // distribution of the N end states (each exactly M/N times when N divides M). Every state must
  // come from this simulator's model (a copy of it, whatever values were set) and hold a time no
  // later than `start` (Error(Usage) otherwise). Not owned: the vector must outlive the call.
  const std::vector<RunState>* from = nullptr;
  StochasticMethod method = StochasticMethod::Exact;
  // Tau-leaping: the error control epsilon (each leap changes every propensity by about at most
  // epsilon times itself; KISAO:0000228) and the critical-reaction threshold n_c (a reaction that
  // can fire fewer than n_c more times before a reactant runs out fires only one by one;
  // KISAO:0000249).
  double tau_epsilon = 0.03;
  int tau_critical = 10;
  // Implicit and adaptive tau-leaping: a reversible pair (two reactions with opposite changes)
  // is in partial equilibrium when its propensities differ by at most tau_delta times the
  // smaller (KISAO:0000248), and leaves the implicit step's bound; the adaptive method leaps
  // implicitly where the implicit step is more than tau_stiff times the explicit one.
  double tau_delta = 0.05;
  double tau_stiff = 100.0;
  // Hybrid (docs/stochastic.md): a species is continuous when the coefficient of variation of
  // its next value, sqrt(sum_j a_j nu_ij^2) / (x_i + sum_j a_j nu_ij) averaged over its last 12
  // estimates, is below switch_tol (GillesPy2's switch_tol, default 0.03); with switch_min > 0
  // instead when that expected value is above switch_min molecules (GillesPy2's switch_min).
  double switch_tol = 0.03;
  double switch_min = 0.0;
  // A stop request (axisim/error.hpp): read before each replicate and every 4,096 steps (firings,
  // leaps, events, output times) within one; when set, the call throws Stopped and returns nothing.
  const StopFlag* stop = nullptr;
};

// The seed of replicate r's generator: splitmix64(splitmix64(seed) XOR r), splitmix64 being the
// output function of Steele, Lea and Flood's SplitMix64 (docs/stochastic.md).
std::uint64_t replicate_seed(std::uint64_t seed, std::uint64_t replicate);

// What a set of runs did.
struct StochasticStats {
  std::uint64_t replicates = 0;
  std::uint64_t firings = 0;  // reaction events
  std::uint64_t events = 0;   // SBML event executions
  std::uint64_t leaps = 0;    // tau-leaping: leaps taken (firings less those of exact steps)
  std::uint64_t implicit_leaps = 0;  // of them, implicit ones
  double seconds = 0.0;       // wall time
  std::string selection;      // "linear search" or "sum tree"
  std::string backend;        // "interpreter" or "native" (the propensity programs, at the end)
};

// The sample mean and standard deviation of each output at each output time over a set of
// replicates: Welford's one-pass update, replicate by replicate, and Chan, Golub and LeVeque's
// formula to merge two sets. Sizes are fixed at construction.
class EnsembleStatistics {
 public:
  EnsembleStatistics() = default;
  EnsembleStatistics(std::vector<std::string> outputs, std::vector<double> times);

  const std::vector<std::string>& outputs() const { return outputs_; }
  const std::vector<double>& times() const { return times_; }
  std::uint64_t count() const { return count_; }

  // One replicate: values[k * outputs().size() + c] is output c at time k.
  void add(const double* values);
  // One value of the replicate being added (add_value for every cell, then finish_replicate).
  void add_value(std::size_t cell, double x) {
    const double delta = x - mean_[cell];
    mean_[cell] += delta / static_cast<double>(count_ + 1);
    m2_[cell] += delta * (x - mean_[cell]);
  }
  void finish_replicate() { ++count_; }
  // Adds another set of replicates (same outputs and times): this then describes both.
  void merge(const EnsembleStatistics& other);

  double mean(std::size_t time, std::size_t output) const { return mean_[time * outputs_.size() + output]; }
  // The sample standard deviation (divisor n - 1); NaN for fewer than two replicates.
  double sd(std::size_t time, std::size_t output) const;
  // "time, X-mean, X-sd, Y-mean, Y-sd, ..." (the SBML Test Suite's stochastic layout).
  Result table() const;

  // Exact text form (hexadecimal floating point), to carry partial results between processes
  // (axisim batch); parse() throws Error(Io) naming `what` when the text is not one.
  std::string serialize() const;
  static EnsembleStatistics parse(const std::string& text, const std::string& what);

 private:
  std::vector<std::string> outputs_;
  std::vector<double> times_;
  std::uint64_t count_ = 0;
  std::vector<double> mean_, m2_;
};

namespace detail {
class SsaModel;
}

class StochasticSimulator {
 public:
  // Replicates are grouped in blocks of this many (by absolute replicate number) for statistics.
  static constexpr std::uint64_t kBlock = 64;

  // Prepares `model` (with its values as set) for SSA and resolves `outputs` (empty: every
  // species, as Model::simulate reports it). Throws Error(Unsupported) naming what SSA cannot
  // mean, Error(UnknownId) for an output the model lacks, Error(InvalidSbml) for values the model
  // never defines. `backend`: the propensity programs run as native code for large networks
  // (Auto), always (Native) or never (Interpreter).
  explicit StochasticSimulator(const Model& model, const std::vector<OutputSpec>& outputs = {},
                               Backend backend = Backend::Auto);
  ~StochasticSimulator();
  StochasticSimulator(StochasticSimulator&&) noexcept;
  StochasticSimulator& operator=(StochasticSimulator&&) noexcept;

  // Output column ids ("time" not included).
  const std::vector<std::string>& outputs() const { return columns_; }
  // The output times of `options` (options.steps + 1 of them).
  static std::vector<double> times(const StochasticOptions& options);
  // Molecules per unit of the model's substance (1 for items and undeclared units, Avogadro's
  // number for moles): reaction rates times this are the propensities. Lets a caller estimate the
  // work of a run (total propensity times duration firings) before starting it.
  double molecules_per_substance() const;

  // One replicate's trajectory: time, then every output. Throws Error(Usage) for bad options,
  // Error(Solver) when a propensity is negative or not finite, or a count goes negative.
  // `end`, when given, receives where the run ended (at options.end: its time, values, trigger
  // values and the executions of delayed events still waiting), to continue it (options.from,
  // or Model::simulate_from for a deterministic run). The state owns its contents and keeps the
  // compiled model alive (axisim/run_state.hpp).
  Result trajectory(const StochasticOptions& options, std::uint64_t replicate = 0, StochasticStats* stats = nullptr,
                    RunState* end = nullptr) const;
  // Replicates [first, first + count) on options.threads threads. `ends`, when given, is
  // replaced by each replicate's end state, in replicate order (count of them).
  EnsembleStatistics statistics(const StochasticOptions& options, std::uint64_t first, std::uint64_t count,
                                StochasticStats* stats = nullptr, std::vector<RunState>* ends = nullptr) const;
  // The statistics of each block of kBlock replicates in [first, first + count), in order (first
  // and count multiples of kBlock, except that the last block may be short): merged left to right
  // they give statistics() exactly. For spreading an ensemble over processes (axisim batch).
  std::vector<EnsembleStatistics> block_statistics(const StochasticOptions& options, std::uint64_t first,
                                                   std::uint64_t count, StochasticStats* stats = nullptr) const;
  // Every trajectory of replicates [first, first + count), replicate by replicate: columns
  // "replicate", "time", then every output. `ends` as statistics'.
  Result trajectories(const StochasticOptions& options, std::uint64_t first, std::uint64_t count,
                      StochasticStats* stats = nullptr, std::vector<RunState>* ends = nullptr) const;

 private:
  // options.from: each state from this model, at a time no later than options.start.
  void check_from(const StochasticOptions& options) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> columns_;
};

}  // namespace axisim
