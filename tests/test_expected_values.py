"""The extraction against tests/fixtures/expected_values.json: values a
second person recorded by reading each report (not produced by this code)."""
import json
from pathlib import Path

import pytest

from pipeline.ingest.text import normalise_line

EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "expected_values.json").read_text())
NAMES = {"bedfordshire-yos.txt": "bedfordshire", "luton-yos.txt": "luton",
         "north-somerset-yos.txt": "north_somerset"}
CASES = [(f, NAMES[f]) for f in EXPECTED]


@pytest.mark.parametrize("source, name", CASES)
def test_report_facts(extracted, source, name):
    want = EXPECTED[source]["report"]
    (row,) = extracted[name]["reports"]
    assert row["service_name"] == want["service_name"]
    assert row["framework"] == want["framework"]
    assert row["overall_rating"] == want["overall_rating"]
    assert row["score"] == want["score_printed"]
    assert row["pages"] == want["pages_total"]
    for kind in ("court", "out_of_court", "resettlement"):
        case = EXPECTED[source]["cases"].get(kind) or {}
        assert row[f"cases_{kind}"] == case.get("value"), kind


@pytest.mark.parametrize("source, name", CASES)
def test_standards(extracted, source, name):
    ratings = {r["standard"]: r for r in extracted[name]["ratings"]}
    for code, want in EXPECTED[source]["standards"].items():
        got = ratings[code]
        assert got["rating"] == want["summary_rating"], code
        if want.get("section_page") is not None:
            assert got["section_page"] == want["section_page"], code
        if want.get("quantitative"):
            assert got["rating_recomputed"] == want["recomputed"], code


@pytest.mark.parametrize("source, name", CASES)
def test_key_questions(extracted, source, name):
    rows = {(r["standard"], r["index"]): r for r in extracted[name]["key_questions"]}
    checked = 0
    for code, want in EXPECTED[source]["standards"].items():
        for kq in want.get("key_questions") or []:
            got = rows[(code, kq["index"])]
            assert got["pct_yes"] == kq.get("pct"), (code, kq["index"])
            assert got["relevant"] == kq.get("relevant") and got["yes"] == kq.get("yes"), (code, kq["index"])
            assert got["page"] == kq["page"], (code, kq["index"])
            assert got["question"] == normalise_line(kq["question"]), (code, kq["index"])
            if kq.get("annex_pct") is not None:
                assert (got["annex_pct_yes"], got["annex_page"]) == (kq["annex_pct"], kq["annex_page"])
            checked += 1
    assert checked >= 20


@pytest.mark.parametrize("source, name", CASES)
def test_divergences_and_explanation_pages(extracted, source, name):
    want = {code: s for code, s in EXPECTED[source]["standards"].items() if s.get("differs")}
    got = {f["standard"]: f for f in extracted[name]["findings"] if f["kind"] == "rating_differs_from_rule"}
    assert set(got) == set(want)
    for code, f in got.items():
        assert f["explained"]
        pages = {want[code].get("explanation_page")} | {
            e.get("page") for e in want[code].get("explanations", []) if isinstance(e, dict)}
        assert f["explanation_page"] in pages


# ------------------------------------------------------------- conflicts
# Every place a second reader found the report disagreeing with itself
# (expected_values.json "conflicts") is asserted: what the pipeline stores
# there, and the finding it raises.

CONFLICTS = [(f, NAMES[f], c) for f in EXPECTED for c in EXPECTED[f]["conflicts"]]


def _quoted(text: str) -> str:
    """The first text the note quotes (straight or curly quotes)."""
    import re
    return normalise_line(re.search(r'["“]([^"”]+)["”]', text).group(1))


@pytest.mark.parametrize("source, name, conflict", CONFLICTS,
                         ids=[f"{n}-{i}-{c['kind']}" for i, (_, n, c) in enumerate(CONFLICTS)])
