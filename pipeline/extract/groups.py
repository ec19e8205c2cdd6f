"""Key questions and prompts read from a section's table rows (typed by
extract.table_reader), for a standard's section and an annex part alike.

A section's key-question rows are its valued question rows that stand in
no prompt group. A prompt group opens at a group heading: a row or block
that prints a question and no value (a heading row spanning the table, a
table's first header cell, a paragraph above the table) or an unvalued
row coded like '2.1.3'; the valued rows under it, lettered or not, are
its prompts, until the next heading. A lettered row ('a) ...') is a prompt
wherever it stands.
"""
from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.core.document import Section
from pipeline.core.patterns import load
from pipeline.core.records import FindingKind, KeyQuestion, Note, Prompt
from pipeline.core.text import join_wrapped
from pipeline.core.labels import clean_label
from pipeline.extract.stream import Item, TextItem, items_of
from pipeline.extract.table_reader import TypedRow


@dataclass
class Group:
    heading: str
    code: str | None
    page: int | None
    rows: list[TypedRow]


@lru_cache(maxsize=1)
def _header_suffix() -> re.Pattern[str]:
    return re.compile(load("prompts")["header_suffix"], re.I)


def _question(text: str) -> bool:
    return clean_label(_header_suffix().sub("", text)).endswith("?")


def _heading_of(item: Item, wrapped: list[str]) -> tuple[str, str | None] | None:
    """(heading text, printed code) when the item heads a prompt group.
    `wrapped`: the text lines just above a text item that carry on into it
    (a heading a page's text wrapped over lines)."""
    if isinstance(item, TextItem):
        if not _question(item.text):
            return None
        return clean_label(_header_suffix().sub("", join_wrapped([*wrapped, item.text]))), None
    if item.header:
        first = next((c for c in item.cells if c), "")
        return (first, None) if _question(first) else None
    if item.valued or item.rating:
        return None
    if item.code and item.code.count(".") == 2:
        return item.label, item.code
    return (item.label, item.code) if _question(item.label) and not item.letter else None


def _carries_on(item: Item) -> bool:
    """A row of words alone that starts lower case: the rest of a row's label."""
    return isinstance(item, TypedRow) and not item.header and not item.valued and not item.rating \
        and not item.code and not item.letter and item.label[:1].islower()


def _carried(wrapped: list[str], item: Item) -> list[str]:
    """The text lines a next text item may carry on: this one's, unless it
    ended a sentence or question (or is no text: a row ends the run)."""
    if not isinstance(item, TextItem) or item.text.rstrip().endswith((".", "?", ":", "!")):
        return []
    return [*wrapped[-4:], item.text]


def read_groups(items: list[Item]) -> tuple[list[TypedRow], list[Group]]:
    """(key-question rows, prompt groups) of a section's items, in order."""
    key_rows: list[TypedRow] = []
    groups: list[Group] = []
    current: Group | None = None
    wrapped: list[str] = []
    last_row: TypedRow | None = None  # the last valued row read
    for item in items:
        if _carries_on(item) and last_row is not None:
            # the rest of a row a page break cut, under the table's repeated header
            last_row.label = clean_label(join_wrapped([last_row.label, item.label]))  # type: ignore[union-attr]
            continue
        heading = _heading_of(item, wrapped)
        wrapped = _carried(wrapped, item)
        if heading is not None:
            current = Group(heading[0], heading[1], item.page, [])
            groups.append(current)
            continue
        if not isinstance(item, TypedRow) or item.header:
            continue
        if item.code and not item.letter:
            # a standard's or a key question's own coded row ends a group; a
            # key question's, printed with its value, heads its prompts below
            current = Group(item.label, item.code, item.page, []) if item.code.count(".") == 2 else None
            if current is not None:
                groups.append(current)
            continue
        if not item.valued and not (item.letter and current is not None):
            continue  # (a lettered prompt may print no value)
        if item.index == 0 and current is not None and current.rows and not item.letter \
                and item.page == current.rows[-1].page:
            current = None  # a new table on the page with no heading of its own: no longer the group's
        if item.letter or current is not None:
            if current is None:
                current = Group("", None, item.page, [])
                groups.append(current)
            current.rows.append(item)
        else:
            key_rows.append(item)
        last_row = item
    # a valued row outside any group is a key question when it prints one (a fact's row does not)
    return [row for row in key_rows if _question(row.label)], groups


def section_groups(section: Section) -> tuple[list[TypedRow], list[Group]]:
    """read_groups of the section's items, read once per section (the key
    questions and the prompts both map them)."""
    found = section.memo.get("groups")
    if found is None:
        found = section.memo["groups"] = read_groups(items_of([section]))
    return found


def table_key_questions(section: Section) -> list[TypedRow]:
    """The section's key-question rows."""
    return section_groups(section)[0]


Lettering = Callable[[int | None, str], "tuple[bool, str | None]"]


def table_prompts(section: Section, key_questions: list[KeyQuestion], source: str,
                  match: Callable[[str, str | None, str, list[KeyQuestion]], int | None],
                  is_key_question: Callable[[str], bool],
                  letter_of: Lettering | None = None) -> tuple[list[Prompt], list[Note]]:
    """The prompts of the section's tables, and a note for each row that is
    not stored. `match(heading, code, standard, key_questions)` names a
    group's key question; a row that `is_key_question` (a key-question table
    a page break cut reads like a group) is no prompt. `letter_of(key
    question, text)` gives (whether the framework lists that key question's
    prompts, the letter of the one the text matches): an unlettered row is
    lettered by the framework where it lists them, and a row that matches
    none of them is not stored (a letter by position would shift every row
    after a lost one); elsewhere rows are lettered a, b, c in printed order."""
    groups = section_groups(section)[1]
    out: list[Prompt] = []
    notes: list[Note] = []
    previous: Group | None = None
    offset = 0
    for group in groups:
        if not group.rows:
            continue
        rows = [row for row in group.rows if row.letter or not is_key_question(row.label)]
        if not rows:
            continue
        group.rows = rows
        kq = match(group.heading, group.code, section.standard or "", key_questions)
        # a table's heading row printed again after a page break carries on the same table
        offset = offset + len(previous.rows) if previous is not None and previous.heading == group.heading else 0
        previous = group
        for position, row in enumerate(group.rows, start=offset):
            label = row.letter or (string.ascii_lowercase[position] if position < 26 else str(position + 1))
            listed, letter = letter_of(kq, row.label) if letter_of is not None and not row.letter else (False, None)
            if listed and (letter is None or any(p.key_question == kq and p.label == letter for p in out)):
                why = "it matches none of the framework's prompts for that key question" if letter is None \
                    else f"a second row for prompt {letter}"
                notes.append(Note(FindingKind.UNANCHORED_QUESTION,
                                  f"{section.standard} key question {kq}: the prompt row '{row.label}' "
                                  f"({row.printed or 'no value'}) is not stored: {why}", row.page,
                                  standard=section.standard, printed=row.printed or row.label))
                continue
            label = letter if listed and letter else label
            out.append(Prompt(standard=section.standard, key_question=kq, label=label, prompt=row.label,
                              page=row.page or 0, source=source, pct_yes=row.pct, relevant=row.relevant,
                              yes=row.yes, value_problem=row.problem))
    return out, notes
