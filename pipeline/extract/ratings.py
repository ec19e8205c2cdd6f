"""Published ratings: the ratings summary (extract.summary), each standard's
own section heading, and the annex tables (extract.annex). Each source is
read separately so validate can cross-check them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.core.document import Line, Section, SegmentedReport
from pipeline.core.headings import ratings_in
from pipeline.core.patterns import load
from pipeline.core.records import PublishedRating, RatingsSummary
from pipeline.extract.annex import annex_results
from pipeline.extract.summary import parse_summary


@lru_cache(maxsize=1)
def _rx() -> dict[str, Any]:
    h, r = load("headings"), load("report")
    return {
        "rating": re.compile(h["rating_label"], re.I),
        "judgement": re.compile(r["judgement_start"], re.I),
        "alone": re.compile(rf"^[‘'\"“]?(?P<rating>{h['rating_label']})[’'\"”.]?$", re.I),
    }


# ------------------------------------------------------------ headings

def heading_rating(section: Section) -> PublishedRating | None:
    """The rating printed with a standard's heading (in its section or its
    annex block): the first label before the judgement text starts.

    A text export in reading order may print the heading box's rating later,
    alone on a line after the block's table (ingest splits one glued before
    the table's first question onto its own line). Failing the first, the
    first rating alone on its line is the rating; a rating inside a sentence
    never is."""
    lines = _own_lines(section)
    for index, line in enumerate(lines[:25]):
        if line is not lines[0] and _rx()["judgement"].match(line.text):
            break
        found = ratings_in(line.text) or _split_rating(line.text, _next_words(lines, index))
        if found:
            label, marker, _ = found[-1]
            return PublishedRating(section.standard or "", label, line.page, name=section.title,
                                   marker=marker)
    for line in lines[1:]:
        m = _rx()["alone"].match(line.text.strip())
        if m:
            label, marker, _ = ratings_in(m.group("rating"))[0]
            return PublishedRating(section.standard or "", label, line.page, name=section.title, marker=marker)
    return None


# a standard's or a key question's code ('2.4.', '2.3.1.', '3.1') printed in a line: its standard's block
_CODE = re.compile(r"(?:^|\s)(?P<code>[1-4]\.[1-4])(?:\.(?:\d{1,2}\.?)?)?(?=\s)")
# the one rating of two words, its words split over two lines by a box's column
# ('Requires High-quality, well-focused ...' / 'improvement services are delivered ...')
_SPLIT = re.compile(r"(?:^|\s)Requires$|^Requires\s", re.I)


def _own_lines(section: Section) -> list[Line]:
    """The section's lines up to one that prints another standard's code, or
    one of its key questions' (a table row for the next standard, whose
    heading a converter printed after its rating, stays out of this one's
    heading; its own key questions may come before its rating, as a
    reading-order export prints an annex block)."""
    own = section.standard
    for index, line in enumerate(section.lines[1:], start=1):
        for m in _CODE.finditer(line.text):
            if m.group("code") != own:
                return section.lines[:index]
    return section.lines


def _next_words(lines: list[Line], index: int) -> str:
    """The next line with a letter in it (a table's rule, '--- -----', is none)."""
    return next((line.text for line in lines[index + 1:index + 3] if any(ch.isalpha() for ch in line.text)), "")


def _split_rating(text: str, following: str) -> list[tuple[str, int | None, int]]:
    """'Requires improvement' printed with its words on two lines' edges."""
    if _SPLIT.search(text.strip()) and following.strip().lower().startswith("improvement"):
        return [("Requires improvement", None, 0)]
    return []


@dataclass
class PublishedRatings:
    summary: RatingsSummary | None
    section: dict[str, PublishedRating]
    annex: dict[str, PublishedRating]


def extract_published_ratings(report: SegmentedReport) -> PublishedRatings:
    summaries = report.of_kind("ratings_summary")
    summary = parse_summary(summaries[0]) if summaries else None
    section = {s.standard: r for s in report.of_kind("standard") if s.standard and (r := heading_rating(s))}
    annex = {s.standard: r for s in report.of_kind("annex_standard")
             if s.standard and (r := heading_rating(s))}
    # a rating printed in the annex's results table, on its standard's coded row
    annex.update(annex_results(report).ratings)
    return PublishedRatings(summary, section, annex)
