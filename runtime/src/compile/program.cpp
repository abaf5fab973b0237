#include "compile/program.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace axisim::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Code relational_code(Op op) {
  switch (op) {
    case Op::Eq: return Code::Eq;
    case Op::Neq: return Code::Neq;
    case Op::Gt: return Code::Gt;
    case Op::Lt: return Code::Lt;
    case Op::Geq: return Code::Geq;
    default: return Code::Leq;
  }
}

// Unary operators map one to one onto instructions.
bool unary_code(Op op, Code& c) {
  switch (op) {
    case Op::Negate: c = Code::Neg; return true;
    case Op::Abs: c = Code::Abs; return true;
    case Op::Exp: c = Code::Exp; return true;
    case Op::Ln: c = Code::Ln; return true;
    case Op::Floor: c = Code::Floor; return true;
    case Op::Ceiling: c = Code::Ceil; return true;
    case Op::Factorial: c = Code::Factorial; return true;
    case Op::Not: c = Code::Not; return true;
    case Op::Sin: c = Code::Sin; return true;
    case Op::Cos: c = Code::Cos; return true;
    case Op::Tan: c = Code::Tan; return true;
    case Op::Sec: c = Code::Sec; return true;
    case Op::Csc: c = Code::Csc; return true;
    case Op::Cot: c = Code::Cot; return true;
    case Op::Sinh: c = Code::Sinh; return true;
    case Op::Cosh: c = Code::Cosh; return true;
    case Op::Tanh: c = Code::Tanh; return true;
    case Op::Sech: c = Code::Sech; return true;
    case Op::Csch: c = Code::Csch; return true;
    case Op::Coth: c = Code::Coth; return true;
    case Op::ArcSin: c = Code::ArcSin; return true;
    case Op::ArcCos: c = Code::ArcCos; return true;
    case Op::ArcTan: c = Code::ArcTan; return true;
    case Op::ArcSec: c = Code::ArcSec; return true;
    case Op::ArcCsc: c = Code::ArcCsc; return true;
    case Op::ArcCot: c = Code::ArcCot; return true;
    case Op::ArcSinh: c = Code::ArcSinh; return true;
    case Op::ArcCosh: c = Code::ArcCosh; return true;
    case Op::ArcTanh: c = Code::ArcTanh; return true;
    case Op::ArcSech: c = Code::ArcSech; return true;
    case Op::ArcCsch: c = Code::ArcCsch; return true;
    case Op::ArcCoth: c = Code::ArcCoth; return true;
    default: return false;
  }
}

// Binary operators that fold left over any number of arguments.
bool chain_code(Op op, Code& c, double& empty_value) {
  switch (op) {
    case Op::Plus: c = Code::Add; empty_value = 0.0; return true;
    case Op::Times: c = Code::Mul; empty_value = 1.0; return true;
    case Op::And: c = Code::And; empty_value = 1.0; return true;
    case Op::Or: c = Code::Or; empty_value = 0.0; return true;
    case Op::Xor: c = Code::Xor; empty_value = 0.0; return true;
    case Op::Min: c = Code::Min; empty_value = kNaN; return true;
    case Op::Max: c = Code::Max; empty_value = kNaN; return true;
    default: return false;
  }
}

bool binary_code(Op op, Code& c) {
  switch (op) {
    case Op::Divide: c = Code::Div; return true;
    case Op::Power: c = Code::Pow; return true;
    case Op::Rem: c = Code::Rem; return true;
    case Op::Quotient: c = Code::Quotient; return true;
    case Op::Implies: c = Code::Implies; return true;
    default: return false;
  }
}

inline double truth(bool b) { return b ? 1.0 : 0.0; }

double root(double degree, double x) {
  // An odd integer root of a negative number is real (MathML's root is the real root).
  if (x < 0 && std::floor(degree) == degree && std::fmod(std::fabs(degree), 2.0) == 1.0)
    return -std::pow(-x, 1.0 / degree);
  return std::pow(x, 1.0 / degree);
}

}  // namespace

