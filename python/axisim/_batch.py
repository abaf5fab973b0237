"""axisim.batch(): many simulations through the batch library (axisim/batch.hpp, docs/batch.md).

The jobs are a job file (a path), job-file text (TOML), or Python data: a list of job dicts
(each a [[job]] table: id, model, simulation, set, select, plugins, output, ...) or a dict with
the file's tables ({"defaults": {...}, "job": [...], "scan": [...]}). Python data is written as
job-file text and read by the library's own reader, so every key means what docs/batch.md says
and a wrong one is reported as the CLI would report it.
"""
from __future__ import annotations

import csv
import math
import os
import shutil
import tempfile
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _axisim


def _toml_key(key: str) -> str:
    return '"' + str(key).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)  # shortest round-trip form
    if isinstance(value, (str, os.PathLike)):
        return _toml_key(os.fspath(value))
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    try:  # numpy scalars
        return _toml_value(value.item())
    except AttributeError:
        raise TypeError(f"cannot write {value!r} ({type(value).__name__}) into a job file") from None


def jobs_to_toml(jobs: Union[Sequence[Mapping[str, Any]], Mapping[str, Any]]) -> str:
    """Job-file text (docs/batch.md) for a list of job dicts or a dict of the file's tables."""
    tables = {"job": list(jobs)} if not isinstance(jobs, Mapping) else dict(jobs)
    lines: List[str] = []
    for key, value in tables.items():
        if key in ("job", "scan"):
            for item in value:
                lines.append(f"[[{key}]]")
                lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in item.items()]
        elif isinstance(value, Mapping):
            lines.append(f"[{key}]")
            lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()]
        else:
            lines.insert(0, f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def read_csv_result(path: str) -> "_axisim.Result":
    """A results/<id>.csv back as an axisim.Result (numbers read exactly: the files hold each
    double in its shortest round-trip form; NaN, INF, -INF as the suite writes them)."""
    import numpy as np

    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], rows[1:]
    values = np.array([[float(x) for x in row] for row in data], dtype=float).reshape(len(data), len(header))
    return _axisim.Result(header, values)


class BatchRun:
    """What axisim.batch() did: .counts (ok, failed, timed_out, ...), .summary (summary.csv's
    rows as dicts), .results (job id -> axisim.Result, read from results/<id>.csv), .outdir."""

    def __init__(self, outdir: Optional[str], counts: Dict[str, Any], summary: List[Dict[str, str]],
                 results: Dict[str, "_axisim.Result"]):
        self.outdir = outdir
        self.counts = counts
        self.summary = summary
        self.results = results

    @property
    def ok(self) -> bool:
        return self.counts["failed"] == 0 and self.counts["not_run"] == 0

    def __repr__(self) -> str:
        return (f"<axisim.BatchRun {len(self.counts['jobs'])} jobs: {self.counts['ok']} ok, "
                f"{self.counts['failed']} failed>")


def batch(jobs: Any, *, workers: int = 1, outdir: Optional[Union[str, os.PathLike]] = None, resume: bool = False,
          overwrite: bool = False, plugin_dirs: Sequence[str] = (), backend: str = "auto", max_seconds: float = 0.0,
          progress: bool = False, base_dir: Optional[str] = None, load_results: bool = True) -> BatchRun:
    """Runs a batch as `axisim batch JOBS -o OUTDIR -j WORKERS` does (one process, `workers`
    threads; the GIL is released meanwhile) and returns a BatchRun.

    jobs: a job file's path, job-file text, a list of job dicts or a dict of the file's tables
      (relative model paths in Python data are relative to base_dir, default the current folder).
    outdir: where results/, summary.csv, manifest.csv go; None: a temporary folder, removed once
      the results are read into memory (then BatchRun.outdir is None).
    resume, overwrite, backend, max_seconds: as the CLI's --resume, --overwrite, --backend,
      --max-seconds. A job that fails is recorded (summary, counts) and the others go on.
    """
    if isinstance(jobs, os.PathLike) or (isinstance(jobs, str) and "\n" not in jobs and not jobs.lstrip().startswith("[")):
        source, is_text, base = os.fspath(jobs), False, ""
    elif isinstance(jobs, str):
        source, is_text, base = jobs, True, os.path.abspath(base_dir or os.getcwd())
    else:
        source, is_text, base = jobs_to_toml(jobs), True, os.path.abspath(base_dir or os.getcwd())
    temporary = outdir is None
    out = tempfile.mkdtemp(prefix="axisim-batch-") if temporary else os.fspath(outdir)
    try:
        counts = _axisim._run_batch(source, is_text, base, out, workers, resume, overwrite or temporary,
                                    list(plugin_dirs), backend, max_seconds, progress)
        with open(os.path.join(out, "summary.csv"), newline="") as f:
            summary = list(csv.DictReader(f))
        results = {}
        if load_results or temporary:
            for job in counts["jobs"]:
                path = os.path.join(out, "results", job + ".csv")
                if os.path.exists(path):
                    results[job] = read_csv_result(path)
        return BatchRun(None if temporary else out, counts, summary, results)
    finally:
        if temporary:
            shutil.rmtree(out, ignore_errors=True)
