"""`--xlsx`: every table in one Excel workbook, OUT_DIR/inspections.xlsx
(XlsxWriter), for analysts who live in Excel.

- a `ratings_matrix` sheet first: one row per inspection, one column per
  standard, each cell the published rating coloured by it;
- then one sheet per table, in schema order, with a frozen header row, an
  autofilter and widths from the contents;
- numbers are numbers, booleans booleans, and each date column a real date
  shown as printed (`yyyy-mm-dd`, or `yyyy-mm` where only a month is
  printed: see its `_precision` column); the typed `<date>_date` columns of
  the Parquet files are left out, since the date column is one;
- every text cell is written as a string cell, as it is (a name starting
  with "=" keeps its "=", with no quote before it): never parsed as a
  formula, number or link, since XlsxWriter is told not to (the CSV files,
  which have no cell types, quote such text: spreadsheet.safe_cell).
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.core import rules
from pipeline.core.records import Rating
from pipeline.core.derived import parse_iso
from pipeline.core.schema import TABLE_DEFS
from pipeline.output.names import WORKBOOK
from pipeline.output.store import write_atomic_with

MATRIX = "ratings_matrix"
MAX_WIDTH = 60
MIN_WIDTH = 6
SAMPLE = 200  # rows looked at to size a column
# fill colours of the ratings, lowest first (the reconciliation report's palette)
RATING_FILLS = {Rating.INADEQUATE: "#F4C7C3", Rating.REQUIRES_IMPROVEMENT: "#FCE8B2",
                Rating.GOOD: "#B7E1CD", Rating.OUTSTANDING: "#9FC5E8"}


def _width(header: str, values: list[object]) -> float:
    longest = max([len(header), *(len(str(v)) for v in values[:SAMPLE] if v is not None)])
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


class _Writer:
    def __init__(self, workbook: Any) -> None:  # an xlsxwriter Workbook (untyped)
        self.book = workbook
        self.header = workbook.add_format({"bold": True, "bg_color": "#E8EAED", "bottom": 1, "text_wrap": False})
        self.day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.month = workbook.add_format({"num_format": "yyyy-mm"})
        self.ratings = {r.value: workbook.add_format({"bg_color": fill}) for r, fill in RATING_FILLS.items()}

    def cell(self, sheet: Any, row: int, col: int, value: object, is_date: bool) -> None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return
        if is_date:
            day, precision = parse_iso(value)
            if day is not None:
                sheet.write_datetime(row, col, day, self.day if precision == "day" else self.month)
                return
        if isinstance(value, bool):
            sheet.write_boolean(row, col, value)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value)
        else:
            sheet.write_string(row, col, str(value))

    def sheet(self, name: str, headers: list[str], rows: list[list[object]], dates: set[str],
              ratings: frozenset[str] | set[str] = frozenset()) -> None:
        sheet = self.book.add_worksheet(name)
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, self.header)
            values = [r[col] for r in rows]
            sheet.set_column(col, col, 12 if header in dates else _width(header, values))
        for i, values in enumerate(rows, start=1):
            for col, (header, value) in enumerate(zip(headers, values, strict=True)):
                if header in ratings and value in self.ratings:
                    sheet.write_string(i, col, str(value), self.ratings[str(value)])
                else:
                    self.cell(sheet, i, col, value, header in dates)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), max(len(headers) - 1, 0))


def matrix_rows(inspections: pa.Table) -> tuple[list[str], list[list[object]]]:
    """One row per inspection: service, month, overall, score, then each
    standard's published rating."""
    codes = rules.standard_codes()
    headers = ["service_name", "inspection_month", "framework", "overall_rating", "score", *codes,
               "inspection_id"]
    rows = []
    for r in sorted(inspections.to_pylist(), key=lambda r: (str(r.get("service_name") or ""),
                                                          str(r.get("inspection_month") or ""))):
        rows.append([r.get("service_name"), r.get("inspection_month"), r.get("framework"), r.get("overall_rating"),
                     r.get("score"), *(r.get(rules.rating_column(c)) for c in codes), r.get("inspection_id")])
    return headers, rows


def write_workbook(tables: dict[str, pa.Table], path: Path) -> None:
    import xlsxwriter

    # constant_memory: each row goes to disk as it is written (rows are written in order), so a
    # run of thousands of files does not hold the whole workbook in the main process
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False, "nan_inf_to_errors": False,
                                           "constant_memory": True})
    try:
        out = _Writer(book)
        if "inspections" in tables:
            headers, rows = matrix_rows(tables["inspections"])
            out.sheet(MATRIX, headers, rows, {"inspection_month"},
                      {"overall_rating", *rules.standard_codes()})
        for name, table in tables.items():
            definition = TABLE_DEFS.get(name)
            types = {c.name: c.type for c in definition.columns} if definition else {}
            headers = [c for c in table.schema.names if types.get(c) != "date32"]
            dates = {c for c in headers if types.get(c) == "date"}
            columns = [table.column(c).to_pylist() for c in headers]
            rows = [list(values) for values in zip(*columns, strict=True)] if columns else []
            out.sheet(name[:31], headers, rows, dates)
    finally:
        book.close()


def write_xlsx(tables: dict[str, pa.Table], folder: Path) -> None:
    """folder/inspections.xlsx, written whole or not at all."""
    write_atomic_with(Path(folder) / WORKBOOK, lambda tmp: write_workbook(tables, Path(tmp)))
