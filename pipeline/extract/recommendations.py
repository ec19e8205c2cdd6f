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

from pipeline.core.document import BlockKind, Section, SegmentedReport, lines_of_block
from pipeline.core.records import Recommendation
from pipeline.core.nlp import matcher_for
from pipeline.core.patterns import load
from pipeline.core.text import join_wrapped

PATTERN_FILE = "recommendations"


def addressee_of(text: str) -> str | None:
    """The body an addressee line names: 'The YOS Management Board should:'
    -> 'The YOS Management Board' (the verb and colon are not part of it);
    '' for a line that is only the verb ('should:', the name wrapped onto
    the line above); None when the line is not an addressee line (the match
    must end the line)."""
    text = text.strip()
    if not text or _item_line().match(text):
        return None  # a numbered item is no addressee, whatever it ends with
    nlp, matcher = matcher_for(PATTERN_FILE)
    doc = nlp(text)
    ending = [(nlp.vocab.strings[label], start, end) for label, start, end in matcher(doc) if end == len(doc)]
    if not ending:
        return None
    # the longest match: 'should ensure to:' rather than 'to:'
    label, start, end = min(ending, key=lambda m: m[1])
    if label == "NAME_INSIDE":
        name: str = doc[start + int(load(PATTERN_FILE)["_inside_skip"]):end - 1].text.strip()
        return name
    before: str = doc[:start].text.strip()
    return before


@lru_cache(maxsize=1)
def _item_line() -> re.Pattern[str]:
    return re.compile(load(PATTERN_FILE)["_item"])


@dataclass
class _Item:
    number: int
    addressee: str | None
    page: int
    parts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Entry:
    """A line of the section: a list item (with the number its list or its
    typed text gave it, ingest.items) or any other text."""
    page: int
    text: str
    item: bool = False
    number: int | None = None


def _entries(section: Section) -> list[_Entry]:
    out: list[_Entry] = []
    for page, block in section.blocks[1:]:
        if block.kind is BlockKind.LIST_ITEM:
            out.append(_Entry(page, block.text.strip(), True, block.number))
        else:
            out.extend(_Entry(line.page, line.text.strip()) for line in lines_of_block(page, block))
    return out


def _items(entries: list[_Entry], bullets: bool) -> list[_Item]:
    """Numbered items (or, with `bullets`, bulleted items under an addressee,
    numbered 1, 2, ... as printed) with the lines that carry them on."""
    items: list[_Item] = []
    addressee: str | None = None
    new_addressee = False
    current: _Item | None = None
    previous: _Entry | None = None     # the last non-blank entry
    blank_before_previous = True
    blank_since_previous = False
    for entry in entries:
        if not entry.text:
            blank_since_previous = True
            continue
        found = None if entry.item else addressee_of(entry.text)
        if found is not None:
            # an addressee wrapped over two lines: 'The ... for the East of' / 'England should:'
            if previous is not None and not blank_since_previous and (
                    blank_before_previous or current is None or found[:1].islower()) \
                    and not previous.text.rstrip().endswith((".", ":", ";")) and not previous.item:
                if current is not None and current.parts and current.parts[-1] == previous.text:
                    current.parts.pop()
                found = join_wrapped([previous.text, found]) if found else previous.text
            addressee, new_addressee, current = found or None, True, None
        else:
            number = _number(entry, items, bullets, new_addressee, addressee)
            if number is not None:
                current = _Item(number, addressee, entry.page, [entry.text])
                items.append(current)
                new_addressee = False
            elif current is not None:
                current.parts.append(entry.text)
        blank_before_previous = blank_since_previous
        blank_since_previous = False
        previous = entry
    return items


def _number(entry: _Entry, items: list[_Item], bullets: bool, new_addressee: bool,
            addressee: str | None) -> int | None:
    """The recommendation number an entry opens, if it opens one: a numbered
    item that goes on from the last (or starts again at 1 under a new
    addressee); with `bullets`, the next number for a bullet under an addressee."""
    if not entry.item:
        return None
    last = items[-1].number if items else 0
    if not bullets and entry.number is not None:
        return entry.number if entry.number == last + 1 or (entry.number == 1 and new_addressee) else None
    if bullets and entry.number is None and addressee is not None:
        return last + 1
    return None


def extract_recommendations(report: SegmentedReport) -> list[Recommendation]:
    """The recommendations of one report, in printed order."""
    out: list[Recommendation] = []
    for section in report.of_kind("recommendations"):
        out.extend(_recommendations(section))
    return out


def _recommendations(section: Section) -> list[Recommendation]:
    entries = _entries(section)
    items = _items(entries, bullets=False)
    if not items:
        items = _items(entries, bullets=True)
    return [Recommendation(item.number, item.addressee, join_wrapped(item.parts), item.page) for item in items]
