// test_native.cpp — native code (compile/native_code.hpp) computes what the interpreter computes.
//
// Programs are built from expression trees whose operands are symbols (constants would be folded
// at compile time and never reach the instruction under test), then run by Program::interpret
// and by the generated C at many inputs, edge cases included. Results must agree to the last
// bit; two NaNs count as equal whatever their payloads, because the hardware picks which NaN
// operand propagates, and a C compiler may commute the operands of + and *.
//
// Every build writes into a temporary cache directory, never the user's.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "axisim/model.hpp"
#include "compile/native_code.hpp"
#include "compile/program.hpp"
#include "ir/expression.hpp"
#include "sbml_fixtures.hpp"
#include "test_util.hpp"

using namespace axisim::detail;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool same(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;
}

std::string show(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", x);
  return buf;
}

// Sets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Symbol i is value slot i, except symbol 3, which reads slot 0 divided by slot 2 (LoadRatio).
const std::vector<SymbolLoad> kLoads = {{0, -1}, {1, -1}, {2, -1}, {0, 2}, {4, -1}, {5, -1}, {6, -1}, {7, -1}};
constexpr std::size_t kValues = 8;  // slots 3.. are written by Store

Expr x() { return Expr::sym(0); }
Expr y() { return Expr::sym(1); }
Expr z() { return Expr::sym(2); }
Expr num(double v) { return Expr::number(v); }
Expr call(Op op, std::vector<Expr> args) { return Expr::call(op, std::move(args)); }
Expr now() {
  Expr e;
  e.op = Op::Time;
  return e;
}
Expr delay(std::uint32_t which, Expr d) {
  Expr e = call(Op::Delay, {std::move(d)});
  e.symbol = which;
  return e;
}

Program out_program(const Expr& e) {
  Program p;
  p.add_store_out(e, 0, kLoads);
  return p;
}

// Expressions over x and y (and z, time, a ratio, delays) that between them compile to every
// instruction.
std::vector<Expr> operator_expressions() {
  std::vector<Expr> v;
  for (Op op : {Op::Negate, Op::Abs, Op::Exp, Op::Ln, Op::Floor, Op::Ceiling, Op::Factorial, Op::Not, Op::Sin,
                Op::Cos, Op::Tan, Op::Sec, Op::Csc, Op::Cot, Op::Sinh, Op::Cosh, Op::Tanh, Op::Sech, Op::Csch,
                Op::Coth, Op::ArcSin, Op::ArcCos, Op::ArcTan, Op::ArcSec, Op::ArcCsc, Op::ArcCot, Op::ArcSinh,
                Op::ArcCosh, Op::ArcTanh, Op::ArcSech, Op::ArcCsch, Op::ArcCoth})
    v.push_back(call(op, {x()}));
  v.push_back(call(Op::Minus, {x()}));  // Neg
  v.push_back(call(Op::Log, {x()}));    // Log10
  for (Op op : {Op::Minus, Op::Divide, Op::Power, Op::Root, Op::Log, Op::Rem, Op::Quotient, Op::Implies, Op::Plus,
                Op::Times, Op::And, Op::Or, Op::Xor, Op::Min, Op::Max, Op::Eq, Op::Neq, Op::Gt, Op::Lt, Op::Geq,
                Op::Leq})
    v.push_back(call(op, {x(), y()}));
  // Chains: a < b < c, n-ary logic, one-operand logic, empty min.
  for (Op op : {Op::Lt, Op::Geq, Op::Eq, Op::And, Op::Or, Op::Xor, Op::Plus, Op::Times, Op::Min, Op::Max})
    v.push_back(call(op, {x(), y(), z()}));
  for (Op op : {Op::And, Op::Or, Op::Xor}) v.push_back(call(op, {x()}));
  v.push_back(call(Op::Min, {}));
  // Operand order matters for the non-commutative ones.
  v.push_back(call(Op::Power, {y(), x()}));
  v.push_back(call(Op::Root, {y(), x()}));
  v.push_back(call(Op::Log, {y(), x()}));
  v.push_back(call(Op::Minus, {call(Op::Times, {x(), num(3.0)}), call(Op::Divide, {y(), num(0.1)})}));
  v.push_back(call(Op::Power, {x(), num(2.0)}));  // must not become x * x
  v.push_back(call(Op::Power, {x(), num(0.5)}));  // must not become sqrt(x)
  v.push_back(call(Op::Plus, {call(Op::Times, {x(), y()}), z()}));  // must not become an FMA
  v.push_back(call(Op::Root, {num(3.0), x()}));   // odd root of a negative number
  v.push_back(Expr::sym(3));                      // LoadRatio
  v.push_back(call(Op::Plus, {now(), call(Op::Times, {x(), now()})}));
  v.push_back(delay(0, x()));
  v.push_back(call(Op::Plus, {y(), delay(2, call(Op::Times, {x(), z()}))}));
  return v;
}

