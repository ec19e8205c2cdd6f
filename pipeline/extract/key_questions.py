"""Key questions of each standard: the section's own table (printed % or
counts) and the annex table ('2.1.1 ... 84%'). Both are returned so that
validate can report where they disagree; the section value is the one kept.

A section row is paired with the annex row whose printed question is the
same (by text, rapidfuzz), never by position: a question whose value is
missing from one table must not glue two questions together. The annex code
('2.1.3') gives the index; a section row with no annex partner keeps its
printed position.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..document import Section, SegmentedReport
from ..model import KeyQuestion
from ..patterns import load
from .rows import ValueRow, parse_value_rows, question_similarity


@lru_cache(maxsize=1)
def _rx() -> dict:
    t = load("tables")
    return {"intro": re.compile(t["key_question_intro"], re.I), "threshold": t["question_match_threshold"]}


def section_key_questions(section: Section) -> list[ValueRow]:
    """Rows of the table that follows 'Our rating for X is based on the
    following key questions'; none when the table is absent (e.g. an image)."""
    for i, line in enumerate(section.lines):
        if _rx()["intro"].search(line.text):
            rows = parse_value_rows(section.lines[i + 1:], stop_at_unvalued_question=True)
            return [r for r in rows if _has_value(r) and r.label.endswith("?")]
    return []


def annex_key_questions(section: Section) -> list[ValueRow]:
    """Rows coded like '2.1.1.' in an annex block, with a % or 'not applicable'."""
    rows = parse_value_rows(section.lines[1:], stop_at_unvalued_question=False)
    return [r for r in rows if r.code and r.code.startswith(f"{section.standard}.") and _has_value(r)]


def _has_value(row: ValueRow) -> bool:
    return row.pct is not None or row.relevant is not None or row.not_applicable


def pair_by_text(section_rows: list[ValueRow], annex: dict[int, ValueRow]) -> dict[int, int]:
    """{position in section_rows: annex index} for rows whose printed
    questions match, best pairs first, each row used once."""
    threshold = _rx()["threshold"]
    scored = sorted(((question_similarity(row.label, a.label), pos, index)
                     for pos, row in enumerate(section_rows) for index, a in annex.items()),
                    reverse=True)
    pairs: dict[int, int] = {}
    for score, pos, index in scored:
        if score >= threshold and pos not in pairs and index not in pairs.values():
            pairs[pos] = index
    return pairs


def index_rows(section_rows: list[ValueRow], annex: dict[int, ValueRow]) -> dict[int, ValueRow]:
    """{index: section row}: the annex code of the matching annex question,
    else the row's printed position (else the next free index)."""
    pairs = pair_by_text(section_rows, annex)
    taken = set(pairs.values())
    out: dict[int, ValueRow] = {pairs[pos]: row for pos, row in enumerate(section_rows) if pos in pairs}
    for pos, row in enumerate(section_rows, start=1):
        if pos - 1 in pairs:
            continue
        # no annex question has its text: its printed position, when that is free
        index = pos if pos not in taken else max([*taken, *annex, 0]) + 1
        taken.add(index)
        out[index] = row
    return out


def _record(standard: str, index: int, row: ValueRow | None, annex_row: ValueRow | None) -> KeyQuestion:
    primary = row or annex_row
    assert primary is not None
    both = row is not None and annex_row is not None
    return KeyQuestion(
        standard=standard, index=index, question=primary.label, page=primary.page,
        source="section" if row else "annex", pct_yes=primary.pct, relevant=primary.relevant,
        yes=primary.yes, not_applicable=primary.not_applicable, printed=primary.printed,
        annex_pct_yes=annex_row.pct if both and annex_row else None,
        annex_page=annex_row.page if both and annex_row else None,
        annex_printed=annex_row.printed if both and annex_row else "")


def extract_key_questions(report: SegmentedReport) -> list[KeyQuestion]:
    """One record per key question (section first, annex-only questions
    added), with the annex value alongside where the annex prints one."""
    section_rows = {s.standard: section_key_questions(s) for s in report.of_kind("standard") if s.standard}
    annex_rows: dict[str, dict[int, ValueRow]] = {}
    for s in report.of_kind("annex_standard"):
        for row in annex_key_questions(s):
            if s.standard and row.code:
                annex_rows.setdefault(s.standard, {})[int(row.code.split(".")[2])] = row
    out = []
    for standard in sorted(set(section_rows) | set(annex_rows)):
        annex = annex_rows.get(standard, {})
        indexed = index_rows(section_rows.get(standard, []), annex)
        for index in sorted(set(indexed) | set(annex)):
            out.append(_record(standard, index, indexed.get(index), annex.get(index)))
    return out
