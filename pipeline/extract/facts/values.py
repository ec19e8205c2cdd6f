"""Printed numbers: value tokens ('1,935,408', '£1.2m', '62%'), a value's
note ('(5 custodial orders, 1 secure remand)', '= 1 post'), and footnote
markers, which are never values (glued to a word, or a spaced trailing
number that is the number of a footnote on that page)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.core.document import SegmentedReport
from pipeline.core.text import footnote_markers, strip_markers
from pipeline.extract.facts.vocabulary import norm_token, pattern, vocabulary

MULTIPLIERS = {"m": 1e6, "k": 1e3, "bn": 1e9}
PLACEHOLDERS = {"-", "n/a", "na", "*", "..", "x"}


@dataclass
class Value:
    value: float
    unit: str | None          # 'percent' / 'gbp' from the printed sign, else None
    text: str                 # as printed
    page: int
    note: str = ""            # '(5 custodial orders, 1 secure remand)', '= 1 post'


def parse_value_token(token: str) -> tuple[float, str | None] | None:
    m = pattern("value_token").match(token)
    if not m:
        return None
    number = float(m.group("num").replace(",", "") + (m.group("dec") or ""))
    if m.group("mult"):
        if not m.group("gbp"):
            return None
        number *= MULTIPLIERS[m.group("mult")]
    unit = "percent" if m.group("pct") else "gbp" if m.group("gbp") else None
    return number, unit


def is_bare_int(token: str) -> bool:
    return bool(re.fullmatch(r"\d{1,3}", token))


def prepare(text: str) -> str:
    # '62 %' -> '62%', but not 'Offence types12 %' (a marker and a column header)
    text = pattern("spaced_percent").sub(r"\1%", text)
    text = pattern("per_cent", re.I).sub(r"\1%", text)
    text = pattern("spaced_pound").sub(r"£\1", text)
    return re.sub(r"\s+", " ", text).strip()



def split_note(text: str) -> tuple[str, str]:
    """'52 (including TYS and Amber unit)' -> ('52', '(including ...)') and
    '14 FTE' -> ('14', 'FTE') when the text before the note ends with a value."""
    m = pattern("value_note").match(text)
    if m and parse_value_token(m.group("head").split()[-1]):
        return m.group("head"), m.group("note")
    tokens = text.split()
    if len(tokens) >= 3 and tokens[-1].lower() in vocabulary()["unit_words"] and parse_value_token(tokens[-2]):
        return " ".join(tokens[:-1]), tokens[-1]
    return text, ""


@dataclass
class MarkerRule:
    """Footnote numbers per page, and which of them are printed glued to a
    word somewhere on the page (those have their marker already)."""
    notes_by_page: dict[int, set[int]]
    texts_by_page: dict[int, list[str]]
    # the glued markers of a page, read the first time the page is asked
    # about (the boxes sit on a few pages of a long report)
    _glued: dict[int, set[int]] = field(default_factory=dict)

    def glued(self, page: int) -> set[int]:
        if page not in self._glued:
            self._glued[page] = {n for text in self.texts_by_page.get(page, ()) for n in footnote_markers(text)}
        return self._glued[page]

    def is_marker(self, number: int, page: int) -> bool:
        return number in self.notes_by_page.get(page, set()) and number not in self.glued(page)

    def strip_trailing(self, text: str, page: int, has_value: bool) -> str:
        """A label without glued markers and without a spaced trailing
        footnote number."""
        text = strip_markers(text)
        m = pattern("trailing_number").match(text)
        if m and self.is_marker(int(m.group(2)), page):
            return m.group(1)
        if m and has_value and int(m.group(2)) in self.notes_by_page.get(page, set()):
            return m.group(1)
        return text


def marker_rule(report: SegmentedReport) -> MarkerRule:
    notes: dict[int, set[int]] = {}
    for number, note in report.footnotes.items():
        notes.setdefault(note.page, set()).add(number)
    texts: dict[int, list[str]] = {}
    for section in report.sections:
        for line in section.lines:
            texts.setdefault(line.page, []).append(line.text)
    return MarkerRule(notes, texts)



def split_leading(text: str) -> tuple[str, str]:
    """('6', '(5 custodial orders, 1 secure remand)') from '6 (5 ...) Total ...'."""
    token = text.split()[0]
    rest = text[len(token):].lstrip()
    m = pattern("leading_note").match(rest)
    if m and (m.group(0).startswith("(") or not rest[m.end():].strip() or rest[m.end():].strip()[:1].isupper()):
        return token, m.group(0)
    return token, ""


def trailing_values(text: str, markers: MarkerRule, page: int, in_table: bool
                     ) -> tuple[str, list[Value | None]] | None:
    """(label, values) for a line that ends with one value (or, in a table,
    several); None when the line carries no value at its end."""
    vocab = vocabulary()
    head, note = split_note(text)
    tokens = head.split()
    values: list[Value | None] = []
    while len(tokens) > 1:
        token = tokens[-1]
        if in_table and token.lower() in PLACEHOLDERS:
            values.insert(0, None)  # an empty cell still takes its column
            tokens.pop()
            continue
        parsed = parse_value_token(token)
        if parsed is None or (parsed[1] is None and vocab["year"].match(token)):
            break
        if norm_token(tokens[-2]) in vocab["number_before"]:
            break  # 'rate per 100,000'
        if not values and parsed[1] is None and is_bare_int(token) and not note \
                and markers.is_marker(int(token), page):
            return None  # 'Reoffending rate in X YOS 8': a footnote marker
        known = [v for v in values if v is not None]
        if known and parsed[1] != known[0].unit:
            break  # 'Somewhere YOS 10 65% 33%': a spaced marker before a row of %
        values.insert(0, Value(parsed[0], parsed[1], token, page, note if not values else ""))
        tokens.pop()
        if not in_table:
            break
    if not any(values):
        return None
    label = strip_markers(" ".join(tokens))
    if not re.search(r"[A-Za-z]", label):
        return None
    if len(values) > 1 and not in_table and len({v.unit for v in values if v is not None}) > 1:
        return None
    return label, values