std::vector<Expr> piecewise_expressions() {
  std::vector<Expr> v;
  // piecewise(y * 2, x > y, -y, y > 0, 7)
  v.push_back(call(Op::Piecewise, {call(Op::Times, {y(), num(2.0)}), call(Op::Gt, {x(), y()}),
                                   call(Op::Negate, {y()}), call(Op::Gt, {y(), num(0.0)}), num(7.0)}));
  // No otherwise: NaN when no condition holds.
  v.push_back(call(Op::Piecewise, {x(), call(Op::Lt, {x(), y()})}));
  // Inside arithmetic, so the jumps happen with values on the stack: 1 + piecewise(...) * y.
  v.push_back(call(Op::Plus, {num(1.0), call(Op::Times, {call(Op::Piecewise, {x(), call(Op::Geq, {x(), num(0.0)}),
                                                                              call(Op::Exp, {y()})}),
                                                       y()})}));
  // Nested: in a value and in a condition.
  const Expr inner = call(Op::Piecewise, {y(), call(Op::Neq, {y(), num(0.5)}), z()});
  v.push_back(call(Op::Piecewise, {inner, call(Op::Lt, {inner, x()}), call(Op::Piecewise, {x(), x(), y()}),
                                   call(Op::And, {x(), y()}), call(Op::Min, {x(), y()})}));
  return v;
}

std::vector<double> edge_values() {
  return {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 3.0, -3.0, 2.5, -7.25, 0.1, 10.0, 700.0, -745.5, 1e-310, 1e300,
          -1e300, kInf, -kInf, kNaN, 5e-324};
}

// A past that depends on every argument, so that a call with swapped arguments shows.
double fake_delay(const void* context, std::uint32_t which, double d, double now, const double* values) {
  const double scale = *static_cast<const double*>(context);
  return scale * values[0] + 10.0 * which + 3.0 * d - now;
}

std::filesystem::path fresh_dir(const tu::TempDir& tmp, const std::string& name) {
  std::filesystem::path p = std::filesystem::path(tmp.path()) / name;
  std::filesystem::create_directories(p);
  return p;
}

std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

// Runs every program through the interpreter and through `code` at every pair of inputs;
// returns the number of disagreements (and describes the first).
std::size_t compare_all(const std::vector<Program>& programs, const NativeCode& code, std::string& first) {
  const double scale = 0.25;
  const DelayLookup lookup{&fake_delay, &scale};
  const std::vector<double> inputs = edge_values();
  std::size_t bad = 0;
  std::vector<double> stack;
  for (std::size_t i = 0; i < programs.size(); ++i) {
    const Program& p = programs[i];
    stack.assign(p.stack_size() + 1, 0.0);
    for (double a : inputs)
      for (double b : inputs)
        for (const DelayLookup* delays : {&lookup, static_cast<const DelayLookup*>(nullptr)}) {
          const double t = b * 0.5 + 1.0;
          std::vector<double> vi{a, b, a - b, 0, 0, 0, 0, 0}, vn = vi;
          double oi[4] = {-1, -1, -1, -1}, on[4] = {-1, -1, -1, -1};
          p.interpret(vi.data(), oi, t, stack.data(), delays);
          code.function(i)(vn.data(), on, t, delays);
          bool ok = true;
          for (std::size_t k = 0; k < kValues; ++k) ok = ok && same(vi[k], vn[k]);
          for (int k = 0; k < 4; ++k) ok = ok && same(oi[k], on[k]);
          if (!ok && bad++ == 0)
            first = "program " + std::to_string(i) + " at x = " + show(a) + ", y = " + show(b) + ": interpreter " +
                    show(oi[0]) + ", native " + show(on[0]);
        }
  }
  return bad;
}

