#!/usr/bin/env bash
# tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
#
# Runs each libFuzzer target built in BUILD_DIR (cmake -DAXISIM_FUZZ=ON; scripts/sanitize-test.sh
# makes such a build) for SECONDS, one after the other, under nice -n 19. Each starts from its
# seeds (tests/fuzz/corpus/<target>/; fuzz_sbml_checked shares fuzz_sbml's) and the inputs it
# once failed on (tests/fuzz/regressions/<target>/), and keeps what it finds in BUILD_DIR/fuzz-corpus/<target>/, so that a
# second run goes on where the first stopped. A crash, sanitizer report, leak, timeout (an input
# taking over AXISIM_FUZZ_TIMEOUT s, default 10) or allocation over AXISIM_FUZZ_RSS_MB (2048)
# fails the run; the input is left in BUILD_DIR/fuzz-artifacts/. Leaks inside libraries that
# axisim cannot free are suppressed, each named with its reason in tests/fuzz/lsan.supp.
#
# The random seed is fixed (AXISIM_FUZZ_SEED, default 1; 0 lets libFuzzer pick one), so that a
# run from the same seeds explores the same inputs in the same order: a slower machine covers a
# prefix of what a faster one does, and a finding in CI can be reproduced from its log. For
# exploration beyond that, use another seed and more time (AXISIM_FUZZ_SECONDS=3600).
#
# Prints one line per target:
# its name, seconds, executions, and the outcome. Exit 0 only when every target finished clean.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
seconds=${2:?usage: tests/fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(fuzz_sbml fuzz_sbml_checked fuzz_plugin_annotation fuzz_settings fuzz_scenario fuzz_jobfile fuzz_csv)
fi
build=$(cd "$build" && pwd)
mkdir -p "$build/fuzz-artifacts"
failed=0
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/$t"
  if [[ ! -x $bin ]]; then
    echo "fuzz: $t: not built ($bin); build with -DAXISIM_FUZZ=ON and the 'fuzzers' target" >&2
    failed=1
    continue
  fi
  inputs=("$here/corpus/${t%_checked}")
  [[ -d $here/regressions/$t ]] && inputs+=("$here/regressions/$t")
  work="$build/fuzz-corpus/$t"
  mkdir -p "$work"
  log="$build/fuzz-artifacts/$t.log"
  rm -f "$build/fuzz-artifacts/$t"-*  # what an earlier run left
  start=$(date +%s)
  # Leak checking stays on (libFuzzer checks every input that allocates more than it frees),
  # less the leaks inside libraries listed in lsan.supp.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
  LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/lsan.supp:print_suppressions=0} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  nice -n 19 "$bin" -max_total_time="$seconds" -timeout="${AXISIM_FUZZ_TIMEOUT:-10}" \
    -seed="${AXISIM_FUZZ_SEED:-1}" \
    -rss_limit_mb="${AXISIM_FUZZ_RSS_MB:-2048}" -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-artifacts/$t-" \
    "$work" "${inputs[@]}" >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [[ $rc -eq 0 ]]; then
    echo "fuzz: $t: ${took} s, ${execs:-?} executions, corpus $(ls "$work" | wc -l) inputs: clean"
  else
    failed=1
    echo "fuzz: $t: FAILED after ${took} s (exit $rc); log $log, input(s):" >&2
    ls "$build"/fuzz-artifacts/"$t"-* 2>/dev/null | grep -v '\.log$' >&2
    grep -m1 -A60 -E '^==[0-9]+==ERROR|runtime error|ERROR: libFuzzer|deadly signal' "$log" >&2
  fi
done
exit $failed
