"""Inspection dates: every date the samples print, exactly and with its page;
nulls where nothing is printed; other phrasings and distractors made by
mutating a sample."""
import pytest

from conftest import SAMPLES, write_report

NULL_DATES = {"published_month": None, "fieldwork_start": None, "fieldwork_end": None,
              "announced_month": None, "sample_start": None, "sample_end": None}

# read from the fixtures by hand (page = 1-based text page, split at a line
# starting with a single space)
EXPECTED = {
    # footnote 11 on page 13: "... at the time of the inspection announcement in August 2021";
    # executive summary page 6 (again in the court disposals chapter, page 28): "those released
    # from custody between 14 December 2020 and 12 March 2021"
    "bedfordshire": {**NULL_DATES, "announced_month": "2021-08", "announced_month_page": 13,
                     "sample_start": "2020-12-14", "sample_start_page": 6,
                     "sample_end": "2021-03-12", "sample_end_page": 6,
                     "inspection_month": "2021-08", "inspection_month_source": "announced_month"},
    # prints no inspection date at all ("at the time of the inspection announcement." has no month)
    "luton": {**NULL_DATES, "inspection_month": None, "inspection_month_source": None},
    # introduction, page 1: "Our fieldwork ... took place between 14 / September and 18 September 2020."
    "north_somerset": {**NULL_DATES, "fieldwork_start": "2020-09-14", "fieldwork_start_page": 1,
                       "fieldwork_end": "2020-09-18", "fieldwork_end_page": 1,
                       "inspection_month": "2020-09", "inspection_month_source": "fieldwork_start"},
}


def columns_of(text, tmp_path):
    """The `reports` date columns and the date findings rows for `text`."""
    from pipeline.extract.dates import inspection_dates
    from pipeline.validate.findings import Findings
    from pipeline.ingest.read import read_document
    from pipeline.segment.sections import segment

    dates = inspection_dates(segment(read_document(write_report(tmp_path, text))))
    found = Findings("r")
    found.date_conflicts(dates)
    return dates.as_columns(), found.rows


def sample(name):
    return SAMPLES[name].read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_dates_exact_with_pages(extracted, name):
    (row,) = extracted[name]["reports"]
    for column, value in EXPECTED[name].items():
        assert row[column] == value, column
    for column in NULL_DATES:
        if row[column] is None:
            assert row[f"{column}_page"] is None
    assert not [f for f in extracted[name]["findings"] if f["kind"] == "date_conflict"]


COVER = ("An inspection of youth offending services in North Somerset\n"
         "HM Inspectorate of Probation\n{line}\n")


@pytest.mark.parametrize("line, published", [
    ("DECEMBER 2020", "2020-12"),
    ("December 2020", "2020-12"),
    ("Published: 8 December 2020", "2020-12"),
    ("Date of publication: December 2020", "2020-12"),
])
def test_published_month_from_cover(tmp_path, line, published):
    columns, _ = columns_of(COVER.format(line=line) + sample("north_somerset"), tmp_path)
    assert columns["published_month"] == published and columns["published_month_page"] == 1
    # the cover is page 1 now: the fieldwork moved to page 2 and still wins
    assert columns["fieldwork_start"] == "2020-09-14" and columns["fieldwork_start_page"] == 2
    assert columns["inspection_month_source"] == "fieldwork_start"


def test_publication_month_is_the_inspection_month_when_nothing_else_is_printed(tmp_path):
    columns, _ = columns_of(COVER.format(line="MARCH 2019") + sample("luton"), tmp_path)
    assert columns["published_month"] == "2019-03"
    assert (columns["inspection_month"], columns["inspection_month_source"]) == ("2019-03", "published_month")


FIELDWORK = ("took place between 14 \nSeptember and 18 September 2020.")


@pytest.mark.parametrize("replacement, start, end", [
    ("took place between 14 and 18 \nSeptember 2020.", "2020-09-14", "2020-09-18"),
    ("took place from 14-18 \nSeptember 2020.", "2020-09-14", "2020-09-18"),
    ("took place between 14 September 2020 and \n18 September 2020.", "2020-09-14", "2020-09-18"),
    # months spanning a year end: the start takes the year before the end's
    ("took place between 30 November and \n4 December 2020.", "2020-11-30", "2020-12-04"),
    ("took place between 28 December and \n2 January 2021.", "2020-12-28", "2021-01-02"),
    ("took place in \nSeptember 2020.", "2020-09", None),
    ("took place during the week of 14 \nSeptember 2020.", "2020-09-14", None),
])
def test_fieldwork_phrasings(tmp_path, replacement, start, end):
    text = sample("north_somerset")
    assert FIELDWORK in text
    columns, findings = columns_of(text.replace(FIELDWORK, replacement), tmp_path)
    assert (columns["fieldwork_start"], columns["fieldwork_end"]) == (start, end)
    assert columns["fieldwork_start_page"] == 1 and columns["inspection_month"] == start[:7]
    assert not findings


def test_fieldwork_started_line(tmp_path):
    text = sample("luton").replace(" Foreword \n", " Foreword \nFieldwork started: September 2018\n", 1)
    columns, _ = columns_of(text, tmp_path)
    assert (columns["fieldwork_start"], columns["fieldwork_end"]) == ("2018-09", None)
    assert columns["fieldwork_start_page"] == 1
    assert (columns["inspection_month"], columns["inspection_month_source"]) == ("2018-09", "fieldwork_start")


