"""One small fixture per text quirk DESIGN.md names."""
from conftest import text_report
from pipeline.core.document import Line, Section
from pipeline.extract.ratings import heading_rating
from pipeline.extract.summary import parse_summary
from pipeline.ingest.raw import RawLine
from pipeline.ingest.text_rows import parse_value_rows
from pipeline.ingest.text_summary import merge_split_ratings
from pipeline.ingest.text import clean_pages, normalise_line, split_text_pages
from pipeline.core.text import join_wrapped
from pipeline.core.headings import classify_heading
from pipeline.core.text import strip_trailing_marker as strip_marker


def lines(*texts, page=1):
    return [Line(page, t) for t in texts]


def raw(*texts, page=1):
    return [RawLine(page, t) for t in texts]


def summary_of(*texts):
    report = text_report("\n".join(texts))
    return parse_summary(report.of_kind("ratings_summary")[0])


def test_glued_footnote_markers_are_not_part_of_labels_or_values():
    assert strip_marker("Additional caseload data8") == "Additional caseload data"
    assert classify_heading("Additional caseload data8") == ("caseload", {})
    rows = parse_value_rows(raw(
        "Does planning focus sufficiently on keeping the child",
        "safe?22 5 5",
        "Does planning focus sufficiently on keeping other",
        "people safe?23 2 1",
    ))
    assert [(r.label[-20:], r.relevant, r.yes) for r in rows] == [
        ("ping the child safe?", 5, 5), ("g other people safe?", 2, 1)]
    section = Section("standard", "3.2. Planning", lines=lines(
        "3.2. Planning", "Planning is well-informed, analytical and personalised, actively",
        "involving the child and their parents/carers. Good20"), standard="3.2")
    rating = heading_rating(section)
    assert (rating.rating, rating.marker) == ("Good", 20)


def test_rating_split_over_two_lines():
    merged = merge_split_ratings(raw("Requires", "", "improvement", "Our rating13 for planning"))
    assert merged[0].text == "Requires improvement"
    report = text_report("\n".join((
        "2.3. Implementation and delivery", "High-quality, well-focused services are delivered.",
        "Requires", "improvement", "Our rating15 for implementation and delivery is based on")))
    assert heading_rating(report.of_kind("standard")[0]).rating == "Requires improvement"


def test_number_on_a_line_of_its_own_pairs_with_the_wrapped_label():
    rows = parse_value_rows(raw(
        "% yes",
        "Are the YOT's recommendations sufficiently well-informed,",
        "analytical and personalised to the child, supporting joint",
        "decision making?",
        "",
        "53%",
        "Are the YOT's recommendations sufficiently well-informed, analytical and",
        "personalised to the child? This paragraph is prose.",
        "The process for decision-making involves an initial triage",
    ))
    assert len(rows) == 1
    assert rows[0].pct == 53
    assert rows[0].label.startswith("Are the YOT's recommendations") and rows[0].label.endswith("decision making?")


def test_summary_in_column_order_pairs_labels_with_values_in_order():
    parsed = summary_of(
        "Ratings", "Anyshire Youth Justice Service Score 20/36", "Overall rating",
        "1. Organisational delivery", "1.1 Governance and leadership", "1.2 Staff",
        "2. Court disposals", "2.1 Assessment",
        "Good", "Requires", "improvement", "Outstanding", "Inadequate")
    assert parsed.service_line == "Anyshire Youth Justice Service"
    assert parsed.score == 20
    assert parsed.overall == "Good"
    assert {c: r.rating for c, r in parsed.standards.items()} == {
        "1.1": "Requires improvement", "1.2": "Outstanding", "2.1": "Inadequate"}


