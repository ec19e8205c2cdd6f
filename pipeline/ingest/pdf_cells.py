"""A table found on a PDF page (pdf_tables), read as rows of cells: which
found tables to read so (they hold text, and their rows do not go on below
them as plain text), each cell's text from PDFium over the cell's area, and
which rows are header rows."""
from __future__ import annotations

import ctypes
import re
from functools import lru_cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.core.document import Cell
from pipeline.core.patterns import load
from pipeline.core.text import join_wrapped
from pipeline.ingest.pdf_layout import Box, Segment
from pipeline.ingest.pdf_tables import GridTable
from pipeline.ingest.text import normalise_line


PAIR = re.compile(r"^\s*\d{1,3}\s+\d{1,3}\s*$")


def pair_cell() -> re.Pattern[str]:
    return PAIR


def holds_text(table: GridTable, segments: list[Segment]) -> bool:
    """A table holds text: a grid of lines with nothing in it (a drawn box,
    a chart's gridlines) is no table."""
    return any(table.contains(s[2] + 0.5, (s[0] + s[1]) / 2, slack=0.0) for s in segments)


def continued_as_text(table: GridTable, segments: list[Segment]) -> bool:
    """The table's rows go on below it as plain lines ('... safe?12 7 7', or
    '3.4.2. Does ...' with no borders): then the whole table is read as
    lines, as before, so that its rows are read together."""
    x0, _, x1, bottom = table.box
    below = sorted((s for s in segments if bottom <= s[0] <= bottom + 2.5 * (s[1] - s[0]) and x0 <= s[2] < x1),
                   key=lambda s: s[0])
    return any(row_start().match(" ".join(s[3].split())) for s in below[:2])


@lru_cache(maxsize=1)
def row_start() -> re.Pattern[str]:
    """A line that is a table row by its text: a label with its value at the
    end, or a coded annex row ('3.4.2. Does ...')."""
    patterns = load("tables")
    return re.compile("|".join(f"(?:{patterns[k]})" for k in ("value_at_end", "annex_code")))

def table_at(tables: list[GridTable], x: float, y: float) -> GridTable | None:
    return next((t for t in tables if t.contains(x, y, slack=0.0)), None)


def overlaps(table: GridTable, seg: Segment) -> bool:
    x0, top, x1, bottom = table.box
    return seg[2] < x1 and seg[4] > x0 and seg[0] < bottom and seg[1] > top

def table_rows(textpage: pdfium.PdfTextPage, table: GridTable,
                height: float) -> list[tuple[Box, tuple[Cell, ...]]]:
    """Each row of the table as a line (its box, and its cells' texts joined)
    with its cells. A cell's text is what PDFium finds inside its borders,
    wrapped lines joined; a row with no text in any cell is left out."""
    out: list[tuple[Box, tuple[Cell, ...]]] = []
    texts = {id(c): cell_text(textpage, c.x0, c.top, c.x1, c.bottom, height) for c in table.cells}
    headers = header_rows(table, texts)
    for index, row in enumerate(table.rows):
        header = index in headers
        cells = tuple(Cell(texts[id(c)], header=header or is_header_text(texts[id(c)]),
                           shaded=c.fill is not None, row_span=c.row_span, col_span=c.col_span) for c in row)
        line = " ".join(c.text for c in cells if c.text)
        if line:
            first = row[0]
            out.append(((first.top, max(c.bottom for c in row), first.x0 + 0.5, line), cells))
    return out


def cell_text(textpage: pdfium.PdfTextPage, x0: float, top: float, x1: float, bottom: float,
               height: float) -> str:
    """The text inside a cell (PDFium's FPDFText_GetBoundedText over the cell
    less its border), its wrapped lines joined as join_wrapped joins them."""
    args = (textpage.raw, x0 + 1.0, height - top - 1.0, x1 - 1.0, height - bottom + 1.0)
    n = pdfium_c.FPDFText_GetBoundedText(*args, None, 0)
    if n <= 0:
        return ""
    buffer = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetBoundedText(*args, buffer, n + 1)
    raw = bytes(buffer)[: 2 * max(got, 0)].decode("utf-16-le", errors="replace").rstrip("\x00")
    # a number wrapped inside a narrow cell ('£1,935,40' / '8') is one number
    raw = BROKEN_NUMBER.sub(r"\1", raw)
    return join_wrapped(raw.replace("\ufffe", "-\n").splitlines())


# a thousands group cut short at a line end, its digits going on on the next line
BROKEN_NUMBER = re.compile(r"(\d,\d{1,2})\r?\n(?=\d)")


def header_rows(table: GridTable, texts: dict[int, str]) -> set[int]:
    """Rows that head the table: the shaded rows it starts with (every cell
    of the row shaded, one colour), a shaded band across the whole table,
    and rows of header words ('% yes', 'Relevant cases', "Number 'Yes'")
    with no value in them."""
    out: set[int] = set()
    width = max(c.col + c.col_span for c in table.cells)
    leading = True
    for index, row in enumerate(table.rows):
        fills = {c.fill for c in row}
        shaded = len(fills) == 1 and None not in fills
        filled = [texts[id(c)] for c in row if texts[id(c)]]
        words = bool(filled) and any(is_header_text(t) for t in filled) and not any(VALUE.search(t) for t in filled)
        band = shaded and len(row) == 1 and row[0].col_span == width
        if (leading and shaded) or band or words:
            out.add(index)
        else:
            leading = False
    return out


VALUE = re.compile(r"\d\s*%|^\s*\d{1,3}\s*$|^(?:Outstanding|Good|Requires improvement|Inadequate)$")


def is_header_text(text: str) -> bool:
    return bool(text) and header_words().match(normalise_line(text)) is not None


@lru_cache(maxsize=1)
def header_words() -> re.Pattern[str]:
    words = load("tables")["header"]
    return re.compile(r"^(?:" + "|".join(words) + r")$", re.I)