def test_every_recorded_conflict(extracted, source, name, conflict):
    from rapidfuzz import fuzz

    from pipeline.core import rules

    tables = extracted[name]
    kind, code = conflict["kind"], conflict.get("standard")
    kqs = {(k["standard"], k["index"]): k for k in tables["key_questions"]}
    rating = next((r for r in tables["ratings"] if r["standard"] == code), None)
    found = [f for f in tables["findings"] if f.get("standard") == code]
    if kind == "none_section_vs_annex":  # nothing to compare: no conflict may be claimed
        assert [f for f in tables["findings"] if f["kind"] == "key_question_conflict"] == []
    elif kind == "key_question_value":
        kq = kqs[(code, conflict["key_question"])]
        assert (kq["pct_yes"], kq["page"], kq["annex_pct_yes"]) == \
            (conflict["section_pct"], conflict["section_page"], conflict["annex_pct"])
        assert any(f["kind"] == "key_question_conflict" and str(conflict["annex_pct"]) in f["detail"] for f in found)
    elif kind == "footnote_vs_table":  # the table's values stand (section first), the annex's differ: findings
        section = [k["pct_yes"] for k in tables["key_questions"] if k["standard"] == code]
        assert rating["lowest_pct"] == min(section)
        assert sum(f["kind"] == "key_question_conflict" for f in found) >= 1
    elif kind == "recomputed_rating_depends_on_source":
        annex = [k["annex_pct_yes"] for k in tables["key_questions"] if k["standard"] == code]
        assert (rating["rating"], rating["rating_recomputed"]) == \
            (conflict["published"], conflict["recomputed_from_section"])
        assert rules.band_for_pct(min(annex)) == conflict["recomputed_from_annex"]
    elif kind == "misplaced_footnote":  # the marker glued to the annex rating is not part of it
        assert rating["annex_rating"] == conflict["annex_rating_printed"].rstrip("0123456789")
        assert not any(f["kind"] == "rating_differs_from_rule" for f in found)
    elif kind == "key_question_count":  # the section's one question, and the annex's second
        assert [k["source"] for k in tables["key_questions"] if k["standard"] == code] == ["section", "annex"]
    elif kind == "question_text":  # the section table's wording is stored
        section = normalise_line(conflict["section"]) if "section" in conflict else _quoted(conflict["note"])
        stored = kqs[(code, conflict["key_question"])]["question"]
        assert fuzz.ratio(stored, section.replace("...", "").strip()) >= 90 or section.replace("... ", "") in stored
    elif kind == "band_text":  # the methodology's bands (50-64), not the footnote's '50 to 65'
        assert rules.band_for_pct(65) == "Good" and rating["rating_recomputed"] == rules.band_for_pct(
            rating["lowest_pct"])
    elif kind == "published_vs_rule":
        (f,) = [f for f in found if f["kind"] == "rating_differs_from_rule"]
        assert (f["published"], f["recomputed"], f["explained"], f["page"]) == \
            (conflict["published"], conflict["recomputed"], True, conflict["explanation_page"])
    elif kind == "duplicate_prompt_label":  # printed twice, kept twice, in printed order
        labels = [p["label"] for p in tables["prompts"] if (p["standard"], p["key_question"], p["page"])
                  == (code, conflict["key_question"], conflict["page"])]
        assert len(labels) == len(set(labels)) + 1 and labels == sorted(labels)
    elif kind == "sample_text":  # the table's counts are stored, not the prose's
        import re
        relevant, yes = map(int, re.search(r"relevant (\d+) / yes (\d+)", conflict["note"]).groups())
        assert (kqs[(code, 3)]["relevant"], kqs[(code, 3)]["yes"]) == (relevant, yes)
    elif kind == "methodology_text":  # the score is on the printed 36-point scale, not the prose's 30
        (report,) = tables["reports"]
        assert rules.score_max() == 36 and report["score"] == EXPECTED[source]["report"]["score_printed"]
    else:
        raise AssertionError(f"no assertion for conflict kind {kind!r}")
