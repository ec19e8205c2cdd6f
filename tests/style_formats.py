"""Writers of a restyled report (house_styles.py) in each format, and the
converters people run on those renderings. `write(fmt, report, style, stem,
rendered)` and `convert(name, rendered, stem)` return the file they wrote
(`stem` plus the format's suffix); `rendered(fmt)` gives another format's
rendering of the same style (a PDF is printed from the .docx or the page).
An existing file is reused: renderings are cached per folder.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from house_styles import ANNEX_HEADING, SCell, Style, escape, with_running_lines
from report_structure import Block, Footnote, Report, parts, plain
from routes import Unavailable

Rendered = Callable[[str], Path]
SUFFIX = {"docx": ".docx", "html": ".html", "govuk_html": ".html", "md_pipe": ".md", "md_grid": ".md",
          "md_simple": ".md", "docx_pdf": ".pdf", "html_pdf": ".pdf",
          "markitdown_pdf": ".md", "markitdown_docx": ".md", "markitdown_html": ".md", "mammoth_html": ".html",
          "html2text": ".md", "inscriptis": ".txt", "pandoc_docx_md": ".md", "pandoc_html_plain": ".txt"}
RESULTS_ANNEX = re.compile(r"results|data", re.I)
NUMERIC = re.compile(r"^[\d.,/%£ of]+$")


def _out(stem: Path, fmt: str) -> Path:
    return stem.with_name(stem.name + SUFFIX[fmt])


def write(fmt: str, report: Report, style: Style, stem: Path, rendered: Rendered) -> Path:
    out = _out(stem, fmt)
    if out.exists():
        return out
    if fmt == "docx":
        _Docx(report, style).write(out)
    elif fmt in ("html", "govuk_html"):
        out.write_text(_Html(report, style, govuk=fmt == "govuk_html").render(), encoding="utf-8")
    elif fmt == "md_pipe":
        out.write_text(_markdown(report, style), encoding="utf-8")
    elif fmt in ("md_grid", "md_simple"):
        tables = "-pipe_tables-simple_tables-multiline_tables" if fmt == "md_grid" else \
            "-pipe_tables-grid_tables-multiline_tables"
        out.write_text(_pandoc(rendered("html"), "markdown" + tables, "html"), encoding="utf-8")
    elif fmt == "docx_pdf":
        from render_docx import docx_to_pdf
        made = docx_to_pdf(rendered("docx"), out.parent / f"lo-{out.stem}")
        made.replace(out)
        made.parent.rmdir()
    elif fmt == "html_pdf":
        from render_html import html_to_pdf
        html_to_pdf(rendered("html"), out)
    else:
        raise KeyError(fmt)
    return out


# ------------------------------------------------------------------ where the notes go

def _note_places(blocks: list[Block], notes: list[Footnote]) -> dict[int, list[Footnote]]:
    """index of the block after which each footnote is printed: its page's last block."""
    last = {b.page: i for i, b in enumerate(blocks) if b.page}
    places: dict[int, list[Footnote]] = {}
    for note in notes:
        at = last.get(note.page, max((i for p, i in last.items() if p <= note.page), default=len(blocks) - 1))
        places.setdefault(at, []).append(note)
    return places


# ------------------------------------------------------------------ Word

def _widths(block: Block, total: float = 6.3) -> list[float]:
    """The column of labels (the most text in the body rows) wide, the others narrow."""
    n = block.columns
    longest = [0] * n
    below = [0] * n  # rows still covered by a row-spanning cell above, per column
    for row in block.rows:
        col = 0
        for cell in row:
            while col < n and below[col]:
                below[col] -= 1
                col += 1
            if cell.span == 1 and col < n and not cell.header:
                longest[col] += len(cell.text)
            if col < n and getattr(cell, "rowspan", 1) > 1:
                below[col] = cell.rowspan - 1
            col += cell.span
        for rest in range(col, n):
            below[rest] = max(0, below[rest] - 1)
    narrow = 1.35 if n > 1 else total
    wide = max(range(n), key=lambda i: longest[i])
    return [total - narrow * (n - 1) if i == wide else narrow for i in range(n)]


