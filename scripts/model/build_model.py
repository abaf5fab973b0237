#!/usr/bin/python3
"""Writes sbml-models/gut_liver_igf1.xml (SBML Level 3 Version 2) from the tables below.

The SBML file is the model; this script is how it is written, so that every value carries its
units, SBO term, source and M/D/A type (brief conventions: M measured, D derived, A assumption)
in one place. Run with Debian's python3 (libSBML bindings, package python3-sbml5):

    /usr/bin/python3 scripts/model/build_model.py            # writes the model
    /usr/bin/python3 scripts/model/build_model.py --steady AXISIM   # also re-equilibrates the
                                                              # initial state with the axisim CLI

Source of every number: /work/shared/model-brief.md (the "brief"), sections as cited.
"""
import argparse
import csv
import io
import os
import subprocess
import sys

import libsbml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "sbml-models", "gut_liver_igf1.xml")
STATE = os.path.join(ROOT, "scripts", "model", "baseline_state.tsv")

# --------------------------------------------------------------------------------------------
# Units. (kind, exponent, scale, multiplier) tuples; SBML unit = (multiplier*10^scale*kind)^exponent
S, L, MOL, G, DL, KG = (libsbml.UNIT_KIND_SECOND, libsbml.UNIT_KIND_LITRE, libsbml.UNIT_KIND_MOLE,
                        libsbml.UNIT_KIND_GRAM, libsbml.UNIT_KIND_DIMENSIONLESS, libsbml.UNIT_KIND_KILOGRAM)
HOUR = (S, -1, 0, 3600)  # per hour
UNITS = {
    "hour": [(S, 1, 0, 3600)],
    "day": [(S, 1, 0, 86400)],
    "per_hour": [HOUR],
    "hour_per_day": [(S, 1, 0, 3600), (S, -1, 0, 86400)],
    "gram_per_day": [(G, 1, 0, 1), (S, -1, 0, 86400)],
    "gram_per_umol": [(G, 1, 0, 1), (MOL, -1, -6, 1)],
    "mmol": [(MOL, 1, -3, 1)],
    "umol": [(MOL, 1, -6, 1)],
    "nmol": [(MOL, 1, -9, 1)],
    "mmol_per_umol": [(MOL, 1, -3, 1), (MOL, -1, -6, 1)],
    "nmol_per_umol": [(MOL, 1, -9, 1), (MOL, -1, -6, 1)],
    "mM": [(MOL, 1, -3, 1), (L, -1, 0, 1)],
    "uM": [(MOL, 1, -6, 1), (L, -1, 0, 1)],
    "nM": [(MOL, 1, -9, 1), (L, -1, 0, 1)],
    "per_uM": [(MOL, -1, -6, 1), (L, 1, 0, 1)],
    "mmol_per_day": [(MOL, 1, -3, 1), (S, -1, 0, 86400)],
    "umol_per_hour": [(MOL, 1, -6, 1), HOUR],
    "nmol_per_hour": [(MOL, 1, -9, 1), HOUR],
    "litre_per_hour": [(L, 1, 0, 1), HOUR],
    "per_nM_per_hour": [(MOL, -1, -9, 1), (L, 1, 0, 1), HOUR],
    "ng_per_mL": [(G, 1, -9, 1), (L, -1, -3, 1)],
    "ng_per_mL_per_hour": [(G, 1, -9, 1), (L, -1, -3, 1), HOUR],
    "ng_per_mL_per_nM": [(G, 1, -9, 1), (L, -1, -3, 1), (MOL, -1, -9, 1), (L, 1, 0, 1)],
    "mg_per_L": [(G, 1, -3, 1), (L, -1, 0, 1)],
    "mg_per_L_per_nM": [(G, 1, -3, 1), (L, -1, 0, 1), (MOL, -1, -9, 1), (L, 1, 0, 1)],
    "mg_per_nmol": [(G, 1, -3, 1), (MOL, -1, -9, 1)],
    "mg_per_day": [(G, 1, -3, 1), (S, -1, 0, 86400)],
    "umol_per_kg_per_hour": [(MOL, 1, -6, 1), (KG, -1, 0, 1), HOUR],
    "percent": [(DL, 1, 0, 1)],
}

# --------------------------------------------------------------------------------------------
# Compartments: id, size (L), name, type, source (brief §4.1)
COMPARTMENTS = [
    ("colon", 0.5, "colon lumen (proximal-weighted, well mixed)", "A", "brief §4.1"),
    ("colonocyte", 0.05, "colonic epithelium", "A", "brief §4.1"),
    ("portal", 1.0, "portal vein plasma", "A", "brief §4.1 (portal blood ≈ 19% of cardiac output, ICRP 89, verify)"),
    ("liver", 1.5, "liver (site of SCFA extraction and IGF-1, IGFBP-3 and ALS synthesis; holds no species)", "A",
     "brief §4.1 (ICRP 89 reference liver ≈ 1.8 kg, verify)"),
    ("plasma", 3.0, "peripheral plasma", "A", "brief §4.1 (ICRP 89 reference plasma volume, verify)"),
    ("isf", 12.0, "interstitial fluid (IGF-1 exposure of target tissues)", "A", "brief §4.1"),
    ("stomach", 0.5, "stomach lumen (oral SCFA doses, V11)", "A", "issue 16: a drink of 0.25-0.5 L"),
    ("small_intestine", 0.5, "small-intestine lumen (oral SCFA doses, V11)", "A", "issue 16: only its contents' amount matters"),
    ("tissue_Bu", 48.0, "extravascular distribution space of butyrate (V12)", "D",
     "issue 16: Miller 1987's butyrate distribution volume 52 L minus the 4 L of plasma (portal + peripheral) the "
     "model already has; with the measured clearance CL_Bu it gives butyrate's plasma half-life (V12)"),
]

CHEBI = {"Ac": "CHEBI:30089", "Pr": "CHEBI:17272", "Bu": "CHEBI:17968"}
NAMES = {"Ac": "acetate", "Pr": "propionate", "Bu": "butyrate"}
UNIPROT_IGF1, UNIPROT_BP3, UNIPROT_ALS, UNIPROT_GH = "P05019", "P17936", "P35858", "P01241"

