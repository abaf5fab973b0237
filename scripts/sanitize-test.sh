#!/usr/bin/env bash
# The sanitizer and fuzzing slice of the tests (docs/reliability.md, "Fuzzing and sanitizers"):
# one clang build in build-san/ with AddressSanitizer + UndefinedBehaviorSanitizer (undefined
# behaviour aborts) and libFuzzer coverage, holding only what the slice needs; then, under the
# sanitizers, the unit tests, every 20th case of the SBML Test Suite, and each fuzz target for
# AXISIM_FUZZ_SECONDS (default 20) from its seeds.
#
# Needs clang-14 and libclang-rt-14-dev (scripts/install-deps.sh installs them). Without them the
# slice is skipped, saying why; when CI is set it fails instead, so that CI cannot pass without it.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${AXISIM_SANITIZE_BUILD_DIR:-build-san}

why=""
if ! command -v clang++-14 >/dev/null 2>&1; then
  why="clang++-14 is not installed (Debian package clang-14)"
elif [[ ! -f "$(clang++-14 -print-runtime-dir)/libclang_rt.fuzzer-x86_64.a" ]]; then
  why="clang-14's libFuzzer and sanitizer runtimes are not installed (Debian package libclang-rt-14-dev)"
fi
if [[ -n $why ]]; then
  if [[ -n ${CI:-} ]]; then
    echo "FAILED: the sanitizer and fuzzing slice cannot run: $why; CI must run it." >&2
    exit 1
  fi
  echo "note: the sanitizer and fuzzing slice was SKIPPED: $why. Run scripts/install-deps.sh (as root) to install it." >&2
  exit 0
fi

launcher=()
if [[ -n ${AXISIM_CCACHE:-} ]] && command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# -O1: the sanitizers' usual level (a quarter less build time than -O2, runs fast enough).
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" -DAXISIM_SANITIZE=address,undefined -DAXISIM_FUZZ=ON \
  -DAXISIM_BUILD_BENCH=OFF -DAXISIM_BUILD_PYTHON=OFF "${launcher[@]}" >/dev/null
start=$(date +%s)
cmake --build "$build" -j "$(nproc)" --target axisim axisim_unit_tests axisim_suite_runner fuzzers
echo "sanitize: build took $(( $(date +%s) - start )) s"

# Abort on the first report; leaks are reported at exit (LSan) and fail the process too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Less the leaks inside libraries that axisim cannot free (each with its reason in the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}
start=$(date +%s)
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -R '^unit/|^sbml_test_suite_sanitizer_slice$'
echo "sanitize: unit tests and suite slice took $(( $(date +%s) - start )) s"
bash tests/fuzz/run.sh "$build" "${AXISIM_FUZZ_SECONDS:-20}"
