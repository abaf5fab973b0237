# Type stubs of the extension module axisim._axisim (python/src/*.cpp). Model's steady_state,
# scan_steady_state, sensitivities, ssa and fba and Result's to_pandas and plot are added by the
# package (axisim/__init__.py, axisim/_results.py) and declared here, on their classes.
import os
from typing import Any, Dict, Iterator, List, Literal, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

PathLike = Union[str, os.PathLike[str]]
Selection = Union[str, Tuple[str, Literal["amount", "concentration", "default"]]]
Quantity = Literal["default", "amount", "concentration"]

__version__: str

class Error(RuntimeError):
    """Any failure axisim reports; .kind names its category."""
    kind: str
class IoError(Error, OSError): ...
class InvalidSbmlError(Error, ValueError): ...
class UnsupportedError(Error): ...
class UnknownIdError(Error, LookupError): ...
class SolverError(Error): ...
class UsageError(Error, ValueError): ...
class PluginError(Error): ...

def set_log_level(level: Literal["trace", "debug", "info", "warning", "error", "critical", "off"]) -> None: ...

class SolverStats:
    steps: int
    rhs_evaluations: int
    jacobian_rhs_evaluations: int
    jacobian_evaluations: int
    linear_solver_setups: int
    newton_iterations: int
    error_test_failures: int
    convergence_failures: int
    linear_iterations: int
    root_stops: int
    linear_solver: str
    jacobian: str
    backend: str
    integration_seconds: float
    load_seconds: float
    native_compile_seconds: float

class Result:
    """A simulation's output table: 'time' first, then one column per output id."""
    def __init__(self, columns: Sequence[str], values: npt.ArrayLike) -> None: ...
    @property
    def columns(self) -> List[str]: ...
    @property
    def ids(self) -> List[str]: ...
    @property
    def rows(self) -> int: ...
    def __len__(self) -> int: ...
    @property
    def time(self) -> npt.NDArray[np.float64]: ...
    def __getitem__(self, id: str) -> npt.NDArray[np.float64]: ...
    def __contains__(self, id: str) -> bool: ...
    def keys(self) -> List[str]: ...
    def to_numpy(self) -> npt.NDArray[np.float64]: ...
    def __array__(self, *args: Any) -> npt.NDArray[np.float64]: ...
    def to_csv(self, path: str) -> None: ...
    def csv(self) -> str: ...
    stats: SolverStats
    error: str
    timed_out: bool
    def to_pandas(self) -> Any: ...
    def plot(self, ids: Optional[Sequence[str]] = None, ax: Any = None, logy: bool = False, **kwargs: Any) -> Any: ...

class Plugin:
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def abi_version(self) -> int: ...
    @property
    def inputs(self) -> List[Dict[str, str]]: ...
    @property
    def parameters(self) -> List[Dict[str, Any]]: ...
    @property
    def states(self) -> List[Dict[str, Any]]: ...
    @property
    def outputs(self) -> List[Dict[str, Any]]: ...
    @property
    def effects(self) -> List[Dict[str, Any]]: ...

def load_plugin(name_or_path: PathLike, plugin_dirs: Sequence[str] = ...) -> Plugin: ...
def plugins(plugin_dirs: Sequence[str] = ...) -> List[Plugin]: ...
def plugin_path(plugin_dirs: Sequence[str] = ...) -> List[str]: ...

class FbaResult:
    ids: List[str]
    values: List[float]
    objective: float
    objective_id: str
    maximize: bool
    feasible: bool
    infeasibility: str
    total_flux: float
    reduced_costs: Dict[str, float]
    shadow_prices: Dict[str, float]
    def __getitem__(self, id: str) -> float: ...
    def to_dict(self) -> Dict[str, float]: ...

def fba(source: PathLike, outputs: Sequence[str] = ..., *, validate: bool = True,
        infeasible_as_nan: bool = False, pfba: bool = False, fraction_of_optimum: float = 1.0,
        fewest_active: bool = False, geometric: bool = False) -> FbaResult: ...

def dynamic_fba(source: PathLike, description: PathLike, until: float, *, start: float = 0.0, points: int = 100,
                outputs: Sequence[str] = ..., step: Optional[float] = None, validate: bool = True) -> Result: ...

class FvaResult:
    ids: List[str]
    minimum: List[float]
    maximum: List[float]
    objective: float
    objective_bound: float
    total_flux_bound: float
    objective_id: str
    maximize: bool
    feasible: bool
    infeasibility: str
    def __getitem__(self, id: str) -> Tuple[float, float]: ...
    def to_dict(self) -> Dict[str, Tuple[float, float]]: ...

def flux_variability(source: PathLike, reactions: Sequence[str] = ..., *, validate: bool = True,
                     infeasible_as_nan: bool = False, fraction_of_optimum: float = 1.0,
                     pfba_factor: Optional[float] = None, loopless: Union[bool, Literal["heuristic", "exact"]] = False) -> FvaResult: ...

