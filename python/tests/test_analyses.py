"""Steady states, sensitivities and SSA from Python, against the CLI and independent checks."""
import numpy as np
import pytest

import axisim
from conftest import ENZYME, TINY


def test_steady_state_against_the_exact_one_and_a_long_run():
    # A -> B with A + B = 1 conserved: the steady state is A = 0, B = 1, and it is stable.
    text = TINY.replace('reversible="false"', 'reversible="true"').replace(
        '<apply><times/><ci>k</ci><ci>A</ci></apply>',
        '<apply><minus/><apply><times/><ci>k</ci><ci>A</ci></apply><apply><times/><cn>0.25</cn><ci>B</ci></apply></apply>')
    m = axisim.load(text)
    s = m.steady_state()
    assert s.method in ("newton", "pseudo-transient", "integration") and s.stability == "stable"
    assert s.conservation_laws == 1
    # Exact: k A = 0.25 B, A + B = 1  ->  A = 0.25 / 0.75 = 1/3.
    assert s["A"] == pytest.approx(1 / 3, rel=1e-9) and s["B"] == pytest.approx(2 / 3, rel=1e-9)
    r = m.simulate(0, 200, 3, selections=s.ids)
    assert np.allclose(r.to_numpy()[-1, 1:], s.values, rtol=1e-6, atol=1e-9)
    scan = m.scan_steady_state("k", 0.25, 1.0, 4, selections=["A"])
    assert [st["A"] for st in scan.states] == pytest.approx([0.25 / (k + 0.25) for k in (0.25, 0.5, 0.75, 1.0)])


def test_sensitivities_match_finite_differences():
    m = axisim.load(TINY)
    s = m.sensitivities(["k"], 0, 2, 5, selections=["A"])
    assert s.sensitivities.shape == (5, 1, 1)
    # d/dk exp(-k t) = -t exp(-k t)
    t = s.time
    assert np.allclose(s.sensitivities[:, 0, 0], -t * np.exp(-0.5 * t), rtol=1e-5, atol=1e-9)


def test_ssa_trajectory_and_ensemble_are_the_cli_ones(cli):
    text = TINY.replace('initialAmount="1"', 'initialAmount="100"').replace(
        'hasOnlySubstanceUnits="false"', 'hasOnlySubstanceUnits="true"')
    m = axisim.load(text)
    one = m.ssa(0, 5, 6, seed=7)
    ens = m.ssa(0, 5, 6, seed=7, replicates=200, threads=2)
    assert ens.columns == ["time", "A-mean", "A-sd", "B-mean", "B-sd"]
    # Independent: the mean of a pure-death process is 100 exp(-k t).
    assert np.allclose(ens["A-mean"], 100 * np.exp(-0.5 * ens.time), rtol=0.1, atol=1.5)
    assert (one["A"] + one["B"] == 100).all()


def test_ssa_cli_identity(cli, tmp_path):
    text = TINY.replace('initialAmount="1"', 'initialAmount="100"').replace(
        'hasOnlySubstanceUnits="false"', 'hasOnlySubstanceUnits="true"')
    path = tmp_path / "death.xml"
    path.write_text(text)
    m = axisim.load(path)
    assert m.ssa(0, 5, steps=5, seed=7).csv() == cli("simulate", path, "--method", "ssa", "--end", 5, "--steps", 5,
                                                     "--seed", 7)
    assert m.ssa(0, 5, steps=5, seed=7, replicates=100).csv() == cli(
        "simulate", path, "--method", "ssa", "--end", 5, "--steps", 5, "--seed", 7, "--replicates", 100)


def test_analysis_errors(tmp_path):
    with pytest.raises(axisim.UsageError):
        axisim.load(TINY).steady_state(method="magic")
    with pytest.raises(axisim.UsageError):
        axisim.load(TINY).fba()  # read from a string: no file to read the fbc problem from
    path = tmp_path / "tiny.xml"
    path.write_text(TINY)
    with pytest.raises(axisim.UnsupportedError) as e:
        axisim.load(path).fba()  # no fbc objective
    assert e.value.kind == "unsupported"


