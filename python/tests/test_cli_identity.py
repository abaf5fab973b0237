"""The same model and settings give the same numbers from Python as from `axisim simulate`, bit
for bit: the CLI prints every double in its shortest round-trip form, so parsing its CSV gives
back the exact doubles, and Result.csv() must be the same text."""
import numpy as np

import axisim
from conftest import ENZYME, FLAGSHIP, FOUR_PLUGINS, MODELS


def parse_csv(text):
    lines = text.strip().splitlines()
    header = lines[0].split(",")
    return header, np.array([[float(x) for x in line.split(",")] for line in lines[1:]])


def assert_identical(result, cli_text):
    header, values = parse_csv(cli_text)
    assert result.columns == header
    table = result.to_numpy()
    assert table.shape == values.shape
    # Bit for bit: equal as doubles (NaN nowhere here), and the same text.
    assert (table == values).all(), np.max(np.abs(table - values))
    assert result.csv() == cli_text


def test_enzyme_model_as_the_cli(cli):
    out = cli("simulate", ENZYME, "--end", 50, "--steps", 100, "--set", "kcat=0.3")
    m = axisim.load(ENZYME)
    m["kcat"] = 0.3
    assert_identical(m.simulate(0, 50, steps=100), out)


def test_tolerances_selection_and_amounts_as_the_cli(cli):
    out = cli("simulate", ENZYME, "--start", 5, "--end", 20, "--steps", 30, "--atol", 1e-10, "--rtol", 1e-6,
              "--select", "S,P,binding", "--amounts", "S")
    m = axisim.load(ENZYME)
    r = m.simulate(5, 20, 31, atol=1e-10, rtol=1e-6, selections=["S", "P", "binding"], amounts=["S"])
    assert_identical(r, out)


def test_flagship_fibre_scenario_with_the_four_plugins_as_the_cli(cli):
    scenario = MODELS / "scenarios" / "fibre_intervention.toml"
    select = ["IGF1_total", "Bu_p", "bone.BMD_change_pct", "muscle.mass_change_pct", "metabolic.HOMA_IR",
              "gut-barrier.TEER_pct"]
    args = ["simulate", "--scenario", scenario, "--select", ",".join(select)]
    for p in FOUR_PLUGINS:
        args += ["--plugin", p]
    out = cli(*args, "--plugin-param", "bone.a_IGF=0.2")
    m, options, name, _ = axisim.load_scenario(scenario)
    assert name == "fibre_intervention" and m.source == str(FLAGSHIP)
    for p in FOUR_PLUGINS:
        if p == "bone":
            m.attach(p, a_IGF=0.2)
        else:
            m.attach(p)
    options["selections"] = select
    assert_identical(m.simulate(**options), out)
