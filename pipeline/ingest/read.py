"""One file to a Document: the size checks, then the reader its content
needs (detect.py), whatever its name says. The bytes are read once: what
is parsed is what is hashed."""
from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

from pipeline.core.document import Document, Page
from pipeline.core.errors import IngestError, describe_os_error
from pipeline.core.limits import Options
from pipeline.core.records import FindingKind, Note
from pipeline.ingest import detect
from pipeline.ingest.decode import decode_text
from pipeline.ingest.continued import with_rows_rejoined
from pipeline.ingest.items import with_items
from pipeline.ingest.lines import pages_of_lines
from pipeline.ingest.text import clean_pages, split_text_pages
from pipeline.ingest.text_layout import join_wrapped_cells, unfold_columns


def read_bytes(path: str | Path, max_bytes: int = Options.max_bytes) -> bytes:
    """The file's bytes, read once (what is parsed is what is hashed). A file
    over the size limit is refused before anything is loaded (an empty one
    is refused by read_document, with its bytes' hash known). A file that vanished or could not be
    opened is a *transient* IngestError: not a property of any bytes, so never
    cached."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise IngestError("not a regular file (a device or a pipe?)", error="unreadable_file")
            if st.st_size > max_bytes:
                _check_size(st.st_size, max_bytes)
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise IngestError("the file is no longer there (moved or deleted during the run)",
                          error="missing_file", transient=True) from None
    except OSError as exc:
        raise IngestError(f"the file could not be read ({describe_os_error(exc)})", error="unreadable_file",
                          transient=True) from None
    if len(data) > max_bytes:  # it grew since fstat
        _check_size(len(data), max_bytes)
    return data


def megabytes(n: int) -> str:
    """Bytes in the unit of --max-mb (1 MB = 1024 x 1024 bytes), with the
    decimals a small limit needs ('0.05', '1.5', '200')."""
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 10 else f"{mb:.2f}".rstrip("0").rstrip(".")


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise IngestError("the file is empty (0 bytes)", error="empty_file")
    if size > max_bytes:
        raise IngestError(f"the file is {megabytes(size)} MB, over the {megabytes(max_bytes)} MB limit "
                          "(raise it with --max-mb if this really is a report)", error="too_large")


def read_document(path: str | Path, *, max_bytes: int = Options.max_bytes,
                  max_pages: int = Options.max_pages, sha256: str | None = None,
                  data: bytes | None = None) -> Document:
    """Read one file (or parse `data`, its bytes already read); raise
    IngestError with an actionable sentence if it is not a readable report
    file. The Document's sha256 is always that of the bytes parsed (`sha256`,
    what a caller hashed earlier, is not trusted: the file may have changed)."""
    path = Path(path)
    if data is None:
        data = read_bytes(path, max_bytes)
    _check_size(len(data), max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    found = detect.detect(path, data[:detect.HEAD_BYTES], archive=io.BytesIO(data))
    suffix = path.suffix.lower()
    locators: dict[int, str] = {}
    notes: list[Note] = []
    if suffix == ".docx" and found.format != detect.DOCX:
        raise IngestError(f"this .docx is not a Word document (it is {found.reason or 'not a zip archive'})",
                          error="not_a_docx")
    if suffix == ".pdf" and found.format == detect.UNSUPPORTED:
        raise IngestError(f"the file is {found.reason}, not a PDF; check it is the report's PDF", error="not_pdf")
    if found.format == detect.UNSUPPORTED:
        raise IngestError(f"this file is {found.reason}, not a report: give a .pdf, .docx, .html, .md or .txt",
                          error="unsupported_type")
    if found.format == detect.PDF or suffix == ".pdf":
        # a .pdf that is text or a web page (a failed download) gets the PDF
        # reader's own refusal, which says what it is; imported when a PDF
        # comes: pypdfium2 and pdfplumber are slow to import
        from pipeline.ingest.pdf import read_pdf
        read = read_pdf(path, max_pages=max_pages, data=data)
        pages = with_rows_rejoined(pages_of_lines(clean_pages([p.lines for p in read], [p.rows for p in read])))
    elif found.format == detect.TEXT:
        raw_pages = [join_wrapped_cells(unfold_columns(p)) for p in split_text_pages(decode_text(data))]
        if len(raw_pages) > max_pages:
            raise IngestError(f"the file has {len(raw_pages)} pages, over the {max_pages}-page limit "
                              "(raise it with --max-pages)", error="too_many_pages")
        pages = pages_of_lines(clean_pages(raw_pages), column_ordered=True)
    else:
        pages, locators, notes = _read_structured(data, found.format)
    pages = with_items(pages)
    if not any(line for p in pages for line in p.lines):
        stopped = next((n for n in notes if n.kind is FindingKind.TRUNCATED_PARSE), None)
        if stopped:
            raise IngestError(f"no report text was read: {stopped.detail}", error="truncated_parse")
        raise IngestError("the file contains no text", error="no_text")
    return Document(source_file=str(path), sha256=digest, pages=pages, format=found.format, locators=locators,
                    notes=notes)


def _read_structured(data: bytes, kind: str) -> tuple[list[Page], dict[int, str], list[Note]]:
    """Pages (one per heading section), their heading paths, and what the
    reader found about the file (hidden text, a parse that stopped early),
    for the formats without pages. Each reader is imported only when its
    format comes."""
    from pipeline.ingest.structured import lifted_notes, paginate

    if kind == detect.MARKDOWN:
        from pipeline.ingest.markdown import read_markdown
        items, notes, remarks = read_markdown(decode_text(data))
    elif kind == detect.HTML:
        from pipeline.ingest.html import read_html
        items, notes, remarks = read_html(data)
    else:
        from pipeline.ingest.docx import read_docx
        items, notes, remarks = read_docx(io.BytesIO(data))
    return (*paginate(*lifted_notes(items, notes)), remarks)
