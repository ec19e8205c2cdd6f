"""The outputs around the Parquet tables, each written by a
`write_<thing>(tables, folder)` function (INTERFACES 1): the DuckDB
database, the CSV files (with --csv) and datapackage.json (last, since it
lists the CSV files when they are there)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

# the names they write (here, not in the writers' modules, so that naming
# the outputs does not load pyarrow)
CSV_DIR = "csv"
DATABASE = "inspections.duckdb"
DATAPACKAGE = "datapackage.json"

Writer = Callable[[dict[str, "pa.Table"], Path], None]


def writers(csv: bool) -> list[Writer]:
    from pipeline.output.csv_tables import write_csv
    from pipeline.output.database import write_duckdb
    from pipeline.output.datapackage import write_datapackage

    return [write_duckdb, *([write_csv] if csv else []), write_datapackage]


def expected_outputs(csv: bool) -> list[str]:
    return [DATABASE, *([CSV_DIR] if csv else []), DATAPACKAGE]
