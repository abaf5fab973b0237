# Type stubs of the axisim package (axisim/__init__.py); the classes are axisim._axisim's.
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from ._axisim import (
    ConservationLaw as ConservationLaw,
    ControlAnalysis as ControlAnalysis,
    Error as Error,
    FbaResult as FbaResult,
    FvaResult as FvaResult,
    Fold as Fold,
    InvalidSbmlError as InvalidSbmlError,
    IoError as IoError,
    Matrix as Matrix,
    Model as Model,
    MoietyAnalysis as MoietyAnalysis,
    Plugin as Plugin,
    PluginError as PluginError,
    Result as Result,
    RunState as RunState,
    Sensitivities as Sensitivities,
    SolverError as SolverError,
    SolverStats as SolverStats,
    SteadyState as SteadyState,
    SteadyStateScan as SteadyStateScan,
    SteadyStateSensitivities as SteadyStateSensitivities,
    StochasticStats as StochasticStats,
    UnknownIdError as UnknownIdError,
    UnsupportedError as UnsupportedError,
    UsageError as UsageError,
    __version__ as __version__,
    dynamic_fba as dynamic_fba,
    fba as fba,
    flux_variability as flux_variability,
    load_plugin as load_plugin,
    load_scenario as load_scenario,
    plugin_path as plugin_path,
    plugins as plugins,
    set_log_level as set_log_level,
    suite_settings as suite_settings,
)
from ._batch import BatchRun as BatchRun

PathLike = Union[str, os.PathLike[str]]

def load(source: PathLike, *, validate: bool = True, backend: str = "auto", ignore_fast: bool = False,
         attach_recorded: bool = True, plugin_dirs: Sequence[str] = ()) -> Model: ...
def batch(jobs: Union[PathLike, str, Sequence[Mapping[str, Any]], Mapping[str, Any]], *, workers: int = 1,
          outdir: Optional[PathLike] = None, resume: bool = False, overwrite: bool = False,
          plugin_dirs: Sequence[str] = (), backend: str = "auto", max_seconds: float = 0.0, progress: bool = False,
          base_dir: Optional[str] = None, load_results: bool = True) -> BatchRun: ...
