// expression.hpp — axisim's own expression tree, independent of libSBML.
//
// The SBML reader converts every MathML tree into an Expr with ids already resolved to symbol
// indices and function definitions already inlined. Trees are only used while compiling; the
// right-hand side runs the flat Program built from them (program.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace axisim::detail {

enum class Op : std::uint8_t {
  Number,  // value
  Symbol,  // symbol; the math value (a species' concentration unless hasOnlySubstanceUnits)
  Time,
  RateOf,  // args[0] is a Symbol; expanded away before compilation (see compiled_system.cpp)
  Delay,   // delay(x, d): `symbol` indexes ModelIR::delayed (x), args[0] is d
  // arithmetic
  Plus, Minus, Negate, Times, Divide, Power, Root, Abs, Exp, Ln, Log, Floor, Ceiling, Factorial,
  // trigonometric and hyperbolic, with their inverses
  Sin, Cos, Tan, Sec, Csc, Cot, Sinh, Cosh, Tanh, Sech, Csch, Coth,
  ArcSin, ArcCos, ArcTan, ArcSec, ArcCsc, ArcCot, ArcSinh, ArcCosh, ArcTanh, ArcSech, ArcCsch, ArcCoth,
  // relational and logical (true = 1, false = 0; any non-zero number counts as true)
  Eq, Neq, Gt, Lt, Geq, Leq, And, Or, Xor, Not, Implies,
  // args = value0, cond0, value1, cond1, ..., [otherwise]
  Piecewise,
  // Level 3 Version 2
  Min, Max, Rem, Quotient,
};

struct Expr {
  Op op = Op::Number;
  double value = 0.0;
  std::uint32_t symbol = 0;
  std::vector<Expr> args;

  static Expr number(double v) { Expr e; e.op = Op::Number; e.value = v; return e; }
  static Expr sym(std::uint32_t s) { Expr e; e.op = Op::Symbol; e.symbol = s; return e; }
  static Expr call(Op op, std::vector<Expr> args) { Expr e; e.op = op; e.args = std::move(args); return e; }
};

// Calls `f(symbol)` for every Symbol node (RateOf arguments included).
template <class F>
void for_each_symbol(const Expr& e, F&& f) {
  if (e.op == Op::Symbol) f(e.symbol);
  for (const Expr& a : e.args) for_each_symbol(a, f);
}

bool contains_op(const Expr& e, Op op);

// True when the tree reads no symbol and no time: it can be evaluated once, at compile time.
bool is_constant(const Expr& e);

const char* op_name(Op op);

}  // namespace axisim::detail
