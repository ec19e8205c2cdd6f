"""The theme of a case-level key question, from its printed text:
`desistance`, `child_safety` (keeping the child safe: safety and
wellbeing), `others_safety` (keeping other people safe: risk of harm) or
`other`. The wordings of both frameworks are regexes in patterns/themes.json,
tried in order; the first theme with a match wins."""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.core.patterns import load

PATTERN_FILE = "themes"


@lru_cache(maxsize=1)
def _themes() -> tuple[list[tuple[str, list[re.Pattern]]], str]:
    data = load(PATTERN_FILE)
    return [(theme, [re.compile(p) for p in patterns]) for theme, patterns in data["themes"].items()], data["other"]


def theme_of(question: str | None) -> str | None:
    """'Does planning focus sufficiently on keeping other people safe?' ->
    'others_safety'; None for no question."""
    if not question:
        return None
    text = " ".join(question.lower().replace("\u2019", "'").replace("\u2018", "'").split())
    themes, other = _themes()
    for theme, patterns in themes:
        if any(p.search(text) for p in patterns):
            return theme
    return other
