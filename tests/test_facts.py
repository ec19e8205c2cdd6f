"""facts: values checked against the report text, the hand-recorded values
in tests/fixtures/expected_values.json, and one synthetic fixture per quirk."""
import json
from functools import cache

import pytest
from rapidfuzz import fuzz

from pipeline.core.document import Document, Footnote, Line, Page, Section, SegmentedReport
from pipeline.extract.facts import extract_facts, match_label, read_facts
from pipeline.ingest.read import read_document
from pipeline.ingest.text import normalise_line
from pipeline.core.records import Fact
from pipeline.segment.sections import segment
from pipeline.output.store import to_table

from conftest import FIXTURES  # noqa: E402
EXPECTED = json.loads((FIXTURES / "expected_values.json").read_text())
SAMPLES = ["bedfordshire-yos.txt", "luton-yos.txt", "north-somerset-yos.txt"]


@cache
def facts(name: str) -> list[Fact]:
    return extract_facts(segment(read_document(FIXTURES / name)))


def find(rows, name, qualifier="any"):
    out = [r for r in rows if r.name == name and (qualifier == "any" or r.qualifier == qualifier)]
    assert out, f"no {name} ({qualifier})"
    return out


def one(rows, name, qualifier="any"):
    (row,) = find(rows, name, qualifier)
    return row


# ---------------------------------------------------------------- samples

def test_luton_population_and_rates():
    rows = facts("luton-yos.txt")
    total = one(rows, "total_population")
    assert (total.value, total.unit, total.page, total.group) == (214109, "count", 9, "population")
    assert total.label == "Total population Luton" and total.qualifier == "Luton"
    fte = one(rows, "first_time_entrant_rate", "Luton YOS")
    assert (fte.value, fte.unit, fte.page) == (184, "rate", 9)
    assert fte.label == "First-time entrant rate per 100,000 in Luton YOS"  # glued marker 4 removed
    assert one(rows, "first_time_entrant_rate", "England and Wales").value == 222
    assert one(rows, "reoffending_rate", "Luton YOS").value == 32.5
    assert one(rows, "youth_population_10_17").value == 22776
    assert one(rows, "bme_youth_population").value == 12076


def test_bedfordshire_reoffending_marker_after_a_space():
    rows = facts("bedfordshire-yos.txt")
    row = one(rows, "reoffending_rate", "Bedfordshire YOS")
    assert (row.value, row.unit, row.page) == (37.8, "percent", 12)
    assert row.label == "Reoffending rate in Bedfordshire YOS"
    assert not [r for r in rows if r.value == 8]


def test_north_somerset_caseload_and_staffing():
    rows = facts("north-somerset-yos.txt")
    row = one(rows, "caseload_community_sentences")
    assert (row.value, row.unit, row.page, row.group, row.section) == (
        38, "count", 5, "caseload", "caseload")
    assert one(rows, "caseload_youth_conditional_caution").value == 15
    assert one(rows, "caseload_community_resolution_or_other").value == 79
    staff = one(rows, "staff_headcount_fte")
    assert (staff.value, staff.unit, staff.page, staff.section) == (4.6, "fte", 8, "standard 1.2")
    # no first-time entrant or reoffending rates are printed: no rows, not zeros
    assert not [r for r in rows if r.name in ("first_time_entrant_rate", "reoffending_rate")]


