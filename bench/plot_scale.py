#!/usr/bin/env python3
"""bench/plot_scale.py — simulation time against model size, log-log, from scale_bench's JSON.

    python3 bench/plot_scale.py                                   # bench/results/scale.json -> docs/plots/performance_scale.svg
    python3 bench/plot_scale.py RESULT.json OUT.svg [TITLE]      # OUT.png: a PNG instead

One line per configuration that ran at two sizes or more: axisim before (interpreter, dense,
difference quotients), after (all Auto; Native), the interpreter with the sparse analytic
Jacobian, and the hand-written reference (KLU with the analytic Jacobian; dense with difference
quotients). Medians, in seconds, against the number of reactions. Needs gnuplot (gnuplot-nox).
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERIES = [  # (configuration, legend, gnuplot style)
    ("before", "axisim before: interpreter, dense LU, difference quotients", "lc rgb '#c0392b' pt 7"),
    ("after", "axisim after: all Auto", "lc rgb '#1e8449' pt 5"),
    ("after-native", "axisim after: native code, sparse, analytic", "lc rgb '#27ae60' pt 4 dt 2"),
    ("sparse-analytic", "axisim interpreter, sparse, analytic", "lc rgb '#7d3c98' pt 6 dt 3"),
    ("hw-klu", "hand-written C++: KLU, analytic Jacobian", "lc rgb '#1f4e79' pt 9"),
    ("hw-dense", "hand-written C++: dense LU, difference quotients", "lc rgb '#5d6d7e' pt 8 dt 2"),
]


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bench", "results", "scale.json")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "plots", "performance_scale.svg")
    with open(src) as f:
        data = json.load(f)
    settings = data["settings"]
    topology = ("modules of %d species" % settings["module_size"]) if settings.get("module_size", 0) > 0 \
        else "uniform random network"
    title = sys.argv[3] if len(sys.argv) > 3 else \
        "Simulation 0-%g, %d outputs, atol %g, rtol %g\\n(generated network, %s)" % (
            settings["end"], settings["steps"], settings["atol"], settings["rtol"], topology)

    blocks, plots = [], []
    for name, legend, style in SERIES:
        points = []
        for size in data["sizes"]:
            res = size["result"]
            for c in res["configurations"]:
                if c["name"] == name and "simulate" in c and c["simulate"]["samples"] > 0:
                    points.append((res["reactions"], c["simulate"]["median_s"]))
        if len(points) < 2:
            continue
        block = "$%s" % name.replace("-", "_")
        blocks.append("%s << EOD\n%s\nEOD" % (block, "\n".join("%d %.6g" % p for p in points)))
        plots.append("%s using 1:2 with linespoints lw 2 %s title '%s'" % (block, style, legend))
    if not plots:
        sys.exit("plot_scale.py: no configuration ran at two sizes or more in " + src)

    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    script = "\n".join(blocks + [
        ("set terminal pngcairo size 900,620 font 'Helvetica,11'" if out.endswith(".png") else
         "set terminal svg size 900,620 dynamic font 'Helvetica,13' background rgb 'white'"),
        "set output '%s'" % out.replace("'", "''"),
        "set title \"%s\" font ',13'" % title.replace('"', "'"),
        "set logscale xy",
        "set xlabel 'reactions (about 3.3 per species)'",
        "set ylabel 'simulation time (s, median)'",
        "set format y '10^{%L}'",
        "set grid xtics ytics mxtics mytics lc rgb '#dddddd'",
        "set key top left box opaque samplen 3 font ',11'",
        "set xrange [100:15000]",
        "plot " + ", \\\n     ".join(plots),
    ]) + "\n"
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print("plot_scale.py: wrote " + out)


if __name__ == "__main__":
    main()
