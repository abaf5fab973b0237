#!/usr/bin/env python3
"""Steady-state control of serum IGF-1 in the flagship model, as the tables of docs/model.md.

Runs `axisim steady --wrt all` (sensitivities of total IGF-1, free IGF-1 and the free fraction to
every parameter, by the implicit function theorem) and `axisim mca` (control coefficients of
free IGF-1 by the model's reactions) and rewrites docs/model.md between
<!-- BEGIN STEADY CONTROL --> and <!-- END STEADY CONTROL -->.

Usage: python3 scripts/model/steady_control.py AXISIM [MODEL] [DOC]
"""
import csv
import io
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = ["IGF1_total", "IGF_f", "IGF1_free_pct"]
SHOWN = 0.01  # rows where some |scaled coefficient| reaches this
TOTAL_PARTS = ["IGF_f", "IGF_BP3", "IGF_BP3_ALS", "IGF_oBP"]  # IGF1_total_nM's assignment rule


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main():
    axisim = sys.argv[1]
    model = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "sbml-models/gut_liver_igf1.xml")
    doc = Path(sys.argv[3]) if len(sys.argv) > 3 else ROOT / "docs/model.md"

    try:
        sens = list(csv.DictReader(io.StringIO(run([axisim, "steady", model, "--wrt", "all", "--select",
                                                      ",".join(OUTPUTS), "--quiet"]))))
    except subprocess.CalledProcessError as e:
        # A model whose steady state has no derivative by some parameter (a conservation law that
        # exists only at its value) is refused: keep the table of the last successful run.
        print(f"steady_control: steady --wrt all failed ({e.stderr.strip()}); keeping the sensitivity table",
              file=sys.stderr)
        sens = None
    if sens is not None:
        steady = {r["output"]: float(r["steady_value"]) for r in sens}
        table = {}
        for r in sens:
            table.setdefault(r["parameter"], {"value": float(r["parameter_value"])})[r["output"]] = float(r["scaled_sensitivity"])
        rows = [(p, t) for p, t in table.items() if any(abs(t[o]) >= SHOWN for o in OUTPUTS)]
        rows.sort(key=lambda pt: -abs(pt[1]["IGF1_total"]))

    mca = list(csv.DictReader(io.StringIO(run([axisim, "mca", model, "--csv", "--quiet"]))))
    conc = {r["row"]: float(r["value"]) for r in mca if r["quantity"] == "concentration"}
    scaled_cs = {}
    for r in mca:
        if r["quantity"] == "scaled_concentration_control":
            scaled_cs.setdefault(r["column"], {})[r["row"]] = float(r["value"])
    # Total IGF-1 is the sum of its forms (one compartment): its scaled coefficient is the
    # concentration-weighted mean of theirs.
    total = sum(conc[x] for x in TOTAL_PARTS)
    control = [(rx, sum(conc[x] * cs[x] for x in TOTAL_PARTS) / total, cs["IGF_f"]) for rx, cs in scaled_cs.items()]
    control = [c for c in control if max(abs(c[1]), abs(c[2])) >= SHOWN]
    control.sort(key=lambda c: -abs(c[1]))
    theorems = {r["row"]: float(r["value"]) for r in mca if r["quantity"] == "theorem"}

    text = doc.read_text()
    begin, end = "<!-- BEGIN STEADY CONTROL -->", "<!-- END STEADY CONTROL -->"
    if begin not in text:
        raise SystemExit(f"{doc} has no {begin} marker")
    out = []
    if sens is None:
        kept = text.split(begin, 1)[1].split(end, 1)[0].strip("\n")
        out.append(kept.split("\nScaled concentration control coefficients")[0].rstrip("\n"))
        out.append("")
    else:
        out.append(f"Baseline steady state (Newton, `axisim steady`): total IGF-1 {steady['IGF1_total']:.1f} ng/mL, free "
                   f"IGF-1 {steady['IGF_f']:.4f} nM ({steady['IGF1_free_pct']:.3f}%). Scaled sensitivities "
                   "d ln y / d ln p from the implicit function theorem (exact derivatives at the steady state, not "
                   f"differences over ±10%), for every parameter with some |coefficient| ≥ {SHOWN}, by total IGF-1:")
        out.append("")
        out.append("| parameter | value | total IGF-1 | free IGF-1 | free % |")
        out.append("|---|---|---|---|---|")
        for p, t in rows:
            out.append(f"| `{p}` | {t['value']:.4g} | {t['IGF1_total']:+.3f} | {t['IGF_f']:+.3f} | {t['IGF1_free_pct']:+.3f} |")
        out.append("")
    out.append("Scaled concentration control coefficients by reaction, d ln x / d ln v_j (`axisim mca "
               "sbml-models/gut_liver_igf1.xml --csv`), of total IGF-1 (the sum of free, binary, ternary and other-IGFBP "
               "IGF-1, " + " + ".join(f"`{x}`" for x in TOTAL_PARTS) + ": their coefficients weighted by their "
               f"concentrations) and of free IGF-1 (`IGF_f`), where either reaches |C| ≥ {SHOWN}:")
    out.append("")
    out.append("| reaction | total IGF-1 | free IGF-1 |")
    out.append("|---|---|---|")
    for rx, c_total, c_free in control:
        out.append(f"| `{rx}` | {c_total:+.3f} | {c_free:+.3f} |")
    out.append("")
    out.append(f"Summation theorems hold to {max(theorems['flux_summation'], theorems['concentration_summation']):.0e}, "
               f"the connectivity theorems to {max(theorems['flux_connectivity'], theorems['concentration_connectivity']):.0e} "
               "in their general form: `Xmic`, `S_liv` and `GH_signal` are rate-rule states that no reaction changes, "
               "so their rates count as processes of their own (docs/analyses.md).")

    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    doc.write_text(head + begin + "\n" + "\n".join(out) + "\n" + end + tail)
    print(f"steady_control: {doc} updated ({len(control)} reactions)", file=sys.stderr)


if __name__ == "__main__":
    main()
