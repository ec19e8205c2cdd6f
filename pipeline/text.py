"""Small text helpers shared by stages (segment and the extractors)."""
from __future__ import annotations

import bisect
import re


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


class JoinedText:
    """Lines joined into one searchable text (a sentence wrapped over lines
    still matches), with each offset mapped back to its line and page."""

    def __init__(self, lines: list) -> None:
        self.lines = lines
        self.starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            parts.append(line.text)
            offset += len(line.text) + 1
        self.text = " ".join(parts)

    def line_at(self, offset: int):
        """The line holding character `offset` of the joined text."""
        return self.lines[max(bisect.bisect_right(self.starts, offset) - 1, 0)]

    def page_at(self, offset: int) -> int | None:
        return self.line_at(offset).page if self.lines else None
