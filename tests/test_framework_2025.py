"""The 2025 framework's reports: web pages titled 'An inspection of youth
justice work with children and victims in <area>', read for what they print
and linked to the service's earlier inspection.

A sample rendered in that form (tests/fixtures/render_2025.py: Bedfordshire's
overall rating; its organisational delivery standards 1.1 to 1.4 as printed;
one domain-two standard 2.1 with its 2.2 rating; work with victims and V1
with its 3.3 rating, V1.1 and V1.2 with its first two 3.3 key questions,
88% and 71%; published 10 June 2025) is read beside the sample itself (the
2021 framework's inspection of the same service, announced August 2021),
through the command line, and every value is checked in the output files.
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
ROUTES = {"web page": "bedfordshire-2025.html", "copied text": "bedfordshire-2025-copied.txt",
          "printed to PDF": "bedfordshire-2025.pdf"}
NOT_RECOMPUTED = "not recomputed: rules not modelled"


def _extract(folder: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "extract", str(folder), "--out", str(out),
                           "--no-progress", "--workers", "1"], capture_output=True, text=True, cwd=ROOT)


def _rows(out: Path, table: str) -> list[dict]:
    import pyarrow.parquet as pq

    return pq.read_table(out / f"{table}.parquet").to_pylist()


def _printed(page: str, pdf: Path) -> None:
    """The page printed to PDF by headless Chromium (skipped where there is none)."""
    from render_html import html_to_pdf
    from routes import Unavailable

    html = pdf.parent.parent / "page.html"
    html.write_text(page, encoding="utf-8")
    try:
        html_to_pdf(html, pdf)
    except Unavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module", params=list(ROUTES))
def run(request, tmp_path_factory):
    """The 2025-form page (as the web page, as a copy of it from a browser:
    text with no page marks and the site's furniture, or printed to PDF by
    Chromium) and the 2021 sample of the same service in one folder,
    extracted once."""
    from render_2025 import copied_text, render_2025

    folder = tmp_path_factory.mktemp("in")
    page = render_2025(SAMPLES["bedfordshire"])
    name = ROUTES[request.param]
    if request.param == "printed to PDF":
        _printed(page, folder / name)
    else:
        (folder / name).write_text(page if request.param == "web page" else copied_text(page), encoding="utf-8")
    (folder / SAMPLES["bedfordshire"].name).write_bytes(SAMPLES["bedfordshire"].read_bytes())
    out = folder.parent / f"out-{request.param.replace(' ', '-')}"
    result = _extract(folder, out)
    assert result.returncode == 0, result.stderr
    tables = {t: _rows(out, t) for t in ("reports", "ratings", "key_questions", "findings", "inspections",
                                         "rating_changes", "recommendations")}
    page = next(r for r in tables["reports"] if r["source_file"] == name)
    return {"out": out, "tables": tables, "page": page, "stderr": result.stderr, "route": request.param,
            "of_page": lambda t: [r for r in tables[t] if r["report_id"] == page["report_id"]]}


def test_identity_and_framework_from_what_the_page_prints(run):
    page = run["page"]
    # the ratings table's header 'Work with children and victims in Bedfordshire YOS | Rating'
    assert (page["service_name"], page["area"], page["service_type"]) == ("Bedfordshire YOS", "Bedfordshire", "YOS")
    assert page["service_key"] == "bedfordshire"
    assert page["framework"] == "2025"
    assert page["framework_cues"] == "title; rated_areas; V1"
    assert page["published_month"] == "2025-06" and page["inspection_id"] == "bedfordshire-2025-06"


def test_overall_and_the_two_rated_areas(run):
    page = run["page"]
    assert page["overall_rating"] == "Requires improvement" and page["overall_source"] == "summary"
    assert page["work_with_children_rating"] == "Requires improvement"
    # printed 'Good[2]': the footnote mark is not part of the rating
    assert page["work_with_victims_rating"] == "Good"
    assert page["work_with_victims_rating_points"] == 2


def test_every_rating_under_the_code_and_name_printed(run):
    ratings = {r["standard"]: r for r in run["of_page"]("ratings")}
    assert {c: (r["standard_name"], r["rating"]) for c, r in ratings.items()} == {
        "1.1": ("Governance and leadership", "Requires improvement"),
        "1.2": ("Staff", "Good"),
        "1.3": ("Partnerships and services", "Good"),
        "1.4": ("Information and facilities", "Good"),
        # 2.1 is the 2025 framework's combined standard, not the older frameworks' Assessment
        "2.1": ("Work with children on court, out-of-court and resettlement cases", "Requires improvement"),
        "V1": ("Work with victims", "Good"),
    }
    assert (ratings["V1"]["domain"], ratings["V1"]["area"]) == ("V", "work_with_victims")
    assert ratings["2.1"]["area"] == "work_with_children" and ratings["1.1"]["area"] is None


def test_victims_key_questions_under_their_printed_codes(run):
    kqs = [(k["standard"], k["index"], k["pct_yes"]) for k in run["of_page"]("key_questions")]
    assert kqs == [("V1", 1, 88.0), ("V1", 2, 71.0)]
    question = run["of_page"]("key_questions")[0]
    assert question["question"] == "Is the work done with victims of a high quality, and suited to each victim?"
    if run["route"] == "web page":
        assert question["locator"].endswith("Work with victims > V1 Work with victims") and question["page"] is None
    elif run["route"] == "copied text":
        assert question["page"] == 1 and question["locator"] is None  # a copy has no page marks: one page
    else:
        assert question["page"] > 1 and question["locator"] is None


def test_nothing_recomputed_and_one_finding_says_why(run):
    page = run["page"]
    assert (page["score_recomputed"], page["overall_recomputed"], page["score_published_sum"]) == (None, None, None)
    assert page["status"] == "partial" and page["missing"] == NOT_RECOMPUTED
    for r in run["of_page"]("ratings"):
        assert (r["rating_recomputed"], r["quantitative"], r["lowest_pct"]) == (None, None, None), r["standard"]
    findings = run["of_page"]("findings")
    why = [f for f in findings if f["kind"] == "rules_not_modelled"]
    assert len(why) == 1 and why[0]["level"] == "report"
    assert "rating rules" in why[0]["detail"] and "not known" in why[0]["detail"]
    # the organisational delivery standards printed are kept, each with a finding: the data does not list them
    shapes = sorted(f["standard"] for f in findings if f["kind"] == "framework_shape")
    assert shapes == ["1.1", "1.2", "1.3", "1.4"]
    assert {f["kind"] for f in findings} == {"rules_not_modelled", "framework_shape"}


def test_no_value_under_an_older_frameworks_code(run):
    later = next(i for i in run["tables"]["inspections"] if i["framework"] == "2025")
    wide = {k: v for k, v in later.items() if k.startswith("rating_") and v is not None}
    assert wide == {}, wide
    assert later["work_with_victims_rating"] == "Good"
    import duckdb

    with duckdb.connect(str(run["out"] / "inspections.duckdb"), read_only=True) as db:
        s1_1, s2_1 = db.execute("SELECT s1_1, s2_1 FROM ratings_wide WHERE report_id = ?",
                                [run["page"]["report_id"]]).fetchone()
        earlier = db.execute("SELECT s2_1 FROM ratings_wide WHERE framework = '2021'").fetchone()
    assert (s1_1, s2_1) == (None, None) and earlier == ("Inadequate",)  # the 2021 report's 2.1 Assessment


def test_linked_to_the_earlier_inspection_compared_only_overall(run):
    tables = run["tables"]
    earlier, later = sorted(tables["inspections"], key=lambda i: i["inspection_month"])
    assert (earlier["inspection_id"], earlier["framework"]) == ("bedfordshire-2021-08", "2021")
    assert (later["inspection_id"], later["previous_inspection_id"]) == ("bedfordshire-2025-06",
                                                                         "bedfordshire-2021-08")
    assert [(c["standard"], c["previous_rating"], c["rating"], c["direction"], c["previous_framework"],
             c["framework"]) for c in tables["rating_changes"]] == [
        ("overall", "Requires improvement", "Requires improvement", "unchanged", "2021", "2025")]
    # two frameworks, two inspections: never one inspection with a duplicate
    assert all(r["duplicate_of"] is None for r in tables["reports"])


def test_site_furniture_is_not_read(run):
    """Breadcrumbs ('... rated Good and Outstanding'), a feedback prompt
    ('Outstanding issues ...'), the GOV.UK header and footer and "(Back to
    top)" links give no value and no conflict."""
    findings = run["of_page"]("findings")
    assert not [f for f in findings if f["kind"].endswith("_conflict") or f["kind"] == "unrecognised_rating"]
    recommendations = run["of_page"]("recommendations")
    assert [r["number"] for r in recommendations] == list(range(1, 10))
    assert recommendations[0]["addressee"] == "The Bedfordshire Youth Offending Service Board"
    # the sample's own recommendations, word for word: nothing of the page around them joined in
    sample = [r for r in run["tables"]["recommendations"] if r["report_id"] != run["page"]["report_id"]]
    assert [r["text"] for r in recommendations] == [r["text"] for r in sample]
    assert not [r for r in run["of_page"]("ratings") if r["rating"] is None]


