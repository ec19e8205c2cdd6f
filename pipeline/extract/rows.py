"""One parser for every 'label ... value' table in the reports: key-question
tables in the standards ('% yes' or 'Relevant cases / Number yes' counts),
annex tables ('2.1.1. Does assessment ... 84%') and prompt tables
('a) Is there sufficient analysis ... 50%').

Text exports wrap labels over several lines, put the value on its own line,
glue footnote markers to the label ('safe?22 5 5') and repeat table headers
after a page break; all of that is handled here once.
"""
from __future__ import annotations

from typing import Any

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.core.document import Cell, Line
from pipeline.core.records import pct_of_counts
from pipeline.core.patterns import load
from pipeline.core.text import join_wrapped, strip_trailing_marker


@dataclass
class ValueRow:
    label: str             # the printed label, joined onto one line, marker removed
    page: int              # page of the row's first line
    pct: float | None = None
    relevant: int | None = None
    yes: int | None = None
    not_applicable: bool = False
    printed: str = ""            # the value as printed ('62%', '8 7')
    problem: str | None = None   # a printed value that could not be read, quoted (value left null)
    code: str | None = None      # '2.1.1' for annex key-question rows
    letter: str | None = None    # 'a' for prompt rows
    end: int = 0                 # index after the row's last line (in the given lines)
    from_cells: bool = False     # read from a table row's cells (a row, whatever its label ends with)

    @property
    def pct_exact(self) -> float | None:
        return pct_of_counts(self.yes, self.relevant)


@lru_cache(maxsize=1)
def _rx() -> dict[str, re.Pattern[str]]:
    t, h = load("tables"), load("headings")
    return {
        # a heading box's rating glued before the first question by a raw text export
        "displaced_rating": re.compile(rf"^{h['rating_label']}\s+(?={h['question_start']})"),
        "end": re.compile(t["value_at_end"]),
        "only": re.compile(t["value_only"]),
        "na_only": re.compile(t["not_applicable_only"], re.I),
        "header": re.compile(r"^(?:" + "|".join(t["header"]) + r")$", re.I),
        "prompt": re.compile(t["prompt_label"]),
        "code": re.compile(t["annex_code"]),
        "header_prefix": re.compile(t["header_prefix"], re.I),
        "counts_intro": re.compile(t["counts_intro"], re.I),
        "glued_counts": re.compile(t["glued_counts"]),
    }


def clean_label(text: str) -> str:
    return strip_trailing_marker(_rx()["displaced_rating"].sub("", text.strip()))


def is_header(text: str) -> bool:
    return bool(_rx()["header"].match(text.strip()))


def cases_stated(lines: list[Line]) -> int | None:
    """The number of cases a table header states ('Of the 8 cases inspected'),
    if these lines (a table's header block) state one."""
    for line in lines:
        m = _rx()["counts_intro"].match(line.text.strip())
        if m:
            return int(m.group("cases"))
    return None


def parse_value_rows(lines: list[Line], *, stop_at_unvalued_question: bool = True,
                     cases: int | None = None) -> list[ValueRow]:
    """Rows of label + value from `lines`, in order.

    With stop_at_unvalued_question, a complete question ('...?') followed by a
    line that is neither a value nor a header ends the table: that is where
    the prose after a key-question table begins. `cases` is the number of
    cases the table's header (above `lines`) states, if it states one.
    """
    if stop_at_unvalued_question:
        by_column = _column_table(lines)
        if by_column:
            return by_column
    reader = _RowReader(lines, stop_at_unvalued_question, cases=cases)
    for index, line in enumerate(lines):
        if reader.read(index, line):
            break
    return reader.rows


