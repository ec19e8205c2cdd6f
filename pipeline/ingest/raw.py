"""The lines of a page as a text export or a PDF's text gives them, before
they are blocks: what the readers of paged formats (text, PDF) hand to
`ingest.lines`, which turns them into the Document's blocks.

A `TextPage` is one page's normalised lines with its running lines taken
out (`clean_pages`); a `RawLine` is one body line on its way to a block,
with the cells of the table row it was cut from (a drawn PDF table, a tab-
separated row) and that table's number on the page, and its box where the
format has geometry.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.document import Box, Cell


@dataclass
class TextPage:
    number: int  # 1-based
    lines: list[str]
    printed_number: int | None = None  # page number printed in a running header/footer
    # index into `lines` where a footnote rule (a long blank or underscore line) was
    footnote_rule: int | None = None
    # line index -> the cells of the table row that line was cut from
    row_cells: dict[int, tuple[Cell, ...]] = field(default_factory=dict)
    # line index -> the number on the page of the drawn table that row is in (PDF)
    row_tables: dict[int, int] = field(default_factory=dict)
    boxes: dict[int, Box] = field(default_factory=dict)  # line index -> its box (PDF)
    running: list[str] = field(default_factory=list)  # the running headers and footers taken out


@dataclass(frozen=True)
class RawLine:
    page: int
    text: str
    cells: tuple[Cell, ...] | None = None
    table: int | None = None  # the drawn table (its number on the page) the row is in
    box: Box | None = None
