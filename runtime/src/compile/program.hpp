// program.hpp — compiled expressions: a flat instruction list run by one switch loop.
//
// A Program is a sequence of statements, each an expression in postfix form followed by a store
// into the value array (`Store`) or into an output array such as CVODE's ydot (`StoreOut`).
// Running it walks a contiguous array: no tree, no virtual call, no allocation, no string
// look-up. Piecewise is compiled to jumps, so that only the selected branch is evaluated.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "ir/expression.hpp"

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

// A program compiled to machine code (compile/native_code.hpp): the same statements, the same
// arithmetic in the same order, so it computes the same numbers as the interpreter.
using NativeFunction = void (*)(double* values, double* out, double time, const DelayLookup* delays);

class Program {
 public:
  Program() = default;
  Program(const Program& other);
  Program& operator=(const Program& other);

  // Appends `values[slot] = e` (or `out[slot] = e`) to the program.
  void add_store(const Expr& e, std::uint32_t slot, const std::vector<SymbolLoad>& loads);
  void add_store_out(const Expr& e, std::uint32_t out_index, const std::vector<SymbolLoad>& loads);

  bool empty() const { return code_.empty(); }
  std::size_t size() const { return code_.size(); }
  std::size_t stack_size() const { return max_depth_; }

  // `stack` must hold stack_size() doubles. `delays` is needed only by programs with delays.
  // Runs the native code once it is installed, the bytecode until then.
  void run(double* values, double* out, double time, double* stack, const DelayLookup* delays = nullptr) const {
    if (const NativeFunction f = native_.load(std::memory_order_acquire)) f(values, out, time, delays);
    else interpret(values, out, time, stack, delays);
  }
  void interpret(double* values, double* out, double time, double* stack, const DelayLookup* delays) const;

  // The bytecode, for back-ends that translate it.
  const std::vector<Instr>& code() const { return code_; }
  // Installs native code for this program; may be called from another thread while runs are
  // under way (the program is otherwise immutable). The code must stay loaded as long as the
  // program lives.
  void set_native(NativeFunction f) const { native_.store(f, std::memory_order_release); }
  bool is_native() const { return native_.load(std::memory_order_acquire) != nullptr; }

 private:
  void emit(const Expr& e, const std::vector<SymbolLoad>& loads);
  void push(Code c, std::uint32_t a = 0, std::uint32_t b = 0, double x = 0.0, int depth_change = 0);

  friend double evaluate(const Expr&, const double*, const std::vector<SymbolLoad>&, double);

  std::vector<Instr> code_;
  mutable std::atomic<NativeFunction> native_{nullptr};
  bool fold_constants_ = true;
  std::size_t depth_ = 0;
  std::size_t max_depth_ = 0;
};

// Evaluates an expression once (used for constant folding and for one-off values).
double evaluate(const Expr& e, const double* values, const std::vector<SymbolLoad>& loads, double time);

}  // namespace axisim::detail