# Species: id, compartment, initial, substance units, name, annotations [(qualifier, uri)], source.
# Initial values are the baseline steady state (scripts/model/baseline_state.tsv, written by --steady).
SPECIES = [
    ("Fib", "colon", 7.0, "gram", "fermentable carbohydrate in the colon lumen (amount, g)", [], "A; brief §4.2 #1"),
    ("Fib_fast", "colon", 0, "gram", "rapidly fermentable soluble fibre (inulin, lactulose) in the colon lumen (amount, g)", [], "A; added for the inulin and lactulose interventions (V8, V10)"),
    ("Ac_col", "colon", 60, "mmol", "acetate, colon lumen", [("is", CHEBI["Ac"])], "D; brief §4.2 #3"),
    ("Pr_col", "colon", 15, "mmol", "propionate, colon lumen", [("is", CHEBI["Pr"])], "D; brief §4.2 #4"),
    ("Bu_col", "colon", 20, "mmol", "butyrate, colon lumen", [("is", CHEBI["Bu"])], "D; brief §4.2 #5"),
    ("Bu_epi", "colonocyte", 2, "mmol", "butyrate in colonocytes", [("is", CHEBI["Bu"])], "A; brief §4.2 #6 (1–5 mM)"),
    ("Ac_pv", "portal", 150, "umol", "acetate, portal vein", [("is", CHEBI["Ac"])], "M; Peters 1992 (brief §3.2)"),
    ("Pr_pv", "portal", 35, "umol", "propionate, portal vein", [("is", CHEBI["Pr"])], "M; Peters 1992"),
    ("Bu_pv", "portal", 12, "umol", "butyrate, portal vein", [("is", CHEBI["Bu"])], "M; Peters 1992"),
    ("Ac_p", "plasma", 65, "umol", "acetate, peripheral plasma", [("is", CHEBI["Ac"])], "M; Peters 1992, Pomare 1985"),
    ("Pr_p", "plasma", 4, "umol", "propionate, peripheral plasma", [("is", CHEBI["Pr"])], "M; Peters 1992"),
    ("Bu_p", "plasma", 0.2, "umol", "butyrate, peripheral plasma", [("is", CHEBI["Bu"])], "M; Peters 1992 (traces)"),
    ("IGF_f", "plasma", 0.1, "nmol", "free IGF-1, plasma", [("is", "uniprot:" + UNIPROT_IGF1)], "M; Frystyk 1994"),
    ("BP3_f", "plasma", 10, "nmol", "IGFBP-3 (IGF-I-available pool) carrying no IGF and no ALS",
     [("is", "uniprot:" + UNIPROT_BP3)], "A; brief §4.2 #16"),
    ("ALS_f", "plasma", 150, "nmol", "acid-labile subunit, free", [("is", "uniprot:" + UNIPROT_ALS)], "A; brief §4.2 #17"),
    ("IGF_BP3", "plasma", 2, "nmol", "IGF-1·IGFBP-3 binary complex",
     [("hasPart", "uniprot:" + UNIPROT_IGF1), ("hasPart", "uniprot:" + UNIPROT_BP3)], "D; brief §4.2 #18"),
    ("IGF_BP3_ALS", "plasma", 19, "nmol", "IGF-1·IGFBP-3·ALS ternary complex",
     [("hasPart", "uniprot:" + UNIPROT_IGF1), ("hasPart", "uniprot:" + UNIPROT_BP3), ("hasPart", "uniprot:" + UNIPROT_ALS)],
     "D; brief §4.2 #19"),
    ("BP3_ALS", "plasma", 30, "nmol", "IGFBP-3·ALS binary complex without IGF",
     [("hasPart", "uniprot:" + UNIPROT_BP3), ("hasPart", "uniprot:" + UNIPROT_ALS)], "A; brief §4.2 #20"),
    ("IGF_oBP", "plasma", 5, "nmol", "IGF-1 bound to the other IGFBPs (IGFBP-1, -2, -4, -5, -6; 50-kDa fraction)",
     [("hasPart", "uniprot:" + UNIPROT_IGF1)], "A; brief §4.2 #21"),
    ("oBP_f", "plasma", 10, "nmol", "other IGFBPs (IGFBP-1, -2, -4, -5, -6) carrying no IGF", [], "A; added (needed for R17 mass action)"),
    ("IGF_isf", "isf", 0.07, "nmol", "free IGF-1 in interstitial fluid (what tissues see)",
     [("is", "uniprot:" + UNIPROT_IGF1)], "A; brief §4.2 #22"),
    ("Ac_st", "stomach", 0, "mmol", "acetate of an oral dose, stomach", [("is", CHEBI["Ac"])], "A; issue 16 (V11)"),
    ("Pr_st", "stomach", 0, "mmol", "propionate of an oral dose, stomach", [("is", CHEBI["Pr"])], "A; issue 16 (V11)"),
    ("Bu_st", "stomach", 0, "mmol", "butyrate of an oral dose, stomach", [("is", CHEBI["Bu"])], "A; issue 16 (V11)"),
    ("Ac_si", "small_intestine", 0, "mmol", "acetate of an oral dose, small intestine", [("is", CHEBI["Ac"])], "A; issue 16 (V11)"),
    ("Pr_si", "small_intestine", 0, "mmol", "propionate of an oral dose, small intestine", [("is", CHEBI["Pr"])], "A; issue 16 (V11)"),
    ("Bu_si", "small_intestine", 0, "mmol", "butyrate of an oral dose, small intestine", [("is", CHEBI["Bu"])], "A; issue 16 (V11)"),
    ("Bu_tis", "tissue_Bu", 0.13, "umol", "butyrate in its extravascular distribution space (V12)", [("is", CHEBI["Bu"])],
     "D; issue 16: at equilibrium with plasma butyrate; Miller 1987 distribution volume"),
]
SPECIES_SBO = {"Fib": 247, "IGF_f": 252, "BP3_f": 252, "ALS_f": 252, "oBP_f": 252, "IGF_isf": 252,
               "IGF_BP3": 297, "IGF_BP3_ALS": 297, "BP3_ALS": 297, "IGF_oBP": 297}

# Parameters: id, value, units, SBO, type, note. Constant unless listed in RULES / RATE_RULES or
# DRIVEN (parameters a tissue plugin may drive, which must not be constant).
# SBO: 2 quantitative parameter, 9 kinetic constant, 35 forward unimolecular rate constant (first order),
# 36 forward bimolecular rate constant, 38 reverse unimolecular (koff), 282 dissociation constant,
# 27 Michaelis constant, 186 maximal velocity, 193 equilibrium constant, 196 concentration of an
# entity pool, 381 ..., 343 conversion factor (none in SBO; use 2), 330 ..., 464 state variable assignment.
P = []


def par(pid, value, units, sbo, kind, note):
    P.append((pid, value, units, sbo, kind, note))


# --- conversions (physically equal to 1) -----------------------------------------------------
par("cf_mmol", 1e-3, "mmol_per_umol", 2, "D", "conversion factor of species stored in mmol (model extent is µmol)")
par("cf_nmol", 1e3, "nmol_per_umol", 2, "D", "conversion factor of species stored in nmol (model extent is µmol)")
par("cf_Fib", 162.14e-6, "gram_per_umol", 2, "D",
    "mass of one anhydro-hexose unit of polysaccharide (162.14 g/mol): fibre reactions count µmol hexose")
par("hours_per_day", 24, "hour_per_day", 2, "D", "24 h per day")
par("body_weight", 70, "kilogram", 2, "A", "reference adult body weight (per-kg fluxes of van der Beek, Bloemen 2009)")
par("IGF1_ng_per_mL_per_nM", 7.649, "ng_per_mL_per_nM", 2, "M",
    "IGF-1 7649 Da (70 aa; UniProt P05019): 1 nM = 7.649 ng/mL (brief: 1 ng/mL = 0.131 nM)")
par("IGF1_mg_per_nmol", 7.649e-3, "mg_per_nmol", 2, "M", "IGF-1 molar mass, 7649 g/mol")
par("IGFBP3_mg_per_L_per_nM", 0.029, "mg_per_L_per_nM", 2, "M",
    "IGFBP-3 core protein ≈ 29 kDa (Mayo Clinic Laboratories IGFB3 notes): 1 nM = 0.029 mg/L")

# --- diet and fermentation (brief §2, §4.3 R1–R3) ---------------------------------------------
par("fibre_intake", 16, "gram_per_day", 2, "M", "dietary fibre intake, US mean 16 g/day (USDA WWEIA Data Brief 12, 2014)")
par("f_ferm", 0.7, "dimensionless", 2, "A", "fermentable fraction of habitual mixed fibre (brief §2)")
par("other_substrate", 12, "gram_per_day", 2, "A",
    "resistant starch, oligosaccharides and host mucus reaching the colon, as fermentable carbohydrate "
    "(Cummings & Englyst 1987: ≈12 g NSP + 12 g protein + unknown resistant starch per day); chosen so "
    "that daily SCFA production (≈ 240 mmol/day) lies in the brief's 200–400 mmol/day")
par("intervention_fibre", 0, "gram_per_day", 2, "A",
    "extra fully fermentable fibre (inulin-type, f_ferm = 1; Boets 2015) given between intervention_start_h and intervention_end_h")
par("intervention_start_h", 0, "hour", 2, "A", "start of the fibre intervention")
par("intervention_end_h", 0, "hour", 2, "A", "end of the fibre intervention")
par("k_ferm", 0.1155, "per_hour", 35, "A", "first-order fermentation at full microbiota: half-time 6 h (brief R2: 6–12 h)")
par("k_ferm_fast", 1.0, "per_hour", 35, "A", "fermentation of soluble inulin/lactulose: half-time 42 min (rapid, almost complete fermentation; Boets 2015; Pomare 1985 acetate peak at 2–4 h)")
par("k_tr", 1 / 60, "per_hour", 35, "M", "colonic transit, 1/60 h (≈ 60 h whole-colon transit; Casci et al.)")
par("SCFA_yield", 1.86, "dimensionless", 2, "D",
    "mol SCFA per mol hexose fermented (Miller & Wolin 1979: 34.5 hexose → 64 SCFA; verify) = 11.5 mmol/g (Boets 2015: ≈ 11 mmol/g)")
