#include "compile/derivative.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace axisim::detail {
namespace {

using Opt = std::optional<Expr>;

// Builders that fold the zeros and ones differentiation produces, so that the derivative of
// k * S1 * S2 with respect to S1 is k * S2 and not k * 1 * S2 + 0 * S1 * S2.
bool is_number(const Expr& e, double v) { return e.op == Op::Number && e.value == v; }

Expr num(double v) { return Expr::number(v); }

Expr mul(Expr a, Expr b) {
  if (is_number(a, 1.0)) return b;
  if (is_number(b, 1.0)) return a;
  if (a.op == Op::Number && b.op == Op::Number) return num(a.value * b.value);
  return Expr::call(Op::Times, {std::move(a), std::move(b)});
}

Expr div(Expr a, Expr b) {
  if (is_number(b, 1.0)) return a;
  return Expr::call(Op::Divide, {std::move(a), std::move(b)});
}

Expr neg(Expr a) {
  if (a.op == Op::Number) return num(-a.value);
  if (a.op == Op::Negate) return std::move(a.args[0]);
  return Expr::call(Op::Negate, {std::move(a)});
}

Expr add(Expr a, Expr b) { return Expr::call(Op::Plus, {std::move(a), std::move(b)}); }
Expr sub(Expr a, Expr b) { return Expr::call(Op::Minus, {std::move(a), std::move(b)}); }
Expr call(Op op, Expr a) { return Expr::call(op, {std::move(a)}); }
Expr call(Op op, Expr a, Expr b) { return Expr::call(op, {std::move(a), std::move(b)}); }
Expr square(const Expr& a) { return mul(a, a); }
Expr sqrt_of(Expr a) { return call(Op::Root, num(2.0), std::move(a)); }

// a' + b', either possibly zero.
Opt sum(Opt a, Opt b) {
  if (!a) return b;
  if (!b) return a;
  return add(std::move(*a), std::move(*b));
}

// inner' / denominator, or zero.
Opt chain_div(Opt inner, Expr denominator) {
  if (!inner) return std::nullopt;
  return div(std::move(*inner), std::move(denominator));
}

// Derivatives of the one-argument functions f(a), as f'(a); nullopt for a zero derivative.
Opt unary(Op op, const Expr& a, Opt da) {
  if (!da) return std::nullopt;
  Expr d = std::move(*da);
  switch (op) {
    case Op::Negate: return neg(std::move(d));
    case Op::Abs:  // |a|' = -a' where a < 0, a' elsewhere
      return Expr::call(Op::Piecewise, {neg(d), call(Op::Lt, a, num(0.0)), d});
    case Op::Exp: return mul(call(Op::Exp, a), std::move(d));
    case Op::Ln: return div(std::move(d), a);
    case Op::Log: return div(std::move(d), mul(a, num(std::log(10.0))));
    case Op::Floor: case Op::Ceiling: case Op::Not: return std::nullopt;
    case Op::Factorial: throw NotDifferentiable(op);
    case Op::Sin: return mul(call(Op::Cos, a), std::move(d));
    case Op::Cos: return neg(mul(call(Op::Sin, a), std::move(d)));
    case Op::Tan: return div(std::move(d), square(call(Op::Cos, a)));
    case Op::Sec: return mul(mul(call(Op::Sec, a), call(Op::Tan, a)), std::move(d));
    case Op::Csc: return neg(mul(mul(call(Op::Csc, a), call(Op::Cot, a)), std::move(d)));
    case Op::Cot: return neg(div(std::move(d), square(call(Op::Sin, a))));
    case Op::Sinh: return mul(call(Op::Cosh, a), std::move(d));
    case Op::Cosh: return mul(call(Op::Sinh, a), std::move(d));
    case Op::Tanh: return div(std::move(d), square(call(Op::Cosh, a)));
    case Op::Sech: return neg(mul(mul(call(Op::Sech, a), call(Op::Tanh, a)), std::move(d)));
    case Op::Csch: return neg(mul(mul(call(Op::Csch, a), call(Op::Coth, a)), std::move(d)));
    case Op::Coth: return neg(div(std::move(d), square(call(Op::Sinh, a))));
    case Op::ArcSin: return div(std::move(d), sqrt_of(sub(num(1.0), square(a))));
    case Op::ArcCos: return neg(div(std::move(d), sqrt_of(sub(num(1.0), square(a)))));
    case Op::ArcTan: return div(std::move(d), add(num(1.0), square(a)));
    case Op::ArcCot: return neg(div(std::move(d), add(num(1.0), square(a))));
    case Op::ArcSec: return div(std::move(d), mul(call(Op::Abs, a), sqrt_of(sub(square(a), num(1.0)))));
    case Op::ArcCsc: return neg(div(std::move(d), mul(call(Op::Abs, a), sqrt_of(sub(square(a), num(1.0))))));
    case Op::ArcSinh: return div(std::move(d), sqrt_of(add(square(a), num(1.0))));
    case Op::ArcCosh: return div(std::move(d), sqrt_of(sub(square(a), num(1.0))));
    case Op::ArcTanh: case Op::ArcCoth: return div(std::move(d), sub(num(1.0), square(a)));
    case Op::ArcSech: return neg(div(std::move(d), mul(a, sqrt_of(sub(num(1.0), square(a))))));
    case Op::ArcCsch: return neg(div(std::move(d), mul(call(Op::Abs, a), sqrt_of(add(num(1.0), square(a))))));
    default: throw NotDifferentiable(op);
  }
}

// (a^b)': the exponent's derivative is usually zero (S^n, Hill kinetics), which keeps a^b
// differentiable at a = 0; the general form needs ln(a).
Opt power(const Expr& a, const Expr& b, Opt da, Opt db) {
  if (!da && !db) return std::nullopt;
  if (!db) {
    if (b.op == Op::Number) {
      if (b.value == 0.0) return std::nullopt;
      if (b.value == 1.0) return da;
      if (b.value == 2.0) return mul(mul(num(2.0), a), std::move(*da));
      return mul(mul(b, call(Op::Power, a, num(b.value - 1.0))), std::move(*da));
    }
    return mul(mul(b, call(Op::Power, a, sub(b, num(1.0)))), std::move(*da));
  }
  Expr ln_a = call(Op::Ln, a);
  if (!da) return mul(mul(call(Op::Power, a, b), std::move(ln_a)), std::move(*db));
  // a^b (b' ln a + b a' / a)
  return mul(call(Op::Power, a, b), add(mul(std::move(*db), std::move(ln_a)), div(mul(b, std::move(*da)), a)));
}

}  // namespace

