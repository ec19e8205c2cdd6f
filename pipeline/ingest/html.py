"""Read a web page (the inspectorate's newer report pages, or a report saved
from Word as HTML) into blocks.

The report is in <main> (or <article>, else <body>); the site around it
(navigation, header and footer, scripts, forms, cookie banners, breadcrumbs,
skip links, "(Back to top)" links, hidden elements) is not. Headings keep their level, list items
and paragraphs their text, tables their cells (<th> or a <thead> cell is a
header; a background colour or a "shaded" class marks a shaded cell; spans
kept). Footnotes are read from the notes list (an element whose class or id
names footnotes, or items with ids like "fn3"), and a reference to one
("<sup>3</sup>", "<a href="#fn3">[3]</a>", "[3]") becomes the number glued to
the word before it ("rating3"), as the PDF's text prints it.

The page may be nested without end: lxml's parser stops at 256 levels (and
says so in its error log), so a deeper page is refused rather than read in
part, and every walk here is iterative.
"""
from __future__ import annotations

import re
from typing import Any

from pipeline.core.document import BlockKind, Cell
from pipeline.core.records import Note
from pipeline.ingest.html_parse import parse_page
from pipeline.ingest.structured import (Budget, Item, block_texts, clean, glue_marker, heading, list_item,
                                        table_block, text_block)
from pipeline.ingest.visibility import HIDDEN_ELEMENTS, MARK, mark_hidden

Element = Any  # an lxml.html element (lxml has no type hints)

_DROP_TAGS = {"nav", "script", "style", "noscript", "form", "button", "input", "select", "textarea", "template",
              "iframe", "svg", "canvas", "object", "embed", "head", "title", "meta", "link", "img", "picture"}
_CHROME_TAGS = {"header", "footer"}  # site furniture when outside the report's <main>/<article>
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_PARAGRAPHS = {"p", "pre", "dt", "dd", "caption", "figcaption", "address"}
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q", "s",
           "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "ins", "del", "label", "wbr", "br"}
