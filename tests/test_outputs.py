"""The outputs around the Parquet tables: schema definitions and Parquet
metadata, inspections.duckdb and its views, --csv, datapackage.json, and
the typed loader; on a real extraction of the samples through the CLI and
on small synthetic tables."""
import csv
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import SAMPLES

from pipeline.output import database, store
from pipeline.output.csv_tables import write_csv
from pipeline.output.datapackage import write_datapackage
from pipeline.core.schema import TABLE_DEFS
from pipeline.core.spreadsheet import safe_cell

ROOT = Path(__file__).resolve().parent.parent
duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for path in SAMPLES.values():
        shutil.copy(path, raw / path.name)
    out = tmp_path_factory.mktemp("out")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out),
                             "--no-progress", "--csv", "--json"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out, json.loads(result.stdout)


def tables_with(**rows) -> dict[str, pa.Table]:
    return {name: store.to_table(name, rows.get(name, [])) for name in store.TABLES}


# ---------------------------------------------------------------- schema

def test_every_column_has_a_type_and_description_in_the_parquet_metadata(run):
    out, _ = run
    for name, definition in TABLE_DEFS.items():
        schema = pq.read_schema(out / f"{name}.parquet")
        assert schema.names == [c.name for c in definition.columns]
        for field in schema:
            assert field.metadata[b"description"].decode().strip(), (name, field.name)
        assert json.loads(schema.metadata[b"keys"])["primary_key"] == list(definition.primary_key)


def test_contract_columns_are_all_defined():
    contract = {
        "reports": "report_id source_file service_name area service_type framework overall_rating score "
                   "score_recomputed overall_recomputed cases_court cases_out_of_court cases_resettlement pages status",
        "ratings": "report_id domain standard standard_name rating quantitative lowest_pct rating_recomputed page",
        "facts": "report_id group name label qualifier value unit page",
        "errors": "source_file stage error message",
    }
    for name, columns in contract.items():
        assert set(columns.split()) <= set(store.SCHEMAS[name].names)


# ---------------------------------------------------------------- duckdb

def test_database_holds_every_table_and_the_divergences(run):
    out, summary = run
    con = duckdb.connect(str(out / "inspections.duckdb"), read_only=True)
    for name in store.TABLES:
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == summary["rows"][name]
    rows = con.execute("SELECT service_name, standard, standard_name, published, recomputed, lowest_question_index, "
                   "lowest_question_pct, lowest_question_page, explained, page FROM divergences").fetchall()
    # Luton 2.1: rated Good, its third key question is 62% (page 21), the report explains it
    assert rows[0] == ("Luton Youth Offending Service", "2.1", "Assessment", "Good", "Requires improvement",
                       3, 62.0, 21, True, 21)
    assert [r[1] for r in rows[1:]] == ["3.2", "3.3"] and len(rows) == summary["divergences"] == 3
    wide = con.execute("SELECT service_name, score, score_recomputed, s2_1, s2_1_recomputed, s4_1 FROM ratings_wide "
                   "WHERE service_name LIKE 'Luton%'").fetchall()
    assert wide == [("Luton Youth Offending Service", 16, 15, "Good", "Requires improvement", None)]
    comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'ratings' "
                      "AND column_name = 'lowest_pct'").fetchone()[0]
    assert comment.startswith("Lowest key-question value")
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views == {"divergences", "ratings_wide", "inspection_history"}
    # dated inspections only: Bedfordshire (announced 2021-08) and North Somerset (fieldwork 2020-09);
    # Luton prints no date
    history = con.execute("SELECT service_key, inspection_month, inspection_number FROM inspection_history").fetchall()
    assert history == [("bedfordshire", date(2021, 8, 1), 1), ("north-somerset", date(2020, 9, 1), 1)]