def test_moieties_control_and_steady_state_sensitivities():
    text = TINY.replace('reversible="false"', 'reversible="true"').replace(
        '<apply><times/><ci>k</ci><ci>A</ci></apply>',
        '<apply><minus/><apply><times/><ci>k</ci><ci>A</ci></apply><apply><times/><cn>0.25</cn><ci>B</ci></apply></apply>')
    m = axisim.load(text)
    mo = m.moieties()
    assert mo.exact and mo.rank == 1 and len(mo.laws) == 1
    law = mo.laws[0]
    assert sorted(law.species) == ["A", "B"] and law.coefficients == [1.0, 1.0] and law.total == 1.0
    assert mo.stoichiometry.to_numpy().tolist() in ([[-1.0], [1.0]],)
    # A is independent (the first species R changes), B = -A + 1: N_R = [[-1]], L0 = [[-1]]; one
    # reaction of rank one leaves no free reaction, so the kernel has no column.
    assert mo.reduced_stoichiometry.to_numpy().tolist() == [[-1.0]]
    assert mo.link0.to_numpy().tolist() == [[-1.0]]
    assert mo.kernel.shape == (1, 0) and mo.free_reactions == []
    # A = 0.25 / (k + 0.25) at the steady state: dA/dk = -0.25 / (k + 0.25)^2 = -0.25 / 0.5625.
    s = m.steady_state_sensitivities(["k"], ["A"])
    assert s.unscaled.at("A", "k") == pytest.approx(-0.25 / 0.5625, rel=1e-6)
    mca = m.control_analysis()
    assert mca.reactions == ["R"] and mca.flux_control.shape == (1, 1)
    # One reversible reaction in a closed system: at the steady state it is at equilibrium, no net flux.
    assert mca.fluxes[0] == pytest.approx(0.0, abs=1e-12)
    assert mca.concentrations == pytest.approx([1 / 3, 2 / 3], rel=1e-9)


def test_flux_variability_and_parsimonious_fba():
    # tests/sedml/data/tiny_fbc.xml: Rin = R1 + R2 <= 10, Rout = R1 + 2 R2, R2 <= 4; the optimum
    # Rout = 14. Held at half of it (Rout >= 7), by hand: R1 in [0, 10], Rout in [7, 14]; the least
    # total Rin + R1 + R2 + Rout = 3 R1 + 4 R2 is R2 = 3.5, R1 = 0 (Rin 3.5, Rout 7, total 14).
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[2] / "tests" / "sedml" / "data" / "tiny_fbc.xml"
    r = axisim.flux_variability(path, ["R1", "Rout"], fraction_of_optimum=0.5)
    assert r.ids == ["R1", "Rout"] and r.feasible
    assert r["R1"] == pytest.approx((0, 10), abs=1e-9)
    assert r["Rout"] == pytest.approx((7, 14))
    assert r.objective == pytest.approx(14) and r.objective_bound == pytest.approx(7)
    assert set(r.to_dict()) == {"R1", "Rout"}
    with pytest.raises(KeyError):
        r["R2"]
    p = axisim.fba(path, ["Rin", "R1", "R2", "Rout"], pfba=True, fraction_of_optimum=0.5)
    assert p.values == pytest.approx([3.5, 0, 3.5, 7], abs=1e-9)
    assert p.total_flux == pytest.approx(14)
    # Geometric FBA: its first round keeps pFBA's set, here one vector, so it is pFBA's.
    g = axisim.fba(path, ["Rin", "R1", "R2", "Rout"], geometric=True, fraction_of_optimum=0.5)
    assert g.values == pytest.approx([3.5, 0, 3.5, 7], abs=1e-6)
    with pytest.raises(axisim.InvalidSbmlError):
        axisim.fba(path, pfba=True, geometric=True)
    with pytest.raises(axisim.UnknownIdError):
        axisim.flux_variability(path, ["OBJ"])  # an objective has no flux range


def test_dynamic_fba():
    # tests/sedml/data/tiny_fbc.xml with boundary species X as the medium (Rin: X -> B takes it) and Rout
    # as the growth rate: at an uptake u <= 4 every B goes through R2 (2 C each), so mu = 2 u. With
    # vmax = 1 (km = 0): X(t) = 0.1 e^(2t), S = 1 - (X - 0.1) / 2, until S is spent at ln(21) / 2 = 1.52.
    import math
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[2] / "tests" / "sedml" / "data" / "tiny_fbc.xml"
    desc = 'biomass_reaction = "Rout"\ninitial_biomass = 0.1\n[[exchange]]\nreaction = "Rin"\ninitial = 1\nvmax = 1\n'
    r = axisim.dynamic_fba(path, desc, 2.0, points=4)
    assert r.columns == ["time", "biomass", "X", "Rout", "Rin"]
    assert r["time"] == pytest.approx([0, 0.5, 1, 1.5, 2])
    x = [0.1 * math.exp(2 * t) for t in (0, 0.5, 1, 1.5)] + [0.1 + 2 * 1]
    assert r["biomass"] == pytest.approx(x, rel=1e-9)
    assert r["X"][:4] == pytest.approx([1 - (v - 0.1) / 2 for v in x[:4]], rel=1e-9)
    assert r["X"][4] == 0
    assert r["Rout"] == pytest.approx([2, 2, 2, 2, 0], abs=1e-9)
    with pytest.raises(axisim.UsageError):
        axisim.dynamic_fba(path, 'biomass_reaction = "Rout"\n', 1.0)


