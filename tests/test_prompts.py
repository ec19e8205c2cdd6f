"""prompts: sub-questions from the annex (Bedfordshire) and from the count
tables in the standard sections (North Somerset), with key questions written
out by hand from the report text."""
import json
from functools import cache


from pipeline.core.document import SegmentedReport
from pipeline.extract.prompts import extract_prompts, match_key_question
from pipeline.ingest.read import read_document
from pipeline.ingest.text import normalise_line
from pipeline.core.records import KeyQuestion, Prompt
from pipeline.segment.sections import segment
from pipeline.output.store import to_table

from conftest import FIXTURES, text_report  # noqa: E402
EXPECTED = json.loads((FIXTURES / "expected_values.json").read_text())

ASSESSMENT = ["Does assessment sufficiently analyse how to support the child's desistance?",
              "Does assessment sufficiently analyse how to keep the child safe?",
              "Does assessment sufficiently analyse how to keep other people safe?"]
REVIEWING = ["Does reviewing focus sufficiently on supporting the child's desistance?",
             "Does reviewing focus sufficiently on keeping the child safe?",
             "Does reviewing focus sufficiently on keeping other people safe?"]
PLANNING = ["Does planning focus on supporting the child's desistance?",
            "Does planning focus sufficiently on keeping the child safe?",
            "Does planning focus sufficiently on keeping other people safe?"]


def kqs(standard, questions, order=None):
    """Key questions as the key_questions extractor gives them; `order`
    lists them in a different order to show the mapping is not positional."""
    found = [KeyQuestion(standard, i, q, page=1, source="section") for i, q in enumerate(questions, start=1)]
    return [found[i] for i in order] if order else found


BEDFORDSHIRE_KQS = kqs("2.1", ASSESSMENT, order=[2, 0, 1]) + kqs("2.4", REVIEWING)
NORTH_SOMERSET_KQS = kqs("2.1", ASSESSMENT) + kqs("3.1", ASSESSMENT) + kqs("3.2", PLANNING)


@cache
def prompts(name: str, which: str) -> list[Prompt]:
    key_questions = {"bedfordshire": BEDFORDSHIRE_KQS, "north_somerset": NORTH_SOMERSET_KQS, "none": []}[which]
    return extract_prompts(segment(read_document(FIXTURES / name)), key_questions)


def group(rows, standard, key_question):
    return [r for r in rows if r.standard == standard and r.key_question == key_question]


def test_bedfordshire_annex_2_1_key_question_1():
    rows = group(prompts("bedfordshire-yos.txt", "bedfordshire"), "2.1", 1)
    assert [r.label for r in rows] == list("abcdefghi")
    assert [r.pct_yes for r in rows] == [50, 33, 33, 100, 67, 17, 67, 50, 83]
    assert {r.source for r in rows} == {"annex"} and {r.page for r in rows} == {58}
    assert rows[0].prompt == ("Is there sufficient analysis of offending behaviour, including the child's "
                                 "attitudes towards and motivations for their offending?")
    assert rows[6].prompt.endswith("their likelihood of engaging with the court disposal?")  # value on its own line
    assert all(r.relevant is None and r.yes is None for r in rows)


def test_bedfordshire_groups_map_by_text_not_position():
    rows = prompts("bedfordshire-yos.txt", "bedfordshire")
    assert [r.pct_yes for r in group(rows, "2.1", 2)] == [50, 67, 50]
    other_people = group(rows, "2.1", 3)
    assert [(r.label, r.pct_yes, r.page) for r in other_people] == [("a", 50, 59), ("b", 83, 59), ("c", 50, 59)]


def test_bedfordshire_duplicate_letter_kept_as_printed():
    rows = group(prompts("bedfordshire-yos.txt", "bedfordshire"), "2.4", 1)
    assert [r.label for r in rows] == ["a", "b", "c", "d", "d", "e", "f"]
    assert [r.pct_yes for r in rows] == [50, 67, 50, 83, 67, 67, 50]


def test_bedfordshire_counts_and_unmatched_standards():
    rows = prompts("bedfordshire-yos.txt", "bedfordshire")
    assert len(rows) == 95
    per_standard = {s: len([r for r in rows if r.standard == s]) for s in ("2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3")}
    assert per_standard == {"2.1": 15, "2.2": 16, "2.3": 13, "2.4": 13, "3.1": 13, "3.2": 15, "3.3": 10}
    # standards with no key questions given: the group headings still name their key questions
    # by the framework's own (2021's 2.2: desistance, the child's safety, other people's safety)
    assert {r.key_question for r in rows if r.standard == "2.2"} == {1, 2, 3}
    to_table("prompts", [r.as_row("0" * 16) for r in rows])


