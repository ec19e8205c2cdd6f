"""The report as a user may have it: each sample in tests/fixtures derived, at
test time, through one export route (a PDF rendering, a text extraction tool,
an encoding, a character-level quirk). Nothing derived is committed.

`derive(route, sample_txt, folder, pdfs)` writes the route's file into
`folder` and returns its path; `pdfs(kind, sample)` renders (and caches) the
sample's PDF of a kind: "rendered" (render_pdf.py, lines of text),
"inspectorate" (render_inspectorate.py) or "inspectorate_no_rule" (the same
with no footnote separator drawn).
A route that needs a missing tool raises `Unavailable` with the reason.

DOCUMENT_ROUTES are the report as a document with structure rather than
pages (tests/test_routes.py runs them apart from ROUTES): the Word file (render_docx.py) and its
PDF by LibreOffice, the web page (render_html.py) and its PDF by Chromium,
Markdown (render_markdown.py) as .md and as .txt, the text people extract
from the Word file, and pdfminer's text of the inspectorate PDF.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from collections.abc import Callable

PAGE_START = re.compile(r"^ (?=\S)", re.M)
INNER_SPACE = re.compile(r"(?<=\S) (?=\S)")
LINE_END_WORD = re.compile(r"\b[A-Za-z]{4}(?P<tail>[a-z]{4,})\s*$")
LONG_WORD = re.compile(r"\b([A-Za-z]{4})([a-z]{4,})\b")


class Unavailable(Exception):
    """The route needs a tool that is not installed here."""


# ------------------------------------------------------------ text routes

def continuous(text: str) -> str:
    """One text with no page marks: no form feeds, no leading-space page starts
    (as a copy from a browser or a PDF viewer gives it)."""
    return PAGE_START.sub("", text.replace("\f", "\n"))


def crlf_bom(text: str) -> bytes:
    return ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")


def cp1252(text: str) -> bytes:
    return text.encode("cp1252", errors="replace")


def nbsp(text: str) -> str:
    """Every space between two words a non-breaking space (page marks kept)."""
    return INNER_SPACE.sub("\u00a0", text)


def ligatures(text: str) -> str:
    return text.replace("ffi", "\ufb03").replace("fi", "\ufb01").replace("fl", "\ufb02")


def soft_hyphens(text: str) -> str:
    """Soft hyphens as word processors store them: inside every long word,
    and where a long word that ends a line was broken there (its tail moved
    to the start of the next line, the soft hyphen left at the break)."""
    lines = text.split("\n")
    for i in range(len(lines) - 1):
        m = LINE_END_WORD.search(lines[i])
        following = lines[i + 1]
        if m and following.strip() and not PAGE_START.match(following):
            lines[i] = lines[i][:m.start("tail")] + "\u00ad"
            lines[i + 1] = m.group("tail") + " " + following
    return LONG_WORD.sub(lambda m: m.group(1) + "\u00ad" + m.group(2), "\n".join(lines))


RUNNING_LINE = re.compile(r"(?m)^\s*(?:\d+\s+)?(?:An )?Inspection of youth (?:offending|justice) services?:.*\n?")


def without_running_lines(text: str) -> str:
    """No running header or footer (a copy from a viewer that skips them, or
    from the web page): with no page marks either, nothing shows pages."""
    return RUNNING_LINE.sub("", text)


TEXT_ROUTES: dict[str, Callable[[str], str | bytes]] = {
    "continuous": continuous,
    "crlf_bom": crlf_bom,
    "cp1252": cp1252,
    "utf16le_bom": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf16be_bom": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "nbsp": nbsp,
    "ligatures": ligatures,
    "soft_hyphens": soft_hyphens,
    "without_running_lines": without_running_lines,
}


# ------------------------------------------------------------- PDF routes

def pdftotext(pdf: Path, out: Path, *options: str) -> Path:
    if shutil.which("pdftotext") is None:
        raise Unavailable("pdftotext (poppler-utils) is not installed")
    subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(pdf), str(out)],
                   check=True, capture_output=True, timeout=60)
    return out


def pypdf_text(pdf: Path, out: Path) -> Path:
    """pypdf's extract_text, pages joined by newlines as a user's script would
    (so the text has no page marks)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        raise Unavailable("pypdf is not installed (pip install -e '.[dev]')") from None
    reader = PdfReader(str(pdf))
    out.write_text("\n".join(page.extract_text() for page in reader.pages), encoding="utf-8")
    return out


def pdfminer_text(pdf: Path, out: Path) -> Path:
    """pdfminer.six's extract_text of the whole PDF (pages end in form feeds)."""
    try:
        from pdfminer.high_level import extract_text
    except ImportError:
        raise Unavailable("pdfminer.six is not installed (pip install -e '.[dev]')") from None
    out.write_text(extract_text(str(pdf)), encoding="utf-8")
    return out


# pdftotext routes: (PDF kind, options)
PDFTOTEXT = {
    "pdftotext_layout": ("inspectorate", "-layout"),
    "pdftotext_layout_unpaged": ("inspectorate", "-layout", "-nopgbrk"),  # no form feeds
    "pdftotext_raw": ("inspectorate", "-raw"),
    "pdftotext_layout_lines": ("rendered", "-layout"),  # of render_pdf.py's PDF
}
PDF_ROUTES = ("rendered_pdf", "inspectorate_pdf", "inspectorate_pdf_no_rule", *PDFTOTEXT, "pypdf")
# a tool's text then quirks on top, as a user's copy may have several at once
COMPOUND_ROUTES = ("pdftotext_layout+nbsp+cp1252", "pypdf+ligatures+soft_hyphens+utf16le_bom",
                   "pdftotext_raw+continuous+crlf_bom", "pypdf+without_running_lines")
