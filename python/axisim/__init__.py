"""axisim: SBML models simulated by axisim's C++ runtime, from Python.

    import axisim
    m = axisim.load("sbml-models/gut_liver_igf1.xml")
    m["fibre_intake"] = 36
    m.attach("bone", a_IGF=0.2)
    r = m.simulate(0, 2160, 361, selections=["IGF1_total", "bone.BMD"])
    r.time, r["IGF1_total"], r.to_numpy(), r.to_pandas(), r.plot()

Everything is computed by the library (runtime/, batch/); this package converts arguments and
results. Long calls release the GIL, so Python threads simulate in parallel. Failures raise
subclasses of axisim.Error carrying axisim's message and its kind. axisim's log lines are
records of the Python logger "axisim" (logging.getLogger("axisim"); what is produced:
axisim.set_log_level). See docs/python.md.
"""
from __future__ import annotations

import atexit as _atexit
import os as _os
from typing import Iterable, Optional, Sequence, Union

from . import _axisim
from ._axisim import (  # noqa: F401  (the public API)
    ConservationLaw,
    ControlAnalysis,
    Error,
    FbaResult,
    FvaResult,
    Fold,
    InvalidSbmlError,
    IoError,
    Matrix,
    Model,
    MoietyAnalysis,
    Plugin,
    PluginError,
    Result,
    RunState,
    Sensitivities,
    SolverError,
    SolverStats,
    SteadyState,
    SteadyStateScan,
    SteadyStateSensitivities,
    StochasticStats,
    UnknownIdError,
    UnsupportedError,
    UsageError,
    __version__,
    fba,
    dynamic_fba,
    flux_variability,
    load_plugin,
    load_scenario,
    suite_settings,
    plugin_path,
    plugins,
    set_log_level,
)
from . import _results

_axisim._set_package_dir(_os.path.dirname(_os.path.realpath(__file__)))
# Lines logged by background threads after the last call are delivered at exit; later ones go to stderr.
_atexit.register(_axisim._log_shutdown)
from ._batch import BatchRun, batch  # noqa: F401

__all__ = [
    "load", "load_scenario", "suite_settings", "Model", "Result", "RunState", "SolverStats", "Plugin", "plugins", "load_plugin", "plugin_path",
    "fba", "FbaResult", "dynamic_fba", "flux_variability", "FvaResult", "SteadyState", "SteadyStateScan", "Fold", "Sensitivities", "Matrix", "MoietyAnalysis", "ConservationLaw", "ControlAnalysis",
    "SteadyStateSensitivities", "StochasticStats", "batch", "BatchRun",
    "set_log_level", "Error", "IoError", "InvalidSbmlError", "UnsupportedError", "UnknownIdError", "SolverError",
    "UsageError", "PluginError", "__version__",
]

PathLike = Union[str, "_os.PathLike[str]"]


def load(source: PathLike, *, validate: bool = True, backend: str = "auto", ignore_fast: bool = False,
         attach_recorded: bool = True, plugin_dirs: Sequence[str] = ()) -> Model:
    """Reads an SBML model (Level 1 to Level 3 Version 2) and compiles it.

    source: a path to an SBML file, or SBML text (a string starting with '<').
    validate: run libSBML's consistency checks (errors raise InvalidSbmlError naming the line).
    backend: how the model's formulas run: 'auto' (the interpreter at once, native code compiled
      in the background for large or repeatedly simulated models), 'interpreter' or 'native'.
      All compute the same numbers.
    ignore_fast: integrate reactions marked fast as ordinary kinetics.
    attach_recorded: attach the plugins the file records (an `axisim export --plugin`
      annotation), as `axisim simulate` does.
    plugin_dirs: more places to look for those plugins.

    Raises IoError (unreadable file), InvalidSbmlError, UnsupportedError (a feature axisim
    refuses, named). The GIL is released while the model is read and compiled.
    """
    return _axisim._load(_os.fspath(source), validate, backend, ignore_fast, attach_recorded, list(plugin_dirs))


def _steady_state(self: Model, selections: Optional[Sequence[str]] = None, *, method: str = "auto",
                  rtol: float = 1e-10, atol: float = 1e-12, max_iterations: int = 100, time: float = 0.0,
                  allow_negative: bool = False) -> SteadyState:
    """The model's steady state (axisim/steady_state.hpp): dy/dt = 0 solved by Newton, then
    pseudo-transient continuation, then integration (method 'auto'; or 'newton',
    'pseudo-transient', 'integration'), reduced by the conservation laws; its stability from the
    reduced Jacobian's eigenvalues. selections: outputs (default every species, then plugin
    outputs). Raises UnsupportedError (events, delay, fast reactions), SolverError (no method
    converged)."""
    return _axisim._steady_state(self, None if selections is None else list(selections), method, rtol, atol,
                                 max_iterations, time, allow_negative)


def _scan_steady_state(self: Model, parameter: str, lo: float, hi: float, points: int,
                       selections: Optional[Sequence[str]] = None, *, method: str = "auto", rtol: float = 1e-10,
                       atol: float = 1e-12, max_iterations: int = 100, time: float = 0.0,
                       allow_negative: bool = False) -> SteadyStateScan:
    """Steady states for `points` values of `parameter` from lo to hi, each continued from the
    previous one; folds (turning points, zero eigenvalues) are reported in .folds."""
    return _axisim._scan_steady_state(self, parameter, lo, hi, points,
                                      None if selections is None else list(selections), method, rtol, atol,
                                      max_iterations, time, allow_negative)