NativeOptions options_in(const std::filesystem::path& dir) {
  NativeOptions o;
  o.cache_dir = dir;
  return o;
}

std::vector<const Program*> pointers(const std::vector<Program>& programs) {
  std::vector<const Program*> out;
  for (const Program& p : programs) out.push_back(&p);
  return out;
}

}  // namespace

TEST_CASE("native: every instruction computes what the interpreter computes", "[native]") {
  tu::TempDir tmp;
  std::vector<Program> programs;
  for (const Expr& e : operator_expressions()) programs.push_back(out_program(e));
  for (const Expr& e : piecewise_expressions()) programs.push_back(out_program(e));
  // Store, and constants that must survive the trip through C text exactly.
  {
    Program p;
    p.add_store(call(Op::Times, {x(), y()}), 5, kLoads);
    p.add_store(call(Op::Plus, {Expr::sym(5), num(0.1)}), 6, kLoads);
    p.add_store_out(Expr::sym(5), 1, kLoads);
    programs.push_back(p);
  }
  std::vector<double> constants = {0.0, -0.0, 0.1, -1.0 / 3.0, 5e-324, -2.2250738585072014e-308, 1.7976931348623157e308,
                                   kInf, -kInf, kNaN, -kNaN, 6.02214076e23};
  for (std::size_t i = 0; i < constants.size(); ++i) {
    Program p;
    p.add_store_out(num(constants[i]), 0, kLoads);
    programs.push_back(p);
  }

  // Every instruction appears somewhere.
  std::vector<bool> seen(static_cast<std::size_t>(Code::StoreOut) + 1, false);
  for (const Program& p : programs)
    for (const Instr& in : p.code()) seen[static_cast<std::size_t>(in.code)] = true;
  for (std::size_t c = 0; c < seen.size(); ++c) {
    INFO("instruction code " << c);
    CHECK(seen[c]);
  }

  const auto code = NativeCode::build(pointers(programs), options_in(fresh_dir(tmp, "cache")));
  REQUIRE(code);
  REQUIRE(code->size() == programs.size());
  std::string first;
  const std::size_t bad = compare_all(programs, *code, first);
  INFO(first);
  CHECK(bad == 0);

  // Constants come out bit for bit, NaN payloads included.
  for (std::size_t i = 0; i < constants.size(); ++i) {
    double out = 0.0;
    std::vector<double> v(kValues, 0.0);
    code->function(programs.size() - constants.size() + i)(v.data(), &out, 0.0, nullptr);
    INFO("constant " << show(constants[i]));
    CHECK(std::memcmp(&out, &constants[i], sizeof out) == 0);
  }
}

TEST_CASE("native: C source spells constants exactly and has no contraction-prone shape", "[native]") {
  std::vector<Program> programs{out_program(call(Op::Plus, {x(), num(0.1)})), out_program(num(-kInf))};
  const std::string c = generate_c(pointers(programs), 1000);
  CHECK(tu::contains(c, "0x1.999999999999ap-4"));
  CHECK(tu::contains(c, "-__builtin_inf()"));
  CHECK(tu::contains(c, "axisim_program_0"));
  CHECK(tu::contains(c, "axisim_program_1"));
  CHECK_FALSE(tu::contains(c, "#include"));
}

