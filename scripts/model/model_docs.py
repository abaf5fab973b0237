#!/usr/bin/python3
"""Helpers for scripts/model/make-docs.sh: the Graphviz diagram, the parameter table and the local
sensitivity table of docs/model.md, all read from sbml-models/gut_liver_igf1.xml.

    model_docs.py dot MODEL > diagram.dot
    model_docs.py tables MODEL AXISIM DOC      # rewrites the marked sections of DOC
"""
import csv, io, re, subprocess, sys
import libsbml

COLOURS = {"colon": "#fff3d6", "colonocyte": "#ffe0c2", "portal": "#e3f0ff", "plasma": "#fde2e2", "isf": "#eef7e8", "liver": "#eeeeee"}


def model_of(path):
    doc = libsbml.readSBMLFromFile(path)
    if doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR):
        sys.exit(f"{path}: cannot read")
    return doc.getModel()


def dot(path):
    m = model_of(path)
    out = ["digraph gut_liver_igf1 {", '  graph [rankdir=LR, fontname="Helvetica", fontsize=10, nodesep=0.15, ranksep=0.35];',
           '  node [fontname="Helvetica", fontsize=9, shape=box, style="rounded,filled", fillcolor=white, height=0.25];',
           '  edge [fontname="Helvetica", fontsize=7, arrowsize=0.5];']
    by_comp = {}
    for s in m.getListOfSpecies():
        by_comp.setdefault(s.getCompartment(), []).append(s.getId())
    for c in m.getListOfCompartments():
        cid = c.getId()
        out.append(f'  subgraph cluster_{cid} {{ label="{cid} ({c.getSize():g} L)"; style=filled; fillcolor="{COLOURS.get(cid, "#ffffff")}";')
        for sid in by_comp.get(cid, []):
            out.append(f'    "{sid}";')
        if cid == "liver":
            out.append('    "S_liv" [shape=ellipse]; "GH_signal" [shape=ellipse];')
        if cid == "colon":
            out.append('    "Xmic" [shape=ellipse];')
        out.append("  }")
    out.append('  "GH" [shape=ellipse, fillcolor="#f5f5f5"];')
    sink = 0
    species = {s.getId() for s in m.getListOfSpecies()}
    for r in m.getListOfReactions():
        rs = [x.getSpecies() for x in r.getListOfReactants()]
        ps = [x.getSpecies() for x in r.getListOfProducts()]
        style = ", dir=both" if r.getReversible() else ""
        if not rs:
            sink += 1
            out.append(f'  "src{sink}" [shape=point, width=0.05, label=""];')
            rs = [f"src{sink}"]
        if not ps:
            sink += 1
            out.append(f'  "snk{sink}" [shape=point, width=0.05, label=""];')
            ps = [f"snk{sink}"]
        for a in rs:
            for b in ps:
                out.append(f'  "{a}" -> "{b}" [label="{r.getId()}"{style}];')
        formula = libsbml.formulaToL3String(r.getKineticLaw().getMath())
        for p in ("Xmic", "S_liv", "GH_signal"):
            if re.search(rf"\b{p}\b", formula) or (p in ("S_liv", "GH_signal") and r.getId() == "IGF1_secretion"):
                out.append(f'  "{p}" -> "{ps[0]}" [style=dashed, color=gray40, arrowhead=odot];')
    # signals through assignment rules
    out.append('  "Ac_pv" -> "S_liv" [style=dashed, color=blue]; "Pr_pv" -> "S_liv" [style=dashed, color=blue]; '
               '"Bu_pv" -> "S_liv" [style=dashed, color=blue, label="portal SCFA signal"];')
    out.append('  "GH" -> "GH_signal" [style=dashed, color=blue]; "GH_signal" -> "BP3_f" [style=dashed, color=gray40, arrowhead=odot]; '
               '"GH_signal" -> "ALS_f" [style=dashed, color=gray40, arrowhead=odot];')
    out.append("}")
    print("\n".join(out))


def simulate(axisim, model, sets, ids, end=3000):
    args = [axisim, "simulate", model, "--end", str(end), "--steps", "1", "--select", ",".join(ids), "--quiet"]
    for k, v in sets.items():
        args += ["--set", f"{k}={v!r}"]
    rows = list(csv.reader(io.StringIO(subprocess.run(args, check=True, capture_output=True, text=True).stdout)))
    return dict(zip(rows[0], map(float, rows[-1])))


