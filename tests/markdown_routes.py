"""The report as Markdown in every table syntax converters write, derived at
test time from the samples (nothing derived is committed):

- pandoc run on the sample's Word file and web page (render_docx.py,
  render_html.py): `-t markdown` (pandoc picks simple, multiline or grid
  tables, a fenced div and attributes from a web page), each of grid,
  multiline and simple tables forced (the others turned off: a table none
  can hold is written as raw HTML), `-t gfm` (pipe tables, HTML tables for
  merged cells) and `-t plain` (saved as .txt); and strict Markdown (every
  table raw HTML), CommonMark with
  extensions, MultiMarkdown and PHP Markdown Extra (heading attributes,
  "^6^" superscripts);
- `grid_bold`: render_markdown.py's pipe tables drawn as grid tables with
  narrow value columns and every rating in bold, so that a rating wraps
  inside its cell ("**Requires" over "improvement**");
- `markitdown_pdf`: the inspectorate PDF's text as pdfminer gives it with no
  page marks, saved as .md (what markitdown makes of a PDF);
- `footers_md`, `footers_bold_md`, `footers_html`: the Markdown (the footer
  plain, or in bold) and the web page with a PDF's running footer kept
  after every page, as converters keep it (one style a
  sample: "... services in Bedfordshire 7", "...: Luton 11", "North Somerset
  inspection | Page 12").

`derive_markdown(route, sample, folder, pdfs)` writes the route's file.
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

PANDOC_WRITERS = {
    "markdown": "markdown",
    "grid": "markdown-simple_tables-multiline_tables-pipe_tables",
    "multiline": "markdown-grid_tables-simple_tables-pipe_tables",
    "simple": "markdown-grid_tables-multiline_tables-pipe_tables",
    "gfm": "gfm",
    "plain": "plain",
    # other writers' dialects: heading attributes ("{#ratings}"), superscripts ("^6^")
    "strict": "markdown_strict",  # every table raw HTML
    "commonmark_x": "commonmark_x",
    "mmd": "markdown_mmd",
    "phpextra": "markdown_phpextra",
}
PANDOC_ROUTES = (*(f"{source}_pandoc_{syntax}" for source in ("docx", "html") for syntax in list(PANDOC_WRITERS)[:6]),
                 "docx_pandoc_strict", "docx_pandoc_commonmark_x", "docx_pandoc_mmd", "html_pandoc_phpextra")
MARKDOWN_ROUTES = (*PANDOC_ROUTES, "grid_bold", "markitdown_pdf", "footers_md", "footers_bold_md", "footers_html")

RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
FOOTERS = {"bedfordshire-yos": "Inspection of youth offending services in Bedfordshire {n}",
           "luton-yos": "Inspection of youth offending services: Luton {n}",
           "north-somerset-yos": "North Somerset inspection | Page {n}"}


def derive_markdown(route: str, sample: Path, folder: Path, pdfs: Callable[[str, Path], Path]) -> Path:
    import routes

    stem = f"{sample.stem}.{route}"
    if route in PANDOC_ROUTES:
        source, _, syntax = route.split("_", 2)
        document = routes.derive_document(source, sample, folder, pdfs)
        return pandoc(document, folder / f"{stem}.{'txt' if syntax == 'plain' else 'md'}", PANDOC_WRITERS[syntax])
    if route == "grid_bold":
        from render_markdown import render_markdown_report

        pipe = render_markdown_report(sample, folder / f"{stem}.pipe.md").read_text(encoding="utf-8")
        return _write(folder / f"{stem}.md", grid_tables(pipe))
    if route == "markitdown_pdf":
        text = routes.pdfminer_text(pdfs("inspectorate", sample), folder / f"{stem}.pdfminer.txt")
        return _write(folder / f"{stem}.md", text.read_text(encoding="utf-8").replace("\f", "\n"))
    if route in ("footers_md", "footers_bold_md", "footers_html"):
        markdown = route != "footers_html"
        return with_footers(sample, folder / f"{stem}.{'md' if markdown else 'html'}", markdown,
                            bold=route == "footers_bold_md")
    raise KeyError(route)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def pandoc(document: Path, out: Path, writer: str) -> Path:
    try:
        import pypandoc
    except ImportError:
        import routes
        raise routes.Unavailable("pypandoc-binary is not installed (pip install -e .)") from None
    pypandoc.convert_file(str(document), writer, outputfile=str(out), extra_args=["--wrap=auto"])
    return out


# ------------------------------------------------------------ grid tables

_PIPE_ROW = re.compile(r"^\|.*\|$")
_RULE_ROW = re.compile(r"^\|(?:-{3,}\|)+$")
_SPLIT = re.compile(r"(?<!\\)\|")


def grid_tables(markdown: str, label_width: int = 44, value_width: int = 15) -> str:
    """Every pipe table as a grid table: the first column `label_width`
    wide, the others `value_width` (a rating in bold wraps over two lines
    there), the header row above a '=' rule."""
    out: list[str] = []
    table: list[list[str]] = []
    has_header = False
    for line in [*markdown.split("\n"), ""]:
        if _RULE_ROW.match(line):
            has_header = True
        elif _PIPE_ROW.match(line):
            table.append([_cell(c) for c in _SPLIT.split(line[1:-1])])
        else:
            if table:
                out += _grid(table, has_header, label_width, value_width)
                table, has_header = [], False
            out.append(line)
    return "\n".join(out)


def _cell(text: str) -> str:
    text = text.replace("<br>", " ").strip()
    bare = text.strip("*")
    return f"**{bare}**" if bare in RATINGS else text


def _grid(rows: list[list[str]], has_header: bool, label_width: int, value_width: int) -> list[str]:
    columns = max(len(r) for r in rows)
    rows = [[*row, *[""] * (columns - len(row))] for row in rows]
    longest = [max((len(word) for row in rows for word in row[k].split()), default=1) for k in range(columns)]
    widths = [max(label_width if k == 0 else value_width, longest[k]) for k in range(columns)]
    border = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    lines = [border]
    for index, row in enumerate(rows):
        wrapped = [textwrap.wrap(c, w, break_long_words=False) or [""] for c, w in zip(row, widths)]
        for k in range(max(len(w) for w in wrapped)):
            parts = [(w[k] if k < len(w) else "").ljust(width) for w, width in zip(wrapped, widths)]
            lines.append("| " + " | ".join(parts) + " |")
        lines.append(border.replace("-", "=") if index == 0 and has_header else border)
    return lines


# ------------------------------------------------------------ running footers

def with_footers(sample: Path, out: Path, markdown: bool, bold: bool = False) -> Path:
    """The sample's Markdown or web page with its PDF's running footer (the
    page's number counting up) as a paragraph after each page's last block
    (in bold: then a heading to Markdown's reader)."""
    import render_html
    import render_markdown
    from report_structure import Block, parse_report

    report = parse_report(sample)
    style = FOOTERS[sample.stem]
    blocks = []
    for index, block in enumerate(report.blocks):
        blocks.append(block)
        if index + 1 == len(report.blocks) or report.blocks[index + 1].page != block.page:
            text = style.format(n=block.page)
            blocks.append(Block("paragraph", text=f"**{text}**" if bold else text, page=block.page))
    report.blocks = blocks
    text = render_markdown.render_markdown(report) if markdown else render_html._Page(report).render()
    return _write(out, text)
