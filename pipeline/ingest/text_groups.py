"""Prompt groups printed as lines: a key question as a group heading
("Does assessment sufficiently analyse how to support the child's
desistance? % yes"), then its prompts, lettered ("a) Is there sufficient
analysis ... 50%") or in a count table ("Of the 8 cases inspected:
Relevant cases / Number 'Yes'", rows "... 8 7"). A group is a question
(ending '?') followed by a table header or by a row lettered 'a'.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.core.labels import clean_label
from pipeline.core.patterns import load
from pipeline.core.text import join_wrapped
from pipeline.ingest.raw import RawLine
from pipeline.ingest.text_rows import parse_value_rows
from pipeline.ingest.text_values import ValueRow, cases_stated, is_header

PATTERN_FILE = "prompts"


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    data = load(PATTERN_FILE)
    return {
        "cases_header": re.compile(data["cases_header"], re.I),
        "header_suffix": re.compile(data["header_suffix"], re.I),
        "count_columns_tail": re.compile(data["count_columns_tail"], re.I),
        "first_letter": re.compile(data["first_letter"]),
        "lettered": re.compile(load("tables")["prompt_label"]),
        "value_only": re.compile(load("tables")["value_only"]),
        "code": re.compile(data["code_prefix"]),
        "trailing_value": re.compile(data["trailing_value"]),
        "threshold": data["match_threshold"],
        "max_heading_lines": data["max_heading_lines"],
    }


@dataclass
class Group:
    heading: str
    code: str | None          # '2.1.1' when the heading printed one
    page: int
    rows_start: int           # index of the first line after the table header
    heading_start: int        # index of the heading's first line


def _header_block_end(lines: list[RawLine], start: int) -> int | None:
    """Index after a table header that starts at `start`, else None.
    Headers: '% yes', 'Relevant cases' / 'Number yes' (possibly one word a
    line), 'Of the 8 cases inspected:', 'Of the 7 cases where there were
    changes in' / 'factors related to desistance:'."""
    cfg = _config()
    text = clean_label(lines[start].text)
    i = start
    if cfg["cases_header"].match(text):
        i = start + 1
        if ":" not in lines[start].text:
            # the sentence wraps until a line ending with ':' (at most 3 lines)
            for j in range(start + 1, min(start + 4, len(lines))):
                sentence = cfg["count_columns_tail"].sub("", lines[j].text.strip())
                if sentence.endswith(":") or is_header(lines[j].text):
                    i = j + 1 if sentence.endswith(":") else j
                    break
    elif is_header(text):
        i = start + 1
    else:
        return None
    while i < len(lines) and (not lines[i].text.strip() or is_header(lines[i].text)):
        i += 1
    return i


def _next_content(lines: list[RawLine], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].text.strip():
            return i
    return None


_QUESTION_THEN_DIGITS = re.compile(r"\?\S{0,3}\s+\d{1,4}$")


def _heading_before(lines: list[RawLine], end: int) -> tuple[int, list[str]] | None:
    """The question whose last line is lines[end]: walk back over wrapped
    lines to the one that starts it. None when lines[end] does not end a
    question."""
    cfg = _config()
    last = cfg["header_suffix"].sub("", lines[end].text.strip())
    last = cfg["trailing_value"].sub("", last) if not clean_label(last).endswith("?") else last
    if not clean_label(last).endswith("?"):
        return None
    parts, start = [last], end
    for i in range(end - 1, max(-1, end - cfg["max_heading_lines"]), -1):
        text = lines[i].text.strip()
        if not text and parts[0][:1].islower():
            continue  # a wrapped heading's lower-case line carries on the line above a blank (pdfminer)
        if not text or is_header(text) or text.endswith((".", ":", "?", "%")) \
                or cfg["trailing_value"].search(text) or cfg["value_only"].match(text) or text.isdigit() \
                or _QUESTION_THEN_DIGITS.search(text):
            break  # a value ('84', '...? 11': a pair printed without its space) ends the row above
        if cfg["lettered"].match(text):
            return None  # the start of a wrapped lettered prompt: a row, not a heading
        parts.insert(0, text)
        start = i
    if cfg["lettered"].match(parts[0]):
        return None  # a lettered prompt ('h) ...?') is a row, not a heading
    return start, parts


def find_groups(lines: list[RawLine]) -> list[Group]:
    cfg = _config()
    groups: list[Group] = []
    for i, line in enumerate(lines):
        text = line.text.strip()
        # a heading is a question: the cleaning below only removes characters
        if "?" not in text:
            continue
        same_line_header = bool(cfg["header_suffix"].search(text))
        if not same_line_header and not clean_label(cfg["trailing_value"].sub("", text)).endswith("?"):
            continue
        nxt = _next_content(lines, i + 1)
        if same_line_header:
            rows_start = _header_block_end(lines, nxt) if nxt is not None and is_header(lines[nxt].text) else None
            rows_start = rows_start if rows_start is not None else (nxt if nxt is not None else len(lines))
        elif nxt is None:
            continue
        elif cfg["first_letter"].match(lines[nxt].text.strip()):
            rows_start = nxt
        elif cfg["value_only"].match(lines[nxt].text.strip()) and (after := _next_content(lines, nxt + 1)) \
                is not None and cfg["first_letter"].match(lines[after].text.strip()):
            rows_start = after  # the key question's own value, then its prompts
        else:
            rows_start = _header_block_end(lines, nxt)
            if rows_start is None:
                continue
        found = _heading_before(lines, i)
        if found is None:
            continue
        start, parts = found
        heading = join_wrapped(parts)
        code = None
        m = cfg["code"].match(heading)
        if m:
            code, heading = m.group("code"), heading[m.end():].strip()
        heading = clean_label(cfg["header_suffix"].sub("", cfg["trailing_value"].sub("", heading)).strip())
        groups.append(Group(heading, code, lines[start].page, rows_start, start))
    return groups


def group_rows(lines: list[RawLine], group: Group, end: int, annex: bool) -> list[ValueRow]:
    """The group's prompt rows: lettered, or valued questions. In the annex
    a group runs to the next heading (a lettered prompt may print no
    value); in a section, prose follows the table."""
    rows = parse_value_rows(lines[group.rows_start:end], stop_at_unvalued_question=not annex,
                            cases=cases_stated(lines[group.heading_start:group.rows_start]))
    kept = []
    for row in rows:
        has_value = row.pct is not None or row.relevant is not None or row.not_applicable
        if row.letter or (has_value and row.label.endswith("?")):
            row.start += group.rows_start
            row.end += group.rows_start
            kept.append(row)
    return kept