TEST_CASE("native: a large program split into chunks computes the same", "[native]") {
  tu::TempDir tmp;
  // 400 statements, each with a piecewise (jumps) and a chain of operations.
  Program big;
  for (int i = 0; i < 400; ++i) {
    const Expr e = call(Op::Plus, {call(Op::Piecewise, {call(Op::Times, {x(), num(i)}), call(Op::Gt, {x(), num(i % 7)}),
                                                        call(Op::Power, {y(), num(0.5 + i % 3)})}),
                                   call(Op::Times, {Expr::sym(3), num(1.0 / (i + 1))})});
    if (i % 5 == 4) big.add_store_out(call(Op::Plus, {e, z()}), static_cast<std::uint32_t>(i % 4), kLoads);
    else big.add_store(e, static_cast<std::uint32_t>(3 + i % 5), kLoads);
  }
  const std::vector<Program> programs{big};
  const std::string split = generate_c(pointers(programs), 100);
  const std::string whole = generate_c(pointers(programs), 1000000);
  auto count = [](const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
    return n;
  };
  CHECK(count(whole, "AX_CHUNK void") == 0);
  CHECK(count(split, "AX_CHUNK void") > 10);

  NativeOptions o = options_in(fresh_dir(tmp, "cache"));
  o.chunk_instructions = 100;
  const auto chunked = NativeCode::build(pointers(programs), o);
  REQUIRE(chunked);
  std::string first;
  const std::size_t bad = compare_all(programs, *chunked, first);
  INFO(first);
  CHECK(bad == 0);
}

TEST_CASE("native: the cache is reused and left tidy", "[native]") {
  tu::TempDir tmp;
  const auto dir = fresh_dir(tmp, "cache");
  const std::vector<Program> programs{out_program(call(Op::Sin, {x()})), out_program(call(Op::Power, {x(), y()}))};
  const auto first = NativeCode::build(pointers(programs), options_in(dir));
  REQUIRE(first);
  CHECK_FALSE(first->from_cache());
  const auto second = NativeCode::build(pointers(programs), options_in(dir));
  REQUIRE(second);
  CHECK(second->from_cache());
  CHECK(second->library() == first->library());
  // Only the library: no source, log, temporary or lock file is left behind.
  const auto files = files_in(dir);
  REQUIRE(files.size() == 1);
  CHECK(files[0] == first->library().filename().string());

  // Programs with the same bytecode share one function.
  const std::vector<Program> twice{out_program(call(Op::Sin, {x()})), out_program(call(Op::Cos, {x()})),
                                   out_program(call(Op::Sin, {x()}))};
  const std::string c = generate_c(pointers(twice), 1000);
  CHECK_FALSE(tu::contains(c, "axisim_program_2"));
  const auto shared = NativeCode::build(pointers(twice), options_in(dir));
  REQUIRE(shared);
  REQUIRE(shared->size() == 3);
  CHECK(shared->function(2) == shared->function(0));
  CHECK(shared->function(1) != shared->function(0));
  std::filesystem::remove(shared->library());

  // Another program set is another library.
  const std::vector<Program> other{out_program(call(Op::Cos, {x()}))};
  const auto third = NativeCode::build(pointers(other), options_in(dir));
  REQUIRE(third);
  CHECK_FALSE(third->from_cache());
  CHECK(files_in(dir).size() == 2);
}

TEST_CASE("native: failures are reported, not crashed on", "[native]") {
  tu::TempDir tmp;
  const std::vector<Program> programs{out_program(call(Op::Sin, {x()}))};
  NativeOptions o = options_in(fresh_dir(tmp, "cache"));
  o.compiler = "/nonexistent/cc";
  CHECK_THROWS_AS(NativeCode::build(pointers(programs), o), NativeError);
  // A compiler that fails.
  o.compiler = "false";
  CHECK_THROWS_AS(NativeCode::build(pointers(programs), o), NativeError);

  // NativeBuild logs and leaves the programs interpreted.
  NativeBuild build(pointers(programs), NativeBuild::Mode::Wait, "test", o);
  CHECK_FALSE(build.installed());
  CHECK_FALSE(programs[0].is_native());
}

