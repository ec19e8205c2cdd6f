"""recommendations: counts, texts and addressees checked against the report
text (and tests/fixtures/expected_values.json), plus synthetic quirks."""
import json
from functools import cache

import pytest

from pipeline.core.document import SegmentedReport
from pipeline.extract.recommendations import addressee_of, extract_recommendations
from pipeline.ingest.read import read_document
from pipeline.ingest.text import normalise_line
from pipeline.segment.sections import segment
from pipeline.core.records import Recommendation
from pipeline.output.store import to_table

from conftest import FIXTURES, text_report  # noqa: E402
EXPECTED = json.loads((FIXTURES / "expected_values.json").read_text())
SAMPLES = ["bedfordshire-yos.txt", "luton-yos.txt", "north-somerset-yos.txt"]


@cache
def recs(name: str) -> list[Recommendation]:
    return extract_recommendations(segment(read_document(FIXTURES / name)))


@pytest.mark.parametrize("source, count", list(zip(SAMPLES, [9, 6, 6])))
def test_counts_match_the_stated_number(source, count):
    rows = recs(source)
    assert len(rows) == count == EXPECTED[source]["recommendations_count_stated"]["value"]
    assert [r.number for r in rows] == list(range(1, count + 1))
    to_table("recommendations", [r.as_row("0" * 16) for r in rows])


@pytest.mark.parametrize("source", SAMPLES)
def test_texts_addressees_and_pages_as_recorded(source):
    rows = {r.number: r for r in recs(source)}
    for want in EXPECTED[source]["recommendations"]:
        got = rows[want["number"]]
        assert got.text == normalise_line(want["text"]), want["number"]
        # addressee: the body addressed, as printed, without "should:"
        assert got.addressee == normalise_line(want["addressee"]).removesuffix(" should:"), want["number"]
        assert got.page == want["page"]


def test_bedfordshire_sub_points_and_three_addressees():
    rows = recs("bedfordshire-yos.txt")
    second = rows[1]
    assert second.addressee == "The Bedfordshire Youth Offending Service Board"
    assert second.text == (
        "ensure that the out-of-court disposal procedures: a. involve consultation with children and parents "
        "in all cases before disposals are agreed b. include a dispute resolution process where there is "
        "disagreement about proposed disposals c. include an evaluation process which identifies where there "
        "is under- or over-representation of different groups in disposals made d. are reviewed at a "
        "scrutiny panel")
    assert second.page == 9
    assert {r.addressee for r in rows} == {
        "The Bedfordshire Youth Offending Service Board",
        "The Bedfordshire Youth Offending Service Manager",
        "The Probation Service Regional Director for the East of England"}


def test_luton_blank_line_inside_a_recommendation():
    last = recs("luton-yos.txt")[-1]
    assert last.number == 6
    assert last.addressee == "Luton Youth Offending Service Management Board"
    assert last.text == ("prioritise Board attendance and ensure each partner understands the role of their "
                            "individual agencies in relation to the children involved with the YOS.")


def test_north_somerset_second_addressee():
    rows = recs("north-somerset-yos.txt")
    assert [r.addressee for r in rows] == ["The North Somerset Youth Offending Service"] * 2 + [
        "The YOS Management Board"] * 4
    assert rows[1].text == "work with the police to remove delays in the out-of-court disposal decision-making process."


# ---------------------------------------------------------------- synthetic

def report(text: str, page_break_at: int | None = None) -> SegmentedReport:
    """The text under a 'Recommendations' heading, read as a text export
    (a form feed before line `page_break_at`)."""
    lines = text.split("\n")
    if page_break_at is not None:
        lines[page_break_at] = "\f" + lines[page_break_at]
    return text_report("Recommendations\n" + "\n".join(lines))


def test_addressee_lines():
    assert addressee_of("The Anytown Youth Justice Service Partnership Board should:") == \
        "The Anytown Youth Justice Service Partnership Board"
    assert addressee_of("The YJS should:") == "The YJS"
    assert addressee_of("The YJS must -") == "The YJS"
    assert addressee_of("The YJS should ensure to:") == "The YJS"
    assert addressee_of("Recommendations for the YOS Partnership Board:") == "the YOS Partnership Board"
    assert addressee_of("should:") == ""  # the name is on the line above
    assert addressee_of("1. ensure that the board should:") is None
    assert addressee_of("we believe the service should: in time") is None
    assert addressee_of("As a result of our inspection findings, we have made six recommendations") is None


