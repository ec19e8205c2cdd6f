"""The tables of a text printed as lines, turned into TABLE blocks.

A text export prints a table as lines: labels wrapped over several lines,
values at a line's end or on lines of their own, a header repeated after a
page break. The line reader (text_rows, text_groups, text_summary) reads
them into rows where a table may stand, and each run of lines a table took
becomes one TABLE block per page, its rows cells as any other reader gives
them: a label cell (with its printed code or letter), then the value cells
('62%'; or '8', '7' for a pair of counts), a header row above naming the
cases. Everything downstream then reads one kind of table whatever made it.

Where a table may stand comes from the section its lines are in (the
headings' kinds, core.headings.HeadingTracker, the tracker segment uses):
- the ratings summary: the whole section, one row per label;
- a standard's section: the key-question table after 'Our rating ... is
  based on the following key questions', and each prompt group (a key
  question as the group's heading, then its prompts);
- an annex part for a standard: its coded, lettered and valued rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pipeline.core.document import Cell
from pipeline.core.headings import HeadingTracker, classify_heading
from pipeline.core.patterns import load
from pipeline.core.text import JoinedText
from pipeline.ingest.raw import RawLine
from pipeline.ingest.text_groups import Group, find_groups, group_rows
from pipeline.ingest.text_rows import parse_value_rows
from pipeline.ingest.text_summary import merge_split_ratings, summary_rows
from pipeline.ingest.text_values import ValueRow, is_header, table_patterns


@dataclass
class TextTable:
    """A table the lines printed: its rows as (page, cells), and the lines it took."""
    start: int
    end: int
    rows: list[tuple[int, tuple[Cell, ...]]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _intro() -> re.Pattern[str]:
    return re.compile(load("tables")["key_question_intro"], re.I)


def text_tables(lines: list[RawLine]) -> list[TextTable]:
    """The tables among a document's body lines (in order, not overlapping)."""
    found: list[TextTable] = []
    for kind, start, end in _regions(lines):
        for run_start, run_end in _runs(lines, start, end):
            run = lines[run_start:run_end]
            for table in _tables_of(kind, run):
                table.start += run_start
                table.end += run_start
                found.append(table)
    return _without_overlaps(found)


def _regions(lines: list[RawLine]) -> list[tuple[str, int, int]]:
    """(section kind, first line, end) of each section the headings open."""
    tracker = HeadingTracker()
    regions: list[tuple[str, int, int]] = []
    kind, start = "front", 0
    for index, line in enumerate(lines):
        if line.cells or not line.text or classify_heading(line.text) is None:
            continue
        opened = tracker.opens(line.text, line.page)
        if opened is not None:
            regions.append((kind, start, index))
            kind, start = opened[0], index + 1
    regions.append((kind, start, len(lines)))
    return [r for r in regions if r[2] > r[1]]


def _runs(lines: list[RawLine], start: int, end: int) -> list[tuple[int, int]]:
    """The runs of lines in [start, end) that are not rows of a table a
    reader drew (a PDF's ruled table, a tab-separated row): those are tables already."""
    runs: list[tuple[int, int]] = []
    run_start = None
    for index in range(start, end):
        if lines[index].cells:
            if run_start is not None:
                runs.append((run_start, index))
            run_start = None
        elif run_start is None:
            run_start = index
    if run_start is not None:
        runs.append((run_start, end))
    return runs


def _tables_of(kind: str, lines: list[RawLine]) -> list[TextTable]:
    if kind == "ratings_summary":
        rows = summary_rows(lines)
        return [TextTable(0, len(lines), rows)] if rows else []
    if kind == "standard":
        return _key_question_table(lines) + _group_tables(lines, annex=False)
    if kind == "annex_standard":
        return _annex_table(lines)
    return _unsectioned_table(lines)


def _unsectioned_table(lines: list[RawLine]) -> list[TextTable]:
    """Coded key questions of a standard no section of its own holds (the
    2025 victims' standard's 'V1.1 ... 88%', patterns/tables.json
    unsectioned_code), wherever they are printed."""
    coded = _unsectioned()
    if not any(coded.match(f"{line.text.strip()} ") for line in lines):
        return []
    rows = [r for r in parse_value_rows(lines, stop_at_unvalued_question=False)
            if r.code and coded.match(f"{r.code} ") and _valued(r)]
    return [_table(lines, rows[0].start, rows, heading=None)] if rows else []


@lru_cache(maxsize=1)
def _unsectioned() -> re.Pattern[str]:
    return re.compile(load("tables")["unsectioned_code"])


def _key_question_table(lines: list[RawLine]) -> list[TextTable]:
    """The table after 'Our rating for X is based on the following key
    questions' (the sentence may wrap); none when the table is absent (an image)."""
    after = _after_intro(lines)
    if after is None:
        return []
    rows = [r for r in parse_value_rows(lines[after:], stop_at_unvalued_question=True)
            if _valued(r) and r.label.endswith("?")]
    if not rows:
        return []
    for row in rows:
        row.start, row.end = row.start + after, row.end + after
    return [_table(lines, after, rows, heading=None)]


def _after_intro(lines: list[RawLine]) -> int | None:
    """The index of the line after the intro sentence's end. The sentence
    wraps over at most a few lines, each holding 'following' or starting
    after it: each line holding the word is joined with the two below it."""
    for index, line in enumerate(lines):
        if "following" not in line.text.lower():
            continue
        joined = JoinedText(lines[index:index + _INTRO_LINES])  # type: ignore[arg-type]
        found = _intro().search(joined.text)
        if found is not None:
            return index + joined.line_index_at(found.end() - 1) + 1
    return None


