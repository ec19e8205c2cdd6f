"""One file to a Document: the size checks, then the reader its content
needs (detect.py), whatever its name says."""
from __future__ import annotations

from pathlib import Path

from pipeline.core.document import Document, Page
from pipeline.core.errors import IngestError
from pipeline.core.files import sha256_of
from pipeline.core.limits import Options
from pipeline.ingest import detect
from pipeline.ingest.text import clean_pages, decode_text, split_text_pages, unfold_columns


def read_document(path: str | Path, *, max_bytes: int = Options.max_bytes,
                  max_pages: int = Options.max_pages, sha256: str | None = None) -> Document:
    """Read one file; raise IngestError with an actionable sentence if it is
    not a readable report file. Size is checked before anything is loaded."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise IngestError("the file is empty (0 bytes)", error="empty_file")
    if size > max_bytes:
        raise IngestError(f"the file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                          "(raise it with --max-mb if this really is a report)", error="too_large")
    digest = sha256 or sha256_of(path)
    with open(path, "rb") as f:
        head = f.read(detect.HEAD_BYTES)
    found = detect.detect(path, head)
    locators: dict[int, str] = {}
    if path.suffix.lower() == ".docx" and found.format != detect.DOCX:
        raise IngestError(f"this .docx is not a Word document (it is {found.reason or 'not a zip archive'})",
                          error="not_a_docx")
    if path.suffix.lower() == ".pdf" and found.format == detect.UNSUPPORTED:
        raise IngestError(f"the file is {found.reason}, not a PDF; check it is the report's PDF", error="not_pdf")
    if found.format == detect.UNSUPPORTED:
        raise IngestError(f"this file is {found.reason}, not a report: give a .pdf, .docx, .html, .md or .txt",
                          error="unsupported_type")
    if found.format == detect.PDF or path.suffix.lower() == ".pdf":
        # a .pdf that is text or a web page (a failed download) gets the PDF
        # reader's own refusal, which says what it is
        # imported when a PDF comes: pypdfium2 and pdfplumber are slow to import
        from pipeline.ingest.pdf import read_pdf_pages
        pages = clean_pages(read_pdf_pages(path, max_pages=max_pages))
    elif found.format == detect.TEXT:
        raw_pages = [unfold_columns(p) for p in split_text_pages(decode_text(path.read_bytes()))]
        if len(raw_pages) > max_pages:
            raise IngestError(f"the file has {len(raw_pages)} pages, over the {max_pages}-page limit "
                              "(raise it with --max-pages)", error="too_many_pages")
        pages = clean_pages(raw_pages)
    else:
        pages, locators = _read_structured(path, found.format)
    if not any(line for p in pages for line in p.lines):
        raise IngestError("the file contains no text", error="no_text")
    return Document(source_file=str(path), sha256=digest, pages=pages, format=found.format, locators=locators)


def _read_structured(path: Path, kind: str) -> tuple[list[Page], dict[int, str]]:
    """Pages (one per heading section) and their heading paths, for the
    formats without pages. Each reader is imported only when its format comes."""
    from pipeline.ingest.structured import paginate

    if kind == detect.MARKDOWN:
        from pipeline.ingest.markdown import read_markdown
        items, notes = read_markdown(decode_text(path.read_bytes()))
    elif kind == detect.HTML:
        from pipeline.ingest.html import read_html
        items, notes = read_html(path.read_bytes())
    else:
        from pipeline.ingest.docx import read_docx
        items, notes = read_docx(path)
    return paginate(items, notes)
