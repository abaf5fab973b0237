"""Model.ssa(method=...): the approximate stochastic methods and their options, as `axisim simulate
--method X` runs them (same seed, same numbers), against analytic results (the SBML Test Suite's
statistical rule; the ODE for a continuous population), and the refusals the CLI makes."""
import math

import numpy as np
import pytest

import axisim
from conftest import sbml_model

# One species X (molecule counts) with two reactions: `gain` makes X, `loss` removes it.
ONE_SPECIES = """    <listOfSpecies>
      <species id="X" compartment="c" initialAmount="{x0}" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/>
    </listOfSpecies>
    <listOfParameters>
      <parameter id="a" value="{a}" constant="true"/><parameter id="mu" value="{mu}" constant="true"/>
    </listOfParameters>
    <listOfReactions>
      <reaction id="gain" reversible="false">
        {gain_reactants}
        <listOfProducts><speciesReference species="X" stoichiometry="{gain_products}" constant="true"/></listOfProducts>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML">{gain_rate}</math></kineticLaw>
      </reaction>
      <reaction id="loss" reversible="false">
        <listOfReactants><speciesReference species="X" stoichiometry="1" constant="true"/></listOfReactants>
        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>mu</ci><ci>X</ci></apply></math></kineticLaw>
      </reaction>
    </listOfReactions>
"""


def immigration_death(x0, k, mu):
    """0 -> X at k, X -> 0 at mu X: stationary distribution Poisson(k / mu)."""
    return sbml_model("immigration_death", ONE_SPECIES.format(x0=x0, a=k, mu=mu, gain_reactants="", gain_products=1,
                                                              gain_rate="<ci>a</ci>"))


def birth_death(x0, lam, mu):
    """X -> 2 X at lam X, X -> 0 at mu X: mean x0 exp((lam - mu) t), the ODE's solution."""
    return sbml_model("birth_death", ONE_SPECIES.format(
        x0=x0, a=lam, mu=mu,
        gain_reactants='<listOfReactants><speciesReference species="X" stoichiometry="1" constant="true"/></listOfReactants>',
        gain_products=2, gain_rate="<apply><times/><ci>a</ci><ci>X</ci></apply>"))


# Each method with and without its options, and the CLI's spelling of those options.
METHODS = [
    ("exact", {}),
    ("tau-leap", {}),
    ("tau-leap", {"tau_epsilon": 0.06}),
    ("implicit-tau-leap", {"tau_delta": 0.1}),
    ("adaptive-tau-leap", {"tau_epsilon": 0.05, "tau_delta": 0.1}),
    ("hybrid", {}),
    ("hybrid", {"switch_tol": 0.05, "tau_epsilon": 0.05}),
    ("hybrid", {"switch_min": 50}),
]


def cli_args(method, options):
    args = ["--method", "ssa" if method == "exact" else method]
    for name, value in options.items():
        args += ["--" + name.replace("_", "-"), value]
    return args


@pytest.mark.parametrize("method,options", METHODS)
def test_each_method_is_the_clis(cli, tmp_path, method, options):
    path = tmp_path / "immigration_death.xml"
    path.write_text(immigration_death(80, 10, 0.1))
    m = axisim.load(path)
    grid = ["--end", 20, "--steps", 10, "--seed", 11]
    one = m.ssa(0, 20, steps=10, seed=11, method=method, **options)
    assert one.csv() == cli("simulate", path, *cli_args(method, options), *grid)
    ens = m.ssa(0, 20, steps=10, seed=11, replicates=100, threads=2, method=method, **options)
    assert ens.csv() == cli("simulate", path, *cli_args(method, options), *grid, "--replicates", 100)
    every = m.ssa(0, 20, steps=10, seed=11, replicates=3, all=True, method=method, **options)
    assert every.csv() == cli("simulate", path, *cli_args(method, options), *grid, "--replicates", 3, "--all")


def test_exact_is_the_default_and_the_clis_ssa():
    m = axisim.load(immigration_death(80, 10, 0.1))
    default = m.ssa(0, 20, steps=10, seed=3, replicates=50)
    assert m.ssa(0, 20, steps=10, seed=3, replicates=50, method="exact").csv() == default.csv()
    assert m.ssa(0, 20, steps=10, seed=3, replicates=50, method="ssa").csv() == default.csv()


