#!/usr/bin/env python3
"""Compares two engines' SBML Test Suite timings (bench/suite_timing.sh writes the input).

usage: suite_timing_compare.py DIR BASE_LABEL

DIR holds base.R.tsv and new.R.tsv for rounds R (case, load ms, simulate ms, status). A case's
time is its fastest round. Prints the distribution of new/base for load, simulate and their sum,
the cases more than 10 % slower, and the slowest of them; the issue's criterion is on the sum
(what one run of a case costs).
"""
import glob
import os
import statistics
import sys


def read(dir_, who):
    best = {}
    failed = {}
    for path in sorted(glob.glob(os.path.join(dir_, f"{who}.*.tsv"))):
        with open(path) as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) < 4:
                    continue
                case, load, sim, status = fields[0], fields[1], fields[2], fields[3]
                if status != "ok":
                    failed[case] = status
                    continue
                t = (float(load), float(sim))
                old = best.get(case)
                best[case] = t if old is None else (min(old[0], t[0]), min(old[1], t[1]))
    return best, failed


def quantiles(xs):
    xs = sorted(xs)
    pick = lambda q: xs[min(len(xs) - 1, int(q * (len(xs) - 1) + 0.5))]
    return f"median {pick(0.5):.2f}, p90 {pick(0.9):.2f}, p99 {pick(0.99):.2f}, max {xs[-1]:.2f}"


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    dir_, label = sys.argv[1], sys.argv[2]
    base, base_failed = read(dir_, "base")
    new, new_failed = read(dir_, "new")
    common = sorted(set(base) & set(new))
    if not common:
        print("no case ran under both engines", file=sys.stderr)
        return 1
    print(f"cases timed under both: {len(common)}; failed to load or run: base {len(base_failed)}, new {len(new_failed)}")
    only_new_fails = sorted(set(new_failed) - set(base_failed))
    if only_new_fails:
        print(f"  failing now but not in {label}: {', '.join(only_new_fails[:20])}")
    load_r = [new[c][0] / base[c][0] for c in common]
    sim_r = [new[c][1] / base[c][1] for c in common]
    tot_r = [(new[c][0] + new[c][1]) / (base[c][0] + base[c][1]) for c in common]
    print(f"new / {label}, per case:")
    print(f"  load:           {quantiles(load_r)}")
    print(f"  simulate:       {quantiles(sim_r)}")
    print(f"  load+simulate:  {quantiles(tot_r)}")
    tb = sum(base[c][0] + base[c][1] for c in common)
    tn = sum(new[c][0] + new[c][1] for c in common)
    print(f"  all cases together: {label} {tb / 1e3:.2f} s, new {tn / 1e3:.2f} s (ratio {tn / tb:.2f})")
    slower = [(r, c) for r, c in zip(tot_r, common) if r > 1.10]
    print(f"cases more than 10 % slower (load+simulate): {len(slower)} of {len(common)}")
    for r, c in sorted(slower, reverse=True)[:25]:
        b, n = base[c], new[c]
        print(f"  {c}: {r:.2f}x  load {b[0]:.3f} -> {n[0]:.3f} ms, simulate {b[1]:.3f} -> {n[1]:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
