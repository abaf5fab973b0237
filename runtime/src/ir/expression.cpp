#include "ir/expression.hpp"

namespace axisim::detail {

bool contains_op(const Expr& e, Op op) {
  if (e.op == op) return true;
  for (const Expr& a : e.args)
    if (contains_op(a, op)) return true;
  return false;
}

bool is_constant(const Expr& e) {
  if (e.op == Op::Symbol || e.op == Op::Time || e.op == Op::RateOf || e.op == Op::Delay) return false;
  for (const Expr& a : e.args)
    if (!is_constant(a)) return false;
  return true;
}

const char* op_name(Op op) {
  switch (op) {
    case Op::Number: return "number";
    case Op::Symbol: return "symbol";
    case Op::Time: return "time";
    case Op::RateOf: return "rateOf";
    case Op::Delay: return "delay";
    case Op::Plus: return "plus";
    case Op::Minus: return "minus";
    case Op::Negate: return "negate";
    case Op::Times: return "times";
    case Op::Divide: return "divide";
    case Op::Power: return "power";
    case Op::Root: return "root";
    case Op::Abs: return "abs";
    case Op::Exp: return "exp";
    case Op::Ln: return "ln";
    case Op::Log: return "log";
    case Op::Floor: return "floor";
    case Op::Ceiling: return "ceiling";
    case Op::Factorial: return "factorial";
    case Op::Sin: return "sin";
    case Op::Cos: return "cos";
    case Op::Tan: return "tan";
    case Op::Sec: return "sec";
    case Op::Csc: return "csc";
    case Op::Cot: return "cot";
    case Op::Sinh: return "sinh";
    case Op::Cosh: return "cosh";
    case Op::Tanh: return "tanh";
    case Op::Sech: return "sech";
    case Op::Csch: return "csch";
    case Op::Coth: return "coth";
    case Op::ArcSin: return "arcsin";
    case Op::ArcCos: return "arccos";
    case Op::ArcTan: return "arctan";
    case Op::ArcSec: return "arcsec";
    case Op::ArcCsc: return "arccsc";
    case Op::ArcCot: return "arccot";
    case Op::ArcSinh: return "arcsinh";
    case Op::ArcCosh: return "arccosh";
    case Op::ArcTanh: return "arctanh";
    case Op::ArcSech: return "arcsech";
    case Op::ArcCsch: return "arccsch";
    case Op::ArcCoth: return "arccoth";
    case Op::Eq: return "eq";
    case Op::Neq: return "neq";
    case Op::Gt: return "gt";
    case Op::Lt: return "lt";
    case Op::Geq: return "geq";
    case Op::Leq: return "leq";
    case Op::And: return "and";
    case Op::Or: return "or";
    case Op::Xor: return "xor";
    case Op::Not: return "not";
    case Op::Implies: return "implies";
    case Op::Piecewise: return "piecewise";
    case Op::Min: return "min";
    case Op::Max: return "max";
    case Op::Rem: return "rem";
    case Op::Quotient: return "quotient";
  }
  return "?";
}

}  // namespace axisim::detail
