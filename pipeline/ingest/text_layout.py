"""A page of text as a layout tool (pdftotext -layout) sets it, with its
characters' positions: two columns side by side, read column by column; an
aligned table whose cells wrapped, joined row by row. Both run on a text
export's raw lines, before they are normalised (normalising collapses the
spaces these positions are read from)."""
from __future__ import annotations

from pipeline.ingest.settings import LAYOUT

import re
from collections import Counter
from typing import Any

# pdftotext -layout sets a two-column page side by side: the second column
# starts at one character position, after a gap of 2+ spaces, in
# LAYOUT.column_band of the page's width, on at least LAYOUT.column_min_lines lines.
_WORD = re.compile(r"[A-Za-z]{2,}")
_INNER_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")
_GAP_THEN_TEXT = re.compile(r"(?<! ) {2,}(?=\S)")  # from a run's first space only: linear


def unfold_columns(lines: list[str]) -> list[str]:
    """A page of text laid out in two columns (pdftotext -layout) read column
    by column: each band of lines that nothing crosses at the gutter gives its
    left parts, then its right parts. Other pages are returned unchanged."""
    width = max((len(ln.rstrip()) for ln in lines), default=0)
    if width < 60 or len(_INNER_GAP.findall("\n".join(lines))) < LAYOUT.column_min_lines:
        return lines  # too narrow, or too few gaps inside lines for a gutter (one C-level scan)
    lo, hi = LAYOUT.column_band[0] * width, LAYOUT.column_band[1] * width
    starts = Counter(m.end() for ln in lines for m in _GAP_THEN_TEXT.finditer(ln) if lo <= m.end() <= hi)
    if not starts:
        return lines
    x, count = starts.most_common(1)[0]
    if count < LAYOUT.column_min_lines:
        return lines
    out: list[str] = []
    band: list[str] = []
    for line in lines + [None]:
        if line is not None and not _spans_gutter(line, x):
            band.append(line)
            continue
        right_starts = sum(1 for ln in band if len(ln) > x and ln[x] != " " and ln[x - 2:x] == "  ")
        left = [ln[:x].rstrip() for ln in band]
        right = [ln[x:].rstrip() for ln in band]
        column = [r for r in right if r.strip() and r[:1] != " "]
        if right_starts >= LAYOUT.column_min_lines and sum(1 for ln in left if ln.strip()) >= LAYOUT.column_min_lines \
                and sum(1 for r in column if len(_WORD.findall(r)) >= 2) * 2 >= len(column):
            # a blank beside the other column's text is not a gap in this column
            out += [ln for ln, r in zip(left, right, strict=True) if ln.strip() or not r.strip()]
            out += [r for ln, r in zip(left, right, strict=True) if r.strip() or not ln.strip()]
        else:
            out += band
        band = []
        if line is not None:
            out.append(line)
    return out


def _spans_gutter(line: str, x: int) -> bool:
    """The line runs across position x (no two-space gap just before it), or
    has text on both sides with the right part not starting at x (a running
    footer with its page number): it is not in two columns."""
    if not line[:x].strip():
        return False
    rest = line[x:]
    if not rest.strip():
        return False
    return line[x - 2:x] != "  " or len(rest) - len(rest.lstrip()) > 1


_SEGMENT = re.compile(r"[^ ]+(?: {1,2}[^ ]+)*")  # a run of text: an aligned table's cells are 3+ spaces apart
_NEW_ROW = re.compile(r"^(?:[a-z]{1,2}|[ivx]{1,4})[).]\s")
_TRAILING_NUMBER = re.compile(r"\s[-−]?\d[\d,.]*%?$")


def _label_then_value(cell: str) -> bool:
    """Words, then one space and a number, with no parenthesis between: a
    label and its value read as one run of text ('... the diversity 8')."""
    m = _TRAILING_NUMBER.search(cell)
    if m is None:
        return False
    before = cell[:m.start()]
    tail = before[max(before.rfind("("), before.rfind(")")) + 1:]
    return any(ch.isalpha() for ch in tail)


def _segments(line: str) -> list[list[Any]]:
    return [[m.start(), m.group()] for m in _SEGMENT.finditer(line)]


def join_wrapped_cells(lines: list[str]) -> list[str]:
    """Rows of a space-aligned table (pdftotext -layout) whose cells wrapped:
    the lines under a row whose every run of text starts lower case under a
    cell of that row carry those cells on ('Black and' / 'minority' /
    'ethnic' in a header; a question beside its value, its last words below).
    Each such row becomes one line, its cells where they were."""
    if "   " not in "\n".join(lines):
        return lines  # no aligned columns on the page (one C-level test before any per-line work)
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        cells = _segments(line) if "   " in line and "\t" not in line else []  # cells are 3+ spaces apart
        j = i + 1
        while len(cells) >= 2 and j < len(lines) and _carry_on(cells, lines[j]):
            j += 1
        if j == i + 1:
            out.append(lines[i])
        else:
            row = ""
            for start, text in cells:
                row = (row.ljust(start) if len(row) < start else row + "  ") + text
            out.append(row)
        i = j
    return out


def _continues_cell(cell: str, text: str) -> bool:
    """`text` carries on `cell`: it starts lower case or opens a note, or the
    cell has a parenthesis still open; never after a label that ends one
    space from a number (a label and its value read as one run)."""
    open_note = cell.count("(") > cell.count(")")
    if (_label_then_value(cell) and not open_note) or cell.endswith(("?", ".")) or _NEW_ROW.match(text):
        return False  # a finished question or sentence, or a lettered row ('f) Does ...'), is carried on by nothing
    return text[:1].islower() or text[:1] == "(" or open_note


def _carry_on(cells: list[list[Any]], line: str) -> bool:
    """Add `line`'s runs of text to the cells they sit under; False (nothing
    changed) unless each starts lower case under a different cell."""
    wrapped = _segments(line) if "\t" not in line else []
    if not wrapped or len(wrapped) > len(cells):
        return False
    near = LAYOUT.wrapped_cell_offset
    targets = [next((c for c in cells if abs(c[0] - start) <= near), None) for start, _ in wrapped]
    # a header row (words only): a cell after the first may wrap onto a capital ('Black,' / 'Asian and')
    header = not any(ch.isdigit() for _, cell in cells for ch in cell)
    if any(t is None or not (_continues_cell(t[1], text) or (header and t is not cells[0]))
           for t, (_, text) in zip(targets, wrapped, strict=True)) or len({id(t) for t in targets}) != len(targets):
        return False
    for cell, (_, text) in zip(targets, wrapped, strict=True):
        assert cell is not None
        cell[1] = f"{cell[1]} {text}"
    return True
