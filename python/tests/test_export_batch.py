"""Export and batch from Python, checked against the CLI and against Model.simulate."""
import os

import numpy as np
import pytest

import axisim
from conftest import ENZYME, FLAGSHIP, TINY


def test_export_is_the_cli_export(cli, tmp_path):
    m = axisim.load(ENZYME)
    m["kcat"] = 0.3
    out = tmp_path / "py.xml"
    m.export(out, level=2, version=4)
    cli("export", ENZYME, "-o", tmp_path / "cli.xml", "--set", "kcat=0.3", "--level", 2, "--version", 4)
    assert out.read_text() == (tmp_path / "cli.xml").read_text()
    again = axisim.load(out)
    assert again["kcat"] == 0.3
    assert again.simulate(0, 10, 11).csv() == m.simulate(0, 10, 11).csv()


def test_export_of_a_string_model_and_at_time(tmp_path):
    m = axisim.load(TINY)
    text = m.to_sbml(at_time=1.0)
    moved = axisim.load(text)
    assert moved["A"] == pytest.approx(np.exp(-0.5), rel=1e-7)
    with pytest.raises(axisim.Error):
        m.export(tmp_path / "no" / "such" / "dir" / "x.xml")


def test_export_records_plugins_and_load_attaches_them(tmp_path):
    m = axisim.load(FLAGSHIP)
    m.attach("bone", a_IGF=0.3)
    m.export(tmp_path / "coupled.xml")
    again = axisim.load(tmp_path / "coupled.xml")
    assert [p["name"] for p in again.plugins] == ["bone"] and again.plugins[0]["parameters"]["a_IGF"] == 0.3
    assert axisim.load(tmp_path / "coupled.xml", attach_recorded=False).plugins == []
    sel = ["IGF1_total", "bone.BMD_change_pct"]
    assert again.simulate(0, 48, 3, selections=sel).csv() == m.simulate(0, 48, 3, selections=sel).csv()


def test_batch_of_job_dicts_equals_simulate(tmp_path):
    jobs = [{"id": f"kcat_{i}", "model": str(ENZYME), "simulation": {"end": 20, "steps": 40},
             "set": {"kcat": 0.1 * (i + 1)}, "select": ["S", "P"]} for i in range(6)]
    run = axisim.batch(jobs, workers=2, outdir=tmp_path / "out")
    assert run.ok and run.counts["ok"] == 6 and len(run.summary) == 6
    assert os.path.exists(tmp_path / "out" / "summary.csv")
    for i in range(6):
        m = axisim.load(ENZYME)
        m["kcat"] = 0.1 * (i + 1)
        expected = m.simulate(0, 20, steps=40, selections=["S", "P"])
        got = run.results[f"kcat_{i}"]
        assert got.columns == expected.columns
        assert (got.to_numpy() == expected.to_numpy()).all()


def test_batch_in_a_temporary_folder_with_a_failing_job():
    jobs = {"defaults": {"model": str(ENZYME), "simulation": {"end": 5, "steps": 5}},
            "job": [{"id": "good"}, {"id": "bad", "set": {"no_such_id": 1.0}}]}
    run = axisim.batch(jobs)
    assert run.outdir is None
    assert run.counts["ok"] == 1 and run.counts["failed"] == 1 and not run.ok
    assert "good" in run.results and "bad" not in run.results
    bad = [row for row in run.summary if row["job"] == "bad"][0]
    assert "no_such_id" in bad["error"]


def test_batch_job_file_errors_name_the_key():
    with pytest.raises(axisim.UsageError) as e:
        axisim.batch([{"id": "x", "model": str(ENZYME), "not_a_key": 1}])
    assert "not_a_key" in str(e.value)
