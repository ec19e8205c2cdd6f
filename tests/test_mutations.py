"""Issue 10, classes 1, 2, 3 and 6: each test mutates a sample's text the way
another report or export route prints it, and checks the exact values, nulls
and findings (read off the fixture text by hand: the lines are quoted).

Sample facts used (tests/fixtures):
- luton-yos.txt page 2 (ratings summary, row order): '2.1 Assessment Good',
  '2.2 Planning Inadequate' ...; every standard's rating is printed three
  times: summary (page 2), section heading (2.1 on page 21), annex.
  Section 2.1 table (page 21): 95%, 71%, 62%. 'Luton Youth Offending Service
  Score 16/36'. 'Overall, Luton YOS is rated as: Requires Improvement' (page 3)
  and 'Overall, Luton YOS was rated as ‘Requires Improvement’' (foreword, page 1).
- bedfordshire-yos.txt page 2: summary and section headings only (no annex
  ratings): '1.2 Staff Good', '1.3 Partnerships and services Good'.
- north-somerset-yos.txt page 17: 2.1 counts 'the child’s desistance? 8 8'.
"""
from __future__ import annotations

import re

import pytest

from conftest import SAMPLES, write_report
from pipeline.core.files import sha256_of
from pipeline.ingest.read import read_document
from pipeline.execution.one_file import Options, extract_file
from pipeline.segment.sections import segment

LUTON = SAMPLES["luton"].read_text(encoding="utf-8")
BEDFORDSHIRE = SAMPLES["bedfordshire"].read_text(encoding="utf-8")
NORTH_SOMERSET = SAMPLES["north_somerset"].read_text(encoding="utf-8")

LUTON_SUMMARY = {"1.1": "Requires improvement", "1.2": "Good", "1.3": "Good", "1.4": "Outstanding",
                 "2.1": "Good", "2.2": "Inadequate", "2.3": "Requires improvement", "2.4": "Good",
                 "3.1": "Inadequate", "3.2": "Inadequate", "3.3": "Good", "3.4": "Requires improvement"}


def run(tmp_path, text: str) -> dict[str, list[dict]]:
    path = write_report(tmp_path, text)
    return extract_file(str(path), sha256_of(path), Options())


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def ratings(tables) -> dict[str, dict]:
    return {r["standard"]: r for r in tables["ratings"]}


def kinds(tables, kind: str) -> list[dict]:
    return [f for f in tables["findings"] if f["kind"] == kind]


def same_findings(a, b, kind: str) -> bool:
    """The same findings of `kind` apart from report_id (the bytes differ)."""
    strip = [[{k: v for k, v in f.items() if k != "report_id"} for f in kinds(t, kind)] for t in (a, b)]
    return strip[0] == strip[1]


# ------------------------------------------------- class 3: summary pairing

def test_misspelt_rating_is_null_with_finding_and_shifts_nothing(tmp_path):
    tables = run(tmp_path, replace_once(LUTON, "2.1 Assessment Good \n", "2.1 Assessment Outstandin \n"))
    got = ratings(tables)
    (note,) = kinds(tables, "unrecognised_rating")
    assert (note["standard"], note["published"], note["page"], note["level"]) == ("2.1", "Outstandin", 2, "source")
    # section (page 21) and annex both print Good: two readable sources agree
    assert (got["2.1"]["rating"], got["2.1"]["rating_source"], got["2.1"]["page"]) == ("Good", "section", 21)
    assert {c: r["rating"] for c, r in got.items()} == LUTON_SUMMARY
    assert all(got[c]["rating_source"] == "summary" for c in LUTON_SUMMARY if c != "2.1")
    assert same_findings(tables, run(tmp_path, LUTON), "rating_differs_from_rule")
    assert tables["reports"][0]["status"] == "ok"