def _sensitivities(self: Model, wrt: Sequence[str], start: float = 0.0, end: float = 10.0,
                   points: Optional[int] = None, *, steps: Optional[int] = None,
                   selections: Optional[Sequence[str]] = None, atol: float = 1e-12,
                   rtol: float = 1e-8) -> Sensitivities:
    """Forward sensitivities of a time course to the parameters `wrt` (CVODES; events
    included; axisim/sensitivities.hpp). .sensitivities[k, i, j] is d output i / d wrt[j] at
    .time[k]; .values[k, i] the output."""
    n = _grid_steps(points, steps)
    return _axisim._sensitivities(self, list(wrt), start, end, n, None if selections is None else list(selections),
                                  atol, rtol)


def _ssa(self: Model, start: Optional[float] = None, end: float = 10.0, points: Optional[int] = None, *,
         steps: Optional[int] = None, selections: Optional[Sequence[str]] = None, seed: int = 0x5eed,
         replicates: int = 0, all: bool = False, threads: int = 1, backend: str = "auto",
         from_states: Union[None, RunState, Sequence[RunState]] = None, end_state: bool = False,
         method: str = "exact", tau_epsilon: Optional[float] = None, tau_delta: Optional[float] = None,
         switch_tol: Optional[float] = None, switch_min: Optional[float] = None, stats: bool = False):
    """Stochastic simulation (axisim/stochastic.hpp), as `axisim simulate --method ssa` (or the
    method named): one trajectory (replicates=0, replicate 0 of `seed`); with
    replicates=N the mean and standard deviation of every output at every output time (columns
    X-mean, X-sd; the same for any thread count); with all=True every trajectory (columns
    replicate, time, outputs). Species are molecule counts.

    end_state=True returns (result, where the run ended): one axisim.RunState for one
    trajectory, a list of them (one a replicate, in order) with replicates=N.
    from_states: a RunState or a list of them (a stochastic run's or a deterministic one's, of
    this model or a copy): replicate i goes on from from_states[i mod len], exactly where that
    run ended (delayed events waiting included; species rounded to whole molecules). start
    defaults to 0, or with from_states to the latest of their times (none may be later).

    method: 'exact' (Gillespie's direct method; the CLI's 'ssa' also), 'tau-leap', 'implicit-tau-leap',
    'adaptive-tau-leap' or 'hybrid' (docs/stochastic.md), with the CLI's options: tau_epsilon
    (the leaping methods and hybrid), tau_delta (implicit and adaptive tau-leaping), switch_tol
    or switch_min (hybrid). An option the method does not use raises UsageError.
    stats=True appends what the run did (a StochasticStats: method, firings, leaps, seconds, ...;
    `axisim simulate --stats`) to what is returned: (result, stats) or (result, end, stats)."""
    n = _grid_steps(points, steps)
    if all and not replicates:
        raise UsageError("all=True needs replicates=N")
    if isinstance(from_states, RunState):
        from_states = [from_states]
    states = [] if from_states is None else list(from_states)
    if start is None:
        start = max(s.time for s in states) if states else 0.0
    return _axisim._ssa(self, start, end, n, None if selections is None else list(selections), seed, replicates,
                        all, threads, backend, states, end_state, method, tau_epsilon, tau_delta, switch_tol,
                        switch_min, stats)


def _moieties(self: Model) -> "MoietyAnalysis":
    """The conservation laws of the model's stoichiometry (exact, in integer arithmetic, when
    possible), its independent and dependent species, link matrix and the structural matrices
    (reduced stoichiometry, L0, kernel; axisim/moieties.hpp; `axisim moieties`)."""
    return _axisim._moieties(self)


def _control_analysis(self: Model, *, method: str = "auto") -> "ControlAnalysis":
    """Metabolic control analysis at the steady state: elasticities, flux and concentration
    control coefficients (scaled and not), the summation and connectivity theorems' residuals
    (axisim/control_analysis.hpp; `axisim mca`)."""
    return _axisim._control_analysis(self, method)


def _steady_state_sensitivities(self: Model, wrt: Sequence[str], selections: Optional[Sequence[str]] = None, *,
                                method: str = "auto") -> "SteadyStateSensitivities":
    """d steady state / d parameters by the implicit function theorem (.unscaled, .scaled:
    outputs x parameters; `axisim steady --wrt`)."""
    return _axisim._steady_state_sensitivities(self, list(wrt), None if selections is None else list(selections),
                                               method)


def _fba(self: Model, outputs: Sequence[str] = (), *, infeasible_as_nan: bool = False) -> FbaResult:
    """Flux balance analysis of this model's file (axisim.fba on m.source; values set on the
    model are not taken into account: the fbc problem is read from the file)."""
    src = self.source
    if src is None:
        raise UsageError("fba() of a model read from a string: call axisim.fba(sbml_text) instead")
    return fba(src, list(outputs), infeasible_as_nan=infeasible_as_nan)


def _grid_steps(points: Optional[int], steps: Optional[int]) -> int:
    if points is not None and steps is not None:
        raise UsageError("give points or steps, not both (points = steps + 1)")
    if steps is not None:
        return int(steps)
    if points is not None:
        if points < 2:
            raise UsageError(f"points must be at least 2 (the start and the end), got {points}")
        return int(points) - 1
    return 100


Model.steady_state = _steady_state
Model.scan_steady_state = _scan_steady_state
Model.sensitivities = _sensitivities
Model.ssa = _ssa
Model.fba = _fba
Model.moieties = _moieties
Model.control_analysis = _control_analysis
Model.steady_state_sensitivities = _steady_state_sensitivities
_results.install(Result)
