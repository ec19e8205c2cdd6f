"""The reconciliation report (Markdown, HTML, CSV) from hand-built tables."""
from __future__ import annotations

import csv
import io
import re

import pyarrow.parquet as pq
import pytest

from pipeline.output import store
from pipeline.output.reading import read_tables
from pipeline.output.reconciliation import write_reconciliation
from pipeline.reconcile import (
    OUTPUT_FILES,
    build_view,
    findings_csv,
    render_html,
    render_markdown,
)

LUTON = "a1b2c3d4e5f60718"
NSOM = "0f1e2d3c4b5a6978"
CLEAN = "9999aaaabbbbcccc"
PARTIAL = "5555666677778888"

LUTON_QUOTE = (
    "Although the lowest score (62 per cent) came within the \u2018Requires improvement\u2019 band, "
    "this was within five percentage points of the threshold for \u2018Good\u2019 (65 per cent) and "
    "professional discretion was used by the ratings panel to raise the overall rating to "
    "assessment to \u2018Good\u2019"
)
NSOM_QUOTE_32 = (
    "Due to the size of the sample, performance in one case had a disproportionate impact on the "
    "overall score for this standard. For this reason, the ratings panel agreed to exercise "
    "professional discretion, and agreed a rating for planning of Good."
)
NSOM_QUOTE_33 = (
    "Due to the size of the sample, performance in one case adversely affected the rating for this "
    "standard. Overall, implementation and delivery was strong, and the ratings panel agreed to "
    "apply professional discretion to uplift the rating for this standard to Good."
)

ASSESS_QS = [
    "Does assessment sufficiently analyse how to support the child\u2019s desistance?",
    "Does assessment sufficiently analyse how to keep the child safe?",
    "Does assessment sufficiently analyse how to keep other people safe?",
]
PLAN_QS = [
    "Does planning focus on supporting the child\u2019s desistance?",
    "Does planning focus sufficiently on keeping the child safe?",
    "Does planning focus sufficiently on keeping other people safe?",
]
DELIVERY_QS = [
    "Does the implementation and delivery of services effectively support the child\u2019s desistance?",
    "Does the implementation and delivery of services effectively support the safety of the child?",
    "Does the implementation and delivery of services effectively support the safety of other people?",
]


def _report(rid, source, name, **kw):
    row = {"report_id": rid, "source_file": source, "service_name": name, "area": name.split(" ")[0],
           "service_type": "YOS", "framework": "2018", "status": "ok", "pages": 60}
    row.update(kw)
    return row


