"""Issue 10 class 5: text as other export tools print it. Each test builds
the artefact from a sample's own table (values checked against the text)."""
import pytest

from conftest import text_report
from pipeline.core.document import Line
from pipeline.ingest.raw import RawLine
from pipeline.ingest.text_rows import parse_value_rows
from pipeline.ingest.text_values import split_count_pair


def rows(*texts):
    return parse_value_rows([RawLine(1, t) for t in texts], stop_at_unvalued_question=False)


@pytest.mark.parametrize("digits, cases, pair", [
    ("88", 8, (8, 8)), ("87", 8, (8, 7)), ("75", 8, (7, 5)), ("55", 5, (5, 5)), ("21", 5, (2, 1)),
    ("100", 21, (10, 0)),            # '1|00' has a leading zero
    ("1210", 21, (12, 10)),          # 121 > 21 cases
    ("1210", None, None),            # 12|10 and 121|0: two readings
    ("89", 8, None),                 # 8 < 9: yes cannot exceed relevant
    ("98", 8, None),                 # 9 relevant of 8 cases
])
def test_count_pair_is_split_only_when_one_split_fits(digits, cases, pair):
    assert split_count_pair(digits, cases) == pair


def test_pdftotext_count_pairs_read_as_the_clean_text():
    # north-somerset-yos.txt, 2.1: 'Of the 8 cases inspected' ... '8 8' (pdftotext -layout: '88')
    got = rows("Of the 8 cases inspected: Relevant", "cases", "Number", "'Yes'",
               "Does assessment sufficiently analyse how to support the child's desistance?    88",
               "Does the implementation and delivery of services effectively support the child's",
               "        87",
               "desistance?",
               "Does service delivery effectively support the child's desistance?    1210")
    assert [(r.relevant, r.yes, r.problem is None) for r in got] == [(8, 8, True), (8, 7, True), (None, None, False)]
    assert got[1].label == ("Does the implementation and delivery of services effectively support "
                            "the child's desistance?")
    assert "'1210'" in got[2].problem


def test_no_split_outside_a_table_of_counts():
    got = rows("% yes", "Does assessment sufficiently analyse how to keep the child safe? 71%",
               "Does reviewing focus on the year 2019?")
    assert [(r.pct, r.relevant) for r in got] == [(71.0, None)]


def test_header_printed_on_the_first_row_and_value_between_label_lines():
    # bedfordshire-yos.txt 2.1 through pdftotext -layout
    got = rows("% 'yes' Does assessment sufficiently analyse how to support the child's",
               "                17%", "desistance?",
               "Does assessment sufficiently analyse how to keep the child safe?      50%")
    assert [(r.label, r.pct) for r in got] == [
        ("Does assessment sufficiently analyse how to support the child's desistance?", 17.0),
        ("Does assessment sufficiently analyse how to keep the child safe?", 50.0)]


def test_an_unreadable_count_pair_is_null_with_a_finding_and_keeps_numbering(tmp_path, extracted):
    from conftest import SAMPLES, write_report
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file

    text = SAMPLES["north_somerset"].read_text(encoding="utf-8")
    printed = "the child’s desistance? 8 8"  # 2.1, first key question, of 8 cases
    assert text.count(printed) >= 1
    path = write_report(tmp_path, text.replace(printed, "the child’s desistance? 98", 1))
    tables = extract_file(str(path), sha256_of(path), Options())
    kq = {(r["standard"], r["index"]): r for r in tables["key_questions"]}
    clean = {(r["standard"], r["index"]): r for r in extracted["north_somerset"]["key_questions"]}
    assert (kq[("2.1", 1)]["relevant"], kq[("2.1", 1)]["yes"]) == (None, None)
    assert "'98'" in kq[("2.1", 1)]["value_problem"]
    pair = lambda row: (row["relevant"], row["yes"])  # noqa: E731
    assert pair(kq[("2.1", 2)]) == pair(clean[("2.1", 2)]) == (8, 8)
    assert any(f["kind"] == "unreadable_value" and f["standard"] == "2.1" for f in tables["findings"])
    assert tables["reports"][0]["status"] == "partial"


