"""Read pandoc's own Markdown (what `pandoc -t markdown` writes of a Word
file or a web page) with pandoc itself: its grid tables (cells over several
lines, "**Requires" on one line and "improvement**" on the next), simple and
multiline tables (columns from the dashes), fenced divs, attributes
("{#fnref4}") and superscript references ("^[4](#fn4)^") are its dialect,
which no CommonMark parser reads. pandoc (from pypandoc-binary) parses the
text to its JSON AST in one subprocess, and the AST's blocks become the
same blocks markdown-it's reader makes (markdown.py): headings, paragraphs
(a paragraph all in bold is a heading), list items with their list's
number, tables of cells (spans kept, header rows and all-bold rows as
header cells), raw HTML tables read by the web page reader's table code.

Footnote references arrive as sentinels (markdown_refs); a web page's
references (a superscript link to "#fn4") and its notes (an element with
the id "fn4") are read from the AST.
"""
from __future__ import annotations

import json
import re
import subprocess
from typing import Any

from pipeline.core.document import BlockKind, Cell
from pipeline.core.errors import IngestError
from pipeline.ingest.markdown_dialect import repaired
from pipeline.ingest.markdown_refs import markers
from pipeline.ingest.structured import Budget, Item, glue, heading, list_item, table_block, text_block

Node = Any  # a pandoc JSON AST node: {"t": type, "c": content}

PANDOC_TIMEOUT = 60  # seconds: a report parses in well under one
_READER = "markdown-markdown_in_html_blocks"  # a raw HTML block stays whole (a <table> read as one)
_NOTE_HREF = re.compile(r"^#_?(?:fn|ftn|footnote|endnote|note)[-_:]?(\d{1,3})$", re.I)
_BACK_HREF = re.compile(r"^#_?(?:fn|ftn|footnote|endnote|note)[-_:]?ref", re.I)
_NOTE_ID = re.compile(r"^_?(?:fn|ftn|footnote|endnote|note)[-_:]?(\d{1,3})$", re.I)
_MARKER = re.compile(r"^\[?(?:[Ff]ootnote\s+)?(\d{1,3})\]?$")  # "3", "[3]", "[footnote 3]"
_BR = re.compile(r"^<br\s*/?>$", re.I)
_QUOTES = {"SingleQuote": ("\u2018", "\u2019"), "DoubleQuote": ("\u201c", "\u201d")}


