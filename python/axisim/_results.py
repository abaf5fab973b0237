"""Result.to_pandas() and Result.plot(): pandas and matplotlib are optional, imported when used."""
from __future__ import annotations

from typing import Any, Optional, Sequence


def to_pandas(self):
    """The table as a pandas DataFrame indexed by time, one column per output id (copied).
    Needs pandas (Debian: python3-pandas)."""
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the machine
        raise ImportError("Result.to_pandas() needs pandas (Debian: apt-get install python3-pandas)") from e
    values = self.to_numpy()
    frame = pd.DataFrame(values[:, 1:].copy(), columns=self.ids, index=pd.Index(values[:, 0].copy(), name="time"))
    return frame


def plot(self, ids: Optional[Sequence[str]] = None, ax: Any = None, logy: bool = False, **kwargs: Any):
    """Plots the columns `ids` (default all) against time with matplotlib; returns the Axes.
    Extra keyword arguments go to Axes.plot."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover
        raise ImportError("Result.plot() needs matplotlib (Debian: apt-get install python3-matplotlib)") from e
    if ax is None:
        _, ax = plt.subplots()
    for id_ in (self.ids if ids is None else ids):
        ax.plot(self.time, self[id_], label=id_, **kwargs)
    ax.set_xlabel("time")
    if logy:
        ax.set_yscale("log")
    ax.legend()
    return ax


def install(result_class) -> None:
    result_class.to_pandas = to_pandas
    result_class.plot = plot
