"""The plain objects stages pass along.

A `Document` is pages of blocks, the same whatever the format it was read
from (docling's model, cut to what these reports need): headings with their
level, paragraphs, list items, tables as rows of cells (a cell's text whole
however it wrapped; header and shaded cells marked; spans kept), footnotes
with their number, and running lines (headers and footers: furniture, not
body). Every block has its page, and its box where the format has geometry.

Every reader fills the blocks (a text export's lines become blocks in
ingest, like any other format's); the lines that prose extractors read are
a view derived from them (`page_of_blocks`, `Section.lines`): one line per
paragraph, heading or list item, and one per table row, which keeps the
row's cells.

Formats without pages (HTML, Word, Markdown) get one page per heading
section, numbered in order, and `Document.locators` names each by its heading
path ("Domain two > 2.1 Assessment"); the tables then carry a null page and
that locator.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

from pipeline.core.records import Note
from pipeline.core.text import JoinedText


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"
    FOOTNOTE = "footnote"
    RUNNING = "running"  # a running header or footer


@dataclass(frozen=True)
class Cell:
    text: str  # whole, wrapped lines joined with single spaces
    header: bool = False  # a column header cell (<th>, a repeated header row, bold header text)
    shaded: bool = False  # filled background: header rows, rating cells
    row_span: int = 1
    col_span: int = 1
    # why the reader that made the cell could not place what it holds (a text
    # export's values printed apart from their labels): its text is what was printed
    problem: str | None = None


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def width(self) -> int:
        return max((sum(c.col_span for c in row) for row in self.rows), default=0)


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points from the page's top-left


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""                # every kind but a table
    level: int | None = None      # a heading's level: 1 for a chapter
    number: int | None = None     # a footnote's number; a list item's printed or list number
    table: Table | None = None    # a table's rows
    box: Box | None = None        # where the format has geometry


@dataclass(frozen=True)
class Line:
    page: int  # 1-based page in the source (a heading section's number where there are no pages)
    text: str
    # the cells of the table row this line was cut from, in printed order
    cells: tuple[Cell, ...] | None = field(default=None, compare=False)


@dataclass
class Page:
    """A page's blocks, and the view of them as lines (`page_of_blocks`
    builds both: use it rather than this constructor)."""
    number: int  # 1-based
    lines: list[str]
    printed_number: int | None = None  # page number printed in a running header/footer
    # index into `lines` where the footnotes start (they follow the body, as "N text")
    footnote_rule: int | None = None
    blocks: list[Block] = field(default_factory=list)
    # line index -> the cells of the table row that line was cut from
    row_cells: dict[int, tuple[Cell, ...]] = field(default_factory=dict)


@dataclass
class Document:
    source_file: str
    sha256: str
    pages: list[Page]
    format: str = "text"  # "pdf", "text", "markdown", "html", "docx"
    # formats without pages: page number (one per heading section) -> heading path
    locators: dict[int, str] = field(default_factory=dict)
    # what reading the file found about the file itself (hidden text, a parse that stopped early)
    notes: list[Note] = field(default_factory=list)

    @property
    def report_id(self) -> str:
        return self.sha256[:16]

    @property
    def paged(self) -> bool:
        return not self.locators

    def lines(self) -> list[Line]:
        return [Line(p.number, t, p.row_cells.get(i)) for p in self.pages for i, t in enumerate(p.lines)]

    def placed_blocks(self) -> Iterator[Placed]:
        """Every block with its page, in order."""
        for page in self.pages:
            number = page.number
            for block in page.blocks:
                yield Placed(number, block)


class Placed(NamedTuple):
    """A block and the page it is on."""
    page: int
    block: Block


def lines_of_block(page: int, block: Block) -> list[Line]:
    """The view of a body block as lines: a table's rows a line each (keeping
    their cells), any other block's text one line; furniture and footnotes none."""
    if block.kind is BlockKind.TABLE:
        rows = block.table.rows if block.table is not None else ()
        return [Line(page, row_text(row), row) for row in rows if row_text(row)]
    if block.kind in (BlockKind.FOOTNOTE, BlockKind.RUNNING):
        return []
    return [Line(page, block.text)]


def row_text(cells: tuple[Cell, ...]) -> str:
    """A table row as one line of text: its cells in order, as a text export
    prints a row whose label wrapped (the whole label, then the values)."""
    return " ".join(c.text for c in cells if c.text)


def page_of_blocks(number: int, blocks: list[Block], printed_number: int | None = None) -> Page:
    """A page whose lines are derived from its blocks: body blocks in order
    (a table row to a line that keeps its cells), running lines left out, and
    footnotes last, as "N text"."""
    lines: list[str] = []
    row_cells: dict[int, tuple[Cell, ...]] = {}
    for block in blocks:  # the text of lines_of_block's lines, without making them
        kind = block.kind
        if kind is BlockKind.TABLE:
            for row in block.table.rows if block.table is not None else ():
                text = row_text(row)
                if text:
                    row_cells[len(lines)] = row
                    lines.append(text)
        elif kind is not BlockKind.FOOTNOTE and kind is not BlockKind.RUNNING:
            lines.append(block.text)
    notes = [b for b in blocks if b.kind is BlockKind.FOOTNOTE and b.text]
    rule = len(lines) if notes else None
    lines.extend(f"{b.number} {b.text}" if b.number is not None else b.text for b in notes)
    return Page(number=number, lines=lines, printed_number=printed_number, footnote_rule=rule,
                blocks=blocks, row_cells=row_cells)


@dataclass
class Footnote:
    number: int
    text: str
    page: int


@dataclass
class Section:
    """A contiguous run of body blocks (footnotes and furniture left out)
    under one heading, and the view of them as lines (the heading's first).

    kind: "foreword", "ratings_summary", "executive_summary", "recommendations",
    "background", "contextual_facts", "caseload", "domain" (a chapter intro),
    "standard", "annex_methodology", "annex_results", "annex_other", "front".
    domain: "1".."4" for domain and standard sections (and annex parts).
    standard: "2.1" for standard sections, else None.
    """

    kind: str
    title: str
    blocks: list[Placed] = field(default_factory=list)
    domain: str | None = None
    standard: str | None = None
    lines: list[Line] = field(default_factory=list)
    # what a reader computed from the section once, for the others (its typed rows, its groups)
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def add(self, page: int, block: Block) -> None:
        self.blocks.append(Placed(page, block))
        self.lines.extend(lines_of_block(page, block))

    @property
    def page(self) -> int | None:
        return self.lines[0].page if self.lines else None

    def text(self) -> str:
        return "\n".join(l.text for l in self.lines)

    # several extractors search the same section's joined text: built once
    # (sections are complete when segment returns them)
    @cached_property
    def joined(self) -> JoinedText:
        """The section's lines, heading included, joined as join_wrapped joins them."""
        return JoinedText(self.lines)

    @cached_property
    def joined_body(self) -> JoinedText:
        """The lines under the heading, joined."""
        return JoinedText(self.lines[1:])


@dataclass
class SegmentedReport:
    document: Document
    sections: list[Section]
    footnotes: dict[int, Footnote] = field(default_factory=dict)

    @cached_property
    def joined(self) -> JoinedText:
        """Every section's lines in order, joined into one text."""
        return JoinedText([line for section in self.sections for line in section.lines])

    def of_kind(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]
