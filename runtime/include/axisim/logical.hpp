// axisim/logical.hpp — logical models (SBML Level 3 qual): discrete levels, updated in steps.
//
//   axisim::LogicalModel m = axisim::LogicalModel::from_file("network.xml");
//   m.set_initial_level("Cln3", 0);
//   axisim::LogicalOptions o;  o.update = axisim::LogicalUpdate::Asynchronous;  o.end = 50;  o.steps = 50;  o.seed = 1;
//   axisim::Result r = m.simulate(o);   // time (update steps), then each species' level
//
// A qualitative species has a level from 0 to its maxLevel. A transition's outputs take the
// result level of its first function term (document order) whose condition holds, or its default
// term's; the condition's MathML reads species' levels and inputs' threshold levels (an input's
// id stands for its thresholdLevel). A species no transition writes keeps its level. Time counts
// update steps: the state at time k is the one after k updates of the initial state.
//
// Updating schemes (KiSAO ids as BioSimulators' GINsim and BoolNet tools use them):
//   Synchronous  (KISAO:0000449)  every species takes its target level, all computed from the
//                                 same state;
//   Asynchronous (KISAO:0000450)  one species, drawn uniformly among those whose target differs
//                                 from their level, takes its target (a stable state stays);
//   Sequential   (KISAO:0000657)  species in document order, each reading the levels already
//                                 updated in this step;
//   Complete     (KISAO:0000573)  any non-empty subset of the species whose target differs from
//                                 their level takes its target: a run draws one subset per step,
//                                 uniformly (GINsim's random walk under its complete updater).
//
// Attractors (attractors(), stable_states()): the states a run ends in, forever. A synchronous
// or sequential run from one state reaches one cycle (a stable state is a cycle of one); an
// asynchronous or complete one may reach several terminal strongly connected components of its
// graph of states. Stable states (fixed points) are the same under every scheme.
// A species moves straight to its target level, as the qual specification's assignmentLevel
// says; with one_level set, one level towards it per update, as GINsim moves a multi-valued
// species (for Boolean models the two are the same). See docs/logical.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "axisim/result.hpp"

namespace axisim {

enum class LogicalUpdate { Synchronous, Asynchronous, Sequential, Complete };

// "synchronous", "asynchronous", "sequential", "complete"
const char* to_string(LogicalUpdate u);

struct LogicalOptions {
  LogicalUpdate update = LogicalUpdate::Synchronous;
  // Output times in update steps from the initial state: steps + 1 rows from start to end. start
  // and the interval (end - start) / steps must be whole numbers of updates.
  double start = 0.0;
  double end = 100.0;
  int steps = 100;
  std::uint64_t seed = 0x5eed;  // asynchronous and complete updating: std::mt19937_64 seeded with it
  // false (default): a species takes its target level, as SBML qual's assignmentLevel says. true:
  // it moves one level towards it per update, as GINsim (bioLQM) moves multi-valued species. The
  // same for Boolean models.
  bool one_level = false;
};

// One attractor: its states, each the levels of every species (ids() order). A synchronous or
// sequential cycle lists its states in the order the run visits them, from the smallest (states
// compare as level vectors, lexicographically); an asynchronous or complete attractor lists them
// sorted. A stable state is an attractor of one state.
struct LogicalAttractor {
  std::vector<std::vector<int>> states;
};

struct AttractorOptions {
  LogicalUpdate update = LogicalUpdate::Synchronous;
  // false: the attractors reached from the model's initial levels; true: every attractor of the
  // model, from every state (each species from 0 to its maxLevel).
  bool all_states = false;
  // More states than this explored (or, with all_states, in the state space) is refused,
  // Error(Unsupported), rather than run for hours.
  std::size_t max_states = 2000000;
  bool one_level = false;  // as LogicalOptions::one_level (stable states are the same either way)
};

// Trap spaces (trap_space_ranges(), trap_spaces()): subspaces in which each species ranges over
// an interval of its levels, lo..hi (a Boolean species: fixed at 0 or 1, or free over 0..1), that
// no update leaves. Which updates depends on how a species moves (TrapSpaceOptions::one_level),
// not on the updating scheme:
//   straight to its target (SBML qual's assignmentLevel, the default; trapmvn's "general"
//   semantics): every species' target lies in its interval in every state of the subspace;
//   one level towards it (GINsim's, bioLQM's; trapmvn's "unitary" semantics, the dynamics of Van
//   Ham's Boolean encoding): a species at the top of its interval has no target above it, one at
//   the bottom none below it, in every state of the subspace.
// For Boolean models the two are the same, and are Klarner, Bockmayr and Siebert's (2015) trap
// spaces. Every minimal trap space holds at least one attractor of every updating scheme; an
// attractor need not lie in a minimal one (it may sit in a larger trap space beside a smaller
// one). Maximal ones are the largest below the whole space.
enum class TrapSpaceKind { Minimal, Maximal, All };

// "minimal", "maximal", "all"
const char* to_string(TrapSpaceKind k);

struct TrapSpaceOptions {
  TrapSpaceKind kind = TrapSpaceKind::Minimal;
  // The search visits partial subspaces and keeps the trap spaces asked for (all, or the minimal or
  // maximal ones among those found so far): past either bound it is refused, Error(Unsupported).
  std::size_t max_nodes = 50000000;
  std::size_t max_spaces = 1000000;
  bool one_level = false;  // as LogicalOptions::one_level: which moves a trap space must hold
};

// A species' levels in a trap space: lo to hi (lo == hi: fixed at that level).
struct LevelRange {
  int lo = 0, hi = 0;
  bool operator==(const LevelRange& o) const { return lo == o.lo && hi == o.hi; }
  bool operator!=(const LevelRange& o) const { return !(*this == o); }
};
// A trap space: one range per species, ids() order.
using TrapSpace = std::vector<LevelRange>;

namespace detail {
struct LogicalIR;
}

class LogicalModel {
 public:
  // Reads an SBML document whose model uses the qual package. Throws Error: Io, InvalidSbml
  // (libSBML's errors, a level above maxLevel, math naming an unknown id, ...), Unsupported
  // (naming the element: a model that also has reactions, rules or events; production or
  // consumption effects; two transitions writing one species; math operators without a logical
  // meaning).
  static LogicalModel from_file(const std::string& path, bool validate = true);
  static LogicalModel from_string(const std::string& sbml, const std::string& label = "<string>", bool validate = true);

