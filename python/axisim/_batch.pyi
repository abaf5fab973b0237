from typing import Any, Dict, List, Optional

from ._axisim import Result

class BatchRun:
    outdir: Optional[str]
    counts: Dict[str, Any]
    summary: List[Dict[str, str]]
    results: Dict[str, Result]
    @property
    def ok(self) -> bool: ...
