"""Key questions of each standard: the section's own table (printed % or
counts) and the annex table ('2.1.1 ... 84%'). Both are returned so that
validate can report where they disagree; the section value is the one kept.

A section row is paired with the annex row whose printed question is the
same (by text, rapidfuzz), never by position: a question whose value is
missing from one table must not glue two questions together or raise a false
conflict. The annex code ('2.1.3') gives the index; a section row with no
annex partner keeps its printed position and gets no annex value.
"""
from __future__ import annotations


from functools import lru_cache

from pipeline.core.document import SegmentedReport
from pipeline.core import rules
from pipeline.core.records import KeyQuestion, Note
from pipeline.extract.anchors import anchored
from pipeline.core.patterns import load
from pipeline.core.labels import question_similarity
from pipeline.extract.annex import annex_results
from pipeline.extract.groups import table_key_questions
from pipeline.extract.table_reader import TypedRow


@lru_cache(maxsize=1)
def _threshold() -> float:
    return float(load("tables")["question_match_threshold"])


def text_match(section_label: str, annex_label: str) -> tuple[float, bool]:
    """(similarity, whole): how well a section row's question is the annex
    one. A row whose label glued an unvalued question in front of this one
    matches on its tail (the value printed at the end is the last question's);
    `whole` is False then, and the annex text is the question's."""
    whole = question_similarity(section_label, annex_label)
    tail = question_similarity(section_label[-len(annex_label):], annex_label)
    return max(whole, tail), whole >= tail


def pair_by_text(section_rows: list[TypedRow], annex: dict[int, TypedRow]) -> dict[int, tuple[int, bool]]:
    """{position in section_rows: (annex index, whole label matched)} for rows
    whose printed questions match, best pairs first, each row used once."""
    threshold = _threshold()
    scored = sorted(((*text_match(row.label, a.label), pos, index)
                     for pos, row in enumerate(section_rows) for index, a in annex.items()),
                    key=lambda t: (-t[0], t[2], t[3]))
    pairs: dict[int, tuple[int, bool]] = {}
    used: set[int] = set()
    for score, whole, pos, index in scored:
        if score >= threshold and pos not in pairs and index not in used:
            pairs[pos] = (index, whole)
            used.add(index)
    return pairs


def _record(standard: str, index: int, row: TypedRow | None, annex_row: TypedRow | None,
            question: str | None = None) -> KeyQuestion:
    """`annex_row` is given with `row` only when their texts matched."""
    primary = row or annex_row
    assert primary is not None
    both = row is not None and annex_row is not None
    return KeyQuestion(
        standard=standard, index=index, question=question or primary.label, page=primary.page or 0,
        source="section" if row else "annex", pct_yes=primary.pct, relevant=primary.relevant,
        yes=primary.yes, not_applicable=primary.not_applicable, printed=primary.printed,
        value_problem=primary.problem,
        annex_pct_yes=annex_row.pct if both and annex_row else None,
        annex_page=annex_row.page if both and annex_row else None,
        annex_printed=annex_row.printed if both and annex_row else "")


def standard_key_questions(standard: str, section_rows: list[TypedRow],
                           annex: dict[int, TypedRow]) -> list[KeyQuestion]:
    """Each section row at its annex partner's index (found by text), else at
    its printed position when no annex question holds that index; annex
    questions with no section row are added from the annex."""
    pairs = pair_by_text(section_rows, annex)
    out: dict[int, KeyQuestion] = {}
    for pos, row in enumerate(section_rows):
        if pos in pairs:
            index, whole = pairs[pos]
            out[index] = _record(standard, index, row, annex[index],
                                 None if whole else annex[index].label)
    matched = {index for index, _ in pairs.values()}
    for pos, row in enumerate(section_rows, start=1):
        if pos - 1 not in pairs:
            index = pos if pos not in out and pos not in matched else max([*out, *annex, 0]) + 1
            out[index] = _record(standard, index, row, None)
    for index, annex_row in annex.items():
        out.setdefault(index, _record(standard, index, None, annex_row))
    return [out[i] for i in sorted(out)]


def report_framework(report: SegmentedReport) -> str | None:
    """The framework the report's standards' headings name (core.rules)."""
    names = {s.standard: s.title.split(" ", 1)[-1] for s in report.of_kind("standard") if s.standard}
    return rules.detect_framework(names)


def extract_key_questions(report: SegmentedReport) -> list[KeyQuestion]:
    """One record per key question (section first, annex-only questions
    added), with the annex value alongside where the annex prints one."""
    return read_key_questions(report)[0]


def read_key_questions(report: SegmentedReport) -> tuple[list[KeyQuestion], list[Note]]:
    """The key questions, and a Note for each row the framework's own
    questions do not bear out (extract.anchors)."""
    section_rows = {s.standard: table_key_questions(s) for s in report.of_kind("standard") if s.standard}
    annex_rows = annex_results(report).key_questions
    framework = report_framework(report)
    out: list[KeyQuestion] = []
    notes: list[Note] = []
    for standard in sorted(set(section_rows) | set(annex_rows), key=rules.code_order):
        rows, annex = section_rows.get(standard, []), annex_rows.get(standard, {})
        placed = anchored(framework, standard, rows, annex) if framework else None
        if placed is None:  # the framework has no questions for the standard as data: printed order
            out += standard_key_questions(standard, rows, annex)
            continue
        section_at, annex_at, unplaced = placed
        notes += unplaced
        out += [_record(standard, index, section_at.get(index), annex_at.get(index))
                for index in sorted(set(section_at) | set(annex_at))]
    return out, notes
