"""The ratings summary, as a mapping over the rows of its table (whatever
format printed it; a text export's summary lines are a table by now,
ingest.text_summary): the service's name and the printed score, the
overall rating, and each standard's rating under its printed code.

A row is the overall rating's when its label says so ('Overall rating'),
a standard's when it prints the standard's code ('2.1 Assessment') or,
under a domain's band, a standard's name. Its value is the row's rating
cell. A row whose value cell holds something else is a null and a Note
quoting it; one whose value could not be paired (the reader says why on
the cell) is a null and a Note saying why.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from pipeline.core import rules
from pipeline.core.document import Section
from pipeline.core.records import FindingKind, Note, PublishedRating, RatingsSummary
from pipeline.core.patterns import load
from pipeline.extract.stream import TextItem, items_of
from pipeline.extract.table_reader import TypedRow

# a label names a standard when it is the standard's name at this similarity (rapidfuzz ratio)
NAME_MATCH = 85


@lru_cache(maxsize=1)
def _rx() -> dict[str, Any]:
    h, r = load("headings"), load("report")
    return {
        "score": re.compile(r["score"], re.I),
        "overall": re.compile(rf"^{r['overall']}\s*$", re.I),
        "domain": re.compile(rf"^{h['domain']}\s*$", re.I),
        "service": re.compile(r["service_words"], re.I),
        "letter_code": re.compile(r"^[A-Z]\d$"),
    }


def parse_summary(section: Section) -> RatingsSummary:
    """The summary's score, service line, overall and standards' ratings."""
    summary = RatingsSummary(page=section.page)
    domain: str | None = None
    for item in items_of([section]):
        text = item.text
        _score(summary, text, item.page)
        if summary.service_line is None and not summary.standards and summary.overall is None and not summary.notes:
            summary.service_line = _service_line(item)  # printed above the ratings
        if isinstance(item, TextItem):
            continue
        band = _rx()["domain"].match(item.label) if not item.code else None
        if band:
            domain = band.group("n")
            continue
        key = _key(item, domain)
        if key is not None and not item.header:
            _value(summary, key, item)
    return summary


def _score(summary: RatingsSummary, text: str, page: int | None) -> None:
    m = _rx()["score"].search(text)
    if m and summary.score is None:
        summary.score, summary.score_max = int(m.group("score")), int(m.group("max"))
        summary.score_page, summary.score_printed = page, m.group(0)


def _service_line(item: TypedRow | TextItem) -> str | None:
    """The service's name as the summary prints it above its ratings: a
    line with the service words and no rating, the score taken off."""
    if isinstance(item, TypedRow) and item.rating:
        return None
    text = item.text
    m = _rx()["score"].search(text)
    head = (text[:m.start()] if m else text).strip(" :-")
    # printed beside the score it is the name whatever its words; alone, it must read as a service's
    return head if head and len(head) < 120 and (m or _rx()["service"].search(head)) else None


def _key(row: TypedRow, domain: str | None) -> str | None:
    """'overall', a standard's code, or None for a row that is neither."""
    if _rx()["overall"].match(row.label):
        return "overall"
    if row.code and (row.code.count(".") == 1 and row.code[0].isdigit() or _rx()["letter_code"].match(row.code)):
        return row.code  # '2.1'; a lettered standard's code has no dot ('V1')
    if domain and row.label:
        names = rules.standard_names()
        for code, canon in names.items():
            if code.startswith(f"{domain}.") and max(fuzz.ratio(row.label.lower(), c) for c in canon) >= NAME_MATCH:
                return code
    return None


def _value(summary: RatingsSummary, key: str, row: TypedRow) -> None:
    """The row's rating, or a null and a Note saying what was printed."""
    what = "the overall rating" if key == "overall" else f"standard {key}"
    standard = None if key == "overall" else key
    page = row.page or 0
    if row.rating is None:
        summary.notes.append(_note(row, what, standard, page))
    if key == "overall":
        summary.overall, summary.overall_page = row.rating, page if row.rating else None
    else:
        printed = _value_text(row)
        name = row.label if row.rating or not printed else row.label.removesuffix(printed).strip()
        summary.standards[key] = PublishedRating(key, row.rating, page, name, marker=row.rating_marker,
                                                 printed=row.rating or row.printed or _value_text(row))


def _value_text(row: TypedRow) -> str:
    """What the row prints after its label (its value cell's words)."""
    cells = [c for c in row.cells if c]
    return cells[-1] if len(cells) > 1 else ""


def _note(row: TypedRow, what: str, standard: str | None, page: int) -> Note:
    if row.problem:
        return Note(FindingKind.RATINGS_NOT_PAIRED, f"ratings summary {row.problem}, so no value is paired with "
                    f"{what if standard is None else standard}", page, standard=standard, printed=row.printed)
    printed = _value_text(row)
    if printed:
        return Note(FindingKind.UNRECOGNISED_RATING, f"ratings summary prints '{printed}' for {what}, which is "
                    "not one of the four ratings", page, standard=standard, printed=printed)
    return Note(FindingKind.MISSING_RATING, f"ratings summary lists {what} with no rating printed", page,
                standard=standard, printed="")