def test_summary_in_row_order_with_a_wrapped_standard_name():
    parsed = summary_of(
        "Ratings", "Anyshire YOT", "Overall rating Good", "3.3 Implementation and delivery Good",
        "3.4 Out-of-court disposal", "policy and provision Requires improvement",
        "4.1 Resettlement policy and provision Inadequate")
    assert parsed.score is None
    assert parsed.standards["3.4"].rating == "Requires improvement"
    assert parsed.standards["3.4"].name == "Out-of-court disposal policy and provision"
    assert parsed.standards["4.1"].rating == "Inadequate"


def test_running_headers_and_footers_are_removed_and_page_number_kept():
    raw = [["Inspection of youth offending services: Anyshire YOT 7", "Body text one"],
           ["Body text two", "Inspection of youth offending services: Anyshire YOT 8"],
           ["Body three"]]
    pages = clean_pages(raw)
    assert [p.lines for p in pages] == [["Body text one"], ["Body text two"], ["Body three"]]
    assert [p.printed_number for p in pages] == [7, 8, None]


def test_repeated_table_header_mid_page_is_content_not_furniture():
    raw = [["Top", "Heading", "Of the 5 cases inspected: Relevant", "row", "Bottom", "end"] for _ in range(6)]
    assert all("Of the 5 cases inspected: Relevant" in p.lines for p in clean_pages(raw))


def test_curly_quotes_and_en_dashes_are_normalised():
    assert normalise_line("\u2018Requires improvement\u2019 \u2013 10\u201317 years\u00a0") == \
        "'Requires improvement' - 10-17 years"
    assert normalise_line("e\ufb03cient") == "efficient"


def test_hyphenated_line_breaks_are_joined():
    assert join_wrapped(["ensure that the out-of-", "court disposal is well-", "informed"]) == \
        "ensure that the out-of-court disposal is well-informed"
    assert join_wrapped(["Total 10 -", "range"]) == "Total 10 - range"


def test_pages_split_at_form_feeds_or_single_leading_space():
    assert split_text_pages("a\n b\nc\fd") == [["a", " b", "c"], ["d"]]
    assert split_text_pages(" First\nline\n Second page\n  indented\n \nx") == [
        ["First", "line"], ["Second page", "  indented", " ", "x"]]


def test_bullets_are_normalised():
    assert normalise_line("\uf0b7 Board members do not") == "\u2022 Board members do not"


def test_section_that_is_an_image_gives_no_key_questions(tmp_path):
    """A standard whose table came out as an image: no values, never zeros."""
    from pipeline.extract.key_questions import extract_key_questions

    report = text_report("\n".join((
        "2.1. Assessment", "Assessment is well-informed. Good",
        "Our rating for assessment is based on the following key questions:",
        "", "Does assessment sufficiently analyse how to support the child's desistance?",
        "Assessments routinely analysed how to support desistance.")))
    assert [s.kind for s in report.sections] == ["standard"]
    assert extract_key_questions(report) == []


def test_a_note_numbered_next_right_under_a_note_is_a_note_though_its_marker_is_printed_apart():
    # North Somerset's notes 17 and 18 (here the report's first two) as pdftotext -layout prints them
    # mid-table: the first's marker is glued ('rating1'), the second's sits apart from its word in the
    # table header ('inspected: 2 Relevant')
    from pipeline.ingest.footnotes import split_footnotes
    from pipeline.ingest.raw import TextPage
    page = TextPage(1, ["Our rating1 for reviewing is based on the following key questions:",
                        "Of the 8 cases inspected: 2 Relevant cases Number 'Yes'",
                        "Does reviewing focus sufficiently on building upon the child's strengths? 8 8",
                        "1 The rating for the standard is driven by the lowest score on each of the key questions.",
                        "2 We only expect to see evidence of reviewing in cases where there have been changes.",
                        "Does reviewing consider motivation and engagement levels? 8 7"])
    body, notes = split_footnotes([page])
    assert sorted(notes) == [1, 2]
    assert notes[2].text == "We only expect to see evidence of reviewing in cases where there have been changes."
    assert [line.text for line in body][-1] == "Does reviewing consider motivation and engagement levels? 8 7"
