"""What a report prints that marks a framework other than by its standards'
codes (standards.json's framework_details): a title form, rated areas
between the overall rating and the standards ('Work with children',
'Work with victims'), and key questions of standards that have no section
of their own that segment opens (the 2025 victims' standard's V1.1, V1.2),
read wherever they are printed, under the codes the report prints."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipeline.core import rules
from pipeline.core.document import Line, SegmentedReport
from pipeline.core.patterns import load
from pipeline.core.records import FindingKind, KeyQuestion, Note, PublishedRating
from pipeline.core.text import JoinedText
from pipeline.extract.identity import opening_lines
from pipeline.extract.ratings import area_row, merge_split_ratings, read_rating
from pipeline.extract.rows import parse_value_rows


@lru_cache(maxsize=1)
def _rx() -> dict[str, Any]:
    return {
        "area": area_row(),
        "by_label": {label.lower(): key for key, label in rules.rated_areas().items()},
        "unsectioned": re.compile(load("tables")["unsectioned_code"]),
    }


def _area_lines(report: SegmentedReport) -> list[Line]:
    return [line for s in report.of_kind("ratings_summary") for line in merge_split_ratings(s.lines)]


def area_ratings(report: SegmentedReport) -> tuple[dict[str, PublishedRating], list[Note]]:
    """Each rated area's rating as the ratings summary prints it: beside its
    label, or alone on the line under it. A label with a word that is not a
    rating is a null and a Note; the first printing of an area is kept, and
    a later one that prints another rating is a Note."""
    rx = _rx()
    if rx["area"] is None:
        return {}, []
    lines = _area_lines(report)
    found: dict[str, PublishedRating] = {}
    notes: list[Note] = []
    for i, line in enumerate(lines):
        m = rx["area"].match(line.text.strip())
        if not m:
            continue
        key, label = rx["by_label"][m.group("label").lower()], m.group("label")
        printed, page = (m.group("rest") or "").strip(), line.page
        if not printed and i + 1 < len(lines):
            printed, page = lines[i + 1].text.strip(), lines[i + 1].page
        rating, marker = read_rating(printed)
        if key in found:
            if rating and found[key].rating and rating != found[key].rating:
                notes.append(Note(FindingKind.RATING_CONFLICT, page=page, printed=printed,
                                  detail=f"ratings summary prints {label} as {found[key].rating} (page "
                                         f"{found[key].page}) and as {rating} (page {page}); the first is kept"))
            continue
        if rating is None:
            notes.append(Note(FindingKind.UNRECOGNISED_RATING, page=page, printed=printed,
                              detail=f"ratings summary prints '{printed}' for {label}, which is not one of the "
                                     "four ratings"))
        found[key] = PublishedRating(key, rating, page, name=label, marker=marker, printed=printed)
    return found, notes


def _title_cue(report: SegmentedReport, pattern: str) -> bool:
    text = JoinedText(opening_lines(report)).text
    return re.search(pattern, text, re.I) is not None


def framework_cues(report: SegmentedReport, areas: dict[str, PublishedRating],
                   printed_standards: set[str]) -> dict[str, list[str]]:
    """framework -> which of its cues the report prints: 'title' (its title
    form), 'rated_areas' (its areas' labels in the ratings summary) and the
    codes of standards only it has."""
    out: dict[str, list[str]] = {}
    for framework, cues in rules.framework_cues().items():
        found = []
        if cues.get("title") and _title_cue(report, cues["title"]):
            found.append("title")
        own_areas = set(rules.framework_rated_areas(framework))
        if cues.get("rated_areas") and own_areas & set(areas):
            found.append("rated_areas")
        found += [code for code in cues.get("standards", []) if code in printed_standards]
        out[framework] = found
    return out


def unsectioned_key_questions(report: SegmentedReport) -> list[KeyQuestion]:
    """Key questions coded like 'V1.1' (patterns/tables.json unsectioned_code)
    wherever they are printed: the code gives the standard and the index.
    Sections that print none are passed over by one search each."""
    rx = _rx()["unsectioned"]
    out: dict[tuple[str, int], KeyQuestion] = {}
    for section in report.sections:
        if section.kind in ("standard", "annex_standard") or not rx.search(section.text()):
            continue
        body = section.lines if section.kind == "front" else section.lines[1:]  # the front has no heading
        for row in parse_value_rows(body, stop_at_unvalued_question=False):
            if not row.code or not rx.match(f"{row.code} "):
                continue
            standard, index = row.code.rsplit(".", 1)
            out.setdefault((standard, int(index)), KeyQuestion(
                standard=standard, index=int(index), question=row.label, page=row.page, source="section",
                pct_yes=row.pct, relevant=row.relevant, yes=row.yes, not_applicable=row.not_applicable,
                printed=row.printed, value_problem=row.problem))
    return [out[k] for k in sorted(out, key=lambda k: (rules.code_order(k[0]), k[1]))]
