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

import re
from dataclasses import dataclass, replace

from pipeline.core.document import Block, BlockKind, Cell, Page, Table, page_of_blocks
from pipeline.core.errors import IngestError
from pipeline.core.headings import classify_heading, heading_level
from pipeline.core.limits import MAX_BLOCKS, MAX_TABLE_ROWS
from pipeline.core.text import footnote_markers, strip_trailing_marker
from pipeline.ingest.furniture import running_texts
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
    export get (ingest.lines). A list item is tested with its number too (a
    list's "1." before "Organisational delivery")."""
    if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) or not block.text:
        return block
    heading = classify_heading(block.text)
    if heading:
        return replace(block, kind=BlockKind.HEADING, level=heading_level(heading[0]))
    if block.kind is BlockKind.LIST_ITEM and block.number is not None:
        # "1. Organisational delivery" read as a list's first item: the heading, number and all
        typed = f"{block.number}. {block.text}"
        heading = classify_heading(typed)
        if heading:
            return Block(BlockKind.HEADING, text=typed, level=heading_level(heading[0]))
    return block


def without_furniture(items: list[Item]) -> list[Item]:
    """The items with the paragraphs and headings that are a PDF's running
    headers or footers (a converter kept them; in bold, Markdown's reader
    makes one a heading) made RUNNING blocks (ingest.furniture). A known
    heading is never furniture."""
    texts = [item.block.text if item.block.kind is BlockKind.PARAGRAPH
             or (item.block.kind is BlockKind.HEADING and classify_heading(item.block.text) is None) else ""
             for item in items]
    found = running_texts(texts, whole=True)
    return [Item(Block(BlockKind.RUNNING, text=item.block.text)) if index in found else item
            for index, item in enumerate(items)]


def paginate(items: list[Item], notes: dict[int, str]) -> tuple[list[Page], dict[int, str]]:
    """One page per heading section (a heading opens a page; text before the
    first heading is page 1) and each page's heading path. Footnote `notes`
    (number -> text) go on the page of their first reference, and never on
    a page before a lower-numbered note's (segment reads them in rising
    order); a note never referenced follows the note before it."""
    items = without_furniture(items)
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


# a note typed as a paragraph: its number in brackets, then its text ('[6] Office for National Statistics ...')
_TYPED_NOTE = re.compile(r"^\[(?P<n>\d{1,3})\]\s*(?P<text>\S.*)$")


def lifted_notes(items: list[Item], notes: dict[int, str]) -> tuple[list[Item], dict[int, str]]:
    """Notes an author typed as paragraphs ('[6] Office for National
    Statistics. (2021). ...', at a page's or the document's end) taken out of
    the body into `notes`, when the text above cites that number (a marker
    '[6]' or glued 'information6') and the reader found no note of that
    number: a note is not a data box's line (its year would read as a
    figure). A paragraph whose number nothing above cites stays body text."""
    cited: set[int] = set()
    kept: list[Item] = []
    notes = dict(notes)
    for item in items:
        block = item.block
        found = _TYPED_NOTE.match(block.text) if block.kind is BlockKind.PARAGRAPH and block.text else None
        if found is not None and int(found.group("n")) in cited and int(found.group("n")) not in notes:
            notes[int(found.group("n"))] = found.group("text")
            continue
        cited.update(item.refs)
        texts = [c.text for row in block.table.rows for c in row] if block.table is not None else [block.text]
        for text in texts:
            cited.update(footnote_markers(text))
        kept.append(item)
    return kept, notes
