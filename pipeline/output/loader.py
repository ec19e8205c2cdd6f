"""Typed loading for analysts: `from pipeline import load`.

    tables = load("data/parsed")
    tables["ratings"]

Every table comes back as a pandas DataFrame whose column types do not depend
on the batch:
- whole numbers are nullable integers (Int32), so a null does not turn a
  column into floats;
- booleans are nullable booleans;
- ratings are ordered categoricals, Inadequate < Requires improvement <
  Good < Outstanding, so they sort and compare by merit;
- date columns (type `date` in schema.py) are datetime64: a date printed as
  a month only ("2018-09") becomes the first day of that month, and a
  `<column>_precision` column beside it says `day` or `month`;
- `ratings` gets `rating_points` and `rating_recomputed_points` (0-3, the
  points of the published and the recomputed rating, from rules.py).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core import rules
from pipeline.core.schema import KNOWN_DATE_COLUMNS, TABLE_DEFS, is_rating_column

_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def rating_dtype() -> pd.CategoricalDtype:
    return pd.CategoricalDtype(rules.ratings_ascending(), ordered=True)


def date_columns(name: str, columns: list[str]) -> list[str]:
    defined = {c.name: c.type for c in TABLE_DEFS[name].columns} if name in TABLE_DEFS else {}
    return [c for c in columns if defined.get(c) == "date" or (c not in defined and c in KNOWN_DATE_COLUMNS)]


def parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO "YYYY-MM-DD" or "YYYY-MM" text to (datetime64, precision)."""
    text = text.astype("string").str.strip()
    precision = pd.Series(pd.NA, index=text.index, dtype="string")
    precision[text.str.fullmatch(r"\d{4}-\d{2}-\d{2}", na=False)] = "day"
    precision[text.str.fullmatch(r"\d{4}-\d{2}", na=False)] = "month"
    as_day = text.where(precision != "month", text + "-01")
    dates = pd.to_datetime(as_day.where(precision.notna()), format="%Y-%m-%d", errors="coerce")
    return dates, precision.astype(pd.CategoricalDtype(["day", "month"]))


def typed_frame(name: str, table: pa.Table) -> pd.DataFrame:
    frame = table.to_pandas(types_mapper=_NULLABLE.get)
    for col in frame.columns:
        if is_rating_column(col):
            frame[col] = frame[col].astype(rating_dtype())
    for col in date_columns(name, list(frame.columns)):
        dates, precision = parse_dates(frame[col])
        frame[col] = dates
        if f"{col}_precision" in frame.columns:  # written by the run
            frame[f"{col}_precision"] = precision
        else:  # tables from before the column was written
            frame.insert(frame.columns.get_loc(col) + 1, f"{col}_precision", precision)
        if f"{col}_date" in frame.columns:
            frame[f"{col}_date"] = dates
    if name == "ratings":
        for col in ("rating", "rating_recomputed"):
            if f"{col}_points" in frame.columns:
                continue
            points = frame[col].astype(object).map(lambda r: rules.rating_points(r) if isinstance(r, str) else None)
            frame.insert(frame.columns.get_loc(col) + 1, f"{col}_points", points.astype(pd.Int8Dtype()))
    return frame


def load(folder: str | Path = "data/parsed", tables: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every table in `folder` (or the ones named) as typed DataFrames."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of extracted tables (run `make extract` first)")
    names = tables or [*TABLE_DEFS, *sorted(p.stem for p in folder.glob("*.parquet") if p.stem not in TABLE_DEFS)]
    out = {}
    for name in names:
        path = folder / f"{name}.parquet"
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing (run `make extract` first)")
        out[name] = typed_frame(name, pq.read_table(path))
    return out