@pytest.mark.parametrize("word", ["Satisfactory", "Very good"])
def test_word_that_is_not_a_rating_against_one_source_is_uncertain(tmp_path, word):
    tables = run(tmp_path, replace_once(BEDFORDSHIRE, "1.2 Staff Good", f"1.2 Staff {word}"))
    got = ratings(tables)
    (note,) = kinds(tables, "unrecognised_rating")
    assert (note["standard"], note["published"]) == ("1.2", word)
    # the section heading says Good, the summary something unreadable: no better-supported value
    assert got["1.2"]["rating"] is None and got["1.2"]["section_page"] == 18
    assert (got["1.3"]["rating"], got["1.4"]["rating"], got["2.1"]["rating"]) == ("Good", "Good", "Inadequate")
    report = tables["reports"][0]
    assert report["status"] == "partial"
    assert "published rating for standard 1.2 is uncertain (section Good)" in report["missing"]


def test_missing_rating_word_does_not_shift_later_standards(tmp_path):
    text = replace_once(BEDFORDSHIRE, "1.3 Partnerships and services Good", "1.3 Partnerships and services")
    tables = run(tmp_path, text)
    (note,) = kinds(tables, "missing_rating")
    assert (note["standard"], note["page"]) == ("1.3", 2)
    got = ratings(tables)
    # the summary says nothing for 1.3; its section heading (page 20) prints Good
    assert (got["1.3"]["rating"], got["1.3"]["rating_source"], got["1.3"]["page"]) == ("Good", "section", 20)
    assert [got[c]["rating"] for c in ("1.4", "2.1", "2.2", "4.1")] == ["Good", "Inadequate",
                                                                         "Requires improvement", "Good"]
    assert all(got[c]["rating_source"] == "summary" for c in ("1.4", "2.1", "4.1"))
    assert kinds(tables, "rating_differs_from_rule") == []  # no false divergence
    assert tables["reports"][0]["status"] == "ok"


def test_column_order_page_not_paired_falls_back_to_section_headings(tmp_path):
    # Bedfordshire prints each rating twice (summary, section heading): with the
    # summary unpaired, each section heading is the only readable source
    start = BEDFORDSHIRE.index("Overall rating Requires improvement")
    end = BEDFORDSHIRE.index(" Executive summary")
    page = BEDFORDSHIRE[start:end]
    for rating in ("Requires improvement", "Outstanding", "Inadequate", "Good"):
        page = re.sub(rf" {rating} *\n", "\n", page)  # no line may start with a space (a page mark)
    page += "\n".join(["Requires improvement", "Good", "Good"]) + "\n"  # 3 values for 14 labels
    tables = run(tmp_path, BEDFORDSHIRE[:start] + page + BEDFORDSHIRE[end:])
    got = ratings(tables)
    assert len(kinds(tables, "ratings_not_paired")) == 14  # the overall and 13 standards
    assert {r["rating_source"] for r in got.values()} == {"section"}
    assert (got["2.1"]["rating"], got["2.1"]["page"]) == ("Inadequate", 29)
    assert (got["4.1"]["rating"], got["4.1"]["page"]) == ("Good", 53)
    # the overall comes from the executive summary (page 3: 'Overall, Bedfordshire youth
    # offending service (YOS) is rated as ‘Requires improvement’'), before the page 1 statement
    report = tables["reports"][0]
    assert (report["overall_rating"], report["overall_page"], report["score"]) == ("Requires improvement", 3, 14)


def _column_order(text: str, values_first: bool = False, drop: str | None = None,
                  overall_in_row: bool = False) -> str:
    """The Luton ratings page with all labels, then all values (or the other
    way round); with overall_in_row the overall stays 'Overall rating Requires improvement'."""
    start = text.index("Overall rating Requires improvement")
    end = text.index(" Executive summary")
    if overall_in_row:
        start = text.index("\n", start) + 1
    rows = ([] if overall_in_row else [("Overall rating", "Requires improvement")]) + [
        (f"{c} {n}", r) for (c, r), n in zip(LUTON_SUMMARY.items(), [
            "Governance and leadership", "Staff", "Partnerships and services", "Information and facilities",
            "Assessment", "Planning", "Implementation and delivery", "Reviewing", "Assessment", "Planning",
            "Implementation and delivery", "Joint working"])]
    labels = [label for label, _ in rows]
    values = [value for label, value in rows if label != drop]
    block = values + labels if values_first else labels + values
    return text[:start] + "\n".join(block) + "\n" + text[end:]


