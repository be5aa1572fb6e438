"""Key figures a benchmark hands to `python -m bench` for its closing summary table.

The parent sets BENCH_RESULTS_DIR to a temporary folder; each child benchmark
writes `<name>.json` there. Run alone (no variable), `record` does nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

RESULTS_DIR = "BENCH_RESULTS_DIR"


def record(benchmark: str, **figures) -> None:
    """Merge `figures` into the benchmark's JSON file, when a parent asked for one."""
    folder = os.environ.get(RESULTS_DIR)
    if not folder:
        return
    path = Path(folder) / f"{benchmark}.json"
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    current.update(figures)
    path.write_text(json.dumps(current, indent=1), encoding="utf-8")


def read_all(folder: Path) -> dict[str, dict]:
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}
