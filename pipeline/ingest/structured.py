"""What the readers of formats without pages (HTML, Word, Markdown) share:
text cleaned as the text reader cleans a line, footnote markers glued to
the word before them as PDF text prints them ("rating3"), and the blocks cut
into one page per heading section, each named by its heading path.

The extractors were written for PDF text, so the blocks are made to read
like it: a footnote goes on the page (heading section) where it is first
referenced, after the body, as "N text" (segment reads footnotes per page,
in rising number order, and facts read a page's markers against its notes).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from pipeline.core.document import Block, BlockKind, Cell, Page, Table, page_of_blocks
from pipeline.core.errors import IngestError
from pipeline.core.headings import classify_heading, heading_level
from pipeline.core.limits import MAX_BLOCKS, MAX_TABLE_ROWS
from pipeline.core.text import strip_trailing_marker
from pipeline.ingest.text import normalise_line


def clean(text: str) -> str:
    """Whitespace (newlines included) squeezed to single spaces, then the
    text reader's character table (quotes, dashes, ligatures, NBSP, soft
    hyphens), so every format gives the extractors the same characters."""
    return normalise_line(" ".join(text.split()))


def glue(text: str, number: int) -> str:
    """A footnote reference as PDF text prints it: the number right after the
    word (or punctuation) before it, with no space."""
    return f"{text.rstrip()}{number}"


def glue_marker(parts: list[str], number: int) -> None:
    """Append a footnote marker glued to the text before it in `parts` (a
    text being built piece by piece; blank pieces between are dropped)."""
    while parts and not parts[-1].strip():
        parts.pop()
    if parts:
        parts[-1] = glue(parts[-1], number)
    else:
        parts.append(str(number))


@dataclass
class Item:
    """A block as a reader found it, with the footnotes its text references."""
    block: Block
    refs: tuple[int, ...] = ()


def heading(text: str, level: int, refs: tuple[int, ...] = ()) -> Item:
    return Item(Block(BlockKind.HEADING, text=text, level=max(1, level)), refs)


def text_block(kind: BlockKind, text: str, refs: tuple[int, ...] = ()) -> Item:
    return Item(Block(kind, text=text), refs)


def list_item(text: str, number: str | None, refs: tuple[int, ...] = ()) -> Item:
    """A list item with the number its list gives it ('3.', from the list's
    own numbering, never typed in the text): kept as the block's number."""
    digits = (number or "").rstrip(".)").strip()
    return Item(Block(BlockKind.LIST_ITEM, text=text, number=int(digits) if digits.isdigit() else None), refs)


def table_block(rows: list[tuple[Cell, ...]], refs: tuple[int, ...] = ()) -> Item:
    return Item(Block(BlockKind.TABLE, table=Table(tuple(rows))), refs)


def block_texts(items: list[Item]) -> list[str]:
    """What a reader sees, block by block: each block's text, each table
    row's cells joined (hidden text is told against these)."""
    out: list[str] = []
    for item in items:
        block = item.block
        if block.table is not None:
            out += [" ".join(cell.text for cell in row) for row in block.table.rows]
        elif block.text:
            out.append(block.text)
    return out


class Budget:
    """Counts blocks and table rows as a reader makes them and refuses the
    file as soon as either passes its cap (core.limits), so that one endless
    table costs seconds, not the worker's memory."""

    def __init__(self, what: str):
        self.what = what
        self.blocks = 0

    def block(self) -> None:
        self.blocks += 1
        if self.blocks > MAX_BLOCKS:
            raise IngestError(f"this {self.what} has over {MAX_BLOCKS:,} blocks (paragraphs, rows, items): "
                              "far more than a report; refused", error="too_many_blocks")

    def rows(self, count: int) -> None:
        if count > MAX_TABLE_ROWS:
            raise IngestError(f"this {self.what} has a table of over {MAX_TABLE_ROWS:,} rows: "
                              "far more than a report's; refused", error="too_many_rows")


def promoted(block: Block) -> Block:
    """A paragraph or list item whose whole text is a known heading is a
    heading (converters and authors print headings as bold or plain
    paragraphs, numbered list items, ...): the same test the lines of a text
    export get (ingest.lines)."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) or not block.text:
        return block
    heading = classify_heading(block.text)
    return replace(block, kind=BlockKind.HEADING, level=heading_level(heading[0])) if heading else block


def paginate(items: list[Item], notes: dict[int, str]) -> tuple[list[Page], dict[int, str]]:
    """One page per heading section (a heading opens a page; text before the
    first heading is page 1) and each page's heading path. Footnote `notes`
    (number -> text) go on the page of their first reference, and never on
    a page before a lower-numbered note's (segment reads them in rising
    order); a note never referenced follows the note before it."""
    sections: list[list[Item]] = []
    paths: list[str] = []
    trail: list[tuple[int, str]] = []  # (level, text) of the open headings
    for item in items:
        block = item.block
        if block.kind is BlockKind.HEADING:
            level = block.level or 1
            while trail and trail[-1][0] >= level:
                trail.pop()
            trail.append((level, strip_trailing_marker(block.text)))
            sections.append([])
            paths.append(" > ".join(text for _, text in trail))
        elif not sections:
            sections.append([])
            paths.append("")
        sections[-1].append(item)
    if not sections:
        sections, paths = [[]], [""]
    first_ref: dict[int, int] = {}
    for index, section in enumerate(sections):
        for item in section:
            for n in item.refs:
                first_ref.setdefault(n, index)
    placed: dict[int, list[int]] = {}
    floor = 0
    for number in sorted(notes):
        floor = max(floor, first_ref.get(number, floor))
        placed.setdefault(floor, []).append(number)
    pages: list[Page] = []
    locators: dict[int, str] = {}
    for index, section in enumerate(sections):
        blocks = [promoted(item.block) for item in section]
        blocks += [Block(BlockKind.FOOTNOTE, text=notes[n], number=n) for n in placed.get(index, ())]
        pages.append(page_of_blocks(index + 1, blocks))
        locators[index + 1] = paths[index] or "(before the first heading)"
    return pages, locators