def test_announcement_in_body_and_footnote(tmp_path):
    text = sample("north_somerset").replace(
        "at the time of the inspection announcement.", "at the time of the inspection announcement in \nJuly 2020.")
    columns, _ = columns_of(text, tmp_path)
    assert (columns["announced_month"], columns["announced_month_page"]) == ("2020-07", 8)
    assert columns["inspection_month_source"] == "fieldwork_start"  # fieldwork outranks it
    body = sample("luton").replace(
        "The local authority has seen substantial budget reductions since 2014",
        "The inspection was announced on 2 September 2019. The local authority has seen "
        "substantial budget reductions since 2014", 1)
    columns, _ = columns_of(body, tmp_path)
    assert (columns["announced_month"], columns["announced_month_page"]) == ("2019-09", 1)
    assert (columns["inspection_month"], columns["inspection_month_source"]) == ("2019-09", "announced_month")


@pytest.mark.parametrize("sentence, start, end", [
    ("The case sample was drawn from cases sentenced or released from custody between "
     "1 March 2020 and 31 May \n2020.", "2020-03-01", "2020-05-31"),
    ("We inspected cases sentenced or released from custody between March and May 2020.",
     "2020-03", "2020-05"),
    ("Cases had been sentenced between 2 December 2019 and 28 February 2020.", "2019-12-02", "2020-02-28"),
])
def test_case_sample_window(tmp_path, sentence, start, end):
    text = sample("north_somerset").replace("We inspected eight post-court cases.",
                                            sentence + " We inspected eight post-court cases.", 1)
    columns, _ = columns_of(text, tmp_path)
    assert (columns["sample_start"], columns["sample_end"]) == (start, end)
    assert columns["sample_start_page"] == 1
    assert columns["fieldwork_start"] == "2020-09-14"  # untouched by the new sentence


DISTRACTORS = [
    "In January 2018, the YOS was brought under the management of children's services.",
    "Data from the 2011 census shows the make-up of the population. Census 2011.",
    "Youth Justice annual statistics: 2018 to 2019. First-time entrants, January to December 2020.",
    "For a year, from March 2020 to April 2021, there was no team manager in place.",
    "During the main fieldwork phase, we conducted 32 interviews. The board met in June 2019.",
    "The board meeting took place between 3 June and 5 June 2019.",
    "Staffing reflects workload at the time of the inspection announcement.",
    "Published by: Her Majesty's Inspectorate of Probation. Crown copyright 2019.",
    "Cases were allocated between 1 March and 3 May 2019.",
]


def test_distractors_give_no_dates(tmp_path):
    text = sample("luton").replace(" Foreword \n", " Foreword \n" + "\n".join(DISTRACTORS) + "\n", 1)
    # a month on a line of its own inside the body is not a cover
    text = text.replace(" Ratings \n", " Ratings \nMarch 2020\n", 1)
    columns, findings = columns_of(text, tmp_path)
    assert {k: columns[k] for k in NULL_DATES} == NULL_DATES
    assert columns["inspection_month"] is None and not findings


def test_a_date_printed_twice_differently_is_null_with_a_finding(tmp_path):
    text = sample("north_somerset").replace(
        "We inspected eight post-court cases.",
        "Fieldwork started: 5 October 2020. We inspected eight post-court cases.", 1)
    columns, findings = columns_of(text, tmp_path)
    assert columns["fieldwork_start"] is None and columns["fieldwork_start_page"] is None
    assert columns["fieldwork_end"] == "2020-09-18"  # printed once: kept
    (finding,) = findings
    assert finding["kind"] == "date_conflict" and finding["level"] == "source"
    assert {finding["value_a"], finding["value_b"]} == {"2020-09-14", "2020-10-05"}
    assert finding["page_a"] == finding["page_b"] == 1


def test_the_same_date_more_precisely_is_no_conflict(tmp_path):
    text = sample("north_somerset").replace(
        "We inspected eight post-court cases.", "Fieldwork started: September 2020. We inspected eight post-court cases.", 1)
    columns, findings = columns_of(text, tmp_path)
    assert columns["fieldwork_start"] == "2020-09-14" and not findings


def test_impossible_day_is_not_a_date(tmp_path):
    text = sample("north_somerset").replace(FIELDWORK, "took place between 31 September and \n4 October 2020.")
    columns, _ = columns_of(text, tmp_path)
    assert columns["fieldwork_start"] is None and columns["fieldwork_end"] is None


def test_long_adversarial_text_does_not_hang(tmp_path):
    """A bound against backtracking, not a speed measurement (see scripts/bench.py)."""
    import time

    filler = ("Fieldwork North Somerset Between 12 and 14 September between sentenced 2020 and " * 400 + "\n") * 20
    text = sample("luton").replace(" Foreword \n", " Foreword \n" + filler, 1)
    started = time.perf_counter()
    columns, _ = columns_of(text, tmp_path)
    assert time.perf_counter() - started < 20
    assert columns["fieldwork_start"] is None and columns["sample_start"] is None