def sample_rows() -> dict[str, list[dict]]:
    reports = [
        _report(LUTON, "luton-yos.pdf", "Luton Youth Offending Service",
                overall_rating="Requires improvement", overall_recomputed="Requires improvement",
                score=16, score_published_sum=16, score_recomputed=15, cases_court=21,
                cases_out_of_court=12),
        _report(NSOM, "north-somerset-yos.pdf", "North Somerset Youth Offending Service",
                overall_rating="Good", overall_recomputed="Good", score=26, score_published_sum=26,
                score_recomputed=24, cases_court=16, cases_out_of_court=5),
        _report(CLEAN, "cleanshire-yos.txt", "Cleanshire Youth Offending Service",
                overall_rating="Good", overall_recomputed="Good", score=None, score_published_sum=22,
                score_recomputed=22),
        _report(PARTIAL, "partialton-yjs.pdf", "Partialton Youth Justice Service", framework="2021",
                status="partial", overall_rating="Requires improvement",
                overall_recomputed="Requires improvement", score=18, score_published_sum=17,
                score_recomputed=17, missing="annex_results"),
    ]
    ratings = [
        # Luton
        {"report_id": LUTON, "domain": "2", "standard": "2.1", "standard_name": "Assessment",
         "rating": "Good", "quantitative": True, "lowest_pct": 62.0,
         "rating_recomputed": "Requires improvement", "page": 11},
        {"report_id": LUTON, "domain": "2", "standard": "2.3", "standard_name": "Implementation and delivery",
         "rating": "Requires improvement", "quantitative": True, "lowest_pct": 48.0,
         "rating_recomputed": "Inadequate", "page": 15},
        {"report_id": LUTON, "domain": "3", "standard": "3.3", "standard_name": "Implementation and delivery",
         "rating": "Good", "quantitative": True, "lowest_pct": 75.0,
         "rating_recomputed": "Good", "page": 40},
        {"report_id": LUTON, "domain": "1", "standard": "1.1", "standard_name": "Governance and leadership",
         "rating": "Requires improvement", "quantitative": False, "lowest_pct": None,
         "rating_recomputed": None, "page": 6},
        # North Somerset
        {"report_id": NSOM, "domain": "3", "standard": "3.2", "standard_name": "Planning",
         "rating": "Good", "quantitative": True, "lowest_pct": 60.0,
         "rating_recomputed": "Requires improvement", "page": 30},
        {"report_id": NSOM, "domain": "3", "standard": "3.3", "standard_name": "Implementation and delivery",
         "rating": "Good", "quantitative": True, "lowest_pct": 60.0,
         "rating_recomputed": "Requires improvement", "page": 32},
        # Cleanshire
        {"report_id": CLEAN, "domain": "2", "standard": "2.1", "standard_name": "Assessment",
         "rating": "Good", "quantitative": True, "lowest_pct": 70.0,
         "rating_recomputed": "Good", "page": 20},
        # Partialton
        {"report_id": PARTIAL, "domain": "2", "standard": "2.2", "standard_name": "Planning",
         "rating": "Good", "quantitative": True, "lowest_pct": 64.7,
         "rating_recomputed": "Good", "page": 22},
    ]

    def kqs(rid, std, qs, pcts, page, **extra):
        return [{"report_id": rid, "standard": std, "index": i + 1, "question": q, "pct_yes": p,
                 "page": page, "source": "section", **extra}
                for i, (q, p) in enumerate(zip(qs, pcts))]

    key_questions = (
        kqs(LUTON, "2.1", ASSESS_QS, [86.0, 62.0, 71.0], 11)
        + kqs(LUTON, "2.3", DELIVERY_QS, [90.0, 48.0, 52.0], 15)
        + kqs(LUTON, "3.3", DELIVERY_QS, [92.0, 81.0, 75.0], 40)
        + kqs(NSOM, "3.2", PLAN_QS, [80.0, 100.0, 60.0], 30)
        + kqs(NSOM, "3.3", DELIVERY_QS, [100.0, 60.0, 80.0], 32)
        + kqs(CLEAN, "2.1", ASSESS_QS, [90.0, 70.0, 75.0], 20)
    )
    findings = [
        {"report_id": LUTON, "level": "standard", "standard": "2.1", "kind": "rating_differs_from_rule",
         "published": "Good", "recomputed": "Requires improvement", "lowest_pct": 62.0,
         "points_to_band_edge": 3.0, "explained": True, "explanation": LUTON_QUOTE,
         "explanation_page": 12, "page": 11,
         "detail": "Lowest key question 62% is in the Requires improvement band (50-64); "
                   "Good needs 65%."},
        {"report_id": LUTON, "level": "standard", "standard": "2.3", "kind": "rating_differs_from_rule",
         "published": "Requires improvement", "recomputed": "Inadequate", "lowest_pct": 48.0,
         "points_to_band_edge": 2.0, "explained": False, "page": 15,
         "detail": "Lowest key question 48% is in the Inadequate band (under 50); "
                   "Requires improvement needs 50%."},
        {"report_id": LUTON, "level": "source", "standard": "3.3", "kind": "key_question_conflict",
         "explained": False, "page": 40,
         "detail": "Key question 3.3.2: the section prints 81% but the annex prints 62%.",
         "source_a": "section", "value_a": "81%", "page_a": 40,
         "source_b": "annex", "value_b": "62%", "page_b": 47},
        {"report_id": NSOM, "level": "standard", "standard": "3.2", "kind": "rating_differs_from_rule",
         "published": "Good", "recomputed": "Requires improvement", "lowest_pct": 60.0,
         "points_to_band_edge": 5.0, "explained": True, "explanation": NSOM_QUOTE_32,
         "explanation_page": 30, "page": 30,
         "detail": "Lowest key question 60% (3 of 5) is in the Requires improvement band; Good needs 65%."},
        {"report_id": NSOM, "level": "standard", "standard": "3.3", "kind": "rating_differs_from_rule",
         "published": "Good", "recomputed": "Requires improvement", "lowest_pct": 60.0,
         "points_to_band_edge": 5.0, "explained": True, "explanation": NSOM_QUOTE_33,
         "explanation_page": 32, "page": 32,
         "detail": "Lowest key question 60% (3 of 5) is in the Requires improvement band; Good needs 65%."},
        {"report_id": PARTIAL, "level": "report", "standard": None, "kind": "missing_section",
         "explained": False,
         "detail": "No annex of inspection results was found; key questions come from the sections only."},
        {"report_id": PARTIAL, "level": "standard", "standard": "2.2", "kind": "rounding_sensitive",
         "explained": False, "page": 22, "lowest_pct": 64.7,
         "detail": "Printed 65% is 11 of 17 = 64.7%: Good on the printed figure, "
                   "Requires improvement on the exact fraction."},
        {"report_id": PARTIAL, "level": "score", "standard": None,
         "kind": "printed_score_differs_from_published_sum", "published": "18", "recomputed": "17",
         "explained": False, "page": 4,
         "detail": "The report prints Score 18/36 but its published ratings add up to 17."},
    ]
    facts = [{"report_id": LUTON, "group": "caseload", "name": "cases_court", "label": "Court disposals",
              "value": 21.0, "unit": "count", "page": 8}]
    recommendations = [{"report_id": LUTON, "number": 1, "addressee": "The YOS Management Board",
                        "text": "ensure partner agencies attend regularly", "page": 9}]
    return {"reports": reports, "ratings": ratings, "key_questions": key_questions,
            "findings": findings, "facts": facts, "recommendations": recommendations}