@dataclass
class _RowReader:
    """The state of one pass of parse_value_rows over a table's lines. Each
    `read_*` method takes one line and returns True when the table ends."""
    lines: list[Line]
    stop_at_unvalued_question: bool
    rows: list[ValueRow] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)  # the lines of a label still being read
    buffer_page: int | None = None
    buffer_start: int = 0  # index of the label's first line
    cases: int | None = None  # 'Of the 8 cases inspected': a table of counts follows
    held: dict[str, Any] | None = None  # a value printed between the lines of its wrapped label
    roles: dict[int, str] = field(default_factory=dict)  # grid column -> 'pct'/'relevant'/'yes' (header row)
    in_cells: bool = False  # the last row was read from a table's cells: the table ends where its cells do
    column_values: list[ValueRow] = field(default_factory=list)  # rows a column of values has filled

    def emit(self, extra: str | None, values: dict[str, Any], index: int, not_applicable: bool = False) -> None:
        rx = _rx()
        label = join_wrapped(self.buffer + ([extra] if extra else []))
        row = ValueRow(label=label, page=self.buffer_page or self.lines[index].page, end=index + 1,
                       not_applicable=not_applicable)
        _set_values(row, values)
        m = rx["code"].match(row.label)
        if m:
            row.code, row.label = m.group("code"), m.group("rest")
        m = rx["prompt"].match(row.label)
        if m:
            row.letter, row.label = m.group("label"), m.group("rest")
        row.label = clean_label(row.label)
        self.rows.append(row)
        self.buffer, self.buffer_page = [], None

    def _question_waiting(self) -> bool:
        return bool(self.buffer) and clean_label(self.buffer[-1]).endswith("?")

    def _close_unvalued(self, index: int) -> bool:
        """The label lines read so far are an unvalued row (a description, a
        qualitative question); True when that ends the table."""
        if self.stop_at_unvalued_question and self._question_waiting():
            return True
        self.emit(None, {}, index - 1)
        return False

    def read(self, index: int, line: Line) -> bool:
        if line.cells and continues_row(line.cells):
            # a row cut by a page break goes on with its label alone, its value cells empty
            # (under the table's repeated heading: the row it ends was read before the break)
            if self.in_cells and self.rows:
                self.rows[-1].label = clean_label(join_wrapped([self.rows[-1].label, line.cells[0].text]))
            return False
        cell_row = read_cells(line.cells, self.roles, self.cases) if line.cells else None
        if cell_row is not None:
            return self.read_cells(index, line, cell_row)
        text = _rx()["header_prefix"].sub("", line.text.strip())
        if self.in_cells and self.stop_at_unvalued_question and text and not is_header(text):
            return True
        intro = _rx()["counts_intro"].match(text)
        if intro:
            self.cases = int(intro.group("cases"))
        if not text or is_header(text):
            return False
        if not self.buffer and self.cases is None and _PAGE_NUMBER.match(text):
            return False  # a page number where a page break cut the table
        if self.buffer and _starts_new_label(text) and self._close_unvalued(index):
            # '2.1.1. ...' or 'a) ...' always opens a row
            return True
        value = _value_only(text, self.cases)
        if value is not None:
            return self.read_value(index, text, value)
        self.column_values = []
        return self.read_label(index, line, text)

    def read_cells(self, index: int, line: Line, cell_row: CellRow) -> bool:
        if cell_row.values is None:  # a header row
            self.roles, self.cases = cell_row.roles or self.roles, cell_row.cases or self.cases
            return False
        # lines before a row of cells are an unvalued row, as before a coded row
        if self.buffer and self._close_unvalued(index):
            return True
        self.buffer_page = line.page
        self.emit(cell_row.label, cell_row.values, index, not_applicable=bool(cell_row.values.get("not_applicable")))
        self.rows[-1].from_cells = True
        self.in_cells = True
        return False

    def read_value(self, index: int, text: str, value: dict[str, Any]) -> bool:
        """A line that is only a value ('62%', '8 7')."""
        if self.column_values:
            return False  # paired already, in column order
        if self.buffer:
            self.column_values = _column_order(self.lines, index, self.rows, self.cases)
            if self.column_values:
                self.emit(None, {}, index - 1)
                self.column_values.append(self.rows[-1])
                for row, found in zip(self.column_values, _column_run(self.lines, index, self.cases), strict=True):
                    _set_values(row, found)
                return False
        run = _column_run(self.lines, index, self.cases) if self.buffer else []
        if len(run) > 1:
            # several values under one label that no column pairing explains:
            # which is this row's cannot be told, so none is (and the rest of the run is passed over)
            printed = " / ".join(v["printed"] for v in run)
            self.emit(None, {"printed": printed, "problem": f"values printed apart from their rows ({printed})"},
                      index)
            self.column_values = [self.rows[-1]]
        elif self.buffer and not self._question_waiting() and _continues(self.lines, index):
            self.held = {**value, "printed": text}  # pdftotext -layout: the value sits between its label's lines
        elif self.buffer:
            self.emit(None, {**value, "printed": text}, index)
        return False

    def read_label(self, index: int, line: Line, text: str) -> bool:
        """A line with words: a label with its value at the end, or a line of
        a label still being read."""
        rx = _rx()
        glued = rx["glued_counts"].search(text) if self.cases else None
        label = text[:glued.start("digits")].strip() if glued else ""
        if glued and label.endswith("?"):
            self.buffer_page = self.buffer_page or line.page
            self.emit(label, {**_count_pair(glued.group("digits"), self.cases), "printed": glued.group("digits")},
                      index)
            return False
        if self.buffer and rx["na_only"].match(text) and text.lower().startswith(("not applicable", "n/a", "na")):
            self.emit(None, {}, index, not_applicable=True)
            return False
        end = rx["end"].match(text)
        if end and (self.buffer or _plausible_label(end.group("label"))):
            self.buffer_page = self.buffer_page or line.page
            self.emit(end.group("label"), {**_end_values(text, end, self.cases),
                                           "printed": text[end.end("label"):].strip()}, index)
            return False
        if self._question_waiting():
            if self.stop_at_unvalued_question:
                # questions whose values a column prints after them all, or the table's end
                for row in _column_table(self.lines[self.buffer_start:]):
                    row.end += self.buffer_start
                    self.rows.append(row)
                return True
            self.emit(None, {}, index - 1)  # an unvalued row (e.g. a qualitative key question): keep it
        if not self.buffer:
            self.buffer_start = index
        self.buffer_page = self.buffer_page or line.page
        self.buffer.append(text)
        if self.held and clean_label(text).endswith("?"):
            self.emit(None, self.held, index)
            self.held = None
        return False


