"""The outputs around the Parquet tables, each written by a
`write_<thing>(tables, folder)` function (INTERFACES 1): the DuckDB
database, the CSV files (with --csv) and datapackage.json (last, since it
lists the CSV files when they are there)."""
from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from .csv_tables import CSV_DIR, write_csv
from .database import DATABASE, write_duckdb
from .datapackage import DATAPACKAGE, write_datapackage
from .store import to_table

Writer = Callable[[dict[str, pa.Table], Path], None]


def writers(csv: bool) -> list[Writer]:
    return [write_duckdb, *([write_csv] if csv else []), write_datapackage]


def expected_outputs(csv: bool) -> list[str]:
    return [DATABASE, *([CSV_DIR] if csv else []), DATAPACKAGE]


def present(folder: Path, csv: bool) -> bool:
    return all((Path(folder) / name).exists() for name in expected_outputs(csv))


def write_artifacts(rows: dict[str, list[dict]], folder: Path, csv: bool) -> list[str]:
    """Every artifact into `folder`; without --csv a csv/ folder left by an
    earlier run is removed so that it never disagrees with the tables."""
    folder = Path(folder)
    tables = {name: to_table(name, table_rows) for name, table_rows in rows.items()}
    if not csv and (folder / CSV_DIR).is_dir():
        shutil.rmtree(folder / CSV_DIR)
    for write in writers(csv):
        write(tables, folder)
    return expected_outputs(csv)
