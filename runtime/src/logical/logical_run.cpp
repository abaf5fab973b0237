#include "logical/logical_run.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "axisim/error.hpp"

namespace axisim::detail {

LogicalStepper::LogicalStepper(const LogicalIR& ir, bool one_level) : ir_(ir), one_level_(one_level) {
  std::size_t depth = 1;
  for (const LogicalTransition& t : ir.transitions) depth = std::max(depth, t.max_stack);
  stack_.reserve(depth);
  next_.resize(ir.species.size());
  candidates_.reserve(ir.species.size());
}

double LogicalStepper::evaluate(const std::vector<LogicalOp>& program, const std::vector<int>& levels) {
  using Code = LogicalOp::Code;
  std::vector<double>& s = stack_;
  s.clear();
  for (const LogicalOp& op : program) {
    switch (op.code) {
      case Code::Const: s.push_back(op.value); continue;
      case Code::Level: s.push_back(static_cast<double>(levels[op.index])); continue;
      case Code::Not: s.back() = s.back() == 0.0 ? 1.0 : 0.0; continue;
      case Code::Neg: s.back() = -s.back(); continue;
      default: break;
    }
    // Operators over the top `arity` values, in order: their result replaces them.
    const std::size_t n = op.arity;
    const double* a = s.data() + (s.size() - n);
    double r = 0.0;
    switch (op.code) {
      case Code::And:
        r = 1.0;
        for (std::size_t i = 0; i < n; ++i) r = (r != 0.0 && a[i] != 0.0) ? 1.0 : 0.0;
        break;
      case Code::Or:
        for (std::size_t i = 0; i < n; ++i) r = (r != 0.0 || a[i] != 0.0) ? 1.0 : 0.0;
        break;
      case Code::Xor:
        for (std::size_t i = 0; i < n; ++i) r = ((r != 0.0) != (a[i] != 0.0)) ? 1.0 : 0.0;
        break;
      case Code::Plus:
        for (std::size_t i = 0; i < n; ++i) r += a[i];
        break;
      case Code::Times:
        r = 1.0;
        for (std::size_t i = 0; i < n; ++i) r *= a[i];
        break;
      case Code::Minus: r = a[0] - a[1]; break;
      case Code::Divide: r = a[0] / a[1]; break;
      case Code::Eq: case Code::Neq: case Code::Lt: case Code::Leq: case Code::Gt: case Code::Geq: {
        r = 1.0;
        for (std::size_t i = 0; i + 1 < n && r != 0.0; ++i) {
          const double x = a[i], y = a[i + 1];
          bool holds = false;
          switch (op.code) {
            case Code::Eq: holds = x == y; break;
            case Code::Neq: holds = x != y; break;
            case Code::Lt: holds = x < y; break;
            case Code::Leq: holds = x <= y; break;
            case Code::Gt: holds = x > y; break;
            default: holds = x >= y; break;
          }
          r = holds ? 1.0 : 0.0;
        }
        break;
      }
      default: break;
    }
    s.resize(s.size() - n);
    s.push_back(r);
  }
  return s.empty() ? 0.0 : s.back();
}

int LogicalStepper::target(std::size_t transition, const std::vector<int>& levels) {
  const LogicalTransition& t = ir_.transitions[transition];
  for (const LogicalTerm& term : t.terms) {
    const double v = evaluate(term.condition, levels);
    if (v != 0.0 && !std::isnan(v)) return term.result_level;
  }
  return t.default_level;
}

bool LogicalStepper::synchronous(std::vector<int>& levels) {
  // Every target from the same state, then all applied.
  for (std::size_t i = 0; i < levels.size(); ++i) next_[i] = levels[i];
  for (std::size_t t = 0; t < ir_.transitions.size(); ++t) {
    const int level = target(t, levels);
    for (std::size_t out : ir_.transitions[t].outputs) next_[out] = move(levels[out], level);
  }
  bool changed = false;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    changed = changed || next_[i] != levels[i];
    levels[i] = next_[i];
  }
  return changed;
}

bool LogicalStepper::sequential(std::vector<int>& levels) {
  bool changed = false;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const int level = species_next(i, levels);
    changed = changed || level != levels[i];
    levels[i] = level;
  }
  return changed;
}

bool LogicalStepper::asynchronous(std::vector<int>& levels, std::mt19937_64& random) {
  candidates_.clear();
  for (std::size_t i = 0; i < levels.size(); ++i)
    if (ir_.transition_of[i] >= 0 && species_target(i, levels) != levels[i]) candidates_.push_back(i);
  if (candidates_.empty()) return false;  // a stable state: no draw, it stays
  const std::size_t i = candidates_[uniform_index(random, candidates_.size())];
  levels[i] = species_next(i, levels);
  return true;
}

bool LogicalStepper::complete(std::vector<int>& levels, std::mt19937_64& random) {
  candidates_.clear();
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (ir_.transition_of[i] < 0) continue;
    next_[i] = species_next(i, levels);
    if (next_[i] != levels[i]) candidates_.push_back(i);
  }
  if (candidates_.empty()) return false;
  // One bit per candidate from the generator's raw output (its top bit), so the same seed gives
  // the same subsets on any standard library.
  std::vector<bool> take(candidates_.size(), false);
  for (bool any = false; !any;)
    for (std::size_t k = 0; k < candidates_.size(); ++k) any = (take[k] = (random() >> 63) != 0) || any;
  for (std::size_t k = 0; k < candidates_.size(); ++k)
    if (take[k]) levels[candidates_[k]] = next_[candidates_[k]];
  return true;
}

void LogicalStepper::successors(LogicalUpdate update, const std::vector<int>& levels, std::vector<std::vector<int>>& out) {
  out.clear();
  std::vector<int> s = levels;
  switch (update) {
    case LogicalUpdate::Synchronous:
      if (synchronous(s)) out.push_back(std::move(s));
      return;
    case LogicalUpdate::Sequential:
      if (sequential(s)) out.push_back(std::move(s));
      return;
    case LogicalUpdate::Asynchronous:
    case LogicalUpdate::Complete: break;
  }
  std::vector<std::size_t> changing;
  std::vector<int> target(levels.size());
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (ir_.transition_of[i] < 0) continue;
    target[i] = species_next(i, levels);
    if (target[i] != levels[i]) changing.push_back(i);
  }
  if (update == LogicalUpdate::Asynchronous) {
    for (std::size_t i : changing) {
      out.push_back(levels);
      out.back()[i] = target[i];
    }
    return;
  }
  if (changing.size() > 20)
    throw Error(ErrorKind::Unsupported, "complete updating: " + std::to_string(changing.size()) +
                                            " species change at once in one state, 2^" + std::to_string(changing.size()) +
                                            " - 1 successors; more than 20 is refused");
  const std::uint64_t subsets = std::uint64_t{1} << changing.size();
  for (std::uint64_t m = 1; m < subsets; ++m) {
    out.push_back(levels);
    for (std::size_t k = 0; k < changing.size(); ++k)
      if (m >> k & 1U) out.back()[changing[k]] = target[changing[k]];
  }
}

std::size_t uniform_index(std::mt19937_64& random, std::size_t n) {
  if (n <= 1) return 0;
  // The largest multiple of n that fits; draws at or above it are redrawn.
  const std::uint64_t range = static_cast<std::uint64_t>(n);
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % range;
  for (;;) {
    const std::uint64_t x = random();
    if (x < limit) return static_cast<std::size_t>(x % range);
  }
}

}  // namespace axisim::detail
