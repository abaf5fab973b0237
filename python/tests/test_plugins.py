"""Plugins from Python: discovery, attach with parameters, the same run as the CLI's, errors."""
import numpy as np
import pytest

import axisim
from conftest import FLAGSHIP, FOUR_PLUGINS, TINY


def test_the_four_tissue_plugins_are_found():
    found = {p.name: p for p in axisim.plugins()}
    assert set(FOUR_PLUGINS) <= set(found)
    bone = found["bone"]
    assert bone.version and bone.path.endswith("axisim-plugin-bone.so")
    assert "a_IGF" in [q["name"] for q in bone.parameters]
    assert any(i["sbml_id"] for i in bone.inputs)


def test_attach_sets_parameters_and_reports_outputs(cli):
    m = axisim.load(FLAGSHIP)
    m.attach("bone", a_IGF=0.2)
    [attached] = m.plugins
    assert attached["name"] == "bone" and attached["parameters"]["a_IGF"] == 0.2
    r = m.simulate(0, 240, 5, selections=["IGF1_total", "bone.BMD_change_pct"])
    out = cli("simulate", FLAGSHIP, "--end", 240, "--steps", 4, "--select", "IGF1_total,bone.BMD_change_pct",
              "--plugin", "bone", "--plugin-param", "bone.a_IGF=0.2")
    assert r.csv() == out
    # Another parameter value gives another (independently computed) run, again the CLI's.
    m2 = axisim.load(FLAGSHIP)
    m2.attach(axisim.load_plugin("bone"), a_IGF=0.9)
    r2 = m2.simulate(0, 240, 5, selections=["IGF1_total", "bone.BMD_change_pct"])
    out2 = cli("simulate", FLAGSHIP, "--end", 240, "--steps", 4, "--select", "IGF1_total,bone.BMD_change_pct",
               "--plugin", "bone", "--plugin-param", "bone.a_IGF=0.9")
    assert r2.csv() == out2 and r2.csv() != r.csv()


def test_default_outputs_include_plugin_outputs():
    m = axisim.load(FLAGSHIP)
    m.attach("muscle")
    r = m.simulate(0, 24, 3)
    assert any(c.startswith("muscle.") for c in r.columns)
    assert np.isfinite(r.to_numpy()).all()


def test_plugin_errors_name_the_plugin():
    with pytest.raises(axisim.PluginError) as e:
        axisim.load_plugin("no-such-plugin")
    assert "no-such-plugin" in str(e.value) and e.value.kind == "plugin"
    m = axisim.load(FLAGSHIP)
    with pytest.raises(axisim.PluginError) as e:
        m.attach("bone", not_a_parameter=1.0)
    assert "not_a_parameter" in str(e.value)
    # The bone plugin's inputs are not in a tiny model: it cannot bind.
    with pytest.raises(axisim.PluginError) as e:
        axisim.load(TINY).attach("bone")
    assert "bone" in str(e.value)