def _docx_writer():
    from render_docx import _Writer

    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Inches

    class Docx(_Writer):
        def __init__(self, report: Report, style: Style):
            super().__init__(report)
            self.style = style
            if style.footnotes != "native":
                self.notes = {}

        def fill(self, paragraph, text: str, bold: bool = False) -> None:
            if self.style.footnotes == "native":
                return super().fill(paragraph, text, bold)
            for piece in parts(text):
                if isinstance(piece, str):
                    paragraph.add_run(piece).bold = bold or None
                elif self.style.footnotes == "endnotes":
                    paragraph.add_run(str(piece)).font.superscript = True
                else:
                    paragraph.add_run(f"[{piece}]")

        def block(self, block: Block) -> None:
            if block.kind == "item" and block.role == "numbered":
                self.fill(self.doc.add_paragraph(style="List Number"), block.text)
            else:
                super().block(block)

        def table(self, block: Block) -> None:
            n_rows = len(block.rows)
            table = self.doc.add_table(rows=n_rows, cols=block.columns)
            table.style = self.doc.styles["Table Grid"]
            table.autofit = False
            taken = [[False] * block.columns for _ in range(n_rows)]
            heading_rows = True
            for r, row in enumerate(block.rows):
                heading_rows = heading_rows and all(c.header for c in row)
                if heading_rows and self.style.repeat_header:
                    table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
                col = 0
                for cell in row:
                    while col < block.columns and taken[r][col]:
                        col += 1
                    if col >= block.columns:
                        break
                    down = max(1, getattr(cell, "rowspan", 1))
                    right = min(col + cell.span, block.columns) - 1
                    target = table.cell(r, col)
                    if down > 1 or right > col:
                        target = target.merge(table.cell(min(r + down, n_rows) - 1, right))
                    for rr in range(r, min(r + down, n_rows)):
                        for cc in range(col, right + 1):
                            taken[rr][cc] = True
                    self.cell(target, cell)
                    col = right + 1
            for column, width in zip(table.columns, _widths(block), strict=False):
                column.width = Inches(width)
                for c in column.cells:
                    c.width = Inches(width)
            self.doc.add_paragraph()

        def running(self) -> None:
            if not self.style.running:
                return
            section = self.doc.sections[0]
            part = section.header if self.style.running_in_header else section.footer
            paragraph = part.paragraphs[0]
            area = self.report.title.split(":", 1)[-1].strip()
            before, _, after = self.style.running.format(area=area, n="\x00").partition("\x00")
            paragraph.add_run(before)
            paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r>'
                                          '</w:fldSimple>'))
            paragraph.add_run(after)

        def orient(self, landscape: bool) -> None:
            old = self.doc.sections[-1]
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
            width, height = sorted((old.page_width, old.page_height), reverse=landscape)
            section.page_width, section.page_height = width, height

        def notes_here(self, notes: list[Footnote]) -> None:
            for note in notes:
                text = f"[{note.number}] {plain(note.text)}"
                self.doc.add_paragraph(text, style="Footnote Text")

        def write(self, path: Path) -> None:
            blocks = self.report.blocks
            inline = _note_places(blocks, self.report.footnotes) if self.style.footnotes == "inline" else {}
            landscape = False
            self.running()
            for i, block in enumerate(blocks):
                if block.kind == "heading" and block.level == 1 and self.style.landscape_annex:
                    annex = bool(ANNEX_HEADING.match(plain(block.text)) and RESULTS_ANNEX.search(block.text))
                    if annex != landscape and (annex or i):
                        self.orient(annex)
                        landscape = annex
                self.block(block)
                self.notes_here(inline.get(i, []))
            if self.style.footnotes == "endnotes":
                self.doc.add_heading("Endnotes", level=1)
                for note in self.report.footnotes:
                    p = self.doc.add_paragraph(style="Footnote Text")
                    p.add_run(str(note.number)).font.superscript = True
                    p.add_run(" " + plain(note.text))
            elif self.style.footnotes == "native":
                rest = [f for f in self.report.footnotes if f.number not in self.referenced]
                for note in rest:
                    self.doc.add_paragraph(f"{note.number} {plain(note.text)}", style="Footnote Text")
            self.footnotes_part()
            path.parent.mkdir(parents=True, exist_ok=True)
            self.doc.save(str(path))

    return Docx


