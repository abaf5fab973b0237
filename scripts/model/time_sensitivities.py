#!/usr/bin/env python3
"""Time-course sensitivities of serum IGF-1 in the flagship model, as the table of docs/model.md.

Runs `axisim sensitivities` (forward sensitivities with CVODES, docs/analyses.md) on the fibre
intervention (inulin 20 g/day from day 14 to day 56, sbml-models/scenarios/fibre_intervention.toml)
and rewrites docs/model.md between <!-- BEGIN TIME SENSITIVITY --> and <!-- END TIME SENSITIVITY -->
with the scaled sensitivities d ln IGF1_total / d ln p at chosen days.

Usage: python3 scripts/model/time_sensitivities.py AXISIM [MODEL] [DOC]
"""
import csv
import io
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARAMETERS = ["GH_basal", "IGF1_prod_ref", "k_ternary", "BP3_prod_ref", "k_binary", "oBP_prod", "E_SCFA",
              "liver_share", "K_SCFA", "tau_S", "k_ferm", "fibre_intake", "intervention_fibre", "intervention_start_h"]
SETTINGS = ["intervention_fibre=20", "intervention_start_h=336", "intervention_end_h=1344"]
DAYS = [7, 15, 21, 35, 55, 63, 90]


def main():
    axisim = sys.argv[1]
    model = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "sbml-models/gut_liver_igf1.xml")
    doc = Path(sys.argv[3]) if len(sys.argv) > 3 else ROOT / "docs/model.md"
    sets = [a for s in SETTINGS for a in ("--set", s)]
    command = [axisim, "sensitivities", model, *sets, "--wrt", ",".join(PARAMETERS), "--select", "IGF1_total",
               "--end", "2160", "--steps", "90", "--scaled", "--quiet"]
    started = time.monotonic()
    rows = list(csv.DictReader(io.StringIO(subprocess.run(command, check=True, capture_output=True, text=True).stdout)))
    seconds = time.monotonic() - started
    values = subprocess.run([axisim, "simulate", model, *sets, "--select", "IGF1_total", "--end", "2160", "--steps",
                             "90", "--quiet"], check=True, capture_output=True, text=True).stdout
    igf = {round(float(r["time"]) / 24): float(r["IGF1_total"]) for r in csv.DictReader(io.StringIO(values))}
    table = {}
    for r in rows:
        day = round(float(r["time"]) / 24)
        if day in DAYS:
            table.setdefault(r["parameter"], {})[day] = float(r["value"])

    shown = " ".join(a if " " not in a else f"'{a}'" for a in command[2:] if a != "--quiet")
    out = ["Inulin 20 g/day from day 14 to day 56 (the `fibre_intervention` scenario), then washout. Scaled "
           "sensitivities d ln(total IGF-1) / d ln p along the time course (forward sensitivities, CVODES; "
           f"{len(PARAMETERS)} parameters in {seconds:.1f} s wall, loaded machine), from",
           "",
           "```sh",
           f"build/cli/axisim sensitivities {shown.replace(str(ROOT) + '/', '')}",
           "```",
           "",
           "| parameter | " + " | ".join(f"day {d}" for d in DAYS) + " |",
           "|---|" + "---|" * len(DAYS),
           "| total IGF-1 (ng/mL) | " + " | ".join(f"{igf[d]:.1f}" for d in DAYS) + " |"]
    for p in PARAMETERS:
        out.append(f"| `{p}` | " + " | ".join(f"{table[p][d]:+.3f}" for d in DAYS) + " |")
    text = doc.read_text()
    begin, end = "<!-- BEGIN TIME SENSITIVITY -->", "<!-- END TIME SENSITIVITY -->"
    if begin not in text:
        raise SystemExit(f"{doc} has no {begin} marker")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    doc.write_text(head + begin + "\n" + "\n".join(out) + "\n" + end + tail)
    print(f"time_sensitivities: {doc} updated ({len(PARAMETERS)} parameters, {seconds:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
