"""The `prompts` table: the sub-questions (prompts) printed under a key
question, with their % yes or counts.

Two places print them:
- the annex ("Annexe 2: Inspection data"), kind annex_standard: a key
  question as a group heading ("Does assessment sufficiently analyse how to
  support the child's desistance? % yes"), then lettered rows
  ("a) Is there sufficient analysis ... 50%");
- the standard sections of small inspections: after a key question's
  sub-heading, a count table ("Of the 8 cases inspected: Relevant cases /
  Number 'Yes'") of unlettered rows with two counts ("... 8 7").

A group is a question (ending '?') followed by a table header or by a row
lettered 'a'. Its rows are read with the shared parser (rows.parse_value_rows)
and kept when they are questions or lettered. The group is mapped to a key
question of the same standard by fuzzy-matching its heading against the key
questions' texts (rapidfuzz), never by position alone; when nothing matches
well enough, `key_question` is None (the row is still kept). `label` is the
printed letter, or a, b, c ... in printed order when none is printed; a
letter printed twice (a real misprint) is kept twice.
"""
from __future__ import annotations

from typing import Any

import re
import string
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core.document import Line, Section, SegmentedReport
from pipeline.core.records import KeyQuestion, Prompt
from pipeline.core.patterns import load
from pipeline.core.text import join_wrapped
from pipeline.extract.cells import continues_row
from pipeline.extract.row_values import ValueRow, cases_stated, clean_label, is_header, question_similarity
from pipeline.extract.rows import parse_value_rows
from pipeline.extract.groups import table_prompts

PATTERN_FILE = "prompts"


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    data = load(PATTERN_FILE)
    return {
        "cases_header": re.compile(data["cases_header"], re.I),
        "header_suffix": re.compile(data["header_suffix"], re.I),
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


def _header_block_end(lines: list[Line], start: int) -> int | None:
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
                if lines[j].text.strip().endswith(":") or is_header(lines[j].text):
                    i = j + 1 if lines[j].text.strip().endswith(":") else j
                    break
    elif is_header(text):
        i = start + 1
    else:
        return None
    while i < len(lines) and (not lines[i].text.strip() or is_header(lines[i].text)):
        i += 1
    return i


def _next_content(lines: list[Line], start: int) -> int | None:
    for i in range(start, len(lines)):
        if lines[i].text.strip():
            return i
    return None


_QUESTION_THEN_DIGITS = re.compile(r"\?\S{0,3}\s+\d{1,4}$")


def _heading_before(lines: list[Line], end: int) -> tuple[int, list[str]] | None:
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


def _one_cell_row(line: Line) -> bool:
    """A table row of one filled cell: a heading row spanning the table."""
    return bool(line.cells) and sum(1 for c in line.cells or () if c.text.strip()) == 1


def find_groups(lines: list[Line]) -> list[Group]:
    cfg = _config()
    groups: list[Group] = []
    for i, line in enumerate(lines):
        text = line.text.strip()
        # a heading is a question: the cleaning below only removes characters
        if "?" not in text or (line.cells and continues_row(line.cells)):
            continue  # (a row's label cut by a page break is no heading)
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
        elif _one_cell_row(line) and lines[nxt].cells:
            rows_start = nxt  # the key question in the table's own heading row, the prompts' rows under it
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


def _group_rows(lines: list[Line], group: Group, end: int, annex: bool) -> list[ValueRow]:
    # in the annex a group runs to the next heading (a lettered prompt may
    # print no value); in a section, prose follows the table
    rows = parse_value_rows(lines[group.rows_start:end], stop_at_unvalued_question=not annex,
                            cases=cases_stated(lines[group.heading_start:group.rows_start]))
    kept = []
    for row in rows:
        has_value = row.pct is not None or row.relevant is not None or row.not_applicable
        if row.letter or (has_value and (row.label.endswith("?") or row.from_cells)):
            kept.append(row)
    return kept


def match_key_question(heading: str, code: str | None, standard: str,
                       key_questions: list[KeyQuestion]) -> int | None:
    """Index of the key question of `standard` whose text is closest to the
    group heading; a printed code ('2.1.3') decides when the texts do not."""
    candidates = [kq for kq in key_questions if kq.standard == standard and kq.question]
    scored = sorted(((question_similarity(heading, kq.question), kq.index) for kq in candidates),
                    reverse=True)
    if scored and scored[0][0] >= _config()["threshold"]:
        return int(scored[0][1])
    if code and code.startswith(f"{standard}."):
        return int(code.rsplit(".", 1)[1])
    return None


def _is_key_question(text: str, standard: str | None, key_questions: list[KeyQuestion]) -> bool:
    threshold = _config()["threshold"]
    return any(kq.standard == standard and question_similarity(text, kq.question) >= threshold
               for kq in key_questions)


def prompts_in(section: Section, key_questions: list[KeyQuestion]) -> list[Prompt]:
    source = "annex" if section.kind.startswith("annex") else "section"
    from_tables = table_prompts(section, key_questions, source, match_key_question)
    if from_tables:
        return from_tables
    lines = section.lines[1:]
    groups = find_groups(lines)
    out = []
    offset = 0
    previous_rows: list[ValueRow] = []
    for n, group in enumerate(groups):
        end = groups[n + 1].heading_start if n + 1 < len(groups) else len(lines)
        # a row that is one of the standard's own key questions (a key-question
        # table cut by a page break reads like a heading and its rows) is no prompt
        rows = [row for row in _group_rows(lines, group, end, annex=source == "annex")
                if row.letter or not _is_key_question(row.label, section.standard, key_questions)]
        if not rows:
            continue
        kq = match_key_question(group.heading, group.code, section.standard or "", key_questions)
        # a table's heading row printed again after a page break carries on the same table
        carried = n > 0 and groups[n - 1].heading == group.heading
        offset = offset + len(previous_rows) if carried else 0
        previous_rows = rows
        for position, row in enumerate(rows, start=offset):
            label = row.letter or (string.ascii_lowercase[position] if position < 26 else str(position + 1))
            out.append(Prompt(standard=section.standard, key_question=kq, label=label, prompt=row.label,
                              page=row.page, source=source, pct_yes=row.pct, relevant=row.relevant,
                              yes=row.yes, value_problem=row.problem))
    return out


def extract_prompts(report: SegmentedReport, key_questions: list[KeyQuestion]) -> list[Prompt]:
    """The prompts of one report: section tables first, then the annex, each
    in printed order."""
    out: list[Prompt] = []
    for kind in ("standard", "annex_standard"):
        for section in report.of_kind(kind):
            if section.standard:
                out.extend(prompts_in(section, key_questions))
    return out