def test_luton_values_with_notes():
    rows = facts("luton-yos.txt")
    staff = one(rows, "staff_headcount_fte")
    assert (staff.value, staff.unit, staff.page) == (52, "fte", 14)
    vacancy = one(rows, "vacancy_rate")
    assert (vacancy.value, vacancy.unit) == (1.92, "percent")
    assert one(rows, "vacancy_rate_count").value == 1
    assert one(rows, "vacancy_rate_case_managers").value == 1.92
    custody = one(rows, "caseload_custody")
    assert (custody.value, custody.page) == (6, 10)
    assert one(rows, "caseload_custody_custodial_orders").value == 5
    assert one(rows, "caseload_custody_secure_remand").value == 1
    spend = one(rows, "total_spend_previous_year")
    assert (spend.value, spend.unit, spend.page) == (1935408, "gbp", 12)
    assert spend.label == "Total spend in previous financial year - 2018/2019"
    assert one(rows, "total_spend_previous_year_yjb_good_practice_grant").value == 341351
    assert one(rows, "projected_budget").value == 2019774
    assert one(rows, "staff_attrition").value == 5.77
    assert one(rows, "sickness_days").unit == "days"
    mental = one(rows, "caseload_mental_health")
    assert (mental.value, mental.page, mental.group) == (29, 16, "caseload")


def test_demographic_tables_one_row_per_cell():
    rows = facts("luton-yos.txt")
    assert one(rows, "age_10_14", "Luton YOS").value == 14
    assert one(rows, "age_15_17", "National average").value == 76
    bme = one(rows, "ethnicity_bme", "Luton YOS")
    assert (bme.value, bme.group, bme.unit) == (60, "demographics", "percent")
    assert bme.label == "Race/ethnicity Black and minority ethnic"
    assert one(rows, "gender_female", "National average").value == 16
    bed = facts("bedfordshire-yos.txt")
    # header wrapped over five lines with a blank line inside; row label 'Bedfordshire YOS10'
    assert one(bed, "ethnicity_bme", "Bedfordshire YOS").label == \
        "Race/ethnicity Black, Asian and minority ethnic"
    assert one(bed, "ethnicity_unknown", "Bedfordshire YOS").value == 2
    # two values printed under three columns: the first two columns, no invented third
    local = find(bed, "ethnicity_white", "Local area age 10-17") + find(bed, "ethnicity_bme", "Local area age 10-17")
    assert [r.value for r in local] == [85, 15]
    assert not [r for r in bed if r.name == "ethnicity_unknown" and r.qualifier == "Local area age 10-17"]


def test_bedfordshire_boxes():
    rows = facts("bedfordshire-yos.txt")
    assert one(rows, "average_caseload_per_case_manager_fte").value == 6  # '(FTE equivalent)14 6'
    vacancy = one(rows, "vacancy_rate")
    assert (vacancy.value, vacancy.page) == (5.5, 18)
    assert one(rows, "vacancy_rate_count").value == 2  # '5.5% (2)'
    # value on its own line above its label
    row = one(rows, "proportion_pru_alternative_reduced_or_neet")
    assert row.value == 26 and row.label.endswith("training or employment in August 2021")
    offences = [r for r in rows if r.name.startswith("offence_")]
    assert [(r.name, r.value) for r in offences][:2] == [
        ("offence_violence_against_the_person", 38), ("offence_burglary", 13)]
    assert offences[0].label == "Offence types: Violence against the person"
    assert offences[0].group == "caseload"


@pytest.mark.parametrize("source", SAMPLES)
def test_every_hand_recorded_fact_is_extracted(source):
    rows = facts(source)
    for want in EXPECTED[source]["facts"]:
        label = normalise_line(want["label"])
        candidates = [r for r in rows if r.value == want["value"] and r.page == want["page"]]
        assert candidates, want
        best = max(candidates, key=lambda r: fuzz.token_set_ratio(label, r.label or ""))
        # a note's number is labelled '<parent label>: <note item>': the item is what was recorded
        printed = best.label.split(": ", 1)[1] if best.section and ": " in best.label and \
            fuzz.token_set_ratio(label, best.label) < 80 else best.label
        assert fuzz.token_set_ratio(label, printed) >= 80, (want, best)
        assert best.group == want["group"], (want, best)
        if want["group"] in ("population", "demographics"):
            assert best.qualifier == normalise_line(want["qualifier"]), (want, best)
        if not (want["unit"] == "rate" and best.unit == "days"):
            assert best.unit == want["unit"], (want, best)


