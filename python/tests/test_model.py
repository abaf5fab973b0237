"""Loading, ids, values by id, simulate, results as numpy/pandas/matplotlib, errors."""
import math
import subprocess
import sys

import numpy as np
import pytest

import axisim
from conftest import ENZYME, TINY


def test_load_from_file_and_string_give_the_same_model():
    a = axisim.load(ENZYME)
    b = axisim.load(ENZYME.read_text())
    assert a.id == b.id == "enzyme_kinetics"
    assert a.ids == b.ids
    assert a.source == str(ENZYME) and b.source is None
    assert {"S", "E", "ES", "P", "kon", "binding"} <= set(a.ids)
    assert a.kind("S") == "species" and a.kind("kon") == "parameter" and a.kind("binding") == "reaction"


def test_exact_solution_of_first_order_decay():
    m = axisim.load(TINY)
    r = m.simulate(0, 4, 41, atol=1e-14, rtol=1e-12)
    assert r.columns == ["time", "A", "B"] and len(r) == 41
    assert np.allclose(r.time, np.linspace(0, 4, 41), rtol=0, atol=1e-15)
    assert np.allclose(r["A"], np.exp(-0.5 * r.time), rtol=1e-9, atol=1e-12)
    assert np.allclose(r["A"] + r["B"], 1.0, rtol=0, atol=1e-10)


def test_setting_a_parameter_changes_the_run_as_the_solution_says():
    m = axisim.load(TINY)
    assert m["k"] == 0.5
    m["k"] = 2.0
    assert m["k"] == 2.0
    r = m.simulate(0, 1, steps=10, selections=["A"], atol=1e-14, rtol=1e-12)
    assert math.isclose(r["A"][-1], math.exp(-2.0), rel_tol=1e-9)
    m.set_value("A", 3.0, "amount")
    assert m.initial_value("A", "amount") == 3.0


def test_copies_are_independent():
    m = axisim.load(TINY)
    c = m.copy()
    c["k"] = 1.0
    assert m["k"] == 0.5 and c["k"] == 1.0


def test_points_steps_and_start():
    m = axisim.load(TINY)
    assert len(m.simulate(0, 10)) == 101
    assert len(m.simulate(0, 10, steps=5)) == 6
    r = m.simulate(2, 4, 3)
    assert list(r.time) == [2.0, 3.0, 4.0]
    with pytest.raises(axisim.UsageError):
        m.simulate(0, 10, 11, steps=10)


def test_selections_with_quantities():
    m = axisim.load(TINY)
    m.set_value("c", 2.0)  # compartment size: concentration = amount / 2
    r = m.simulate(0, 1, 2, selections=[("A", "amount"), ("A", "concentration"), "R", "k"])
    assert r.columns == ["time", "A", "A", "R", "k"]
    v = r.to_numpy()
    assert np.allclose(v[:, 1], 2 * v[:, 2])
    assert np.allclose(v[:, 3], 0.5 * v[:, 2])  # the rate k*[A] ... in amount per time
    r2 = m.simulate(0, 1, 2, amounts=["A"])
    assert r2.columns == ["time", "A", "B"] and r2["A"][0] == 1.0


def test_numpy_views_do_not_copy_and_are_read_only():
    r = axisim.load(TINY).simulate(0, 1, 11)
    table = r.to_numpy()
    assert table.shape == (11, 3) and table.dtype == np.float64
    assert np.shares_memory(table, r["A"]) and np.shares_memory(table, r.time)
    assert not table.flags.writeable
    with pytest.raises(ValueError):
        table[0, 0] = 1.0
    del r  # the views keep the result alive
    assert table[0, 1] == 1.0
    assert np.array(axisim.load(TINY).simulate(0, 1, 3)).shape == (3, 3)
    assert np.asarray(axisim.load(TINY).simulate(0, 1, 3), dtype=np.float32).dtype == np.float32


def test_pandas_and_plot():
    pd = pytest.importorskip("pandas")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    r = axisim.load(TINY).simulate(0, 1, 5)
    df = r.to_pandas()
    assert isinstance(df, pd.DataFrame) and list(df.columns) == ["A", "B"] and df.index.name == "time"
    assert (df["A"].to_numpy() == r["A"]).all()
    ax = r.plot(["A"])
    assert len(ax.lines) == 1 and (ax.lines[0].get_ydata() == r["A"]).all()


def test_result_csv_and_stats():
    r = axisim.load(TINY).simulate(0, 1, 3)
    assert r.csv().splitlines()[0] == "time,A,B"
    assert r.stats.steps > 0 and r.stats.rhs_evaluations > 0 and r.stats.backend in ("interpreter", "native")
    assert r.error == "" and not r.timed_out
    assert "A" in r and "Z" not in r


def test_errors_are_exceptions_with_axisim_message_and_kind(tmp_path):
    with pytest.raises(axisim.IoError) as e:
        axisim.load(tmp_path / "missing.xml")
    assert e.value.kind == "io" and "missing.xml" in str(e.value) and isinstance(e.value, OSError)
    assert isinstance(e.value, axisim.Error)

    bad = tmp_path / "bad.xml"
    bad.write_text("<sbml><model id='x'>\n<listOfSpecies>\n</sbml>")
    with pytest.raises(axisim.InvalidSbmlError) as e:
        axisim.load(bad)
    assert e.value.kind == "invalid_sbml" and "bad.xml" in str(e.value)

    m = axisim.load(TINY)
    with pytest.raises(axisim.UnknownIdError) as e:
        m["nope"] = 1
    assert "nope" in str(e.value) and isinstance(e.value, LookupError) and e.value.kind == "unknown_id"
    with pytest.raises(axisim.UnknownIdError):
        m.simulate(0, 1, selections=["nope"])
    with pytest.raises(axisim.UsageError) as e:
        m.simulate(0, 1, steps=-3)
    assert e.value.kind == "usage"
    with pytest.raises(axisim.UsageError):
        m.simulate(0, 1, linear_solver="magic")
    with pytest.raises(axisim.UnknownIdError):
        m.kind("nope")


def test_solver_failure_is_a_solver_error():
    text = TINY.replace('<ci>k</ci><ci>A</ci>', '<ci>k</ci><ci>A</ci><ci>A</ci><ci>A</ci>').replace(
        'value="0.5"', 'value="-1e6"')
    m = axisim.load(text)
    with pytest.raises(axisim.SolverError) as e:
        m.simulate(0, 100, 3, max_steps=50)
    assert e.value.kind == "solver"


def test_logging_goes_to_pythons_logging_not_stdout():
    # axisim's lines are records of the logger "axisim" (test_logging.py); configured by
    # basicConfig, they reach stderr through logging's handler, and nothing reaches stdout.
    code = ("import axisim, logging, sys; "
            "logging.basicConfig(level=logging.DEBUG, format='%(name)s %(levelname)s: %(message)s'); "
            "axisim.set_log_level('debug'); m = axisim.load(sys.argv[1]); "
            "m.simulate(0, 1, 3, reduce_moieties=True); axisim.load_plugin('bone')")
    proc = subprocess.run([sys.executable, "-c", code, str(ENZYME)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "axisim DEBUG:" in proc.stderr


def test_help_reads_like_the_header():
    doc = axisim.Model.simulate.__doc__
    assert "initial state holds at time 0" in doc and "selections" in doc and "GIL" in doc
    assert "consistency checks" in axisim.load.__doc__
