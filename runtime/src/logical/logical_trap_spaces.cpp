// logical_trap_spaces.cpp — trap spaces of a logical model (axisim/logical.hpp), Boolean or
// multi-valued: a depth-first search over subspaces (each species on an interval of its levels,
// document order) that checks each transition as soon as its inputs and outputs all have a range,
// and abandons the partial subspace when some state of it lets an output leave its range (every
// combination of levels of the free inputs is evaluated). The check is exact (it evaluates the
// transition's own conditions), so the search finds every trap space; the minimal and maximal ones
// are kept by inclusion as they are found.
//
// For Boolean models this is the trap-space definition of Klarner, Bockmayr and Siebert (2015),
// found by exhaustive search with local pruning rather than by their ASP encoding of prime
// implicants. For multi-valued models it works on the intervals directly rather than on a Boolean
// encoding: Van Ham's encoding (x >= 1, x >= 2, ... as Boolean variables, bioLQM's and so mpbn's
// and pyboolnet's route for multi-valued models) makes each Boolean subspace of a species' Van Ham
// variables hold the states of an interval of its levels, and the dynamics of the encoding are
// the one-level moves (TrapSpaceOptions::one_level). The straight moves (SBML qual's
// assignmentLevel) have no Boolean encoding of that kind; intervals serve both. trapmvn (Trinh et
// al. 2023) also admits sets of levels that are not intervals ({0, 2}); these are not built here.
#include <algorithm>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/logical.hpp"
#include "ir/logical_ir.hpp"
#include "logical/logical_run.hpp"

