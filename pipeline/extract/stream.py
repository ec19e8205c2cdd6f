"""A section's blocks as one stream of items in printed order: each table
row typed by the table reader, and each other block's text, with its page.
The mappings (summary, key questions, prompts, annex results) walk it."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.document import BlockKind, Section
from pipeline.extract.table_reader import TypedRow, read_table


@dataclass(frozen=True)
class TextItem:
    """A heading, paragraph or list item: its text and page."""
    kind: BlockKind
    text: str
    page: int


Item = TypedRow | TextItem


def items_of(sections: list[Section], *, skip_heading: bool = True) -> list[Item]:
    """The items of `sections` in order (each section's own heading block
    left out when `skip_heading`). A table's rows are numbered from 0 in
    each table: a row with index 0 starts a table."""
    out: list[Item] = []
    for section in sections:
        key = f"items:{skip_heading}"
        if key in section.memo:
            out.extend(section.memo[key])
            continue
        start = len(out)
        for position, (page, block) in enumerate(section.blocks):
            if block.kind is BlockKind.TABLE and block.table is not None:
                out.extend(read_table(block.table, page, box=block.box))
            elif block.kind in (BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) and block.text \
                    and not (skip_heading and position == 0):
                out.append(TextItem(block.kind, block.text, page))
        section.memo[key] = out[start:]
    return out


def has_valued_rows(items: list[Item]) -> bool:
    return any(isinstance(i, TypedRow) and (i.valued or i.rating) for i in items)