def test_database_ratings_are_an_ordered_enum_and_dates_are_dates(run):
    """Issue 21.2: ORDER BY and max() on a rating go by merit; dates are DATE
    with a precision column."""
    out, _ = run
    con = duckdb.connect(str(out / "inspections.duckdb"), read_only=True)
    rating_type = con.execute("SELECT data_type FROM duckdb_columns() WHERE table_name = 'ratings' "
                              "AND column_name = 'rating'").fetchone()[0]
    assert rating_type == "ENUM('Inadequate', 'Requires improvement', 'Good', 'Outstanding')"
    # Luton (tests/test_samples.py): best 1.4 Outstanding, worst 2.2, 3.1, 3.2 Inadequate; by the
    # alphabet max would be "Requires improvement" and min "Good"
    best, worst = con.execute("SELECT max(rating), min(rating) FROM ratings WHERE service_key = 'luton'").fetchone()
    ordered = [r[0] for r in con.execute("SELECT DISTINCT rating FROM ratings ORDER BY rating").fetchall()]
    assert ordered == sorted(ordered, key=["Inadequate", "Requires improvement", "Good", "Outstanding"].index)
    assert (best, worst) == ("Outstanding", "Inadequate")
    assert con.execute("SELECT max(overall_rating) FROM reports").fetchone()[0] == "Good"
    assert con.execute("SELECT typeof(rating_2_1) FROM inspections LIMIT 1").fetchone()[0].startswith("ENUM")
    # North Somerset: fieldwork 14-18 September 2020 (days); Bedfordshire: announced August 2021 (a month)
    rows = dict(con.execute("SELECT service_key, [fieldwork_start, fieldwork_end] FROM reports").fetchall())
    assert rows["north-somerset"] == [date(2020, 9, 14), date(2020, 9, 18)]
    got = con.execute("SELECT announced_month, announced_month_precision, typeof(announced_month) FROM reports "
                      "WHERE service_key = 'bedfordshire'").fetchone()
    assert got == (date(2021, 8, 1), "month", "DATE")
    assert con.execute("SELECT fieldwork_start_precision FROM reports WHERE service_key = 'north-somerset'"
                       ).fetchone()[0] == "day"


def test_parquet_adds_points_and_typed_dates_beside_the_contract_columns(run):
    """Issue 21.2: the text columns stay; Arrow and Polars readers get
    rating_points and date32 columns."""
    out, _ = run
    ratings = pq.read_table(out / "ratings.parquet")
    assert ratings.schema.field("rating").type == pa.string()
    assert ratings.schema.field("rating_points").type == pa.int8()
    rows = {(r["service_key"], r["standard"]): r for r in ratings.to_pylist()}
    luton = rows[("luton", "2.1")]
    assert (luton["rating"], luton["rating_points"], luton["rating_recomputed"],
            luton["rating_recomputed_points"]) == ("Good", 2, "Requires improvement", 1)
    reports = {r["service_key"]: r for r in pq.read_table(out / "reports.parquet").to_pylist()}
    ns = reports["north-somerset"]
    assert (ns["fieldwork_start"], ns["fieldwork_start_date"], ns["fieldwork_start_precision"]) == (
        "2020-09-14", date(2020, 9, 14), "day")
    bed = reports["bedfordshire"]
    assert (bed["announced_month"], bed["announced_month_date"], bed["announced_month_precision"]) == (
        "2021-08", date(2021, 8, 1), "month")
    assert pq.read_schema(out / "reports.parquet").field("announced_month_date").type == pa.date32()
    assert reports["luton"]["overall_rating_points"] == 1  # Requires improvement
    polars = pytest.importorskip("polars")
    frame = polars.read_parquet(out / "ratings.parquet")
    assert frame.sort("rating_points")["rating"][-1] == "Outstanding"


