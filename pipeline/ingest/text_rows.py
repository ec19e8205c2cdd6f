"""The line reader: a 'label ... value' table printed as lines of text,
read into rows (key-question tables in the standards, '% yes' or 'Relevant
cases / Number yes' counts; annex tables, '2.1.1. Does assessment ...
84%'; prompt tables, 'a) Is there sufficient analysis ... 50%'), which
ingest.text_tables turns into the TABLE blocks every other format gives.

Text exports wrap labels over several lines, put the value on its own line,
glue footnote markers to the label ('safe?22 5 5') and repeat table headers
after a page break; all of that is handled here once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.labels import clean_label
from pipeline.core.text import join_wrapped, strip_trailing_marker
from pipeline.ingest.raw import RawLine
from pipeline.ingest.text_columns import PAGE_NUMBER, column_order, column_run, column_table
from pipeline.ingest.text_values import (ValueRow, checked_pair, count_pair, is_header, plausible_label, set_values,
                                         starts_new_label, table_patterns, value_only)


def parse_value_rows(lines: list[RawLine], *, stop_at_unvalued_question: bool = True,
                     cases: int | None = None) -> list[ValueRow]:
    """Rows of label + value from `lines`, in order.

    With stop_at_unvalued_question, a complete question ('...?') followed by a
    line that is neither a value nor a header ends the table: that is where
    the prose after a key-question table begins. `cases` is the number of
    cases the table's header (above `lines`) states, if it states one.
    """
    if stop_at_unvalued_question:
        by_column = column_table(lines)
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
    lines: list[RawLine]
    stop_at_unvalued_question: bool
    rows: list[ValueRow] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)  # the lines of a label still being read
    buffer_page: int | None = None
    buffer_start: int = 0  # index of the label's first line
    cases: int | None = None  # 'Of the 8 cases inspected': a table of counts follows
    held: dict[str, Any] | None = None  # a value printed between the lines of its wrapped label
    column_values: list[ValueRow] = field(default_factory=list)  # rows a column of values has filled

    def emit(self, extra: str | None, values: dict[str, Any], index: int, not_applicable: bool = False) -> None:
        rx = table_patterns()
        label = join_wrapped(self.buffer + ([extra] if extra else []))
        row = ValueRow(label=label, page=self.buffer_page or self.lines[index].page, end=index + 1,
                       start=self.buffer_start if self.buffer else index, not_applicable=not_applicable)
        set_values(row, values)
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

    def read(self, index: int, line: RawLine) -> bool:
        text = table_patterns()["header_prefix"].sub("", line.text.strip())
        intro = table_patterns()["counts_intro"].match(text)
        if intro:
            self.cases = int(intro.group("cases"))
        if not text or is_header(text) or (not self.buffer and table_patterns()["rating_alone"].match(text)):
            return False
        if not self.buffer and self.cases is None and PAGE_NUMBER.match(text):
            return False  # a page number where a page break cut the table
        if self.buffer and starts_new_label(text) and self._close_unvalued(index):
            # '2.1.1. ...' or 'a) ...' always opens a row
            return True
        value = value_only(text, self.cases)
        if value is not None:
            return self.read_value(index, text, value)
        self.column_values = []
        return self.read_label(index, line, text)

    def read_value(self, index: int, text: str, value: dict[str, Any]) -> bool:
        """A line that is only a value ('62%', '8 7')."""
        if self.column_values:
            return False  # paired already, in column order
        if self.buffer:
            self.column_values = column_order(self.lines, index, self.rows, self.cases)
            if self.column_values:
                self.emit(None, {}, index - 1)
                self.column_values.append(self.rows[-1])
                for row, found in zip(self.column_values, column_run(self.lines, index, self.cases), strict=True):
                    set_values(row, found)
                return False
        run = column_run(self.lines, index, self.cases) if self.buffer else []
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

    def _hold(self, index: int, label: str, values: dict[str, Any]) -> bool:
        """A value centred beside a middle line of its wrapped question: the
        label's line is kept and the value held until the question ends
        below. False (nothing done) when the label ends here."""
        if clean_label(label).endswith("?") or not _question_ends_below(self.lines, index):
            return False
        self.buffer_start = index if not self.buffer else self.buffer_start
        self.buffer.append(label)
        self.held = values
        return True

    def _new_row_after_prose(self, text: str) -> bool:
        """The lines waiting are a sentence (a line ended with a full stop)
        or a complete question, and `text` opens a row that carries a value:
        no row's label runs on like that, so the waiting lines were prose or
        a group heading, not this table's."""
        if not self.buffer or not text[:1].isupper():
            return False
        waiting = clean_label(self.buffer[-1])
        ended = waiting.endswith("?") or any(part.rstrip().endswith(".") for part in self.buffer)
        rx = table_patterns()
        return ended and bool(rx["end"].match(text) or (self.cases and rx["glued_counts"].search(text)))

    def read_label(self, index: int, line: RawLine, text: str) -> bool:
        """A line with words: a label with its value at the end, or a line of
        a label still being read."""
        rx = table_patterns()
        if self.stop_at_unvalued_question and self.rows and self._new_row_after_prose(text):
            return True  # prose after the table, then another table's rows: this table has ended
        glued = rx["glued_counts"].search(text) if self.cases else None
        label = text[:glued.start("digits")].strip() if glued else ""
        if glued and label.endswith("?"):
            self.buffer_page = self.buffer_page or line.page
            self.emit(label, {**count_pair(glued.group("digits"), self.cases), "printed": glued.group("digits")},
                      index)
            return False
        if glued and label and self._hold(index, label, {**count_pair(glued.group("digits"), self.cases),
                                                         "printed": glued.group("digits")}):
            self.buffer_page = self.buffer_page or line.page
            return False
        if self.buffer and rx["na_only"].match(text) and text.lower().startswith(("not applicable", "n/a", "na")):
            self.emit(None, {}, index, not_applicable=True)
            return False
        end = rx["end"].match(text)
        if end and (self.buffer or plausible_label(end.group("label"))):
            self.buffer_page = self.buffer_page or line.page
            if self._hold(index, end.group("label"),
                          {**_end_values(text, end, self.cases), "printed": text[end.end("label"):].strip()}):
                return False
            self.emit(end.group("label"), {**_end_values(text, end, self.cases),
                                           "printed": text[end.end("label"):].strip()}, index)
            return False
        if self._question_waiting():
            if self.stop_at_unvalued_question:
                # questions whose values a column prints after them all, or the table's end
                for row in column_table(self.lines[self.buffer_start:]):
                    row.start += self.buffer_start
                    row.end += self.buffer_start
                    self.rows.append(row)
                return True
            self.emit(None, {}, index - 1)  # an unvalued row (e.g. a qualitative key question): keep it
        if not self.buffer:
            self.buffer_start = index
        self.buffer_page = self.buffer_page or line.page
        self.buffer.append(text)
        if self.held and _ends_question(text):
            self.emit(None, self.held, index)
            self.held = None
        return False


