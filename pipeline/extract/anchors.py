"""Key-question rows numbered by their framework, never by their place in
a table: each printed row (a standard's own table, the annex's) is anchored
to one of the framework's key questions (core.questions: by its printed
code where the text bears it out, else by its text), and a row that
anchors to none, or to one another row already holds, is a Note with the
row quoted, not a shifted number (docs/architecture.md, "The framework's
own questions").
"""
from __future__ import annotations

from dataclasses import replace

from pipeline.core import questions
from pipeline.core.records import FindingKind, Note
from pipeline.extract.table_reader import TypedRow

Placed = tuple[dict[int, TypedRow], dict[int, TypedRow], list[Note]]


def anchored(framework: str, standard: str, section_rows: list[TypedRow],
             annex_rows: dict[int, TypedRow]) -> Placed | None:
    """(section rows by index, annex rows by index, Notes for the rows not
    placed); None when the framework has no questions for the standard."""
    if not questions.key_questions(framework, standard):
        return None
    notes: list[Note] = []
    section_at = _place(framework, standard, [(None, row) for row in section_rows], notes)
    annex_at = _place(framework, standard, [(f"{standard}.{index}", row) for index, row in annex_rows.items()],
                      notes)
    return section_at, annex_at, notes


def _place(framework: str, standard: str, rows: list[tuple[str | None, TypedRow]],
           notes: list[Note]) -> dict[int, TypedRow]:
    at: dict[int, TypedRow] = {}
    for code, row in rows:
        index, why, label = _index(framework, standard, code or row.code, row.label)
        row = replace(row, label=label) if label != row.label else row
        if index is not None and index in at:
            index, why = None, f"a second row for key question {standard}.{index}"
        if index is None:
            notes.append(Note(FindingKind.UNANCHORED_QUESTION,
                              f"{standard}: the row '{row.label}' ({row.printed or 'no value'}) is not stored: {why}",
                              row.page, standard=standard, printed=row.printed or row.label))
            continue
        at[index] = row
    return at


def _index(framework: str, standard: str, code: str | None, label: str) -> tuple[int | None, str, str]:
    """The framework's index of the key question a row prints (or why none),
    and the question's printed text."""
    placed = questions.anchor_key_question(framework, standard, code, label)
    if placed is None:
        found = _at_the_end(framework, standard, code, label)
        if found is not None:
            return found
    if isinstance(placed, questions.Anchor):
        return placed.index, "", label
    if isinstance(placed, questions.Conflict):
        return None, placed.reason, label
    return None, f"it matches none of the {framework} framework's key questions of {standard}", label


def _at_the_end(framework: str, standard: str, code: str | None, label: str) -> tuple[int, str, str] | None:
    """A question printed at the end of a label that glued an unvalued
    question in front of it (whose '?' or value was lost): the value
    printed at the row's end is the last question's. Only when exactly one
    of the framework's questions reads there."""
    found = set()
    for question in questions.key_questions(framework, standard):
        tail = label[-len(question.text or ""):].strip() if question.text else ""
        placed = questions.anchor_key_question(framework, standard, code, tail) if tail != label.strip() else None
        if isinstance(placed, questions.Anchor):
            found.add((placed.index, tail))
    if len({index for index, _ in found}) != 1:
        return None
    index, tail = min(found)
    return index, "", tail
