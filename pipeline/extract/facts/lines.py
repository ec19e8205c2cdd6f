"""A data box's lines joined where one printed value or note was wrapped
over several (a narrow cell, a parenthesised note), before the box parser
reads them."""
from __future__ import annotations

import re

from pipeline.core.document import Line
from pipeline.core.text import join_wrapped
from pipeline.extract.facts.values import prepare
from pipeline.extract.facts.vocabulary import vocabulary

_MOST_NOTE_LINES = 5  # a parenthesised note wrapped in a narrow value cell: '52' / '(including' / 'TYS and' / ...
_NOTE_COUNT_END = re.compile(r"=\s*\d[\d,]*$")


def _wrapped_cell_end(text: str, following: str) -> bool:
    """`following` is the end of a cell that wrapped after `text`: the unit
    of a value's note ('1.92% = 1' / 'post'), or a column header's '%'
    ('Offence types' / '%')."""
    if following == "%":
        return True
    return bool(_NOTE_COUNT_END.search(text)) and following.lower() in vocabulary()["unit_words"]


def join_parentheses(lines: list[Line]) -> list[Line | None]:
    """Consecutive lines joined while a '(' is open (at most _MOST_NOTE_LINES
    lines), so that '6 (5 custodial orders,' + '1 secure remand) Total ...' is
    one line, or while a cell's end wrapped onto the next ('1.92% = 1' /
    'post'). Blank lines come back as None."""
    out: list[Line | None] = []
    i = 0
    while i < len(lines):
        text = lines[i].text.strip()
        if not text:
            out.append(None)
            i += 1
            continue
        page = lines[i].page
        j = i + 1
        while j < len(lines) and lines[j].text.strip() and not lines[i].cells and (
                (text.count("(") > text.count(")") and j - i < _MOST_NOTE_LINES)
                or _wrapped_cell_end(text, lines[j].text.strip())):
            text = join_wrapped([text, lines[j].text])
            j += 1
        # a table row keeps its cells (a row is never joined with the next)
        out.append(Line(page, prepare(text), lines[i].cells if j == i + 1 else None))
        i = j
    return out
