"""A ratings summary printed as lines of text, read into the rows of a
TABLE block (the summary every other format prints as a table): a header
row with the service's name and the printed score, then one row per label
(the overall rating, each standard's code and name) with the value printed
with it.

The page is read by structure, never by position: each label takes the
value printed with it, or on the line under it. A page in column order (all
labels, then all values, or the other way round) is paired only when the
counts match and every value is a rating. Anything else leaves the label's
value cell empty, with the reason on the cell (`Cell.problem`) and the
printed values quoted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from pipeline.core import rules
from pipeline.core.document import Cell
from pipeline.core.headings import ratings_in
from pipeline.core.patterns import load
from pipeline.core.records import normalise_rating
from pipeline.ingest.raw import RawLine

# a printed name counts as the start of a canonical one at this similarity
_NAME_PREFIX_MIN = 85


@lru_cache(maxsize=1)
def _rx() -> dict[str, Any]:
    h, r = load("headings"), load("report")
    return {
        "rating": re.compile(h["rating_label"], re.I),
        "rating_only": re.compile(rf"^[‘'\"“]?{h['rating_label']}[’'\"”.]?$", re.I),
        "code": re.compile(r["summary_code"]),
        "qualifier": re.compile(r["name_qualifier"]),
        "score": re.compile(r["score"], re.I),
        "overall": re.compile(r["overall"], re.I),
        "domain": re.compile(rf"^{h['domain']}\s*$", re.I),
        "area": rules.rated_area_label(),
        "service": re.compile(r["service_words"], re.I),
        "judgement": re.compile(r["judgement_start"], re.I),
        "requires_end": re.compile(r"\bRequires$", re.I),
        "improvement_start": re.compile(r"^improvement\b", re.I),
        "improvement_end": re.compile(r"\s+(?=improvement\d{0,3}$)", re.I),
        "displaced": re.compile(rf"^(?P<rating>{h['rating_label']})(?:$|\s+(?={h['question_start']}))"),
    }


def merge_split_ratings(lines: list[RawLine]) -> list[RawLine]:
    """'Requires' at a line end + 'improvement' on the next line -> one line.

    The second half opens the next line (a text export), or ends it: a rating
    wrapped in its own table cell beside a label that wraps too comes out as
    '3.4 Out-of-court disposal Requires' / 'policy and provision improvement'
    (the cells read across, line by line); the rating is joined and the rest
    of the label stays on its line."""
    rx = _rx()
    out: list[RawLine] = []
    pending_requires = False
    for line in lines:
        text = line.text
        if pending_requires and rx["improvement_start"].match(text):
            out[-1] = replace(out[-1], text=out[-1].text + " " + text)
            pending_requires = False
            continue
        if pending_requires and rx["improvement_end"].search(text) \
                and not ratings_in(text[:text.lower().rfind("improvement")]):
            head, tail = rx["improvement_end"].split(text, maxsplit=1)
            out[-1] = replace(out[-1], text=out[-1].text + " " + tail)
            out.append(replace(line, text=head))
            pending_requires = False
            continue
        if not text and pending_requires:
            continue  # blank between the two halves
        out.append(line)
        pending_requires = not line.cells and bool(rx["requires_end"].search(text))
    return out


def read_rating(text: str) -> tuple[str | None, int | None]:
    """(rating, glued footnote marker) when `text` is exactly one rating."""
    m = _rx()["rating_only"].match(text.strip())
    if not m:
        return None, None
    return normalise_rating(m.group("label")), int(m.group("marker")) if m.group("marker") else None


# ------------------------------------------------------------ summary page

@dataclass
class _Slot:
    """A label on the summary page and what was printed with it."""
    key: str  # 'overall' or a standard code
    page: int
    name: list[str] = field(default_factory=list)
    name_done: bool = True
    same_line: tuple[str, int] | None = None      # value printed after the label
    following: list[tuple[str, int]] = field(default_factory=list)  # value lines under it
    value: Cell | None = None  # what the label's value cell holds, once paired


@dataclass
class _Summary:
    """What the page prints around its labels."""
    service_line: str | None = None
    score: tuple[str, int] | None = None  # the score as printed ('Score 16/…', out of the rules' maximum) and its page


def name_words_taken(code: str, prior: list[str], words: list[str]) -> tuple[int, bool]:
    """How many of `words` continue the standard's name (after `prior`), and
    whether the name is then complete: the longest run that is a fuzzy prefix
    of one of the code's canonical names."""
    for k in range(len(words), 0, -1):
        candidate = " ".join(prior + words[:k]).lower()
        for canon in rules.standard_names().get(code, ()):
            if len(candidate) <= len(canon) + 2 and \
                    fuzz.ratio(candidate, canon[:len(candidate)]) >= _NAME_PREFIX_MIN:
                return k, len(candidate) >= len(canon) - 2
    return 0, True


