"""Small text helpers shared by stages (segment and the extractors)."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass


def join_wrapped(parts: list[str]) -> str:
    """Join wrapped lines into one, undoing hyphenated line breaks
    ('multi-' + 'agency' -> 'multi-agency'; 'Total 10 -' + 'range' keeps its space)."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out.endswith("-") and part[:1].islower() and not out.endswith(" -"):
            out += part
        else:
            out = f"{out} {part}" if out else part
    return re.sub(r"\s+", " ", out).strip()


@dataclass(frozen=True)
class PagedText:
    """Lines joined by spaces, so that a sentence wrapped over lines (or over
    a page break) is searched as one, and any offset maps back to the page
    of the line it falls in."""

    text: str
    starts: tuple[int, ...]
    pages: tuple[int, ...]
    lower: str  # text.lower(), for fast keyword search

    @classmethod
    def of(cls, lines) -> "PagedText":
        """`lines`: objects with `.text` and `.page` (document.Line)."""
        text, starts, pages = [], [], []
        offset = 0
        for line in lines:
            starts.append(offset)
            pages.append(line.page)
            text.append(line.text)
            offset += len(line.text) + 1
        joined = " ".join(text)
        return cls(joined, tuple(starts), tuple(pages), joined.lower())

    def page_at(self, offset: int) -> int | None:
        index = bisect_right(self.starts, offset) - 1
        return self.pages[index] if index >= 0 else None
