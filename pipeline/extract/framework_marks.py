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
from pipeline.core.document import BlockKind, SegmentedReport
from pipeline.core.patterns import load
from pipeline.core.records import FindingKind, KeyQuestion, Note, PublishedRating
from pipeline.core.text import JoinedText
from pipeline.extract.identity import opening_lines
from pipeline.extract.stream import TextItem, items_of
from pipeline.extract.table_reader import TypedRow, cell_value


@lru_cache(maxsize=1)
def _rx() -> dict[str, Any]:
    return {
        "area": rules.rated_area_label(),
        "by_label": {label.lower(): key for key, label in rules.rated_areas().items()},
        "unsectioned": re.compile(load("tables")["unsectioned_code"]),
    }


def _area_values(report: SegmentedReport) -> list[tuple[str, str, int]]:
    """(label, what is printed as its value, page) of each rated area's row
    in the ratings summary: a table row's value cell, or a paragraph's words
    after the label (or the paragraph under it)."""
    rx = _rx()["area"]
    items = items_of(report.of_kind("ratings_summary"))
    out = []
    for i, item in enumerate(items):
        label_text = item.label if isinstance(item, TypedRow) else item.text
        m = rx.match(label_text.strip()) if rx else None
        if not m:
            continue
        if isinstance(item, TypedRow):
            cells = [c for c in item.cells if c]
            printed = item.rating or (cells[-1] if len(cells) > 1 else "") or (m.group("rest") or "")
        else:
            printed = (m.group("rest") or "").strip()
            following = items[i + 1] if i + 1 < len(items) else None
            if not printed and isinstance(following, TextItem):
                printed = following.text.strip()
        out.append((m.group("label"), printed, item.page or 0))
    return out


def area_ratings(report: SegmentedReport) -> tuple[dict[str, PublishedRating], list[Note]]:
    """Each rated area's rating as the ratings summary prints it: beside its
    label, or alone on the line under it. A label with a word that is not a
    rating is a null and a Note; the first printing of an area is kept, and
    a later one that prints another rating is a Note."""
    rx = _rx()
    if rx["area"] is None:
        return {}, []
    found: dict[str, PublishedRating] = {}
    notes: list[Note] = []
    for label, printed, page in _area_values(report):
        key = rx["by_label"][label.lower()]
        value = cell_value(printed)
        rating, marker = value.rating, value.marker
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
    wherever their rows are printed: the code gives the standard and the index."""
    rx = _rx()["unsectioned"]
    out: dict[tuple[str, int], KeyQuestion] = {}
    for section in report.sections:
        if section.kind in ("standard", "annex_standard") \
                or not any(block.kind is BlockKind.TABLE for _, block in section.blocks):
            continue  # the rows are a table's: a section of prose has none
        for row in items_of([section]):
            if not isinstance(row, TypedRow) or not row.code or not rx.match(f"{row.code} ") or not row.valued:
                continue
            standard, index = row.code.rsplit(".", 1)
            out.setdefault((standard, int(index)), KeyQuestion(
                standard=standard, index=int(index), question=row.label, page=row.page or 0, source="section",
                pct_yes=row.pct, relevant=row.relevant, yes=row.yes, not_applicable=row.not_applicable,
                printed=row.printed, value_problem=row.problem))
    return [out[k] for k in sorted(out, key=lambda k: (rules.code_order(k[0]), k[1]))]
