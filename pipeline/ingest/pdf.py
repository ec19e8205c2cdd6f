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

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.core.document import Cell
from pipeline.core.errors import IngestError
from pipeline.ingest.pdf_layout import FOOTNOTE_RULE, Box, Segment, in_reading_order, rule_marks, with_rules  # noqa: F401  (FOOTNOTE_RULE: the line callers look for)
from pipeline.ingest.pdf_drawings import page_drawings
from pipeline.ingest.pdf_cells import continued_as_text, holds_text, overlaps, pair_cell, table_at, table_rows
from pipeline.ingest.pdf_tables import GridTable, find_tables
from pipeline.ingest.pdfcheck import check_inflated_size

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
    bounds, paths = page_drawings(page, height)
    rules = [(height - top, height - bottom, left, right) for left, bottom, right, top in bounds]
    tables = find_tables(paths, width, height, [(s[0], s[1], s[2]) for s in segments]) if paths else []
    if tables:
        tables = [t for t in tables if holds_text(t, segments) and not continued_as_text(t, segments)]
    if not tables:
        return PdfPage(with_rules(in_reading_order(segments, rules, width), rules))
    page_out = _page_with_tables(textpage, text, segments, spans, rules, tables, width, height)
    pairs = {number for number, cells in page_out.rows.values() if any(pair_cell().match(c.text) for c in cells)}
    if not pairs:
        return page_out
    # a cell holding a pair of counts ('8 7' under one 'Relevant cases / Number
    # yes' header) is not read from cells yet: such a table is read as lines
    tables = [t for number, t in enumerate(tables) if number not in pairs]
    if not tables:
        return PdfPage(with_rules(in_reading_order(segments, rules, width), rules))
    return _page_with_tables(textpage, text, segments, spans, rules, tables, width, height)




def _page_with_tables(textpage: pdfium.PdfTextPage, text: str, segments: list[Segment],
                      spans: list[tuple[int, int, float, float]], rules: list[tuple[float, float, float, float]],
                      tables: list[GridTable], width: float, height: float) -> PdfPage:
    """The page's lines when it has tables: text outside them in reading
    order as usual, each table row one line at the row's place."""
    outside: list[Segment] = []
    for seg, (first, last, last_top, last_bottom) in zip(segments, spans, strict=True):
        head = table_at(tables, seg[2] + 0.5, (seg[0] + seg[1]) / 2)
        tail = table_at(tables, seg[4] - 0.5, (last_top + last_bottom) / 2)
        if head is None and tail is None and not any(overlaps(t, seg) for t in tables):
            outside.append(seg)
        elif head is None or tail is None or head is not tail:
            outside += _outside_parts(textpage, text, first, last, tables, height)
    lines = in_reading_order(outside, rules, width)
    row_lines: list[tuple[Box, int, tuple[Cell, ...]]] = []
    for number, table in enumerate(tables):
        for row_box, row_cells in table_rows(textpage, table, height):
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
        if table_at(tables, (box.left + box.right) / 2, (top + bottom) / 2) is not None:
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




def _loose_box(textpage: pdfium.PdfTextPage, index: int, box: pdfium_c.FS_RECTF) -> None:
    """textpage.get_charbox(index, loose=True), into `box`: the raw call,
    without a new rectangle and tuple for each of the two characters every
    line segment asks about."""
    if not pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, index, box):
        raise pdfium.PdfiumError("Failed to get charbox.")




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
