"""axisim's log lines as records of the Python logger "axisim" (python/src/logging_binding.cpp):
from a load on the calling thread, from a batch's worker threads, from a Python thread, and a
plugin's own messages (the ABI v2 host log), at the levels mapped from spdlog's."""
import concurrent.futures
import logging
import os
import pathlib

import pytest

import axisim

from conftest import SOURCE, TINY

# TINY as Level 3 Version 1 with its one reaction marked fast: loading it warns that all the
# reactions are marked fast (runtime/src/sbml/ir_from_sbml.cpp).
ALL_FAST = (TINY.replace("level3/version2/core\" level=\"3\" version=\"2\"", "level3/version1/core\" level=\"3\" version=\"1\"")
            .replace('reversible="false"', 'reversible="false" fast="true"'))
FAST_WARNING = "1 of 1 reactions are marked fast"

TISSUE = SOURCE / "tests" / "plugins" / "data" / "tissue_inputs.xml"


def axisim_records(caplog, text):
    return [r for r in caplog.records if r.name == "axisim" and text in r.getMessage()]


@pytest.fixture(autouse=True)
def default_level():
    axisim.set_log_level("warning")
    yield
    axisim.set_log_level("warning")


def test_a_load_warning_is_a_logging_record_not_stderr(caplog, capfd):
    assert ALL_FAST != TINY and 'fast="true"' in ALL_FAST
    with caplog.at_level(logging.WARNING, logger="axisim"):
        axisim.load(ALL_FAST)
    records = axisim_records(caplog, FAST_WARNING)
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING and records[0].levelname == "WARNING"
    assert "--ignore-fast" in records[0].getMessage()
    assert FAST_WARNING not in capfd.readouterr().err
    caplog.clear()
    axisim.load(TINY)  # no warning for the same model without fast reactions
    assert axisim_records(caplog, FAST_WARNING) == []


def test_batch_workers_warnings_are_delivered_when_the_batch_returns(caplog, tmp_path):
    # Four model files, each warning once when a worker loads it (a worker loads each file once).
    jobs = []
    for i in range(4):
        path = tmp_path / f"fast_{i}.xml"
        path.write_text(ALL_FAST.replace('id="tiny"', f'id="tiny{i}"'))
        jobs.append({"id": f"job{i}", "model": str(path), "simulation": {"end": 1, "steps": 2}})
    with caplog.at_level(logging.WARNING, logger="axisim"):
        run = axisim.batch(jobs, workers=2)
    assert run.counts["ok"] == 4
    records = axisim_records(caplog, FAST_WARNING)
    assert sorted(f"fast_{i}.xml" in r.getMessage() for r in records for i in range(4)).count(True) == 4
    assert len(records) == 4
    assert all(r.levelno == logging.WARNING for r in records)


def test_a_python_threads_warning_is_logged_before_its_call_returns(caplog):
    with caplog.at_level(logging.WARNING, logger="axisim"):
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(axisim.load, ALL_FAST) for _ in range(2)]
            for f in futures:
                f.result()
    assert len(axisim_records(caplog, FAST_WARNING)) == 2


def test_levels_and_a_plugins_own_message(caplog):
    plugin_dir = pathlib.Path(os.environ.get("AXISIM_TEST_PLUGIN_DIR", SOURCE / "build" / "tests" / "plugins" / "test-plugins"))
    if not (plugin_dir / "axisim-plugin-test-v2.so").exists():
        pytest.skip(f"the test plugin test-v2 is not built ({plugin_dir})")
    m = axisim.load(str(TISSUE))
    m.attach("test-v2", plugin_dirs=[str(plugin_dir)])
    # At the default level ('warning') the plugin's info line is not produced.
    with caplog.at_level(logging.DEBUG, logger="axisim"):
        m.simulate(0, 1, 2)
    assert axisim_records(caplog, "init: A(0)") == []
    # At 'info' it is, as an INFO record naming the plugin: A(0) = A_ref * Bu_col(0) = 2 * 20.
    axisim.set_log_level("info")
    assert logging.getLogger("axisim").level == logging.INFO
    caplog.clear()
    m.simulate(0, 1, 2)
    records = axisim_records(caplog, "init: A(0)")
    assert [r.getMessage() for r in records] == ["plugin 'test-v2': init: A(0) = 40"]
    assert records[0].levelno == logging.INFO
    axisim.set_log_level("debug")
    assert logging.getLogger("axisim").level == logging.DEBUG
    with pytest.raises(axisim.UsageError, match="unknown log level 'loud'"):
        axisim.set_log_level("loud")


def test_a_handler_that_raises_is_reported_as_unraisable_and_the_call_returns(monkeypatch):
    class Broken(logging.Handler):
        def emit(self, record):
            raise RuntimeError("handler fails")

    seen = []
    monkeypatch.setattr("sys.unraisablehook", lambda u: seen.append(u.exc_value))
    logger = logging.getLogger("axisim")
    handler = Broken()
    logger.addHandler(handler)
    try:
        m = axisim.load(ALL_FAST)  # the warning's handler raises; the load still returns its model
    finally:
        logger.removeHandler(handler)
    assert "A" in m.ids
    assert [str(e) for e in seen] == ["handler fails"]
