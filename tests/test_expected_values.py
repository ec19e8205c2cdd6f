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