@pytest.mark.parametrize("source", SAMPLES)
def test_no_number_that_was_not_recorded(source):
    """Every row is a hand-recorded fact or a number from a value's note."""
    rows = facts(source)
    recorded = {(w["value"], w["page"]) for w in EXPECTED[source]["facts"]}
    names = {r.name for r in rows if (r.value, r.page) in recorded}
    for row in rows:
        if (row.value, row.page) not in recorded:
            assert any(row.name.startswith(n + "_") for n in names), row


@pytest.mark.parametrize("source", SAMPLES)
def test_rows_fit_the_contract(source):
    document = read_document(FIXTURES / source)
    rows = [fact.as_row(document.report_id) for fact in extract_facts(segment(document))]
    table = to_table("facts", rows)
    assert table.num_rows == len(rows) > 0
    for row in rows:
        assert row["unit"] in ("count", "percent", "fte", "rate", "gbp", "days")
        assert row["group"] in ("population", "demographics", "caseload", "staffing", "other")
        assert row["report_id"] and row["page"] >= 1 and row["name"].isidentifier()


def test_row_counts():
    assert [len(facts(s)) for s in SAMPLES] == [46, 61, 25]


# ---------------------------------------------------------------- synthetic

def report(text: str, kind="contextual_facts", title="Contextual facts", notes=(), standard=None):
    lines = [Line(1, title)] + [Line(1, t) for t in text.split("\n")]
    document = Document("synthetic.txt", "ab" * 32, [Page(1, [l.text for l in lines])])
    section = Section(kind, title, lines=lines, domain=standard[0] if standard else None, standard=standard)
    return SegmentedReport(document, [section], {n: Footnote(n, "Source.", 1) for n in notes})


def values(rows):
    return [(r.name, r.value, r.qualifier) for r in rows]


def test_glued_marker_is_never_a_value():
    rows = extract_facts(report("Gender Male Female\nAnytown YOS4 60% 40%\nNational average 85% 15%", notes=[4]))
    assert values(rows) == [("gender_male", 60, "Anytown YOS"), ("gender_female", 40, "Anytown YOS"),
                            ("gender_male", 85, "National average"), ("gender_female", 15, "National average")]
    assert extract_facts(report("Population information6", notes=[6])) == []


def test_spaced_marker_with_the_value_on_the_line_before():
    rows = extract_facts(report("37.8%\nReoffending rate in Anytown YOS 8\n\n35.6% Reoffending rate in England and Wales",
                                notes=[8]))
    assert values(rows) == [("reoffending_rate", 37.8, "Anytown YOS"), ("reoffending_rate", 35.6, "England and Wales")]


def test_spaced_number_that_is_not_a_footnote_is_a_value():
    rows = extract_facts(report("Total current caseload on licence 8", kind="caseload",
                                title="Additional caseload data"))
    assert values(rows) == [("caseload_licence", 8, None)]
    # footnote 8 exists but its marker is printed glued elsewhere on the page
    rows = extract_facts(report("Additional caseload data8\nTotal current caseload on licence 8", kind="caseload",
                                title="Caseload", notes=[8]))
    assert values(rows) == [("caseload_licence", 8, None)]


def test_value_on_its_own_line_pairs_with_its_label():
    rows = extract_facts(report("Total spend in previous financial\nyear - 2019/2020\n\n£1,200,000\n\n"
                                "Total projected budget for the\ncurrent financial year\n\n£1,300,500 (YJB grant £300,000)\n\n"
                                "In making a judgement about governance and leadership, we take into account",
                                kind="standard", title="1.1. Governance and leadership", standard="1.1"))
    assert values(rows) == [("total_spend_previous_year", 1200000, None), ("projected_budget", 1300500, None),
                            ("projected_budget_yjb_grant", 300000, None)]
    assert rows[0].label == "Total spend in previous financial year - 2019/2020"
    assert rows[0].unit == "gbp"


