#!/usr/bin/env bash
# axisim run stopped mid-run (data/long_scan.sedml: a repeated task of 1,000,000 iterations).
# SIGTERM while the repeated task runs: the run stops before its next iteration, exits 143 (128 +
# 15) and finishes log.yml: valid YAML whose archive and document are FAILED (exception type
# Interrupted), the task before SUCCEEDED, the repeated task FAILED saying it was stopped by signal
# 15, the reports not reached SKIPPED, and no report file (nor a temporary one) written. SIGKILL,
# which cannot be caught: log.yml is still valid YAML, true up to where it stopped (the repeated task
# RUNNING, the reports QUEUED), and no file is left half written.
# Stopped inside one run, about 1 s after it started: one long integration (data/long_ode.sedml,
# SIGTERM) and one long exact stochastic run (data/long_ssa.sedml, SIGINT) end within
# $STOP_BOUND seconds of the signal, in the same clean state (exit 143 or 130, log.yml saying
# where the run stopped, no report). The same for `axisim simulate` (ODE, one stochastic run, an
# ensemble on 2 threads): exit 128 + the signal, no output file.
set -uo pipefail
axisim=$1 data=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

have_yaml=1
python3 -c 'import yaml' 2>/dev/null || have_yaml=0

STOP_BOUND=10  # seconds from the signal to the exit (the checks are every 64 right-hand sides or
              # 4,096 stochastic steps: milliseconds; the rest is for a loaded machine)

# Starts the run of $3 (default long_scan.sedml), waits until log.yml says task `long` is RUNNING,
# then $4 seconds (default 0.2), sends signal $2. Sets $code to the exit code and $took_ms to the
# milliseconds from the signal to the exit.
run_and_signal() {
  local out=$1 sig=$2 doc=${3:-long_scan.sedml} delay=${4:-0.2}
  "$axisim" run "$data/$doc" -o "$out" --no-plots 2>"$out.log" &
  local pid=$!
  local waited=0
  until [[ -f $out/log.yml ]] && grep -A3 -- "id: long" "$out/log.yml" 2>/dev/null | grep -q "RUNNING"; do
    if grep -q "built without yaml-cpp" "$out.log"; then
      kill -9 "$pid" 2>/dev/null
      echo "skipped: this axisim was built without yaml-cpp (no log.yml)"
      exit 0
    fi
    kill -0 "$pid" 2>/dev/null || fail "axisim run ended before its repeated task ran ($(tail -3 "$out.log"))"
    sleep 0.1
    waited=$((waited + 1))
    if ((waited > 600)); then kill -9 "$pid"; fail "log.yml never said the repeated task was RUNNING"; fi
  done
  sleep "$delay"  # some iterations, or one long run, under way
  kill -0 "$pid" 2>/dev/null || fail "$doc: axisim run ended before the signal ($(tail -3 "$out.log"))"
  local sent
  sent=${EPOCHREALTIME/./}  # microseconds
  kill "-$sig" "$pid"
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    waited=$((waited + 1))
    if ((waited > 300)); then kill -9 "$pid"; fail "SIG$sig: axisim run did not stop within 30 s"; fi
  done
  { wait "$pid"; } 2>/dev/null
  code=$?
  took_ms=$(((${EPOCHREALTIME/./} - sent) / 1000))
}

no_half_files() {
  local out=$1
  [[ -z $(find "$out" -name '*.tmp-*') ]] || fail "$out: temporary files left: $(find "$out" -name '*.tmp-*')"
  [[ -z $(find "$out" -name 'r_long.csv') ]] || fail "$out: r_long.csv written from a run that did not finish"
  [[ -z $(find "$out" -name 'r_first.csv') ]] || fail "$out: r_first.csv written after the stop"
}

# SIGTERM: stopped cleanly.
run_and_signal "$work/term" TERM
[[ $code == 143 ]] || fail "SIGTERM: exit $code, expected 143 ($(tail -3 "$work/term.log"))"
# The signal lands between two iterations or inside one iteration's integration (each is short,
# but a stop inside a run is honoured too): either is a clean stop, named.
grep -qE "stopped by signal 15 \(SIGTERM\) in (repeated task 'long' before iteration|task 'long' \(the integration stopped)" "$work/term.log" ||
  fail "SIGTERM: the stop is not named ($(tail -3 "$work/term.log"))"
no_half_files "$work/term"
[[ $(head -1 "$work/term/log.yml") == "status: FAILED" ]] || fail "SIGTERM: log.yml does not start with status: FAILED"
if ((have_yaml)); then
  python3 - "$work/term/log.yml" <<'PY' || fail "SIGTERM: log.yml is not what it should be"
import sys, yaml
log = yaml.safe_load(open(sys.argv[1]))
assert log["status"] == "FAILED", log["status"]
assert log["exception"]["type"] == "Interrupted", log["exception"]
doc = log["sedDocuments"][0]
assert doc["status"] == "FAILED", doc["status"]
tasks = {t["id"]: t for t in doc["tasks"]}
assert tasks["first"]["status"] == "SUCCEEDED", tasks["first"]
assert tasks["t"]["status"] == "SKIPPED", tasks["t"]
assert tasks["long"]["status"] == "FAILED", tasks["long"]
assert tasks["long"]["exception"]["type"] == "Interrupted", tasks["long"]["exception"]
assert "stopped by signal 15" in tasks["long"]["exception"]["message"], tasks["long"]["exception"]
assert doc["exception"]["type"] == "Interrupted", doc["exception"]
outputs = {o["id"]: o for o in doc["outputs"]}
for r in ("r_first", "r_long"):
    assert outputs[r]["status"] == "SKIPPED", outputs[r]
