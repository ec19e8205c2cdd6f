"""Demographic tables ("Age 10-14 15-17" / "Anyshire YOS 14% 86%"): the
header line opens a table and names its columns; each row below gives one
fact per cell."""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from pipeline.extract.facts.vocabulary import Words, normalise, slug, vocabulary


@dataclass
class Table:
    key: str
    header_parts: list[str]
    header_page: int
    columns: list[tuple[str, str]] | None = None   # (name suffix, printed)
    rows_seen: int = 0
    # a fact printed beside the table cut in (a two-column page read box by box, as some text tools print it):
    # the header is complete, and a row joins only with exactly one value per column
    interrupted: bool = False
    row_labels: set[str] = field(default_factory=set)

    def named_columns_of_header(self) -> int:
        """How many columns the header's words name, rows or none."""
        if self.columns is None:
            self.columns = table_columns(self.key, " ".join(self.header_parts), 0) or None
        return self.named_columns()

    def named_columns(self) -> int:
        """How many columns the header named (0: none known)."""
        columns = self.columns if self.columns is not None else []
        return len(columns) if _all_named(columns) else 0



def table_keyword(key: str) -> str:
    return {"age": "Age", "ethnicity": "Race/ethnicity", "gender": "Gender"}.get(key, key)


def table_header(text: str) -> tuple[str, str] | None:
    """(table key, column text) when the line opens a demographic table."""
    words = Words(text)
    for key, info in vocabulary()["tables"].items():
        for header in info["headers"]:
            if words.norm == header:
                return key, ""
            if words.norm.startswith(header + " "):
                rest = words.tail_after(len(header))
                columns = table_columns(key, rest, 0)
                if any(not c[0].startswith("col") for c in columns):
                    return key, rest
    return None


def table_columns(key: str, text: str, count: int) -> list[tuple[str, str]]:
    """Columns (name suffix, printed) read from a header's text."""
    info = vocabulary()["tables"][key]
    columns: list[tuple[str, str]] = []
    if info["column_regex"] is not None:
        for m in info["column_regex"].finditer(text):
            if m.group("a"):
                columns.append((f"{int(m.group('a'))}_{int(m.group('b'))}", m.group(0).strip()))
            elif m.group("c"):
                columns.append((f"{int(m.group('c'))}_plus", m.group(0).strip()))
            elif m.group("d"):
                columns.append((f"under_{int(m.group('d'))}", m.group(0).strip()))
    else:
        words = Words(text)
        norm, pos, used = words.norm, 0, False
        while pos < len(norm):
            for alias, column in info["columns"]:
                if norm.startswith(alias, pos) and (pos + len(alias) == len(norm) or norm[pos + len(alias)] == " "):
                    columns.append((column, words.printed(pos, pos + len(alias))))
                    pos += len(alias) + 1
                    used = True
                    break
            else:
                nxt = norm.find(" ", pos)
                leftover = norm[pos:] if nxt < 0 else norm[pos:nxt]
                columns.append((f"col{len(columns) + 1}", words.printed(pos, pos + len(leftover))))
                pos = len(norm) if nxt < 0 else nxt + 1
        if not used:
            columns = []
    if count and len(columns) != count and any(c[0].startswith("col") for c in columns):
        # unknown words: fall back to the words themselves when they fit
        printed = text.split()
        if len(printed) == count:
            columns = [(slug(w), w) for w in printed]
    return columns


def _all_named(columns: list[tuple[str, str]]) -> bool:
    """Every column is one the vocabulary names (none a 'colN' stand-in)."""
    return bool(columns) and not any(c[0].startswith("col") for c in columns)


_UNIT_WORDS = re.compile(r"(?:years?|old|aged)(?: (?:years?|old))*")


@lru_cache(maxsize=4096)  # labels recur across reports; the test normalises and tries every table
def is_column_words(text: str) -> bool:
    """The text is only a demographic table's column names ('Male',
    '10-14 years', 'Black, Asian and minority ethnic Unknown'): a header
    cell, never a fact's label."""
    words = text.strip()
    if not words or not any(ch.isalpha() or ch.isdigit() for ch in words):
        return True  # '%': a column's unit
    norm = normalise(words)
    if _UNIT_WORDS.fullmatch(norm):
        return True  # '10-14' / 'years': an age column's cell wrapped
    for key, info in vocabulary()["tables"].items():
        if any(f" {norm} " in f" {alias} " for alias, _column in info["columns"]):
            return True  # part of a column name wrapped in its cell: 'and minority ethnic'
        regex = info["column_regex"]
        if regex is not None:
            if re.fullmatch(rf"(?:(?:{regex.pattern})[\s,]*)+", words, re.I):
                return True
        else:
            if _all_named(table_columns(key, words, 0)):
                return True
    return False