@pytest.mark.parametrize("method", ["tau-leap", "implicit-tau-leap", "adaptive-tau-leap", "hybrid"])
def test_immigration_death_reaches_its_stationary_mean(method):
    # From X = 0 (k = 10, mu = 0.1): X(t) is Poisson with mean k / mu (1 - exp(-mu t)), so from
    # t = 50 on within 0.7% of the stationary Poisson(100). The SBML Test Suite's rule on the
    # 2,000-replicate mean at t = 50, 60, ..., 100: Z = sqrt(n) (m - mu) / sigma in (-3, 3), and
    # for tau-leaping and the hybrid on the variance, Y = sqrt(n / 2) (s^2 / sigma^2 - 1) in
    # (-5, 5); at most one point outside. The hybrid keeps X discrete here (its coefficient of
    # variation, about sqrt(20) / 100, is above 0.03). Immigration and death change X oppositely,
    # a pair in partial equilibrium near 100, over which the implicit leaps (implicit-tau-leap,
    # and adaptive-tau-leap where they are much longer) go: they damp its fluctuations, the
    # documented bias (docs/stochastic.md: variance 2 / (2 + mu tau) of the exact one), so for
    # them the sd is only checked to be below the exact one.
    k, mu, n = 10.0, 0.1, 2000
    r = axisim.load(immigration_death(0, k, mu)).ssa(0, 100, steps=10, seed=5, replicates=n, threads=2, method=method)
    damped = method in ("implicit-tau-leap", "adaptive-tau-leap")
    outside = points = 0
    for t, m, s in zip(r.time, r["X-mean"], r["X-sd"]):
        if t < 50:
            continue
        expected = k / mu * (1 - math.exp(-mu * t))  # mean and variance (Poisson)
        z = math.sqrt(n) * (m - expected) / math.sqrt(expected)
        outside += not -3 < z < 3
        if damped:
            assert s < math.sqrt(expected), r.csv()
        else:
            outside += not -5 < math.sqrt(n / 2) * (s * s / expected - 1) < 5
        points += 1
    assert points == 6 and outside <= 1, r.csv()


def test_hybrid_large_population_is_the_ode():
    # From 10,000 (lambda 0.1, mu 0.11) X's coefficient of variation is about 0.005 < 0.03: it is
    # continuous, both reactions are integrated, and every run is x0 exp((lambda - mu) t).
    x0, lam, mu = 10000.0, 0.1, 0.11
    m = axisim.load(birth_death(x0, lam, mu))
    r = m.ssa(0, 20, steps=20, seed=1, replicates=20, method="hybrid")
    exact = x0 * np.exp((lam - mu) * r.time)
    assert np.all(np.abs(r["X-mean"] - exact) <= 1e-6 * exact)
    assert np.all(r["X-sd"] <= 1e-9 * exact)
    ode = m.simulate(0, 20, 21, selections=["X"])
    assert np.all(np.abs(r["X-mean"] - ode["X"]) <= 1e-6 * exact)


@pytest.mark.parametrize("method,options,message", [
    ("exact", {"tau_epsilon": 0.05},
     "tau_epsilon is an option of method='tau-leap', 'implicit-tau-leap', 'adaptive-tau-leap' and 'hybrid'"),
    ("tau-leap", {"tau_delta": 0.1}, "tau_delta is an option of method='implicit-tau-leap' and 'adaptive-tau-leap'"),
    ("hybrid", {"tau_delta": 0.1}, "tau_delta is an option of method='implicit-tau-leap' and 'adaptive-tau-leap'"),
    ("tau-leap", {"switch_tol": 0.05}, "switch_tol and switch_min are options of method='hybrid'"),
    ("adaptive-tau-leap", {"switch_min": 50}, "switch_tol and switch_min are options of method='hybrid'"),
    ("exact", {"switch_min": 50}, "switch_tol and switch_min are options of method='hybrid'"),
])
def test_an_option_the_method_does_not_use_is_refused(method, options, message):
    m = axisim.load(immigration_death(10, 10, 0.1))
    with pytest.raises(axisim.UsageError) as e:
        m.ssa(0, 1, steps=1, method=method, **options)
    assert message in str(e.value) and e.value.kind == "usage"


def test_unknown_methods_and_bad_values_are_refused():
    m = axisim.load(immigration_death(10, 10, 0.1))
    with pytest.raises(axisim.UsageError, match="unknown method 'tau_leap'"):
        m.ssa(0, 1, steps=1, method="tau_leap")
    with pytest.raises(axisim.UsageError, match="epsilon must be between 0 and 1"):
        m.ssa(0, 1, steps=1, method="tau-leap", tau_epsilon=2.0)
    with pytest.raises(axisim.UsageError, match="switch_min must be finite and not negative"):
        m.ssa(0, 1, steps=1, method="hybrid", switch_min=-1.0)


def test_stats_report_the_method_and_what_it_did():
    # The hybrid integrates the large birth-death population
    # (no firing, as in test_hybrid_large_population_is_the_ode); the exact method fires every
    # reaction one by one, and tau-leaping leaps.
    m = axisim.load(birth_death(10000, 0.1, 0.11))
    r, st = m.ssa(0, 1, steps=2, seed=1, replicates=4, method="hybrid", stats=True)
    assert isinstance(st, axisim.StochasticStats) and r.columns == ["time", "X-mean", "X-sd"]
    assert st.method == "continuous-discrete hybrid (GillesPy2's TauHybridSolver)"
    assert st.replicates == 4 and st.firings == 0 and st.seconds >= 0
    exact_run, end, st = m.ssa(0, 1, steps=2, seed=1, method="exact", stats=True, end_state=True)
    assert st.method == "Gillespie direct" and isinstance(end, axisim.RunState)
    # Every birth adds one X and every death removes one: firings >= |X(1) - X(0)|, and about
    # 2,100 a unit of time fire.
    assert st.firings >= abs(exact_run["X"][-1] - 10000) and 1500 < st.firings < 2700
    assert st.leaps == 0 and st.selection in ("linear search", "sum tree")
    _, st = m.ssa(0, 1, steps=2, seed=1, method="tau-leap", stats=True)
    assert st.method == "tau-leaping (Cao-Gillespie-Petzold)" and st.leaps > 0