def _section(*texts):
    from pipeline.core.document import Section
    return Section("standard", "2.1. Assessment", lines=[Line(5, t) for t in ("2.1. Assessment",) + texts],
                   domain="2", standard="2.1")


def test_raw_mode_rating_printed_after_its_block_is_the_heading_rating():
    from pipeline.extract.ratings import heading_rating
    report = text_report("\n".join(("Annexe 2: Inspection results", "2.1. Assessment",
                                    "Assessment is well-informed, analytical and personalised.",
                                    "2.1.1. Does assessment sufficiently analyse how to support the child's desistance? 95%",
                                    "2.1.2. Does assessment sufficiently analyse how to keep the child safe? 71%",
                                    "Requires", "improvement")))
    assert heading_rating(report.of_kind("annex_standard")[0]).rating == "Requires improvement"


def test_raw_mode_rating_glued_before_a_question():
    from pipeline.extract.key_questions import extract_key_questions
    from pipeline.extract.ratings import heading_rating
    report = text_report("\n".join(("2.1. Assessment","Assessment is well-informed, analytical and personalised.",
                       "Our rating for assessment is based on the following key questions:", "% yes",
                       "Inadequate Does assessment sufficiently analyse how to support the child's desistance? 87%",
                       "Does assessment sufficiently analyse how to keep the child safe? 67%")))
    assert heading_rating(report.of_kind("standard")[0]).rating == "Inadequate"
    assert [(r.question, r.pct_yes) for r in extract_key_questions(report)] == [
        ("Does assessment sufficiently analyse how to support the child's desistance?", 87.0),
        ("Does assessment sufficiently analyse how to keep the child safe?", 67.0)]


def test_a_rating_in_a_sentence_is_not_a_heading_rating():
    from pipeline.extract.ratings import heading_rating
    section = _section("Our rating for assessment is based on the following key questions:",
                       "Overall, assessment was rated Good by inspectors.")
    assert heading_rating(section) is None


def test_cell_wrapped_rating_beside_a_wrapped_label_joins():
    from pipeline.ingest.text_summary import merge_split_ratings
    got = merge_split_ratings([RawLine(2, t) for t in (
        "3.3 Implementation and delivery Good", "3.4 Out-of-court disposal Requires",
        "policy and provision improvement", "4. Resettlement")])
    assert [ln.text for ln in got] == ["3.3 Implementation and delivery Good",
                                     "3.4 Out-of-court disposal Requires improvement",
                                     "policy and provision", "4. Resettlement"]


def test_pdftotext_layout_two_columns_are_read_one_after_the_other():
    from pipeline.ingest.text_layout import unfold_columns
    # luton-yos.txt contextual facts as pdftotext -layout prints the two-column page
    pad = lambda left, right="": f"{left:<67}{right}".rstrip()  # noqa: E731
    page = [pad("Contextual facts"), "",
            pad("Population information6", "Luton YOS 38% 60% 2%"), "",
            pad("214,109 Total population Luton", "National average 71% 26% 3%"), "",
            pad("22,776 Total youth population (10-17", "Gender Male Female"),
            pad("years) in Luton"),
            pad("", "Luton YOS 90% 10%"),
            pad("12,076 Total black and minority ethnic"),
            pad("youth population Luton", "National average 84% 16%"), "",
            "Inspection of youth offending services: Luton".ljust(110) + "9"]
    got = [ln.strip() for ln in unfold_columns(page) if ln.strip()]
    assert got == ["Contextual facts", "Population information6", "214,109 Total population Luton",
                   "22,776 Total youth population (10-17", "years) in Luton",
                   "12,076 Total black and minority ethnic", "youth population Luton",
                   "Luton YOS 38% 60% 2%", "National average 71% 26% 3%", "Gender Male Female",
                   "Luton YOS 90% 10%", "National average 84% 16%",
                   "Inspection of youth offending services: Luton".ljust(110) + "9"]


