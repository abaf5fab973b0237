"""Continued runs from Python (axisim.RunState; axisim/run_state.hpp): a run split in two equals
the whole run and the analytic solution; values changed where the run stands; a delayed event
waiting at the split; stochastic end states; plugin parameters changed between the pieces."""
import copy
import math

import numpy as np
import pytest

import axisim
from conftest import SOURCE, TINY

K = 0.5  # TINY's rate constant: A -> B at k A, A(0) = 1, so A(t) = exp(-k t)

# TINY with an event: at t = 4 (trigger time >= 4) it schedules, after a delay of 3, A := A + 1
# with A taken at the trigger time. So A(t) = exp(-k t) before 7 and (exp(-4 k) + 1) exp(-k (t - 7))
# after it.
DELAYED = TINY.replace("<model id=\"tiny\">", "<model id=\"delayed\">").replace("</listOfReactions>", """</listOfReactions>
    <listOfEvents>
      <event id="E" useValuesFromTriggerTime="true">
        <trigger initialValue="false" persistent="true"><math xmlns="http://www.w3.org/1998/Math/MathML">
          <apply><geq/><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time">t</csymbol><cn>4</cn></apply>
        </math></trigger>
        <delay><math xmlns="http://www.w3.org/1998/Math/MathML"><cn>3</cn></math></delay>
        <listOfEventAssignments>
          <eventAssignment variable="A"><math xmlns="http://www.w3.org/1998/Math/MathML">
            <apply><plus/><ci>A</ci><cn>1</cn></apply>
          </math></eventAssignment>
        </listOfEventAssignments>
      </event>
    </listOfEvents>""")


def delayed_a(t):
    return math.exp(-K * t) if t < 7 else (math.exp(-4 * K) + 1) * math.exp(-K * (t - 7))


