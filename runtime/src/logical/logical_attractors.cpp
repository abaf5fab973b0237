// logical_attractors.cpp — attractors of a logical model (axisim/logical.hpp): the terminal
// strongly connected components of its graph of states under an updating scheme, found by
// Tarjan's algorithm over the states reachable from the initial one (or from all); and its stable
// states, by a search over the species' levels that prunes a partial state as soon as a
// transition whose inputs and outputs are all fixed would change it.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "axisim/error.hpp"
#include "axisim/logical.hpp"
#include "ir/logical_ir.hpp"
#include "logical/logical_run.hpp"

namespace axisim {
namespace {

using State = std::vector<int>;

// The levels a species ranges over when every state is considered: a constant species only its
// initial level (the qual specification's constant: its level does not change).
std::pair<int, int> level_range(const detail::LogicalIR& ir, const std::vector<int>& bound, const std::vector<int>& initial,
                                std::size_t i) {
  if (ir.species[i].constant) return {initial[i], initial[i]};
  return {0, bound[i]};
}

// A state as a string of bytes (levels fit in a byte: maxLevel above 255 is refused first).
std::string key(const State& s) {
  std::string k(s.size(), '\0');
  for (std::size_t i = 0; i < s.size(); ++i) k[i] = static_cast<char>(static_cast<unsigned char>(s[i]));
  return k;
}

State unkey(const std::string& k) {
  State s(k.size());
  for (std::size_t i = 0; i < k.size(); ++i) s[i] = static_cast<unsigned char>(k[i]);
  return s;
}

}  // namespace

std::vector<int> detail::level_bounds(const detail::LogicalIR& ir, const std::vector<int>& initial) {
  std::vector<int> bound(ir.species.size(), 0);
  for (std::size_t i = 0; i < ir.species.size(); ++i) {
    if (ir.species[i].max_level >= 0) {
      bound[i] = ir.species[i].max_level;
      continue;
    }
    bound[i] = initial[i];
    if (ir.transition_of[i] >= 0) {
      const detail::LogicalTransition& t = ir.transitions[static_cast<std::size_t>(ir.transition_of[i])];
      bound[i] = std::max(bound[i], t.default_level);
      for (const detail::LogicalTerm& term : t.terms) bound[i] = std::max(bound[i], term.result_level);
    }
  }
  return bound;
}

std::vector<LogicalAttractor> LogicalModel::attractors(const AttractorOptions& o) const {
  const detail::LogicalIR& ir = *ir_;
  const std::vector<int> bound = detail::level_bounds(ir, initial_);
  for (std::size_t i = 0; i < bound.size(); ++i)
    if (bound[i] > 255)
      throw Error(ErrorKind::Unsupported, ir.source + ": qualitative species '" + ids_[i] + "' has levels up to " +
                                              std::to_string(bound[i]) + "; attractor search takes levels up to 255");
  auto too_many = [&](const std::string& what) {
    return Error(ErrorKind::Unsupported, ir.source + ": attractor search (" + to_string(o.update) + " updating) " + what +
                                             " more than " + std::to_string(o.max_states) + " states; refused");
  };
  // Roots: the initial state, or every state (counted first).
  std::vector<State> roots;
  if (!o.all_states) {
    roots.push_back(initial_);
  } else {
    double space = 1.0;
    for (std::size_t i = 0; i < bound.size(); ++i) {
      const auto [lo, hi] = level_range(ir, bound, initial_, i);
      space *= static_cast<double>(hi - lo + 1);
    }
    if (space > static_cast<double>(o.max_states)) throw too_many("from every state: the state space has");
  }

  detail::LogicalStepper stepper(ir, o.one_level);
  std::unordered_map<std::string, std::uint32_t> index_of;
  std::vector<std::string> states;               // by node
  std::vector<std::vector<std::uint32_t>> succ;  // by node
  std::vector<std::uint32_t> order, low, component;
  std::vector<char> on_stack;
  std::vector<std::uint32_t> stack;
  constexpr std::uint32_t kNone = 0xffffffffU;
  std::uint32_t counter = 0, components = 0;
  std::vector<std::vector<std::uint32_t>> terminal;  // terminal components' nodes
  std::vector<State> next;

  auto node = [&](const State& s) -> std::uint32_t {
    std::string k = key(s);
    const auto it = index_of.find(k);
    if (it != index_of.end()) return it->second;
    if (states.size() >= o.max_states) throw too_many("reaches");
    const auto n = static_cast<std::uint32_t>(states.size());
    index_of.emplace(k, n);
    states.push_back(std::move(k));
    succ.emplace_back();
    order.push_back(kNone);
    low.push_back(kNone);
    component.push_back(kNone);
    on_stack.push_back(0);
    return n;
  };
  // Iterative Tarjan from `root`: frames of (node, next edge).
  auto explore = [&](std::uint32_t root) {
    if (order[root] != kNone) return;
    std::vector<std::pair<std::uint32_t, std::size_t>> frames;
    auto visit = [&](std::uint32_t v) {
      order[v] = low[v] = counter++;
      stack.push_back(v);
      on_stack[v] = 1;
      stepper.successors(o.update, unkey(states[v]), next);
      std::vector<std::uint32_t> edges;
      edges.reserve(next.size());
      for (const State& s : next) edges.push_back(node(s));
      succ[v] = std::move(edges);
      frames.emplace_back(v, 0);
    };
    visit(root);
    while (!frames.empty()) {
      auto& [v, e] = frames.back();
      if (e < succ[v].size()) {
        const std::uint32_t w = succ[v][e++];
        if (order[w] == kNone) visit(w);
        else if (on_stack[w]) low[v] = std::min(low[v], order[w]);
        continue;
      }
      const std::uint32_t done = v;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[done]);
      if (low[done] != order[done]) continue;
      // `done` roots a component: its members are on the stack down to it. Components complete
      // in reverse topological order, so every edge out of it already has its component.
      std::vector<std::uint32_t> members;
      std::uint32_t w = kNone;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = 0;
        component[w] = components;
        members.push_back(w);
      } while (w != done);
      bool closed = true;
      for (std::uint32_t m : members)
        for (std::uint32_t x : succ[m]) closed = closed && component[x] == components;
      if (closed) terminal.push_back(std::move(members));
      ++components;
    }
  };

  if (!o.all_states) {
    explore(node(initial_));
  } else {
    // Every state in turn, in lexicographic order (an odometer over the levels).
    State s(bound.size());
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = level_range(ir, bound, initial_, i).first;
    for (;;) {
      explore(node(s));
      bool carry = true;
      for (std::size_t i = s.size(); carry && i > 0;) {
        --i;
        const auto [lo, hi] = level_range(ir, bound, initial_, i);
        if (s[i] < hi) {
          ++s[i];
          carry = false;
        } else {
          s[i] = lo;
        }
      }
      if (carry) break;  // every state visited
    }
  }

  std::vector<LogicalAttractor> out;
  const bool deterministic = o.update == LogicalUpdate::Synchronous || o.update == LogicalUpdate::Sequential;
  for (const auto& members : terminal) {
    LogicalAttractor a;
    if (deterministic) {
      // A cycle: from its smallest state along the one successor each state has.
      std::uint32_t first = members.front();
      for (std::uint32_t m : members)
        if (states[m] < states[first]) first = m;
      std::uint32_t v = first;
      do {
        a.states.push_back(unkey(states[v]));
        v = succ[v].empty() ? v : succ[v].front();
      } while (v != first && a.states.size() <= members.size());
    } else {
      for (std::uint32_t m : members) a.states.push_back(unkey(states[m]));
      std::sort(a.states.begin(), a.states.end());
    }
    out.push_back(std::move(a));
  }
  std::sort(out.begin(), out.end(), [](const LogicalAttractor& x, const LogicalAttractor& y) { return x.states < y.states; });
  return out;
}