def test_north_somerset_section_3_1_key_question_1():
    rows = group(prompts("north-somerset-yos.txt", "north_somerset"), "3.1", 1)
    assert [(r.label, r.relevant, r.yes) for r in rows] == [
        ("a", 5, 5), ("b", 5, 5), ("c", 5, 5), ("d", 3, 2), ("e", 5, 5), ("f", 3, 3), ("g", 5, 5)]
    assert [r.page for r in rows] == [26] * 5 + [27] * 2
    assert {r.source for r in rows} == {"section"}
    assert all(r.pct_yes is None for r in rows)  # counts printed, no %
    assert rows[3].prompt == "Where applicable, does assessment analyse the key structural barriers facing the child?"
    assert [(r.relevant, r.yes) for r in group(prompts("north-somerset-yos.txt", "north_somerset"), "3.1", 3)] \
        == [(3, 3), (3, 3)]


def test_north_somerset_as_recorded():
    rows = prompts("north-somerset-yos.txt", "north_somerset")
    for want in EXPECTED["north-somerset-yos.txt"]["prompts"]:
        (got,) = [r for r in rows if (r.standard, r.key_question, r.label) ==
                  (want["standard"], want["key_question"], want["label"])]
        assert (got.relevant, got.yes, got.page) == (want["relevant"], want["yes"], want["page"])
        assert got.prompt == normalise_line(want["prompt"])


def test_bedfordshire_as_recorded():
    rows = prompts("bedfordshire-yos.txt", "bedfordshire")
    for want in EXPECTED["bedfordshire-yos.txt"]["prompts"]:
        got = [r for r in rows if (r.standard, r.key_question, r.label, r.pct_yes) ==
               (want["standard"], want["key_question"], want["label"], want["pct"])]
        assert len(got) == 1 and got[0].page == want["page"], want
        assert got[0].prompt == normalise_line(want["prompt"])


def test_wrapped_cases_header_and_reviewing():
    rows = prompts("north-somerset-yos.txt", "north_somerset")
    assert len(rows) == 93
    # 'Of the 5 cases with factors relevant to keeping' / 'the child safe:'
    assert [(r.relevant, r.yes) for r in group(rows, "3.2", 2)] == [(5, 5), (4, 4), (5, 3)]
    assert [(r.relevant, r.yes) for r in group(rows, "3.2", 3)] == [(2, 1), (2, 1), (1, 1), (2, 0)]


def test_luton_prints_no_prompts():
    assert prompts("luton-yos.txt", "none") == []


# ---------------------------------------------------------------- synthetic

def report(text: str, kind="annex_standard", standard="2.1") -> SegmentedReport:
    """The text under a standard's heading (in the annex's results, for an annex part), read as a text export."""
    annex = "Annexe 2: Inspection results\n" if kind == "annex_standard" else ""
    got = text_report(f"{annex}{standard}. Assessment\n{text}")
    assert [s.kind for s in got.sections][-1] == kind
    return got


def test_annex_groups_printed_in_another_order():
    text = ("Does assessment sufficiently analyse how to keep other people\nsafe? % yes\n"
            "a) Does assessment clearly identify risk of harm? 40%\n"
            "Does assessment sufficiently analyse how to support the child's\ndesistance?\n% yes\n"
            "a) Is there sufficient analysis of offending behaviour? 70%\nb) Does assessment analyse diversity? 60%")
    rows = extract_prompts(report(text), kqs("2.1", ASSESSMENT))
    assert [(r.key_question, r.label, r.pct_yes) for r in rows] == [(3, "a", 40), (1, "a", 70), (1, "b", 60)]


def test_section_count_table_with_wrapped_header_and_prose_after():
    text = ("Does assessment sufficiently analyse how to keep the child safe?\n"
            "Of the 7 cases where there were changes in\nfactors related to safety:\nRelevant\ncases\nNumber\n'Yes'\n"
            "Does assessment clearly identify and analyse any risks\nto the safety of the child? 7 6\n"
            "Does assessment draw on other agencies?12\n6 6\n"
            "Assessment was good in 6 of 7 cases and\nthe rating reflects this 7 6")
    rows = extract_prompts(report(text, kind="standard"), kqs("2.1", ASSESSMENT))
    assert [(r.key_question, r.label, r.relevant, r.yes, r.source) for r in rows] == [
        (2, "a", 7, 6, "section"), (2, "b", 6, 6, "section")]
    assert rows[1].prompt == "Does assessment draw on other agencies?"


def test_key_question_table_is_not_a_prompt_group():
    text = ("Our rating for assessment is based on the following key questions:\n% yes\n"
            "Does assessment sufficiently analyse how to support the child's desistance? 95%\n"
            "Does assessment sufficiently analyse how to keep the child safe? 71%")
    assert extract_prompts(report(text, kind="standard"), kqs("2.1", ASSESSMENT)) == []


def test_no_matching_key_question_keeps_rows():
    text = "Is the work of the YOT well led?\n% yes\na) Is there a plan? 50%"
    rows = extract_prompts(report(text), kqs("2.1", ASSESSMENT))
    assert [(r.key_question, r.label, r.pct_yes) for r in rows] == [(None, "a", 50)]


def test_match_key_question_uses_a_printed_code_only_as_fallback():
    questions = kqs("2.1", ASSESSMENT)
    assert match_key_question("Does assessment sufficiently analyse how to keep the child safe?", "2.1.3", "2.1",
                              questions) == 2
    assert match_key_question("Something else entirely?", "2.1.3", "2.1", questions) == 3
    assert match_key_question("Something else entirely?", None, "2.1", questions) is None


