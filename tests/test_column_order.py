"""Tables a text tool printed column by column (pdfminer: a page's
questions, then its values, or the values first), values printed beside a
middle line of their wrapped question (a vertically centred cell), page
numbers alone on a line, and demographic rows cut off from their header on
a two-column page. Values are North Somerset's and Luton's, checked against
tests/fixtures/*.txt; the layouts are the ones pdfminer and pdftotext give
of tests/fixtures/render_inspectorate.py's PDF."""
from pipeline.extract.facts import read_facts
from pipeline.ingest.text_rows import parse_value_rows
from pipeline.ingest.text import clean_pages, split_text_pages
from pipeline.ingest.columns import rows_restored
from pipeline.ingest.raw import RawLine, TextPage
from pipeline.core.headings import classify_heading
from pipeline.segment.sections import segment

from conftest import SAMPLES
import routes
from test_facts import report


def restored(text: str) -> list[str]:
    lines = [RawLine(1, t) for t in text.split("\n")]
    return [line.text for line in rows_restored(lines, lambda t: classify_heading(t) is not None)]


# North Somerset 2.2, key question 2 ('Of the 7 cases with factors related to keeping the child safe'),
# as pdfminer prints it: the group heading, the questions, the header, then the values
PLANNING_SAFE = """Does planning focus sufficiently on keeping the child safe?
Of the 7 cases with factors related to keeping the
child safe:
Does planning promote the safety and wellbeing of the child, sufficiently addressing
risks?
Does planning involve other agencies where appropriate, and is there sufficient
alignment with other plans (for example, child protection or care plans) concerning
the child?
Does planning set out the necessary controls and interventions to promote the safety
and wellbeing of the child?
Does planning set out necessary and effective contingency arrangements to manage
those risks that have been identified?
Relevant
cases
Number
'Yes'
7 7
7 7
7 6
7 5"""


def test_questions_then_values_are_paired_in_order():
    text = restored(PLANNING_SAFE)
    assert text[:3] == PLANNING_SAFE.split("\n")[:3]  # the heading and its cases sentence stay as printed
    assert "risks? 7 7" in text and "the child? 7 7" in text
    assert "and wellbeing of the child? 7 6" in text and "those risks that have been identified? 7 5" in text
    assert not any(t in ("7 7", "7 6", "7 5", "Relevant", "'Yes'") for t in text)
    rows = parse_value_rows([RawLine(1, t) for t in text[3:]], cases=7)
    assert [(r.relevant, r.yes) for r in rows] == [(7, 7), (7, 7), (7, 6), (7, 5)]


def test_values_printed_before_their_questions_are_paired_too():
    lines = PLANNING_SAFE.split("\n")
    values_first = "\n".join(lines[:3] + lines[-8:] + lines[3:-8])
    text = restored(values_first)
    assert "risks? 7 7" in text and "those risks that have been identified? 7 5" in text


def test_a_count_that_does_not_match_pairs_nothing():
    one_value_short = PLANNING_SAFE.rsplit("\n", 1)[0]
    assert restored(one_value_short) == one_value_short.split("\n")


def test_values_between_the_lines_of_a_question_are_left_to_the_row_reader():
    # pdftotext -layout: the value sits beside the middle line of its wrapped question
    text = ("Is sufficient attention given to understanding the child's levels of maturity,\n8 8\n"
            "ability and motivation to change?\nDoes assessment focus on the child's strengths?\n8 8")
    assert restored(text) == text.split("\n")


def test_a_value_beside_a_middle_line_of_its_question_is_that_questions():
    """North Somerset 2.1 prompt e: 8 relevant, 8 yes; the value is centred on the second of three lines."""
    for printed in ("8 8", "88"):  # a PDF's cells; pdftotext -layout runs the pair together
        lines = [RawLine(17, t) for t in (
            "Is sufficient attention given to understanding the child's levels of maturity,",
            f"ability and motivation to change, and their likelihood of engaging with the {printed}",
            "court disposal?",
            "Does assessment give sufficient attention to the needs and wishes of the",
            "victim/s, and opportunities for restorative justice? 6 6")]
        rows = parse_value_rows(lines, cases=8)
        assert [(r.relevant, r.yes) for r in rows] == [(8, 8), (6, 6)]
        assert rows[0].label.endswith("likelihood of engaging with the court disposal?")