def _end_values(text: str, end: re.Match[str], cases: int | None) -> dict[str, Any]:
    """The value at the end of a label's line. A footnote marker beside the
    counts ('safe?12 77', 'safe?13 9 12') makes the digits ambiguous."""
    near_marker = end.group("relevant") is not None and (
        not text[end.start("relevant") - 1].isspace()
        or strip_trailing_marker(end.group("label")) != end.group("label").strip())
    return _checked_pair(end.groupdict(), cases) if near_marker else end.groupdict()


# ------------------------------------------------------------ table cells
# A line cut from a table row carries the row's cells (core.document): the
# row is read from them first, with each value cell's meaning taken from the
# header row above it ('% yes', 'Relevant cases', "Number 'Yes'", in either
# order), so a wrapped label is whole and no value drifts into the next row.

@dataclass
class CellRow:
    """What one table row's cells say: a header row gives column roles (and
    the number of cases), a data row a label and its values."""
    roles: dict[int, str] | None = None
    cases: int | None = None
    label: str | None = None
    values: dict[str, Any] | None = None


def continues_row(cells: tuple[Cell, ...]) -> bool:
    """A body row of several cells with text in the first alone: the rest of
    a row a page break cut (its values were printed with its first part). A
    header row so shaped is a heading spanning the table (Markdown prints a
    span as a cell and empty cells)."""
    return len(cells) > 1 and bool(cells[0].text.strip()) and not cells[0].header \
        and not any(c.text.strip() for c in cells[1:])


def _columns(cells: tuple[Cell, ...]) -> list[tuple[int, Cell]]:
    """Each cell with the index of the grid column it starts in (spans counted)."""
    out, column = [], 0
    for cell in cells:
        out.append((column, cell))
        column += max(cell.col_span, 1)
    return out


def _header_role(text: str) -> str | None:
    rx = _rx()
    t = " ".join(text.split())
    if rx["counts_intro"].match(t):
        return "intro"
    if not rx["header"].match(t):
        return None
    low = t.lower()
    if "%" in low:
        return "pct"
    if low.startswith("relevant"):
        return "relevant"
    if low.startswith("number") or low.strip("'‘’ ") == "yes":
        return "yes"
    return "other"


