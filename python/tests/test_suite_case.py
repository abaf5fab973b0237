"""SBML Test Suite cases run from Python and judged by the suite's rule (its README, "How to
judge a case"): every point |C - U| <= Ta + Tr |C|, columns matched by id, NaN matched by NaN,
an infinity by the same infinity; the time column is not compared but the rows must be the
expected times."""
import csv
import math

import pytest

import axisim


def read_expected(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    header = [h.strip() for h in rows[0]]
    return header, [[float(x) for x in r] for r in rows[1:]]


def judge(header, expected, columns, actual_rows, absolute, relative, variables):
    """The suite's rule; returns the list of failing points (empty: the case passes)."""
    failures = []
    if len(actual_rows) != len(expected):
        return [f"{len(actual_rows)} rows, expected {len(expected)}"]
    first = 1 if header[0].lower() == "time" and len(header) > len(variables) else 0
    for v in variables:
        ce, ca = header.index(v, first), columns.index(v, first)
        for i, (re_, ra) in enumerate(zip(expected, actual_rows)):
            c, u = re_[ce], ra[ca]
            if math.isnan(c):
                ok = math.isnan(u)
            elif math.isinf(c):
                ok = u == c
            else:
                ok = math.isfinite(u) and abs(c - u) <= absolute + relative * abs(c)
            if not ok:
                failures.append(f"{v} row {i}: expected {c}, got {u}")
    return failures


def model_file(case_dir, case):
    for suffix in ("l3v2", "l3v1", "l2v5", "l2v4"):
        path = case_dir / f"{case}-sbml-{suffix}.xml"
        if path.exists():
            return path
    raise FileNotFoundError(case_dir)


@pytest.mark.parametrize("case", ["00001", "00026", "00118", "00349", "01000"])
def test_time_course_case_passes(suite_dir, case):
    d = suite_dir / "cases" / case
    settings = axisim.suite_settings(d / f"{case}-settings.txt")
    r = axisim.load(model_file(d, case)).simulate(**settings["simulate"])
    header, expected = read_expected(d / f"{case}-results.csv")
    rows = r.to_numpy().tolist()
    assert [row[0] for row in rows] == pytest.approx([row[0] for row in expected], rel=1e-7, abs=1e-12)
    assert judge(header, expected, r.columns, rows, settings["absolute"], settings["relative"],
                 settings["variables"]) == []


def test_the_rule_can_fail(suite_dir):
    # The same case with a parameter changed must fail the rule: the judge is not vacuous.
    d = suite_dir / "cases" / "00001"
    settings = axisim.suite_settings(d / "00001-settings.txt")
    m = axisim.load(model_file(d, "00001"))
    m["k1"] = m["k1"] * 1.01
    r = m.simulate(**settings["simulate"])
    header, expected = read_expected(d / "00001-results.csv")
    assert judge(header, expected, r.columns, r.to_numpy().tolist(), settings["absolute"], settings["relative"],
                 settings["variables"]) != []


def test_flux_balance_case_passes(suite_dir):
    case = "01186"
    d = suite_dir / "cases" / case
    settings = axisim.suite_settings(d / f"{case}-settings.txt")
    result = axisim.fba(model_file(d, case), settings["variables"], infeasible_as_nan=True)
    header, expected = read_expected(d / f"{case}-results.csv")
    assert judge(header, expected, result.ids, [result.values], settings["absolute"], settings["relative"],
                 settings["variables"]) == []
