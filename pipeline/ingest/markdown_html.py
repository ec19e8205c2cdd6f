"""A raw HTML table inside Markdown (converters write a table with merged
cells as a <table> block: pandoc's GFM, Markdown saved from a web page),
read by the web page reader's table code into the same TABLE block a pipe
or grid table gives. Footnote references in its cells arrive as sentinels
(markdown_refs), glued as markers here."""
from __future__ import annotations

import re
from dataclasses import replace

from pipeline.core.document import Cell
from pipeline.ingest.markdown_refs import SENTINEL, markers
from pipeline.ingest.structured import Item, table_block

_TABLE_START = re.compile(r"<table[\s>]", re.I)
_TABLE_END = re.compile(r"</table\s*>", re.I)


def has_table(markup: str) -> bool:
    return _TABLE_START.search(markup) is not None


def table_end(lines: list[str], start: int) -> int:
    """The index of the line after the one that closes the table opened at
    `start` (nested tables counted); the text's end when none does."""
    depth = 0
    opened = False  # the block may open with other tags ("<div>") before its table
    for index in range(start, len(lines)):
        opens = len(_TABLE_START.findall(lines[index]))
        depth += opens - len(_TABLE_END.findall(lines[index]))
        opened = opened or opens > 0
        if opened and depth <= 0:
            return index + 1
    return len(lines)


def html_table_items(markup: str) -> list[Item]:
    """The markup's outermost tables as TABLE items."""
    from pipeline.ingest.html import fragment_tables

    items = []
    for rows, refs in fragment_tables(markup):
        found: list[int] = list(refs)
        kept: list[tuple[Cell, ...]] = []
        for row in rows:
            kept.append(tuple(_marked(cell, found) for cell in row))
        if kept:
            items.append(table_block(kept, tuple(found)))
    return items


def _marked(cell: Cell, found: list[int]) -> Cell:
    if not SENTINEL.search(cell.text):
        return cell
    text, refs = markers(cell.text)
    found.extend(refs)
    return replace(cell, text=text)
