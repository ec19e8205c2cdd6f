"""Load the data files in `patterns/`: regexes, vocabularies and spaCy token
patterns live there, not in code."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    with open(PATTERNS_DIR / f"{name}.json", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def regex(name: str, key: str, flags: int = re.IGNORECASE) -> re.Pattern:
    """One regex from a pattern file; a list of alternatives is joined."""
    value = load(name)[key]
    if isinstance(value, list):
        value = "|".join(f"(?:{v})" for v in value)
    return re.compile(value, flags)
