"""validate's steps one by one, on Extraction records built here (no text):
the score and overall findings, the choice between sources, the sanity limits."""
from __future__ import annotations

import dataclasses

import pytest

from pipeline.core import rules
from pipeline.core.records import (Explanation, Extraction, FindingKind, KeyQuestion, Prompt, PublishedRating,
                            RatingsSummary, ServiceIdentity, Sourced)
from pipeline.validate.findings import Findings
from pipeline.validate.report import checked_scores, overall_findings, report_value, score_findings, validate
from pipeline.validate.standard import checked_key_questions, checked_prompts, choose_rating

NAMES_2018 = {code: info["name"] for code, info in rules.framework_standards("2018").items()}


def extraction(ratings: dict[str, str] | None = None, score: int | None = 24, overall: str | None = "Good",
               key_questions: list[KeyQuestion] | None = None, **kw) -> Extraction:
    """A 2018-framework report: every standard Good unless `ratings` says
    otherwise, each quantitative one with three key questions at 70%."""
    published = {code: "Good" for code in NAMES_2018} | (ratings or {})
    summary = RatingsSummary(page=2, score=score, score_max=36, score_page=2 if score is not None else None,
                             overall=overall, overall_page=2 if overall else None,
                             standards={c: PublishedRating(c, r, 2, NAMES_2018[c]) for c, r in published.items()})
    if key_questions is None:
        key_questions = [KeyQuestion(code, i, f"Question {i}?", 20, "section", pct_yes=70.0, printed="70%")
                         for code, info in rules.framework_standards("2018").items() if info["quantitative"]
                         for i in range(1, info["key_questions"] + 1)]
    return Extraction(
        report_id="r1", source_file="r.txt", sha256="0" * 64, pages=40, summary=summary,
        section_ratings={}, annex_ratings={}, section_names=dict(NAMES_2018), key_questions=key_questions,
        identity=ServiceIdentity(), score_sources=[Sourced(score, "summary", 2, f"Score {score}/36", out_of=36)]
        if score is not None else [],
        overall_sources=[Sourced(overall, "summary", 2, overall)] if overall else [], **kw)


def kinds(tables) -> list[str]:
    return [f["kind"] for f in tables["findings"]]


def test_consistent_report_is_ok_with_no_findings():
    tables = validate(extraction())
    (report,) = tables["reports"]
    assert kinds(tables) == []
    assert (report["status"], report["score"], report["score_published_sum"], report["score_recomputed"],
            report["overall_recomputed"]) == ("ok", 24, 24, 24, "Good")


def test_printed_score_differs_from_published_sum():
    tables = validate(extraction(score=26))
    (f,) = [f for f in tables["findings"] if f["kind"] == "printed_score_differs_from_published_sum"]
    assert (f["level"], f["published"], f["recomputed"], f["page"]) == ("score", "26", "24", 2)


def test_overall_outside_score_band_and_differs_from_rule():
    tables = validate(extraction(overall="Outstanding"))
    band = next(f for f in tables["findings"] if f["kind"] == "overall_outside_score_band")
    rule = next(f for f in tables["findings"] if f["kind"] == "overall_differs_from_rule")
    assert (band["published"], band["recomputed"], band["level"]) == ("Outstanding", "Good", "overall")
    assert (rule["published"], rule["recomputed"], rule["explained"]) == ("Outstanding", "Good", False)


def test_overall_differs_from_rule_is_explained_when_every_divergence_is():
    # every case-level standard's lowest key question at 40% is Inadequate (published
    # Good): the recomputed score drops by 16 to 8, Requires improvement
    case_level = ("2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4")
    counts = {c: rules.framework_standards("2018")[c]["key_questions"] for c in case_level}
    kqs = [KeyQuestion(c, i, "Q?", 20, "section", pct_yes=40.0 if i == 1 else 90.0)
           for c in case_level for i in range(1, counts[c] + 1)]
    explanations = {c: Explanation("professional discretion was used", 21, "section") for c in case_level}
    tables = validate(extraction(key_questions=kqs, explanations=explanations))
    report = tables["reports"][0]
    assert (report["score_recomputed"], report["overall_recomputed"]) == (8, "Requires improvement")
    (rule,) = [f for f in tables["findings"] if f["kind"] == "overall_differs_from_rule"]
    assert rule["explained"] is True
    assert kinds(tables).count("rating_differs_from_rule") == 8


def test_a_standard_with_key_questions_missing_is_not_recomputed():
    # 2.1 has three key questions; with two read, the lowest of those (70%) need not be the lowest
    kqs = [KeyQuestion("2.1", i, f"Question {i}?", 20, "section", pct_yes=70.0, printed="70%") for i in (1, 2)]
    tables = validate(extraction(key_questions=kqs))
    (row,) = [r for r in tables["ratings"] if r["standard"] == "2.1"]
    assert (row["rating"], row["rating_recomputed"], row["lowest_pct"]) == ("Good", None, None)
    report = tables["reports"][0]
    assert report["status"] == "partial"
    assert "standard 2.1: 2 of its 3 key questions read" in report["missing"]