def test_a_footnotes_wrapped_line_is_no_annex_heading():
    assert classify_heading("Annexe 1 for a more detailed explanation.") is None
    assert classify_heading("Annexe 1: Methodology") == ("annex_methodology", {})
    assert classify_heading("Annexe 2 – Inspection results") == ("annex_results", {})
    assert classify_heading("Annex 3 - Glossary") == ("annex_other", {})


def test_page_numbers_alone_on_a_line_count_up_and_are_dropped():
    pages = [["Inspection of youth offending services: Anytown", f"Body text of page {n}.", "", str(n + 4)]
             for n in range(1, 7)]
    pages[2][1] = "27"  # a lone figure in the body is a value, not a page number
    cleaned = clean_pages(pages)
    assert [p.printed_number for p in cleaned] == [5, 6, 7, 8, 9, 10]
    assert all(str(p.printed_number) not in p.lines for p in cleaned)
    assert "27" in cleaned[2].lines


def test_a_lone_figure_at_page_edges_without_a_sequence_stays():
    pages = [["Some text.", "12"], ["Other text.", "40"], ["More text.", "7"], ["Last.", "3"]]
    assert [p.lines[-1] for p in clean_pages(pages)] == ["12", "40", "7", "3"]


def test_one_space_page_starts_are_not_trusted_when_they_cut_tiny_pages():
    # pypdf indents a table's header cells by one space: ' Number' opens no page
    text = "\n".join(["Of the 8 cases inspected: Relevant", "cases", " Number", "'Yes'",
                      "Does assessment ...? 8 8", " Relevant", "cases", " Number", "'Yes'", "Question? 7 7"] * 3)
    assert len(split_text_pages(text)) == 1
    paged = "\n".join(f" Page {n} heading\n" + "\n".join(f"line {k}" for k in range(10)) for n in range(5))
    assert len(split_text_pages(paged)) == 5


# ---------------------------------------------------------------- demographic rows cut off from their header

LUTON_TWO_COLUMNS = """Population information6
Luton YOS 38% 60% 2%
214,109 Total population Luton
National average 71% 26% 3%
22,776 Total youth population (10-17
years) in Luton
Gender Male Female
Luton YOS 90% 10%
National average 84% 16%
Caseload information7
Age 10-14 15-17
Luton YOS 14% 86%
184 First-time entrant rate per 100,000 in
Luton YOS
National average 24% 76%
32.5% Reoffending rate for Luton YOS
Race/ethnicity White Black and
minority ethnic Unknown
39.2% Reoffending rate in England and
Wales"""


def cells(rows):
    return {(r.name, r.qualifier): r.value for r in rows if r.group == "demographics"}


def test_rows_before_their_header_go_to_the_one_header_left_without_rows():
    """Luton's facts page as pdfminer prints it (checked against luton-yos.txt)."""
    rows, notes = read_facts(report(LUTON_TWO_COLUMNS, notes=[6, 7]))
    got = cells(rows)
    assert got[("ethnicity_white", "Luton YOS")] == 38 and got[("ethnicity_unknown", "National average")] == 3
    assert got[("age_10_14", "National average")] == 24 and got[("age_15_17", "National average")] == 76
    assert got[("gender_male", "Luton YOS")] == 90
    assert not notes
    population = [r for r in rows if r.name == "total_population"]
    assert [r.value for r in population] == [214109]


def test_rows_no_header_can_take_are_reported_not_stored():
    # two headers without rows: which one the rows belong to cannot be told
    text = LUTON_TWO_COLUMNS.replace("Gender Male Female\nLuton YOS 90% 10%\nNational average 84% 16%",
                                     "Gender Male Female")
    rows, notes = read_facts(report(text, notes=[6, 7]))
    assert not any(r.name.startswith(("ethnicity", "gender")) for r in rows)
    assert {n.printed for n in notes} >= {"Luton YOS 38% 60% 2%", "National average 71% 26% 3%"}
    assert all(n.kind == "unreadable_value" for n in notes)