TEST_CASE("native: a background build installs the code, and destroying one early is safe", "[native]") {
  tu::TempDir tmp;
  const NativeOptions o = options_in(fresh_dir(tmp, "cache"));
  {
    const std::vector<Program> programs{out_program(call(Op::Tanh, {call(Op::Times, {x(), y()})}))};
    NativeBuild build(pointers(programs), NativeBuild::Mode::Background, "test", o);
    build.wait();
    REQUIRE(build.installed());
    CHECK(programs[0].is_native());
    double v[kValues] = {0.3, -2.0}, out = 0.0, stack[4];
    programs[0].run(v, &out, 0.0, stack);  // native
    CHECK(same(out, std::tanh(0.3 * -2.0)));
  }
  {
    // Cancelled at once (the compiler, if it started, is killed): neither hangs nor installs
    // anything the programs could call after the library is gone.
    std::vector<Program> programs{out_program(call(Op::Cosh, {x()}))};
    { NativeBuild build(pointers(programs), NativeBuild::Mode::Background, "test", o); }
    SUCCEED();
  }
}

TEST_CASE("native: a build when hot starts only once enough time has been simulated", "[native]") {
  tu::TempDir tmp;
  const NativeOptions o = options_in(fresh_dir(tmp, "cache"));
  const std::vector<Program> programs{out_program(call(Op::Sinh, {call(Op::Plus, {x(), y()})}))};
  NativeBuild build(pointers(programs), NativeBuild::Mode::WhenHot, "test", o, 0.05);
  build.wait();  // not started: returns at once
  CHECK_FALSE(build.installed());
  build.note_simulated(0.02);
  build.note_simulated(0.02);
  build.wait();
  CHECK_FALSE(build.installed());
  CHECK_FALSE(programs[0].is_native());
  CHECK(files_in(o.cache_dir).empty());  // no compiler ran
  build.note_simulated(0.02);  // 0.06 s: hot
  build.wait();
  REQUIRE(build.installed());
  CHECK(programs[0].is_native());
  CHECK(build.seconds() > 0.0);
  double v[kValues] = {0.25, 0.5}, out = 0.0, stack[4];
  programs[0].run(v, &out, 0.0, stack);
  CHECK(same(out, std::sinh(0.25 + 0.5)));
}

namespace {

// A model that exercises concentrations in a compartment of size 2 (LoadRatio), Hill kinetics
// (pow), assignment rules with min/max, a rate rule with a piecewise in time (root functions),
// and an event.
std::string model_for_backends() {
  using namespace fx;
  Reaction r1;
  r1.id = "R1";
  r1.reactants = {{"A", 1}};
  r1.products = {{"B", 1}};
  r1.kinetic_math = apply("times", {ci("C"), ci("k1"), ci("A"), ci("g")});
  Reaction r2;
  r2.id = "R2";
  r2.reactants = {{"B", 1}};
  r2.kinetic_math = apply("divide", {apply("times", {ci("C"), ci("vmax"), apply("power", {ci("B"), cn(2)})}),
                                     apply("plus", {apply("power", {ci("km"), cn(2)}), apply("power", {ci("B"), cn(2)})})});
  Reaction r3;
  r3.id = "R3";
  r3.products = {{"A", 1}};
  r3.kinetic_math = apply("times", {ci("C"), ci("u")});
  return ModelBuilder("backends")
      .compartment("C", 2.0)
      .species("A", 3.0)
      .species("B", 0.5)
      .parameter("k1", 0.7, false)
      .parameter("vmax", 1.3)
      .parameter("km", 0.4)
      .parameter_no_value("g", false)
      .parameter("u", 0.0, false)
      .assignment_rule("g", apply("max", {cn(0.2), apply("min", {cn(1.0), apply("exp", {apply("minus", {ci("B")})})})}))
      .rate_rule("u", apply("times", {cn(0.5), "<piecewise><piece>" + cn(1) + apply("lt", {csym_time(), cn(2.5)}) +
                                                   "</piece><otherwise>" + cn(-0.25) + "</otherwise></piecewise>"}))
      .raw_event("<event id=\"e1\" useValuesFromTriggerTime=\"true\"><trigger initialValue=\"false\" persistent=\"true\">" +
                 math(apply("gt", {ci("B"), cn(1.0)})) +
                 "</trigger><listOfEventAssignments><eventAssignment variable=\"k1\">" + math(cn(0.1)) +
                 "</eventAssignment></listOfEventAssignments></event>")
      .str();
}

// A model whose right-hand side reads its past through delay().
std::string delay_model() {
  using namespace fx;
  Reaction r;
  r.id = "R1";
  r.reactants = {{"S", 1}};
  r.kinetic_math = apply("times", {ci("k"), apply_delay(ci("S"), cn(0.5))});
  return ModelBuilder("delayed").compartment("C", 1.0).species("S", 5.0).parameter("k", 0.8).reaction(r).str();
}

axisim::Result run(const std::string& sbml, axisim::Backend backend) {
  axisim::LoadOptions load;
  load.backend = backend;
  const axisim::Model m = axisim::Model::from_string(sbml, load);
  axisim::SimulationOptions opt;
  opt.end = 6.0;
  opt.steps = 60;
  return m.simulate(opt);
}

void check_identical(const axisim::Result& a, const axisim::Result& b) {
  REQUIRE(a.columns() == b.columns());
  REQUIRE(a.rows() == b.rows());
  std::size_t bad = 0;
  for (std::size_t r = 0; r < a.rows(); ++r)
    for (std::size_t c = 0; c < a.cols(); ++c) bad += same(a.at(r, c), b.at(r, c)) ? 0 : 1;
  CHECK(bad == 0);
  CHECK(a.stats.steps == b.stats.steps);
  CHECK(a.stats.rhs_evaluations == b.stats.rhs_evaluations);
}

}  // namespace