def test_value_first_and_label_first():
    first = extract_facts(report("215,052 Total population in Someplace (2018)3\n\n"
                                 "751 Total black and minority ethnic youth population in Someplace\n(2011)4",
                                 notes=[3, 4]))
    assert values(first) == [("total_population", 215052, "Someplace"), ("bme_youth_population", 751, "Someplace")]
    assert first[1].label == "Total black and minority ethnic youth population in Someplace (2011)"
    label_first = extract_facts(report("Key staffing data7\nTotal staff headcount (full-time equivalent, FTE) 4.6\n"
                                       "Average caseload per case manager (FTE) 8.5\n"
                                       "In making a judgement about staffing, we take into account",
                                       kind="standard", title="1.2. Staff", standard="1.2", notes=[7]))
    assert values(label_first) == [("staff_headcount_fte", 4.6, None),
                                   ("average_caseload_per_case_manager_fte", 8.5, None)]
    assert label_first[0].unit == "fte" and label_first[0].section == "standard 1.2"


def test_columns_printed_in_order_values_then_labels():
    rows = extract_facts(report("215,052\n19,364\n751\nTotal population Someplace\n"
                                "Total youth population (10-17 years) in Someplace\n"
                                "Total black and minority ethnic youth population Someplace"))
    assert values(rows) == [("total_population", 215052, "Someplace"), ("youth_population_10_17", 19364, "Someplace"),
                            ("bme_youth_population", 751, "Someplace")]


# Luton's key staffing data as pdfminer writes the browser-printed page: each
# box's text, then a blank line; every label of a run of boxes, then every value
_LABELS_THEN_VALUES = ("Total staff headcount (full-time equivalent, FTE)\n\n"
                       "Vacancy rate (total unfilled posts as percentage of total staff headcount)\n\n"
                       "52 (including\nTYS and\nAmber unit)\n\n1.92% = 1 post\n\n"
                       "Average caseload: case managers (FTE)\n\nAverage annual sickness days (all staff)\n\n"
                       "12\n\n2.3\n\n"
                       "Staff attrition (percentage of all staff leaving in 12-month period)\n\n5.77% = 3 staff\n\n"
                       "In making a judgement about staffing, we take into account")


def test_a_column_of_labels_then_a_column_of_values_pairs_in_order():
    rows = extract_facts(report(_LABELS_THEN_VALUES, kind="standard", title="1.2. Staff", standard="1.2"))
    assert values(rows) == [("staff_headcount_fte", 52, None), ("vacancy_rate", 1.92, None),
                            ("vacancy_rate_count", 1, None), ("average_caseload_per_case_manager_fte", 12, None),
                            ("sickness_days", 2.3, None), ("staff_attrition", 5.77, None),
                            ("staff_attrition_count", 3, None)]
    assert rows[0].label == "Total staff headcount (full-time equivalent, FTE)" and rows[4].page == 1


def test_columns_of_labels_and_values_of_other_lengths_store_none_of_those_values():
    # a third label, no third value: which value is whose cannot be told
    text = _LABELS_THEN_VALUES.replace("Average caseload: case managers (FTE)\n\n",
                                       "Average caseload: case managers (FTE)\n\nCase managers (FTE)\n\n")
    rows, notes = read_facts(report(text, kind="standard", title="1.2. Staff", standard="1.2"))
    names = [r.name for r in rows]
    assert "sickness_days" not in names and "average_caseload_per_case_manager_fte" not in names
    assert ("staff_headcount_fte", 52, None) in values(rows) and ("staff_attrition", 5.77, None) in values(rows)
    assert [n.printed for n in notes if "12" in (n.printed or "") or "2.3" in (n.printed or "")] == ["12", "2.3"]