def test_history_view_once_inspections_exist(tmp_path):
    """The view follows inspections.previous_inspection_id (one rule, in
    inspections.py), with the earlier inspection's rating and score beside."""
    tables = tables_with()
    tables["inspections"] = store.to_table("inspections", [
        {"inspection_id": "anyshire-2022-05", "service_key": "anyshire", "inspection_month": "2022-05",
         "overall_rating": "Good", "score": 20, "previous_inspection_id": "anyshire-2019-03"},
        {"inspection_id": "anyshire-2019-03", "service_key": "anyshire", "inspection_month": "2019-03",
         "overall_rating": "Requires improvement", "score": 15},
        {"inspection_id": "r9", "service_key": "otherton", "inspection_month": None},  # undated: no history
    ])
    database.write_duckdb(tables, tmp_path)
    con = duckdb.connect(str(tmp_path / "inspections.duckdb"), read_only=True)
    rows = con.execute("SELECT inspection_id, inspection_number, previous_inspection_id, previous_overall_rating, "
                   "score_change FROM inspection_history").fetchall()
    assert rows == [("anyshire-2019-03", 1, None, None, None),
                    ("anyshire-2022-05", 2, "anyshire-2019-03", "Requires improvement", 5)]
    assert "inspection_month" in [d[0] for d in con.execute("SELECT * FROM divergences").description]


def test_database_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    database.write_duckdb(tables_with(reports=[{"report_id": "a"}]), tmp_path)
    before = (tmp_path / "inspections.duckdb").read_bytes()

    def broken(tables, path):
        Path(path).write_bytes(b"half")
        raise RuntimeError("killed")

    monkeypatch.setattr(database, "build", broken)
    with pytest.raises(RuntimeError):
        database.write_duckdb(tables_with(), tmp_path)
    assert (tmp_path / "inspections.duckdb").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inspections.duckdb"]


# ---------------------------------------------------------------- csv

def test_safe_cell():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("Good") == "Good" and safe_cell(-1) == -1 and safe_cell(None) is None


