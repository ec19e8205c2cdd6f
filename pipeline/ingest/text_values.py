"""What one line of a 'label ... value' table printed as text holds: the
row record the line reader makes (ValueRow), the table patterns
(patterns/tables.json), header words, and values ('62%', '8 7', a pair
printed without its space as '87'), with the checks a printed pair must
pass."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.core import rules
from pipeline.ingest.raw import RawLine
from pipeline.core.patterns import load
from pipeline.core.records import pct_of_counts


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
    start: int = 0               # index of the row's first line

    @property
    def pct_exact(self) -> float | None:
        return pct_of_counts(self.yes, self.relevant)


@lru_cache(maxsize=1)
def table_patterns() -> dict[str, re.Pattern[str]]:
    t, h = load("tables"), load("headings")
    return {
        # a heading box's rating on a line of its own: no row's label
        "rating_alone": re.compile(rf"^{h['rating_label']}$", re.I),
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


def is_header(text: str) -> bool:
    return bool(table_patterns()["header"].match(text.strip()))


def cases_stated(lines: list[RawLine]) -> int | None:
    """The number of cases a table header states ('Of the 8 cases inspected'),
    if these lines (a table's header block) state one."""
    for line in lines:
        m = table_patterns()["counts_intro"].match(line.text.strip())
        if m:
            return int(m.group("cases"))
    return None


def set_values(row: ValueRow, values: dict[str, Any]) -> None:
    row.printed = values.get("printed") or ""
    if values.get("pct") is not None:
        row.pct = float(values["pct"].replace("\u2212", "-"))
    if values.get("relevant") is not None:
        row.relevant, row.yes = int(values["relevant"]), int(values["yes"])
    row.problem = values.get("problem")


def value_only(text: str, cases: int | None) -> dict[str, Any] | None:
    """The value of a line that holds only a value: '62%', '8 7', or in a
    table of counts a pair printed without its space ('87')."""
    only = table_patterns()["only"].match(text)
    if only:
        return dict(only.groupdict())
    if cases and text.isdigit() and 2 <= len(text) <= 4:
        return count_pair(text, cases)
    return None


def count_pair(digits: str, cases: int | None) -> dict[str, Any]:
    pair = split_count_pair(digits, cases)
    if pair:
        return {"relevant": pair[0], "yes": pair[1]}
    return {"problem": f"counts printed as '{digits}' (a pair without its space) split into no single "
                       f"plausible pair of at most {cases} cases"}


def checked_pair(values: dict[str, Any], cases: int | None) -> dict[str, Any]:
    """A pair whose first number is glued to the label: 'safe?12 77' read as
    relevant 12, yes 77 is a footnote marker and a pair printed without its
    space. A pair that cannot be (yes > relevant, or more relevant cases than
    inspected) is read again from its last number alone, or left null with
    the reason. (A spaced pair that cannot be is left to the sanity limits.)"""
    if values.get("relevant") is None:
        return values
    if rules.counts_problem(int(values["relevant"]), int(values["yes"]), cases) is None:
        return values
    printed = f"{values['relevant']} {values['yes']}"
    if split_count_pair(values["yes"], cases):
        return count_pair(values["yes"], cases)
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


def plausible_label(text: str) -> bool:
    # a label has words; '2020 and 12' style prose fragments do not start tables
    return bool(re.search(r"[A-Za-z]{3,}", text))


def starts_new_label(text: str) -> bool:
    rx = table_patterns()
    return bool(rx["code"].match(text) or rx["prompt"].match(text))
