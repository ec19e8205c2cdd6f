"""Rows of the output tables as plain dicts, and the split of the corpus into
the inspections it counts and the copies it does not.

Tables may be pyarrow or pandas; every schema column is present in each row
(nulls as None), values typed per the schema, extra columns kept.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from pipeline.core.records import Row
from pipeline.core.schema import table_schema

# errors.error for a file whose bytes were already read under another name
DUPLICATE_FILE = "duplicate_file"
# errors.error for a file that is not a report format (an image, a spreadsheet): named, not unreadable
SKIPPED_FILE = "skipped"


def is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:  # pandas.NA / NaT
        import pandas as pd
        return v is pd.NA or v is pd.NaT
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False


def _typed(v: Any, type_: pa.DataType) -> Any:
    if is_missing(v):
        return None
    if pa.types.is_integer(type_):
        return int(v)
    if pa.types.is_floating(type_):
        return float(v)
    if pa.types.is_boolean(type_):
        return bool(v)
    if pa.types.is_string(type_):
        return str(v)
    return v


def table_rows(tables: dict[str, Any], name: str) -> list[Row]:
    """Rows of one table (pyarrow or pandas) as dicts with every schema column."""
    schema = table_schema(name)
    t = tables.get(name)
    if t is None:
        return []
    raw = t.to_pylist() if isinstance(t, pa.Table) else t.to_dict("records")
    out = []
    for r in raw:
        row = {f.name: _typed(r.get(f.name), f.type) for f in schema}
        for k, v in r.items():  # keep extra columns a caller may have added
            if k not in row:
                row[k] = None if is_missing(v) else v
        out.append(row)
    return out


def text(v: Any) -> str:
    return "" if v is None else str(v)


def std_key(s: str | None) -> tuple[tuple[int, int, str], ...]:
    """'2.10' sorts after '2.9'; None last."""
    if not s:
        return ((2, 0, ""),)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in str(s).split("."))


@dataclass
class Corpus:
    """The rows the report counts: each inspection once. `copies` are the
    reports rows whose duplicate_of names another report; their ratings,
    key questions and findings are left out of every other list."""
    reports: list[Row]
    ratings: list[Row]
    key_questions: list[Row]
    findings: list[Row]
    errors: list[Row]
    copies: list[Row] = field(default_factory=list)
    copied_files: list[Row] = field(default_factory=list)  # errors rows: same bytes, read once
    skipped_files: list[Row] = field(default_factory=list)  # errors rows: not a report format
    all_reports: dict[str, Row] = field(default_factory=dict)


def read_corpus(tables: dict[str, Any]) -> Corpus:
    """Split the tables into counted rows and copies (a missing duplicate_of
    column counts as all-null), each list in a stable order."""
    reports = table_rows(tables, "reports")
    copies = [r for r in reports if r.get("duplicate_of")]  # null (or absent) for a primary
    copy_ids = {r["report_id"] for r in copies}
    counted = [r for r in reports if r["report_id"] not in copy_ids]
    counted.sort(key=lambda r: (text(r["service_name"]).lower(), text(r["report_id"]),
                                text(r["source_file"])))
    copies.sort(key=lambda r: (text(r["service_name"]).lower(), text(r["source_file"])))

    def kept(name: str) -> list[Row]:
        return [r for r in table_rows(tables, name) if r["report_id"] not in copy_ids]

    errors = table_rows(tables, "errors")
    errors.sort(key=lambda e: (text(e["source_file"]), text(e["stage"]), text(e["error"]),
                               text(e["message"])))
    return Corpus(reports=counted, ratings=kept("ratings"), key_questions=kept("key_questions"),
                  findings=kept("findings"),
                  errors=[e for e in errors if e["error"] not in (DUPLICATE_FILE, SKIPPED_FILE)],
                  skipped_files=[e for e in errors if e["error"] == SKIPPED_FILE],
                  copies=copies,
                  copied_files=[e for e in errors if e["error"] == DUPLICATE_FILE],
                  all_reports={r["report_id"]: r for r in reports})
