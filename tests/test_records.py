"""The typed records extract/ returns give exactly their table's row: every
column of the schema, in the schema's order, with the record's values."""
import pytest

from pipeline.core.records import Fact, KeyQuestion, Prompt, Recommendation
from pipeline.core.schema import IDENTITY_COLUMNS, TABLE_DEFS

RECORDS = {
    "facts": Fact("caseload", "caseload_custody", "Custody", None, 6.0, "count", 10, "caseload", "service"),
    "prompts": Prompt("3.1", 2, "a", "Is it safe?", 60, "section", relevant=6, yes=4),
    "recommendations": Recommendation(2, "The Board should", "improve planning.", 9),
    "key_questions": KeyQuestion("2.1", 1, "Question?", 20, "section", relevant=8, yes=7),
}


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_as_row_is_the_table_row_in_schema_order(table):
    row = RECORDS[table].as_row("0123456789abcdef")
    # the inspection and service columns are the run's (corpus.split_copies), and locator is the
    # file's business (one_file.located): neither is the record's
    identity = {c.name for c in IDENTITY_COLUMNS} | {"locator"}
    assert list(row) == [c.name for c in TABLE_DEFS[table].columns if c.name not in identity]
    assert row["report_id"] == "0123456789abcdef"


def test_as_row_values():
    assert RECORDS["facts"].as_row("r")["value"] == 6.0 and RECORDS["facts"].as_row("r")["rate_basis"] is None
    assert (RECORDS["prompts"].as_row("r")["key_question"], RECORDS["prompts"].as_row("r")["pct_yes"]) == (2, None)
    assert RECORDS["recommendations"].as_row("r")["page"] == 9
    assert RECORDS["key_questions"].as_row("r")["pct_exact"] == pytest.approx(87.5)


def test_inspection_dates_are_reports_columns_and_every_printed_date_has_one():
    from pipeline.extract.dates import DATE_COLUMNS
    from pipeline.core.records import InspectionDates

    columns = list(InspectionDates().as_columns())
    reports = [c.name for c in TABLE_DEFS["reports"].columns]
    assert set(columns) <= set(reports)
    assert columns == [n for c in DATE_COLUMNS for n in (c, f"{c}_page")] + ["inspection_month",
                                                                           "inspection_month_source"]
    assert InspectionDates(fieldwork_start="2020-09-14", fieldwork_start_page=1).as_columns()["fieldwork_start"] \
        == "2020-09-14"
