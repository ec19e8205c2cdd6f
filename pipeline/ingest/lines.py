"""A paged text (a text export, a PDF's text) to the Document's blocks.

Text has no markup, so what a block is comes from the lines themselves,
once, here, the same way for every tool that made the text: running lines
are furniture (RUNNING), footnotes are lifted out of the body (FOOTNOTE,
with their numbers), a line whose whole text is a known heading is a
HEADING, the rows of a drawn or tab-separated table are a TABLE, and a
table a tool printed column by column gets its values back on their rows
first. Every other line is a PARAGRAPH of its own (a blank line is an empty
one: the gap between paragraphs, which the readers of prose use).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from itertools import groupby

from pipeline.core.document import Block, BlockKind, Footnote, Page, Table, page_of_blocks
from pipeline.core.headings import classify_heading, heading_level
from pipeline.core.patterns import load
from pipeline.ingest.columns import rows_restored
from pipeline.ingest.footnotes import split_footnotes
from pipeline.ingest.raw import RawLine, TextPage
from pipeline.ingest.text_tables import TextTable, merge_split_ratings, text_tables


def pages_of_lines(pages: list[TextPage], *, column_ordered: bool = False) -> list[Page]:
    """The Document's pages. `column_ordered`: the text may print a table
    column by column (a text tool's export, not a PDF read by geometry)."""
    body, notes = split_footnotes(pages)
    if column_ordered:
        body = rows_restored(body, lambda text: classify_heading(text) is not None)
    body = split_displaced_ratings(merge_split_ratings(body))
    body_of = _body_blocks(body, text_tables(body))
    notes_of: dict[int, list[Footnote]] = {}
    for note in sorted(notes.values(), key=lambda n: n.number):
        notes_of.setdefault(note.page, []).append(note)
    out = []
    for page in pages:
        blocks = [Block(BlockKind.RUNNING, text=text) for text in page.running]
        blocks += body_of.get(page.number, [])
        blocks += [Block(BlockKind.FOOTNOTE, text=n.text, number=n.number) for n in notes_of.get(page.number, [])]
        out.append(page_of_blocks(page.number, blocks, page.printed_number))
    return out


@lru_cache(maxsize=1)
def _displaced() -> re.Pattern[str]:
    h = load("headings")
    return re.compile(rf"^(?P<rating>{h['rating_label']})\s+(?={h['question_start']})")


def split_displaced_ratings(lines: list[RawLine]) -> list[RawLine]:
    """A heading box's rating that a reading-order export glued before the
    next table's first question ('Inadequate Does assessment ...') goes on
    a line of its own, as the box prints it."""
    out: list[RawLine] = []
    for line in lines:
        m = _displaced().match(line.text) if not line.cells and line.text[:1].isupper() else None
        if m:
            out.append(replace(line, text=m.group("rating")))
            line = replace(line, text=line.text[m.end():])
        out.append(line)
    return out


def _body_blocks(body: list[RawLine], tables: list[TextTable]) -> dict[int, list[Block]]:
    """Each page's body blocks: the lines as blocks, but each table's lines
    as its TABLE block (one per page the table's rows are on)."""
    out: dict[int, list[Block]] = {}
    position = 0
    for table in tables:
        _add_lines(out, body[position:table.start])
        for page, rows in groupby(table.rows, key=lambda row: row[0]):
            out.setdefault(page, []).append(Block(BlockKind.TABLE, table=Table(tuple(cells for _, cells in rows))))
        position = table.end
    _add_lines(out, body[position:])
    return out


def _add_lines(out: dict[int, list[Block]], lines: list[RawLine]) -> None:
    for page, on_page in groupby(lines, key=lambda line: line.page):
        out.setdefault(page, []).extend(blocks_of_lines(list(on_page)))


def blocks_of_lines(lines: list[RawLine]) -> list[Block]:
    """Body lines to blocks, in order: each run of rows of one table a TABLE,
    each heading a HEADING, every other line a PARAGRAPH."""
    blocks: list[Block] = []
    rows: list[RawLine] = []
    for line in lines:
        if rows and not _same_table(rows[-1], line):
            blocks.append(_table(rows))
            rows = []
        if line.cells:
            rows.append(line)
            continue
        heading = classify_heading(line.text) if line.text else None
        if heading is not None:
            blocks.append(Block(BlockKind.HEADING, text=line.text, level=heading_level(heading[0]), box=line.box))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, text=line.text, box=line.box))
    if rows:
        blocks.append(_table(rows))
    return blocks


def _same_table(row: RawLine, line: RawLine) -> bool:
    return bool(line.cells) and line.table == row.table


def _table(rows: list[RawLine]) -> Block:
    boxes = [r.box for r in rows if r.box]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
           max(b[3] for b in boxes)) if boxes else None
    return Block(BlockKind.TABLE, table=Table(tuple(r.cells for r in rows if r.cells)), box=box)