def test_coded_annex_heading_with_its_own_value():
    text = ("2.1.1. Does assessment sufficiently analyse how to support the\nchild's desistance?\n67%\n"
            "a) Is there sufficient analysis of offending behaviour? 50%\nb) Does assessment analyse diversity?\n\n60%\n"
            "2.1.2. Does assessment sufficiently analyse how to keep the child safe? 71%\n"
            "a) Does assessment identify risks? 40%\nb) Does assessment draw on other sources?\n"
            "c) Does assessment analyse controls? 30%")
    rows = extract_prompts(report(text), kqs("2.1", ASSESSMENT))
    assert [(r.key_question, r.label, r.pct_yes) for r in rows] == [
        (1, "a", 50), (1, "b", 60), (2, "a", 40), (2, "b", None), (2, "c", 30)]


from hypothesis import given, settings, strategies as st  # noqa: E402

PIECES = ["Does assessment sufficiently analyse how to keep the child safe?", "% yes", "Of the 5 cases inspected:",
          "Relevant", "cases", "Number", "'Yes'", "a) Is there a plan? 50%", "b) Is it good?", "67%", "5 4",
          "Of the 7 cases where there were changes in", "factors:", "2.1.1. Does it work? 40%", "", "prose."]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=30), max_size=25),
       st.sampled_from(["standard", "annex_standard"]))
def test_never_raises(lines, kind):
    rows = extract_prompts(report("\n".join(lines), kind=kind), kqs("2.1", ASSESSMENT))
    for row in rows:
        assert row.key_question in (None, 1, 2, 3)
        # every row is a lettered prompt with its printed text; counts come as a pair
        assert row.label and row.prompt.strip()
        assert row.relevant is None or row.yes is not None
    to_table("prompts", [r.as_row("0" * 16) for r in rows])


# ------------------------------------------------- North Somerset 2.4.3, cut and garbled
NS_TEXT = (FIXTURES / "north-somerset-yos.txt").read_text()
ROW_B = ("Where applicable, is reviewing informed by the necessary \ninput from other agencies involved in managing "
         "the risk \nof harm?  \n\n7 6 \n")
REPEATED_HEADER = ("Does reviewing focus sufficiently on keeping other people safe? \nOf the 7 cases where there were "
                   "changes in \nfactors related to keeping other people safe: \nRelevant \ncases \nNumber \n‘Yes’ \n")


def reviewing_other_people(text: str):
    from pipeline.execution.one_file import Options, extract_file
    path = FIXTURES.parent / "tmp-north-somerset.txt"
    try:
        path.write_text(text)
        rows = extract_file(str(path), None, Options())
    finally:
        path.unlink(missing_ok=True)
    got = {p["label"]: (p["relevant"], p["yes"]) for p in rows["prompts"]
           if p["standard"] == "2.4" and p["key_question"] == 3}
    return got, rows["reports"][0]["status"], [f for f in rows["findings"] if f["kind"] == "unanchored_question"]


def test_north_somerset_2_4_3_as_printed():
    # the report text: a (7, 5), b (7, 6), c (7, 5), d (3, 1)
    assert NS_TEXT.count(ROW_B) == 1
    assert reviewing_other_people(NS_TEXT)[0] == {"a": (7, 5), "b": (7, 6), "c": (7, 5), "d": (3, 1)}


def test_a_table_cut_by_a_page_break_with_its_header_repeated_keeps_its_rows():
    # the break falls inside prompt b's question, after its counts, as pypdf prints the Word-made PDF
    # (no page marks: the sample text has none either); the key question and the header printed
    # again open no new table
    cut = ("Where applicable, is reviewing informed by the necessary \ninput from other agencies involved in \n"
           f"7 6 \n{REPEATED_HEADER}managing the risk of harm? \n\n")
    got, status, _ = reviewing_other_people(NS_TEXT.replace(ROW_B, cut))
    assert got == {"a": (7, 5), "b": (7, 6), "c": (7, 5), "d": (3, 1)}
    assert status == "ok"


def test_prompts_are_lettered_by_the_framework_not_by_position():
    # prompt b's row lost: c and d keep their letters (by position they would become b and c)
    got, status, unanchored = reviewing_other_people(NS_TEXT.replace(ROW_B, ""))
    assert got == {"a": (7, 5), "c": (7, 5), "d": (3, 1)}
    assert unanchored == [] and status == "ok"


def test_a_prompt_row_that_matches_no_prompt_of_its_key_question_is_not_stored():
    garbled = ROW_B.replace("Where applicable, is reviewing informed by the necessary \ninput from other agencies "
                            "involved in managing the risk \nof harm?",
                            "Is the weather in the area \nrecorded?")
    got, status, unanchored = reviewing_other_people(NS_TEXT.replace(ROW_B, garbled))
    assert got == {"a": (7, 5), "c": (7, 5), "d": (3, 1)}
    assert status == "partial"
    assert len(unanchored) == 1 and "Is the weather in the area recorded?" in unanchored[0]["detail"]