def sample_tables() -> dict:
    rows = sample_rows()
    return {name: store.to_table(name, rows.get(name, [])) for name in store.TABLES}


@pytest.fixture(scope="module")
def tables():
    return sample_tables()


@pytest.fixture(scope="module")
def md(tables):
    return render_markdown(build_view(tables))


@pytest.fixture(scope="module")
def page(tables):
    return render_html(build_view(tables))


def _report_block(md: str, name: str) -> str:
    m = re.search(rf"^### {re.escape(name)}\n(.*?)(?=^##|\Z)", md, re.DOTALL | re.MULTILINE)
    assert m, f"no section for {name}"
    return m.group(1)


# --------------------------------------------------------------------------

def test_summary_counts(tables):
    s = build_view(tables)["summary"]
    assert s["reports"] == 4
    assert s["status"] == {"ok": 3, "partial": 1, "failed": 0}
    assert s["standards_checked"] == 7  # quantitative and recomputed; 1.1 is qualitative
    assert s["divergences"] == 4
    assert s["explained"] == 3 and s["not_explained"] == 1
    assert s["source_conflicts"] == 1
    assert s["score_disagreements"] == 1 and s["overall_disagreements"] == 0
    assert s["rounding_sensitive"] == 1 and s["missing_sections"] == 1


def test_markdown_summary(md):
    assert "- Reports: 4 (ok 3, partial 1, failed 0)" in md
    assert "- Standards checked against the banding rule: 7" in md
    assert "- Divergences from the rule: 4 (explained in the report: 3; not explained: 1)" in md
    assert "- Source conflicts (section or summary against annex): 1" in md
    assert "- Printed score disagreements: 1" in md


