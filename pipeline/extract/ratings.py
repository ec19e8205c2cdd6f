"""Published ratings: the ratings summary page, each standard's own section
heading, and the annex tables. Each source is read separately so validate
can cross-check them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Line, Section, SegmentedReport
from ..patterns import load
from ..rules import normalise_rating

_JUDGEMENT_START = re.compile(r"^(?:Our rating|In making a judgement|We inspected|Key (?:staffing )?data|"
                              r"Of the \d+ cases|\d\.\d\.\d)", re.I)


@lru_cache(maxsize=1)
def _rx():
    h, r = load("headings"), load("report")
    return {
        "rating": re.compile(h["rating_label"], re.I),
        "code": re.compile(r"^(?P<code>[1-4]\.[1-4])\.?\s+(?P<rest>.*)$"),
        "score": re.compile(r["score"], re.I),
        "overall": re.compile(r["overall"], re.I),
        "improvement_end": re.compile(r"\s+(?=improvement\d{0,3}$)", re.I),
        "displaced": re.compile(rf"^(?P<rating>{h['rating_label']})(?:$|\s+(?={h['question_start']}))"),
    }


@dataclass
class PublishedRating:
    standard: str
    rating: str | None
    page: int
    name: str = ""
    marker: int | None = None  # a footnote number glued to the rating ('Good22')


@dataclass
class RatingsSummary:
    page: int | None = None
    service_line: str | None = None
    score: int | None = None
    score_max: int | None = None
    score_page: int | None = None
    overall: str | None = None
    overall_page: int | None = None
    standards: dict[str, PublishedRating] = field(default_factory=dict)


def merge_split_ratings(lines: list[Line]) -> list[Line]:
    """'Requires' at a line end + 'improvement' on the next line -> one line.

    The second half opens the next line (a text export), or ends it: a rating
    wrapped in its own table cell beside a label that wraps too comes out as
    '3.4 Out-of-court disposal Requires' / 'policy and provision improvement'
    (the cells read across, line by line); the rating is joined and the rest
    of the label stays on its line."""
    out: list[Line] = []
    pending_requires = False
    for line in lines:
        text = line.text
        if pending_requires and re.match(r"^improvement\b", text, re.I):
            out[-1] = Line(out[-1].page, out[-1].text + " " + text)
            pending_requires = False
            continue
        if pending_requires and _rx()["improvement_end"].search(text) \
                and not _ratings_in(text[:text.lower().rfind("improvement")]):
            head, tail = _rx()["improvement_end"].split(text, maxsplit=1)
            out[-1] = Line(out[-1].page, out[-1].text + " " + tail)
            out.append(Line(line.page, head))
            pending_requires = False
            continue
        if not text and pending_requires:
            continue  # blank between the two halves
        out.append(line)
        pending_requires = bool(re.search(r"\bRequires$", text, re.I))
    return out


def _ratings_in(text: str) -> list[tuple[str, int | None, int]]:
    """(label, glued marker, start) for each rating label in a line."""
    found = []
    for m in _rx()["rating"].finditer(text):
        label = normalise_rating(m.group("label"))
        if label:
            marker = int(m.group("marker")) if m.group("marker") else None
            found.append((label, marker, m.start()))
    return found


def parse_summary(section: Section) -> RatingsSummary:
    """The ratings page, in row order ('2.1 Assessment Good') or in column
    order (all labels, then all values): slots (overall, then each standard
    code) are filled by rating labels first-in, first-out."""
    rx = _rx()
    summary = RatingsSummary(page=section.page)
    slots: list[tuple[str, int]] = []  # ('overall' | code, page)
    names: dict[str, list[str]] = {}
    for line in merge_split_ratings(section.lines[1:]):
        text = line.text
        if not text:
            continue
        m = rx["score"].search(text)
        if m and summary.score is None:
            summary.score, summary.score_max = int(m.group("score")), int(m.group("max"))
            summary.score_page = line.page
            head = text[:m.start()].strip()
            if head:
                summary.service_line = head
            text = text[m.end():]
        elif summary.service_line is None and not slots and re.search(
                r"youth (?:offending|justice)|\b(?:YOS|YOT|YJS)\b", text, re.I) and not _ratings_in(text):
            summary.service_line = text.strip()
            continue
        code = rx["code"].match(text)
        if rx["overall"].match(text):
            slots.append(("overall", line.page))
            text = rx["overall"].sub("", text, count=1)
        elif code:
            slots.append((code.group("code"), line.page))
            text = code.group("rest")
            names[code.group("code")] = []
        ratings = _ratings_in(text)
        name_part = text[:ratings[0][2]] if ratings else text
        # a name that wraps onto the next line belongs to the last code seen
        last_code = next((s for s, _ in reversed(slots) if s != "overall"), None)
        if last_code and not re.match(r"^[1-4]\.?\s", name_part) and name_part.strip():
            if last_code in names and not (code is None and _is_domain_line(name_part)):
                names[last_code].append(name_part.strip())
        for label, marker, _ in ratings:
            open_slot = next((i for i, (s, _) in enumerate(slots)
                              if s == "overall" and summary.overall is None
                              or s != "overall" and s not in summary.standards), None)
            if open_slot is None:
                continue
            slot, page = slots[open_slot]
            if slot == "overall":
                summary.overall, summary.overall_page = label, page
            else:
                summary.standards[slot] = PublishedRating(slot, label, page, marker=marker)
    for code, parts in names.items():
        if code in summary.standards:
            summary.standards[code].name = " ".join(parts).strip()
        else:
            summary.standards[code] = PublishedRating(code, None, section.page or 0,
                                                      name=" ".join(parts).strip())
    return summary


def _is_domain_line(text: str) -> bool:
    return bool(re.match(r"^(?:Organisational delivery|Court disposals|Out-of-court disposals|Resettlement)\s*$",
                         text.strip(), re.I))


def heading_rating(section: Section) -> PublishedRating | None:
    """The rating printed with a standard's heading (in its section or its
    annex block): the first label before the judgement text starts.

    Text exports in reading-order ('raw') mode may print the heading box's
    rating later: alone on a line after the block's table, or glued before
    the table's first question ('Inadequate Does assessment ...'). Failing
    the first, the first such line is the rating; a rating inside a sentence
    never is."""
    lines = merge_split_ratings(section.lines)
    for line in lines[:25]:
        if line is not lines[0] and _JUDGEMENT_START.match(line.text):
            break
        found = _ratings_in(line.text)
        if found:
            label, marker, _ = found[-1]
            return PublishedRating(section.standard, label, line.page, name=section.title, marker=marker)
    for line in lines[1:]:
        m = _rx()["displaced"].match(line.text.strip())
        if m:
            label, marker, _ = _ratings_in(m.group("rating"))[0]
            return PublishedRating(section.standard, label, line.page, name=section.title, marker=marker)
    return None


def extract_published_ratings(report: SegmentedReport) -> dict:
    """{'summary': RatingsSummary | None, 'section': {code: PublishedRating},
    'annex': {code: PublishedRating}}"""
    summaries = report.of_kind("ratings_summary")
    summary = parse_summary(summaries[0]) if summaries else None
    section = {s.standard: r for s in report.of_kind("standard") if (r := heading_rating(s))}
    annex = {s.standard: r for s in report.of_kind("annex_standard") if (r := heading_rating(s))}
    return {"summary": summary, "section": section, "annex": annex}
