"""Long calls release the GIL: Python threads simulate at once, and give exactly the results of
the same runs made one after another (separate models, copies, and one model shared)."""
import concurrent.futures as cf
import threading

import axisim
from conftest import ENZYME, FLAGSHIP


def run(model, kcat):
    m = model.copy()
    m["kcat"] = kcat
    return m.simulate(0, 100, 201, rtol=1e-9).csv()


def test_threads_give_the_serial_results():
    model = axisim.load(ENZYME)
    values = [0.05 * (i + 1) for i in range(16)]
    serial = [run(model, v) for v in values]
    with cf.ThreadPoolExecutor(4) as pool:
        parallel = list(pool.map(lambda v: run(model, v), values))
    assert parallel == serial
    # Separate models loaded in the threads themselves.
    with cf.ThreadPoolExecutor(4) as pool:
        loaded = list(pool.map(lambda v: run(axisim.load(ENZYME), v), values))
    assert loaded == serial


def test_threads_with_plugins_on_the_flagship_model():
    def flagship(fibre):
        m = axisim.load(FLAGSHIP)
        m.attach("bone")
        m["fibre_intake"] = fibre
        return m.simulate(0, 720, 31, selections=["IGF1_total", "Bu_p", "bone.BMD_change_pct"]).csv()

    fibres = [8, 16, 24, 36]
    serial = [flagship(f) for f in fibres]
    with cf.ThreadPoolExecutor(4) as pool:
        assert list(pool.map(flagship, fibres)) == serial


def test_the_gil_is_released_during_simulate():
    # Another Python thread makes progress while simulate() runs: it could not if the GIL were held.
    model = axisim.load(FLAGSHIP)
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(1)
            done.wait(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        for _ in range(3):
            model.simulate(0, 2160, 361, rtol=1e-10)
    finally:
        done.set()
        t.join()
    assert len(ticks) > 1
