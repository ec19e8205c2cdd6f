"""Read a Word document (.docx) into blocks.

The body is read in its own order, paragraphs and tables interleaved (the
XML's children, not python-docx's paragraphs-then-tables). Heading styles
(Title, Heading 1..6, or a paragraph with an outline level) give headings,
list styles and numbering give list items. A table is read from its XML
so a merged cell is one cell with its span (python-docx repeats a merged
cell's text in every grid position): gridSpan across, vMerge down; a w:shd
fill other than auto or white is shaded; a repeated header row (tblHeader),
or a first row all in bold, is header cells.

Footnotes come from word/footnotes.xml. A reference in the text is the
number Word prints for it, the references counted in order, glued to the
word before it ("rating3") as the PDF made from the document prints it; a
superscript number (a second reference to a note) is glued the same way.

A .docx is a zip: its package is checked before anything is inflated
(docx_package.py). Text Word does not show (hidden, deleted, moved away)
is not read (visibility.py).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.core.document import BlockKind, Cell
from pipeline.core.errors import IngestError
from pipeline.core.records import Note
from pipeline.ingest.docx_package import check_zip
from pipeline.ingest.structured import (Budget, Item, block_texts, clean, glue_marker, heading, list_item,
                                        table_block, text_block)
from pipeline.ingest.visibility import HiddenText, run_reason, vanishing_styles

Element = Any  # an lxml element of the document's XML (lxml has no type hints)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)$", re.I)
_NOTE_PARAGRAPH = re.compile(r"^(\d{1,3})\s+(?=\S)")
_MARK = re.compile(r"^\[?(\d{1,3})\]?$")


def read_docx(path: Path | BinaryIO) -> tuple[list[Item], dict[int, str], list[Note]]:
    """Blocks (with the footnotes each references), footnote texts, and the
    hidden text found."""
    check_zip(path)
    try:
        import docx  # python-docx, imported when a Word document comes

        document = docx.Document(path if not isinstance(path, Path) else str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise IngestError(f"this .docx could not be opened as a Word document ({_damage(exc)})",
                          error="not_a_docx") from None
    vanishing = vanishing_styles(document.styles.element)
    hidden = HiddenText()
    reader = _Reader(_styles(document), _footnote_texts(document, vanishing, hidden), _list_formats(document),
                     _style_numbering(document))
    reader.vanishing, reader.hidden = vanishing, hidden
    items = reader.read(document.element.body)
    note = hidden.note(block_texts(items) + list(reader.notes.values()))
    return items, reader.notes, [note] if note else []


def _damage(exc: Exception) -> str:
    """What is wrong with the package, in words (never an exception's class)."""
    text = " ".join(str(exc).split())[:120]
    missing = re.search(r"no item named '([^']+)'", text)
    if missing:
        return f"a part it refers to is missing from the zip: {missing.group(1)}"
    if type(exc).__name__ == "XMLSyntaxError":
        return f"one of its parts is not well-formed XML: {text}"
    if type(exc).__name__ == "PackageNotFoundError":
        return "it is not a Word package"
    return text or "its parts do not fit together"


def _style_numbering(document: Any) -> dict[str, Element]:
    """style id -> the numbering its paragraphs get from the style itself."""
    out: dict[str, Element] = {}
    for style in document.styles.element.iter(f"{W}style"):
        numbering = style.find(f"{W}pPr/{W}numPr")
        if numbering is not None and numbering.find(f"{W}numId") is not None:
            out[style.get(f"{W}styleId", "")] = numbering
    return out


def _list_formats(document: Any) -> dict[tuple[str, str], tuple[str, int]]:
    """(numId, level) -> (number format, start) from the numbering part."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {a.get(f"{W}abstractNumId"): a for a in numbering.iter(f"{W}abstractNum")}
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for num in numbering.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        definition = abstract.get(ref.get(f"{W}val")) if ref is not None else None
        for lvl in definition.iter(f"{W}lvl") if definition is not None else ():
            fmt, start = lvl.find(f"{W}numFmt"), lvl.find(f"{W}start")
            value = start.get(f"{W}val", "1") if start is not None else "1"
            out[(num.get(f"{W}numId", ""), lvl.get(f"{W}ilvl", "0"))] = (
                fmt.get(f"{W}val", "") if fmt is not None else "", int(value) if value.isdigit() else 1)
    return out


def _styles(document: Any) -> dict[str, tuple[str, int | None]]:
    """style id -> (kind, heading level): "heading", "list" or "body",
    following each style's basedOn chain (a custom style based on Heading 2
    is a heading)."""
    out: dict[str, tuple[str, int | None]] = {}
    for style in document.styles:
        chain, kind, level = style, "body", None
        for _ in range(10):
            if chain is None:
                break
            name = (chain.name or "").strip()
            m = _HEADING_STYLE.match(name)
            if m:
                kind, level = "heading", int(m.group(1))
                break
            if name.lower() in ("title", "titel"):
                kind, level = "heading", 1
                break
            if "list" in name.lower() and "table" not in name.lower():
                kind = "list"
                break
            chain = getattr(chain, "base_style", None)
        out[style.style_id] = (kind, level)
    return out


def _footnote_texts(document: Any, vanishing: frozenset[str], hidden: HiddenText) -> dict[str, str]:
    """w:id -> text of each footnote (separators left out)."""
    from lxml import etree

    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype.endswith("/footnotes") and not rel.is_external), None)
    if part is None:
        return {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(part.blob, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"this .docx's footnotes could not be read ({exc})", error="not_a_docx") from None
    notes: dict[str, str] = {}
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = clean(" ".join(_run_text(p, vanishing, hidden) for p in note.iter(f"{W}p")))
        if text:
            notes[note.get(f"{W}id") or ""] = text
    return notes


def _run_text(paragraph: Element, vanishing: frozenset[str], hidden: HiddenText) -> str:
    """A footnote paragraph's text (its own reference mark left out, and the
    runs Word does not show)."""
    parts = []
    for run in paragraph.iter(f"{W}r"):
        shown = run_reason(run, paragraph, vanishing) is None
        texts = [el.text or "" if el.tag == f"{W}t" else " " for el in run.iter(f"{W}t", f"{W}tab", f"{W}br")]
        if shown:
            parts += texts
        else:
            hidden.add("".join(texts), run_reason(run, paragraph, vanishing) or "")
    return "".join(parts)


class _Reader:
    """Walks the body once: the footnote references are numbered as Word
    numbers them, in the order they come."""

    def __init__(self, styles: dict[str, tuple[str, int | None]], footnotes: dict[str, str],
                 list_formats: dict[tuple[str, str], tuple[str, int]] | None = None,
                 style_numbering: dict[str, Element] | None = None) -> None:
        self.styles = styles
        self.footnotes = footnotes
        self.list_formats = list_formats or {}  # (numId, level) -> (numFmt, start)
        self.counters: dict[tuple[str, str], int] = {}  # the next number of each numbered list
        self.style_numbering = style_numbering or {}  # style id -> its numPr ('List Number')
        self.numbers: dict[str, int] = {}  # footnote w:id -> number printed
        self.notes: dict[int, str] = {}
        self.loose: dict[int, str] = {}  # "Footnote Text" paragraphs in the body: "9 text"
        self.budget = Budget("Word document")
        self.vanishing: frozenset[str] = frozenset()  # style ids whose runs are hidden
        self.hidden = HiddenText()

    def read(self, body: Element) -> list[Item]:
        items: list[Item] = []
        stack = list(reversed(list(body)))
        while stack:
            el = stack.pop()
            if el.tag == f"{W}p":
                item = self.paragraph(el)
                if item:
                    items.append(item)
                    self.budget.block()
            elif el.tag == f"{W}tbl":
                rows, refs = self.table(el)
                if rows:
                    items.append(table_block(rows, refs))
            elif el.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}moveTo"):
                # content controls, tracked insertions and moves' destinations hold body text
                stack.extend(reversed(list(el)))
        for number, text in self.loose.items():
            self.notes.setdefault(number, text)
        return items

    def paragraph(self, p: Element) -> Item | None:
        text, refs = self.text(p)
        if not text:
            return None
        style_id = p.find(f"{W}pPr/{W}pStyle")
        style = style_id.get(f"{W}val") if style_id is not None else ""
        kind, level = self.styles.get(style or "", ("body", None))
        outline = p.find(f"{W}pPr/{W}outlineLvl")
        if kind != "heading" and outline is not None and (outline.get(f"{W}val") or "").isdigit() \
                and int(outline.get(f"{W}val") or 9) < 6:
            kind, level = "heading", int(outline.get(f"{W}val") or 0) + 1
        if "footnote" in (style or "").lower():
            m = _NOTE_PARAGRAPH.match(text)
            if m:
                self.loose[int(m.group(1))] = text[m.end():]
                return None
        if kind == "heading":
            return heading(text, level or 1, refs)
        numbering = p.find(f"{W}pPr/{W}numPr")
        if numbering is None:
            numbering = self.style_numbering.get(style or "")
        if kind == "list" or numbering is not None:
            number = self.list_number(numbering) if numbering is not None else None
            return list_item(text, number, refs)
        return text_block(BlockKind.PARAGRAPH, text, refs)

    def list_number(self, numbering: Element) -> str | None:
        """The number Word prints before a decimal-numbered paragraph ('3.'):
        the report's own numbering (recommendation 3), which python-docx's text
        leaves out. Bulleted and lettered lists print none here."""
        num_id = numbering.find(f"{W}numId")
        level = numbering.find(f"{W}ilvl")
        key = (num_id.get(f"{W}val", "") if num_id is not None else "",
               level.get(f"{W}val", "0") if level is not None else "0")
        fmt, start = self.list_formats.get(key, ("", 1))
        if fmt != "decimal":
            return None
        self.counters[key] = self.counters.get(key, start - 1) + 1
        return f"{self.counters[key]}."

    def text(self, p: Element) -> tuple[str, tuple[int, ...]]:
        """A paragraph's text with footnote references glued as markers
        (runs inside a text box of the paragraph are not its text)."""
        parts: list[str] = []
        refs: list[int] = []
        unseen: list[tuple[str, str]] = []
        for run in p.iter(f"{W}r"):
            if _owner(run) is not p:
                continue
            why = run_reason(run, p, self.vanishing)
            if why:
                unseen.append(("".join(t.text or "" for t in run.iter(f"{W}t", f"{W}delText")), why))
                continue
            superscript = run.find(f"{W}rPr/{W}vertAlign")
            is_super = superscript is not None and superscript.get(f"{W}val") == "superscript"
            for el in run:
                tag = el.tag
                if tag == f"{W}t":
                    mark = _MARK.match((el.text or "").strip()) if is_super else None
                    if mark:
                        glue_marker(parts, int(mark.group(1)))
                        refs.append(int(mark.group(1)))
                    else:
                        parts.append(el.text or "")
                elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                    parts.append(" ")
                elif tag == f"{W}noBreakHyphen":
                    parts.append("-")
                elif tag == f"{W}footnoteReference":
                    printed = self.number_of(el.get(f"{W}id") or "")
                    if printed is not None:
                        glue_marker(parts, printed)
                        refs.append(printed)
        if unseen:
            self.hidden.add("".join(text for text, _ in unseen), unseen[0][1])
        return clean("".join(parts)), tuple(refs)

    def number_of(self, note_id: str) -> int | None:
        """The number Word prints for a footnote: references counted in order."""
        if note_id not in self.footnotes:
            return None
        if note_id not in self.numbers:
            self.numbers[note_id] = len(self.numbers) + 1
            self.notes[self.numbers[note_id]] = self.footnotes[note_id]
        return self.numbers[note_id]

    def table(self, tbl: Element) -> tuple[list[tuple[Cell, ...]], tuple[int, ...]]:
        """Rows of cells, a merged cell once with its spans. Nested tables'
        text stays in their cell."""
        grid: list[list[dict[str, Any]]] = []
        refs: list[int] = []
        above: dict[int, dict[str, Any]] = {}  # grid column -> the cell that a vMerge continues
        for tr in tbl.iterchildren(f"{W}tr"):
            if tr.find(f"{W}trPr/{W}del") is not None:  # a tracked deletion of the whole row
                self.hidden.add(" ".join(t.text or "" for t in tr.iter(f"{W}t")), "a deleted table row")
                continue
            row: list[dict[str, Any]] = []
            before = tr.find(f"{W}trPr/{W}gridBefore")
            column = int(before.get(f"{W}val") or 0) if before is not None else 0
            is_header = tr.find(f"{W}trPr/{W}tblHeader") is not None
            for tc in tr.iterchildren(f"{W}tc"):
                props = tc.find(f"{W}tcPr")
                span = _int_val(props, "gridSpan", 1)
                merge = props.find(f"{W}vMerge") if props is not None else None
                if merge is not None and merge.get(f"{W}val") in (None, "continue") and column in above:
                    above[column]["row_span"] += 1
                    column += span
                    continue
                texts = []
                for p in tc.iter(f"{W}p"):
                    text, found = self.text(p)
                    texts.append(text)
                    refs.extend(found)
                cell = {"text": clean(" ".join(texts)), "header": is_header, "shaded": _shaded(props),
                        "row_span": 1, "col_span": span, "bold": _all_bold(tc)}
                row.append(cell)
                above[column] = cell
                column += span
            grid.append(row)
            self.budget.block()
        self.budget.rows(len(grid))
        if grid and not any(c["header"] for c in grid[0]):
            filled = [c for c in grid[0] if c["text"]]
            if filled and all(c["bold"] for c in filled) and len(grid) > 1:
                for c in grid[0]:
                    c["header"] = True
        rows = [tuple(Cell(c["text"], header=c["header"], shaded=c["shaded"], row_span=c["row_span"],
                           col_span=c["col_span"]) for c in row) for row in grid if row]
        return rows, tuple(refs)


def _owner(run: Element) -> Element | None:
    """The paragraph a run belongs to (the nearest w:p above it)."""
    node = run.getparent()
    while node is not None and node.tag != f"{W}p":
        node = node.getparent()
    return node


def _int_val(props: Element | None, name: str, default: int) -> int:
    el = props.find(f"{W}{name}") if props is not None else None
    value = el.get(f"{W}val") if el is not None else None
    return max(1, min(int(value), 1000)) if value and value.isdigit() else default


def _shaded(props: Element | None) -> bool:
    shd = props.find(f"{W}shd") if props is not None else None
    if shd is None:
        return False
    fill = (shd.get(f"{W}fill") or "auto").upper()
    return fill not in ("AUTO", "FFFFFF", "") or (shd.get(f"{W}val") or "clear") not in ("clear", "nil")


def _all_bold(tc: Element) -> bool:
    """Every run with text in the cell is bold (a header row Word did not mark)."""
    runs = [r for r in tc.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
    if not runs:
        return False
    for r in runs:
        b = r.find(f"{W}rPr/{W}b")
        if b is None or b.get(f"{W}val") in ("0", "false"):
            return False
    return True