@pytest.mark.parametrize("values_first, overall_in_row", [(False, False), (True, False), (False, True)])
def test_column_order_page_pairs_when_structure_proves_it(tmp_path, values_first, overall_in_row):
    text = _column_order(LUTON, values_first, overall_in_row=overall_in_row)
    assert ("Overall rating Requires improvement \n1.1 Governance" in text) is overall_in_row
    tables = run(tmp_path, text)
    got = ratings(tables)
    assert {c: r["rating"] for c, r in got.items()} == LUTON_SUMMARY
    assert all(r["rating_source"] == "summary" for r in got.values())
    assert (tables["reports"][0]["overall_rating"], tables["reports"][0]["overall_page"]) == (
        "Requires improvement", 2)
    assert [f for f in tables["findings"] if f["level"] == "source" and f["kind"] != "key_question_conflict"] == []


def test_column_order_page_with_a_value_missing_pairs_nothing(tmp_path):
    tables = run(tmp_path, _column_order(LUTON, drop="2.2 Planning"))
    notes = kinds(tables, "ratings_not_paired")
    assert len(notes) == 13  # the overall and all 12 standards: 12 values for 13 labels
    assert notes[0]["published"].startswith("Requires improvement | Requires improvement | Good")
    got = ratings(tables)
    # summary values are not used; the section and annex (which agree) still give each rating
    assert {c: r["rating"] for c, r in got.items()} == LUTON_SUMMARY
    assert {r["rating_source"] for r in got.values()} == {"section"}
    # the overall comes from the executive summary's prose instead
    report = tables["reports"][0]
    assert (report["overall_rating"], report["overall_page"]) == ("Requires improvement", 3)


def test_section_heading_disagreeing_with_two_sources_is_outvoted(tmp_path):
    # the 2.1 section heading's rating (page 21), not the annex's copy of it
    start = LUTON.index("2.1. Assessment \n")
    head, rest = LUTON[:start], LUTON[start:]
    text = head + rest.replace("parents/carers. \n\nGood \n", "parents/carers. \n\nInadequate \n", 1)
    tables = run(tmp_path, text)
    got = ratings(tables)["2.1"]
    assert (got["rating"], got["rating_source"]) == ("Good", "summary")
    (conflict,) = kinds(tables, "rating_conflict")
    assert (conflict["source_a"], conflict["value_a"], conflict["page_a"]) == ("summary", "Good", 2)
    assert (conflict["source_b"], conflict["value_b"], conflict["page_b"]) == ("section", "Inadequate", 21)
    assert tables["reports"][0]["status"] == "ok"


# ------------------------------------------------- class 1: overall rating

def test_overall_rating_on_the_next_line(tmp_path):
    text = replace_once(LUTON, "Overall rating Requires improvement", "Overall rating\nRequires improvement")
    path = write_report(tmp_path, text)
    assert len(segment(read_document(path)).of_kind("ratings_summary")) == 1
    tables = run(tmp_path, text)
    report = tables["reports"][0]
    assert (report["overall_rating"], report["overall_page"], report["score"]) == ("Requires improvement", 2, 16)
    assert {c: r["rating"] for c, r in ratings(tables).items()} == LUTON_SUMMARY
    assert report["status"] == "ok"


@pytest.mark.parametrize("foreword, rating", [
    ("Overall, Luton YOS was rated as ‘Requires Improvement’.", "Requires improvement"),  # as printed
    ("We have rated Luton Youth Offending Service as ‘Requires \nimprovement’.", "Requires improvement"),
    ("We have rated Luton YOS as 'Good'.", "Good"),
])
def test_overall_from_foreword_when_summary_and_overall_findings_are_gone(tmp_path, foreword, rating):
    text = LUTON[:LUTON.index(" Ratings \n")] + LUTON[LUTON.index(" Executive summary"):]
    text = replace_once(text, "Overall, Luton YOS is rated as: Requires Improvement.", "")
    text = replace_once(text, "Overall, Luton YOS was rated as ‘Requires Improvement’.", foreword)
    report = run(tmp_path, text)["reports"][0]
    assert (report["overall_rating"], report["overall_page"]) == (rating, 1)