NotDifferentiable::NotDifferentiable(Op o)
    : std::runtime_error(std::string("no symbolic derivative for ") + op_name(o)), op(o) {}

std::optional<Expr> differentiate(const Expr& e, const SymbolDerivative& of_symbol,
                                  const DelayDependence& delay_depends) {
  auto d = [&](const Expr& x) { return differentiate(x, of_symbol, delay_depends); };
  const std::vector<Expr>& a = e.args;
  switch (e.op) {
    case Op::Number: case Op::Time: return std::nullopt;
    case Op::Symbol: return of_symbol(e.symbol);
    case Op::RateOf: throw NotDifferentiable(e.op);
    case Op::Delay:
      if (delay_depends && !delay_depends(e)) return std::nullopt;
      throw NotDifferentiable(e.op);

    case Op::Plus: {
      Opt out;
      for (const Expr& x : a) out = sum(std::move(out), d(x));
      return out;
    }
    case Op::Minus: {
      if (a.size() == 1) return unary(Op::Negate, a[0], d(a[0]));
      Opt da = d(a[0]), db = d(a[1]);
      if (!db) return da;
      if (!da) return neg(std::move(*db));
      return sub(std::move(*da), std::move(*db));
    }
    case Op::Times: {
      // Product rule over any number of factors: sum_i a_i' * prod_{j != i} a_j.
      Opt out;
      for (std::size_t i = 0; i < a.size(); ++i) {
        Opt di = d(a[i]);
        if (!di) continue;
        Expr term = std::move(*di);
        for (std::size_t j = 0; j < a.size(); ++j)
          if (j != i) term = mul(std::move(term), a[j]);
        out = sum(std::move(out), std::move(term));
      }
      return out;
    }
    case Op::Divide: {
      // (a/b)' = a'/b - (a/b) b'/b
      Opt da = d(a[0]), db = d(a[1]);
      Opt first = chain_div(std::move(da), a[1]);
      if (!db) return first;
      Expr second = div(mul(div(a[0], a[1]), std::move(*db)), a[1]);
      if (!first) return neg(std::move(second));
      return sub(std::move(*first), std::move(second));
    }
    case Op::Power: return power(a[0], a[1], d(a[0]), d(a[1]));
    case Op::Root: {  // root(n, x) = x^(1/n): x' root(n, x) / (n x), real for odd roots of negatives
      Opt dn = d(a[0]), dx = d(a[1]);
      if (dn) throw NotDifferentiable(e.op);
      if (!dx) return std::nullopt;
      return mul(div(e, mul(a[0], a[1])), std::move(*dx));
    }
    case Op::Log: {
      if (a.size() == 1) return unary(Op::Log, a[0], d(a[0]));
      // log_b(x) = ln x / ln b
      Opt db = d(a[0]), dx = d(a[1]);
      Opt first = chain_div(std::move(dx), mul(a[1], call(Op::Ln, a[0])));
      if (!db) return first;
      Expr second = div(mul(call(Op::Ln, a[1]), std::move(*db)), mul(a[0], square(call(Op::Ln, a[0]))));
      if (!first) return neg(std::move(second));
      return sub(std::move(*first), std::move(second));
    }
    case Op::Rem: {  // rem(x, y) = x - y trunc(x / y): x' - trunc(x / y) y' between jumps
      Opt dx = d(a[0]), dy = d(a[1]);
      if (!dy) return dx;
      Expr second = mul(call(Op::Quotient, a[0], a[1]), std::move(*dy));
      if (!dx) return neg(std::move(second));
      return sub(std::move(*dx), std::move(second));
    }
    case Op::Quotient:
    case Op::Eq: case Op::Neq: case Op::Gt: case Op::Lt: case Op::Geq: case Op::Leq:
    case Op::And: case Op::Or: case Op::Xor: case Op::Not: case Op::Implies:
      return std::nullopt;
    case Op::Min: case Op::Max: {
      // Folded pairwise as the program computes it: min(m, x)' = m' where m <= x, else x'.
      if (a.empty()) return std::nullopt;
      Expr m = a[0];
      Opt dm = d(a[0]);
      for (std::size_t i = 1; i < a.size(); ++i) {
        Opt dx = d(a[i]);
        if (dm || dx) {
          Expr keep = call(e.op == Op::Min ? Op::Leq : Op::Geq, m, a[i]);
          dm = Expr::call(Op::Piecewise, {dm ? *dm : num(0.0), std::move(keep), dx ? *dx : num(0.0)});
        }
        m = call(e.op, std::move(m), a[i]);
      }
      return dm;
    }
    case Op::Piecewise: {
      Expr out = Expr::call(Op::Piecewise, {});
      bool any = false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        const bool is_condition = i % 2 == 1;
        if (is_condition) {
          out.args.push_back(a[i]);
          continue;
        }
        Opt di = d(a[i]);
        any = any || di.has_value();
        out.args.push_back(di ? std::move(*di) : num(0.0));
      }
      if (!any) return std::nullopt;
      return out;
    }
    default:
      if (a.size() == 1) return unary(e.op, a[0], d(a[0]));
      throw NotDifferentiable(e.op);
  }
}

}  // namespace axisim::detail
