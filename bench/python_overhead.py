#!/usr/bin/env python3
"""The cost of driving axisim from Python: a 1,000-run parameter scan run by `axisim batch` on one
thread against the same scan as a Python loop over Model.simulate (docs/performance.md, "The
Python module's overhead"). A measurement, not a test.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_overhead.py [--runs 1000] [--model flagship|enzyme]
                                                                    [--backend auto|interpreter|native]

Both sides run the same jobs with the same settings: the batch's job file is a [[scan]] of one
parameter; the Python loop reads the scan's values back from the batch's manifest.csv (so the
values are the batch's to the bit) and sets them on one loaded model. The Python side is timed
twice: keeping the results in memory (numpy views, no copies), and writing each result's CSV as
the batch does. Each figure is wall time of the whole scan, load included; the best of --repeat.
"""
import argparse
import csv
import os
import pathlib
import shutil
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--model", choices=sorted(MODELS), default="flagship")
    ap.add_argument("--backend", default="auto", choices=["auto", "interpreter", "native"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cli", default=str(ROOT / "build" / "cli" / "axisim"))
    a = ap.parse_args()
    model, param, lo, hi, (end, steps), select = MODELS[a.model]
    work = pathlib.Path(tempfile.mkdtemp(prefix="axisim-pybench-"))
    try:
        jobs = work / "scan.toml"
        jobs.write_text(
            f'[defaults]\nmodel = "{model}"\nsimulation = {{ end = {end}, steps = {steps} }}\n'
            f'select = [{", ".join(repr(s).replace(chr(39), chr(34)) for s in select)}]\n\n'
            f'[[scan]]\nid = "scan"\ngrid = {{ {param} = {{ from = {lo}, to = {hi}, n = {a.runs} }} }}\n')
        out = work / "batch"

        def batch_scan():
            shutil.rmtree(out, ignore_errors=True)
            t = time.perf_counter()
            subprocess.run([a.cli, "batch", str(jobs), "-o", str(out), "-j", "1", "--no-progress", "--quiet",
                            "--backend", a.backend], check=True)
            return time.perf_counter() - t

        def python_scan(values, write):
            dest = work / "py"
            shutil.rmtree(dest, ignore_errors=True)
            dest.mkdir()
            t = time.perf_counter()
            m = axisim.load(model, backend=a.backend)
            kept = []
            for job, v in values:
                m[param] = v
                r = m.simulate(0, end, steps=steps, selections=select)
                if write:
                    r.to_csv(str(dest / f"{job}.csv"))
                else:
                    kept.append(r.to_numpy())
            return time.perf_counter() - t

        batch_times = [batch_scan()]
        with open(out / "manifest.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        values = [(r["job"], float(r["overrides"].split("=", 1)[1])) for r in rows]
        assert len(values) == a.runs
        # Interleaved, so that a change in the machine's load falls on every side alike.
        mem, disk = [], []
        for i in range(a.repeat):
            if i > 0:
                batch_times.append(batch_scan())
            mem.append(python_scan(values, False))
            disk.append(python_scan(values, True))
        # The same numbers: every Python result file is the batch's, byte for byte.
        same = all((work / "py" / f"{job}.csv").read_bytes() == (out / "results" / f"{job}.csv").read_bytes()
                   for job, _ in values)
        b, pm, pd = min(batch_times), min(mem), min(disk)
        print(f"model {a.model} ({model.name}), {a.runs} runs, backend {a.backend}, best of {a.repeat}")
        print(f"  axisim batch -j 1                 {b:8.2f} s   ({1e3 * b / a.runs:.2f} ms/run)")
        print(f"  Python loop, results in memory    {pm:8.2f} s   ({1e3 * pm / a.runs:.2f} ms/run)  "
              f"{100 * (pm / b - 1):+.1f}% vs batch")
        print(f"  Python loop, writing each CSV     {pd:8.2f} s   ({1e3 * pd / a.runs:.2f} ms/run)  "
              f"{100 * (pd / b - 1):+.1f}% vs batch")
        print(f"  results identical to the batch's: {'yes' if same else 'NO'}")
        return 0 if same else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