class SteadyState:
    ids: List[str]
    values: List[float]
    method: str
    iterations: int
    residual: float
    time_integrated: float
    eigenvalues: List[complex]
    stability: str
    determinant_sign: int
    max_real_eigenvalue: float
    reduced_states: int
    conservation_laws: int
    warnings: List[str]
    def __getitem__(self, id: str) -> float: ...
    def to_dict(self) -> Dict[str, float]: ...

class Fold:
    parameter: float
    lower: float
    upper: float
    kind: str

class SteadyStateScan:
    parameter: str
    parameter_values: List[float]
    states: List[SteadyState]
    notes: List[str]
    folds: List[Fold]

class Sensitivities:
    @property
    def time(self) -> npt.NDArray[np.float64]: ...
    outputs: List[str]
    parameters: List[str]
    parameter_values: List[float]
    @property
    def values(self) -> npt.NDArray[np.float64]: ...
    @property
    def sensitivities(self) -> npt.NDArray[np.float64]: ...
    def scaled(self) -> npt.NDArray[np.float64]: ...
    def csv(self, scaled: bool = False) -> str: ...
    stats: SolverStats

class Matrix:
    row_ids: List[str]
    column_ids: List[str]
    @property
    def shape(self) -> Tuple[int, int]: ...
    def at(self, row: str, column: str) -> float: ...
    def to_numpy(self) -> npt.NDArray[np.float64]: ...
    def to_pandas(self) -> Any: ...

class ConservationLaw:
    species: List[str]
    coefficients: List[float]
    total: float
    dependent: str

class MoietyAnalysis:
    species: List[str]
    reactions: List[str]
    independent: List[str]
    dependent: List[str]
    laws: List[ConservationLaw]
    link: Matrix
    offset: List[float]
    stoichiometry: Matrix
    reduced_stoichiometry: Matrix
    link0: Matrix
    kernel: Matrix
    free_reactions: List[str]
    rank: int
    exact: bool
    tolerance: float
    @property
    def excluded(self) -> List[Tuple[str, str]]: ...
    notes: List[str]

class ControlTheorems:
    flux_summation: float
    concentration_summation: float
    flux_connectivity: float
    concentration_connectivity: float

class ControlAnalysis:
    state: SteadyState
    species: List[str]
    reactions: List[str]
    concentrations: List[float]
    fluxes: List[float]
    elasticities: Matrix
    scaled_elasticities: Matrix
    flux_control: Matrix
    scaled_flux_control: Matrix
    concentration_control: Matrix
    scaled_concentration_control: Matrix
    theorems: ControlTheorems
    other_processes: List[str]
    notes: List[str]

class SteadyStateSensitivities:
    state: SteadyState
    parameter_values: List[float]
    unscaled: Matrix
    scaled: Matrix
    resolved: List[str]

class StochasticStats:
    """What a stochastic run did (Model.ssa(stats=True); `axisim simulate --stats`)."""
    method: str
    selection: str
    backend: str
    replicates: int
    firings: int
    events: int
    leaps: int
    implicit_leaps: int
    seconds: float

class RunState:
    """Where a run ended, to continue from (Model.simulate_from, Model.ssa(from_states=...))."""
    def __init__(self) -> None: ...
    @staticmethod
    def start(model: Model, time: float, *, seed: int = 0x5eed) -> RunState: ...
    @property
    def empty(self) -> bool: ...
    @property
    def time(self) -> float: ...
    def value(self, id: str, quantity: Quantity = "default") -> float: ...
    def __getitem__(self, id: str) -> float: ...
    def set_value(self, id: str, value: float, quantity: Quantity = "default") -> None: ...
    def __setitem__(self, id: str, value: float) -> None: ...
    @property
    def pending(self) -> List[Tuple[str, float]]: ...
    def copy(self) -> RunState: ...
    def __copy__(self) -> RunState: ...
    def __deepcopy__(self, memo: dict) -> RunState: ...

