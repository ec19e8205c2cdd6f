"""`--csv`: every table as OUT_DIR/csv/<table>.csv for spreadsheet users.

UTF-8, a header row, empty cells for nulls, true/false for booleans, dates
as the ISO text the tables hold, and every text cell through
spreadsheet.safe_cell so that none runs as a formula. The folder is built
beside the old one and swapped in, so a reader never sees half of a set.
"""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa

from pipeline.output.names import CSV_DIR
from pipeline.core.spreadsheet import safe_cell
from pipeline.output.store import current_umask



def csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe_cell(value)


def write_table_csv(table: pa.Table, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(table.schema.names)
        for row in table.to_pylist():
            writer.writerow([csv_cell(v) for v in row.values()])


def write_csv(tables: dict[str, pa.Table], folder: Path) -> None:
    """folder/csv/<table>.csv for every table, replaced as one folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{CSV_DIR}.", suffix=".tmp", dir=folder))
    try:
        os.chmod(staging, 0o777 & ~current_umask())
        for name, table in tables.items():
            write_table_csv(table, staging / f"{name}.csv")
        target = folder / CSV_DIR
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{CSV_DIR}.old.", dir=folder))
            os.replace(target, old / CSV_DIR)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
