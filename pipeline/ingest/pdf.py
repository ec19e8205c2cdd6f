"""PDF -> pages of text lines.

`read_pdf_pages(path)` returns, for each page in order, that page's lines top
to bottom, each line's words left to right joined by single spaces; text on
the same baseline is one line however far apart it is (a rating or a '62%' in
a right-hand column stays on the line of its label), as a text export does.
The lines are raw: quotes, dashes, ligatures and running headers/footers are
left for ingest to normalise, exactly as it does for a .txt export. There are
no blank lines. A footnote separator (a short rule drawn at the left margin
with a numbered line under it) comes out as the line FOOTNOTE_RULE (20
underscores), as text exports print it.

Text comes from PDFium (pypdfium2, bundled with pdfplumber): its own text
order, split at its line breaks, then regrouped by geometry so that pieces
sharing a baseline are joined left to right whatever order the content stream
drew them in. pdfplumber gives the same lines on the sample reports but is
about 40 times slower (and applies /Rotate, which scrambles a rotated page);
it stays available as `engine="pdfplumber"` for cross-checking
(notes/pdf.md has the measurements).

Unreadable input raises `IngestError` with one of the `error` codes:
missing_file, unreadable_file, empty_file, not_pdf, corrupt_pdf,
encrypted_pdf, too_many_pages, no_text_layer.
"""
from __future__ import annotations

import ctypes
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.core.document import Cell
from pipeline.core.errors import IngestError
from pipeline.core.patterns import load
from pipeline.core.text import join_wrapped
from pipeline.ingest.pdf_layout import FOOTNOTE_RULE, Box, Segment, in_reading_order, rule_marks, with_rules  # noqa: F401  (FOOTNOTE_RULE: the line callers look for)
from pipeline.ingest.pdf_tables import GridTable, find_tables
from pipeline.ingest.pdfcheck import check_inflated_size
from pipeline.ingest.text import normalise_line

# A page with fewer non-space characters than this counts as textless; a file
# all of whose pages are textless has no text layer (a scan).
MIN_CHARS_PER_PAGE = 20
# Where the markers may sit: readers accept the header within the first 1 KiB
# and the end-of-file marker a little before the end (trailing junk/padding).
_HEAD_BYTES = 1024
_TAIL_BYTES = 4096

# A segment is a run of text up to a line break. PDFium reports a hyphen that
# ends a line as U+FFFE and joins the next line on without a break: end the
# segment there too and give the hyphen back.
_SEGMENT = re.compile(r"[^\r\n\ufffe]+\ufffe?|\ufffe")
_SPACES = re.compile(r"\s+")


@dataclass
class PdfPage:
    """A page's lines, and for each line cut from a table row, that row."""
    lines: list[str]
    # line index -> (the table's number on the page, the row's cells in printed order)
    rows: dict[int, tuple[int, tuple[Cell, ...]]] = field(default_factory=dict)
    tables: list[tuple[float, float, float, float]] = field(default_factory=list)  # each table's box


def read_pdf_pages(
    path: str | Path, *, max_pages: int | None = None, engine: str = "pdfium", data: bytes | None = None
) -> list[list[str]]:
    """Text lines of each page of the PDF at `path` (page i is element i-1).

    Raises IngestError for a file that is missing, empty, not a PDF, damaged
    or truncated, encrypted, longer than `max_pages` (checked before any text
    is read), or without a text layer. `engine` is "pdfium" (default, fast)
    or "pdfplumber" (slower, same lines on well-formed reports). `data`: the
    file's bytes, already read (then `path` is not opened again).
    """
    return [p.lines for p in read_pdf(path, max_pages=max_pages, engine=engine, data=data)]


def read_pdf(
    path: str | Path, *, max_pages: int | None = None, engine: str = "pdfium", data: bytes | None = None
) -> list[PdfPage]:
    """read_pdf_pages, with the table rows found on each page: a drawn
    table's row is one line (its cells' texts in order, each cell's text
    whole however it wrapped), and `rows` gives that line's cells. Only the
    PDFium engine finds tables."""
    data = _read_checked(Path(path), data)
    check_inflated_size(data)
    if engine == "pdfium":
        pages = _read_pdfium(data, max_pages)
    elif engine == "pdfplumber":
        pages = [PdfPage(lines) for lines in _read_pdfplumber(data, max_pages)]
    else:
        raise ValueError(f"unknown engine {engine!r}")
    if all(_chars(p.lines) < MIN_CHARS_PER_PAGE for p in pages):
        raise IngestError(
            "no text layer: this looks like a scanned document; run OCR first",
            error="no_text_layer",
        )
    return pages