SENSITIVITY = ["fibre_intake", "other_substrate", "k_ferm", "k_abs", "f_epi_Ac", "Vmax_Bu_ox", "E_Ac", "E_Pr", "E_Bu",
               "Q_pv", "E_SCFA", "K_SCFA", "w_Ac", "tau_S", "GH_basal", "EC50_GH", "Emax_GH", "IGF1_prod_ref",
               "liver_share", "BP3_prod_ref", "ALS_prod_ref", "oBP_prod", "kon_BP3", "Kd_BP3", "kon_ALS", "Kd_ALS",
               "Kd_ALS_free", "Kd_oBP", "k_IGF_f", "k_binary", "k_ternary", "k_BP3_f", "k_BP3_ALS", "k_ALS", "k_oBP",
               "PS_IGF", "k_isf"]


def tables(path, axisim, doc_path):
    m = model_of(path)
    rows = ["| id | value | units | type | note (source) |", "|---|---|---|---|---|"]
    for p in m.getListOfParameters():
        if not p.getConstant():
            continue
        note = re.sub(r"<[^>]+>", "", p.getNotesString()).strip().replace("|", "/")
        kind = "A" if note.startswith("ASSUMPTION") else ("M" if note.startswith("measured") else "D")
        note = re.sub(r"^(ASSUMPTION|measured|derived): ", "", note)
        rows.append(f"| `{p.getId()}` | {p.getValue():.4g} | {p.getUnits()} | {kind} | {note} |")
    param_table = "\n".join(rows)

    ids = ["IGF1_total"]
    base = simulate(axisim, path, {}, ids)["IGF1_total"]
    gf0 = simulate(axisim, path, {"microbiota_capacity": 0}, ids)["IGF1_total"]
    sens = []
    for pid in SENSITIVITY:
        v = m.getParameter(pid).getValue()
        up = simulate(axisim, path, {pid: v * 1.1}, ids)["IGF1_total"]
        down = simulate(axisim, path, {pid: v * 0.9}, ids)["IGF1_total"]
        coef = (up - down) / base / 0.2  # normalised: d ln IGF / d ln p
        gf_up = 100 * (simulate(axisim, path, {pid: v * 1.1, "microbiota_capacity": 0}, ids)["IGF1_total"] / up - 1)
        gf_down = 100 * (simulate(axisim, path, {pid: v * 0.9, "microbiota_capacity": 0}, ids)["IGF1_total"] / down - 1)
        sens.append((abs(coef) + abs(gf_up - gf_down) / 10, pid, v, down, up, coef, gf_down, gf_up))
    sens.sort(reverse=True)
    srows = [f"Steady state (3000 h) at baseline: serum total IGF-1 {base:.1f} ng/mL; germ-free effect "
             f"{100 * (gf0 / base - 1):+.1f}%. Each parameter alone −10% / +10%; coefficient = (IGF(+10%) − IGF(−10%)) "
             "/ IGF / 0.2 (≈ d ln IGF-1 / d ln p). The last column is the germ-free change in IGF-1 (the microbiota "
             "hypothesis) with the parameter at −10% / +10%.", "",
             "| parameter | value | IGF-1 at −10% / +10% (ng/mL) | coefficient | germ-free effect at −10% / +10% |",
             "|---|---|---|---|---|"]
    for _, pid, v, down, up, coef, gfd, gfu in sens:
        srows.append(f"| `{pid}` | {v:.4g} | {down:.1f} / {up:.1f} | {coef:+.3f} | {gfd:+.1f}% / {gfu:+.1f}% |")
    text = open(doc_path).read()
    for name, body in (("PARAMETERS", param_table), ("SENSITIVITY", "\n".join(srows))):
        text = re.sub(rf"(<!-- BEGIN {name} -->\n)(?:.*?\n)?(<!-- END {name} -->)", lambda mm: mm.group(1) + body + "\n" + mm.group(2),
                      text, flags=re.S)
    open(doc_path, "w").write(text)


if __name__ == "__main__":
    if sys.argv[1] == "dot":
        dot(sys.argv[2])
    elif sys.argv[1] == "tables":
        tables(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
