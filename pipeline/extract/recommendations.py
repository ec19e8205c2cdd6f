"""The `recommendations` table: every numbered recommendation in the
"Recommendations" section.

- `addressee` is the body the recommendations are addressed to, as printed
  on the line above them that names it, found with the spaCy Matcher
  patterns in patterns/recommendations.json: "The YOS Management Board" of
  "The YOS Management Board should:" (the verb and the colon are not part
  of the name). A line wrapped over two lines is joined. Recommendations
  before any such line have addressee None.
- `text` is the recommendation joined onto one line (hyphenated line breaks
  undone, blank lines inside it ignored), with its lettered sub-points
  ("a. involve ...") joined in as printed.
- `number` is the printed number; numbering may restart at 1 under a new
  addressee. When nothing is numbered, bulleted items under an addressee are
  numbered 1, 2, ... in printed order.
- `page` is the page of the recommendation's first line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.core.document import Line, Section, SegmentedReport
from pipeline.core.records import Recommendation
from pipeline.core.nlp import matcher_for
from pipeline.core.patterns import load
from pipeline.core.text import join_wrapped

PATTERN_FILE = "recommendations"


@lru_cache(maxsize=1)
def _regexes() -> tuple[re.Pattern, re.Pattern]:
    data = load(PATTERN_FILE)
    return re.compile(data["_item"]), re.compile(data["_bullet"])


def addressee_of(text: str) -> str | None:
    """The body an addressee line names: 'The YOS Management Board should:'
    -> 'The YOS Management Board' (the verb and colon are not part of it);
    '' for a line that is only the verb ('should:', the name wrapped onto
    the line above); None when the line is not an addressee line (the match
    must end the line)."""
    text = text.strip()
    if not text or _regexes()[0].match(text):
        return None
    nlp, matcher = matcher_for(PATTERN_FILE)
    doc = nlp(text)
    ending = [(nlp.vocab.strings[label], start, end) for label, start, end in matcher(doc) if end == len(doc)]
    if not ending:
        return None
    # the longest match: 'should ensure to:' rather than 'to:'
    label, start, end = min(ending, key=lambda m: m[1])
    if label == "NAME_INSIDE":
        return doc[start + int(load(PATTERN_FILE)["_inside_skip"]):end - 1].text.strip()
    return doc[:start].text.strip()


@dataclass
class _Item:
    number: int
    addressee: str | None
    page: int
    parts: list[str] = field(default_factory=list)


def _items(lines: list[Line], bullets: bool) -> list[_Item]:
    item_rx, bullet_rx = _regexes()
    items: list[_Item] = []
    addressee: str | None = None
    new_addressee = False
    current: _Item | None = None
    previous: tuple[int, Line] | None = None     # (index, line) of the last non-blank line
    blank_before_previous = True
    blank_since_previous = False
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            blank_since_previous = True
            continue
        found = addressee_of(text)
        if found is not None:
            # an addressee wrapped over two lines: 'The ... for the East of' / 'England should:'
            if previous is not None and not blank_since_previous and (
                    blank_before_previous or current is None or found[:1].islower()) \
                    and not previous[1].text.rstrip().endswith((".", ":", ";")) \
                    and not item_rx.match(previous[1].text.strip()):
                if current is not None and current.parts and current.parts[-1] == previous[1].text.strip():
                    current.parts.pop()
                found = join_wrapped([previous[1].text, found]) if found else previous[1].text.strip()
            addressee, new_addressee, current = found or None, True, None
        else:
            m = item_rx.match(text) if not bullets else bullet_rx.match(text)
            number = None
            if m and not bullets:
                n = int(m.group("n"))
                last = items[-1].number if items else 0
                if n == last + 1 or (n == 1 and new_addressee):
                    number = n
            elif m and bullets and addressee is not None:
                number = (items[-1].number if items else 0) + 1
            if m and number is not None:
                current = _Item(number, addressee, line.page, [m.group("text")])
                items.append(current)
                new_addressee = False
            elif current is not None:
                current.parts.append(text)
        blank_before_previous = blank_since_previous
        blank_since_previous = False
        previous = (index, line)
    return items


def extract_recommendations(report: SegmentedReport) -> list[Recommendation]:
    """The recommendations of one report, in printed order."""
    out: list[Recommendation] = []
    for section in report.of_kind("recommendations"):
        out.extend(_recommendations(section))
    return out


def _recommendations(section: Section) -> list[Recommendation]:
    lines = section.lines[1:]
    items = _items(lines, bullets=False)
    if not items:
        items = _items(lines, bullets=True)
    return [Recommendation(item.number, item.addressee, join_wrapped(item.parts), item.page) for item in items]