def _chars(lines: list[str]) -> int:
    return sum(len(line) - line.count(" ") for line in lines)


def _read_checked(path: Path, data: bytes | None = None) -> bytes:
    """The file's bytes, after the checks that need no PDF parser."""
    try:
        data = path.read_bytes() if data is None else data
    except FileNotFoundError:
        raise IngestError(f"the file {path} does not exist; check the path", error="missing_file") from None
    except OSError as e:
        raise IngestError(
            f"the file could not be read ({e.strerror or e}); check it is a readable file",
            error="unreadable_file",
        ) from None
    if not data.strip():
        raise IngestError(
            "the file is empty; download the report again", error="empty_file"
        )
    if b"%PDF-" not in data[:_HEAD_BYTES]:
        what = "a web page, not a PDF" if b"<html" in data[:_HEAD_BYTES].lower() else "not a PDF"
        raise IngestError(
            f"the file is {what} (no %PDF header; it starts {data[:16]!r}); "
            "check it is the report's PDF",
            error="not_pdf",
        )
    if b"%%EOF" not in data[-_TAIL_BYTES:]:
        raise _corrupt("no end-of-file marker, so the file is cut short")
    return data


def _corrupt(reason: str) -> IngestError:
    return IngestError(
        f"the PDF is damaged or truncated ({reason}); download it again", error="corrupt_pdf"
    )


def _encrypted() -> IngestError:
    return IngestError(
        "the PDF is encrypted (password protected); save an unprotected copy and try again",
        error="encrypted_pdf",
    )


def _check_page_count(n: int, max_pages: int | None) -> None:
    if n == 0:
        raise _corrupt("it has no pages")
    if max_pages is not None and n > max_pages:
        raise IngestError(
            f"the PDF has {n} pages, more than the limit of {max_pages}; "
            "check it is a single inspection report or raise the limit",
            error="too_many_pages",
        )


# --- PDFium ---------------------------------------------------------------


def _read_pdfium(data: bytes, max_pages: int | None) -> list[PdfPage]:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if e.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise _encrypted() from None
        raise _corrupt(_reason(e)) from None
    try:
        _check_page_count(len(doc), max_pages)
        pages: list[PdfPage] = []
        for i in range(len(doc)):
            try:
                page = doc[i]
            except pdfium.PdfiumError as e:
                raise _corrupt(f"page {i + 1} cannot be loaded: {_reason(e)}") from None
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(_pdfium_page(page, textpage))
                finally:
                    textpage.close()
            except pdfium.PdfiumError as e:
                raise _corrupt(f"page {i + 1}: {_reason(e)}") from None
            finally:
                page.close()
        return pages
    finally:
        doc.close()


