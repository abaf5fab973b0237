#!/usr/bin/env python3
"""The cost of driving axisim from Python: a parameter scan run by `axisim batch -j 1` against the
same scan as a Python loop over Model.simulate writing the same result files (docs/performance.md,
"The Python module's overhead"). A measurement, not a test.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_overhead.py [--model flagship|enzyme]
        [--runs 1000] [--rounds 15] [--backend native|interpreter|auto] [--output csv|memory] [--parts]

The host's speed drifts (up to 1.6x over tens of seconds on the shared VM), so single timings
of the two sides, even "best of N", compare the drift as much as the two. This script therefore
runs many short rounds; each round times three scans in a random order: the batch (B), the
batch again (B', the control) and the Python loop (P), and takes the ratios P/B and B'/B. B' is
the same program as B, so the median of B'/B shows what the method reads when the two sides are
equal (it should be near 1.00); the median of P/B is the figure. Both ratios are taken against
the same B in the same round in random order, so drift and order affect them alike. Each scan's
CPU time (user + system: the batch process's from wait4, the Python process's from
time.process_time) is reported beside its wall time: other sessions' load stretches wall time
far more than CPU time.

Both sides run the same jobs with the same settings and the same backend: the batch's job file
is a [[scan]] of one parameter; the Python loop reads the scan's values back from the batch's
manifest.csv (so the values are the batch's to the bit), loads the model and sets each value on
it. The batch is timed as a user runs it (process start, model load, result files, status rows,
summary); the Python loop from axisim.load() to the last file (the interpreter already running,
axisim imported). --output csv (the default) has the loop write each result's CSV with
Result.to_csv, the batch's writer (axisim::write_csv_file), into a folder beside the batch's; it
then checks every file is the batch's byte for byte. --output memory keeps the results in memory
instead (numpy views, no copy). Before each timed scan the previous scan's files are removed and
the file system synced, so no scan pays for another's writeback.

--parts times the pieces of the Python loop per run (set the value, simulate, of which the
solver's integration, the CSV text, the file written) and the batch's own per-job figures from
its summary.csv, to show where each spends its time.
"""
import argparse
import csv
import json
import math
import os
import pathlib
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import axisim

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODELS = {
    # model, parameter, from, to, simulation (end, steps), selected columns
    "flagship": (ROOT / "sbml-models" / "gut_liver_igf1.xml", "fibre_intake", 0.0, 40.0, (2160, 360),
                 ["IGF1_total", "Bu_p", "Ac_p", "Pr_p"]),
    "enzyme": (ROOT / "sbml-models" / "examples" / "enzyme_kinetics.xml", "kcat", 0.01, 1.0, (100, 100),
               ["S", "P"]),
}