def test_markdown_luton_divergence(md):
    block = _report_block(md, "Luton Youth Offending Service")
    assert f"report_id `{LUTON}`, source file `luton-yos.pdf`" in block
    row = next(l for l in block.splitlines() if l.startswith("| 2.1 Assessment"))
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    assert cells[1:7] == ["Good", "Requires improvement", f"2.1.2 {ASSESS_QS[1]}", "62%", "3", "11"]
    assert f"\u201c{LUTON_QUOTE}\u201d (p. 12)" in cells[7]
    unexplained = next(l for l in block.splitlines() if l.startswith("| 2.3 Implementation"))
    assert "| Requires improvement | Inadequate |" in unexplained
    assert "48%" in unexplained and "not explained in the report" in unexplained
    assert "1 source conflict" in block


def test_markdown_north_somerset(md):
    block = _report_block(md, "North Somerset Youth Offending Service")
    assert f"report_id `{NSOM}`, source file `north-somerset-yos.pdf`" in block
    for std, quote, p in (("3.2 Planning", NSOM_QUOTE_32, 30),
                          ("3.3 Implementation and delivery", NSOM_QUOTE_33, 32)):
        row = next(l for l in block.splitlines() if l.startswith(f"| {std} |"))
        assert "| Good | Requires improvement |" in row
        assert "| 60% | 5 |" in row
        assert f"\u201c{quote}\u201d (p. {p})" in row
    assert "not explained" not in block


def test_markdown_clean_report_has_no_findings(md):
    block = _report_block(md, "Cleanshire Youth Offending Service")
    assert "No findings for this report." in block
    assert "|" not in block  # no table at all


def test_markdown_source_conflict_and_lists(md):
    conflicts = md.split("## Source conflicts", 1)[1].split("\n## ", 1)[0]
    row = next(l for l in conflicts.splitlines() if l.startswith("| Luton"))
    assert "3.3 Implementation and delivery" in row
    assert "section: 81% (p. 40)" in row and "annex: 62% (p. 47)" in row
    score = md.split("## Score and overall rating disagreements", 1)[1].split("\n## ", 1)[0]
    assert "| Partialton Youth Justice Service | Printed score differs from the sum of published ratings | 18 | 17 |" in score
    rounding = md.split("## Rounding-sensitive results", 1)[1].split("\n## ", 1)[0]
    assert "- Partialton Youth Justice Service, 2.2 Planning: Printed 65% is 11 of 17 = 64.7%" in rounding
    assert "(p. 22)" in rounding
    missing = md.split("## Missing sections (partial reports)", 1)[1].split("\n## ", 1)[0]
    assert "- Partialton Youth Justice Service: No annex of inspection results was found" in missing


def test_markdown_scores_mark_published_sum(md):
    scores = md.split("## Scores: published against recomputed", 1)[1].split("\n## ", 1)[0]
    assert "| Cleanshire Youth Offending Service | 22 | sum of published ratings (no printed score) | 22 |" in scores
    assert "| Luton Youth Offending Service | 16 | printed score | 15 |" in scores


def test_html_contents(page):
    assert page.startswith("<!DOCTYPE html>")
    # self-contained: one inline script, no external resources
    assert page.lower().count("<script") == 1 and "<script>" in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", page)
    assert "@import" not in page and "url(http" not in page
    assert "<svg" in page and "</svg>" in page
    assert "Luton Youth Offending Service" in page and LUTON in page and "luton-yos.pdf" in page
    assert "62%" in page and f"2.1.2 {ASSESS_QS[1]}".replace("\u2019", "\u2019") in page
    assert LUTON_QUOTE.replace("\u2018", "\u2018") in page and "(p. 12)" in page
    assert NSOM_QUOTE_32 in page and NSOM_QUOTE_33 in page
    assert "section: 81% (p. 40)" in page and "annex: 62% (p. 47)" in page
    assert "not explained in the report" in page
    assert "No findings for this report." in page
    assert "sum of published ratings (no printed score)" in page


def test_html_chart_has_bars_per_report(tables):
    model = build_view(tables)
    page = render_html(model)
    svg = page[page.index("<svg"): page.index("</svg>")]
    # two bars per report (published, recomputed), each with its value
    bars = re.findall(r'<rect class="bar (published|recomputed)[^"]*"[^>]*data-value="(\d+)"', svg)
    assert sorted(bars) == sorted(
        [("published", "16"), ("published", "26"), ("published", "22"), ("published", "18"),
         ("recomputed", "15"), ("recomputed", "24"), ("recomputed", "22"), ("recomputed", "17")])
    assert "Score (0&ndash;36)" in svg
    assert svg.count('class="bar published sum"') == 1  # Cleanshire: no printed score, hatched
    assert 'fill="url(#hatch)"' in svg