def _open_code_slot(code: str, rest: str, page: int) -> _Slot:
    slot = _Slot(code, page)
    words = rest.split()
    if not words:  # the code in a cell of its own: the name follows
        slot.name_done = False
        return slot
    taken, complete = name_words_taken(code, [], words)
    if taken == 0:
        # a name we do not know: a rating at the end is the value, else all name
        found = ratings_in(rest)
        cut = found[-1][2] if found else len(rest)
        name, value = rest[:cut].strip(), rest[cut:].strip()
        slot.name = name.split()
    else:
        slot.name, value = words[:taken], " ".join(words[taken:])
        slot.name_done = complete
    qualifier = _rx()["qualifier"].match(value)  # '(court disposals)' after the name
    if qualifier:
        slot.name.append(qualifier.group(0))
        value = value[qualifier.end():].strip()
    if value:
        slot.same_line = (value, page)
        slot.name_done = True
    return slot


def _continue_name(slot: _Slot, text: str, page: int) -> str:
    """Take the words of a wrapped name off `text`; return what is left."""
    words = text.split()
    taken, complete = name_words_taken(slot.key, slot.name, words)
    if taken:
        slot.name += words[:taken]
        slot.name_done = complete
        rest = " ".join(words[taken:])
        if rest:
            slot.same_line, slot.name_done = (rest, page), True
        return ""
    slot.name_done = True
    return text


def _header_text(text: str, page: int, summary: _Summary, labels_read: bool) -> str | None:
    """The line less the service's name and score a summary prints above its
    labels (both kept on `summary`); None when nothing of the line is left."""
    rx = _rx()
    m = rx["score"].search(text)
    if m and summary.score is None:
        summary.score = (m.group(0), page)
        head = text[:m.start()].strip()
        if head:
            summary.service_line = head
        return text[m.end():].strip() or None
    if summary.service_line is None and not labels_read and rx["service"].search(text) and not ratings_in(text):
        summary.service_line = text
        return None
    return text


def _label_slot(text: str, page: int) -> _Slot | None:
    """The slot a line opens: the overall rating's, a standard's (its code),
    or a rated area's ('Work with victims Good'); None for any other line."""
    rx = _rx()
    overall = rx["overall"].match(text)
    if overall:
        slot, rest = _Slot("overall", page), text[overall.end():].strip()
    elif code := rx["code"].match(text):
        return _open_code_slot(code.group("code"), code.group("rest") or "", page)
    elif rx["area"] and (area := rx["area"].match(text)):
        slot, rest = _Slot(area.group("label"), page), (area.group("rest") or "").strip()
    else:
        return None
    if rest:
        slot.same_line = (rest, page)
    return slot


def _read_layout(lines: list[RawLine], summary: _Summary) -> tuple[list[_Slot], list[tuple[str, int]]]:
    """The labels in printed order, and any value lines printed before the first label."""
    slots: list[_Slot] = []
    before: list[tuple[str, int]] = []
    current: _Slot | None = None
    for line in merge_split_ratings(lines):
        text = _header_text(line.text.strip(), line.page, summary, bool(slots)) if line.text.strip() else None
        if text is None:
            continue
        opened = _label_slot(text, line.page)
        if opened is not None:
            current = opened
            slots.append(current)
        elif _rx()["domain"].match(text):
            current = None
        elif current is None:
            if not slots:
                before.append((text, line.page))
        elif not current.name_done and _continue_name(current, text, line.page) == "":
            continue
        else:
            current.following.append((text, line.page))
    return slots, before


