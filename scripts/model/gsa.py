#!/usr/bin/python3
"""Global sensitivity and a virtual population for the flagship model under the fibre intervention.

Everything runs through `axisim batch` with its Sobol-sequence designs (docs/batch.md: `sobol`,
`saltelli`); this script writes the job file, runs the batch, and post-processes reduced.csv (or
the time courses) with the Python standard library only. Three steps, one command each, seeded:

    python3 scripts/model/gsa.py morris build/cli/axisim    # screening: Morris mu* over every ranged parameter
    python3 scripts/model/gsa.py sobol  build/cli/axisim    # Sobol indices of the top-ranked parameters
    python3 scripts/model/gsa.py vpop   build/cli/axisim    # virtual population: filtered by V1-V16, bands

Each writes docs/gsa/<step>.csv (+ a plot, docs/gsa/<step>.svg) and prints its timing. The outputs
are the intervention's effects at day 56 (end of 20 g/day inulin from day 14), each against a
control run with the same parameters and no inulin (a grid axis `intervention_fibre = [0, 20]`, the
same Sobol points at both): serum IGF-1 (% change), free IGF-1 (% change), BMD (percentage points)
and HOMA-IR (% change).

Parameters varied: every constant parameter of the SBML whose notes say ASSUMPTION, except
switches and scenario inputs (`EXCLUDED`), the three hepatic extractions (derived, with a range in
the brief), and the plugins' assumptions (`PLUGIN_RANGES`). Ranges: the brief's where it gives one
(`BRIEF_RANGES`), else the nominal value ÷2 to ×2, log-uniform (an ASSUMPTION: a factor-2
uncertainty on every unmeasured value).

`--smoke` runs a tiny seeded design (a few jobs) and checks the estimators on it; the test command
runs that (tests/model/CMakeLists.txt), not the heavy runs.
"""
import argparse
import csv
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "sbml-models", "gut_liver_igf1.xml")
DOCS = os.path.join(ROOT, "docs", "gsa")

# Switches, scenario inputs, normalisers and readout helpers: not uncertain model properties.
EXCLUDED = {
    "body_weight", "intervention_fibre", "intervention_start_h", "intervention_end_h", "microbiota_capacity",
    "abx_residual", "abx_start_h", "abx_end_h", "k_abx", "r_mic", "supplement_acetate", "supplement_propionate",
    "supplement_butyrate", "supplement_start_h", "supplement_end_h", "gh_step_factor", "gh_step_time_h",
    "hepatic_igf1_synthesis", "nutrition_factor", "E_BP3", "K_BP3", "R_endo_Bu", "SCFA_signal_ref",
    "k_ferm_fast",
    # Oral-dose inputs and kinetics (V11) and butyrate's distribution exchange (V12): no oral dose is given in the
    # fibre scenario, and PS_Bu shapes butyrate only over minutes, so none can change the day-56 effects.
    "oral_dose_acetate", "oral_dose_propionate", "oral_dose_butyrate", "oral_dose_time_h", "oral_dose_duration_h",
    "k_gastric", "k_si", "PS_Bu",
}
# (low, high, log) from the brief (or, marked, from the model's own notes).
BRIEF_RANGES = {
    "k_ferm": (0.0578, 0.1155, True),        # brief R2: fermentation half-time 6-12 h
    "f_epi_Pr": (0.1, 0.3, False),           # brief §3.1: 0.1-0.3
    "f_epi_Ac": (0.1, 0.4, False),           # brief §3.1 start 0.1; model 0.35
    "share_Pr": (0.13, 0.23, False),         # V5: 20 ± 10 points (kept within ±5 so shares stay near 1)
    "share_Bu": (0.15, 0.3, False),          # V5
    "E_SCFA": (0.25, 1.0, False),            # brief §4.4 start value 0.5 (to be fitted to Yan 2016)
    "h_SCFA": (1.0, 3.0, False),
    "f_ferm": (0.5, 0.9, False),             # brief §2: ≈ 0.7 for mixed fibre
    "gamma_adapt": (0.5, 1.5, False),        # issue 16 assumption
    "SCFA_adapt_ref": (85.0, 110.0, False),  # habitual colonic SCFA (V5 range's middle)
    "E_Ac": (0.2, 0.55, False),              # brief R7
    "E_Pr": (0.75, 0.9, False),
    "E_Bu": (0.6, 0.9, False),
    "w_Ac": (0.5, 2.0, True), "w_Pr": (0.5, 2.0, True), "w_Bu": (0.5, 2.0, True),
}
PLUGIN_RANGES = {
    "bone.a_IGF": (0.2, 0.8, True), "bone.K_IGF": (0.5, 2.0, True), "bone.n_IGF": (1.0, 4.0, False),
    "bone.k_L": (0.05, 0.2, True), "bone.kappa": (0.06, 0.24, True),
    "muscle.a_M": (0.125, 0.5, True), "muscle.K_M": (0.75, 3.0, True),
    "metabolic.a_theta": (3.5, 14.0, True), "metabolic.c_U": None, "metabolic.tau": (168.0, 672.0, True),
    "metabolic.EC50_Ac": None, "metabolic.EC50_Pr": None,
    "gut-barrier.a_B": (0.25, 1.0, True), "gut-barrier.a_I": (0.1, 0.4, True), "gut-barrier.d_abx": None,
    "gut-barrier.T_max": (1.2, 2.0, False), "gut-barrier.b_opt": (1.0, 4.0, True), "gut-barrier.b_tox": (6.0, 16.0, True),
}
PLUGINS = ["bone", "muscle", "metabolic", "gut-barrier"]
OUTPUTS = [("IGF1_total", "serum IGF-1", "rel"), ("IGF_f", "free IGF-1", "rel"),
           ("bone.BMD_change_pct", "BMD", "abs"), ("metabolic.HOMA_IR", "HOMA-IR", "rel")]
