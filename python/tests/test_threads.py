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
    # The main thread counts while one long simulate() runs in another thread. Were the GIL held
    # for the whole call, the main thread could not run until it returned (the count would be a
    # handful); released, it counts all along (tens of thousands).
    model = axisim.load(FLAGSHIP)
    model.simulate(0, 10, 2)  # warm up: the first call's own set-up is not what is measured
    started = threading.Event()
    result = []

    def worker():
        started.set()
        result.append(model.simulate(0, 2160, 4001, rtol=1e-11, atol=1e-14))

    t = threading.Thread(target=worker)
    t.start()
    started.wait()
    count = 0
    while t.is_alive():
        count += 1
    t.join()
    assert len(result[0]) == 4001
    assert count > 1000, f"the main thread ran only {count} loop iterations while simulate() ran"
