"""One file to a Document: the size checks, then the reader for its format."""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from pipeline.core.document import Document
from pipeline.core.errors import IngestError, describe_os_error
from pipeline.core.limits import Options
from pipeline.ingest.text import clean_pages, decode_text, split_text_pages, unfold_columns


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


def _check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise IngestError("the file is empty (0 bytes)", error="empty_file")
    if size > max_bytes:
        raise IngestError(f"the file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit "
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
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        # imported when a PDF comes: pypdfium2 and pdfplumber are slow to import
        from pipeline.ingest.pdf import read_pdf_pages
        raw_pages = read_pdf_pages(path, max_pages=max_pages, data=data)
    elif suffix in (".txt", ".text"):
        raw_pages = [unfold_columns(p) for p in split_text_pages(decode_text(data))]
        if len(raw_pages) > max_pages:
            raise IngestError(f"the file has {len(raw_pages)} pages, over the {max_pages}-page limit "
                              "(raise it with --max-pages)", error="too_many_pages")
    else:
        raise IngestError(f"unsupported file type '{suffix or path.name}': give a .pdf or a .txt export",
                          error="unsupported_type")
    pages = clean_pages(raw_pages)
    if not any(line for p in pages for line in p.lines):
        raise IngestError("the file contains no text", error="no_text")
    return Document(source_file=str(path), sha256=digest, pages=pages, format="pdf" if suffix == ".pdf" else "text")