Program::Program(const Program& other)
    : code_(other.code_),
      native_(other.native_.load(std::memory_order_acquire)),
      fold_constants_(other.fold_constants_),
      depth_(other.depth_),
      max_depth_(other.max_depth_) {}

Program& Program::operator=(const Program& other) {
  if (this == &other) return *this;
  code_ = other.code_;
  native_.store(other.native_.load(std::memory_order_acquire), std::memory_order_release);
  fold_constants_ = other.fold_constants_;
  depth_ = other.depth_;
  max_depth_ = other.max_depth_;
  return *this;
}

void Program::push(Code c, std::uint32_t a, std::uint32_t b, double x, int depth_change) {
  code_.push_back(Instr{c, a, b, x});
  depth_ = static_cast<std::size_t>(static_cast<long>(depth_) + depth_change);
  if (depth_ > max_depth_) max_depth_ = depth_;
}

void Program::emit(const Expr& e, const std::vector<SymbolLoad>& loads) {
  if (fold_constants_ && e.op != Op::Number && is_constant(e)) {
    push(Code::Const, 0, 0, evaluate(e, nullptr, loads, 0.0), +1);
    return;
  }
  const std::size_t n = e.args.size();
  Code c;
  double empty_value;
  switch (e.op) {
    case Op::Number: push(Code::Const, 0, 0, e.value, +1); return;
    case Op::Time: push(Code::Time, 0, 0, 0.0, +1); return;
    case Op::Symbol: {
      const SymbolLoad& l = loads.at(e.symbol);
      if (l.divide_by < 0) push(Code::Load, l.slot, 0, 0.0, +1);
      else push(Code::LoadRatio, l.slot, static_cast<std::uint32_t>(l.divide_by), 0.0, +1);
      return;
    }
    case Op::RateOf: throw std::logic_error("rateOf must be expanded before compilation");
    case Op::Delay:
      emit(e.args.at(0), loads);
      push(Code::Delay, e.symbol);
      return;
    case Op::Minus:
      emit(e.args.at(0), loads);
      if (n == 1) { push(Code::Neg); return; }
      emit(e.args.at(1), loads);
      push(Code::Sub, 0, 0, 0.0, -1);
      return;
    case Op::Root:  // args: degree, radicand
      emit(e.args.at(0), loads);
      emit(e.args.at(1), loads);
      push(Code::Root, 0, 0, 0.0, -1);
      return;
    case Op::Log:  // args: [base,] argument
      if (n == 1) { emit(e.args[0], loads); push(Code::Log10); return; }
      emit(e.args.at(0), loads);
      emit(e.args.at(1), loads);
      push(Code::LogBase, 0, 0, 0.0, -1);
      return;
    case Op::Eq: case Op::Neq: case Op::Gt: case Op::Lt: case Op::Geq: case Op::Leq: {
      // a < b < c means a < b and b < c.
      if (n < 2) { push(Code::Const, 0, 0, 1.0, +1); return; }
      for (std::size_t i = 0; i + 1 < n; ++i) {
        emit(e.args[i], loads);
        emit(e.args[i + 1], loads);
        push(relational_code(e.op), 0, 0, 0.0, -1);
        if (i > 0) push(Code::And, 0, 0, 0.0, -1);
      }
      return;
    }
    case Op::Piecewise: {
      const std::size_t d0 = depth_;
      std::vector<std::size_t> jumps_to_end;
      std::size_t i = 0;
      for (; i + 1 < n; i += 2) {
        emit(e.args[i + 1], loads);  // condition
        const std::size_t jif = code_.size();
        push(Code::JumpIfFalse, 0, 0, 0.0, -1);
        emit(e.args[i], loads);  // value
        jumps_to_end.push_back(code_.size());
        push(Code::Jump);
        depth_ = d0;
        code_[jif].a = static_cast<std::uint32_t>(code_.size());
      }
      if (i < n) emit(e.args[i], loads);  // otherwise
      else push(Code::Const, 0, 0, kNaN, +1);
      for (std::size_t j : jumps_to_end) code_[j].a = static_cast<std::uint32_t>(code_.size());
      return;
    }
    default: break;
  }
  if (unary_code(e.op, c)) {
    emit(e.args.at(0), loads);
    push(c);
    return;
  }
  if (chain_code(e.op, c, empty_value)) {
    if (n == 0) { push(Code::Const, 0, 0, empty_value, +1); return; }
    emit(e.args[0], loads);
    // A single operand of a logical operator still has to become 0 or 1.
    if (n == 1 && (c == Code::And || c == Code::Or || c == Code::Xor)) {
      push(Code::Const, 0, 0, 0.0, +1);
      push(Code::Neq, 0, 0, 0.0, -1);
    }
    for (std::size_t i = 1; i < n; ++i) {
      emit(e.args[i], loads);
      push(c, 0, 0, 0.0, -1);
    }
    return;
  }
  if (binary_code(e.op, c)) {
    emit(e.args.at(0), loads);
    emit(e.args.at(1), loads);
    push(c, 0, 0, 0.0, -1);
    return;
  }
  throw std::logic_error(std::string("cannot compile operator ") + op_name(e.op));
}