def test_a_row_label_printed_above_its_values_under_a_table_header():
    # Bedfordshire's ethnicity table as pdftotext -raw prints the Word-made PDF
    rows = extract_facts(report("Race/ethnicity White Black,\nAsian and\nminority\nethnic\nUnknown\n"
                                "Bedfordshire YOS10\n65% 33% 2%", notes=[10]))
    assert values(rows) == [("ethnicity_white", 65, "Bedfordshire YOS"), ("ethnicity_bme", 33, "Bedfordshire YOS"),
                            ("ethnicity_unknown", 2, "Bedfordshire YOS")]
    # a line of figures that no header names is reported, not stored
    rows, notes = read_facts(report("Some figures\n65% 33% 2%"))
    assert rows == [] and [n.printed for n in notes] == ["65% 33% 2%"]


def test_a_figure_cut_by_its_cells_edge_is_reported_and_the_box_is_read_whole():
    # Luton's key data as pdftotext -raw prints the Word-made PDF: the figure's last digit and
    # its note wrap; the note's 'Good' is no rating (the box is not cut there)
    text = ("The governance and leadership of the YOT supports the delivery.\nRequires improvement\nKey data10\n"
            "Total spend in previous financial year - 2018/2019 £1,935,40\n8 (YJB\nGood\nPractice\nGrant\n£341,351)\n"
            "Total projected budget for the current financial year - 2020/2021 £2,019,77\n4 (YJB\nGood\nPractice\n"
            "Grant\n£338,137)\nIn making a judgement about governance and leadership, we take into account")
    rows, notes = read_facts(report(text, kind="standard", title="1.1. Governance and leadership", standard="1.1",
                                    notes=[10]))
    assert rows == []
    assert [n.printed for n in notes] == ["£1,935,40", "£2,019,77"]
    assert all("cut short" in n.detail for n in notes)


def test_a_value_alone_under_a_label_that_follows_an_unvalued_label_is_not_stored():
    # two labels, one value: the nearest label is no likelier to be its own than the first
    rows, notes = read_facts(report("Total staff headcount (FTE)\n\nVacancy rate (unfilled posts)\n\n52\n\n"
                                    "In making a judgement about staffing, we take into account",
                                    kind="standard", title="1.2. Staff", standard="1.2"))
    assert rows == [] and [n.printed for n in notes] == ["52"]


def test_image_only_or_missing_section_gives_no_rows():
    assert extract_facts(report("")) == []
    assert extract_facts(report("\n\n", kind="caseload", title="Additional caseload data")) == []
    empty = report("")
    empty.sections = []
    assert extract_facts(empty) == []


def test_standard_section_prose_gives_no_rows():
    rows = extract_facts(report("Assessment is well-informed, analytical and personalised. Good20\n"
                                "Our rating for assessment is based on the following key questions:\n"
                                "Does assessment sufficiently analyse how to support the child's desistance? 95%",
                                kind="standard", title="2.1. Assessment", standard="2.1", notes=[20]))
    assert rows == []


def test_unknown_label_still_gives_a_row():
    rows = extract_facts(report("17 Total current caseload: reparation orders", kind="caseload",
                                title="Additional caseload data"))
    assert values(rows) == [("total_current_caseload_reparation_orders", 17, None)]
    assert rows[0].group == "other"


def test_label_matching():
    assert match_label("Total youth population (10-17 years) in Luton").entry.name == "youth_population_10_17"
    assert match_label("Total population Luton").qualifier == "Luton"
    assert match_label("Total current caseload: youth caution").entry.name == "caseload_youth_caution"
    assert match_label("Proportion of current caseload subject to court disposal").entry.name == \
        "proportion_court_disposal"
    assert match_label("Total current caseload: reparation orders").entry is None