# Baseline targets checked on each virtual subject's control run (brief V1-V16 that a steady
# state can show; V4's order holds by construction, V8 and V10-V13 are dynamic tests).
FILTER = [("Ac_p", 30, 110, "V1"), ("Pr_p", 1, 10, "V2"), ("Bu_p", 0, 6, "V2"),
          ("Ac_pv", 64, 192, "V3"), ("Pr_pv", 17, 51, "V3"), ("Bu_pv", 9, 27, "V3"),
          ("SCFA_colon_total", 70, 140, "V5"), ("faecal_SCFA_pct", 3, 10, "V6"),
          ("avail_Ac_pct", 26, 46, "V7"), ("avail_Pr_pct", 4, 14, "V7"), ("avail_Bu_pct", 0, 4, "V7"),
          ("gut_release", 17.5, 82.5, "V9"), ("IGF1_total", 150, 250, "V14"), ("IGF1_free_pct", 0.2, 1.5, "V15"),
          ("IGFBP3_total", 3.3, 7.8, "V16")]
BAND_COLUMNS = ["IGF1_total", "IGF_f", "bone.BMD_change_pct", "metabolic.HOMA_IR", "gut-barrier.TEER_pct", "Bu_col",
                "Bu_epi", "muscle.mass_change_pct"]


def model_parameters():
    """(id, nominal) of every constant ASSUMPTION parameter, plus the brief-ranged derived ones."""
    text = open(MODEL).read()
    out = []
    for pid, value, kind in re.findall(
            r'<parameter [^>]*id="([^"]+)"[^>]*value="([^"]+)"[^>]*constant="true">\s*<notes>\s*<body[^>]*>\s*<p>'
            r'(ASSUMPTION|measured|derived)', text):
        if pid in EXCLUDED:
            continue
        if kind == "ASSUMPTION" or pid in BRIEF_RANGES:
            out.append((pid, float(value)))
    return out


def ranged_parameters(spread=2.0):
    """[(id, low, high, log, source)]: the brief's ranges, else nominal / spread .. nominal x spread."""
    rows = []
    for pid, nominal in model_parameters():
        if pid in BRIEF_RANGES:
            lo, hi, lg = BRIEF_RANGES[pid]
            rows.append((pid, lo, hi, lg, "brief/model notes"))
        elif nominal > 0:
            rows.append((pid, nominal / spread, nominal * spread, True, f"assumption: /{spread:g}..x{spread:g}"))
    for pid, rng in PLUGIN_RANGES.items():
        if rng is None:
            rows.append((pid, None, None, True, f"assumption: /{spread:g}..x{spread:g} of the plugin default"))
        else:
            rows.append((pid, rng[0], rng[1], rng[2], "assumption (plugin)"))
    return rows


