"""The reconciliation report's files, written into a generation."""
from __future__ import annotations

from typing import Any

from pathlib import Path

from pipeline.output.store import write_text_atomic
from pipeline.reconcile import render_all


def write_reconciliation(tables: dict[str, Any], folder: Path) -> None:
    """Write reconciliation.md, reconciliation.html and findings.csv into
    `folder` from `tables` (pyarrow tables or pandas frames), each atomically."""
    for name, text in render_all(tables).items():
        write_text_atomic(text, Path(folder) / name)
