"""The outputs around the Parquet tables, each written by a
`write_<thing>(tables, folder)` function (INTERFACES 1): the DuckDB
database, the CSV files (with --csv), the Excel workbook (with --xlsx) and
datapackage.json (last, since it
lists the CSV files when they are there)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.output.names import CSV_DIR, DATABASE, DATAPACKAGE, WORKBOOK

if TYPE_CHECKING:
    import pyarrow as pa


Writer = Callable[[dict[str, "pa.Table"], Path], None]


def writers(csv: bool, xlsx: bool = False) -> list[Writer]:
    # imported when asked for: each writer loads pyarrow, duckdb, pandas or xlsxwriter
    from pipeline.output.csv_tables import write_csv
    from pipeline.output.database import write_duckdb
    from pipeline.output.datapackage import write_datapackage

    extra: list[Writer] = []
    if xlsx:
        from pipeline.output.workbook import write_xlsx

        extra.append(write_xlsx)
    return [write_duckdb, *([write_csv] if csv else []), *extra, write_datapackage]


def expected_outputs(csv: bool, xlsx: bool = False) -> list[str]:
    return [DATABASE, *([CSV_DIR] if csv else []), *([WORKBOOK] if xlsx else []), DATAPACKAGE]
