"""One parser for every 'label ... value' table in the reports: key-question
tables in the standards ('% yes' or 'Relevant cases / Number yes' counts),
annex tables ('2.1.1. Does assessment ... 84%') and prompt tables
('a) Is there sufficient analysis ... 50%').

Text exports wrap labels over several lines, put the value on its own line,
glue footnote markers to the label ('safe?22 5 5') and repeat table headers
after a page break; all of that is handled here once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..document import Line
from ..patterns import load
from ..text import join_wrapped


@dataclass
class ValueRow:
    label: str             # the printed label, joined onto one line, marker removed
    page: int              # page of the row's first line
    pct: float | None = None
    relevant: int | None = None
    yes: int | None = None
    not_applicable: bool = False
    printed: str = ""            # the value as printed ('62%', '8 7')
    code: str | None = None      # '2.1.1' for annex key-question rows
    letter: str | None = None    # 'a' for prompt rows
    end: int = 0                 # index after the row's last line (in the given lines)

    @property
    def pct_exact(self) -> float | None:
        if self.relevant:
            return 100.0 * (self.yes or 0) / self.relevant
        return None


@lru_cache(maxsize=1)
def _rx():
    t = load("tables")
    return {
        "end": re.compile(t["value_at_end"]),
        "only": re.compile(t["value_only"]),
        "na_only": re.compile(t["not_applicable_only"], re.I),
        "header": re.compile(r"^(?:" + "|".join(t["header"]) + r")$", re.I),
        "prompt": re.compile(t["prompt_label"]),
        "code": re.compile(t["annex_code"]),
        "marker": re.compile(t["trailing_marker"]),
    }


def clean_label(text: str) -> str:
    return _rx()["marker"].sub("", text.strip()).strip()


def is_header(text: str) -> bool:
    return bool(_rx()["header"].match(text.strip()))


def parse_value_rows(lines: list[Line], *, stop_at_unvalued_question: bool = True,
                     max_rows: int | None = None) -> list[ValueRow]:
    """Rows of label + value from `lines`, in order.

    With stop_at_unvalued_question, a complete question ('...?') followed by a
    line that is neither a value nor a header ends the table: that is where
    the prose after a key-question table begins.
    """
    rx = _rx()
    rows: list[ValueRow] = []
    buffer: list[str] = []
    buffer_page: int | None = None

    def emit(extra: str | None, values: dict, index: int, not_applicable: bool = False) -> None:
        nonlocal buffer, buffer_page
        parts = buffer + ([extra] if extra else [])
        label = join_wrapped(parts)
        row = ValueRow(label=label, page=buffer_page or lines[index].page, end=index + 1,
                       not_applicable=not_applicable, printed=values.get("printed") or "")
        if values.get("pct") is not None:
            row.pct = float(values["pct"].replace("\u2212", "-"))
        if values.get("relevant") is not None:
            row.relevant, row.yes = int(values["relevant"]), int(values["yes"])
        m = rx["code"].match(row.label)
        if m:
            row.code, row.label = m.group("code"), m.group("rest")
        m = rx["prompt"].match(row.label)
        if m:
            row.letter, row.label = m.group("label"), m.group("rest")
        row.label = clean_label(row.label)
        rows.append(row)
        buffer, buffer_page = [], None

    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text or is_header(text):
            continue
        if buffer and _starts_new_label(text):
            # '2.1.1. ...' or 'a) ...' always opens a row: what came before was
            # an unvalued row (a description, a qualitative question)
            if stop_at_unvalued_question and clean_label(buffer[-1]).endswith("?"):
                break
            emit(None, {}, index - 1)
        only = rx["only"].match(text)
        if only:
            if buffer:
                emit(None, {**only.groupdict(), "printed": text}, index)
            continue
        if buffer and rx["na_only"].match(text) and text.lower().startswith(("not applicable", "n/a", "na")):
            emit(None, {}, index, not_applicable=True)
            continue
        end = rx["end"].match(text)
        if end and (buffer or _plausible_label(end.group("label"))):
            if buffer_page is None:
                buffer_page = line.page
            emit(end.group("label"), {**end.groupdict(), "printed": text[end.end("label"):].strip()}, index)
        else:
            complete = buffer and clean_label(buffer[-1]).endswith("?")
            if complete and stop_at_unvalued_question:
                break
            if complete:
                # an unvalued row (e.g. a qualitative key question): keep it
                emit(None, {}, index - 1)
            if buffer_page is None:
                buffer_page = line.page
            buffer.append(text)
        if max_rows and len(rows) >= max_rows:
            break
    return rows


def question_similarity(a: str, b: str) -> float:
    """0-100: how alike two printed question texts are (markers, case and
    punctuation ignored). Used to pair a question across tables by its text."""
    from rapidfuzz import fuzz

    return fuzz.ratio(_question_key(a), _question_key(b))


def _question_key(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", clean_label(text).lower().replace("-", " "))


def _plausible_label(text: str) -> bool:
    # a label has words; '2020 and 12' style prose fragments do not start tables
    return bool(re.search(r"[A-Za-z]{3,}", text))


def _starts_new_label(text: str) -> bool:
    rx = _rx()
    return bool(rx["code"].match(text) or rx["prompt"].match(text))