namespace axisim {
namespace {

// 2^24 evaluations of one transition per check at most (a Boolean transition reading 24 free species).
constexpr std::uint64_t kMaxCombinations = std::uint64_t{1} << 24;

// Whether `inner` lies inside `outer` (each species' range inside the other's).
bool inside(const TrapSpace& inner, const TrapSpace& outer) {
  for (std::size_t i = 0; i < outer.size(); ++i)
    if (inner[i].lo < outer[i].lo || inner[i].hi > outer[i].hi) return false;
  return true;
}

}  // namespace

const char* to_string(TrapSpaceKind k) {
  switch (k) {
    case TrapSpaceKind::Minimal: return "minimal";
    case TrapSpaceKind::Maximal: return "maximal";
    case TrapSpaceKind::All: return "all";
  }
  return "minimal";
}

TrapSpace LogicalModel::level_ranges() const {
  const std::vector<int> bound = detail::level_bounds(*ir_, initial_);
  TrapSpace whole(ids_.size());
  // A species without maxLevel is taken as at least Boolean (an input of such a model may be 0
  // or 1 whatever it starts at; the Boolean search before multi-valued ones did the same).
  for (std::size_t i = 0; i < whole.size(); ++i)
    whole[i] = ir_->species[i].constant ? LevelRange{initial_[i], initial_[i]}
               : ir_->species[i].max_level < 0 ? LevelRange{0, std::max(1, bound[i])}
                                               : LevelRange{0, bound[i]};
  return whole;
}

std::vector<TrapSpace> LogicalModel::trap_space_ranges(const TrapSpaceOptions& o) const {
  const detail::LogicalIR& ir = *ir_;
  const std::size_t n = ir.species.size();
  if (n == 0) return {};
  const TrapSpace whole = level_ranges();

  // Per transition: the species its conditions read (each once), where each output is among them
  // (a one-level move depends on the output's own level), and the depth at which the last of its
  // inputs and outputs gets a range, where it is checked.
  std::vector<std::vector<std::size_t>> reads(ir.transitions.size());
  std::vector<std::vector<long>> output_read(ir.transitions.size());
  std::vector<std::vector<std::size_t>> check_at(n);
  for (std::size_t t = 0; t < ir.transitions.size(); ++t) {
    std::vector<std::size_t>& r = reads[t];
    for (const detail::LogicalTerm& term : ir.transitions[t].terms)
      for (const detail::LogicalOp& op : term.condition)
        if (op.code == detail::LogicalOp::Code::Level) r.push_back(op.index);
    std::sort(r.begin(), r.end());
    r.erase(std::unique(r.begin(), r.end()), r.end());
    std::size_t last = 0;
    for (std::size_t out : ir.transitions[t].outputs) {
      last = std::max(last, out);
      const auto at = std::find(r.begin(), r.end(), out);
      output_read[t].push_back(at == r.end() ? -1 : static_cast<long>(at - r.begin()));
    }
    if (!r.empty()) last = std::max(last, r.back());
    check_at[last].push_back(t);
  }

  // The ranges a species tries, in order: each single level, then ranges two levels wide from the
  // lowest, three wide, ..., its whole range (Boolean: 0, 1, free); a constant one only its level.
  std::vector<std::vector<LevelRange>> options(n);
  for (std::size_t i = 0; i < n; ++i)
    for (int w = 0; w <= whole[i].hi - whole[i].lo; ++w)
      for (int lo = whole[i].lo; lo + w <= whole[i].hi; ++lo) options[i].push_back({lo, lo + w});

  detail::LogicalStepper stepper(ir);
  TrapSpace space(n);             // the partial subspace
  std::vector<int> levels(n, 0);  // a state of it, for evaluating (free species set in turn)
  std::vector<std::size_t> free_reads;  // scratch of holds(): read species on more than one level
  free_reads.reserve(n);

  // Whether no state of the subspace lets transition t move an output out of its range: straight
  // moves, its target within the range; one-level moves, no target above the range where the
  // output stands at its top, none below where it stands at its bottom (an output the transition
  // does not read may stand at either, whatever the target).
  auto holds = [&](std::size_t t) -> bool {
    const detail::LogicalTransition& tr = ir.transitions[t];
    bool restricted = false;
    for (std::size_t out : tr.outputs) restricted = restricted || space[out] != whole[out];
    if (!restricted) return true;  // every target lies within the output's levels
    free_reads.clear();
    std::uint64_t combos = 1;
    for (std::size_t r : reads[t])
      if (space[r].lo < space[r].hi) {
        free_reads.push_back(r);
        combos *= static_cast<std::uint64_t>(space[r].hi - space[r].lo + 1);
        if (combos > kMaxCombinations)
          throw Error(ErrorKind::Unsupported, ir.source + ": trap space search: transition '" + tr.id +
                                                  "' reads free species with more than " + std::to_string(kMaxCombinations) +
                                                  " combinations of levels at once; refused");
      }
    for (std::size_t r : free_reads) levels[r] = space[r].lo;
    for (;;) {
      const int target = stepper.target(t, levels);
      for (std::size_t k = 0; k < tr.outputs.size(); ++k) {
        const LevelRange range = space[tr.outputs[k]];
        if (target >= range.lo && target <= range.hi) continue;
        if (!o.one_level || output_read[t][k] < 0) return false;
        const int at = levels[tr.outputs[k]];
        if ((target > range.hi && at == range.hi) || (target < range.lo && at == range.lo)) return false;
      }
      // The next combination of the free inputs' levels (an odometer), or every one tried.
      std::size_t k = 0;
      for (; k < free_reads.size(); ++k) {
        const std::size_t r = free_reads[k];
        if (levels[r] < space[r].hi) {
          ++levels[r];
          break;
        }
        levels[r] = space[r].lo;
      }
      if (k == free_reads.size()) return true;
    }
  };

  // The trap spaces kept, in the search's order. Minimal and maximal ones are filtered as they
  // are found, so a model with many trap spaces but few minimal (or maximal) ones is not bounded
  // by how many it has in all: a new one inside a kept one (minimal) replaces it and those it is
  // inside; one containing a kept one is dropped (maximal: the reverse, and the whole space left
  // out). Inclusion is transitive, so what is kept are the minimal (maximal) ones so far, and at
  // the end of all trap spaces.
  std::vector<TrapSpace> found;
  const bool minimal = o.kind == TrapSpaceKind::Minimal;
  auto keep_if_extreme = [&]() {
    if (o.kind != TrapSpaceKind::All) {
      if (!minimal && space == whole) return;
      for (const TrapSpace& k : found)
        if (minimal ? inside(k, space) : inside(space, k)) return;
      found.erase(std::remove_if(found.begin(), found.end(),
                                 [&](const TrapSpace& k) { return minimal ? inside(space, k) : inside(k, space); }),
                  found.end());
    }
    if (found.size() >= o.max_spaces)
      throw Error(ErrorKind::Unsupported, ir.source + ": trap space search kept more than " + std::to_string(o.max_spaces) +
                                              " " + to_string(o.kind) + " trap spaces; refused");
    found.push_back(space);
  };
  std::vector<std::size_t> choice(n, 0);
  std::size_t depth = 0, nodes = 0;
  auto assign = [&](std::size_t i) {
    space[i] = options[i][choice[i]];
    levels[i] = space[i].lo;
  };
  choice[0] = 0;
  assign(0);
  for (bool searching = true; searching;) {
    if (++nodes > o.max_nodes)
      throw Error(ErrorKind::Unsupported, ir.source + ": trap space search visited more than " + std::to_string(o.max_nodes) +
                                              " partial subspaces; refused");
    bool ok = true;
    for (std::size_t t : check_at[depth]) {
      ok = holds(t);
      if (!ok) break;
    }
    if (ok && depth + 1 == n) keep_if_extreme();
    if (ok && depth + 1 < n) {
      ++depth;
      choice[depth] = 0;
      assign(depth);
      continue;
    }
    // The next range at this depth, or back up (past the first species: every subspace tried).
    while (searching && choice[depth] + 1 >= options[depth].size()) {
      if (depth == 0) searching = false;
      else --depth;
    }
    if (!searching) break;
    ++choice[depth];
    assign(depth);
  }
  return found;
}

std::vector<std::vector<int>> LogicalModel::trap_spaces(const TrapSpaceOptions& o) const {
  const TrapSpace whole = level_ranges();
  std::vector<std::vector<int>> out;
  for (const TrapSpace& s : trap_space_ranges(o)) {
    std::vector<int> levels(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i].lo == s[i].hi) levels[i] = s[i].lo;
      else if (s[i] == whole[i]) levels[i] = kFree;
      else
        throw Error(ErrorKind::Unsupported, ir_->source + ": a trap space holds qualitative species '" + ids_[i] +
                                                "' at levels " + std::to_string(s[i].lo) + ".." + std::to_string(s[i].hi) +
                                                " of 0.." + std::to_string(whole[i].hi) +
                                                ", neither one level nor all; read it with trap_space_ranges");
    }
    out.push_back(std::move(levels));
  }
  return out;
}

}  // namespace axisim