def test_the_reconciliation_counts_the_page_apart(run):
    md = (run["out"] / "reconciliation.md").read_text(encoding="utf-8")
    assert "- Not recomputed: rules not modelled: 1 (framework 2025)" in md
    assert "1 report of the 2025 framework is not recomputed: rules not modelled." in md
    matrix = md.split("## Ratings matrix", 1)[1].split("## Divergences", 1)[0]
    assert "Bedfordshire Youth Offending Service" in matrix and "Bedfordshire YOS" not in matrix
    assert "| V1 |" not in matrix
    apart = md.split("## Not recomputed: rules not modelled", 1)[1].split("\n## ", 1)[0]
    assert "| Bedfordshire YOS | 2025 | Requires improvement |" in apart
    assert "1 ok, 1 partial" in run["stderr"]


# ------------------------------------------------ publishing the rules is a data change

def test_publishing_the_rules_is_a_data_change(tmp_path, monkeypatch):
    """With the 2025 entry given rules (made-up ones: this only shows that the
    data, not code, decides), the same page is recomputed under them."""
    from pipeline.core import rules
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file
    from render_2025 import render_2025_report

    published = copy.deepcopy(rules._rules())
    published["framework_details"]["2025"]["rules"] = {
        "modelled": True,
        "key_question_bands": [{"min": 90, "rating": "Outstanding"}, {"min": 70, "rating": "Good"},
                               {"min": 40, "rating": "Requires improvement"}, {"min": 0, "rating": "Inadequate"}],
        "score_bands": [{"min": 6, "rating": "Outstanding"}, {"min": 3, "rating": "Good"},
                        {"min": 1, "rating": "Requires improvement"}, {"min": 0, "rating": "Inadequate"}],
        "score_max": 6}
    published["frameworks"]["2025"]["V1"].update(quantitative=True)
    published["frameworks"]["2025"]["2.1"].update(quantitative=False)
    monkeypatch.setattr(rules, "_rules", lambda: published)
    page = render_2025_report(SAMPLES["bedfordshire"], tmp_path / ROUTES["web page"])
    tables = extract_file(str(page), sha256_of(page), Options())
    (report,) = tables["reports"]
    ratings = {r["standard"]: r for r in tables["ratings"]}
    # V1: lowest key question 71%, Good under the bands above (it would be Good under 2021's too: see 2.1)
    assert (ratings["V1"]["rating_recomputed"], ratings["V1"]["lowest_pct"]) == ("Good", 71.0)
    assert ratings["2.1"]["quantitative"] is False and ratings["2.1"]["rating_recomputed"] is None
    # score: 2.1 Requires improvement (1) + V1 Good (2) = 3, Good in the bands above (Requires
    # improvement in the 2018/2021 bands, where 3 of 36 is Inadequate)
    assert (report["score_recomputed"], report["overall_recomputed"]) == (3, "Good")
    assert not [f for f in tables["findings"] if f["kind"] == "rules_not_modelled"]
    assert report["missing"] is None or "rules not modelled" not in report["missing"]


