"""No leak over 10,000 loads and simulations: the resident set size (VmRSS, /proc/self/status)
after 10,000 load + simulate + numpy round trips is within a small allowance of what it was after
the first 1,000 (allocator warm-up). A tiny model keeps this cheap (a few seconds; the time is
printed by `pytest -s`)."""
import time

import numpy as np
import pytest

import axisim
from conftest import TINY


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    pytest.skip("no /proc/self/status: RSS cannot be measured here")


def cycle(i):
    m = axisim.load(TINY, validate=(i % 10 == 0), backend="interpreter")
    m["k"] = 0.5 + (i % 7) * 0.1
    r = m.simulate(0, 1, 11)
    a = r.to_numpy()
    assert a.shape == (11, 3) and np.isfinite(a).all()
    if i % 100 == 0:  # errors too: their exceptions must not leak either
        with pytest.raises(axisim.UnknownIdError):
            m["nope"] = 1.0


def test_no_leak_over_10000_loads_and_simulations():
    start = time.perf_counter()
    for i in range(1000):
        cycle(i)
    warm = rss_kib()
    for i in range(1000, 10000):
        cycle(i)
    grown = rss_kib() - warm
    print(f"\n10,000 loads and simulations in {time.perf_counter() - start:.1f} s; "
          f"RSS {warm} KiB after 1,000, grew {grown} KiB over the next 9,000")
    # 9,000 cycles: 4 MiB is under 500 bytes a cycle; a leaked model or result is far more.
    assert grown < 4096, f"RSS grew by {grown} KiB over 9,000 load/simulate cycles"