def test_overall_sources_that_disagree_raise_a_source_finding(tmp_path):
    text = replace_once(LUTON, "Overall, Luton YOS is rated as: Requires Improvement.",
                        "Overall, Luton YOS is rated as: Good.")
    tables = run(tmp_path, text)
    assert tables["reports"][0]["overall_rating"] == "Requires improvement"  # the summary comes first
    (conflict,) = kinds(tables, "overall_conflict")
    assert (conflict["source_a"], conflict["value_a"], conflict["page_a"]) == ("summary", "Requires improvement", 2)
    assert (conflict["source_b"], conflict["value_b"], conflict["page_b"]) == ("overall_findings", "Good", 3)


# ------------------------------------------------- class 2: cases inspected

def test_cases_in_other_phrasings_with_distractors(tmp_path):
    text = replace_once(LUTON, "We examined 21 court disposals.",
                        "We reviewed 35 cases managed by the YOT which had received a court disposal. "
                        "Of these, 60 per cent of court disposals were referral orders. We interviewed "
                        "12 case managers and surveyed 40 staff.")
    text = replace_once(text, "of a sample of 21 court", "of a sample of 35 court")
    text = replace_once(text, "We examined 15 out-of-court disposals.",
                        "We examined sixteen out-of-court disposals: 19 youth conditional cautions, three "
                        "youth cautions.")
    text = replace_once(text, "disposals and 15 out-of-court disposals", "disposals and 16 out-of-court disposals")
    text = text.replace("We inspected 15 cases managed by the YOS that had received an out-of-court",
                        "We inspected 16 cases managed by the YOS that had received an out-of-court")
    tables = run(tmp_path, text)
    report = tables["reports"][0]
    assert (report["cases_court"], report["cases_out_of_court"], report["cases_resettlement"]) == (35, 16, None)
    assert kinds(tables, "cases_conflict") == []


def test_post_court_cases_in_words(tmp_path):
    text = replace_once(NORTH_SOMERSET, "We inspected eight post-court cases.",
                        "We examined twenty-seven post-court cases.")
    tables = run(tmp_path, text)
    # the methodology annex still prints eight: it comes first, and the disagreement is a finding
    assert tables["reports"][0]["cases_court"] == 8
    (conflict,) = kinds(tables, "cases_conflict")
    assert (conflict["value_a"], conflict["source_b"], conflict["value_b"], conflict["page_b"]) == (
        "8", "introduction", "27", 1)


# ------------------------------------------------- class 6: out-of-range values

def test_key_question_at_150_percent_is_null_and_keeps_numbering(tmp_path):
    tables = run(tmp_path, replace_once(LUTON, "child’s desistance? 95% \n", "child’s desistance? 150% \n"))
    rows = [(r["index"], r["pct_yes"], r["page"]) for r in tables["key_questions"] if r["standard"] == "2.1"]
    assert rows == [(1, None, 21), (2, 71.0, 21), (3, 62.0, 21)]
    (f,) = kinds(tables, "value_out_of_range")
    assert (f["standard"], f["published"], f["page"]) == ("2.1", "150%", 21)
    assert ratings(tables)["2.1"]["lowest_pct"] == 62.0


def test_negative_percent_row_is_kept_and_later_questions_keep_their_numbers(tmp_path):
    tables = run(tmp_path, replace_once(LUTON, "safe? 71% \n", "safe? -5% \n"))
    rows = [(r["index"], r["pct_yes"], r["annex_pct_yes"]) for r in tables["key_questions"] if r["standard"] == "2.1"]
    assert rows == [(1, 95.0, 95.0), (2, None, 71.0), (3, 62.0, 62.0)]
    (f,) = kinds(tables, "value_out_of_range")
    assert (f["standard"], f["published"]) == ("2.1", "-5%")
    assert same_findings(tables, run(tmp_path, LUTON), "key_question_conflict")