def test_html_escapes_text(tables):
    rows = sample_rows()
    rows["reports"][0]["service_name"] = "Luton <script>alert('x')</script> & Co"
    rows["findings"][0]["explanation"] = 'He said "<b>bold</b>" & left'
    t = {name: store.to_table(name, rows.get(name, [])) for name in store.TABLES}
    page = render_html(build_view(t))
    assert page.count("<script") == 1 and "<b>bold</b>" not in page  # only the page's own script
    assert "alert('x')" not in page
    assert "Luton &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co" in page
    assert "&#34;&lt;b&gt;bold&lt;/b&gt;&#34; &amp; left" in page


def test_csv(tables):
    text = findings_csv(tables)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 8
    assert list(rows[0])[:3] == ["report_id", "service_name", "source_file"]
    luton_21 = next(r for r in rows if r["report_id"] == LUTON and r["standard"] == "2.1")
    assert luton_21["service_name"] == "Luton Youth Offending Service"
    assert luton_21["published"] == "Good" and luton_21["recomputed"] == "Requires improvement"
    assert luton_21["explanation"] == LUTON_QUOTE and luton_21["explanation_page"] == "12"
    assert luton_21["explained"] == "true" and float(luton_21["points_to_band_edge"]) == 3.0
    conflict = next(r for r in rows if r["kind"] == "key_question_conflict")
    assert (conflict["value_a"], conflict["page_a"], conflict["value_b"], conflict["page_b"]) == ("81%", "40", "62%", "47")
    assert not any(r["report_id"] == CLEAN for r in rows)


def test_deterministic_and_order_independent(tables):
    m1, m2 = build_view(tables), build_view(tables)
    assert render_markdown(m1) == render_markdown(m2)
    assert render_html(m1) == render_html(m2)
    assert findings_csv(tables) == findings_csv(tables)
    # shuffled input rows give the same output
    rows = sample_rows()
    shuffled = {name: store.to_table(name, list(reversed(rows.get(name, [])))) for name in store.TABLES}
    assert render_markdown(build_view(shuffled)) == render_markdown(m1)
    assert render_html(build_view(shuffled)) == render_html(m1)
    assert findings_csv(shuffled) == findings_csv(tables)


def test_pandas_input_same_as_arrow(tables):
    frames = {name: t.to_pandas() for name, t in tables.items()}
    assert render_markdown(build_view(frames)) == render_markdown(build_view(tables))
    assert render_html(build_view(frames)) == render_html(build_view(tables))
    assert findings_csv(frames) == findings_csv(tables)


def test_no_findings_says_so():
    rows = sample_rows()
    rows["reports"][3]["missing"] = None
    t = {name: store.to_table(name, rows.get(name, []) if name != "findings" else [])
         for name in store.TABLES}
    md = render_markdown(build_view(t))
    assert "No findings: every published rating" in md
    assert "- Divergences from the rule: 0" in md
    assert "No source conflicts." in md
    assert "No score or overall rating disagreements." in md
    assert md.count("No findings for this report.") == 4
    assert "not explained in the report" not in md
    assert "## Missing sections (partial reports)\n\nNone." in md
    assert findings_csv(t).count("\n") == 1  # header only
    empty = {name: store.SCHEMAS[name].empty_table() for name in store.TABLES}
    md_empty = render_markdown(build_view(empty))
    assert "No reports." in md_empty and "- Reports: 0" in md_empty
    assert "<svg" in render_html(build_view(empty))


def test_missing_named_only_in_reports_table():
    rows = sample_rows()
    rows["findings"] = []
    t = {name: store.to_table(name, rows.get(name, [])) for name in store.TABLES}
    md = render_markdown(build_view(t))
    assert "- Partialton Youth Justice Service: missing: annex_results" in md
    assert "No findings: every published rating" not in md
    block = _report_block(md, "Partialton Youth Justice Service")
    assert "Also: 1 missing section (listed above)." in block
    assert "No findings for this report." not in block


