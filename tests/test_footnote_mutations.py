"""Issue 10 class 4: footnotes where page structure is missing never become
facts and are never glued onto question text. Each test mutates a sample
(or builds the shape) to show the class."""
import routes
from conftest import SAMPLES, write_report
from pipeline.core.files import sha256_of
from pipeline.execution.one_file import Options, extract_file
from pipeline.ingest.footnotes import split_footnotes
from pipeline.ingest.raw import TextPage

CITATION = "Youth Justice Board. (2019). First Time Entrants, April to March 2019."


def _doc(lines):
    return [TextPage(1, lines)]


def test_a_note_is_found_by_its_glued_marker_and_sequence_without_rule_or_page():
    body, notes = split_footnotes(_doc([
        "Population information1", "214,109 Total population", f"1 {CITATION}",
        "2 Supplied by YOS and reflecting the caseload at the time of the", "inspection announcement.",
        "28 Total current caseload: community sentences",
    ]))
    assert notes[1].text == CITATION
    # no marker for 2, but it has a data source's shape; its text runs on to the sentence end
    assert notes[2].text.endswith("time of the inspection announcement.")
    assert [ln.text for ln in body] == ["Population information1", "214,109 Total population",
                                      "28 Total current caseload: community sentences"]


def test_a_numbered_fact_out_of_sequence_stays_body():
    body, notes = split_footnotes(_doc(["Caseload1", "1 Office for National Statistics. (2012). Census 2011.",
                                        "1 Total current caseload in custody", "5 Total current caseload on licence"]))
    assert sorted(notes) == [1]
    assert [ln.text for ln in body][1:] == ["1 Total current caseload in custody",
                                            "5 Total current caseload on licence"]


def test_continuous_copy_stores_no_footnote_as_a_fact_or_question(tmp_path):
    for sample in SAMPLES.values():
        path = write_report(tmp_path, routes.continuous(sample.read_text(encoding="utf-8")), sample.name)
        tables = extract_file(str(path), sha256_of(path), Options())
        labels = [f["label"] for f in tables["facts"]]
        assert not [ln for ln in labels if ". (20" in ln or "supplied by" in ln.lower() or "Statistics" in ln], sample
        questions = [k["question"] for k in tables["key_questions"]]
        assert not [q for q in questions if "rating for the standard" in q or not q[:1].isupper()], sample


def test_a_fact_row_numbered_like_the_next_note_is_not_a_note():
    # luton-yos.txt's caseload page, with its notes renumbered so that the fact's
    # value (6) is the next note number and its marker is glued above
    body, notes = split_footnotes(_doc([
        "Caseload information5", f"5 {CITATION}", "Additional caseload data6",
        "28 Total current caseload: community sentences",
        "6 Total current caseload in custody", "5 Total current caseload on licence",
        "6 Supplied by YOS and reflecting the caseload at the time of the inspection announcement.",
    ]))
    assert sorted(notes) == [5, 6] and notes[6].text.startswith("Supplied by YOS")
    assert "6 Total current caseload in custody" in [ln.text for ln in body]


def test_a_source_ending_in_a_year_is_a_note():
    # bedfordshire-yos.txt footnotes 4 and 5: no full stop, a year at the end
    body, notes = split_footnotes(_doc([
        "children in Bedford4 and Central Bedfordshire5.",
        "4 Public Health England Child Health Profile Bedford, 2019",
        "5 Public Health England Child Health Profile Central Bedfordshire, 2019", "Contextual facts"]))
    assert sorted(notes) == [4, 5]
    assert [ln.text for ln in body] == ["children in Bedford4 and Central Bedfordshire5.", "Contextual facts"]


def test_a_table_continued_below_a_footnote_is_not_swallowed_by_it():
    # luton-yos.txt 3.3 (its note 19, renumbered) as a copy with no page marks prints
    # it: the page-foot note between the table's first row and the rest
    body, notes = split_footnotes(_doc([
        "Planning was rated1 and reviewing2 as shown.", "1 The first note.", "2 The second note.",
        "Our rating3 for implementation and delivery is based on the following key questions:", "% yes",
        "Does service delivery effectively support the child's desistance? 80%",
        "3 The rating for the standard is driven by the lowest score on each of the key questions, which is",
        "placed in a rating band.",
        "Does service delivery effectively support the safety of the child? 81%",
        "Does service delivery effectively support the safety of other people? 77%"]))
    assert notes[3].text.endswith("placed in a rating band.")
    assert [ln.text for ln in body][-2:] == ["Does service delivery effectively support the safety of the child? 81%",
                                           "Does service delivery effectively support the safety of other people? 77%"]