par("share_Ac", 0.57, "dimensionless", 2, "M", "acetate share of SCFA production (Cummings 1987; den Besten 2013: ≈ 60:20:20; verify)")
par("share_Pr", 0.18, "dimensionless", 2, "A",
    "propionate share; 0.15 is within ±10 points of 20 (V5) and lets portal propionate and its 9% systemic availability hold together")
par("share_Bu", 0.25, "dimensionless", 2, "A",
    "butyrate share; 0.25 is within ±10 points of 20 (V5) and gives Peters' portal butyrate with Boets' 2% availability")
# Inulin and lactulose (the fast fibre of the interventions) ferment with their own ratio (issue 16): in vivo,
# 15 g inulin gave 137 / 11 / 20 mmol acetate / propionate / butyrate (Boets 2015 stable-isotope study, brief §2
# and R2 "inulin 0.82:0.07:0.12"), far more acetate and less butyrate than the mixed-fibre ratio.
par("share_Ac_fast", 0.815, "dimensionless", 2, "M",
    "acetate share of inulin/lactulose fermentation: 137 of 168 mmol (Boets 2015, in vivo; brief R2 0.82)")
par("share_Pr_fast", 0.066, "dimensionless", 2, "M",
    "propionate share of inulin/lactulose fermentation: 11 of 168 mmol (Boets 2015; brief R2 0.07)")
par("share_Bu_fast", 0.119, "dimensionless", 2, "M",
    "butyrate share of inulin/lactulose fermentation: 20 of 168 mmol (Boets 2015; brief R2 0.12)")

# --- microbiota and antibiotics (brief §5 scenario 2, V13) ------------------------------------
par("microbiota_capacity", 1, "dimensionless", 2, "A", "fermentative capacity the microbiota regrows to (1 colonised, 0 germ-free)")
par("r_mic", 0.12 / 24, "per_hour", 35, "A",
    "logistic regrowth rate of the microbiota after antibiotics (0.12/day: SCFA recover within 2–6 weeks, Høverstad 1986)")
par("k_abx", 1 / 24, "per_hour", 35, "A", "loss rate of fermentative capacity under antibiotics (1/day)")
par("abx_residual", 0.05, "dimensionless", 2, "A", "fermentative capacity left under broad-spectrum antibiotics (brief: 0–0.2)")
par("abx_start_h", 0, "hour", 2, "A", "start of the antibiotic course")
par("abx_end_h", 0, "hour", 2, "A", "end of the antibiotic course")

# --- colonic absorption (brief §3.1, R4–R6) -----------------------------------------------------
par("k_abs", 0.2, "per_hour", 35, "D",
    "colonic SCFA absorption; brief D = 0.3 from 95% absorbed over 60 h; 0.2 keeps faecal loss at 7.7% (V6: 3–10%) and "
    "proximal SCFA ≈ 90 mM (V5) at 240 mmol/day production")
par("barrier_integrity", 1, "dimensionless", 2, "A",
    "epithelial integrity g(T) scaling colonic SCFA absorption (1 = healthy); the gut-barrier plugin drives it (brief 4.5 feedback)")
par("f_epi_Ac", 0.35, "dimensionless", 2, "A",
    "fraction of absorbed acetate used on first pass (colonocyte oxidation and microbial cross-feeding, Boets 2017: 24% of "
    "colonic acetate → butyrate); brief start 0.1; 0.35 matches portal acetate and gut release (V3, V9)")
par("f_epi_Pr", 0.30, "dimensionless", 2, "A", "colonocyte first-pass use of propionate (brief §3.1: 0.1–0.3)")
par("Vmax_Bu_ox", 3000, "umol_per_hour", 186, "A",
    "colonocyte butyrate oxidation capacity; with Km_Bu_ox gives ≈ 84% first-pass use at baseline (brief: 0.7–0.9)")
par("Km_Bu_ox", 1, "mM", 27, "A", "colonocyte butyrate oxidation Km (mM range, brief §3.3)")
par("k_Bu_efflux", 5, "per_hour", 35, "A", "basolateral butyrate efflux from colonocytes to portal blood")
# Epithelial adaptation to a larger SCFA load (issue 16): SCFA induce their own uptake (butyrate raises MCT1
# expression in human colonocytes, Cuff et al. 2002 J Physiol 539:361, verify) and colonocyte butyrate
# beta-oxidation (PPAR-gamma, Byndloss et al. 2017 Science 357:570, verify). Without it a 20 g/day inulin dose
# doubled colonic SCFA (to 212 mM, beyond any human measurement: V5 70-140 mM) and saturated colonocyte oxidation
# (butyrate 6.9 mM in colonocytes). Adaptation only upward: below the habitual load transporters and enzymes
# stay at their constitutive level (keeps the antibiotic and germ-free targets V13, V23, V24 as they were).
par("SCFA_adapt_ref", 90, "mM", 2, "A",
    "colonic total SCFA the epithelium is adapted to (epi_adapt = 1 at and below it): the habitual diet's 89.45 mM "
    "rounded up, so that the baseline lies inside the constitutive range and not on the switch (derivatives, "
    "control coefficients and sensitivities at the baseline are then those of a smooth model)")
par("gamma_adapt", 1, "dimensionless", 2, "A",
    "exponent of the epithelial adaptation: capacity ∝ (colonic SCFA / reference)^gamma above the reference; 1 keeps "
    "colonic SCFA at 20 g/day inulin within V5's 70-140 mM (concentration rises as the square root of production)")
par("tau_adapt", 24, "hour", 2, "A",
    "time constant of the epithelial adaptation (transcriptional induction of transporters and enzymes; MCT1 "
    "induction by butyrate within 24 h in cells, Cuff 2002, verify); shorter than epithelial renewal (4-5 days)")

# --- splanchnic and systemic SCFA (brief §3.2, R7–R9) -------------------------------------------
par("Q_pv", 40, "litre_per_hour", 2, "A", "portal plasma flow ≈ 40 L/h (brief R7; ICRP 89, verify)")
par("E_Ac", 0.41, "dimensionless", 2, "D", "hepatic extraction of acetate (brief 0.2–0.55); gives 36% systemic availability (Boets 2017)")
par("E_Pr", 0.86, "dimensionless", 2, "D", "hepatic extraction of propionate (brief 0.75–0.9); gives 9% availability (Boets 2017)")
par("E_Bu", 0.87, "dimensionless", 2, "D", "hepatic extraction of butyrate (brief 0.6–0.9); gives 2% availability (Boets 2017)")
par("R_endo_Ac", 2900, "umol_per_hour", 2, "A",
    "endogenous (non-colonic) acetate appearance; with CL_Ac gives germ-free plasma acetate ≈ 34 µM (brief R8: 30–50 µM)")
par("R_endo_Pr", 870, "umol_per_hour", 2, "D",
    "non-colonic propionate appearance: Boets 2015 Ra 0.27 µmol/kg/min (1134 µmol/h at 70 kg) minus the colonic share")
par("R_endo_Bu", 0, "umol_per_hour", 2, "A", "no endogenous butyrate source")
par("CL_Ac", 70, "litre_per_hour", 2, "A",
    "extrahepatic acetate clearance (17 mL/kg/min); lower than the brief's Ra/level estimate (110–220) so that colonic "
    "acetate reaches venous plasma as Pomare 1985 saw after lactulose (V10)")
par("CL_Pr", 260, "litre_per_hour", 2, "D", "extrahepatic propionate clearance (brief D: 55–70 mL/kg/min)")
par("CL_Bu", 349, "litre_per_hour", 2, "M", "butyrate clearance 83 mL/kg/min × 70 kg (Miller 1987)")
par("PS_Bu", 10000, "litre_per_hour", 2, "A",
    "butyrate exchange between plasma and its extravascular distribution space (issue 16, V12): fast enough that the "
    "two equilibrate within seconds (tissue_Bu / PS_Bu = 17 s; small SCFA cross cell membranes through MCTs), so the plasma half-life is "
    "ln 2 · (plasma + tissue_Bu) / CL_Bu = 6.2 min (Miller 1987's Vd 52 L and clearance; V12 4–10 min)")
