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

from itertools import groupby

from pipeline.core.document import Block, BlockKind, Footnote, Page, Table, page_of_blocks
from pipeline.core.headings import classify_heading, heading_level
from pipeline.ingest.columns import rows_restored
from pipeline.ingest.footnotes import split_footnotes
from pipeline.ingest.raw import RawLine, TextPage


def pages_of_lines(pages: list[TextPage], *, column_ordered: bool = False) -> list[Page]:
    """The Document's pages. `column_ordered`: the text may print a table
    column by column (a text tool's export, not a PDF read by geometry)."""
    body, notes = split_footnotes(pages)
    if column_ordered:
        body = rows_restored(body, lambda text: classify_heading(text) is not None)
    lines_of: dict[int, list[RawLine]] = {n: list(g) for n, g in groupby(body, key=lambda line: line.page)}
    notes_of: dict[int, list[Footnote]] = {}
    for note in sorted(notes.values(), key=lambda n: n.number):
        notes_of.setdefault(note.page, []).append(note)
    out = []
    for page in pages:
        blocks = [Block(BlockKind.RUNNING, text=text) for text in page.running]
        blocks += blocks_of_lines(lines_of.get(page.number, []))
        blocks += [Block(BlockKind.FOOTNOTE, text=n.text, number=n.number) for n in notes_of.get(page.number, [])]
        out.append(page_of_blocks(page.number, blocks, page.printed_number))
    return out


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