class Model:
    """An SBML model compiled for simulation. Make one with axisim.load()."""
    @property
    def id(self) -> str: ...
    @property
    def source(self) -> Optional[str]: ...
    @property
    def ids(self) -> List[str]: ...
    def has_id(self, id: str) -> bool: ...
    def __contains__(self, id: str) -> bool: ...
    def kind(self, id: str) -> Literal["compartment", "species", "parameter", "species_reference", "reaction",
                                       "local_parameter"]: ...
    def set_value(self, id: str, value: float, quantity: Quantity = "default") -> None: ...
    def __setitem__(self, id: str, value: float) -> None: ...
    def initial_value(self, id: str, quantity: Quantity = "default") -> float: ...
    def __getitem__(self, id: str) -> float: ...
    def attach(self, plugin: Union[str, PathLike, Plugin], *, initial_states: Optional[Dict[str, float]] = None,
               plugin_dirs: Sequence[str] = ..., **parameters: float) -> None: ...
    @property
    def plugins(self) -> List[Dict[str, Any]]: ...
    @property
    def recorded_plugins(self) -> List[Dict[str, Any]]: ...
    def attach_recorded(self, plugin_dirs: Sequence[str] = ...) -> None: ...
    def simulate(self, start: float = 0.0, end: float = 10.0, points: Optional[int] = None, *,
                 steps: Optional[int] = None, selections: Optional[Sequence[Selection]] = None,
                 amounts: Sequence[str] = ..., concentrations: Sequence[str] = ..., atol: float = 1e-12,
                 rtol: float = 1e-8, max_steps: int = 500000, seed: int = 0x5eed,
                 linear_solver: Literal["auto", "dense", "sparse", "iterative"] = "auto",
                 jacobian: Literal["auto", "analytic", "numeric"] = "auto", max_seconds: float = 0.0,
                 reduce_moieties: bool = False,
                 end_state: bool = False) -> Union[Result, Tuple[Result, Optional[RunState]]]: ...
    # Takes simulate()'s keywords.
    def simulate_from(self, state: RunState, start: Optional[float] = None, end: float = 10.0,
                      points: Optional[int] = None, *, end_state: bool = False,
                      **options: Any) -> Union[Result, Tuple[Result, Optional[RunState]]]: ...
    def set_plugin_parameter(self, plugin: str, parameter: str, value: float) -> None: ...
    def export(self, path: PathLike, *, level: int = 0, version: int = 0, at_time: Optional[float] = None,
               flatten: bool = False, atol: float = 1e-12, rtol: float = 1e-8) -> None: ...
    def to_sbml(self, level: int = 0, version: int = 0, at_time: Optional[float] = None,
                flatten: bool = False) -> str: ...
    def copy(self) -> Model: ...
    def __copy__(self) -> Model: ...
    def __deepcopy__(self, memo: dict) -> Model: ...
    def steady_state(self, selections: Optional[Sequence[Selection]] = None, *,
                     method: Literal["auto", "newton", "pseudo-transient", "integration"] = "auto",
                     rtol: float = 1e-10, atol: float = 1e-12, max_iterations: int = 100, time: float = 0.0,
                     allow_negative: bool = False) -> SteadyState: ...
    def scan_steady_state(self, parameter: str, lo: float, hi: float, points: int,
                          selections: Optional[Sequence[Selection]] = None, *, method: str = "auto",
                          rtol: float = 1e-10, atol: float = 1e-12, max_iterations: int = 100, time: float = 0.0,
                          allow_negative: bool = False) -> SteadyStateScan: ...
    def sensitivities(self, wrt: Sequence[str], start: float = 0.0, end: float = 10.0,
                      points: Optional[int] = None, *, steps: Optional[int] = None,
                      selections: Optional[Sequence[Selection]] = None, atol: float = 1e-12,
                      rtol: float = 1e-8) -> Sensitivities: ...
    def ssa(self, start: Optional[float] = None, end: float = 10.0, points: Optional[int] = None, *,
            steps: Optional[int] = None, selections: Optional[Sequence[Selection]] = None, seed: int = 0x5eed,
            replicates: int = 0, all: bool = False, threads: int = 1,
            backend: Literal["auto", "interpreter", "native"] = "auto",
            from_states: Union[None, RunState, Sequence[RunState]] = None, end_state: bool = False,
            method: Literal["exact", "ssa", "tau-leap", "implicit-tau-leap", "adaptive-tau-leap", "hybrid"] = "exact",
            tau_epsilon: Optional[float] = None, tau_delta: Optional[float] = None,
            switch_tol: Optional[float] = None, switch_min: Optional[float] = None, stats: bool = False
            ) -> Union[Result, Tuple[Result, RunState], Tuple[Result, List[RunState]], Tuple[Result, StochasticStats],
                       Tuple[Result, RunState, StochasticStats], Tuple[Result, List[RunState], StochasticStats]]: ...
    def fba(self, outputs: Sequence[str] = (), *, infeasible_as_nan: bool = False) -> FbaResult: ...
    def moieties(self) -> MoietyAnalysis: ...
    def control_analysis(self, *, method: str = "auto") -> ControlAnalysis: ...
    def steady_state_sensitivities(self, wrt: Sequence[str], selections: Optional[Sequence[Selection]] = None, *,
                                   method: str = "auto") -> SteadyStateSensitivities: ...

def load_scenario(path: PathLike, plugin_dirs: Sequence[str] = ...) -> Tuple[Model, Dict[str, Any], str, str]: ...
def suite_settings(path: PathLike) -> Dict[str, Any]: ...
