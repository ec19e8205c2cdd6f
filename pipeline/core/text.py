"""Small text helpers shared by stages (segment and the extractors): wrapped
lines joined, and footnote markers found or removed with the one pattern in
patterns/footnotes.json."""
from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING

from pipeline.core.patterns import load

if TYPE_CHECKING:  # document.py builds on this module's JoinedText
    from pipeline.core.document import Line


def _join(texts: list[str]) -> tuple[str, list[int]]:
    """The joined text, and the offset where each of `texts` begins in it."""
    pieces: list[str] = []
    starts: list[int] = []
    length = 0
    # the joined text's last two characters: a hyphenated line break joins without a space
    # ('multi-' + 'agency'), but 'Total 10 -' + 'range' keeps its space
    tail = ""
    for part in [" ".join(text.split()) for text in texts]:  # whitespace collapsed at C speed, then one pass
        if not part:
            starts.append(length)
            continue
        if length and not (tail[-1] == "-" and part[0].islower() and tail != " -"):
            pieces.append(" ")
            length += 1
            tail = tail[-1] + " "
        starts.append(length)
        pieces.append(part)
        length += len(part)
        tail = part[-2:] if len(part) > 1 else tail[-1:] + part
    return "".join(pieces), starts


def join_wrapped(parts: list[str]) -> str:
    """Join wrapped lines into one, undoing hyphenated line breaks
    ('multi-' + 'agency' -> 'multi-agency'; 'Total 10 -' + 'range' keeps its space)."""
    return _join(parts)[0]


class JoinedText:
    """Lines joined into one searchable text as join_wrapped joins them (a
    sentence wrapped over lines still matches), with each offset mapped back
    to its line and page."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.text, self.starts = _join([line.text for line in lines])

    def line_index_at(self, offset: int) -> int:
        """The index in `lines` of the line holding character `offset`."""
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)

    def line_at(self, offset: int) -> Line:
        """The line holding character `offset` of the joined text."""
        return self.lines[max(bisect.bisect_right(self.starts, offset) - 1, 0)]

    def page_at(self, offset: int) -> int | None:
        return self.line_at(offset).page if self.lines else None

    @functools.cached_property
    def lower(self) -> str:
        """The joined text lower-cased (same offsets), for keyword search."""
        return self.text.lower()


@functools.lru_cache(maxsize=1)
def _marker() -> re.Pattern[str]:
    return re.compile(load("footnotes")["glued_marker"])


@functools.lru_cache(maxsize=1)
def _trailing_marker() -> re.Pattern[str]:
    return re.compile(load("footnotes")["glued_marker"] + r"\s*$")


# a marker is digits: most lines have none, and this one C-speed search skips
# them for about half the cost of running the marker pattern over them
_DIGIT = re.compile(r"\d")


def footnote_markers(text: str) -> list[int]:
    """Every footnote number glued into the text, in order ('rating15 for X' -> [15])."""
    if not _DIGIT.search(text):
        return []
    return [int(m.group("n")) for m in _marker().finditer(text)]


def strip_markers(text: str) -> str:
    """The text without its glued footnote markers, spaces normalised."""
    if _DIGIT.search(text):
        text = _marker().sub("", text)
    return " ".join(text.split())


def strip_trailing_marker(text: str) -> str:
    """'Additional caseload data8' -> 'Additional caseload data'; a number
    inside the text stays."""
    text = text.strip()
    if not text[-1:].isdigit():  # no trailing digits, no marker: skip the pattern
        return text
    return _trailing_marker().sub("", text).strip()