def test_yes_above_relevant_is_null(tmp_path):
    text = replace_once(NORTH_SOMERSET, "the child’s desistance? 8 8 \n", "the child’s desistance? 8 10 \n")
    tables = run(tmp_path, text)
    row = next(r for r in tables["key_questions"] if (r["standard"], r["index"]) == ("2.1", 1))
    assert (row["relevant"], row["yes"], row["pct_exact"]) == (None, None, None)
    (f,) = kinds(tables, "value_out_of_range")
    assert f["published"] == "8 10" and "cannot exceed" in f["detail"]


def test_score_above_the_maximum_is_null(tmp_path):
    tables = run(tmp_path, replace_once(LUTON, "Score 16/36", "Score 40/36"))
    report = tables["reports"][0]
    assert report["score"] is None and report["status"] == "partial"
    assert "printed score out of range" in report["missing"]
    (f,) = kinds(tables, "value_out_of_range")
    assert (f["published"], f["page"]) == ("Score 40/36", 2)


# ------------------------------------------------- issue 14: pairing by text

def test_question_without_value_does_not_glue_into_a_false_conflict(tmp_path):
    # 2.1's second question loses its '?' and its 71%: its words run into the third question's row
    text = replace_once(LUTON, "how to keep the child \nsafe? 71% \n", "how to keep the child \nsafe \n")
    tables = run(tmp_path, text)
    rows = [(r["index"], r["source"], r["pct_yes"], r["annex_pct_yes"], r["question"])
            for r in tables["key_questions"] if r["standard"] == "2.1"]
    assert rows == [
        (1, "section", 95.0, 95.0, "Does assessment sufficiently analyse how to support the child's desistance?"),
        (2, "annex", 71.0, None, "Does assessment sufficiently analyse how to keep the child safe?"),
        (3, "section", 62.0, 62.0, "Does assessment sufficiently analyse how to keep other people safe?")]
    assert [f for f in kinds(tables, "key_question_conflict") if f["standard"] == "2.1"] == []


def test_ratings_on_the_line_under_each_label_with_a_legend_below(tmp_path):
    start = LUTON.index("Overall rating Requires improvement")
    end = LUTON.index(" Executive summary")
    page = LUTON[start:end]
    for rating in ("Requires improvement", "Outstanding", "Inadequate", "Good"):
        page = page.replace(f" {rating} \n", f"\n{rating}\n")
    page += "Ratings key\nOutstanding\nGood\nRequires improvement\nInadequate\n"
    tables = run(tmp_path, LUTON[:start] + page + LUTON[end:])
    assert {c: r["rating"] for c, r in ratings(tables).items()} == LUTON_SUMMARY
    assert all(r["rating_source"] == "summary" for r in ratings(tables).values())
    assert tables["reports"][0]["overall_rating"] == "Requires improvement"
    assert kinds(tables, "unrecognised_rating") == kinds(tables, "ratings_not_paired") == []


def test_summary_names_with_a_disposal_qualifier(tmp_path):
    text = replace_once(LUTON, "2.1 Assessment Good", "2.1 Assessment (court disposals) Good")
    text = replace_once(text, "3.1 Assessment Inadequate", "3.1 Assessment (out-of-court disposals)\nInadequate")
    got = ratings(run(tmp_path, text))
    assert {c: r["rating"] for c, r in got.items()} == LUTON_SUMMARY
    assert got["2.1"]["rating_source"] == got["3.1"]["rating_source"] == "summary"


