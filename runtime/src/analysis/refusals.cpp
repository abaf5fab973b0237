#include "analysis/refusals.hpp"

#include "axisim/error.hpp"

namespace axisim::detail {
namespace {

// The first formula of the dynamics (kinetic laws, assignment, rate and algebraic rules) that
// contains `op`, described for a message; empty when none does.
std::string first_with(const ModelIR& ir, Op op) {
  for (const Reaction& rx : ir.reactions)
    if (contains_op(rx.rate, op)) return "reaction '" + ir.symbols[rx.symbol].id + "'";
  for (const Rule& r : ir.assignment_rules)
    if (contains_op(r.math, op)) return "the assignment rule for '" + ir.symbols[r.variable].id + "'";
  for (const Rule& r : ir.rate_rules)
    if (contains_op(r.math, op)) return "the rate rule for '" + ir.symbols[r.variable].id + "'";
  for (std::size_t i = 0; i < ir.algebraic_rules.size(); ++i)
    if (contains_op(ir.algebraic_rules[i], op)) return "algebraic rule " + std::to_string(i + 1);
  return {};
}

}  // namespace

void refuse_unsteady_features(const CompiledSystem& system, const std::string& what) {
  const ModelIR& ir = system.ir();
  if (!ir.events.empty())
    throw Error(ErrorKind::Unsupported,
                what + " unsupported: event '" + ir.events.front().id + "'" +
                    (ir.events.size() > 1 ? " (and " + std::to_string(ir.events.size() - 1) + " more)" : "") +
                    " changes the model at discrete times, so dy/dt = 0 need not be where it settles; remove the "
                    "events (or follow the model with simulate)");
  if (const std::string d = first_with(ir, Op::Delay); !d.empty())
    throw Error(ErrorKind::Unsupported, what + " unsupported: " + d +
                                            " uses delay, so the rate of change depends on the past as well as the "
                                            "present state");
  for (const Reaction& rx : ir.reactions)
    if (rx.fast)
      throw Error(ErrorKind::Unsupported,
                  what + " unsupported: reaction '" + ir.symbols[rx.symbol].id +
                      "' is fast (rapid equilibrium); run with --ignore-fast (LoadOptions::ignore_fast) to treat fast "
                      "reactions as ordinary kinetics");
}

std::string reads_time(const CompiledSystem& system) { return first_with(system.ir(), Op::Time); }

}  // namespace axisim::detail
