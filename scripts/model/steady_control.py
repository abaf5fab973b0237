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


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main():
    axisim = sys.argv[1]
    model = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "sbml-models/gut_liver_igf1.xml")
    doc = Path(sys.argv[3]) if len(sys.argv) > 3 else ROOT / "docs/model.md"

    sens = list(csv.DictReader(io.StringIO(run([axisim, "steady", model, "--wrt", "all", "--select",
                                                  ",".join(OUTPUTS), "--quiet"]))))
    steady = {r["output"]: float(r["steady_value"]) for r in sens}
    table = {}
    for r in sens:
        table.setdefault(r["parameter"], {"value": float(r["parameter_value"])})[r["output"]] = float(r["scaled_sensitivity"])
    rows = [(p, t) for p, t in table.items() if any(abs(t[o]) >= SHOWN for o in OUTPUTS)]
    rows.sort(key=lambda pt: -abs(pt[1]["IGF1_total"]))

    mca = list(csv.DictReader(io.StringIO(run([axisim, "mca", model, "--csv", "--quiet"]))))
    control = [(r["column"], float(r["value"])) for r in mca
               if r["quantity"] == "scaled_concentration_control" and r["row"] == "IGF_f"]
    control = [c for c in control if abs(c[1]) >= SHOWN]
    control.sort(key=lambda c: -abs(c[1]))
    theorems = {r["row"]: float(r["value"]) for r in mca if r["quantity"] == "theorem"}

    out = []
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
    out.append("Scaled concentration control coefficients of free IGF-1 (`IGF_f`) by reaction, d ln IGF_f / d ln v_j "
               f"(`axisim mca`), |C| ≥ {SHOWN}:")
    out.append("")
    out.append("| reaction | C |")
    out.append("|---|---|")
    for rx, c in control:
        out.append(f"| `{rx}` | {c:+.3f} |")
    out.append("")
    out.append(f"Summation theorems hold to {max(theorems['flux_summation'], theorems['concentration_summation']):.0e}; "
               f"the connectivity theorems do not ({theorems['flux_connectivity']:.2f}, "
               f"{theorems['concentration_connectivity']:.2f}), as expected: `Xmic`, `S_liv` and `GH_signal` are "
               "rate-rule states that no reaction changes, so the Jacobian is not N E L (docs/analyses.md).")

    text = doc.read_text()
    begin, end = "<!-- BEGIN STEADY CONTROL -->", "<!-- END STEADY CONTROL -->"
    if begin not in text:
        raise SystemExit(f"{doc} has no {begin} marker")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    doc.write_text(head + begin + "\n" + "\n".join(out) + "\n" + end + tail)
    print(f"steady_control: {doc} updated ({len(rows)} parameters, {len(control)} reactions)", file=sys.stderr)


if __name__ == "__main__":
    main()
