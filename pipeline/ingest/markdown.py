"""Read Markdown (as PDF-to-Markdown converters write reports) into blocks.

markdown-it-py parses CommonMark with pipe tables. Converters keep the PDF's
bold: "## **Foreword**" is the heading "Foreword", and a paragraph that is
only bold ("**Foreword**") is a heading too (unless it is a label ending in
a colon, "**Strengths:**"). Emphasis, links and inline HTML are read as their
text. Footnote definitions ("[^3]: text") become footnotes and references
("[^3]") markers glued to the word before them, as PDF text prints them;
CommonMark itself knows neither, so they are taken out before parsing.

markdown-it holds every token in memory (a 2 MB table is 1.6 million
tokens), so a file of more lines than core.limits allows is refused before
parsing.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.core.document import BlockKind, Cell
from pipeline.core.errors import IngestError
from pipeline.core.limits import MAX_MARKDOWN_CHARS, MAX_MARKDOWN_LINES, MAX_TABLE_ROWS
from pipeline.ingest.markdown_dialect import is_pandoc_markdown
from pipeline.ingest.markdown_html import has_table, html_table_items, table_end
from pipeline.ingest.markdown_refs import markers, take_footnotes, with_sentinels
from pipeline.core.records import Note
from pipeline.ingest.structured import Budget, Item, block_texts, heading, list_item, table_block, text_block
from pipeline.ingest.visibility import HiddenText, RawHtml, raw_style_rules

if TYPE_CHECKING:
    from markdown_it.token import Token

_BR = re.compile(r"^<br\s*/?>$", re.I)
_EMBEDDED_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\(\s*<?data:[^)\s]*\)")
_PIPE_LINE = re.compile(r"^[ \t]*\|", re.M)
_REFERENCE = re.compile(r"\[\^(\d{1,3})\]")


def read_markdown(text: str) -> tuple[list[Item], dict[int, str], list[Note]]:
    """Blocks (with the footnotes each references), footnote texts, and the
    hidden text found. A text in pandoc's own dialect (grid, simple or
    multiline tables, fenced divs) is parsed by pandoc (markdown_pandoc.py);
    any other by markdown-it, its raw HTML read under the web page's rules
    (visibility.py). A definition nothing refers to is not shown."""
    text = within_limits(text)
    body, notes = take_footnotes(text)
    hidden = HiddenText()
    referenced = {int(n) for n in _REFERENCE.findall(body)}
    for number in [n for n in notes if n not in referenced]:
        hidden.add(notes.pop(number), "a footnote definition that nothing refers to")
    if is_pandoc_markdown(body):
        from pipeline.ingest.markdown_pandoc import read_pandoc  # pandoc's dialect: pandoc reads it

        items, elements = read_pandoc(with_sentinels(body))
        note = hidden.note(block_texts(items))
        return items, {**elements, **notes}, [note] if note else []
    from markdown_it import MarkdownIt  # imported when Markdown comes

    source = with_sentinels(body)
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    hidden.rules = raw_style_rules([t.content for t in tokens if t.type == "html_block"]
                                   + [c.content for t in tokens if t.type == "inline" for c in t.children or ()
                                      if c.type == "html_inline"])
    items = _blocks(_visible_tokens(tokens, hidden), source.split("\n"), hidden)
    note = hidden.note(block_texts(items))
    return items, notes, [note] if note else []


def within_limits(text: str) -> str:
    """The text without embedded images (converters may inline them as
    base64), refused before parsing if it is too big to parse in seconds:
    too many characters, lines or table rows."""
    if "data:" in text:
        text = _EMBEDDED_IMAGE.sub("", text)
    lines = text.count("\n") + 1
    if lines > MAX_MARKDOWN_LINES:
        raise IngestError(f"this Markdown file has {lines:,} lines, over the {MAX_MARKDOWN_LINES:,}-line limit "
                          "(a report has a few thousand); refused", error="too_many_lines")
    if len(text) > MAX_MARKDOWN_CHARS:
        raise IngestError(f"this Markdown file has {len(text) / 1e6:.1f} million characters of text, over the "
                          f"{MAX_MARKDOWN_CHARS / 1e6:.0f} million limit (a report has about 0.2); refused",
                          error="too_large")
    rows = len(_PIPE_LINE.findall(text))
    if rows > MAX_TABLE_ROWS:
        raise IngestError(f"this Markdown file has {rows:,} table rows, over the {MAX_TABLE_ROWS:,}-row limit "
                          "(a report has a few hundred); refused", error="too_many_rows")
    return text


def _inline(token: Token, hidden: HiddenText) -> tuple[str, tuple[int, ...], bool]:
    """An inline token's text (emphasis, links and tags dropped, <br> a
    space; text inside hidden raw HTML goes to `hidden`), the footnotes it
    references, and whether it is all bold."""
    parts: list[str] = []
    bold_depth = 0
    all_bold = True
    raw_html = RawHtml(hidden.rules)
    for child in token.children or ():
        kind = child.type
        if kind == "html_inline":
            raw_html.tag(child.content)
        if raw_html.reason and kind != "html_inline":
            hidden.add(child.content, raw_html.reason)
            continue
        if kind == "strong_open":
            bold_depth += 1
        elif kind == "strong_close":
            bold_depth -= 1
        elif kind in ("text", "code_inline"):
            if child.content.strip() and bold_depth == 0:
                all_bold = False
            parts.append(child.content)
        elif kind in ("softbreak", "hardbreak") or (kind == "html_inline" and _BR.match(child.content)):
            parts.append(" ")
        elif kind == "image":
            parts.append(child.content)
    text, refs = markers("".join(parts))
    return text, refs, all_bold and bool(text)


_LIST_TOKENS = frozenset({"bullet_list_open", "bullet_list_close", "ordered_list_open", "ordered_list_close",
                          "list_item_open", "list_item_close"})


def _visible_tokens(tokens: list[Token], hidden: HiddenText) -> list[Token]:
    """The tokens outside hidden raw HTML blocks ("<div hidden>", a blank
    line, then Markdown that a browser shows inside the hidden div); the
    lists' own tokens are kept, so that nesting stays balanced, and an HTML
    block that opens visible is kept (its tables are read under the web
    page's rules)."""
    raw = RawHtml(hidden.rules)
    out: list[Token] = []
    for token in tokens:
        if token.type == "html_block":
            if raw.reason is None:
                out.append(token)
            raw.feed(token.content)
        elif raw.reason is None or token.type in _LIST_TOKENS:
            out.append(token)
        elif token.type == "inline":
            hidden.add(token.content, raw.reason)
    return out


def _blocks(tokens: list[Token], lines: list[str], hidden: HiddenText) -> list[Item]:
    """Walk the flat token stream (markdown-it's output is not a tree, so
    nesting costs no recursion); `lines` are the parsed text's, for a raw
    HTML table (which may run over blank lines, so over several tokens)."""
    budget = Budget("Markdown file")
    items: list[Item] = []
    in_list = 0
    last_level = 1
    number: str | None = None  # an ordered item's printed number, until its first paragraph takes it
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        elif kind == "list_item_open" and token.info:
            # an ordered list's number is the report's own (recommendation 3 is '3.')
            number = f"{token.info}{token.markup or '.'}"
        elif kind == "heading_open":
            text, refs, _ = _inline(tokens[i + 1], hidden)
            if text:
                last_level = int(token.tag[1:])
                items.append(heading(text, last_level, refs))
                budget.block()
            i += 2
        elif kind == "paragraph_open":
            text, refs, bold = _inline(tokens[i + 1], hidden)
            if text:
                if in_list:
                    items.append(list_item(text, number, refs))
                    number = None
                elif bold and not text.endswith(":") and len(text) <= 120:
                    items.append(heading(text, min(last_level + 1, 6), refs))
                else:
                    items.append(text_block(BlockKind.PARAGRAPH, text, refs))
                budget.block()
            i += 2
        elif kind == "table_open":
            i = _table(tokens, i, items, budget, hidden)
        elif kind == "html_block" and token.map and has_table(token.content):
            i = _html_table(tokens, i, lines, items, budget)
        i += 1
    return items


def _html_table(tokens: list[Token], start: int, lines: list[str], items: list[Item], budget: Budget) -> int:
    """A raw HTML table from the html_block at `start` to the line that
    closes it; returns the index of the last token it covers."""
    first = (tokens[start].map or [0])[0]
    end = table_end(lines, first)
    for item in html_table_items("\n".join(lines[first:end])):
        budget.rows(len(item.block.table.rows) if item.block.table else 0)
        budget.block()
        items.append(item)
    i = start
    while i + 1 < len(tokens) and _within(tokens[i + 1], end):
        i += 1
    return i


def _within(token: Token, end: int) -> bool:
    """A token of the text before line `end` (what a table running over a
    blank line was cut into: more HTML blocks, paragraphs)."""
    return token.type == "paragraph_close" if token.map is None else token.map[0] < end


def _table(tokens: list[Token], start: int, items: list[Item], budget: Budget, hidden: HiddenText) -> int:
    """A pipe table from table_open at `start`: the header row's cells are
    header cells, and so is a body row whose every filled cell is bold (a
    converter's further header rows). Returns the index of table_close."""
    rows: list[tuple[Cell, ...]] = []
    refs: list[int] = []
    row: list[tuple[str, bool]] = []
    i = start + 1
    while tokens[i].type != "table_close":
        kind = tokens[i].type
        if kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open"):
            text, cell_refs, bold = _inline(tokens[i + 1], hidden)
            refs.extend(cell_refs)
            row.append((text, kind == "th_open" or bold))
        elif kind == "tr_close":
            filled = [header for text, header in row if text]
            is_header = bool(filled) and all(filled)
            rows.append(tuple(Cell(text, header=is_header) for text, _ in row))
            budget.block()
        i += 1
    budget.rows(len(rows))
    items.append(table_block(rows, tuple(refs)))
    return i

