// program.hpp — compiled expressions: a flat instruction list run by one switch loop.
//
// A Program is a sequence of statements, each an expression in postfix form followed by a store
// into the value array (`Store`) or into an output array such as CVODE's ydot (`StoreOut`).
// Running it walks a contiguous array: no tree, no virtual call, no allocation, no string
// look-up. Piecewise is compiled to jumps, so that only the selected branch is evaluated.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "expression.hpp"

namespace axisim::detail {

enum class Code : std::uint8_t {
  Const, Load, LoadRatio, Time,
  Add, Sub, Mul, Div, Pow, Root, LogBase, Min, Max, Rem, Quotient,
  Eq, Neq, Gt, Lt, Geq, Leq, And, Or, Xor, Implies, Not,
  Neg, Abs, Exp, Ln, Log10, Floor, Ceil, Factorial,
  Sin, Cos, Tan, Sec, Csc, Cot, Sinh, Cosh, Tanh, Sech, Csch, Coth,
  ArcSin, ArcCos, ArcTan, ArcSec, ArcCsc, ArcCot, ArcSinh, ArcCosh, ArcTanh, ArcSech, ArcCsch, ArcCoth,
  Delay,              // push delays->value(a, pop) (delay(x, d) with x number a)
  JumpIfFalse, Jump,  // a = target instruction index
  Store,              // values[a] = pop
  StoreOut,           // out[a] = pop
};

struct Instr {
  Code code;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  double x = 0.0;
};

// How reading a symbol compiles: its slot directly, or slot a divided by slot b (a species
// stored as an amount whose math value is a concentration).
struct SymbolLoad {
  std::uint32_t slot = 0;
  std::int64_t divide_by = -1;
};

// How a program reads the past: the value of delayed expression `which` at time now - delay.
// Only models with the delay csymbol have one; the call is not on the path of other models.
struct DelayLookup {
  double (*value)(const void* context, std::uint32_t which, double delay, double now, const double* values);
  const void* context;
};

class Program {
 public:
  // Appends `values[slot] = e` (or `out[slot] = e`) to the program.
  void add_store(const Expr& e, std::uint32_t slot, const std::vector<SymbolLoad>& loads);
  void add_store_out(const Expr& e, std::uint32_t out_index, const std::vector<SymbolLoad>& loads);

  bool empty() const { return code_.empty(); }
  std::size_t size() const { return code_.size(); }
  std::size_t stack_size() const { return max_depth_; }

  // `stack` must hold stack_size() doubles. `delays` is needed only by programs with delays.
  void run(double* values, double* out, double time, double* stack, const DelayLookup* delays = nullptr) const;

 private:
  void emit(const Expr& e, const std::vector<SymbolLoad>& loads);
  void push(Code c, std::uint32_t a = 0, std::uint32_t b = 0, double x = 0.0, int depth_change = 0);

  friend double evaluate(const Expr&, const double*, const std::vector<SymbolLoad>&, double);

  std::vector<Instr> code_;
  bool fold_constants_ = true;
  std::size_t depth_ = 0;
  std::size_t max_depth_ = 0;
};

// Evaluates an expression once (used for constant folding and for one-off values).
double evaluate(const Expr& e, const double* values, const std::vector<SymbolLoad>& loads, double time);

}  // namespace axisim::detail