def read_cells(cells: tuple[Cell, ...], roles: dict[int, str], cases: int | None) -> CellRow | None:
    """A table row read from its cells, or None when the cells do not make a
    row of this kind of table (a one-cell row is text: a heading row, prose)."""
    filled = [(col, c) for col, c in _columns(cells) if c.text.strip()]
    header_roles = {col: _header_role(c.text) for col, c in filled}
    if filled and all(header_roles.values()):
        intro = next((c for col, c in filled if header_roles[col] == "intro"), None)
        found = _rx()["counts_intro"].match(" ".join(intro.text.split())) if intro else None
        return CellRow(roles={col: r for col, r in header_roles.items() if r in ("pct", "relevant", "yes")},
                       cases=int(found.group("cases")) if found else None)
    label_cells = [(col, c) for col, c in filled if not _is_value_cell(c.text)]
    value_cells = [(col, c) for col, c in filled if (col, c) not in label_cells]
    if not label_cells or not value_cells or not _plausible_label(label_cells[0][1].text):
        return None
    if label_cells[-1][0] > value_cells[0][0]:
        return None  # words after the values: not a label-then-values row
    label = " ".join(c.text.strip() for _, c in label_cells)
    return CellRow(label=label, values=_cell_values(value_cells, roles, cases))


def _is_value_cell(text: str) -> bool:
    """'62%', '8', '8 7', 'Not applicable': a cell that holds a value, not words."""
    t = text.strip()
    return bool(_rx()["only"].match(t) or (t.isdigit() and len(t) <= 4) or _rx()["na_only"].match(t))


def _cell_values(value_cells: list[tuple[int, Cell]], roles: dict[int, str], cases: int | None) -> dict[str, Any]:
    """The values of a row's value cells, each by its column's header role;
    without a header, '62%' is a percentage and two counts are printed
    relevant first, as every table in the reports prints them."""
    printed = " ".join(c.text.strip() for _, c in value_cells)
    if len(value_cells) == 1 and _rx()["na_only"].match(value_cells[0][1].text.strip()):
        return {"printed": printed, "not_applicable": True}
    found: dict[str, str] = {}
    for position, (col, cell) in enumerate(value_cells):
        text = cell.text.strip()
        only = _rx()["only"].match(text)
        if only and only.group("pct") is not None:
            found["pct"] = only.group("pct")
            continue
        if only or not text.isdigit():
            return {"printed": printed, "problem": f"the cells '{printed}' are not one value per column"}
        role = roles.get(col) or ("relevant", "yes")[min(position, 1)]
        found[role] = text
    if ("relevant" in found) != ("yes" in found):
        return {"printed": printed, "problem": f"the cells '{printed}' hold one count of a pair"}
    if "relevant" in found:
        relevant, yes = int(found["relevant"]), int(found["yes"])
        if yes > relevant or (cases is not None and relevant > cases):
            return {"printed": printed, "problem": f"counts printed as '{printed}' are not a possible pair "
                    "(yes <= relevant" + (f" <= {cases} cases" if cases else "") + ")"}
    return {**found, "printed": printed}


_PAGE_NUMBER = re.compile(r"^\d{1,3}$")


def _column_table(lines: list[Line]) -> list[ValueRow]:
    """A table printed column by column from its first line: every question
    (each wrapped over lines, ending '?'), then the header, then exactly as
    many values, one per line. Nothing when the lines are not that shape: a
    count that does not match pairs nothing."""
    questions: list[tuple[list[str], int, int]] = []  # (lines, page, index of the last line)
    label: list[str] = []
    index = 0
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text or (not questions and not label and _PAGE_NUMBER.match(text)):
            continue
        if is_header(text) or _value_only(text, None) is not None:
            break
        if line.cells or _rx()["end"].match(text):
            return []  # rows that carry their own values
        label.append(text)
        if clean_label(text).endswith("?"):
            questions.append((label, line.page, index))
            label = []
    else:
        return []
    run = _column_run(lines, index, None)
    if label or len(questions) < 2 or len(run) != len(questions):
        return []
    rows = []
    for (parts, page, end), values in zip(questions, run, strict=True):
        row = ValueRow(label=clean_label(join_wrapped(parts)), page=page, end=end + 1)
        _set_values(row, values)
        rows.append(row)
    return rows


def _column_run(lines: list[Line], index: int, cases: int | None) -> list[dict[str, Any]]:
    """The values printed one per line from `index` on (blank and header lines
    skipped), up to the first line that is not a value."""
    run = []
    for line in lines[index:]:
        text = line.text.strip()
        if not text or is_header(text):
            continue
        value = _value_only(text, cases)
        if value is None:
            break
        run.append({**value, "printed": text})
    return run