PY
else
  echo "log.yml not parsed: python3-yaml is not installed (the first line was checked)"
fi

# SIGKILL: no handler runs; the log written last (atomically) is still whole.
run_and_signal "$work/kill" KILL
[[ $code == 137 ]] || fail "SIGKILL: exit $code, expected 137"
no_half_files "$work/kill"
if ((have_yaml)); then
  python3 - "$work/kill/log.yml" <<'PY' || fail "SIGKILL: log.yml is not what it should be"
import sys, yaml
log = yaml.safe_load(open(sys.argv[1]))
assert log["status"] == "RUNNING", log["status"]
doc = log["sedDocuments"][0]
tasks = {t["id"]: t for t in doc["tasks"]}
assert tasks["first"]["status"] == "SUCCEEDED", tasks["first"]
assert tasks["long"]["status"] == "RUNNING", tasks["long"]
for o in doc["outputs"]:
    assert o["status"] == "QUEUED", o
PY
fi
# Stopped inside one long run: an integration (SIGTERM), an exact stochastic run (SIGINT).
for run in "long_ode.sedml TERM 143 15 SIGTERM" "long_ssa.sedml INT 130 2 SIGINT"; do
  read -r doc sig expect num name <<<"$run"
  out=$work/${doc%.sedml}
  run_and_signal "$out" "$sig" "$doc" 1
  [[ $code == "$expect" ]] || fail "$doc SIG$sig: exit $code, expected $expect ($(tail -3 "$out.log"))"
  ((took_ms < STOP_BOUND * 1000)) || fail "$doc SIG$sig: took $took_ms ms from the signal to the exit"
  echo "$doc: SIG$sig, exit $code ${took_ms} ms after the signal"
  grep -q "stopped by signal $num ($name) in task 'long' (" "$out.log" ||
    fail "$doc SIG$sig: the stop inside the run is not named ($(tail -3 "$out.log"))"
  no_half_files "$out"
  if ((have_yaml)); then
    python3 - "$out/log.yml" "$num" <<'PY' || fail "$doc SIG$sig: log.yml is not what it should be"
import sys, yaml
log = yaml.safe_load(open(sys.argv[1]))
assert log["status"] == "FAILED", log["status"]
assert log["exception"]["type"] == "Interrupted", log["exception"]
doc = log["sedDocuments"][0]
tasks = {t["id"]: t for t in doc["tasks"]}
assert tasks["first"]["status"] == "SUCCEEDED", tasks["first"]
assert tasks["long"]["status"] == "FAILED", tasks["long"]
assert tasks["long"]["exception"]["type"] == "Interrupted", tasks["long"]["exception"]
assert "stopped by signal " + sys.argv[2] in tasks["long"]["exception"]["message"], tasks["long"]["exception"]
for o in doc["outputs"]:
    assert o["status"] == "SKIPPED", o
PY
  fi
done

# axisim simulate: the same stop inside a run, nothing written, exit 128 + the signal.
simulate_and_signal() {
  local name=$1 sig=$2 expect=$3
  shift 3
  local out=$work/simulate_$name
  mkdir -p "$out"
  "$axisim" simulate "$@" -o "$out/result.csv" 2>"$out.log" &
  local pid=$!
  sleep 1.5  # loading done, the run under way
  kill -0 "$pid" 2>/dev/null || fail "simulate $name: ended before the signal ($(tail -3 "$out.log"))"
  local sent
  sent=${EPOCHREALTIME/./}  # microseconds
  kill "-$sig" "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    waited=$((waited + 1))
    if ((waited > 300)); then kill -9 "$pid"; fail "simulate $name: did not stop within 30 s"; fi
  done
  { wait "$pid"; } 2>/dev/null
  code=$?
  took_ms=$(((${EPOCHREALTIME/./} - sent) / 1000))
  [[ $code == "$expect" ]] || fail "simulate $name SIG$sig: exit $code, expected $expect ($(tail -3 "$out.log"))"
  ((took_ms < STOP_BOUND * 1000)) || fail "simulate $name SIG$sig: took $took_ms ms from the signal to the exit"
  grep -q "stopped by signal" "$out.log" || fail "simulate $name: the stop is not named ($(tail -3 "$out.log"))"
  grep -q "nothing was written" "$out.log" || fail "simulate $name: the log does not say nothing was written"
  [[ -z $(ls -A "$out") ]] || fail "simulate $name: files left: $(ls -A "$out")"
  echo "simulate $name: SIG$sig, exit $code ${took_ms} ms after the signal"
}
simulate_and_signal ode TERM 143 "$data/oscillator.xml" --end 100000 --steps 10000
simulate_and_signal ssa INT 130 "$data/immigration_death.xml" --method ssa --end 400 --steps 4
simulate_and_signal ensemble TERM 143 "$data/immigration_death.xml" --method ssa --end 400 --steps 4 --replicates 8 -j 2

echo "ok"