def median_interval(values, confidence=0.95):
    """The median and a distribution-free confidence interval for it: order statistics k and n+1-k,
    k the largest with P(Binomial(n, 1/2) < k) <= (1 - confidence) / 2."""
    x, n = sorted(values), len(values)
    k, below = 0, 0.0
    while k < n // 2:
        below += math.comb(n, k) / 2 ** n  # P(B = k), added: P(B <= k) = P(B < k + 1)
        if below > (1 - confidence) / 2:
            break
        k += 1
    if k == 0:  # too few values for the interval
        return statistics.median(x), x[0], x[-1]
    return statistics.median(x), x[k - 1], x[n - k]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1000, help="runs per scan (default 1000)")
    ap.add_argument("--model", choices=sorted(MODELS), default="flagship")
    ap.add_argument("--backend", default="native", choices=["auto", "interpreter", "native"],
                    help="both sides (default native; with auto the batch picks native code for 100 or more "
                         "jobs at once while a Python model starts interpreted)")
    ap.add_argument("--output", default="csv", choices=["csv", "memory"])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--python-process", action="store_true",
                    help="run the Python loop as a script in a new interpreter (its start and `import axisim` "
                         "timed, as the batch's process start is)")
    ap.add_argument("--parts", action="store_true", help="also time the pieces of one scan per side")
    ap.add_argument("--cli", default=str(ROOT / "build" / "cli" / "axisim"))
    a = ap.parse_args()
    model, param, lo, hi, (end, steps), select = MODELS[a.model]
    work = pathlib.Path(tempfile.mkdtemp(prefix="axisim-pybench-", dir=os.environ.get("TMPDIR")))
    try:
        jobs = work / "scan.toml"
        jobs.write_text(
            f'[defaults]\nmodel = "{model}"\nsimulation = {{ end = {end}, steps = {steps} }}\n'
            f'select = [{", ".join(repr(s).replace(chr(39), chr(34)) for s in select)}]\n\n'
            f'[[scan]]\nid = "scan"\ngrid = {{ {param} = {{ from = {lo}, to = {hi}, n = {a.runs} }} }}\n')
        out = work / "batch"
        dest = work / "py"

        def clean(path):
            shutil.rmtree(path, ignore_errors=True)
            os.sync()

        def batch_scan():
            """(wall seconds, CPU seconds: the process's user + system time)"""
            clean(out)
            t = time.perf_counter()
            proc = subprocess.Popen([a.cli, "batch", str(jobs), "-o", str(out), "-j", "1", "--no-progress",
                                     "--quiet", "--backend", a.backend])
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                raise RuntimeError(f"axisim batch failed ({proc.returncode})")
            return wall, usage.ru_utime + usage.ru_stime

        def python_process_scan(values):
            """The loop as a script: a new interpreter, `import axisim` and the loop, timed as the batch is."""
            clean(dest)
            dest.mkdir()
            t = time.perf_counter()
            proc = subprocess.Popen([sys.executable, str(script), str(values_file)])
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t
            if os.waitstatus_to_exitcode(status) != 0:
                raise RuntimeError("the Python scan script failed")
            return wall, usage.ru_utime + usage.ru_stime

        def python_scan(values):
            if a.python_process:
                return python_process_scan(values)
            clean(dest)
            dest.mkdir()
            kept = []
            t, c = time.perf_counter(), time.process_time()
            m = axisim.load(str(model), backend=a.backend)
            for job, v in values:
                m[param] = v
                r = m.simulate(0, end, steps=steps, selections=select)
                if a.output == "csv":
                    r.to_csv(str(dest / f"{job}.csv"))
                else:
                    kept.append(r.to_numpy())
            return time.perf_counter() - t, time.process_time() - c

        # A first batch gives the values (and warms the native-code cache and the page cache).
        batch_scan()
        with open(out / "manifest.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        values = [(r["job"], float(r["overrides"].split("=", 1)[1])) for r in rows]
        assert len(values) == a.runs
        values_file = work / "values.json"
        values_file.write_text(json.dumps(values))
        script = work / "scan.py"
        script.write_text(
            "import json, sys\nimport axisim\n"
            f"m = axisim.load({str(model)!r}, backend={a.backend!r})\n"
            "for job, v in json.load(open(sys.argv[1])):\n"
            f"    m[{param!r}] = v\n"
            f"    r = m.simulate(0, {end}, steps={steps}, selections={select!r})\n"
            + (f"    r.to_csv({str(dest)!r} + '/' + job + '.csv')\n" if a.output == "csv" else "    r.to_numpy()\n"))
        python_scan(values)
        if a.output == "csv":  # the same numbers: every Python result file is the batch's, byte for byte
            same = all((dest / f"{job}.csv").read_bytes() == (out / "results" / f"{job}.csv").read_bytes()
                       for job, _ in values)
            if not same:
                print("the Python loop's files differ from the batch's", file=sys.stderr)
                return 1

        rng = random.Random(a.seed)
        times = {k: [] for k in ("B", "B'", "P")}  # (wall, cpu) per round
        for i in range(a.rounds):
            order = list(times)
            rng.shuffle(order)
            t = {k: batch_scan() if k != "P" else python_scan(values) for k in order}
            for k in times:
                times[k].append(t[k])
            print(f"  round {i + 1:2d} ({' '.join(order):8s}) wall: B {t['B'][0]:6.3f}  B' {t[chr(66) + chr(39)][0]:6.3f}  "
                  f"P {t['P'][0]:6.3f} s;  CPU: B {t['B'][1]:6.3f}  B' {t[chr(66) + chr(39)][1]:6.3f}  "
                  f"P {t['P'][1]:6.3f} s", flush=True)

        print(f"model {a.model} ({model.name}), {a.runs} runs per scan, backend {a.backend}, output {a.output}, "
              f"Python {'as a script (new interpreter)' if a.python_process else 'loop in this process'}, {a.rounds} rounds, load average {os.getloadavg()[0]:.1f} at the end")
        for n, what in ((0, "wall time"), (1, "CPU time (user + system)")):
            b = [x[n] for x in times["B"] + times["B'"]]
            py = [x[n] for x in times["P"]]
            ratio = [p[n] / b_[n] for p, b_ in zip(times["P"], times["B"])]
            control = [c[n] / b_[n] for c, b_ in zip(times["B'"], times["B"])]
            q, c = median_interval(ratio), median_interval(control)
            print(f"  {what}:")
            print(f"    batch -j 1 scan  median {statistics.median(b):.3f} s, range {min(b):.3f}-{max(b):.3f} s "
                  f"({max(b) / min(b):.2f}x)")
            print(f"    Python scan      median {statistics.median(py):.3f} s, range {min(py):.3f}-{max(py):.3f} s")
            print(f"    Python / batch   median {q[0]:.3f} (95% interval {q[1]:.3f}-{q[2]:.3f})  {100 * (q[0] - 1):+.1f}%")
            print(f"    control B' / B   median {c[0]:.3f} (95% interval {c[1]:.3f}-{c[2]:.3f})  {100 * (c[0] - 1):+.1f}%")

        if a.parts:
            parts(a, model, param, end, steps, select, values, jobs, out, dest, batch_scan)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def parts(a, model, param, end, steps, select, values, jobs, out, dest, batch_scan):
    """Per-run medians of the pieces of each side's scan."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir()
    os.sync()
    m = axisim.load(str(model), backend=a.backend)
    pieces = {k: [] for k in ("set value", "simulate (call)", "  integration", "CSV text", "CSV file written")}
    for job, v in values:
        t0 = time.perf_counter()
        m[param] = v
        t1 = time.perf_counter()
        r = m.simulate(0, end, steps=steps, selections=select)
        t2 = time.perf_counter()
        r.csv()
        t3 = time.perf_counter()
        r.to_csv(str(dest / f"{job}.csv"))
        t4 = time.perf_counter()
        for k, d in zip(pieces, (t1 - t0, t2 - t1, r.stats.integration_seconds, t3 - t2, t4 - t3)):
            pieces[k].append(d)
    print("  Python loop, per run (median / mean, microseconds):")
    for k, d in pieces.items():
        print(f"    {k:18s} {1e6 * statistics.median(d):8.1f} / {1e6 * statistics.mean(d):8.1f}")
    total = batch_scan()[0]
    with open(out / "summary.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    wall = [float(r["wall_s"]) for r in rows]
    integ = [float(r["integration_s"]) for r in rows]
    print("  batch, per job from its summary.csv (median / mean, microseconds):")
    print(f"    {'job (wall)':18s} {1e6 * statistics.median(wall):8.1f} / {1e6 * statistics.mean(wall):8.1f}")
    print(f"    {'  integration':18s} {1e6 * statistics.median(integ):8.1f} / {1e6 * statistics.mean(integ):8.1f}")
    print(f"    whole batch {total:.3f} s, of which outside the jobs' wall time (process, load, files written "
          f"after each job's clock, summary) {total - sum(wall):.3f} s")


if __name__ == "__main__":
    sys.exit(main())