def test_write_reconciliation(tmp_path, tables):
    for name, t in tables.items():
        store.write_atomic(t, tmp_path / f"{name}.parquet")
    # the tables read back from Parquet give the same report as the tables in memory
    write_reconciliation(read_tables(tmp_path), tmp_path)
    out = {kind: tmp_path / name for kind, name in OUTPUT_FILES.items()}
    assert set(out) == {"markdown", "html", "csv"}
    assert out["markdown"].name == "reconciliation.md"
    assert out["html"].name == "reconciliation.html"
    assert out["csv"].name == "findings.csv"
    first = {k: p.read_bytes() for k, p in out.items()}
    elsewhere = tmp_path / "staging"
    write_reconciliation(tables, elsewhere)  # the artifact writer: tables in, files in the folder
    assert {k: (elsewhere / p.name).read_bytes() for k, p in out.items()} == first
    assert first["markdown"].decode() == render_markdown(build_view(tables))
    assert not list(tmp_path.glob(".*.tmp"))
    # round-tripped through Parquet, the tables are the same
    assert pq.read_table(tmp_path / "findings.parquet").num_rows == 8


# --------------------------------------------------------------------------
# pipeline.show: one report in the terminal
# --------------------------------------------------------------------------

def test_show_by_source_file_and_prefix(tables):
    from pipeline.app.show import render_report
    text = render_report(tables, "data/raw/luton-yos.pdf")
    assert text == render_report(tables, "a1b2c3") == render_report(tables, "luton-yos")
    assert text.startswith("Luton Youth Offending Service\n=============================\n")
    assert "report_id       a1b2c3d4e5f60718" in text
    assert "score           printed 16; sum of published ratings 16; recomputed 15" in text
    row21 = next(l for l in text.splitlines() if l.startswith("2.1  Assessment"))
    assert row21.split() == ["2.1", "Assessment", "Good", "Requires", "improvement", "62%", "*", "11"]
    assert "(qualitative)" in text  # 1.1 has no recomputed rating
    assert "Does assessment sufficiently analyse how to keep the child" in text
    assert "explained (p. 12): \u201cAlthough the lowest score (62 per cent)" in text
    assert "not explained in the report" in text
    assert "section: 81% (p. 40)  vs  annex: 62% (p. 47)" in text
    counts = dict(l.split() for l in text.split("Rows\n----\n", 1)[1].splitlines()[2:])
    assert counts == {"ratings": "4", "key_questions": "9", "prompts": "0", "facts": "1",
                      "recommendations": "1", "findings": "3"}


def test_show_report_without_findings(tables):
    from pipeline.app.show import render_report
    text = render_report(tables, "cleanshire-yos.txt")
    assert "Findings\n--------\n(no findings)" in text
    assert "printed -; sum of published ratings 22; recomputed 22" in text


def test_show_not_found_lists_reports(tables):
    from pipeline.app.show import render_report
    with pytest.raises(LookupError) as exc:
        render_report(tables, "bedfordshire-yos.pdf")
    msg = str(exc.value)
    assert "no report matches 'bedfordshire-yos.pdf'" in msg
    for rid, name in ((LUTON, "luton-yos.pdf"), (NSOM, "north-somerset-yos.pdf"), (CLEAN, "cleanshire-yos.txt")):
        assert f"{rid}  {name}" in msg
    rows = sample_rows()
    rows["reports"][1]["report_id"] = "a1b2ffffffffffff"  # shares a prefix with Luton
    t = {name: store.to_table(name, rows.get(name, [])) for name in store.TABLES}
    with pytest.raises(LookupError, match="matches 2 reports"):
        render_report(t, "a1b2")
    empty = {name: store.SCHEMAS[name].empty_table() for name in store.TABLES}
    with pytest.raises(LookupError, match="empty"):
        render_report(empty, "luton")
