// native_code.hpp — the compiled model's programs as machine code.
//
// Each Program's bytecode is translated into C, one function per program, all in one
// translation unit; the system's C compiler builds it into a shared library, which is cached
// on disk and loaded with dlopen. The C does what Program::interpret does, operation for
// operation on the same operands (the stack becomes C expressions, jumps become gotos, every
// operator is written as the interpreter computes it, constants are hexadecimal floats), and it
// is compiled without contraction, fast-math or built-in math functions, so the native code
// computes the same doubles as the interpreter. Only the dispatch goes.
//
//   auto code = NativeCode::build(system.programs());   // throws NativeError with the reason
//   code->install(system.programs());                   // each Program::run now calls C
//
// Environment: AXISIM_CC names the C compiler (default `cc`, found on PATH); AXISIM_CACHE_DIR
// the cache directory (default $XDG_CACHE_HOME/axisim, else $HOME/.cache/axisim, else a
// directory under the system's temporary directory).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "compile/program.hpp"

namespace axisim::detail {

// Why native code could not be built or loaded (no compiler, a compile error, dlopen).
class NativeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct NativeOptions {
  std::string compiler;                 // empty: $AXISIM_CC, else "cc"
  std::filesystem::path cache_dir;      // empty: native_cache_dir()
  // The largest C function, in bytecode instructions. A program is split into functions of
  // about this size at statement boundaries, because the C compiler's optimiser is
  // superlinear in the size of a function; the split costs one call per chunk. With GCC 12,
  // chunks of 500 compile fastest (250 to 2000 are within 30%).
  std::size_t chunk_instructions = 500;
  // -Og: as fast to compile as -O0, and the code runs as fast as with -O1 or -O2 (straight-line
  // arithmetic and calls into libm leave an optimiser little to do), which take 1.6 and 3 times
  // longer to compile. See docs/architecture.md, "Native code", for the measurements.
  std::string optimization = "-Og";
};

// Backend::Auto builds native code in the background at load for programs at least this large
// (the sum of CompiledSystem::program_size()): their runs last long enough to gain from it.
inline constexpr std::size_t kAutoNativeMinInstructions = 10000;
// Smaller models, from this size, are compiled once they prove hot: once the model has spent
// kAutoNativeHotSeconds simulating in this process (repeated runs of a loaded model: a scan, a
// fit, a notebook). Below it the interpreter takes a few microseconds per right-hand side and a
// run rarely lasts as long as the compiler needs to start; a single short run, such as an SBML
// Test Suite case or one `axisim simulate` of the flagship model (3,368 instructions, 6 ms),
// spawns no compiler. A library already in the cache is found in milliseconds.
inline constexpr std::size_t kAutoNativeHotMinInstructions = 500;
inline constexpr double kAutoNativeHotSeconds = 0.05;

// The C translation unit for `programs`: `void axisim_program_<i>(double* values, double* out,
// double time, const DelayLookup* delays)` computes programs[i] (programs with the same bytecode
// share the function of the first of them). Throws NativeError for
// bytecode of a shape the translator does not know (a backward jump, a stack depth that
// differs between two paths), which Program never emits.
std::string generate_c(const std::vector<const Program*>& programs, std::size_t chunk_instructions);

// Where built libraries are cached: $AXISIM_CACHE_DIR, else $XDG_CACHE_HOME/axisim, else
// $HOME/.cache/axisim, else <temporary directory>/axisim-<uid>.
std::filesystem::path native_cache_dir();

// A loaded library of native programs. The functions stay valid as long as this object lives:
// whoever installs them into programs keeps it alive until those programs are gone.
class NativeCode {
 public:
  // Generates the C, finds the library in the cache or compiles it (the compiler runs in a
  // process group of its own, killed when `stop` is requested), loads it and looks up one
  // function per program. Returns nullptr when stopped; throws NativeError on failure.
  static std::shared_ptr<NativeCode> build(const std::vector<const Program*>& programs,
                                           const NativeOptions& options = {}, std::stop_token stop = {});

  NativeCode(const NativeCode&) = delete;
  NativeCode& operator=(const NativeCode&) = delete;
  ~NativeCode();

  std::size_t size() const { return functions_.size(); }
  NativeFunction function(std::size_t i) const { return functions_[i]; }
  // Program::set_native for each of `programs` (the ones given to build, in the same order).
  void install(const std::vector<const Program*>& programs) const;

  const std::filesystem::path& library() const { return library_; }
  bool from_cache() const { return from_cache_; }  // no compiler ran

 private:
  NativeCode() = default;
  void* handle_ = nullptr;
  std::vector<NativeFunction> functions_;
  std::filesystem::path library_;
  bool from_cache_ = false;
};

// One model's native back-end: builds the programs' native code, in the background or at
// once, installs it into the programs when it is loaded, and owns the library from then on.
// Failures are logged (one warning) and leave the programs interpreted.
//
// The programs must outlive this object. Destroying it while a build is under way kills the
// compiler and joins the thread: it does not wait for the compile to finish.
class NativeBuild {
 public:
  // Wait: build now and return when done. Background: build on a thread of its own, starting
  // now. WhenHot: start the Background build once note_simulated has counted `hot_seconds`.
  enum class Mode { Wait, Background, WhenHot };
  // `label` names the model in log messages.
  NativeBuild(std::vector<const Program*> programs, Mode mode, std::string label, NativeOptions options = {},
              double hot_seconds = kAutoNativeHotSeconds);
  ~NativeBuild();
  NativeBuild(const NativeBuild&) = delete;
  NativeBuild& operator=(const NativeBuild&) = delete;

  // Counts time the model spent simulating (thread-safe; any mode, only WhenHot acts on it).
  void note_simulated(double seconds);
  // Blocks until the build has succeeded or failed; returns at once if it has not started.
  void wait() const;
  bool installed() const;
  // Wall time of the build (generating, compiling or finding in the cache, loading); 0 until
  // it has ended.
  double seconds() const;

 private:
  void run(std::stop_token stop);

  std::vector<const Program*> programs_;
  std::string label_;
  NativeOptions options_;
  mutable std::mutex mutex_;
  mutable std::condition_variable done_cv_;
  bool started_ = false;
  double hot_seconds_ = 0.0;
  double simulated_seconds_ = 0.0;
  bool done_ = false;
  bool installed_ = false;
  double seconds_ = 0.0;
  std::shared_ptr<NativeCode> code_;
  std::jthread thread_;  // last: it starts after, and stops before, everything it uses
};

}  // namespace axisim::detail