par("supplement_acetate", 0, "mmol_per_day", 2, "A", "oral acetate supplement, absorbed into portal blood")
par("supplement_propionate", 0, "mmol_per_day", 2, "A", "oral propionate supplement, absorbed into portal blood")
par("supplement_butyrate", 0, "mmol_per_day", 2, "A", "oral butyrate supplement, absorbed into portal blood")
par("supplement_start_h", 0, "hour", 2, "A", "start of SCFA supplementation")
# Oral SCFA doses (issue 16, V11): a drink reaches the small intestine by gastric emptying and is absorbed
# there into portal blood (Pomare 1985: 50 mmol mixed SCFA orally, acetate peak at 45 min, baseline by 2 h).
par("oral_dose_acetate", 0, "mmol", 2, "A", "acetate in an oral dose (scenario input)")
par("oral_dose_propionate", 0, "mmol", 2, "A", "propionate in an oral dose (scenario input)")
par("oral_dose_butyrate", 0, "mmol", 2, "A", "butyrate in an oral dose (scenario input)")
par("oral_dose_time_h", 0, "hour", 2, "A", "time the oral dose is drunk")
par("oral_dose_duration_h", 0.1, "hour", 2, "A", "time taken to drink the dose (6 min)")
par("k_gastric", 1.386, "per_hour", 35, "A",
    "gastric emptying of a liquid dose, half-time 30 min (liquids with solutes: 20-60 min); sets, with k_si, the "
    "plasma peak at ≈ 0.5-0.7 h after the drink (V11: 0.5-1.5 h; Pomare 1985: 45 min)")
par("k_si", 2.77, "per_hour", 35, "A",
    "absorption of SCFA from the small-intestine lumen into portal blood, half-time 15 min (SCFA are absorbed "
    "rapidly and almost completely in the upper gut)")
par("supplement_end_h", 1e9, "hour", 2, "A", "end of SCFA supplementation")
par("EC50_GPR43_Ac", 400, "uM", 196, "M", "acetate EC50 at FFA2/GPR43 ≈ 0.25–0.5 mM (Le Poul 2003; Brown 2003)")

# --- portal SCFA → hepatic IGF-1 signal (brief R10, §4.4) -------------------------------------------
par("E_SCFA", 0.5, "dimensionless", 2, "A",
    "maximal fractional boost of hepatic IGF-1 synthesis by portal SCFA (brief §4.4 start value; to be fitted to Yan 2016 Figs 4–5)")
par("w_Ac", 1, "dimensionless", 2, "A", "weight of portal acetate in the hepatic SCFA signal (brief: 1:1:1)")
par("w_Pr", 1, "dimensionless", 2, "A", "weight of portal propionate")
par("w_Bu", 1, "dimensionless", 2, "A", "weight of portal butyrate")
par("K_SCFA", 181, "uM", 196, "A", "half-maximal portal SCFA signal; set at the baseline signal (brief §4.4: K at baseline, h = 1)")
par("SCFA_signal_ref", 181, "uM", 196, "A", "reference (baseline) portal SCFA signal at which the hepatic response factor is 1")
par("h_SCFA", 1, "dimensionless", 2, "A", "Hill coefficient of the SCFA signal (brief §4.4)")
par("tau_S", 48, "hour", 2, "A", "delay of the hepatic IGF-1 response to SCFA (brief §4.4)")

# --- GH input (brief §3.4, R11) -------------------------------------------------------------------
par("GH_basal", 0.7, "ng_per_mL", 2, "D", "basal (24-h mean) serum GH: healthy IGF-1 at ≈ 0.7 ng/mL (Papathanasiou 2021; 24-h GH means)")
par("GH_ref", 0.7, "ng_per_mL", 2, "D", "GH at which IGF-1, IGFBP-3 and ALS synthesis have their reference values")
par("gh_step_factor", 1, "dimensionless", 2, "A", "GH is multiplied by this from gh_step_time_h on (GH step scenarios)")
par("gh_step_time_h", 0, "hour", 2, "A", "time of the GH step")
par("tau_GH", 12, "hour", 2, "A", "delay of hepatic synthesis after a change in GH (GH receptor signalling, IGF-1/IGFBP-3/ALS mRNA); with the ternary t½ gives the apparent ≈ 1-day IGF-1 response (V19)")

# --- GH → IGF-1 gain (brief §3.5, R12) -------------------------------------------------------------
par("Kin0", 0.949, "ng_per_mL_per_hour", 2, "M", "IGF-1 input at zero GH (Papathanasiou 2021)")
par("Emax_GH", 15.1, "ng_per_mL_per_hour", 2, "M", "maximal GH-driven IGF-1 input, adults (Papathanasiou 2021)")
par("EC50_GH", 1.42, "ng_per_mL", 2, "D", "EC50 of GH on hepatic synthesis; calibrated so that the model's steady-state total IGF-1 has the apparent EC50 2.13 ng/mL of Papathanasiou 2021 (IGFBP-3 and ALS rise with GH too, which shifts the apparent EC50 up)")
par("IGF1_prod_ref", 49.26, "nmol_per_hour", 186, "A",
    "IGF-1 secretion into plasma at GH_ref (≈ 7.7 mg/day; Guler 1989: ≈ 10 mg/day; V18 5–15); calibrated to total IGF-1 ≈ 200 ng/mL")
par("liver_share", 0.75, "dimensionless", 2, "M", "liver share of circulating IGF-1 (Sjögren 1999; Yakar 1999)")
par("hepatic_igf1_synthesis", 1, "dimensionless", 2, "A", "1 normal, 0 liver-specific IGF-1 deletion (V22)")
par("nutrition_factor", 1, "dimensionless", 2, "A", "nutritional state on hepatic IGF-1 synthesis (1 fed adult)")

# --- IGFBP-3, ALS and other IGFBPs (brief §3.6, R13, R17, R18, R20) ------------------------------------
par("BP3_prod_ref", 6.077, "nmol_per_hour", 186, "A",
    "IGF-I-available IGFBP-3 secretion at GH_ref; calibrated to serum IGFBP-3 ≈ 5 mg/L (Mayo 3.3–7.8)")
par("ALS_prod_ref", 14.68, "nmol_per_hour", 186, "A", "ALS secretion at GH_ref; ALS in molar excess over IGFBP-3 (brief §4.2 #17)")
par("oBP_prod", 173.3, "nmol_per_hour", 186, "A", "secretion of the other IGFBPs (GH-independent)")
par("bp3_igf1_available_fraction", 0.1168, "dimensionless", 2, "A",
    "share of serum IGFBP-3 not occupied by IGF-II (brief §4.2: 30–40%; IGF-II ≈ 50 nM, Guler 1989)")
par("E_BP3", 0, "dimensionless", 2, "A", "butyrate boost of IGFBP-3 synthesis (in-vitro only, Walker 2001; Collard 2003): off by default")
par("K_BP3", 10, "uM", 196, "A", "portal butyrate at half-maximal IGFBP-3 boost (only with E_BP3 > 0)")
par("kon_BP3", 3.6, "per_nM_per_hour", 36, "M", "IGF-1 + IGFBP-3 association, 1e6 /M/s (Wong 1999 biosensor; verify)")
par("Kd_BP3", 0.1, "nM", 282, "M", "IGF-1–IGFBP-3 dissociation constant ≈ 0.1 nM (solid-phase assay 1997; verify)")
par("kon_ALS", 3.6, "per_nM_per_hour", 36, "A",
    "ALS association with IGF-1·IGFBP-3 (1e4 /M/s, lower end of biosensor range); slow enough that the 50-kDa binary pool is kept (Guler 1989)")