def test_code_name_and_rating_each_on_a_line_of_its_own(tmp_path):
    start = LUTON.index("Overall rating Requires improvement")
    end = LUTON.index(" Executive summary")
    page = re.sub(r"^([1-4]\.[1-4]) +(.*?) +(Requires improvement|Outstanding|Inadequate|Good) *$",
                  r"\1\n\2\n\3", LUTON[start:end], flags=re.M)
    assert "\n2.1\nAssessment\nGood\n" in page
    got = ratings(run(tmp_path, LUTON[:start] + page + LUTON[end:]))
    assert {c: r["rating"] for c, r in got.items()} == LUTON_SUMMARY
    assert {r["rating_source"] for r in got.values()} == {"summary"}


def test_cases_where_there_had_been_a_disposal(tmp_path):
    text = replace_once(LUTON, "We examined 21 court disposals.",
                        "We inspected twenty-one cases where there had been a court disposal.")
    text = replace_once(text, "We examined 15 out-of-court disposals.",
                        "We inspected 15 cases which had been given an out-of-court disposal.")
    text = replace_once(text, "of a sample of 21 court \ndisposals and 15 out-of-court disposals", "of a sample")
    tables = run(tmp_path, text)
    report = tables["reports"][0]
    assert (report["cases_court"], report["cases_out_of_court"]) == (21, 15)
    assert kinds(tables, "cases_conflict") == []


def test_previous_inspection_rating_in_the_foreword_is_not_this_one(tmp_path):
    text = replace_once(LUTON, "Overall, Luton YOS was rated as ‘Requires Improvement’.",
                        "At our last inspection, Luton YOS was rated as ‘Good’. Overall, Luton YOS "
                        "was rated as ‘Requires Improvement’.")
    tables = run(tmp_path, text)
    assert tables["reports"][0]["overall_rating"] == "Requires improvement"
    assert kinds(tables, "overall_conflict") == []


def test_score_printed_out_of(tmp_path):
    report = run(tmp_path, replace_once(LUTON, "Score 16/36", "Score: 16 out of 36"))["reports"][0]
    assert (report["score"], report["score_page"], report["status"]) == (16, 2, "ok")


def test_ratings_printed_above_their_labels_are_not_shifted(tmp_path):
    # each rating on the line ABOVE its label: whether a value belongs to the
    # label above or below cannot be told, so none is paired (never shifted)
    start = LUTON.index("Overall rating Requires improvement")
    end = LUTON.index(" Executive summary")
    page = re.sub(r"^(Overall rating|[1-4]\.[1-4] +.*?) +(Requires improvement|Outstanding|Inadequate|Good) *$",
                  r"\2\n\1", LUTON[start:end], flags=re.M)
    assert page.startswith("Requires improvement\nOverall rating\n")
    tables = run(tmp_path, LUTON[:start] + page + LUTON[end:])
    got = ratings(tables)
    assert len(kinds(tables, "ratings_not_paired")) == 13
    assert {c: r["rating"] for c, r in got.items()} == LUTON_SUMMARY  # from sections and annex
    assert {r["rating_source"] for r in got.values()} == {"section"}


def test_column_order_with_a_line_of_furniture_above_the_labels(tmp_path):
    text = _column_order(LUTON)
    text = replace_once(text, "Overall rating\n1.1 Governance",
                        "Inspection ratings table\nOverall rating\n1.1 Governance")
    got = ratings(run(tmp_path, text))
    assert {c: r["rating"] for c, r in got.items()} == LUTON_SUMMARY
    assert {r["rating_source"] for r in got.values()} == {"summary"}


def test_last_label_followed_by_an_untitled_legend(tmp_path):
    text = replace_once(LUTON, "3.4 Joint working Requires improvement  \n",
                        "3.4 Joint working\nRequires improvement\nOutstanding\nGood\nInadequate\n")
    tables = run(tmp_path, text)
    got = ratings(tables)
    (note,) = kinds(tables, "ratings_not_paired")
    assert note["standard"] == "3.4"
    assert (got["3.4"]["rating"], got["3.4"]["rating_source"]) == ("Requires improvement", "section")
    assert all(got[c]["rating_source"] == "summary" for c in LUTON_SUMMARY if c != "3.4")
