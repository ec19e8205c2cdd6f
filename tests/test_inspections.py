"""One inspection, counted once: files holding the same inspection share its
inspection_id, one of them is the primary, and inspections / rating_changes
follow a service over successive inspections."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent

FIELDWORK = "took place between 14 \nSeptember and 18 September 2020."
CHANGES = [  # (printed in the sample, printed in the synthetic later inspection)
    (FIELDWORK, "took place between 9 \nOctober and 13 October 2023."),
    ("1.1  Governance and leadership Requires improvement", "1.1  Governance and leadership Good"),
    ("2.1 Assessment Outstanding", "2.1 Assessment Good"),
    # the standards' own section headings say the same (a real report is consistent; with the summary
    # alone changed, summary and section would disagree one to one and the rating would be uncertain)
    ("responsive service for all children. \n\nRequires \nimprovement \n\nIn making",
     "responsive service for all children. \n\nGood \n\nIn making"),
    ("and carers. Outstanding \n\nOur rating10", "and carers. Good \n\nOur rating10"),
]


def synthetic_reinspection(folder: Path) -> Path:
    """North Somerset inspected again in October 2023: 1.1 up to Good, 2.1
    down to Good (summary and section headings). Marked synthetic in its name."""
    text = SAMPLES["north_somerset"].read_text(encoding="utf-8")
    for old, new in CHANGES:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = folder / "north-somerset-yos-SYNTHETIC-reinspection-2023.txt"
    path.write_text(text, encoding="utf-8")
    return path


def run_files(paths, tmp_path):
    from pipeline.core.limits import Options
    from pipeline.execution.run import run

    return run(paths, tmp_path / "out", Options(), workers=1, use_cache=False).tables


def by_file(tables):
    return {r["source_file"]: r for r in tables["reports"]}


def test_successive_inspections_of_a_service(tmp_path):
    later = synthetic_reinspection(tmp_path)
    tables = run_files([later, SAMPLES["north_somerset"]], tmp_path)
    first, second = sorted(tables["inspections"], key=lambda r: r["inspection_month"])
    assert (first["inspection_id"], second["inspection_id"]) == ("north-somerset-2020-09", "north-somerset-2023-10")
    assert first["previous_inspection_id"] is None
    assert second["previous_inspection_id"] == "north-somerset-2020-09"
    assert (second["fieldwork_start"], second["fieldwork_end"]) == ("2023-10-09", "2023-10-13")
    assert (first["rating_1_1"], second["rating_1_1"]) == ("Requires improvement", "Good")
    assert first["rating_2_1_recomputed"] == "Outstanding" and first["rating_1_1_recomputed"] is None
    assert not any(r["duplicate_of"] for r in tables["reports"])
    changes = {r["standard"]: r for r in tables["rating_changes"]}
    assert set(changes) == {"overall", "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4",
                            "3.1", "3.2", "3.3", "3.4"}
    assert (changes["1.1"]["previous_rating"], changes["1.1"]["rating"], changes["1.1"]["change"],
            changes["1.1"]["direction"]) == ("Requires improvement", "Good", 1, "improved")
    assert (changes["2.1"]["change"], changes["2.1"]["direction"]) == (-1, "declined")
    assert changes["overall"]["direction"] == "unchanged"
    assert sum(r["direction"] != "unchanged" for r in tables["rating_changes"]) == 2
    assert all(r["previous_inspection_id"] == "north-somerset-2020-09" for r in tables["rating_changes"])


@pytest.mark.parametrize("name, inspection_id", [
    ("north_somerset", "north-somerset-2020-09"),  # by the fieldwork dates
    ("bedfordshire", "bedfordshire-2021-08"),  # by the announcement month
    ("luton", "luton-undated-267956b1"),  # no date printed: by the values both print
])
def test_text_and_its_pdf_are_one_inspection(tmp_path, name, inspection_id):
    pytest.importorskip("fpdf")
    from render_pdf import render_text_report

    text = SAMPLES[name]
    pdf = tmp_path / (text.stem + ".pdf")
    render_text_report(text, pdf)
    tables = run_files([text, pdf], tmp_path)
    (inspection,) = tables["inspections"]
    rows = by_file(tables)
    assert inspection["inspection_id"] == inspection_id
    assert inspection["files"] == 2 and inspection["files_disagree_on"] is None
    # the PDF is the inspectorate's own document: primary when both print the same
    assert inspection["primary_report_id"] == rows[pdf.name]["report_id"]
    assert rows[pdf.name]["duplicate_of"] is None
    assert rows[text.name]["duplicate_of"] == rows[pdf.name]["report_id"]
    assert {r["inspection_id"] for r in rows.values()} == {inspection["inspection_id"]}


def test_an_undated_second_download_is_the_same_inspection(tmp_path):
    copy = tmp_path / "luton-yos (1).txt"
    copy.write_text(SAMPLES["luton"].read_text(encoding="utf-8") + "\n", encoding="utf-8")  # other bytes
    tables = run_files([SAMPLES["luton"], copy], tmp_path)
    (inspection,) = tables["inspections"]
    primary = min(r["report_id"] for r in tables["reports"])  # same values, both text: smaller id
    assert inspection["inspection_id"] == LUTON_ID and primary == inspection["primary_report_id"]
    assert inspection["inspection_month"] is None and inspection["previous_inspection_id"] is None
    assert sorted(r["duplicate_of"] or "" for r in tables["reports"]) == ["", primary]
    reversed_tables = run_files([copy, SAMPLES["luton"]], tmp_path)
    assert by_file(reversed_tables) == by_file(tables)  # the primary does not depend on input order


LUTON_ID = "luton-undated-267956b1"  # Luton prints no date: its id is from the values it prints


def test_inspection_ids_depend_only_on_the_inspections_own_files(tmp_path):
    """Issue 21.3: adding or removing other reports never changes an id."""
    alone = {r["source_file"]: r["inspection_id"] for r in run_files([SAMPLES["luton"]], tmp_path)["reports"]}
    assert alone == {"luton-yos.txt": LUTON_ID}
    other = tmp_path / "luton-yos-SYNTHETIC-other.txt"  # another undated inspection of Luton
    other.write_text(SAMPLES["luton"].read_text(encoding="utf-8").replace("child’s desistance? 95%",
                                                                          "child’s desistance? 90%"),
                     encoding="utf-8")
    copy = tmp_path / "luton-yos (1).txt"
    copy.write_text(SAMPLES["luton"].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    everything = [SAMPLES["bedfordshire"], SAMPLES["north_somerset"], other, copy, SAMPLES["luton"]]
    ids = {r["source_file"]: r["inspection_id"] for r in run_files(everything, tmp_path)["reports"]}
    assert ids["luton-yos.txt"] == ids["luton-yos (1).txt"] == LUTON_ID
    assert ids["bedfordshire-yos.txt"] == "bedfordshire-2021-08"
    assert ids["north-somerset-yos.txt"] == "north-somerset-2020-09"
    assert ids["luton-yos-SYNTHETIC-other.txt"].startswith("luton-undated-") and \
        ids["luton-yos-SYNTHETIC-other.txt"] != LUTON_ID
    fewer = {r["source_file"]: r["inspection_id"] for r in run_files([other, SAMPLES["bedfordshire"]], tmp_path)["reports"]}
    assert fewer == {k: ids[k] for k in fewer}


def test_undated_files_that_print_different_values_are_two_inspections(tmp_path):
    other = tmp_path / "luton-yos-SYNTHETIC-other.txt"
    text = SAMPLES["luton"].read_text(encoding="utf-8")
    assert text.count("child’s desistance? 95%") == 1
    other.write_text(text.replace("child’s desistance? 95%", "child’s desistance? 90%"), encoding="utf-8")
    tables = run_files([SAMPLES["luton"], other], tmp_path)
    assert len(tables["inspections"]) == 2
    assert not any(r["duplicate_of"] for r in tables["reports"])
    ids = {r["inspection_id"] for r in tables["reports"]}
    # each from the values its own file prints: Luton's id is the one it has alone
    assert LUTON_ID in ids and len(ids) == 2 and all(i.startswith("luton-undated-") for i in ids)


def test_counts_treat_an_inspection_once(tmp_path, extracted):
    from pipeline.corpus.inspections import run_counts

    copy = tmp_path / "luton-copy.txt"
    copy.write_text(SAMPLES["luton"].read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    tables = run_files([SAMPLES["luton"], copy, SAMPLES["north_somerset"]], tmp_path)
    once = [f for name in ("luton", "north_somerset") for f in extracted[name]["findings"]
            if f["kind"] == "rating_differs_from_rule"]
    counts = run_counts(tables)
    assert counts["divergences"] == len(once) == 3
    assert (counts["files"], counts["inspections"], counts["ok"], counts["duplicates"]) == (3, 2, 2, 1)
    # code written before the column existed: a missing duplicate_of is null
    plain = {**tables, "reports": [{k: v for k, v in r.items() if k != "duplicate_of"} for r in tables["reports"]]}
    assert run_counts(plain)["divergences"] == 4  # Luton (1) twice, North Somerset (2) once


def test_summary_line_counts_each_inspection_once(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLES["luton"], raw / "luton-yos.txt")
    (raw / "luton-yos-download-2.txt").write_text(SAMPLES["luton"].read_text(encoding="utf-8") + "\n",
                                                  encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(tmp_path / "out"),
                             "--no-progress", "--workers", "1"], capture_output=True, text=True, cwd=ROOT)
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("2 files: 1 ok, 0 partial, 0 failed, 1 duplicate | 1 inspection |"), line
    assert "| 1 divergence from the rules (1 explained) |" in line, line  # Luton prints one


def test_inspection_columns_cover_every_standard():
    from pipeline.core.patterns import load
    from pipeline.core.rules import rating_column, standard_codes
    from pipeline.output.store import SCHEMAS

    # the 2018 and 2021 frameworks' standards have columns; the 2025 framework's live only in ratings
    codes = {c for fw in ("2018", "2021") for c in load("standards")["frameworks"][fw]}
    assert set(standard_codes()) == codes
    names = SCHEMAS["inspections"].names
    assert all(rating_column(c) in names and rating_column(c, True) in names for c in codes)
    assert rating_column("V1") not in names and "work_with_victims_rating" in names
    assert rating_column("2.1") == "rating_2_1" and rating_column("2.1", True) == "rating_2_1_recomputed"


# ------------------------------------------------ the grouping, on plain rows

RATED = {"1.1": "Good", "1.2": "Good", "2.1": "Requires improvement"}


def report(report_id, service_key="anyshire", status="ok", source_file=None, ratings=RATED, **columns):
    row = {"report_id": report_id, "source_file": source_file or f"{report_id}.txt", "status": status,
           "service_key": service_key, "overall_rating": "Good", "framework": "2018", **columns}
    rating_rows = [{"report_id": report_id, "standard": code, "rating": rating, "rating_recomputed": None}
                   for code, rating in ratings.items()]
    return row, rating_rows


def link(*reports):
    from pipeline.corpus.inspections import link_inspections

    tables = {"reports": [r for r, _ in reports], "ratings": [g for _, rows in reports for g in rows],
              "key_questions": [], "findings": []}
    return link_inspections(tables)


def test_months_that_read_alike_from_different_sources_stay_two_inspections():
    tables = link(report("a1", fieldwork_start="2020-09-14"),
                  report("b2", published_month="2020-09", ratings={**RATED, "1.1": "Inadequate"}))
    ids = {r["report_id"]: r["inspection_id"] for r in tables["reports"]}
    # the fieldwork month is the better-dated one and keeps the plain id
    assert ids == {"a1": "anyshire-2020-09", "b2": "anyshire-2020-09-published"}
    assert len(tables["inspections"]) == 2


def test_a_shared_date_makes_one_inspection_and_differences_are_named():
    tables = link(report("a1", fieldwork_start="2018-09-10", source_file="x.pdf"),
                  report("b2", fieldwork_start="2018-09", published_month="2018-12", score=20,
                         ratings={**RATED, "1.2": "Outstanding"}))
    (inspection,) = tables["inspections"]
    assert inspection["inspection_id"] == "anyshire-2018-09"
    assert (inspection["fieldwork_start"], inspection["published_month"]) == ("2018-09-10", "2018-12")
    assert inspection["files_disagree_on"] == "rating 1.2"  # a date printed less precisely agrees
    # b2 prints more values (a date and the score): it is the primary
    assert inspection["primary_report_id"] == "b2"


def test_undated_files_need_agreeing_values():
    few = {"1.1": "Good"}
    tables = link(report("a1", ratings=few), report("b2", ratings=few))
    assert len(tables["inspections"]) == 2  # three values in common (framework, overall, 1.1) are not enough
    tables = link(report("a1"), report("b2"), report("c3", service_key="elsewhere"))
    assert len(tables["inspections"]) == 2
    assert {r["report_id"]: r["duplicate_of"] for r in tables["reports"]} == {"a1": None, "b2": "a1", "c3": None}


def test_a_file_joins_a_group_only_when_it_matches_every_file_in_it():
    # b2 prints less than a1 and c3; a1 and c3 disagree on 1.2; b2 agrees with both
    tables = link(report("a1", ratings={**RATED, "1.3": "Good"}), report("b2", ratings={**RATED}),
                  report("c3", ratings={**RATED, "1.2": "Inadequate", "1.3": "Good"}))
    groups = {r["report_id"]: r["inspection_id"] for r in tables["reports"]}
    assert groups["a1"] != groups["c3"]
    assert len(tables["inspections"]) == 2


def test_failed_and_unnamed_files():
    tables = link(report("a1", status="failed", ratings={}), report("b2", service_key=None),
                  report("c3", service_key=None))
    rows = {r["report_id"]: r for r in tables["reports"]}
    assert rows["a1"]["inspection_id"] is None and rows["a1"]["duplicate_of"] is None
    # no service: never matched to another file, even with the same values
    assert (rows["b2"]["inspection_id"], rows["c3"]["inspection_id"]) == ("b2", "c3")
    assert sorted(i["inspection_id"] for i in tables["inspections"]) == ["b2", "c3"]


def test_rating_changes_skip_3_4_across_frameworks():
    from pipeline.corpus.inspections import rating_changes

    base = {"service_key": "anyshire", "overall_rating": "Good", "rating_3_4": "Good", "rating_2_1": "Good"}
    before = {**base, "inspection_id": "anyshire-2019-01", "inspection_month": "2019-01",
              "framework": "2018", "previous_inspection_id": None}
    after = {**base, "inspection_id": "anyshire-2022-05", "inspection_month": "2022-05", "framework": "2021",
             "previous_inspection_id": "anyshire-2019-01", "rating_3_4": "Inadequate", "rating_4_1": "Good"}
    assert [r["standard"] for r in rating_changes([before, after])] == ["overall", "2.1"]
    after["framework"] = "2018"
    changed = [r for r in rating_changes([before, after]) if r["direction"] != "unchanged"]
    assert [(r["standard"], r["change"], r["direction"]) for r in changed] == [("3.4", -2, "declined")]


def test_base_tables_hold_each_inspection_once_and_copies_apart(tmp_path):
    """Issue 21.1: Luton twice (a second download) and North Somerset: the
    base tables hold Luton's rows once, the copy's rows are in *_copies."""
    import duckdb

    raw = tmp_path / "raw"
    raw.mkdir()
    for path in (SAMPLES["luton"], SAMPLES["north_somerset"]):
        shutil.copy(path, raw / path.name)
    (raw / "luton-yos-download-2.txt").write_text(SAMPLES["luton"].read_text(encoding="utf-8") + "\n",
                                                  encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out),
                             "--no-progress", "--workers", "1", "--csv"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    import pandas as pd

    reports = pd.read_parquet(out / "reports.parquet")
    assert len(reports) == 3 and reports.duplicate_of.notna().sum() == 1
    copy_id = reports.loc[reports.duplicate_of.notna(), "report_id"].item()
    primary_id = reports.loc[reports.duplicate_of.notna(), "duplicate_of"].item()
    con = duckdb.connect(str(out / "inspections.duckdb"), read_only=True)
    for name in ("ratings", "key_questions", "prompts", "facts", "recommendations", "findings"):
        base = pd.read_parquet(out / f"{name}.parquet")
        copies = pd.read_parquet(out / f"{name}_copies.parquet")
        assert copy_id not in set(base.report_id), name
        assert set(copies.report_id) <= {copy_id}
        # the copy prints exactly what its primary prints
        assert len(copies) == (base.report_id == primary_id).sum(), name
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == len(base)
        assert len(pd.read_csv(out / "csv" / f"{name}.csv")) == len(base)
    ratings = pd.read_parquet(out / "ratings.parquet")
    # 12 standards of the 2018 framework for each of the two inspections
    assert len(ratings) == 24 and ratings.groupby("report_id").size().tolist() == [12, 12]
    assert len(pd.read_parquet(out / "ratings_copies.parquet")) == 12


def test_every_per_report_table_carries_the_inspection_and_service(tmp_path):
    """Issue 21.9: ratings.csv (and every per-report table, Parquet and CSV)
    can be filtered by service without a join."""
    import pandas as pd

    raw = tmp_path / "raw"
    raw.mkdir()
    for path in SAMPLES.values():
        shutil.copy(path, raw / path.name)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(raw), "--out", str(out),
                             "--no-progress", "--workers", "1", "--csv"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    reports = pd.read_parquet(out / "reports.parquet").set_index("report_id")
    for name in ("ratings", "key_questions", "prompts", "facts", "recommendations", "findings"):
        for frame in (pd.read_parquet(out / f"{name}.parquet"),
                      pd.read_csv(out / "csv" / f"{name}.csv", keep_default_na=False)):
            assert list(frame.columns[:4]) == ["report_id", "inspection_id", "service_name", "service_key"]
            assert frame.inspection_id.ne("").all() and frame.inspection_id.notna().all(), name
            for column in ("inspection_id", "service_name", "service_key"):
                assert (frame[column].values == reports.loc[frame.report_id, column].values).all(), (name, column)
    ratings = pd.read_csv(out / "csv" / "ratings.csv")
    luton = ratings[ratings.service_key == "luton"]
    assert set(luton.service_name) == {"Luton Youth Offending Service"}
    assert luton.loc[luton.standard == 2.1, "rating"].item() == "Good"
    assert set(ratings.service_key) == {"luton", "bedfordshire", "north-somerset"}