par("Kd_ALS", 0.041, "nM", 282, "M", "ALS–IGF-1·IGFBP-3 dissociation: Ka 24.3 L/nmol (Firth 1998)")
par("Kd_ALS_free", 10, "nM", 282, "A", "ALS binds IGF-free IGFBP-3 10× more weakly (brief R16, verify)")
par("Kd_oBP", 0.5, "nM", 282, "A", "IGF-1 – other IGFBPs (IGFBP-1 Kd ≈ 0.1–1 nM, brief R17)")
par("kon_oBP", 3.6, "per_nM_per_hour", 36, "A", "IGF-1 + other IGFBPs association (as IGFBP-3)")
par("k_IGF_f", 3.5, "per_hour", 35, "M", "free IGF-1 elimination, t½ 12 min (Guler 1989 10–12 min; Frystyk 14 min)")
par("k_binary", 1.7, "per_hour", 35, "M", "elimination of 50-kDa IGF-1 complexes, t½ 25 min (Guler 1989: 20–30 min)")
par("k_ternary", 0.04, "per_hour", 35, "M", "elimination of the 150-kDa ternary complex, t½ 17 h (Guler 1989: 12–15 h; V17 ±30%); slower end chosen for the GH-step t½ (V19)")
par("k_BP3_f", 0.7, "per_hour", 35, "M", "free IGFBP-3 elimination, t½ 1 h (Mayo: 30–90 min)")
par("k_BP3_ALS", 0.7, "per_hour", 35, "A", "elimination of IGF-free IGFBP-3·ALS (as free IGFBP-3: IGF-free IGFBP-3 t½ 30–90 min, Mayo)")
par("k_ALS", 0.03, "per_hour", 35, "A", "free ALS elimination (brief R18: ≈ 0.03 /h)")
par("k_oBP", 0.7, "per_hour", 35, "A", "elimination of free other IGFBPs")
par("PS_IGF", 100, "litre_per_hour", 2, "A", "capillary exchange of free IGF-1 plasma ↔ interstitium (k_cap ≈ 1 /h × plasma; brief R19)")
par("k_isf", 10, "per_hour", 35, "A", "receptor-mediated uptake of interstitial free IGF-1")

# Assignment rules: id, units, formula, SBO, note
DRIVEN = {"barrier_integrity"}

RULES = [
    ("in_intervention", "dimensionless",
     "piecewise(1 dimensionless, time >= intervention_start_h && time < intervention_end_h, 0 dimensionless)", 2,
     "1 during the fibre intervention"),
    ("abx_on", "dimensionless", "piecewise(1 dimensionless, time >= abx_start_h && time < abx_end_h, 0 dimensionless)", 2,
     "1 during the antibiotic course"),
    ("oral_dose_on", "dimensionless",
     "piecewise(1 dimensionless, time >= oral_dose_time_h && time < oral_dose_time_h + oral_dose_duration_h, 0 dimensionless)", 2,
     "1 while an oral dose is being drunk"),
    ("supplement_on", "dimensionless",
     "piecewise(1 dimensionless, time >= supplement_start_h && time < supplement_end_h, 0 dimensionless)", 2,
     "1 while SCFA are supplemented"),
    ("fermentable_input", "gram_per_day", "f_ferm * fibre_intake + other_substrate", 2,
     "fermentable carbohydrate of the habitual diet reaching the colon"),
    ("fast_fibre_input", "gram_per_day", "intervention_fibre * in_intervention", 2,
     "rapidly fermentable fibre (inulin, lactulose) given as an intervention"),
    ("GH", "ng_per_mL", "GH_basal * piecewise(gh_step_factor, time >= gh_step_time_h, 1 dimensionless)", 2,
     "serum GH (input; brief §3.4: IGF-1 follows basal, not pulsatile, GH)"),
    ("GH_drive", "dimensionless",
     "(Kin0 + Emax_GH * GH / (EC50_GH + GH)) / (Kin0 + Emax_GH * GH_ref / (EC50_GH + GH_ref))", 2,
     "GH drive of hepatic synthesis relative to GH_ref (Papathanasiou 2021 Emax form)"),
    ("portal_SCFA_signal", "uM", "w_Ac * Ac_pv + w_Pr * Pr_pv + w_Bu * Bu_pv", 2, "weighted portal SCFA"),
    ("SCFA_effect", "dimensionless",
     "(1 dimensionless + E_SCFA * (portal_SCFA_signal / K_SCFA)^h_SCFA / (1 dimensionless + (portal_SCFA_signal / K_SCFA)^h_SCFA))"
     " / (1 dimensionless + E_SCFA * (SCFA_signal_ref / K_SCFA)^h_SCFA / (1 dimensionless + (SCFA_signal_ref / K_SCFA)^h_SCFA))", 2,
     "hepatic response to portal SCFA, 1 at the reference signal (brief R10)"),
    ("IGF1_synthesis", "nmol_per_hour",
     "IGF1_prod_ref * GH_signal * nutrition_factor * (liver_share * hepatic_igf1_synthesis * S_liv + (1 dimensionless - liver_share))", 2,
     "IGF-1 secretion into plasma: hepatic part (GH, SCFA) + 25% extrahepatic (brief R12)"),
    ("BP3_synthesis", "nmol_per_hour", "BP3_prod_ref * GH_signal * (1 dimensionless + E_BP3 * Bu_pv / (K_BP3 + Bu_pv))", 2,
     "IGFBP-3 secretion (GH-dependent, brief R13; optional butyrate boost R20)"),
    ("ALS_synthesis", "nmol_per_hour", "ALS_prod_ref * GH_signal", 2, "ALS secretion (GH-dependent, brief R13)"),
    ("koff_BP3", "per_hour", "Kd_BP3 * kon_BP3", 38, "IGF-1·IGFBP-3 dissociation"),
    ("koff_ALS", "per_hour", "Kd_ALS * kon_ALS", 38, "ALS dissociation from the ternary complex"),
    ("koff_ALS_free", "per_hour", "Kd_ALS_free * kon_ALS", 38, "ALS dissociation from IGF-free IGFBP-3"),
    ("koff_IGF_BP3ALS", "per_hour", "Kd_BP3 * Kd_ALS / Kd_ALS_free * kon_BP3", 38,
     "IGF-1 dissociation from the ternary complex (detailed balance of the binding cycle)"),
    ("koff_oBP", "per_hour", "Kd_oBP * kon_oBP", 38, "IGF-1 dissociation from other IGFBPs"),
    # reporting
    ("IGF1_total_nM", "nM", "IGF_f + IGF_BP3 + IGF_BP3_ALS + IGF_oBP", 2, "serum total IGF-1"),
    ("IGF1_total", "ng_per_mL", "IGF1_total_nM * IGF1_ng_per_mL_per_nM", 2, "serum total IGF-1, ng/mL (what assays report)"),
    ("IGF1_free_pct", "percent", "100 dimensionless * IGF_f / IGF1_total_nM", 2, "free IGF-1, % of total"),
    ("IGF1_ternary_pct", "percent", "100 dimensionless * IGF_BP3_ALS / IGF1_total_nM", 2, "IGF-1 in the 150-kDa ternary complex, % of total"),
    ("IGFBP3_total_nM", "nM", "(BP3_f + IGF_BP3 + IGF_BP3_ALS + BP3_ALS) / bp3_igf1_available_fraction", 2,
     "serum total IGFBP-3 (the IGF-I-available pool plus the IGF-II-occupied share)"),
    ("IGFBP3_total", "mg_per_L", "IGFBP3_total_nM * IGFBP3_mg_per_L_per_nM", 2, "serum total IGFBP-3, mg/L"),
    ("IGF1_IGFBP3_molar_ratio", "dimensionless", "IGF1_total_nM / IGFBP3_total_nM", 2, "total IGF-1 : IGFBP-3 molar ratio"),
    ("IGF1_production", "mg_per_day", "IGF1_synthesis * IGF1_mg_per_nmol * hours_per_day", 2, "IGF-1 production rate (Guler 1989)"),
    ("SCFA_colon_total", "mM", "Ac_col + Pr_col + Bu_col", 2, "colonic total SCFA"),
    ("epi_adapt_target", "dimensionless",
     "piecewise((SCFA_colon_total / SCFA_adapt_ref)^gamma_adapt, SCFA_colon_total > SCFA_adapt_ref, 1 dimensionless)", 2,
     "adapted epithelial capacity for the present colonic SCFA load (1 at or below the habitual load)"),
    ("Ac_col_share_pct", "percent", "100 dimensionless * Ac_col / SCFA_colon_total", 2, "acetate share of colonic SCFA"),
    ("Pr_col_share_pct", "percent", "100 dimensionless * Pr_col / SCFA_colon_total", 2, "propionate share of colonic SCFA"),
    ("Bu_col_share_pct", "percent", "100 dimensionless * Bu_col / SCFA_colon_total", 2, "butyrate share of colonic SCFA"),
    ("SCFA_production", "mmol_per_day", "(fermentation + fast_fermentation) * SCFA_yield * cf_mmol * hours_per_day", 2, "colonic SCFA production"),
    ("faecal_SCFA_pct", "percent",
     "100 dimensionless * (Ac_faecal + Pr_faecal + Bu_faecal) / ((fermentation + fast_fermentation) * SCFA_yield)", 2,
     "faecal SCFA loss, % of production (V6)"),
    ("Ac_hv", "uM", "(1 dimensionless - E_Ac) * Ac_pv", 2, "acetate, hepatic vein"),
    ("Pr_hv", "uM", "(1 dimensionless - E_Pr) * Pr_pv", 2, "propionate, hepatic vein"),
    ("Bu_hv", "uM", "(1 dimensionless - E_Bu) * Bu_pv", 2, "butyrate, hepatic vein"),
    ("avail_Ac_pct", "percent",
     "100 dimensionless * Ac_absorption / (Ac_absorption + Ac_epithelial_use + Ac_faecal) * (1 dimensionless - E_Ac)", 2,
     "systemic availability of colon-delivered acetate (V7)"),
    ("avail_Pr_pct", "percent",
     "100 dimensionless * Pr_absorption / (Pr_absorption + Pr_epithelial_use + Pr_faecal) * (1 dimensionless - E_Pr)", 2,
     "systemic availability of colon-delivered propionate (V7)"),
    ("avail_Bu_pct", "percent",
     "100 dimensionless * Bu_uptake / (Bu_uptake + Bu_faecal) * Bu_efflux / (Bu_efflux + Bu_oxidation) * (1 dimensionless - E_Bu)", 2,
     "systemic availability of colon-delivered butyrate (V7)"),
    ("gut_release", "umol_per_kg_per_hour",
     "Q_pv * (Ac_pv - Ac_p + Pr_pv - Pr_p + Bu_pv - Bu_p) / body_weight", 2, "net SCFA release by the gut into portal blood (V9)"),
    ("hepatic_uptake_Pr_pct", "percent", "100 dimensionless * Pr_hepatic_uptake / (Q_pv * (Pr_pv - Pr_p))", 2,
     "hepatic propionate uptake, % of gut release (V9)"),
    ("hepatic_uptake_Bu_pct", "percent", "100 dimensionless * Bu_hepatic_uptake / (Q_pv * (Bu_pv - Bu_p))", 2,
     "hepatic butyrate uptake, % of gut release (V9)"),
    ("GPR43_occupancy_pct", "percent", "100 dimensionless * Ac_p / (Ac_p + EC50_GPR43_Ac)", 2,
     "FFA2/GPR43 occupancy by peripheral acetate (V40)"),
]