def _pdfium_lines(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> list[str]:
    return _pdfium_page(page, textpage).lines


def _pdfium_page(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> PdfPage:
    """PDFium's text split at its line breaks into segments, each placed by
    the loose box of its first character, then grouped into lines; text
    inside a drawn table comes out one line per row instead, read cell by
    cell."""
    n = textpage.count_chars()
    if n <= 0:
        return PdfPage([])
    text = textpage.get_text_range(0, n)
    height, width = page.get_height(), page.get_width()
    segments: list[Segment] = []
    spans: list[tuple[int, int, float, float]] = []  # each segment's chars, and its last char's top/bottom
    box = pdfium_c.FS_RECTF()  # one rectangle, filled for each character asked about
    for m in _SEGMENT.finditer(text):
        s = m.group()
        stripped = s.lstrip()
        if not stripped:
            continue
        first = m.start() + len(s) - len(stripped)
        if first >= n:  # text and char indices disagree: never seen, be safe
            first = n - 1
        _loose_box(textpage, first, box)
        left, bottom, top = box.left, box.bottom, box.top
        last = min(m.start() + len(s.rstrip()) - 1, n - 1)
        _loose_box(textpage, last, box)
        right = max(box.right, left)
        segments.append((height - top, height - bottom, left, s.replace("\ufffe", "-"), right))
        spans.append((first, last, height - box.top, height - box.bottom))
    bounds, paths = _paths(page, height)
    rules = [(height - top, height - bottom, left, right) for left, bottom, right, top in bounds]
    tables = find_tables(paths, width, height, [(s[0], s[1], s[2]) for s in segments]) if paths else []
    if tables:
        tables = [t for t in tables if _holds_text(t, segments) and not _continued_as_text(t, segments)]
    if not tables:
        return PdfPage(with_rules(in_reading_order(segments, rules, width), rules))
    page_out = _page_with_tables(textpage, text, segments, spans, rules, tables, width, height)
    pairs = {number for number, cells in page_out.rows.values() if any(_pair_cell().match(c.text) for c in cells)}
    if not pairs:
        return page_out
    # a cell holding a pair of counts ('8 7' under one 'Relevant cases / Number
    # yes' header) is not read from cells yet: such a table is read as lines
    tables = [t for number, t in enumerate(tables) if number not in pairs]
    if not tables:
        return PdfPage(with_rules(in_reading_order(segments, rules, width), rules))
    return _page_with_tables(textpage, text, segments, spans, rules, tables, width, height)


_PAIR = re.compile(r"^\s*\d{1,3}\s+\d{1,3}\s*$")


def _pair_cell() -> re.Pattern[str]:
    return _PAIR


def _holds_text(table: GridTable, segments: list[Segment]) -> bool:
    """A table holds text: a grid of lines with nothing in it (a drawn box,
    a chart's gridlines) is no table."""
    return any(table.contains(s[2] + 0.5, (s[0] + s[1]) / 2, slack=0.0) for s in segments)


def _continued_as_text(table: GridTable, segments: list[Segment]) -> bool:
    """The table's rows go on below it as plain lines ('... safe?12 7 7', or
    '3.4.2. Does ...' with no borders): then the whole table is read as
    lines, as before, so that its rows are read together."""
    x0, _, x1, bottom = table.box
    below = sorted((s for s in segments if bottom <= s[0] <= bottom + 2.5 * (s[1] - s[0]) and x0 <= s[2] < x1),
                   key=lambda s: s[0])
    return any(_row_start().match(" ".join(s[3].split())) for s in below[:2])


@lru_cache(maxsize=1)
def _row_start() -> re.Pattern[str]:
    """A line that is a table row by its text: a label with its value at the
    end, or a coded annex row ('3.4.2. Does ...')."""
    patterns = load("tables")
    return re.compile("|".join(f"(?:{patterns[k]})" for k in ("value_at_end", "annex_code")))


def _page_with_tables(textpage: pdfium.PdfTextPage, text: str, segments: list[Segment],
                      spans: list[tuple[int, int, float, float]], rules: list[tuple[float, float, float, float]],
                      tables: list[GridTable], width: float, height: float) -> PdfPage:
    """The page's lines when it has tables: text outside them in reading
    order as usual, each table row one line at the row's place."""
    outside: list[Segment] = []
    for seg, (first, last, last_top, last_bottom) in zip(segments, spans, strict=True):
        head = _table_at(tables, seg[2] + 0.5, (seg[0] + seg[1]) / 2)
        tail = _table_at(tables, seg[4] - 0.5, (last_top + last_bottom) / 2)
        if head is None and tail is None and not any(_overlaps(t, seg) for t in tables):
            outside.append(seg)
        elif head is None or tail is None or head is not tail:
            outside += _outside_parts(textpage, text, first, last, tables, height)
    lines = in_reading_order(outside, rules, width)
    row_lines: list[tuple[Box, int, tuple[Cell, ...]]] = []
    for number, table in enumerate(tables):
        for row_box, row_cells in _table_rows(textpage, table, height):
            row_lines.append((row_box, number, row_cells))
    merged: list[Box] = []
    kinds: list[tuple[int, tuple[Cell, ...]] | None] = []
    pending = sorted(row_lines, key=lambda r: (r[0][0], r[0][2]))
    for line in lines:
        while pending and pending[0][0][0] <= line[0]:
            row_box, number, row_cells = pending.pop(0)
            merged.append(row_box)
            kinds.append((number, row_cells))
        merged.append(line)
        kinds.append(None)
    for row_box, number, row_cells in pending:
        merged.append(row_box)
        kinds.append((number, row_cells))
    in_tables = [t.box for t in tables]
    free_rules = [r for r in rules if not any(x0 - 2 <= r[2] and r[3] <= x1 + 2 and top - 2 <= r[0]
                                              and r[1] <= bottom + 2 for x0, top, x1, bottom in in_tables)]
    marks = rule_marks(merged, free_rules)
    out = PdfPage([], tables=in_tables)
    for i, (line, kind) in enumerate(zip(merged, kinds, strict=True)):
        if i in marks:
            out.lines.append(FOOTNOTE_RULE)
        if kind is not None:
            out.rows[len(out.lines)] = kind
        out.lines.append(line[3])
    return out


def _table_at(tables: list[GridTable], x: float, y: float) -> GridTable | None:
    return next((t for t in tables if t.contains(x, y, slack=0.0)), None)


def _overlaps(table: GridTable, seg: Segment) -> bool:
    x0, top, x1, bottom = table.box
    return seg[2] < x1 and seg[4] > x0 and seg[0] < bottom and seg[1] > top


def _outside_parts(textpage: pdfium.PdfTextPage, text: str, first: int, last: int,
                   tables: list[GridTable], height: float) -> list[Segment]:
    """The runs of a segment's characters that lie outside every table, as
    segments of their own (PDFium sometimes runs a table's text on into the
    line after it with no line break)."""
    box = pdfium_c.FS_RECTF()
    parts: list[Segment] = []
    run: list[str] = []
    head: tuple[float, float, float] | None = None  # the run's first character: top, bottom, left
    end = 0.0  # the run's last character's right

    def flush() -> None:
        if head is not None and "".join(run).strip():
            parts.append((head[0], head[1], head[2], "".join(run), end))
        run.clear()

    for index in range(first, last + 1):
        ch = text[index]
        if ch.isspace() or ch == "\ufffe":
            if head is not None:
                run.append(ch.replace("\ufffe", "-"))
            continue
        _loose_box(textpage, index, box)
        top, bottom = height - box.top, height - box.bottom
        if _table_at(tables, (box.left + box.right) / 2, (top + bottom) / 2) is not None:
            flush()
            head = None
            continue
        if head is not None and abs(top - head[0]) > 0.5 * (bottom - top):
            flush()  # a new line
            head = None
        if head is None:
            head = (top, bottom, box.left)
        run.append(ch)
        end = box.right
    flush()
    return parts


def _table_rows(textpage: pdfium.PdfTextPage, table: GridTable,
                height: float) -> list[tuple[Box, tuple[Cell, ...]]]:
    """Each row of the table as a line (its box, and its cells' texts joined)
    with its cells. A cell's text is what PDFium finds inside its borders,
    wrapped lines joined; a row with no text in any cell is left out."""
    out: list[tuple[Box, tuple[Cell, ...]]] = []
    texts = {id(c): _cell_text(textpage, c.x0, c.top, c.x1, c.bottom, height) for c in table.cells}
    header_rows = _header_rows(table, texts)
    for index, row in enumerate(table.rows):
        header = index in header_rows
        cells = tuple(Cell(texts[id(c)], header=header or _is_header_text(texts[id(c)]),
                           shaded=c.fill is not None, row_span=c.row_span, col_span=c.col_span) for c in row)
        line = " ".join(c.text for c in cells if c.text)
        if line:
            first = row[0]
            out.append(((first.top, max(c.bottom for c in row), first.x0 + 0.5, line), cells))
    return out


def _cell_text(textpage: pdfium.PdfTextPage, x0: float, top: float, x1: float, bottom: float,
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
    raw = _BROKEN_NUMBER.sub(r"\1", raw)
    return join_wrapped(raw.replace("\ufffe", "-\n").splitlines())


# a thousands group cut short at a line end, its digits going on on the next line
_BROKEN_NUMBER = re.compile(r"(\d,\d{1,2})\r?\n(?=\d)")


def _header_rows(table: GridTable, texts: dict[int, str]) -> set[int]:
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
        words = bool(filled) and any(_is_header_text(t) for t in filled) and not any(_VALUE.search(t) for t in filled)
        band = shaded and len(row) == 1 and row[0].col_span == width
        if (leading and shaded) or band or words:
            out.add(index)
        else:
            leading = False
    return out


_VALUE = re.compile(r"\d\s*%|^\s*\d{1,3}\s*$|^(?:Outstanding|Good|Requires improvement|Inadequate)$")


def _is_header_text(text: str) -> bool:
    return bool(text) and _header_words().match(normalise_line(text)) is not None


@lru_cache(maxsize=1)
def _header_words() -> re.Pattern[str]:
    words = load("tables")["header"]
    return re.compile(r"^(?:" + "|".join(words) + r")$", re.I)


def _loose_box(textpage: pdfium.PdfTextPage, index: int, box: pdfium_c.FS_RECTF) -> None:
    """textpage.get_charbox(index, loose=True), into `box`: the raw call,
    without a new rectangle and tuple for each of the two characters every
    line segment asks about."""
    if not pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, box):
        raise pdfium.PdfiumError("Failed to get charbox.")


def _paths(page: pdfium.PdfPage, height: float) -> tuple[list[tuple[float, float, float, float]],
                                                         list[tuple[float, float, float, float, bool,
                                                                    tuple[int, int, int] | None]]]:
    """(left, bottom, right, top) of each path object at the page's top level
    (what page.get_objects(filter=(PATH,), max_depth=1) gives, read through
    the raw API: the helper builds a Python object for each of a page's
    objects, four times slower on pages of many small text objects), and the
    paths a table can be drawn with: a line or a rectangle (one subpath of at
    most five points), as (x0, top, x1, bottom, stroked, fill colour or None)
    from the page's top. A path whose bounds PDFium cannot give is skipped."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    bounds = []
    paths = []
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH or \
                not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        bounds.append((left.value, bottom.value, right.value, top.value))
        count = pdfium_c.FPDFPath_CountSegments(obj)
        if not 2 <= count <= 5 or (count == 4 and _subpaths(obj, count) > 1):
            continue
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
            continue
        fill = None
        if fill_mode.value and pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a) and a.value:
            fill = (r.value, g.value, b.value)
        paths.append((left.value, height - top.value, right.value, height - bottom.value, bool(stroke.value), fill))
    return bounds, paths


def _subpaths(obj: pdfium_c.FPDF_PAGEOBJECT, count: int) -> int:
    return sum(1 for i in range(count) if pdfium_c.FPDFPathSegment_GetType(
        pdfium_c.FPDFPath_GetPathSegment(obj, i)) == pdfium_c.FPDF_SEGMENT_MOVETO)


def _reason(e: Exception) -> str:
    msg = str(e).strip().rstrip(".")
    m = re.search(r"\(PDFium: ([^)]*)\)", msg)  # "Failed to load document (PDFium: X)."
    if m:
        return "PDFium: " + m.group(1).lower()
    return msg[:1].lower() + msg[1:] if msg else type(e).__name__


# --- pdfplumber -----------------------------------------------------------


def _read_pdfplumber(data: bytes, max_pages: int | None) -> list[list[str]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many unrelated types on bad input
        # pdfplumber wraps pdfminer's errors in PdfminerException(original)
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, PDFPasswordIncorrect):
            raise _encrypted() from None
        raise _corrupt(_reason(cause)) from None
    try:
        try:
            n = len(pdf.pages)
        except Exception as e:
            raise _corrupt(_reason(e)) from None
        _check_page_count(n, max_pages)
        pages: list[list[str]] = []
        for i, page in enumerate(pdf.pages):
            try:
                lines = [
                    (ln["top"], ln["bottom"], ln["x0"], _SPACES.sub(" ", ln["text"]).strip())
                    for ln in page.extract_text_lines(strip=True, return_chars=False)
                ]
                rules = [(o["top"], o["bottom"], o["x0"], o["x1"])
                         for o in page.lines + page.rects]
            except Exception as e:
                raise _corrupt(f"page {i + 1}: {_reason(e)}") from None
            finally:
                page.close()
            pages.append(with_rules([ln for ln in lines if ln[3]], rules))
        return pages
    finally:
        pdf.close()
