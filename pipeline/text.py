"""Small text helpers shared by stages (segment and the extractors): wrapped
lines joined, and footnote markers found or removed with the one pattern in
patterns/footnotes.json."""
from __future__ import annotations

import re
from functools import lru_cache

from .patterns import load


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


@lru_cache(maxsize=1)
def _marker() -> re.Pattern:
    return re.compile(load("footnotes")["glued_marker"])


@lru_cache(maxsize=1)
def _trailing_marker() -> re.Pattern:
    return re.compile(load("footnotes")["glued_marker"] + r"\s*$")


def footnote_markers(text: str) -> list[int]:
    """Every footnote number glued into the text, in order ('rating15 for X' -> [15])."""
    return [int(m.group("n")) for m in _marker().finditer(text)]


def strip_markers(text: str) -> str:
    """The text without its glued footnote markers, spaces normalised."""
    return re.sub(r"\s+", " ", _marker().sub("", text)).strip()


def strip_trailing_marker(text: str) -> str:
    """'Additional caseload data8' -> 'Additional caseload data'; a number
    inside the text stays."""
    return _trailing_marker().sub("", text.strip()).strip()