def plugin_default(axisim, plugin_dir, pid):
    plugin, name = pid.split(".", 1)
    out = subprocess.run([axisim, "plugins", "info", plugin, "--plugin-dir", plugin_dir], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == name and parts[1] == "=":  # "  NAME = VALUE [unit]  text"
            return float(parts[2])
    raise SystemExit(f"gsa: no default for {pid} in `axisim plugins info {plugin}`")


def resolve_ranges(axisim, plugin_dir, spread=2.0):
    rows = []
    for pid, lo, hi, lg, src in ranged_parameters(spread):
        if lo is None:
            v = plugin_default(axisim, plugin_dir, pid)
            lo, hi = v / spread, v * spread
        rows.append((pid, lo, hi, lg, src))
    return rows


def toml_key(pid):
    return f'"{pid}"' if "." in pid or "-" in pid else pid


def job_file(path, scan_id, params, samples, seed, saltelli, select, end, steps, output):
    lines = [
        f'description = "issue 16: {scan_id}, written by scripts/model/gsa.py"',
        "[[scan]]",
        f'id = "{scan_id}"',
        f'model = "{MODEL}"',
        "plugins = { " + ", ".join(f"{toml_key(p)} = {{}}" for p in PLUGINS) + " }",
        f"simulation = {{ end = {end}, steps = {steps} }}",
        "set = { intervention_start_h = 336, intervention_end_h = 1344 }",
        "select = [" + ", ".join(f'"{c}"' for c in select) + "]",
        f'output = "{output}"',
        f"samples = {samples}",
        f"seed = {seed}",
        f"saltelli = {'true' if saltelli else 'false'}",
        "grid = { intervention_fibre = [0, 20] }",
        "[scan.sobol]",
    ]
    for pid, lo, hi, lg, _ in params:
        lines.append(f"{toml_key(pid)} = {{ low = {lo!r}, high = {hi!r}, log = {'true' if lg else 'false'} }}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def run_batch(axisim, jobs, outdir, threads, plugin_dir):
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    t0 = time.time()
    subprocess.run([axisim, "batch", jobs, "-o", outdir, "-j", str(threads), "--plugin-dir", plugin_dir,
                    "--no-progress"], check=True)
    return time.time() - t0


def read_reduced(outdir):
    with open(os.path.join(outdir, "reduced.csv")) as f:
        rows = list(csv.DictReader(f))
    if any(not r.get("IGF1_total") for r in rows):
        raise SystemExit("gsa: some jobs failed; see " + os.path.join(outdir, "summary.csv"))
    return [{k: float(v) for k, v in r.items() if k != "job"} for r in rows]


def effect(control, treated, kind):
    return 100.0 * (treated / control - 1.0) if kind == "rel" else treated - control


def unit(value, lo, hi, lg):
    return (math.log(value / lo) / math.log(hi / lo)) if lg else (value - lo) / (hi - lo)


def effects_by_row(rows, half):
    """Job rows are [control block | treated block] (grid outermost): effect per design row."""
    return {col: [effect(rows[i][col], rows[half + i][col], kind) for i in range(half)] for col, _, kind in OUTPUTS}


def radial_indices(y, values, params, n):
    """From the saltelli rows (per point: A, AB_1..AB_d, B): Morris mu*, sigma (elementary effects
    per unit of the parameter's range, Campolongo 2011), first-order S (Saltelli 2010) and total ST
    (Jansen 1999) indices."""
    d = len(params)
    blk = d + 2
    fa = [y[s * blk] for s in range(n)]
    fb = [y[s * blk + d + 1] for s in range(n)]
    allv = fa + fb
    mean = sum(allv) / len(allv)
    var = sum((v - mean) ** 2 for v in allv) / (len(allv) - 1)
    out = []
    for i, (pid, lo, hi, lg, _) in enumerate(params):
        ee, s1, st = [], 0.0, 0.0
        for s in range(n):
            a, ab, b = fa[s], y[s * blk + 1 + i], fb[s]
            du = unit(values[s * blk + 1 + i][pid], lo, hi, lg) - unit(values[s * blk][pid], lo, hi, lg)
            if du != 0:
                ee.append((ab - a) / du)
            s1 += (b - mean) * (ab - a)  # centred: the same expectation, far less noise
            st += (a - ab) ** 2
        mu_star = sum(abs(e) for e in ee) / len(ee)
        mu = sum(ee) / len(ee)
        sigma = math.sqrt(sum((e - mu) ** 2 for e in ee) / max(1, len(ee) - 1))
        out.append({"id": pid, "mu_star": mu_star, "mu": mu, "sigma": sigma,
                    "S1": s1 / n / var if var > 0 else float("nan"),
                    "ST": st / (2 * n) / var if var > 0 else float("nan")})
    return out, var


def bootstrap_ci(y, values, params, n, seed, reps=200):
    """95% bootstrap intervals of S1 and ST (resampling Sobol points, seeded)."""
    rng = random.Random(seed)
    d = len(params)
    blk = d + 2
    samples = {p[0]: ([], []) for p in params}
    for _ in range(reps):
        pick = [rng.randrange(n) for _ in range(n)]
        yy = [y[s * blk + k] for s in pick for k in range(blk)]
        vv = [values[s * blk + k] for s in pick for k in range(blk)]
        res, _ = radial_indices(yy, vv, params, n)
        for r in res:
            samples[r["id"]][0].append(r["S1"])
            samples[r["id"]][1].append(r["ST"])
    ci = {}
    for pid, (a, b) in samples.items():
        a.sort()
        b.sort()
        ci[pid] = (a[int(0.025 * reps)], a[int(0.975 * reps) - 1], b[int(0.025 * reps)], b[int(0.975 * reps) - 1])
    return ci


def design_values(axisim, jobs):
    """The parameter values of each job, from `axisim batch --list` (the design itself)."""
    out = subprocess.run([axisim, "batch", jobs, "-o", os.devnull, "--list"], capture_output=True, text=True,
                         check=True).stdout.splitlines()[1:]
    vals = []
    for line in out:
        _, overrides = line.split(",", 1)
        vals.append({k: float(v) for k, v in (kv.split("=", 1) for kv in overrides.split(";") if kv)})
    return vals


def plot_bars(csv_path, svg_path, title, columns, ylabel, top):
    """Horizontal-ish bar chart (gnuplot histogram) of the first `top` rows of csv_path."""
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))[:top]
    data = svg_path + ".dat"
    with open(data, "w") as f:
        f.write("id " + " ".join(c for c, _ in columns) + "\n")
        for r in rows:
            f.write(r["id"].replace("_", "\\\\_") + " " + " ".join(r[c] for c, _ in columns) + "\n")
    script = f"""set terminal svg size 1000,520 dynamic font "sans,11"
set output "{svg_path}"
set title "{title}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -40 font ",9"
set ylabel "{ylabel}"
set grid ytics
set key top right
plot """ + ", ".join(f'"{data}" using {i + 2}:xtic(1) title "{label}"' for i, (_, label) in enumerate(columns))
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.remove(data)