# "hidden" is a class the site styles hide; a visually-hidden label (sr-only) is read (visibility.py)
_HIDDEN_CLASSES = {"hidden", "back-to-top", "skip-link"}
# site furniture by its id or class, wherever it stands (GOV.UK puts breadcrumbs inside <main>)
_FURNITURE_NAMES = ("cookie", "breadcrumb", "skip-link")
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*(?!\s*(?:transparent|none|inherit|initial|#fff(?:fff)?\b|"
                         r"white\b|rgba?\(\s*255\s*,\s*255\s*,\s*255\s*(?:,\s*1\s*)?\)))[^;]+", re.I)
_SHADED_CLASS = re.compile(r"shad|fill|highlight|rating-", re.I)
_NOTE_ID = re.compile(r"^_?(?:fn|ftn|footnote|endnote|note)[-_:]?(\d{1,3})$", re.I)
_NOTE_HREF = re.compile(r"#_?(?:fn|ftn|footnote|endnote|note)[-_:]?(\d{1,3})$", re.I)
_BACK_HREF = re.compile(r"#_?(?:fn|ftn|footnote|endnote|note)[-_:]?ref", re.I)
_MARKER = re.compile(r"^\[?(?:[Ff]ootnote\s+)?(\d{1,3})\]?$")  # "3", "[3]", "[footnote 3]"
_BRACKET_REF = re.compile(r"\s*\[(\d{1,3})\]")
_BACK_TO_TOP = re.compile(r"^\(?\s*back to (?:top|contents)\s*\)?$", re.I)


def read_html(data: bytes) -> tuple[list[Item], dict[int, str], list[Note]]:
    """Blocks (with the footnotes each references), footnote texts, and what
    the reading itself found (hidden text, a parse that stopped early)."""
    document, remarks = parse_page(data)
    root = _report_root(document)
    hidden = mark_hidden(document, root, _furniture)
    notes, unseen_notes = _footnotes(document)
    items = _blocks(root, notes)
    referenced = {n for item in items for n in item.refs}
    for number, text in unseen_notes.items():
        if number in referenced and number not in notes:
            notes[number] = text  # a hidden note that visible text refers to is a footnote
        else:
            hidden.add(text, "a footnote that is hidden and that no visible text refers to")
    note = hidden.note(block_texts(items) + list(notes.values()))
    return items, notes, remarks + ([note] if note else [])


def _report_root(document: Element) -> Element:
    """The report's part of the page: <main>, role=main, <article>, else <body>."""
    for path in ("//main", "//*[@role='main']", "//article", "//body"):
        found = document.xpath(path)
        if found:
            return found[0]
    return document


def _tokens(el: Element, name: str) -> str:
    value = el.get(name)
    return value.lower() if value else ""


def _dropped(el: Element, in_report: bool) -> bool:
    """Furniture or hidden: not report text."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if not tag or tag in _DROP_TAGS or (tag in _CHROME_TAGS and not in_report) or el.get(MARK) is not None:
        return True
    return _furniture(el)


def _skipped(el: Element, in_report: bool, hidden_too: bool) -> bool:
    if hidden_too and isinstance(el.tag, str) and el.get(MARK) is not None and el.tag not in HIDDEN_ELEMENTS:
        return _furniture(el)
    return _dropped(el, in_report)


def _furniture(el: Element) -> bool:
    """The site's parts, wherever they stand (not the report's text, even
    hidden: a cookie banner hidden once answered is no hidden report text)."""
    if (el.tag in _DROP_TAGS and el.tag not in HIDDEN_ELEMENTS) or el.tag in _CHROME_TAGS:
        return True
    names = f"{_tokens(el, 'id')} {_tokens(el, 'class')}"
    if any(word in names for word in _FURNITURE_NAMES) or set(_tokens(el, "class").split()) & _HIDDEN_CLASSES:
        return True
    return el.tag == "a" and bool(_BACK_TO_TOP.match(" ".join((el.text_content() or "").split())))


def _ref_number(el: Element) -> int | None:
    """The footnote a <sup> or <a> refers to, if it is a reference."""
    if el.tag == "a":
        href = el.get("href") or ""
        m = _NOTE_HREF.search(href)
        if m and _MARKER.match((el.text_content() or "").strip()):
            return int(m.group(1))
        return None
    if el.tag == "sup":
        m = _MARKER.match((el.text_content() or "").strip())
        return int(m.group(1)) if m else None
    return None


def _is_back_link(el: Element) -> bool:
    return el.tag == "a" and (bool(_BACK_HREF.search(el.get("href") or "")) or
                              (el.text_content() or "").strip() in ("↩", "\u21a9\ufe0e", "^", "Back to content"))


def inline_text(el: Element, stop: frozenset[str] = frozenset(), in_report: bool = True,
                hidden_too: bool = False) -> tuple[str, tuple[int, ...]]:
    """An element's text with footnote references glued as markers (and
    the references' numbers), walking its subtree without recursion; block
    elements inside are separated by a space, `stop` tags are left out (and
    hidden ones, unless `hidden_too`: the text of a footnote that is hidden
    whole, read in case visible text refers to it)."""
    from lxml import etree

    parts: list[str] = []
    refs: list[int] = []
    walker = etree.iterwalk(el, events=("start", "end"))
    for event, node in walker:
        if event == "start":
            if node is not el and (_skipped(node, in_report, hidden_too) or node.tag in stop or _is_back_link(node)):
                walker.skip_subtree()
                continue
            number = _ref_number(node) if node is not el else None
            if number is not None:
                glue_marker(parts, number)
                refs.append(number)
                walker.skip_subtree()
                continue
            if node.tag == "br" or node.tag not in _INLINE:
                parts.append(" ")
            if node.text:
                parts.append(node.text)
        else:
            if node is el:
                break
            if isinstance(node.tag, str) and node.tag not in _INLINE:
                parts.append(" ")
            if node.tail:
                parts.append(node.tail)
    return "".join(parts), tuple(refs)


def _footnotes(document: Element) -> tuple[dict[int, str], dict[int, str]]:
    """Footnote number -> text, from the page's notes that a reader sees, and
    from those hidden (a footnote only where visible text refers to it); the
    notes' elements are then removed, so the body walk does not read them
    again."""
    notes: dict[int, str] = {}
    unseen: dict[int, str] = {}
    containers = [el for el in document.iter() if isinstance(el.tag, str) and el.tag != "body"
                  and ("footnote" in _tokens(el, "class") or "footnote" in _tokens(el, "id")
                       or _tokens(el, "role") in ("doc-endnotes", "doc-footnotes"))]
    for container in containers:
        if container.getparent() is None:
            continue  # already removed with an outer container
        start = int(container.get("start") or 1) if container.tag == "ol" else 1
        items = [li for li in container.iter("li")] or [container]
        for index, item in enumerate(items):
            number = _note_number(item, start + index)
            text, _ = inline_text(item, hidden_too=item.get(MARK) is not None)
            text = _MARKER_PREFIX.sub("", clean(text))
            if number is not None and text:
                (unseen if item.get(MARK) is not None else notes)[number] = text
    for el in [el for el in document.iter() if isinstance(el.tag, str) and _NOTE_ID.match(el.get("id") or "")]:
        number = int(_NOTE_ID.match(el.get("id") or "").group(1))  # type: ignore[union-attr]
        if number not in notes and el.getparent() is not None:
            text, _ = inline_text(el, hidden_too=el.get(MARK) is not None)
            text = _MARKER_PREFIX.sub("", clean(text))
            if text:
                (unseen if el.get(MARK) is not None else notes)[number] = text
                el.getparent().remove(el)
    for container in containers:
        parent = container.getparent()
        if parent is not None:
            parent.remove(container)
    return notes, {n: t for n, t in unseen.items() if n not in notes}


_MARKER_PREFIX = re.compile(r"^\[?\d{1,3}\]?\s*(?=\S)")  # a Word-saved note starts "[3] text"


def _note_number(item: Element, position: int) -> int | None:
    m = _NOTE_ID.match(item.get("id") or "")
    if m:
        return int(m.group(1))
    value = item.get("value")
    if value and value.isdigit():
        return int(value)
    return position if item.tag == "li" else None


def _bracket_refs(text: str, notes: dict[int, str], refs: tuple[int, ...]) -> tuple[str, tuple[int, ...]]:
    """Plain "[3]" in the text, where 3 is a footnote, glued as a marker."""
    if "[" not in text:
        return text, refs
    found: list[int] = []

    def glued(m: re.Match[str]) -> str:
        number = int(m.group(1))
        if number not in notes:
            return m.group(0)
        found.append(number)
        return str(number)

    return _BRACKET_REF.sub(glued, text), refs + tuple(found)


class _Collected:
    """The report's blocks read so far, and the bare text (with its footnote
    references) waiting to become a paragraph of its own."""

    def __init__(self, notes: dict[int, str]) -> None:
        self.notes = notes
        self.budget = Budget("web page")
        self.items: list[Item] = []
        self.pending: list[str] = []
        self.pending_refs: list[int] = []

    def add(self, kind: BlockKind, raw: str, refs: tuple[int, ...], level: int = 0, number: str | None = None) -> None:
        text, refs = _bracket_refs(clean(raw), self.notes, refs)
        if not text:
            return
        self.budget.block()
        if kind is BlockKind.HEADING:
            self.items.append(heading(text, level, refs))
        elif kind is BlockKind.LIST_ITEM:
            self.items.append(list_item(text, number, refs))
        else:
            self.items.append(text_block(kind, text, refs))

    def flush(self) -> None:
        if self.pending:
            self.add(BlockKind.PARAGRAPH, "".join(self.pending), tuple(self.pending_refs))
            self.pending.clear()
            self.pending_refs.clear()

    def table(self, el: Element) -> None:
        rows, refs = _table(el, self.notes)
        self.budget.rows(len(rows))
        for _ in rows:
            self.budget.block()
        if rows:
            self.items.append(table_block(rows, refs))


def _blocks(root: Element, notes: dict[int, str]) -> list[Item]:
    """The report's blocks in order. An explicit stack replaces recursion;
    text standing in a container outside any block (a <div> with bare text)
    is a paragraph of its own."""
    out = _Collected(notes)
    stack: list[tuple[str, Any]] = [("el", root)]
    while stack:
        kind, value = stack.pop()
        if kind == "text":
            out.pending.append(str(value))
            continue
        if kind == "flush":
            out.flush()
            continue
        if value is not root and _dropped(value, True):
            continue
        stack.extend(_read_element(value, out))
    out.flush()
    return out.items


def _ordinal(li: Element) -> str | None:
    """An ordered list item's printed number ('3.'), from its value or its
    place in the list (the list's start counted): the report's own numbering."""
    parent = li.getparent()
    if parent is None or parent.tag != "ol":
        return None
    if li.get("value", "").strip().isdigit():
        return f"{int(li.get('value'))}."
    start = parent.get("start", "1").strip()
    items = [c for c in parent if c.tag == "li"]
    return f"{(int(start) if start.isdigit() else 1) + items.index(li)}."


def _read_element(el: Element, out: _Collected) -> list[tuple[str, Any]]:
    """Read one element into `out`; what is left to walk, in stack order: a
    list item's nested lists and tables, or a container's bare text and
    children (then a flush, so its text is a paragraph of its own)."""
    tag = el.tag
    left: list[tuple[str, Any]] = []
    if tag in _HEADINGS:
        out.flush()
        out.add(BlockKind.HEADING, *inline_text(el), level=_HEADINGS[tag])
    elif tag in _PARAGRAPHS:
        out.flush()
        out.add(BlockKind.PARAGRAPH, *inline_text(el))
    elif tag == "li":
        out.flush()
        text, refs = inline_text(el, stop=frozenset({"ul", "ol", "table"}))
        out.add(BlockKind.LIST_ITEM, text, refs, number=_ordinal(el))
        nested = [c for c in el.iter("ul", "ol", "table") if c is not el]
        outer = [c for c in nested if not any(a in nested for a in c.iterancestors())]
        left.extend(("el", c) for c in reversed(outer))
    elif tag == "table":
        out.flush()
        out.table(el)
    elif tag in _INLINE:
        text, refs = inline_text(el)
        out.pending.append(text)
        out.pending_refs.extend(refs)
    else:  # a container: its bare text, then its children in order
        out.flush()
        left.append(("flush", None))
        for child in reversed(el):
            if child.tail:
                left.append(("text", child.tail))
            if isinstance(child.tag, str):
                left.append(("el", child))
        if el.text:
            left.append(("text", el.text))
    return left


def _table(table: Element, notes: dict[int, str]) -> tuple[list[tuple[Cell, ...]], tuple[int, ...]]:
    """The table's rows (not a nested table's) as cells; a cell's text is
    everything in it, a nested table's too."""
    rows: list[tuple[Cell, ...]] = []
    refs: list[int] = []
    for tr in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        in_head = tr.getparent().tag == "thead"
        cells: list[Cell] = []
        for cell in tr:
            if cell.tag not in ("td", "th") or _dropped(cell, True):
                continue
            raw, found = inline_text(cell)
            text, cell_refs = _bracket_refs(clean(raw), notes, found)
            refs.extend(cell_refs)
            cells.append(Cell(text, header=cell.tag == "th" or in_head, shaded=_shaded(cell),
                              row_span=_span(cell, "rowspan"), col_span=_span(cell, "colspan")))
        if cells:
            rows.append(tuple(cells))
    return rows, tuple(refs)


def _span(cell: Element, name: str) -> int:
    value = (cell.get(name) or "1").strip()
    return max(1, min(int(value), 1000)) if value.isdigit() else 1


def _shaded(cell: Element) -> bool:
    style = cell.get("style") or ""
    return bool(_BACKGROUND.search(style) or (cell.get("bgcolor") or "").lower() not in ("", "#fff", "#ffffff", "white")
                or _SHADED_CLASS.search(cell.get("class") or ""))


def fragment_tables(markup: str) -> list[tuple[list[tuple[Cell, ...]], tuple[int, ...]]]:
    """The outermost tables of an HTML fragment (a raw <table> block in
    Markdown), each read as a web page's table is: rows of cells and the
    footnotes they reference."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return []
    mark_hidden(root, root, _furniture)  # hidden cells and rows are not read (visibility.py)
    found = [t for t in root.iter("table") if not any(a.tag == "table" for a in t.iterancestors())
             and t.get(MARK) is None]
    return [_table(t, {}) for t in found]