def test_csv_is_formula_safe_utf8_with_a_header(tmp_path):
    tables = tables_with(
        reports=[{"report_id": "a", "source_file": "=HYPERLINK(\"http://x\")", "service_name": "Ynys Môn YJS",
                  "score": 7}],
        findings=[{"report_id": "a", "kind": "rating_differs_from_rule", "explained": False,
                   "explanation": "@cmd", "detail": "-2 points"}])
    write_csv(tables, tmp_path)
    with open(tmp_path / "csv" / "reports.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == store.SCHEMAS["reports"].names
    record = dict(zip(rows[0], rows[1]))
    assert record["source_file"] == "'=HYPERLINK(\"http://x\")" and record["service_name"] == "Ynys Môn YJS"
    assert record["score"] == "7" and record["overall_rating"] == ""
    with open(tmp_path / "csv" / "findings.csv", encoding="utf-8", newline="") as fh:
        finding = next(csv.DictReader(fh))
    assert (finding["explanation"], finding["detail"], finding["explained"]) == ("'@cmd", "'-2 points", "false")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv"]  # no staging folder left


def test_csv_rows_match_the_tables(run):
    out, summary = run
    for name in store.TABLES:
        frame = pd.read_csv(out / "csv" / f"{name}.csv", keep_default_na=False)
        assert len(frame) == summary["rows"][name]


# ---------------------------------------------------------------- datapackage

def test_datapackage_describes_every_table_from_the_definitions(run):
    out, _ = run
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in package["resources"]}
    assert set(by_name) == set(store.TABLES) | {f"{t}-csv" for t in store.TABLES}
    ratings = by_name["ratings"]["schema"]
    assert ratings["primaryKey"] == ["report_id", "standard"]
    assert ratings["foreignKeys"] == [{"fields": ["report_id"],
                                       "reference": {"resource": "reports", "fields": ["report_id"]}}]
    assert by_name["ratings-csv"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "reports-csv"
    for name in store.TABLES:
        parquet = pq.read_schema(out / f"{name}.parquet")
        fields = by_name[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == parquet.names
        assert all(f["description"] == parquet.field(f["name"]).metadata[b"description"].decode() for f in fields)


def test_datapackage_validates_with_frictionless(run):
    frictionless = pytest.importorskip("frictionless")
    out, _ = run
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    checked = frictionless.Package.validate_descriptor(descriptor)
    assert checked.valid, checked.flatten(["message"])[:3]
    # the whole package: Parquet files by bytes and sha256, the CSV resources
    # in full (types, keys, foreign keys); see test_datapackage_validate.py
    result = frictionless.Package(str(out / "datapackage.json")).validate()
    assert result.valid, result.flatten(["type", "note"])[:3]


def test_datapackage_lists_csv_only_when_written(tmp_path):
    tables = tables_with(reports=[{"report_id": "a"}])
    write_datapackage(tables, tmp_path)
    names = [r["name"] for r in json.loads((tmp_path / "datapackage.json").read_text())["resources"]]
    assert names == store.TABLES


# ---------------------------------------------------------------- loader

def test_loader_types(run):
    from pipeline import load

    out, _ = run
    tables = load(out)
    ratings, reports = tables["ratings"], tables["reports"]
    assert str(reports.score.dtype) == "Int32" and str(ratings.page.dtype) == "Int32"
    assert reports.cases_resettlement.isna().any()  # nulls stay integers
    assert list(ratings.rating.cat.categories) == ["Inadequate", "Requires improvement", "Good", "Outstanding"]
    assert ratings.rating.cat.ordered
    luton = reports.loc[reports.service_name.str.startswith("Luton"), "report_id"].item()
    selected = ratings[(ratings.report_id == luton) & (ratings.standard == "2.1")]
    row = selected.iloc[0]
    assert (row.rating, row.rating_points, row.rating_recomputed, row.rating_recomputed_points) == (
        "Good", 2, "Requires improvement", 1)
    assert (selected.rating > selected.rating_recomputed).item()  # compared by merit, not alphabet
    ordered = ratings.sort_values("rating").rating.dropna()
    assert (ordered.iloc[0], ordered.iloc[-1]) == ("Inadequate", "Outstanding")
    assert list(ratings.columns[ratings.columns.get_loc("rating"):][:2]) == ["rating", "rating_points"]


def test_loader_dates_day_and_month(tmp_path):
    from pipeline import load

    tables = tables_with(reports=[{"report_id": "a", "fieldwork_start": "2020-09-14"},
                                  {"report_id": "b", "fieldwork_start": "2018-09"}, {"report_id": "c"}])
    for name, table in tables.items():
        store.write_atomic(table, tmp_path / f"{name}.parquet")
    reports = load(tmp_path)["reports"]
    assert list(reports.fieldwork_start) == [pd.Timestamp("2020-09-14"), pd.Timestamp("2018-09-01"), pd.NaT]
    precision = reports.fieldwork_start_precision
    assert precision.tolist()[:2] == ["day", "month"] and precision.isna().tolist() == [False, False, True]


def test_failed_files_keep_the_package_valid_and_the_csv_safe(tmp_path):
    """Two empty files (same report_id) and a file named like a formula."""
    frictionless = pytest.importorskip("frictionless")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES["north_somerset"], folder / SAMPLES["north_somerset"].name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "sub" / "empty.txt").write_bytes(b"")
    (folder / "=HYPERLINK(1).txt").write_text("Minutes of the meeting.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(folder), "--out", str(out),
                             "--no-progress", "--csv", "--workers", "1"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    with open(out / "csv" / "errors.csv", encoding="utf-8", newline="") as fh:
        names = sorted(row["source_file"] for row in csv.DictReader(fh))
    assert names == ["'=HYPERLINK(1).txt", "empty.txt", "sub/empty.txt"]
    package = frictionless.Package(str(out / "datapackage.json"))
    for resource in package.resources:
        if resource.name.endswith("-csv"):
            checked = resource.validate()
            assert checked.valid, (resource.name, checked.flatten(["message"])[:3])