def test_the_2025_entry_says_what_is_known():
    from pipeline.core.patterns import load

    data = load("standards")
    entry, details = data["frameworks"]["2025"], data["framework_details"]["2025"]
    assert set(entry) == {"2.1", "V1"} and entry["V1"]["key_questions"] == 2
    assert details["rules"]["modelled"] is False
    assert details["rated_areas"] == {"work_with_children": "Work with children",
                                      "work_with_victims": "Work with victims"}
    assert json.dumps(details["cues"]["standards"]) == '["V1"]'


# ------------------------------------------------ identity across title forms

def _variant(tmp_path: Path, replacements: list[tuple[str, str]], name: str) -> dict:
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file
    from render_2025 import render_2025

    text = render_2025(SAMPLES["bedfordshire"])
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (report,) = extract_file(str(path), sha256_of(path), Options())["reports"]
    return report


@pytest.mark.parametrize("area, key", [
    ("Ynys Môn and Gwynedd", "ynys-mon-and-gwynedd"),  # a Welsh service of two areas
    ("Bath and North East Somerset", "bath-and-north-east-somerset"),
    ("Cheshire West, Halton and Warrington", "cheshire-west-halton-and-warrington"),
    ("Merthyr Tydfil", "merthyr-tydfil"),
])
def test_2025_page_of_another_service(tmp_path, area, key):
    report = _variant(tmp_path, [("Bedfordshire", area), ("Youth Offending Service", "Youth Justice Service"),
                                 ("YOS", "YJS")], "page.html")
    assert (report["service_name"], report["service_key"], report["service_type"]) == (f"{area} YJS", key, "YJS")
    assert report["framework"] == "2025"


