// logical_trap_spaces.cpp — trap spaces of a Boolean logical model (axisim/logical.hpp): a
// depth-first search over subspaces (each species 0, 1 or free, document order) that checks each
// transition as soon as its inputs and outputs all have a value, and abandons the partial subspace
// when a fixed output's target is not that level in every state of it (every level of the free
// inputs it reads). The check is exact (it evaluates the transition's own conditions), so the
// search finds every trap space; the minimal and maximal ones are then filtered by inclusion.
// This is the trap-space definition of Klarner, Bockmayr and Siebert (2015), found by exhaustive
// search with local pruning rather than by their ASP encoding of prime implicants: the same
// subspaces, with a bound on the work instead of a solver.
#include <algorithm>
#include <string>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/logical.hpp"
#include "ir/logical_ir.hpp"
#include "logical/logical_run.hpp"

namespace axisim {
namespace {

constexpr std::size_t kMaxFreeInputs = 24;  // 2^24 evaluations of one transition per check at most

// Whether `inner` lies inside `outer` (every species `outer` fixes, `inner` fixes at that level).
bool inside(const std::vector<int>& inner, const std::vector<int>& outer) {
  for (std::size_t i = 0; i < outer.size(); ++i)
    if (outer[i] != LogicalModel::kFree && inner[i] != outer[i]) return false;
  return true;
}

std::size_t free_count(const std::vector<int>& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), LogicalModel::kFree));
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

std::vector<std::vector<int>> LogicalModel::trap_spaces(const TrapSpaceOptions& o) const {
  const detail::LogicalIR& ir = *ir_;
  const std::size_t n = ir.species.size();
  const std::vector<int> bound = detail::level_bounds(ir, initial_);
  // Multi-valued species have trap spaces over sets of levels (not only fixed or free), which
  // this search does not build: refused rather than answered with a coarser notion.
  for (std::size_t i = 0; i < n; ++i)
    if (bound[i] > 1 && !ir.species[i].constant)
      throw Error(ErrorKind::Unsupported, ir.source + ": qualitative species '" + ids_[i] + "' has levels up to " +
                                              std::to_string(bound[i]) +
                                              "; trap spaces are built for Boolean models (every level 0 or 1) only");
  if (n == 0) return {};

  // Per transition: the species its conditions read (each once) and the depth at which the last
  // of them and of its outputs gets a value, where it is checked.
  std::vector<std::vector<std::size_t>> reads(ir.transitions.size());
  std::vector<std::vector<std::size_t>> check_at(n);
  for (std::size_t t = 0; t < ir.transitions.size(); ++t) {
    std::vector<std::size_t>& r = reads[t];
    for (const detail::LogicalTerm& term : ir.transitions[t].terms)
      for (const detail::LogicalOp& op : term.condition)
        if (op.code == detail::LogicalOp::Code::Level) r.push_back(op.index);
    std::sort(r.begin(), r.end());
    r.erase(std::unique(r.begin(), r.end()), r.end());
    std::size_t last = 0;
    for (std::size_t out : ir.transitions[t].outputs) last = std::max(last, out);
    if (!r.empty()) last = std::max(last, r.back());
    check_at[last].push_back(t);
  }

  // The values a species tries, in order: 0, 1, free; a constant one only its initial level.
  auto choices = [&](std::size_t i) -> std::vector<int> {
    if (ir.species[i].constant) return {initial_[i]};
    return {0, 1, kFree};
  };
  std::vector<std::vector<int>> options(n);
  for (std::size_t i = 0; i < n; ++i) options[i] = choices(i);

  detail::LogicalStepper stepper(ir);
  std::vector<int> space(n, 0);   // the partial subspace: a level or kFree
  std::vector<int> levels(n, 0);  // a state of it, for evaluating (free species set in turn)
  std::vector<std::size_t> free_reads;
  free_reads.reserve(n);

  // Whether transition t keeps every fixed output at its level in every state of the subspace.
  auto holds = [&](std::size_t t) -> bool {
    const detail::LogicalTransition& tr = ir.transitions[t];
    int fixed_level = kFree;
    for (std::size_t out : tr.outputs) {
      if (space[out] == kFree) continue;
      // Two outputs fixed at different levels can never both keep their level (they take one).
      if (fixed_level != kFree && fixed_level != space[out]) return false;
      fixed_level = space[out];
    }
    if (fixed_level == kFree) return true;
    free_reads.clear();
    for (std::size_t r : reads[t])
      if (space[r] == kFree) free_reads.push_back(r);
    if (free_reads.size() > kMaxFreeInputs)
      throw Error(ErrorKind::Unsupported, ir.source + ": trap space search: transition '" + tr.id + "' reads " +
                                              std::to_string(free_reads.size()) + " free species at once; more than " +
                                              std::to_string(kMaxFreeInputs) + " is refused");
    const std::uint64_t combos = std::uint64_t{1} << free_reads.size();
    bool ok = true;
    for (std::uint64_t m = 0; m < combos && ok; ++m) {
      for (std::size_t k = 0; k < free_reads.size(); ++k) levels[free_reads[k]] = static_cast<int>(m >> k & 1U);
      ok = stepper.target(t, levels) == fixed_level;
    }
    return ok;
  };

  std::vector<std::vector<int>> found;
  std::vector<std::size_t> choice(n, 0);
  std::size_t depth = 0, nodes = 0;
  auto assign = [&](std::size_t i) {
    space[i] = options[i][choice[i]];
    levels[i] = space[i] == kFree ? 0 : space[i];
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
    if (ok && depth + 1 == n) {
      if (found.size() >= o.max_spaces)
        throw Error(ErrorKind::Unsupported, ir.source + ": trap space search found more than " + std::to_string(o.max_spaces) +
                                                " trap spaces; refused");
      found.push_back(space);
    }
    if (ok && depth + 1 < n) {
      ++depth;
      choice[depth] = 0;
      assign(depth);
      continue;
    }
    // The next value at this depth, or back up (past the first species: every subspace tried).
    while (searching && choice[depth] + 1 >= options[depth].size()) {
      if (depth == 0) searching = false;
      else --depth;
    }
    if (!searching) break;
    ++choice[depth];
    assign(depth);
  }
  if (o.kind == TrapSpaceKind::All) return found;

  // Minimal: none inside it but itself. Any trap space inside another holds a minimal one with
  // fewer free species, so comparing against the minimal ones kept, fewest free first, suffices.
  // Maximal (the whole space left out): likewise, most free first, against the maximal kept.
  std::vector<std::size_t> order(found.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  const bool minimal = o.kind == TrapSpaceKind::Minimal;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return minimal ? free_count(found[a]) < free_count(found[b]) : free_count(found[a]) > free_count(found[b]);
  });
  std::vector<int> whole(n, kFree);
  for (std::size_t i = 0; i < n; ++i)
    if (ir.species[i].constant) whole[i] = initial_[i];
  std::vector<char> keep(found.size(), 0);
  std::vector<std::size_t> kept;
  for (std::size_t k : order) {
    if (!minimal && found[k] == whole) continue;
    bool extreme = true;
    for (std::size_t j : kept) {
      extreme = minimal ? !inside(found[j], found[k]) : !inside(found[k], found[j]);
      if (!extreme) break;
    }
    if (extreme) {
      kept.push_back(k);
      keep[k] = 1;
    }
  }
  std::vector<std::vector<int>> out;
  for (std::size_t k = 0; k < found.size(); ++k)
    if (keep[k]) out.push_back(std::move(found[k]));
  return out;
}

}  // namespace axisim
