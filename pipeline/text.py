"""Small text helpers shared by stages (segment and the extractors)."""
from __future__ import annotations

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