def test_wrapped_addressee_restarted_numbering_and_page():
    rows = extract_recommendations(report(
        "As a result of our inspection, we have made three recommendations.\n\n"
        "The Somewhere Youth Justice Service should:\n"
        "1. improve the quality of multi-\nagency planning\n"
        "2. review its\n\npolicies\n\n"
        "The Regional Director of the Probation Service for the South\nWest should:\n"
        "1. provide a probation officer", page_break_at=7))
    assert [(r.number, r.addressee, r.text, r.page) for r in rows] == [
        (1, "The Somewhere Youth Justice Service", "improve the quality of multi-agency planning", 1),
        (2, "The Somewhere Youth Justice Service", "review its policies", 1),
        (1, "The Regional Director of the Probation Service for the South West",
         "provide a probation officer", 2)]


def test_lettered_sub_points_joined():
    rows = extract_recommendations(report(
        "The Board should:\n1. ensure that procedures:\na. involve children\nb. are reviewed\n2. do more"))
    assert [r.text for r in rows] == ["ensure that procedures: a. involve children b. are reviewed", "do more"]


def test_numbers_out_of_sequence_are_text():
    rows = extract_recommendations(report(
        "The Board should:\n1. make sure that children aged\n16 and under are in school\n2. do more"))
    assert [r.text for r in rows] == ["make sure that children aged 16 and under are in school", "do more"]


def test_bullets_when_nothing_is_numbered():
    rows = extract_recommendations(report("The Service should:\n\u2022 improve planning\n\u2022 review cases"))
    assert [(r.number, r.text) for r in rows] == [(1, "improve planning"), (2, "review cases")]


def test_no_section_no_rows():
    empty = report("")
    assert extract_recommendations(empty) == []
    empty.sections = []
    assert extract_recommendations(empty) == []


from hypothesis import given, settings, strategies as st  # noqa: E402

PIECES = ["The Board should:", "1. improve planning", "2. review", "a. involve children", "", "\u2022 do more",
          "England should:", "The Regional Director for the South", "3. ", "should:", "12. x", "cases."]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=30), max_size=20))
def test_never_raises_and_numbers_increase(lines):
    text = "\n".join(lines)
    rows = extract_recommendations(report(text))
    pages = 1 + text.count("\f")  # a form feed in the drawn text starts a page
    for row in rows:
        assert row.number >= 1 and 1 <= row.page <= pages and isinstance(row.text, str)


def test_every_addressee_form_in_the_samples_is_the_body_addressed():
    """Issue 21.5: each "X should:" line of the three samples gives X, with
    its count of recommendations; no addressee ends in a verb or a colon."""
    got = {source: [(r.addressee, r.number) for r in recs(source)] for source in SAMPLES}
    assert got == {
        "bedfordshire-yos.txt": [("The Bedfordshire Youth Offending Service Board", n) for n in range(1, 5)]
        + [("The Bedfordshire Youth Offending Service Manager", n) for n in range(5, 9)]
        + [("The Probation Service Regional Director for the East of England", 9)],
        "luton-yos.txt": [("Luton Youth Offending Service", n) for n in range(1, 6)]
        + [("Luton Youth Offending Service Management Board", 6)],
        "north-somerset-yos.txt": [("The North Somerset Youth Offending Service", n) for n in (1, 2)]
        + [("The YOS Management Board", n) for n in range(3, 7)],
    }
    for rows in got.values():
        assert not any(a.split()[-1].lower() in {"should", "must", "need", "needs"} or a.endswith((":", "-"))
                       for a, _ in rows)


def test_addressee_only_the_verb_on_its_own_line():
    rows = extract_recommendations(report(
        "The Somewhere Youth Justice Service Partnership Board\nshould:\n1. improve planning"))
    assert [(r.addressee, r.text) for r in rows] == [
        ("The Somewhere Youth Justice Service Partnership Board", "improve planning")]