def test_a_row_with_more_figures_than_its_table_has_columns_ends_the_table():
    text = "Age 10-14 15-17\nAnytown YOS 12% 88%\nNational average 22% 78%\nAnytown YOS 65% 33% 2%\nLocal area 85% 15%"
    rows, notes = read_facts(report(text))
    assert cells(rows) == {("age_10_14", "Anytown YOS"): 12, ("age_15_17", "Anytown YOS"): 88,
                           ("age_10_14", "National average"): 22, ("age_15_17", "National average"): 78}
    assert [n.printed for n in notes] == ["Anytown YOS 65% 33% 2%", "Local area 85% 15%"]


def test_pdfminer_text_of_north_somerset_reads_its_column_ordered_tables(route_folder, render):
    """North Somerset 2.2 key question 2's prompts (7 7, 7 7, 7 6, 7 5) print
    before their questions in pdfminer's text; 2.1's prompt table runs over a
    page break; Luton's 2.2 rating sits on a page whose number pdfminer prints alone."""
    from pipeline.ingest.read import read_document
    from pipeline.extract import extract_all
    path = routes.derive("pdfminer_text", SAMPLES["north_somerset"], route_folder, render)
    extraction = extract_all(segment(read_document(path)))
    planning_safe = [(p.label, p.relevant, p.yes) for p in extraction.prompts
                     if p.standard == "2.2" and p.key_question == 2]
    assert planning_safe == [("a", 7, 7), ("b", 7, 7), ("c", 7, 6), ("d", 7, 5)]
    assessment_desistance = [(p.relevant, p.yes) for p in extraction.prompts
                             if p.standard == "2.1" and p.key_question == 1]
    assert assessment_desistance == [(8, 8), (8, 8), (8, 8), (7, 7), (8, 8), (6, 6), (8, 6)]
    from pipeline.core.files import sha256_of
    from pipeline.execution.one_file import Options, extract_file
    luton = routes.derive("pdfminer_text", SAMPLES["luton"], route_folder, render)
    ratings = {r["standard"]: r["rating"] for r in extract_file(str(luton), sha256_of(luton), Options())["ratings"]}
    assert ratings["2.2"] == "Inadequate"


def test_a_lone_value_away_from_a_stray_question_is_not_its():
    # a value-first fact ('37.8%' above its label) on a page where a sentence ended with a question
    text = "Why does this matter?\nThe service has improved since then.\n37.8%\nReoffending rate in Anytown YOS"
    assert restored(text) == text.split("\n")
    # under its column's header, after prose pdfminer printed between (North Somerset 3.4 key question 1)
    text = ("Are the YOT's recommendations sufficiently well-informed, analytical and\n"
            "personalised to the child, supporting joint decision making?\n"
            "Does the YOT work effectively with the police in\nimplementing the out-of-court disposal?29 3 3\n"
            "The YOS contributed effectively to out-of-court disposal decisions.\nRelevant\ncases\nNumber\n'Yes'\n5 5")
    assert "personalised to the child, supporting joint decision making? 5 5" in restored(text)


# ---------------------------------------------------------------- aligned text of Word and browser PDFs

