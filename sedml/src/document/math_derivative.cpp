// Symbolic derivatives of SED-ML's math trees (math_derivative.hpp). Trees are folded as they are
// built (0 and 1 in sums and products) so a rule's derivative stays about the rule's size.
#include "document/math_derivative.hpp"

#include <stdexcept>
#include <utility>

namespace axisim::sedml {
namespace {

MathNode num(double v) {
  MathNode n;
  n.value = v;
  return n;
}
bool is_num(const MathNode& n, double v) { return n.kind == MathNode::Kind::Number && n.value == v; }

MathNode make_apply(const std::string& op, std::vector<MathNode> args) {
  MathNode n;
  n.kind = MathNode::Kind::Apply;
  n.name = op;
  n.args = std::move(args);
  return n;
}

MathNode times(std::vector<MathNode> factors) {
  std::vector<MathNode> kept;
  for (MathNode& f : factors) {
    if (is_num(f, 0.0)) return num(0.0);
    if (!is_num(f, 1.0)) kept.push_back(std::move(f));
  }
  if (kept.empty()) return num(1.0);
  if (kept.size() == 1) return std::move(kept[0]);
  return make_apply("times", std::move(kept));
}
MathNode times(MathNode a, MathNode b) { return times(std::vector<MathNode>{std::move(a), std::move(b)}); }

MathNode plus(std::vector<MathNode> terms) {
  std::vector<MathNode> kept;
  for (MathNode& t : terms)
    if (!is_num(t, 0.0)) kept.push_back(std::move(t));
  if (kept.empty()) return num(0.0);
  if (kept.size() == 1) return std::move(kept[0]);
  return make_apply("plus", std::move(kept));
}

MathNode neg(MathNode a) { return is_num(a, 0.0) ? num(0.0) : make_apply("minus", {std::move(a)}); }
MathNode minus(MathNode a, MathNode b) {
  if (is_num(b, 0.0)) return a;
  if (is_num(a, 0.0)) return neg(std::move(b));
  return make_apply("minus", {std::move(a), std::move(b)});
}
MathNode divide(MathNode a, MathNode b) {
  if (is_num(a, 0.0)) return num(0.0);
  return make_apply("divide", {std::move(a), std::move(b)});
}
MathNode fn(const char* op, MathNode a) { return make_apply(op, {std::move(a)}); }
MathNode pow(MathNode a, MathNode b) { return make_apply("power", {std::move(a), std::move(b)}); }
MathNode sq(const MathNode& a) { return pow(a, num(2.0)); }
MathNode sqrt_of(MathNode a) { return make_apply("root", {std::move(a)}); }  // square root: no <degree>

}  // namespace

bool reads(const MathNode& node, const std::string& x) {
  if (node.kind == MathNode::Kind::Identifier) return node.name == x;
  for (const MathNode& a : node.args)
    if (reads(a, x)) return true;
  return false;
}

MathNode derivative(const MathNode& node, const std::string& x) {
  if (!reads(node, x)) return num(0.0);
  switch (node.kind) {
    case MathNode::Kind::Number:
      return num(0.0);
    case MathNode::Kind::Identifier:
      return num(1.0);  // it reads x, so it is x
    case MathNode::Kind::Piecewise: {
      MathNode d = node;
      for (std::size_t k = 0; k < d.args.size(); k += 2) d.args[k] = derivative(node.args[k], x);
      return d;
    }
    case MathNode::Kind::Apply:
      break;
  }
  const std::string& op = node.name;
  // The qualifier (<logbase>, <degree>) first when present; the operands after it.
  const std::size_t first = node.has_qualifier ? 1 : 0;
  std::vector<MathNode> a(node.args.begin() + static_cast<long>(first), node.args.end());
  std::vector<MathNode> d;
  for (const MathNode& o : a) d.push_back(derivative(o, x));
  if (node.has_qualifier && reads(node.args[0], x))
    throw std::runtime_error("<" + op + ">'s <logbase> or <degree> reads '" + x + "': not differentiated");
  if (op == "plus") return plus(std::move(d));
  if (op == "minus" && a.size() == 1) return neg(std::move(d[0]));
  if (op == "minus" && a.size() == 2) return minus(std::move(d[0]), std::move(d[1]));
  if (op == "times") {
    std::vector<MathNode> terms;
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::vector<MathNode> f{d[i]};
      for (std::size_t j = 0; j < a.size(); ++j)
        if (j != i) f.push_back(a[j]);
      terms.push_back(times(std::move(f)));
    }
    return plus(std::move(terms));
  }
  if (op == "divide" && a.size() == 2)  // (a' b - a b') / b^2
    return divide(minus(times(d[0], a[1]), times(a[0], d[1])), sq(a[1]));
  if (op == "power" && a.size() == 2) {
    if (!reads(a[1], x))  // b a^(b-1) a'
      return times({a[1], pow(a[0], minus(a[1], num(1.0))), d[0]});
    // a^b (b' ln a + b a' / a)
    return times(node, plus({times(d[1], fn("ln", a[0])), divide(times(a[1], d[0]), a[0])}));
  }
  if (a.size() != 1)
    throw std::runtime_error("MathML operator <" + op + "> with " + std::to_string(a.size()) + " operands is not differentiated");
  const MathNode& u = a[0];
  MathNode du = std::move(d[0]);
  if (op == "exp") return times(node, std::move(du));
  if (op == "ln") return divide(std::move(du), u);
  if (op == "log") {  // base 10, or the <logbase>
    const MathNode base = node.has_qualifier ? node.args[0] : num(10.0);
    return divide(std::move(du), times(u, fn("ln", base)));
  }
  if (op == "root") {  // u^(1/n), n the <degree> or 2: (1/n) u^(1/n - 1) u'
    const MathNode n = node.has_qualifier ? node.args[0] : num(2.0);
    return times({divide(num(1.0), n), pow(u, minus(divide(num(1.0), n), num(1.0))), std::move(du)});
  }
  if (op == "abs") {  // sign(u) u'; 0 at u = 0, where |u| has no derivative
    MathNode sign;
    sign.kind = MathNode::Kind::Piecewise;
    sign.args = {num(1.0), make_apply("gt", {u, num(0.0)}), num(-1.0), make_apply("lt", {u, num(0.0)}), num(0.0)};
    return times(std::move(sign), std::move(du));
  }
  if (op == "sin") return times(fn("cos", u), std::move(du));
  if (op == "cos") return neg(times(fn("sin", u), std::move(du)));
  if (op == "tan") return divide(std::move(du), sq(fn("cos", u)));
  if (op == "sec") return times({fn("sec", u), fn("tan", u), std::move(du)});
  if (op == "csc") return neg(times({fn("csc", u), fn("cot", u), std::move(du)}));
  if (op == "cot") return neg(divide(std::move(du), sq(fn("sin", u))));
  if (op == "sinh") return times(fn("cosh", u), std::move(du));
  if (op == "cosh") return times(fn("sinh", u), std::move(du));
  if (op == "tanh") return times(minus(num(1.0), sq(fn("tanh", u))), std::move(du));
  if (op == "arcsin") return divide(std::move(du), sqrt_of(minus(num(1.0), sq(u))));
  if (op == "arccos") return neg(divide(std::move(du), sqrt_of(minus(num(1.0), sq(u)))));
  if (op == "arctan") return divide(std::move(du), plus({num(1.0), sq(u)}));
  if (op == "arcsinh") return divide(std::move(du), sqrt_of(plus({sq(u), num(1.0)})));
  if (op == "arccosh") return divide(std::move(du), sqrt_of(minus(sq(u), num(1.0))));
  if (op == "arctanh") return divide(std::move(du), minus(num(1.0), sq(u)));
  if (op == "floor" || op == "ceiling" || op == "not") return num(0.0);  // steps: 0 between them
  throw std::runtime_error("MathML operator <" + op + "> is not differentiated");
}

}  // namespace axisim::sedml