  // Whether an SBML document uses the qual package (its namespace declared and elements of it
  // present). Reads the document only when the text mentions qual. Never throws for bad SBML:
  // false then.
  static bool is_logical(const std::string& sbml);

  // Qualitative species ids, document order.
  const std::vector<std::string>& ids() const { return ids_; }
  bool has_id(const std::string& id) const;
  int initial_level(const std::string& id) const;
  int max_level(const std::string& id) const;  // -1 when the document gives none
  // Every species' levels as trap spaces take them (ids() order): 0..maxLevel, or without a
  // maxLevel 0..the highest level its transition gives or it starts at, at least 1; a constant
  // species only its initial level. The whole space as a trap space.
  TrapSpace level_ranges() const;
  // Throws Error(UnknownId) for an id that is no qualitative species, Error(InvalidSbml) for a
  // level below 0 or above its maxLevel.
  void set_initial_level(const std::string& id, int level);

  // Runs the model from its initial levels. `outputs`: species ids (empty: all, document order).
  // Throws Error(Usage) for a grid that is not whole updates, Error(UnknownId) for an output.
  Result simulate(const LogicalOptions& options, const std::vector<std::string>& outputs = {}) const;

  // The initial levels, every species (ids() order), and setting them all (what a run carries to
  // the next, in SED-ML's repeated tasks). Throws as set_initial_level, or Error(Usage) for a
  // vector of the wrong size.
  const std::vector<int>& initial_levels() const { return initial_; }
  void set_initial_levels(const std::vector<int>& levels);

  // Attractors under a scheme, sorted by their first state. Throws Error(Unsupported) past
  // options.max_states.
  std::vector<LogicalAttractor> attractors(const AttractorOptions& options) const;
  // Every stable state of the model (a state every transition leaves as it is), sorted: a search
  // over the species' levels that checks each transition once its inputs and output are fixed,
  // so it need not visit the whole state space. Throws Error(Unsupported) after max_nodes
  // partial states.
  std::vector<std::vector<int>> stable_states(std::size_t max_nodes = 50000000) const;

  // Trap spaces (TrapSpaceOptions: minimal, maximal or all; which moves), each a range of levels
  // per species, in the search's order (species in document order, each trying its single levels
  // from 0 up, then its ranges two levels wide from the lowest, three wide, ..., the whole range
  // last; for a Boolean species 0, 1, free). A species' levels are level_ranges()': a constant
  // species is fixed at its initial level (the state space holds no other); a species no
  // transition writes may hold any range. Maximal excludes the whole space (empty when it is the
  // only trap space). The search visits every trap space, keeping the minimal (maximal) ones as it
  // goes. Throws Error(Unsupported) past options' bounds, or for a transition whose free inputs
  // (those on a range of more than one level) have more than 2^24 combinations of levels.
  std::vector<TrapSpace> trap_space_ranges(const TrapSpaceOptions& options = {}) const;

  // The same trap spaces, each species' level where the trap space fixes it or kFree where it
  // spans all its levels (a Boolean model's trap spaces always read so). A multi-valued trap
  // space with a species on part of its levels (e.g. 1..2 of 0..2) cannot: Error(Unsupported),
  // naming the species; use trap_space_ranges.
  static constexpr int kFree = -1;
  std::vector<std::vector<int>> trap_spaces(const TrapSpaceOptions& options = {}) const;

 private:
  explicit LogicalModel(std::shared_ptr<const detail::LogicalIR> ir);
  std::size_t index(const std::string& id) const;
  std::shared_ptr<const detail::LogicalIR> ir_;
  std::vector<std::string> ids_;
  std::vector<int> initial_;
};

}  // namespace axisim