def test_a_run_split_at_5_equals_the_whole_run_and_the_analytic_solution():
    m = axisim.load(TINY)
    whole = m.simulate(0, 10, 11)
    first, at5 = m.simulate(0, 5, 6, end_state=True)
    assert isinstance(first, axisim.Result) and isinstance(at5, axisim.RunState)
    assert not at5.empty and at5.time == 5.0 and at5.pending == []
    assert at5["A"] == pytest.approx(math.exp(-K * 5), rel=1e-6)
    assert at5.value("B", quantity="amount") == pytest.approx(1 - math.exp(-K * 5), rel=1e-6)
    rest = m.simulate_from(at5, end=10, points=6)  # start defaults to the state's time
    np.testing.assert_array_equal(rest.time, whole.time[5:])
    np.testing.assert_allclose(rest["A"], whole["A"][5:], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(rest["A"], np.exp(-K * rest.time), rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(rest["A"] + rest["B"], 1.0, rtol=1e-9)
    # A continued run hands back its own end state, at 10, as the whole run's.
    _, at10 = m.simulate_from(at5, 5, 10, 6, end_state=True)
    _, whole_end = m.simulate(0, 10, 11, end_state=True)
    assert at10.time == 10.0
    assert at10["A"] == pytest.approx(whole_end["A"], rel=1e-6)
    # A later start integrates silently from the state's time.
    late = m.simulate_from(at5, 8, 10, 3)
    np.testing.assert_allclose(late["A"], np.exp(-K * np.array([8.0, 9.0, 10.0])), rtol=1e-6)


def test_set_value_at_the_split_changes_the_continuation_as_the_analytic_solution_says():
    m = axisim.load(TINY)
    _, at5 = m.simulate(0, 5, 2, end_state=True)
    a5 = math.exp(-K * 5)
    more = at5.copy()
    more["A"] = 2.0  # A(t) = 2 exp(-k (t - 5)); B keeps what it had
    faster = copy.copy(at5)
    faster.set_value("k", 1.0)  # A(t) = A(5) exp(-(t - 5))
    assert at5["A"] == pytest.approx(a5, rel=1e-6)  # copies made before keep their values
    assert more["A"] == 2.0 and more["k"] == K and faster["k"] == 1.0
    r = m.simulate_from(more, end=10, points=6, selections=["A", "B"])
    np.testing.assert_allclose(r["A"], 2.0 * np.exp(-K * (r.time - 5)), rtol=1e-6)
    np.testing.assert_allclose(r["B"], (1 - a5) + 2.0 * (1 - np.exp(-K * (r.time - 5))), rtol=1e-6)
    r = m.simulate_from(faster, end=10, points=6, selections=["A"])
    np.testing.assert_allclose(r["A"], a5 * np.exp(-(r.time - 5)), rtol=1e-6)
    # The model's own values are not used: the state holds every value.
    m["k"] = 100.0
    r = m.simulate_from(at5, end=10, points=6, selections=["A"])
    np.testing.assert_allclose(r["A"], np.exp(-K * r.time), rtol=1e-6)


def test_a_run_started_at_a_later_time():
    m = axisim.load(TINY)
    s = axisim.RunState.start(m, 3.0)
    assert s.time == 3.0 and s["A"] == 1.0
    r = m.simulate_from(s, end=8, points=6, selections=["A"])
    np.testing.assert_allclose(r.time, [3, 4, 5, 6, 7, 8])
    np.testing.assert_allclose(r["A"], np.exp(-K * (r.time - 3)), rtol=1e-6)


def test_a_delayed_event_pending_at_the_split_executes_at_its_time():
    m = axisim.load(DELAYED)
    whole = m.simulate(0, 10, 21, selections=["A"])
    _, at5 = m.simulate(0, 5, 11, end_state=True)
    assert at5.pending == [("E", pytest.approx(7.0, abs=1e-9))]
    rest = m.simulate_from(at5, end=10, points=11, selections=["A"])
    np.testing.assert_allclose(rest["A"], whole["A"][10:], rtol=1e-6, atol=1e-12)
    for t, a in zip(rest.time, rest["A"]):
        if abs(t - 7) > 1e-9:  # at 7 itself either side of the jump may be reported
            assert a == pytest.approx(delayed_a(t), rel=1e-6), t
    # Executed: nothing waits at the end.
    _, at10 = m.simulate_from(at5, end=10, points=2, end_state=True)
    assert at10.pending == []


def test_stochastic_end_states_continue_stochastically_and_deterministically():
    m = axisim.load(TINY)
    m.set_value("A", 1000.0, quantity="amount")  # molecules (undeclared units)
    n = 200
    first, ends = m.ssa(0, 5, 6, replicates=n, selections=["A"], seed=7, end_state=True)
    assert len(ends) == n and all(s.time == 5.0 for s in ends)
    assert all(s["A"] == round(s["A"]) for s in ends)
    assert np.mean([s["A"] for s in ends]) == pytest.approx(first["A-mean"][-1], rel=1e-12)
    # Replicate i goes on from ends[i]: each molecule left at 5 survives to 10 with probability
    # exp(-5 k), so the mean is 1000 exp(-10 k) (standard error about 0.2 here).
    rest = m.ssa(end=10, points=6, replicates=n, selections=["A"], seed=8, from_states=ends)
    assert rest.time[0] == 5.0
    assert rest["A-mean"][0] == pytest.approx(first["A-mean"][-1], rel=1e-12)
    assert abs(rest["A-mean"][-1] - 1000 * math.exp(-10 * K)) < 1.5
    # One trajectory's end state, as its last row, continued deterministically.
    one, end = m.ssa(0, 5, 6, selections=["A"], seed=3, end_state=True)
    assert end["A"] == one["A"][-1]
    r = m.simulate_from(end, end=10, points=6, selections=["A"])
    np.testing.assert_allclose(r["A"], end["A"] * np.exp(-K * (r.time - 5)), rtol=1e-6)


def test_a_stochastic_run_carries_the_delayed_event_it_left_waiting():
    m = axisim.load(DELAYED)
    m.set_value("A", 100.0, quantity="amount")
    first, at5 = m.ssa(0, 5, 6, selections=["A"], seed=11, end_state=True)
    assert at5.pending == [("E", pytest.approx(7.0, abs=1e-9))]
    a4 = first["A"][4]  # the value at the trigger time, which the assignment uses
    frozen = at5.copy()
    frozen["k"] = 0.0  # nothing fires: A stays until the event sets A(4) + 1 at 7
    r = m.ssa(end=10, points=11, selections=["A"], seed=12, from_states=frozen)
    for t, a in zip(r.time, r["A"]):
        if t < 7 - 1e-9:
            assert a == at5["A"], t
        elif t > 7 + 1e-9:
            assert a == a4 + 1, t


def test_set_plugin_parameter_changes_a_continued_plugin_run():
    # As tests/plugins/test_plugin_simulations.cpp's: bone-linear at a constant F-fold free IGF-1
    # has dBMD/dt = k (F - 1), so every piece of the run is a line.
    plugin = axisim.load_plugin("bone-linear")
    defaults = {q["name"]: q["value"] for q in plugin.parameters}
    fold, k = 2.0, defaults["k"]
    m = axisim.load(SOURCE / "tests" / "plugins" / "data" / "tissue_inputs.xml")
    m.attach(plugin)
    m["IGF_f"] = fold * defaults["IGF_ref"]
    out = ["bone-linear.BMD", "bone-linear.BMD_change_pct"]
    r, at10 = m.simulate(0, 10, 3, selections=out, end_state=True)
    assert not r.error
    assert at10["bone-linear.BMD"] == pytest.approx(10 * k * (fold - 1), rel=1e-10, abs=1e-14)
    with pytest.raises(axisim.UsageError):
        at10.value("bone-linear.BMD", quantity="amount")

    changed = at10.copy()
    changed["bone-linear.BMD"] = 5.0
    doubled = m.copy()
    doubled.set_plugin_parameter("bone-linear", "k", 2 * k)
    r = doubled.simulate_from(changed, 10, 20, 3, selections=out)
    assert not r.error
    np.testing.assert_allclose(r["bone-linear.BMD"], 5.0 + 2 * k * (fold - 1) * (r.time - 10), rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(r["bone-linear.BMD_change_pct"], r["bone-linear.BMD"])
    # The state and the model copied before the changes keep theirs.
    assert at10["bone-linear.BMD"] == pytest.approx(10 * k * (fold - 1), rel=1e-10)
    before = m.simulate_from(at10, 10, 20, 3, selections=out)
    assert before["bone-linear.BMD"][-1] == pytest.approx(20 * k * (fold - 1), rel=1e-10, abs=1e-14)
    assert doubled.plugins[0]["parameters"]["k"] == 2 * k and m.plugins[0]["parameters"]["k"] == k
    # A fresh run sees the parameter too.
    fresh = doubled.simulate(0, 10, 2, selections=out)
    assert fresh["bone-linear.BMD"][-1] == pytest.approx(10 * 2 * k * (fold - 1), rel=1e-10)

    with pytest.raises(axisim.UnknownIdError, match="nope"):
        doubled.set_plugin_parameter("bone-linear", "nope", 1.0)
    with pytest.raises(axisim.UnknownIdError, match="'bone'"):
        doubled.set_plugin_parameter("bone", "k_B", 1.0)


def test_errors_name_what_is_wrong():
    m = axisim.load(TINY)
    _, at5 = m.simulate(0, 5, 2, end_state=True)
    with pytest.raises(axisim.UnknownIdError, match="nope"):
        at5.value("nope")
    with pytest.raises(axisim.UnknownIdError, match="nope"):
        at5["nope"] = 1.0
    with pytest.raises(axisim.UsageError, match="'R' is a reaction"):
        at5.set_value("R", 1.0)
    with pytest.raises(axisim.UsageError, match="quantity"):
        at5.value("A", quantity="mass")
    empty = axisim.RunState()
    assert empty.empty and repr(empty) == "<axisim.RunState empty>"
    for read in (lambda: empty.time, lambda: empty["A"], lambda: empty.pending):
        with pytest.raises(axisim.UsageError, match="empty"):
            read()
    with pytest.raises(axisim.UsageError, match="empty"):
        m.simulate_from(empty, 0, 10)
    with pytest.raises(axisim.UsageError, match="start time"):
        m.simulate_from(at5, 2, 10)
    with pytest.raises(axisim.UsageError, match="another model"):
        axisim.load(DELAYED).simulate_from(at5, end=10)
    with pytest.raises(axisim.UsageError, match="not finite"):
        axisim.RunState.start(m, math.inf)
    with pytest.raises(axisim.UsageError):
        m.ssa(end=10, from_states=at5, start=2.0)  # before the state's time