# Rate rules: id, initial, units, formula, note
RATE_RULES = [
    ("Xmic", 1, "dimensionless",
     "r_mic * Xmic * (microbiota_capacity - Xmic) - k_abx * abx_on * (Xmic - abx_residual * microbiota_capacity)",
     "fermentative capacity of the microbiota (brief §4.2 #2; 0 germ-free); logistic regrowth, loss under antibiotics"),
    ("GH_signal", 1, "dimensionless", "(GH_drive - GH_signal) / tau_GH",
     "hepatic GH signal: follows GH_drive with delay tau_GH"),
    ("S_liv", 1, "dimensionless", "(SCFA_effect - S_liv) / tau_S",
     "hepatic SCFA-response state (brief §4.2 #13, R10): follows SCFA_effect with delay tau_S"),
    ("epi_adapt", 1, "dimensionless", "(epi_adapt_target - epi_adapt) / tau_adapt",
     "epithelial adaptation to the SCFA load (issue 16; ASSUMPTION): scales colonic SCFA uptake and colonocyte "
     "butyrate oxidation capacity; follows epi_adapt_target with delay tau_adapt"),
]
INITIAL_ASSIGNMENTS = [("Xmic", "microbiota_capacity")]

# Reactions: id, name, reactants [(species, stoich or stoich-id)], products, formula, reversible, SBO, note
SB = 0  # filled later


def rx(rid, name, reactants, products, formula, sbo, note, reversible=False):
    REACTIONS.append((rid, name, reactants, products, formula, reversible, sbo, note))


REACTIONS = []
rx("fibre_input", "fermentable carbohydrate reaching the colon (R1)", [], ["Fib"],
   "fermentable_input / hours_per_day / cf_Fib", 393, "brief R1")
rx("fermentation", "microbial fermentation of carbohydrate to SCFA (R2)", ["Fib"],
   [("Ac_col", "y_Ac"), ("Pr_col", "y_Pr"), ("Bu_col", "y_Bu")],
   "k_ferm * Xmic * Fib / cf_Fib", 176, "brief R2; stoichiometry SCFA_yield × share")
rx("fast_fibre_delivery", "rapidly fermentable fibre reaching the colon", [], ["Fib_fast"],
   "fast_fibre_input / hours_per_day / cf_Fib", 393, "intervention input")
rx("fast_fermentation", "microbial fermentation of inulin/lactulose to SCFA", ["Fib_fast"],
   [("Ac_col", "y_Ac_fast"), ("Pr_col", "y_Pr_fast"), ("Bu_col", "y_Bu_fast")],
   "k_ferm_fast * Xmic * Fib_fast / cf_Fib", 176, "as R2, faster")
rx("fast_fibre_transit", "faecal loss of unfermented inulin/lactulose", ["Fib_fast"], [], "k_tr * Fib_fast / cf_Fib", 185, "brief R3")
rx("fibre_transit", "faecal loss of unfermented carbohydrate (R3)", ["Fib"], [], "k_tr * Fib / cf_Fib", 185, "brief R3")
for X in ("Ac", "Pr"):
    rx(f"{X}_absorption", f"{NAMES[X]} absorption into portal blood (R4)", [f"{X}_col"], [f"{X}_pv"],
       f"k_abs * barrier_integrity * epi_adapt * (1 dimensionless - f_epi_{X}) * {X}_col * colon / cf_mmol", 185,
       "brief R4; epi_adapt: epithelial adaptation (issue 16)")
    rx(f"{X}_epithelial_use", f"first-pass use of absorbed {NAMES[X]} (R4)", [f"{X}_col"], [],
       f"k_abs * barrier_integrity * epi_adapt * f_epi_{X} * {X}_col * colon / cf_mmol", 179, "brief R4 (1 - f_epi)")
rx("Bu_uptake", "butyrate uptake by colonocytes (R5)", ["Bu_col"], ["Bu_epi"],
   "k_abs * barrier_integrity * epi_adapt * Bu_col * colon / cf_mmol", 185, "brief R5; epi_adapt (issue 16)")
rx("Bu_oxidation", "colonocyte butyrate oxidation (R5)", ["Bu_epi"], [],
   "Vmax_Bu_ox * epi_adapt * Bu_epi / (Km_Bu_ox + Bu_epi)", 179, "brief R5; epi_adapt: induced oxidation (issue 16)")
rx("Bu_efflux", "butyrate efflux from colonocytes to portal blood (R5)", ["Bu_epi"], ["Bu_pv"],
   "k_Bu_efflux * Bu_epi * colonocyte / cf_mmol", 185, "brief R5")
for X in ("Ac", "Pr", "Bu"):
    rx(f"{X}_faecal", f"faecal {NAMES[X]} loss (R6)", [f"{X}_col"], [], f"k_tr * {X}_col * colon / cf_mmol", 185, "brief R6")
for X, sup in (("Ac", "acetate"), ("Pr", "propionate"), ("Bu", "butyrate")):
    rx(f"{X}_arterial_inflow", f"{NAMES[X]} carried from plasma into portal blood (R7)", [f"{X}_p"], [f"{X}_pv"],
       f"Q_pv * {X}_p", 185, "brief R7")
    rx(f"{X}_hepatic_uptake", f"hepatic extraction of portal {NAMES[X]} (R7)", [f"{X}_pv"], [],
       f"Q_pv * E_{X} * {X}_pv", 179, "brief R7")
    rx(f"{X}_hepatic_outflow", f"{NAMES[X]} passing the liver into plasma (R7)", [f"{X}_pv"], [f"{X}_p"],
       f"Q_pv * (1 dimensionless - E_{X}) * {X}_pv", 185, "brief R7")
    rx(f"{X}_endogenous", f"non-colonic {NAMES[X]} appearance (R8)", [], [f"{X}_p"], f"R_endo_{X}", 393, "brief R8")
    rx(f"{X}_clearance", f"extrahepatic {NAMES[X]} clearance (R9)", [f"{X}_p"], [], f"CL_{X} * {X}_p", 179, "brief R9")
    rx(f"{X}_supplement", f"oral {NAMES[X]} supplement absorbed into portal blood", [], [f"{X}_pv"],
       f"supplement_{sup} * supplement_on / hours_per_day / cf_mmol", 393, "scenario input")
