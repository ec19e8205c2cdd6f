"""The columns derived from a table's contract columns for Arrow and Polars
readers (schema.py defines them): each rating's points, and each printed
date as a typed date with its precision."""
from __future__ import annotations

import datetime
import re
from functools import cache

from pipeline.core.records import Rating, Row
from pipeline.core.schema import TABLE_DEFS


ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_iso(text: object) -> tuple[datetime.date | None, str | None]:
    """"2020-09-14" -> (date, "day"); "2018-09" -> (2018-09-01, "month");
    anything else -> (None, None)."""
    if not isinstance(text, str):
        return None, None
    for pattern, precision in ((ISO_DAY, "day"), (ISO_MONTH, "month")):
        match = pattern.fullmatch(text.strip())
        if match:
            year, month, day = (int(g) for g in (*match.groups(), 1)[:3])
            try:
                return datetime.date(year, month, day), precision
            except ValueError:
                return None, None
    return None, None


@cache
def _derivations(name: str) -> tuple[tuple[str, str], ...]:
    """(derived column, its source column) of table `name`."""
    out = []
    for column in TABLE_DEFS[name].columns:
        for suffix in ("_points", "_date", "_precision"):
            source = column.name.removesuffix(suffix)
            if source != column.name and any(c.name == source for c in TABLE_DEFS[name].columns):
                out.append((column.name, source))
    return tuple(out)


def derived_values(name: str, row: Row) -> Row:
    """`row` with its derived columns filled from their source columns."""
    derivations = _derivations(name)
    if not derivations:
        return row
    row = dict(row)
    for column, source in derivations:
        value = row.get(source)
        if column.endswith("_points"):
            member = Rating.of(value)
            row[column] = None if member is None else member.points
        elif column.endswith("_date"):
            row[column] = parse_iso(value)[0]
        else:
            row[column] = parse_iso(value)[1]
    return row
