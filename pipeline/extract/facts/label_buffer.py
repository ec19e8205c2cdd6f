"""The pieces the box parser keeps its state in: the label lines waiting
for their value, and a row read."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core.text import join_wrapped
from pipeline.extract.facts.tables import is_column_words
from pipeline.extract.facts.values import Value


_CARRIES_ON = re.compile(r"(?:\b(?:in|of|the|and|for|to|per|a|an|on|at|by|with|or)|[,(\-–/])\s*$", re.I)


def one_label(parts: list[str]) -> bool:
    """The lines waiting above a value are one label: no line after the
    first starts a new one (a capital after a line that could end a label),
    and it is not a demographic table's header cell."""
    for before, line in zip(parts, parts[1:], strict=False):
        if line[:1].isupper() and not _CARRIES_ON.search(before):
            return False
    whole = " ".join(parts).strip()
    if whole.startswith("(") and whole.endswith(")"):
        return False  # a value's note wrapped away from it, not a label
    return not is_column_words(whole)


BROKEN_FIGURE = re.compile(r"^[£$€]?\d{1,3}(?:,\d{3})*,\d{1,2}$")  # thousands cut short: '£1,935,40'


@dataclass
class Row:
    label_parts: list[str]
    value: Value
    page: int
    kind: str = "plain"              # plain / list / cell
    qualifier: str | None = None
    name: str | None = None
    group: str | None = None
    heading: str | None = None
    open: bool = True                # may take continuation lines

    @property
    def label(self) -> str:
        return join_wrapped(self.label_parts)


@dataclass
class LabelBuffer:
    """Label lines waiting for their value. `closed` after a blank line: a
    value on a line of its own still takes them, a trailing value does not."""
    parts: list[str] = field(default_factory=list)
    page: int | None = None
    closed: bool = False
    # the label started after another label's lines that no value took (a
    # column of labels, their values printed after them all): a value alone
    # below cannot be told to be this label's
    after_label: bool = False

    def clear(self) -> None:
        """The one reset of the buffer."""
        self.parts, self.page, self.closed, self.after_label = [], None, False, False

    def start(self, text: str, page: int) -> None:
        self.clear()
        self.parts, self.page = [text], page

    def take(self, include_closed: bool = True) -> tuple[list[str], int | None]:
        parts = self.parts if include_closed or not self.closed else []
        page = self.page
        self.clear()
        return parts, page

    def close(self) -> None:
        if self.parts:
            self.closed = True

    def add(self, text: str, page: int) -> None:
        """A text line: continues the label, or starts a new one after a
        blank line or a sentence end (a lower-case line continues a label
        even across a blank line)."""
        ended = bool(self.parts) and self.parts[-1].endswith(".")
        if self.parts and self.closed and text[:1].islower() and not ended:
            self.parts.append(text)
            self.closed = False
        elif self.closed or not self.parts or ended:
            after_label = self.closed and bool(self.parts) and not ended and one_label(self.parts)
            self.start(text, page)
            self.after_label = after_label
        else:
            self.parts.append(text)