def _end_values(text: str, end: re.Match[str], cases: int | None) -> dict[str, Any]:
    """The value at the end of a label's line. A footnote marker beside the
    counts ('safe?12 77', 'safe?13 9 12') makes the digits ambiguous."""
    near_marker = end.group("relevant") is not None and (
        not text[end.start("relevant") - 1].isspace()
        or strip_trailing_marker(end.group("label")) != end.group("label").strip())
    return checked_pair(end.groupdict(), cases) if near_marker else end.groupdict()


_MOST_WRAPPED_BELOW = 3  # lines of a question that may follow the line its value is printed on


def _question_ends_below(lines: list[RawLine], index: int) -> bool:
    """The lines after `index` carry on a wrapped question (each starts lower
    case and holds no value) and one of the next few ends it ('?')."""
    below = [ln for ln in lines[index + 1:index + 1 + 4 * _MOST_WRAPPED_BELOW]
             if ln.text.strip() and not is_header(ln.text)]  # a page break may repeat the table's header
    for line in below[:_MOST_WRAPPED_BELOW]:
        text = line.text.strip()
        if not text[:1].islower() or line.cells or table_patterns()["end"].match(text):
            return False
        if _ends_question(text):
            return True
    return False


def _ends_question(text: str) -> bool:
    """A wrapped question's last line, its footnote marker glued ('safe?15')
    or spaced ('safe? 15': pdftotext -layout of a Word table); clean_label
    removes either."""
    return clean_label(text).endswith("?")


def _continues(lines: list[RawLine], index: int) -> bool:
    """The next non-blank line carries on a wrapped label (starts lower case)."""
    later = next((ln.text.strip() for ln in lines[index + 1:] if ln.text.strip()), "")
    return later[:1].islower()