def pandoc_ast(body: str) -> list[Node]:
    """pandoc's AST of the text's blocks (no file is read: --sandbox)."""
    try:
        import pypandoc
        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        raise IngestError(f"this Markdown file has pandoc's tables, and pandoc is not installed ({exc}): "
                          "pip install pypandoc-binary", error="missing_tool") from None
    try:
        done = subprocess.run([pandoc, "--sandbox", "-f", _READER, "-t", "json"], input=body.encode("utf-8"),
                              capture_output=True, timeout=PANDOC_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise IngestError(f"pandoc took over {PANDOC_TIMEOUT} s to parse this Markdown file; refused",
                          error="too_slow") from None
    if done.returncode != 0:
        raise IngestError(f"pandoc could not parse this Markdown file ({done.stderr.decode(errors='replace')[:200]})",
                          error="bad_markdown")
    try:
        blocks: list[Node] = json.loads(done.stdout)["blocks"]
    except RecursionError:
        raise IngestError("this Markdown file nests too deep to read; refused", error="nested_too_deep") from None
    return blocks


def read_pandoc(body: str) -> tuple[list[Item], dict[int, str]]:
    """Blocks (with the footnotes each references) and the notes a web
    page's Markdown holds as elements with ids ("fn4")."""
    reader = _Reader()
    try:
        reader.blocks(pandoc_ast("\n".join(repaired(body.split("\n")))), None)
    except RecursionError:
        raise IngestError("this Markdown file nests too deep to read; refused", error="nested_too_deep") from None
    return reader.items, reader.notes


class _Inline:
    """An inline run's text as it is built, its references, and whether any
    text stands outside bold."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.refs: list[int] = []
        self.plain = False

    def text(self) -> tuple[str, tuple[int, ...], bool]:
        text, refs = markers("".join(self.parts))
        return text, tuple(self.refs) + refs, not self.plain and bool(text)

    def marker(self, number: int) -> None:
        self.parts.append(glue("", number))
        while len(self.parts) > 1 and not self.parts[-2].strip():
            del self.parts[-2]
        self.refs.append(number)


def _ref(node: Node) -> int | None:
    """The footnote a superscript or a link refers to, if it is a reference."""
    kind, content = node["t"], node.get("c")
    if kind == "Link":
        m = _NOTE_HREF.match(content[2][0])
        label = _plain(content[1])
        return int(m.group(1)) if m and _MARKER.match(label) else None
    if kind == "Superscript":
        inner = [n for n in content if n["t"] != "Space"]
        if len(inner) == 1 and inner[0]["t"] == "Link":
            return _ref(inner[0])
        m = _MARKER.match(_plain(content))
        return int(m.group(1)) if m else None
    return None


def _back_link(link: Node) -> bool:
    """A note's link back to its reference ("↩"), read as nothing."""
    return bool(_BACK_HREF.match(link[2][0])) or _plain(link[1]) in ("\u21a9", "\u21a9\ufe0e")


def _plain(nodes: list[Node]) -> str:
    out = _Inline()
    _inlines(nodes, out, False)
    return "".join(out.parts).strip()


def _inlines(nodes: list[Node], out: _Inline, bold: bool) -> None:
    for node in nodes:
        kind, content = node["t"], node.get("c")
        number = _ref(node) if kind in ("Link", "Superscript") else None
        if number is not None:
            out.marker(number)
        elif kind == "Str":
            out.parts.append(content)
            out.plain = out.plain or not bold
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.parts.append(" ")
        elif kind == "Strong":
            _inlines(content, out, True)
        elif kind in ("Emph", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
            _inlines(content, out, bold)
        elif kind in ("Span", "Cite"):  # (attributes or citations, inlines)
            _inlines(content[1], out, bold)
        elif kind == "Quoted":
            left, right = _QUOTES.get(content[0]["t"], ("", ""))
            out.parts.append(left)
            _inlines(content[1], out, bold)
            out.parts.append(right)
        elif kind == "Image" or (kind == "Link" and not _back_link(content)):
            _inlines(content[1], out, bold)
        elif kind in ("Code", "Math"):
            out.parts.append(content[1])
            out.plain = out.plain or not bold
        elif kind == "RawInline" and _BR.match(content[1].strip()):
            out.parts.append(" ")


def inline_text(nodes: list[Node]) -> tuple[str, tuple[int, ...], bool]:
    """Inlines' text (emphasis and links read as their text, a line break a
    space, footnote references glued as markers), the footnotes referenced,
    and whether it is all bold."""
    out = _Inline()
    _inlines(nodes, out, False)
    return out.text()


_ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90), ("l", 50), ("xl", 40),
          ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def _list_marker(attributes: Node, index: int) -> str:
    """An ordered list item's marker as printed ("d)", "4.", "(iv)")."""
    start, style, delim = attributes
    n = start + index
    kind = style["t"]
    if kind in ("LowerAlpha", "UpperAlpha"):
        label = "".join(chr(ord("a") + (k % 26)) for k in _alpha_digits(n))
    elif kind in ("LowerRoman", "UpperRoman"):
        label = ""
        for numeral, value in _ROMAN:
            while n >= value:
                label, n = label + numeral, n - value
    else:
        label = str(n)
    label = label.upper() if kind.startswith("Upper") else label
    return {"OneParen": f"{label})", "TwoParens": f"({label})"}.get(delim["t"], f"{label}.")


def _alpha_digits(n: int) -> list[int]:
    """1 -> a, 26 -> z, 27 -> aa (as letters of a list count)."""
    out: list[int] = []
    while n > 0:
        n, k = divmod(n - 1, 26)
        out.insert(0, k)
    return out


def _typed(item: list[Node], marker: str) -> list[Node]:
    """A list item's blocks with its marker typed before its first paragraph's text."""
    if item and item[0]["t"] in ("Para", "Plain"):
        first = {"t": item[0]["t"], "c": [{"t": "Str", "c": marker}, {"t": "Space"}, *item[0]["c"]]}
        return [first, *item[1:]]
    return [{"t": "Plain", "c": [{"t": "Str", "c": marker}]}, *item]


class _Reader:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.notes: dict[int, str] = {}
        self.budget = Budget("Markdown file")
        self.last_level = 1

    def blocks(self, blocks: list[Node], number: str | None, in_list: bool = False) -> None:
        """Blocks in order; in a list item, each paragraph is an item (the
        first takes the item's `number`)."""
        for node in blocks:
            if self.block(node, number if in_list else None, in_list):
                number = None

    def block(self, node: Node, number: str | None, in_list: bool) -> bool:
        """Read one block; True when it took the list item's number."""
        kind, content = node["t"], node.get("c")
        if kind == "Header":
            text, refs, _ = inline_text(content[2])
            if text:
                self.last_level = content[0]
                self._add(heading(text, content[0], refs))
        elif kind in ("Para", "Plain"):
            return self.paragraph(content, number, in_list)
        elif kind == "Table":
            self.table(content)
        elif kind == "RawBlock" and content[0] == "html" and "<table" in content[1].lower():
            self.raw_tables(content[1])
        else:
            self.container(kind, content, number, in_list)
        return False

    def container(self, kind: str, content: Node, number: str | None, in_list: bool) -> None:
        """Blocks that hold blocks: lists (an ordered list's items numbered
        from its start), divs (a web page's note is one), quotes, figures,
        definition lists, line blocks."""
        if kind == "OrderedList" and content[0][1]["t"] not in ("Decimal", "DefaultStyle"):
            for index, item in enumerate(content[1]):  # "a)" is typed text, as CommonMark reads it
                self.blocks(_typed(item, _list_marker(content[0], index)), number, in_list)
        elif kind in ("BulletList", "OrderedList"):
            start = content[0][0] if kind == "OrderedList" else None
            for index, item in enumerate(content[1] if kind == "OrderedList" else content):
                self.blocks(item, f"{start + index}." if start is not None else None, True)
        elif kind == "Div":
            m = _NOTE_ID.match(content[0][0])
            if m:
                self.note(int(m.group(1)), content[1])
            else:
                self.blocks(content[1], number, in_list)
        elif kind in ("BlockQuote", "Figure"):
            self.blocks(content if kind == "BlockQuote" else content[2], number, in_list)
        elif kind == "DefinitionList":
            for term, definitions in content:
                self.paragraph(term, None, in_list)
                for definition in definitions:
                    self.blocks(definition, None, in_list)
        elif kind == "LineBlock":
            for line in content:
                self.paragraph(line, None, in_list)

    def note(self, number: int, blocks: list[Node]) -> None:
        texts = [inline_text(b["c"])[0] for b in blocks if b["t"] in ("Para", "Plain")]
        text = " ".join(t for t in texts if t)
        if text:
            self.notes[number] = text

    def paragraph(self, inlines: list[Node], number: str | None, in_list: bool) -> bool:
        if len(inlines) == 1 and inlines[0]["t"] == "Span":
            m = _NOTE_ID.match(inlines[0]["c"][0][0])
            if m:  # a web page's note, "<li><span id="fn4">text</span></li>"
                self.notes[int(m.group(1))] = inline_text(inlines[0]["c"][1])[0]
                return True
        text, refs, bold = inline_text(inlines)
        if not text:
            return False
        if in_list:
            self._add(list_item(text, number, refs))
            return True
        if bold and not text.endswith(":") and len(text) <= 120:
            self._add(heading(text, min(self.last_level + 1, 6), refs))
        else:
            self._add(text_block(BlockKind.PARAGRAPH, text, refs))
        return False

    def _add(self, item: Item) -> None:
        self.items.append(item)
        self.budget.block()

    def table(self, content: Node) -> None:
        """A table's head rows, its bodies' rows and its foot rows; a head
        row's cells are header cells, and so are a row's whose every filled
        cell is bold (a converter's further header rows)."""
        _attr, _caption, _columns, head, bodies, foot = content
        rows: list[tuple[Cell, ...]] = []
        refs: list[int] = []
        for row in head[1]:
            rows.append(self.row(row, True, refs))
        for body in bodies:
            for row in body[2]:
                rows.append(self.row(row, True, refs))
            for row in body[3]:
                rows.append(self.row(row, False, refs))
        for row in foot[1]:
            rows.append(self.row(row, False, refs))
        self.budget.rows(len(rows))
        if rows:
            self._add(table_block(rows, tuple(refs)))

    def row(self, row: Node, in_head: bool, refs: list[int]) -> tuple[Cell, ...]:
        cells: list[tuple[str, int, int, bool]] = []
        for _attr, _align, row_span, col_span, blocks in row[1]:
            text, cell_refs, bold = self.cell_text(blocks)
            refs.extend(cell_refs)
            cells.append((text, row_span, col_span, bold))
        filled = [bold for text, _, _, bold in cells if text]
        header = in_head or (bool(filled) and all(filled))
        self.budget.block()
        return tuple(Cell(text, header=header, row_span=max(1, rs), col_span=max(1, cs))
                     for text, rs, cs, _ in cells)

    def cell_text(self, blocks: list[Node]) -> tuple[str, tuple[int, ...], bool]:
        """A cell's text: its paragraphs and items one after another."""
        texts: list[str] = []
        refs: list[int] = []
        bold = True
        stack = list(reversed(blocks))
        while stack:
            node = stack.pop()
            kind, content = node["t"], node.get("c")
            if kind in ("Para", "Plain", "Header"):
                text, found, all_bold = inline_text(content[2] if kind == "Header" else content)
                texts.append(text)
                refs.extend(found)
                bold = bold and (all_bold or not text)
            elif kind == "OrderedList":  # a cell's "d) Does ..." is its label, letter and all
                items = [_typed(item, _list_marker(content[0], i)) for i, item in enumerate(content[1])]
                stack.extend(reversed([b for item in items for b in item]))
            elif kind == "BulletList":
                stack.extend(reversed([b for item in content for b in item]))
            elif kind in ("Div", "BlockQuote"):
                stack.extend(reversed(content[1] if kind == "Div" else content))
        text = " ".join(t for t in texts if t)
        return text, tuple(refs), bold and bool(text)

    def raw_tables(self, markup: str) -> None:
        from pipeline.ingest.markdown_html import html_table_items

        for item in html_table_items(markup):
            self.budget.rows(len(item.block.table.rows) if item.block.table else 0)
            self._add(item)