# IGF system (plasma, nM); rates in µmol/h (divide nmol/h by cf_nmol)
rx("IGF1_secretion", "IGF-1 secretion (R12)", [], ["IGF_f"], "IGF1_synthesis / cf_nmol", 393, "brief R12")
rx("BP3_secretion", "IGFBP-3 secretion (R13)", [], ["BP3_f"], "BP3_synthesis / cf_nmol", 393, "brief R13")
rx("ALS_secretion", "ALS secretion (R13)", [], ["ALS_f"], "ALS_synthesis / cf_nmol", 393, "brief R13")
rx("oBP_secretion", "other IGFBP secretion (R17)", [], ["oBP_f"], "oBP_prod / cf_nmol", 393, "brief R17")
rx("IGF_BP3_binding", "IGF-1 + IGFBP-3 ⇌ binary complex (R14)", ["IGF_f", "BP3_f"], ["IGF_BP3"],
   "(kon_BP3 * IGF_f * BP3_f - koff_BP3 * IGF_BP3) * plasma / cf_nmol", 177, "brief R14", True)
rx("ALS_binding", "IGF-1·IGFBP-3 + ALS ⇌ ternary complex (R15)", ["IGF_BP3", "ALS_f"], ["IGF_BP3_ALS"],
   "(kon_ALS * IGF_BP3 * ALS_f - koff_ALS * IGF_BP3_ALS) * plasma / cf_nmol", 177, "brief R15", True)
rx("BP3_ALS_binding", "IGFBP-3 + ALS ⇌ IGFBP-3·ALS (R16)", ["BP3_f", "ALS_f"], ["BP3_ALS"],
   "(kon_ALS * BP3_f * ALS_f - koff_ALS_free * BP3_ALS) * plasma / cf_nmol", 177, "brief R16", True)
rx("IGF_BP3ALS_binding", "IGF-1 + IGFBP-3·ALS ⇌ ternary complex (R16)", ["IGF_f", "BP3_ALS"], ["IGF_BP3_ALS"],
   "(kon_BP3 * IGF_f * BP3_ALS - koff_IGF_BP3ALS * IGF_BP3_ALS) * plasma / cf_nmol", 177, "brief R16", True)
rx("IGF_oBP_binding", "IGF-1 + other IGFBPs ⇌ complex (R17)", ["IGF_f", "oBP_f"], ["IGF_oBP"],
   "(kon_oBP * IGF_f * oBP_f - koff_oBP * IGF_oBP) * plasma / cf_nmol", 177, "brief R17", True)
rx("IGF_f_elimination", "free IGF-1 elimination (R18)", ["IGF_f"], [], "k_IGF_f * IGF_f * plasma / cf_nmol", 179, "brief R18")
rx("IGF_BP3_elimination", "binary complex elimination (R18)", ["IGF_BP3"], [], "k_binary * IGF_BP3 * plasma / cf_nmol", 179, "brief R18")
rx("IGF_oBP_elimination", "IGF-1·other IGFBP elimination (R18)", ["IGF_oBP"], [], "k_binary * IGF_oBP * plasma / cf_nmol", 179, "brief R18")
rx("ternary_elimination", "ternary complex elimination (R18)", ["IGF_BP3_ALS"], [], "k_ternary * IGF_BP3_ALS * plasma / cf_nmol", 179, "brief R18")
rx("BP3_f_elimination", "free IGFBP-3 elimination (R18)", ["BP3_f"], [], "k_BP3_f * BP3_f * plasma / cf_nmol", 179, "brief R18")
rx("BP3_ALS_elimination", "IGFBP-3·ALS elimination (R18)", ["BP3_ALS"], [], "k_BP3_ALS * BP3_ALS * plasma / cf_nmol", 179, "brief R18")
rx("ALS_elimination", "free ALS elimination (R18)", ["ALS_f"], [], "k_ALS * ALS_f * plasma / cf_nmol", 179, "brief R18")
rx("oBP_elimination", "free other IGFBP elimination (R18)", ["oBP_f"], [], "k_oBP * oBP_f * plasma / cf_nmol", 179, "brief R18")
for X, sup in (("Ac", "acetate"), ("Pr", "propionate"), ("Bu", "butyrate")):
    rx(f"{X}_oral_dose", f"oral {NAMES[X]} dose, drunk (V11)", [], [f"{X}_st"],
       f"oral_dose_{sup} * oral_dose_on / oral_dose_duration_h / cf_mmol", 393, "issue 16: scenario input")
    rx(f"{X}_gastric_emptying", f"gastric emptying of an oral {NAMES[X]} dose (V11)", [f"{X}_st"], [f"{X}_si"],
       f"k_gastric * {X}_st * stomach / cf_mmol", 185, "issue 16 (V11)")
    rx(f"{X}_si_absorption", f"small-intestinal absorption of an oral {NAMES[X]} dose into portal blood (V11)",
       [f"{X}_si"], [f"{X}_pv"], f"k_si * {X}_si * small_intestine / cf_mmol", 185, "issue 16 (V11)")
rx("Bu_tissue_exchange", "butyrate plasma ⇌ extravascular distribution space (V12)", ["Bu_p"], ["Bu_tis"],
   "PS_Bu * (Bu_p - Bu_tis)", 185, "issue 16: Miller 1987 distribution volume", True)
rx("IGF_capillary_exchange", "free IGF-1 plasma ⇌ interstitium (R19)", ["IGF_f"], ["IGF_isf"],
   "PS_IGF * (IGF_f - IGF_isf) / cf_nmol", 185, "brief R19", True)
rx("IGF_isf_uptake", "tissue receptor uptake of interstitial IGF-1 (R19)", ["IGF_isf"], [],
   "k_isf * IGF_isf * isf / cf_nmol", 179, "brief R19")

STOICH_IDS = [("y_Ac_fast", "SCFA_yield * share_Ac_fast"), ("y_Pr_fast", "SCFA_yield * share_Pr_fast"), ("y_Bu_fast", "SCFA_yield * share_Bu_fast"), ("y_Ac", "SCFA_yield * share_Ac"), ("y_Pr", "SCFA_yield * share_Pr"), ("y_Bu", "SCFA_yield * share_Bu")]
CONVERSION = {"mmol": "cf_mmol", "nmol": "cf_nmol", "gram": "cf_Fib"}


# --------------------------------------------------------------------------------------------
def check(rc, what):
    if rc != libsbml.LIBSBML_OPERATION_SUCCESS:
        raise SystemExit(f"build_model: {what}: {libsbml.OperationReturnValue_toString(rc)}")


def notes_xhtml(text):
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<body xmlns="http://www.w3.org/1999/xhtml"><p>{esc}</p></body>'


def annotate(el, terms, model_qual=False):
    if not terms:
        return
    if not el.isSetMetaId():
        el.setMetaId("meta_" + el.getId())
    for qual, ident in terms:
        cv = libsbml.CVTerm()
        if model_qual:
            cv.setQualifierType(libsbml.MODEL_QUALIFIER)
            cv.setModelQualifierType({"isDescribedBy": libsbml.BQM_IS_DESCRIBED_BY}[qual])
        else:
            cv.setQualifierType(libsbml.BIOLOGICAL_QUALIFIER)
            cv.setBiologicalQualifierType({"is": libsbml.BQB_IS, "hasPart": libsbml.BQB_HAS_PART,
                                           "hasProperty": libsbml.BQB_HAS_PROPERTY,
                                           "isVersionOf": libsbml.BQB_IS_VERSION_OF}[qual])
        cv.addResource("http://identifiers.org/" + ident)
        check(el.addCVTerm(cv), f"annotation of {el.getId()}")


def math(model, formula, where):
    settings = libsbml.L3ParserSettings()
    settings.setModel(model)
    settings.setParseUnits(True)
    ast = libsbml.parseL3FormulaWithSettings(formula, settings)
    if ast is None:
        raise SystemExit(f"build_model: cannot parse {where}: {formula}: {libsbml.getLastParseL3Error()}")
    return ast


