"""Tables that a text tool printed column by column, turned back into rows.

pdfminer (and some viewers' copy) writes a table's text box by box: every
question of the table, then its header, then every value, one a line. On a
page of several tables (an annex page of prompt groups) the values of all
of them come last, after the page's footnotes. A reader of one table at a
time cannot pair them; a page can. So, page by page and before sections are
cut (a page's values may belong to questions of two standards):

- the unvalued questions are collected in order (a wrapped question is one
  row; group headings, which print no value, are told apart and left out);
- a run of at least two value lines is paired with them only when it is
  exactly as long as the rows waiting, so that no value can shift to a
  neighbour's row; each row's last line gets its value, as a row-ordered
  export prints it. With any other count nothing changes (the readers'
  honest nulls stand).

Only text exports go through this (ingest.lines): the other readers give rows in order.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from itertools import groupby
from typing import Any

from pipeline.ingest.raw import RawLine
from pipeline.core.patterns import load
from pipeline.core.text import strip_trailing_marker

@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    tables, prompts = load("tables"), load("prompts")
    return {
        "value": re.compile(tables["value_only"]),
        "valued": re.compile(tables["value_at_end"]),
        "header": re.compile(r"^(?:" + "|".join(tables["header"]) + r")$", re.I),
        "lettered": re.compile(tables["prompt_label"]),
        "header_suffix": re.compile(prompts["header_suffix"], re.I),
        "cases": re.compile(prompts["cases_header"], re.I),
        # a footnote left in the body (its marker was not recognised) or a page number
        "aside": re.compile(rf"^(?:{load('headings')['footnote_line']}.*|\d{{1,3}})$"),
    }


def rows_restored(lines: list[RawLine], is_heading: Any) -> list[RawLine]:
    """`lines` with each column-ordered table's values moved to the end of
    their rows' last lines (and their own lines dropped). `is_heading(text)`
    tells a section heading, which sits between tables without ending one."""
    out: list[RawLine] = []
    for _page, on_page in groupby(lines, key=lambda line: line.page):
        out.extend(_page_rows(list(on_page), is_heading))
    return out


def _kind(line: RawLine, is_heading: Any) -> str:
    """What a line is to a column-ordered table: blank (or a stray footnote
    or page number: neither ends a table nor joins one), header, value,
    heading, question (ends a label), valued (a row with its value),
    prose (ends a sentence: no table here), or label (a wrapped label's line)."""
    rx = _compiled()
    text = line.text.strip()
    if not text:
        return "blank"
    if line.cells:
        return "prose"  # a reader's own table row: not this module's business
    # the cheap tests guard the dear ones: this runs on every line of a page that has a table
    if (text.startswith("Of the") or len(text) < 40) and (rx["header"].match(text) or rx["cases"].match(text)):
        return "header"
    if text[0].isdigit() or text[0] in "-−":
        if rx["value"].match(text):
            return "value"
        if rx["aside"].match(text):
            return "blank"
    if "?" in text and strip_trailing_marker(rx["header_suffix"].sub("", text)).endswith("?"):
        return "question"
    if (text[-1].isdigit() or text[-1] == "%") and rx["valued"].match(text):
        return "valued"
    if text.endswith(":"):
        return "header"  # 'Of the 7 cases where there were changes in' / 'factors ...:'
    if text.endswith((".", "!")):
        return "prose"
    # a section heading ends no question or sentence: tested last, as the dearest test
    return "heading" if is_heading(text) else "label"


def _page_rows(lines: list[RawLine], is_heading: Any) -> list[RawLine]:
    if not _may_hold_a_column(lines):
        return lines
    kinds = [_kind(line, is_heading) for line in lines]
    values: dict[int, str] = {}  # index of a row's last line -> the value paired with it
    dropped: set[int] = set()
    pending: list[int] = []  # each unvalued question's last line, in order
    early: list[int] = []  # a run of values printed before any question waiting for it (value column first)
    open_label = False  # a label's lines read, its question not ended yet
    i = 0
    while i < len(lines):
        kind = kinds[i]
        if kind == "value":
            run = _value_run(kinds, i)
            rows = _rows(lines, kinds, pending)
            if early and len(rows) == len(early):
                _pair(lines, kinds, rows, early, values, dropped)
                rows = []
            early = []
            goes_on = open_label and _label_goes_on(kinds, run[-1])
            if len(rows) == len(run) and _apart(kinds, rows, run) and not goes_on:
                _pair(lines, kinds, rows, run, values, dropped)
            elif not rows:
                early = run
            pending, open_label = [], False
            i = run[-1] + 1
            continue
        if kind == "question":
            pending.append(i)
        # prose does not end a table: pdfminer prints a page's text column (questions and prose) before
        # its values; a row printed with its value leaves the unvalued ones above waiting for theirs
        open_label = kind == "label" or (open_label and kind in ("blank", "header"))
        i += 1
    rows = _rows(lines, kinds, pending)
    if early and len(rows) == len(early):
        _pair(lines, kinds, rows, early, values, dropped)
    if not values:
        return lines
    return [replace(line, text=f"{line.text.rstrip()} {values[i]}") if i in values else line
            for i, line in enumerate(lines) if i not in dropped]


def _may_hold_a_column(lines: list[RawLine]) -> bool:
    """A question and a value on a line of its own, both on the page: else
    nothing on it is printed apart from its row (cheap tests first)."""
    if "?" not in "\n".join(line.text for line in lines):
        return False
    value = _compiled()["value"]
    return any(bare and (bare[0].isdigit() or bare[0] in "-−") and value.match(bare)
               for bare in (line.text.strip() for line in lines))


def _apart(kinds: list[str], rows: list[int], run: list[int]) -> bool:
    """A column of values, not one value a stray question happens to precede:
    several values; or one under its column's header (pdfminer prints the
    header right above the values), or right after its row."""
    if len(run) > 1:
        return True
    above = next((k for k in range(run[0] - 1, rows[-1], -1) if kinds[k] != "blank"), None)
    return above is None or kinds[above] == "header"


def _rows(lines: list[RawLine], kinds: list[str], questions: list[int]) -> list[int]:
    return [q for q in questions if not _is_group_heading(lines, kinds, q)]


def _pair(lines: list[RawLine], kinds: list[str], rows: list[int], run: list[int], values: dict[int, str],
          dropped: set[int]) -> None:
    """Each row's value, in order; the value lines, and the value column's
    own header lines, are dropped (the rows then read as a row-ordered
    export prints them)."""
    if not rows:
        return
    for row, at in zip(rows, run, strict=True):
        values[row] = lines[at].text.strip()
    first, last = (rows[-1] + 1, run[-1]) if run[0] > rows[-1] else (run[0], run[-1])
    dropped.update(k for k in range(first, last + 1) if kinds[k] in ("header", "value"))


def _label_goes_on(kinds: list[str], end: int) -> bool:
    """A label left open above a run of values carries on below it: the
    values were printed between its lines (pdftotext -layout), not in a
    column after the rows (the open lines were prose, which pdfminer may
    print between a table's questions and its values)."""
    after = _next_not(kinds, end + 1, ("blank",))
    return after is not None and kinds[after] in ("label", "question")


def _value_run(kinds: list[str], start: int) -> list[int]:
    """Indexes of the value lines from `start` on (blank and header lines
    between them skipped)."""
    run = []
    for i in range(start, len(kinds)):
        if kinds[i] == "value":
            run.append(i)
        elif kinds[i] not in ("blank", "header"):
            break
    return run


def _is_group_heading(lines: list[RawLine], kinds: list[str], at: int) -> bool:
    """A question that heads a group rather than being a row: it carries the
    table's header ('...? % yes'), or header lines follow it and then more
    questions (after the last row of a column, the header is followed by the
    values), or the sentence that introduces a group's cases follows it
    ('Of the 7 cases with ...:'), or an unlettered question is followed by a lettered row."""
    rx = _compiled()
    text = lines[at].text.strip()
    if rx["header_suffix"].search(text):
        return True
    first = _next_not(kinds, at + 1, ("blank",))
    if first is None:
        return False
    if rx["cases"].match(lines[first].text.strip()) or lines[first].text.strip().endswith(":"):
        return True  # 'Of the 7 cases with factors related to ...:' introduces a group
    if kinds[first] == "header":
        after = _next_not(kinds, first, ("blank", "header"))
        return after is not None and kinds[after] != "value"
    starts = _label_start(lines, kinds, at)
    return not rx["lettered"].match(lines[starts].text.strip()) and \
        bool(rx["lettered"].match(lines[first].text.strip()))


def _label_start(lines: list[RawLine], kinds: list[str], at: int) -> int:
    """The first line of the label that ends at `at`."""
    start = at
    while start > 0 and kinds[start - 1] == "label":
        start -= 1
    return start


def _next_not(kinds: list[str], start: int, passed: tuple[str, ...]) -> int | None:
    """Index of the first line from `start` on whose kind is not in `passed`
    (a scan that stops there: pages can be long when a text has no page marks)."""
    return next((k for k in range(start, len(kinds)) if kinds[k] not in passed), None)
