"""Which reader a file needs, from its content rather than its name alone.

Files arrive renamed, exported with the wrong suffix, or are not reports at
all (a spreadsheet or a screenshot left in the folder). The first bytes say
what a file is (PDF, zip, image and archive signatures, an HTML prologue);
a zip is a Word document only if it holds `word/document.xml`; text is
Markdown when its lines show Markdown's structure (a file named .md needs
less of it: a heading or two). Anything else that is text is read as a
plain text export, a .md too: a PDF-to-Markdown converter may write the
PDF's plain text, with no Markdown in it, under that name.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

HEAD_BYTES = 65536  # what detection reads of a file

PDF, DOCX, HTML, MARKDOWN, TEXT, UNSUPPORTED = "pdf", "docx", "html", "markdown", "text", "unsupported"

# suffixes the run reads; every other file is reported as skipped
READ_SUFFIXES = (".pdf", ".txt", ".text", ".html", ".htm", ".docx", ".md", ".markdown")
MARKDOWN_SUFFIXES = (".md", ".markdown")

# (signature, what it is): checked against the file's first bytes
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF87a", "an image (GIF)"),
    (b"GIF89a", "an image (GIF)"),
    (b"II*\x00", "an image (TIFF)"),
    (b"MM\x00*", "an image (TIFF)"),
    (b"BM", "an image (BMP)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls: save it as .docx or PDF)"),
    (b"{\\rtf", "an RTF document (save it as .docx or PDF)"),
)
_RIFF_WEBP = (b"RIFF", b"WEBP")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a zip, or an empty one
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.I | re.S)

# a zip that is not a Word document: what its entries say it is
_ZIP_KINDS = (("xl/workbook.xml", "a spreadsheet (.xlsx)"), ("ppt/presentation.xml", "a presentation (.pptx)"),
              ("content.xml", "an OpenDocument file (save it as .docx or PDF)"))


@dataclass(frozen=True)
class Detected:
    format: str  # one of PDF, DOCX, HTML, MARKDOWN, TEXT, UNSUPPORTED
    reason: str = ""  # for UNSUPPORTED: what the file is, in a few words


def detect_format(path: str | Path, head_bytes: bytes) -> str:
    """The reader a file needs: "pdf", "docx", "html", "markdown", "text" or
    "unsupported" (then `detect(...).reason` says what it is)."""
    return detect(path, head_bytes).format


def detect(path: str | Path, head: bytes, archive: BinaryIO | None = None) -> Detected:
    """What the file is, from its first bytes (and a zip's entry names, read
    from `archive`, the whole file's bytes, when given; else from `path`)."""
    path = Path(path)
    if b"%PDF-" in head[:1024]:  # the PDF header may follow up to 1 KB of other bytes
        return Detected(PDF)
    if head.startswith(_ZIP):
        return _zip_kind(archive if archive is not None else path)
    if head[:4] == _RIFF_WEBP[0] and head[8:12] == _RIFF_WEBP[1]:
        return Detected(UNSUPPORTED, "an image (WebP)")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return Detected(UNSUPPORTED, what)
    markup = _utf16_as_utf8(head)
    if _HTML_START.match(markup[:4096]):
        return Detected(HTML)
    if path.suffix.lower() in (".html", ".htm") and b"<" in markup[:4096] and looks_like_markup(markup):
        return Detected(HTML)
    if is_markdown(_text_head(head), named=path.suffix.lower() in MARKDOWN_SUFFIXES):
        return Detected(MARKDOWN)
    return Detected(TEXT)


def _zip_kind(path: Path | BinaryIO) -> Detected:
    """A Word document when the zip holds word/document.xml; otherwise what
    its entries say it is. Only the zip's directory is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return Detected(UNSUPPORTED, "a damaged zip archive")
    if "word/document.xml" in names:
        return Detected(DOCX)
    for entry, what in _ZIP_KINDS:
        if entry in names:
            return Detected(UNSUPPORTED, what)
    return Detected(UNSUPPORTED, "a .zip archive (unpack it and give the reports inside)")


_TAG = re.compile(rb"<(?:p|div|h[1-6]|table|ul|ol|span|section|main|article)[\s>]", re.I)


def looks_like_markup(head: bytes) -> bool:
    """An HTML fragment with no prologue (a saved part of a page)."""
    return len(_TAG.findall(head[:16384])) >= 2


def _utf16_as_utf8(head: bytes) -> bytes:
    """The first bytes of a UTF-16 file with a byte-order mark (Word's
    "Unicode" web page) in UTF-8, for the markup tests; other bytes as they are."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom) and not head.startswith(b"\xff\xfe\x00\x00"):
            return head[len(bom):len(bom) + 8192].decode(codec, errors="ignore").encode("utf-8")
    return head


def _text_head(head: bytes) -> str:
    """The first bytes as text for the Markdown test (encoding errors do not matter here)."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="ignore")
    return head.decode("utf-8", errors="ignore").removeprefix("\ufeff")


MARKDOWN_LINES = 200  # lines of a .txt looked at (of a .md, all the head's)
MARKDOWN_SCORE = 6    # points that make a .txt Markdown
NAMED_SCORE = 2       # points that make a .md Markdown
_ATX = re.compile(r"^#{1,6} \S")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_BOLD_LINE = re.compile(r"^\*\*[^*]+\*\*:?\s*$")
_FOOTNOTE_DEF = re.compile(r"^\[\^\d+\]:\s")
_BULLET = re.compile(r"^[-*] \S")
_GRID_BORDER = re.compile(r"^ {0,3}\+(?:[-=:]{3,}\+)+\s*$")
# (sign, points), first match counts: a table rule is also a pipe row
_SIGNS = ((_ATX, 2.0), (_TABLE_RULE, 3.0), (_GRID_BORDER, 3.0), (_PIPE_ROW, 1.0), (_BOLD_LINE, 1.0),
          (_FOOTNOTE_DEF, 2.0), (_BULLET, 0.25))


def is_markdown(text: str, named: bool = False) -> bool:
    """A text whose first lines show Markdown's structure: '#' headings (2
    points each), pipe-table separator rows and grid-table borders (3), pipe
    rows (1), lines that are only bold (1), footnote definitions (2), '- '
    bullets (0.25). Plain text exports have none of the first three, and a
    bullet list alone does not make Markdown; a stray '#' line scores too
    little on its own. A file `named` .md needs 2 points over its whole head."""
    lines = text.splitlines()
    need = NAMED_SCORE if named else MARKDOWN_SCORE
    score = 0.0
    for line in lines if named else lines[:MARKDOWN_LINES]:
        score += next((points for rule, points in _SIGNS if rule.match(line)), 0)
        if score >= need:
            return True
    return False


SKIP_SUFFIXES = {
    ".xlsx": "a spreadsheet (.xlsx)", ".xls": "a spreadsheet (.xls)", ".csv": "a CSV table", ".ods": "a spreadsheet",
    ".png": "an image", ".jpg": "an image", ".jpeg": "an image", ".gif": "an image", ".tif": "an image",
    ".tiff": "an image", ".zip": "a .zip archive", ".doc": "an old Word file (save it as .docx or PDF)",
    ".pptx": "a presentation", ".json": "a JSON file", ".parquet": "a Parquet file",
}


def skip_reason(path: Path) -> str:
    """Why a file the run does not read is skipped, naming what it is (from
    its content where that says more than its name), and what to do when its
    content is a report under the wrong name."""
    try:
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as exc:
        return f"not read: {exc.strerror or exc}"
    found = detect(path, head)
    suffix = path.suffix.lower()
    if found.format == UNSUPPORTED:
        return f"skipped: {found.reason}, not a report (reports are {_suffix_list()})"
    if found.format in (PDF, DOCX, HTML, MARKDOWN):
        named = {PDF: "a PDF (.pdf)", DOCX: "a Word document (.docx)", HTML: "a web page (.html)",
                 MARKDOWN: "Markdown (.md)"}[found.format]
        return f"skipped: named '{suffix or path.name}' but it looks like {named}: rename it to read it"
    what = SKIP_SUFFIXES.get(suffix, f"a '{suffix or path.name}' file")
    return f"skipped: {what}, not a report type (reports are {_suffix_list()})"


def _suffix_list() -> str:
    return ", ".join(READ_SUFFIXES)