def build(state):
    doc = libsbml.SBMLDocument(3, 2)
    m = doc.createModel()
    m.setId("gut_liver_igf1")
    m.setName("Gut–liver–IGF-1 axis: dietary fibre, colonic SCFA, portal/hepatic SCFA handling and the GH–IGF-1–IGFBP system")
    m.setMetaId("meta_gut_liver_igf1")
    m.setNotes(notes_xhtml(
        "Flagship model of axisim. Dietary fibre is fermented in the colon to acetate, propionate and butyrate; SCFA are "
        "absorbed (butyrate mostly oxidised by colonocytes), reach the portal vein, are extracted by the liver and cleared "
        "from peripheral plasma. Portal SCFA raise hepatic IGF-1 synthesis (assumed, mouse data: Yan 2016); GH drives IGF-1, "
        "IGFBP-3 and ALS synthesis (Papathanasiou 2021); IGF-1 binds IGFBP-3, ALS and the other IGFBPs (free, binary and "
        "ternary complexes, brief option B) and is cleared. Time in hours; colon lumen in mM, blood SCFA in µM, the IGF "
        "system in nM. Interventions are parameters (fibre_intake, intervention_fibre, microbiota_capacity, abx_*, "
        "supplement_*, GH_basal, gh_step_*, hepatic_igf1_synthesis), so every scenario is a parameter set. Every value's "
        "source and type (M measured, D derived, A assumption) is in its notes; docs/model.md has the table. Source brief: "
        "shared/model-brief.md. Generated by scripts/model/build_model.py."))
    annotate(m, [("hasProperty", "taxonomy:9606"), ("isVersionOf", "GO:0060396"), ("isVersionOf", "GO:0046459")])
    for uid, units in UNITS.items():
        ud = m.createUnitDefinition()
        ud.setId(uid)
        for kind, exp, scale, mult in units:
            u = ud.createUnit()
            u.setKind(kind); u.setExponent(exp); u.setScale(scale); u.setMultiplier(mult)
    m.setTimeUnits("hour"); m.setSubstanceUnits("umol"); m.setExtentUnits("umol"); m.setVolumeUnits("litre")

    for cid, size, name, kind, src in COMPARTMENTS:
        c = m.createCompartment()
        c.setId(cid); c.setName(name); c.setSize(size); c.setUnits("litre"); c.setSpatialDimensions(3); c.setConstant(True)
        c.setSBOTerm(290)
        c.setNotes(notes_xhtml(f"{size} L. Type {kind}. Source: {src}."))

    for sid, comp, init, units, name, terms, src in SPECIES:
        s = m.createSpecies()
        s.setId(sid); s.setName(name); s.setCompartment(comp)
        value = state.get(sid, init)
        if sid in ("Fib", "Fib_fast"):
            s.setHasOnlySubstanceUnits(True); s.setInitialAmount(value)
        else:
            s.setHasOnlySubstanceUnits(False); s.setInitialConcentration(value)
        s.setSubstanceUnits(units); s.setBoundaryCondition(False); s.setConstant(False)
        if units in CONVERSION:
            s.setConversionFactor(CONVERSION[units])
        s.setSBOTerm(SPECIES_SBO.get(sid, 247))
        conc = {"gram": "g (amount)", "mmol": "mM", "umol": "µM", "nmol": "nM"}[units]
        s.setNotes(notes_xhtml(f"Initial value {value:.6g} {conc}: baseline steady state of this model. Type/source: {src}."))
        annotate(s, terms)

    rule_ids = {r[0] for r in RULES} | {r[0] for r in RATE_RULES}
    for pid, value, units, sbo, kind, note in P:
        p = m.createParameter()
        p.setId(pid); p.setValue(value); p.setUnits(units); p.setConstant(pid not in DRIVEN); p.setSBOTerm(sbo)
        tag = {"M": "measured", "D": "derived", "A": "ASSUMPTION"}[kind]
        p.setNotes(notes_xhtml(f"{tag}: {note}"))
    for pid, units, formula, sbo, note in RULES:
        p = m.createParameter()
        p.setId(pid); p.setUnits(units); p.setConstant(False); p.setSBOTerm(sbo)
        p.setNotes(notes_xhtml(f"Assignment rule: {note}."))
    for pid, init, units, formula, note in RATE_RULES:
        p = m.createParameter()
        p.setId(pid); p.setValue(state.get(pid, init)); p.setUnits(units); p.setConstant(False); p.setSBOTerm(2)
        p.setNotes(notes_xhtml(f"Rate rule: {note}."))
    gh = m.getParameter("GH")
    annotate(gh, [("is", "uniprot:" + UNIPROT_GH)])

    for rid, name, reactants, products, formula, reversible, sbo, note in REACTIONS:
        r = m.createReaction()
        r.setId(rid); r.setName(name); r.setReversible(reversible); r.setSBOTerm(sbo)
        for sp in reactants:
            ref = r.createReactant(); ref.setSpecies(sp); ref.setStoichiometry(1); ref.setConstant(True)
        for sp in products:
            ref = r.createProduct()
            if isinstance(sp, tuple):
                ref.setSpecies(sp[0]); ref.setId(sp[1]); ref.setStoichiometry(1); ref.setConstant(True)
            else:
                ref.setSpecies(sp); ref.setStoichiometry(1); ref.setConstant(True)
        for sp in sorted(set(re.findall(r"\b[A-Za-z_]\w*\b", formula)) & {s[0] for s in SPECIES} - set(reactants) -
                         {p if isinstance(p, str) else p[0] for p in products}):
            mod = r.createModifier(); mod.setSpecies(sp)
        kl = r.createKineticLaw()
        kl.setMath(math(m, formula, rid))
        r.setNotes(notes_xhtml(f"{name}. Rate law from {note}."))

    for pid, units, formula, sbo, note in RULES:
        rule = m.createAssignmentRule(); rule.setVariable(pid); rule.setMath(math(m, formula, pid))
    for pid, init, units, formula, note in RATE_RULES:
        rule = m.createRateRule(); rule.setVariable(pid); rule.setMath(math(m, formula, pid))
    for sid, formula in STOICH_IDS:
        ia = m.createInitialAssignment(); ia.setSymbol(sid); ia.setMath(math(m, formula, sid))
    for sid, formula in INITIAL_ASSIGNMENTS:
        ia = m.createInitialAssignment(); ia.setSymbol(sid); ia.setMath(math(m, formula, sid))
    return doc


def validate(doc):
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_UNITS_CONSISTENCY, True)
    doc.setConsistencyChecks(libsbml.LIBSBML_CAT_MODELING_PRACTICE, False)
    doc.checkConsistency()
    problems = [doc.getError(i) for i in range(doc.getNumErrors())]
    for e in problems:
        print(f"  {e.getSeverityAsString()} {e.getErrorId()} line {e.getLine()}: {e.getMessage().strip()}", file=sys.stderr)
    return len(problems)


def read_state():
    state = {}
    if os.path.exists(STATE):
        with open(STATE) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    k, v = line.split("\t")
                    state[k] = float(v)
    return state


def steady(axisim, hours):
    ids = [s[0] for s in SPECIES] + ["Xmic", "S_liv", "epi_adapt"]
    out = subprocess.run([axisim, "simulate", OUT, "--end", str(hours), "--steps", "1", "--select", ",".join(ids),
                          "--quiet"], check=True, capture_output=True, text=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    state = dict(zip(rows[0][1:], map(float, rows[-1][1:])))
    with open(STATE, "w") as f:
        f.write("# baseline steady state (initial values of gut_liver_igf1.xml); written by build_model.py --steady\n")
        for k in ids:
            f.write(f"{k}\t{state[k]:.10g}\n")
    return state


import re  # noqa: E402  (used in build)

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steady", metavar="AXISIM", help="re-equilibrate the initial state with this axisim binary")
    args = ap.parse_args()
    for rounds in range(3 if args.steady else 1):
        doc = build(read_state())
        libsbml.writeSBMLToFile(doc, OUT)
        if args.steady:
            steady(args.steady, 20000)
    n = validate(doc)
    print(f"build_model: wrote {os.path.relpath(OUT, ROOT)} ({n} validation messages)", file=sys.stderr)
    sys.exit(1 if n else 0)