def _match_every_alias(label):
    """match_label the slow way: every alias of the vocabulary scored (what
    match_label's prefilter must never change)."""
    from pipeline.extract.facts.vocabulary import Words, _qualifier_from_tail, vocabulary
    vocab, words = vocabulary(), Words(label)
    best = None
    for entry in vocab["entries"]:
        for alias in entry.aliases:
            score, qualifier = fuzz.ratio(alias, words.norm), None
            if len(alias) < len(words.norm):
                aligned = fuzz.partial_ratio_alignment(alias, words.norm)
                if aligned is not None and aligned.score >= 95 and aligned.dest_start <= 1:
                    tail = words.tail_after(aligned.dest_end)
                    if entry.qualified:
                        score, qualifier = max(score, aligned.score), _qualifier_from_tail(tail)
                    elif vocab["date_tail"].match(tail):
                        score = max(score, aligned.score)
            if words.norm and score >= vocab["threshold"] and (best is None or (score, len(alias)) > best[:2]):
                best = (score, len(alias), entry.name, qualifier)
    return (best[2], best[3]) if best else (None, None)


def test_label_matching_scores_as_every_alias_would():
    from pipeline.extract.facts.vocabulary import vocabulary
    import random
    rng = random.Random(5)
    aliases = [alias for entry in vocabulary()["entries"] for alias in entry.aliases]
    labels = [f"{a}{tail}" for a in aliases for tail in ("", " in England and Wales", " - 2018/2019", " Someplace YOS",
                                                          "s", " (2018)")]
    labels += ["".join(c for c in a if rng.random() > 0.08) + " National average" for a in aliases]
    labels += [prefix + a for a in aliases for prefix in ("x", "Total ")] + ["", "% 12"]
    for label in labels:
        match = match_label(label)
        assert (match.entry.name if match.entry else None, match.qualifier) == _match_every_alias(label), label


# ---------------------------------------------------------------- properties

from hypothesis import given, settings, strategies as st  # noqa: E402

PIECES = ["Total population Someplace", "12,345", "37.8%", "£1,200", "(5 orders,", "1 remand)", "= 1 post",
          "Reoffending rate in X YOS 8", "Age 10-14 15-17", "Gender Male Female", "National average 85% 15%",
          "Key data", "Offence types %", "Burglary 13%", "a) question? 50%", "8 7", "2021", "in August 2021",
          "Total staff headcount (FTE) 4.6", "(", ")", "=", "%", "£", "-", "", "Good20", "Requires",
          "improvement", "In making a judgement", "For children subject to court disposals:"]


def _printed_numbers(text: str) -> set[float]:
    import re
    out = set()
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", text):
        out.add(float(m.group(0).replace(",", "")))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=30), max_size=25),
       st.sampled_from(["contextual_facts", "caseload", "standard"]))
def test_never_raises_and_never_invents_a_number(lines, kind):
    text = "\n".join(lines)
    rows = extract_facts(report(text, kind=kind, title="1.2. Staff" if kind == "standard" else "Contextual facts",
                                notes=[8], standard="1.2" if kind == "standard" else None))
    printed = _printed_numbers(text)
    for row in rows:
        assert row.value in printed, row
        assert row.unit in ("count", "percent", "fte", "rate", "gbp", "days")


def test_a_table_run_into_one_paragraph_gives_no_fact():
    """A converter that runs a demographic table's rows into one paragraph
    (pandoc's Markdown of a web page: Luton's, checked against luton-yos.txt):
    no label can be told from the next row's figures, so none is stored."""
    rows, notes = read_facts(report("Race/ethnicity White Black and minority ethnic Unknown\n"
                                    "Luton YOS 38% 60% 2% National average 71% 26% 3%"))
    assert [(r.name, r.value) for r in rows if r.qualifier and "%" in r.qualifier] == []
    # and a label that names its own figure stands ('YJB Good Practice Grant £341,351')
    rows, notes = read_facts(report("Total spend in previous financial year - 2018/2019 "
                                    "£1,935,408 (YJB Good Practice Grant £341,351)"))
    assert 1935408 in [r.value for r in rows] and not notes