ROUTES = (*PDF_ROUTES, *TEXT_ROUTES, *COMPOUND_ROUTES)
# the report as a structured document, and text and PDFs made from those
# text tools run on the PDFs a user makes of the Word file and of the web page (the inspectorate's own
# PDFs are made from Word, so these are the text exports analysts most often hold)
TEXT_TOOLS = ("pdftotext_layout", "pdftotext_raw", "pypdf", "pdfminer")
TOOLS_ON_PDFS = tuple(f"{pdf}_{tool}" for pdf in ("docx_pdf", "html_pdf") for tool in TEXT_TOOLS)
DOCUMENT_ROUTES = ("docx", "docx_pdf", "html", "html_pdf", "markdown_md", "markdown_txt", "docx_text",
                   "pdfminer_text", *TOOLS_ON_PDFS)


def _document(kind: str, sample: Path, folder: Path) -> Path:
    """The sample rendered (once per folder) as a .docx or .html."""
    try:
        if kind == "docx":
            from render_docx import render_docx_report as render
        else:
            from render_html import render_html_report as render
    except ImportError as e:
        raise Unavailable(f"{kind} rendering needs {e.name} (pip install -e '.[dev]')") from None
    out = folder / f"{sample.stem}.{kind}.{kind}"
    if not out.exists():
        render(sample, out)
    return out


def derive_document(route: str, sample: Path, folder: Path, pdfs: Callable[[str, Path], Path]) -> Path:
    """The sample as a DOCUMENT_ROUTES route gives it, written into `folder`."""
    stem = f"{sample.stem}.{route}"
    if route in ("docx", "html"):
        return _document(route, sample, folder)
    if route == "docx_pdf":
        docx = _document("docx", sample, folder)
        from render_docx import docx_to_pdf
        return docx_to_pdf(docx, folder)  # named after the .docx: <sample>.docx.pdf
    if route == "html_pdf":
        page = _document("html", sample, folder)
        from render_html import html_to_pdf
        return html_to_pdf(page, folder / f"{stem}.pdf")
    if route in ("markdown_md", "markdown_txt"):
        from render_markdown import render_markdown_report
        return render_markdown_report(sample, folder / f"{stem}.{'md' if route == 'markdown_md' else 'txt'}")
    if route == "docx_text":
        docx = _document("docx", sample, folder)
        from render_docx import docx_text
        return docx_text(docx, folder / f"{stem}.txt")
    if route == "pdfminer_text":
        return pdfminer_text(pdfs("inspectorate", sample), folder / f"{stem}.txt")
    if route in TOOLS_ON_PDFS:
        base, tool = route[:8], route[9:]  # 'docx_pdf' / 'html_pdf', then the tool
        return text_of_pdf(tool, derive_document(base, sample, folder, pdfs), folder / f"{stem}.txt")
    raise KeyError(route)


def text_of_pdf(tool: str, pdf: Path, out: Path) -> Path:
    """The text `tool` (one of TEXT_TOOLS) gives of `pdf`."""
    if tool == "pypdf":
        return pypdf_text(pdf, out)
    if tool == "pdfminer":
        return pdfminer_text(pdf, out)
    return pdftotext(pdf, out, "-" + tool.split("_")[1])


def derive(route: str, sample: Path, folder: Path, pdfs: Callable[[str, Path], Path]) -> Path:
    """The sample as `route` gives it, written into `folder`."""
    stem = f"{sample.stem}.{route}"
    if "+" in route or route in TEXT_ROUTES:
        base, *steps = route.split("+")
        if base in TEXT_ROUTES:
            base, steps = "", [base, *steps]
        text = derive(base, sample, folder, pdfs) if base else sample
        derived: str | bytes = text.read_text(encoding="utf-8")
        for step in steps:
            derived = TEXT_ROUTES[step](derived)  # an encoding (bytes) comes last
        out = folder / f"{stem}.txt"
        if isinstance(derived, bytes):
            out.write_bytes(derived)
        else:
            out.write_text(derived, encoding="utf-8")
        return out
    if route == "rendered_pdf":
        return pdfs("rendered", sample)
    if route == "inspectorate_pdf":
        return pdfs("inspectorate", sample)
    if route == "inspectorate_pdf_no_rule":
        return pdfs("inspectorate_no_rule", sample)
    if route in PDFTOTEXT:
        kind, *options = PDFTOTEXT[route]
        return pdftotext(pdfs(kind, sample), folder / f"{stem}.txt", *options)
    if route == "pypdf":
        return pypdf_text(pdfs("inspectorate", sample), folder / f"{stem}.txt")
    if route in DOCUMENT_ROUTES:
        return derive_document(route, sample, folder, pdfs)
    from markdown_routes import MARKDOWN_ROUTES, derive_markdown  # Markdown in every table syntax
    if route in MARKDOWN_ROUTES:
        return derive_markdown(route, sample, folder, pdfs)
    raise KeyError(route)
