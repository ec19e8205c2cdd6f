"""Issue 21.8: --xlsx writes one workbook: a ratings matrix and one sheet per
table, numbers as numbers, dates as dates, frozen headers with filters,
widths from the contents, formula-safe text; listed in the manifest."""
import datetime
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

from pipeline.core.schema import TABLE_DEFS

ROOT = Path(__file__).resolve().parent.parent
openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for path in SAMPLES.values():
        shutil.copy(path, raw / path.name)
    (raw / "=HYPERLINK(1).txt").write_text("Minutes of the meeting.\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out),
                             "--no-progress", "--workers", "1", "--xlsx", "--json"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr  # the minutes are not a report
    summary = json.loads(result.stdout)
    assert "inspections.xlsx" in summary["outputs"]
    generation = (out / "current").resolve()
    manifest = json.loads((generation / "manifest.json").read_text())
    assert "inspections.xlsx" in manifest["files"]
    return openpyxl.load_workbook(out / "inspections.xlsx"), summary


def header(sheet):
    return [c.value for c in sheet[1]]


def test_one_sheet_per_table_after_the_matrix(book):
    wb, summary = book
    assert wb.sheetnames == ["ratings_matrix", *TABLE_DEFS]
    for name in TABLE_DEFS:
        sheet = wb[name]
        assert sheet.max_row - 1 == summary["rows"][name] or (summary["rows"][name] == 0 and sheet.max_row == 1)
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name


def test_numbers_dates_and_booleans_are_typed(book):
    wb, _ = book
    reports = wb["reports"]
    cols = header(reports)
    rows = {r[cols.index("service_key")]: r for r in reports.iter_rows(min_row=2, values_only=True)}
    ns = rows["north-somerset"]
    assert ns[cols.index("score")] == 26 and ns[cols.index("pages")] > 0 and isinstance(ns[cols.index("pages")], int)
    assert ns[cols.index("fieldwork_start")] == datetime.datetime(2020, 9, 14)
    assert ns[cols.index("fieldwork_start_precision")] == "day"
    assert "fieldwork_start_date" not in cols  # the date column is a date already
    luton = rows["luton"]
    assert (luton[cols.index("score")], luton[cols.index("score_recomputed")]) == (16, 15)
    bed = rows["bedfordshire"]
    assert bed[cols.index("announced_month")] == datetime.datetime(2021, 8, 1)
    cell = reports.cell(row=2 + list(rows).index("bedfordshire"), column=cols.index("announced_month") + 1)
    assert cell.number_format == "yyyy-mm" and cell.is_date
    ratings = wb["ratings"]
    rcols = header(ratings)
    first = {(r[rcols.index("service_key")], r[rcols.index("standard")]): r
             for r in ratings.iter_rows(min_row=2, values_only=True)}
    luton21 = first[("luton", "2.1")]
    assert (luton21[rcols.index("rating")], luton21[rcols.index("rating_points")],
            luton21[rcols.index("quantitative")]) == ("Good", 2, True)
    kq = wb["key_questions"]
    kcols = header(kq)
    lowest = [r for r in kq.iter_rows(min_row=2, values_only=True)
              if r[kcols.index("service_key")] == "luton" and r[kcols.index("standard")] == "2.1"]
    assert sorted(r[kcols.index("pct_yes")] for r in lowest)[0] == 62.0


def test_ratings_matrix(book):
    wb, _ = book
    sheet = wb["ratings_matrix"]
    cols = header(sheet)
    assert cols[:5] == ["service_name", "inspection_month", "framework", "overall_rating", "score"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == ["Bedfordshire Youth Offending Service", "Luton Youth Offending Service",
                          "North Somerset Youth Offending Service"]
    ns = rows["North Somerset Youth Offending Service"]
    assert (ns[cols.index("2.1")], ns[cols.index("1.1")], ns[cols.index("overall_rating")]) == (
        "Outstanding", "Requires improvement", "Good")
    assert rows["Bedfordshire Youth Offending Service"][cols.index("4.1")] == "Good"
    assert rows["Luton Youth Offending Service"][cols.index("4.1")] is None
    fills = {sheet.cell(row=i, column=cols.index("2.1") + 1).fill.fgColor.rgb for i in range(2, 5)}
    assert len(fills) == 3  # Inadequate, Good, Outstanding: three colours
    assert sheet.freeze_panes == "A2"


def test_text_is_formula_safe_and_widths_fit(book):
    wb, _ = book
    errors = wb["errors"]
    names = [r[0] for r in errors.iter_rows(min_row=2, values_only=True)]
    assert names == ["=HYPERLINK(1).txt"]  # the name as it is: no visible quote before it
    assert errors.cell(row=2, column=1).data_type == "s"  # a string, not a formula
    widths = wb["key_questions"].column_dimensions
    question = header(wb["key_questions"]).index("question")
    letter = openpyxl.utils.get_column_letter(question + 1)
    assert widths[letter].width >= 60 - 1  # long text: the widest allowed
    assert widths["A"].width >= len("report_id")


def test_the_workbook_written_in_process_equals_the_runs(book, tmp_path):
    """write_xlsx on the run's own tables gives the same sheets and cells (the
    writer is a pure function of the tables; this also measures its coverage,
    which the run's subprocess does not)."""
    from pipeline.output.reading import read_tables
    from pipeline.output.workbook import write_xlsx

    workbook, summary = book
    write_xlsx(read_tables(Path(summary["out_dir"])), tmp_path)
    again = openpyxl.load_workbook(tmp_path / "inspections.xlsx")
    assert again.sheetnames == workbook.sheetnames
    for name in workbook.sheetnames:
        assert [[c.value for c in row] for row in again[name].iter_rows()] == \
            [[c.value for c in row] for row in workbook[name].iter_rows()], name
