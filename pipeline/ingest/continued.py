"""A table row that a page break cut, put back together.

A drawn table that runs over a page break may cut a row inside its cells:
the label's last words ('people safe?') open the next page's table, in a
row of their own with nothing in its other cells. Read as it stands, the
row above keeps a question cut short ('2.4.3. Does reviewing focus
sufficiently on keeping other') and the words below are a row of nothing.
So, where a page's body ends with a table and the next page's body opens
with one as wide, whose first row is only the rest of words (each filled
cell starts in lower case, none holds a figure), that row's cells are
joined to the last row above, cell by cell.
"""
from __future__ import annotations

from dataclasses import replace

from pipeline.core.document import Block, BlockKind, Page, Table, page_of_blocks

_FURNITURE = (BlockKind.RUNNING, BlockKind.FOOTNOTE)


def with_rows_rejoined(pages: list[Page]) -> list[Page]:
    """The pages, each table row a page break cut joined again."""
    out = list(pages)
    for index in range(1, len(out)):
        above, below = _body_edge(out[index - 1], last=True), _body_edge(out[index], last=False)
        if above is None or below is None:
            continue
        upper, lower = out[index - 1].blocks[above], out[index].blocks[below]
        if not _continues(upper, lower):
            continue
        assert upper.table is not None and lower.table is not None
        rest = lower.table.rows[0]
        last = upper.table.rows[-1]
        joined = tuple(replace(cell, text=f"{cell.text} {more.text}".strip()) if more.text else cell
                       for cell, more in zip(last, rest, strict=True))
        upper = replace(upper, table=Table(upper.table.rows[:-1] + (joined,)))
        remaining = lower.table.rows[1:]
        lower_blocks = list(out[index].blocks)
        if remaining:
            lower_blocks[below] = replace(lower, table=Table(remaining))
        else:
            del lower_blocks[below]
        upper_blocks = list(out[index - 1].blocks)
        upper_blocks[above] = upper
        out[index - 1] = _rebuilt(out[index - 1], upper_blocks)
        out[index] = _rebuilt(out[index], lower_blocks)
    return out


def _rebuilt(page: Page, blocks: list[Block]) -> Page:
    return page_of_blocks(page.number, blocks, page.printed_number)


def _body_edge(page: Page, last: bool) -> int | None:
    """The index of the page's last (or first) body block, when it is a table."""
    order = range(len(page.blocks) - 1, -1, -1) if last else range(len(page.blocks))
    for index in order:
        block = page.blocks[index]
        if block.kind in _FURNITURE or (block.kind is BlockKind.PARAGRAPH and not block.text):
            continue
        return index if block.kind is BlockKind.TABLE and block.table is not None and block.table.rows else None
    return None


def _continues(upper: Block, lower: Block) -> bool:
    assert upper.table is not None and lower.table is not None
    last, rest = upper.table.rows[-1], lower.table.rows[0]
    if len(last) != len(rest) or any(c.col_span != 1 for c in (*last, *rest)):
        return False
    filled = [cell.text.strip() for cell in rest if cell.text.strip()]
    return bool(filled) and all(_words_rest(text) for text in filled) and len(filled) < len(rest)


def _words_rest(text: str) -> bool:
    """Text that carries on a cell above: starts in lower case, and no figure."""
    return text[:1].islower() and not any(ch.isdigit() for ch in text)