_INTRO_LINES = 3


def _group_tables(lines: list[RawLine], annex: bool) -> list[TextTable]:
    groups, lines = _repeats_merged(find_groups(lines), lines)
    out = []
    for n, group in enumerate(groups):
        end = groups[n + 1].heading_start if n + 1 < len(groups) else len(lines)
        rows = group_rows(lines, group, end, annex)
        if rows:
            heading = f"{group.code}. {group.heading}" if group.code else group.heading
            table = _table(lines, group.rows_start, rows, heading=heading,
                           header_from=group.heading_start)
            table.start = group.heading_start
            out.append(table)
    return out


def _repeats_merged(groups: list[Group], lines: list[RawLine]) -> tuple[list[Group], list[RawLine]]:
    """A group's heading and header printed again below its rows (at the top
    of the next page: a table cut by a page break, with or without a page
    mark) open no group: the lines they took read as blank, so that a row
    whose label the break cut carries on below."""
    kept: list[Group] = []
    repeated: set[int] = set()
    for group in groups:
        last = kept[-1] if kept else None
        if last is not None and (group.code, group.heading) == (last.code, last.heading) \
                and not _prose_between(lines, last.rows_start, group.heading_start):
            repeated.update(range(group.heading_start, group.rows_start))
            continue
        kept.append(group)
    if not repeated:
        return groups, lines
    return kept, [replace(line, text="") if index in repeated else line for index, line in enumerate(lines)]


def _prose_between(lines: list[RawLine], start: int, end: int) -> bool:
    """A sentence among lines[start:end] (the prose after a table): a group
    heading printed again with only the table's rows above it since the
    first is the table's header repeated, not a new table."""
    return any(_SENTENCE_END.search(line.text) for line in lines[start:end])


# a full stop after a word ('... rated as 'Good'.', '... to others. As such'), not after a code ('2.1.1.')
_SENTENCE_END = re.compile(r"[^\W\d_][)'’\"]?\.(?:\s|$)")


def _annex_table(lines: list[RawLine]) -> list[TextTable]:
    """An annex part's rows, as one table in printed order: its coded key
    questions ('2.1.1. ... 84%') and each prompt group (the key question as
    the group's heading, then its lettered prompts)."""
    coded = [r for r in parse_value_rows(lines, stop_at_unvalued_question=False) if r.code and _valued(r)]
    groups = _group_tables(lines, annex=True)
    if not coded and not groups:
        return []
    pieces = [(r.start, 0, r.end, [(r.page, (Cell(_label(r)), *_value_cells(r)))]) for r in coded]
    pieces += [(g.start, 1, g.end, g.rows) for g in groups]
    pieces.sort(key=lambda piece: piece[:2])
    table = TextTable(pieces[0][0], max(end for _, _, end, _ in pieces))
    taken = -1
    for start, is_group, end, rows in pieces:
        if start >= taken:
            table.rows.extend(rows)
        elif is_group and end > taken:
            table.rows.extend(rows[1:])  # a group headed by a coded key question printed with its value
        taken = max(taken, end)
    return [table]


def _valued(row: ValueRow) -> bool:
    return row.pct is not None or row.relevant is not None or row.not_applicable or bool(row.problem)


def _table(lines: list[RawLine], start: int, rows: list[ValueRow], heading: str | None,
           header_from: int | None = None) -> TextTable:
    """A TABLE's rows from the rows the line reader read: a heading row, a
    header row from the header lines just above the first row, then the
    rows. Other lines above the first row (a heading box's rating a
    reading-order export printed there) stay lines."""
    first = rows[0].start
    while first > start and (not lines[first - 1].text.strip() or _is_header_line(lines[first - 1])):
        first -= 1
    start = first if header_from is None else start
    table = TextTable(start, max(r.end for r in rows))
    first_page = rows[0].page
    if heading:
        table.rows.append((first_page, (Cell(heading),)))
    header = _header_text(lines[header_from if header_from is not None else start:rows[0].start])
    if header:
        table.rows.append((first_page, (Cell(header, header=True),)))
    for row in rows:
        table.rows.append((row.page, (Cell(_label(row)), *_value_cells(row))))
    return table


def _header_text(lines: list[RawLine]) -> str:
    """The table's header lines above its first row ('% yes', 'Of the 8 cases
    inspected:', 'Relevant cases' / "Number 'Yes'"), joined."""
    return " ".join(ln.text.strip() for ln in lines if ln.text.strip() and _is_header_line(ln))


def _is_header_line(line: RawLine) -> bool:
    text = line.text.strip()
    return is_header(text) or bool(table_patterns()["counts_intro"].match(text)) or text.endswith(":")


def _label(row: ValueRow) -> str:
    prefix = f"{row.code}. " if row.code else f"{row.letter}) " if row.letter else ""
    return prefix + row.label


def _value_cells(row: ValueRow) -> tuple[Cell, ...]:
    if row.problem:
        return (Cell(row.printed, problem=row.problem),)
    if row.pct is not None:
        return (Cell(f"{row.pct:g}%"),)
    if row.relevant is not None:
        return (Cell(str(row.relevant)), Cell(str(row.yes)))
    if row.not_applicable:
        return (Cell(row.printed or "Not applicable"),)
    return ()


def _without_overlaps(tables: list[TextTable]) -> list[TextTable]:
    """Tables in order; one that starts inside the one before is left out
    (its lines stay lines)."""
    out: list[TextTable] = []
    for table in sorted(tables, key=lambda t: t.start):
        if out and table.start < out[-1].end:
            continue
        out.append(table)
    return out


__all__ = ["TextTable", "merge_split_ratings", "text_tables"]
