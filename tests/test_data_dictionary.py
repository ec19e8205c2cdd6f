"""The data dictionary (docs/data-dictionary.md) is generated from the
tables' definitions (pipeline/core/schema.py) by scripts/data_dictionary.py,
with example values from an extraction of the samples: it fails when the
page is out of date, when a table has no block there, or when a column has
no description."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import data_dictionary
import docs_blocks
import pytest

from pipeline.core import column_docs, schema


@pytest.fixture(scope="module")
def run(samples_run):
    return data_dictionary.run_values(samples_run / "data" / "parsed")


def page() -> str:
    return data_dictionary.PAGE.read_text(encoding="utf-8")


def test_the_data_dictionary_is_up_to_date(run):
    assert data_dictionary.updated(page(), run) == page(), "run: python scripts/data_dictionary.py"


def test_the_script_checks_its_own_extraction():
    result = subprocess.run([sys.executable, str(data_dictionary.SCRIPT_PATH), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr


def test_every_table_but_the_copies_has_a_block():
    names = docs_blocks.names_in(page())
    assert sorted(names) == sorted(data_dictionary.PREFIX + t for t in data_dictionary.documented_tables())
    assert len(names) == len(set(names)) == 10 and "table-rating_changes" in names


def test_every_column_has_a_description():
    assert data_dictionary.undescribed() == []


def test_a_column_without_a_description_is_caught(monkeypatch):
    ratings = schema.TABLE_DEFS["ratings"]
    blank = replace(ratings, columns=(*ratings.columns, schema.Column("new_column", "string", " ")))
    monkeypatch.setitem(schema.TABLE_DEFS, "ratings", blank)
    assert data_dictionary.undescribed() == ["ratings.new_column"]


def test_a_new_column_makes_the_page_stale(monkeypatch, run):
    ratings = schema.TABLE_DEFS["ratings"]
    added = replace(ratings, columns=(*ratings.columns, schema.Column("new_column", "string", "What it is.")))
    monkeypatch.setitem(schema.TABLE_DEFS, "ratings", added)
    new = data_dictionary.updated(page(), run)
    assert new != page() and "| `new_column` | string |  | What it is. |  |" in new


def test_contract_columns_are_defined_and_marked(run):
    for table, columns in column_docs.CONTRACT_COLUMNS.items():
        defined = [c.name for c in schema.TABLE_DEFS[table].columns]
        assert set(columns) <= set(defined), table
        block = data_dictionary.render_table(table, run)
        for column in columns:
            assert f"| `{column}` | " in block and f"| `{column}` | {schema.TABLE_DEFS[table].column(column).type} | ✓ |" \
                in block, (table, column)
    # a column outside the contract carries no mark
    assert "| `rating_source` | string |  |" in data_dictionary.render_table("ratings", run)


def test_every_contract_column_has_an_example(run):
    for table, columns in column_docs.CONTRACT_COLUMNS.items():
        shown = data_dictionary.examples(table, run)
        assert [c for c in columns if not shown[c]] == [], table


def test_examples_are_values_of_the_sample_run(run):
    """Checked against the sample reports: the fullest rows' values."""
    ratings = data_dictionary.examples("ratings", run)
    # Luton 2.1 (every column filled): published Good, its lowest key question 62% (page 21), so the rule
    # gives Requires improvement
    assert [ratings[c] for c in ("service_name", "standard", "rating", "rating_points", "lowest_pct",
                                 "rating_recomputed", "section_page")] == [
        "`Luton Youth Offending Service`", "`2.1`", "`Good`", "`2`", "`62.0`", "`Requires improvement`", "`21`"]
    reports = data_dictionary.examples("reports", run)
    # Bedfordshire: 6 court cases, 17 out-of-court, 2 resettlement; inspection month from its announcement
    assert (reports["cases_court"], reports["cases_out_of_court"], reports["cases_resettlement"]) == \
        ("`6`", "`17`", "`2`")
    assert reports["inspection_month"] == "`2021-08`" and reports["inspection_month_date"] == "`2021-08-01`"
    # printed by no sample: the kept example, and the derived columns follow it
    assert reports["published_month"] == "`2018-12`" and reports["published_month_precision"] == "`month`"
    # rating_changes has no rows for the samples (no service is inspected twice)
    changes = data_dictionary.examples("rating_changes", run)
    assert changes["direction"] == "`improved`" and changes["previous_rating_points"] == "`1`"
    # null by design: 1.1 is qualitative, so the rules give no rating of their own
    assert data_dictionary.examples("inspections", run)["rating_1_1_recomputed"] == ""


def test_cells_are_safe_in_a_table():
    assert data_dictionary._cell("a | b <c> 2 * 3") == "a \\| b &lt;c> 2 \\* 3"
    long = data_dictionary._shown("x" * 100)
    assert long.endswith("…`") and len(long) == data_dictionary.LONGEST + 2