TEST_CASE("native: whole models give identical results with either back-end", "[native]") {
  tu::TempDir tmp;
  ScopedEnv cache("AXISIM_CACHE_DIR", fresh_dir(tmp, "cache").string());
  for (const std::string& sbml : {model_for_backends(), delay_model()}) {
    const axisim::Result interpreted = run(sbml, axisim::Backend::Interpreter);
    const axisim::Result native = run(sbml, axisim::Backend::Native);
    CHECK(interpreted.stats.backend == "interpreter");
    CHECK(native.stats.backend == "native");
    check_identical(interpreted, native);
  }
}

TEST_CASE("native: without a compiler the interpreter runs, with the same results", "[native]") {
  tu::TempDir tmp;
  ScopedEnv cache("AXISIM_CACHE_DIR", fresh_dir(tmp, "cache").string());
  ScopedEnv cc("AXISIM_CC", "/nonexistent");
  const axisim::Result interpreted = run(model_for_backends(), axisim::Backend::Interpreter);
  const axisim::Result fallback = run(model_for_backends(), axisim::Backend::Native);
  CHECK(fallback.stats.backend == "interpreter");
  check_identical(interpreted, fallback);
  CHECK(files_in(fresh_dir(tmp, "cache")).empty());
}

TEST_CASE("native: a second load of a model reuses the cached library", "[native]") {
  tu::TempDir tmp;
  const auto dir = fresh_dir(tmp, "cache");
  ScopedEnv cache("AXISIM_CACHE_DIR", dir.string());
  const axisim::Result first = run(model_for_backends(), axisim::Backend::Native);
  REQUIRE(first.stats.backend == "native");
  auto files = files_in(dir);
  REQUIRE(files.size() == 1);
  struct stat before{};
  REQUIRE(::stat((dir / files[0]).c_str(), &before) == 0);

  const axisim::Result second = run(model_for_backends(), axisim::Backend::Native);
  CHECK(second.stats.backend == "native");
  files = files_in(dir);
  REQUIRE(files.size() == 1);
  struct stat after{};
  REQUIRE(::stat((dir / files[0]).c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);  // not rebuilt and renamed over
  check_identical(first, second);
}

TEST_CASE("native: small models under Backend::Auto stay interpreted and build nothing", "[native]") {
  tu::TempDir tmp;
  const auto dir = fresh_dir(tmp, "cache");
  ScopedEnv cache("AXISIM_CACHE_DIR", dir.string());
  const axisim::Result r = run(model_for_backends(), axisim::Backend::Auto);
  CHECK(r.stats.backend == "interpreter");
  CHECK(files_in(dir).empty());
}