def test_choose_rating_majority_and_uncertain():
    good, ri = PublishedRating("2.1", "Good", 2), PublishedRating("2.1", "Requires improvement", 21)
    assert choose_rating({"summary": good, "section": ri, "annex": ri}, 0)[:2] == ("section", ri)
    assert choose_rating({"summary": good, "section": ri, "annex": ri}, 0)[2] is False
    # one against one: the summary comes first, but the value is uncertain
    assert choose_rating({"summary": good, "section": ri, "annex": None}, 0) == ("summary", good, True)
    # an unreadable summary word counts against a single readable source
    assert choose_rating({"summary": None, "section": good, "annex": None}, 1) == ("section", good, True)
    assert choose_rating({"summary": None, "section": good, "annex": good}, 1)[2] is False
    assert choose_rating({"summary": None, "section": None, "annex": None}, 0) == (None, None, False)


def test_report_value_follows_precedence_and_reports_each_disagreement():
    found = Findings("r1")
    sources = [Sourced("Good", "foreword", 1), Sourced("Requires improvement", "summary", 2),
               Sourced("Good", "overall_findings", 3)]
    chosen = report_value(sources, rules.precedence("overall"), FindingKind.OVERALL_CONFLICT, "overall", found)
    assert (chosen.value, chosen.source) == ("Requires improvement", "summary")
    assert [(f["source_b"], f["value_b"], f["page_b"]) for f in found.rows] == [
        ("foreword", "Good", 1), ("overall_findings", "Good", 3)]
    assert report_value([], ["summary"], FindingKind.OVERALL_CONFLICT, "overall", found) is None


@pytest.mark.parametrize("score, out_of, kept", [(36, 36, True), (0, 36, True), (40, 36, False), (20, 30, False)])
def test_checked_scores(score, out_of, kept):
    found = Findings("r1")
    result = checked_scores([Sourced(score, "summary", 2, f"Score {score}/{out_of}", out_of=out_of)], found)
    assert bool(result) is kept
    assert [f["published"] for f in found.rows] == ([] if kept else [f"Score {score}/{out_of}"])


def test_score_findings_silent_when_equal_or_unknown():
    found = Findings("r1")
    score_findings(Sourced(24, "summary", 2), 24, found)
    score_findings(None, 24, found)
    score_findings(Sourced(24, "summary", 2), None, found)
    assert found.rows == []


def test_overall_findings_none_without_a_published_overall():
    found = Findings("r1")
    overall_findings(None, 10, None, "Good", 20, found)
    assert found.rows == []


def test_resettlement_limit_caps_outstanding():
    found = Findings("r1")
    overall_findings(Sourced("Outstanding", "summary", 2), 33, "Inadequate", "Good", 33, found)
    assert [(f["kind"], f["recomputed"]) for f in found.rows] == [
        ("overall_outside_score_band", "Good"), ("overall_differs_from_rule", "Good")]


def test_checked_key_questions_limits():
    base = KeyQuestion("2.1", 1, "Q?", 20, "section")
    ex = extraction(key_questions=[
        dataclasses.replace(base, pct_yes=101.0, printed="101%"),
        dataclasses.replace(base, index=2, relevant=9, yes=5, printed="9 5"),     # 9 relevant of 8 inspected
        dataclasses.replace(base, index=3, relevant=8, yes=5, printed="8 5"),
        dataclasses.replace(base, index=4, pct_yes=50.0, printed="50%"),          # 2.1 has 3 key questions
        dataclasses.replace(base, standard="2.2", pct_yes=0.0, annex_pct_yes=-1.0, annex_page=44,
                            annex_printed="-1%"),
    ])
    found = Findings("r1")
    kqs = checked_key_questions(ex, "2018", {"court": 8}, found)
    assert [(k.index, k.pct_yes, k.relevant, k.yes) for k in kqs] == [
        (1, None, None, None), (2, None, None, None), (3, None, 8, 5), (4, None, None, None), (1, 0.0, None, None)]
    assert kqs[4].annex_pct_yes is None
    assert [f["published"] for f in found.rows] == ["101%", "9 5", "50%", "-1%"]
    assert all(f["kind"] == "value_out_of_range" and f["level"] == "source" for f in found.rows)


def test_no_summary_and_no_score_is_partial_with_reasons():
    ex = dataclasses.replace(extraction(score=None, overall=None), summary=None)
    report = validate(ex)["reports"][0]
    assert report["status"] == "partial"
    assert report["missing"].split("; ")[:1] == ["no ratings summary"]
    assert "no overall rating printed" in report["missing"]


def test_checked_prompts_limits():
    found = Findings("r1")
    prompts = [Prompt("2.1", 1, "a", "Is there a plan?", 58, "annex", pct_yes=120.0),
               Prompt("2.1", 1, "b", "Is it good?", 58, "annex", pct_yes=50.0),
               Prompt("3.1", 2, "a", "Is it safe?", 60, "section", relevant=6, yes=4)]
    out = checked_prompts(prompts, {"court": 8, "out_of_court": 5}, found)
    assert [(p.pct_yes, p.relevant) for p in out] == [(None, None), (50.0, None), (None, None)]
    assert [(f["published"], f["page"]) for f in found.rows] == [("120%", 58), ("6 4", 60)]