void Program::add_store(const Expr& e, std::uint32_t slot, const std::vector<SymbolLoad>& loads) {
  emit(e, loads);
  push(Code::Store, slot, 0, 0.0, -1);
}

void Program::add_store_out(const Expr& e, std::uint32_t out_index, const std::vector<SymbolLoad>& loads) {
  emit(e, loads);
  push(Code::StoreOut, out_index, 0, 0.0, -1);
}

void Program::interpret(double* values, double* out, double time, double* stack, const DelayLookup* delays) const {
  double* sp = stack;  // points one past the top
  const Instr* const code = code_.data();
  const std::size_t n = code_.size();
  for (std::size_t pc = 0; pc < n; ++pc) {
    const Instr& in = code[pc];
    switch (in.code) {
      case Code::Const: *sp++ = in.x; break;
      case Code::Load: *sp++ = values[in.a]; break;
      case Code::LoadRatio: *sp++ = values[in.a] / values[in.b]; break;
      case Code::Time: *sp++ = time; break;
#define AXISIM_BINARY(CODE, EXPR) \
  case Code::CODE: { const double y = *--sp; const double x = sp[-1]; sp[-1] = (EXPR); break; }
      AXISIM_BINARY(Add, x + y)
      AXISIM_BINARY(Sub, x - y)
      AXISIM_BINARY(Mul, x * y)
      AXISIM_BINARY(Div, x / y)
      AXISIM_BINARY(Pow, std::pow(x, y))
      AXISIM_BINARY(Root, root(x, y))
      AXISIM_BINARY(LogBase, std::log(y) / std::log(x))
      AXISIM_BINARY(Min, (std::isnan(x) || std::isnan(y)) ? kNaN : std::fmin(x, y))
      AXISIM_BINARY(Max, (std::isnan(x) || std::isnan(y)) ? kNaN : std::fmax(x, y))
      AXISIM_BINARY(Rem, std::fmod(x, y))
      AXISIM_BINARY(Quotient, std::trunc(x / y))
      AXISIM_BINARY(Eq, truth(x == y))
      AXISIM_BINARY(Neq, truth(x != y))
      AXISIM_BINARY(Gt, truth(x > y))
      AXISIM_BINARY(Lt, truth(x < y))
      AXISIM_BINARY(Geq, truth(x >= y))
      AXISIM_BINARY(Leq, truth(x <= y))
      AXISIM_BINARY(And, truth(x != 0.0 && y != 0.0))
      AXISIM_BINARY(Or, truth(x != 0.0 || y != 0.0))
      AXISIM_BINARY(Xor, truth((x != 0.0) != (y != 0.0)))
      AXISIM_BINARY(Implies, truth(x == 0.0 || y != 0.0))
#undef AXISIM_BINARY
#define AXISIM_UNARY(CODE, EXPR) \
  case Code::CODE: { const double x = sp[-1]; sp[-1] = (EXPR); break; }
      AXISIM_UNARY(Not, truth(x == 0.0))
      AXISIM_UNARY(Neg, -x)
      AXISIM_UNARY(Abs, std::fabs(x))
      AXISIM_UNARY(Exp, std::exp(x))
      AXISIM_UNARY(Ln, std::log(x))
      AXISIM_UNARY(Log10, std::log10(x))
      AXISIM_UNARY(Floor, std::floor(x))
      AXISIM_UNARY(Ceil, std::ceil(x))
      AXISIM_UNARY(Factorial, std::tgamma(x + 1.0))
      AXISIM_UNARY(Sin, std::sin(x))
      AXISIM_UNARY(Cos, std::cos(x))
      AXISIM_UNARY(Tan, std::tan(x))
      AXISIM_UNARY(Sec, 1.0 / std::cos(x))
      AXISIM_UNARY(Csc, 1.0 / std::sin(x))
      AXISIM_UNARY(Cot, std::cos(x) / std::sin(x))
      AXISIM_UNARY(Sinh, std::sinh(x))
      AXISIM_UNARY(Cosh, std::cosh(x))
      AXISIM_UNARY(Tanh, std::tanh(x))
      AXISIM_UNARY(Sech, 1.0 / std::cosh(x))
      AXISIM_UNARY(Csch, 1.0 / std::sinh(x))
      AXISIM_UNARY(Coth, std::cosh(x) / std::sinh(x))
      AXISIM_UNARY(ArcSin, std::asin(x))
      AXISIM_UNARY(ArcCos, std::acos(x))
      AXISIM_UNARY(ArcTan, std::atan(x))
      AXISIM_UNARY(ArcSec, std::acos(1.0 / x))
      AXISIM_UNARY(ArcCsc, std::asin(1.0 / x))
      AXISIM_UNARY(ArcCot, std::atan(1.0 / x))
      AXISIM_UNARY(ArcSinh, std::asinh(x))
      AXISIM_UNARY(ArcCosh, std::acosh(x))
      AXISIM_UNARY(ArcTanh, std::atanh(x))
      AXISIM_UNARY(ArcSech, std::acosh(1.0 / x))
      AXISIM_UNARY(ArcCsch, std::asinh(1.0 / x))
      AXISIM_UNARY(ArcCoth, 0.5 * std::log((x + 1.0) / (x - 1.0)))
#undef AXISIM_UNARY
      case Code::Delay:
        sp[-1] = delays ? delays->value(delays->context, in.a, sp[-1], time, values) : kNaN;
        break;
      case Code::JumpIfFalse:
        if (*--sp == 0.0) pc = in.a - 1;
        break;
      case Code::Jump: pc = in.a - 1; break;
      case Code::Store: values[in.a] = *--sp; break;
      case Code::StoreOut: out[in.a] = *--sp; break;
    }
  }
}

double evaluate(const Expr& e, const double* values, const std::vector<SymbolLoad>& loads, double time) {
  // Constant subtrees are folded by evaluating them with this same function, so the program
  // built here must not fold again: it only ever sees the subtree itself.
  Program p;
  p.fold_constants_ = false;
  p.emit(e, loads);
  std::vector<double> stack(p.stack_size() + 1);
  double result = 0.0;
  p.push(Code::StoreOut, 0, 0, 0.0, -1);
  p.interpret(const_cast<double*>(values), &result, time, stack.data(), nullptr);
  return result;
}

}  // namespace axisim::detail