RATINGS_LINE = "North Somerset Youth Offending Service Score 26/36"


@pytest.mark.parametrize("title, key", [
    ("An inspection of youth offending services in Bath and North East Somerset", "bath-and-north-east-somerset"),
    ("An inspection of youth justice services in Ynys Môn", "ynys-mon"),
    ("A joint inspection of youth offending work in Cheshire West, Halton and Warrington",
     "cheshire-west-halton-and-warrington"),
    ("An inspection of youth offending services in\nthe Vale of Glamorgan", "vale-of-glamorgan"),  # wrapped
])
def test_the_title_names_the_area_when_the_ratings_page_does_not(tmp_path, title, key):
    """A 2018 report whose ratings page prints the score but no service:
    the title's area gives the key (before the names in the text)."""
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file

    text = SAMPLES["north_somerset"].read_text(encoding="utf-8")
    assert text.count(RATINGS_LINE) == 1
    path = tmp_path / "report.txt"
    path.write_text(f"{title}\n\n{text.replace(RATINGS_LINE, 'Score 26/36')}", encoding="utf-8")
    (report,) = extract_file(str(path), sha256_of(path), Options())["reports"]
    assert (report["service_key"], report["framework"]) == (key, "2018")


# ------------------------------------------------ the rated areas as a text export prints them

def _copied_variant(tmp_path: Path, old: str, new: str) -> dict[str, list[dict]]:
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file
    from render_2025 import copied_text, render_2025

    text = copied_text(render_2025(SAMPLES["bedfordshire"]))
    assert text.count(old) == 1, old
    path = tmp_path / "copied.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return extract_file(str(path), sha256_of(path), Options())


def test_an_area_rating_on_the_line_under_its_label(tmp_path):
    tables = _copied_variant(tmp_path, "Work with children\tRequires improvement\n",
                             "Work with children\nRequires\nimprovement\n")
    (report,) = tables["reports"]
    assert report["work_with_children_rating"] == "Requires improvement"
    assert {r["standard"]: r["rating"] for r in tables["ratings"]}["1.1"] == "Requires improvement"


def test_an_area_rating_that_is_no_rating_is_null_with_a_finding(tmp_path):
    tables = _copied_variant(tmp_path, "Work with victims\tGood[2]\n", "Work with victims\tNot yet judged\n")
    (report,) = tables["reports"]
    assert report["work_with_victims_rating"] is None and report["work_with_victims_rating_page"] is None
    (note,) = [f for f in tables["findings"] if f["kind"] == "unrecognised_rating"]
    assert note["published"] == "Not yet judged" and "Work with victims" in note["detail"]
    assert report["framework"] == "2025"  # the title and V1 still mark it
