"""Load the data files in `patterns/`: regexes, vocabularies and spaCy token
patterns live there, not in code.

In a source checkout they are read from `<checkout>/patterns/`; an installed
package carries the same files as the package data `pipeline._patterns`
(pyproject.toml maps that package onto the `patterns/` folder).
"""
from __future__ import annotations

from typing import Any

import json
import re
from functools import cache
from pathlib import Path


def _patterns_dir() -> Path:
    package = Path(__file__).resolve().parent.parent  # pipeline/
    checkout = package.parent / "patterns"
    return checkout if (checkout / "standards.json").is_file() else package / "_patterns"


PATTERNS_DIR = _patterns_dir()


@cache
def load(name: str) -> dict[str, Any]:
    with open(PATTERNS_DIR / f"{name}.json", encoding="utf-8") as fh:
        loaded: dict[str, Any] = json.load(fh)
        return loaded


@cache
def regex(name: str, key: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One regex from a pattern file; a list of alternatives is joined."""
    value = load(name)[key]
    if isinstance(value, list):
        value = "|".join(f"(?:{v})" for v in value)
    return re.compile(value, flags)