def test_a_space_aligned_tables_wrapped_cells_join_their_row():
    from pipeline.ingest.text_layout import join_wrapped_cells
    # North Somerset's race/ethnicity header as pdftotext -layout prints a browser PDF of it
    header = [" Race/ethnicity                     White             Black and         Unknown",
              "                                                      minority",
              "                                                      ethnic",
              " North Somerset YOS                     84%                3%              13%"]
    joined = join_wrapped_cells(header)
    assert joined[0].split() == ["Race/ethnicity", "White", "Black", "and", "minority", "ethnic", "Unknown"]
    assert joined[1] == header[3]
    # a question whose value sits beside its first line (North Somerset 2.1 key question 1, 8 relevant, 8 yes)
    row = [" Does assessment sufficiently analyse how to support the child's      8      8", " desistance?"]
    assert join_wrapped_cells(row)[0].split()[-3:] == ["desistance?", "8", "8"]
    # never: after a finished question, into a label one space from its value, or from a lettered row
    for kept in ([" Does assessment focus on the strengths?     88%", " where applicable, does ..."],
                 ["Does planning take sufficient account of the diversity 8          8",
                  "and wider familial and social context of the child?"],
                 ["  factors?                       67%", "  f) Does assessment analyse the barriers"]):
        assert join_wrapped_cells(kept) == kept


def test_a_note_whose_number_stands_above_its_text_is_a_footnote():
    # LibreOffice's PDF through pdftotext -raw: Bedfordshire's notes (there 6 and 7), below the facts they source
    lines = ["Population information1", "117 First-time entrant rate per 100,000 in Bedfordshire YOS2",
             "1", "Office for National Statistics. (2021). UK population estimates, mid-2020.",
             "2", "Youth Justice Board. (2021). First-time entrants, January to December 2020.",
             "Caseload information"]
    from pipeline.ingest.footnotes import split_footnotes
    body, notes = split_footnotes([TextPage(1, lines)])
    assert notes[1].text.startswith("Office for National Statistics") and notes[2].text.endswith("2020.")
    assert [line.text for line in body] == [lines[0], lines[1], lines[-1]]


def test_a_column_of_values_pairs_only_with_as_many_labels():
    # Luton's facts page as pdfminer prints the Word table: the Female column's two values, then the
    # four first-time-entrant and reoffending figures, then only those four labels: nothing pairs
    text = ("Male\n90%\n84%\nFemale\n10%\n16%\n184\n222\n32.5%\n39.2%\n"
            "First-time entrant rate per 100,000 in Luton YOS6\nFirst-time entrant rate per 100,000 in England and Wales6\n"
            "Reoffending rate for Luton YOS7\nReoffending rate in England and Wales7")
    rows, notes = read_facts(report(text, notes=[6, 7]))
    assert rows == []
    assert sorted(n.printed for n in notes) == sorted(["90%", "84%", "10%", "16%", "184", "222", "32.5%", "39.2%"])
    # four values, then four labels: each its own (Luton's first-time entrant and reoffending figures)
    rows, notes = read_facts(report(text.split("Female\n10%\n16%\n", 1)[1], notes=[6, 7]))
    assert [(r.name, r.value) for r in rows] == [("first_time_entrant_rate", 184), ("first_time_entrant_rate", 222),
                                                 ("reoffending_rate", 32.5), ("reoffending_rate", 39.2)]
    assert not notes


def test_a_figure_cut_by_its_cells_edge_is_reported_not_read():
    # Luton's key data as pypdf prints LibreOffice's narrow cell: '£1,935,408' cut after '40'
    text = "Total spend in previous financial year – 2018/2019 £1,935,40\n8 (YJB Good Practice Grant £341,351)"
    rows, notes = read_facts(report(text))
    assert not any(r.value in (193540, 8) for r in rows)
    assert "£1,935,40" in [n.printed for n in notes]


def test_prompts_tied_to_no_key_question_are_a_finding():
    from pipeline.core.records import Prompt
    from pipeline.validate.standard import checked_prompts
    from pipeline.validate.findings import Findings
    prompts = [Prompt(standard="2.4", key_question=None, label="a", prompt="Does reviewing ...?", page=24,
                      source="section", relevant=7, yes=5),
               Prompt(standard="2.4", key_question=1, label="a", prompt="Does reviewing ...?", page=24,
                      source="section", relevant=8, yes=7)]
    found = Findings("0123456789abcdef")
    checked_prompts(prompts, {}, found)
    assert [f["kind"] for f in found.rows] == ["unmatched_prompts"]
    assert found.missing == ["2.4: prompts not tied to a key question"]
