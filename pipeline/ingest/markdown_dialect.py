"""What pandoc's own Markdown shows, and one thing its writer gets wrong.

`is_pandoc_markdown` is the cheap test that decides on the pandoc
subprocess (markdown_pandoc.py): a grid, simple or multiline table, a
fenced div or an attribute is pandoc's dialect, which CommonMark readers do
not know. `repaired` rewrites the one table pandoc writes and cannot read
back as written.
"""
from __future__ import annotations

import re

_SIGNATURES = re.compile(
    r"^ {0,3}\+(?:[-=:]{3,}\+)+[ \t]*$"       # a grid table's border
    r"|^[ \t]*-{3,}(?:[ \t]+-{3,})+[ \t]*$"   # a simple or multiline table's column dashes
    r"|^ {2,3}-{3,}[ \t]*$"                   # an indented table's top rule
    r"|^:{3,}[ \t]*(?:\{|[\w-]+[ \t]*$)"      # a fenced div
    r"|\]\{#[\w:-]+"                          # an attribute after a link or span ("{#fnref4}")
    r"|^#{1,6}[ \t].*\{#[\w:.-]+[^}\n]*\}[ \t]*$", re.M)  # a heading's ("## Ratings {#ratings}")


def is_pandoc_markdown(text: str) -> bool:
    """Whether the text shows pandoc's own dialect (a grid, simple or
    multiline table, a fenced div, an attribute on a link, a span or a
    heading, as pandoc's, CommonMark-with-extensions' and PHP Markdown
    Extra's writers print them): a regular-expression scan,
    far cheaper than the pandoc subprocess it decides on."""
    return _SIGNATURES.search(text) is not None


_FULL_RULE = re.compile(r"^[ \t]*-{3,}[ \t]*$")
_COLUMN_RULE = re.compile(r"^[ \t]*-{3,}(?:[ \t]+-{3,})+[ \t]*$")


def repaired(lines: list[str]) -> list[str]:
    """pandoc writes a multiline table that has a header row and no body
    (a Word table of one heading row: a standard's descriptor beside its
    rating) as a full rule, the header's lines, the column dashes, a blank
    line and a full rule, which its reader takes for a one-column table of
    one row per line. The same rows as a headerless multiline table (the
    column dashes above and below, a blank line before the last) read as
    written."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        end = _header_only_table(lines, i)
        if end is None:
            out.append(lines[i])
            i += 1
            continue
        dashes = lines[end]
        out += [dashes, *lines[i + 1:end], "", dashes]
        i = end + 3
    return out


def _header_only_table(lines: list[str], start: int) -> int | None:
    """The index of the column dashes of such a table opening at `start`."""
    if not _FULL_RULE.match(lines[start]) or (start and lines[start - 1].strip()):
        return None
    end = start + 1
    while end < len(lines) and lines[end].strip() and not _FULL_RULE.match(lines[end]):
        if _COLUMN_RULE.match(lines[end]):
            tail = lines[end + 1:end + 3]
            closed = len(tail) == 2 and not tail[0].strip() and _FULL_RULE.match(tail[1])
            return end if closed and end > start + 1 else None
        end += 1
    return None