std::vector<std::vector<int>> LogicalModel::stable_states(std::size_t max_nodes) const {
  const detail::LogicalIR& ir = *ir_;
  const std::size_t n = ir.species.size();
  const std::vector<int> bound = detail::level_bounds(ir, initial_);
  // Each transition is checked at the depth where the last of its inputs and outputs is fixed.
  std::vector<std::vector<std::size_t>> check_at(n);
  for (std::size_t t = 0; t < ir.transitions.size(); ++t) {
    std::size_t last = 0;
    for (std::size_t out : ir.transitions[t].outputs) last = std::max(last, out);
    for (const detail::LogicalTerm& term : ir.transitions[t].terms)
      for (const detail::LogicalOp& op : term.condition)
        if (op.code == detail::LogicalOp::Code::Level) last = std::max(last, op.index);
    if (n > 0) check_at[last].push_back(t);
  }
  detail::LogicalStepper stepper(ir);
  std::vector<std::vector<int>> found;
  State s(n, 0);
  std::size_t nodes = 0;
  // Depth-first over species in document order, levels ascending: the states come out sorted.
  std::vector<int> hi(n);
  std::size_t depth = 0;
  if (n == 0) return {State{}};
  for (std::size_t i = 0; i < n; ++i) hi[i] = level_range(ir, bound, initial_, i).second;
  s[0] = level_range(ir, bound, initial_, 0).first;
  for (;;) {
    if (++nodes > max_nodes)
      throw Error(ErrorKind::Unsupported, ir.source + ": stable state search visited more than " + std::to_string(max_nodes) +
                                              " partial states; refused");
    bool ok = true;
    for (std::size_t t : check_at[depth]) {
      const int level = stepper.target(t, s);
      for (std::size_t out : ir.transitions[t].outputs) ok = ok && s[out] == level;
      if (!ok) break;
    }
    if (ok && depth + 1 == n) found.push_back(s);
    if (ok && depth + 1 < n) {
      ++depth;
      s[depth] = level_range(ir, bound, initial_, depth).first;
      continue;
    }
    // The next level at this depth, or back up.
    while (s[depth] >= hi[depth]) {
      if (depth == 0) return found;
      --depth;
    }
    ++s[depth];
  }
}

}  // namespace axisim