def test_dynamic_fba_fed_batch_with_a_lexicographic_objective():
    # The culture above fed (volume 1, feed rate 0.5 of X at 2), R1 maximised after the model's
    # objective with growth held within 25 %: Rin = 1, Rout >= 1.5 with R1 + R2 = 1 gives R1 = 0.5,
    # mu = 1.5. V = 1 + 0.5 t, P V = 0.1 e^(1.5 t), X V = 1 + t - 0.1 (e^(1.5 t) - 1) / 1.5.
    import math
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[2] / "tests" / "sedml" / "data" / "tiny_fbc.xml"
    desc = ('biomass_reaction = "Rout"\ninitial_biomass = 0.1\nvolume = 1\nfeed_rate = 0.5\nobjective_tolerance = 0.25\n'
            '[[exchange]]\nreaction = "Rin"\ninitial = 1\nvmax = 1\nfeed = 2\n[[objective]]\nreaction = "R1"\nsense = "max"\n')
    r = axisim.dynamic_fba(path, desc, 2.0, points=4, outputs=["biomass", "volume", "X", "Rout", "R1"])
    t = [0, 0.5, 1, 1.5, 2]
    v = [1 + 0.5 * x for x in t]
    assert r["volume"] == pytest.approx(v, rel=1e-12)
    assert r["biomass"] == pytest.approx([0.1 * math.exp(1.5 * x) / w for x, w in zip(t, v)], rel=1e-9)
    assert r["X"] == pytest.approx([(1 + x - 0.1 * math.expm1(1.5 * x) / 1.5) / w for x, w in zip(t, v)], rel=1e-9)
    assert r["Rout"] == pytest.approx([1.5] * 5, abs=1e-9)
    assert r["R1"] == pytest.approx([0.5] * 5, abs=1e-9)
    with pytest.raises(axisim.UsageError):
        axisim.dynamic_fba(path, desc.replace("volume = 1\n", ""), 1.0)  # feed_rate without volume


def test_fba_reduced_costs_and_shadow_prices():
    # tests/sedml/data/tiny_fbc.xml (as duals.sedml works out by hand): the optimum Rin = 10,
    # R2 = 4, R1 = 6, Rout = 14 is not degenerate; shadow prices of B and C -1 (a required net
    # production of either lowers Rout one for one), of boundary X 0; reduced costs of Rin and R2
    # (at their upper bounds) +1, of R1 and Rout (between their bounds) 0.
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[2] / "tests" / "sedml" / "data" / "tiny_fbc.xml"
    r = axisim.fba(path)
    assert r.reduced_costs == pytest.approx({"Rin": 1, "R1": 0, "R2": 1, "Rout": 0}, abs=1e-9)
    assert r.shadow_prices == pytest.approx({"X": 0, "B": -1, "C": -1, "P": 0}, abs=1e-9)
    # pFBA's duals: those of its least-total-flux program, as rates of change of that total. At half
    # the optimum (Rout >= 7) its vertex R2 = 3.5, Rin = 3.5, Rout = 7 (R1 = 0 at its lower bound) is
    # not degenerate; by hand: a required net production of B costs one more uptake, +1; of C half a
    # unit more through R2 and Rin, +1; forcing a unit through R1 (it takes over from R2 one C of its
    # two: R2 -1/2, Rin +1/2) +1; Rin, R2 and Rout between their bounds 0.
    p = axisim.fba(path, pfba=True, fraction_of_optimum=0.5)
    assert p.shadow_prices == pytest.approx({"X": 0, "B": 1, "C": 1, "P": 0}, abs=1e-9)
    assert p.reduced_costs == pytest.approx({"Rin": 0, "R1": 1, "R2": 0, "Rout": 0}, abs=1e-9)
    # pFBA by the fewest active fluxes is a mixed-integer program: no duals.
    assert axisim.fba(path, fewest_active=True).reduced_costs == {}


def test_loopless_flux_variability_methods():
    # tiny_fbc.xml has no cycle: every method gives plain FVA's ranges (R1 in [6, 6] at the optimum).
    import pathlib
    path = pathlib.Path(__file__).resolve().parents[2] / "tests" / "sedml" / "data" / "tiny_fbc.xml"
    for loopless in (False, True, "heuristic", "exact"):
        r = axisim.flux_variability(path, ["R1", "R2"], loopless=loopless)
        assert r["R1"] == pytest.approx((6, 6)) and r["R2"] == pytest.approx((4, 4))
        assert r.objective == pytest.approx(14)
    with pytest.raises(axisim.InvalidSbmlError):
        axisim.flux_variability(path, loopless="milp")
