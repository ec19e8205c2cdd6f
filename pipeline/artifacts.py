"""The outputs around the Parquet tables, each written by a
`write_<thing>(tables, folder)` function (INTERFACES 1): the DuckDB
database, the CSV files (with --csv) and datapackage.json (last, since it
lists the CSV files when they are there)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from .csv_tables import CSV_DIR, write_csv
from .database import DATABASE, write_duckdb
from .datapackage import DATAPACKAGE, write_datapackage

Writer = Callable[[dict[str, pa.Table], Path], None]


def writers(csv: bool) -> list[Writer]:
    return [write_duckdb, *([write_csv] if csv else []), write_datapackage]


def expected_outputs(csv: bool) -> list[str]:
    return [DATABASE, *([CSV_DIR] if csv else []), DATAPACKAGE]
