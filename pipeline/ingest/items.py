"""Numbered and bulleted items, whatever made them: an item a list's own
numbering gives its number (a Word or HTML list) already is a LIST_ITEM
with its number; in the recommendations, a paragraph that opens with a
typed number ('3. Improve ...') or a bullet is one too, its number taken
off its text once, here, so that nothing downstream parses numbers out of
text again."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from pipeline.core.document import Block, BlockKind, Page, page_of_blocks
from pipeline.core.headings import HeadingTracker
from pipeline.core.patterns import load

LISTED_SECTIONS = ("recommendations",)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load("recommendations")
    return re.compile(data["_item"]), re.compile(data["_bullet"])


def with_items(pages: list[Page]) -> list[Page]:
    """The pages, each typed item in a section that lists them a LIST_ITEM."""
    tracker = HeadingTracker()
    out: list[Page] = []
    for page in pages:
        blocks: list[Block] = []
        changed = False
        for block in page.blocks:
            if block.kind is BlockKind.HEADING:
                tracker.opens(block.text, page.number)
            elif tracker.kind in LISTED_SECTIONS and block.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
                item = _item(block)
                changed = changed or item is not block
                block = item
            blocks.append(block)
        out.append(page_of_blocks(page.number, blocks, page.printed_number) if changed else page)
    return out


def _item(block: Block) -> Block:
    numbered, bullet = _patterns()
    text = block.text.strip()
    m = numbered.match(text)
    if m and block.number is None:
        return replace(block, kind=BlockKind.LIST_ITEM, text=m.group("text"), number=int(m.group("n")))
    m = bullet.match(text)
    if m:
        return replace(block, kind=BlockKind.LIST_ITEM, text=m.group("text"))
    return block
