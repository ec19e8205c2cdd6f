"""Footnotes in Markdown, for both Markdown readers (markdown-it's and
pandoc's): definitions ("[^3]: text", run on over indented lines) are taken
out of the text before parsing, and references ("[^3]") become a private-use
sentinel that either parser leaves alone as text; `markers` then glues each
one to the word before it, as PDF text prints a marker ("rating3").
"""
from __future__ import annotations

import re

from pipeline.ingest.structured import clean, glue

REF = re.compile(r"\[\^(\d{1,3})\]")
SENTINEL = re.compile(r"\s*\ue000(\d{1,3})\ue001")
_DEFINITION = re.compile(r"^ {0,3}\[\^(\d{1,3})\]:[ \t]*(.*)$")


def with_sentinels(body: str) -> str:
    """The text with each footnote reference a sentinel of the same width
    (a space, then the sentinel: a grid table's columns are where its
    characters are)."""
    return REF.sub(" \ue000\\1\ue001", body)


def markers(raw: str) -> tuple[str, tuple[int, ...]]:
    """A text with sentinels as clean text with the markers glued, and the
    footnotes it references."""
    refs = tuple(int(n) for n in SENTINEL.findall(raw))
    if refs:
        raw = SENTINEL.sub(lambda m: glue("", int(m.group(1))), raw)
    return clean(raw), refs


def take_footnotes(text: str) -> tuple[str, dict[int, str]]:
    """The text without its footnote definitions, and the definitions' texts
    (a definition runs on over indented continuation lines)."""
    kept: list[str] = []
    notes: dict[int, str] = {}
    current: int | None = None
    for line in text.splitlines():
        m = _DEFINITION.match(line)
        if m:
            current = int(m.group(1))
            notes[current] = REF.sub(r"\1", m.group(2))
        elif current is not None and line.startswith(("    ", "\t")) and line.strip():
            notes[current] += " " + line.strip()
        else:
            current = None
            kept.append(line)
    return "\n".join(kept), {n: clean(t) for n, t in notes.items() if clean(t)}
