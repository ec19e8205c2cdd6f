"""Key questions of each standard: the section's own table (printed % or
counts) and the annex table ('2.1.1 ... 84%'). Both are returned so that
validate can report where they disagree; the section value is the one kept."""
from __future__ import annotations

import re

from ..document import Section, SegmentedReport
from .rows import ValueRow, parse_value_rows

_TABLE_INTRO = re.compile(r"based on the following key questions?\b|following key questions?:", re.I)


def section_key_questions(section: Section) -> list[ValueRow]:
    """Rows of the table that follows 'Our rating for X is based on the
    following key questions'; none when the table is absent (e.g. an image)."""
    for i, line in enumerate(section.lines):
        if _TABLE_INTRO.search(line.text):
            rows = parse_value_rows(section.lines[i + 1:], stop_at_unvalued_question=True)
            return [r for r in rows if _has_value(r) and r.label.endswith("?")]
    return []


def annex_key_questions(section: Section) -> list[ValueRow]:
    """Rows coded like '2.1.1.' in an annex block, with a % or 'not applicable'."""
    rows = parse_value_rows(section.lines[1:], stop_at_unvalued_question=False)
    return [r for r in rows if r.code and r.code.startswith(f"{section.standard}.") and _has_value(r)]


def _has_value(row: ValueRow) -> bool:
    # a value printed but unreadable keeps its row (null value), so later rows keep their numbers
    return row.pct is not None or row.relevant is not None or row.not_applicable or bool(row.problem)


def extract_key_questions(report: SegmentedReport) -> list[dict]:
    """One row per key question (section first, annex-only questions added),
    with the annex value alongside where the annex prints one."""
    report_id = report.document.report_id
    section_rows = {s.standard: section_key_questions(s) for s in report.of_kind("standard")}
    annex_rows: dict[str, dict[int, ValueRow]] = {}
    for s in report.of_kind("annex_standard"):
        for row in annex_key_questions(s):
            annex_rows.setdefault(s.standard, {})[int(row.code.split(".")[2])] = row
    out = []
    for standard in sorted(set(section_rows) | set(annex_rows)):
        rows = section_rows.get(standard, [])
        annex = annex_rows.get(standard, {})
        indexed = {i: r for i, r in enumerate(rows, start=1)}
        for index in sorted(set(indexed) | set(annex)):
            row = indexed.get(index)
            from_annex = annex.get(index)
            primary = row or from_annex
            out.append({
                "report_id": report_id,
                "standard": standard,
                "index": index,
                "question": primary.label,
                "pct_yes": primary.pct,
                "relevant": primary.relevant,
                "yes": primary.yes,
                "pct_exact": primary.pct_exact,
                "page": primary.page,
                "source": "section" if row else "annex",
                "annex_pct_yes": from_annex.pct if (row and from_annex) else None,
                "annex_page": from_annex.page if (row and from_annex) else None,
                "not_applicable": primary.not_applicable,
                "value_problem": primary.problem,
            })
    return out