def _value_for(slot: _Slot, text: str, page: int) -> None:
    slot.value = Cell(text)
    slot.page = page


def _leading_ratings(lines: list[tuple[str, int]]) -> int:
    """How many of `lines`, from the first, read as ratings."""
    count = 0
    for text, _ in lines:
        if read_rating(text)[0] is None:
            break
        count += 1
    return count


def _layout(empty: list[_Slot], before: list[tuple[str, int]]) -> tuple[str, list[tuple[str, int]]]:
    """('row' | 'column' | 'unclear', the column's run of values).

    Column order: several labels without a value and one run of values,
    either before the first label (and nothing under any label) or under the
    last label (and nothing under the others). Row order: each label's value
    on the line under it (then perhaps a legend). Ratings printed before the
    first label with values under labels as well could be above or below
    their labels: unclear, so nothing is paired."""
    before_ratings = [v for v in before if read_rating(v[0])[0]]
    with_lines = [s for s in empty if s.following]
    if len(empty) > 1 and before_ratings and not with_lines:
        return "column", before
    if len(empty) > 1 and not before_ratings and len(with_lines) == 1 \
            and _leading_ratings(with_lines[0].following) > 1:
        return "column", with_lines[0].following
    if before_ratings and with_lines:
        return "unclear", before + [v for s in empty for v in s.following]
    return "row", []


def _not_paired(slots: list[_Slot], values: list[tuple[str, int]], why: str) -> None:
    printed = " | ".join(t for t, _ in values)
    for slot in slots:
        slot.value = Cell(printed, problem=why)


def _missing(slot: _Slot) -> None:
    slot.value = Cell("")


def _pair(slots: list[_Slot], before: list[tuple[str, int]]) -> None:
    """Each label's own value in row order; in column order the unvalued
    labels and the run of values pair one to one only when the counts match
    and every value is a rating. Anything else: null and a Note."""
    empty = [s for s in slots if s.same_line is None]
    for slot in slots:
        if slot.same_line:
            _value_for(slot, *slot.same_line)
    layout, values = _layout(empty, before)
    if layout == "column":
        if len(values) == len(empty) and all(read_rating(t)[0] for t, _ in values):
            for slot, (text, page) in zip(empty, values, strict=True):
                _value_for(slot, text, page)
        else:
            _not_paired(empty, values, f"in column order has {len(values)} values for {len(empty)} labels "
                                       "without one, or a value that is not a rating")
    elif layout == "unclear":
        _not_paired(empty, values, "prints ratings both before the first label and under labels")
    else:
        for slot in empty:
            if _leading_ratings(slot.following) > 1:
                _not_paired([slot], slot.following, "prints several ratings under one label")
            elif slot.following:
                _value_for(slot, *slot.following[0])
            else:
                _missing(slot)


def summary_rows(lines: list[RawLine]) -> list[tuple[int, tuple[Cell, ...]]]:
    """(page, cells) of each row the summary's lines print: the service and
    score first (a header row), then each label with its value cell. None
    when the lines hold no label."""
    summary = _Summary()
    slots, before = _read_layout(lines, summary)
    if not slots:
        return []
    _pair(slots, before)
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    if summary.service_line or summary.score:
        page = summary.score[1] if summary.score else slots[0].page
        rows.append((page, (Cell(summary.service_line or "", header=True),
                            Cell(summary.score[0] if summary.score else "", header=True))))
    for slot in slots:
        label = "Overall rating" if slot.key == "overall" else " ".join([slot.key, *slot.name])
        rows.append((slot.page, (Cell(label), slot.value or Cell(""))))
    return rows
