"""Reading back the tables of the output folder's current run."""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.output.generations import current_generation
from pipeline.output.store import SCHEMAS


def read_tables(folder: Path) -> dict[str, pa.Table]:
    """Every contract table of the run in output folder `folder` (missing ones
    come back empty). The run's generation is resolved once, so a run that
    finishes meanwhile cannot mix its tables with these."""
    folder = current_generation(Path(folder))
    out = {}
    for name, schema in SCHEMAS.items():
        p = folder / f"{name}.parquet"
        out[name] = pq.read_table(p) if p.exists() else schema.empty_table()
    return out