def test_a_table_with_a_value_column_is_not_two_columns():
    from pipeline.ingest.text_layout import unfold_columns
    table = [("Does assessment sufficiently analyse how to support desistance?", "95%"),
             ("Does assessment sufficiently analyse how to keep the child safe?", "71%"),
             ("Does assessment sufficiently analyse how to keep other people safe?", "62%")]
    page = [f"{q:<110}{v}" for q, v in table]
    assert unfold_columns(page) == page


def test_text_without_marks_is_cut_at_running_lines_counting_up():
    from pipeline.ingest.text import split_text_pages
    title = "Inspection of youth offending services: Luton"
    text = "\n".join([title, f"{title} 1", "Foreword", "text", title, f"{title} 2", "Ratings",
                      f"quoting {title} 10", title, f"{title} 3", "Executive summary"])
    pages = split_text_pages(text)
    assert [p[2] for p in pages] == ["Foreword", "Ratings", "Executive summary"]


def test_a_word_broken_by_a_soft_hyphen_is_put_back_together():
    from pipeline.ingest.text import clean_pages
    page = clean_pages([["Does the implementation and delivery of services effec\u00ad",
                         "tively support the child's desistance? 85%", "Requ\u00ad", "ires improvement"]])[0]
    assert page.lines == ["Does the implementation and delivery of services effectively",
                          "support the child's desistance? 85%", "Requires", "improvement"]


def test_route_handling_is_linear_on_long_adversarial_lines():
    """A generous bound against catastrophic backtracking, not a speed test."""
    import time

    from pipeline.ingest.text import clean_pages, split_text_pages
    from pipeline.ingest.text_layout import unfold_columns
    from pipeline.core.text import footnote_markers, strip_trailing_marker
    long_lines = [" " * 200_000 + "x", "a " * 100_000 + "?", "Does it? " + " " * 100_000 + "1",
                  "Inspection of youth offending services" * 5000, "word1" * 40_000, "8" * 200_000]
    start = time.perf_counter()
    for line in long_lines:
        unfold_columns([line, line[:100], "x" * 80])
        rows("Of the 8 cases inspected:", line)
        footnote_markers(line)
        strip_trailing_marker(line)
        split_text_pages("\n".join([line] * 3))
    clean_pages([long_lines])
    assert time.perf_counter() - start < 20


def test_marker_beside_a_glued_pair_is_not_read_as_relevant():
    # north-somerset-yos.txt 2.2: 'safe?12 7 7' (marker 12, counts 7 7); pdftotext -layout: 'safe?12   77'
    got = rows("Of the 8 cases inspected: Relevant", "Does planning focus sufficiently on keeping the child",
               "safe?12                       77", "Does planning focus sufficiently on keeping other people",
               "safe?13 9 12")
    assert [(r.relevant, r.yes) for r in got] == [(7, 7), (None, None)]
    assert got[0].label == "Does planning focus sufficiently on keeping the child safe?"
    assert "'9 12'" in got[1].problem


def test_a_table_with_value_columns_mid_page_is_read_across_its_rows(tmp_path):
    """A facts table whose value columns start mid-page is not two columns
    of text: each row stays one line, in the PDF and in pdftotext -layout."""
    from fpdf import FPDF

    from pipeline.ingest.text_layout import unfold_columns
    from pipeline.ingest.pdf import read_pdf_pages
    rows_ = [("Race/ethnicity", "White", "Black", "Unknown"), ("Bedfordshire YOS", "65%", "33%", "2%"),
             ("Local area age 10-17", "85%", "15%", "0%"), ("National average", "71%", "26%", "3%")]
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(56, 60, "Contextual facts")
    for i, row in enumerate(rows_):
        for x, cell in zip((56, 270, 340, 410), row, strict=True):
            pdf.text(x, 90 + 16 * i, cell)
    path = tmp_path / "table.pdf"
    pdf.output(str(path))
    lines = read_pdf_pages(path)[0]
    assert lines[1:] == [" ".join(r) for r in rows_]
    layout = [f"{r[0]:<44}{r[1]:<12}{r[2]:<12}{r[3]}".ljust(100) + ("" if i else "x") for i, r in enumerate(rows_)]
    assert unfold_columns(layout) == layout
