"""Tables printed column by column (every question, then every value: some
PDF text tools): paired only when exactly as many values as questions
follow, so that no value can shift to a neighbour's row."""
from __future__ import annotations

import re
from typing import Any

from pipeline.core.labels import clean_label
from pipeline.ingest.raw import RawLine
from pipeline.core.text import join_wrapped
from pipeline.ingest.text_values import ValueRow, is_header, set_values, table_patterns, value_only

PAGE_NUMBER = re.compile(r"^\d{1,3}$")


def column_table(lines: list[RawLine]) -> list[ValueRow]:
    """A table printed column by column from its first line: every question
    (each wrapped over lines, ending '?'), then the header, then exactly as
    many values, one per line. Nothing when the lines are not that shape: a
    count that does not match pairs nothing."""
    questions: list[tuple[list[str], int, int, int]] = []  # (lines, page, index of the first and last line)
    label: list[str] = []
    first = 0
    index = 0
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text or (not questions and not label and PAGE_NUMBER.match(text)):
            continue
        if is_header(text) or value_only(text, None) is not None:
            break
        if line.cells or table_patterns()["end"].match(text):
            return []  # rows that carry their own values
        if not label:
            first = index
        label.append(text)
        if clean_label(text).endswith("?"):
            questions.append((label, line.page, first, index))
            label = []
    else:
        return []
    run = column_run(lines, index, None)
    if label or len(questions) < 2 or len(run) != len(questions):
        return []
    rows = []
    for (parts, page, start, end), values in zip(questions, run, strict=True):
        row = ValueRow(label=clean_label(join_wrapped(parts)), page=page, start=start, end=end + 1)
        set_values(row, values)
        rows.append(row)
    return rows


def column_run(lines: list[RawLine], index: int, cases: int | None) -> list[dict[str, Any]]:
    """The values printed one per line from `index` on (blank and header lines
    skipped), up to the first line that is not a value."""
    run = []
    for line in lines[index:]:
        text = line.text.strip()
        if not text or is_header(text):
            continue
        value = value_only(text, cases)
        if value is None:
            break
        run.append({**value, "printed": text})
    return run


def column_order(lines: list[RawLine], index: int, rows: list[ValueRow], cases: int | None) -> list[ValueRow]:
    """A table exported column by column (all the questions, then all the
    values: pdfminer, some viewers): the unvalued question rows just emitted,
    plus the one still being read, when exactly as many values follow. With
    any other count nothing is paired (a value must not shift to a
    neighbour's row)."""
    waiting: list[ValueRow] = []
    for row in reversed(rows):
        if row.printed or row.not_applicable or not row.label.endswith("?") or not (row.code or row.letter):
            break
        waiting.insert(0, row)
    if not waiting:
        return []
    run = column_run(lines, index, cases)
    return waiting if len(run) == len(waiting) + 1 else []