def step_morris(args, params):
    jobs = os.path.join(args.work, "morris.toml")
    select = [c for c, _, _ in OUTPUTS]
    job_file(jobs, "morris", params, args.samples, args.seed, True, select, 1344, 4, "final")
    values = design_values(args.axisim, jobs)
    wall = run_batch(args.axisim, jobs, os.path.join(args.work, "morris"), args.jobs, args.plugin_dir)
    rows = read_reduced(os.path.join(args.work, "morris"))
    half = len(rows) // 2
    eff = effects_by_row(rows, half)
    results = {}
    for col, _, _ in OUTPUTS:
        res, _ = radial_indices(eff[col], values[:half], params, args.samples)
        results[col] = {r["id"]: r for r in res}
    # Rank by the largest mu* relative to each output's largest mu* (scale-free across outputs).
    score = {}
    for col, _, _ in OUTPUTS:
        top = max(r["mu_star"] for r in results[col].values()) or 1.0
        for pid, r in results[col].items():
            score[pid] = max(score.get(pid, 0.0), r["mu_star"] / top)
    order = sorted(score, key=lambda p: -score[p])
    os.makedirs(DOCS, exist_ok=True)
    out = os.path.join(DOCS, "morris.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "low", "high", "log", "score"] + [f"mu_star:{c}" for c, _, _ in OUTPUTS] +
                   [f"sigma:{c}" for c, _, _ in OUTPUTS])
        rng = {p[0]: p for p in params}
        for pid in order:
            p = rng[pid]
            w.writerow([pid, f"{p[1]:.6g}", f"{p[2]:.6g}", int(p[3]), f"{score[pid]:.4f}"] +
                       [f"{results[c][pid]['mu_star']:.6g}" for c, _, _ in OUTPUTS] +
                       [f"{results[c][pid]['sigma']:.6g}" for c, _, _ in OUTPUTS])
    # Plot: normalised mu* (0-1 per output) of the top 15.
    norm = os.path.join(args.work, "morris_norm.csv")
    with open(norm, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id"] + [c for c, _, _ in OUTPUTS])
        for pid in order[:15]:
            w.writerow([pid] + [f"{results[c][pid]['mu_star'] / (max(r['mu_star'] for r in results[c].values()) or 1):.4f}"
                                for c, _, _ in OUTPUTS])
    plot_bars(norm, os.path.join(DOCS, "morris.svg"),
              f"Morris screening ({len(params)} parameters, {args.samples} radial points, seed {args.seed}): mu*, scaled to each output's largest",
              [(c, label) for c, label, _ in OUTPUTS], "mu* / max mu*", 15)
    print(f"gsa morris: {len(params)} parameters, {len(rows)} jobs in {wall:.1f} s wall (-j {args.jobs}); "
          f"top: {', '.join(order[:args.top])}; wrote {os.path.relpath(out, ROOT)}, docs/gsa/morris.svg")
    return order


def step_sobol(args, params):
    with open(os.path.join(DOCS, "morris.csv")) as f:
        ranked = [r["id"] for r in csv.DictReader(f)]
    chosen = [p for pid in ranked[:args.top] for p in params if p[0] == pid]
    jobs = os.path.join(args.work, "sobol.toml")
    select = [c for c, _, _ in OUTPUTS]
    job_file(jobs, "sobol", chosen, args.samples, args.seed, True, select, 1344, 4, "final")
    values = design_values(args.axisim, jobs)
    wall = run_batch(args.axisim, jobs, os.path.join(args.work, "sobol"), args.jobs, args.plugin_dir)
    rows = read_reduced(os.path.join(args.work, "sobol"))
    half = len(rows) // 2
    eff = effects_by_row(rows, half)
    out = os.path.join(DOCS, "sobol.csv")
    table = {}
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["output", "id", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi", "effect_mean", "effect_sd"])
        for col, _, _ in OUTPUTS:
            res, var = radial_indices(eff[col], values[:half], chosen, args.samples)
            ci = bootstrap_ci(eff[col], values[:half], chosen, args.samples, args.seed)
            ys = eff[col]
            m = sum(ys) / len(ys)
            for r in sorted(res, key=lambda r: -r["ST"]):
                lo1, hi1, lot, hit = ci[r["id"]]
                w.writerow([col, r["id"], f"{r['S1']:.4f}", f"{lo1:.4f}", f"{hi1:.4f}", f"{r['ST']:.4f}", f"{lot:.4f}",
                            f"{hit:.4f}", f"{m:.6g}", f"{math.sqrt(var):.6g}"])
            table[col] = {r["id"]: r for r in res}
    st = os.path.join(args.work, "sobol_st.csv")
    with open(st, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id"] + [c for c, _, _ in OUTPUTS])
        for pid, *_ in chosen:
            w.writerow([pid] + [f"{max(0.0, table[c][pid]['ST']):.4f}" for c, _, _ in OUTPUTS])
    plot_bars(st, os.path.join(DOCS, "sobol.svg"),
              f"Total Sobol indices of the intervention's day-56 effects ({len(chosen)} parameters, N = {args.samples}, seed {args.seed})",
              [(c, label) for c, label, _ in OUTPUTS], "total-effect index S_T", len(chosen))
    print(f"gsa sobol: {len(chosen)} parameters, {len(rows)} jobs in {wall:.1f} s wall (-j {args.jobs}); "
          f"wrote {os.path.relpath(out, ROOT)}, docs/gsa/sobol.svg")


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * q
    i = int(math.floor(k))
    j = min(i + 1, len(sorted_values) - 1)
    return sorted_values[i] + (sorted_values[j] - sorted_values[i]) * (k - i)


def step_vpop(args, params, band_path=None, plot=True, nominal_csv=None):
    jobs = os.path.join(args.work, "vpop.toml")
    select = sorted(set(BAND_COLUMNS + [c for c, _, _, _ in FILTER]))
    job_file(jobs, "vpop", params, args.samples, args.seed, False, select, 2160, 90, "full")
    outdir = os.path.join(args.work, "vpop")
    wall = run_batch(args.axisim, jobs, outdir, args.jobs, args.plugin_dir)
    with open(os.path.join(outdir, "summary.csv")) as f:
        status = {r["job"]: r["status"] for r in csv.DictReader(f)}
    ids = sorted(status)
    half = len(ids) // 2
    accepted, reasons = [], {}
    courses = {}
    for i in range(half):
        c_id, t_id = ids[i], ids[half + i]
        if status[c_id] != "ok" or status[t_id] != "ok":
            reasons["failed"] = reasons.get("failed", 0) + 1
            continue
        with open(os.path.join(outdir, "results", c_id + ".csv")) as f:
            control = list(csv.DictReader(f))
        base = {k: float(v) for k, v in control[14].items()}  # day 14: the intervention run's start
        bad = [v for col, lo, hi, v in FILTER if not (lo <= base[col] <= hi)]
        if bad:
            for v in set(bad):
                reasons[v] = reasons.get(v, 0) + 1
            continue
        with open(os.path.join(outdir, "results", t_id + ".csv")) as f:
            treated = list(csv.DictReader(f))
        accepted.append(i)
        courses[i] = (control, treated)
    if not accepted:
        raise SystemExit("gsa vpop: no virtual subject passed the baseline filter; rejections by target: "
                         + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    times = [float(r["time"]) for r in courses[accepted[0]][1]]
    path = band_path or os.path.join(DOCS, "vpop_band.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        # Per column: the intervention arm's levels (5/50/95%), the control arm's median, and the
        # intervention's effect, each subject against its own control (treated - control, 5/50/95%);
        # with --nominal (a CSV of the nominal model without inulin), the nominal course plus the
        # effect's 5% and 95%: the intervention's prediction band around the model's own course.
        nominal = {}
        if nominal_csv:
            with open(nominal_csv) as f:
                for r in csv.DictReader(f):
                    nominal[float(r["time"])] = r
        head = ["time"]
        for col in BAND_COLUMNS:
            head += [f"{col}:p05", f"{col}:p50", f"{col}:p95", f"{col}:ctl_p50", f"{col}:eff_p05", f"{col}:eff_p50",
                     f"{col}:eff_p95"]
            if nominal and col in next(iter(nominal.values())):
                head += [f"{col}:band_lo", f"{col}:band_hi"]
        w.writerow(head)
        for k, t in enumerate(times):
            row = [f"{t:g}"]
            for col in BAND_COLUMNS:
                tr = sorted(float(courses[i][1][k][col]) for i in accepted)
                ct = sorted(float(courses[i][0][k][col]) for i in accepted)
                ef = sorted(float(courses[i][1][k][col]) - float(courses[i][0][k][col]) for i in accepted)
                row += [f"{percentile(tr, 0.05):.6g}", f"{percentile(tr, 0.5):.6g}", f"{percentile(tr, 0.95):.6g}",
                        f"{percentile(ct, 0.5):.6g}", f"{percentile(ef, 0.05):.6g}", f"{percentile(ef, 0.5):.6g}",
                        f"{percentile(ef, 0.95):.6g}"]
                if nominal and col in next(iter(nominal.values())):
                    if t not in nominal:
                        raise SystemExit(f"gsa vpop: {nominal_csv} has no row at t = {t:g}")
                    base = float(nominal[t][col])
                    row += [f"{base + percentile(ef, 0.05):.6g}", f"{base + percentile(ef, 0.95):.6g}"]
            w.writerow(row)
    # The intervention's effect at day 56 per accepted subject (paired with its own control).
    k56 = times.index(1344.0)
    summary = {}
    for col, label, kind in OUTPUTS + [("gut-barrier.TEER_pct", "TEER", "abs")]:
        e = sorted(effect(float(courses[i][0][k56][col]), float(courses[i][1][k56][col]), kind) for i in accepted)
        summary[col] = (percentile(e, 0.05), percentile(e, 0.5), percentile(e, 0.95))
    print(f"gsa vpop: {half} virtual subjects ({len(ids)} jobs) in {wall:.1f} s wall (-j {args.jobs}); "
          f"{len(accepted)} pass V1-V16 ({100 * len(accepted) / half:.0f}%); rejections by target: "
          + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    for col, (lo, mid, hi) in summary.items():
        unit_ = "%" if col != "bone.BMD_change_pct" and col != "gut-barrier.TEER_pct" else " points"
        print(f"  day-56 effect of the intervention on {col}: median {mid:+.3g}{unit_}, 90% band {lo:+.3g} .. {hi:+.3g}{unit_}")
    print(f"  wrote {os.path.relpath(path, ROOT) if path.startswith(ROOT) else path}")
    if plot:
        plot_band(path, os.path.join(DOCS, "vpop.svg"), len(accepted), half, args.seed)
    return summary


def plot_band(band, svg, accepted, total, seed):
    """Per panel: the intervention's effect on each subject against its own control (treated -
    control), 5-95% band and median, over time."""
    panels = [("IGF1_total", "serum IGF-1 (ng/mL)"), ("metabolic.HOMA_IR", "HOMA-IR"),
              ("bone.BMD_change_pct", "BMD (% points)"), ("gut-barrier.TEER_pct", "TEER (% points of baseline)"),
              ("Bu_epi", "colonocyte butyrate (mM)"), ("muscle.mass_change_pct", "muscle mass (% points)")]
    with open(band) as f:
        head = f.readline().strip().split(",")
    col = {h: i + 1 for i, h in enumerate(head)}
    lines = [f'set terminal svg size 1200,900 dynamic font "sans,11"', f'set output "{svg}"',
             'set datafile separator ","', "set key top right box opaque font ',9'",
             f'set multiplot layout 3,2 title "Effect of 20 g/day inulin (days 14-56) against each subject\'s own control: '
             f'virtual population of {accepted} (of {total} drawn; V1-V16 met), seed {seed}"',
             'set xlabel "time (days)"', "set grid"]
    for c, label in panels:
        lines.append(f'set ylabel "change in {label}"')
        lines.append(f'plot "{band}" every ::1 using ($1/24):{col[c + ":eff_p05"]}:{col[c + ":eff_p95"]} with filledcurves '
                     f'fs transparent solid 0.3 lc rgb "#2166ac" title "5-95%", '
                     f'"" every ::1 using ($1/24):{col[c + ":eff_p50"]} with lines lw 2 lc rgb "#2166ac" title "median"')
    lines.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(lines) + "\n", text=True, check=True)


def smoke(args):
    """A tiny seeded run of the whole machinery (tests/model/CMakeLists.txt): 2 Sobol points of a
    4-parameter saltelli design and 4 virtual subjects; checks the estimators' algebra on a known
    function and that the batch outputs have the expected shape."""
    # Estimators on y = 2 u1 + u2 (u uniform on [0,1]): S1 = ST = 0.8 and 0.2, mu* = 2 and 1, 0 for u3.
    params = [("u1", 0.0, 1.0, False, ""), ("u2", 0.0, 1.0, False, ""), ("u3", 0.0, 1.0, False, "")]
    rng = random.Random(1)
    n = 4096
    y, vals = [], []
    for _ in range(n):
        a = [rng.random() for _ in range(3)]
        b = [rng.random() for _ in range(3)]
        rows = [a] + [[b[k] if k == i else a[k] for k in range(3)] for i in range(3)] + [b]
        for r in rows:
            vals.append({"u1": r[0], "u2": r[1], "u3": r[2]})
            y.append(2 * r[0] + r[1])
    res, _ = radial_indices(y, vals, params, n)
    got = {r["id"]: r for r in res}
    checks = [abs(got["u1"]["S1"] - 0.8) < 0.05, abs(got["u2"]["S1"] - 0.2) < 0.05, abs(got["u1"]["ST"] - 0.8) < 0.05,
              abs(got["u3"]["ST"]) < 1e-12, abs(got["u1"]["mu_star"] - 2) < 1e-9, abs(got["u2"]["mu_star"] - 1) < 1e-9]
    if not all(checks):
        raise SystemExit(f"gsa smoke: estimators off on y = 2 u1 + u2: {got}")
    # The batch machinery on the flagship: 2 points x (4 + 2) rows x 2 arms.
    all_params = resolve_ranges(args.axisim, args.plugin_dir)
    few = [p for p in all_params if p[0] in ("k_ferm", "E_SCFA", "bone.a_IGF", "metabolic.a_theta")]
    jobs = os.path.join(args.work, "smoke.toml")
    job_file(jobs, "smoke", few, 2, 1, True, [c for c, _, _ in OUTPUTS], 1344, 4, "final")
    values = design_values(args.axisim, jobs)
    run_batch(args.axisim, jobs, os.path.join(args.work, "smoke"), args.jobs, args.plugin_dir)
    rows = read_reduced(os.path.join(args.work, "smoke"))
    if len(rows) != 24 or len(values) != 24:
        raise SystemExit(f"gsa smoke: expected 24 jobs, got {len(rows)} results and {len(values)} design rows")
    eff = effects_by_row(rows, 12)
    res, _ = radial_indices(eff["IGF1_total"], values[:12], few, 2)
    # Inulin raises serum IGF-1 in every subject (the model's SCFA -> liver path).
    if not all(e > 0 for e in eff["IGF1_total"]):
        raise SystemExit(f"gsa smoke: inulin did not raise IGF-1 in every run: {eff['IGF1_total']}")
    # E_SCFA (the hepatic SCFA gain) acts on the IGF-1 effect; metabolic.a_theta does not (it acts on
    # HOMA-IR only: its elementary effects on IGF-1 are solver noise).
    mu = {r["id"]: r["mu_star"] for r in res}
    if not (mu["E_SCFA"] > 0.1 and mu["metabolic.a_theta"] < 1e-3 * mu["E_SCFA"]):
        raise SystemExit(f"gsa smoke: unexpected elementary effects on IGF-1: {mu}")
    print("gsa smoke: estimators exact on y = 2 u1 + u2; 24 flagship jobs, elementary effects " +
          ", ".join(f"{k} {v:.3g}" for k, v in mu.items()))
    print("1 passed, 0 failed")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("step", choices=["morris", "sobol", "vpop", "smoke", "list"])
    ap.add_argument("axisim", help="the axisim binary (build/cli/axisim)")
    ap.add_argument("--samples", type=int, help="Sobol points (morris 32, sobol 256, vpop 512)")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--top", type=int, default=10, help="parameters carried from Morris to Sobol (10)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "gsa"), help="batch outputs (out/gsa)")
    ap.add_argument("--plugin-dir", default=os.path.join(ROOT, "build", "plugins"))
    ap.add_argument("--spread", type=float, help="factor around the nominal value of an assumption without a range "
                    "in the brief (morris, sobol: 2; vpop: 1.25, so that a useful share of subjects meets V1-V16)")
    ap.add_argument("--nominal", help="vpop: the nominal model's run without inulin (CSV with a time column), for "
                    "band_lo/band_hi: the nominal course plus the effect's 5%% and 95%%")
    ap.add_argument("--band", help="vpop: write the band CSV here instead of docs/gsa/vpop_band.csv (no plot)")
    args = ap.parse_args()
    args.axisim = os.path.abspath(args.axisim)
    os.makedirs(args.work, exist_ok=True)
    t0 = time.time()
    if args.step == "smoke":
        smoke(args)
        return
    args.spread = args.spread or (1.25 if args.step == "vpop" else 2.0)
    params = resolve_ranges(args.axisim, args.plugin_dir, args.spread)
    if args.step == "list":
        for p in params:
            print(f"{p[0]:24s} {p[1]:<12.6g} {p[2]:<12.6g} {'log' if p[3] else 'lin'}  {p[4]}")
        print(f"{len(params)} parameters")
        return
    args.samples = args.samples or {"morris": 32, "sobol": 256, "vpop": 512}[args.step]
    if args.step == "morris":
        step_morris(args, params)
    elif args.step == "sobol":
        step_sobol(args, params)
    else:
        step_vpop(args, params, band_path=args.band, plot=args.band is None, nominal_csv=args.nominal)
    print(f"gsa {args.step}: {time.time() - t0:.1f} s in total (samples {args.samples}, seed {args.seed})")


if __name__ == "__main__":
    main()