class _Docx:
    def __init__(self, report: Report, style: Style):
        self.writer = _docx_writer()(report, style)

    def write(self, path: Path) -> None:
        self.writer.write(path)


# ------------------------------------------------------------------ web pages

PLAIN_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: Arial, sans-serif; font-size: 11pt; margin: 0 2em; }}
table {{ border-collapse: collapse; margin: 0.6em 0; width: 100%; }}
th, td {{ border: 1px solid #777; padding: 3px 6px; vertical-align: top; text-align: left; }}
th {{ background: #dce4f0; }}
@page landscape {{ size: A4 landscape; }}
.landscape {{ page: landscape; }}
</style></head>
<body><main>
<h1>{title}</h1>
"""
PLAIN_TAIL = "</main></body></html>\n"
GOVUK_HEAD = """<!DOCTYPE html>
<html lang="en" class="govuk-template"><head><meta charset="utf-8">
<title>{title} - GOV.UK</title>
<link rel="stylesheet" href="/assets/govuk-frontend.min.css">
<style>@page landscape {{ size: A4 landscape; }} .landscape {{ page: landscape; }}</style>
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
<div id="global-cookie-message" class="gem-c-cookie-banner govuk-clearfix" role="region" aria-label="Cookies on GOV.UK">
<p class="govuk-body">We use some essential cookies to make this website work.</p>
<button class="govuk-button" type="submit">Accept additional cookies</button></div>
<header class="govuk-header" role="banner"><div class="govuk-header__container govuk-width-container">
<a href="/" class="govuk-header__link govuk-header__link--homepage">GOV.UK</a></div></header>
<div class="govuk-width-container">
<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list">
<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/">Home</a></li>
<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/crime-justice-and-law">Crime, justice and law</a></li>
</ol></nav>
<main class="govuk-main-wrapper" id="main-content" role="main">
<span class="govuk-caption-xl">Independent report</span>
<h1 class="govuk-heading-xl">{title}</h1>
<p class="govuk-body-s">Published 1 January 2024</p>
<nav class="gem-c-contents-list" aria-label="Contents" role="navigation">
<h2 class="gem-c-contents-list__title">Contents</h2><ol class="gem-c-contents-list__list">
{contents}</ol></nav>
<div class="govuk-govspeak">
"""
GOVUK_TAIL = """</div>
<button class="govuk-button govuk-button--secondary" data-module="print-link">Print this page</button>
</main></div>
<footer class="govuk-footer" role="contentinfo"><div class="govuk-width-container">
<p class="govuk-footer__licence-description">All content is available under the Open Government Licence v3.0,
except where otherwise stated</p><p class="govuk-footer__copyright-logo">© Crown copyright</p></div></footer>
</body></html>
"""
HEADING_CLASS = {2: "govuk-heading-l", 3: "govuk-heading-m", 4: "govuk-heading-s"}


class _Html:
    def __init__(self, report: Report, style: Style, govuk: bool):
        self.report, self.style, self.govuk = report, style, govuk
        self.out: list[str] = []

    def inline(self, text: str) -> str:
        out = []
        for piece in parts(text):
            if isinstance(piece, str):
                out.append(escape(piece).replace("\n", "<br>"))
            elif self.style.footnotes == "native" and self.govuk:
                out.append(f'<sup id="fnref:{piece}"><a href="#fn:{piece}" class="govuk-link" '
                           f'role="doc-noteref">[footnote {piece}]</a></sup>')
            elif self.style.footnotes == "native":
                out.append(f'<sup><a href="#fn{piece}" id="fnref{piece}">[{piece}]</a></sup>')
            elif self.style.footnotes == "endnotes":
                out.append(f"<sup>{piece}</sup>")
            else:
                out.append(f"[{piece}]")
        return "".join(out)

    def p(self, text: str, cls: str = "govuk-body") -> str:
        return f'<p class="{cls}">{text}</p>' if self.govuk else f"<p>{text}</p>"

    def render(self) -> str:
        title = escape(self.report.title)
        blocks = with_running_lines(self.report, self.style) if not self.govuk else list(self.report.blocks)
        if self.govuk:
            contents = "".join(f'<li class="gem-c-contents-list__list-item"><a class="govuk-link" href="#s{i}">'
                               f"{escape(plain(b.text))}</a></li>\n"
                               for i, b in enumerate(blocks) if b.kind == "heading" and b.level == 1)
            self.out.append(GOVUK_HEAD.format(title=title, contents=contents))
        else:
            self.out.append(PLAIN_HEAD.format(title=title))
        inline = _note_places(blocks, self.report.footnotes) if self.style.footnotes == "inline" else {}
        open_list, landscape = "", False
        for i, block in enumerate(blocks):
            want = "ol" if block.role == "numbered" else "ul" if block.kind == "item" else ""
            if open_list and want != open_list:
                self.out.append(f"</{open_list}>")
                open_list = ""
            if block.kind == "heading" and block.level == 1 and self.style.landscape_annex:
                annex = bool(ANNEX_HEADING.match(plain(block.text)) and RESULTS_ANNEX.search(block.text))
                if annex != landscape:
                    self.out.append('<div class="landscape">' if annex else "</div>")
                    landscape = annex
            if want and not open_list:
                cls = ' class="govuk-list govuk-list--number"' if self.govuk and want == "ol" else \
                    ' class="govuk-list govuk-list--bullet"' if self.govuk else ""
                start = f' start="{block.level}"' if want == "ol" else ""
                self.out.append(f"<{want}{cls}{start}>")
                open_list = want
            self.block(block, i)
            for note in inline.get(i, []):
                if open_list:
                    self.out.append(f"</{open_list}>")
                    open_list = ""
                self.out.append(self.p(f"[{note.number}] {escape(plain(note.text))}", "govuk-body-s"))
        if open_list:
            self.out.append(f"</{open_list}>")
        if landscape:
            self.out.append("</div>")
        self.footnotes()
        self.out.append(GOVUK_TAIL if self.govuk else PLAIN_TAIL)
        return "\n".join(self.out)

    def block(self, block: Block, i: int) -> None:
        if block.kind == "heading":
            level = min(block.level + 1, 4)
            attrs = f' id="s{i}" class="{HEADING_CLASS[level]}"' if self.govuk else ""
            self.out.append(f"<h{level}{attrs}>{self.inline(block.text)}</h{level}>")
        elif block.kind == "paragraph":
            self.out.append(self.p(self.inline(block.text)))
        elif block.kind == "item":
            self.out.append(f"<li>{self.inline(block.text)}</li>")
        elif block.kind == "table":
            self.table(block)

    def table(self, block: Block) -> None:
        cls = "govuk-table" if self.govuk else block.role
        self.out.append(f'<table class="{cls}">')
        head = 0
        while head < len(block.rows) and all(c.header for c in block.rows[head]):
            head += 1
        if head:
            self.out.append('<thead class="govuk-table__head">' if self.govuk else "<thead>")
            for row in block.rows[:head]:
                self.row(row)
            self.out.append("</thead>")
        self.out.append('<tbody class="govuk-table__body">' if self.govuk else "<tbody>")
        repeat = self.style.repeat_header
        for k, row in enumerate(block.rows[head:]):
            if repeat and head and k and k % repeat == 0:
                for again in block.rows[:head]:
                    if len(again) > 1:
                        self.row(again)
            self.row(row)
        self.out.append("</tbody></table>")

    def row(self, row: list) -> None:
        cells = []
        for i, cell in enumerate(row):
            row_header = self.govuk and i == 0 and not cell.header and len(row) > 1
            tag = "th" if cell.header or row_header else "td"
            attrs = f' colspan="{cell.span}"' if cell.span > 1 else ""
            if getattr(cell, "rowspan", 1) > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if self.govuk:
                kind = "header" if tag == "th" else "cell"
                numeric = " govuk-table__cell--numeric" if tag == "td" and NUMERIC.match(plain(cell.text)) else ""
                attrs += f' class="govuk-table__{kind}{numeric}"' + (' scope="row"' if row_header else
                                                                     ' scope="col"' if cell.header else "")
            if cell.shade and not cell.header:
                color = "#fff" if cell.shade in ("00703C", "E63C3C") else "#000"
                attrs += f' style="background-color:#{cell.shade};color:{color}"'
            text = self.inline(cell.text)
            if cell.bold and not cell.header:
                text = f"<strong>{text}</strong>"
            cells.append(f"<{tag}{attrs}>{text}</{tag}>")
        self.out.append('<tr class="govuk-table__row">' + "".join(cells) + "</tr>" if self.govuk else
                        "<tr>" + "".join(cells) + "</tr>")

    def footnotes(self) -> None:
        notes = self.report.footnotes
        if not notes or self.style.footnotes == "inline":
            return
        if self.style.footnotes == "endnotes":
            self.out.append('<h2 class="govuk-heading-l">Endnotes</h2>' if self.govuk else "<h2>Endnotes</h2>")
            for note in notes:
                self.out.append(self.p(f"<sup>{note.number}</sup> {escape(plain(note.text))}"))
            return
        if self.govuk:
            self.out.append('<div class="footnotes"><ol>')
            for note in notes:
                self.out.append(f'<li id="fn:{note.number}" value="{note.number}"><p>{escape(plain(note.text))} '
                                f'<a href="#fnref:{note.number}" class="govuk-link" role="doc-backlink">↩</a></p></li>')
            self.out.append("</ol></div>")
            return
        self.out.append('<h2>Footnotes</h2><ol class="footnotes">')
        for note in notes:
            self.out.append(f'<li id="fn{note.number}" value="{note.number}">{escape(plain(note.text))}</li>')
        self.out.append("</ol>")


# ------------------------------------------------------------------ Markdown

def _md_inline(text: str, style: Style) -> str:
    out = []
    for piece in parts(text):
        if isinstance(piece, str):
            out.append(piece)
        elif style.footnotes == "native":
            out.append(f"[^{piece}]")
        elif style.footnotes == "endnotes":
            out.append(f"<sup>{piece}</sup>")
        else:
            out.append(f"[{piece}]")
    return "".join(out)


def _md_row(row: list, width: int, style: Style, below: dict[int, int]) -> list[str]:
    """A row's cells (a spanned cell is its text then empty cells; a row-spanned
    cell's column is empty in the rows below it)."""
    cells: list[str] = []
    for cell in row:
        while below.get(len(cells)):
            below[len(cells)] -= 1
            cells.append("")
        text = _md_inline(cell.text, style).replace("|", "\\|").replace("\n", "<br>").strip()
        if getattr(cell, "rowspan", 1) > 1:
            below[len(cells)] = cell.rowspan - 1
        cells.append(f"**{text}**" if cell.bold and text else text)
        cells.extend([""] * (cell.span - 1))
    while len(cells) < width and below.get(len(cells)):
        below[len(cells)] -= 1
        cells.append("")
    cells.extend([""] * (width - len(cells)))
    return cells


def _md_table(block: Block, style: Style) -> list[str]:
    width, below = block.columns, {}
    head = 0
    while head < len(block.rows) and all(c.header for c in block.rows[head]):
        head += 1
    lines = []
    for i, row in enumerate(block.rows):
        k = i - head
        if style.repeat_header and head and k > 0 and k % style.repeat_header == 0:
            lines += ["| " + " | ".join(_md_row(r, width, style, {})) + " |" for r in block.rows[:head] if len(r) > 1]
        lines.append("| " + " | ".join(_md_row(row, width, style, below)) + " |")
        if i == 0:
            lines.append("|" + "|".join(["---"] * width) + "|")
    return lines


def _markdown(report: Report, style: Style) -> str:
    blocks = with_running_lines(report, style)
    places = _note_places(blocks, report.footnotes) if style.footnotes != "endnotes" else {}
    out: list[str] = [f"# {report.title}", ""]
    for i, block in enumerate(blocks):
        text = _md_inline(block.text, style)
        if block.kind == "heading":
            out += ["#" * min(block.level + 1, 4) + " " + text, ""]
        elif block.kind == "paragraph":
            out += [re.sub(r"^(\d{1,2})\.(\s)", r"\1\\.\2", text), ""]
        elif block.kind == "item":
            out.append(f"{block.level}. {text}" if block.role == "numbered" else f"- {text}")
            if i + 1 == len(blocks) or blocks[i + 1].kind != "item" or places.get(i):
                out.append("")
        elif block.kind == "table":
            out += _md_table(block, style) + [""]
        for note in places.get(i, []):
            if style.footnotes == "native":
                out += [f"[^{note.number}]: {plain(note.text)}", ""]
            else:
                out += [f"[{note.number}] {plain(note.text)}", ""]
    if style.footnotes == "endnotes":
        out += ["## Endnotes", ""] + [f"<sup>{n.number}</sup> {plain(n.text)}\n" for n in report.footnotes]
    return "\n".join(out).rstrip() + "\n"


# ------------------------------------------------------------------ pandoc and the converters

def _pandoc(path: Path, to: str, source: str | None = None) -> str:
    try:
        import pypandoc
    except ImportError:
        raise Unavailable("pandoc's tables need pypandoc-binary (pip install -e '.[dev]')") from None
    return pypandoc.convert_file(str(path), to, format=source, extra_args=["--wrap=none"])


def _need(module: str):
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError:
        raise Unavailable(f"{module} is not installed (pip install -e '.[dev]')") from None


def convert(name: str, rendered: Rendered, stem: Path) -> Path:
    """What converter `name` makes of this style's rendering."""
    out = _out(stem, name)
    if out.exists():
        return out
    if name.startswith("markitdown_"):
        source = {"markitdown_pdf": "docx_pdf", "markitdown_docx": "docx", "markitdown_html": "govuk_html"}[name]
        text = _need("markitdown").MarkItDown().convert(str(rendered(source))).text_content
    elif name == "mammoth_html":
        mammoth = _need("mammoth")
        with open(rendered("docx"), "rb") as f:
            body = mammoth.convert_to_html(f).value
        text = f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>{body}</body></html>\n"
    elif name == "html2text":
        text = _need("html2text").html2text(rendered("govuk_html").read_text(encoding="utf-8"))
    elif name == "inscriptis":
        text = _need("inscriptis").get_text(rendered("govuk_html").read_text(encoding="utf-8"))
    elif name == "pandoc_docx_md":
        text = _pandoc(rendered("docx"), "markdown")
    elif name == "pandoc_html_plain":
        text = _pandoc(rendered("govuk_html"), "plain", "html")
    else:
        raise KeyError(name)
    out.write_text(text, encoding="utf-8")
    return out


__all__ = ["write", "convert", "SUFFIX", "SCell"]