def _column_order(lines: list[Line], index: int, rows: list[ValueRow], cases: int | None) -> list[ValueRow]:
    """A table exported column by column (all the questions, then all the
    values: pdfminer, some viewers): the unvalued question rows just emitted,
    plus the one still being read, when exactly as many values follow. With
    any other count nothing is paired (a value must not shift to a
    neighbour's row)."""
    waiting: list[ValueRow] = []
    for row in reversed(rows):
        if row.printed or row.not_applicable or not row.label.endswith("?") or not (row.code or row.letter):
            break
        waiting.insert(0, row)
    if not waiting:
        return []
    run = _column_run(lines, index, cases)
    return waiting if len(run) == len(waiting) + 1 else []


def _set_values(row: ValueRow, values: dict[str, Any]) -> None:
    row.printed = values.get("printed") or ""
    if values.get("pct") is not None:
        row.pct = float(values["pct"].replace("\u2212", "-"))
    if values.get("relevant") is not None:
        row.relevant, row.yes = int(values["relevant"]), int(values["yes"])
    row.problem = values.get("problem")


def question_similarity(a: str, b: str) -> float:
    """0-100: how alike two printed question texts are (markers, case and
    punctuation ignored). Used to pair a question across tables by its text."""
    from rapidfuzz import fuzz

    return fuzz.ratio(_question_key(a), _question_key(b))


def _question_key(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", clean_label(text).lower().replace("-", " "))


def _value_only(text: str, cases: int | None) -> dict[str, Any] | None:
    """The value of a line that holds only a value: '62%', '8 7', or in a
    table of counts a pair printed without its space ('87')."""
    only = _rx()["only"].match(text)
    if only:
        return dict(only.groupdict())
    if cases and text.isdigit() and 2 <= len(text) <= 4:
        return _count_pair(text, cases)
    return None


def _count_pair(digits: str, cases: int | None) -> dict[str, Any]:
    pair = split_count_pair(digits, cases)
    if pair:
        return {"relevant": pair[0], "yes": pair[1]}
    return {"problem": f"counts printed as '{digits}' (a pair without its space) split into no single "
                       f"plausible pair of at most {cases} cases"}


def _checked_pair(values: dict[str, Any], cases: int | None) -> dict[str, Any]:
    """A pair whose first number is glued to the label: 'safe?12 77' read as
    relevant 12, yes 77 is a footnote marker and a pair printed without its
    space. A pair that cannot be (yes > relevant, or more relevant cases than
    inspected) is read again from its last number alone, or left null with
    the reason. (A spaced pair that cannot be is left to the sanity limits.)"""
    if values.get("relevant") is None:
        return values
    relevant, yes = int(values["relevant"]), int(values["yes"])
    if yes <= relevant and (cases is None or relevant <= cases):
        return values
    printed = f"{values['relevant']} {values['yes']}"
    if split_count_pair(values["yes"], cases):
        return _count_pair(values["yes"], cases)
    return {"problem": f"counts printed as '{printed}' are not a possible pair (yes <= relevant"
                       + (f" <= {cases} cases" if cases else "") + ")"}


def split_count_pair(digits: str, cases: int | None) -> tuple[int, int] | None:
    """'88' -> (8, 8): the one way to cut the digits into relevant and yes
    with yes <= relevant <= cases (no leading zeros); None when there is no
    such cut or more than one."""
    fits = []
    for cut in range(1, len(digits)):
        a, b = digits[:cut], digits[cut:]
        if (a.startswith("0") and a != "0") or (b.startswith("0") and b != "0"):
            continue
        relevant, yes = int(a), int(b)
        if relevant > 0 and yes <= relevant and (cases is None or relevant <= cases):
            fits.append((relevant, yes))
    return fits[0] if len(fits) == 1 else None


def _continues(lines: list[Line], index: int) -> bool:
    """The next non-blank line carries on a wrapped label (starts lower case)."""
    later = next((ln.text.strip() for ln in lines[index + 1:] if ln.text.strip()), "")
    return later[:1].islower()


def _plausible_label(text: str) -> bool:
    # a label has words; '2020 and 12' style prose fragments do not start tables
    return bool(re.search(r"[A-Za-z]{3,}", text))


def _starts_new_label(text: str) -> bool:
    rx = _rx()
    return bool(rx["code"].match(text) or rx["prompt"].match(text))
